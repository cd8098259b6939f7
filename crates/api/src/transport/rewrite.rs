//! Which outgoing bytes are a parser-error answer, and its JSON replacement.
//!
//! actix-http answers a request head it cannot parse (a negative `Content-Length`,
//! `Content-Length` with `Transfer-Encoding`, a raw 0xFF in the target, …) with an empty 400,
//! a head that arrives too slowly with an empty 408 and an oversized head with an empty 431,
//! then closes the connection — before any application code runs. The application itself
//! never sends an error without a body, so an error head with `content-length: 0` at the start
//! of a response is exactly one of those. [`Framing`] follows the responses on a connection
//! (heads, sized and chunked bodies) so that only a real response start is ever looked at.

/// Where the writer is in the stream of responses.
#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    /// Collecting a response head (bytes held until it is complete).
    Head(Vec<u8>),
    /// Inside a body of known length.
    Sized(u64),
    /// Inside a chunked body.
    Chunked(Chunk),
    /// A body that ends when the connection closes: nothing after it is a response.
    UntilClose,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Chunk {
    /// Reading a chunk-size line.
    Size(Vec<u8>),
    /// Inside chunk data (bytes left, then CRLF).
    Data(u64),
    /// After the zero-size chunk: the final CRLF (no trailers are sent).
    End(u8),
}

/// Follows the responses written on one connection and rewrites parser-error answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Framing {
    state: State,
}

impl Default for Framing {
    fn default() -> Self {
        Self { state: State::Head(Vec::new()) }
    }
}

/// The parts of a response head the framing needs.
struct Head {
    status: u16,
    content_length: Option<u64>,
    chunked: bool,
}

fn parse_head(head: &[u8]) -> Option<Head> {
    let text = std::str::from_utf8(head).ok()?;
    let mut lines = text.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let mut content_length = None;
    let mut chunked = false;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else { continue };
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            content_length = value.parse().ok();
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = value.to_ascii_lowercase().contains("chunked");
        }
    }
    Some(Head { status, content_length, chunked })
}

/// The JSON answer replacing an empty parser error, or `None` when `head` is not one.
fn replacement(head: &[u8], parsed: &Head, request_id: &str) -> Option<Vec<u8>> {
    let (code, detail) = match parsed.status {
        400 => ("malformed_request", "The request could not be parsed as HTTP/1.1"),
        408 => ("request_timeout", "The request head arrived too slowly"),
        431 => ("headers_too_large", "The request head is too large"),
        _ => return None,
    };
    if parsed.content_length != Some(0) || parsed.chunked {
        return None;
    }
    let body = serde_json::json!({"detail": detail, "code": code, "request_id": request_id}).to_string();
    let text = std::str::from_utf8(head).ok()?;
    let mut out = String::with_capacity(head.len() + body.len() + 128);
    for (i, line) in text.trim_end_matches("\r\n").split("\r\n").enumerate() {
        if i > 0 && line.to_ascii_lowercase().starts_with("content-length:") {
            continue;
        }
        out.push_str(line);
        out.push_str("\r\n");
        if i == 0 {
            out.push_str(&format!(
                "content-type: {}\r\ncontent-length: {}\r\nx-request-id: {request_id}\r\n",
                crate::errors::JSON_UTF8,
                body.len()
            ));
        }
    }
    out.push_str("\r\n");
    out.push_str(&body);
    Some(out.into_bytes())
}

fn find_crlf_crlf(bytes: &[u8]) -> Option<usize> {
    bytes.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4)
}

impl Framing {
    /// Feeds bytes the server wrote; returns what goes on the wire. A response head is held
    /// until it is complete (actix writes whole heads, so this never delays anything).
    /// `request_id` names the answer if one is rewritten.
    pub fn feed(&mut self, mut input: &[u8], request_id: &dyn Fn() -> String) -> Vec<u8> {
        let mut out = Vec::with_capacity(input.len());
        while !input.is_empty() {
            match &mut self.state {
                State::Head(held) => {
                    held.extend_from_slice(input);
                    let Some(end) = find_crlf_crlf(held) else { return out };
                    let rest = held.split_off(end);
                    let head = std::mem::take(held);
                    self.state = self.after_head(&head, &mut out, request_id);
                    // What followed the head is re-fed in the new state.
                    let mut more = self.feed(&rest, request_id);
                    out.append(&mut more);
                    return out;
                }
                State::Sized(left) => {
                    let n = usize::try_from(*left).unwrap_or(usize::MAX).min(input.len());
                    out.extend_from_slice(&input[..n]);
                    input = &input[n..];
                    *left -= n as u64;
                    if *left == 0 {
                        self.state = State::Head(Vec::new());
                    }
                }
                State::Chunked(chunk) => {
                    let (used, done) = chunk.advance(input);
                    out.extend_from_slice(&input[..used]);
                    input = &input[used..];
                    if done {
                        self.state = State::Head(Vec::new());
                    }
                }
                State::UntilClose => {
                    out.extend_from_slice(input);
                    input = &[];
                }
            }
        }
        out
    }

    /// Bytes held back (an incomplete head) to write before the connection flushes or closes.
    pub fn take_held(&mut self) -> Vec<u8> {
        match &mut self.state {
            State::Head(held) => std::mem::take(held),
            _ => Vec::new(),
        }
    }

