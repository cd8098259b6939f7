//! `{name}` placeholder templates (mail subjects and bodies, report passwords). A template is
//! checked against its allowed names when it is parsed, so a typo is found when configuration
//! loads, not when a mail is sent. `{{` and `}}` stand for literal braces.

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Var(String),
}

/// A parsed template whose placeholders are all allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
}

/// A piece of a template, for callers that describe one (password hints).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Placeholder(&'a str),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("unknown placeholder {{{name}}} (allowed: {allowed})")]
    UnknownPlaceholder { name: String, allowed: String },
    #[error("placeholder opened at byte {0} is not closed")]
    Unclosed(usize),
    #[error("'}}' at byte {0} closes nothing (write '}}}}' for a literal brace)")]
    StrayClose(usize),
    #[error("placeholder at byte {0} has an invalid name (use a-z, 0-9 and _)")]
    InvalidName(usize),
}

/// A placeholder the caller gave no value for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no value for placeholder {{{0}}}")]
pub struct MissingVariable(pub String);

impl Template {
    /// Parses `text`, refusing placeholders outside `allowed`.
    pub fn parse(text: &str, allowed: &[&str]) -> Result<Self, TemplateError> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut rest = text.char_indices().peekable();
        while let Some((at, ch)) = rest.next() {
            match ch {
                '{' if rest.peek().map(|(_, c)| *c) == Some('{') => {
                    rest.next();
                    literal.push('{');
                }
                '}' if rest.peek().map(|(_, c)| *c) == Some('}') => {
                    rest.next();
                    literal.push('}');
                }
                '}' => return Err(TemplateError::StrayClose(at)),
                '{' => {
                    let mut name = String::new();
                    let mut closed = false;
                    for (_, c) in rest.by_ref() {
                        if c == '}' {
                            closed = true;
                            break;
                        }
                        name.push(c);
                    }
                    if !closed {
                        return Err(TemplateError::Unclosed(at));
                    }
                    let valid = !name.is_empty()
                        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
                    if !valid {
                        return Err(TemplateError::InvalidName(at));
                    }
                    if !allowed.contains(&name.as_str()) {
                        return Err(TemplateError::UnknownPlaceholder { name, allowed: allowed.join(", ") });
                    }
                    if !literal.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut literal)));
                    }
                    parts.push(Part::Var(name));
                }
                _ => literal.push(ch),
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Text(literal));
        }
        Ok(Self { parts })
    }

    /// The placeholders used, in order of appearance (repeats included).
    pub fn placeholders(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Var(name) => Some(name.as_str()),
            Part::Text(_) => None,
        })
    }

    pub fn pieces(&self) -> impl Iterator<Item = Piece<'_>> {
        self.parts.iter().map(|p| match p {
            Part::Text(t) => Piece::Text(t),
            Part::Var(name) => Piece::Placeholder(name),
        })
    }

    /// Fills every placeholder from `vars`; a placeholder without a value is an error.
    pub fn render(&self, vars: &BTreeMap<String, String>) -> Result<String, MissingVariable> {
        self.render_with(|name| vars.get(name).map(String::as_str))
    }

    /// Fills every placeholder through `value`.
    pub fn render_with<'v>(
        &self,
        value: impl Fn(&str) -> Option<&'v str>,
    ) -> Result<String, MissingVariable> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Var(name) => out.push_str(value(name).ok_or_else(|| MissingVariable(name.clone()))?),
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALLOWED: &[&str] = &["first_name", "total_amount", "npi_last4"];

    fn vars() -> BTreeMap<String, String> {
        [("first_name", "Zoë"), ("total_amount", "$1,234.56"), ("npi_last4", "7893")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    #[test]
    fn parse_and_render() {
        let table: &[(&str, &str)] = &[
            ("Dear {first_name},", "Dear Zoë,"),
            ("{first_name}{first_name}", "ZoëZoë"),
            ("Total: {total_amount} ({npi_last4})", "Total: $1,234.56 (7893)"),
            ("no placeholders", "no placeholders"),
            ("", ""),
            ("literal {{braces}} and {first_name}", "literal {braces} and Zoë"),
            ("Ünïcödé {first_name} ✓", "Ünïcödé Zoë ✓"),
        ];
        for (text, rendered) in table {
            let template = Template::parse(text, ALLOWED).unwrap();
            assert_eq!(template.render(&vars()).unwrap(), *rendered, "{text:?}");
        }
    }

    #[test]
    fn refusals_at_parse_time() {
        let table: &[(&str, TemplateError)] = &[
            (
                "Hi {firstname}",
                TemplateError::UnknownPlaceholder {
                    name: "firstname".into(),
                    allowed: "first_name, total_amount, npi_last4".into(),
                },
            ),
            ("Hi {first_name", TemplateError::Unclosed(3)),
            ("Hi }", TemplateError::StrayClose(3)),
            ("Hi {}", TemplateError::InvalidName(3)),
            ("Hi {First_Name}", TemplateError::InvalidName(3)),
            ("Hi {first name}", TemplateError::InvalidName(3)),
        ];
        for (text, error) in table {
            assert_eq!(Template::parse(text, ALLOWED), Err(error.clone()), "{text:?}");
        }
    }

    #[test]
    fn a_missing_value_is_an_error_not_a_blank() {
        let template = Template::parse("{first_name} {npi_last4}", ALLOWED).unwrap();
        let mut partial = vars();
        partial.remove("npi_last4");
        assert_eq!(template.render(&partial), Err(MissingVariable("npi_last4".into())));
        assert_eq!(template.placeholders().collect::<Vec<_>>(), ["first_name", "npi_last4"]);
    }
}
