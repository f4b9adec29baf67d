//! The invoking user's files, when credwiz runs through `sudo`: `SUDO_USER`'s
//! home from the user database, and which profiles its `~/.aws` files hold.
//! Only the profile names are kept (the files' secrets are registered with
//! the redaction layer by the loader, as for the user's own files).

use crate::base::environment::Environment;
use crate::base::sanitize;
use crate::base::users::UserDirectory;
use crate::profile::ProfileFiles;
use crate::profile::view::Section;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The keys that give a profile credentials of some kind.
const SOURCE_KEYS: [&str; 9] = [
    "aws_access_key_id",
    "role_arn",
    "credential_source",
    "web_identity_token_file",
    "sso_session",
    "sso_account_id",
    "sso_start_url",
    "credential_process",
    "login_session",
];

/// The user who ran `sudo`, and what their files hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoker {
    /// `SUDO_USER`, made safe to show.
    pub user: String,
    pub home: PathBuf,
    /// Their config file, for messages.
    pub config: String,
    /// Their profiles, each with whether it gives credentials.
    pub profiles: BTreeMap<String, bool>,
}

/// Whether a profile holds a source of credentials.
pub fn gives_credentials(profile: &Section) -> bool {
    SOURCE_KEYS.iter().any(|k| profile.get(k).is_some_and(|v| !v.trim().is_empty()))
}

/// The invoking user's files, when this is a `sudo` run that reads another home
/// than theirs (no `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE` naming the files).
pub fn read(env: &Environment, users: &dyn UserDirectory) -> Option<Invoker> {
    let user = env.get("SUDO_USER")?.trim();
    if user.is_empty() || user == "root" {
        return None;
    }
    if env.get("AWS_CONFIG_FILE").is_some() || env.get("AWS_SHARED_CREDENTIALS_FILE").is_some() {
        return None;
    }
    let home = users.home_of(user)?;
    if env.home() == Some(&home) {
        return None;
    }
    let theirs = Environment::from_pairs(Vec::<(String, String)>::new(), Some(home.clone()));
    let files = ProfileFiles::load(&theirs).ok()?;
    let profiles = files.view().profiles.iter().map(|(name, s)| (name.clone(), gives_credentials(s))).collect();
    Some(Invoker {
        user: sanitize::shown(user, 64),
        home,
        config: sanitize::shown_path(&theirs.config_path()),
        profiles,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// A user database of one user.
    struct One(&'static str, PathBuf);

    impl UserDirectory for One {
        fn home_of(&self, name: &str) -> Option<PathBuf> {
            (name == self.0).then(|| self.1.clone())
        }
    }

    fn home_with(config: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("home");
        std::fs::create_dir_all(dir.path().join(".aws")).expect("mkdir");
        std::fs::write(dir.path().join(".aws/config"), config).expect("config");
        dir
    }

    fn env(sudo_user: &str, home: &Path, extra: &[(&str, &str)]) -> Environment {
        let mut pairs = vec![("SUDO_USER".to_string(), sudo_user.to_string())];
        pairs.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        Environment::from_pairs(pairs, Some(home.to_path_buf()))
    }

    #[test]
    fn a_sudo_run_reads_the_profile_names_of_the_invoking_users_home() {
        let alice = home_with(
            "[profile dev]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n[profile empty]\nregion = us-east-1\n",
        );
        let root = tempfile::tempdir().expect("root home");
        let users = One("alice", alice.path().to_path_buf());
        let invoker = read(&env("alice", root.path(), &[]), &users).expect("a sudo run");
        assert_eq!(invoker.user, "alice");
        assert_eq!(invoker.profiles.get("dev"), Some(&true));
        assert_eq!(invoker.profiles.get("empty"), Some(&false));
        assert!(invoker.config.ends_with(".aws/config"), "{}", invoker.config);
    }

    #[test]
    fn no_invoker_without_sudo_with_the_same_home_or_with_files_named() {
        let alice = home_with("[default]\nregion = us-east-1\n");
        let users = One("alice", alice.path().to_path_buf());
        let root = tempfile::tempdir().expect("root home");
        assert!(
            read(&Environment::from_pairs(Vec::<(String, String)>::new(), Some(root.path().into())), &users).is_none()
        );
        assert!(read(&env("alice", alice.path(), &[]), &users).is_none(), "sudo -E / --preserve-env=HOME");
        assert!(read(&env("alice", root.path(), &[("AWS_CONFIG_FILE", "/x/config")]), &users).is_none());
        assert!(read(&env("root", root.path(), &[]), &users).is_none());
        assert!(read(&env("bob", root.path(), &[]), &users).is_none(), "not in the user database");
    }
}
