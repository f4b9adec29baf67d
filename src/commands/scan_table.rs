//! The readable `credwiz scan`: one line per profile (status, profile,
//! source, account, identity, region, expiry countdown, then the primary
//! cause and its fix), the cross-profile findings and a summary line. The
//! table fits the terminal's width (SPEC 7): the identity and profile
//! columns shrink first, long names are cut with `…`, and a cause that does
//! not fit beside the row wraps under it (at spaces, never at a hyphen).
//! Without a width (a pipe) nothing is cut but what is absurdly long. Every
//! outside string passes `redact::scrub` and `sanitize`.

use super::style::{paint, status_mark};
use crate::base::sanitize;
use crate::base::time::humanize;
use crate::diagnose::Status;
use crate::redact;
use crate::scan::{Expiry, ScanResult, Scanned};
use chrono::{DateTime, Utc};
use std::fmt::Write as _;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

const HEADERS: [&str; 7] = ["PROFILE", "SOURCE", "ACCOUNT", "IDENTITY", "REGION", "EXPIRES", "CAUSE AND FIX"];
/// The narrowest each of the first six columns gets, and the order they shrink in (first: identity).
const MIN_WIDTHS: [usize; 6] = [12, 6, 12, 12, 9, 7];
const SHRINK_ORDER: [usize; 4] = [3, 0, 4, 1];
/// Columns between cells.
const GAP: usize = 2;
/// Where a cause wrapped under its row starts.
const UNDER: usize = 4;

/// Text cut to `max` columns (`…` marks a cut).
fn cut(text: &str, max: usize) -> String {
    if text.width() <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// An outside string as one table cell: secrets scrubbed, made safe, cut to `max` columns.
fn cell(text: &str, max: usize) -> String {
    cut(&sanitize::line(&redact::scrub(text)), max)
}

/// Text folded to `width` columns at spaces (a word longer than a line is cut
/// where the line ends, never at a hyphen by choice); every line after the
/// first starts `indent` columns in.
pub fn fold(text: &str, width: usize, indent: usize) -> Vec<String> {
    let width = width.max(indent + 8);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let room = width - if lines.is_empty() { 0 } else { indent };
        let needed = if line.is_empty() { word.width() } else { line.width() + 1 + word.width() };
        if needed > room && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        let room = width - if lines.is_empty() { 0 } else { indent };
        let mut word = word.to_string();
        while word.width() > room {
            let head: String = word
                .chars()
                .scan(0, |w, c| {
                    *w += c.width().unwrap_or(0);
                    (*w <= room).then_some(c)
                })
                .collect();
            word = word.chars().skip(head.chars().count()).collect();
            lines.push(head);
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    lines.push(line);
    lines.into_iter().enumerate().map(|(i, l)| if i == 0 { l } else { format!("{}{l}", " ".repeat(indent)) }).collect()
}

/// `user/alice`, `assumed-role/Dev/session`: the ARN after the account.
fn identity_label(arn: &str) -> &str {
    arn.splitn(6, ':').nth(5).unwrap_or(arn)
}

/// `in 3 h 5 min`, `expired 2 h ago`, `never`, `-`.
pub fn expiry_label(expiry: Expiry, now: DateTime<Utc>) -> String {
    match expiry {
        Expiry::Never => "never".into(),
        Expiry::Unknown => "-".into(),
        Expiry::At(at) if at > now => format!("in {}", humanize((at - now).num_seconds())),
        Expiry::At(at) => format!("expired {} ago", humanize((now - at).num_seconds())),
    }
}

/// The cells of one profile's line (before the status symbol), uncut but for absurd lengths.
fn cells(profile: &Scanned, now: DateTime<Utc>) -> [String; 7] {
    let report = &profile.report;
    let identity = report.identity.as_ref();
    let cause = match (profile.status(), profile.primary()) {
        (Status::Fail | Status::Warn, Some(entry)) => {
            let id = entry.cause.map_or("unclassified", |c| c.id());
            let fix = entry.fix.as_deref().or(entry.cause.map(|c| c.short_fix())).unwrap_or_default();
            format!("{id}: {fix}")
        }
        (Status::Skip, _) if profile.not_checked() => "not checked: --timeout ran out first".to_string(),
        _ => String::new(),
    };
    [
        cell(&profile.name, 256),
        report.source.kind.short_label().to_string(),
        identity.map_or_else(|| "-".to_string(), |i| cell(&i.account, 12)),
        identity.map_or_else(|| "-".to_string(), |i| cell(identity_label(&i.arn), 128)),
        report.region.value.as_deref().map_or_else(|| "-".to_string(), |r| cell(r, 32)),
        expiry_label(profile.expiry, now),
        cell(&cause, 400),
    ]
}

fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.width())))
}

/// The widths of the first six columns: each its widest cell, shrunk (identity
/// first, then profile, region, source) until the row fits `room` columns.
fn column_widths(rows: &[(Status, [String; 7])], room: Option<usize>) -> [usize; 6] {
    let mut widths = [0; 6];
    for (i, width) in widths.iter_mut().enumerate() {
        *width = rows.iter().map(|(_, r)| r[i].width()).chain(std::iter::once(HEADERS[i].width())).max().unwrap_or(0);
    }
    let Some(room) = room else { return widths };
    let total = |w: &[usize; 6]| w.iter().map(|c| c + GAP).sum::<usize>();
    for column in SHRINK_ORDER {
        let over = total(&widths).saturating_sub(room);
        if over == 0 {
            break;
        }
        widths[column] = widths[column].saturating_sub(over).max(MIN_WIDTHS[column]);
    }
    widths
}

