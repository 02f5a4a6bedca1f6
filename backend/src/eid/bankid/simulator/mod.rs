//! A BankID RP API v6.0 simulator for development and tests: the same JSON
//! API (`/rp/v6.0/auth`, `sign`, `collect`, `cancel`) over HTTPS on loopback,
//! with client certificates required (mutual TLS as at BankID), and a
//! [`SimulatorControl`] that plays the user's BankID app.
//!
//! Only Skatteverket's official test personnummer can use it. An order goes
//! `pending outstandingTransaction` → (a person scans the QR code or opens
//! the app: [`SimulatorControl::scan`]) `pending started` → (optionally
//! [`SimulatorControl::user_sign`]) `pending userSign` → ([`SimulatorControl::confirm`])
//! `complete` with completion data whose `signature` and `ocspResponse` are
//! base64 stand-ins clearly marked as simulated. Failures on command:
//! `userCancel`, `expiredTransaction` (also by itself after the order
//! lifetime), `startFailed`, `certificateErr`, or any hint code; and any error
//! answer for the next `auth`/`sign` request ([`SimulatorControl::fail_next_request`]).
//!
//! Like BankID: an `auth`/`sign` with `requirement.personalNumber` for a person
//! who already has an order in progress is answered `alreadyInProgress` and
//! that order is cancelled (`failed`/`cancelled`); a person opening a new
//! order cancels their older one the same way; and an order bound to a
//! personal number fails when someone else tries to use it (modelled as
//! `failed`/`userCancel`: the app refuses the other person's BankID and the
//! order ends; the relying party never gets a completion for the wrong person).

mod control;
mod rp_api;

use std::net::TcpListener;

use actix_web::dev::ServerHandle;
use actix_web::{App, HttpServer, web};

use crate::eid::tls::TestPki;

pub use control::{ControlError, OrderKind, OrderSummary, SimulatorControl};
use rp_api::{no_such_method, rp_call};

/// The simulator as a namespace: [`BankIdSimulator::start`].
pub struct BankIdSimulator;

/// A running simulator.
#[derive(Clone)]
pub struct SimulatorHandle {
    /// `https://127.0.0.1:PORT/rp/v6.0/`.
    pub base_url: String,
    server: ServerHandle,
}

impl std::fmt::Debug for SimulatorHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimulatorHandle").field("base_url", &self.base_url).finish()
    }
}

impl SimulatorHandle {
    /// Stops the simulator.
    pub async fn stop(&self) {
        self.server.stop(false).await;
    }
}

/// Why the simulator could not start.
#[derive(Debug, thiserror::Error)]
#[error("BankID simulator: {0}")]
pub struct StartError(String);

impl BankIdSimulator {
    /// Starts the simulator on `127.0.0.1:0` over HTTPS with `pki`'s server
    /// certificate, accepting only clients with a certificate from `pki`'s CA.
    /// Must be called within a Tokio runtime.
    pub fn start(pki: &TestPki) -> Result<(SimulatorHandle, SimulatorControl), StartError> {
        let runtime = tokio::runtime::Handle::try_current().map_err(|e| StartError(e.to_string()))?;
        let tls = pki.server_config().map_err(|e| StartError(e.to_string()))?;
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| StartError(e.to_string()))?;
        let port = listener.local_addr().map_err(|e| StartError(e.to_string()))?.port();
        let control = SimulatorControl::new();
        let data = web::Data::new(control.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .app_data(web::PayloadConfig::new(1024 * 1024))
                .service(
                    web::scope("/rp/v6.0")
                        .route("/{method}", web::post().to(rp_call))
                        .default_service(web::to(no_such_method)),
                )
                .default_service(web::to(no_such_method))
        })
        .workers(1)
        .disable_signals()
        .shutdown_timeout(1)
        .listen_rustls_0_23(listener, tls)
        .map_err(|e| StartError(e.to_string()))?
        .run();
        let handle =
            SimulatorHandle { base_url: format!("https://127.0.0.1:{port}/rp/v6.0/"), server: server.handle() };
        runtime.spawn(server);
        Ok((handle, control))
    }
}

/// The name the simulator gives a test person: the Navet simulator's, when
/// it knows the person, else an invented one (the test lists carry no names).
pub fn test_person_name(personnummer: &str) -> (String, String) {
    if let Some(name) = crate::navet::simulator::fixture_name(personnummer) {
        return name;
    }
    let given = match personnummer {
        "189001019802" => "Tolvan",
        "189001029819" => "Tilda",
        "189001039800" => "Sven",
        "191401682396" => "Samira",
        _ => "Test",
    };
    (given.to_string(), "Testsson".to_string())
}
