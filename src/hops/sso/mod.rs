//! The IAM Identity Center hop, as aws-config runs it: the cached token
//! (`cache`), refreshed with SSO-OIDC CreateToken when the SDK would (an
//! sso-session profile whose token expires within 5 minutes and whose
//! refresh token and client registration are valid; the cache file is then
//! rewritten, as the SDK does), then the portal's GetRoleCredentials. After a
//! "No access", ListAccounts and ListAccountRoles list the pairs the user is
//! assigned. IO: the cache file and the SSO / SSO-OIDC calls.

pub mod cache;

use super::resolve::SsoSpec;
use super::text::{escape, quote};
use super::{Cause, Clients, Context, HopCredentials, Outcome, SsoAssignment, Stage, Status};
use crate::aws::live::{Call, Client, Failure};
use crate::vocabulary::SourceKind;
use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use std::time::Instant;

/// At most this many accounts are asked for their roles after a "No access".
const MAX_ACCOUNTS: usize = 20;

fn ms(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// "in 3 h 12 min" / "2 h 5 min ago".
fn relative(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (at - now).num_seconds();
    let abs = secs.unsigned_abs();
    let text =
        if abs >= 3600 { format!("{} h {} min", abs / 3600, (abs % 3600) / 60) } else { format!("{} min", abs / 60) };
    if secs >= 0 { format!("in {text}") } else { format!("{text} ago") }
}

/// The login command for this profile.
fn login_command(spec: &SsoSpec, profile: Option<&str>) -> String {
    match (profile, &spec.session_name) {
        (Some(p), _) => format!("aws sso login --profile {}", escape(p, 100)),
        (None, Some(s)) => format!("aws sso login --sso-session {}", escape(s, 100)),
        (None, None) => "aws sso login".into(),
    }
}

fn aws_error_line<T>(result: &Call<T>, ctx: &Context<'_>) -> String {
    match &result.result {
        Ok(_) => String::new(),
        Err(Failure::Aws(e)) => ctx.safe(&e.describe(), 400),
        Err(Failure::Unreachable(why)) => format!("no answer: {}", ctx.safe(why, 300)),
        Err(Failure::Other(why) | Failure::Unsendable(why)) => ctx.safe(why, 300),
    }
}

fn code<T>(result: &Call<T>) -> Option<&str> {
    match &result.result {
        Err(Failure::Aws(e)) => e.code.as_deref(),
        _ => None,
    }
}

/// Runs the hop. `profile`: the profile that configures it (for the login command).
pub async fn run(clients: &dyn Clients, spec: &SsoSpec, profile: Option<&str>, ctx: &Context<'_>) -> Outcome {
    let started = Instant::now();
    let mut out = Outcome::new(
        SourceKind::Sso,
        format!("IAM Identity Center account {} role {}", escape(&spec.account_id, 40), escape(&spec.role_name, 100)),
    );
    let login = login_command(spec, profile);
    let identifier = spec.session_name.as_deref().unwrap_or(&spec.start_url);
    let Some(path) = cache::path(ctx.env, identifier) else {
        out.note("no home directory: the SSO token cache cannot be found");
        out.fail(Cause::SsoSessionExpired);
        return out;
    };
    let shown = crate::base::display::display_path(ctx.env, &path);
    let mut stage = Stage { name: "token cache".into(), status: Status::Fail, duration_ms: 0, evidence: Vec::new() };
    let token = match cache::load(&path) {
        Ok(token) => token,
        Err(e) => {
            let why = match e {
                cache::CacheError::Missing => {
                    format!("no cached SSO token at {}: not logged in on this computer, or logged out", quote(&shown))
                }
                cache::CacheError::NoHome => "no home directory".into(),
                cache::CacheError::Unreadable(why) => {
                    format!("the token cache {} cannot be read: {}", quote(&shown), ctx.safe(&why, 200))
                }
                cache::CacheError::Invalid(why) => {
                    format!("the token cache {} is unusable: {}", quote(&shown), ctx.safe(&why, 200))
                }
            };
            stage.evidence.push(why.clone());
            stage.duration_ms = ms(started);
            out.stages.push(stage);
            out.note(why);
            out.note(format!("log in again: `{login}`"));
            out.duration = started.elapsed();
            out.fail(Cause::SsoSessionExpired);
            return out;
        }
    };
    stage.evidence.push(format!(
        "{}: access token expires {} ({})",
        shown,
        token.expires_at.to_rfc3339(),
        relative(token.expires_at, ctx.now)
    ));
    let mut access_token = token.access_token.clone();
    if spec.session_name.is_some() {
        let decision = cache::decide(&token, ctx.now);
        if !decision.has_refresh_material {
            stage.evidence.push("no refresh token and client registration in the cache: it cannot be refreshed".into());
        } else if let Some(reg) = token.registration_expires_at.filter(|_| decision.registration_expired) {
            stage
                .evidence
                .push(format!("the client registration expired {}: the SDK will not refresh", relative(reg, ctx.now)));
        }
        stage.status = if decision.fails_fast() { Status::Fail } else { Status::Pass };
        stage.duration_ms = ms(started);
        out.stages.push(stage);
        if decision.fails_fast() {
            out.note(format!(
                "the SSO access token expired {} and cannot be refreshed: the SDK stops here",
                relative(token.expires_at, ctx.now)
            ));
            out.note(format!("log in again: `{login}`"));
            out.duration = started.elapsed();
            out.fail(Cause::SsoSessionExpired);
            return out;
        }
        if decision.will_refresh() {
            access_token = refresh(clients, spec, &token, &path, &mut out, ctx).await.unwrap_or(access_token);
        }
    } else {
        if token.expires_at <= ctx.now {
            stage.evidence.push("expired by the cache's clock; the Rust SDK sends it anyway (legacy profiles are not refreshed) and the portal decides".into());
        }
        stage.status = Status::Pass;
        stage.duration_ms = ms(started);
        out.stages.push(stage);
    }
    portal(clients, spec, &access_token, &login, &mut out, ctx).await;
    out.duration = started.elapsed();
    out
}

/// SSO-OIDC CreateToken with the refresh token; on success the cache is
/// rewritten (as the SDK does) and the new access token returned. On a
/// refusal the SDK carries on with the old token, and so does this.
async fn refresh(
    clients: &dyn Clients,
    spec: &SsoSpec,
    token: &cache::CachedToken,
    path: &std::path::Path,
    out: &mut Outcome,
    ctx: &Context<'_>,
) -> Option<SecretString> {
    let started = Instant::now();
    let client = clients.sso_oidc(&spec.region);
    let (Some(client_id), Some(secret), Some(refresh_token)) =
        (token.client_id.clone(), token.client_secret.as_ref(), token.refresh_token.as_ref())
    else {
        return None;
    };
    let result = client
        .call(
            {
                client
                    .api
                    .create_token()
                    .grant_type("refresh_token")
                    .client_id(client_id)
                    .client_secret(secret.expose_secret())
                    .refresh_token(refresh_token.expose_secret())
                    .send()
            },
            |o| {
                (
                    o.access_token().map(|t| SecretString::from(t.to_string())),
                    o.expires_in(),
                    o.refresh_token().map(|t| SecretString::from(t.to_string())),
                )
            },
        )
        .await;
    let mut stage = Stage {
        name: "refresh (SSO-OIDC CreateToken)".into(),
        status: Status::Fail,
        duration_ms: ms(started),
        evidence: Vec::new(),
    };
    let new = match result.result {
        Ok((Some(access), expires_in, new_refresh)) => {
            let now = Utc::now();
            let fresh = cache::refreshed(
                token,
                access.clone(),
                i64::from(expires_in),
                new_refresh,
                &spec.region,
                &spec.start_url,
                now,
            );
            match cache::save(path, &fresh) {
                Ok(()) => {
                    stage.status = Status::Pass;
                    stage.evidence.push(format!(
                        "refreshed: new access token until {}; the cache file was rewritten, as the SDK does",
                        fresh.expires_at.to_rfc3339()
                    ));
                    Some(access)
                }
                Err(e) => {
                    stage.evidence.push(format!(
                        "refreshed, but the cache file could not be rewritten: {}",
                        ctx.safe(&e.to_string(), 200)
                    ));
                    None
                }
            }
        }
        Ok((None, ..)) => {
            stage.evidence.push("SSO-OIDC answered without an access token; the SDK keeps the cached one".into());
            None
        }
        Err(_) => {
            let line = aws_error_line(&result, ctx);
            stage.evidence.push(format!("the refresh was refused: {line}; the SDK keeps the cached token"));
            out.note(format!("SSO-OIDC refused the refresh: {line}"));
            None
        }
    };
    out.stages.push(stage);
    new
}

/// GetRoleCredentials, and after "No access" the assigned pairs.
async fn portal(
    clients: &dyn Clients,
    spec: &SsoSpec,
    access_token: &SecretString,
    login: &str,
    out: &mut Outcome,
    ctx: &Context<'_>,
) {
    let started = Instant::now();
    let client = clients.sso(&spec.region);
    let result = client
        .call(
            {
                client
                    .api
                    .get_role_credentials()
                    .role_name(&spec.role_name)
                    .account_id(&spec.account_id)
                    .access_token(access_token.expose_secret())
                    .send()
            },
            |o| {
                o.role_credentials().and_then(|c| {
                    Some(HopCredentials {
                        access_key_id: c.access_key_id()?.to_string(),
                        secret_access_key: SecretString::from(c.secret_access_key()?.to_string()),
                        session_token: c.session_token().map(|t| SecretString::from(t.to_string())),
                        expiration: DateTime::<Utc>::from_timestamp_millis(c.expiration()),
                        account_id: Some(spec.account_id.clone()),
                        assumed_role_arn: None,
                        role_session: true,
                    })
                })
            },
        )
        .await;
    let mut stage = Stage {
        name: "GetRoleCredentials".into(),
        status: Status::Fail,
        duration_ms: ms(started),
        evidence: Vec::new(),
    };
    match (&result.result, code(&result)) {
        (Ok(Some(credentials)), _) => {
            stage.status = Status::Pass;
            let until = credentials.expiration.map(|e| format!(" until {}", e.to_rfc3339())).unwrap_or_default();
            stage.evidence.push(format!(
                "role credentials for account {} role {}{until}",
                escape(&spec.account_id, 40),
                escape(&spec.role_name, 100)
            ));
            out.stages.push(stage);
            out.pass(credentials.clone());
            return;
        }
        (Ok(None), _) => {
            stage.evidence.push("the portal answered without credentials".into());
            out.status = Status::Fail;
        }
        (_, Some("UnauthorizedException")) => {
            stage.evidence.push(format!("the portal refused the token: {}", aws_error_line(&result, ctx)));
            out.note("the SSO session is over (expired, refused refresh, or logged out)");
            out.note(format!("log in again: `{login}`"));
            out.fail(Cause::SsoSessionExpired);
        }
        (_, Some("ForbiddenException")) => {
            stage.evidence.push(format!("the portal refused the pair: {}", aws_error_line(&result, ctx)));
            out.note(format!(
                "you are signed in, but account {} with role {} is not assigned to you",
                escape(&spec.account_id, 40),
                escape(&spec.role_name, 100)
            ));
            out.fail(Cause::SsoNoAccess);
            out.stages.push(stage);
            list_assignments(&client, access_token, out, ctx).await;
            out.error_code = Some("ForbiddenException".into());
            return;
        }
        (Err(Failure::Unreachable(_)), _) => {
            stage.evidence.push(aws_error_line(&result, ctx));
            out.fail(Cause::EndpointUnreachable);
        }
        _ => {
            stage.evidence.push(aws_error_line(&result, ctx));
            out.status = Status::Fail;
        }
    }
    out.error_code = code(&result).map(str::to_string);
    out.stages.push(stage);
}

/// ListAccounts, then ListAccountRoles per account (first pages, bounded).
async fn list_assignments(
    client: &Client<aws_sdk_sso::Client>,
    token: &SecretString,
    out: &mut Outcome,
    ctx: &Context<'_>,
) {
    let started = Instant::now();
    let mut stage = Stage {
        name: "ListAccounts / ListAccountRoles".into(),
        status: Status::Pass,
        duration_ms: 0,
        evidence: Vec::new(),
    };
    let accounts = client
        .call(
            client.api.list_accounts().access_token(token.expose_secret()).max_results(MAX_ACCOUNTS as i32).send(),
            |o| {
                o.account_list()
                    .iter()
                    .filter_map(|a| Some((a.account_id()?.to_string(), a.account_name().map(str::to_string))))
                    .collect::<Vec<_>>()
            },
        )
        .await;
    let accounts = match accounts.result {
        Ok(list) => list,
        Err(_) => {
            stage.status = Status::Skip;
            stage.evidence.push(format!("the portal did not list the accounts: {}", aws_error_line(&accounts, ctx)));
            stage.duration_ms = ms(started);
            out.stages.push(stage);
            return;
        }
    };
    for (account_id, account_name) in accounts.into_iter().take(MAX_ACCOUNTS) {
        let roles = client
            .call(
                client.api.list_account_roles().access_token(token.expose_secret()).account_id(&account_id).send(),
                |o| o.role_list().iter().filter_map(|r| r.role_name().map(str::to_string)).collect::<Vec<_>>(),
            )
            .await;
        for role_name in roles.result.unwrap_or_default() {
            out.assignments.push(SsoAssignment {
                account_id: account_id.clone(),
                account_name: account_name.clone(),
                role_name,
            });
        }
    }
    stage.duration_ms = ms(started);
    if out.assignments.is_empty() {
        stage.evidence.push("the portal lists no account and role for you".into());
    }
    let lines: Vec<String> = out
        .assignments
        .iter()
        .map(|a| {
            let name = a.account_name.as_deref().map(|n| format!(" ({})", escape(n, 60))).unwrap_or_default();
            format!("assigned: account {}{name} role {}", escape(&a.account_id, 40), escape(&a.role_name, 100))
        })
        .collect();
    for line in lines {
        stage.evidence.push(line.clone());
        out.note(line);
    }
    out.stages.push(stage);
}
