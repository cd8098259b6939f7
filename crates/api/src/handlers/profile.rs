//! Reading the `POST /user` and `PATCH /user` bodies: the users crate takes plain options, so
//! the JSON types are checked here (`invalid_type` at the field's path) and the values passed on.

use serde_json::Value;
use surgicase_kernel::{FieldCode, FieldError};
use surgicase_users::{DocumentInput, NewUserInput, TextOrInt, UserPatchInput};

use crate::fields::Fields;

/// The fields `POST /user` and `PATCH /user` share.
#[derive(Debug, Default)]
pub(crate) struct Profile {
    user_id: Option<String>,
    user_email: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    addr1: Option<String>,
    addr2: Option<String>,
    city: Option<String>,
    state: Option<String>,
    zipcode: Option<String>,
    telephone: Option<TextOrInt>,
    user_npi: Option<TextOrInt>,
    referred_by_user: Option<String>,
    message_pref: Option<TextOrInt>,
    states_licensed: Option<String>,
    timezone: Option<String>,
    credentials: Option<String>,
    ins_exp_date: Option<String>,
    default_pagination_cases: Option<TextOrInt>,
    documents: Option<Vec<DocumentInput>>,
    user_type: Option<i64>,
    user_tier: Option<i64>,
    max_case_status: Option<i64>,
}

fn invalid_type(f: &mut Fields<'_>, field: &str, expected: &str) {
    let path = f.path(field);
    f.push(FieldError::new(path, FieldCode::InvalidType, format!("must be {expected}")));
}

/// A string, or a number taken as its decimal text (zip codes).
fn text_or_number(f: &mut Fields<'_>, name: &str) -> Option<String> {
    match f.value(name)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) if !n.is_f64() => Some(n.to_string()),
        _ => {
            invalid_type(f, name, "a string or an integer");
            None
        }
    }
}

/// An integer or a string (telephone, NPI, `message_pref`, `default_pagination_cases`); the
/// users crate parses the string.
fn text_or_int(f: &mut Fields<'_>, name: &str) -> Option<TextOrInt> {
    match f.value(name)? {
        Value::String(s) => Some(TextOrInt::Text(s.clone())),
        Value::Number(n) if !n.is_f64() => {
            // Beyond i64 the text reaches the parser, which reports the range.
            Some(n.as_i64().map_or_else(|| TextOrInt::Text(n.to_string()), TextOrInt::Int))
        }
        _ => {
            invalid_type(f, name, "an integer or a digit string");
            None
        }
    }
}

fn integer(f: &mut Fields<'_>, name: &str) -> Option<i64> {
    f.opt_i64(name, i64::MIN..=i64::MAX)
}

/// `documents`: an array of `{document_type, document_name}` objects.
fn documents(f: &mut Fields<'_>) -> Option<Vec<DocumentInput>> {
    let items = match f.value("documents")? {
        Value::Array(items) => items,
        _ => {
            invalid_type(f, "documents", "an array of objects");
            return None;
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let Value::Object(map) = item else {
            invalid_type(f, &format!("documents[{i}]"), "an object");
            continue;
        };
        let mut text = |key: &str| match map.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                invalid_type(f, &format!("documents[{i}].{key}"), "a string");
                None
            }
        };
        out.push(DocumentInput {
            document_type: text("document_type"),
            document_name: text("document_name"),
        });
    }
    Some(out)
}

/// Reads the shared fields; wrong JSON types are recorded in `f`.
pub(crate) fn read(f: &mut Fields<'_>) -> Profile {
    Profile {
        user_id: f.opt_str("user_id"),
        user_email: f.opt_str("user_email"),
        first_name: f.opt_str("first_name"),
        last_name: f.opt_str("last_name"),
        addr1: f.opt_str("addr1"),
        addr2: f.opt_str("addr2"),
        city: f.opt_str("city"),
        state: f.opt_str("state"),
        zipcode: text_or_number(f, "zipcode"),
        telephone: text_or_int(f, "telephone"),
        user_npi: text_or_int(f, "user_npi"),
        referred_by_user: f.opt_str("referred_by_user"),
        message_pref: text_or_int(f, "message_pref"),
        states_licensed: f.opt_str("states_licensed"),
        timezone: f.opt_str("timezone"),
        credentials: f.opt_str("credentials"),
        ins_exp_date: f.opt_str("ins_exp_date"),
        default_pagination_cases: text_or_int(f, "default_pagination_cases"),
        documents: documents(f),
        user_type: integer(f, "user_type"),
        user_tier: integer(f, "user_tier"),
        max_case_status: integer(f, "max_case_status"),
    }
}

