//! A TrueType font cut down to the characters one report uses.
//!
//! The layout library embeds whole fonts, and its PDF writer walks every code point of each
//! font per document: DejaVu Sans made every PDF about 1.5 MB and slow to write. The subset
//! keeps glyph ids unchanged (unused glyphs are emptied, not renumbered), so widths, the
//! layout and the PDF's glyph references are identical; it keeps a format 4 `cmap` with only
//! the used characters, drops glyph names and the positioning and substitution tables (the
//! layout library does not use them), and keeps the hinting programs the kept glyphs refer to.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::PdfError;

/// Tables copied as they are. `cmap`, `glyf`, `loca`, `head` and `post` are rewritten.
const COPIED: [&[u8; 4]; 9] =
    [b"OS/2", b"cvt ", b"fpgm", b"gasp", b"hhea", b"hmtx", b"maxp", b"name", b"prep"];

fn bad(what: &str) -> PdfError {
    PdfError::Font(format!("cannot subset font: {what}"))
}

fn u16_at(b: &[u8], at: usize) -> Result<u16, PdfError> {
    b.get(at..at + 2).map(|s| u16::from_be_bytes([s[0], s[1]])).ok_or_else(|| bad("truncated"))
}

fn u32_at(b: &[u8], at: usize) -> Result<u32, PdfError> {
    b.get(at..at + 4).map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]])).ok_or_else(|| bad("truncated"))
}

/// The tables of a font file by tag.
fn tables(font: &[u8]) -> Result<BTreeMap<[u8; 4], &[u8]>, PdfError> {
    let count = usize::from(u16_at(font, 4)?);
    let mut out = BTreeMap::new();
    for i in 0..count {
        let record = 12 + 16 * i;
        let tag: [u8; 4] =
            font.get(record..record + 4).and_then(|t| t.try_into().ok()).ok_or_else(|| bad("directory"))?;
        let offset = u32_at(font, record + 8)? as usize;
        let length = u32_at(font, record + 12)? as usize;
        let body = font.get(offset..offset + length).ok_or_else(|| bad("table outside the file"))?;
        out.insert(tag, body);
    }
    Ok(out)
}

/// Byte ranges of each glyph in `glyf`, from `loca`.
fn glyph_ranges(loca: &[u8], long: bool, glyphs: usize) -> Result<Vec<(usize, usize)>, PdfError> {
    let offset = |i: usize| -> Result<usize, PdfError> {
        Ok(if long { u32_at(loca, 4 * i)? as usize } else { usize::from(u16_at(loca, 2 * i)?) * 2 })
    };
    (0..glyphs).map(|i| Ok((offset(i)?, offset(i + 1)?))).collect()
}

/// The glyph ids a composite glyph is built from.
fn components(glyph: &[u8]) -> Result<Vec<u16>, PdfError> {
    const ARGS_ARE_WORDS: u16 = 0x0001;
    const HAVE_SCALE: u16 = 0x0008;
    const MORE_COMPONENTS: u16 = 0x0020;
    const HAVE_XY_SCALE: u16 = 0x0040;
    const HAVE_TWO_BY_TWO: u16 = 0x0080;
    let mut out = Vec::new();
    if glyph.len() < 10 || (u16_at(glyph, 0)? as i16) >= 0 {
        return Ok(out);
    }
    let mut at = 10;
    loop {
        let flags = u16_at(glyph, at)?;
        out.push(u16_at(glyph, at + 2)?);
        at += 4 + if flags & ARGS_ARE_WORDS != 0 { 4 } else { 2 };
        at += if flags & HAVE_SCALE != 0 {
            2
        } else if flags & HAVE_XY_SCALE != 0 {
            4
        } else if flags & HAVE_TWO_BY_TWO != 0 {
            8
        } else {
            0
        };
        if flags & MORE_COMPONENTS == 0 {
            return Ok(out);
        }
    }
}

