//! Query rules of `GET /search_surgeon` and `GET /search_facility` (api.md §4).

use surgicase_kernel::text::required_line;
use surgicase_kernel::{FieldCode, Npi, ValidationErrors, ValueError};

/// Longest search term accepted.
pub const TERM_MAX: usize = 100;
/// Shortest facility search term.
pub const FACILITY_TERM_MIN: usize = 2;

/// How many results a search returns: 1–200, default 50.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchLimit(u32);

impl SearchLimit {
    pub const DEFAULT: SearchLimit = SearchLimit(50);
    pub const MAX: u32 = 200;

    /// Parses the `limit` query parameter; absent means the default.
    pub fn parse(raw: Option<&str>) -> Result<Self, ValueError> {
        let Some(s) = raw else {
            return Ok(Self::DEFAULT);
        };
        // As sent: an integer has no surrounding blanks (the schema's `integer`).
        let digits = s.strip_prefix('-').unwrap_or(s);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValueError::new(FieldCode::InvalidFormat, "must be an integer"));
        }
        match s.parse::<u32>() {
            Ok(n) if (1..=Self::MAX).contains(&n) => Ok(Self(n)),
            _ => Err(ValueError::new(FieldCode::OutOfRange, format!("must be from 1 to {}", Self::MAX))),
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

impl Default for SearchLimit {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// `Some(npi result)` when the trimmed term is ten digits.
fn as_npi(term: &str) -> Option<Result<Npi, ValueError>> {
    let t = term.trim();
    (t.len() == 10 && t.bytes().all(|b| b.is_ascii_digit())).then(|| Npi::parse(t))
}

/// A search term: required, one line, at most [`TERM_MAX`] characters as sent, returned
/// upper-case (the search tables hold upper-case data; matching is case-insensitive).
fn term(raw: Option<&str>) -> Result<String, ValueError> {
    Ok(required_line(raw.unwrap_or(""), TERM_MAX)?.to_uppercase())
}

/// What `GET /search_surgeon` looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SurgeonSearch {
    /// `first_name` was ten digits: an exact NPI lookup.
    ByNpi(Npi),
    /// Prefixes of both names, upper-case; ordered by state, city, last, first name.
    ByName { first_prefix: String, last_prefix: String },
}

impl SurgeonSearch {
    /// Errors name the query parameters `first_name` and `last_name`.
    pub fn parse(first_name: Option<&str>, last_name: Option<&str>) -> Result<Self, ValidationErrors> {
        if let Some(npi) = first_name.and_then(as_npi) {
            return npi.map(Self::ByNpi).map_err(|e| e.at("first_name").into());
        }
        let mut errors = ValidationErrors::new();
        let first = errors.check("first_name", term(first_name));
        let last = errors.check("last_name", term(last_name));
        match (first, last) {
            (Some(first_prefix), Some(last_prefix)) => Ok(Self::ByName { first_prefix, last_prefix }),
            _ => Err(errors),
        }
    }
}

/// What `GET /search_facility` looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FacilitySearch {
    /// The term was ten digits: an exact NPI lookup.
    ByNpi(Npi),
    /// Names containing the term (upper-case, at least two characters).
    ByName(String),
}

impl FacilitySearch {
    /// Errors name the query parameter `facility_name`.
    pub fn parse(facility_name: Option<&str>) -> Result<Self, ValidationErrors> {
        let field = "facility_name";
        if let Some(npi) = facility_name.and_then(as_npi) {
            return npi.map(Self::ByNpi).map_err(|e| e.at(field).into());
        }
        let t = term(facility_name).map_err(|e| e.at(field))?;
        if t.chars().count() < FACILITY_TERM_MIN {
            let e = ValueError::new(
                FieldCode::TooShort,
                format!("must be at least {FACILITY_TERM_MIN} characters"),
            );
            return Err(e.at(field).into());
        }
        Ok(Self::ByName(t))
    }
}

/// A parsed `GET /search_surgeon` query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurgeonQuery {
    pub search: SurgeonSearch,
    pub limit: SearchLimit,
}

impl SurgeonQuery {
    /// Parses all parameters, reporting every problem together.
    pub fn parse(
        first_name: Option<&str>,
        last_name: Option<&str>,
        limit: Option<&str>,
    ) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let search = SurgeonSearch::parse(first_name, last_name).map_err(|e| errors.extend(e)).ok();
        let limit = errors.check("limit", SearchLimit::parse(limit));
        match (search, limit) {
            (Some(search), Some(limit)) => Ok(Self { search, limit }),
            _ => Err(errors),
        }
    }
}

/// A parsed `GET /search_facility` query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacilityQuery {
    pub search: FacilitySearch,
    pub limit: SearchLimit,
}

