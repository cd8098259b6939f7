//! `POST /get_case_images`: the documents of several cases, planned for one ZIP (api.md §5).
//!
//! The use case decides everything but the archive format: which cases count (active cases
//! among the listed ids, each once), which documents they carry (the four document fields,
//! with the recorded object key, or the legacy key for a name without a record), which of
//! those are already known missing (recorded anywhere but `live`), and the safe, unique entry
//! name of every folder and file. The shell streams the archive entry by entry, reading each
//! object through [`CaseBundle::read`] only when it is its turn, so no more than one document
//! is held in memory and nothing is written to disk.
//!
//! Entry names never carry patient data: one folder per case named by its `case_id`, the
//! document's own file name inside. Both are made safe for any unzip tool (no `/`, `\`, `:`,
//! control characters, `.`/`..` segments or drive letters) and unique (case-insensitively,
//! `scan (2).pdf` for the second `scan.pdf` of a folder).

use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

use serde_json::json;
use surgicase_kernel::{CaseId, DocumentField, FieldCode, FieldError, RoleLevel, Timestamp};
use surgicase_permissions::{CaseRef, may_read_case, require_level};
use surgicase_ports::Chain;
use surgicase_ports::records::Case;
use surgicase_ports::{ObjectKey, ObjectStore};

use super::KeyOwner;
use crate::App;
use crate::access::require;
use crate::audit::Touched;
use crate::context::Ctx;
use crate::error::{AppError, Missing};

/// Most case ids one request may list.
pub const MAX_BUNDLE_CASES: usize = 200;

/// The name of the error list at the root of the archive.
pub const BUNDLE_ERRORS_FILE: &str = "download_errors.txt";

/// One case of the bundle and its folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleCase {
    pub case_id: String,
    /// The folder inside the archive (the `case_id`, made safe and unique), without a slash.
    pub folder: String,
}

/// One document of the bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleDocument {
    pub case_id: String,
    /// `demo_file`, `note_file`, `misc_file` or `admin_file`.
    pub document_type: String,
    /// The file name as recorded.
    pub file_name: String,
    /// The entry's path inside the archive: `<folder>/<file name>`, safe and unique.
    pub entry_name: String,
    /// Where to read the object; `None` when the document is already known missing.
    key: Option<ObjectKey>,
}

impl BundleDocument {
    /// Recorded as missing (or deleted) before the request: it is listed in the error file
    /// without being looked up.
    pub fn is_known_missing(&self) -> bool {
        self.key.is_none()
    }

    /// The line of the error file for this document.
    pub fn error_line(&self, failure: BundleReadFailure) -> String {
        format!("{}/{} ({}): {}", self.case_id, self.file_name, self.document_type, failure)
    }
}

/// Why a document could not be put in the archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BundleReadFailure {
    /// Recorded as missing, or no object at its key.
    Missing,
    /// The object store failed to answer.
    Unreadable,
}

impl fmt::Display for BundleReadFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Missing => "file not found in the document store",
            Self::Unreadable => "the document store could not be read",
        })
    }
}

/// What to put in the archive and how to read it.
#[derive(Clone)]
pub struct CaseBundle {
    /// `case_images_<YYYYMMDD_HHMMSS>.zip` (UTC).
    pub file_name: String,
    /// When the bundle was planned (the entries' modification time).
    pub created_at: Timestamp,
    /// The cases found, in the order first listed.
    pub cases: Vec<BundleCase>,
    /// Their documents, case by case, in field order.
    pub documents: Vec<BundleDocument>,
    pub touched: Touched,
    objects: Arc<dyn ObjectStore>,
}

impl fmt::Debug for CaseBundle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CaseBundle")
            .field("file_name", &self.file_name)
            .field("cases", &self.cases)
            .field("documents", &self.documents)
            .finish_non_exhaustive()
    }
}

impl CaseBundle {
    /// `X-Cases-Processed`: the cases found.
    pub fn cases_processed(&self) -> usize {
        self.cases.len()
    }

    /// `X-Downloaded-Files`: the documents recorded on those cases.
    pub fn documents_recorded(&self) -> usize {
        self.documents.len()
    }

    /// `X-Download-Errors`: the documents already known missing.
    pub fn known_missing(&self) -> usize {
        self.documents.iter().filter(|d| d.is_known_missing()).count()
    }

    /// The bytes of one document of this bundle.
    pub async fn read(&self, doc: &BundleDocument) -> Result<Vec<u8>, BundleReadFailure> {
        let Some(key) = &doc.key else { return Err(BundleReadFailure::Missing) };
        match self.objects.get(key).await {
            Ok(Some(object)) => Ok(object.bytes),
            Ok(None) => Err(BundleReadFailure::Missing),
            Err(error) => {
                tracing::warn!(error = %Chain(&error), case_id = %doc.case_id, "bundle document unreadable");
                Err(BundleReadFailure::Unreadable)
            }
        }
    }

