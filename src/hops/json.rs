//! JSON documents from outside (process output, endpoint answers, cache
//! files): parsed into an object with errors that name the first bad byte
//! (line, column, the character escaped) without ever quoting the document,
//! and fields looked up case-insensitively as the SDKs do. Pure.

use serde_json::{Map, Value};

/// Why a document is not the JSON object expected. Never holds document content
/// except the single offending character, escaped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonProblem {
    Empty,
    /// A byte that is not UTF-8, at 1-based line and column (in characters).
    NotUtf8 {
        line: usize,
        column: usize,
        byte: u8,
    },
    /// A syntax error at 1-based line and column; `found` is the character there, escaped.
    Syntax {
        line: usize,
        column: usize,
        found: Option<String>,
        expected: String,
    },
    /// The document ends before it is complete.
    Truncated {
        line: usize,
        column: usize,
    },
    /// Valid JSON, but not an object.
    NotAnObject {
        found: &'static str,
    },
}

impl JsonProblem {
    /// A sentence for people.
    pub fn describe(&self) -> String {
        match self {
            JsonProblem::Empty => "it is empty".into(),
            JsonProblem::NotUtf8 { line, column, byte } => {
                format!("byte 0x{byte:02x} at line {line}, column {column} is not UTF-8")
            }
            JsonProblem::Syntax { line, column, found: Some(found), expected } => {
                format!("it is not JSON: line {line}, column {column}: found `{found}`, {expected}")
            }
            JsonProblem::Syntax { line, column, found: None, expected } => {
                format!("it is not JSON: line {line}, column {column}: {expected}")
            }
            JsonProblem::Truncated { line, column } => {
                format!("it is not JSON: the document ends early (line {line}, column {column})")
            }
            JsonProblem::NotAnObject { found } => format!("it is JSON but {found}, not an object {{...}}"),
        }
    }
}

/// Line and column (1-based, in characters) of a byte offset.
fn position(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = 1 + before.iter().filter(|b| **b == b'\n').count();
    let line_start = before.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let column = 1 + String::from_utf8_lossy(&before[line_start..]).chars().count();
    (line, column)
}

/// The byte offset of a 1-based line and byte column (serde_json counts bytes).
fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    let offset = start + column.checked_sub(1)?;
    (offset <= text.len()).then_some(offset)
}

/// The kind of a JSON value, in words.
pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Parses a JSON object.
pub fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, JsonProblem> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(JsonProblem::Empty);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let offset = e.valid_up_to();
            let (line, column) = position(bytes, offset);
            return Err(JsonProblem::NotUtf8 { line, column, byte: bytes[offset] });
        }
    };
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(JsonProblem::NotAnObject { found: kind(&other) }),
        Err(e) => {
            let (line, byte_column) = (e.line(), e.column());
            let offset = offset_of(text, line, byte_column.max(1));
            let (line, column) = offset.map_or((line, byte_column), |o| position(bytes, o));
            if e.is_eof() {
                return Err(JsonProblem::Truncated { line, column });
            }
            // serde_json points at the offending byte (column counts from 1,
            // and 0 means "before the first byte of the line").
            let found = offset.and_then(|o| text.get(o..)).and_then(|rest| rest.chars().next());
            let message = e.to_string();
            let expected = message.split(" at line ").next().unwrap_or("invalid JSON").to_string();
            Err(JsonProblem::Syntax {
                line,
                column,
                found: found.map(super::text::escape_char),
                expected: expected.replace("trailing characters", "more text after the JSON document"),
            })
        }
    }
}

/// A field by name, ignoring ASCII case (the SDKs read these documents so).
pub fn get_ci<'a>(map: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    map.get(name).or_else(|| map.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v))
}

/// A string field (case-insensitive); `Err(kind)` when present with another type.
pub fn get_str<'a>(map: &'a Map<String, Value>, name: &str) -> Result<Option<&'a str>, &'static str> {
    match get_ci(map, name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(kind(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_first_bad_byte() {
        let banner = b"Fetching credentials...\n{\"Version\": 1}";
        match parse_object(banner) {
            Err(JsonProblem::Syntax { line: 1, column: 1, found: Some(f), .. }) => assert_eq!(f, "F"),
            other => panic!("{other:?}"),
        }
        let trailing = b"{\"a\": 1}\nDone\n";
        match parse_object(trailing) {
            Err(JsonProblem::Syntax { line: 2, column: 1, found: Some(f), expected }) => {
                assert_eq!(f, "D");
                assert!(expected.contains("more text"), "{expected}");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(parse_object(b"{\"a\": "), Err(JsonProblem::Truncated { .. })));
        assert!(matches!(parse_object(b"[1]"), Err(JsonProblem::NotAnObject { found: "an array" })));
        assert!(matches!(
            parse_object(b"{\"a\": \"\xff\"}"),
            Err(JsonProblem::NotUtf8 { line: 1, column: 8, byte: 0xff })
        ));
        assert!(matches!(parse_object(b" \n"), Err(JsonProblem::Empty)));
    }

    #[test]
    fn escaped_control_character() {
        match parse_object(b"\x1b[31m{}") {
            Err(JsonProblem::Syntax { found: Some(f), .. }) => assert_eq!(f, "\\e"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn fields_ignore_case() {
        let map = parse_object(br#"{"accesskeyid": "A", "Version": 1}"#).expect("object");
        assert_eq!(get_str(&map, "AccessKeyId"), Ok(Some("A")));
        assert_eq!(get_str(&map, "Version"), Err("a number"));
    }
}
