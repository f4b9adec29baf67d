//! Access key ids and what their prefix says about them: a long-term IAM
//! user key (`AKIA`), temporary session credentials (`ASIA`), or something
//! else (a malformed value, another kind of IAM id). Pure.

use crate::base::display::mask_key_id;

/// Keys older than this should be rotated.
pub const KEY_MAX_AGE_DAYS: i64 = 90;

/// What kind of credentials a key id belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// `AKIA`: an IAM user's access key; never comes with a session token.
    LongTerm,
    /// `ASIA`: temporary credentials; always need their session token.
    Temporary,
    /// Anything else: the lints say what.
    Other,
}

/// An access key id as read (it may be malformed: the lints look at it).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct AccessKeyId(String);

impl AccessKeyId {
    /// Wraps a value as read.
    pub fn new(value: impl Into<String>) -> Self {
        AccessKeyId(value.into())
    }

    /// The id as read.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The kind its prefix names.
    pub fn kind(&self) -> KeyKind {
        if self.0.starts_with("AKIA") {
            KeyKind::LongTerm
        } else if self.0.starts_with("ASIA") {
            KeyKind::Temporary
        } else {
            KeyKind::Other
        }
    }

    /// Whether this is a long-term user key (`AKIA`).
    pub fn is_long_term(&self) -> bool {
        self.kind() == KeyKind::LongTerm
    }

    /// Whether this is a temporary key (`ASIA`).
    pub fn is_temporary(&self) -> bool {
        self.kind() == KeyKind::Temporary
    }

    /// Masked the way `aws configure list` shows it.
    pub fn masked(&self) -> String {
        mask_key_id(&self.0)
    }
}

impl From<&str> for AccessKeyId {
    fn from(value: &str) -> Self {
        AccessKeyId::new(value)
    }
}

impl From<String> for AccessKeyId {
    fn from(value: String) -> Self {
        AccessKeyId(value)
    }
}

impl PartialEq<str> for AccessKeyId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prefix_tells_the_kind() {
        assert_eq!(AccessKeyId::from("AKIAIOSFODNN7EXAMPLE").kind(), KeyKind::LongTerm);
        assert_eq!(AccessKeyId::from("ASIAIOSFODNN7EXAMPLE").kind(), KeyKind::Temporary);
        assert_eq!(AccessKeyId::from("AIDAIOSFODNN7EXAMPLE").kind(), KeyKind::Other);
        assert_eq!(AccessKeyId::from("AKIAIOSFODNN7EXAMPLE").masked(), "****************MPLE");
    }
}
