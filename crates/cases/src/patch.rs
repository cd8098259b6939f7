//! Validation of `PATCH /case` (api.md §2): flat patient fields, clearable `patient_dob` and
//! documents, and the date check against the stored case.

use serde::{Deserialize, Serialize};
use surgicase_kernel::input::de;
use surgicase_kernel::{
    CaseId, Date, FacilityId, FieldCode, Flag, RequestBody, SurgeonId, UnknownFields, UserId,
    ValidationErrors, ValueError,
};

use crate::codes::{AutoFixes, CodeListOutcome};
use crate::dates;
use crate::documents::{DocumentField, DocumentName};
use crate::duplicate::CaseCore;
use crate::input::{Patch, Raw, flag, patch_clearable, patch_required, required};
use crate::new_case::{code_list, code_lookup, facility_id, surgeon_id};
use crate::patient::{ins_provider, patient_name};

/// The body of `PATCH /case` as received; absent or `null` fields stay unchanged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = CasePatchBody))]
#[serde(default)]
pub struct CasePatchInput {
    /// The case to change.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::case_id, required = true))]
    pub case_id: Raw<String>,
    /// New owner (case admins only).
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::new_owner))]
    pub user_id: Raw<String>,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::case_date_change))]
    pub case_date: Raw<String>,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::address_book_id_change))]
    #[serde(deserialize_with = "de::text_or_number")]
    pub surgeon_id: Raw<String>,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::address_book_id_change))]
    #[serde(deserialize_with = "de::text_or_number")]
    pub facility_id: Raw<String>,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::patient_name_change))]
    pub patient_first: Raw<String>,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::patient_name_change))]
    pub patient_last: Raw<String>,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::ins_provider_change))]
    pub ins_provider: Raw<String>,
    /// `""` clears.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::patient_dob))]
    pub patient_dob: Raw<String>,
    /// Replaces the whole list; `[]` removes all codes.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::procedure_codes))]
    #[serde(deserialize_with = "de::string_items")]
    pub procedure_codes: Raw<Vec<Option<String>>>,
    /// `""` removes the document.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::document_name))]
    pub demo_file: Raw<String>,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::document_name))]
    pub note_file: Raw<String>,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::document_name))]
    pub misc_file: Raw<String>,
    /// Case admins only.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::document_name))]
    pub admin_file: Raw<String>,
    /// Save even when the result duplicates another active case of the owner.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::force_duplicate))]
    pub force_duplicate: Raw<Flag>,
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub unknown: UnknownFields,
}

/// The body names `PATCH /case` compares with the stored case (read-only fields of the case that clients send back: api.md §1.5).
pub const READ_ONLY_FIELDS: &[&str] = &[
    "case_status",
    "pay_amount",
    "pay_category",
    "biller_status",
    "dupe_flag",
    "phi_encrypted",
    "active",
    "case_create_ts",
    "case_updated_ts",
    "provider_submitted_ts",
    "billable_flag_ts",
    "docs_needed_ts",
    "submitted_ts",
    "pending_payment_ts",
    "paid_to_provider_ts",
    "sent_to_biller_ts",
    "received_pmnt_ts",
    "sent_to_negotiation_ts",
    "settled_ts",
    "sent_to_idr_ts",
    "idr_decision_ts",
    "rejected_ts",
    "closed_ts",
];

impl RequestBody for CasePatchInput {
    const ALSO_KNOWN: &'static [&'static str] = READ_ONLY_FIELDS;

    fn unknown_fields(&mut self) -> &mut UnknownFields {
        &mut self.unknown
    }
}

impl CasePatchInput {
    fn any_updatable(&self) -> bool {
        [
            &self.user_id,
            &self.case_date,
            &self.surgeon_id,
            &self.facility_id,
            &self.patient_first,
            &self.patient_last,
            &self.ins_provider,
            &self.patient_dob,
            &self.demo_file,
            &self.note_file,
            &self.misc_file,
            &self.admin_file,
        ]
        .iter()
        .any(|raw| raw.is_present())
            || self.procedure_codes.is_present()
    }
}

/// A validated case update; `None` / [`Patch::Unchanged`] leave the stored value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasePatch {
    pub case_id: CaseId,
    pub owner: Option<UserId>,
    pub case_date: Option<Date>,
    pub surgeon_id: Option<SurgeonId>,
    pub facility_id: Option<FacilityId>,
    pub patient_first: Option<String>,
    pub patient_last: Option<String>,
    pub ins_provider: Option<String>,
    pub patient_dob: Patch<Date>,
    /// The new code list after the pipeline of domain §9.2, when codes were sent.
    pub procedure_codes: Option<CodeListOutcome>,
    /// The document fields sent (set or cleared), in column order.
    pub documents: Vec<(DocumentField, Patch<DocumentName>)>,
    /// Save even over a detected duplicate (domain §10.3).
    pub force_duplicate: bool,
}

