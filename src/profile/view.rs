//! The SDK's view of the two shared files: which profiles, SSO sessions and
//! keys the AWS SDKs would see, each with the file and line it came from, and
//! what they would silently ignore or fail on.
//!
//! This mirrors `aws-runtime`'s `env_config` parse and normalize steps rule
//! for rule (the property tests compare it with `aws_config::profile::load`),
//! but keeps line numbers so every finding can point at the line to fix.

use super::document::{Document, FileKind, LineKind, WHITESPACE};
use std::collections::BTreeMap;

/// Where a value came from: the file and the 1-based line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Origin {
    pub file: FileKind,
    pub line: usize,
}

/// One key as the SDK would see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    /// The value after trimming (sub-properties joined with `\n`, as the SDK does).
    pub value: String,
    /// The line of the `key =` line that won.
    pub origin: Origin,
}

/// A profile (or SSO session) after both files are merged.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Section {
    /// Lowercased key -> the value that wins.
    pub properties: BTreeMap<String, Property>,
    /// Every header line that contributed, in merge order.
    pub headers: Vec<Origin>,
}

impl Section {
    /// The value of a key, if set.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.properties.get(key).map(|p| p.value.as_str())
    }
}

/// Something the SDK would silently skip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ignored {
    pub origin: Origin,
    /// The section header text, e.g. `profile dev` in the credentials file.
    pub header: String,
    /// The key, when one key (not a whole section) is ignored.
    pub key: Option<String>,
    pub reason: String,
}

impl Ignored {
    /// How to fix a `[default]` the config file's `[profile default]` shadows.
    pub const SHADOWED_DEFAULT_FIX: &'static str =
        "merge its keys into [profile default] and delete it (the SDKs read only [profile default])";

    /// Whether this is a `[default]` in the config file, ignored because
    /// `[profile default]` is there too: dead text, while the profile works.
    pub fn is_shadowed_default(&self) -> bool {
        self.origin.file == FileKind::Config && self.key.is_none() && split_header(&self.header) == (None, "default")
    }
}

/// A line that makes the SDK reject the whole file (every profile in it is lost).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseFailure {
    pub origin: Origin,
    pub message: String,
}

/// The merged view of both files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SdkView {
    pub profiles: BTreeMap<String, Section>,
    pub sso_sessions: BTreeMap<String, Section>,
    /// `[services NAME]` and other prefixed sections: `prefix name` -> section.
    pub other_sections: BTreeMap<String, Section>,
    pub ignored: Vec<Ignored>,
    /// When set, the SDK fails to load the profile files at all.
    pub failures: Vec<ParseFailure>,
}

/// One header's worth of raw properties, before normalization.
struct RawSection {
    header: String,
    header_line: usize,
    /// In order of (last) definition; a redefined key leaves a `None` behind.
    properties: Vec<Option<(String, Property)>>,
    /// Key -> its slot in `properties`: every lookup is O(1), so a section
    /// with many keys and continuation lines parses in linear time.
    slots: std::collections::HashMap<String, usize>,
}

impl RawSection {
    /// Sets a key; a redefinition replaces the earlier value and moves to the end.
    fn define(&mut self, key: &str, property: Property) {
        if let Some(old) = self.slots.get(key).copied() {
            self.properties[old] = None;
        }
        self.slots.insert(key.to_string(), self.properties.len());
        self.properties.push(Some((key.to_string(), property)));
    }

    /// The property of a key, to extend with a continuation line.
    fn property_mut(&mut self, key: &str) -> Option<&mut Property> {
        let slot = *self.slots.get(key)?;
        self.properties[slot].as_mut().map(|(_, p)| p)
    }
}

