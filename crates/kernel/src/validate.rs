//! `validator` checks on [`Raw`] fields (feature `validate`, enabled by the HTTP shell for its
//! own request bodies). Only a value of the right JSON type is measured: an absent field has no
//! length and no range (presence is `required`'s business), and a wrong type is reported as
//! `invalid_type` by the reader of the body, not here.

use validator::{Validate, ValidateLength, ValidateRange, ValidateRequired, ValidationErrors};

use crate::input::Raw;

impl<T: ValidateLength<u64>> ValidateLength<u64> for Raw<T> {
    fn length(&self) -> Option<u64> {
        self.value().and_then(ValidateLength::length)
    }
}

/// Limits written as `usize` constants (the limits of the text rules) measure the same way.
impl<T: ValidateLength<u64>> ValidateLength<usize> for Raw<T> {
    fn length(&self) -> Option<usize> {
        self.value().and_then(ValidateLength::<u64>::length).and_then(|n| usize::try_from(n).ok())
    }
}

impl<T: PartialOrd> ValidateRange<T> for Raw<T> {
    fn greater_than(&self, max: T) -> Option<bool> {
        self.value().map(|v| *v > max)
    }

    fn less_than(&self, min: T) -> Option<bool> {
        self.value().map(|v| *v < min)
    }
}

/// Sent, and not `null` (a value of the wrong type counts as sent).
impl<T> ValidateRequired for Raw<T> {
    fn is_some(&self) -> bool {
        self.is_present()
    }
}

/// A nested object or list is checked when one of the right type was sent.
impl<T: Validate> Validate for Raw<T> {
    fn validate(&self) -> Result<(), ValidationErrors> {
        self.value().map_or(Ok(()), Validate::validate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_values_of_the_right_type_are_measured() {
        let text = |raw: Raw<String>| raw.validate_length(Some(1_u64), Some(3), None);
        assert!(text(Raw::Value("abc".into())));
        assert!(!text(Raw::Value("abcd".into())));
        assert!(!text(Raw::Value(String::new())));
        assert!(text(Raw::Absent));
        assert!(text(Raw::WrongType));
        assert!(!Raw::Value("abcd".to_owned()).validate_length(None, Some(3_usize), None));
        let number = |raw: Raw<i64>| raw.validate_range(Some(100), Some(599), None, None);
        assert!(number(Raw::Value(599)));
        assert!(!number(Raw::Value(600)));
        assert!(number(Raw::Absent));
        assert!(Raw::<i64>::WrongType.is_some());
        assert!(!Raw::<i64>::Absent.is_some());
    }
}
