//! Property tests of the lossless profile files: any text round-trips byte for
//! byte; the SDK view agrees with the real SDK parser (`aws_config::profile::load`);
//! an edit changes only its lines and the SDK view changes exactly as asked.

use aws_runtime::env_config::file::EnvConfigFiles as SdkProfileFiles;
use aws_types::os_shim_internal::{Env, Fs};
use credwiz::profile::{Document, FileKind, SdkView, SectionName};
use proptest::prelude::*;

/// Header texts: each logical section has one spelling, so the SDK's
/// (unordered) merge of differently spelled duplicates never comes into play.
const HEADERS: &[&str] = &[
    "default",
    "profile default",
    "profile dev",
    "dev",
    "ops",
    "profile ops",
    "sso-session corp",
    "services local",
    "profile bad name",
    "bad name",
];
const KEYS: &[&str] = &[
    "aws_access_key_id",
    "AWS_Secret_Access_Key",
    "aws_session_token",
    "region",
    "output",
    "s3",
    "bad key",
    "mfa_serial",
];

fn value() -> impl Strategy<Value = String> {
    prop_oneof!["[A-Za-z0-9/+=._-]{0,12}", "[A-Za-z0-9 #;=\"'\t]{0,12}", Just("AKIAIOSFODNN7EXAMPLE".to_string()),]
}

fn space() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), Just(" ".into()), Just("  ".into()), Just("\t".into())]
}

/// One line of a plausible but tricky profile file (without its ending).
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (prop::sample::select(HEADERS), space(), prop::option::of("[#;] ?[a-z ]{0,6}"))
            .prop_map(|(h, s, c)| format!("[{h}]{s}{}", c.unwrap_or_default())),
        6 => (prop::sample::select(KEYS), space(), space(), value(), prop::option::of(" [#;][a-z]{0,4}"))
            .prop_map(|(k, a, b, v, c)| format!("{k}{a}={b}{v}{}", c.unwrap_or_default())),
        2 => (prop_oneof![Just("  ".to_string()), Just("\t".to_string())], "[a-z_]{1,6}", space(), value())
            .prop_map(|(i, k, s, v)| format!("{i}{k}{s}={s}{v}")),
        1 => "[#;][ -~]{0,10}",
        1 => space(),
        1 => "[ -~]{0,12}",
        1 => "\\PC{0,8}",
    ]
}

fn ending() -> impl Strategy<Value = &'static str> {
    prop_oneof![6 => Just("\n"), 2 => Just("\r\n"), 1 => Just("\r")]
}

/// A whole file: lines with mixed endings, maybe a BOM, maybe no final newline.
fn file() -> impl Strategy<Value = String> {
    (any::<bool>(), prop::collection::vec((line(), ending()), 0..24), any::<bool>()).prop_map(
        |(bom, lines, last_newline)| {
            let mut text = String::new();
            if bom {
                text.push('\u{feff}');
            }
            let count = lines.len();
            for (i, (l, e)) in lines.into_iter().enumerate() {
                text.push_str(&l);
                if i + 1 < count || last_newline {
                    text.push_str(e);
                }
            }
            text
        },
    )
}

/// One line the SDK parser accepts (after a header).
fn valid_line() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => (prop::sample::select(HEADERS), space()).prop_map(|(h, s)| format!("[{h}]{s}")),
        6 => (prop::sample::select(KEYS), space(), space(), "[A-Za-z0-9/+=._-]{0,8}", prop::option::of(" [#;][a-z]{0,4}"))
            .prop_map(|(k, a, b, v, c)| format!("{k}{a}={b}{v}{}", c.unwrap_or_default())),
        1 => "[#;][ -~]{0,10}",
        1 => space(),
    ]
}

/// A file the SDK can read: no BOM, LF or CRLF endings, a header first, and
/// sub-properties only right after an empty value.
fn readable_file() -> impl Strategy<Value = String> {
    (prop::sample::select(HEADERS), prop::collection::vec((valid_line(), prop_oneof![Just("\n"), Just("\r\n")]), 0..20))
        .prop_map(|(h, lines)| {
            let mut text = format!("[{h}]\n");
            for (l, e) in lines {
                text.push_str(&l);
                text.push_str(e);
                if l.ends_with('=') && !l.starts_with(['#', ';']) {
                    text.push_str("  sub = 1");
                    text.push_str(e);
                }
            }
            text
        })
}