/// The profile lines: each row, with its cause beside it when it fits, else under it.
fn rows_text(rows: &[(Status, [String; 7])], width: Option<usize>, color: bool, out: &mut String) {
    let widths = column_widths(rows, width.map(|w| w.saturating_sub(2)));
    let line =
        |cells: &[String]| -> String { cells.iter().zip(widths).map(|(c, w)| pad(&cut(c, w), w + GAP)).collect() };
    let beside = |text: &str, used: usize| width.is_none_or(|w| used + 2 + text.width() <= w);
    let header: Vec<String> = HEADERS[..6].iter().map(|h| h.to_string()).collect();
    let head = line(&header);
    let last = if beside(HEADERS[6], head.width()) { HEADERS[6] } else { "" };
    let _ = writeln!(out, "  {}", paint(format!("{head}{last}").trim_end(), "1", color));
    for (status, row) in rows {
        let text = line(&row[..6]);
        let style = match status {
            Status::Fail => "31",
            Status::Warn => "33",
            _ => "",
        };
        let tint = |t: &str| if style.is_empty() { t.to_string() } else { paint(t, style, color) };
        let mark = status_mark(*status, color);
        if beside(&row[6], text.width()) {
            let _ = writeln!(out, "{mark} {}", format!("{text}{}", tint(&row[6])).trim_end());
            continue;
        }
        let _ = writeln!(out, "{mark} {}", text.trim_end());
        let room = width.unwrap_or(usize::MAX).saturating_sub(UNDER);
        for folded in fold(&row[6], room, 2) {
            let _ = writeln!(out, "{}{}", " ".repeat(UNDER), tint(&folded));
        }
    }
}

/// One line of the findings, folded to the width.
fn finding_line(out: &mut String, text: &str, indent: usize, width: Option<usize>) {
    let room = width.unwrap_or(usize::MAX).saturating_sub(indent);
    for line in fold(text, room, 2) {
        let _ = writeln!(out, "{}{line}", " ".repeat(indent));
    }
}

/// The readable scan at `width` columns (none: a pipe): the table, the cross-profile findings, a summary line.
pub fn table(result: &ScanResult, now: DateTime<Utc>, color: bool, width: Option<usize>) -> String {
    let rows: Vec<(Status, [String; 7])> = result.profiles.iter().map(|p| (p.status(), cells(p, now))).collect();
    let mut out = String::new();
    rows_text(&rows, width, color, &mut out);
    if !result.findings.is_empty() {
        let _ = writeln!(out, "\n{}", paint("Across profiles:", "1", color));
        for finding in &result.findings {
            let id = finding.cause.map(|c| format!("[{c}]")).unwrap_or_default();
            let text = format!("{}: {} {id}", finding.id, cell(&finding.summary, 400));
            let room = width.unwrap_or(usize::MAX).saturating_sub(2);
            for (i, line) in fold(text.trim_end(), room, 0).iter().enumerate() {
                let lead = if i == 0 { format!("{} ", status_mark(finding.status, color)) } else { "  ".into() };
                let line = if id.is_empty() { line.clone() } else { line.replace(&id, &paint(&id, "2", color)) };
                let _ = writeln!(out, "{lead}{line}");
            }
            for line in &finding.evidence {
                finding_line(&mut out, &cell(line, 300), 4, width);
            }
            finding_line(&mut out, &format!("fix: {}", cell(&finding.fix, 400)), 4, width);
        }
    }
    let count = |s: Status| rows.iter().filter(|(status, _)| *status == s).count();
    let (warned, failed) = (count(Status::Warn), count(Status::Fail));
    let _ = writeln!(
        out,
        "\n{} profile{}: {} work{}{}, {failed} fail{}; {} cross-profile finding{} ({} ms)",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" },
        rows.len() - failed,
        if rows.len() - failed == 1 { "s" } else { "" },
        if warned > 0 { format!(" ({warned} with warnings)") } else { String::new() },
        if failed == 1 { "s" } else { "" },
        result.findings.len(),
        if result.findings.len() == 1 { "" } else { "s" },
        result.duration.as_millis()
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_and_expiry_are_short() {
        assert_eq!(identity_label("arn:aws:iam::123456789012:user/alice"), "user/alice");
        assert_eq!(identity_label("arn:aws:sts::123456789012:assumed-role/Dev/s"), "assumed-role/Dev/s");
        let now = Utc::now();
        assert_eq!(expiry_label(Expiry::At(now + chrono::Duration::minutes(30)), now), "in 30 min");
        assert_eq!(expiry_label(Expiry::At(now - chrono::Duration::hours(3)), now), "expired 3 h 0 min ago");
        assert_eq!(expiry_label(Expiry::Never, now), "never");
    }

    #[test]
    fn hostile_names_cannot_drive_the_terminal() {
        assert_eq!(cell("evil\u{1b}]0;pwned\u{7}", 40), "evil\\e]0;pwned\\x07");
        assert_eq!(cell("assumed-role/admin/assume-role-from-default", 20), "assumed-role/admin/…");
    }

    #[test]
    fn folding_keeps_hyphenated_words_whole_and_indents_the_rest() {
        let text = "unknown-access-key: the key id is not known to AWS (deleted, deactivated, mistyped)";
        let lines = fold(text, 30, 2);
        assert!(lines.iter().all(|l| l.width() <= 30), "{lines:?}");
        assert_eq!(lines[0], "unknown-access-key: the key id");
        assert!(lines[1..].iter().all(|l| l.starts_with("  ")), "{lines:?}");
        assert_eq!(lines.join(" ").split_whitespace().collect::<Vec<_>>(), text.split_whitespace().collect::<Vec<_>>());
    }
}
