//! `http.cors_allowed_origins`: the browser origins allowed to call the API (api.md §1.1).
//!
//! In TOML a list (`cors_allowed_origins = ["https://app.example.com"]`); in the environment
//! (`SURGICASE_HTTP__CORS_ALLOWED_ORIGINS`, or the flat `SURGICASE_HTTP_CORS_ALLOWED_ORIGINS`)
//! a comma-separated list, or the same list in brackets. Each entry is an origin exactly:
//! `http` or `https`, a host, an optional port, and nothing else (no path, not even `/`, no
//! query, no user, no wildcard).

use serde::{Deserialize, Deserializer};

/// Reads a list of strings, or one comma-separated string (blank items dropped).
pub(crate) fn list_or_comma_separated<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Form {
        List(Vec<String>),
        Text(String),
    }
    Ok(match Form::deserialize(d)? {
        Form::List(items) => items,
        Form::Text(text) => {
            text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
        }
    })
}

/// The origin as browsers send it in `Origin` (lowercase scheme and host, no default port),
/// or why `raw` is not an origin.
pub fn parse_origin(raw: &str) -> Result<String, String> {
    let bad = |why: &str| Err(format!("`{raw}` is not an origin ({why}; expected scheme://host[:port])"));
    let trimmed = raw.trim();
    let Some((scheme, rest)) = trimmed.split_once("://") else {
        return bad("no scheme");
    };
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return bad("the scheme must be http or https");
    }
    if rest.is_empty() {
        return bad("no host");
    }
    if let Some(c) =
        rest.chars().find(|c| matches!(c, '/' | '?' | '#' | '@' | '*' | '\\') || c.is_whitespace())
    {
        let why = match c {
            '/' => "a path is not allowed, not even `/`",
            '?' | '#' => "a query or fragment is not allowed",
            '@' => "user information is not allowed",
            '*' => "wildcards are not allowed",
            _ => "it contains a character no host has",
        };
        return bad(why);
    }
    let url = match url::Url::parse(trimmed) {
        Ok(url) => url,
        Err(e) => return bad(&e.to_string()),
    };
    if url.host_str().is_none_or(str::is_empty) {
        return bad("no host");
    }
    Ok(url.origin().ascii_serialization())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_scheme_host_and_port_only() {
        let table: &[(&str, Option<&str>)] = &[
            ("https://app.example.com", Some("https://app.example.com")),
            ("http://localhost:3000", Some("http://localhost:3000")),
            ("HTTPS://App.Example.COM", Some("https://app.example.com")),
            ("https://app.example.com:443", Some("https://app.example.com")),
            ("http://app.example.com:80", Some("http://app.example.com")),
            ("https://app.example.com:8443", Some("https://app.example.com:8443")),
            ("http://127.0.0.1:8080", Some("http://127.0.0.1:8080")),
            ("http://[::1]:5173", Some("http://[::1]:5173")),
            (" https://app.example.com ", Some("https://app.example.com")),
            ("https://app.example.com/", None),
            ("https://app.example.com/path", None),
            ("https://app.example.com?x=1", None),
            ("https://app.example.com#top", None),
            ("https://user@app.example.com", None),
            ("https://*.example.com", None),
            ("*", None),
            ("null", None),
            ("app.example.com", None),
            ("ftp://app.example.com", None),
            ("https://", None),
            ("https://app.example.com:99999", None),
            ("https://app example.com", None),
            ("", None),
        ];
        for (raw, expected) in table {
            assert_eq!(parse_origin(raw).ok().as_deref(), *expected, "{raw:?}");
        }
    }
}
