//! Walking a parsed TOML document by hand, so that every problem is collected with its exact
//! path (`rules[3].when.all_codes_in_range.to`) rather than stopping at the first one.

use surgicase_kernel::{FieldCode, FieldError, ValueError};
use toml::{Table, Value};

/// The problems found so far.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    errors: Vec<FieldError>,
}

impl Problems {
    pub(crate) fn push(&mut self, field: impl Into<String>, code: FieldCode, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, code, message));
    }

    pub(crate) fn len(&self) -> usize {
        self.errors.len()
    }

    pub(crate) fn into_errors(self) -> Vec<FieldError> {
        self.errors
    }

    /// Records a value error under `field`.
    pub(crate) fn check<T>(&mut self, field: &str, result: Result<T, ValueError>) -> Option<T> {
        result.map_err(|e| self.errors.push(e.at(field))).ok()
    }

    /// `table[key]`, or a `required` problem at `parent.key`.
    pub(crate) fn required<'t>(&mut self, table: &'t Table, parent: &str, key: &str) -> Option<&'t Value> {
        let value = table.get(key);
        if value.is_none() {
            self.push(key_path(parent, key), FieldCode::Required, "is required");
        }
        value
    }

    /// One `unknown_field` problem per key not in `known`, in key order.
    pub(crate) fn unknown_keys(&mut self, parent: &str, table: &Table, known: &[&str]) {
        let mut unknown: Vec<&str> =
            table.keys().map(String::as_str).filter(|key| !known.contains(key)).collect();
        unknown.sort_unstable();
        for key in unknown {
            self.unknown_key(&key_path(parent, key));
        }
    }

    pub(crate) fn unknown_key(&mut self, path: &str) {
        self.push(path, FieldCode::UnknownField, "unknown key");
    }

    fn wrong_type(&mut self, path: &str, expected: &str, value: &Value) {
        self.push(path, FieldCode::InvalidType, format!("must be {expected}, not {}", a(value.type_str())));
    }

    pub(crate) fn integer(&mut self, path: &str, value: &Value) -> Option<i64> {
        let n = value.as_integer();
        if n.is_none() {
            self.wrong_type(path, "an integer", value);
        }
        n
    }

    /// An integer in `min..=max`.
    pub(crate) fn int_in(&mut self, path: &str, value: &Value, min: i64, max: i64) -> Option<i64> {
        let n = self.integer(path, value)?;
        if !(min..=max).contains(&n) {
            self.push(path, FieldCode::OutOfRange, format!("must be between {min} and {max}"));
            return None;
        }
        Some(n)
    }

    pub(crate) fn string<'v>(&mut self, path: &str, value: &'v Value) -> Option<&'v str> {
        let s = value.as_str();
        if s.is_none() {
            self.wrong_type(path, "a string", value);
        }
        s
    }

    pub(crate) fn table<'v>(&mut self, path: &str, value: &'v Value) -> Option<&'v Table> {
        let t = value.as_table();
        if t.is_none() {
            self.wrong_type(path, "a table", value);
        }
        t
    }

    /// A non-empty array.
    pub(crate) fn list<'v>(&mut self, path: &str, value: &'v Value) -> Option<&'v [Value]> {
        let Some(items) = value.as_array() else {
            self.wrong_type(path, "a list", value);
            return None;
        };
        if items.is_empty() {
            self.push(path, FieldCode::TooShort, "must list at least one value");
            return None;
        }
        Some(items)
    }

    /// A non-empty array whose every item passes `item` (each failing item is reported).
    pub(crate) fn list_of<T>(
        &mut self,
        path: &str,
        value: &Value,
        mut item: impl FnMut(&mut Self, &str, &Value) -> Option<T>,
    ) -> Option<Vec<T>> {
        let items = self.list(path, value)?;
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, value) in items.iter().enumerate() {
            match item(self, &index_path(path, i), value) {
                Some(v) => out.push(v),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }
}

/// `parent.key`, quoting a key that is not a bare TOML key.
pub(crate) fn key_path(parent: &str, key: &str) -> String {
    let bare = !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    let key = if bare { key.to_owned() } else { format!("{key:?}") };
    if parent.is_empty() { key } else { format!("{parent}.{key}") }
}

/// `parent[i]`.
pub(crate) fn index_path(parent: &str, index: usize) -> String {
    format!("{parent}[{index}]")
}

/// "an integer", "a string".
fn a(type_name: &str) -> String {
    let article = if type_name.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    format!("{article} {type_name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(key_path("", "format"), "format");
        assert_eq!(key_path("rules[3].when", "all_codes_in_range"), "rules[3].when.all_codes_in_range");
        assert_eq!(key_path("rules[0]", "odd key"), "rules[0].\"odd key\"");
        assert_eq!(key_path("", "a.b"), "\"a.b\"");
        assert_eq!(index_path("managed", 2), "managed[2]");
    }

    #[test]
    fn type_messages() {
        let mut p = Problems::default();
        assert_eq!(p.integer("set", &Value::String("one".into())), None);
        assert_eq!(p.string("name", &Value::Integer(3)), None);
        assert_eq!(p.int_in("n", &Value::Integer(51), 0, 50), None);
        assert_eq!(p.list("l", &Value::Array(Vec::new())), None);
        let messages: Vec<(String, FieldCode, String)> =
            p.into_errors().into_iter().map(|e| (e.field, e.code, e.message)).collect();
        assert_eq!(
            messages,
            [
                ("set".into(), FieldCode::InvalidType, "must be an integer, not a string".into()),
                ("name".into(), FieldCode::InvalidType, "must be a string, not an integer".into()),
                ("n".into(), FieldCode::OutOfRange, "must be between 0 and 50".into()),
                ("l".into(), FieldCode::TooShort, "must list at least one value".into()),
            ]
        );
    }
}