impl CasePatch {
    /// The codes to look up in the auto-fix map before [`CasePatch::validate`].
    pub fn code_lookup(input: &CasePatchInput) -> Vec<String> {
        code_lookup(&input.procedure_codes)
    }

    /// Validates every field sent, the code list included, and reports all problems together;
    /// a body without any updatable field is `no_fields_to_update`. `today` bounds a new case
    /// date; `fixes` holds the auto-fix entries of [`CasePatch::code_lookup`].
    pub fn validate(
        input: &CasePatchInput,
        today: Date,
        fixes: &AutoFixes,
    ) -> Result<CasePatch, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        input.unknown.report(&mut errors);
        let case_id = required(&mut errors, "case_id", &input.case_id, CaseId::parse);
        if !input.any_updatable() {
            errors.push(ValueError::new(FieldCode::NoFieldsToUpdate, "no updatable field was sent").at(""));
            return Err(errors);
        }
        let owner = patch_required(&mut errors, "user_id", &input.user_id, UserId::parse);
        let case_date =
            patch_required(&mut errors, "case_date", &input.case_date, |s| dates::case_date(s, today));
        let surgeon = patch_required(&mut errors, "surgeon_id", &input.surgeon_id, surgeon_id);
        let facility = patch_required(&mut errors, "facility_id", &input.facility_id, facility_id);
        let first = patch_required(&mut errors, "patient_first", &input.patient_first, patient_name);
        let last = patch_required(&mut errors, "patient_last", &input.patient_last, patient_name);
        let ins = patch_required(&mut errors, "ins_provider", &input.ins_provider, ins_provider);
        // Against the stored date too, later: see `check_dates_against`.
        let new_date = case_date.flatten();
        let dob = patch_clearable(&mut errors, "patient_dob", &input.patient_dob, |s| {
            dates::patient_dob(s, new_date)
        });
        let codes = code_list(&mut errors, &input.procedure_codes, fixes);
        let force_duplicate = flag(&mut errors, "force_duplicate", &input.force_duplicate);

        let mut documents = Vec::new();
        let sent = [
            (DocumentField::DemoFile, &input.demo_file),
            (DocumentField::NoteFile, &input.note_file),
            (DocumentField::MiscFile, &input.misc_file),
            (DocumentField::AdminFile, &input.admin_file),
        ];
        for (field, raw) in sent {
            match patch_clearable(&mut errors, field.as_str(), raw, DocumentName::parse) {
                Some(Patch::Unchanged) | None => {}
                Some(patch) => documents.push((field, patch)),
            }
        }

