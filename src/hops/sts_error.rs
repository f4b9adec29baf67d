//! What the STS calls of the role hops share: an answer with credentials (or
//! without any), and a refused call whose error blames the credentials of the
//! hop before (unknown key, wrong secret, expired session, skewed clock), the
//! network, or an MFA code, mapped to a cause with evidence. Pure.

use super::{Cause, Context, HopCredentials, Outcome, Status};
use crate::aws::decode::{AwsError, Meaning};
use crate::aws::live::{Call, Failure};

/// Maps an error that is not specific to the operation. `None`: the caller decides.
pub(crate) fn common_cause(error: &AwsError) -> Option<(Cause, &'static str)> {
    let code = error.code.as_deref().unwrap_or_default();
    if code == "RegionDisabledException" || code == "RegionDisabled" {
        return Some((Cause::RegionNotEnabled, "STS is not enabled in this region for the account"));
    }
    match error.meaning() {
        Meaning::InvalidToken => Some((
            Cause::UnknownAccessKey,
            "the credentials of the hop before were rejected: AWS does not know that access key (deleted, deactivated, another partition, or mistyped)",
        )),
        Meaning::SignatureMismatch => Some((
            Cause::SecretMismatch,
            "the credentials of the hop before were rejected: the secret does not match the access key",
        )),
        Meaning::SignatureExpired => {
            Some((Cause::ClockSkew, "the request time was refused: this computer's clock is off by over 5 minutes"))
        }
        Meaning::Expired => Some((Cause::CredentialsExpired, "the credentials of the hop before have expired")),
        Meaning::MfaCodeInvalid => Some((
            Cause::MfaCodeInvalid,
            "the MFA code was refused: wrong, already used (AWS accepts a code once), or the device's clock drifted",
        )),
        Meaning::MfaSerialInvalid => Some((
            Cause::MfaSerialInvalid,
            "AWS could not validate the code against mfa_serial: the serial is not an MFA device of the calling user",
        )),
        _ => None,
    }
}

/// Records an STS answer that assumed `role_arn`: a pass with its credentials
/// (the role and until when noted), or a failure when STS gave none. Returns
/// false when the call failed, for `record_failure` and the hop's own reading.
pub(crate) fn record_success(call: &Call<Option<HopCredentials>>, out: &mut Outcome, role_arn: &str) -> bool {
    match &call.result {
        Ok(Some(credentials)) => {
            let until = credentials.expiration.map(|e| format!(" until {}", e.to_rfc3339())).unwrap_or_default();
            let role = credentials.assumed_role_arn.as_deref().unwrap_or(role_arn);
            out.note(format!("assumed {}{until}", super::text::escape(role, 300)));
            out.pass(credentials.clone());
            true
        }
        Ok(None) => {
            out.status = Status::Fail;
            out.note("STS answered without credentials");
            true
        }
        Err(_) => false,
    }
}

/// Records a failed call on the outcome: the error as AWS worded it (scrubbed),
/// and the cause when the error is a common one. Returns the AWS error when
/// the caller still has to classify it.
pub(crate) fn record_failure<'e, T>(call: &'e Call<T>, out: &mut Outcome, ctx: &Context<'_>) -> Option<&'e AwsError> {
    match &call.result {
        Ok(_) => None,
        Err(Failure::Aws(error)) => {
            out.error_code = error.code.clone();
            out.note(format!("AWS answered {}", ctx.safe(&error.describe(), 600)));
            if let Some((cause, why)) = common_cause(error) {
                out.fail(cause);
                out.note(why);
                if cause == Cause::ClockSkew
                    && let Some(skew) = call.skew_seconds()
                {
                    out.note(format!("the server's clock differs from this computer's by {skew} s"));
                }
            }
            Some(error)
        }
        Err(Failure::Unreachable(why)) => {
            out.fail(Cause::EndpointUnreachable);
            out.note(format!("no answer from the endpoint: {}", ctx.safe(why, 400)));
            None
        }
        Err(Failure::Other(why) | Failure::Unsendable(why)) => {
            out.status = super::Status::Fail;
            out.note(format!("the call failed before reaching AWS: {}", ctx.safe(why, 400)));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(code: &str, message: &str) -> AwsError {
        AwsError { code: Some(code.into()), message: Some(message.into()), ..AwsError::default() }
    }

    #[test]
    fn common_errors_blame_the_hop_before_or_the_code() {
        let cause = |e: AwsError| common_cause(&e).map(|(c, _)| c);
        assert_eq!(cause(err("InvalidClientTokenId", "x")), Some(Cause::UnknownAccessKey));
        assert_eq!(cause(err("ExpiredToken", "x")), Some(Cause::CredentialsExpired));
        assert_eq!(
            cause(err("AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code.")),
            Some(Cause::MfaCodeInvalid)
        );
        assert_eq!(cause(err("AccessDenied", "User: a is not authorized to perform: sts:AssumeRole")), None);
    }
}
