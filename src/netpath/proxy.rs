//! Which proxy the SDK's connector would use for a URL, decided by the very
//! matcher it uses (hyper-util's `Matcher`, which aws-smithy-http-client's
//! `ProxyConfig::from_env` builds), fed with a snapshot of the proxy variables
//! read the way that matcher reads them: for each pair the UPPER-case name
//! first, and a variable that is set counts even when empty; `REQUEST_METHOD`
//! set (a CGI script) turns every proxy off. On top of the decision, the
//! near misses people hit: a NO_PROXY entry the SDK does not understand, a
//! lower-case variable shadowed by an empty upper-case one, a proxy value it
//! cannot parse, a proxy applied to this machine's loopback. Pure.
//!
//! Proxy URLs may hold a password: values are kept in `SecretString` and
//! shown only as `scheme://host:port`.

use super::target::Target;
use super::text::{clean, redact_url};
use crate::base::environment::Environment;
use hyper_util::client::proxy::matcher::Matcher;
use secrecy::{ExposeSecret, SecretString};

/// One variable the matcher reads: its name and raw value.
#[derive(Debug, Clone)]
struct Var {
    name: &'static str,
    value: SecretString,
}

/// The proxy variables, as the SDK's matcher would read them from this environment.
#[derive(Debug, Clone, Default)]
pub struct ProxyEnv {
    all: Option<Var>,
    http: Option<Var>,
    https: Option<Var>,
    no: Option<(&'static str, String)>,
    /// The lower-case NO_PROXY when the upper-case one shadows it.
    shadowed_no: Option<String>,
    /// Lower-case proxy variables shadowed by an upper-case one that is set (possibly empty).
    shadowed: Vec<&'static str>,
    cgi: bool,
}

/// The first variable of `names` that is set, even empty (hyper-util's `get_first_env`).
fn first<'a>(env: &'a Environment, names: [&'static str; 2]) -> Option<(&'static str, &'a String)> {
    names.into_iter().find_map(|name| env.vars().get(name).map(|value| (name, value)))
}

impl ProxyEnv {
    /// The proxy variables of an environment snapshot.
    pub fn from_environment(env: &Environment) -> ProxyEnv {
        let var = |names: [&'static str; 2]| {
            first(env, names).map(|(name, value)| Var { name, value: SecretString::from(value.clone()) })
        };
        let mut shadowed = Vec::new();
        for [upper, lower] in [["HTTPS_PROXY", "https_proxy"], ["HTTP_PROXY", "http_proxy"], ["ALL_PROXY", "all_proxy"]]
        {
            if env.vars().get(upper).is_some_and(String::is_empty) && env.get(lower).is_some() {
                shadowed.push(lower);
            }
        }
        let no = first(env, ["NO_PROXY", "no_proxy"]).map(|(name, value)| (name, value.clone()));
        let shadowed_no = if no.as_ref().is_some_and(|(name, _)| *name == "NO_PROXY") {
            env.get("no_proxy").map(str::to_string)
        } else {
            None
        };
        ProxyEnv {
            all: var(["ALL_PROXY", "all_proxy"]),
            http: var(["HTTP_PROXY", "http_proxy"]),
            https: var(["HTTPS_PROXY", "https_proxy"]),
            no,
            shadowed_no,
            shadowed,
            cgi: env.is_present("REQUEST_METHOD"),
        }
    }

    /// No proxy variables at all.
    pub fn none() -> ProxyEnv {
        ProxyEnv::default()
    }

    fn no_value(&self) -> &str {
        self.no.as_ref().map_or("", |(_, value)| value.as_str())
    }

    fn matcher(&self, no: &str) -> Matcher {
        let value = |v: &Option<Var>| v.as_ref().map_or(String::new(), |v| v.value.expose_secret().to_string());
        Matcher::builder().all(value(&self.all)).http(value(&self.http)).https(value(&self.https)).no(no).build()
    }

