//! OpenAPI schemas of request fields (feature `openapi`, enabled by the HTTP shell). Built from
//! the same limits the validators use, and as strict as they are: a value the document allows
//! is accepted unless stored data says otherwise, and a value it forbids is refused.

use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, OneOfBuilder, Schema, SchemaType, Type};
use utoipa::openapi::{KnownFormat, SchemaFormat};

/// Whether a field must be sent (api.md §1.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Must be sent, and not blank.
    Required,
    /// May be absent or `null`; when sent, not blank (a PATCH of a field that cannot be cleared).
    Optional,
    /// May be absent, `null` or blank: `""` clears the value or means "not given".
    Clearable,
}

/// Characters no one-line field accepts (Unicode category Cc).
const CONTROLS: &str = r"\x00-\x1F\x7F-\x9F";

/// White space as the validators read it (`char::is_whitespace`, Unicode White_Space): `\s`
/// means other things in other pattern dialects (Python's also takes `\x1C`–`\x1F`).
pub const WHITE: &str = r"[\t\n\x0B\f\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]";
/// A character other than white space.
pub const NOT_WHITE: &str = r"[^\t\n\x0B\f\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]";
/// White space that is not a control character (what may surround one-line text).
pub const SPACE: &str = r"[ \xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]";
/// A character that is neither white space nor a control character.
pub const VISIBLE: &str = r"[^ \xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\x00-\x1F\x7F-\x9F]";

/// A calendar date `YYYY-MM-DD` that exists: 29 and 30 in every month but February, 31 in the
/// long months, 29 February in leap years only (so a pattern alone tells `1435-11-31` out).
macro_rules! calendar_date {
    () => {
        concat!(
            r"([0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])",
            r"|[0-9]{4}-(0[13-9]|1[0-2])-(29|30)",
            r"|[0-9]{4}-(0[13578]|1[02])-31",
            r"|([0-9]{2}(0[48]|[2468][048]|[13579][26])|([02468][048]|[13579][26])00)-02-29)"
        )
    };
}

/// An RFC 3339 date-time as [`crate::time::parse_rfc3339`] reads it: `T` or `t` between date
/// and time, no leap second, any number of fractional digits, `Z` or an offset up to 23:59.
pub const RFC3339: &str = concat!(
    calendar_date!(),
    r"[Tt]",
    r"([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?",
    r"([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])"
);

/// A calendar date `YYYY-MM-DD` that exists.
pub const DATE: &str = calendar_date!();

fn types(ty: Type, presence: Presence) -> SchemaType {
    match presence {
        Presence::Required => SchemaType::new(ty),
        Presence::Optional | Presence::Clearable => [ty, Type::Null].into_iter().collect(),
    }
}

/// `value`, or also `""` when the field is clearable.
fn or_blank(value: ObjectBuilder, presence: Presence) -> Schema {
    match presence {
        Presence::Clearable => OneOfBuilder::new().item(value).item(blank()).into(),
        _ => value.into(),
    }
}

/// A string of white space only.
fn blank() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(SchemaType::new(Type::String)).pattern(Some(format!("^{WHITE}*$")))
}

/// One line of text of at most `max` characters, without control characters; unless
/// clearable, with a character other than white space.
pub fn line(max: usize, presence: Presence) -> Schema {
    let pattern = match presence {
        Presence::Clearable => format!("^[^{CONTROLS}]*$"),
        _ => format!("^[^{CONTROLS}]*[^\\s{CONTROLS}][^{CONTROLS}]*$"),
    };
    ObjectBuilder::new()
        .schema_type(types(Type::String, presence))
        .min_length((presence != Presence::Clearable).then_some(1))
        .max_length(Some(max))
        .pattern(Some(pattern))
        .into()
}

/// A user or case id (domain §1).
pub fn identifier(presence: Presence) -> Schema {
    let id = ObjectBuilder::new()
        .schema_type(types(Type::String, presence))
        .min_length(Some(1))
        .max_length(Some(crate::ids::IDENTIFIER_MAX))
        .pattern(Some(r"^[A-Za-z0-9._:@+-]*[A-Za-z0-9][A-Za-z0-9._:@+-]*$"));
    or_blank(id, presence)
}

/// A calendar date `YYYY-MM-DD`.
pub fn date(presence: Presence) -> Schema {
    let date = ObjectBuilder::new()
        .schema_type(types(Type::String, presence))
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
        .pattern(Some(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"));
    or_blank(date, presence)
}

/// A positive id given as a JSON integer or a digit string.
pub fn positive_id(presence: Presence) -> Schema {
    let number = ObjectBuilder::new()
        .schema_type(types(Type::Integer, presence))
        .minimum(Some(1))
        .maximum(Some(crate::ids::ID_MAX));
    let digits = ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::String))
        .pattern(Some(format!("^{WHITE}*0*[1-9][0-9]{{0,17}}{WHITE}*$")));
    let one_of = OneOfBuilder::new().item(number).item(digits);
    match presence {
        Presence::Clearable => one_of.item(blank()).into(),
        _ => one_of.into(),
    }
}

