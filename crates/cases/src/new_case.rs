//! Validation of `POST /case` (domain §10.1, api.md §2).

use serde::{Deserialize, Serialize};
use surgicase_kernel::input::de;
use surgicase_kernel::{
    CaseId, Date, FacilityId, Flag, RequestBody, SurgeonId, UnknownFields, UserId, ValidationErrors,
    ValueError,
};

use crate::codes::{AutoFixes, CodeListOutcome, lookup_entries, process_codes};
use crate::dates;
use crate::documents::{DocumentField, DocumentName};
use crate::duplicate::CaseCore;
use crate::input::{Raw, flag, invalid_type, optional, positive_id, required};
use crate::patient::{Patient, PatientInput, ins_provider, patient_name};

/// The body of `POST /case` as received: every field as sent, read without failing (wrong
/// JSON types are reported by [`NewCase::validate`] with every other problem).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = NewCaseBody))]
#[serde(default)]
pub struct NewCaseInput {
    /// The owner; absent or blank means the caller (acting on another user needs CA).
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::owner))]
    pub user_id: Raw<String>,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::case_id, required = true))]
    pub case_id: Raw<String>,
    /// 2000-01-01 to today + 365 days.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::case_date, required = true))]
    pub case_date: Raw<String>,
    /// In the owner's address book.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::address_book_id, required = true))]
    #[serde(deserialize_with = "de::text_or_number")]
    pub surgeon_id: Raw<String>,
    /// In the owner's address book.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::address_book_id, required = true))]
    #[serde(deserialize_with = "de::text_or_number")]
    pub facility_id: Raw<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = PatientInput, required = true))]
    pub patient: Raw<PatientInput>,
    /// 1900-01-01 to the case date.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::patient_dob))]
    pub patient_dob: Raw<String>,
    /// Each entry `None` when it was not a JSON string.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::procedure_codes))]
    #[serde(deserialize_with = "de::string_items")]
    pub procedure_codes: Raw<Vec<Option<String>>>,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::document_name))]
    pub demo_file: Raw<String>,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::document_name))]
    pub note_file: Raw<String>,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::document_name))]
    pub misc_file: Raw<String>,
    /// Create even when the owner has an active case of this patient on this date.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::force_duplicate))]
    pub force_duplicate: Raw<Flag>,
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub unknown: UnknownFields,
}

impl RequestBody for NewCaseInput {
    fn unknown_fields(&mut self) -> &mut UnknownFields {
        &mut self.unknown
    }
}

/// A validated new case. Existence of the owner, surgeon and facility, the case id's
/// uniqueness, the auto-fix step of the codes and the documents' objects are checked by the
/// use case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    /// `None`: the actor owns the case.
    pub owner: Option<UserId>,
    pub case_id: CaseId,
    pub case_date: Date,
    pub surgeon_id: SurgeonId,
    pub facility_id: FacilityId,
    pub patient: Patient,
    /// The code list after the pipeline of domain §9.2; `None` when no codes were given.
    pub procedure_codes: Option<CodeListOutcome>,
    /// Documents named in the body (legacy flow), in column order.
    pub documents: Vec<(DocumentField, DocumentName)>,
    /// Create even over a detected duplicate (domain §10.3).
    pub force_duplicate: bool,
}

pub(crate) fn surgeon_id(raw: &str) -> Result<SurgeonId, ValueError> {
    SurgeonId::new(positive_id(raw)?)
}

pub(crate) fn facility_id(raw: &str) -> Result<FacilityId, ValueError> {
    FacilityId::new(positive_id(raw)?)
}

/// The code pipeline on a body field; `None` means an error was recorded.
pub(crate) fn code_list(
    errors: &mut ValidationErrors,
    raw: &Raw<Vec<Option<String>>>,
    fixes: &AutoFixes,
) -> Option<Option<CodeListOutcome>> {
    match raw {
        Raw::Absent => Some(None),
        Raw::WrongType => {
            errors.push(invalid_type("an array of strings").at("procedure_codes"));
            None
        }
        Raw::Value(entries) => match process_codes(entries, fixes) {
            Ok(outcome) => Some(Some(outcome)),
            Err(e) => {
                errors.extend(e);
                None
            }
        },
    }
}

/// What the auto-fix map must be asked for before a body with this code field is validated.
pub(crate) fn code_lookup(raw: &Raw<Vec<Option<String>>>) -> Vec<String> {
    match raw {
        Raw::Value(entries) => lookup_entries(entries),
        _ => Vec::new(),
    }
}

impl NewCase {
    /// The codes to look up in the auto-fix map before [`NewCase::validate`].
    pub fn code_lookup(input: &NewCaseInput) -> Vec<String> {
        code_lookup(&input.procedure_codes)
    }

