//! A snapshot of the process environment as plain data, so the diagnosis and
//! the editor are pure functions of it (tests build one by hand), plus where
//! the AWS shared files and the active profile come from, exactly as the SDKs
//! decide.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// Environment variables and the home directory, captured once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Environment {
    vars: BTreeMap<String, String>,
    home: Option<PathBuf>,
}

impl Environment {
    /// The current process's environment.
    pub fn from_process() -> Self {
        let vars =
            std::env::vars_os().filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?))).collect();
        let home = directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf());
        Environment { vars, home }
    }

    /// An environment from pairs (for tests and for "ignore env keys" re-runs).
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
        home: Option<PathBuf>,
    ) -> Self {
        Environment { vars: pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect(), home }
    }

    /// A variable's value, treating empty as unset (as the SDKs do).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str).filter(|v| !v.is_empty())
    }

    /// Whether the variable is present at all, even empty.
    pub fn is_present(&self, name: &str) -> bool {
        self.vars.contains_key(name)
    }

    /// Every variable (for handing to the SDK's `Env` shim).
    pub fn vars(&self) -> &BTreeMap<String, String> {
        &self.vars
    }

    /// Whether `AWS_EC2_METADATA_DISABLED` turns instance metadata off, read as
    /// aws-config and botocore read it: the value `true` in any case, not trimmed
    /// (` true` leaves IMDS on in both). The one reader of that setting.
    pub fn imds_disabled(&self) -> bool {
        self.get("AWS_EC2_METADATA_DISABLED").is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    /// The home directory, if known.
    pub fn home(&self) -> Option<&PathBuf> {
        self.home.as_ref()
    }

    /// A copy without the given variables.
    pub fn without(&self, names: &[&str]) -> Self {
        let mut copy = self.clone();
        copy.vars.retain(|k, _| !names.contains(&k.as_str()));
        copy
    }

    /// Expands a leading `~/` the way the SDKs do.
    pub fn expand(&self, path: &str) -> PathBuf {
        match (path.strip_prefix("~/").or_else(|| (path == "~").then_some("")), &self.home) {
            (Some(rest), Some(home)) => home.join(rest),
            _ => PathBuf::from(path),
        }
    }

    /// The credentials file: `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`.
    pub fn credentials_path(&self) -> PathBuf {
        self.expand(self.get("AWS_SHARED_CREDENTIALS_FILE").unwrap_or("~/.aws/credentials"))
    }

    /// The config file: `AWS_CONFIG_FILE`, else `~/.aws/config`.
    pub fn config_path(&self) -> PathBuf {
        self.expand(self.get("AWS_CONFIG_FILE").unwrap_or("~/.aws/config"))
    }

    /// The active profile and what chose it: `--profile`, `AWS_PROFILE`,
    /// `AWS_DEFAULT_PROFILE` (AWS CLI v1 only), else `default`.
    pub fn active_profile(&self, flag: Option<&str>) -> (String, ProfileChoice) {
        if let Some(name) = flag.filter(|f| !f.is_empty()) {
            return (name.to_string(), ProfileChoice::Flag);
        }
        if let Some(name) = self.get("AWS_PROFILE") {
            return (name.to_string(), ProfileChoice::AwsProfile);
        }
        if let Some(name) = self.get("AWS_DEFAULT_PROFILE") {
            return (name.to_string(), ProfileChoice::AwsDefaultProfile);
        }
        ("default".to_string(), ProfileChoice::Default)
    }
}

/// What selected the profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProfileChoice {
    /// `--profile`.
    Flag,
    /// `AWS_PROFILE`.
    AwsProfile,
    /// `AWS_DEFAULT_PROFILE`: only the AWS CLI v1 reads it; the SDKs use `default`.
    AwsDefaultProfile,
    /// Nothing set.
    Default,
}

impl ProfileChoice {
    /// A short phrase for reports.
    pub fn describe(self) -> &'static str {
        match self {
            ProfileChoice::Flag => "--profile",
            ProfileChoice::AwsProfile => "AWS_PROFILE",
            ProfileChoice::AwsDefaultProfile => "AWS_DEFAULT_PROFILE",
            ProfileChoice::Default => "the default",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_profile_follow_the_sdk() {
        let env = Environment::from_pairs(
            [("AWS_CONFIG_FILE", "~/alt/config"), ("AWS_PROFILE", ""), ("AWS_DEFAULT_PROFILE", "old")],
            Some(PathBuf::from("/home/a")),
        );
        assert_eq!(env.config_path(), PathBuf::from("/home/a/alt/config"));
        assert_eq!(env.credentials_path(), PathBuf::from("/home/a/.aws/credentials"));
        assert_eq!(env.active_profile(None), ("old".into(), ProfileChoice::AwsDefaultProfile));
        assert_eq!(env.active_profile(Some("x")).0, "x");
    }

    #[test]
    fn imds_is_disabled_only_by_true_as_the_sdks_read_it() {
        for (value, disabled) in [
            ("true", true),
            ("TRUE", true),
            ("True", true),
            (" true", false),
            ("true ", false),
            ("1", false),
            ("false", false),
        ] {
            let env = Environment::from_pairs([("AWS_EC2_METADATA_DISABLED", value)], None);
            assert_eq!(env.imds_disabled(), disabled, "{value:?}");
        }
        assert!(!Environment::from_pairs(Vec::<(String, String)>::new(), None).imds_disabled());
    }
}
