//! Renewing an expired session in one flow: a profile that holds a session
//! made from another profile (`<base>-mfa`, or a `source_profile` beside
//! static session keys) is renewed from that base: the user types a code,
//! the checks run on the base with it (GetSessionToken), and the new session
//! is written back to the same target profile, which the wizard then checks
//! again. This file finds the base and holds the flow's state. Pure.

use crate::profile::SdkView;

/// A renewal being asked for or under way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renewal {
    /// The expired profile, which receives the new session.
    pub target: String,
    /// The profile with the long-term keys that the session is made from.
    pub base: String,
    /// The MFA device, when either profile names one.
    pub serial: Option<String>,
    /// The code typed so far.
    pub code: String,
    /// Why the last attempt failed.
    pub error: Option<String>,
}

/// The profile `profile`'s session was made from: its `source_profile` when it
/// holds keys of its own, else the name without `-mfa`; only when that
/// profile exists with an access key.
pub fn base_of(view: &SdkView, profile: &str) -> Option<String> {
    let section = view.profiles.get(profile)?;
    let from_source = section
        .get("source_profile")
        .filter(|_| section.get("aws_access_key_id").is_some())
        .map(str::trim)
        .map(str::to_string);
    let from_name = profile.strip_suffix("-mfa").or_else(|| profile.strip_suffix("_mfa")).map(str::to_string);
    from_source
        .into_iter()
        .chain(from_name)
        .find(|base| base != profile && view.profiles.get(base).is_some_and(|s| s.get("aws_access_key_id").is_some()))
}

/// A renewal of `target`, when it has a base; the serial from the base, else the target.
pub fn offer(view: &SdkView, target: &str) -> Option<Renewal> {
    let base = base_of(view, target)?;
    let serial_of =
        |name: &str| view.profiles.get(name).and_then(|s| s.get("mfa_serial")).map(str::trim).filter(|s| !s.is_empty());
    let serial = serial_of(&base).or_else(|| serial_of(target)).map(str::to_string);
    Some(Renewal { target: target.to_string(), base, serial, code: String::new(), error: None })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Document;

    fn view(credentials: &str, config: &str) -> SdkView {
        SdkView::build(Some(&Document::parse(config)), Some(&Document::parse(credentials)))
    }

    #[test]
    fn the_base_is_the_source_profile_or_the_name_without_mfa() {
        let v = view(
            "[dev]\naws_access_key_id = AKIA1\n[dev-mfa]\naws_access_key_id = ASIA1\n[x]\naws_access_key_id = ASIA2\n",
            "[profile dev]\nmfa_serial = arn:aws:iam::1:mfa/a\n[profile x]\nsource_profile = dev\n",
        );
        assert_eq!(base_of(&v, "dev-mfa").as_deref(), Some("dev"));
        assert_eq!(base_of(&v, "x").as_deref(), Some("dev"));
        assert_eq!(base_of(&v, "dev"), None);
        let renewal = offer(&v, "dev-mfa").expect("offer");
        assert_eq!(renewal.serial.as_deref(), Some("arn:aws:iam::1:mfa/a"));
        let lonely = view("[a-mfa]\naws_access_key_id = ASIA1\n", "");
        assert_eq!(base_of(&lonely, "a-mfa"), None, "no base profile: nothing to renew from");
    }
}
