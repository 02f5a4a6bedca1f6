//! Mutual TLS for the production protocol clients (BankID, Navet) and for
//! their loopback simulators, with rustls and the `ring` provider.
//!
//! Production: the client certificate and key (PEM files, or a PKCS#12 file
//! converted with `openssl pkcs12 -nodes`) and the pinned server CA come
//! from configuration, i.e. from files and environment, never the repo.
//! Development and tests: [`TestPki::generate`] makes a throw-away CA, a
//! server certificate for `127.0.0.1`/`localhost` and a client certificate.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{ClientConfig, RootCertStore, ServerConfig};

/// Why TLS material could not be loaded or used.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A file held no usable certificate or key.
    #[error("{0}")]
    Invalid(String),
    /// rustls refused the material.
    #[error("TLS: {0}")]
    Rustls(#[from] rustls::Error),
    /// Generating test certificates failed.
    #[error("generating certificates: {0}")]
    Generate(String),
}

/// Where a client's TLS material is.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct ClientTlsFiles {
    /// PEM file with the client certificate (and chain).
    pub client_cert: PathBuf,
    /// PEM file with the client's private key (PKCS#8, PKCS#1 or SEC1).
    pub client_key: PathBuf,
    /// PEM file with the CA the server's certificate must chain to (pinned; the
    /// system roots are not used).
    pub server_ca: PathBuf,
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn read(path: &Path) -> Result<Vec<u8>, TlsError> {
    std::fs::read(path).map_err(|source| TlsError::Read { path: path.to_path_buf(), source })
}

/// Parses every certificate in a PEM file.
pub fn certs_from_pem(pem: &[u8], what: &str) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let certs: Vec<_> = rustls_pemfile::certs(&mut &pem[..])
        .collect::<Result<_, _>>()
        .map_err(|e| TlsError::Invalid(format!("{what}: {e}")))?;
    if certs.is_empty() {
        return Err(TlsError::Invalid(format!("{what}: no certificate found")));
    }
    Ok(certs)
}

/// Parses the first private key in a PEM file.
pub fn key_from_pem(pem: &[u8], what: &str) -> Result<PrivateKeyDer<'static>, TlsError> {
    rustls_pemfile::private_key(&mut &pem[..])
        .map_err(|e| TlsError::Invalid(format!("{what}: {e}")))?
        .ok_or_else(|| TlsError::Invalid(format!("{what}: no private key found")))
}

fn roots(ca_pem: &[u8], what: &str) -> Result<RootCertStore, TlsError> {
    let mut store = RootCertStore::empty();
    for c in certs_from_pem(ca_pem, what)? {
        store.add(c)?;
    }
    Ok(store)
}

/// A client configuration presenting a client certificate and trusting only `server_ca`.
pub fn client_config_from_pem(cert: &[u8], key: &[u8], server_ca: &[u8]) -> Result<ClientConfig, TlsError> {
    let config = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots(server_ca, "server CA")?)
        .with_client_auth_cert(certs_from_pem(cert, "client certificate")?, key_from_pem(key, "client key")?)?;
    Ok(config)
}

/// [`client_config_from_pem`] from files.
pub fn client_config(files: &ClientTlsFiles) -> Result<ClientConfig, TlsError> {
    client_config_from_pem(&read(&files.client_cert)?, &read(&files.client_key)?, &read(&files.server_ca)?)
}

/// A client configuration without a client certificate that trusts only `server_ca`.
pub fn client_config_trusting(server_ca: &[u8]) -> Result<ClientConfig, TlsError> {
    Ok(ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots(server_ca, "server CA")?)
        .with_no_client_auth())
}

/// Makes `ring` the process-wide rustls provider, for HTTP clients that use
/// the platform's trust store (e.g. towards a public OIDC broker). Idempotent.
pub fn install_default_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// A server configuration without client authentication.
pub fn server_config(cert: &[u8], key: &[u8]) -> Result<ServerConfig, TlsError> {
    Ok(ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(certs_from_pem(cert, "server certificate")?, key_from_pem(key, "server key")?)?)
}

/// A server configuration that requires a client certificate issued by `client_ca`.
pub fn server_config_requiring_client_cert(
    cert: &[u8],
    key: &[u8],
    client_ca: &[u8],
) -> Result<ServerConfig, TlsError> {
    let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
        Arc::new(roots(client_ca, "client CA")?),
        provider(),
    )
    .build()
    .map_err(|e| TlsError::Invalid(format!("client verifier: {e}")))?;
    let config = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()?
        .with_client_cert_verifier(verifier)
        .with_single_cert(certs_from_pem(cert, "server certificate")?, key_from_pem(key, "server key")?)?;
    Ok(config)
}