    /// The content of the error file, one line per document; `None` when there is none.
    pub fn errors_text(lines: &[String]) -> Option<String> {
        if lines.is_empty() {
            return None;
        }
        let mut text = String::from("Documents that could not be included:\n");
        for line in lines {
            text.push_str(line);
            text.push('\n');
        }
        Some(text)
    }
}

/// Checks the list: 1 to [`MAX_BUNDLE_CASES`] ids. Duplicates are ignored (the first place
/// counts); ids that cannot name a case are kept out (they find nothing).
fn requested_ids(raw: &[String]) -> Result<Vec<CaseId>, AppError> {
    let bad = |code, message: &str| AppError::invalid(FieldError::new("case_ids", code, message.to_owned()));
    if raw.is_empty() {
        return Err(bad(FieldCode::TooShort, "must list at least one case id"));
    }
    if raw.len() > MAX_BUNDLE_CASES {
        return Err(bad(FieldCode::TooMany, &format!("must list at most {MAX_BUNDLE_CASES} case ids")));
    }
    let mut seen = HashSet::new();
    Ok(raw.iter().filter_map(|s| CaseId::parse(s).ok()).filter(|id| seen.insert(id.clone())).collect())
}

/// A path segment any unzip tool extracts where it belongs: path separators, drive colons,
/// characters Windows refuses and control characters become `_`; a segment of dots only
/// (`.`, `..`) or of nothing becomes underscores or `fallback`.
pub fn safe_segment(raw: &str, fallback: &str) -> String {
    let unsafe_char =
        |c: char| c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|');
    let mut out: String = raw.chars().map(|c| if unsafe_char(c) { '_' } else { c }).collect();
    if !out.is_empty() && out.chars().all(|c| c == '.') {
        out = "_".repeat(out.len());
    }
    if out.trim().is_empty() { fallback.to_owned() } else { out }
}

/// `name`, or `name (2)`, `name (3)`, … (before the extension) — the first not yet `taken`,
/// compared case-insensitively; the result is marked taken.
fn unique(name: &str, taken: &mut HashSet<String>) -> String {
    if taken.insert(name.to_lowercase()) {
        return name.to_owned();
    }
    let (stem, ext) = match name.rfind('.') {
        Some(i) if i > 0 => name.split_at(i),
        _ => (name, ""),
    };
    (2..)
        .map(|n| format!("{stem} ({n}){ext}"))
        .find(|candidate| taken.insert(candidate.to_lowercase()))
        .unwrap_or_else(|| name.to_owned())
}

impl App {
    /// `POST /get_case_images`: the plan of the archive. CA only (403 otherwise); 422 for an
    /// empty or oversized list; 404 `no_cases` when no listed id names an active case.
    pub async fn case_images_bundle(&self, ctx: &Ctx, case_ids: &[String]) -> Result<CaseBundle, AppError> {
        require(require_level(&ctx.actor, RoleLevel::CaseAdmin), Missing::Other, "")?;
        let ids = requested_ids(case_ids)?;
        let mut found = if ids.is_empty() {
            Vec::new()
        } else {
            let mut conn = self.store.conn().await?;
            conn.get_cases(&ids).await?
        };
        found.retain(|record| {
            let row = &record.row;
            let case = CaseRef { owner: &row.user_id, stored_status: row.case_status, active: row.active };
            may_read_case(&ctx.actor, case).is_allowed()
        });
        if found.is_empty() {
            return Err(AppError::not_found(Missing::NoValidCases, ""));
        }
        // The listed order, whatever order the store answered in.
        let position = |id: &CaseId| ids.iter().position(|i| i == id).unwrap_or(usize::MAX);
        found.sort_by_key(|record| position(&record.row.case_id));

        let mut folders_taken = HashSet::new();
        let mut cases = Vec::with_capacity(found.len());
        let mut documents = Vec::new();
        for record in &found {
            let case_id = record.row.case_id.as_str();
            let folder = unique(&safe_segment(case_id, "case"), &mut folders_taken);
            documents.extend(self.bundle_documents(record, &folder));
            cases.push(BundleCase { case_id: case_id.to_owned(), folder });
        }

        let now = self.clock.now();
        let listed: Vec<&str> = cases.iter().map(|c| c.case_id.as_str()).collect();
        let touched = Touched {
            resource_id: None,
            ..Touched::new("document.zip", "case", "").details(json!({
                "case_ids": listed,
                "count": listed.len(),
                "documents": documents.len(),
            }))
        };
        Ok(CaseBundle {
            file_name: format!("case_images_{}.zip", now.format("%Y%m%d_%H%M%S")),
            created_at: now,
            cases,
            documents,
            touched,
            objects: self.objects.clone(),
        })
    }