    /// Validates every field, the code list included, and reports all problems together, before
    /// anything about stored cases is asked. `today` bounds the case date; `fixes` holds the
    /// auto-fix entries of [`NewCase::code_lookup`].
    pub fn validate(
        input: &NewCaseInput,
        today: Date,
        fixes: &AutoFixes,
    ) -> Result<NewCase, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        input.unknown.report(&mut errors);
        let owner = optional(&mut errors, "user_id", &input.user_id, UserId::parse);
        let case_id = required(&mut errors, "case_id", &input.case_id, CaseId::parse);
        let case_date = required(&mut errors, "case_date", &input.case_date, |s| dates::case_date(s, today));
        let surgeon = required(&mut errors, "surgeon_id", &input.surgeon_id, surgeon_id);
        let facility = required(&mut errors, "facility_id", &input.facility_id, facility_id);

        let names = match &input.patient {
            Raw::Absent => {
                errors.push(ValueError::required().at("patient"));
                None
            }
            Raw::WrongType => {
                errors.push(invalid_type("an object").at("patient"));
                None
            }
            Raw::Value(p) => {
                let first = required(&mut errors, "patient.first", &p.first, patient_name);
                let last = required(&mut errors, "patient.last", &p.last, patient_name);
                let ins = required(&mut errors, "patient.ins_provider", &p.ins_provider, ins_provider);
                first.zip(last).zip(ins)
            }
        };
        let dob =
            optional(&mut errors, "patient_dob", &input.patient_dob, |s| dates::patient_dob(s, case_date));
        let codes = code_list(&mut errors, &input.procedure_codes, fixes);

        let mut documents = Vec::new();
        let named = [
            (DocumentField::DemoFile, &input.demo_file),
            (DocumentField::NoteFile, &input.note_file),
            (DocumentField::MiscFile, &input.misc_file),
        ];
        for (field, raw) in named {
            if let Some(Some(name)) = optional(&mut errors, field.as_str(), raw, DocumentName::parse) {
                documents.push((field, name));
            }
        }
        let force_duplicate = flag(&mut errors, "force_duplicate", &input.force_duplicate);

