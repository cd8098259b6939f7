//! Object keys of documents (domain §14.1). The service derives every key itself from the
//! owner, the kind of document and a validated file name; a key never comes from a client,
//! except a legacy user document named by its full key, which is accepted only under the
//! user's own folder. Keys are checked again before an object is read or moved, so a stored
//! key that points elsewhere reaches nothing.

use surgicase_kernel::{CaseId, DocumentField, FieldCode, UserId, ValueError};

use crate::documents::DocumentName;

/// The four prefixes of the object store (configuration, domain §14.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentKeys<'a> {
    pub case_prefix: &'a str,
    pub deleted_case_prefix: &'a str,
    pub user_prefix: &'a str,
    pub deleted_user_prefix: &'a str,
}

/// Where a document lives in the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyArea {
    Live,
    Deleted,
}

/// Whether `raw` can be one folder or file name of a key: not empty, not `.` or `..`, no
/// separator and no control character.
pub fn is_key_segment(raw: &str) -> bool {
    !raw.is_empty()
        && raw != "."
        && raw != ".."
        && !raw.chars().any(|c| c == '/' || c == '\\' || c.is_control())
}

fn not_a_document_name() -> ValueError {
    ValueError::new(
        FieldCode::InvalidFormat,
        "must be a file name, or a key under the user's own documents folder",
    )
}

impl DocumentKeys<'_> {
    /// The folder of a case document uploaded through the service.
    pub fn case_upload_folder(&self, owner: &UserId, case: &CaseId, field: DocumentField) -> String {
        format!("{}{owner}/{case}/{}/", self.case_prefix, field.as_str())
    }

    /// The key of a case document attached by name (legacy flow).
    pub fn case_named(&self, owner: &UserId, name: &DocumentName) -> String {
        format!("{}{owner}/{}", self.case_prefix, name.as_str())
    }

    /// The folder of a user document uploaded through the service; the type names a folder, so
    /// it must be one key segment.
    pub fn user_upload_folder(&self, user: &UserId, doc_type: &str) -> Result<String, ValueError> {
        if !is_key_segment(doc_type) {
            return Err(ValueError::new(FieldCode::InvalidFormat, "cannot name a documents folder"));
        }
        Ok(format!("{}{user}/{doc_type}/", self.user_prefix))
    }

    /// The key of a user document attached by name: a file name is placed in the user's folder
    /// for the type; a legacy full key (starting with `private/` or `/`) is accepted only when
    /// it lies under the user's own folder and ends in a valid file name.
    pub fn user_named(&self, user: &UserId, doc_type: &str, name: &str) -> Result<String, ValueError> {
        let full = if name.starts_with("private/") {
            name
        } else if let Some(rest) = name.strip_prefix('/') {
            rest
        } else {
            let file = DocumentName::parse(name)?;
            return Ok(format!("{}{}", self.user_upload_folder(user, doc_type)?, file.as_str()));
        };
        let own = format!("{}{user}/", self.user_prefix);
        let rest = full.strip_prefix(own.as_str()).ok_or_else(not_a_document_name)?;
        let segments: Vec<&str> = rest.split('/').collect();
        let (file, folders) = segments.split_last().ok_or_else(not_a_document_name)?;
        if !folders.iter().all(|s| is_key_segment(s)) || DocumentName::parse(file).is_err() {
            return Err(not_a_document_name());
        }
        Ok(full.to_owned())
    }

    /// Whether `key` lies in `user`'s own folder, live or deleted: the only keys a user
    /// document may be read from or moved between.
    pub fn user_area(&self, user: &UserId, key: &str) -> Option<KeyArea> {
        let under = |prefix: &str| {
            key.strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix(user.as_str()))
                .is_some_and(|rest| rest.starts_with('/') && safe_path(&rest[1..]))
        };
        if under(self.user_prefix) {
            Some(KeyArea::Live)
        } else if under(self.deleted_user_prefix) {
            Some(KeyArea::Deleted)
        } else {
            None
        }
    }

    /// Whether `key` lies among case documents, live or deleted. A case's documents keep their
    /// key when the case changes owner (domain §10.2), so the owner folder is not checked.
    pub fn case_area(&self, key: &str) -> Option<KeyArea> {
        let under = |prefix: &str| key.strip_prefix(prefix).is_some_and(safe_path);
        if under(self.case_prefix) {
            Some(KeyArea::Live)
        } else if under(self.deleted_case_prefix) {
            Some(KeyArea::Deleted)
        } else {
            None
        }
    }

    /// The key `key` moves to between two prefixes (archive and restore); `None` when it does
    /// not lie under `from`: such an object is never moved.
    pub fn moved(key: &str, from: &str, to: &str) -> Option<String> {
        let rest = key.strip_prefix(from).filter(|rest| safe_path(rest))?;
        Some(format!("{to}{rest}"))
    }
}