/// A throw-away PKI for simulators: one CA that issues both the simulator's
/// server certificate (for `127.0.0.1` and `localhost`) and a client certificate.
#[derive(Clone)]
pub struct TestPki {
    /// The CA certificate, PEM.
    pub ca_pem: String,
    /// The server certificate, PEM.
    pub server_cert_pem: String,
    /// The server key, PEM.
    pub server_key_pem: String,
    /// The client certificate, PEM.
    pub client_cert_pem: String,
    /// The client key, PEM.
    pub client_key_pem: String,
}

impl std::fmt::Debug for TestPki {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TestPki { .. }")
    }
}

impl TestPki {
    /// Generates a CA, a server certificate and a client certificate (`client_name` as CN).
    pub fn generate(client_name: &str) -> Result<Self, TlsError> {
        use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose};
        let g = |e: rcgen::Error| TlsError::Generate(e.to_string());
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(g)?;
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.distinguished_name.push(DnType::CommonName, "E-tjänster simulator test CA");
        ca_params.key_usages =
            vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
        let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().map_err(g)?).map_err(g)?;

        let mut server_params =
            CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()]).map_err(g)?;
        server_params.distinguished_name.push(DnType::CommonName, "simulator");
        server_params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
        let server_key = KeyPair::generate().map_err(g)?;
        let server_cert = server_params.signed_by(&server_key, &ca).map_err(g)?;

        let mut client_params = CertificateParams::new(Vec::<String>::new()).map_err(g)?;
        client_params.distinguished_name.push(DnType::CommonName, client_name);
        client_params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ClientAuth];
        let client_key = KeyPair::generate().map_err(g)?;
        let client_cert = client_params.signed_by(&client_key, &ca).map_err(g)?;

        Ok(Self {
            ca_pem: ca.pem(),
            server_cert_pem: server_cert.pem(),
            server_key_pem: server_key.serialize_pem(),
            client_cert_pem: client_cert.pem(),
            client_key_pem: client_key.serialize_pem(),
        })
    }

    /// The client side of this PKI.
    pub fn client_config(&self) -> Result<ClientConfig, TlsError> {
        client_config_from_pem(self.client_cert_pem.as_bytes(), self.client_key_pem.as_bytes(), self.ca_pem.as_bytes())
    }

    /// The server side of this PKI (client certificates required).
    pub fn server_config(&self) -> Result<ServerConfig, TlsError> {
        server_config_requiring_client_cert(
            self.server_cert_pem.as_bytes(),
            self.server_key_pem.as_bytes(),
            self.ca_pem.as_bytes(),
        )
    }

    /// The server side of this PKI without client authentication (e.g. an OIDC provider).
    pub fn server_config_without_client_auth(&self) -> Result<ServerConfig, TlsError> {
        server_config(self.server_cert_pem.as_bytes(), self.server_key_pem.as_bytes())
    }

    /// A client that trusts this PKI's CA and presents no certificate.
    pub fn anonymous_client_config(&self) -> Result<ClientConfig, TlsError> {
        client_config_trusting(self.ca_pem.as_bytes())
    }

    /// Writes the client side as files (for code paths that read configuration files).
    pub fn write_client_files(&self, dir: &Path, prefix: &str) -> Result<ClientTlsFiles, TlsError> {
        let w = |name: &str, data: &str| -> Result<PathBuf, TlsError> {
            let path = dir.join(format!("{prefix}-{name}"));
            std::fs::write(&path, data).map_err(|source| TlsError::Read { path: path.clone(), source })?;
            Ok(path)
        };
        Ok(ClientTlsFiles {
            client_cert: w("client.crt", &self.client_cert_pem)?,
            client_key: w("client.key", &self.client_key_pem)?,
            server_ca: w("ca.crt", &self.ca_pem)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_pki_yields_client_and_server_configurations() {
        let pki = TestPki::generate("test-client").unwrap();
        assert!(pki.client_config().is_ok());
        assert!(pki.server_config().is_ok());
    }

    #[test]
    fn a_client_refuses_a_server_ca_file_without_certificates() {
        let pki = TestPki::generate("test-client").unwrap();
        let err = client_config_from_pem(pki.client_cert_pem.as_bytes(), pki.client_key_pem.as_bytes(), b"nothing")
            .unwrap_err();
        assert!(err.to_string().contains("server CA"), "{err}");
    }
}
