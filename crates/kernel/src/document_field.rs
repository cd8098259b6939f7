//! The four document fields of a case (`demo_file`, `note_file`, `misc_file`, `admin_file`).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{FieldCode, ValueError};

/// The four document columns of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentField {
    DemoFile,
    NoteFile,
    MiscFile,
    AdminFile,
}

impl DocumentField {
    /// Every field, in column order.
    pub const ALL: [DocumentField; 4] = [Self::DemoFile, Self::NoteFile, Self::MiscFile, Self::AdminFile];

    /// The column and `document_type` name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DemoFile => "demo_file",
            Self::NoteFile => "note_file",
            Self::MiscFile => "misc_file",
            Self::AdminFile => "admin_file",
        }
    }

    /// Parses an exact `document_type` name (`unknown_document_type` otherwise).
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        Self::ALL.into_iter().find(|f| f.as_str() == raw).ok_or_else(|| {
            ValueError::new(
                FieldCode::UnknownDocumentType,
                "must be one of demo_file, note_file, misc_file, admin_file",
            )
        })
    }

    /// The field of that exact name, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|field| field.as_str() == name)
    }

    /// Only case admins may set or remove this field.
    pub fn admin_only(self) -> bool {
        self == Self::AdminFile
    }
}

impl fmt::Display for DocumentField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for field in DocumentField::ALL {
            assert_eq!(DocumentField::parse(field.as_str()), Ok(field));
            assert_eq!(DocumentField::from_name(field.as_str()), Some(field));
        }
        assert_eq!(
            DocumentField::parse("Demo_File").err().map(|e| e.code),
            Some(FieldCode::UnknownDocumentType)
        );
        let admin: Vec<_> = DocumentField::ALL.into_iter().filter(|f| f.admin_only()).collect();
        assert_eq!(admin, vec![DocumentField::AdminFile]);
    }
}
