//! The text of one element of an XML answer (`<Code>`, `<Message>`), with
//! its character references decoded (`&amp;`, `&#43;`, `&#x2F;`), so that what
//! is shown, and what the redaction layer looks at, is the text the server
//! meant. No XML parser: answers are read for these few fields only. Pure.

/// The trimmed text of the first `<name>...</name>` element, decoded; `None` when absent or empty.
pub fn element(body: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = body.find(&open)? + open.len();
    let end = start + body[start..].find(&format!("</{name}>"))?;
    let text = decode(body[start..end].trim());
    (!text.is_empty()).then_some(text)
}

/// Decodes the five named entities and numeric character references; leaves anything else as it is.
pub fn decode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let Some(end) = tail.find(';').filter(|end| *end <= 10) else {
            out.push('&');
            rest = &tail[1..];
            continue;
        };
        let entity = &tail[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &tail[end + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_are_read_with_their_references_decoded() {
        let body = "<Error><Code>abc&#43;d&#x2F;e&#61;&amp;</Code><Message> hi &lt;x&gt; </Message></Error>";
        assert_eq!(element(body, "Code").as_deref(), Some("abc+d/e=&"));
        assert_eq!(element(body, "Message").as_deref(), Some("hi <x>"));
        assert_eq!(element(body, "RequestId"), None);
        assert_eq!(decode("a & b &bogus; &#xZZ;"), "a & b &bogus; &#xZZ;");
    }
}
