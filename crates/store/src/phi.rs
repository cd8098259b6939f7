//! The PHI codec: the one place through which every patient column of `cases`
//! (`patient_first`, `patient_last`, `ins_provider`, `patient_dob`) is written and read, and
//! where the blind index `patient_name_bidx` is computed (domain §10.3, §15).
//!
//! Today it is the clear-text codec: values are stored as they are and `phi_encrypted = 0`.
//! Rows marked `phi_encrypted = 1` cannot exist yet and are refused on read. Encryption at rest
//! (§15.2) will change only this module.

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use surgicase_kernel::time::parse_date;
use surgicase_kernel::{CaseId, Date};
use surgicase_ports::StoreError;
use surgicase_ports::records::PatientData;

/// The keys the codec needs. Never printed.
#[derive(Clone)]
pub struct PhiKeys {
    bidx_key: [u8; 32],
}

impl PhiKeys {
    /// `bidx_key`: the 256-bit blind-index key (changing it needs a re-index of stored rows).
    pub fn new(bidx_key: [u8; 32]) -> Self {
        Self { bidx_key }
    }
}

impl fmt::Debug for PhiKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PhiKeys(<redacted>)")
    }
}

/// The patient columns of one `cases` row, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredPatient {
    pub first: String,
    pub last: String,
    pub ins_provider: String,
    pub dob: Option<String>,
    /// `phi_encrypted`.
    pub encrypted: bool,
}

/// Encodes and decodes patient columns; computes blind indexes.
#[derive(Debug, Clone)]
pub(crate) struct PhiCodec {
    keys: PhiKeys,
}

impl PhiCodec {
    pub fn new(keys: PhiKeys) -> Self {
        Self { keys }
    }

    /// The stored form of a case's patient data.
    pub fn encode(&self, _case_id: &CaseId, patient: &PatientData) -> StoredPatient {
        StoredPatient {
            first: patient.first.clone(),
            last: patient.last.clone(),
            ins_provider: patient.ins_provider.clone(),
            dob: patient.dob.map(|d| d.format("%Y-%m-%d").to_string()),
            encrypted: false,
        }
    }

    /// The clear patient data of a stored row.
    pub fn decode(&self, case_id: &CaseId, stored: StoredPatient) -> Result<PatientData, StoreError> {
        let dob = match &stored.dob {
            Some(raw) => Some(self.decode_date(case_id, "patient_dob", raw, stored.encrypted)?),
            None => None,
        };
        Ok(PatientData {
            first: self.decode_text(case_id, "patient_first", stored.first, stored.encrypted)?,
            last: self.decode_text(case_id, "patient_last", stored.last, stored.encrypted)?,
            ins_provider: self.decode_text(case_id, "ins_provider", stored.ins_provider, stored.encrypted)?,
            dob,
        })
    }

    /// One stored text column in clear.
    pub fn decode_text(
        &self,
        case_id: &CaseId,
        column: &str,
        stored: String,
        encrypted: bool,
    ) -> Result<String, StoreError> {
        if encrypted {
            // The message names the row and column, never the value.
            return Err(StoreError::corrupt(format!(
                "cases.{column} of case {case_id} is encrypted; this build cannot decrypt PHI"
            )));
        }
        Ok(stored)
    }

    fn decode_date(
        &self,
        case_id: &CaseId,
        column: &str,
        stored: &str,
        encrypted: bool,
    ) -> Result<Date, StoreError> {
        let clear = self.decode_text(case_id, column, stored.to_owned(), encrypted)?;
        parse_date(&clear)
            .map_err(|_| StoreError::corrupt(format!("cases.{column} of case {case_id} is not a date")))
    }

    /// `patient_name_bidx`: lowercase hex HMAC-SHA-256 of the domain's name key.
    pub fn blind_index(&self, name_key: &str) -> Result<String, StoreError> {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.keys.bidx_key)
            .map_err(|_| StoreError::backend("blind-index key has an invalid length"))?;
        mac.update(name_key.as_bytes());
        Ok(hex::encode(mac.finalize().into_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codec() -> PhiCodec {
        PhiCodec::new(PhiKeys::new([7u8; 32]))
    }

    fn case_id() -> CaseId {
        CaseId::parse("c-1").unwrap()
    }

    #[test]
    fn clear_codec_round_trips() {
        let patient = PatientData {
            first: "Mary-Ann".into(),
            last: "O'Neil".into(),
            ins_provider: "Acme Health".into(),
            dob: parse_date("1960-03-15").ok(),
        };
        let stored = codec().encode(&case_id(), &patient);
        assert!(!stored.encrypted);
        assert_eq!(stored.dob.as_deref(), Some("1960-03-15"));
        assert_eq!(codec().decode(&case_id(), stored).unwrap(), patient);
    }

    #[test]
    fn encrypted_rows_are_refused() {
        let stored = StoredPatient {
            first: "v1:1:abc".into(),
            last: "v1:1:def".into(),
            ins_provider: "v1:1:ghi".into(),
            dob: None,
            encrypted: true,
        };
        let err = codec().decode(&case_id(), stored).unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { .. }));
        assert!(!err.to_string().contains("abc"));
    }

    #[test]
    fn bad_dates_are_corrupt() {
        let stored = StoredPatient {
            first: "A".into(),
            last: "B".into(),
            ins_provider: "C".into(),
            dob: Some("1960-02-30".into()),
            encrypted: false,
        };
        assert!(matches!(codec().decode(&case_id(), stored), Err(StoreError::Corrupt { .. })));
    }

    #[test]
    fn blind_index_is_keyed_hex_hmac() {
        let a = codec().blind_index("v1|mary-ann|o'neil").unwrap();
        assert_eq!(a.len(), 64);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_eq!(a, codec().blind_index("v1|mary-ann|o'neil").unwrap());
        assert_ne!(a, codec().blind_index("v1|mary-ann|oneil").unwrap());
        let other = PhiCodec::new(PhiKeys::new([8u8; 32]));
        assert_ne!(a, other.blind_index("v1|mary-ann|o'neil").unwrap());
    }

    #[test]
    fn blind_index_matches_a_known_vector() {
        // HMAC-SHA-256 with a 32-byte key of 0x0b bytes over "Hi There", computed
        // independently with Python's `hmac.new(b"\x0b" * 32, b"Hi There", hashlib.sha256)`.
        let codec = PhiCodec::new(PhiKeys::new([0x0b; 32]));
        assert_eq!(
            codec.blind_index("Hi There").unwrap(),
            "198a607eb44bfbc69903a0f1cf2bbdc5ba0aa3f3d9ae3c1c7a3b1696a0b68cf7"
        );
    }

    #[test]
    fn keys_are_not_printed() {
        assert_eq!(format!("{:?}", PhiKeys::new([1; 32])), "PhiKeys(<redacted>)");
    }
}
