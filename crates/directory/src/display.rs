//! Display normalisation of NPI search and registry results (domain §12.1–§12.3). The data is
//! published upper-case; these functions never fail.

use surgicase_kernel::text::{capitalize_name, capitalize_words};

/// Lower-case unless first in a facility name.
const SMALL_WORDS: [&str; 7] = ["of", "and", "the", "at", "for", "in", "on"];
/// Always upper-case in a facility name.
const UPPER_WORDS: [&str; 15] =
    ["LLC", "LLP", "PLLC", "PC", "PA", "ASC", "MD", "DO", "II", "III", "IV", "USA", "ENT", "ICU", "VA"];
/// Upper-case in an address.
const DIRECTIONALS: [&str; 8] = ["N", "S", "E", "W", "NE", "NW", "SE", "SW"];
const ORDINAL_SUFFIXES: [&str; 4] = ["ST", "ND", "RD", "TH"];

/// Trims and collapses whitespace, dropping control characters.
fn words(raw: &str) -> Vec<&str> {
    raw.split(|c: char| c.is_whitespace() || c.is_control()).filter(|w| !w.is_empty()).collect()
}

/// Splits a word into leading punctuation, core and trailing punctuation.
fn split_punctuation(word: &str) -> (&str, &str, &str) {
    let Some(start) = word.find(char::is_alphanumeric) else {
        return (word, "", "");
    };
    let end =
        word.char_indices().rev().find(|(_, c)| c.is_alphanumeric()).map_or(start, |(i, c)| i + c.len_utf8());
    (&word[..start], &word[start..end], &word[end..])
}

/// Rewrites the core of each word, keeping its punctuation.
fn map_cores(raw: &str, mut f: impl FnMut(usize, &str, Option<&str>) -> String) -> String {
    let list = words(raw);
    let cores: Vec<(&str, &str, &str)> = list.iter().map(|w| split_punctuation(w)).collect();
    let mut out = Vec::with_capacity(cores.len());
    for (i, (lead, core, trail)) in cores.iter().enumerate() {
        let next = cores.get(i + 1).map(|(_, c, _)| *c);
        let core = if core.is_empty() { String::new() } else { f(i, core, next) };
        out.push(format!("{lead}{core}{trail}"));
    }
    out.join(" ")
}

/// §12.1 step 3 on one word.
fn step3(word: &str) -> String {
    capitalize_words(&word.to_lowercase())
}

/// A person name (§12.1): mixed case kept, otherwise capitalised (`MCDONALD` → `McDonald`).
pub fn display_person_name(raw: &str) -> String {
    capitalize_name(&words(raw).join(" "))
}

/// A facility name (§12.2): `ST. MARY'S HOSPITAL OF THE VALLEY (NORTH) LLC` →
/// `St. Mary's Hospital of the Valley (North) LLC`.
pub fn display_facility_name(raw: &str) -> String {
    map_cores(raw, |i, core, _| {
        let upper = core.to_uppercase();
        let lower = core.to_lowercase();
        if UPPER_WORDS.contains(&upper.as_str()) {
            upper
        } else if i > 0 && SMALL_WORDS.contains(&lower.as_str()) {
            lower
        } else {
            step3(core)
        }
    })
}

/// `1ST` → `1st`: digits followed by an ordinal suffix.
fn ordinal(core: &str) -> Option<String> {
    let split = core.find(|c: char| !c.is_ascii_digit())?;
    let (digits, suffix) = core.split_at(split);
    let suffix_upper = suffix.to_ascii_uppercase();
    (!digits.is_empty() && ORDINAL_SUFFIXES.contains(&suffix_upper.as_str()))
        .then(|| format!("{digits}{}", suffix.to_ascii_lowercase()))
}

/// A street address (§12.3): `123 N MAIN ST STE 2B` → `123 N Main St Ste 2B`,
/// `PO BOX 12` → `PO Box 12`, `1ST AVE` → `1st Ave`.
pub fn display_address(raw: &str) -> String {
    let mut after_po = false;
    map_cores(raw, |_, core, next| {
        let upper = core.to_uppercase();
        let was_po = std::mem::take(&mut after_po);
        if upper == "PO" && next.is_some_and(|n| n.eq_ignore_ascii_case("BOX")) {
            after_po = true;
            return upper;
        }
        if was_po && upper == "BOX" {
            return "Box".to_owned();
        }
        if core.bytes().all(|b| b.is_ascii_digit()) {
            core.to_owned()
        } else if let Some(ordinal) = ordinal(core) {
            ordinal
        } else if core.chars().any(|c| c.is_ascii_digit()) || DIRECTIONALS.contains(&upper.as_str()) {
            upper
        } else {
            step3(core)
        }
    })
}

