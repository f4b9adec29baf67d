//! Where a workload's credentials come from, named for the evidence: a
//! GitHub Actions job, a GitLab CI job, an EKS pod through IRSA or through
//! Pod Identity, an ECS task; read from the token's issuer, the token
//! file's path and the environment. Also GitHub's `sub` formats read back
//! (environment, pull request, branch or tag) so that a trust condition
//! written for one kind of job can be explained against the job that runs.
//! Pure.

use crate::base::environment::Environment;

/// The kind of workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    GithubActions,
    GitlabCi,
    EksIrsa,
    EksPodIdentity,
    EcsTask,
}

impl Workload {
    /// A sentence for the evidence.
    pub fn describe(self) -> &'static str {
        match self {
            Workload::GithubActions => "a GitHub Actions job (OpenID Connect token from the job's token endpoint)",
            Workload::GitlabCi => "a GitLab CI job (an id_tokens token)",
            Workload::EksIrsa => {
                "an EKS pod using IRSA (IAM roles for service accounts: AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE)"
            }
            Workload::EksPodIdentity => {
                "an EKS pod using EKS Pod Identity (the agent at 169.254.170.23, token from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE)"
            }
            Workload::EcsTask => "an ECS task role (the agent at 169.254.170.2)",
        }
    }
}

/// The workload a web identity token belongs to, from its issuer and file.
pub fn of_web_identity(issuer: Option<&str>, token_file: Option<&str>, env: &Environment) -> Option<Workload> {
    let issuer = issuer.unwrap_or_default().to_ascii_lowercase();
    if issuer.contains("token.actions.githubusercontent.com") || issuer.ends_with("/_services/token") {
        return Some(Workload::GithubActions);
    }
    if issuer.contains("://oidc.eks.") || token_file.is_some_and(|f| f.contains("eks.amazonaws.com/serviceaccount")) {
        return Some(Workload::EksIrsa);
    }
    if env.get("GITLAB_CI").is_some() || issuer.contains("gitlab") {
        return Some(Workload::GitlabCi);
    }
    if env.get("GITHUB_ACTIONS") == Some("true") {
        return Some(Workload::GithubActions);
    }
    None
}

/// The workload a container credentials endpoint belongs to, from its host and token file.
pub fn of_container(host: &str, token_file: Option<&str>) -> Option<Workload> {
    match host {
        "169.254.170.23" | "fd00:ec2::23" => Some(Workload::EksPodIdentity),
        "169.254.170.2" => Some(Workload::EcsTask),
        _ if token_file.is_some_and(|f| f.contains("pods.eks.amazonaws.com")) => Some(Workload::EksPodIdentity),
        _ => None,
    }
}

/// When both IRSA and Pod Identity variables are set: which one the SDKs use.
pub fn both_note(env: &Environment) -> Option<&'static str> {
    let irsa = env.get("AWS_WEB_IDENTITY_TOKEN_FILE").is_some() && env.get("AWS_ROLE_ARN").is_some();
    let pod = env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI").is_some();
    (irsa && pod).then_some(
        "both IRSA (AWS_WEB_IDENTITY_TOKEN_FILE) and a container endpoint are set: the SDKs try web identity first, so IRSA wins",
    )
}

/// A GitHub Actions `sub`, read back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject<'a> {
    Environment {
        repo: &'a str,
        name: &'a str,
    },
    PullRequest {
        repo: &'a str,
    },
    Branch {
        repo: &'a str,
        name: &'a str,
    },
    Tag {
        repo: &'a str,
        name: &'a str,
    },
    /// Any other shape (a customised subject template, another issuer).
    Other,
}

/// Reads a `sub` as GitHub writes it (`repo:O/R:environment:E`...).
pub fn github_subject(sub: &str) -> Subject<'_> {
    let Some(rest) = sub.strip_prefix("repo:") else { return Subject::Other };
    let Some((repo, what)) = rest.split_once(':') else { return Subject::Other };
    if let Some(name) = what.strip_prefix("environment:") {
        Subject::Environment { repo, name }
    } else if what == "pull_request" {
        Subject::PullRequest { repo }
    } else if let Some(name) = what.strip_prefix("ref:refs/heads/") {
        Subject::Branch { repo, name }
    } else if let Some(name) = what.strip_prefix("ref:refs/tags/") {
        Subject::Tag { repo, name }
    } else {
        Subject::Other
    }
}

fn kind(subject: Subject<'_>) -> Option<String> {
    Some(match subject {
        Subject::Environment { name, .. } => format!("jobs in the environment `{name}`"),
        Subject::PullRequest { .. } => "pull_request events".into(),
        Subject::Branch { name, .. } => format!("jobs on the branch `{name}` without an environment"),
        Subject::Tag { name, .. } => format!("jobs on the tag `{name}` without an environment"),
        Subject::Other => return None,
    })
}

fn repo(subject: Subject<'_>) -> Option<&str> {
    match subject {
        Subject::Environment { repo, .. }
        | Subject::PullRequest { repo }
        | Subject::Branch { repo, .. }
        | Subject::Tag { repo, .. } => Some(repo),
        Subject::Other => None,
    }
}

/// Why a GitHub `sub` pattern of a trust condition does not match the
/// job's `sub`, in GitHub's terms; `None` when neither reads as GitHub's.
pub fn explain_github(wanted: &str, actual: &str) -> Option<String> {
    let (want, have) = (github_subject(wanted), github_subject(actual));
    let have_kind = kind(have)?;
    if let (Some(w), Some(h)) = (repo(want), repo(have))
        && w != h
        && !w.contains(['*', '?'])
    {
        return Some(if w.eq_ignore_ascii_case(h) {
            format!(
                "the repository differs only in case ({w} against the job's {h}): StringEquals and StringLike compare case-sensitively"
            )
        } else {
            format!("the condition names the repository {w}, the job runs in {h}")
        });
    }
    let want_kind = kind(want)?;
    let mut line = format!("the condition is written for {want_kind}; this job is one of {have_kind}");
    if matches!(have, Subject::Environment { .. }) && !matches!(want, Subject::Environment { .. }) {
        line.push_str(": a job with `environment:` always gets repo:OWNER/REPO:environment:NAME as its subject, whatever its branch");
    }
    if matches!(have, Subject::PullRequest { .. }) {
        line.push_str(": pull requests get repo:OWNER/REPO:pull_request, never a branch");
    }
    Some(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_read_as_github_writes_them() {
        assert_eq!(github_subject("repo:o/r:environment:prod"), Subject::Environment { repo: "o/r", name: "prod" });
        assert_eq!(github_subject("repo:o/r:pull_request"), Subject::PullRequest { repo: "o/r" });
        assert_eq!(github_subject("repo:o/r:ref:refs/heads/main"), Subject::Branch { repo: "o/r", name: "main" });
        assert_eq!(github_subject("repo:o/r:ref:refs/tags/v1"), Subject::Tag { repo: "o/r", name: "v1" });
        assert_eq!(github_subject("system:serviceaccount:default:app"), Subject::Other);
    }

    #[test]
    fn an_environment_job_against_a_branch_condition_is_explained() {
        let line = explain_github("repo:o/r:ref:refs/heads/main", "repo:o/r:environment:prod").expect("explained");
        assert!(line.contains("environment `prod`") && line.contains("branch `main`"), "{line}");
        let case =
            explain_github("repo:Acme/api:ref:refs/heads/main", "repo:acme/api:ref:refs/heads/main").expect("case");
        assert!(case.contains("only in case"), "{case}");
    }
}
