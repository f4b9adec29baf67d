//! What `y` copies: the value under the cursor. On a field, its value (never
//! a secret); on a check, the value a user pastes elsewhere: the request id,
//! else the first ARN, else the first access key id, else where it points
//! (`file:line`). Pure.

use super::app::{App, Item};

/// The first word of `text` that `is` accepts, trimmed of punctuation around it.
fn word(text: &str, is: impl Fn(&str) -> bool) -> Option<String> {
    text.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '`' | '"' | '\'' | ',' | ';'))
        .map(|w| w.trim_end_matches(['.', ':']))
        .find(|w| is(w))
        .map(str::to_string)
}

fn is_arn(word: &str) -> bool {
    word.starts_with("arn:aws") && word.matches(':').count() >= 5
}

fn is_key_id(word: &str) -> bool {
    word.len() == 20
        && (word.starts_with("AKIA") || word.starts_with("ASIA"))
        && word.chars().all(|c| c.is_ascii_alphanumeric())
}

/// The value `y` copies now, or why there is none.
pub fn value(app: &App) -> Result<String, String> {
    match app.current() {
        Some(Item::Field(field)) => {
            let value = app.value(field);
            if field.is_secret() || crate::redact::looks_secret(&value) {
                return Err("secrets are not copied: v shows it, if you must copy it by hand".into());
            }
            if value.trim().is_empty() {
                return Err(format!("nothing to copy: {} is empty", field.label()));
            }
            Ok(value.trim().to_string())
        }
        Some(Item::Check(_)) => {
            let check = app.current_check().ok_or("nothing to copy here")?;
            let texts: Vec<&str> =
                std::iter::once(check.summary.as_str()).chain(check.evidence.iter().map(String::as_str)).collect();
            check
                .request_id
                .clone()
                .or_else(|| texts.iter().find_map(|t| word(t, is_arn)))
                .or_else(|| texts.iter().find_map(|t| word(t, is_key_id)))
                .or_else(|| check.location.clone())
                .map(|v| crate::redact::scrub(&v).into_owned())
                .ok_or_else(|| "nothing to copy on this check: no ARN, key id, request id or location".into())
        }
        None => Err("nothing under the cursor to copy".into()),
    }
}