/// Parses one document the way the SDK's parser does. Returns the raw
/// sections in order of first appearance (same header text merged, as the
/// SDK's map does) and the first parse failure, if any.
fn parse_raw(doc: &Document, file: FileKind) -> (Vec<RawSection>, Option<ParseFailure>) {
    let mut sections: Vec<RawSection> = Vec::new();
    let mut by_header: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut current: Option<usize> = None;
    // The key being read and whether it opened a sub-property block.
    let mut property: Option<(String, bool)> = None;
    let fail =
        |line: usize, message: &str| ParseFailure { origin: Origin { file, line }, message: message.to_string() };
    // The SDKs read a byte-order mark as part of the first line, which then
    // fails to parse; the rest of the file is still read here for the lints.
    let bom_failure = doc
        .has_bom()
        .then(|| fail(1, "the file starts with a UTF-8 byte-order mark, which the AWS SDKs and CLI cannot read"));
    for (index, line) in doc.lines().iter().enumerate() {
        let number = index + 1;
        match line.kind() {
            LineKind::Blank | LineKind::Comment => {}
            LineKind::BadHeader => {
                return (sections, bom_failure.or(Some(fail(number, "section header must end with ']'"))));
            }
            LineKind::Header { name } => {
                let pos = *by_header.entry(name.as_str()).or_insert_with(|| {
                    sections.push(RawSection {
                        header: name.clone(),
                        header_line: number,
                        properties: Vec::new(),
                        slots: std::collections::HashMap::new(),
                    });
                    sections.len() - 1
                });
                current = Some(pos);
                property = None;
            }
            LineKind::Property { key, value } => {
                let Some(pos) = current else {
                    return (
                        sections,
                        bom_failure.or(Some(fail(number, "expected a [section] header before this property"))),
                    );
                };
                property = Some((key.clone(), value.is_empty()));
                let origin = Origin { file, line: number };
                sections[pos].define(key, Property { value: value.clone(), origin });
            }
            LineKind::BadProperty { reason } => {
                if current.is_none() {
                    return (
                        sections,
                        bom_failure.or(Some(fail(number, "expected a [section] header before this line"))),
                    );
                }
                return (sections, bom_failure.or(Some(fail(number, reason))));
            }
            LineKind::Continuation { text } => {
                let (Some(pos), Some((key, is_sub))) = (current, property.as_ref()) else {
                    let message = if current.is_none() {
                        "expected a [section] header before this line"
                    } else {
                        "indented line with no property before it"
                    };
                    return (sections, bom_failure.or(Some(fail(number, message))));
                };
                if *is_sub
                    && !text.is_empty()
                    && let Err(reason) = super::document::split_property(text)
                {
                    return (sections, bom_failure.or(Some(fail(number, &format!("sub-property: {reason}")))));
                }
                if let Some(prop) = sections[pos].property_mut(key) {
                    prop.value.push('\n');
                    prop.value.push_str(text);
                }
            }
        }
    }
    (sections, bom_failure)
}

/// Whether the SDK accepts a profile name or key (`validate_identifier`).
pub fn is_identifier(input: &str) -> bool {
    input.chars().all(|ch| ch.is_ascii_alphanumeric() || "_-/.%@:+".contains(ch))
}

/// Splits a header into (prefix, name) on the first space or tab, as the SDK does.
pub fn split_header(header: &str) -> (Option<&str>, &str) {
    let header = header.trim_matches(WHITESPACE);
    match header.split_once(WHITESPACE) {
        Some((prefix, name)) => (Some(prefix.trim()), name.trim()),
        None => (None, header.trim()),
    }
}

/// Why the SDK ignores a section header in this file, if it does.
fn header_rejection(file: FileKind, prefix: Option<&str>, name: &str) -> Option<String> {
    match (file, prefix) {
        (FileKind::Config, Some(prefix)) if !is_identifier(name) => Some(format!(
            "[{prefix} {name}] is ignored: `{name}` is not a valid name (letters, digits and _-/.%@:+ only)"
        )),
        (FileKind::Config, None) if name != "default" => {
            Some(format!("[{name}] is ignored: in the config file a profile section must be written [profile {name}]"))
        }
        (FileKind::Credentials, Some("profile")) => {
            Some(format!("[profile {name}] is ignored: in the credentials file the section must be written [{name}]"))
        }
        (FileKind::Credentials, Some(prefix)) => {
            Some(format!("[{prefix} {name}] is ignored: such sections belong in the config file"))
        }
        (FileKind::Credentials, None) if !is_identifier(name) => {
            Some(format!("[{name}] is ignored: `{name}` is not a valid name (letters, digits and _-/.%@:+ only)"))
        }
        _ => None,
    }
}