        match (owner, case_id, case_date, surgeon, facility, names, dob, codes) {
            (
                Some(owner),
                Some(case_id),
                Some(case_date),
                Some(surgeon_id),
                Some(facility_id),
                Some(((first, last), ins)),
                Some(dob),
                Some(codes),
            ) if errors.is_empty() => Ok(NewCase {
                owner,
                case_id,
                case_date,
                surgeon_id,
                facility_id,
                patient: Patient::from_valid(first, last, ins, dob),
                procedure_codes: codes,
                documents,
                force_duplicate,
            }),
            _ => Err(errors),
        }
    }

    /// The fields duplicate detection looks at, once the owner is resolved.
    pub fn core(&self, owner: UserId) -> CaseCore {
        CaseCore {
            owner,
            case_date: self.case_date,
            patient_first: self.patient.first().to_owned(),
            patient_last: self.patient.last().to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use surgicase_kernel::FieldCode;
    use surgicase_kernel::time::parse_date;

    use super::*;

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    fn today() -> Date {
        d("2025-03-03")
    }

    fn valid_input() -> NewCaseInput {
        NewCaseInput {
            case_id: "u-jane_1741000000000".into(),
            case_date: "2025-03-03".into(),
            surgeon_id: "100000".into(),
            facility_id: "1000000".into(),
            patient: Raw::Value(PatientInput {
                first: "  MARY-ANN ".into(),
                last: "o'neil".into(),
                ins_provider: " Blue  Cross ".into(),
            }),
            patient_dob: "1960-03-15".into(),
            procedure_codes: Raw::Value(vec![Some(" 27447".to_owned()), Some("29881".to_owned())]),
            demo_file: "demo.pdf".into(),
            note_file: "".into(),
            ..NewCaseInput::default()
        }
    }

    fn errors_of(input: &NewCaseInput) -> Vec<(String, FieldCode)> {
        match NewCase::validate(input, today(), &AutoFixes::default()) {
            Ok(_) => Vec::new(),
            Err(e) => e.iter().map(|e| (e.field.clone(), e.code)).collect(),
        }
    }

    #[test]
    fn a_valid_case() {
        let case = NewCase::validate(&valid_input(), today(), &AutoFixes::default()).unwrap();
        assert_eq!(case.owner, None);
        assert_eq!(case.case_id.as_str(), "u-jane_1741000000000");
        assert_eq!(case.surgeon_id.get(), 100000);
        assert_eq!(case.facility_id.get(), 1000000);
        assert_eq!((case.patient.first(), case.patient.last()), ("Mary-Ann", "O'Neil"));
        assert_eq!(case.patient.ins_provider(), "Blue Cross");
        assert_eq!(case.patient.dob(), Some(d("1960-03-15")));
        assert_eq!(
            case.procedure_codes.map(|c| c.code_strings()),
            Some(vec!["27447".to_owned(), "29881".to_owned()])
        );
        assert_eq!(case.documents.len(), 1);
        assert_eq!(case.documents[0].0, DocumentField::DemoFile);
        assert_eq!(case.documents[0].1.as_str(), "demo.pdf");
    }

    #[test]
    fn minimal_case_and_owner() {
        let input = NewCaseInput {
            user_id: "u-bob".into(),
            patient_dob: Raw::Absent,
            procedure_codes: Raw::Absent,
            demo_file: Raw::Absent,
            ..valid_input()
        };
        let case = NewCase::validate(&input, today(), &AutoFixes::default()).unwrap();
        assert_eq!(case.owner.as_ref().map(UserId::as_str), Some("u-bob"));
        assert_eq!(case.patient.dob(), None);
        assert!(case.procedure_codes.is_none());
        assert!(case.documents.is_empty());
        assert_eq!(case.core(UserId::parse("u-bob").unwrap()).patient_first, "Mary-Ann");
    }

    #[test]
    fn all_errors_are_collected() {
        let input = NewCaseInput {
            user_id: "bad id".into(),
            case_id: Raw::Absent,
            case_date: "2025-02-30".into(),
            surgeon_id: "0".into(),
            facility_id: Raw::WrongType,
            patient: Raw::Value(PatientInput {
                first: " ".into(),
                last: Raw::Absent,
                ins_provider: Raw::WrongType,
            }),
            patient_dob: "1899-12-31".into(),
            procedure_codes: Raw::Value(vec![None, Some("".to_owned())]),
            demo_file: "../x.pdf".into(),
            note_file: "x.exe".into(),
            misc_file: Raw::WrongType,
            force_duplicate: Raw::WrongType,
            unknown: UnknownFields::new(vec!["patient.middle".to_owned()]),
        };
        let s = |f: &str, c| (f.to_owned(), c);
        assert_eq!(
            errors_of(&input),
            vec![
                s("patient.middle", FieldCode::UnknownField),
                s("user_id", FieldCode::InvalidCharacters),
                s("case_id", FieldCode::Required),
                s("case_date", FieldCode::InvalidDate),
                s("surgeon_id", FieldCode::OutOfRange),
                s("facility_id", FieldCode::InvalidType),
                s("patient.first", FieldCode::Required),
                s("patient.last", FieldCode::Required),
                s("patient.ins_provider", FieldCode::InvalidType),
                s("patient_dob", FieldCode::InvalidDate),
                s("procedure_codes[0]", FieldCode::InvalidType),
                s("procedure_codes[1]", FieldCode::Required),
                s("demo_file", FieldCode::InvalidCharacters),
                s("note_file", FieldCode::InvalidFormat),
                s("misc_file", FieldCode::InvalidType),
                s("force_duplicate", FieldCode::InvalidType),
            ]
        );
    }

    #[test]
    fn single_field_rules() {
        type Edit = fn(&mut NewCaseInput);
        let table: &[(Edit, &[(&str, FieldCode)])] = &[
            (|i| i.patient = Raw::Absent, &[("patient", FieldCode::Required)]),
            (|i| i.patient = Raw::WrongType, &[("patient", FieldCode::InvalidType)]),
            (|i| i.case_date = "2026-03-04".into(), &[("case_date", FieldCode::InvalidDate)]),
            (|i| i.case_date = "1999-12-31".into(), &[("case_date", FieldCode::InvalidDate)]),
            (|i| i.case_date = "2026-03-03".into(), &[]),
            (|i| i.patient_dob = "2025-03-04".into(), &[("patient_dob", FieldCode::InvalidDate)]),
            (|i| i.patient_dob = "2025-03-03".into(), &[]),
            (|i| i.procedure_codes = Raw::WrongType, &[("procedure_codes", FieldCode::InvalidType)]),
            (|i| i.surgeon_id = "abc".into(), &[("surgeon_id", FieldCode::InvalidType)]),
            (|i| i.facility_id = "-1".into(), &[("facility_id", FieldCode::OutOfRange)]),
            (|i| i.case_id = "".into(), &[("case_id", FieldCode::Required)]),
        ];
        for (i, (edit, expected)) in table.iter().enumerate() {
            let mut input = valid_input();
            edit(&mut input);
            let expected: Vec<_> = expected.iter().map(|(f, c)| ((*f).to_owned(), *c)).collect();
            assert_eq!(errors_of(&input), expected, "row {i}");
        }
    }
}
