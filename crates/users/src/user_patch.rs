//! PATCH /user: the validated changes to one profile.

use serde::Deserialize;
use surgicase_kernel::{CaseStatus, Date, FieldCode, Npi, UserId, UserType, ValidationErrors, ValueError};

use crate::documents::{self, DocumentInput, UserDocumentChange};
use crate::field::ProfileField;
use crate::fields;
use crate::message_pref::MessagePref;
use crate::patch::Patch;
use crate::raw::TextOrInt;

/// The raw PATCH /user body. Absent and `null` are both `None` (unchanged).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct UserPatchInput {
    pub user_id: Option<String>,
    pub user_email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub addr1: Option<String>,
    pub addr2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zipcode: Option<String>,
    pub telephone: Option<TextOrInt>,
    pub user_npi: Option<TextOrInt>,
    pub referred_by_user: Option<String>,
    pub message_pref: Option<TextOrInt>,
    pub states_licensed: Option<String>,
    pub timezone: Option<String>,
    pub credentials: Option<String>,
    pub ins_exp_date: Option<String>,
    pub default_pagination_cases: Option<TextOrInt>,
    pub documents: Option<Vec<DocumentInput>>,
    pub user_type: Option<i64>,
    pub user_tier: Option<i64>,
    pub max_case_status: Option<i64>,
    /// Only `1` (reactivate) is accepted; the HTTP layer maps JSON `true` to 1.
    pub active: Option<i64>,
}

/// Valid changes to the profile `user_id`. Required fields are `Option` (they cannot be
/// cleared); clearable fields are [`Patch`]. Whether the caller may change each field, and
/// whether the type, status and time zone exist, is checked by the application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPatch {
    pub user_id: UserId,
    pub user_email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub addr1: Patch<String>,
    pub addr2: Patch<String>,
    pub city: Patch<String>,
    pub state: Patch<String>,
    pub zipcode: Patch<String>,
    pub telephone: Patch<u64>,
    pub user_npi: Patch<Npi>,
    pub referred_by_user: Patch<String>,
    pub message_pref: Option<MessagePref>,
    pub states_licensed: Patch<String>,
    pub timezone: Patch<String>,
    pub credentials: Patch<String>,
    pub ins_exp_date: Patch<Date>,
    pub default_pagination_cases: Patch<i32>,
    /// Per-type replacements and removals; types not listed are kept.
    pub documents: Vec<UserDocumentChange>,
    pub user_type: Option<UserType>,
    pub user_tier: Option<i32>,
    pub max_case_status: Option<CaseStatus>,
    /// `true` when the request reactivates the user (`active = 1`).
    pub reactivate: bool,
}

/// A clearable field: absent → unchanged, blank → clear, else validated.
fn patch<T, R: ?Sized>(
    errors: &mut ValidationErrors,
    field: &str,
    raw: Option<&R>,
    parse: impl FnOnce(&R) -> Result<Option<T>, ValueError>,
) -> Patch<T> {
    match raw {
        None => Patch::Unchanged,
        Some(raw) => match errors.check(field, parse(raw)) {
            Some(value) => Patch::from_value(value),
            None => Patch::Unchanged,
        },
    }
}

/// A required field: absent → unchanged, blank → `required`, else validated.
fn set<T, R: ?Sized>(
    errors: &mut ValidationErrors,
    field: &str,
    raw: Option<&R>,
    parse: impl FnOnce(&R) -> Result<T, ValueError>,
) -> Option<T> {
    raw.and_then(|raw| errors.check(field, parse(raw)))
}

fn active(raw: i64) -> Result<bool, ValueError> {
    if raw == 1 {
        Ok(true)
    } else {
        Err(ValueError::new(
            FieldCode::OutOfRange,
            "only 1 (reactivate) is accepted; use DELETE /user to deactivate",
        ))
    }
}

