//! POST /user: the validated new profile.

use serde::Deserialize;
use surgicase_kernel::{CaseStatus, Date, Npi, UserId, UserType, ValidationErrors};

use crate::documents::{self, DocumentInput, UserDocumentByName};
use crate::fields;
use crate::message_pref::MessagePref;
use crate::raw::TextOrInt;

/// The raw POST /user body. Absent and `null` are both `None`; for optional fields a blank
/// string is the same as absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct NewUserInput {
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
}

/// A valid new profile. `user_type`, `user_tier` and `max_case_status` are `None` when not
/// sent: the application applies the defaults (type 1, [`crate::assign_tier`],
/// [`crate::initial_cap`]) after checking who may set them and that the type and status exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub user_id: UserId,
    pub user_email: String,
    pub first_name: String,
    pub last_name: String,
    pub addr1: Option<String>,
    pub addr2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zipcode: Option<String>,
    pub telephone: Option<u64>,
    pub user_npi: Option<Npi>,
    pub referred_by_user: Option<String>,
    pub message_pref: MessagePref,
    pub states_licensed: Option<String>,
    pub timezone: Option<String>,
    pub credentials: Option<String>,
    pub ins_exp_date: Option<Date>,
    pub default_pagination_cases: Option<i32>,
    pub documents: Vec<UserDocumentByName>,
    pub user_type: Option<UserType>,
    pub user_tier: Option<i32>,
    pub max_case_status: Option<CaseStatus>,
}

impl NewUser {
    /// Validates every field, reporting all problems under their body names.
    pub fn parse(input: &NewUserInput) -> Result<NewUser, ValidationErrors> {
        use fields::{optional, required};
        let mut e = ValidationErrors::new();
        let i = input;
        let user_id = required(&mut e, "user_id", i.user_id.as_deref(), UserId::parse);
        let user_email =
            required(&mut e, "user_email", i.user_email.as_deref(), surgicase_kernel::text::email);
        let first_name = required(&mut e, "first_name", i.first_name.as_deref(), fields::name);
        let last_name = required(&mut e, "last_name", i.last_name.as_deref(), fields::name);
        let addr1 = optional(&mut e, "addr1", i.addr1.as_deref(), fields::address_line);
        let addr2 = optional(&mut e, "addr2", i.addr2.as_deref(), fields::address_line);
        let city = optional(&mut e, "city", i.city.as_deref(), fields::address_line);
        let state = optional(&mut e, "state", i.state.as_deref(), fields::state);
        let zipcode = optional(&mut e, "zipcode", i.zipcode.as_deref(), fields::zipcode);
        let telephone = optional(&mut e, "telephone", i.telephone.as_ref(), fields::telephone);
        let user_npi = optional(&mut e, "user_npi", i.user_npi.as_ref(), fields::npi);
        let referred_by_user =
            optional(&mut e, "referred_by_user", i.referred_by_user.as_deref(), fields::referred_by);
        let message_pref = optional(&mut e, "message_pref", i.message_pref.as_ref(), |raw: &TextOrInt| {
            if raw.is_blank() { Ok(None) } else { MessagePref::parse(raw).map(Some) }
        });
        let states_licensed =
            optional(&mut e, "states_licensed", i.states_licensed.as_deref(), fields::states_licensed);
        let timezone = optional(&mut e, "timezone", i.timezone.as_deref(), fields::timezone);
        let credentials = optional(&mut e, "credentials", i.credentials.as_deref(), fields::credentials);
        let ins_exp_date = optional(&mut e, "ins_exp_date", i.ins_exp_date.as_deref(), fields::date);
        let default_pagination_cases = optional(
            &mut e,
            "default_pagination_cases",
            i.default_pagination_cases.as_ref(),
            fields::pagination,
        );
        let documents = documents::by_name(&mut e, i.documents.as_deref().unwrap_or_default());
        let user_type = i.user_type.and_then(|raw| e.check("user_type", UserType::new(raw)));
        let user_tier = i.user_tier.and_then(|raw| e.check("user_tier", fields::user_tier(raw)));
        let max_case_status =
            i.max_case_status.and_then(|raw| e.check("max_case_status", CaseStatus::new(raw)));

        let (Some(user_id), Some(user_email), Some(first_name), Some(last_name)) =
            (user_id, user_email, first_name, last_name)
        else {
            return Err(e);
        };
        e.into_result(NewUser {
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
            message_pref: message_pref.unwrap_or_default(),
            states_licensed,
            timezone,
            credentials,
            ins_exp_date,
            default_pagination_cases,
            documents,
            user_type,
            user_tier,
            max_case_status,
        })
    }
}

