//! The IO edge of the diagnosis: real AWS SDK clients (STS, IAM) built to
//! diagnose (one attempt, no retries, clock-skew correction off, short
//! timeouts, `HTTPS_PROXY` and `AWS_CA_BUNDLE` honoured, every SDK endpoint
//! setting honoured; the SDK's loader reads the profile files itself for
//! those), and a uniform outcome for every call: the value or the decoded
//! error, how long it took, and the server's `Date` header (recorded by an
//! interceptor set on each client's configuration).
//!
//! Errors become a [`Failure`] in `sdk_error`, from their metadata only: a
//! raw body or a `{:?}` of an SDK error may hold secrets and is never kept.

use crate::aws::decode::AwsError;
use crate::aws::sdk_error::failure;
use crate::base::environment::Environment;
use crate::vocabulary::regions::{self, GLOBAL_REGION};
use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_sdk_sts::error::ProvideErrorMetadata;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeDeserializationInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_types::SdkConfig;
use aws_types::region::Region;
use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub use crate::aws::failure::Failure;
pub use crate::aws::keys::SigningKeys;

/// The outcome of one call.
#[derive(Debug, Clone)]
pub struct Call<T> {
    pub result: Result<T, Failure>,
    pub elapsed: Duration,
    /// The server's `Date` header, when a response came back.
    pub server_date: Option<DateTime<Utc>>,
    /// The local clock when the response came back.
    pub local_date: DateTime<Utc>,
}

impl<T> Call<T> {
    /// A call that failed before anything was sent (or whose answer was unusable).
    pub fn failed(failure: Failure) -> Self {
        Call { result: Err(failure), elapsed: Duration::ZERO, server_date: None, local_date: Utc::now() }
    }

    /// The same call with its value mapped.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Call<U> {
        Call {
            result: self.result.map(f),
            elapsed: self.elapsed,
            server_date: self.server_date,
            local_date: self.local_date,
        }
    }

    /// The same timing and date with another result (for a call made of several requests).
    pub fn with_result<U>(&self, result: Result<U, Failure>) -> Call<U> {
        Call { result, elapsed: self.elapsed, server_date: self.server_date, local_date: self.local_date }
    }

    /// Milliseconds the call took.
    pub fn millis(&self) -> u64 {
        u64::try_from(self.elapsed.as_millis()).unwrap_or(u64::MAX)
    }

    /// Server clock minus local clock, in seconds (positive: the local clock is behind).
    pub fn skew_seconds(&self) -> Option<i64> {
        self.server_date.map(|s| (s - self.local_date).num_seconds())
    }

    /// The AWS error, if that is how it failed.
    pub fn aws_error(&self) -> Option<&AwsError> {
        match &self.result {
            Err(Failure::Aws(e)) => Some(e),
            _ => None,
        }
    }
}

/// Records the `Date` header of every response (success or error); set it
/// on a client's configuration and wrap the client with [`Client::new`].
#[derive(Debug, Clone, Default)]
pub struct DateCapture(Arc<Mutex<Option<String>>>);

impl Intercept for DateCapture {
    fn name(&self) -> &'static str {
        "credwiz-date-capture"
    }

    fn read_before_deserialization(
        &self,
        context: &BeforeDeserializationInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(date) = context.response().headers().get("date")
            && let Ok(mut slot) = self.0.lock()
        {
            *slot = Some(date.to_string());
        }
        Ok(())
    }
}

/// The clients' shared setup, loaded once per run.
#[derive(Debug, Clone)]
pub struct Live {
    sdk: SdkConfig,
    /// The user's region, used for STS calls (as their tools would).
    pub region: Option<String>,
    pub attempt_timeout: Duration,
    /// When the whole run must be over (probes of the network path stop by then).
    pub deadline: Instant,
}

/// An SDK client built for one check, with the interceptor that records the
/// server's `Date` header set on its configuration.
#[derive(Debug, Clone)]
pub struct Client<C> {
    pub api: C,
    date: DateCapture,
}

impl<C> Client<C> {
    /// Wraps a client whose configuration has `date` as an interceptor.
    pub fn new(api: C, date: DateCapture) -> Self {
        Client { api, date }
    }

    /// Sends one request built from `api` and captures its outcome, timing and `Date` header.
    pub async fn call<T, O, E, F>(&self, request: F, map: impl FnOnce(O) -> T) -> Call<T>
    where
        F: std::future::Future<Output = Result<O, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let started = Instant::now();
        let outcome = request.await;
        let elapsed = started.elapsed();
        let local_date = Utc::now();
        let server_date = self
            .date
            .0
            .lock()
            .ok()
            .and_then(|d| d.clone())
            .and_then(|d| DateTime::parse_from_rfc2822(&d).ok())
            .map(|d| d.with_timezone(&Utc));
        Call { result: outcome.map(map).map_err(failure), elapsed, server_date, local_date }
    }
}