/// A city (§12.1): `WINSTON-SALEM` → `Winston-Salem`.
pub fn display_city(raw: &str) -> String {
    display_person_name(raw)
}

/// A state: upper-case when two letters, otherwise trimmed as published.
pub fn display_state(raw: &str) -> String {
    let s = raw.trim();
    if s.len() == 2 && s.bytes().all(|b| b.is_ascii_alphabetic()) {
        s.to_ascii_uppercase()
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facility_names() {
        let table: &[(&str, &str)] = &[
            ("GENERAL HOSPITAL (NORTH)", "General Hospital (North)"),
            ("ST. MARY'S HOSPITAL OF THE VALLEY", "St. Mary's Hospital of the Valley"),
            ("THE SURGERY CENTER AT MAIN AND 5TH", "The Surgery Center at Main and 5th"),
            ("OF COUNSEL LLC", "Of Counsel LLC"),
            ("ACME ASC, LLC", "Acme ASC, LLC"),
            ("SMITH & JONES PLLC", "Smith & Jones PLLC"),
            ("JOHN DOE MD PA", "John Doe MD PA"),
            ("VA MEDICAL CENTER", "VA Medical Center"),
            ("KING HENRY III ENT AND ICU USA", "King Henry III ENT and ICU USA"),
            ("O'CONNOR CLINIC FOR KIDS", "O'Connor Clinic for Kids"),
            ("MCALLEN SURGERY IN TEXAS ON MAIN", "McAllen Surgery in Texas on Main"),
            ("WINSTON-SALEM  CLINIC ", "Winston-Salem Clinic"),
            ("\"QUOTED\" NAME", "\"Quoted\" Name"),
            ("A - B", "A - B"),
            ("", ""),
        ];
        for (raw, shown) in table {
            assert_eq!(display_facility_name(raw), *shown, "{raw:?}");
        }
    }

    #[test]
    fn addresses() {
        let table: &[(&str, &str)] = &[
            ("123 N MAIN ST", "123 N Main St"),
            ("1ST AVE", "1st Ave"),
            ("22ND ST NE", "22nd St NE"),
            ("103RD AVE SW", "103rd Ave SW"),
            ("4TH FLOOR", "4th Floor"),
            ("STE 2B", "Ste 2B"),
            ("UNIT A12", "Unit A12"),
            ("PO BOX 12", "PO Box 12"),
            ("po box 12", "PO Box 12"),
            ("BOX 5", "Box 5"),
            ("500 E OAK BLVD, #200", "500 E Oak Blvd, #200"),
            ("00501", "00501"),
            ("1 O'HARE WAY", "1 O'Hare Way"),
            ("  10   W   SOUTH  ST ", "10 W South St"),
            ("PO", "Po"),
        ];
        for (raw, shown) in table {
            assert_eq!(display_address(raw), *shown, "{raw:?}");
        }
    }

    #[test]
    fn cities_states_and_people() {
        let cities: &[(&str, &str)] = &[
            ("NEW YORK", "New York"),
            ("WINSTON-SALEM", "Winston-Salem"),
            ("MCALLEN", "McAllen"),
            ("O'FALLON", "O'Fallon"),
        ];
        for (raw, shown) in cities {
            assert_eq!(display_city(raw), *shown, "{raw:?}");
        }
        let states: &[(&str, &str)] = &[("ny", "NY"), (" CA ", "CA"), ("ONTARIO", "ONTARIO"), ("", "")];
        for (raw, shown) in states {
            assert_eq!(display_state(raw), *shown, "{raw:?}");
        }
        let people: &[(&str, &str)] = &[
            ("JOHN", "John"),
            ("MARY-ANN", "Mary-Ann"),
            ("MCDONALD", "McDonald"),
            ("O'CONNOR", "O'Connor"),
            ("MacKenzie", "MacKenzie"),
            (" MARY   JO ", "Mary Jo"),
        ];
        for (raw, shown) in people {
            assert_eq!(display_person_name(raw), *shown, "{raw:?}");
        }
    }
}
