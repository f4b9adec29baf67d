//! The `tls-untrusted` fix's check: before the wizard writes `ca_bundle` into
//! a profile, the PEM file the user names is read (bounded, regular files
//! only), checked the way the SDK loads it (a bad block would stop the SDK),
//! and the path is probed again with it; the answer says whether the
//! handshake now verifies. IO: one bounded file read and one probe.

use super::stage::{StageKind, StageStatus};
use super::text::clean;
use super::tls::bundle_certificates;
use super::{CaBundle, PathReport, ProbeInput, probe};
use crate::base::bounded::{ReadError, read_regular};
use std::path::Path;

/// The most a CA bundle file may weigh (the Mozilla bundle is about 220 KB).
const BUNDLE_LIMIT: u64 = 4 * 1024 * 1024;

/// Whether a PEM file makes the handshake verify.
#[derive(Debug, Clone, PartialEq)]
pub enum BundleCheck {
    /// The handshake verifies with it: safe to save.
    Verifies { certificates: usize, report: PathReport },
    /// It was used, and the chain still does not verify (the report's TLS stage says why).
    StillUntrusted { certificates: usize, report: PathReport },
    /// The probe failed before the handshake (DNS, proxy, connection): nothing learned about the bundle.
    Undecided { report: PathReport },
    /// The file cannot be used; nothing was probed.
    Unusable { reason: String },
}

impl BundleCheck {
    /// Whether the wizard may write it.
    pub fn verifies(&self) -> bool {
        matches!(self, BundleCheck::Verifies { .. })
    }
}

/// Reads the PEM file at `path` and probes `input`'s path again with it as the CA bundle.
pub async fn recheck_ca_bundle(path: &Path, input: &ProbeInput) -> BundleCheck {
    let shown = clean(&path.display().to_string(), 200);
    let pem = match read_regular(path, BUNDLE_LIMIT) {
        Ok(Some(pem)) => pem,
        Ok(None) => return BundleCheck::Unusable { reason: format!("there is no file at {shown}") },
        Err(ReadError::Io(e)) => {
            return BundleCheck::Unusable { reason: format!("{shown} cannot be read: {}", clean(&e.to_string(), 120)) };
        }
        Err(e) => return BundleCheck::Unusable { reason: format!("{shown}: {e}") },
    };
    let certificates = match bundle_certificates(&pem) {
        Ok(certs) => certs.len(),
        Err(e) => return BundleCheck::Unusable { reason: format!("{shown}: {e}") },
    };
    let input = input.clone().with_ca_bundle(CaBundle { pem, source: shown });
    let report = probe(&input).await;
    match report.stage(StageKind::Tls).map(|s| s.status) {
        Some(StageStatus::Pass | StageStatus::Warn) => BundleCheck::Verifies { certificates, report },
        Some(StageStatus::Fail) => BundleCheck::StillUntrusted { certificates, report },
        _ => BundleCheck::Undecided { report },
    }
}