/// Builds the HTTP client: for `http://` endpoints (a local emulator) with no
/// proxy, plain HTTP; for the rest, rustls with the system's roots plus
/// `AWS_CA_BUNDLE`; both with the proxy settings of the environment snapshot
/// (`HTTPS_PROXY`, `NO_PROXY`...), read by the same code as the network
/// probe's. Each side is set up on the first request that needs it: the
/// TLS side reads and parses every root certificate of the system, which
/// costs more than the whole of a local check. One connector (and connection
/// pool) per distinct timeout settings, as the SDK's own client keeps them.
fn http_client(env: &Environment, ca_bundle: Option<&[u8]>) -> SharedHttpClient {
    use aws_smithy_runtime_api::client::http::{SharedHttpConnector, http_client_fn};
    let ca_bundle: Option<Arc<[u8]>> = ca_bundle.map(Arc::from);
    let proxy = sdk_proxy(env);
    let proxy_tls = proxy_needs_tls(env);
    type Key = (Option<Duration>, Option<Duration>);
    let made: Mutex<Vec<(Key, SharedHttpConnector)>> = Mutex::default();
    http_client_fn(move |settings, components| {
        let key = (settings.connect_timeout(), settings.read_timeout());
        let mut made = made.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, connector)) = made.iter().find(|(k, _)| *k == key) {
            return connector.clone();
        }
        let connector = SharedHttpConnector::new(LazyConnector {
            settings: settings.clone(),
            sleep: components.sleep_impl(),
            ca_bundle: ca_bundle.clone(),
            proxy: proxy.clone(),
            proxy_tls,
            plain: std::sync::OnceLock::new(),
            tls: std::sync::OnceLock::new(),
        });
        made.push((key, connector.clone()));
        connector
    })
}

/// The connectors of one setting, each built on first use: plain HTTP, and TLS.
#[derive(Debug)]
struct LazyConnector {
    settings: aws_smithy_runtime_api::client::http::HttpConnectorSettings,
    sleep: Option<aws_types::sdk_config::SharedAsyncSleep>,
    ca_bundle: Option<Arc<[u8]>>,
    proxy: Option<aws_smithy_http_client::proxy::ProxyConfig>,
    /// The proxy is itself reached over TLS: then even `http://` goes through TLS.
    proxy_tls: bool,
    plain: std::sync::OnceLock<aws_smithy_http_client::Connector>,
    tls: std::sync::OnceLock<aws_smithy_http_client::Connector>,
}

impl LazyConnector {
    fn builder(&self) -> aws_smithy_http_client::ConnectorBuilder {
        use aws_smithy_http_client::{Connector, proxy::ProxyConfig};
        let proxy = self.proxy.clone().unwrap_or_else(ProxyConfig::disabled);
        let mut builder = Connector::builder().proxy_config(proxy).connector_settings(self.settings.clone());
        if let Some(sleep) = self.sleep.clone() {
            builder = builder.sleep_impl(sleep);
        }
        builder
    }

    fn tls(&self) -> aws_smithy_http_client::Connector {
        use aws_smithy_http_client::tls::{self, TlsContext, TrustStore, rustls_provider::CryptoMode};
        let mut trust = TrustStore::default();
        if let Some(pem) = &self.ca_bundle {
            trust = trust.with_pem_certificate(pem.to_vec());
        }
        let builder = self.builder().tls_provider(tls::Provider::Rustls(CryptoMode::AwsLc));
        match TlsContext::builder().with_trust_store(trust).build() {
            Ok(context) => builder.tls_context(context).build(),
            Err(_) => builder.build(),
        }
    }
}

