//! The command line as a new user meets it: `--help` says that `credwiz`
//! alone opens the wizard and lists its keys, examples and exit statuses;
//! shell completions and the man page come from the same definition; and
//! `check`'s readable report shows guides as terminal text, not markdown.

mod support;

/// A port where nothing listens: the live checks fail fast.
const NOBODY: &str = "http://127.0.0.1:9";

fn stdout(args: &[&str]) -> String {
    let home = support::home(None, None);
    let out = support::credwiz(home.path(), NOBODY, &[], args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn long_help_explains_the_wizard_its_keys_examples_and_exit_statuses() {
    let help = stdout(&["--help"]);
    for part in [
        "`credwiz` alone opens the full-screen wizard",
        "Keys of the wizard",
        "Ctrl-C",
        "1-5",
        "Examples:",
        "Exit status:",
        "credwiz check  0 no failure",
    ] {
        assert!(help.contains(part), "--help lacks {part:?}:\n{help}");
    }
    assert!(stdout(&["-h"]).contains("alone opens the wizard"));
}

#[test]
fn completions_and_the_man_page_are_generated_from_the_command_line() {
    let bash = stdout(&["completions", "bash"]);
    assert!(bash.contains("_credwiz") && bash.contains("--expect-account"), "{bash}");
    assert!(stdout(&["completions", "zsh"]).contains("#compdef credwiz"));
    let man = stdout(&["man"]);
    assert!(man.contains(".TH credwiz") && man.contains("expect\\-account"), "{man}");
}

#[test]
fn the_readable_report_renders_guides_as_text_and_names_the_key() {
    let quoted = "[default]\naws_access_key_id = AKIAQWERTYUIOPASDFGH\naws_secret_access_key = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYabcdefghij\"\n";
    let home = support::home(Some(quoted), Some("[default]\nregion = us-east-1\n"));
    let out = support::credwiz(home.path(), NOBODY, &[("NO_COLOR", "1")], &["check"]);
    let report = String::from_utf8_lossy(&out.stdout);
    let guide = report.split_once("Guide: ").map(|(_, g)| g).unwrap_or_else(|| panic!("no guide:\n{report}"));
    let guide = guide.split("\nAlso:").next().unwrap_or_default();
    assert!(guide.lines().all(|l| !l.starts_with('#') && !l.contains('`')), "raw markdown:\n{guide}");
    assert!(guide.lines().all(|l| l.chars().count() <= 80), "guides are wrapped:\n{guide}");
    assert!(guide.contains("\n  1. "), "numbered steps, indented:\n{guide}");
    for cause in credwiz::diagnose::Cause::ALL {
        assert!(!cause.guide().contains("one key press"), "{cause}: the guide must name the key");
    }
}

/// `credwiz man [COMMAND]`: the page's roff text.
fn man(page: Option<&str>) -> String {
    let mut args = vec!["man"];
    args.extend(page);
    stdout(&args)
}

/// Every `--long` option of a command, as roff writes it (`\-\-write\-session`).
fn roff_longs(command: &clap::Command) -> Vec<(String, String)> {
    command
        .get_arguments()
        .filter(|a| !a.is_hide_set())
        .filter_map(|a| a.get_long())
        .map(|long| (long.to_string(), format!("\\-\\-{}", long.replace('-', "\\-"))))
        .collect()
}

#[test]
fn every_man_page_is_written_with_its_sections_and_every_option() {
    use clap::CommandFactory;
    let top = credwiz::cli::Cli::command();
    for page in [None, Some("check"), Some("scan"), Some("set")] {
        let text = man(page);
        let name = page.map_or("credwiz".to_string(), |p| format!("credwiz-{p}"));
        assert!(text.contains(&format!("\n.TH {name} 1 ")), "{name}: title:\n{text}");
        assert_eq!(text.matches(".el .ds Aq").count(), 1, "{name}: one preamble");
        for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXAMPLES", "ENVIRONMENT", "FILES"] {
            assert!(text.contains(&format!("\n.SH {section}\n")), "{name} lacks {section}:\n{text}");
        }
        for section in ["EXIT STATUS", "SEE ALSO"] {
            assert!(text.contains(&format!("\n.SH \"{section}\"\n")), "{name} lacks {section}:\n{text}");
        }
        assert!(!text.contains("EXTRA"), "{name} has an EXTRA section");
        let command = page.map_or(top.clone(), |p| top.find_subcommand(p).expect("subcommand").clone());
        for (long, roff) in roff_longs(&command) {
            assert!(text.contains(&roff), "{name} lacks --{long}");
        }
    }
    let check = man(Some("check"));
    assert!(check.contains("\\-\\-json") && check.contains("\\-\\-write\\-session"), "{check}");
    assert!(man(None).contains(".SH KEYS") && man(None).contains("Ctrl\\-C"), "credwiz(1) shows the wizard's keys");
    let home = support::home(None, None);
    let out = support::credwiz(home.path(), NOBODY, &[], &["man", "nope"]);
    assert_eq!(out.status.code(), Some(2), "an unknown page is a usage error");
}

/// Environment variable names the source reads by name (`get("X")`,
/// `var("X")`, `var_os("X")`), uppercase only.
fn variables_read_by(dir: &std::path::Path, found: &mut std::collections::BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).expect("src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            variables_read_by(&path, found);
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read");
        // Test modules build their own worlds: only the code above them counts.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for call in ["get(\"", "var(\"", "var_os(\""] {
            for piece in code.split(call).skip(1) {
                let name: String = piece.chars().take_while(|c| *c != '"').collect();
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_') {
                    found.insert(name);
                }
            }
        }
    }
}