impl SdkView {
    /// Builds the merged view: config first, then credentials (which wins).
    pub fn build(config: Option<&Document>, credentials: Option<&Document>) -> Self {
        let mut view = SdkView::default();
        for (file, doc) in [(FileKind::Config, config), (FileKind::Credentials, credentials)] {
            if let Some(doc) = doc {
                view.merge(file, doc);
            }
        }
        view
    }

    /// Whether the SDK would fail to load the profile files.
    pub fn is_broken(&self) -> bool {
        !self.failures.is_empty()
    }

    /// Profile names, sorted.
    pub fn profile_names(&self) -> impl Iterator<Item = &str> {
        self.profiles.keys().map(String::as_str)
    }

    fn merge(&mut self, file: FileKind, doc: &Document) {
        let (raw, failure) = parse_raw(doc, file);
        if let Some(failure) = failure {
            self.failures.push(failure);
        }
        let mut accepted = Vec::new();
        for section in raw {
            let (prefix, name) = split_header(&section.header);
            let origin = Origin { file, line: section.header_line };
            match header_rejection(file, prefix, name) {
                Some(reason) => {
                    self.ignored.push(Ignored { origin, header: section.header.clone(), key: None, reason })
                }
                None => accepted.push((prefix.map(str::to_string), name.to_string(), section)),
            }
        }
        let has_prefixed_default = accepted.iter().any(|(p, n, _)| p.as_deref() == Some("profile") && n == "default");
        for (prefix, name, section) in accepted {
            let origin = Origin { file, line: section.header_line };
            if has_prefixed_default && prefix.is_none() && name == "default" {
                self.ignored.push(Ignored {
                    origin,
                    header: section.header.clone(),
                    key: None,
                    reason: "[default] is ignored because [profile default] is also present and takes priority".into(),
                });
                continue;
            }
            let target = match prefix.as_deref() {
                None | Some("profile") => self.profiles.entry(name).or_default(),
                Some("sso-session") => self.sso_sessions.entry(name).or_default(),
                Some(other) => self.other_sections.entry(format!("{other} {name}")).or_default(),
            };
            target.headers.push(origin);
            for (key, prop) in section.properties.into_iter().flatten() {
                if is_identifier(&key) {
                    target.properties.insert(key, prop);
                } else {
                    self.ignored.push(Ignored {
                        origin: prop.origin,
                        header: section.header.clone(),
                        reason: format!("key `{key}` is ignored: not a valid key name"),
                        key: Some(key),
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(config: &str, credentials: &str) -> SdkView {
        SdkView::build(Some(&Document::parse(config)), Some(&Document::parse(credentials)))
    }

    #[test]
    fn credentials_win_and_lines_are_kept() {
        let v = view(
            "[profile dev]\nregion = eu-west-1\naws_access_key_id = FROMCONFIG\n",
            "# c\n[dev]\naws_access_key_id = FROMCREDS\n",
        );
        let dev = &v.profiles["dev"];
        assert_eq!(dev.get("region"), Some("eu-west-1"));
        let key = &dev.properties["aws_access_key_id"];
        assert_eq!(key.value, "FROMCREDS");
        assert_eq!(key.origin, Origin { file: FileKind::Credentials, line: 3 });
    }

    #[test]
    fn misnamed_sections_are_ignored_with_a_reason() {
        let v = view("[dev]\nregion = x\n", "[profile ops]\naws_access_key_id = A\n");
        assert!(v.profiles.is_empty());
        assert_eq!(v.ignored.len(), 2);
        assert!(v.ignored[0].reason.contains("[profile dev]"));
        assert!(v.ignored[1].reason.contains("[ops]"));
    }

    #[test]
    fn sub_properties_and_broken_lines() {
        let v = view("[default]\ns3 =\n  max_concurrent_requests = 10\n", "");
        assert_eq!(v.profiles["default"].get("s3"), Some("\nmax_concurrent_requests = 10"));
        let broken = view("[default]\nnot ini\n", "");
        assert_eq!(broken.failures[0].origin.line, 2);
    }
}
