//! The manual pages: credwiz(1) and credwiz-check(1), credwiz-scan(1),
//! credwiz-set(1), rendered as roff from the clap definition (name,
//! synopsis, description, options) plus the sections clap does not know:
//! the wizard's keys, EXAMPLES, ENVIRONMENT (every variable credwiz reads),
//! FILES, EXIT STATUS and SEE ALSO. Pure: returns the text.

use super::{Cli, EXAMPLES, EXIT_STATUS};
use clap::{CommandFactory, ValueEnum};
use roff::{Roff, bold, italic, roman};

/// The page of one command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Page {
    /// credwiz-check(1).
    Check,
    /// credwiz-scan(1).
    Scan,
    /// credwiz-set(1).
    Set,
}

impl Page {
    /// The subcommand's name.
    pub fn command(self) -> &'static str {
        match self {
            Page::Check => "check",
            Page::Scan => "scan",
            Page::Set => "set",
        }
    }

    /// The page's name (`credwiz-check`), and how it is typed (`credwiz check`).
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Page::Check => ("credwiz-check", "credwiz check"),
            Page::Scan => ("credwiz-scan", "credwiz scan"),
            Page::Set => ("credwiz-set", "credwiz set"),
        }
    }
}

/// Every page: `None` is credwiz(1). File names: `credwiz.1`, `credwiz-check.1`...
pub const PAGES: [Option<Page>; 4] = [None, Some(Page::Check), Some(Page::Scan), Some(Page::Set)];

/// The file name of a page (`credwiz-check.1`).
pub fn file_name(page: Option<Page>) -> String {
    match page {
        None => "credwiz.1".into(),
        Some(p) => format!("credwiz-{}.1", p.command()),
    }
}

/// `check`'s description (its `--help` and credwiz-check(1)).
pub const CHECK_ABOUT: &str = "\
Runs the wizard's diagnosis without a terminal and prints it: each of the five steps
(credentials, expiry & clock, MFA, account & region, IAM & SCP) with its checks, the primary
cause with its fix and guide, then the other findings. --json prints the same report as JSON
(schema 1) for scripts. With --mfa-code it also gets an MFA session, and --write-session
writes that session to a profile.";

/// `scan`'s description.
pub const SCAN_ABOUT: &str = "\
Checks every profile of ~/.aws/credentials and ~/.aws/config at once, and the keys in the
environment as `(env)`: one line per profile with its status, source, account, identity,
region, expiry countdown, primary cause and fix, then what only shows across profiles (the
same key in several profiles, a key IAM lists as inactive, SSO sessions shared or expired).
The active profile (AWS_PROFILE, else default) is the one the environment's keys shadow.";

/// `set`'s description.
pub const SET_ABOUT: &str = "\
Sets one key in ~/.aws/credentials or ~/.aws/config in place, like `aws configure set`:
secrets go to the credentials file, the rest to the config file; comments, order and
spacing are kept, a backup of the file is made, and the write cannot lose a concurrent one.
Refuses names and values the AWS SDKs would read differently.";

