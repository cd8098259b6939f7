//! Text normalisation shared by users, patients, surgeons and facilities (domain §12).

use unicode_normalization::UnicodeNormalization;

use crate::error::{FieldCode, ValueError};

/// Rejects control characters (anywhere, tabs and line breaks included), trims, collapses
/// inner whitespace and applies NFC. Empty results are returned as `""` (callers decide whether
/// that is allowed).
pub fn one_line(raw: &str) -> Result<String, ValueError> {
    let trimmed = raw.trim();
    if raw.chars().any(char::is_control) {
        return Err(ValueError::new(FieldCode::InvalidCharacters, "must not contain control characters"));
    }
    let collapsed = trimmed.split_whitespace().collect::<Vec<_>>().join(" ");
    Ok(collapsed.nfc().collect())
}

/// A required one-line field of at most `max` characters (Unicode scalar values), as sent and
/// as stored.
pub fn required_line(raw: &str, max: usize) -> Result<String, ValueError> {
    check_max(raw, max)?;
    let s = one_line(raw)?;
    if s.is_empty() {
        return Err(ValueError::required());
    }
    check_max(&s, max)?;
    Ok(s)
}

/// An optional one-line field: `""` or whitespace becomes `None`.
pub fn optional_line(raw: &str, max: usize) -> Result<Option<String>, ValueError> {
    check_max(raw, max)?;
    let s = one_line(raw)?;
    if s.is_empty() {
        return Ok(None);
    }
    check_max(&s, max)?;
    Ok(Some(s))
}

/// A required text of several lines, at most `max` characters: line breaks and tabs are kept,
/// other control characters refused, surrounding white space trimmed, NFC applied.
pub fn required_text(raw: &str, max: usize) -> Result<String, ValueError> {
    check_max(raw, max)?;
    if raw.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(ValueError::new(
            FieldCode::InvalidCharacters,
            "must not contain control characters other than line breaks and tabs",
        ));
    }
    let s: String = raw.trim().nfc().collect();
    if s.is_empty() {
        return Err(ValueError::required());
    }
    check_max(&s, max)?;
    Ok(s)
}

/// The first `max` characters of `text` (for columns of a fixed width that take any text).
pub fn clip(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

pub fn check_max(s: &str, max: usize) -> Result<(), ValueError> {
    if s.chars().count() > max {
        return Err(ValueError::too_long(max));
    }
    Ok(())
}

/// A person's name (patients, users, surgeons), 1–`max` characters (§12.1).
pub fn person_name(raw: &str, max: usize) -> Result<String, ValueError> {
    let s = required_line(raw, max)?;
    Ok(capitalize_name(&s))
}

/// §12.1 steps 2–3 on an already trimmed and collapsed name: mixed case is kept as entered;
/// otherwise the name is lower-cased and the first letter of each part, the letter after a
/// one-letter apostrophe prefix (O'Connor) and the letter after a leading "mc" (McDonald) are
/// upper-cased.
pub fn capitalize_name(name: &str) -> String {
    let has_upper = name.chars().any(char::is_uppercase);
    let has_lower = name.chars().any(char::is_lowercase);
    if has_upper && has_lower {
        return name.to_owned();
    }
    capitalize_words(&name.to_lowercase())
}

/// Step 3 of §12.1 applied to lower-case text, part by part.
pub fn capitalize_words(lower: &str) -> String {
    let mut out = String::with_capacity(lower.len());
    let mut part: Vec<char> = Vec::new();
    for ch in lower.chars() {
        if ch == ' ' || ch == '-' {
            push_capitalized_part(&mut out, &part);
            part.clear();
            out.push(ch);
        } else {
            part.push(ch);
        }
    }
    push_capitalized_part(&mut out, &part);
    out
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

fn push_capitalized_part(out: &mut String, part: &[char]) {
    let upper_at = |i: usize| -> bool {
        if i == 0 {
            return part[0].is_alphabetic();
        }
        // O'Connor: exactly one letter before the apostrophe, a letter after it.
        if i == 2
            && part.len() > 2
            && part[0].is_alphabetic()
            && is_apostrophe(part[1])
            && part[2].is_alphabetic()
        {
            return true;
        }
        // McDonald: a leading "mc" followed by a letter.
        i == 2 && part.len() > 2 && part[0] == 'm' && part[1] == 'c' && part[2].is_alphabetic()
    };
    for (i, ch) in part.iter().enumerate() {
        if upper_at(i) {
            out.extend(ch.to_uppercase());
        } else {
            out.push(*ch);
        }
    }
}

/// E-mail (§12.4): trimmed, 3–250 characters, one `@`, non-empty local part, a domain with a
/// dot. Stored as entered; compared case-insensitively.
pub fn email(raw: &str) -> Result<String, ValueError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(ValueError::required());
    }
    let len = s.chars().count();
    if len > 250 {
        return Err(ValueError::too_long(250));
    }
    let invalid = || ValueError::new(FieldCode::InvalidFormat, "must be an e-mail address");
    if len < 3 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid());
    }
    let mut parts = s.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(invalid());
    };
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain.split('.').all(|label| !label.is_empty());
    if local.is_empty() || !domain_ok {
        return Err(invalid());
    }
    Ok(s.to_owned())
}

