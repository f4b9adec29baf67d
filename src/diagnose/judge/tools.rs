//! Which credential source each AWS tool family picks for one profile, from
//! the families' own precedence rules: `docs/tool-precedence.md` gives the
//! source file and line of every rule of [`RULES`], and this table is that
//! page in code (its tests are the page's table). Pure.

/// A family of tools that read the same `~/.aws` files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// The AWS CLI v2 and boto3 (botocore).
    Botocore,
    /// The Rust SDK's `aws-config` (credwiz's own checks follow it).
    Rust,
    /// The Go SDK v2 (`config`).
    Go,
    /// The JavaScript SDK v3 (`credential-provider-ini`).
    JavaScript,
    /// The Java SDK v2 (`ProfileCredentialsUtils`).
    Java,
}

impl Family {
    /// Every family, in the order messages name them.
    pub const ALL: [Family; 5] = [Family::Botocore, Family::Rust, Family::Go, Family::JavaScript, Family::Java];

    /// The name people know the family by.
    pub fn name(self) -> &'static str {
        match self {
            Family::Botocore => "the AWS CLI v2 and boto3",
            Family::Rust => "the Rust SDK (aws-config)",
            Family::Go => "the Go SDK v2",
            Family::JavaScript => "the JavaScript SDK v3",
            Family::Java => "the Java SDK v2",
        }
    }
}

/// The source a family ends up using.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// `role_arn`, assumed with the credentials of `source_profile` / `credential_source`.
    Role,
    /// `role_arn`, assumed with the profile's own static keys (Go v2).
    RoleWithStaticKeys,
    /// `role_arn` + `web_identity_token_file`.
    WebIdentity,
    /// IAM Identity Center (`sso_*`, `sso_session`).
    Sso,
    /// `login_session` (`aws login`).
    Login,
    /// `credential_process`.
    Process,
    /// The static keys (`aws_access_key_id` / `aws_secret_access_key`).
    StaticKeys,
    /// The family refuses the profile (conflicting keys).
    Refused,
    /// No source of the profile applies.
    Nothing,
}

impl Pick {
    /// In words, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Pick::Role => "the role (role_arn)",
            Pick::RoleWithStaticKeys => "the role (role_arn), assumed with the static keys",
            Pick::WebIdentity => "web identity (web_identity_token_file)",
            Pick::Sso => "SSO (sso_*)",
            Pick::Login => "aws login (login_session)",
            Pick::Process => "credential_process",
            Pick::StaticKeys => "the static keys",
            Pick::Refused => "nothing: it refuses the profile",
            Pick::Nothing => "none of these",
        }
    }
}

/// What one profile holds, as the families' rules test it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Holds {
    pub role_arn: bool,
    pub source_profile: bool,
    pub credential_source: bool,
    pub web_identity_token_file: bool,
    pub sso_account_or_role: bool,
    /// `sso_region` / `sso_start_url` in the profile itself.
    pub sso_legacy: bool,
    /// Those legacy keys differ from the `[sso-session]` the profile names.
    pub sso_legacy_differs: bool,
    pub sso_session: bool,
    pub login_session: bool,
    pub credential_process: bool,
    pub static_in_credentials_file: bool,
    pub static_in_config_file: bool,
}

impl Holds {
    fn static_keys(&self) -> bool {
        self.static_in_credentials_file || self.static_in_config_file
    }

    fn any_sso(&self) -> bool {
        self.sso_account_or_role || self.sso_legacy || self.sso_session
    }

    /// How many distinct sources the profile holds.
    pub fn sources(&self) -> usize {
        [
            self.role_arn && !self.web_identity_token_file,
            self.role_arn && self.web_identity_token_file,
            self.any_sso(),
            self.login_session,
            self.credential_process,
            self.static_keys(),
        ]
        .iter()
        .filter(|b| **b)
        .count()
    }
}