/// A relative path of safe segments.
fn safe_path(rest: &str) -> bool {
    rest.split('/').all(is_key_segment)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: DocumentKeys<'static> = DocumentKeys {
        case_prefix: "private/case-documents/",
        deleted_case_prefix: "private/deleted-case-documents/",
        user_prefix: "private/user-documents/",
        deleted_user_prefix: "private/deleted-user-documents/",
    };

    fn uid(s: &str) -> UserId {
        UserId::parse(s).unwrap_or_else(|_| unreachable!("valid test id"))
    }

    #[test]
    fn user_documents_named_by_a_client() {
        let b = uid("provB");
        let table: &[(&str, Result<&str, ()>)] = &[
            ("license.pdf", Ok("private/user-documents/provB/Medical License/license.pdf")),
            // A legacy full key under the user's own folder, with or without the slash.
            (
                "private/user-documents/provB/Medical License/old.pdf",
                Ok("private/user-documents/provB/Medical License/old.pdf"),
            ),
            ("/private/user-documents/provB/x/old.pdf", Ok("private/user-documents/provB/x/old.pdf")),
            // Another owner's objects, another area, escapes and spellings of them.
            ("private/case-documents/provA/provA_case1/misc_file/op-report.pdf", Err(())),
            ("/private/case-documents/provA/op.pdf", Err(())),
            ("private/user-documents/provA/Medical License/l.pdf", Err(())),
            ("private/user-documents/provBX/l.pdf", Err(())),
            ("private/user-documents/provB", Err(())),
            ("private/user-documents/provB/", Err(())),
            ("private/user-documents/provB/../provA/l.pdf", Err(())),
            ("private/user-documents/provB/./l.pdf", Err(())),
            ("private/user-documents/provB//l.pdf", Err(())),
            ("private/deleted-user-documents/provB/l.pdf", Err(())),
            ("private/case-documents/provB/c1/demo_file/d.pdf", Err(())),
            ("../provA/l.pdf", Err(())),
            ("sub/l.pdf", Err(())),
            ("..", Err(())),
            ("private%2Fuser-documents%2FprovA%2Fl.pdf", Err(())),
            ("%2e%2e/l.pdf", Err(())),
            ("reports/x.pdf", Err(())),
            ("private/user-documents/provB/x/l.exe", Err(())),
        ];
        for (name, expected) in table {
            let got = KEYS.user_named(&b, "Medical License", name).map_err(|_| ());
            assert_eq!(got.as_deref(), expected.as_deref(), "{name:?}");
        }
        assert!(KEYS.user_named(&b, "../x", "l.pdf").is_err(), "a type is one folder");
        assert!(KEYS.user_named(&b, "a/b", "l.pdf").is_err());
    }

    #[test]
    fn areas_of_stored_keys() {
        let b = uid("provB");
        let user: &[(&str, Option<KeyArea>)] = &[
            ("private/user-documents/provB/T/l.pdf", Some(KeyArea::Live)),
            ("private/deleted-user-documents/provB/T/l.pdf", Some(KeyArea::Deleted)),
            ("private/user-documents/provA/T/l.pdf", None),
            ("private/user-documents/provBX/T/l.pdf", None),
            ("private/user-documents/provB/../provA/l.pdf", None),
            ("private/case-documents/provB/c/demo_file/d.pdf", None),
            ("private/user-documents/provB", None),
        ];
        for (key, expected) in user {
            assert_eq!(KEYS.user_area(&b, key), *expected, "{key}");
        }
        let case: &[(&str, Option<KeyArea>)] = &[
            ("private/case-documents/provA/c1/demo_file/d.pdf", Some(KeyArea::Live)),
            ("private/case-documents/provA/d.pdf", Some(KeyArea::Live)),
            ("private/deleted-case-documents/provA/d.pdf", Some(KeyArea::Deleted)),
            ("private/user-documents/provA/T/l.pdf", None),
            ("private/case-documents/../user-documents/provA/l.pdf", None),
            ("reports/x.pdf", None),
        ];
        for (key, expected) in case {
            assert_eq!(KEYS.case_area(key), *expected, "{key}");
        }
    }

    #[test]
    fn derived_keys_and_moves() {
        let a = uid("provA");
        let c = CaseId::parse("provA_case1").unwrap_or_else(|_| unreachable!("valid test id"));
        assert_eq!(
            KEYS.case_upload_folder(&a, &c, DocumentField::MiscFile),
            "private/case-documents/provA/provA_case1/misc_file/"
        );
        let name = DocumentName::parse("op.pdf").unwrap_or_else(|_| unreachable!("valid name"));
        assert_eq!(KEYS.case_named(&a, &name), "private/case-documents/provA/op.pdf");
        let from = KEYS.case_prefix;
        let to = KEYS.deleted_case_prefix;
        assert_eq!(
            DocumentKeys::moved("private/case-documents/provA/op.pdf", from, to).as_deref(),
            Some("private/deleted-case-documents/provA/op.pdf")
        );
        // Outside `from`: never moved (it was moved under `to` whole before).
        assert_eq!(DocumentKeys::moved("private/user-documents/provA/T/l.pdf", from, to), None);
        assert_eq!(DocumentKeys::moved("private/case-documents/../x.pdf", from, to), None);
    }
}
