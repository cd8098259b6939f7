//! User documents attached by name in POST and PATCH /user (legacy flow, domain §14.3).
//!
//! Only the shape is checked here; whether the type is in `user_doc_type_list` and the object
//! exists and is valid is the application's job.

use serde_json::Value;
use surgicase_kernel::{FieldCode, FieldError, ValidationErrors, text};

/// `user_doc_type_list.doc_type` is `VARCHAR(200)`.
pub const DOCUMENT_TYPE_MAX: usize = 200;
/// `user_documents.document_name` is `VARCHAR(250)`.
pub const DOCUMENT_NAME_MAX: usize = 250;
/// Most items one request may carry.
pub const DOCUMENTS_MAX: usize = 50;

/// A document change: attach `document_name`, or remove the document of that type when
/// `document_name` is `None` (sent as `""`; on creation a blank name attaches nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserDocumentChange {
    pub document_type: String,
    pub document_name: Option<String>,
}

fn invalid_type(field: String, expected: &str) -> FieldError {
    FieldError::new(field, FieldCode::InvalidType, format!("must be {expected}"))
}

/// A string member of an item: absent or `null` is `Ok(None)`.
fn member<'a>(item: &'a serde_json::Map<String, Value>, key: &str) -> Result<Option<&'a str>, ()> {
    match item.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(()),
    }
}

/// Validates the `documents` array: items `{document_type, document_name}`. An item whose
/// `document_name` is absent or `null` changes nothing and is dropped; `""` removes. A type
/// listed twice keeps its last item (one document per type).
pub(crate) fn changes(errors: &mut ValidationErrors, documents: &Value) -> Vec<UserDocumentChange> {
    let Value::Array(items) = documents else {
        errors.push(invalid_type("documents".to_owned(), "an array of documents"));
        return Vec::new();
    };
    if items.len() > DOCUMENTS_MAX {
        errors.push(FieldError::new(
            "documents",
            FieldCode::TooMany,
            format!("must have at most {DOCUMENTS_MAX} items"),
        ));
        return Vec::new();
    }
    let mut out: Vec<UserDocumentChange> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Value::Object(item) = item else {
            errors.push(invalid_type(format!("documents[{i}]"), "an object"));
            continue;
        };
        let (type_field, name_field) =
            (format!("documents[{i}].document_type"), format!("documents[{i}].document_name"));
        let name = match member(item, "document_name") {
            Ok(Some(name)) => name,
            Ok(None) => continue,
            Err(()) => {
                errors.push(invalid_type(name_field, "a string"));
                continue;
            }
        };
        let doc_type = match member(item, "document_type") {
            Ok(raw) => errors.check(&type_field, text::required_line(raw.unwrap_or(""), DOCUMENT_TYPE_MAX)),
            Err(()) => {
                errors.push(invalid_type(type_field, "a string"));
                None
            }
        };
        let name = errors.check(&name_field, text::optional_line(name, DOCUMENT_NAME_MAX));
        if let (Some(document_type), Some(document_name)) = (doc_type, name) {
            out.retain(|c| c.document_type != document_type);
            out.push(UserDocumentChange { document_type, document_name });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn codes(errors: &ValidationErrors) -> Vec<(&str, FieldCode)> {
        errors.iter().map(|e| (e.field.as_str(), e.code)).collect()
    }

    #[test]
    fn items_are_read_in_order_last_of_a_type_wins() {
        let mut errors = ValidationErrors::new();
        let got = changes(
            &mut errors,
            &json!([
                {"document_type": "License", "document_name": " license.pdf "},
                {"document_type": "W9", "document_name": ""},
                {"document_type": "DEA"},
                {"document_type": "License", "document_name": "license2.pdf"},
            ]),
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            got,
            vec![
                UserDocumentChange { document_type: "W9".into(), document_name: None },
                UserDocumentChange {
                    document_type: "License".into(),
                    document_name: Some("license2.pdf".into())
                },
            ]
        );
    }

    #[test]
    fn item_errors_carry_the_index() {
        let mut errors = ValidationErrors::new();
        let got = changes(
            &mut errors,
            &json!([
                {"document_name": "a.pdf"},
                {"document_type": "W9", "document_name": "x".repeat(251)},
                {"document_type": " ", "document_name": "b.pdf"},
                "not an object",
                {"document_type": 5, "document_name": 6},
            ]),
        );
        assert!(got.is_empty());
        assert_eq!(
            codes(&errors),
            vec![
                ("documents[0].document_type", FieldCode::Required),
                ("documents[1].document_name", FieldCode::TooLong),
                ("documents[2].document_type", FieldCode::Required),
                ("documents[3]", FieldCode::InvalidType),
                ("documents[4].document_name", FieldCode::InvalidType),
            ]
        );
        let mut errors = ValidationErrors::new();
        changes(&mut errors, &json!({"document_type": "W9"}));
        assert_eq!(codes(&errors), vec![("documents", FieldCode::InvalidType)]);
    }
}