/// A format 4 `cmap` (Unicode BMP) mapping `map`'s characters to their glyphs, under both the
/// Unicode and the Windows platform records.
fn cmap(map: &BTreeMap<u16, u16>) -> Vec<u8> {
    // Runs of consecutive codes with consecutive glyphs share a segment.
    let mut segments: Vec<(u16, u16, u16)> = Vec::new(); // (start, end, delta)
    for (&code, &gid) in map {
        let delta = gid.wrapping_sub(code);
        match segments.last_mut() {
            Some((_, end, d)) if *end + 1 == code && *d == delta => *end = code,
            _ => segments.push((code, code, delta)),
        }
    }
    segments.push((0xFFFF, 0xFFFF, 1));
    let count = segments.len() as u16;
    let floor_log2 = 15 - count.leading_zeros() as u16;
    let search_range = 2 * (1u16 << floor_log2);
    let mut sub = Vec::new();
    let length = 16 + 8 * count;
    for v in [4, length, 0, 2 * count, search_range, floor_log2, 2 * count - search_range] {
        sub.extend_from_slice(&v.to_be_bytes());
    }
    sub.extend(segments.iter().flat_map(|s| s.1.to_be_bytes()));
    sub.extend_from_slice(&0u16.to_be_bytes());
    sub.extend(segments.iter().flat_map(|s| s.0.to_be_bytes()));
    sub.extend(segments.iter().flat_map(|s| s.2.to_be_bytes()));
    sub.extend(segments.iter().flat_map(|_| 0u16.to_be_bytes()));
    let mut out = Vec::new();
    for v in [0u16, 2, 0, 3] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    out.extend_from_slice(&20u32.to_be_bytes());
    for v in [3u16, 1] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    out.extend_from_slice(&20u32.to_be_bytes());
    out.extend(sub);
    out
}

