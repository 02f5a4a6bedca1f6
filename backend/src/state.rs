//! What every request handler can reach.

use std::sync::Arc;

use crate::auth::identity::IdentityProvider;
use crate::auth::jwt::TokenKeys;
use crate::config::Settings;
use crate::db::Db;

/// Shared application state (`web::Data<AppState>`).
pub struct AppState {
    /// The database.
    pub db: Db,
    /// The background jobs' own connections to it (see [`crate::db::connect_jobs`]).
    pub jobs_db: Db,
    /// Token keys.
    pub tokens: TokenKeys,
    /// Anonymous applicants' private links (see [`crate::follow_link`]).
    pub follow_links: crate::follow_link::FollowLinks,
    /// Settings.
    pub settings: Settings,
    /// The development identity provider, when turned on.
    pub dev_identity: Option<Arc<dyn IdentityProvider>>,
    /// The OpenID Connect relying party, unless turned off.
    pub oidc: Option<Arc<crate::eid::oidc::OidcRp>>,
    /// The loopback OIDC provider, in simulator mode.
    pub oidc_simulator: Option<crate::eid::oidc::simulator::OidcSimulator>,
    /// The population register: Navet, or its in-process simulator (see [`crate::navet`]).
    pub population_register: Arc<dyn crate::navet::PopulationRegister>,
    /// BankID (see [`crate::eid::bankid`]), unless turned off.
    pub bankid: Option<Arc<crate::eid::bankid::BankIdService>>,
    /// The address people reach the server at, e.g. `https://etjanster.example.se` (links in mails).
    pub public_url: String,
    /// Where the outbox worker sends mail.
    pub mail: Arc<dyn crate::mail::MailTransport>,
    /// Wakes the outbox worker after a commit that queued mail.
    pub outbox_wake: tokio::sync::Notify,
    /// Where the bytes of uploads and case documents are kept (see [`crate::storage`]).
    pub storage: crate::storage::Storage,
    /// Checks staff passwords a few at a time (see [`crate::auth::password`]).
    pub passwords: crate::auth::password::PasswordChecker,
    /// Signatures in progress (see [`crate::signing`]).
    pub signings: crate::signing::Signings,
    /// The contact centre's look-ups of the last hour (see [`crate::routes::contact_centre`]).
    pub lookups: crate::routes::contact_centre::Lookups,
}
