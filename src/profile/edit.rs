//! Edits on a [`Document`] that change only the lines they must: set, rename
//! and remove a key; add a section; rename a section header. New lines use
//! the file's own line ending; a new key goes after its section's last key; a
//! missing section is appended (after adding a missing final newline).
//!
//! `set` writes what it is given; `set_checked` refuses what `validate`
//! refuses (injected lines, truncated values) and is the one for outside input.
//!
//! Sections are named by what the SDK sees (`SectionName`), so `[profile  dev]`
//! and `[profile dev]` are the same section, as they are to the SDK.

use super::document::property_spans;
use super::document::{Document, FileKind, Line, LineKind};
use super::view::split_header;

/// A section as the SDK names it: optional prefix (`profile`, `sso-session`,
/// `services`) and a name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SectionName {
    pub prefix: Option<String>,
    pub name: String,
}

impl SectionName {
    /// The section that holds profile `name` in the given file, as `aws configure set`
    /// writes it: `[name]` in credentials, `[profile name]` in config (`[default]` for default).
    pub fn profile(file: FileKind, name: &str) -> Self {
        let prefix = match file {
            FileKind::Config if name != "default" => Some("profile".to_string()),
            _ => None,
        };
        SectionName { prefix, name: name.to_string() }
    }

    /// Parses header text (`profile dev`) into a name.
    pub fn from_header(header: &str) -> Self {
        let (prefix, name) = split_header(header);
        SectionName { prefix: prefix.map(str::to_string), name: name.to_string() }
    }

    /// The header text to write: `profile dev`, `default`.
    pub fn header_text(&self) -> String {
        match &self.prefix {
            Some(prefix) => format!("{prefix} {}", self.name),
            None => self.name.clone(),
        }
    }

    fn matches(&self, header: &str) -> bool {
        let (prefix, name) = split_header(header);
        prefix == self.prefix.as_deref() && name == self.name
    }
}

/// A section's extent: the header line and the lines up to the next header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    header: usize,
    end: usize,
}

impl Document {
    /// Every occurrence of a section, in file order.
    fn spans(&self, section: &SectionName) -> Vec<Span> {
        let lines = self.lines();
        let mut spans = Vec::new();
        for (index, line) in lines.iter().enumerate() {
            if line.header().is_some_and(|h| section.matches(h)) {
                let end =
                    lines[index + 1..].iter().position(Line::starts_section).map_or(lines.len(), |p| index + 1 + p);
                spans.push(Span { header: index, end });
            }
        }
        spans
    }

    /// Whether the section exists.
    pub fn has_section(&self, section: &SectionName) -> bool {
        !self.spans(section).is_empty()
    }

    /// Indices of the lines setting `key` in the section, in file order.
    fn key_lines(&self, section: &SectionName, key: &str) -> Vec<usize> {
        let key = key.to_ascii_lowercase();
        self.spans(section)
            .into_iter()
            .flat_map(|span| span.header + 1..span.end)
            .filter(|&i| self.lines()[i].key() == Some(key.as_str()))
            .collect()
    }

    /// The indented lines that belong to the property on line `index` (its
    /// sub-properties or the rest of its value), as the SDK's parser reads
    /// them: up to the next header or property, across blank and comment lines
    /// (which stay: they are not part of the value).
    fn continuation_lines(&self, index: usize) -> Vec<usize> {
        self.lines()[index + 1..]
            .iter()
            .enumerate()
            .take_while(|(_, l)| {
                matches!(l.kind(), LineKind::Continuation { .. } | LineKind::Blank | LineKind::Comment)
            })
            .filter(|(_, l)| matches!(l.kind(), LineKind::Continuation { .. }))
            .map(|(offset, _)| index + 1 + offset)
            .collect()
    }

    /// Removes lines by index.
    fn drop_lines(&mut self, indices: &[usize]) {
        for &at in indices.iter().rev() {
            self.lines_mut().remove(at);
        }
    }