impl UserPatch {
    /// Validates every field, reporting all problems under their body names. A body that
    /// changes nothing is `no_fields_to_update` (field `""`).
    pub fn parse(input: &UserPatchInput) -> Result<UserPatch, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let i = input;
        let user_id = fields::required(&mut e, "user_id", i.user_id.as_deref(), UserId::parse);
        let user_email = set(&mut e, "user_email", i.user_email.as_deref(), surgicase_kernel::text::email);
        let first_name = set(&mut e, "first_name", i.first_name.as_deref(), fields::name);
        let last_name = set(&mut e, "last_name", i.last_name.as_deref(), fields::name);
        let addr1 = patch(&mut e, "addr1", i.addr1.as_deref(), fields::address_line);
        let addr2 = patch(&mut e, "addr2", i.addr2.as_deref(), fields::address_line);
        let city = patch(&mut e, "city", i.city.as_deref(), fields::address_line);
        let state = patch(&mut e, "state", i.state.as_deref(), fields::state);
        let zipcode = patch(&mut e, "zipcode", i.zipcode.as_deref(), fields::zipcode);
        let telephone = patch(&mut e, "telephone", i.telephone.as_ref(), fields::telephone);
        let user_npi = patch(&mut e, "user_npi", i.user_npi.as_ref(), fields::npi);
        let referred_by_user =
            patch(&mut e, "referred_by_user", i.referred_by_user.as_deref(), fields::referred_by);
        let message_pref = set(&mut e, "message_pref", i.message_pref.as_ref(), MessagePref::parse);
        let states_licensed =
            patch(&mut e, "states_licensed", i.states_licensed.as_deref(), fields::states_licensed);
        let timezone = patch(&mut e, "timezone", i.timezone.as_deref(), fields::timezone);
        let credentials = patch(&mut e, "credentials", i.credentials.as_deref(), fields::credentials);
        let ins_exp_date = patch(&mut e, "ins_exp_date", i.ins_exp_date.as_deref(), fields::date);
        let default_pagination_cases = patch(
            &mut e,
            "default_pagination_cases",
            i.default_pagination_cases.as_ref(),
            fields::pagination,
        );
        let documents = documents::changes(&mut e, i.documents.as_deref().unwrap_or_default());
        let user_type = i.user_type.and_then(|raw| e.check("user_type", UserType::new(raw)));
        let user_tier = i.user_tier.and_then(|raw| e.check("user_tier", fields::user_tier(raw)));
        let max_case_status =
            i.max_case_status.and_then(|raw| e.check("max_case_status", CaseStatus::new(raw)));
        let reactivate = i.active.and_then(|raw| e.check("active", active(raw))).unwrap_or(false);