#[cfg(test)]
mod tests {
    use surgicase_kernel::FieldCode;

    use super::*;

    fn s(v: &str) -> Option<String> {
        Some(v.to_owned())
    }

    fn minimal() -> NewUserInput {
        NewUserInput {
            user_id: s("u-jane"),
            user_email: s(" Jane.Doe@Example.com "),
            first_name: s("JANE"),
            last_name: s("o'connor"),
            ..NewUserInput::default()
        }
    }

    fn codes(input: &NewUserInput) -> Vec<(String, FieldCode)> {
        match NewUser::parse(input) {
            Ok(_) => Vec::new(),
            Err(e) => e.iter().map(|f| (f.field.clone(), f.code)).collect(),
        }
    }

    #[test]
    fn minimal_user_is_normalised_with_defaults() {
        let user = NewUser::parse(&minimal()).ok();
        let user = user.as_ref();
        assert_eq!(user.map(|u| u.user_id.as_str()), Some("u-jane"));
        assert_eq!(user.map(|u| u.user_email.as_str()), Some("Jane.Doe@Example.com"));
        assert_eq!(user.map(|u| u.first_name.as_str()), Some("Jane"));
        assert_eq!(user.map(|u| u.last_name.as_str()), Some("O'Connor"));
        assert_eq!(user.map(|u| u.message_pref), Some(MessagePref::None));
        assert_eq!(user.map(|u| u.user_type), Some(None));
        assert_eq!(user.map(|u| u.documents.len()), Some(0));
    }

    #[test]
    fn full_user_is_normalised() {
        let input = NewUserInput {
            addr1: s("  1  Main   St "),
            addr2: s(""),
            city: s("Albany"),
            state: s("ny"),
            zipcode: s("12207"),
            telephone: Some(TextOrInt::Int(15_185_551_234)),
            user_npi: Some("1234567893".into()),
            referred_by_user: s("u-bob"),
            message_pref: Some("3".into()),
            states_licensed: s("ny, nj ,ny"),
            timezone: s(" America/New_York "),
            credentials: s("MD"),
            ins_exp_date: s("2026-06-30"),
            default_pagination_cases: Some(TextOrInt::Int(50)),
            documents: Some(vec![DocumentInput { document_type: s("License"), document_name: s("l.pdf") }]),
            user_type: Some(10),
            user_tier: Some(3),
            max_case_status: Some(500),
            ..minimal()
        };
        let user = NewUser::parse(&input);
        assert_eq!(user.as_ref().err(), None);
        let Ok(u) = user else { return };
        assert_eq!(u.addr1.as_deref(), Some("1 Main St"));
        assert_eq!(u.addr2, None);
        assert_eq!(u.state.as_deref(), Some("NY"));
        assert_eq!(u.telephone, Some(5_185_551_234));
        assert_eq!(u.user_npi.map(Npi::get), Some(1_234_567_893));
        assert_eq!(u.message_pref, MessagePref::Both);
        assert_eq!(u.states_licensed.as_deref(), Some("NY,NJ"));
        assert_eq!(u.timezone.as_deref(), Some("America/New_York"));
        assert_eq!(u.ins_exp_date.map(|d| d.to_string()).as_deref(), Some("2026-06-30"));
        assert_eq!(u.default_pagination_cases, Some(50));
        assert_eq!(u.documents.len(), 1);
        assert_eq!(u.user_type, Some(UserType::CASE_ADMIN));
        assert_eq!(u.user_tier, Some(3));
        assert_eq!(u.max_case_status, Some(CaseStatus::CLOSED));
    }