impl FacilityQuery {
    /// Parses all parameters, reporting every problem together.
    pub fn parse(facility_name: Option<&str>, limit: Option<&str>) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let search = FacilitySearch::parse(facility_name).map_err(|e| errors.extend(e)).ok();
        let limit = errors.check("limit", SearchLimit::parse(limit));
        match (search, limit) {
            (Some(search), Some(limit)) => Ok(Self { search, limit }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(e: &ValidationErrors) -> Vec<(&str, FieldCode)> {
        e.iter().map(|e| (e.field.as_str(), e.code)).collect()
    }

    fn npi(n: u64) -> Npi {
        Npi::from_u64(n).unwrap()
    }

    #[test]
    fn limits() {
        let table: &[(Option<&str>, Result<u32, FieldCode>)] = &[
            (None, Ok(50)),
            (Some("1"), Ok(1)),
            (Some("200"), Ok(200)),
            (Some(" 200 "), Err(FieldCode::InvalidFormat)),
            (Some("201"), Err(FieldCode::OutOfRange)),
            (Some("0"), Err(FieldCode::OutOfRange)),
            (Some("-3"), Err(FieldCode::OutOfRange)),
            (Some("99999999999999999999999"), Err(FieldCode::OutOfRange)),
            (Some("ten"), Err(FieldCode::InvalidFormat)),
            (Some("1.5"), Err(FieldCode::InvalidFormat)),
            (Some("--"), Err(FieldCode::InvalidFormat)),
            (Some(""), Err(FieldCode::InvalidFormat)),
        ];
        for (raw, expected) in table {
            assert_eq!(
                SearchLimit::parse(*raw).map(SearchLimit::get).map_err(|e| e.code),
                *expected,
                "{raw:?}"
            );
        }
    }

    #[test]
    fn surgeon_searches() {
        let by_name = |f: &str, l: &str| SurgeonSearch::ByName {
            first_prefix: f.to_owned(),
            last_prefix: l.to_owned(),
        };
        type Row = (
            Option<&'static str>,
            Option<&'static str>,
            Result<SurgeonSearch, Vec<(&'static str, FieldCode)>>,
        );
        let table: &[Row] = &[
            (Some(" 1234567893 "), None, Ok(SurgeonSearch::ByNpi(npi(1_234_567_893)))),
            (Some("1234567893"), Some("ignored"), Ok(SurgeonSearch::ByNpi(npi(1_234_567_893)))),
            (Some("1234567890"), None, Err(vec![("first_name", FieldCode::InvalidNpi)])),
            (Some(" jo "), Some("smi"), Ok(by_name("JO", "SMI"))),
            (Some("Mary  Ann"), Some("o'neil"), Ok(by_name("MARY ANN", "O'NEIL"))),
            (Some("12345"), Some("x"), Ok(by_name("12345", "X"))),
            (Some("jo"), None, Err(vec![("last_name", FieldCode::Required)])),
            (Some("jo"), Some("  "), Err(vec![("last_name", FieldCode::Required)])),
            (None, None, Err(vec![("first_name", FieldCode::Required), ("last_name", FieldCode::Required)])),
            (Some("a\u{7}"), Some("b"), Err(vec![("first_name", FieldCode::InvalidCharacters)])),
        ];
        for (first, last, expected) in table {
            let got = SurgeonSearch::parse(*first, *last);
            let got = got.as_ref().map_err(fields);
            assert_eq!(got, expected.as_ref().map_err(Clone::clone), "{first:?} {last:?}");
        }
    }

    #[test]
    fn facility_searches() {
        let table: &[(Option<&str>, Result<FacilitySearch, FieldCode>)] = &[
            (Some("1003000126"), Ok(FacilitySearch::ByNpi(npi(1_003_000_126)))),
            (Some("1003000127"), Err(FieldCode::InvalidNpi)),
            (Some(" st mary "), Ok(FacilitySearch::ByName("ST MARY".to_owned()))),
            (Some("ab"), Ok(FacilitySearch::ByName("AB".to_owned()))),
            (Some(" a "), Err(FieldCode::TooShort)),
            (Some(""), Err(FieldCode::Required)),
            (None, Err(FieldCode::Required)),
        ];
        for (raw, expected) in table {
            let got = FacilitySearch::parse(*raw).map_err(|e| {
                assert_eq!(fields(&e).first().map(|f| f.0), Some("facility_name"));
                e.0[0].code
            });
            assert_eq!(&got, expected, "{raw:?}");
        }
    }

    #[test]
    fn queries_collect_every_problem() {
        let err = SurgeonQuery::parse(Some("jo"), None, Some("0")).unwrap_err();
        assert_eq!(fields(&err), vec![("last_name", FieldCode::Required), ("limit", FieldCode::OutOfRange)]);
        let q = SurgeonQuery::parse(Some("jo"), Some("sm"), None).unwrap();
        assert_eq!(q.limit, SearchLimit::DEFAULT);
        let err = FacilityQuery::parse(Some("x"), Some("abc")).unwrap_err();
        assert_eq!(
            fields(&err),
            vec![("facility_name", FieldCode::TooShort), ("limit", FieldCode::InvalidFormat)]
        );
        let q = FacilityQuery::parse(Some("mercy"), Some("10")).unwrap();
        assert_eq!((q.search, q.limit.get()), (FacilitySearch::ByName("MERCY".to_owned()), 10));
    }
}
