//! Offline chain resolution: the hops the SDK's profile provider would run
//! for one profile, base first, with the file and line of every setting,
//! resolved by aws-config's own rules (`profile/credentials/repr.rs` of
//! aws-config 1.13, followed step for step in `sdk_rules`); then credwiz's own
//! checks of each hop's values (`checks`), which AWS would refuse at call time.
//! Loops, dangling `source_profile`s and incomplete SSO settings are found here,
//! before any request. Pure: a function of the environment and the SDK view.

mod checks;
mod profile_sources;
mod sdk_rules;
mod types;

pub use checks::{role_arn_parts, role_arn_problem, session_name_char, valid_session_name};
pub use types::*;

use crate::base::environment::Environment;
use crate::profile::SdkView;

/// Resolves the chain of `profile` as the Rust SDK's profile provider would,
/// then checks every hop's values.
pub fn resolve(env: &Environment, view: &SdkView, profile: &str) -> Chain {
    let mut chain = sdk_rules::resolve_structure(env, view, profile);
    checks::check_values(view, &mut chain);
    checks::note_differences(view, &mut chain);
    chain
}

/// The web identity hop of the environment (`AWS_ROLE_ARN` +
/// `AWS_WEB_IDENTITY_TOKEN_FILE`, optional `AWS_ROLE_SESSION_NAME`): the
/// default chain's provider after the profile. `None` unless both are set
/// (the SDK skips it then).
pub fn env_web_identity(env: &Environment) -> Option<Hop> {
    let token_file = env.get("AWS_WEB_IDENTITY_TOKEN_FILE")?;
    let role_arn = env.get("AWS_ROLE_ARN")?;
    let session_name = env.get("AWS_ROLE_SESSION_NAME").map(str::to_string);
    let mut settings =
        vec![Setting::env("AWS_ROLE_ARN", role_arn), Setting::env("AWS_WEB_IDENTITY_TOKEN_FILE", token_file)];
    if let Some(name) = &session_name {
        settings.push(Setting::env("AWS_ROLE_SESSION_NAME", name));
    }
    Some(Hop {
        profile: None,
        source: HopSource::WebIdentity(WebIdentitySpec {
            role_arn: role_arn.to_string(),
            token_file: token_file.to_string(),
            session_name,
            from_env: true,
            job_token: None,
        }),
        settings,
    })
}

/// Checks the values of a hop that was not resolved from a profile (the
/// environment's web identity hop): the problems AWS would refuse.
pub fn check_hop(hop: &Hop) -> Vec<Problem> {
    checks::hop_problems(hop)
}
