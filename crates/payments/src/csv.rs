//! RFC 4180 records: fields separated by commas, quoted when they hold a comma, a quote, CR or
//! LF (quotes doubled inside), records ended by CRLF.

use std::io;

/// Appends one record to `out`.
pub(crate) fn write_record<'a>(
    out: &mut impl io::Write,
    fields: impl IntoIterator<Item = &'a str>,
) -> io::Result<()> {
    let mut line = String::new();
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        push_field(&mut line, field);
    }
    line.push_str("\r\n");
    out.write_all(line.as_bytes())
}

fn push_field(line: &mut String, field: &str) {
    if field.contains([',', '"', '\r', '\n']) {
        line.push('"');
        line.push_str(&field.replace('"', "\"\""));
        line.push('"');
    } else {
        line.push_str(field);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        let table: &[(&[&str], &str)] = &[
            (&["a", "b"], "a,b\r\n"),
            (&["", ""], ",\r\n"),
            (&["Doe, Jane"], "\"Doe, Jane\"\r\n"),
            (&["say \"hi\""], "\"say \"\"hi\"\"\"\r\n"),
            (&["two\nlines", "cr\r"], "\"two\nlines\",\"cr\r\"\r\n"),
            (&[" spaced ", "O'Connor", "Zoë"], " spaced ,O'Connor,Zoë\r\n"),
        ];
        for (fields, line) in table {
            let mut out = Vec::new();
            write_record(&mut out, fields.iter().copied()).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), *line, "{fields:?}");
        }
    }
}