/// `word` in any ASCII case (`[Aa][Ll]`): JSON Schema patterns take no flags.
pub fn any_case(word: &str) -> String {
    word.chars()
        .map(|c| match (c.to_ascii_uppercase(), c.to_ascii_lowercase()) {
            (upper, lower) if upper != lower => format!("[{upper}{lower}]"),
            _ => regex_escape(c),
        })
        .collect()
}

/// `c` as a literal of a pattern.
fn regex_escape(c: char) -> String {
    if r"\^$.|?*+()[]{}".contains(c) { format!("\\{c}") } else { c.to_string() }
}

/// A USPS state code of [`crate::text::STATE_CODES`], any case, surrounding blanks ignored;
/// clearable: also blank.
pub fn state_code(presence: Presence) -> Schema {
    let codes: Vec<String> = crate::text::STATE_CODES.iter().map(|c| any_case(c)).collect();
    let optional = if presence == Presence::Clearable { "?" } else { "" };
    ObjectBuilder::new()
        .schema_type(types(Type::String, presence))
        .pattern(Some(format!(r"^{WHITE}*({}){optional}{WHITE}*$", codes.join("|"))))
        .into()
}

/// A ZIP code `NNNNN` or `NNNNN-NNNN` (surrounding blanks ignored), or five digits as a JSON
/// integer; clearable: also blank.
pub fn zip_code(presence: Presence) -> Schema {
    let optional = if presence == Presence::Clearable { "?" } else { "" };
    let text = ObjectBuilder::new()
        .schema_type(types(Type::String, presence))
        .pattern(Some(format!(r"^{WHITE}*([0-9]{{5}}(-[0-9]{{4}})?){optional}{WHITE}*$")));
    let number = ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::Integer))
        .minimum(Some(10_000))
        .maximum(Some(99_999));
    OneOfBuilder::new().item(text).item(number).into()
}

/// Ten digits starting with 1 or 2, surrounding blanks ignored. The check digit (domain §11)
/// is beyond a pattern: a value of this shape may still be refused as `invalid_npi`.
pub fn npi_pattern() -> String {
    format!("^{WHITE}*[12][0-9]{{9}}{WHITE}*$")
}

/// An NPI as a digit string (query parameters).
pub fn npi_text() -> Schema {
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::String))
        .pattern(Some(npi_pattern()))
        .description(Some("Ten digits starting with 1 or 2, with a valid check digit (domain §11)"))
        .into()
}

/// An NPI as a JSON integer.
pub fn npi_number() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::Integer))
        .minimum(Some(1_000_000_000))
        .maximum(Some(2_999_999_999_i64))
}

/// A flag: `true`/`false` or `1`/`0`.
pub fn flag() -> Schema {
    OneOfBuilder::new()
        .item(ObjectBuilder::new().schema_type(types(Type::Boolean, Presence::Optional)))
        .item(ObjectBuilder::new().schema_type(SchemaType::new(Type::Integer)).enum_values(Some([0, 1])))
        .into()
}

/// An array of at most `max` items of `item`; an optional array may be `null`.
pub fn list(item: impl Into<utoipa::openapi::RefOr<Schema>>, max: usize, presence: Presence) -> Schema {
    ArrayBuilder::new()
        .schema_type(types(Type::Array, presence))
        .items(item.into())
        .max_items(Some(max))
        .into()
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    fn render(schema: Schema) -> Value {
        serde_json::to_value(schema).unwrap_or_default()
    }

    #[test]
    fn lines_follow_presence() {
        let required = render(line(100, Presence::Required));
        assert_eq!(required["type"], "string");
        assert_eq!((required["minLength"].clone(), required["maxLength"].clone()), (json!(1), json!(100)));
        let optional = render(line(250, Presence::Optional));
        assert_eq!(optional["type"], json!(["string", "null"]));
        assert_eq!(optional["minLength"], json!(1));
        let clearable = render(line(250, Presence::Clearable));
        assert_eq!(clearable["type"], json!(["string", "null"]));
        assert_eq!(clearable.get("minLength"), None);
    }

    #[test]
    fn patterns_in_any_case() {
        assert_eq!(any_case("ny"), "[Nn][Yy]");
        assert_eq!(any_case("image/png"), "[Ii][Mm][Aa][Gg][Ee]/[Pp][Nn][Gg]");
        let state = render(state_code(Presence::Clearable));
        let pattern = state["pattern"].as_str().unwrap_or_default();
        assert!(pattern.starts_with(&format!("^{WHITE}*([Aa][Ll]|[Aa][Kk]|")), "{pattern}");
        assert!(pattern.ends_with(&format!("[Aa][Pp])?{WHITE}*$")), "{pattern}");
    }

    #[test]
    fn identifiers_use_the_validators_limit() {
        let id = render(identifier(Presence::Required));
        assert_eq!(id["maxLength"], json!(crate::ids::IDENTIFIER_MAX));
    }
}
