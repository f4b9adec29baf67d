//! The AWS shared config and credentials files: a lossless document model
//! (`document`), edits that touch only their lines (`edit`), the SDK's merged
//! view with line numbers (`view`), safe reads and writes (`store`), and the
//! checks every name, key and value passes before it is written (`validate`).
//! `ProfileFiles` ties the two files together. The files own the display of
//! their locations (`location`) and the registration of the secrets they hold
//! with the redaction layer (`secrets`).

pub mod document;
pub mod edit;
mod location;
mod secrets;
pub mod store;
pub mod validate;
pub mod view;

pub use document::{Document, DocumentError, FileKind, Line, LineKind};
pub use edit::SectionName;
pub use location::file_location;
pub use secrets::register_document;
pub use store::{LoadedFile, Saved, StoreError};
pub use view::{Origin, SdkView};

use crate::base::environment::Environment;

/// Both files of one environment, as read.
#[derive(Debug, Clone)]
pub struct ProfileFiles {
    pub config: LoadedFile,
    pub credentials: LoadedFile,
}

impl ProfileFiles {
    /// Reads both files from the paths the environment names.
    pub fn load(env: &Environment) -> Result<Self, StoreError> {
        Ok(ProfileFiles {
            config: LoadedFile::load(&env.config_path())?,
            credentials: LoadedFile::load(&env.credentials_path())?,
        })
    }

    /// Both files from text, at the paths the environment names. No IO.
    pub fn from_texts(env: &Environment, config: Option<&str>, credentials: Option<&str>) -> Self {
        ProfileFiles {
            config: LoadedFile::from_text(&env.config_path(), config),
            credentials: LoadedFile::from_text(&env.credentials_path(), credentials),
        }
    }

    /// The SDK's merged view of both files.
    pub fn view(&self) -> SdkView {
        SdkView::build(
            self.config.exists().then_some(&self.config.document),
            self.credentials.exists().then_some(&self.credentials.document),
        )
    }

    /// The file of a kind.
    pub fn file(&self, kind: FileKind) -> &LoadedFile {
        match kind {
            FileKind::Config => &self.config,
            FileKind::Credentials => &self.credentials,
        }
    }

    /// The file of a kind, mutably.
    pub fn file_mut(&mut self, kind: FileKind) -> &mut LoadedFile {
        match kind {
            FileKind::Config => &mut self.config,
            FileKind::Credentials => &mut self.credentials,
        }
    }
}

/// Keys that `aws configure set` writes to the credentials file.
pub const CREDENTIAL_KEYS: [&str; 3] = ["aws_access_key_id", "aws_secret_access_key", "aws_session_token"];

/// Where `aws configure set KEY` writes: the file and the section.
pub fn set_target(key: &str, profile: &str, config: &Document) -> (FileKind, SectionName) {
    if CREDENTIAL_KEYS.contains(&key.to_ascii_lowercase().as_str()) {
        return (FileKind::Credentials, SectionName::profile(FileKind::Credentials, profile));
    }
    let prefixed_default = SectionName::from_header("profile default");
    if profile == "default" && config.has_section(&prefixed_default) {
        // The SDKs ignore [default] when [profile default] exists: write where it counts.
        return (FileKind::Config, prefixed_default);
    }
    (FileKind::Config, SectionName::profile(FileKind::Config, profile))
}