/// Telephone (§12.4): `space ( ) - . +` removed; eleven digits starting with 1 lose the 1; the
/// result must be ten digits.
pub fn telephone(raw: &str) -> Result<u64, ValueError> {
    let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '(' | ')' | '-' | '.' | '+')).collect();
    let invalid = || ValueError::new(FieldCode::InvalidFormat, "must be a ten-digit telephone number");
    if digits.is_empty() {
        return Err(ValueError::required());
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    let ten = match digits.len() {
        10 => digits.as_str(),
        11 if digits.starts_with('1') => &digits[1..],
        _ => return Err(invalid()),
    };
    ten.parse().map_err(|_| invalid())
}

/// USPS codes: the 50 states, DC, PR, VI, GU, AS, MP and the military AA, AE, AP.
pub const STATE_CODES: [&str; 59] = [
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY",
    "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND",
    "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC",
    "PR", "VI", "GU", "AS", "MP", "AA", "AE", "AP",
];

/// A state code, stored upper-case.
pub fn state(raw: &str) -> Result<String, ValueError> {
    let s = raw.trim().to_ascii_uppercase();
    if s.is_empty() {
        return Err(ValueError::required());
    }
    if STATE_CODES.contains(&s.as_str()) {
        Ok(s)
    } else {
        Err(ValueError::new(FieldCode::InvalidFormat, "must be a two-letter USPS state code"))
    }
}

/// Comma-separated state codes, stored upper-case, joined with `,`, without repeats.
pub fn states_licensed(raw: &str) -> Result<String, ValueError> {
    let mut seen: Vec<String> = Vec::new();
    for item in raw.split(',') {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let code = state(item)?;
        if !seen.contains(&code) {
            seen.push(code);
        }
    }
    Ok(seen.join(","))
}

/// ZIP: `NNNNN` or `NNNNN-NNNN`.
pub fn zip(raw: &str) -> Result<String, ValueError> {
    let s = raw.trim();
    let b = s.as_bytes();
    let digits = |x: &[u8]| x.iter().all(u8::is_ascii_digit);
    let ok =
        (b.len() == 5 && digits(b)) || (b.len() == 10 && digits(&b[..5]) && b[5] == b'-' && digits(&b[6..]));
    if ok {
        Ok(s.to_owned())
    } else {
        Err(ValueError::new(FieldCode::InvalidFormat, "must be a ZIP code NNNNN or NNNNN-NNNN"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_names_table() {
        let table: &[(&str, &str)] = &[
            ("JOHN", "John"),
            ("  john   paul ", "John Paul"),
            ("MCDONALD", "McDonald"),
            ("MACY", "Macy"),
            ("O'CONNOR", "O'Connor"),
            ("d'angelo", "D'Angelo"),
            ("MARY'S", "Mary's"),
            ("mary-ann", "Mary-Ann"),
            ("MacKenzie", "MacKenzie"),
            ("DeVito", "DeVito"),
            ("van der Berg", "van der Berg"),
            ("3RD", "3rd"),
            ("MC", "Mc"),
            ("ÉMILE ZOLA", "Émile Zola"),
            ("o\u{2019}neil", "O\u{2019}Neil"),
            ("MARY-ANN O'NEIL", "Mary-Ann O'Neil"),
        ];
        for (raw, stored) in table {
            assert_eq!(person_name(raw, 100).ok().as_deref(), Some(*stored), "{raw:?}");
        }
    }

    #[test]
    fn person_name_errors() {
        assert_eq!(person_name("   ", 100).err().map(|e| e.code), Some(FieldCode::Required));
        assert_eq!(person_name("a\u{0007}b", 100).err().map(|e| e.code), Some(FieldCode::InvalidCharacters));
        assert_eq!(person_name("ab\tcd", 100).err().map(|e| e.code), Some(FieldCode::InvalidCharacters));
        assert_eq!(person_name(&"x".repeat(101), 100).err().map(|e| e.code), Some(FieldCode::TooLong));
        assert!(person_name(&"é".repeat(100), 100).is_ok());
    }

    #[test]
    fn nfc_is_applied() {
        // "e" + combining acute becomes the single code point.
        assert_eq!(one_line("Jose\u{0301}").ok().as_deref(), Some("Jos\u{e9}"));
    }

    #[test]
    fn emails() {
        let table: &[(&str, bool)] = &[
            ("jane@example.com", true),
            (" Jane.Doe+tag@Example.COM ", true),
            ("a@b.c", true),
            ("jane@example", false),
            ("@example.com", false),
            ("jane@@example.com", false),
            ("ja ne@example.com", false),
            ("jane@.com", false),
            ("jane@example.", false),
            ("", false),
        ];
        for (raw, ok) in table {
            assert_eq!(email(raw).is_ok(), *ok, "{raw:?}");
        }
    }

    #[test]
    fn telephones() {
        let table: &[(&str, Option<u64>)] = &[
            ("(555) 123-4567", Some(5_551_234_567)),
            ("+1 555.123.4567", Some(5_551_234_567)),
            ("15551234567", Some(5_551_234_567)),
            ("25551234567", None),
            ("555-1234", None),
            ("555123456x", None),
        ];
        for (raw, value) in table {
            assert_eq!(telephone(raw).ok(), *value, "{raw:?}");
        }
    }

    #[test]
    fn states_and_zips() {
        assert_eq!(state(" ny ").ok().as_deref(), Some("NY"));
        assert!(state("XX").is_err());
        assert_eq!(states_licensed("ny, nj,NY ,ca").ok().as_deref(), Some("NY,NJ,CA"));
        assert!(states_licensed("NY,ZZ").is_err());
        assert!(zip("12345").is_ok());
        assert!(zip("12345-6789").is_ok());
        assert!(zip("1234").is_err());
        assert!(zip("12345-678").is_err());
    }
}