    #[test]
    fn every_error_is_reported_under_its_body_name() {
        let input = NewUserInput {
            user_id: s("bad id"),
            user_email: s("nope"),
            first_name: None,
            last_name: s("   "),
            city: s(&"x".repeat(251)),
            state: s("XX"),
            zipcode: s("123"),
            telephone: Some("555-1234".into()),
            user_npi: Some(TextOrInt::Int(1_234_567_890)),
            referred_by_user: s(&"r".repeat(101)),
            message_pref: Some(TextOrInt::Int(4)),
            states_licensed: s("NY,ZZ"),
            timezone: s(&"t".repeat(65)),
            credentials: s(&"c".repeat(51)),
            ins_exp_date: s("2026-2-3"),
            default_pagination_cases: Some(TextOrInt::Int(0)),
            user_type: Some(0),
            user_tier: Some(1001),
            max_case_status: Some(1000),
            ..NewUserInput::default()
        };
        let expected: Vec<(String, FieldCode)> = [
            ("user_id", FieldCode::InvalidCharacters),
            ("user_email", FieldCode::InvalidFormat),
            ("first_name", FieldCode::Required),
            ("last_name", FieldCode::Required),
            ("city", FieldCode::TooLong),
            ("state", FieldCode::InvalidFormat),
            ("zipcode", FieldCode::InvalidFormat),
            ("telephone", FieldCode::InvalidFormat),
            ("user_npi", FieldCode::InvalidNpi),
            ("referred_by_user", FieldCode::TooLong),
            ("message_pref", FieldCode::OutOfRange),
            ("states_licensed", FieldCode::InvalidFormat),
            ("timezone", FieldCode::TooLong),
            ("credentials", FieldCode::TooLong),
            ("ins_exp_date", FieldCode::InvalidDate),
            ("default_pagination_cases", FieldCode::OutOfRange),
            ("user_type", FieldCode::OutOfRange),
            ("user_tier", FieldCode::OutOfRange),
            ("max_case_status", FieldCode::OutOfRange),
        ]
        .into_iter()
        .map(|(f, c)| (f.to_owned(), c))
        .collect();
        assert_eq!(codes(&input), expected);
    }

    #[test]
    fn required_fields() {
        let table: &[(&str, NewUserInput)] = &[
            ("user_id", NewUserInput { user_id: None, ..minimal() }),
            ("user_id", NewUserInput { user_id: s(""), ..minimal() }),
            ("user_email", NewUserInput { user_email: None, ..minimal() }),
            ("user_email", NewUserInput { user_email: s("  "), ..minimal() }),
            ("first_name", NewUserInput { first_name: s(""), ..minimal() }),
            ("last_name", NewUserInput { last_name: None, ..minimal() }),
        ];
        for (field, input) in table {
            assert_eq!(codes(input), vec![((*field).to_owned(), FieldCode::Required)], "{field}");
        }
    }

    #[test]
    fn names_are_bounded_to_100() {
        let ok = NewUserInput { first_name: s(&"a".repeat(100)), ..minimal() };
        assert!(codes(&ok).is_empty());
        let long = NewUserInput { first_name: s(&"a".repeat(101)), ..minimal() };
        assert_eq!(codes(&long), vec![("first_name".to_owned(), FieldCode::TooLong)]);
    }

    #[test]
    fn deserialises_numbers_and_strings() {
        let json = r#"{"user_id":"u1","user_email":"a@b.co","first_name":"A","last_name":"B",
            "telephone":"5551234567","user_npi":1234567893,"message_pref":"2","addr2":null}"#;
        let input: Result<NewUserInput, _> = serde_json::from_str(json);
        let user = input.ok().map(|i| NewUser::parse(&i));
        let user = user.and_then(Result::ok);
        assert_eq!(user.as_ref().and_then(|u| u.telephone), Some(5_551_234_567));
        assert_eq!(user.as_ref().map(|u| u.message_pref), Some(MessagePref::Sms));
        assert_eq!(user.as_ref().and_then(|u| u.user_npi).map(Npi::get), Some(1_234_567_893));
    }
}
