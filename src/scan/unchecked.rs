//! The line of a profile the scan did not reach within `--timeout`: listed,
//! never dropped, marked as not checked, with what the offline pass already
//! knew of it (its source kind and its offline failure). Built in constant
//! time without the profile's facts, so however many profiles are left when
//! the budget runs out, the scan still ends on time (issue 19). Pure.

use super::{Done, Entry, Expiry, Scanned};
use crate::diagnose::report::{self, RegionReport, Report, SourceReport, StepReport};
use crate::diagnose::{Finding, Outcomes, Status, Step};

/// The check id of a profile the scan did not reach.
pub const NOT_CHECKED: &str = "not-checked";

/// The report of a profile not reached in time.
pub(super) fn not_checked(index: usize, entry: &Entry) -> Done {
    let mut checks = vec![Finding::new(
        NOT_CHECKED,
        Step::Credentials,
        Status::Skip,
        format!(
            "not checked: the scan's time budget (--timeout) ran out before this profile's turn; `credwiz check --profile {}` checks it alone",
            entry.name
        ),
    )];
    if let Some(cause) = entry.offline {
        checks.push(
            Finding::fail("offline", cause, format!("{} (found before any call)", cause.title()), cause.short_fix())
                .in_step(Step::Credentials),
        );
    }
    let status = report::step_status(&checks);
    let report = Report {
        schema: 1,
        profile: entry.name.clone(),
        source: SourceReport { kind: entry.source, location: None, access_key_id: None, shadowed: Vec::new() },
        identity: None,
        region: RegionReport { value: None, source: None },
        causes: report::causes(&checks, Status::Fail),
        warnings: report::causes(&checks, Status::Warn),
        steps: vec![StepReport { step: Step::Credentials, status, checks }],
        duration_ms: 0,
    };
    Done {
        index,
        scanned: Scanned { name: entry.name.clone(), report, expiry: Expiry::Unknown },
        outcomes: Outcomes::new(),
        key_id: None,
        working: None,
    }
}

impl Scanned {
    /// Whether the scan did not reach this profile in time.
    pub fn not_checked(&self) -> bool {
        self.report.steps.iter().flat_map(|s| &s.checks).any(|c| c.id == NOT_CHECKED)
    }
}