/// `active`: JSON `true`/`false` are 1/0 (the users crate accepts only 1).
pub(crate) fn read_active(f: &mut Fields<'_>) -> Option<i64> {
    match f.value("active")? {
        Value::Bool(b) => Some(i64::from(*b)),
        Value::Number(n) if !n.is_f64() => integer(f, "active"),
        _ => {
            invalid_type(f, "active", "1 or true");
            None
        }
    }
}

impl Profile {
    pub(crate) fn into_new_user(self) -> NewUserInput {
        NewUserInput {
            user_id: self.user_id,
            user_email: self.user_email,
            first_name: self.first_name,
            last_name: self.last_name,
            addr1: self.addr1,
            addr2: self.addr2,
            city: self.city,
            state: self.state,
            zipcode: self.zipcode,
            telephone: self.telephone,
            user_npi: self.user_npi,
            referred_by_user: self.referred_by_user,
            message_pref: self.message_pref,
            states_licensed: self.states_licensed,
            timezone: self.timezone,
            credentials: self.credentials,
            ins_exp_date: self.ins_exp_date,
            default_pagination_cases: self.default_pagination_cases,
            documents: self.documents,
            user_type: self.user_type,
            user_tier: self.user_tier,
            max_case_status: self.max_case_status,
        }
    }

    pub(crate) fn into_user_patch(self, active: Option<i64>) -> UserPatchInput {
        UserPatchInput {
            user_id: self.user_id,
            user_email: self.user_email,
            first_name: self.first_name,
            last_name: self.last_name,
            addr1: self.addr1,
            addr2: self.addr2,
            city: self.city,
            state: self.state,
            zipcode: self.zipcode,
            telephone: self.telephone,
            user_npi: self.user_npi,
            referred_by_user: self.referred_by_user,
            message_pref: self.message_pref,
            states_licensed: self.states_licensed,
            timezone: self.timezone,
            credentials: self.credentials,
            ins_exp_date: self.ins_exp_date,
            default_pagination_cases: self.default_pagination_cases,
            documents: self.documents,
            user_type: self.user_type,
            user_tier: self.user_tier,
            max_case_status: self.max_case_status,
            active,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn json_types_are_checked_and_values_passed_on() {
        let map = match json!({
            "user_id": "u-jane", "user_email": 5, "zipcode": 12207, "telephone": "518-555-1234",
            "user_npi": 1234567893_i64, "message_pref": 1.5, "default_pagination_cases": 50,
            "documents": [{"document_type": "W-9", "document_name": "w9.pdf"}, 3, {"document_name": false}],
            "user_type": "10", "active": true
        }) {
            Value::Object(map) => map,
            _ => serde_json::Map::new(),
        };
        let mut f = Fields::new(&map, false);
        let profile = read(&mut f);
        let active = read_active(&mut f);
        let errors: Vec<(String, &str)> =
            f.into_errors().iter().map(|e| (e.field.clone(), e.code.as_str())).collect();
        assert_eq!(
            errors,
            vec![
                ("user_email".to_owned(), "invalid_type"),
                ("message_pref".to_owned(), "invalid_type"),
                ("documents[1]".to_owned(), "invalid_type"),
                ("documents[2].document_name".to_owned(), "invalid_type"),
                ("user_type".to_owned(), "invalid_type"),
            ]
        );
        let input = profile.into_user_patch(active);
        assert_eq!(input.zipcode.as_deref(), Some("12207"));
        assert_eq!(input.telephone, Some(TextOrInt::Text("518-555-1234".into())));
        assert_eq!(input.user_npi, Some(TextOrInt::Int(1_234_567_893)));
        assert_eq!(input.default_pagination_cases, Some(TextOrInt::Int(50)));
        assert_eq!(input.documents.map(|d| d.len()), Some(2));
        assert_eq!(input.active, Some(1));
    }
}
