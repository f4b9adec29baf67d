//! The IAM & SCP step's policy reads against a real emulator (moto, with
//! auth enforcement on): a user's inline, attached (default version) and
//! group policies and tags, a role's policies and boundary (moto drops a
//! user's boundary, so the user case is in `iam_local_verdict`), the
//! `GetAccountAuthorizationDetails` fallback, `--policy` files, and that a
//! run without an action reads no policy at all. Each test names the cause
//! it expects and the statement the evidence must name; the wizard agrees.

mod support;

use serde_json::{Value, json};
use std::sync::OnceLock;
use support::{Moto, check_json, home, primary};

struct World {
    moto: Moto,
    /// Inline, attached and group policies, a tag.
    dana: (String, String),
    /// May only read the account's authorization details.
    gail: (String, String),
}

fn doc(statements: Value) -> String {
    json!({"Version": "2012-10-17", "Statement": statements}).to_string()
}

fn seed(moto: &Moto) -> ((String, String), (String, String)) {
    let iam = moto.iam();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let reads = doc(json!([
            {"Sid": "SelfRead", "Effect": "Allow", "Resource": "*",
             "Action": ["iam:Get*", "iam:List*", "organizations:Describe*", "sts:GetCallerIdentity", "sts:AssumeRole"]},
            {"Sid": "NoListingUsers", "Effect": "Deny", "Action": "iam:ListUsers", "Resource": "*"},
            {"Sid": "TeamTagging", "Effect": "Allow", "Action": "iam:TagUser", "Resource": "*",
             "Condition": {"StringEquals": {"aws:PrincipalTag/team": "blue"}}}
        ]));
        iam.create_user().user_name("dana").send().await.expect("dana");
        iam.put_user_policy().user_name("dana").policy_name("reads").policy_document(reads).send().await.expect("reads");
        iam.tag_user()
            .user_name("dana")
            .tags(aws_sdk_iam::types::Tag::builder().key("team").value("blue").build().expect("tag"))
            .send()
            .await
            .expect("tag");
        let v1 = doc(json!([{"Sid": "GroupsV1", "Effect": "Allow", "Action": "iam:CreateRole", "Resource": "*"}]));
        let extra = iam.create_policy().policy_name("ExtraWrites").policy_document(v1).send().await.expect("policy");
        let extra = extra.policy().and_then(|p| p.arn()).expect("arn").to_string();
        let v2 = doc(json!([{"Sid": "PoliciesV2", "Effect": "Allow", "Action": "iam:CreatePolicy", "Resource": "*"}]));
        iam.create_policy_version().policy_arn(&extra).policy_document(v2).set_as_default(true).send().await.expect("v2");
        iam.attach_user_policy().user_name("dana").policy_arn(&extra).send().await.expect("attach");
        iam.create_group().group_name("devs").send().await.expect("group");
        let group = doc(json!([{"Sid": "GroupCreates", "Effect": "Allow", "Action": "iam:CreateGroup", "Resource": "*"}]));
        iam.put_group_policy().group_name("devs").policy_name("group-writes").policy_document(group).send().await.expect("gp");
        iam.add_user_to_group().group_name("devs").user_name("dana").send().await.expect("member");

        // A role dana may assume, with a boundary narrower than its own policy.
        let boundary = doc(json!([{"Sid": "ListOnly", "Effect": "Allow", "Action": ["iam:List*", "iam:Get*", "organizations:Describe*", "sts:GetCallerIdentity"], "Resource": "*"}]));
        let boundary = iam.create_policy().policy_name("DeployBoundary").policy_document(boundary).send().await.expect("b");
        let boundary = boundary.policy().and_then(|p| p.arn()).expect("arn").to_string();
        let trust = doc(json!([{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:user/dana"}, "Action": "sts:AssumeRole"}]));
        iam.create_role()
            .role_name("deploy")
            .path("/team/")
            .assume_role_policy_document(trust)
            .permissions_boundary(&boundary)
            .send()
            .await
            .expect("role");
        let admin = doc(json!([{"Sid": "Everything", "Effect": "Allow", "Action": "*", "Resource": "*"}]));
        iam.put_role_policy().role_name("deploy").policy_name("deploy-admin").policy_document(admin).send().await.expect("rp");

        let details = doc(json!([{"Sid": "AuditOnly", "Effect": "Allow", "Resource": "*",
            "Action": ["iam:GetAccountAuthorizationDetails", "iam:GetPolicy", "iam:GetPolicyVersion", "organizations:DescribeOrganization", "sts:GetCallerIdentity"]}]));
        iam.create_user().user_name("gail").send().await.expect("gail");
        iam.put_user_policy().user_name("gail").policy_name("audit").policy_document(details).send().await.expect("audit");

        let mut keys = Vec::new();
        for user in ["dana", "gail"] {
            let key = iam.create_access_key().user_name(user).send().await.expect("key");
            let key = key.access_key().expect("key");
            keys.push((key.access_key_id().to_string(), key.secret_access_key().to_string()));
        }
        (keys.remove(0), keys.remove(0))
    })
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let moto = Moto::start();
        let (dana, gail) = seed(&moto);
        moto.enforce_auth();
        World { moto, dana, gail }
    })
}

