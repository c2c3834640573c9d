//! TLS to the team server (rustls), against a real PostgreSQL serving a
//! certificate made here by a throwaway certificate authority: the
//! certificate is checked as `sslmode=verify-full` checks it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use chipwatch_sync::{Server, SyncError};
use common::cluster::Cluster;
use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};

/// A CA, and a server certificate it signed for 127.0.0.1 only; the CA's PEM path.
fn certificates(dir: &Path) -> (String, PathBuf) {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_key = KeyPair::generate().unwrap();
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec!["127.0.0.1".to_string()])
        .unwrap()
        .signed_by(&key, &ca, &ca_key)
        .unwrap();
    std::fs::write(dir.join("server.crt"), cert.pem()).unwrap();
    std::fs::write(dir.join("server.key"), key.serialize_pem()).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        dir.join("server.key"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    let ca_pem = dir.join("ca.pem");
    std::fs::write(&ca_pem, ca.pem()).unwrap();
    let settings = format!(
        "-c ssl=on -c ssl_cert_file={} -c ssl_key_file={}",
        dir.join("server.crt").display(),
        dir.join("server.key").display()
    );
    (settings, ca_pem)
}

/// Whether the server sees this session as TLS.
fn encrypted(server: &mut Server) -> bool {
    server
        .client()
        .query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .unwrap()
        .get(0)
}

#[test]
fn the_server_certificate_is_checked_for_its_authority_and_its_name() {
    let mut ca_pem = PathBuf::new();
    let cluster = Cluster::start_configured(|dir| {
        let (settings, ca) = certificates(dir);
        ca_pem = ca;
        settings
    });
    let url = cluster.superuser_url();

    // The CA given: TLS with the certificate checked, and the session says so.
    let verified = format!("{url}?sslmode=verify-full&sslrootcert={}", ca_pem.display());
    let mut server = Server::connect(&verified).unwrap();
    assert!(encrypted(&mut server), "the session is encrypted");

    // Without the CA (the system's authorities do not know it): refused, saying why.
    let error = Server::connect(&format!("{url}?sslmode=verify-full")).unwrap_err();
    assert!(
        matches!(error, SyncError::CertificateRefused { .. }),
        "{error}"
    );
    assert!(error.to_string().contains("sslrootcert"), "{error}");

    // The right CA but another name than the certificate's: refused.
    let by_name = verified.replace("127.0.0.1", "localhost");
    let error = Server::connect(&by_name).unwrap_err();
    assert!(
        matches!(error, SyncError::CertificateRefused { .. }),
        "{error}"
    );

    // On this machine, with no sslmode: plain, as libpq's default would allow.
    assert!(!encrypted(&mut Server::connect(&url).unwrap()));
}
