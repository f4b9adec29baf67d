//! The SDK clients the hops call through. The caller decides how they are
//! built (endpoints, timeouts, retries, HTTP client); [`SdkClients`] builds
//! them from one `SdkConfig` the way the SDK's own providers do, so every
//! endpoint setting (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_SSO`, profile
//! `endpoint_url`, `[services]`) loaded into it applies. No IO until a call.

use super::HopCredentials;
use crate::aws::live::{Client, DateCapture};
use aws_credential_types::Credentials;
use aws_types::SdkConfig;
use aws_types::region::Region;
use secrecy::ExposeSecret;

/// Builds the clients each hop needs.
pub trait Clients: Send + Sync {
    /// STS signing with the credentials of the hop before (`None`: unsigned,
    /// for AssumeRoleWithWebIdentity), in `region` (`None`: the default).
    fn sts(&self, credentials: Option<&HopCredentials>, region: Option<&str>) -> Client<aws_sdk_sts::Client>;
    /// The SSO portal in the profile's `sso_region`.
    fn sso(&self, region: &str) -> Client<aws_sdk_sso::Client>;
    /// SSO-OIDC in the profile's `sso_region`.
    fn sso_oidc(&self, region: &str) -> Client<aws_sdk_ssooidc::Client>;
}

/// Clients built from one loaded `SdkConfig` (timeouts, retries, endpoints and
/// HTTP client come from it); clock-skew correction is off so a skewed clock
/// is seen, not hidden.
#[derive(Debug, Clone)]
pub struct SdkClients {
    pub sdk: SdkConfig,
    /// STS's region when the hop does not say (the profile's region).
    pub default_region: Option<String>,
}

impl SdkClients {
    pub fn new(sdk: SdkConfig, default_region: Option<String>) -> Self {
        SdkClients { sdk, default_region }
    }
}

/// SDK credentials from a hop's (the secret leaves `SecretString` only here).
pub fn sdk_credentials(credentials: &HopCredentials) -> Credentials {
    Credentials::new(
        credentials.access_key_id.clone(),
        credentials.secret_access_key.expose_secret().to_string(),
        credentials.session_token.as_ref().map(|t| t.expose_secret().to_string()),
        None,
        "credwiz-hop",
    )
}

impl Clients for SdkClients {
    fn sts(&self, credentials: Option<&HopCredentials>, region: Option<&str>) -> Client<aws_sdk_sts::Client> {
        let region = region.or(self.default_region.as_deref()).unwrap_or("us-east-1").to_string();
        let date = DateCapture::default();
        let bounds = credentials
            .map(|c| crate::aws::limits::Bounds::for_keys(&crate::aws::live::SigningKeys::from(c)))
            .unwrap_or_default();
        let mut config = aws_sdk_sts::config::Builder::from(&self.sdk)
            .region(Region::new(region))
            .disable_clock_skew_correction(true)
            .interceptor(date.clone())
            .interceptor(bounds);
        config = match credentials {
            Some(c) => config.credentials_provider(sdk_credentials(c)),
            None => config.credentials_provider(Credentials::new("ANONYMOUS", "unused", None, None, "credwiz-none")),
        };
        Client::new(aws_sdk_sts::Client::from_conf(config.build()), date)
    }

    fn sso(&self, region: &str) -> Client<aws_sdk_sso::Client> {
        let date = DateCapture::default();
        let config = aws_sdk_sso::config::Builder::from(&self.sdk)
            .region(Region::new(region.to_string()))
            .interceptor(date.clone())
            .interceptor(crate::aws::limits::Bounds::default())
            .build();
        Client::new(aws_sdk_sso::Client::from_conf(config), date)
    }

    fn sso_oidc(&self, region: &str) -> Client<aws_sdk_ssooidc::Client> {
        let date = DateCapture::default();
        let config = aws_sdk_ssooidc::config::Builder::from(&self.sdk)
            .region(Region::new(region.to_string()))
            .interceptor(date.clone())
            .interceptor(crate::aws::limits::Bounds::default())
            .build();
        Client::new(aws_sdk_ssooidc::Client::from_conf(config), date)
    }
}