#[test]
fn the_environment_section_names_every_variable_credwiz_reads() {
    let mut read = std::collections::BTreeSet::new();
    variables_read_by(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut read);
    assert!(read.contains("AWS_PROFILE") && read.contains("CREDWIZ_LOG_DIR"), "the scan finds reads: {read:?}");
    for page in [None, Some("check"), Some("scan"), Some("set")] {
        let text = man(page);
        let environment = text.split("\n.SH ENVIRONMENT\n").nth(1).expect("ENVIRONMENT");
        let environment = environment.split("\n.SH ").next().unwrap_or_default().replace("\\_", "_");
        for name in &read {
            assert!(environment.contains(name.as_str()), "{page:?}: ENVIRONMENT lacks {name}");
        }
    }
}

#[test]
fn no_command_offers_an_option_it_has_no_use_for() {
    for command in ["scan", "man", "completions"] {
        let help = stdout(&[command, "--help"]);
        assert!(!help.contains("--profile"), "`{command} --help` offers --profile:\n{help}");
    }
    let home = support::home(None, Some("[default]\nregion = us-east-1\n"));
    let out = support::credwiz(home.path(), NOBODY, &[], &["--profile", "dev", "scan"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--profile does not apply"));
    for args in [&["check", "--profile", "dev", "--json"][..], &["--profile", "dev", "check", "--json"]] {
        let out = support::credwiz(home.path(), NOBODY, &[], args);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
        assert_eq!(report["profile"], "dev", "{args:?} checks profile dev");
    }
}

#[test]
fn version_names_the_version_and_the_commit() {
    let version = stdout(&["--version"]);
    let expected = format!("credwiz {} (", env!("CARGO_PKG_VERSION"));
    assert!(version.starts_with(&expected), "{version}");
    let git = std::process::Command::new("git")
        .args(["-C", env!("CARGO_MANIFEST_DIR"), "rev-parse", "--short=12", "HEAD"])
        .output()
        .expect("git");
    let head = String::from_utf8_lossy(&git.stdout).trim().to_string();
    assert_eq!(head.len(), 12, "built from a git checkout");
    assert!(version.contains(&format!("({head} ")), "{version} names commit {head}");
}
