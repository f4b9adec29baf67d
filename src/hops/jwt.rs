//! A web identity token's claims (`exp`, `iat`, `nbf`, `iss`, `aud`, `sub`),
//! decoded locally WITHOUT verifying the signature: enough to say that a
//! token is cut, not a JWT, or expired, and which provider and audience it
//! names. Bounded; errors say what is malformed and never quote the token.
//! Pure.

use super::json;
use chrono::{DateTime, Utc};
use serde_json::Value;

/// AWS's limit on a WebIdentityToken (characters).
pub const MAX_TOKEN_LEN: usize = 20_000;

/// The claims credwiz shows. The token itself is a secret and is not kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Claims {
    pub exp: Option<i64>,
    pub iat: Option<i64>,
    pub nbf: Option<i64>,
    pub iss: Option<String>,
    pub aud: Vec<String>,
    pub sub: Option<String>,
    /// The CI job's own claims, when the token has them (GitHub: repository,
    /// ref, environment, event_name, job_workflow_ref), in that order.
    pub job: Vec<(&'static str, String)>,
}

/// The job claims shown, in order (GitHub Actions names; GitLab uses some of them too).
const JOB_CLAIMS: [&str; 6] =
    ["repository", "ref", "environment", "event_name", "job_workflow_ref", "runner_environment"];

impl Claims {
    /// `exp` as a time.
    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.exp.and_then(|e| DateTime::<Utc>::from_timestamp(e, 0))
    }

    /// Whether `exp` is at or before `now`.
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.exp.is_some_and(|e| e <= now.timestamp())
    }

    /// One line per claim, escaped (claims are not secret, but are outside text).
    pub fn describe(&self) -> Vec<String> {
        let time = |t: Option<i64>| {
            t.and_then(|t| DateTime::<Utc>::from_timestamp(t, 0)).map(|d| d.to_rfc3339()).unwrap_or_else(|| "-".into())
        };
        let text = |s: &Option<String>| s.as_deref().map(|s| super::text::escape(s, 200)).unwrap_or_else(|| "-".into());
        vec![
            format!("iss (issuer) {}", text(&self.iss)),
            format!(
                "aud (audience) {}",
                if self.aud.is_empty() {
                    "-".into()
                } else {
                    self.aud.iter().map(|a| super::text::escape(a, 200)).collect::<Vec<_>>().join(", ")
                }
            ),
            format!("sub (subject) {}", text(&self.sub)),
            format!("iat (issued) {}, exp (expires) {}", time(self.iat), time(self.exp)),
        ]
        .into_iter()
        .chain(self.job.iter().map(|(name, value)| format!("{name} {}", super::text::escape(value, 200))))
        .collect()
    }
}

/// Why a token is not a readable JWT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwtError {
    Empty,
    TooLong {
        len: usize,
    },
    /// A JWS has three dot-separated parts.
    Parts {
        found: usize,
    },
    /// A part is not base64url: the 1-based character position in the token.
    Base64 {
        part: &'static str,
        position: usize,
    },
    /// A part decodes but is not a JSON object.
    Json {
        part: &'static str,
        problem: String,
    },
}

impl JwtError {
    /// A sentence for people.
    pub fn describe(&self) -> String {
        match self {
            JwtError::Empty => "the token is empty".into(),
            JwtError::TooLong { len } => {
                format!("the token is {len} characters long; AWS accepts at most {MAX_TOKEN_LEN}")
            }
            JwtError::Parts { found: 1 } => {
                "it is not a JWT: a JWT has three parts separated by dots, this has no dot (an opaque access token?)"
                    .into()
            }
            JwtError::Parts { found } => {
                format!("it is not a JWT: a JWT has three parts separated by dots, this has {found} (cut or joined?)")
            }
            JwtError::Base64 { part, position } => {
                format!("the {part} is not base64url: character {position} of the token is not allowed there")
            }
            JwtError::Json { part, problem } => format!("the {part} does not decode to a JSON object: {problem}"),
        }
    }
}

