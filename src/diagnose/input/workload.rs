//! A CI job as a credential source: in a GitHub Actions job
//! (`GITHUB_ACTIONS=true`) with a role named by `--role-arn` or
//! `AWS_ROLE_ARN` (and no `AWS_WEB_IDENTITY_TOKEN_FILE`, which makes it the
//! SDK's own web identity), credwiz tries what `configure-aws-credentials`
//! does: the job's token traded for the role. `--role-arn` puts it first;
//! `AWS_ROLE_ARN` alone only when nothing before it in the SDK's order yields
//! (the environment's keys or the profile win, as they would in the job).
//! Pure.

use super::options::Options;
use super::sources::{Chain, Source, SourceKind};
use crate::base::environment::Environment;
use crate::hops::resolve::{Hop, HopSource, JobToken, Setting, WebIdentitySpec};

/// Where the GitHub job's source is configured, as the report names it.
pub const GITHUB_LOCATION: &str = "ACTIONS_ID_TOKEN_REQUEST_URL";
/// Where a GitLab job's source is configured, as the report names it.
pub const GITLAB_LOCATION: &str = "GITLAB_CI id_tokens";

/// Whether this runs in a GitHub Actions job.
pub fn in_github_job(env: &Environment) -> bool {
    env.get("GITHUB_ACTIONS").is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// Whether this runs in a GitLab CI job.
pub fn in_gitlab_job(env: &Environment) -> bool {
    env.get("GITLAB_CI").is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// The variable of a GitLab job that holds an OpenID Connect token (an
/// `id_tokens` entry): a JWT with an issuer. The token is never kept.
fn gitlab_token_variable(env: &Environment) -> Option<String> {
    env.vars()
        .iter()
        .filter(|(name, value)| !name.starts_with("AWS_") && value.len() < 20_000 && value.matches('.').count() == 2)
        .find(|(_, value)| crate::hops::jwt::decode(value).is_ok_and(|c| c.iss.is_some()))
        .map(|(name, _)| name.clone())
}

/// The role a CI job's token is for, whether `--role-arn` named it, and
/// where the token comes from.
fn job_role(env: &Environment, options: &Options) -> Option<(String, bool, JobToken)> {
    let token = if in_github_job(env) {
        let audience = options.audience.clone().unwrap_or_else(|| crate::hops::github::DEFAULT_AUDIENCE.into());
        JobToken::Github { audience }
    } else if in_gitlab_job(env) {
        JobToken::Gitlab { variable: gitlab_token_variable(env) }
    } else {
        return None;
    };
    if let Some(role) = &options.role_arn {
        return Some((role.clone(), true, token));
    }
    if env.get("AWS_WEB_IDENTITY_TOKEN_FILE").is_some() {
        return None;
    }
    let role = env.get("AWS_ROLE_ARN").map(str::trim).filter(|r| !r.is_empty())?;
    Some((role.to_string(), false, token))
}

/// Adds the job's source to the chain (and makes it the winner when it is).
pub fn add_github_source(chain: &mut Chain, env: &Environment, options: &Options) {
    let Some((role, flagged, token)) = job_role(env, options) else { return };
    let (location, job) = match token {
        JobToken::Github { .. } => (GITHUB_LOCATION, "the GitHub Actions job's"),
        JobToken::Gitlab { .. } => (GITLAB_LOCATION, "the GitLab CI job's"),
    };
    let source = Source {
        kind: SourceKind::WebIdentity,
        location: location.into(),
        keys: None,
        yields: true,
        detail: format!("role {role} with {job} OpenID Connect token"),
    };
    let at = if flagged {
        0
    } else {
        chain
            .sources
            .iter()
            .position(|s| matches!(s.kind, SourceKind::Container | SourceKind::Imds))
            .unwrap_or(chain.sources.len())
    };
    chain.sources.insert(at, source);
    chain.winner = chain.sources.iter().position(|s| s.yields);
}

/// Whether a source is a CI job's token.
pub fn is_job_source(source: &Source) -> bool {
    source.location == GITHUB_LOCATION || source.location == GITLAB_LOCATION
}

/// The job's hop: the job's token, traded for the role.
pub fn job_hop(env: &Environment, options: &Options) -> Option<Hop> {
    let (role, flagged, token) = job_role(env, options)?;
    let settings = if flagged { Vec::new() } else { vec![Setting::env("AWS_ROLE_ARN", &role)] };
    Some(Hop {
        profile: None,
        source: HopSource::WebIdentity(WebIdentitySpec {
            role_arn: role,
            token_file: String::new(),
            session_name: Some(crate::hops::github::SESSION_NAME.into()),
            from_env: true,
            job_token: Some(token),
        }),
        settings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLE: &str = "arn:aws:iam::123456789012:role/gha-deploy";

    fn chain() -> Chain {
        Chain { sources: Vec::new(), winner: None }
    }

    #[test]
    fn a_job_with_a_role_gets_the_github_source() {
        let env = Environment::from_pairs([("GITHUB_ACTIONS", "true"), ("AWS_ROLE_ARN", ROLE)], None);
        let mut c = chain();
        add_github_source(&mut c, &env, &Options::default());
        assert_eq!(c.winner().map(|s| s.location.as_str()), Some(GITHUB_LOCATION));
        let hop = job_hop(&env, &Options::default()).expect("hop");
        assert!(
            matches!(&hop.source, HopSource::WebIdentity(w) if matches!(&w.job_token, Some(JobToken::Github { audience }) if audience == "sts.amazonaws.com"))
        );
    }

    #[test]
    fn outside_a_job_or_with_a_token_file_nothing_changes() {
        let outside = Environment::from_pairs([("AWS_ROLE_ARN", ROLE)], None);
        assert!(job_hop(&outside, &Options::default()).is_none());
        let file = Environment::from_pairs(
            [("GITHUB_ACTIONS", "true"), ("AWS_ROLE_ARN", ROLE), ("AWS_WEB_IDENTITY_TOKEN_FILE", "/t")],
            None,
        );
        assert!(job_hop(&file, &Options::default()).is_none());
        let flagged = Options { role_arn: Some(ROLE.into()), audience: Some("x".into()), ..Options::default() };
        assert!(job_hop(&file, &flagged).is_some(), "--role-arn asks for the job's token anyway");
    }
}