/// Whether a proxy of [`sdk_proxy`] is itself reached over TLS (`https://`).
fn proxy_needs_tls(env: &Environment) -> bool {
    let (https, http, _) = crate::netpath::ProxyEnv::from_environment(env).for_sdk();
    [https, http]
        .iter()
        .flatten()
        .any(|url| url.expose_secret().trim().get(..8).is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://")))
}

impl aws_smithy_runtime_api::client::http::HttpConnector for LazyConnector {
    fn call(
        &self,
        request: aws_smithy_runtime_api::client::orchestrator::HttpRequest,
    ) -> aws_smithy_runtime_api::client::http::HttpConnectorFuture {
        let plain = request.uri().get(..7).is_some_and(|s| s.eq_ignore_ascii_case("http://")) && !self.proxy_tls;
        if plain {
            self.plain.get_or_init(|| self.builder().build_http()).call(request)
        } else {
            self.tls.get_or_init(|| self.tls()).call(request)
        }
    }
}

/// The SDK's proxy configuration from the snapshot: the HTTPS proxy for AWS's
/// endpoints, the plain-HTTP one when only it is set (a local emulator), one
/// proxy for both when they are the same; `NO_PROXY` applied. `None`: no proxy.
/// (The SDK takes one proxy URL per client: with two different proxies set, the
/// HTTPS one wins, as every AWS endpoint is HTTPS.)
pub fn sdk_proxy(env: &Environment) -> Option<aws_smithy_http_client::proxy::ProxyConfig> {
    use aws_smithy_http_client::proxy::ProxyConfig;
    let (https, http, no_proxy) = crate::netpath::ProxyEnv::from_environment(env).for_sdk();
    let value = |s: &SecretString| s.expose_secret().to_string();
    let config = match (https.as_ref().map(value), http.as_ref().map(value)) {
        (Some(a), Some(b)) if a == b => ProxyConfig::all(a).ok(),
        (Some(a), _) => ProxyConfig::https(a).ok(),
        (None, Some(b)) => ProxyConfig::http(b).ok(),
        (None, None) => None,
    }?;
    Some(if no_proxy.is_empty() { config } else { config.no_proxy(no_proxy) })
}

impl Live {
    /// Loads the SDK configuration for a profile: endpoints from the
    /// environment snapshot and the files it names (the SDK reads the profile
    /// files here itself), with diagnosis-friendly retries and timeouts.
    /// `ca_bundle` is the PEM gathered from `AWS_CA_BUNDLE`.
    pub async fn load(
        env: &Environment,
        profile: &str,
        region: Option<String>,
        attempt_timeout: Duration,
        ca_bundle: Option<&[u8]>,
        deadline: Instant,
    ) -> Live {
        // The SDK reads the snapshot credwiz diagnoses, not the process
        // environment (aws-config's `test-util` feature exposes `env`).
        let sdk = aws_config::defaults(BehaviorVersion::latest())
            .env(sdk_env(env))
            .profile_name(profile)
            .region(Region::new(GLOBAL_REGION))
            .retry_config(RetryConfig::standard().with_max_attempts(1))
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_millis(1500).min(attempt_timeout))
                    .operation_attempt_timeout(attempt_timeout)
                    .operation_timeout(attempt_timeout)
                    .build(),
            )
            .http_client(http_client(env, ca_bundle))
            .load()
            .await;
        Live { sdk, region, attempt_timeout, deadline }
    }

    /// An STS client signing with `keys` in `region` (default: the user's region).
    pub fn sts(&self, keys: &SigningKeys, region: Option<&str>) -> Client<aws_sdk_sts::Client> {
        let region = region.or(self.region.as_deref()).unwrap_or(GLOBAL_REGION).to_string();
        let date = DateCapture::default();
        let config = aws_sdk_sts::config::Builder::from(&self.sdk)
            .credentials_provider(keys.credentials())
            .region(Region::new(region))
            .disable_clock_skew_correction(true)
            .interceptor(date.clone())
            .interceptor(crate::aws::limits::Bounds::for_keys(keys))
            .build();
        Client { api: aws_sdk_sts::Client::from_conf(config), date }
    }

    /// The region of the global services (IAM, and the STS calls that need no
    /// particular region) in the partition of the user's region: us-east-1,
    /// cn-north-1 (China) or us-gov-west-1 (GovCloud). A key works only in its
    /// own partition.
    pub fn home_region(&self) -> &'static str {
        regions::partition_home(regions::partition_of(self.region.as_deref()))
    }

    /// An IAM client signing with `keys` (IAM is global: pinned to the partition's home region).
    pub fn iam(&self, keys: &SigningKeys) -> Client<aws_sdk_iam::Client> {
        let date = DateCapture::default();
        let config = aws_sdk_iam::config::Builder::from(&self.sdk)
            .credentials_provider(keys.credentials())
            .region(Region::new(self.home_region()))
            .disable_clock_skew_correction(true)
            .interceptor(date.clone())
            .interceptor(crate::aws::limits::Bounds::for_keys(keys))
            .build();
        Client { api: aws_sdk_iam::Client::from_conf(config), date }
    }

    /// The loaded SDK configuration (endpoints, timeouts, HTTP client), for the hops' clients.
    pub fn sdk_config(&self) -> SdkConfig {
        self.sdk.clone()
    }
}

/// The environment snapshot in the SDK's form (with `HOME`, which it needs to find `~/.aws`).
fn sdk_env(env: &Environment) -> aws_types::os_shim_internal::Env {
    let mut vars: std::collections::HashMap<String, String> =
        env.vars().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    if let Some(home) = env.home() {
        vars.entry("HOME".into()).or_insert_with(|| home.display().to_string());
    }
    aws_types::os_shim_internal::Env::from(vars)
}
