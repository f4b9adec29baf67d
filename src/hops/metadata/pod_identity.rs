//! The EKS Pod Identity agent's refusals, decoded: it answers HTTP 400 with
//! a plain-text reason when the request has no token ("Service account token
//! cannot be empty"), a token it cannot parse or whose claims fail, or when
//! it is called through another address; and passes on the refusals of EKS
//! Auth (no association for the service account, a role whose trust lacks
//! `pods.eks.amazonaws.com` or `sts:TagSession`). Each gets what it means
//! and what to change. Pure.

use super::body_excerpt;
use crate::hops::Context;
use crate::vocabulary::Cause;

/// What the agent's HTTP 400 answer means, with the answer itself (scrubbed,
/// bounded); `None` when it is neither from a Pod Identity agent (`pod`: the
/// endpoint is the agent's) nor worded as the agent words its refusals.
pub fn explain_400(body: &[u8], pod: bool, ctx: &Context<'_>) -> Option<String> {
    let said = body_excerpt(body, ctx);
    let lower = String::from_utf8_lossy(body).to_ascii_lowercase();
    let meaning = if lower.contains("token cannot be empty") {
        "the request carried no token: AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE is not set, or names an empty file (Pod Identity mounts it at /var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token)"
    } else if lower.contains("cannot be parsed") {
        "the token is not a JWT the agent can read: the file named by AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE is cut or is not the projected service account token"
    } else if lower.contains("claim validation") {
        "the token's claims were refused: expired, or not issued for Pod Identity (its audience must be pods.eks.amazonaws.com)"
    } else if lower.contains("invalid address") {
        "the agent was called through another address than its own: use http://169.254.170.23/v1/credentials (or [fd00:ec2::23]) in AWS_CONTAINER_CREDENTIALS_FULL_URI"
    } else if lower.contains("tagsession") {
        "the role's trust policy does not allow sts:TagSession for pods.eks.amazonaws.com: Pod Identity tags every session it creates"
    } else if lower.contains("resourcenotfound") || lower.contains("association") {
        "EKS has no Pod Identity association for this pod's service account: create one (aws eks create-pod-identity-association) and restart the pod"
    } else if lower.contains("accessdenied") {
        "EKS Auth refused the role: its trust policy must allow pods.eks.amazonaws.com both sts:AssumeRole and sts:TagSession"
    } else if pod {
        "the EKS Pod Identity agent refused the request"
    } else {
        return None;
    };
    Some(format!("HTTP 400 from the Pod Identity agent: {meaning}; it said: {said}"))
}

/// The cause of a failed container request, from its explanation.
pub fn cause_of(why: &str) -> Cause {
    if why.contains("sts:TagSession") { Cause::TagSessionDenied } else { Cause::ContainerCredentialsUnavailable }
}