        match (case_id, owner, case_date, surgeon, facility, first, last, ins, dob, codes) {
            (
                Some(case_id),
                Some(owner),
                Some(case_date),
                Some(surgeon_id),
                Some(facility_id),
                Some(patient_first),
                Some(patient_last),
                Some(ins_provider),
                Some(patient_dob),
                Some(procedure_codes),
            ) if errors.is_empty() => Ok(CasePatch {
                case_id,
                owner,
                case_date,
                surgeon_id,
                facility_id,
                patient_first,
                patient_last,
                ins_provider,
                patient_dob,
                procedure_codes,
                documents,
                force_duplicate,
            }),
            _ => Err(errors),
        }
    }

    /// The requested change of one document field.
    pub fn document(&self, field: DocumentField) -> Patch<&DocumentName> {
        self.documents.iter().find(|(f, _)| *f == field).map_or(Patch::Unchanged, |(_, p)| p.as_ref())
    }

    /// The case date after the update.
    pub fn resulting_case_date(&self, stored: Date) -> Date {
        self.case_date.unwrap_or(stored)
    }

    /// The date of birth after the update.
    pub fn resulting_dob(&self, stored: Option<Date>) -> Option<Date> {
        self.patient_dob.clone().apply(stored)
    }

    /// Checks the merged result: the resulting date of birth may not be after the resulting
    /// case date. Checked only when the update touches either date (stored legacy data is not
    /// re-judged); the error names `patient_dob` when it was sent, else `case_date`.
    pub fn check_dates_against(
        &self,
        stored_case_date: Date,
        stored_dob: Option<Date>,
    ) -> Result<(), ValidationErrors> {
        if self.case_date.is_none() && self.patient_dob.is_unchanged() {
            return Ok(());
        }
        let case_date = self.resulting_case_date(stored_case_date);
        let Some(dob) = self.resulting_dob(stored_dob) else {
            return Ok(());
        };
        if dob <= case_date {
            return Ok(());
        }
        let error = if matches!(self.patient_dob, Patch::Set(_)) {
            ValueError::new(FieldCode::InvalidDate, format!("must not be after the case date {case_date}"))
                .at("patient_dob")
        } else {
            ValueError::new(
                FieldCode::InvalidDate,
                format!("must not be before the patient's date of birth {dob}"),
            )
            .at("case_date")
        };
        Err(error.into())
    }

    /// The duplicate-detection fields after the update (`owner` stays unless a new one is sent).
    pub fn apply_to_core(&self, old: &CaseCore) -> CaseCore {
        CaseCore {
            owner: self.owner.clone().unwrap_or_else(|| old.owner.clone()),
            case_date: self.resulting_case_date(old.case_date),
            patient_first: self.patient_first.clone().unwrap_or_else(|| old.patient_first.clone()),
            patient_last: self.patient_last.clone().unwrap_or_else(|| old.patient_last.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use surgicase_kernel::time::parse_date;

    use super::*;
    use crate::duplicate::duplicate_check_needed;

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    fn today() -> Date {
        d("2025-03-03")
    }

    fn base() -> CasePatchInput {
        CasePatchInput { case_id: "c-1".into(), ..CasePatchInput::default() }
    }

    fn errors_of(input: &CasePatchInput) -> Vec<(String, FieldCode)> {
        match CasePatch::validate(input, today(), &AutoFixes::default()) {
            Ok(_) => Vec::new(),
            Err(e) => e.iter().map(|e| (e.field.clone(), e.code)).collect(),
        }
    }

    fn valid(input: &CasePatchInput) -> CasePatch {
        CasePatch::validate(input, today(), &AutoFixes::default()).unwrap()
    }

    #[test]
    fn nothing_to_update() {
        assert_eq!(errors_of(&base()), vec![(String::new(), FieldCode::NoFieldsToUpdate)]);
        let no_id = CasePatchInput::default();
        assert_eq!(
            errors_of(&no_id),
            vec![("case_id".to_owned(), FieldCode::Required), (String::new(), FieldCode::NoFieldsToUpdate)]
        );
        // A field sent with an invalid value is present: its own error is reported instead.
        let bad = CasePatchInput { case_date: Raw::WrongType, ..base() };
        assert_eq!(errors_of(&bad), vec![("case_date".to_owned(), FieldCode::InvalidType)]);
    }

    #[test]
    fn fields_sent_are_parsed() {
        let input = CasePatchInput {
            user_id: "u-bob".into(),
            case_date: "2025-03-01".into(),
            surgeon_id: "100001".into(),
            facility_id: "1000001".into(),
            patient_first: "JOHN".into(),
            patient_last: "mcdonald".into(),
            ins_provider: " Aetna ".into(),
            patient_dob: "1970-01-01".into(),
            procedure_codes: Raw::Value(vec![]),
            note_file: "".into(),
            admin_file: "bill.png".into(),
            ..base()
        };
        let patch = valid(&input);
        assert_eq!(patch.case_id.as_str(), "c-1");
        assert_eq!(patch.owner.as_ref().map(UserId::as_str), Some("u-bob"));
        assert_eq!(patch.case_date, Some(d("2025-03-01")));
        assert_eq!(patch.surgeon_id.map(SurgeonId::get), Some(100001));
        assert_eq!(patch.facility_id.map(FacilityId::get), Some(1000001));
        assert_eq!(patch.patient_first.as_deref(), Some("John"));
        assert_eq!(patch.patient_last.as_deref(), Some("McDonald"));
        assert_eq!(patch.ins_provider.as_deref(), Some("Aetna"));
        assert_eq!(patch.patient_dob, Patch::Set(d("1970-01-01")));
        assert_eq!(patch.procedure_codes.as_ref().map(|c| c.codes.len()), Some(0));
        assert_eq!(patch.document(DocumentField::NoteFile), Patch::Clear);
        assert_eq!(patch.document(DocumentField::AdminFile).map_name(), Some("bill.png"));
        assert_eq!(patch.document(DocumentField::DemoFile), Patch::Unchanged);
    }

    trait NameOf {
        fn map_name(&self) -> Option<&str>;
    }

    impl NameOf for Patch<&DocumentName> {
        fn map_name(&self) -> Option<&str> {
            match self {
                Patch::Set(name) => Some(name.as_str()),
                _ => None,
            }
        }
    }

    #[test]
    fn clearing_rules() {
        let table: &[(CasePatchInput, &[(&str, FieldCode)])] = &[
            (CasePatchInput { patient_dob: "".into(), ..base() }, &[]),
            (CasePatchInput { demo_file: "".into(), ..base() }, &[]),
            (
                CasePatchInput { patient_first: "".into(), ..base() },
                &[("patient_first", FieldCode::Required)],
            ),
            (
                CasePatchInput { patient_last: "  ".into(), ..base() },
                &[("patient_last", FieldCode::Required)],
            ),
            (CasePatchInput { ins_provider: "".into(), ..base() }, &[("ins_provider", FieldCode::Required)]),
            (CasePatchInput { case_date: "".into(), ..base() }, &[("case_date", FieldCode::Required)]),
            (CasePatchInput { surgeon_id: "".into(), ..base() }, &[("surgeon_id", FieldCode::Required)]),
            (CasePatchInput { user_id: "".into(), ..base() }, &[("user_id", FieldCode::Required)]),
            (
                CasePatchInput { demo_file: " x.pdf".into(), ..base() },
                &[("demo_file", FieldCode::InvalidFormat)],
            ),
            (
                CasePatchInput { case_date: "2026-03-04".into(), ..base() },
                &[("case_date", FieldCode::InvalidDate)],
            ),
            (
                CasePatchInput { case_date: "2025-01-01".into(), patient_dob: "2025-01-02".into(), ..base() },
                &[("patient_dob", FieldCode::InvalidDate)],
            ),
            (
                CasePatchInput { procedure_codes: Raw::Value(vec![Some(" ".to_owned())]), ..base() },
                &[("procedure_codes[0]", FieldCode::Required)],
            ),
        ];
        for (i, (input, expected)) in table.iter().enumerate() {
            let expected: Vec<_> = expected.iter().map(|(f, c)| ((*f).to_owned(), *c)).collect();
            assert_eq!(errors_of(input), expected, "row {i}");
        }
        assert_eq!(valid(&CasePatchInput { patient_dob: "".into(), ..base() }).patient_dob, Patch::Clear);
    }

    #[test]
    fn merged_dates() {
        let stored_date = d("2025-03-03");
        let stored_dob = Some(d("2025-02-01"));
        // (case_date sent, dob sent, expected error field)
        let table: &[(&str, &str, Option<&str>)] = &[
            ("2025-01-01", "", None),                 // dob cleared
            ("2025-01-01", "-", Some("case_date")),   // stored dob after the new date
            ("-", "2025-03-04", Some("patient_dob")), // new dob after the stored date
            ("-", "2025-03-03", None),
            ("2025-02-01", "-", None),
            ("2025-01-01", "2024-12-31", None),
        ];
        for (date, dob, expected) in table {
            let input = CasePatchInput {
                case_date: if *date == "-" { Raw::Absent } else { (*date).into() },
                patient_dob: if *dob == "-" { Raw::Absent } else { (*dob).into() },
                ..base()
            };
            let patch = valid(&input);
            let got = patch.check_dates_against(stored_date, stored_dob).err().map(|e| e.0[0].field.clone());
            assert_eq!(got.as_deref(), *expected, "{date} {dob}");
        }
        // Untouched dates are not re-judged, even if the stored pair is inconsistent.
        let patch = valid(&CasePatchInput { ins_provider: "Aetna".into(), ..base() });
        assert!(patch.check_dates_against(d("2020-01-01"), Some(d("2021-01-01"))).is_ok());
    }

    #[test]
    fn core_after_update() {
        let old = CaseCore {
            owner: UserId::parse("u-jane").unwrap(),
            case_date: d("2025-03-03"),
            patient_first: "Mary-Ann".to_owned(),
            patient_last: "O'Neil".to_owned(),
        };
        let unchanged = valid(&CasePatchInput { ins_provider: "Aetna".into(), ..base() });
        assert!(!duplicate_check_needed(&old, &unchanged.apply_to_core(&old)));
        let renamed = valid(&CasePatchInput { patient_last: "Smith".into(), ..base() });
        let new = renamed.apply_to_core(&old);
        assert_eq!(new.patient_last, "Smith");
        assert!(duplicate_check_needed(&old, &new));
        let moved = valid(&CasePatchInput { user_id: "u-bob".into(), ..base() });
        assert_eq!(moved.apply_to_core(&old).owner.as_str(), "u-bob");
    }
}
