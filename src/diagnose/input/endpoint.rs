//! Which STS endpoint the live checks call and how that URL came about, as
//! the SDK decides it: an endpoint override (`AWS_ENDPOINT_URL_STS`, the
//! profile's `[services]` section, `AWS_ENDPOINT_URL`, the profile's
//! `endpoint_url`, in that order, unless `ignore_configured_endpoint_urls`),
//! else the endpoint rules from the region and the FIPS / dual-stack
//! settings. The network probe goes there when a check gets no answer. Pure.

use crate::base::environment::Environment;
use crate::diagnose::input::sources::Located;
use crate::netpath::{EndpointOrigin, OverrideSource, Setting, Target};
use crate::profile::file_location;
use crate::profile::{SdkView, view::Section};
use crate::vocabulary::regions::GLOBAL_REGION;

fn truthy(value: Option<&str>) -> bool {
    value.is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// The `endpoint_url` of `service` in a `[services NAME]` section (a sub-property block).
fn services_endpoint(view: &SdkView, section: &str, service: &str) -> Option<(String, String)> {
    let block = view.other_sections.get(&format!("services {section}"))?;
    let prop = block.properties.get(service)?;
    let url = prop.value.lines().find_map(|line| {
        let (key, value) = line.split_once('=')?;
        (key.trim().eq_ignore_ascii_case("endpoint_url")).then(|| value.trim().to_string())
    })?;
    Some((url, format!("line {}", prop.origin.line)))
}

/// The STS endpoint for a profile and region, or why none can be built.
pub fn sts_target(
    env: &Environment,
    view: &SdkView,
    profile: &str,
    region: Option<&Located<String>>,
) -> Result<Target, String> {
    let section: Option<&Section> = view.profiles.get(profile);
    let value = |key: &str| section.and_then(|s| s.get(key)).map(str::trim).filter(|v| !v.is_empty());
    let at = |key: &str| section.and_then(|s| s.properties.get(key)).map(|p| file_location(env, p.origin));
    let ignored =
        truthy(env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) || truthy(value("ignore_configured_endpoint_urls"));
    let overridden = |url: &str, source: OverrideSource| {
        Target::new(url, EndpointOrigin::Override(source)).map_err(|e| e.to_string())
    };
    if !ignored {
        if let Some(url) = env.get("AWS_ENDPOINT_URL_STS") {
            return overridden(url, OverrideSource::EnvService { variable: "AWS_ENDPOINT_URL_STS".into() });
        }
        if let Some(name) = value("services")
            && let Some((url, line)) = services_endpoint(view, name, "sts")
        {
            let location = at("services").map_or(line, |l| format!("[services {name}], from {l}"));
            let source = OverrideSource::ServicesSection { section: name.into(), service: "sts".into(), location };
            return overridden(&url, source);
        }
        if let Some(url) = env.get("AWS_ENDPOINT_URL") {
            return overridden(url, OverrideSource::EnvAllServices);
        }
        if let Some(url) = value("endpoint_url") {
            let location = at("endpoint_url").unwrap_or_default();
            return overridden(url, OverrideSource::Profile { profile: profile.into(), location });
        }
    }
    let region = match region {
        Some(r) if crate::vocabulary::regions::lookup(r.value.trim()).is_some() => {
            Setting::new("region", r.value.trim(), r.location.clone())
        }
        _ => Setting::new("region", GLOBAL_REGION, "the global endpoint (no valid region set)"),
    };
    let flag = |variable: &str, key: &str| {
        if truthy(env.get(variable)) {
            Some(Setting::new(variable, "true", variable))
        } else if truthy(value(key)) {
            Some(Setting::new(key, "true", at(key).unwrap_or_default()))
        } else {
            None
        }
    };
    let fips = flag("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint");
    let dualstack = flag("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint");
    Target::sts(region, fips, dualstack).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Document;

    fn target(vars: &[(&str, &str)], config: &str) -> Target {
        let env = Environment::from_pairs(vars.iter().copied(), None);
        let view = SdkView::build(Some(&Document::parse(config)), None);
        sts_target(&env, &view, "default", None).expect("target")
    }

    #[test]
    fn overrides_win_in_the_sdks_order() {
        let config = "[default]\nendpoint_url = http://profile:1\nservices = local\n[services local]\nsts =\n  endpoint_url = http://services:2\n";
        let all = [("AWS_ENDPOINT_URL", "http://all:3"), ("AWS_ENDPOINT_URL_STS", "http://sts:4")];
        assert_eq!(target(&all, config).host(), "sts");
        assert_eq!(target(&all[..1], config).host(), "services");
        assert_eq!(target(&all[..1], "[default]\nendpoint_url = http://profile:1\n").host(), "all");
        assert_eq!(target(&[], "[default]\nendpoint_url = http://profile:1\n").host(), "profile");
        let ignored = [("AWS_ENDPOINT_URL", "http://all:3"), ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")];
        assert!(target(&ignored, "").override_source().is_none());
    }

    #[test]
    fn the_rules_build_fips_hosts_from_the_settings() {
        let t = target(&[("AWS_USE_FIPS_ENDPOINT", "true")], "");
        assert!(t.host().contains("fips"), "{}", t.host());
        assert_eq!(target(&[], "").host(), "sts.us-east-1.amazonaws.com");
    }
}
