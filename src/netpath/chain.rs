//! The certificate chain a server presented, read without trusting it: the
//! leaf's and the top certificate's subject, issuer, names and validity,
//! whether the leaf names the host (WebPKI's own name check), whether the
//! chain reaches a trusted root, and the verdict in words. Pure.

use super::text::clean;
use super::tls::Trust;
use chrono::DateTime;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, Error as TlsError};
use serde::Serialize;
use x509_parser::extensions::GeneralName;
use x509_parser::prelude::X509Certificate;

/// Names shown per certificate; the rest are counted.
const MAX_NAMES: usize = 8;

/// One certificate, as a network team wants to see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertSummary {
    pub subject: String,
    pub issuer: String,
    /// The subject alternative names (DNS names and addresses).
    pub names: Vec<String>,
    pub not_before: String,
    pub not_after: String,
    pub self_signed: bool,
}

impl CertSummary {
    fn read(der: &CertificateDer<'_>) -> Option<CertSummary> {
        let (_, cert) = x509_parser::parse_x509_certificate(der.as_ref()).ok()?;
        Some(CertSummary {
            subject: clean(&cert.subject().to_string(), 200),
            issuer: clean(&cert.issuer().to_string(), 200),
            names: names(&cert),
            not_before: date(cert.validity().not_before.timestamp()),
            not_after: date(cert.validity().not_after.timestamp()),
            self_signed: cert.subject().as_raw() == cert.issuer().as_raw(),
        })
    }

    /// `subject CN=x, issued by CN=y, valid 2025-01-01 to 2026-01-01, names a, b`.
    fn line(&self, role: &str) -> String {
        let mut line = format!(
            "{role}: {}, issued by {}, valid {} to {}",
            self.subject, self.issuer, self.not_before, self.not_after
        );
        if self.self_signed {
            line.push_str(" (self-signed)");
        }
        if !self.names.is_empty() {
            line.push_str(&format!(", names {}", self.names.join(", ")));
        }
        line
    }
}

fn date(timestamp: i64) -> String {
    DateTime::from_timestamp(timestamp, 0).map_or_else(|| timestamp.to_string(), |d| d.format("%Y-%m-%d").to_string())
}

fn names(cert: &X509Certificate<'_>) -> Vec<String> {
    let Ok(Some(san)) = cert.subject_alternative_name() else { return Vec::new() };
    let all: Vec<String> = san
        .value
        .general_names
        .iter()
        .filter_map(|name| match name {
            GeneralName::DNSName(dns) => Some(clean(dns, 100)),
            GeneralName::IPAddress(bytes) => match bytes.len() {
                4 => <[u8; 4]>::try_from(*bytes).ok().map(|b| std::net::Ipv4Addr::from(b).to_string()),
                16 => <[u8; 16]>::try_from(*bytes).ok().map(|b| std::net::Ipv6Addr::from(b).to_string()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let more = all.len().saturating_sub(MAX_NAMES);
    let mut shown: Vec<String> = all.into_iter().take(MAX_NAMES).collect();
    if more > 0 {
        shown.push(format!("and {more} more"));
    }
    shown
}

/// The presented chain and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainReport {
    /// How many certificates the server sent.
    pub presented: usize,
    pub leaf: Option<CertSummary>,
    /// The last certificate sent (nearest the root), when it is not the leaf.
    pub top: Option<CertSummary>,
    /// Whether the leaf is valid for the host name asked for.
    pub name_matches: Option<bool>,
    /// Whether the chain reaches a trusted root (the name aside).
    pub chains_to_trusted_root: Option<bool>,
    /// The handshake's verdict in words, when it refused the chain.
    pub problem: Option<String>,
}

impl ChainReport {
    /// Reads `chain` (leaf first) for `host`, with the verdict the handshake gave.
    pub(crate) fn read(
        chain: &[CertificateDer<'static>],
        host: &str,
        trust: &Trust,
        verdict: Option<&TlsError>,
    ) -> ChainReport {
        let leaf_der = chain.first();
        let parsed = leaf_der.and_then(|der| rustls::server::ParsedCertificate::try_from(der).ok());
        let name = ServerName::try_from(host.to_string()).ok();
        let name_matches = match (&parsed, &name) {
            (Some(cert), Some(name)) => Some(rustls::client::verify_server_name(cert, name).is_ok()),
            _ => None,
        };
        let chains_to_trusted_root = parsed.as_ref().map(|cert| {
            rustls::client::verify_server_cert_signed_by_trust_anchor(
                cert,
                &trust.roots,
                chain.get(1..).unwrap_or_default(),
                UnixTime::now(),
                trust.provider.signature_verification_algorithms.all,
            )
            .is_ok()
        });
        ChainReport {
            presented: chain.len(),
            leaf: leaf_der.and_then(CertSummary::read),
            top: chain.get(1..).and_then(<[_]>::last).and_then(CertSummary::read),
            name_matches,
            chains_to_trusted_root,
            problem: verdict.map(describe_verdict),
        }
    }

    /// Evidence lines, most telling first.
    pub fn evidence(&self, host: &str) -> Vec<String> {
        let host = clean(host, 120);
        let mut lines = Vec::new();
        if let Some(problem) = &self.problem {
            lines.push(format!("refused: {problem}"));
        }
        match self.chains_to_trusted_root {
            Some(false) => {
                let issuer = self.top.as_ref().or(self.leaf.as_ref()).map(|c| c.issuer.clone()).unwrap_or_default();
                lines.push(format!(
                    "the chain does not reach a trusted root: its top issuer {issuer} is not among the roots in use \
                     (a TLS-inspecting proxy or gateway signs with its own CA; ask for that CA's certificate in PEM)"
                ));
            }
            Some(true) => lines.push("the chain reaches a trusted root".to_string()),
            None => {}
        }
        match self.name_matches {
            Some(true) => lines.push(format!("the certificate is valid for {host}")),
            Some(false) => lines.push(format!("the certificate is not valid for {host}")),
            None => {}
        }
        if let Some(leaf) = &self.leaf {
            lines.push(leaf.line("leaf"));
        }
        if let Some(top) = &self.top {
            lines.push(top.line(&format!("top of the {} presented", self.presented)));
        }
        lines
    }
}

/// A certificate verdict in words.
fn describe_verdict(error: &TlsError) -> String {
    match error {
        TlsError::InvalidCertificate(cert) => match cert {
            CertificateError::UnknownIssuer => "unknown issuer (no trusted root signed this chain)".to_string(),
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                "the certificate names another host".to_string()
            }
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                "the certificate has expired".to_string()
            }
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                "the certificate is not valid yet (or this machine's clock is behind)".to_string()
            }
            CertificateError::Revoked => "the certificate is revoked".to_string(),
            CertificateError::BadSignature => "a signature in the chain does not verify".to_string(),
            other if format!("{other:?}").contains("CaUsedAsEndEntity") => {
                "the server presents a CA certificate as its own certificate".to_string()
            }
            other => clean(&format!("{other:?}"), 200),
        },
        other => clean(&other.to_string(), 200),
    }
}

/// Whether a handshake error is about the certificate (as opposed to the connection or the protocol).
pub(crate) fn is_certificate_error(error: &TlsError) -> bool {
    matches!(error, TlsError::InvalidCertificate(_) | TlsError::NoCertificatesPresented)
}
