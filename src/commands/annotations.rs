//! `check --format github`: every failure and warning of the report as a
//! GitHub Actions workflow command (`::error title=CAUSE::summary. Fix: ...`,
//! `::warning ...`), so the job's summary shows them on the run page. Data
//! is escaped as the runner requires (`%` `%25`, CR `%0D`, LF `%0A`), and a
//! property value also `:` `%3A` and `,` `%2C`: an outside string can never
//! end the command or start another one. The readable report printed before
//! them is fenced with `::stop-commands::` so that no line of it, whatever
//! outside text it quotes, is taken for a workflow command. Pure.

use crate::diagnose::Report;
use crate::vocabulary::Status;

/// Escapes a command's message.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value (`title=...`).
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// One workflow command line.
fn command(kind: &str, title: &str, message: &str) -> String {
    format!("::{kind} title={}::{}", escape_property(title), escape_data(message))
}

/// The annotations of a report: failures first (primary first), then warnings.
pub fn annotations(report: &Report) -> Vec<String> {
    let mut out = Vec::new();
    for step in &report.steps {
        for check in &step.checks {
            let kind = match check.status {
                Status::Fail => "error",
                Status::Warn => "warning",
                _ => continue,
            };
            let title = check.cause.map_or_else(|| check.id.to_string(), |c| c.id().to_string());
            let mut message = format!("credwiz ({}): {}", report.profile, check.summary);
            if let Some(fix) = &check.fix {
                message.push_str(". Fix: ");
                message.push_str(fix);
            }
            out.push((check.status == Status::Warn, command(kind, &title, &message)));
        }
    }
    out.sort_by_key(|(warn, _)| *warn);
    out.into_iter().map(|(_, line)| line).collect()
}

/// The pair of lines that fence text off from the runner's command parser:
/// `::stop-commands::TOKEN` before it, `::TOKEN::` after. The token is
/// derived from `seed` (the clock and the process id), so that the fenced
/// text cannot guess it.
pub fn fence(seed: &str) -> (String, String) {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(format!("credwiz-stop-commands {seed}").as_bytes());
    let token: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    (format!("::stop-commands::{token}"), format!("::{token}::"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fence_resumes_with_its_own_token() {
        let (stop, resume) = fence("1");
        let token = stop.trim_start_matches("::stop-commands::");
        assert_eq!(resume, format!("::{token}::"));
        assert_eq!(token.len(), 32);
        assert_ne!(fence("2").0, stop);
    }

    #[test]
    fn outside_text_cannot_end_the_command_or_start_another() {
        let line = command("error", "a:b,c", "50% done\r\n::add-mask::x");
        assert_eq!(line, "::error title=a%3Ab%2Cc::50%25 done%0D%0A::add-mask::x");
        assert_eq!(line.lines().count(), 1);
    }
}
