//! A profile body validated: the fields it sets or clears, each by its kind, and the documents
//! it attaches or removes (domain §4.2.1, §12, §14.3).

use surgicase_kernel::{CaseStatus, FieldCode, UserId, UserType, ValidationErrors, ValueError};

use crate::documents::{self, UserDocumentChange};
use crate::field::ProfileField;
use crate::input::ProfileInput;
use crate::kind::FieldKind;
use crate::value::ProfileValue;

/// Whether the body creates a profile or changes a stored one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `POST /user`: e-mail and names are required; a blank optional field is "not given";
    /// `active` cannot be sent.
    Create,
    /// `PATCH /user`: only what is sent changes; a blank optional field clears it.
    Update,
}

/// What a valid profile body sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileChanges {
    pub user_id: UserId,
    /// The fields set or cleared, in API order (never `documents`).
    pub values: Vec<(ProfileField, ProfileValue)>,
    /// Per-type attachments and removals; types not listed are kept.
    pub documents: Vec<UserDocumentChange>,
}

impl ProfileChanges {
    /// Validates every field, reporting all problems under their body names. An update that
    /// changes nothing is `no_fields_to_update` (field `""`).
    pub fn parse(input: &ProfileInput, mode: Mode) -> Result<ProfileChanges, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        input.unknown.report(&mut errors);
        let user_id = match &input.user_id {
            surgicase_kernel::Raw::Value(raw) => errors.check("user_id", UserId::parse(raw)),
            surgicase_kernel::Raw::Absent => {
                errors.push(ValueError::required().at("user_id"));
                None
            }
            surgicase_kernel::Raw::WrongType => {
                errors.push(ValueError::new(FieldCode::InvalidType, "must be a string").at("user_id"));
                None
            }
        };
        let mut values = Vec::new();
        let mut documents = Vec::new();
        for &field in ProfileField::ALL {
            let kind = field.kind();
            let Some(value) = input.get(field) else {
                if mode == Mode::Create && kind.is_required() {
                    errors.push(ValueError::required().at(field.as_str()));
                }
                continue;
            };
            if kind == FieldKind::Documents {
                documents = documents::changes(&mut errors, value);
                if mode == Mode::Create {
                    documents.retain(|d| d.document_name.is_some());
                }
                continue;
            }
            if mode == Mode::Create && kind == FieldKind::Active {
                errors.push(ValueError::new(FieldCode::ReadOnlyField, "a new user is active").at("active"));
                continue;
            }
            match kind.read(value) {
                Ok(Some(v)) => values.push((field, v)),
                // A blank: cleared by an update, not given on creation.
                Ok(None) if mode == Mode::Update => values.push((field, kind.cleared())),
                Ok(None) => {}
                Err(e) => errors.push(e.at(field.as_str())),
            }
        }
        let Some(user_id) = user_id else { return Err(errors) };
        let changes = ProfileChanges { user_id, values, documents };
        if mode == Mode::Update && errors.is_empty() && changes.fields().is_empty() {
            errors.push(ValueError::new(FieldCode::NoFieldsToUpdate, "no updatable field was sent").at(""));
        }
        errors.into_result(changes)
    }

    /// The value set for `field`, if any.
    pub fn get(&self, field: ProfileField) -> Option<&ProfileValue> {
        self.values.iter().find(|(f, _)| *f == field).map(|(_, v)| v)
    }

    /// The fields this body sets or clears, `documents` included (each to be checked with
    /// `surgicase_permissions::may_change_user_field`).
    pub fn fields(&self) -> Vec<ProfileField> {
        let mut fields: Vec<ProfileField> = self.values.iter().map(|(f, _)| *f).collect();
        if !self.documents.is_empty() {
            fields.push(ProfileField::Documents);
        }
        fields.sort();
        fields
    }

    pub fn user_type(&self) -> Option<UserType> {
        match self.get(ProfileField::UserType) {
            Some(ProfileValue::UserType(t)) => Some(*t),
            _ => None,
        }
    }

    pub fn user_tier(&self) -> Option<i32> {
        match self.get(ProfileField::UserTier) {
            Some(ProfileValue::Tier(t)) => Some(*t),
            _ => None,
        }
    }

    pub fn max_case_status(&self) -> Option<CaseStatus> {
        match self.get(ProfileField::MaxCaseStatus) {
            Some(ProfileValue::Cap(c)) => Some(*c),
            _ => None,
        }
    }

    /// The time zone set (not cleared), whose existence the application checks.
    pub fn timezone(&self) -> Option<&str> {
        match self.get(ProfileField::Timezone) {
            Some(ProfileValue::Text(Some(tz))) => Some(tz),
            _ => None,
        }
    }

    /// The e-mail, on creation (required there).
    pub fn email(&self) -> &str {
        match self.get(ProfileField::UserEmail) {
            Some(ProfileValue::Text(Some(email))) => email,
            _ => "",
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use surgicase_kernel::Npi;

    use super::*;
    use crate::message_pref::MessagePref;

    fn body(value: serde_json::Value) -> ProfileInput {
        serde_json::from_value(value).unwrap_or_default()
    }

    fn codes(input: &ProfileInput, mode: Mode) -> Vec<(String, FieldCode)> {
        match ProfileChanges::parse(input, mode) {
            Ok(_) => Vec::new(),
            Err(e) => e.iter().map(|f| (f.field.clone(), f.code)).collect(),
        }
    }

    #[test]
    fn a_new_profile_is_normalised() {
        let input = body(json!({
            "user_id": "u-jane", "user_email": " Jane.Doe@Example.com ", "first_name": "JANE",
            "last_name": "o'connor", "addr2": "", "telephone": 15_185_551_234_u64,
            "user_npi": "1234567893", "message_pref": "3", "states_licensed": "ny, nj ,ny",
            "documents": [{"document_type": "W9", "document_name": ""}, {"document_type": "DEA", "document_name": "d.png"}],
            "user_type": 10, "user_tier": 3, "max_case_status": 500
        }));
        let changes = ProfileChanges::parse(&input, Mode::Create).unwrap_or_else(|e| unreachable!("{e:?}"));
        let text = |s: &str| ProfileValue::Text(Some(s.to_owned()));
        assert_eq!(changes.get(ProfileField::UserEmail), Some(&text("Jane.Doe@Example.com")));
        assert_eq!(changes.get(ProfileField::FirstName), Some(&text("Jane")));
        assert_eq!(changes.get(ProfileField::LastName), Some(&text("O'Connor")));
        assert_eq!(changes.get(ProfileField::Addr2), None, "blank is not given on creation");
        assert_eq!(changes.get(ProfileField::Telephone), Some(&ProfileValue::Telephone(Some(5_185_551_234))));
        assert_eq!(
            changes.get(ProfileField::UserNpi),
            Some(&ProfileValue::Npi(Npi::parse("1234567893").ok()))
        );
        assert_eq!(
            changes.get(ProfileField::MessagePref),
            Some(&ProfileValue::MessagePref(MessagePref::Both))
        );
        assert_eq!(changes.get(ProfileField::StatesLicensed), Some(&text("NY,NJ")));
        assert_eq!(changes.documents.len(), 1, "a blank name attaches nothing on creation");
        assert_eq!(changes.user_type(), UserType::new(10).ok());
        assert_eq!((changes.user_tier(), changes.max_case_status()), (Some(3), CaseStatus::new(500).ok()));
        assert_eq!(changes.email(), "Jane.Doe@Example.com");
    }

    #[test]
    fn every_problem_is_reported_by_its_body_name() {
        let input = body(json!({
            "user_id": "not valid!", "first_name": " ", "zipcode": "1234", "user_npi": 1_234_567_890_u64,
            "message_pref": 9, "ins_exp_date": "2026-02-30", "default_pagination_cases": 0,
            "user_type": "10", "user_tier": 1001, "active": 1, "documents": [{"document_name": "x.pdf"}]
        }));
        assert_eq!(
            codes(&input, Mode::Create),
            vec![
                ("user_id".into(), FieldCode::InvalidCharacters),
                ("user_email".into(), FieldCode::Required),
                ("first_name".into(), FieldCode::Required),
                ("last_name".into(), FieldCode::Required),
                ("zipcode".into(), FieldCode::InvalidFormat),
                ("user_npi".into(), FieldCode::InvalidNpi),
                ("message_pref".into(), FieldCode::OutOfRange),
                ("ins_exp_date".into(), FieldCode::InvalidDate),
                ("default_pagination_cases".into(), FieldCode::OutOfRange),
                ("documents[0].document_type".into(), FieldCode::Required),
                ("user_type".into(), FieldCode::InvalidType),
                ("user_tier".into(), FieldCode::OutOfRange),
                ("active".into(), FieldCode::ReadOnlyField),
            ]
        );
    }

    #[test]
    fn updates_clear_blanks_and_need_a_change() {
        let input = body(json!({"user_id": "u-jane", "addr1": "", "city": null, "telephone": " "}));
        let changes = ProfileChanges::parse(&input, Mode::Update).unwrap_or_else(|e| unreachable!("{e:?}"));
        assert_eq!(
            changes.values,
            vec![
                (ProfileField::Addr1, ProfileValue::Text(None)),
                (ProfileField::Telephone, ProfileValue::Telephone(None))
            ]
        );
        assert_eq!(changes.fields(), vec![ProfileField::Addr1, ProfileField::Telephone]);
        assert_eq!(
            codes(&body(json!({"user_id": "u-jane", "first_name": ""})), Mode::Update),
            vec![("first_name".into(), FieldCode::Required)]
        );
        assert_eq!(
            codes(&body(json!({"user_id": "u-jane", "city": null})), Mode::Update),
            vec![(String::new(), FieldCode::NoFieldsToUpdate)]
        );
        assert_eq!(
            codes(&body(json!({"city": "Austin"})), Mode::Update),
            vec![("user_id".into(), FieldCode::Required)]
        );
        let reactivate =
            ProfileChanges::parse(&body(json!({"user_id": "u-jane", "active": true})), Mode::Update);
        assert_eq!(reactivate.map(|c| c.fields()), Ok(vec![ProfileField::Active]));
    }
}
