//! Turning a failed SDK call into a [`Failure`], from the error's metadata
//! only: an AWS-shaped code makes it AWS's answer (code, message and request
//! id scrubbed and cut); anything else that answered, timed out or could not
//! connect is `Unreachable` with what answered as evidence. A raw body or a
//! `{:?}` of an SDK error may hold secrets and is never kept whole.

use crate::aws::decode::AwsError;
use crate::aws::failure::Failure;
use crate::aws::limits::{MAX_CODE_CHARS, MAX_MESSAGE_CHARS, answered, aws_shaped_code, kept};
use aws_sdk_sts::error::ProvideErrorMetadata;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_types::request_id::RequestId;

/// Turns an SDK error into a [`Failure`] using only its metadata. An answer
/// counts as AWS's only when it carries an AWS-shaped error code: a 404 page,
/// a redirect or HTML from something else is `Unreachable`, with what answered
/// as evidence. Text taken from an answer is scrubbed and cut.
pub(super) fn failure<E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static>(
    error: SdkError<E, HttpResponse>,
) -> Failure {
    match crate::aws::limits::refusal_in(&error) {
        Some(crate::aws::limits::Refusal::Unsendable(why)) => return Failure::Unsendable(why.to_string()),
        Some(crate::aws::limits::Refusal::TooLarge(why)) => {
            let what =
                error.raw_response().map(|raw| answered(raw, "")).unwrap_or_else(|| "the endpoint answered".into());
            return Failure::Unreachable(format!("{what}, not an AWS answer: {why}"));
        }
        None => {}
    }
    match &error {
        SdkError::ServiceError(service) => {
            let err = service.err();
            let raw = service.raw();
            // Servers that word errors in another XML shape (emulators, proxies) still
            // carry <Code> and <Message>: take just those two fields from the body.
            let body = raw.body().bytes().map(String::from_utf8_lossy).unwrap_or_default();
            let code = err.code().map(str::to_string).or_else(|| xml_field(&body, "Code"));
            match code.filter(|c| aws_shaped_code(c)) {
                Some(code) => Failure::Aws(AwsError {
                    code: Some(code),
                    message: err
                        .message()
                        .map(str::to_string)
                        .or_else(|| xml_field(&body, "Message"))
                        .map(|m| kept(&m, MAX_MESSAGE_CHARS)),
                    request_id: err
                        .meta()
                        .request_id()
                        .map(str::to_string)
                        .or_else(|| xml_field(&body, "RequestId"))
                        .map(|r| kept(&r, MAX_CODE_CHARS)),
                    http_status: Some(raw.status().as_u16()),
                    operation: None,
                }),
                None => {
                    let what = if raw.status().is_success() { "answer" } else { "error" };
                    Failure::Unreachable(format!("{}, not an AWS {what}", answered(raw, &body)))
                }
            }
        }
        SdkError::TimeoutError(_) => Failure::Unreachable("no answer before the timeout".into()),
        SdkError::DispatchFailure(dispatch) => {
            let what = if dispatch.is_timeout() {
                "the connection timed out"
            } else if dispatch.is_io() {
                "the connection failed (DNS, refused, reset or TLS)"
            } else {
                "the request could not be sent"
            };
            let detail = dispatch.as_connector_error().map(|e| error_chain(e)).unwrap_or_default();
            Failure::Unreachable(if detail.is_empty() { what.to_string() } else { format!("{what}: {detail}") })
        }
        SdkError::ResponseError(response) => {
            let body = response.raw().body().bytes().map(String::from_utf8_lossy).unwrap_or_default();
            Failure::Unreachable(format!(
                "{} that credwiz could not read, not an AWS answer",
                answered(response.raw(), &body)
            ))
        }
        SdkError::ConstructionFailure(_) => {
            Failure::Other(format!("the request could not be built: {}", error_chain(&error)))
        }
        _ => Failure::Other("the SDK failed in an unexpected way".into()),
    }
}

/// The text of the first `<name>...</name>` element, unescaped (basic
/// entities only), scrubbed and cut to [`MAX_MESSAGE_CHARS`].
fn xml_field(body: &str, name: &str) -> Option<String> {
    crate::base::xmltext::element(body, name).map(|text| kept(&text, MAX_MESSAGE_CHARS))
}

/// The messages of an error and its sources (for errors that carry no response body).
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut parts = vec![error.to_string()];
    let mut source = error.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}
