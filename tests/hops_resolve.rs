//! Offline chain resolution: aws-config's own chain test vectors
//! (`test-data/assume-role-tests.json` of smithy-rs, which the published
//! crate does not ship: the 21 cases are restated here), then credwiz's
//! rules: loops, dangling references with the closest name, values AWS would
//! refuse with their one-key fixes, SSO settings, precedence and the places
//! where the AWS CLI reads the files differently.

use credwiz::base::environment::Environment;
use credwiz::hops::resolve::{ChainState, HopSource, resolve};
use credwiz::hops::{Cause, Tool};
use credwiz::profile::{Document, SdkView};
use secrecy::ExposeSecret;

/// A profile as the SDK vectors give it: name and [(key, value)].
type VectorProfile<'a> = (&'a str, &'a [(&'a str, &'a str)]);

/// One vector: what it checks, the profiles, the selected profile, the outline wanted.
type Vector<'a> = (&'a str, Vec<VectorProfile<'a>>, &'a str, Vec<String>);

/// The SDK view of vector profiles.
fn view_of(profiles: &[VectorProfile<'_>]) -> SdkView {
    let mut config = String::new();
    for (name, keys) in profiles {
        if *name == "default" {
            config.push_str("[default]\n");
        } else {
            config.push_str(&format!("[profile {name}]\n"));
        }
        for (k, v) in *keys {
            config.push_str(&format!("{k} = {v}\n"));
        }
    }
    SdkView::build(Some(&Document::parse(&config)), None)
}

fn view(config: &str, credentials: &str) -> SdkView {
    SdkView::build(Some(&Document::parse(config)), Some(&Document::parse(credentials)))
}

/// The chain in the vectors' terms, or the first problem's cause id, or "not-loaded".
fn outline(profiles: &[VectorProfile<'_>], selected: &str) -> Vec<String> {
    let chain = resolve(&Environment::default(), &view_of(profiles), selected);
    if let ChainState::NotLoaded(_) = chain.state {
        return vec!["not-loaded".into()];
    }
    if let Some(p) = chain.problems.iter().find(|p| p.stops_sdk) {
        return vec![format!("error {}", p.cause.id())];
    }
    chain
        .hops
        .iter()
        .map(|hop| match &hop.source {
            HopSource::StaticKeys(k) => {
                format!("AccessKey {} {}", k.access_key_id, k.secret_access_key.expose_secret())
            }
            HopSource::Named { written, .. } => format!("NamedSource {written}"),
            HopSource::AssumeRole(r) => format!(
                "AssumeRole {} ext={} session={}",
                r.role_arn,
                r.external_id.as_deref().unwrap_or("-"),
                r.role_session_name.as_deref().unwrap_or("-")
            ),
            HopSource::WebIdentity(w) => {
                format!(
                    "WebIdentity {} {} session={}",
                    w.role_arn,
                    w.token_file,
                    w.session_name.as_deref().unwrap_or("-")
                )
            }
            other => format!("{other:?}"),
        })
        .collect()
}

const ROLE_A: &str = "arn:aws:iam::123456789:role/RoleA";
const ROLE_B: &str = "arn:aws:iam::123456789:role/RoleB";

#[test]
fn the_sdks_own_chain_vectors() {
    let keys_b: &[(&str, &str)] = &[("aws_access_key_id", "abc123"), ("aws_secret_access_key", "def456")];
    let cases: Vec<Vector<'_>> = vec![
        (
            "basic: a role_arn backed by static credentials",
            vec![("A", &[("role_arn", ROLE_A), ("source_profile", "B")]), ("B", keys_b)],
            "A",
            vec!["AccessKey abc123 def456".into(), format!("AssumeRole {ROLE_A} ext=- session=-")],
        ),
        (
            "explicit credentials are ignored when source_profile is set",
            vec![
                (
                    "A",
                    &[
                        ("aws_access_key_id", "abc123"),
                        ("aws_secret_access_key", "def456"),
                        ("role_arn", ROLE_A),
                        ("source_profile", "B"),
                    ],
                ),
                ("B", &[("aws_access_key_id", "ghi890"), ("aws_secret_access_key", "jkl123")]),
            ],
            "A",
            vec!["AccessKey ghi890 jkl123".into(), format!("AssumeRole {ROLE_A} ext=- session=-")],
        ),
        (
            "role_session_name",
            vec![
                ("A", &[("role_arn", ROLE_A), ("role_session_name", "my_session_name"), ("source_profile", "B")]),
                ("B", keys_b),
            ],
            "A",
            vec!["AccessKey abc123 def456".into(), format!("AssumeRole {ROLE_A} ext=- session=my_session_name")],
        ),
        (
            "external_id",
            vec![
                ("A", &[("role_arn", ROLE_A), ("external_id", "my_external_id"), ("source_profile", "B")]),
                ("B", keys_b),
            ],
            "A",
            vec!["AccessKey abc123 def456".into(), format!("AssumeRole {ROLE_A} ext=my_external_id session=-")],
        ),
        (
            "self-referential profile: its own keys, then its role",
            vec![(
                "A",
                &[
                    ("aws_access_key_id", "abc123"),
                    ("aws_secret_access_key", "def456"),
                    ("role_arn", ROLE_A),
                    ("source_profile", "A"),
                ],
            )],
            "A",
            vec!["AccessKey abc123 def456".into(), format!("AssumeRole {ROLE_A} ext=- session=-")],
        ),
        (
            "credential_source",
            vec![("A", &[("role_arn", ROLE_A), ("credential_source", "Ec2InstanceMetadata")])],
            "A",
            vec!["NamedSource Ec2InstanceMetadata".into(), format!("AssumeRole {ROLE_A} ext=- session=-")],
        ),
        (
            "role_arn without source_profile",
            vec![("A", &[("role_arn", ROLE_A)])],
            "A",
            vec!["error role-config-invalid".into()],
        ),
        (
            "source_profile and credential_source both",
            vec![
                ("A", &[("role_arn", ROLE_A), ("credential_source", "Environment"), ("source_profile", "B")]),
                ("B", &[("aws_access_key_id", "!23"), ("aws_secret_access_key", "456")]),
            ],
            "A",
            vec!["error role-config-invalid".into()],
        ),
        (
            "partial credentials (missing secret)",
            vec![("A", &[("role_arn", "arn:foo"), ("source_profile", "B")]), ("B", &[("aws_access_key_id", "abc123")])],
            "A",
            vec!["error missing-credential-field".into()],
        ),
        (
            "partial credentials (missing access key)",
            vec![
                ("A", &[("role_arn", "arn:foo"), ("source_profile", "B")]),
                ("B", &[("aws_secret_access_key", "abc123")]),
            ],
            "A",
            vec!["error missing-credential-field".into()],
        ),
        (
            "empty source profile",
            vec![("A", &[("role_arn", "arn:foo"), ("source_profile", "B")]), ("B", &[])],
            "A",
            vec!["error no-credentials".into()],
        ),
        (
            "missing source profile",
            vec![("A", &[("role_arn", "arn:foo"), ("source_profile", "B")])],
            "A",
            vec!["error source-profile-missing".into()],
        ),
        ("no profiles at all", vec![], "A", vec!["not-loaded".into()]),
        (
            "two chained roles",
            vec![
                ("A", &[("role_arn", ROLE_A), ("source_profile", "B")]),
                ("B", &[("role_arn", ROLE_B), ("source_profile", "C")]),
                ("C", &[("aws_access_key_id", "mno456"), ("aws_secret_access_key", "pqr789")]),
            ],
            "A",
            vec![
                "AccessKey mno456 pqr789".into(),
                format!("AssumeRole {ROLE_B} ext=- session=-"),
                format!("AssumeRole {ROLE_A} ext=- session=-"),
            ],
        ),
        (
            "static keys of a source profile win over its role",
            vec![
                (
                    "A",
                    &[
                        ("role_arn", ROLE_A),
                        ("aws_access_key_id", "bug_if_returned"),
                        ("aws_secret_access_key", "bug_if_returned"),
                        ("source_profile", "B"),
                    ],
                ),
                (
                    "B",
                    &[
                        ("role_arn", ROLE_B),
                        ("source_profile", "C"),
                        ("aws_access_key_id", "profile_b_key"),
                        ("aws_secret_access_key", "profile_b_secret"),
                    ],
                ),
                ("C", &[("aws_access_key_id", "bug_if_returned"), ("aws_secret_access_key", "bug_if_returned")]),
            ],
            "A",
            vec!["AccessKey profile_b_key profile_b_secret".into(), format!("AssumeRole {ROLE_A} ext=- session=-")],
        ),
        (
            "an infinite loop",
            vec![
                ("A", &[("role_arn", ROLE_A), ("source_profile", "B")]),
                ("B", &[("role_arn", ROLE_B), ("source_profile", "A")]),
            ],
            "A",
            vec!["error source-profile-loop".into()],
        ),
        (
            "an infinite loop even with static keys on the first profile",
            vec![
                (
                    "A",
                    &[
                        ("role_arn", ROLE_A),
                        ("aws_access_key_id", "x"),
                        ("aws_secret_access_key", "y"),
                        ("source_profile", "B"),
                    ],
                ),
                ("B", &[("role_arn", ROLE_B), ("source_profile", "A")]),
            ],
            "A",
            vec!["error source-profile-loop".into()],
        ),
        (
            "web identity role",
            vec![("A", &[("role_arn", ROLE_A), ("web_identity_token_file", "/var/token.jwt")])],
            "A",
            vec![format!("WebIdentity {ROLE_A} /var/token.jwt session=-")],
        ),
        (
            "web identity role with a session name",
            vec![(
                "A",
                &[
                    ("role_arn", ROLE_A),
                    ("web_identity_token_file", "/var/token.jwt"),
                    ("role_session_name", "some_session_name"),
                ],
            )],
            "A",
            vec![format!("WebIdentity {ROLE_A} /var/token.jwt session=some_session_name")],
        ),
        (
            "web_identity_token_file without role_arn",
            vec![("A", &[("web_identity_token_file", "/var/token.jwt")])],
            "A",
            vec!["error role-config-invalid".into()],
        ),
        (
            "web identity as a source profile",
            vec![
                ("A", &[("role_arn", ROLE_A), ("source_profile", "B")]),
                (
                    "B",
                    &[
                        ("role_arn", ROLE_B),
                        ("web_identity_token_file", "/var/token.jwt"),
                        ("role_session_name", "some_session_name"),
                    ],
                ),
            ],
            "A",
            vec![
                format!("WebIdentity {ROLE_B} /var/token.jwt session=some_session_name"),
                format!("AssumeRole {ROLE_A} ext=- session=-"),
            ],
        ),
    ];
    assert_eq!(cases.len(), 21);
    for (docs, profiles, selected, want) in cases {
        assert_eq!(outline(&profiles, selected), want, "{docs}");
    }
}

#[test]
fn dangling_source_profile_offers_the_closest_name() {
    let v = view(
        "[profile base]\nregion = us-east-1\n[profile ops]\nrole_arn = arn:aws:iam::123456789012:role/ops\nsource_profile = bsae\n",
        "[base]\naws_access_key_id = AKIAEXAMPLEEXAMPLE12\naws_secret_access_key = s\n",
    );
    let chain = resolve(&Environment::default(), &v, "ops");
    // aws-config reports a missing profile as "not loaded": its default chain
    // silently moves on (to IMDS on EC2) instead of naming the typo.
    assert_eq!(chain.state, ChainState::Broken { sdk_moves_on: true });
    let p = chain.primary_problem().expect("problem");
    assert_eq!(p.cause, Cause::SourceProfileMissing);
    assert_eq!(p.suggestions.first().map(String::as_str), Some("base"));
    assert_eq!(p.origin.map(|o| o.line), Some(5), "points at the source_profile line");
    let fix = p.fix.as_ref().expect("a certain fix");
    assert_eq!((fix.profile.as_str(), fix.key.as_str(), fix.value.as_deref()), ("ops", "source_profile", Some("base")));
    // The role hop resolved before the break is still shown.
    assert_eq!(chain.hops.len(), 1);
}

#[test]
fn a_profile_naming_itself_without_keys_is_a_loop() {
    let v = view("[profile a]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = a\n", "");
    let chain = resolve(&Environment::default(), &v, "a");
    assert_eq!(chain.primary_problem().map(|p| p.cause), Some(Cause::SourceProfileLoop));
    assert_eq!(chain.state, ChainState::Broken { sdk_moves_on: true }, "the Rust SDK silently skips it");
}

#[test]
fn values_aws_would_refuse_are_found_offline_with_fixes() {
    let creds = "[base]\naws_access_key_id = AKIAEXAMPLEEXAMPLE12\naws_secret_access_key = s\n";
    let v = view(
        "[profile r]\nrole_arn = arn:aws:iam::123456789012:user/alice\nsource_profile = base\nrole_session_name = my session\nduration_seconds = 50000\n",
        creds,
    );
    let chain = resolve(&Environment::default(), &v, "r");
    let causes: Vec<_> = chain.problems.iter().map(|p| (p.cause, p.key.clone().unwrap_or_default())).collect();
    assert_eq!(
        causes,
        vec![
            (Cause::RoleConfigInvalid, "role_arn".into()),
            (Cause::RoleConfigInvalid, "role_session_name".into()),
            (Cause::RoleConfigInvalid, "duration_seconds".into()),
        ]
    );
    assert!(chain.problems[0].message.contains("user"), "{}", chain.problems[0].message);
    assert_eq!(chain.problems[1].fix.as_ref().and_then(|f| f.value.as_deref()), Some("my-session"));
    assert_eq!(chain.problems[2].fix.as_ref().and_then(|f| f.value.as_deref()), Some("43200"));
    assert!(chain.problems.iter().all(|p| !p.stops_sdk), "AWS refuses these at call time, the SDK does not");
    let long = "x".repeat(65);
    let v = view(
        &format!(
            "[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\nrole_session_name = {long}\nmfa_serial = arn:aws:iam::123456789012:user/alice\n"
        ),
        creds,
    );
    let chain = resolve(&Environment::default(), &v, "r");
    let causes: Vec<_> = chain.problems.iter().map(|p| p.cause).collect();
    assert_eq!(causes, vec![Cause::RoleConfigInvalid, Cause::MfaSerialInvalid]);
    assert_eq!(chain.problems[0].fix.as_ref().and_then(|f| f.value.as_ref()).map(String::len), Some(64));
}

#[test]
fn role_chaining_over_an_hour_is_found_before_the_call() {
    let v = view(
        "[profile ops]\nrole_arn = arn:aws:iam::123456789012:role/ops\nsource_profile = base\n[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = ops\nduration_seconds = 7200\n",
        "[base]\naws_access_key_id = AKIAEXAMPLEEXAMPLE12\naws_secret_access_key = s\n",
    );
    let chain = resolve(&Environment::default(), &v, "deploy");
    let p = chain.primary_problem().expect("problem");
    assert_eq!(p.cause, Cause::RoleDurationTooLong);
    assert_eq!(p.fix.as_ref().and_then(|f| f.value.as_deref()), Some("3600"));
    assert!(chain.differences.iter().any(|d| d.topic == "duration_seconds"), "the Rust SDK ignores it: said");
    // Without chaining, 7200 is for AWS to judge against MaxSessionDuration.
    let chain = resolve(&Environment::default(), &v, "ops");
    assert!(chain.problems.is_empty());
}

#[test]
fn credential_source_values() {
    let v = view(
        "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/r\ncredential_source = Ec2Metadata\n[profile b]\nrole_arn = arn:aws:iam::123456789012:role/r\ncredential_source = environment\n",
        "",
    );
    let chain = resolve(&Environment::default(), &v, "a");
    let p = chain.primary_problem().expect("problem");
    assert_eq!(p.cause, Cause::RoleConfigInvalid);
    assert!(p.stops_sdk);
    assert_eq!(p.suggestions, vec!["Ec2InstanceMetadata".to_string()]);
    let chain = resolve(&Environment::default(), &v, "b");
    assert!(chain.problems.is_empty(), "the Rust SDK ignores case");
    assert_eq!(chain.hops[0].kind().id(), "env");
    assert!(chain.differences.iter().any(|d| d.topic == "credential_source" && d.fails_in == Some(Tool::AwsCli)));
}

#[test]
fn sso_settings() {
    let session = "[sso-session corp]\nsso_start_url = https://d-1.awsapps.com/start\nsso_region = us-east-1\n";
    let cases = [
        ("sso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n", None),
        ("sso_session = crop\nsso_account_id = 123456789012\nsso_role_name = Dev\n", Some(("sso_session", true))),
        ("sso_session = corp\nsso_account_id = 123456789012\n", Some(("sso_role_name", true))),
        ("sso_session = corp\n", Some(("sso_account_id", true))),
        (
            "sso_session = corp\nsso_start_url = https://d-2.awsapps.com/start\nsso_account_id = 123456789012\nsso_role_name = Dev\n",
            Some(("sso_start_url", true)),
        ),
        // The session's own value repeated (for older tools): read, not a problem (tools-disagree warns).
        (
            "sso_session = corp\nsso_start_url = https://d-1.awsapps.com/start\nsso_account_id = 123456789012\nsso_role_name = Dev\n",
            None,
        ),
        (
            "sso_start_url = https://d-1.awsapps.com/start\nsso_account_id = 123456789012\nsso_role_name = Dev\n",
            Some(("sso_region", true)),
        ),
        ("sso_session = corp\nsso_account_id = 1234\nsso_role_name = Dev\n", Some(("sso_account_id", false))),
    ];
    for (profile, want) in cases {
        let v = view(&format!("[profile dev]\n{profile}{session}"), "");
        let chain = resolve(&Environment::default(), &v, "dev");
        let got = chain.primary_problem().map(|p| {
            assert_eq!(p.cause, Cause::SsoConfigIncomplete, "{profile}");
            (p.key.clone().unwrap_or_default(), p.stops_sdk)
        });
        assert_eq!(got, want.map(|(k, s)| (k.to_string(), s)), "{profile}");
        if want.is_none() {
            let HopSource::Sso(sso) = &chain.hops[0].source else { panic!("sso hop") };
            assert_eq!(sso.start_url, "https://d-1.awsapps.com/start", "from the [sso-session] section");
        }
    }
    // A legacy value equal to the session's: the CLI accepts it, the Rust SDK refuses it (a difference, not a problem).
    let v = view(
        &format!(
            "[profile dev]\nsso_session = corp\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = Dev\n{session}"
        ),
        "",
    );
    let chain = resolve(&Environment::default(), &v, "dev");
    assert!(chain.differences.iter().any(|d| d.fails_in == Some(Tool::RustSdk)));
}

#[test]
fn precedence_follows_the_sdk_and_says_what_is_shadowed() {
    let v = view(
        "[profile p]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\ncredential_process = /bin/creds --secret x\n[sso-session corp]\nsso_start_url = https://d-1.awsapps.com/start\nsso_region = us-east-1\n[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = p\n",
        "[r]\naws_access_key_id = AKIAEXAMPLEEXAMPLE12\naws_secret_access_key = s\n",
    );
    let chain = resolve(&Environment::default(), &v, "p");
    assert_eq!(chain.hops[0].kind().id(), "sso");
    assert!(chain.shadowed.iter().any(|s| s.key == "credential_process"));
    let chain = resolve(&Environment::default(), &v, "r");
    assert_eq!(chain.hops.iter().map(|h| h.kind().id()).collect::<Vec<_>>(), vec!["sso", "assume-role"]);
    assert!(
        chain.shadowed.iter().any(|s| s.key == "aws_access_key_id" && s.profile == "r"),
        "role_arn wins in the selected profile"
    );
    // The process command's arguments are never shown.
    let v = view("[profile p]\ncredential_process = /bin/creds --password hunter2\n", "");
    let chain = resolve(&Environment::default(), &v, "p");
    assert!(!chain.hops[0].title().contains("hunter2"));
    assert!(!format!("{:?}", chain.hops[0]).contains("hunter2"));
    assert!(chain.hops[0].settings.iter().all(|s| !s.value.contains("hunter2")));
}

#[test]
fn login_sessions_and_environment_web_identity() {
    let v = view("[profile c]\nlogin_session = arn:aws:iam::123456789012:user/Admin\n", "");
    let chain = resolve(&Environment::default(), &v, "c");
    assert_eq!(chain.hops[0].kind().id(), "login");
    assert!(chain.differences.iter().any(|d| d.topic == "login_session"));
    let env = Environment::from_pairs(
        [
            ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/irsa"),
            ("AWS_WEB_IDENTITY_TOKEN_FILE", "/t"),
            ("AWS_ROLE_SESSION_NAME", "a b"),
        ],
        None,
    );
    let hop = credwiz::hops::resolve::env_web_identity(&env).expect("hop");
    let problems = credwiz::hops::resolve::check_hop(&hop);
    assert_eq!(problems.iter().map(|p| p.key.as_deref()).collect::<Vec<_>>(), vec![Some("AWS_ROLE_SESSION_NAME")]);
    assert!(
        credwiz::hops::resolve::env_web_identity(&Environment::from_pairs([("AWS_ROLE_ARN", "x")], None)).is_none()
    );
}

#[test]
fn secrets_never_reach_debug_output() {
    let v = view(
        "",
        "[k]\naws_access_key_id = AKIAEXAMPLEEXAMPLE12\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\naws_session_token = TOKENTOKENTOKEN\n",
    );
    let chain = resolve(&Environment::default(), &v, "k");
    let debug = format!("{chain:?}");
    assert!(
        !debug.contains("wJalrXUtnFEMI")
            && !debug.contains("TOKENTOKENTOKEN")
            && !debug.contains("AKIAEXAMPLEEXAMPLE12"),
        "{debug}"
    );
    assert!(chain.hops[0].settings.iter().all(|s| !s.value.contains("wJalr")));
}
