//! The wizard's background scan, through `update` without a terminal: it is
//! asked for only once the selected profile's own first run has finished (so
//! it cannot delay it), not on a re-run, and again after a save; the statuses it sends show in the picker with
//! their cause; and the wizard's own verdict on the current profile (made on
//! the draft) is not overwritten by the scan's.

mod support;

use credwiz::diagnose::{Cause, Status};
use credwiz::tui::app::picker::ProfileStatus;
use credwiz::tui::app::summary::Written;
use credwiz::tui::msg::{Effect, Msg, SaveDone};
use crossterm::event::KeyCode;
use support::wizard::{self, ID, SECRET};

fn two_profiles() -> credwiz::tui::App {
    let credentials = format!(
        "[default]\naws_access_key_id = {ID}\naws_secret_access_key = {SECRET}\n[ops]\naws_access_key_id = AKIAOPSOPSOPSOPSOPS1\naws_secret_access_key = {SECRET}\n"
    );
    wizard::app_with("[default]\nregion = us-east-1\n[profile ops]\nregion = eu-west-1\n", &credentials)
}

fn scans(effects: &[Effect]) -> usize {
    effects.iter().filter(|e| matches!(e, Effect::ScanProfiles { .. })).count()
}

#[test]
fn the_scan_runs_after_the_first_run_and_after_a_save_and_its_statuses_reach_the_picker() {
    let mut app = two_profiles();
    let start = app.start();
    assert_eq!(scans(&start), 0, "the scan must not compete with the selected profile's first run");
    let finished = wizard::finish(&mut app, start, vec![wizard::identity()]);
    assert_eq!(scans(&finished), 1, "{finished:?}");
    let Some(Effect::ScanProfiles { gathered, timeout, .. }) =
        finished.into_iter().find(|e| matches!(e, Effect::ScanProfiles { .. }))
    else {
        unreachable!("counted above")
    };
    assert!(gathered.files.view().profiles.contains_key("ops"), "the scan sees every profile of the draft");
    assert_eq!(timeout, std::time::Duration::from_secs(10), "within the wizard's --timeout");

    // A re-run does not scan again.
    let rerun = app.update(wizard::key(KeyCode::Char('r')));
    assert_eq!(scans(&wizard::finish(&mut app, rerun, vec![wizard::identity()])), 0);

    // A save changes the files other profiles read: the run after it scans them again.
    let written = Written { path: "~/.aws/config".into(), backup: None };
    let saved = app.update(Msg::Saved(Ok(SaveDone { files: app.draft.edited.clone(), written: vec![written] })));
    assert_eq!(scans(&saved), 0, "not before the selected profile's run");
    assert_eq!(scans(&wizard::finish(&mut app, saved, vec![wizard::identity()])), 1);

    // The scan's statuses: ops fails; its line for default (judged apart from the draft) is ignored.
    app.update(Msg::ProfileStatuses(vec![
        ProfileStatus {
            profile: "ops".into(),
            status: Status::Fail,
            cause: Some(Cause::SecretMismatch),
            source: None,
            account: None,
        },
        ProfileStatus {
            profile: "default".into(),
            status: Status::Fail,
            cause: Some(Cause::UnknownAccessKey),
            source: None,
            account: None,
        },
    ]));
    assert_eq!(app.profiles["ops"].cause, Some(Cause::SecretMismatch));
    assert_eq!(app.profiles["default"].status, Status::Pass, "the wizard's own run of the current profile wins");

    app.update(wizard::key(KeyCode::Char('p')));
    let screen = wizard::screen(&app, 100, 30);
    let ops = screen.lines().find(|l| l.contains("✗ ops")).unwrap_or_else(|| panic!("no ops line:\n{screen}"));
    assert!(ops.contains("✗ ops") && ops.contains("secret-mismatch"), "{ops}\n{screen}");
    let default = screen.lines().find(|l| l.contains("(current)")).unwrap_or_default();
    assert!(default.contains("✓ default") && default.contains("(current)"), "{default}");
}