        let Some(user_id) = user_id else { return Err(e) };
        let patch = UserPatch {
            user_id,
            user_email,
            first_name,
            last_name,
            addr1,
            addr2,
            city,
            state,
            zipcode,
            telephone,
            user_npi,
            referred_by_user,
            message_pref,
            states_licensed,
            timezone,
            credentials,
            ins_exp_date,
            default_pagination_cases,
            documents,
            user_type,
            user_tier,
            max_case_status,
            reactivate,
        };
        if e.is_empty() && patch.fields().is_empty() {
            e.push(ValueError::new(FieldCode::NoFieldsToUpdate, "no updatable field was sent").at(""));
        }
        e.into_result(patch)
    }

    /// The fields this request sets or clears, in API order (each to be checked with
    /// `surgicase_permissions::may_change_user_field`).
    pub fn fields(&self) -> Vec<ProfileField> {
        use ProfileField as F;
        let sent = [
            (F::UserEmail, self.user_email.is_some()),
            (F::FirstName, self.first_name.is_some()),
            (F::LastName, self.last_name.is_some()),
            (F::Addr1, !self.addr1.is_unchanged()),
            (F::Addr2, !self.addr2.is_unchanged()),
            (F::City, !self.city.is_unchanged()),
            (F::State, !self.state.is_unchanged()),
            (F::Zipcode, !self.zipcode.is_unchanged()),
            (F::Telephone, !self.telephone.is_unchanged()),
            (F::UserNpi, !self.user_npi.is_unchanged()),
            (F::ReferredByUser, !self.referred_by_user.is_unchanged()),
            (F::MessagePref, self.message_pref.is_some()),
            (F::StatesLicensed, !self.states_licensed.is_unchanged()),
            (F::Timezone, !self.timezone.is_unchanged()),
            (F::Credentials, !self.credentials.is_unchanged()),
            (F::InsExpDate, !self.ins_exp_date.is_unchanged()),
            (F::DefaultPaginationCases, !self.default_pagination_cases.is_unchanged()),
            (F::Documents, !self.documents.is_empty()),
            (F::UserType, self.user_type.is_some()),
            (F::UserTier, self.user_tier.is_some()),
            (F::MaxCaseStatus, self.max_case_status.is_some()),
            (F::Active, self.reactivate),
        ];
        sent.into_iter().filter(|(_, present)| *present).map(|(f, _)| f).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Option<String> {
        Some(v.to_owned())
    }

    fn base() -> UserPatchInput {
        UserPatchInput { user_id: s("u-jane"), ..UserPatchInput::default() }
    }

    fn errors(input: &UserPatchInput) -> Vec<(String, FieldCode)> {
        match UserPatch::parse(input) {
            Ok(_) => Vec::new(),
            Err(e) => e.iter().map(|f| (f.field.clone(), f.code)).collect(),
        }
    }

    #[test]
    fn tri_state_of_clearable_fields() {
        let input = UserPatchInput {
            addr1: s(" 2 Elm "),
            addr2: s(""),
            city: s("  "),
            telephone: Some("".into()),
            ..base()
        };
        let p = UserPatch::parse(&input);
        assert_eq!(p.as_ref().err(), None);
        let Ok(p) = p else { return };
        assert_eq!(p.addr1, Patch::Set("2 Elm".to_owned()));
        assert_eq!(p.addr2, Patch::Clear);
        assert_eq!(p.city, Patch::Clear);
        assert_eq!(p.telephone, Patch::Clear);
        assert_eq!(p.state, Patch::Unchanged);
        assert_eq!(p.user_email, None);
        assert_eq!(
            p.fields(),
            vec![ProfileField::Addr1, ProfileField::Addr2, ProfileField::City, ProfileField::Telephone]
        );
    }

    #[test]
    fn each_clearable_field_clears_with_an_empty_string() {
        let table: &[(ProfileField, UserPatchInput)] = &[
            (ProfileField::State, UserPatchInput { state: s(""), ..base() }),
            (ProfileField::Zipcode, UserPatchInput { zipcode: s(""), ..base() }),
            (ProfileField::UserNpi, UserPatchInput { user_npi: Some("".into()), ..base() }),
            (ProfileField::ReferredByUser, UserPatchInput { referred_by_user: s(""), ..base() }),
            (ProfileField::StatesLicensed, UserPatchInput { states_licensed: s(""), ..base() }),
            (ProfileField::Timezone, UserPatchInput { timezone: s(""), ..base() }),
            (ProfileField::Credentials, UserPatchInput { credentials: s(""), ..base() }),
            (ProfileField::InsExpDate, UserPatchInput { ins_exp_date: s(""), ..base() }),
            (
                ProfileField::DefaultPaginationCases,
                UserPatchInput { default_pagination_cases: Some("".into()), ..base() },
            ),
        ];
        for (field, input) in table {
            let p = UserPatch::parse(input);
            assert_eq!(p.map(|p| p.fields()).ok(), Some(vec![*field]), "{field}");
        }
    }

    #[test]
    fn clearing_a_required_field_is_required() {
        let table: &[(&str, UserPatchInput)] = &[
            ("user_email", UserPatchInput { user_email: s(""), ..base() }),
            ("first_name", UserPatchInput { first_name: s(" "), ..base() }),
            ("last_name", UserPatchInput { last_name: s(""), ..base() }),
            ("message_pref", UserPatchInput { message_pref: Some("".into()), ..base() }),
            ("user_id", UserPatchInput { user_id: None, first_name: s("A"), ..base() }),
        ];
        for (field, input) in table {
            assert_eq!(errors(input), vec![((*field).to_owned(), FieldCode::Required)], "{field}");
        }
    }

    #[test]
    fn nothing_to_update() {
        assert_eq!(errors(&base()), vec![(String::new(), FieldCode::NoFieldsToUpdate)]);
        let empty_docs = UserPatchInput { documents: Some(Vec::new()), ..base() };
        assert_eq!(errors(&empty_docs), vec![(String::new(), FieldCode::NoFieldsToUpdate)]);
    }

    #[test]
    fn role_fields_and_reactivation() {
        let input = UserPatchInput {
            user_type: Some(20),
            user_tier: Some(2),
            max_case_status: Some(500),
            active: Some(1),
            ..base()
        };
        let p = UserPatch::parse(&input);
        assert_eq!(
            p.map(|p| p.fields()).ok(),
            Some(vec![
                ProfileField::UserType,
                ProfileField::UserTier,
                ProfileField::MaxCaseStatus,
                ProfileField::Active
            ])
        );
        assert_eq!(
            errors(&UserPatchInput { active: Some(0), ..base() }),
            vec![("active".to_owned(), FieldCode::OutOfRange)]
        );
    }

    #[test]
    fn all_errors_are_collected() {
        let input = UserPatchInput {
            user_email: s("x@y"),
            first_name: s(&"n".repeat(101)),
            zipcode: s("ABCDE"),
            telephone: Some(TextOrInt::Int(123)),
            message_pref: Some("9".into()),
            ins_exp_date: s("2025-02-30"),
            user_tier: Some(0),
            documents: Some(vec![DocumentInput { document_type: None, document_name: s("a.pdf") }]),
            ..base()
        };
        let expected: Vec<(String, FieldCode)> = [
            ("user_email", FieldCode::InvalidFormat),
            ("first_name", FieldCode::TooLong),
            ("zipcode", FieldCode::InvalidFormat),
            ("telephone", FieldCode::InvalidFormat),
            ("message_pref", FieldCode::OutOfRange),
            ("ins_exp_date", FieldCode::InvalidDate),
            ("documents[0].document_type", FieldCode::Required),
            ("user_tier", FieldCode::OutOfRange),
        ]
        .into_iter()
        .map(|(f, c)| (f.to_owned(), c))
        .collect();
        assert_eq!(errors(&input), expected);
    }

    #[test]
    fn names_are_normalised_on_update() {
        let input = UserPatchInput { first_name: s("MCDONALD"), user_email: s(" a@b.co "), ..base() };
        let p = UserPatch::parse(&input).ok();
        assert_eq!(p.as_ref().and_then(|p| p.first_name.as_deref()), Some("McDonald"));
        assert_eq!(p.as_ref().and_then(|p| p.user_email.as_deref()), Some("a@b.co"));
    }

    #[test]
    fn null_and_absent_are_unchanged() {
        let json = r#"{"user_id":"u-jane","addr2":null,"city":"","first_name":null}"#;
        let input: Result<UserPatchInput, _> = serde_json::from_str(json);
        let p = input.ok().map(|i| UserPatch::parse(&i)).and_then(Result::ok);
        assert_eq!(p.map(|p| p.fields()), Some(vec![ProfileField::City]));
    }
}
