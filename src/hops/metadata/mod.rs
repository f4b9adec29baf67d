//! The two metadata endpoints the SDK asks for credentials: the container
//! credentials endpoint (`container`: ECS task roles, EKS Pod Identity) and
//! EC2 instance metadata (`imds`), each probed stage by stage with short
//! timeouts and bounded answers through the base HTTP/1.1 client (`http`
//! puts its failures in words); the EKS Pod Identity agent's refusals decoded
//! (`pod_identity`). The credentials document both serve is read
//! here as the SDK reads it. IO in `container` and `imds`.

pub mod container;
pub mod http;
pub mod imds;
pub mod pod_identity;

pub use container::container;
pub use imds::{ImdsSettings, imds};

use super::json;
use super::{Context, HopCredentials};
use chrono::{DateTime, Utc};
use secrecy::SecretString;

/// Reads a credentials document: `Code` absent or `Success`; `AccessKeyId`,
/// `SecretAccessKey`, `Token` (or `SessionToken`) and `Expiration` (or
/// `ExpiresAt`) required; names ignore case. The error says what is wrong,
/// never a value.
pub fn parse_credentials(body: &[u8], now: DateTime<Utc>) -> Result<HopCredentials, String> {
    let map = json::parse_object(body).map_err(|p| p.describe())?;
    let text = |names: &[&str]| names.iter().find_map(|n| json::get_str(&map, n).ok().flatten()).map(str::to_string);
    if let Some(code) = text(&["Code"]).filter(|c| c != "Success") {
        let message = text(&["Message"]).unwrap_or_else(|| "no message".into());
        return Err(format!(
            "the endpoint answered Code {}: {}",
            super::text::escape(&code, 100),
            super::text::escape(&message, 300)
        ));
    }
    let required = |names: &[&str]| text(names).ok_or(format!("the field {} is missing", names[0]));
    let access_key_id = required(&["AccessKeyId"])?;
    let secret = required(&["SecretAccessKey"])?;
    let token = required(&["Token", "SessionToken"])?;
    let expiration = required(&["Expiration", "ExpiresAt"])?;
    let expiration = DateTime::parse_from_rfc3339(expiration.trim())
        .map_err(|_| "the field Expiration is not an RFC 3339 time".to_string())?
        .with_timezone(&Utc);
    if expiration <= now {
        return Err(format!("the credentials it handed out expired at {}", expiration.to_rfc3339()));
    }
    let role_arn = text(&["RoleArn"]);
    Ok(HopCredentials {
        access_key_id,
        secret_access_key: SecretString::from(secret),
        session_token: Some(SecretString::from(token)),
        expiration: Some(expiration),
        account_id: text(&["AccountId"])
            .or_else(|| role_arn.as_deref().and_then(|a| a.split(':').nth(4)).map(str::to_string)),
        assumed_role_arn: role_arn,
        role_session: true,
    })
}

/// What an answer's body says, made safe, for evidence: the `<title>` or
/// `<h1>` of an HTML page, else its first non-empty line.
pub(crate) fn body_excerpt(body: &[u8], ctx: &Context<'_>) -> String {
    let text = String::from_utf8_lossy(body);
    let lower = text.to_ascii_lowercase();
    let tagged = ["title", "h1"].iter().find_map(|tag| {
        let start = lower.find(&format!("<{tag}>"))? + tag.len() + 2;
        let end = start + lower[start..].find(&format!("</{tag}>"))?;
        Some(text[start..end].trim().to_string())
    });
    let line = tagged.unwrap_or_else(|| text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("").to_string());
    if line.is_empty() { "an empty body".into() } else { format!("`{}`", ctx.safe(&line, 160)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_as_the_sdk_reads_them() {
        let now = Utc::now();
        let ok = br#"{"Code" : "Success", "Type": "AWS-HMAC", "AccessKeyId" : "ASIA1", "SecretAccessKey" : "s",
            "Token" : "t", "Expiration" : "2999-01-01T00:00:00Z"}"#;
        assert_eq!(parse_credentials(ok, now).map(|c| c.access_key_id).ok(), Some("ASIA1".into()));
        let err = br#"{"Code": "AssumeRoleUnauthorizedAccess", "Message": "no trust"}"#;
        assert!(parse_credentials(err, now).err().is_some_and(|e| e.contains("AssumeRoleUnauthorizedAccess")));
        let html = b"<html><body>502 Bad Gateway</body></html>";
        assert!(parse_credentials(html, now).err().is_some_and(|e| e.contains("found `<`")));
    }
}