/// Every environment variable credwiz reads, and what it does with it.
pub const ENVIRONMENT: &[(&str, &str)] = &[
    ("AWS_PROFILE, AWS_DEFAULT_PROFILE", "The active profile when --profile is not given (else default)."),
    (
        "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_SECURITY_TOKEN, AWS_CREDENTIAL_EXPIRATION, AWS_ACCOUNT_ID",
        "Keys in the environment: they shadow the profile's, and are diagnosed as such. Their values are never printed.",
    ),
    (
        "AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE",
        "Where the credentials and config files are (default ~/.aws/credentials and ~/.aws/config).",
    ),
    ("AWS_REGION, AWS_DEFAULT_REGION", "The region, when the profile sets none."),
    (
        "AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_STS, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS, AWS_USE_FIPS_ENDPOINT, AWS_USE_DUALSTACK_ENDPOINT",
        "The endpoints the checks are sent to, as the AWS SDKs read them.",
    ),
    (
        "AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_SESSION_NAME",
        "Web identity (OIDC) credentials, as on EKS or in CI.",
    ),
    (
        "GITHUB_ACTIONS, ACTIONS_ID_TOKEN_REQUEST_URL, ACTIONS_ID_TOKEN_REQUEST_TOKEN",
        "In a GitHub Actions job: the job's OIDC token endpoint and its request token (set by `permissions: id-token: write`); \
         check asks it for a token and tries the role as configure-aws-credentials does. The tokens are never printed.",
    ),
    ("GITLAB_CI", "In a GitLab CI job: its `id_tokens` variables are looked for."),
    ("SUDO_USER", "Under sudo: the invoking user, whose home (from the password database) may hold the profile."),
    (
        "AWS_CONTAINER_CREDENTIALS_FULL_URI, AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, AWS_CONTAINER_AUTHORIZATION_TOKEN, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
        "The container credentials endpoint (ECS, EKS Pod Identity).",
    ),
    (
        "AWS_EC2_METADATA_DISABLED, AWS_EC2_METADATA_SERVICE_ENDPOINT, AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
        "The instance metadata service (IMDS) and whether to ask it.",
    ),
    ("AWS_LOGIN_CACHE_DIRECTORY", "The cache of `aws login` sessions (default ~/.aws/login/cache)."),
    ("AWS_CA_BUNDLE", "A PEM file of extra certificate authorities to trust, as the AWS CLI reads it."),
    ("SSL_CERT_FILE, SSL_CERT_DIR", "Where the system's certificate authorities are, for the TLS checks."),
    (
        "HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY (and their lower-case forms)",
        "The proxy the requests go through, and the hosts that bypass it; the network check tests that path.",
    ),
    (
        "AWS_*_SECRET, AWS_*_TOKEN",
        "Any such variable's value is treated as a secret: masked wherever it would be printed or logged.",
    ),
    ("HOME", "Where ~/.aws is."),
    ("PATH", "Where a credential_process program and the AWS CLI (for `aws sso login`) are found."),
    ("NO_COLOR", "When set, no colours (as --no-color)."),
    ("COLUMNS", "The width scan fits its table to when stdout is not a terminal."),
    (
        "CREDWIZ_LOG",
        "The level of credwiz's log (error, warn, info, debug, trace) or target=level directives (warn,credwiz::scan=debug); default info. \
         The AWS SDK and HTTP crates stay at info or above whatever it says, as their debug output holds secrets.",
    ),
    ("CREDWIZ_LOG_DIR", "The directory of credwiz.log (default $XDG_STATE_HOME/credwiz or ~/.local/state/credwiz)."),
];

/// The files credwiz reads and writes.
pub const FILES: &[(&str, &str)] = &[
    (
        "~/.aws/credentials",
        "The shared credentials file (AWS_SHARED_CREDENTIALS_FILE): read; written by a save in the wizard, by set, \
         and by check --write-session.",
    ),
    ("~/.aws/config", "The shared config file (AWS_CONFIG_FILE): read, and written as the credentials file is."),
    (
        "FILE.credwiz-backup-TIME",
        "The file as it was before a write, beside it, readable by its owner only; the newest 10 of each file are kept.",
    ),
    ("~/.aws/sso/cache/", "The SSO tokens of `aws sso login`: read to check the SSO session, never written."),
    ("~/.aws/login/cache/", "The sessions of `aws login` (AWS_LOGIN_CACHE_DIRECTORY): read."),
    ("~/.local/state/credwiz/credwiz.log", "credwiz's log (CREDWIZ_LOG_DIR), secrets masked."),
];

