//! The key material a call signs with. The secret and the token stay in
//! `secrecy` types; they are registered with the redaction layer the moment
//! they are handed to the SDK.

use crate::vocabulary::keyid::AccessKeyId;
use aws_credential_types::Credentials;
use secrecy::{ExposeSecret, SecretString};

/// Key material to sign with. The secret and token stay secret.
#[derive(Debug, Clone)]
pub struct SigningKeys {
    pub access_key_id: AccessKeyId,
    pub secret: SecretString,
    pub token: Option<SecretString>,
}

impl SigningKeys {
    /// The SDK's form of the keys. Every secret that signs a request is
    /// registered with the redaction layer first (sessions and provider outputs included).
    pub(crate) fn credentials(&self) -> Credentials {
        crate::redact::register_secret(&self.secret);
        if let Some(token) = &self.token {
            crate::redact::register_secret(token);
        }
        Credentials::new(
            self.access_key_id.as_str(),
            self.secret.expose_secret().to_string(),
            self.token.as_ref().map(|t| t.expose_secret().to_string()),
            None,
            "credwiz",
        )
    }
}
