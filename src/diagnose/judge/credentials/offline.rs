//! The credentials step's offline findings: files the SDKs cannot parse,
//! misnamed or ignored sections, whether the profile exists (and who chose
//! it), the lints of every source's keys, and an unusable CA bundle.

use crate::base::display::display_path;
use crate::base::environment::ProfileChoice;
use crate::diagnose::input::facts::Facts;
use crate::diagnose::input::gather::CaBundle;
use crate::diagnose::input::lints::{LintTarget, lint_keys};
use crate::diagnose::input::sources::SourceKind;
use crate::profile::file_location;
use crate::profile::view::{Ignored, ParseFailure};
use crate::profile::{FileKind, SectionName};
use crate::vocabulary::finding::{Finding, Repair};
use crate::vocabulary::regions;
use crate::vocabulary::{Cause, Step};

/// Offline findings: the files, the profile, and the keys of every source.
pub fn lints(facts: &Facts) -> Vec<Finding> {
    let mut out = unparsable_files(facts);
    let (sections, misnamed_selected) = misnamed_sections(facts);
    out.extend(sections);
    out.extend(profile_exists(facts, misnamed_selected));
    out.extend(source_keys(facts));
    out.extend(unusable_ca_bundle(facts));
    out
}

/// A file the SDKs cannot parse: they see no profile in it at all.
fn unparsable_files(facts: &Facts) -> Vec<Finding> {
    let unparsable = |failure: &ParseFailure| {
        let location = file_location(&facts.env, failure.origin);
        Finding::fail(
            "profile-files",
            Cause::ProfileNotFound,
            format!(
                "the AWS SDKs cannot parse {location} ({}), so they see no profile in that file at all",
                failure.message
            ),
            format!("fix line {} of that file", failure.origin.line),
        )
        .at(location)
    };
    facts.view.failures.iter().map(unparsable).collect()
}

/// Section headers the SDKs ignore (a failure for the selected profile, with
/// the rename that fixes it; in a scan, only the profile's own), and whether
/// the selected profile is one of them.
fn misnamed_sections(facts: &Facts) -> (Vec<Finding>, bool) {
    let mut out = Vec::new();
    let mut misnamed_selected = false;
    // In a scan each ignored section is one cross-profile finding: a profile's report keeps its own.
    let ignored: Vec<&Ignored> = if facts.options.other_profiles_later {
        facts.index.ignored_sections(&facts.view, &facts.profile)
    } else {
        facts.view.ignored.iter().filter(|i| i.key.is_none()).collect()
    };
    for ignored in ignored {
        let named = SectionName::from_header(&ignored.header);
        let location = file_location(&facts.env, ignored.origin);
        if ignored.is_shadowed_default() {
            out.push(
                Finding::warn(
                    "profile-sections",
                    Cause::ProfileMisnamedSection,
                    ignored.reason.clone(),
                    Ignored::SHADOWED_DEFAULT_FIX.to_string(),
                )
                .at(location),
            );
            continue;
        }
        let fixed = match ignored.origin.file {
            FileKind::Credentials if named.prefix.as_deref() == Some("profile") => {
                Some(SectionName { prefix: None, name: named.name.clone() })
            }
            FileKind::Config if named.prefix.is_none() => Some(SectionName::profile(FileKind::Config, &named.name)),
            _ => None,
        };
        let selected = named.name == facts.profile;
        misnamed_selected |= selected && fixed.is_some();
        let (summary, fix) = (
            ignored.reason.clone(),
            fixed.as_ref().map_or_else(
                || "move or rename the section".to_string(),
                |f| format!("rename the header to [{}]", f.header_text()),
            ),
        );
        let mut finding = if selected {
            Finding::fail("profile-sections", Cause::ProfileMisnamedSection, summary, fix)
        } else {
            Finding::warn("profile-sections", Cause::ProfileMisnamedSection, summary, fix)
        }
        .at(location);
        if let Some(to) = fixed {
            finding = finding.with_repair(Repair::RenameSection { file: ignored.origin.file, from: named, to });
        }
        out.push(finding);
    }
    (out, misnamed_selected)
}

/// Whether the selected profile exists (unless a misnamed section or the
/// implicit default explains it), and the note on `AWS_DEFAULT_PROFILE`.
fn profile_exists(facts: &Facts, misnamed_selected: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    let exists = facts.view.profiles.contains_key(&facts.profile);
    if !exists && !misnamed_selected && facts.choice != ProfileChoice::Default {
        let names: Vec<&str> = facts.view.profile_names().collect();
        let closest = regions::closest(&facts.profile, names.iter().copied(), 3);
        let listed = if closest.is_empty() {
            "there are no profiles in the files".to_string()
        } else {
            format!("closest: {}", closest.join(", "))
        };
        let mut f = Finding::fail(
            "profile-exists",
            Cause::ProfileNotFound,
            format!(
                "profile `{}` (from {}) is in neither {} nor {}; {listed}",
                facts.profile,
                chosen_by(facts.choice),
                display_path(&facts.env, &facts.env.credentials_path()),
                display_path(&facts.env, &facts.env.config_path())
            ),
            match closest.first() {
                Some(best) => format!("use an existing profile, e.g. `export AWS_PROFILE={best}`"),
                None => "create the profile, or pick one that exists".into(),
            },
        );
        f.evidence = closest.iter().map(|c| format!("profile {c} exists")).collect();
        out.push(f);
    } else if exists {
        out.push(Finding::pass(
            "profile-exists",
            Step::Credentials,
            format!("profile `{}` found (chosen by {})", facts.profile, chosen_by(facts.choice)),
        ));
    }
    if facts.choice == ProfileChoice::AwsDefaultProfile {
        out.push(Finding::pass(
            "profile-exists",
            Step::Credentials,
            "AWS_DEFAULT_PROFILE is read by the AWS CLI v1 only; the SDKs and CLI v2 use AWS_PROFILE",
        ));
    }
    out
}

/// The lints of every source's keys: failures for the source in use, warnings for the others.
fn source_keys(facts: &Facts) -> Vec<Finding> {
    let winner = facts.chain.winner;
    let mut out = Vec::new();
    for (index, source) in facts.chain.sources.iter().enumerate() {
        let Some(keys) = &source.keys else { continue };
        let in_use = Some(index) == winner || (!source.yields && (winner.is_none() || source.kind == SourceKind::Env));
        out.extend(lint_keys(&LintTarget { source, profile: &facts.profile, in_use }, keys));
    }
    out
}

/// An `AWS_CA_BUNDLE` (or `ca_bundle`) that names a file credwiz cannot use.
fn unusable_ca_bundle(facts: &Facts) -> Option<Finding> {
    let Some((CaBundle { path, pem: Err(why) }, named_by)) = facts.ca_bundle() else { return None };
    Some(
        Finding::warn(
            "endpoint",
            Cause::TlsUntrusted,
            format!("{named_by} names {path}, which cannot be used: {why}"),
            "point AWS_CA_BUNDLE at a readable PEM file, or unset it",
        )
        .in_step(Step::Credentials),
    )
}

/// Who chose the profile, in words both front ends can show: a profile given
/// by name is `--profile` to `check` and the picker to the wizard.
fn chosen_by(choice: ProfileChoice) -> &'static str {
    match choice {
        ProfileChoice::Flag => "name",
        other => other.describe(),
    }
}