fn creds((id, secret): &(String, String)) -> String {
    format!("[default]\naws_access_key_id = {id}\naws_secret_access_key = {secret}\n")
}

const REGION: &str = "[default]\nregion = us-east-1\n";

/// Runs `check --json`, asserts the primary cause and that the wizard agrees; returns the report and the log.
fn expect(credentials: &str, config: &str, args: &[&str], cause: &str) -> (Value, String) {
    let w = world();
    let dir = home(Some(credentials), Some(config));
    let (report, out) = check_json(dir.path(), &w.moto.endpoint(), &[], args);
    assert_eq!(primary(&report), cause, "report: {}", serde_json::to_string_pretty(&report).unwrap_or_default());
    support::contract::wizard_agrees(dir.path(), &w.moto.endpoint(), &[], args, &report);
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&w.dana.1), "a secret leaked into the output");
    let log = std::fs::read_to_string(dir.path().join("logs/credwiz.log")).unwrap_or_default();
    (report, log)
}

/// The evidence of the IAM & SCP check whose summary names `what`, as one string.
fn evidence(report: &Value, what: &str) -> String {
    report["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["checks"].as_array().into_iter().flatten())
        .filter(|c| c["summary"].as_str().is_some_and(|s| s.contains(what)))
        .map(|c| format!("{} [{}] {}\n{}", c["status"], c["cause"], c["summary"], c["evidence"]))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_users_own_groups_and_attached_policies_name_the_deciding_statements() {
    let actions = [
        "--action",
        "iam:ListUsers",
        "--action",
        "iam:CreatePolicy",
        "--action",
        "iam:CreateGroup",
        "--action",
        "iam:TagUser",
        "--action",
        "iam:CreateRole",
    ];
    // Causes come in table order: the implicit deny of iam:CreateRole first, the explicit deny too.
    let (report, _) = expect(&creds(&world().dana), REGION, &actions, "no-identity-allow");
    assert!(report["causes"].as_array().is_some_and(|c| c.iter().any(|c| c["cause"] == "explicit-deny-identity")));
    // moto's message names no policy type: the local verdict names the Deny.
    let denied = evidence(&report, "iam:ListUsers");
    assert!(
        denied.contains("identity-based policy `reads (inline, user dana)` statement `NoListingUsers`"),
        "{denied}"
    );
    // The attached policy is read at its default version (v2), not its first.
    let attached = evidence(&report, "iam:CreatePolicy");
    assert!(attached.contains("allowed by identity-based policy `ExtraWrites` statement `PoliciesV2`"), "{attached}");
    let v1 = evidence(&report, "iam:CreateRole");
    assert!(v1.contains("denied: no statement allows it in the identity-based policies"), "{v1}");
    let group = evidence(&report, "iam:CreateGroup");
    assert!(
        group.contains("allowed by identity-based policy `group-writes (inline, group devs)` statement `GroupCreates`"),
        "{group}"
    );
    // The user's tags are read: a condition on aws:PrincipalTag/team is decided.
    let tagged = evidence(&report, "iam:TagUser");
    assert!(
        tagged.contains("allowed by identity-based policy `reads (inline, user dana)` statement `TeamTagging`"),
        "{tagged}"
    );
    let layers = evidence(&report, "layers");
    assert!(layers.contains("layer scp: absent: the account belongs to no organisation"), "{layers}");
    assert!(layers.contains("layer boundary: absent: no permissions boundary is set"), "{layers}");
}

#[test]
fn a_role_session_is_judged_with_its_roles_policies_and_boundary() {
    let (id, secret) = &world().dana;
    let credentials = format!("[dana]\naws_access_key_id = {id}\naws_secret_access_key = {secret}\n");
    let config = "[profile deploy]\nregion = us-east-1\nrole_arn = arn:aws:iam::123456789012:role/team/deploy\nsource_profile = dana\n";
    let (report, _) =
        expect(&credentials, config, &["--profile", "deploy", "--action", "iam:CreateGroup"], "permissions-boundary");
    let said = evidence(&report, "iam:CreateGroup");
    assert!(said.contains("denied: no statement allows it in the permissions boundary"), "{said}");
    assert!(
        said.contains("without the permissions boundary: allowed by identity-based policy `deploy-admin (inline, role deploy)` statement `Everything`"),
        "{said}"
    );
    let layers = evidence(&report, "layers");
    assert!(layers.contains("layer boundary: known: `DeployBoundary`"), "{layers}");
    assert!(layers.contains("layer session: absent: the SDK's own AssumeRole"), "{layers}");
}

#[test]
fn denied_reads_one_by_one_fall_back_to_the_accounts_authorization_details() {
    let (report, _) = expect(&creds(&world().gail), REGION, &["--action", "iam:ListUsers"], "no-identity-allow");
    let layers = evidence(&report, "layers");
    assert!(
        layers.contains("layer identity: known: `audit (inline, user gail)` (iam:GetAccountAuthorizationDetails)"),
        "{layers}"
    );
    let said = evidence(&report, "iam:ListUsers");
    assert!(said.contains("local evaluation: denied: no statement allows it in the identity-based policies"), "{said}");
}

#[test]
fn policies_are_read_only_when_an_action_is_judged() {
    let (report, log) = expect(&creds(&world().dana), REGION, &[], "");
    assert!(evidence(&report, "layers").is_empty(), "no policy layers without an action");
    assert!(!log.contains("the policies of") && !log.contains("SCPs and RCPs"), "no policy read was sent: {log}");
    let (_, log) = expect(&creds(&world().dana), REGION, &["--action", "iam:ListRoles"], "");
    assert!(log.contains("the policies of user dana") && log.contains("the organisation's SCPs and RCPs"), "{log}");
}

#[test]
fn a_policy_file_is_judged_and_aws_answer_still_decides() {
    let dir = tempfile::tempdir().expect("dir");
    let scp = dir.path().join("deny-roles.json");
    std::fs::write(
        &scp,
        doc(json!([{"Sid": "NoRoleListing", "Effect": "Deny", "Action": "iam:ListRoles", "Resource": "*"}])),
    )
    .expect("scp");
    let policy = format!("scp={}", scp.display());
    let (report, _) = expect(&creds(&world().dana), REGION, &["--action", "iam:ListRoles", "--policy", &policy], "");
    let said = evidence(&report, "iam:ListRoles");
    assert!(said.contains("AWS's answer decides: AWS allowed the call, while the local evaluation says denied by the explicit Deny in SCP"), "{said}");
    assert!(said.contains("statement `NoRoleListing`"), "{said}");
    assert!(evidence(&report, "layers").contains("AWS attaches FullAWSAccess"));
}

#[test]
fn policy_files_that_cannot_be_used_stop_the_run_with_the_reason() {
    let w = world();
    let dir = home(Some(&creds(&w.dana)), Some(REGION));
    let run = |policy: &str| {
        let out = support::credwiz(
            dir.path(),
            &w.moto.endpoint(),
            &[],
            &["check", "--action", "iam:ListRoles", "--policy", policy],
        );
        (out.status.code(), String::from_utf8_lossy(&out.stderr).to_string())
    };
    let missing = dir.path().join("none.json");
    let (code, said) = run(&format!("scp={}", missing.display()));
    assert_eq!(code, Some(2));
    assert!(said.contains("none.json") && said.contains("no such file"), "{said}");
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, r#"{"Statement": [{"Sid": "Bad", "Effect": "Maybe", "Action": "*", "Resource": "*"}]}"#)
        .expect("w");
    let (code, said) = run(&format!("identity={}", broken.display()));
    assert_eq!(code, Some(2));
    assert!(said.contains("statement `Bad`") && said.contains("Effect"), "{said}");
    let resource = dir.path().join("bucket.json");
    std::fs::write(&resource, doc(json!([{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]))).expect("w");
    let (code, said) = run(&format!("resource={}", resource.display()));
    assert_eq!(code, Some(2), "a resource-based policy names a Principal: {said}");
    let (code, said) = run("org=x.json");
    assert_eq!(code, Some(2));
    assert!(said.contains("identity, boundary, scp, rcp, session, resource"), "{said}");
}