    fn after_head(&self, head: &[u8], out: &mut Vec<u8>, request_id: &dyn Fn() -> String) -> State {
        let Some(parsed) = parse_head(head) else {
            out.extend_from_slice(head);
            return State::UntilClose;
        };
        match replacement(head, &parsed, &request_id()) {
            Some(json) => {
                out.extend_from_slice(&json);
                // The parser closes the connection after its answer.
                return State::UntilClose;
            }
            None => out.extend_from_slice(head),
        }
        let bodiless = parsed.status < 200 || parsed.status == 204 || parsed.status == 304;
        match (bodiless, parsed.chunked, parsed.content_length) {
            (true, _, _) | (false, false, Some(0)) => State::Head(Vec::new()),
            (false, true, _) => State::Chunked(Chunk::Size(Vec::new())),
            (false, false, Some(n)) => State::Sized(n),
            (false, false, None) => State::UntilClose,
        }
    }
}

impl Chunk {
    /// Consumes chunked-body bytes; returns how many were used and whether the body ended.
    fn advance(&mut self, input: &[u8]) -> (usize, bool) {
        let mut used = 0;
        while used < input.len() {
            match self {
                Chunk::Size(line) => {
                    line.push(input[used]);
                    used += 1;
                    if line.ends_with(b"\r\n") {
                        let text = String::from_utf8_lossy(&line[..line.len() - 2]).into_owned();
                        let size = u64::from_str_radix(text.split(';').next().unwrap_or("").trim(), 16);
                        *self = match size {
                            Ok(0) => Chunk::End(2),
                            Ok(n) => Chunk::Data(n + 2),
                            // Not chunked after all: stop interpreting.
                            Err(_) => return (input.len(), false),
                        };
                    }
                }
                Chunk::Data(left) => {
                    let n = usize::try_from(*left).unwrap_or(usize::MAX).min(input.len() - used);
                    used += n;
                    *left -= n as u64;
                    if *left == 0 {
                        *self = Chunk::Size(Vec::new());
                    }
                }
                Chunk::End(left) => {
                    used += 1;
                    *left -= 1;
                    if *left == 0 {
                        return (used, true);
                    }
                }
            }
        }
        (used, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> String {
        "req-1".to_owned()
    }

    fn feed_all(chunks: &[&[u8]]) -> String {
        let mut framing = Framing::default();
        let mut out = Vec::new();
        for chunk in chunks {
            out.extend(framing.feed(chunk, &id));
        }
        out.extend(framing.take_held());
        String::from_utf8_lossy(&out).into_owned()
    }

    const PARSER_400: &[u8] =
        b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\ndate: x\r\n\r\n";

    #[test]
    fn parser_errors_become_json() {
        let out = feed_all(&[PARSER_400]);
        let (head, body) = out.split_once("\r\n\r\n").unwrap_or_default();
        assert!(head.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{out}");
        assert!(head.contains("content-type: application/json; charset=utf-8"), "{out}");
        assert!(head.contains("x-request-id: req-1"), "{out}");
        assert!(head.contains("connection: close"), "{out}");
        assert!(!head.contains("content-length: 0"), "{out}");
        let json: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
        assert_eq!(json["code"], "malformed_request");
        assert_eq!(json["request_id"], "req-1");
        assert!(head.contains(&format!("content-length: {}", body.len())), "{out}");
        let timeout = feed_all(&[b"HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\n\r\n"]);
        assert!(timeout.contains("\"code\":\"request_timeout\""), "{timeout}");
        let large = feed_all(&[b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\n\r\n"]);
        assert!(large.contains("\"code\":\"headers_too_large\""), "{large}");
    }

    #[test]
    fn application_answers_pass_unchanged() {
        let json_400 =
            b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}";
        let ok = b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello";
        let empty_ok = b"HTTP/1.1 204 No Content\r\n\r\n";
        let chunked = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
        for response in [&json_400[..], &ok[..], &empty_ok[..], &chunked[..]] {
            assert_eq!(feed_all(&[response]).as_bytes(), response);
        }
        // Split anywhere, concatenated: still unchanged.
        let all = [&json_400[..], &ok[..], &empty_ok[..], &chunked[..]].concat();
        for cut in [1, 17, 40, all.len() / 2, all.len() - 3] {
            assert_eq!(feed_all(&[&all[..cut], &all[cut..]]).as_bytes(), &all[..], "cut at {cut}");
        }
    }

    #[test]
    fn only_a_response_start_is_rewritten() {
        // A body that happens to hold an empty error head is data, not a response.
        let body: &[u8] = PARSER_400;
        let response =
            [format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n", body.len()).as_bytes(), body].concat();
        assert_eq!(feed_all(&[&response]).as_bytes(), &response[..]);
        let chunked = [
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n".as_slice(),
            format!("{:x}\r\n", body.len()).as_bytes(),
            body,
            b"\r\n0\r\n\r\n",
        ]
        .concat();
        assert_eq!(feed_all(&[&chunked]).as_bytes(), &chunked[..]);
        // After a complete response, the parser's answer to a pipelined bad request is rewritten.
        let ok = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok";
        let out = feed_all(&[&[&ok[..], PARSER_400].concat()]);
        assert!(out.starts_with("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nokHTTP/1.1 400"), "{out}");
        assert!(out.contains("malformed_request"), "{out}");
    }
}
