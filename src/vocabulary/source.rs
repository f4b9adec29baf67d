//! The one list of credential source kinds: what SPEC section 4 calls
//! `source.kind`, used by the chain of sources, by every hop's outcome, by the
//! report and by the scan's table. Pure.

use serde::Serialize;

/// The kinds of SPEC section 4's `source.kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    Env,
    SharedCredentialsFile,
    ConfigFile,
    AssumeRole,
    WebIdentity,
    Sso,
    Process,
    Container,
    Imds,
    /// The console sign-in session of `aws login` (`login_session`).
    Login,
    None,
}

impl SourceKind {
    /// The kind in a word, for a table column (`scan`): the id, shortened where it is long.
    pub fn short_label(self) -> &'static str {
        match self {
            SourceKind::SharedCredentialsFile => "credentials",
            SourceKind::ConfigFile => "config",
            SourceKind::AssumeRole => "role",
            other => other.id(),
        }
    }

    /// The stable id used in the JSON report.
    pub fn id(self) -> &'static str {
        match self {
            SourceKind::Env => "env",
            SourceKind::SharedCredentialsFile => "shared-credentials-file",
            SourceKind::ConfigFile => "config-file",
            SourceKind::AssumeRole => "assume-role",
            SourceKind::WebIdentity => "web-identity",
            SourceKind::Sso => "sso",
            SourceKind::Process => "process",
            SourceKind::Container => "container",
            SourceKind::Imds => "imds",
            SourceKind::Login => "login",
            SourceKind::None => "none",
        }
    }

    /// Sources whose keys credwiz reads directly (the rest go through the SDK provider).
    pub fn is_static(self) -> bool {
        matches!(self, SourceKind::Env | SourceKind::SharedCredentialsFile | SourceKind::ConfigFile)
    }
}