    /// The proxy settings the SDK's HTTP client is given, from this snapshot
    /// (never the process environment), so that the SDK and the probe always
    /// agree: `(https proxy, plain-http proxy, NO_PROXY)`, each the value the
    /// matcher would take for that scheme (its own variable when it parses, else
    /// `ALL_PROXY`; CGI's `HTTP_PROXY` rule kept). The values may hold a password.
    pub fn for_sdk(&self) -> (Option<SecretString>, Option<SecretString>, String) {
        let https = self.source_for(true).map(|v| v.value.clone());
        let http = if self.cgi && self.http.as_ref().is_some_and(|v| v.name == "HTTP_PROXY") {
            self.all.as_ref().filter(|v| parses(v.value.expose_secret())).map(|v| v.value.clone())
        } else {
            self.source_for(false).map(|v| v.value.clone())
        };
        (https, http, self.no_value().to_string())
    }

    /// The variable the matcher takes the proxy from for this scheme: the
    /// scheme's own when it parses, else `ALL_PROXY`.
    fn source_for(&self, https: bool) -> Option<&Var> {
        let own = if https { self.https.as_ref() } else { self.http.as_ref() };
        own.filter(|v| parses(v.value.expose_secret()))
            .or(self.all.as_ref().filter(|v| parses(v.value.expose_secret())))
    }
}

/// Whether hyper-util accepts a proxy value (an unparseable one is silently ignored by the SDK).
fn parses(value: &str) -> bool {
    let probe: http::Uri = http::Uri::from_static("http://probe.invalid/");
    Matcher::builder().all(value).build().intercept(&probe).is_some()
}

/// The proxy a request goes through.
#[derive(Debug, Clone)]
pub(crate) struct ProxyHop {
    /// The variable it comes from (`HTTPS_PROXY`, `https_proxy`, `ALL_PROXY`...).
    pub(crate) variable: &'static str,
    /// `http`, `https`, or a SOCKS scheme the SDK nevertheless talks HTTP CONNECT to.
    pub(crate) scheme: String,
    pub(crate) host: String,
    pub(crate) port: u16,
    /// `Proxy-Authorization: Basic ...` from the URL's user and password (secret).
    pub(crate) auth: Option<http::HeaderValue>,
}

impl ProxyHop {
    /// `http://proxy.corp:8080` (never the credentials).
    pub(crate) fn display(&self) -> String {
        clean(&format!("{}://{}:{}", self.scheme, self.host, self.port), 200)
    }