/// One test of a rule.
#[derive(Debug, Clone, Copy)]
enum Test {
    /// `role_arn` and no `web_identity_token_file` (botocore, Rust).
    RoleNotWebIdentity,
    /// `role_arn` with `source_profile` or `credential_source` (JavaScript, Java).
    RoleWithSource,
    /// `source_profile` (Go: the profile's own keys are cleared).
    SourceProfile,
    /// `credential_source` (Go).
    CredentialSource,
    /// `web_identity_token_file` and `role_arn`.
    WebIdentity,
    /// `sso_account_id` or `sso_role_name` (botocore).
    SsoAccountOrRole,
    /// Any `sso_*` key or `sso_session` (Rust, Go, JavaScript, Java).
    AnySso,
    Login,
    Process,
    /// `aws_access_key_id` in the credentials file (botocore).
    StaticCredentialsFile,
    /// `aws_access_key_id` in the config file (botocore).
    StaticConfigFile,
    /// Static keys in either file.
    Static,
    /// Legacy `sso_start_url` / `sso_region` beside `sso_session` (Rust refuses any).
    SsoLegacyBesideSession,
    /// Legacy keys beside `sso_session` that differ from the session's (botocore, Go refuse).
    SsoLegacyDiffers,
    /// More than one of `source_profile`, `credential_source`, `credential_process`,
    /// `web_identity_token_file` (Go refuses such a profile).
    GoConflict,
}

impl Test {
    fn holds(self, h: &Holds) -> bool {
        match self {
            Test::RoleNotWebIdentity => h.role_arn && !h.web_identity_token_file,
            Test::RoleWithSource => h.role_arn && (h.source_profile || h.credential_source),
            Test::SourceProfile => h.role_arn && h.source_profile,
            Test::CredentialSource => h.role_arn && h.credential_source,
            Test::WebIdentity => h.role_arn && h.web_identity_token_file,
            Test::SsoAccountOrRole => h.sso_account_or_role,
            Test::AnySso => h.any_sso(),
            Test::Login => h.login_session,
            Test::Process => h.credential_process,
            Test::StaticCredentialsFile => h.static_in_credentials_file,
            Test::StaticConfigFile => h.static_in_config_file,
            Test::Static => h.static_keys(),
            Test::SsoLegacyBesideSession => h.sso_session && h.sso_legacy,
            Test::SsoLegacyDiffers => h.sso_session && h.sso_legacy_differs,
            Test::GoConflict => {
                [h.source_profile, h.credential_source, h.credential_process, h.web_identity_token_file]
                    .iter()
                    .filter(|b| **b)
                    .count()
                    > 1
            }
        }
    }
}

/// Each family's rules, first match wins (docs/tool-precedence.md).
const RULES: [(Family, &[(Test, Pick)]); 5] = [
    (
        Family::Botocore,
        &[
            (Test::SsoLegacyDiffers, Pick::Refused),
            (Test::RoleNotWebIdentity, Pick::Role),
            (Test::WebIdentity, Pick::WebIdentity),
            (Test::SsoAccountOrRole, Pick::Sso),
            (Test::StaticCredentialsFile, Pick::StaticKeys),
            (Test::Login, Pick::Login),
            (Test::Process, Pick::Process),
            (Test::StaticConfigFile, Pick::StaticKeys),
        ],
    ),
    (
        Family::Rust,
        &[
            (Test::RoleNotWebIdentity, Pick::Role),
            (Test::WebIdentity, Pick::WebIdentity),
            (Test::SsoLegacyBesideSession, Pick::Refused),
            (Test::AnySso, Pick::Sso),
            (Test::Login, Pick::Login),
            (Test::Process, Pick::Process),
            (Test::Static, Pick::StaticKeys),
        ],
    ),
    (
        Family::Go,
        &[
            (Test::GoConflict, Pick::Refused),
            (Test::SsoLegacyDiffers, Pick::Refused),
            (Test::SourceProfile, Pick::Role),
            (Test::Static, Pick::StaticKeys),
            (Test::CredentialSource, Pick::Role),
            (Test::WebIdentity, Pick::WebIdentity),
            (Test::AnySso, Pick::Sso),
            (Test::Login, Pick::Login),
            (Test::Process, Pick::Process),
        ],
    ),
    (
        Family::JavaScript,
        &[
            (Test::RoleWithSource, Pick::Role),
            (Test::Static, Pick::StaticKeys),
            (Test::WebIdentity, Pick::WebIdentity),
            (Test::Process, Pick::Process),
            (Test::AnySso, Pick::Sso),
        ],
    ),
    (
        Family::Java,
        &[
            (Test::WebIdentity, Pick::WebIdentity),
            (Test::AnySso, Pick::Sso),
            (Test::RoleWithSource, Pick::Role),
            (Test::Login, Pick::Login),
            (Test::Process, Pick::Process),
            (Test::Static, Pick::StaticKeys),
        ],
    ),
];

