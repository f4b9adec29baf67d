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
