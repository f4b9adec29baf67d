//! What the user asked for beyond the profile, parsed once into typed values
//! at the edge (the command line, the wizard's fields): actions to test and
//! their resources, a pasted error, the expected account, an MFA code, the
//! run's budget, policy files to judge with (read by `gather` at the edge)
//! and the request's source IP. Pure.

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

/// The options of one diagnosis.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// `--action SERVICE:ACTION`, repeatable.
    pub actions: Vec<ActionName>,
    /// `--error TEXT`: the error the user saw (never empty).
    pub error: Option<String>,
    /// `--expect-account`.
    pub expect_account: Option<AccountId>,
    /// `--mfa-code`.
    pub mfa_code: Option<MfaCode>,
    /// The whole run's budget.
    pub timeout: Duration,
    /// `--resource ARN`: once for every action, or once per action in order.
    pub resources: Vec<ResourceArn>,
    /// `--policy LAYER=FILE`, read and checked at the edge.
    pub policy_files: Vec<PolicyFile>,
    /// `--source-ip`: the address AWS sees requests come from (`aws:SourceIp`).
    pub source_ip: Option<IpAddr>,
    /// `--role-arn`: in a CI job, the role to assume with the job's token (else `AWS_ROLE_ARN`).
    pub role_arn: Option<String>,
    /// `--audience`: the audience of the job's token (else `sts.amazonaws.com`).
    pub audience: Option<String>,
    /// Whether the IAM reads about a long-term key's user wait until AWS has
    /// accepted the key. `false` (check, the wizard): they start with the
    /// identity check, the fastest answer for one profile. `true` (scan): the
    /// fewest requests over many profiles, since a rejected key would make
    /// three more refused calls.
    pub reads_after_identity: bool,
    /// Whether what concerns other profiles is left to the caller: `true` in
    /// scan, which makes the reads through other profiles about a rejected
    /// key (its account, its owner and status) once for all profiles after
    /// diagnosing each (`scan::findings`), and lists the sections the SDKs
    /// ignore once (`unusable-section`), so a profile's report names only its
    /// own; `false` (check, the wizard): the diagnosis does both, and every
    /// report warns of every ignored section.
    pub other_profiles_later: bool,
}

impl Options {
    /// The resource given for the `index`-th action: the only one given, or
    /// the one at the same position when there is one per action.
    pub fn resource_for(&self, index: usize) -> Option<&ResourceArn> {
        match self.resources.as_slice() {
            [only] => Some(only),
            list if list.len() == self.actions.len() => list.get(index),
            _ => None,
        }
    }

    /// Checks that the resources pair with the actions (one for all, or one each).
    pub fn check_resources(&self) -> Result<(), String> {
        let (resources, actions) = (self.resources.len(), self.actions.len());
        if resources > 1 && resources != actions {
            return Err(format!(
                "{resources} resources for {actions} actions: give one resource for every action, or one per action in order"
            ));
        }
        Ok(())
    }

    /// The policy files given for one layer.
    pub fn policy_files_of(&self, layer: PolicyLayer) -> impl Iterator<Item = &PolicyFile> {
        self.policy_files.iter().filter(move |f| f.layer == layer)
    }
}

/// The longest resource ARN accepted (AWS's own ARNs stay far below).
const MAX_ARN_CHARS: usize = 2048;

/// The ARN of the resource an action is on (`arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResourceArn(String);

impl ResourceArn {
    /// Parses an ARN (surrounding spaces ignored): six colon-separated parts,
    /// a service and a resource, printable ASCII without spaces.
    pub fn parse(text: &str) -> Result<ResourceArn, String> {
        let text = text.trim();
        let parts: Vec<&str> = text.splitn(6, ':').collect();
        let valid = text.len() <= MAX_ARN_CHARS
            && text.bytes().all(|b| b.is_ascii_graphic())
            && matches!(parts.as_slice(), ["arn", partition, service, _, _, resource]
                if !partition.is_empty() && !service.is_empty() && !resource.is_empty());
        if valid {
            Ok(ResourceArn(text.to_string()))
        } else {
            Err(format!(
                "a resource is an ARN, arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE (for example arn:aws:s3:::my-bucket), not `{}`",
                crate::base::sanitize::shown(text, 80)
            ))
        }
    }