    /// The documents of one case, in field order, with unique entry names under `folder`.
    fn bundle_documents(&self, record: &Case, folder: &str) -> Vec<BundleDocument> {
        let row = &record.row;
        let mut names_taken = HashSet::new();
        let mut out = Vec::new();
        for field in DocumentField::ALL {
            let recorded = record.documents.iter().find(|d| d.document_type == field);
            let (file_name, key) = match recorded {
                Some(doc) => {
                    let key = Some(doc)
                        .filter(|d| d.location.is_live())
                        .and_then(|d| self.live_key(KeyOwner::Case, &d.object_key));
                    (doc.document_name.clone(), key)
                }
                // A name without a record is a legacy attachment: its key is derived (§14.1).
                None => match row.documents.get(field).filter(|n| !n.trim().is_empty()) {
                    Some(name) => (name.to_owned(), self.legacy_case_key(&row.user_id, name)),
                    None => continue,
                },
            };
            // A legacy name may carry a path: only its last part names the file.
            let base = file_name.rsplit(['/', '\\']).next().unwrap_or(&file_name);
            let entry_file = unique(&safe_segment(base, field.as_str()), &mut names_taken);
            out.push(BundleDocument {
                case_id: row.case_id.as_str().to_owned(),
                document_type: field.as_str().to_owned(),
                entry_name: format!("{folder}/{entry_file}"),
                file_name,
                key,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_safe() {
        let table: &[(&str, &str)] = &[
            ("scan.pdf", "scan.pdf"),
            ("face sheet (1).pdf", "face sheet (1).pdf"),
            ("..", "__"),
            (".", "_"),
            ("...", "___"),
            ("", "fallback"),
            ("   ", "fallback"),
            ("a/b", "a_b"),
            ("..\\..\\x.pdf", ".._.._x.pdf"),
            ("C:", "C_"),
            ("c:evil.pdf", "c_evil.pdf"),
            ("a\u{0}b\nc", "a_b_c"),
            ("what?*<>|\".pdf", "what______.pdf"),
            ("note opératoire.pdf", "note opératoire.pdf"),
            ("u@x+1", "u@x+1"),
        ];
        for (raw, expected) in table {
            assert_eq!(safe_segment(raw, "fallback"), *expected, "{raw:?}");
        }
    }

    #[test]
    fn names_are_unique_case_insensitively() {
        let mut taken = HashSet::new();
        let got: Vec<String> =
            ["scan.pdf", "scan.pdf", "SCAN.pdf", "scan (2).pdf", "noext", "noext", ".pdf", ".pdf"]
                .iter()
                .map(|n| unique(n, &mut taken))
                .collect();
        assert_eq!(
            got,
            [
                "scan.pdf",
                "scan (2).pdf",
                "SCAN (3).pdf",
                "scan (2) (2).pdf",
                "noext",
                "noext (2)",
                ".pdf",
                ".pdf (2)"
            ]
        );
    }

    #[test]
    fn the_list_needs_1_to_200_ids_and_ignores_duplicates() {
        let ids = |n: usize| (0..n).map(|i| format!("c-{i}")).collect::<Vec<_>>();
        let code = |raw: &[String]| match requested_ids(raw) {
            Err(AppError::Validation(e)) => e.iter().map(|f| f.code.as_str()).collect::<Vec<_>>().join(","),
            Err(other) => format!("{other:?}"),
            Ok(_) => "ok".to_owned(),
        };
        assert_eq!(code(&[]), "too_short");
        assert_eq!(code(&ids(1)), "ok");
        assert_eq!(code(&ids(200)), "ok");
        assert_eq!(code(&ids(201)), "too_many");
        let raw: Vec<String> = ["b", "a", "b", "", "bad id!", "a"].iter().map(|s| (*s).to_owned()).collect();
        let parsed: Vec<String> =
            requested_ids(&raw).unwrap_or_default().into_iter().map(CaseId::into_string).collect();
        assert_eq!(parsed, ["b", "a"]);
    }

    #[test]
    fn error_lines_name_the_case_and_file_only() {
        let doc = BundleDocument {
            case_id: "c-1".into(),
            document_type: "note_file".into(),
            file_name: "op note.pdf".into(),
            entry_name: "c-1/op note.pdf".into(),
            key: None,
        };
        assert!(doc.is_known_missing());
        assert_eq!(
            doc.error_line(BundleReadFailure::Missing),
            "c-1/op note.pdf (note_file): file not found in the document store"
        );
        assert_eq!(CaseBundle::errors_text(&[]), None);
        assert_eq!(
            CaseBundle::errors_text(&["x".to_owned()]).as_deref(),
            Some("Documents that could not be included:\nx\n")
        );
    }
}
