//! The redaction registry as the rest of credwiz uses it: secrets from the
//! profile files (registered when a file is loaded) and from the environment
//! are masked in every form a sink may hold them, and the terminal sanitizer
//! leaves nothing that drives a terminal.

use credwiz::base::sanitize;
use credwiz::profile::LoadedFile;
use credwiz::redact;

/// Canary values that are not secret-shaped: only the registry can catch them.
const FILE_SECRET: &str = "canary-from-file+secret/0001=";
const ENV_TOKEN: &str = "canary-from-env-session-token-0002";

#[test]
fn secrets_from_files_and_environment_are_masked_in_every_form() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("credentials");
    std::fs::write(
        &path,
        format!("[dev]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = {FILE_SECRET}\n"),
    )
    .expect("write");
    LoadedFile::load(&path).expect("load");
    redact::register_variables([("AWS_SESSION_TOKEN", ENV_TOKEN), ("AWS_REGION", "eu-west-1-not-a-secret")]);

    let percent = FILE_SECRET.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D");
    let json = serde_json::to_string(&format!("echo: {FILE_SECRET} and {ENV_TOKEN}")).expect("json");
    let sinks = [
        format!("SignatureDoesNotMatch: got '{FILE_SECRET}/20250101/us-east-1/sts/aws4_request'"),
        format!("POST /?X-Amz-Security-Token={}&Secret={percent}", ENV_TOKEN),
        format!("POST /?Secret={}", percent.replace("%2B", "%2b").replace("%2F", "%2f").replace("%3D", "%3d")),
        json.replace('/', "\\/"),
        json,
        format!("process stderr:\n{ENV_TOKEN}\n"),
    ];
    for sink in &sinks {
        let scrubbed = redact::scrub(sink);
        assert!(!scrubbed.contains("canary-from"), "not masked: {scrubbed}");
        assert!(scrubbed.contains("****************"), "no mask shown: {scrubbed}");
    }
    // Not secrets: untouched.
    assert_eq!(
        redact::scrub("AKIAIOSFODNN7EXAMPLE in eu-west-1-not-a-secret"),
        "AKIAIOSFODNN7EXAMPLE in eu-west-1-not-a-secret"
    );
}

#[test]
fn secret_shapes_are_masked_even_unregistered_and_terminals_get_nothing_raw() {
    let secret = "Zm9vYmFyQmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdo";
    let token = format!("IQoJb3JpZ2luX2VjE{}", "Qk1zZ2Zh9+/".repeat(30));
    let jwt = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MX0.c2lnbmF0dXJlLWJ5dGVz";
    let hostile = format!(
        "\u{1b}]0;pwned\u{7}\u{1b}[2J<Message>x-amz-security-token: {token}; key {secret}; id_token={jwt}\u{9b}31m\u{202e}</Message>"
    );
    let safe = sanitize::line(&redact::scrub(&hostile)).into_owned();
    for part in [secret, &token[..40], jwt] {
        assert!(!safe.contains(part), "{part} left in {safe}");
    }
    assert!(!safe.chars().any(|c| c.is_control() || sanitize::is_invisible(c)), "{safe:?}");
    assert!(safe.starts_with("\\e]0;pwned\\x07\\e[2J<Message>"), "{safe}");
    let json = serde_json::to_string(&serde_json::json!({ "message": hostile })).expect("json");
    let json = sanitize::json(&redact::scrub(&json)).into_owned();
    assert!(json.is_ascii() || !json.chars().any(|c| c.is_control() || sanitize::is_invisible(c)), "{json:?}");
    assert!(json.contains("\\u009b") && json.contains("\\u202e"), "{json}");
    serde_json::from_str::<serde_json::Value>(&json).expect("still JSON");
}

#[test]
fn one_judge_of_secret_names_covers_profile_keys_and_cache_fields() {
    for secret in [
        "aws_secret_access_key",
        "aws_session_token",
        "aws_security_token",
        "sso_client_secret",
        "accessToken",
        "refreshToken",
        "clientSecret",
        "SecretAccessKey",
        "SessionToken",
        "db_password",
    ] {
        assert!(redact::is_secret_key(secret), "{secret} names a secret");
    }
    for plain in [
        "aws_access_key_id",
        "web_identity_token_file",
        "sso_start_url",
        "region",
        "expiresAt",
        "startUrl",
        "ca_bundle_path",
    ] {
        assert!(!redact::is_secret_key(plain), "{plain} names no secret");
    }
}