    /// Parses a list separated by commas or spaces.
    pub fn parse_list(text: &str) -> Result<Vec<ResourceArn>, String> {
        text.split([',', ' ']).filter(|a| !a.trim().is_empty()).map(ResourceArn::parse).collect()
    }

    /// The ARN.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ResourceArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The policy layer a `--policy` file stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyLayer {
    Identity,
    Boundary,
    Scp,
    Rcp,
    Session,
    Resource,
    /// A role's trust policy (`trust=FILE`): judged against a web identity token.
    Trust,
}

impl PolicyLayer {
    /// Every layer, in the order the option lists them.
    pub const ALL: [PolicyLayer; 7] = [
        PolicyLayer::Identity,
        PolicyLayer::Boundary,
        PolicyLayer::Scp,
        PolicyLayer::Rcp,
        PolicyLayer::Session,
        PolicyLayer::Resource,
        PolicyLayer::Trust,
    ];

    /// The id the option uses (`trust`, `scp`...).
    pub fn id(self) -> &'static str {
        match self {
            PolicyLayer::Trust => "trust",
            other => other.kind().id(),
        }
    }

    /// The evaluator's layer (a trust policy is the role's resource-based policy).
    pub fn kind(self) -> crate::policy::LayerKind {
        use crate::policy::LayerKind;
        match self {
            PolicyLayer::Identity => LayerKind::Identity,
            PolicyLayer::Boundary => LayerKind::Boundary,
            PolicyLayer::Scp => LayerKind::Scp,
            PolicyLayer::Rcp => LayerKind::Rcp,
            PolicyLayer::Session => LayerKind::Session,
            PolicyLayer::Resource | PolicyLayer::Trust => LayerKind::Resource,
        }
    }

    /// Parses a layer id (`identity`, `boundary`, `scp`, `rcp`, `session`, `resource`, `trust`).
    pub fn parse(text: &str) -> Result<PolicyLayer, String> {
        let text = text.trim();
        PolicyLayer::ALL.into_iter().find(|l| l.id().eq_ignore_ascii_case(text)).ok_or_else(|| {
            format!(
                "the layer is one of identity, boundary, scp, rcp, session, resource, trust, not `{}`",
                crate::base::sanitize::shown(text, 40)
            )
        })
    }
}

/// A policy document the user points to (`--policy LAYER=FILE`), read at the
/// edge (`gather::read_policy_file`) and checked to parse.
#[derive(Clone, PartialEq, Eq)]
pub struct PolicyFile {
    pub layer: PolicyLayer,
    /// The file as the user named it.
    pub path: String,
    /// The document's text (at most the evaluator's `MAX_POLICY_BYTES`).
    pub text: String,
}

impl PolicyFile {
    /// Splits `LAYER=FILE` into the layer and the file.
    pub fn parse_spec(spec: &str) -> Result<(PolicyLayer, String), String> {
        let Some((layer, path)) = spec.split_once('=') else {
            return Err(format!(
                "give LAYER=FILE (for example scp=deny-iam.json), not `{}`",
                crate::base::sanitize::shown(spec, 80)
            ));
        };
        let path = path.trim();
        if path.is_empty() {
            return Err("give the file after LAYER=".into());
        }
        Ok((PolicyLayer::parse(layer)?, path.to_string()))
    }

    /// The name decisions call this policy by.
    pub fn name(&self) -> String {
        format!("file {}", self.path)
    }
}

impl fmt::Debug for PolicyFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PolicyFile({}={}, {} bytes)", self.layer.id(), self.path, self.text.len())
    }
}

/// An IAM action, `service:Action`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ActionName(String);

