//! The secrets the files hold, registered with the redaction layer as soon as
//! a file is read, so that no sink can show them.

use super::{Document, LineKind};
use crate::redact::{is_secret_key, register};

/// Registers the values of secret keys (`aws_secret_access_key`, `aws_session_token`...) in a profile file.
pub fn register_document(document: &Document) {
    for line in document.lines() {
        if let LineKind::Property { key, value } = line.kind()
            && is_secret_key(key)
        {
            register(value);
        }
    }
}