    /// Sets `key = value` in the section; returns the 1-based line written.
    /// Updates the line that wins (the last), else inserts after the section's
    /// last key, else appends the section.
    pub fn set(&mut self, section: &SectionName, key: &str, value: &str) -> usize {
        let eol = self.line_ending();
        if let Some(&index) = self.key_lines(section, key).last() {
            let subs = self.continuation_lines(index);
            let rewritten = replace_value(self.lines()[index].raw(), value);
            self.drop_lines(&subs);
            self.lines_mut()[index] = Line::new(rewritten);
            return index + 1;
        }
        let text = format!("{key} = {value}{eol}");
        match self.spans(section).last() {
            Some(span) => {
                let lines = self.lines();
                // After the last key (and its indented lines), else right after the header.
                let after = (span.header + 1..span.end)
                    .rev()
                    .find(|&i| matches!(lines[i].kind(), LineKind::Property { .. } | LineKind::Continuation { .. }))
                    .unwrap_or(span.header);
                let at = after + 1;
                self.ensure_line_ended(at - 1);
                self.lines_mut().insert(at, Line::new(text));
                at + 1
            }
            None => {
                self.add_section(section);
                let at = self.lines().len();
                self.lines_mut().push(Line::new(text));
                at + 1
            }
        }
    }

    /// [`Document::set`] after checking the section, key and value with
    /// [`super::validate`]: for every value typed by a person or received from
    /// the network. Nothing changes when one is refused.
    pub fn set_checked(
        &mut self,
        section: &SectionName,
        key: &str,
        value: &str,
    ) -> Result<usize, super::validate::Invalid> {
        super::validate::section(section.prefix.as_deref(), &section.name)?;
        super::validate::key(key, value)?;
        super::validate::value(value)?;
        Ok(self.set(section, key, value))
    }

    /// Appends `[section]` (with a blank line before it when the file has content).
    pub fn add_section(&mut self, section: &SectionName) {
        let eol = self.line_ending();
        if let Some(last) = self.lines().len().checked_sub(1) {
            self.ensure_line_ended(last);
            if !matches!(self.lines()[last].kind(), LineKind::Blank) {
                self.lines_mut().push(Line::new(eol.to_string()));
            }
        }
        let header = format!("[{}]{eol}", section.header_text());
        self.lines_mut().push(Line::new(header));
    }

    /// Removes every line setting `key` in the section (with its indented lines).
    /// Returns how many keys were removed.
    pub fn remove(&mut self, section: &SectionName, key: &str) -> usize {
        let found = self.key_lines(section, key);
        for &index in found.iter().rev() {
            let mut lines = vec![index];
            lines.extend(self.continuation_lines(index));
            self.drop_lines(&lines);
        }
        found.len()
    }

    /// Renames a key in place, keeping its value, spacing and comment.
    pub fn rename_key(&mut self, section: &SectionName, from: &str, to: &str) -> usize {
        let found = self.key_lines(section, from);
        for &index in &found {
            let raw = self.lines()[index].raw();
            let Ok(spans) = property_spans(raw) else { continue };
            let rewritten = format!("{}{to}{}", &raw[..spans.key.start], &raw[spans.key.end..]);
            self.lines_mut()[index] = Line::new(rewritten);
        }
        found.len()
    }

    /// Renames every header of a section in place (keeping any trailing comment).
    pub fn rename_section(&mut self, from: &SectionName, to: &SectionName) -> usize {
        let spans = self.spans(from);
        for span in &spans {
            let raw = self.lines()[span.header].raw();
            let open = raw.find('[').unwrap_or(0);
            let close = raw[open..].find(']').map_or(raw.len(), |c| open + c);
            let rewritten = format!("{}[{}{}", &raw[..open], to.header_text(), &raw[close..]);
            self.lines_mut()[span.header] = Line::new(rewritten);
        }
        spans.len()
    }

