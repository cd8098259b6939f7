//! User documents attached by name in POST and PATCH /user (legacy flow, domain §14.3).
//!
//! Only the shape is checked here; whether the type is in `user_doc_type_list` and the object
//! exists and is valid is the application's job.

use serde::Deserialize;
use surgicase_kernel::{ValidationErrors, ValueError, text};

/// `user_doc_type_list.doc_type` is `VARCHAR(200)`.
pub const DOCUMENT_TYPE_MAX: usize = 200;
/// `user_documents.document_name` is `VARCHAR(250)`.
pub const DOCUMENT_NAME_MAX: usize = 250;

/// One raw `documents[i]` item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct DocumentInput {
    pub document_type: Option<String>,
    pub document_name: Option<String>,
}

/// A document to attach on creation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserDocumentByName {
    pub document_type: String,
    pub document_name: String,
}

/// A document change of a PATCH: attach `document_name`, or remove the document of that type
/// when `document_name` is `None` (sent as `""`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserDocumentChange {
    pub document_type: String,
    pub document_name: Option<String>,
}

fn document_type(raw: Option<&String>) -> Result<String, ValueError> {
    text::required_line(raw.map(String::as_str).unwrap_or(""), DOCUMENT_TYPE_MAX)
}

/// Validates PATCH items. An item whose `document_name` is absent or `null` changes nothing and
/// is dropped; `""` removes. A type listed twice keeps its last item (one document per type).
pub(crate) fn changes(errors: &mut ValidationErrors, items: &[DocumentInput]) -> Vec<UserDocumentChange> {
    let mut out: Vec<UserDocumentChange> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Some(raw_name) = item.document_name.as_deref() else { continue };
        let doc_type = errors
            .check(&format!("documents[{i}].document_type"), document_type(item.document_type.as_ref()));
        let name = errors.check(
            &format!("documents[{i}].document_name"),
            text::optional_line(raw_name, DOCUMENT_NAME_MAX),
        );
        if let (Some(document_type), Some(document_name)) = (doc_type, name) {
            out.retain(|c| c.document_type != document_type);
            out.push(UserDocumentChange { document_type, document_name });
        }
    }
    out
}

/// Validates creation items: the same as PATCH, except that a blank name attaches nothing.
pub(crate) fn by_name(errors: &mut ValidationErrors, items: &[DocumentInput]) -> Vec<UserDocumentByName> {
    changes(errors, items)
        .into_iter()
        .filter_map(|c| {
            c.document_name
                .map(|document_name| UserDocumentByName { document_type: c.document_type, document_name })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use surgicase_kernel::FieldCode;

    use super::*;

    fn item(t: Option<&str>, n: Option<&str>) -> DocumentInput {
        DocumentInput { document_type: t.map(str::to_owned), document_name: n.map(str::to_owned) }
    }

    #[test]
    fn patch_items() {
        let mut errors = ValidationErrors::new();
        let got = changes(
            &mut errors,
            &[
                item(Some("License"), Some(" license.pdf ")),
                item(Some("W9"), Some("")),
                item(Some("DEA"), None),
                item(Some("License"), Some("license2.pdf")),
            ],
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
            &[
                item(None, Some("a.pdf")),
                item(Some("W9"), Some(&"x".repeat(251))),
                item(Some(" "), Some("b.pdf")),
            ],
        );
        assert!(got.is_empty());
        let found: Vec<(&str, FieldCode)> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            found,
            vec![
                ("documents[0].document_type", FieldCode::Required),
                ("documents[1].document_name", FieldCode::TooLong),
                ("documents[2].document_type", FieldCode::Required),
            ]
        );
    }

    #[test]
    fn creation_drops_blank_names() {
        let mut errors = ValidationErrors::new();
        let got = by_name(&mut errors, &[item(Some("W9"), Some("")), item(Some("DEA"), Some("dea.png"))]);
        assert!(errors.is_empty());
        assert_eq!(
            got,
            vec![UserDocumentByName { document_type: "DEA".into(), document_name: "dea.png".into() }]
        );
    }
}