fn checksum(table: &[u8]) -> u32 {
    table.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// `font` with only the glyphs of `chars` (plus `.notdef` and composite parts).
pub(crate) fn subset(font: &[u8], chars: &BTreeSet<char>) -> Result<Vec<u8>, PdfError> {
    let tables = tables(font)?;
    let table = |tag: &[u8; 4]| tables.get(tag).copied().ok_or_else(|| bad(&String::from_utf8_lossy(tag)));
    let (head, maxp, loca, glyf) = (table(b"head")?, table(b"maxp")?, table(b"loca")?, table(b"glyf")?);
    let glyphs = usize::from(u16_at(maxp, 4)?);
    let ranges = glyph_ranges(loca, u16_at(head, 50)? == 1, glyphs)?;
    let glyph = |gid: u16| -> Result<&[u8], PdfError> {
        let (start, end) = *ranges.get(usize::from(gid)).ok_or_else(|| bad("glyph id"))?;
        glyf.get(start..end).ok_or_else(|| bad("glyph outside glyf"))
    };

    let reader = rusttype::Font::from_bytes(font).map_err(|e| PdfError::Font(e.to_string()))?;
    let mut map = BTreeMap::new();
    for &c in chars {
        let (Ok(code), Ok(gid)) = (u16::try_from(u32::from(c)), u16::try_from(reader.glyph(c).id().0)) else {
            continue;
        };
        if gid != 0 && usize::from(gid) < glyphs {
            map.insert(code, gid);
        }
    }
    let mut keep: BTreeSet<u16> = BTreeSet::from([0]);
    let mut todo: Vec<u16> = map.values().copied().collect();
    while let Some(gid) = todo.pop() {
        if keep.insert(gid) || gid == 0 {
            todo.extend(components(glyph(gid)?)?.into_iter().filter(|g| !keep.contains(g)));
        }
    }

    let mut new_glyf = Vec::new();
    let mut new_loca = Vec::with_capacity(4 * (glyphs + 1));
    for gid in 0..glyphs {
        new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
        let id = u16::try_from(gid).map_err(|_| bad("glyph count"))?;
        if keep.contains(&id) {
            new_glyf.extend_from_slice(glyph(id)?);
            new_glyf.resize(new_glyf.len().next_multiple_of(4), 0);
        }
    }
    new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
    let mut new_head = head.to_vec();
    new_head.get_mut(8..12).ok_or_else(|| bad("head"))?.fill(0);
    new_head.get_mut(50..52).ok_or_else(|| bad("head"))?.copy_from_slice(&1u16.to_be_bytes());

    let mut out_tables: BTreeMap<[u8; 4], Vec<u8>> = BTreeMap::new();
    for tag in COPIED {
        if let Some(body) = tables.get(tag) {
            out_tables.insert(*tag, body.to_vec());
        }
    }
    if let Some(post) = tables.get(b"post") {
        // Version 3: the metrics without glyph names.
        let mut header = post.get(..32).ok_or_else(|| bad("post"))?.to_vec();
        header[..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());
        out_tables.insert(*b"post", header);
    }
    out_tables.insert(*b"cmap", cmap(&map));
    out_tables.insert(*b"glyf", new_glyf);
    out_tables.insert(*b"head", new_head);
    out_tables.insert(*b"loca", new_loca);
    Ok(write_font(&out_tables))
}

/// An sfnt file of `tables`, with checksums and the `head` adjustment.
fn write_font(tables: &BTreeMap<[u8; 4], Vec<u8>>) -> Vec<u8> {
    let count = tables.len() as u16;
    let floor_log2 = 15 - count.leading_zeros() as u16;
    let search_range = 16 * (1u16 << floor_log2);
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    for v in [count, search_range, floor_log2, count * 16 - search_range] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, body) in tables {
        if tag == b"head" {
            head_at = Some(offset);
        }
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(body).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(body.len() as u32).to_be_bytes());
        offset += body.len().next_multiple_of(4);
    }
    for body in tables.values() {
        out.extend_from_slice(body);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    if let Some(at) = head_at {
        let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at + 8..at + 12].copy_from_slice(&adjustment.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(text: &str) -> BTreeSet<char> {
        text.chars().collect()
    }

    #[test]
    fn glyphs_and_widths_are_unchanged_for_kept_characters() {
        let full = dejavu::sans::regular();
        let text = "Zoë Ångström O'Connor $1,234.56 Łukasz Nguyễn ﬁ";
        let small = subset(full, &chars(text)).unwrap();
        assert!(small.len() * 5 < full.len(), "{} of {} bytes", small.len(), full.len());
        let a = rusttype::Font::from_bytes(full).unwrap();
        let b = rusttype::Font::from_bytes(small.as_slice()).unwrap();
        for c in text.chars() {
            let (ga, gb) = (a.glyph(c), b.glyph(c));
            assert_eq!(ga.id(), gb.id(), "{c:?}");
            let scale = rusttype::Scale::uniform(12.0);
            let width = |g: rusttype::Glyph<'_>| g.scaled(scale).h_metrics().advance_width;
            assert_eq!(width(ga), width(gb), "{c:?}");
        }
        // Characters left out map to .notdef.
        assert_eq!(b.glyph('Q').id().0, 0);
        assert_ne!(a.glyph('Q').id().0, 0);
    }

    #[test]
    fn kept_outlines_are_kept_and_others_emptied() {
        let full = dejavu::sans::bold();
        let small = subset(full, &chars("Aé")).unwrap();
        let b = rusttype::Font::from_bytes(small.as_slice()).unwrap();
        let scale = rusttype::Scale::uniform(20.0);
        let has_outline = |c: char| b.glyph(c).scaled(scale).exact_bounding_box().is_some();
        assert!(has_outline('A'));
        // é is often a composite of e and an accent: its parts came along.
        assert!(has_outline('é'));
        let glyph_of = |c: char| rusttype::Font::from_bytes(full).unwrap().glyph(c).id();
        assert!(b.glyph(glyph_of('B')).scaled(scale).exact_bounding_box().is_none());
    }

    #[test]
    fn the_file_checksum_is_consistent() {
        let small = subset(dejavu::sans::regular(), &chars("abc")).unwrap();
        assert_eq!(checksum(&small), 0xB1B0_AFBA);
        let t = tables(&small).unwrap();
        let tags: Vec<String> = t.keys().map(|k| String::from_utf8_lossy(k).into_owned()).collect();
        assert!(!tags.iter().any(|t| t == "GSUB" || t == "GPOS" || t == "kern"), "{tags:?}");
        assert!(tags.iter().any(|t| t == "cmap"), "{tags:?}");
    }
}
