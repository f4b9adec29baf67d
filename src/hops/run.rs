//! Running a resolved chain: each hop on its own, base first, with the
//! credentials of the hop before; the first failing hop ends the run (it is
//! the primary cause). An MFA code goes to the first hop with `mfa_serial`
//! only (AWS accepts a code once). IO: whatever the hops do.

use super::metadata::ImdsSettings;
use super::resolve::{Chain, Hop, HopSource, NamedSource};
use super::{Cause, Clients, Context, HopCredentials, Outcome, Status, assume_role};
use crate::vocabulary::SourceKind;
use secrecy::SecretString;

/// What a run needs besides the chain.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// A fresh MFA code for the first hop with `mfa_serial`.
    pub mfa_code: Option<String>,
    /// Where IMDS is, for `credential_source = Ec2InstanceMetadata`.
    pub imds: Option<ImdsSettings>,
    /// STS's region for role hops (the profile's region).
    pub sts_region: Option<String>,
}

/// `credential_source = Environment`: the keys the SDK's environment provider reads.
pub fn environment_keys(ctx: &Context<'_>) -> Outcome {
    let mut out = Outcome::new(SourceKind::Env, "credential_source Environment");
    let get = |name: &str| ctx.env.get(name).filter(|v| !v.trim().is_empty());
    let id = get("AWS_ACCESS_KEY_ID");
    let secret = get("AWS_SECRET_ACCESS_KEY").or_else(|| get("SECRET_ACCESS_KEY"));
    match (id, secret) {
        (Some(id), Some(secret)) => {
            out.note(format!("AWS_ACCESS_KEY_ID {}", crate::base::display::mask_key_id(id)));
            out.pass(HopCredentials {
                access_key_id: id.to_string(),
                secret_access_key: SecretString::from(secret.to_string()),
                session_token: get("AWS_SESSION_TOKEN").map(|t| SecretString::from(t.trim().to_string())),
                expiration: None,
                account_id: get("AWS_ACCOUNT_ID").map(|a| a.trim().to_string()),
                assumed_role_arn: None,
                role_session: false,
            });
        }
        (None, None) => {
            out.note("credential_source = Environment, but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set");
            out.fail(Cause::NoCredentials);
        }
        (None, Some(_)) => {
            out.note("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not");
            out.fail(Cause::MissingCredentialField);
        }
        (Some(_), None) => {
            out.note("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
            out.fail(Cause::MissingCredentialField);
        }
    }
    out
}

/// Runs one hop. `input`: the credentials of the hop before (role hops need
/// them); `chained`: they are a role session.
pub async fn run_hop(
    hop: &Hop,
    input: Option<&HopCredentials>,
    mfa_code: Option<&str>,
    clients: &dyn Clients,
    options: &RunOptions,
    ctx: &Context<'_>,
) -> Outcome {
    let mut out = match &hop.source {
        HopSource::StaticKeys(keys) => {
            let mut out = Outcome::new(hop.kind(), hop.title());
            out.note(format!("key {} from the profile", crate::base::display::mask_key_id(&keys.access_key_id)));
            out.pass(HopCredentials {
                access_key_id: keys.access_key_id.clone(),
                secret_access_key: keys.secret_access_key.clone(),
                session_token: keys.session_token.clone(),
                expiration: None,
                account_id: keys.account_id.clone(),
                assumed_role_arn: None,
                role_session: false,
            });
            out
        }
        HopSource::Named { source: Some(NamedSource::Environment), .. } => environment_keys(ctx),
        HopSource::Named { source: Some(NamedSource::EcsContainer), .. } => {
            let mut out = super::metadata::container(ctx).await;
            if out.status == Status::Skip {
                out.fail(Cause::ContainerCredentialsUnavailable);
            }
            out
        }
        HopSource::Named { source: Some(NamedSource::Ec2InstanceMetadata), .. } => {
            let settings = options.imds.clone().unwrap_or_else(|| ImdsSettings::resolve(ctx.env, None));
            super::metadata::imds(&settings, ctx).await
        }
        HopSource::Named { source: None, .. } => {
            let mut out = Outcome::new(SourceKind::Env, hop.title());
            out.note("unknown credential_source");
            out.fail(Cause::RoleConfigInvalid);
            out
        }
        HopSource::AssumeRole(role) => {
            let Some(input) = input else {
                let mut out = Outcome::new(SourceKind::AssumeRole, hop.title());
                out.note("no credentials from the hop before");
                out.status = Status::Skip;
                return out;
            };
            let client = clients.sts(Some(input), options.sts_region.as_deref());
            let call = assume_role::RoleCall { profile: hop.profile.as_deref(), mfa_code, chained: input.role_session };
            assume_role::run(&client, role, call, ctx).await
        }
        HopSource::WebIdentity(web) => {
            let client = clients.sts(None, options.sts_region.as_deref());
            super::web_identity::run(&client, web, ctx).await
        }
        HopSource::Sso(sso) => super::sso::run(clients, sso, hop.profile.as_deref(), ctx).await,
        HopSource::Process(process) => super::process::run(process, ctx).await,
        HopSource::Login(login) => super::login::run(login, ctx),
    };
    if let Some(profile) = &hop.profile
        && !out.title.contains("(profile ")
    {
        out.title.push_str(&format!(" (profile {})", super::text::escape(profile, 100)));
    }
    out
}

/// Runs the chain's hops in order and stops at the first failure. Runs
/// nothing when a problem stops the SDK before any call.
pub async fn run_chain(chain: &Chain, clients: &dyn Clients, options: &RunOptions, ctx: &Context<'_>) -> Vec<Outcome> {
    let mut outcomes: Vec<Outcome> = Vec::new();
    if chain.hops.is_empty() || chain.problems.iter().any(|p| p.stops_sdk) {
        return outcomes;
    }
    let mut code = options.mfa_code.as_deref();
    for hop in &chain.hops {
        let input = outcomes.last().and_then(|o| o.credentials.as_ref());
        let wants_code = matches!(&hop.source, HopSource::AssumeRole(r) if r.mfa_serial.is_some());
        let hop_code = if wants_code { code.take() } else { None };
        let outcome = run_hop(hop, input, hop_code, clients, options, ctx).await;
        let failed = outcome.status == Status::Fail || outcome.credentials.is_none();
        outcomes.push(outcome);
        if failed {
            break;
        }
    }
    outcomes
}
