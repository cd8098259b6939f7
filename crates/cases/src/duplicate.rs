//! Duplicate-patient detection (domain §10.3): the blind-index message and when to check.

use unicode_normalization::UnicodeNormalization;

use surgicase_kernel::{Date, UserId};

/// The message the storage layer MACs into `patient_name_bidx`:
/// `"v1|" + n(first) + "|" + n(last)`, with `n` = NFC, trimmed, collapsed, Unicode lower-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PatientNameKey(String);

fn n(name: &str) -> String {
    let nfc: String = name.nfc().collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

impl PatientNameKey {
    pub fn new(first: &str, last: &str) -> Self {
        Self(format!("v1|{}|{}", n(first), n(last)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

/// The fields of a case that decide whether it duplicates another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseCore {
    pub owner: UserId,
    pub case_date: Date,
    pub patient_first: String,
    pub patient_last: String,
}

impl CaseCore {
    pub fn name_key(&self) -> PatientNameKey {
        PatientNameKey::new(&self.patient_first, &self.patient_last)
    }
}

/// An update re-runs detection when the case date, the owner or a patient name changes. Names
/// are compared through the key: a change the key cannot see cannot create a duplicate.
pub fn duplicate_check_needed(old: &CaseCore, new: &CaseCore) -> bool {
    old.case_date != new.case_date || old.owner != new.owner || old.name_key() != new.name_key()
}

#[cfg(test)]
mod tests {
    use surgicase_kernel::time::parse_date;

    use super::*;

    #[test]
    fn keys() {
        type Names = (&'static str, &'static str);
        let table: &[(Names, Names, bool)] = &[
            (("Mary-Ann", "O'Neil"), ("  MARY-ANN ", "  o'neil"), true),
            (("Mary-Ann O'Neil", ""), ("  MARY-ANN   o'neil", ""), true),
            (("José", "Núñez"), ("JOSE\u{0301}", "NU\u{0301}N\u{0303}EZ"), true),
            (("Ann", "Lee"), ("Anne", "Lee"), false),
            (("Ann", "Lee"), ("Lee", "Ann"), false),
            (("Mary Ann", "Lee"), ("Mary", "Ann Lee"), false),
            (("Mary-Ann", "Lee"), ("Mary Ann", "Lee"), false),
        ];
        for (a, b, same) in table {
            let (ka, kb) = (PatientNameKey::new(a.0, a.1), PatientNameKey::new(b.0, b.1));
            assert_eq!(ka == kb, *same, "{a:?} {b:?}");
        }
        assert_eq!(PatientNameKey::new("  MARY-ANN ", "o'neil").as_str(), "v1|mary-ann|o'neil");
        assert_eq!(PatientNameKey::new("Mary-Ann O'Neil", "X").as_str(), "v1|mary-ann o'neil|x");
    }

    #[test]
    fn when_to_check() {
        let core = |owner: &str, date: &str, first: &str, last: &str| CaseCore {
            owner: UserId::parse(owner).unwrap(),
            case_date: parse_date(date).unwrap(),
            patient_first: first.to_owned(),
            patient_last: last.to_owned(),
        };
        let old = core("u-jane", "2025-03-03", "Mary-Ann", "O'Neil");
        let table: &[(CaseCore, bool)] = &[
            (old.clone(), false),
            (core("u-jane", "2025-03-03", "MARY-ANN", " o'neil "), false),
            (core("u-jane", "2025-03-04", "Mary-Ann", "O'Neil"), true),
            (core("u-bob", "2025-03-03", "Mary-Ann", "O'Neil"), true),
            (core("u-jane", "2025-03-03", "Mary", "O'Neil"), true),
            (core("u-jane", "2025-03-03", "Mary-Ann", "Neil"), true),
        ];
        for (new, expected) in table {
            assert_eq!(duplicate_check_needed(&old, new), *expected, "{new:?}");
        }
    }
}