/// Decodes base64url, leniently at the end (a cut part decodes to what is
/// there, so the JSON error says it ends early). `offset`: the part's start
/// in the token, for positions.
fn base64url(part: &str, name: &'static str, offset: usize) -> Result<Vec<u8>, JwtError> {
    let mut out = Vec::with_capacity(part.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for (i, c) in part.trim_end_matches('=').chars().enumerate() {
        let value = match c {
            'A'..='Z' => u32::from(c) - u32::from('A'),
            'a'..='z' => u32::from(c) - u32::from('a') + 26,
            '0'..='9' => u32::from(c) - u32::from('0') + 52,
            '-' => 62,
            '_' => 63,
            _ => return Err(JwtError::Base64 { part: name, position: offset + i + 1 }),
        };
        acc = (acc << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xff).unwrap_or(0));
        }
    }
    Ok(out)
}

fn claim_time(map: &serde_json::Map<String, Value>, name: &str) -> Option<i64> {
    match map.get(name)? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        _ => None,
    }
}

/// Decodes the header and claims of a compact JWS (the signature is not checked).
pub fn decode(token: &str) -> Result<Claims, JwtError> {
    let token = token.trim();
    if token.is_empty() {
        return Err(JwtError::Empty);
    }
    if token.chars().count() > MAX_TOKEN_LEN {
        return Err(JwtError::TooLong { len: token.chars().count() });
    }
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Err(JwtError::Parts { found: parts.len() });
    }
    let header = base64url(parts[0], "header", 0)?;
    let payload = base64url(parts[1], "payload", parts[0].len() + 1)?;
    base64url(parts[2], "signature", parts[0].len() + parts[1].len() + 2)?;
    json::parse_object(&header).map_err(|p| JwtError::Json { part: "header", problem: p.describe() })?;
    let claims = json::parse_object(&payload).map_err(|p| JwtError::Json { part: "payload", problem: p.describe() })?;
    let aud = match claims.get("aud") {
        Some(Value::String(a)) => vec![a.clone()],
        Some(Value::Array(list)) => list.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    };
    let text = |name: &str| claims.get(name).and_then(Value::as_str).map(str::to_string);
    Ok(Claims {
        exp: claim_time(&claims, "exp"),
        iat: claim_time(&claims, "iat"),
        nbf: claim_time(&claims, "nbf"),
        iss: text("iss"),
        aud,
        sub: text("sub"),
        job: JOB_CLAIMS.iter().filter_map(|name| text(name).map(|v| (*name, v))).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> String {
        aws_smithy_types::base64::encode(s).trim_end_matches('=').replace('+', "-").replace('/', "_")
    }

    #[test]
    fn decodes_claims_without_verifying() {
        let token = format!(
            "{}.{}.{}",
            b64(r#"{"alg":"RS256"}"#),
            b64(
                r#"{"iss":"https://oidc.eks","aud":["sts.amazonaws.com"],"sub":"system:sa","exp":1700000000,"iat":1699990000}"#
            ),
            b64("sig")
        );
        let claims = decode(&token).expect("claims");
        assert_eq!(claims.exp, Some(1_700_000_000));
        assert_eq!(claims.aud, vec!["sts.amazonaws.com".to_string()]);
        assert!(claims.is_expired(Utc::now()));
    }

    #[test]
    fn malformed_tokens_say_what_is_wrong() {
        assert_eq!(decode("  "), Err(JwtError::Empty));
        assert_eq!(decode("abc.def"), Err(JwtError::Parts { found: 2 }));
        assert!(matches!(decode("a$c.def.ghi"), Err(JwtError::Base64 { part: "header", position: 2 })));
        let cut = format!("{}.{}.", b64(r#"{"alg":"RS256"}"#), &b64(r#"{"iss":"x","exp":1}"#)[..6]);
        assert!(matches!(decode(&cut), Err(JwtError::Json { part: "payload", .. })), "{:?}", decode(&cut));
    }
}
