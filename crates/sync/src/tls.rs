//! TLS to the team server through rustls, with the certificate checked as
//! libpq's `sslmode=verify-full` checks it: a chain to a trusted authority,
//! issued for the host name (or address) in the connection string.
//!
//! The PostgreSQL driver knows only disable / prefer / require, so the
//! connection string's `sslmode` and `sslrootcert` are read here and taken
//! out before the driver parses the rest:
//! - `disable`: no TLS;
//! - `verify-full`, `verify-ca`, `require`: TLS, always with the full check
//!   (a check that lets any certificate through protects nothing);
//! - `prefer`, `allow`: TLS with the full check when the server offers it;
//! - none given: `verify-full`, but for a server on this machine (localhost,
//!   127.0.0.1, ::1, a Unix socket), where nothing crosses a network: no TLS.
//!
//! Trusted authorities: the file `sslrootcert` names (PEM), else
//! `~/.postgresql/root.crt` when it exists (as libpq), else the system's.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use postgres::config::SslMode;
use rustls::pki_types::CertificateDer;
use rustls::{ClientConfig, RootCertStore};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::error::{Result, SyncError};

/// What the connection string asks of TLS, taken out of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TlsOptions {
    pub sslmode: Option<String>,
    pub sslrootcert: Option<PathBuf>,
}

/// Splits `sslmode` and `sslrootcert` off a URL (`…?sslmode=verify-full`) or a
/// key=value string; returns the rest for the driver.
pub(crate) fn split_options(url: &str) -> (String, TlsOptions) {
    let mut options = TlsOptions {
        sslmode: None,
        sslrootcert: None,
    };
    let mut take = |key: &str, value: &str| -> bool {
        match key {
            "sslmode" => options.sslmode = Some(value.to_ascii_lowercase()),
            "sslrootcert" => options.sslrootcert = Some(PathBuf::from(value)),
            _ => return false,
        }
        true
    };
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let Some((base, query)) = url.split_once('?') else {
            return (url.to_string(), options);
        };
        let kept: Vec<&str> = query
            .split('&')
            .filter(|pair| {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                !take(key, &percent_decode(value))
            })
            .collect();
        let rest = if kept.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
        return (rest, options);
    }
    let kept: Vec<&str> = url
        .split_whitespace()
        .filter(|part| {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            !take(key, value.trim_matches('\''))
        })
        .collect();
    (kept.join(" "), options)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(byte) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// How to connect: the driver's mode, and the connector when TLS is used.
pub(crate) fn connector(
    options: &TlsOptions,
    local_host: bool,
) -> Result<(SslMode, Option<MakeRustlsConnect>)> {
    let mode = match options.sslmode.as_deref() {
        Some("disable") => return Ok((SslMode::Disable, None)),
        Some("prefer" | "allow") => SslMode::Prefer,
        Some("require" | "verify-ca" | "verify-full") => SslMode::Require,
        Some(other) => {
            return Err(SyncError::BadAddress(format!(
                "sslmode={other} is not one of disable, prefer, require, verify-ca, verify-full"
            )))
        }
        None if local_host => return Ok((SslMode::Disable, None)),
        None => SslMode::Require,
    };
    let roots = trusted_roots(options.sslrootcert.as_deref())?;
    let config =
        ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| SyncError::BadAddress(format!("TLS: {e}")))?
            .with_root_certificates(roots)
            .with_no_client_auth();
    Ok((mode, Some(MakeRustlsConnect::new(config))))
}

fn trusted_roots(file: Option<&Path>) -> Result<RootCertStore> {
    let default_file = std::env::var_os("HOME")
        .map(|home| PathBuf::from(home).join(".postgresql/root.crt"))
        .filter(|p| p.is_file());
    let mut roots = RootCertStore::empty();
    match file.map(Path::to_path_buf).or(default_file) {
        Some(path) => {
            let pem = std::fs::read(&path).map_err(|e| {
                SyncError::BadAddress(format!("sslrootcert {}: {e}", path.display()))
            })?;
            let certs: Vec<CertificateDer<'static>> = rustls_pemfile::certs(&mut pem.as_slice())
                .collect::<std::result::Result<_, _>>()
                .map_err(|e| {
                    SyncError::BadAddress(format!("sslrootcert {}: {e}", path.display()))
                })?;
            if certs.is_empty() {
                return Err(SyncError::BadAddress(format!(
                    "sslrootcert {} holds no PEM certificate",
                    path.display()
                )));
            }
            for cert in certs {
                roots.add(cert).map_err(|e| {
                    SyncError::BadAddress(format!("sslrootcert {}: {e}", path.display()))
                })?;
            }
        }
        None => {
            for cert in rustls_native_certs::load_native_certs().certs {
                // A system certificate rustls cannot use is skipped, as libpq would.
                let _ = roots.add(cert);
            }
        }
    }
    Ok(roots)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_options_are_taken_out_of_both_forms() {
        let (rest, options) = split_options(
            "postgresql://alice@db.example.org/chips?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&connect_timeout=5",
        );
        assert_eq!(
            rest,
            "postgresql://alice@db.example.org/chips?connect_timeout=5"
        );
        assert_eq!(options.sslmode.as_deref(), Some("verify-full"));
        assert_eq!(options.sslrootcert, Some(PathBuf::from("/etc/ca.pem")));

        let (rest, options) = split_options("host=db user=alice sslmode=disable dbname=chips");
        assert_eq!(rest, "host=db user=alice dbname=chips");
        assert_eq!(options.sslmode.as_deref(), Some("disable"));
    }

    #[test]
    fn a_remote_server_gets_verified_tls_unless_told_otherwise() {
        let none = TlsOptions {
            sslmode: None,
            sslrootcert: None,
        };
        assert!(matches!(
            connector(&none, false),
            Ok((SslMode::Require, Some(_)))
        ));
        assert!(matches!(
            connector(&none, true),
            Ok((SslMode::Disable, None))
        ));
        let bad = TlsOptions {
            sslmode: Some("sometimes".into()),
            sslrootcert: None,
        };
        assert!(matches!(
            connector(&bad, false),
            Err(SyncError::BadAddress(_))
        ));
    }
}
