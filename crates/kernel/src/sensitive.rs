//! A secret that cannot leak through formatting: `Debug`, `Display` and `Serialize` show `***`
//! (or nothing when unset), so a config dump, a panic message or a `?field` in a log line never
//! carries it. The value is read only through [`Sensitive::expose`], which is easy to grep for.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What every formatting of a set secret prints.
pub const MASK: &str = "***";

#[derive(Clone, Default, PartialEq, Eq)]
pub struct Sensitive(String);

impl Sensitive {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for the one place that must hand it on (a header, a connection).
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// What formatting shows: the mask, or nothing for an unset secret (so a dump tells unset
    /// from set without showing the value).
    fn shown(&self) -> &'static str {
        if self.0.is_empty() { "" } else { MASK }
    }
}

impl From<&str> for Sensitive {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl From<String> for Sensitive {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl fmt::Debug for Sensitive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sensitive({:?})", self.shown())
    }
}

impl fmt::Display for Sensitive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.shown())
    }
}

impl Serialize for Sensitive {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.shown())
    }
}

impl<'de> Deserialize<'de> for Sensitive {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_formatting_shows_the_value() {
        let secret = Sensitive::new("pk_live_123");
        let shown = [
            format!("{secret:?}"),
            format!("{secret:#?}"),
            format!("{secret}"),
            serde_json::to_string(&secret).unwrap(),
            format!("{:?}", Some(vec![secret.clone()])),
        ];
        for text in shown {
            assert!(!text.contains("pk_live"), "{text}");
            assert!(text.contains(MASK), "{text}");
        }
        assert_eq!(secret.expose(), "pk_live_123");
    }

    #[test]
    fn an_unset_secret_shows_as_empty() {
        let unset = Sensitive::default();
        assert_eq!(format!("{unset}"), "");
        assert_eq!(format!("{unset:?}"), "Sensitive(\"\")");
        assert!(unset.is_empty());
    }

    #[test]
    fn it_reads_the_value_from_configuration() {
        let read: Sensitive = serde_json::from_str("\"s3cr3t\"").unwrap();
        assert_eq!(read.expose(), "s3cr3t");
    }
}
