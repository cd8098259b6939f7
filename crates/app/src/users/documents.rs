//! User documents attached by name (the legacy flow, domain §14.1, §14.3).

use surgicase_cases::DocumentName;
use surgicase_kernel::{Timestamp, UserId, ValidationErrors};
use surgicase_ports::records::UserDocumentRecord;

use crate::App;
use crate::error::AppError;

impl App {
    /// Reads and validates each named document; `(index in the request, type, name)`. The key
    /// of each is derived from the user and the name (a legacy full key only under the user's
    /// own folder, domain §14.1), so no name reaches another owner's object.
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
            let key = self.document_keys().user_named(user, doc_type, name);
            // The key ends in a valid file name, which tells the document's kind.
            let file = key.as_ref().ok().and_then(|k| k.rsplit('/').next()).map(DocumentName::parse);
            match (key, file) {
                (Ok(key), Some(Ok(file_name))) => parsed.push((field, doc_type, name, key, file_name)),
                (Err(e), _) | (_, Some(Err(e))) => errors.push(e.at(field)),
                (Ok(_), None) => {}
            }
        }
        errors.into_result(())?;
        let mut records = Vec::with_capacity(parsed.len());
        for (field, doc_type, name, key, file_name) in parsed {
            let checked = self.load_document(&field, &key, &file_name, actor, now).await?;
            records.push(checked.user_document(user, doc_type, name));
        }
        Ok(records)
    }
}
