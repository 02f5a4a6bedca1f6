//! BankID (Relying Party API v6.0): the production [`client`], the user
//! [`messages`] BankID recommends, the animated [`qr`] code, a loopback
//! [`simulator`] with mutual TLS, the [`service`] behind the login API, and
//! the simulator's development page ([`dev_page`], simulator mode only).
//!
//! `[eid.bankid] mode` picks where the client goes: `simulator` (default)
//! starts the simulator in-process with a fresh test PKI and talks to it over
//! real TLS; `production` reads the relying-party certificate, key and the
//! pinned BankID CA from the configured files; `off` turns BankID off.

pub mod client;
pub mod dev_page;
pub mod messages;
pub mod qr;
pub mod service;
pub mod simulator;

use std::sync::Arc;

pub use client::{BankIdClient, BankIdError};
pub use service::{BankIdService, RunningSimulator, SignatureEvidence};
pub use simulator::{BankIdSimulator, SimulatorControl, SimulatorHandle};

use crate::config::{BankIdSettings, IntegrationMode};
use crate::eid::tls::{ClientTlsFiles, TestPki};

/// The level of assurance of a BankID login.
pub const LOA3: &str = "http://id.elegnamnden.se/loa/1.0/loa3";

/// Builds the service the settings ask for: `None` when BankID is off. In
/// simulator mode this starts the simulator (needs a Tokio runtime).
pub fn from_settings(settings: &BankIdSettings) -> Result<Option<Arc<BankIdService>>, String> {
    match settings.mode {
        IntegrationMode::Off => Ok(None),
        IntegrationMode::Production => {
            let missing = |what: &str| format!("eid.bankid.{what} must be set in production mode");
            let files = ClientTlsFiles {
                client_cert: settings.client_cert.clone().ok_or_else(|| missing("client_cert"))?,
                client_key: settings.client_key.clone().ok_or_else(|| missing("client_key"))?,
                server_ca: settings.server_ca.clone().ok_or_else(|| missing("server_ca"))?,
            };
            let tls = crate::eid::tls::client_config(&files).map_err(|e| e.to_string())?;
            let client = BankIdClient::new(&settings.url, tls).map_err(|e| e.to_string())?;
            tracing::info!(url = %settings.url, "BankID: production client");
            Ok(Some(Arc::new(BankIdService::new(client, None))))
        }
        IntegrationMode::Simulator => {
            let pki = TestPki::generate("bankid-relying-party").map_err(|e| e.to_string())?;
            let (handle, control) = BankIdSimulator::start(&pki).map_err(|e| e.to_string())?;
            let tls = pki.client_config().map_err(|e| e.to_string())?;
            let client = BankIdClient::new(&handle.base_url, tls).map_err(|e| e.to_string())?;
            tracing::warn!(
                url = %handle.base_url,
                "BankID runs against the in-process SIMULATOR (test personnummer only; development page at /dev/bankid); set eid.bankid.mode = \"production\" for real BankID"
            );
            Ok(Some(Arc::new(BankIdService::new(client, Some(RunningSimulator { handle, control })))))
        }
    }
}

/// The BankID service of the application, or 404 when BankID is off.
pub fn of(state: &crate::state::AppState) -> Result<&Arc<BankIdService>, crate::error::AppError> {
    state.bankid.as_ref().ok_or_else(|| crate::error::AppError::NotFound("BankID is turned off.".into()))
}
