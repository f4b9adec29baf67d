//! The layers that depend on the action's service: the resource layer
//! (known from a policy file, absent for an action the catalogue says takes
//! no resource, unknown for a service whose resources can carry a
//! resource-based policy credwiz does not read, else absent) and
//! the RCP layer (only for the services RCPs govern). Pure.

use crate::base::sanitize::shown;
use crate::diagnose::input::facts::Facts;
use crate::diagnose::input::options::{PolicyFile, PolicyLayer};
use crate::diagnose::judge::policy_layers::{LayerView, Layers, State, names};
use crate::policy::{Layer, LayerKind, OrgLevel, Policy, catalogue};

/// Services whose resources can carry a resource-based policy (the common
/// ones of the IAM User Guide's "AWS services that work with IAM"; `sts`
/// for a role's trust policy). Elsewhere the resource layer is absent.
const RESOURCE_POLICY_SERVICES: &[&str] = &[
    "s3",
    "s3express",
    "s3-object-lambda",
    "kms",
    "sqs",
    "sns",
    "lambda",
    "secretsmanager",
    "ecr",
    "glacier",
    "backup",
    "events",
    "logs",
    "es",
    "aoss",
    "glue",
    "execute-api",
    "elasticfilesystem",
    "codeartifact",
    "dynamodb",
    "kinesis",
    "acm-pca",
    "ses",
    "serverlessrepo",
    "signer",
    "sts",
    "iot",
    "lex",
    "mediastore",
    "ssm-incidents",
    "ssm-contacts",
    "vpc-lattice",
    "schemas",
];

/// Services whose actions RCPs govern (AWS Organizations User Guide, "List
/// of AWS services that support RCPs": the five of the launch and those
/// added since; one too many only leaves a verdict undetermined). For any
/// other service the RCP layer does not apply.
const RCP_SERVICES: &[&str] = &[
    "s3",
    "s3express",
    "sts",
    "kms",
    "sqs",
    "secretsmanager",
    "ecr",
    "aoss",
    "cognito-idp",
    "cognito-identity",
    "logs",
    "dynamodb",
];

/// The service of an action, lowercase.
fn service_of(action: &str) -> String {
    action.split_once(':').map_or(action, |(service, _)| service).to_ascii_lowercase()
}

/// The RCP layer for `action`: as assembled for a service RCPs govern, else absent (with why, when that matters).
pub fn rcp_layer(layers: &Layers, action: &str) -> (Layer<Vec<OrgLevel>>, Option<LayerView>) {
    let service = service_of(action);
    match &layers.set.rcps {
        Layer::Absent => (Layer::Absent, None),
        _ if !RCP_SERVICES.contains(&service.as_str()) => (
            Layer::Absent,
            Some(LayerView {
                layer: LayerKind::Rcp,
                state: State::Absent,
                detail: format!("RCPs do not govern {} actions", shown(&service, 40)),
            }),
        ),
        rcps => (rcps.clone(), None),
    }
}

/// The resource layer for `action`: the files given, else unknown for a
/// service whose resources can carry a resource-based policy, else absent.
pub fn resource_layer(facts: &Facts, action: &str) -> (Layer<Vec<Policy>>, LayerView) {
    let files: Vec<&PolicyFile> = facts.options.policy_files_of(PolicyLayer::Resource).collect();
    let view = |state, detail: String| LayerView { layer: LayerKind::Resource, state, detail };
    if !files.is_empty() {
        let detail = format!("the files {}", names(files.iter().map(|f| f.path.as_str())));
        return (
            Layer::Known(crate::diagnose::judge::policy_layers::file_policies(files.into_iter())),
            view(State::Known, detail),
        );
    }
    let service = service_of(action);
    if let Some(known) = catalogue::action(action).filter(|k| !k.takes_resource()) {
        let detail = format!("{} takes no resource, so no resource-based policy applies", known.name());
        return (Layer::Absent, view(State::Absent, detail));
    }
    if RESOURCE_POLICY_SERVICES.contains(&service.as_str()) {
        let detail = format!(
            "{} resources can carry a resource-based policy, which credwiz does not read (give it as a policy file of the resource layer)",
            shown(&service, 40)
        );
        (Layer::Unknown, view(State::Unknown, detail))
    } else {
        (Layer::Absent, view(State::Absent, format!("{} has no resource-based policies", shown(&service, 40))))
    }
}