    pub(crate) fn bare_host(&self) -> &str {
        self.host.trim_start_matches('[').trim_end_matches(']')
    }
}

/// The route the SDK would take, with the evidence for it.
#[derive(Debug, Clone)]
pub(crate) struct Route {
    pub(crate) hop: Option<ProxyHop>,
    /// Why this route, and the near misses around it.
    pub(crate) evidence: Vec<String>,
    /// Something in the proxy settings is likely wrong (shown as a warning).
    pub(crate) suspicious: bool,
    /// A proxy variable is set for this scheme but the SDK ignores it (it does not parse).
    pub(crate) ignored_proxy: Option<String>,
}

/// Decides the route for `target` exactly as the SDK's connector does.
pub(crate) fn route(env: &ProxyEnv, target: &Target) -> Route {
    let https = target.scheme() == super::target::Scheme::Https;
    let mut route = Route { hop: None, evidence: Vec::new(), suspicious: false, ignored_proxy: None };
    if env.cgi {
        route.evidence.push("REQUEST_METHOD is set (a CGI environment): the SDK ignores every proxy variable".into());
        return route;
    }
    note_unusable(env, https, &mut route);
    for lower in &env.shadowed {
        route.suspicious = true;
        route.evidence.push(format!("{} is set but empty, so the SDK ignores {lower}", lower.to_ascii_uppercase()));
    }
    let host = target.host();
    let no = env.no_value();
    match env.matcher(no).intercept(target.uri()) {
        Some(intercept) => {
            let Some(source) = env.source_for(https) else { return route };
            let uri = intercept.uri();
            let scheme = uri.scheme_str().unwrap_or("http").to_string();
            let port = uri.port_u16().unwrap_or(if scheme == "https" { 443 } else { 80 });
            let hop = ProxyHop {
                variable: source.name,
                scheme: scheme.clone(),
                host: uri.host().unwrap_or_default().to_string(),
                port,
                auth: intercept.basic_auth().cloned(),
            };
            route.evidence.push(format!(
                "{} sends requests for {} through {}{}",
                source.name,
                clean(host, 120),
                hop.display(),
                if hop.auth.is_some() { " with Basic credentials from the URL" } else { "" }
            ));
            if scheme.starts_with("socks") {
                route.suspicious = true;
                route.evidence.push(format!(
                    "the SDK speaks HTTP CONNECT to every proxy: a SOCKS proxy ({scheme}://) does not understand it"
                ));
            }
            near_misses(env, target, &mut route);
            route.hop = Some(hop);
        }
        None => match (env.matcher("").intercept(target.uri()), &env.no) {
            (Some(_), Some((name, _))) => {
                let entry = no
                    .split(',')
                    .map(str::trim)
                    .find(|entry| !entry.is_empty() && env.matcher(entry).intercept(target.uri()).is_none())
                    .unwrap_or("*");
                route.evidence.push(format!(
                    "{name} entry `{}` excludes {}: the SDK connects directly",
                    clean(entry, 80),
                    clean(host, 120)
                ));
            }
            _ => route.evidence.push(format!(
                "no proxy variable applies to {} URLs: the SDK connects directly",
                if https { "https://" } else { "http://" }
            )),
        },
    }
    route
}

/// Proxy variables that are set for this scheme but that the SDK cannot parse (and so ignores).
fn note_unusable(env: &ProxyEnv, https: bool, route: &mut Route) {
    let own = if https { &env.https } else { &env.http };
    for var in [own, &env.all].into_iter().flatten() {
        let value = var.value.expose_secret();
        if !value.is_empty() && !parses(value) {
            route.suspicious = true;
            let line =
                format!("{} = {} cannot be parsed as a proxy URL: the SDK ignores it", var.name, redact_url(value));
            route.evidence.push(line.clone());
            if route.ignored_proxy.is_none() && env.source_for(https).is_none() {
                route.ignored_proxy = Some(line);
            }
        }
    }
}

/// NO_PROXY entries that look meant to exclude this host but do not, under the SDK's rules.
fn near_misses(env: &ProxyEnv, target: &Target, route: &mut Route) {
    let host = target.bare_host();
    let loopback = host.eq_ignore_ascii_case("localhost") || target.ip().is_some_and(|ip| ip.is_loopback());
    if loopback {
        route.suspicious = true;
        route.evidence.push(format!(
            "{} is this machine's loopback: a proxy cannot reach it; add it to NO_PROXY",
            clean(target.host(), 120)
        ));
    }
    let name = env.no.as_ref().map_or("NO_PROXY", |(name, _)| name);
    for entry in env.no_value().split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let mut variants = Vec::new();
        let unquoted = entry.trim_matches(|c| c == '"' || c == '\'');
        variants.push(unquoted.to_string());
        if let Some(suffix) = unquoted.strip_prefix("*.") {
            variants.push(format!(".{suffix}"));
        }
        if let Some((name_part, port)) = unquoted.rsplit_once(':')
            && port.chars().all(|c| c.is_ascii_digit())
            && !name_part.contains(':')
        {
            variants.push(name_part.to_string());
        }
        if unquoted.eq_ignore_ascii_case("localhost") && loopback {
            variants.push(host.to_string());
        }
        let fixed =
            variants.into_iter().filter(|v| v != entry).find(|v| env.matcher(v).intercept(target.uri()).is_none());
        if let Some(fixed) = fixed {
            route.suspicious = true;
            route.evidence.push(format!(
                "{name} entry `{}` does not exclude {} under the SDK's rules (no `*.` wildcards, no ports); `{}` would",
                clean(entry, 80),
                clean(host, 120),
                clean(&fixed, 80)
            ));
        }
    }
    if let Some(lower) = &env.shadowed_no
        && env.matcher(lower).intercept(target.uri()).is_none()
    {
        route.suspicious = true;
        route.evidence.push(format!(
            "no_proxy would exclude {}, but NO_PROXY is set and the SDK reads only NO_PROXY",
            clean(host, 120)
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netpath::target::{EndpointOrigin, OverrideSource};

    fn target(url: &str) -> Target {
        Target::new(url, EndpointOrigin::Override(OverrideSource::EnvAllServices)).expect("target")
    }

    fn env(pairs: &[(&str, &str)]) -> ProxyEnv {
        ProxyEnv::from_environment(&Environment::from_pairs(pairs.iter().copied(), None))
    }

    fn hop(pairs: &[(&str, &str)], url: &str) -> Option<(String, &'static str)> {
        route(&env(pairs), &target(url)).hop.map(|h| (h.display(), h.variable))
    }

    #[test]
    fn picks_the_variable_the_sdk_picks() {
        let sts = "https://sts.us-east-1.amazonaws.com";
        assert_eq!(hop(&[], sts), None);
        assert_eq!(hop(&[("https_proxy", "http://p:3128")], sts), Some(("http://p:3128".into(), "https_proxy")));
        assert_eq!(hop(&[("HTTPS_PROXY", "p:3128")], sts), Some(("http://p:3128".into(), "HTTPS_PROXY")));
        // An empty upper-case variable hides the lower-case one; ALL_PROXY fills in.
        assert_eq!(hop(&[("HTTPS_PROXY", ""), ("https_proxy", "http://p:1")], sts), None);
        assert_eq!(
            hop(&[("HTTPS_PROXY", ""), ("ALL_PROXY", "http://a:2")], sts),
            Some(("http://a:2".into(), "ALL_PROXY"))
        );
        // HTTP_PROXY never applies to https:// URLs.
        assert_eq!(hop(&[("HTTP_PROXY", "http://p:1")], sts), None);
        assert_eq!(
            hop(&[("HTTP_PROXY", "http://p:1")], "http://127.0.0.1:5000"),
            Some(("http://p:1".into(), "HTTP_PROXY"))
        );
        assert_eq!(hop(&[("HTTPS_PROXY", "http://p:1"), ("REQUEST_METHOD", "GET")], sts), None);
    }

    #[test]
    fn no_proxy_follows_the_sdk_rules_and_explains_near_misses() {
        let sts = "https://sts.us-east-1.amazonaws.com";
        let excluded =
            route(&env(&[("HTTPS_PROXY", "http://p:1"), ("NO_PROXY", "localhost, .amazonaws.com")]), &target(sts));
        assert!(excluded.hop.is_none());
        assert!(excluded.evidence.iter().any(|e| e.contains("`.amazonaws.com` excludes")), "{:?}", excluded.evidence);

        let missed = route(&env(&[("HTTPS_PROXY", "http://p:1"), ("NO_PROXY", "*.amazonaws.com")]), &target(sts));
        assert!(missed.hop.is_some() && missed.suspicious);
        assert!(missed.evidence.iter().any(|e| e.contains("`.amazonaws.com` would")), "{:?}", missed.evidence);

        let shadowed = route(
            &env(&[("HTTPS_PROXY", "http://p:1"), ("NO_PROXY", ""), ("no_proxy", "amazonaws.com")]),
            &target(sts),
        );
        assert!(shadowed.hop.is_some());
        assert!(shadowed.evidence.iter().any(|e| e.contains("reads only NO_PROXY")), "{:?}", shadowed.evidence);

        let local =
            route(&env(&[("HTTP_PROXY", "http://p:1"), ("NO_PROXY", "localhost")]), &target("http://127.0.0.1:4566"));
        assert!(local.hop.is_some());
        assert!(local.evidence.iter().any(|e| e.contains("loopback")), "{:?}", local.evidence);
        assert!(local.evidence.iter().any(|e| e.contains("`127.0.0.1` would")), "{:?}", local.evidence);
    }

    #[test]
    fn credentials_and_bad_values_are_handled_without_showing_secrets() {
        let r = route(&env(&[("HTTPS_PROXY", "http://bob:s3cret@p:8080")]), &target("https://sts.amazonaws.com"));
        let hop = r.hop.expect("hop");
        assert!(hop.auth.is_some());
        assert!(!format!("{:?} {:?}", r.evidence, hop.display()).contains("s3cret"));
        let bad = route(&env(&[("HTTPS_PROXY", "http://bob:s3cret@p x:1")]), &target("https://sts.amazonaws.com"));
        assert!(bad.hop.is_none() && bad.ignored_proxy.is_some());
        assert!(!format!("{:?}", bad.evidence).contains("s3cret"), "{:?}", bad.evidence);
        let socks = route(&env(&[("ALL_PROXY", "socks5://p:1080")]), &target("https://sts.amazonaws.com"));
        assert!(socks.suspicious && socks.hop.is_some());
    }
}