    /// Gives line `index` a line ending if it has none (the file's last line).
    fn ensure_line_ended(&mut self, index: usize) {
        let eol = self.line_ending();
        if let Some(line) = self.lines().get(index)
            && line.ending().is_empty()
        {
            // A last line that ends in a stray CR keeps it as text: `\n` alone would make it a CRLF ending.
            let eol = if line.raw().ends_with('\r') { "\r\n" } else { eol };
            let raw = format!("{}{eol}", line.raw());
            self.lines_mut()[index] = Line::new(raw);
        }
    }
}

/// Replaces the value of a `key = value` line, keeping the key, the spacing
/// around `=`, a trailing comment and the line ending.
fn replace_value(raw: &str, value: &str) -> String {
    let ending_len = raw.len() - raw.trim_end_matches(['\n', '\r']).len();
    let (body, ending) = raw.split_at(raw.len() - ending_len);
    let Ok(spans) = property_spans(body) else {
        return format!("{body}{value}{ending}");
    };
    let lead = &body[spans.eq + 1..spans.value.start];
    // `key =value`-style lines keep their style; `key =` gets the space `key = value` has.
    let spacing = if lead.is_empty() && !value.is_empty() && body[..spans.eq].ends_with(' ') { " " } else { lead };
    format!("{}{spacing}{value}{}{ending}", &body[..=spans.eq], &body[spans.value.end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dev() -> SectionName {
        SectionName::profile(FileKind::Config, "dev")
    }

    #[test]
    fn set_updates_only_the_value() {
        let mut doc = Document::parse("[profile dev]\r\nregion=us-east-1 # home\r\noutput = json\r\n");
        doc.set(&dev(), "region", "eu-west-1");
        assert_eq!(doc.render(), "[profile dev]\r\nregion=eu-west-1 # home\r\noutput = json\r\n");
    }

    #[test]
    fn set_inserts_after_the_last_key_and_appends_sections() {
        let mut doc = Document::parse("[profile dev]\nregion = x\n\n# other\n[profile ops]\nregion = y");
        doc.set(&dev(), "output", "json");
        doc.set(&SectionName::profile(FileKind::Config, "new"), "region", "z");
        assert_eq!(
            doc.render(),
            "[profile dev]\nregion = x\noutput = json\n\n# other\n[profile ops]\nregion = y\n\n[profile new]\nregion = z\n"
        );
    }

    #[test]
    fn set_replaces_sub_properties() {
        let mut doc = Document::parse("[default]\ns3 =\n  max = 1\nregion = a\n");
        doc.set(&SectionName::profile(FileKind::Config, "default"), "s3", "off");
        assert_eq!(doc.render(), "[default]\ns3 = off\nregion = a\n");
    }

    #[test]
    fn set_drops_the_old_value_s_indented_lines_across_comments() {
        // The SDK reads `  a=` as part of `output` even after the comment: it must go with the old value.
        let mut doc = Document::parse("[default]\noutput=\n#\n  a=");
        doc.set(&SectionName::profile(FileKind::Config, "default"), "output", "a");
        assert_eq!(doc.render(), "[default]\noutput=a\n#\n");
        let mut doc = Document::parse("[default]\ns3 =\n\n  max = 1\nregion = x\n");
        doc.remove(&SectionName::profile(FileKind::Config, "default"), "s3");
        assert_eq!(doc.render(), "[default]\n\nregion = x\n");
    }

    #[test]
    fn rename_and_remove() {
        let mut doc = Document::parse("[profile dev] # mine\naws_secret_key = S\naws_session_token = T\n  more\n");
        doc.rename_key(&dev(), "aws_secret_key", "aws_secret_access_key");
        doc.remove(&dev(), "aws_session_token");
        doc.rename_section(&dev(), &SectionName::from_header("profile prod"));
        assert_eq!(doc.render(), "[profile prod] # mine\naws_secret_access_key = S\n");
    }
}
