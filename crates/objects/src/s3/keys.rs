//! Keys inside the bucket: the configured prefix in front, and the percent-encoding of a
//! `CopySource`.

/// `prefix` + `key`.
pub(crate) fn full_key(prefix: &str, key: &str) -> String {
    format!("{prefix}{key}")
}

/// The key without the configured prefix (listing), `None` for a key outside it.
pub(crate) fn strip_prefix<'a>(prefix: &str, full: &'a str) -> Option<&'a str> {
    full.strip_prefix(prefix)
}

/// `bucket/key` for `CopySource`, the key percent-encoded except for `/` and the unreserved
/// characters (S3 decodes it; spaces and `+` would otherwise be misread).
pub(crate) fn copy_source(bucket: &str, full_key: &str) -> String {
    let mut out = String::with_capacity(bucket.len() + full_key.len() + 8);
    out.push_str(bucket);
    out.push('/');
    for b in full_key.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `attachment; filename="…"` with characters that would break the header replaced.
pub(crate) fn attachment(file_name: &str) -> String {
    let safe: String =
        file_name.chars().map(|c| if c == '"' || c == '\\' || c.is_control() { '_' } else { c }).collect();
    format!("attachment; filename=\"{safe}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_sources_are_encoded() {
        let table = [
            ("b", "a/b.pdf", "b/a/b.pdf"),
            ("b", "u/face sheet.pdf", "b/u/face%20sheet.pdf"),
            ("b", "u/a+b&c#d.pdf", "b/u/a%2Bb%26c%23d.pdf"),
            ("b", "u/résumé.pdf", "b/u/r%C3%A9sum%C3%A9.pdf"),
        ];
        for (bucket, key, expected) in table {
            assert_eq!(copy_source(bucket, key), expected, "{key}");
        }
    }

    #[test]
    fn prefixes() {
        assert_eq!(full_key("t/", "a/b"), "t/a/b");
        assert_eq!(strip_prefix("t/", "t/a/b"), Some("a/b"));
        assert_eq!(strip_prefix("t/", "u/a/b"), None);
        assert_eq!(attachment("a \"b\".pdf"), "attachment; filename=\"a _b_.pdf\"");
    }
}