/// What `family` picks for a profile holding `holds`.
pub fn pick(family: Family, holds: &Holds) -> Pick {
    let rules = RULES.iter().find(|(f, _)| *f == family).map(|(_, r)| *r).unwrap_or_default();
    let first = rules.iter().find(|(test, _)| test.holds(holds)).map_or(Pick::Nothing, |(_, pick)| *pick);
    // Go assumes `role_arn` with whatever it picked (resolve_credentials.go 202-204).
    if family == Family::Go && first == Pick::StaticKeys && holds.role_arn {
        return Pick::RoleWithStaticKeys;
    }
    first
}

/// Every family's pick, in [`Family::ALL`] order.
pub fn picks(holds: &Holds) -> Vec<(Family, Pick)> {
    Family::ALL.iter().map(|f| (*f, pick(*f, holds))).collect()
}

/// The picks when the families disagree on a profile of more than one source; `None` when they agree.
pub fn disagreement(holds: &Holds) -> Option<Vec<(Family, Pick)>> {
    let all = picks(holds);
    let first = all.first().map(|(_, p)| *p);
    let refused = all.iter().any(|(_, p)| *p == Pick::Refused);
    ((holds.sources() > 1 || refused) && all.iter().any(|(_, p)| Some(*p) != first)).then_some(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_static(f: impl FnOnce(&mut Holds)) -> Holds {
        let mut h = Holds { static_in_credentials_file: true, ..Holds::default() };
        f(&mut h);
        h
    }

    fn of(holds: &Holds) -> [Pick; 5] {
        let p = picks(holds);
        [p[0].1, p[1].1, p[2].1, p[3].1, p[4].1]
    }

    #[test]
    fn the_documented_table() {
        use Pick::*;
        let role = with_static(|h| {
            h.role_arn = true;
            h.source_profile = true;
        });
        assert_eq!(of(&role), [Role, Role, Role, Role, Role]);
        assert!(disagreement(&role).is_none());
        let named = with_static(|h| {
            h.role_arn = true;
            h.credential_source = true;
        });
        assert_eq!(of(&named), [Role, Role, RoleWithStaticKeys, Role, Role]);
        let web = with_static(|h| {
            h.role_arn = true;
            h.web_identity_token_file = true;
        });
        assert_eq!(of(&web), [WebIdentity, WebIdentity, RoleWithStaticKeys, StaticKeys, WebIdentity]);
        let sso = with_static(|h| {
            h.sso_account_or_role = true;
            h.sso_session = true;
        });
        assert_eq!(of(&sso), [Sso, Sso, StaticKeys, StaticKeys, Sso]);
        let process = with_static(|h| h.credential_process = true);
        assert_eq!(of(&process), [StaticKeys, Process, StaticKeys, StaticKeys, Process]);
        assert!(disagreement(&process).is_some());
        let login = with_static(|h| h.login_session = true);
        assert_eq!(of(&login), [StaticKeys, Login, StaticKeys, StaticKeys, Login]);
        let sso_and_process = Holds { sso_account_or_role: true, credential_process: true, ..Holds::default() };
        assert_eq!(of(&sso_and_process), [Sso, Sso, Sso, Process, Sso]);
    }

    #[test]
    fn legacy_keys_beside_a_session_are_refused_by_the_rust_sdk_only_while_equal() {
        use Pick::*;
        let mut h = Holds { sso_account_or_role: true, sso_session: true, sso_legacy: true, ..Holds::default() };
        assert_eq!(of(&h), [Sso, Refused, Sso, Sso, Sso]);
        assert!(disagreement(&h).is_some());
        h.sso_legacy_differs = true;
        assert_eq!(of(&h), [Refused, Refused, Refused, Sso, Sso]);
    }

    #[test]
    fn one_source_never_disagrees() {
        let h = Holds { sso_account_or_role: true, sso_session: true, ..Holds::default() };
        assert!(disagreement(&h).is_none());
        assert!(disagreement(&Holds { static_in_credentials_file: true, ..Holds::default() }).is_none());
    }
}