impl ActionName {
    /// Parses `SERVICE:ACTION` (surrounding spaces ignored).
    pub fn parse(text: &str) -> Result<ActionName, String> {
        let text = text.trim();
        let valid = text.split_once(':').is_some_and(|(service, action)| {
            !service.is_empty()
                && !action.is_empty()
                && !action.contains(':')
                && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '-' | '_' | '*' | '?'))
        });
        if valid {
            Ok(ActionName(text.to_string()))
        } else {
            Err(format!("an action is SERVICE:ACTION (for example s3:ListBucket), not `{text}`"))
        }
    }

    /// Parses a list separated by commas or spaces.
    pub fn parse_list(text: &str) -> Result<Vec<ActionName>, String> {
        text.split([',', ' ']).filter(|a| !a.trim().is_empty()).map(ActionName::parse).collect()
    }

    /// The action as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this names the same action (actions are case-insensitive).
    pub fn is(&self, other: &str) -> bool {
        self.0.eq_ignore_ascii_case(other.trim())
    }
}

impl fmt::Display for ActionName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A 12-digit AWS account id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AccountId(String);

impl AccountId {
    /// Parses a 12-digit account id.
    pub fn parse(text: &str) -> Result<AccountId, String> {
        digits(text, 12).map(AccountId).ok_or_else(|| "an AWS account id is 12 digits".to_string())
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A 6-digit one-time MFA code. Serves one call; never logged.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct MfaCode(String);

impl MfaCode {
    /// Parses a 6-digit code.
    pub fn parse(text: &str) -> Result<MfaCode, String> {
        digits(text, 6).map(MfaCode).ok_or_else(|| "an MFA code is the 6 digits your device shows".to_string())
    }

    /// The digits, for the one call that sends them.
    pub fn digits(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for MfaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MfaCode(******)")
    }
}

/// The text, trimmed, when it is exactly `count` ASCII digits.
fn digits(text: &str, count: usize) -> Option<String> {
    let text = text.trim();
    (text.len() == count && text.chars().all(|c| c.is_ascii_digit())).then(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_once_at_the_edge() {
        assert_eq!(ActionName::parse_list("s3:ListBucket, iam:GetUser").map(|l| l.len()), Ok(2));
        assert!(ActionName::parse("s3").is_err());
        assert!(ActionName::parse("s3:a:b").is_err());
        assert!(ActionName::parse("s3:List\u{1b}]0;x").is_err());
        assert!(AccountId::parse("12345678901").is_err());
        assert!(AccountId::parse("abc").is_err());
        assert_eq!(AccountId::parse(" 123456789012 ").map(|a| a.to_string()), Ok("123456789012".into()));
        assert!(MfaCode::parse("12345a").is_err());
        assert_eq!(format!("{:?}", MfaCode::parse("123456")), "Ok(MfaCode(******))");
        assert!(ResourceArn::parse("arn:aws:s3:::reports/q1.csv").is_ok());
        assert!(ResourceArn::parse("arn:aws:s3:::").is_err(), "no resource");
        assert!(ResourceArn::parse("s3://reports").is_err());
        assert!(ResourceArn::parse("arn:aws:s3:::a\u{1b}[2J").is_err());
        assert_eq!(PolicyFile::parse_spec("SCP=deny.json"), Ok((PolicyLayer::Scp, "deny.json".into())));
        assert!(PolicyFile::parse_spec("org=deny.json").is_err());
        assert!(PolicyFile::parse_spec("deny.json").is_err());
    }

    #[test]
    fn resources_pair_with_actions_one_for_all_or_one_each() {
        let arn = |t: &str| ResourceArn::parse(t).expect("arn");
        let actions = ActionName::parse_list("s3:GetObject s3:PutObject").expect("actions");
        let one = Options { actions: actions.clone(), resources: vec![arn("arn:aws:s3:::b/k")], ..Options::default() };
        assert_eq!(one.resource_for(1).map(ResourceArn::as_str), Some("arn:aws:s3:::b/k"));
        let each = Options {
            actions: actions.clone(),
            resources: vec![arn("arn:aws:s3:::b/1"), arn("arn:aws:s3:::b/2")],
            ..Options::default()
        };
        assert_eq!(each.resource_for(1).map(ResourceArn::as_str), Some("arn:aws:s3:::b/2"));
        assert!(each.check_resources().is_ok());
        let three = Options { resources: vec![arn("arn:aws:s3:::b/1"); 3], actions, ..Options::default() };
        assert!(three.check_resources().is_err());
        assert_eq!(three.resource_for(0), None);
    }
}
