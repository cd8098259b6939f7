//! Request fields as received, before validation, and the tri-state of PATCH fields
//! (api.md §1.6). The HTTP shell builds these from JSON; the domain crates validate them and
//! report every problem at once.

/// One body field as received.
///
/// `null` and an absent key are both `Absent`. A JSON type the field does not accept is
/// `WrongType` (reported as `invalid_type`). Numbers accepted for id and NPI fields are passed
/// as their decimal text in `Value`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Raw<T> {
    #[default]
    Absent,
    WrongType,
    Value(T),
}

impl<T> Raw<T> {
    /// Whether the key carried a non-null value (valid or not).
    pub fn is_present(&self) -> bool {
        !matches!(self, Raw::Absent)
    }
}

impl<T> From<Option<T>> for Raw<T> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Raw::Absent, Raw::Value)
    }
}

impl From<&str> for Raw<String> {
    fn from(value: &str) -> Self {
        Raw::Value(value.to_owned())
    }
}

/// A PATCH field that may also be cleared (`""` in the body).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Patch<T> {
    /// Absent or `null`: keep the stored value.
    #[default]
    Unchanged,
    /// `""`: remove the stored value.
    Clear,
    Set(T),
}

impl<T> Patch<T> {
    pub fn is_unchanged(&self) -> bool {
        matches!(self, Patch::Unchanged)
    }

    /// From an optional field's validated value: `None` (blank) clears, a value sets.
    pub fn from_value(value: Option<T>) -> Self {
        match value {
            Some(v) => Self::Set(v),
            None => Self::Clear,
        }
    }

    /// The value after applying the patch to `current`.
    pub fn apply(self, current: Option<T>) -> Option<T> {
        match self {
            Patch::Unchanged => current,
            Patch::Clear => None,
            Patch::Set(value) => Some(value),
        }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Patch<U> {
        match self {
            Patch::Unchanged => Patch::Unchanged,
            Patch::Clear => Patch::Clear,
            Patch::Set(v) => Patch::Set(f(v)),
        }
    }

    /// `None` when unchanged, else the new column value (`Some(None)` stores `NULL`).
    pub fn into_update(self) -> Option<Option<T>> {
        match self {
            Patch::Unchanged => None,
            Patch::Clear => Some(None),
            Patch::Set(v) => Some(Some(v)),
        }
    }

    pub fn as_ref(&self) -> Patch<&T> {
        match self {
            Patch::Unchanged => Patch::Unchanged,
            Patch::Clear => Patch::Clear,
            Patch::Set(value) => Patch::Set(value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (patch, current value, value after, column update)
    type Row = (Patch<i32>, Option<i32>, Option<i32>, Option<Option<i32>>);

    #[test]
    fn apply_and_update() {
        let table: &[Row] = &[
            (Patch::Unchanged, Some(1), Some(1), None),
            (Patch::Unchanged, None, None, None),
            (Patch::Clear, Some(1), None, Some(None)),
            (Patch::Set(2), Some(1), Some(2), Some(Some(2))),
            (Patch::Set(2), None, Some(2), Some(Some(2))),
        ];
        for (patch, current, after, update) in table {
            assert_eq!(patch.clone().apply(*current), *after, "{patch:?} on {current:?}");
            assert_eq!(patch.clone().into_update(), *update, "{patch:?}");
        }
        assert_eq!(Patch::from_value(Some(3)), Patch::Set(3));
        assert_eq!(Patch::<i32>::from_value(None), Patch::Clear);
        assert_eq!(Patch::Set(2).map(|v| v * 10), Patch::Set(20));
        assert!(Patch::<i32>::default().is_unchanged());
    }
}