/// A page's roff text; `keys`: the wizard's key table, shown in credwiz(1).
pub fn render(page: Option<Page>, keys: &str) -> std::io::Result<Vec<u8>> {
    let top = Cli::command();
    let (cmd, title) = match page {
        None => (top.clone(), "credwiz".to_string()),
        Some(p) => {
            let sub = top
                .find_subcommand(p.command())
                .cloned()
                .ok_or_else(|| std::io::Error::other(format!("no command {}", p.command())))?;
            let (name, typed) = p.names();
            (sub.name(name).bin_name(typed), name.to_string())
        }
    };
    let man =
        clap_mangen::Man::new(cmd).title(title).source(format!("credwiz {}", super::VERSION)).manual("credwiz manual");
    let mut pieces: Vec<Vec<u8>> = Vec::new();
    let mut piece = |render: &dyn Fn(&mut Vec<u8>) -> std::io::Result<()>| {
        let mut out = Vec::new();
        render(&mut out).map(|()| pieces.push(out))
    };
    piece(&|out| man.render_title(out))?;
    piece(&|out| man.render_name_section(out))?;
    piece(&|out| man.render_synopsis_section(out))?;
    piece(&|out| man.render_description_section(out))?;
    piece(&|out| man.render_options_section(out))?;
    if page.is_none() {
        piece(&|out| man.render_subcommands_section(out))?;
    }
    piece(&|out| {
        out.extend(sections(page, keys).to_roff().into_bytes());
        Ok(())
    })?;
    if page.is_none() {
        piece(&|out| man.render_version_section(out))?;
    }
    Ok(join(pieces))
}

/// The pieces as one page: each clap_mangen piece starts with the same
/// two-line preamble (the apostrophe string), needed once, at the top.
fn join(pieces: Vec<Vec<u8>>) -> Vec<u8> {
    let mut page = String::new();
    let mut seen = std::collections::HashSet::new();
    for piece in pieces {
        for line in String::from_utf8_lossy(&piece).lines() {
            let preamble = line.starts_with(".ie \\n(.g") || line.starts_with(".el .ds Aq");
            if !preamble || seen.insert(line.to_string()) {
                page.push_str(line);
                page.push('\n');
            }
        }
    }
    page.into_bytes()
}

/// The sections clap does not write.
fn sections(page: Option<Page>, keys: &str) -> Roff {
    let mut roff = Roff::new();
    if page.is_none() {
        roff.control("SH", ["KEYS"]);
        roff.text([roman("The keys of the wizard (? inside it shows them all, with what the symbols mean):")]);
        preformatted(&mut roff, keys);
    }
    let name = match page {
        None => "credwiz".to_string(),
        Some(p) => format!("credwiz {}", p.command()),
    };
    roff.control("SH", ["EXAMPLES"]);
    for (cmd, what) in EXAMPLES.iter().filter(|(cmd, _)| example_of(cmd, page)) {
        roff.control("TP", []).text([bold(*cmd)]).text([roman(*what)]);
    }
    roff.control("SH", ["ENVIRONMENT"]);
    definitions(&mut roff, ENVIRONMENT);
    roff.control("SH", ["FILES"]);
    definitions(&mut roff, FILES);
    roff.control("SH", ["EXIT STATUS"]);
    for (cmd, what) in EXIT_STATUS.iter().filter(|(cmd, _)| *cmd == name || page.is_none()) {
        roff.control("TP", []).text([bold(*cmd)]).text([roman(*what)]);
    }
    roff.control("SH", ["SEE ALSO"]);
    let others: Vec<String> =
        PAGES.iter().filter(|p| **p != page).map(|p| file_name(*p).trim_end_matches(".1").to_string()).collect();
    let mut refs = Vec::new();
    for other in &others {
        refs.push(bold(other.as_str()));
        refs.push(roman("(1), "));
    }
    refs.push(bold("aws"));
    refs.push(roman("(1), "));
    refs.push(italic("https://github.com/credwiz/credwiz"));
    roff.text(refs);
    roff
}

/// Whether an example belongs on a page: credwiz(1) shows them all.
fn example_of(cmd: &str, page: Option<Page>) -> bool {
    match page {
        None => true,
        Some(p) => cmd.starts_with(&format!("credwiz {}", p.command())),
    }
}

/// A term-and-text list (`.TP`).
fn definitions(roff: &mut Roff, items: &[(&str, &str)]) {
    for (term, text) in items {
        roff.control("TP", []).text([bold(*term)]).text([roman(*text)]);
    }
}

/// Text kept as it is laid out (no fill), one roff line per line.
fn preformatted(roff: &mut Roff, text: &str) {
    roff.control("PP", []).control("nf", []);
    for line in text.lines() {
        roff.text([roman(line)]);
    }
    roff.control("fi", []);
}