/// The real SDK's view of the two files.
fn sdk_load(config: &str, credentials: &str) -> Result<aws_config::profile::ProfileSet, String> {
    let fs = Fs::from_slice(&[("/c/config", config), ("/c/credentials", credentials)]);
    let env = Env::from_slice(&[("AWS_CONFIG_FILE", "/c/config"), ("AWS_SHARED_CREDENTIALS_FILE", "/c/credentials")]);
    let rt = tokio::runtime::Builder::new_current_thread().build().map_err(|e| e.to_string())?;
    rt.block_on(aws_config::profile::load(&fs, &env, &SdkProfileFiles::default(), None)).map_err(|e| e.to_string())
}

/// Asserts our view equals the SDK's: same profiles, same SSO sessions, same values.
fn assert_same_as_sdk(config: &str, credentials: &str) -> Result<(), TestCaseError> {
    let ours = SdkView::build(Some(&Document::parse(config)), Some(&Document::parse(credentials)));
    let theirs = sdk_load(config, credentials);
    let Ok(theirs) = theirs else {
        prop_assert!(!REQUIRE_READABLE.with(|r| r.get()), "a readable file failed in the SDK: {theirs:?}");
        prop_assert!(ours.is_broken(), "the SDK failed ({theirs:?}) but our view did not");
        return Ok(());
    };
    prop_assert!(!ours.is_broken(), "our view failed ({:?}) but the SDK read the files", ours.failures);
    let mut their_names: Vec<&str> = theirs.profiles().collect();
    their_names.sort_unstable();
    let our_names: Vec<&str> = ours.profile_names().collect();
    prop_assert_eq!(&our_names, &their_names);
    let mut their_sso: Vec<&str> = theirs.sso_sessions().collect();
    their_sso.sort_unstable();
    prop_assert_eq!(ours.sso_sessions.keys().map(String::as_str).collect::<Vec<_>>(), their_sso);
    let probe_keys: Vec<String> =
        KEYS.iter().map(|k| k.to_ascii_lowercase()).chain(["a".into(), "sub".into()]).collect();
    for (name, section) in &ours.profiles {
        let profile = theirs.get_profile(name).ok_or_else(|| TestCaseError::fail("profile missing"))?;
        for (key, prop) in &section.properties {
            prop_assert_eq!(profile.get(key), Some(prop.value.as_str()), "profile {} key {}", name, key);
        }
        for key in &probe_keys {
            prop_assert_eq!(profile.get(key).is_some(), section.properties.contains_key(key), "key {}", key);
        }
    }
    for (name, section) in &ours.sso_sessions {
        let sso = theirs.sso_session(name).ok_or_else(|| TestCaseError::fail("sso session missing"))?;
        for (key, prop) in &section.properties {
            prop_assert_eq!(sso.get(key), Some(prop.value.as_str()));
        }
    }
    Ok(())
}

