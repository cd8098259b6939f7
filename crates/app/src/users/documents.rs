//! User documents attached by name (the legacy flow, domain §14.1, §14.3).

use surgicase_cases::DocumentName;
use surgicase_kernel::{Timestamp, UserId, ValidationErrors};
use surgicase_ports::records::UserDocumentRecord;

use crate::App;
use crate::error::AppError;

impl App {
    /// The object key of a user document: a legacy name starting with `private/` or `/` is a
    /// full key; otherwise `<user_prefix><user_id>/<document_type>/<file_name>`.
    fn user_document_key(&self, user: &UserId, doc_type: &str, name: &str) -> String {
        if let Some(full) = name.strip_prefix('/') {
            full.to_owned()
        } else if name.starts_with("private/") {
            name.to_owned()
        } else {
            format!("{}{}/{}/{}", self.settings.documents.user_prefix, user, doc_type, name)
        }
    }

    /// Reads and validates each named document; `(index in the request, type, name)`.
    pub(crate) async fn load_user_documents(
        &self,
        user: &UserId,
        named: &[(usize, String, String)],
        actor: &UserId,
        now: Timestamp,
    ) -> Result<Vec<UserDocumentRecord>, AppError> {
        let mut errors = ValidationErrors::new();
        let mut parsed = Vec::new();
        for (index, doc_type, name) in named {
            let field = format!("documents[{index}].document_name");
            let file = name.rsplit('/').next().unwrap_or(name);
            match DocumentName::parse(file) {
                Ok(file_name) => parsed.push((field, doc_type, name, file_name)),
                Err(e) => errors.push(e.at(field)),
            }
        }
        errors.into_result(())?;
        let mut records = Vec::with_capacity(parsed.len());
        for (field, doc_type, name, file_name) in parsed {
            let key = self.user_document_key(user, doc_type, name);
            let loaded = self.load_document(&field, &key, &file_name, actor, now).await?;
            records.push(UserDocumentRecord {
                user_id: user.clone(),
                document_type: doc_type.clone(),
                document_name: name.clone(),
                object_key: loaded.object_key,
                location: loaded.location,
                size_bytes: loaded.size_bytes,
                sha256: loaded.sha256,
                content_type: loaded.content_type,
                uploaded_by: loaded.uploaded_by,
                uploaded_ts: loaded.uploaded_ts,
            });
        }
        Ok(records)
    }
}
