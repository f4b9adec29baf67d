//! `home-mismatch`: credwiz runs through `sudo`, so it reads the files of the
//! home it was given (root's), while the user who ran sudo keeps the profile
//! in their own. A failure when only their files give the profile credentials
//! (it explains the missing profile or credentials), a warning when both do.
//! Pure.

use crate::base::display::display_path;
use crate::diagnose::input::facts::Facts;
use crate::diagnose::input::invoker::gives_credentials;
use crate::vocabulary::finding::Finding;
use crate::vocabulary::{Cause, Step};

/// The finding, on a `sudo` run whose invoking user's files hold profiles.
pub fn assess(facts: &Facts) -> Option<Finding> {
    const ID: &str = "home";
    let invoker = facts.side.invoker.as_ref()?;
    let here = facts.view.profiles.get(&facts.profile).is_some_and(gives_credentials);
    let there = invoker.profiles.get(&facts.profile).copied().unwrap_or(false);
    let read = display_path(&facts.env, &facts.env.config_path());
    let user = &invoker.user;
    let ran =
        format!("credwiz runs through sudo (SUDO_USER={user}), so it reads {read}, not {user}'s {}", invoker.config);
    let fix = format!(
        "run it without sudo, or keep {user}'s home: `sudo --preserve-env=HOME ...` (or name the files: AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE)"
    );
    let theirs: Vec<&str> = invoker.profiles.iter().filter(|(_, c)| **c).map(|(n, _)| n.as_str()).collect();
    match (here, there) {
        (false, true) => Some(Finding::fail(
            ID,
            Cause::HomeMismatch,
            format!("{ran}: profile `{}` has credentials there, not here", facts.profile),
            fix,
        )),
        (false, false) if facts.view.profiles.is_empty() && !theirs.is_empty() => Some(
            Finding::fail(
                ID,
                Cause::HomeMismatch,
                format!("{ran}: the files read hold no profile, {user}'s hold {}", theirs.join(", ")),
                fix,
            )
            .with_evidence("sudo also drops AWS_PROFILE: choose the profile with --profile NAME"),
        ),
        (true, true) => Some(
            Finding::warn(
                ID,
                Cause::HomeMismatch,
                format!("{ran}: both hold profile `{}`, and they may differ", facts.profile),
                fix,
            )
            .in_step(Step::Credentials),
        ),
        _ => None,
    }
}