thread_local! {
    static REQUIRE_READABLE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Splits into lines (endings kept) for comparing what an edit touched.
fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn any_text_round_trips(text in file()) {
        prop_assert_eq!(Document::parse(&text).render(), text);
    }

    #[test]
    fn any_unicode_round_trips(text in "\\PC*[\r\n]{0,3}\\PC*") {
        prop_assert_eq!(Document::parse(&text).render(), text);
    }

    #[test]
    fn any_bytes_round_trip_or_fail_cleanly(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        if let Ok(doc) = Document::parse_bytes(&bytes) {
            prop_assert_eq!(doc.render().into_bytes(), bytes);
        }
    }

    #[test]
    fn view_matches_the_sdk(config in file(), credentials in file()) {
        assert_same_as_sdk(&config, &credentials)?;
    }

    #[test]
    fn view_matches_the_sdk_on_readable_files(config in readable_file(), credentials in readable_file()) {
        REQUIRE_READABLE.with(|r| r.set(true));
        let result = assert_same_as_sdk(&config, &credentials);
        REQUIRE_READABLE.with(|r| r.set(false));
        result?;
    }

    #[test]
    fn set_changes_only_its_lines_and_exactly_that_value(
        text in prop_oneof![readable_file(), file()],
        in_credentials in any::<bool>(),
        profile in prop::sample::select(&["default", "dev", "ops", "newprofile"][..]),
        key in prop::sample::select(&["region", "aws_access_key_id", "output", "newkey"][..]),
        new_value in "[A-Za-z0-9/+=._-]{1,20}",
    ) {
        let kind = if in_credentials { FileKind::Credentials } else { FileKind::Config };
        let before = Document::parse(&text);
        let mut after = before.clone();
        let mut section = SectionName::profile(kind, profile);
        if kind == FileKind::Config && profile == "default" && before.has_section(&SectionName::from_header("profile default")) {
            section = SectionName::from_header("profile default");
        }
        after.set(&section, key, &new_value);
        let (old_text, new_text) = (before.render(), after.render());
        let (old, new) = (lines(&old_text), lines(&new_text));
        let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
        let suffix = old[prefix..].iter().rev().zip(new[prefix..].iter().rev()).take_while(|(a, b)| a == b).count();
        let added = &new[prefix..new.len() - suffix];
        let removed = &old[prefix..old.len() - suffix];
        prop_assert!(added.len() <= 4, "too many lines changed: {:?}", added);
        prop_assert!(added.iter().any(|l| l.contains(&new_value)));
        // Removed lines are the old value's line (and its indented sub-lines), or
        // the old last line that only gained a line ending.
        for gone in removed.iter().skip(1) {
            prop_assert!(gone.starts_with([' ', '\t']) || new_text.contains(gone.trim_end()), "unexpected removal {:?}", gone);
        }
        let (view_before, view_after) = match kind {
            FileKind::Config => (SdkView::build(Some(&before), None), SdkView::build(Some(&after), None)),
            FileKind::Credentials => (SdkView::build(None, Some(&before)), SdkView::build(None, Some(&after))),
        };
        if !view_before.is_broken() {
            prop_assert!(!view_after.is_broken());
            let mut expected = view_before.profiles.clone();
            let mut got = view_after.profiles.clone();
            prop_assert_eq!(got.get(profile).and_then(|s| s.get(key)), Some(new_value.as_str()));
            for map in [&mut expected, &mut got] {
                if let Some(section) = map.get_mut(profile) {
                    section.properties.remove(key);
                    for prop in section.properties.values_mut() { prop.origin.line = 0; }
                    section.headers.clear();
                }
                for section in map.values_mut() {
                    for prop in section.properties.values_mut() { prop.origin.line = 0; }
                    section.headers.clear();
                }
                map.retain(|name, s| name != profile || !s.properties.is_empty());
            }
            prop_assert_eq!(got, expected);
        }
    }
}

/// Names, keys and values as an attacker or an unlucky paste would give them.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-z][a-z0-9_-]{0,8}",
        2 => "[ -~]{0,16}",
        1 => "\\PC{0,12}",
        2 => "[a-z \t#;=\\[\\]\r\n\u{1b}\u{7}\u{7f}\u{85}\u{9b}\u{202e}\u{2066}\u{200b}\u{feff}]{0,16}",
        1 => Just("x]\n[profile evil]\ncredential_process = sh -c id\n[y".to_string()),
        1 => Just(" default".to_string()),
        1 => Just("eu-west-1 # c".to_string()),
        1 => Just("--region".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    /// Whatever `set_checked` accepts, the real SDK reads back exactly, in that
    /// profile only; whatever it refuses leaves the document untouched.
    #[test]
    fn validated_writes_are_read_back_exactly_by_the_sdk(
        text in readable_file(),
        in_credentials in any::<bool>(),
        profile in hostile(),
        key in prop_oneof![prop::sample::select(&["region", "aws_access_key_id", "output", "newkey"][..]).prop_map(String::from), hostile()],
        value in hostile(),
    ) {
        let kind = if in_credentials { FileKind::Credentials } else { FileKind::Config };
        let before = Document::parse(&text);
        prop_assume!(!(kind == FileKind::Config && before.has_section(&SectionName::from_header("profile default"))));
        let section = SectionName::profile(kind, &profile);
        let mut after = before.clone();
        let files = |doc: &Document| match kind {
            FileKind::Config => (doc.render(), String::new()),
            FileKind::Credentials => (String::new(), doc.render()),
        };
        let (config_before, credentials_before) = files(&before);
        let sdk_before = sdk_load(&config_before, &credentials_before);
        prop_assume!(sdk_before.is_ok());
        match after.set_checked(&section, &key, &value) {
            Err(_) => prop_assert_eq!(after.render(), text),
            Ok(_) => {
                let (config, credentials) = files(&after);
                let sdk = sdk_load(&config, &credentials).map_err(TestCaseError::fail)?;
                let read = sdk.get_profile(&profile).and_then(|p| p.get(&key.to_ascii_lowercase()));
                prop_assert_eq!(read, Some(value.as_str()), "profile {:?} key {:?}", profile, key);
                let names_before: Vec<String> = sdk_before.map_err(TestCaseError::fail)?.profiles().map(str::to_string).collect();
                for name in sdk.profiles() {
                    prop_assert!(name == profile || names_before.iter().any(|n| n == name), "profile {:?} appeared", name);
                }
            }
        }
    }
}
