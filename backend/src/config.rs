//! Layered configuration: built-in defaults, then `config/base.toml` (when
//! present), then `config/<APP_ENVIRONMENT>.toml`, then environment variables
//! `APP_<SECTION>__<KEY>`; `DATABASE_URL` overrides `database.url`.
//! Secrets are `SecretString` and never printed.

use secrecy::SecretString;
use serde::Deserialize;

/// All settings of the server.
#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// HTTP server.
    pub server: ServerSettings,
    /// Database connection.
    pub database: DatabaseSettings,
    /// Token signing.
    pub auth: AuthSettings,
    /// Applicant identity providers.
    pub identity: IdentitySettings,
    /// The first platform admin, created at start-up when no admin exists.
    #[serde(default)]
    pub bootstrap: BootstrapSettings,
    /// Case settings.
    pub cases: CaseSettings,
    /// The built single-page app.
    pub frontend: FrontendSettings,
    /// Electronic identification.
    #[serde(default)]
    pub eid: EidSettings,
    /// The population register (Navet).
    #[serde(default)]
    pub navet: crate::navet::NavetSettings,
    /// Uploaded files.
    #[serde(default)]
    pub uploads: UploadSettings,
    /// E-mail and its outbox.
    #[serde(default)]
    pub mail: crate::mail::MailSettings,
    /// The city's Min sida portal (CORS and framing).
    #[serde(default)]
    pub portal: crate::portal::PortalSettings,
    /// Where files (uploads, case documents) are kept: a local directory or S3-compatible storage.
    #[serde(default)]
    pub storage: crate::storage::StorageSettings,
    /// Retention: the purge job, its schedule and the platform's default periods.
    #[serde(default)]
    pub retention: crate::retention::RetentionSettings,
}

/// Where uploaded files are kept and how large they may be.
#[derive(Debug, Clone, Deserialize)]
pub struct UploadSettings {
    /// Directory of the stored files (created when missing); each file is named by its upload id.
    #[serde(default = "default_upload_dir")]
    pub dir: std::path::PathBuf,
    /// Largest accepted file in bytes.
    #[serde(default = "default_upload_max_bytes")]
    pub max_bytes: u64,
}

impl Default for UploadSettings {
    fn default() -> Self {
        Self { dir: default_upload_dir(), max_bytes: default_upload_max_bytes() }
    }
}

fn default_upload_dir() -> std::path::PathBuf {
    "data/uploads".into()
}
fn default_upload_max_bytes() -> u64 {
    20 * 1024 * 1024
}

/// Whether an integration talks to a loopback simulator (development and
/// tests; the default, so nothing needs setting up), to the real service,
/// or is turned off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum IntegrationMode {
    /// Start the simulator in-process and talk to it over real TLS.
    #[default]
    Simulator,
    /// Talk to the configured production endpoint.
    Production,
    /// Not used.
    Off,
}

/// Electronic identification settings.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct EidSettings {
    /// An OpenID Connect broker (BankID, Freja eID+, foreign e-ID behind one IdP).
    #[serde(default)]
    pub oidc: OidcSettings,
    /// BankID (Relying Party API v6.0).
    #[serde(default)]
    pub bankid: BankIdSettings,
}

/// BankID settings. In production mode the client certificate, its key and
/// the CA of BankID's server certificate are PEM files outside the repo (a
/// PKCS#12 file from the bank is converted with `openssl pkcs12 -nodes`).
#[derive(Debug, Clone, Deserialize)]
pub struct BankIdSettings {
    /// Simulator (default), production or off.
    #[serde(default)]
    pub mode: IntegrationMode,
    /// The RP API base URL (production mode); defaults to BankID's test environment.
    #[serde(default = "default_bankid_url")]
    pub url: String,
    /// PEM file with the relying-party certificate.
    #[serde(default)]
    pub client_cert: Option<std::path::PathBuf>,
    /// PEM file with its private key.
    #[serde(default)]
    pub client_key: Option<std::path::PathBuf>,
    /// PEM file with the CA BankID's server certificate must chain to.
    #[serde(default)]
    pub server_ca: Option<std::path::PathBuf>,
}

impl Default for BankIdSettings {
    fn default() -> Self {
        Self {
            mode: IntegrationMode::default(),
            url: default_bankid_url(),
            client_cert: None,
            client_key: None,
            server_ca: None,
        }
    }
}

fn default_bankid_url() -> String {
    "https://appapi2.test.bankid.com/rp/v6.0/".into()
}

/// OpenID Connect relying-party settings (used in production mode; the
/// simulator mode fills them in itself).
#[derive(Debug, Clone, Deserialize)]
pub struct OidcSettings {
    /// Simulator, production or off.
    #[serde(default)]
    pub mode: IntegrationMode,
    /// The broker's issuer URL.
    #[serde(default)]
    pub issuer: Option<String>,
    /// Our client id at the broker.
    #[serde(default)]
    pub client_id: Option<String>,
    /// Our client secret (from the environment: `APP_EID__OIDC__CLIENT_SECRET`).
    #[serde(default)]
    pub client_secret: Option<SecretString>,
    /// Scopes besides `openid`.
    #[serde(default = "default_oidc_scopes")]
    pub scopes: Vec<String>,
    /// The `acr` the ID token must carry.
    #[serde(default = "default_acr")]
    pub required_acr: String,
    /// A PEM file with the CA to trust for the broker instead of the system roots.
    #[serde(default)]
    pub server_ca: Option<std::path::PathBuf>,
}

impl Default for OidcSettings {
    fn default() -> Self {
        Self {
            mode: IntegrationMode::default(),
            issuer: None,
            client_id: None,
            client_secret: None,
            scopes: default_oidc_scopes(),
            required_acr: default_acr(),
            server_ca: None,
        }
    }
}

fn default_oidc_scopes() -> Vec<String> {
    vec!["profile".into(), "https://id.oidc.se/scope/naturalPersonNumber".into()]
}

fn default_acr() -> String {
    crate::eid::oidc::LOA3.to_string()
}

/// HTTP server settings.
#[derive(Debug, Clone, Deserialize)]
pub struct ServerSettings {
    /// Address to bind.
    pub host: String,
    /// Port to bind; 0 picks a free one.
    pub port: u16,
    /// Largest accepted JSON body in bytes.
    pub json_limit_bytes: usize,
    /// The address people and identity providers reach this server at, e.g.
    /// `https://etjanster.example.se`; defaults to `http://HOST:PORT` as bound.
    #[serde(default)]
    pub public_url: Option<String>,
}

/// Database settings.
#[derive(Clone, Deserialize)]
pub struct DatabaseSettings {
    /// `sqlite://…` or `postgres://…`. May carry a password, so it is never printed.
    pub url: SecretString,
    /// Connection pool size.
    pub max_connections: u32,
    /// How long a request waits for a free connection (or for a database that is down) before
    /// it is answered 503 `unavailable` with `Retry-After`, in milliseconds.
    #[serde(default = "default_acquire_timeout_ms")]
    pub acquire_timeout_ms: u64,
    /// SQLite only: the largest the database file may grow, in MiB (`PRAGMA max_page_count`);
    /// past it writes are refused (503) as on a full disk, and resume once rows are deleted.
    /// Unset: no limit but the disk's.
    #[serde(default)]
    pub sqlite_max_size_mb: Option<u64>,
}

fn default_acquire_timeout_ms() -> u64 {
    2000
}

impl std::fmt::Debug for DatabaseSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseSettings")
            .field("url", &"[redacted]")
            .field("max_connections", &self.max_connections)
            .field("acquire_timeout_ms", &self.acquire_timeout_ms)
            .field("sqlite_max_size_mb", &self.sqlite_max_size_mb)
            .finish()
    }
}

/// Token settings.
#[derive(Debug, Clone, Deserialize)]
pub struct AuthSettings {
    /// HMAC secret for access tokens, 32+ characters.
    #[serde(default)]
    pub jwt_secret: Option<SecretString>,
    /// Lifetime of a staff access token in minutes.
    pub token_ttl_minutes: u64,
    /// Lifetime of an applicant token in minutes; renewing before it runs out
    /// keeps the session going (so this is also the idle timeout).
    #[serde(default = "default_applicant_token_ttl")]
    pub applicant_token_ttl_minutes: u64,
    /// Longest an applicant session lasts, however often it is renewed.
    #[serde(default = "default_applicant_session_max")]
    pub applicant_session_max_minutes: u64,
    /// How many staff passwords are checked at once (argon2id, 19 MiB each); more logins wait.
    #[serde(default = "default_password_checks_at_once")]
    pub password_checks_at_once: usize,
    /// How long a login waits for a free check before it is answered 429 with `Retry-After`, in ms.
    #[serde(default = "default_password_check_wait_ms")]
    pub password_check_wait_ms: u64,
    /// The `iss` claim.
    pub issuer: String,
}

fn default_password_checks_at_once() -> usize {
    2
}
fn default_password_check_wait_ms() -> u64 {
    3000
}
fn default_applicant_token_ttl() -> u64 {
    15
}
fn default_applicant_session_max() -> u64 {
    8 * 60
}

/// Applicant identity provider settings.
#[derive(Debug, Clone, Deserialize)]
pub struct IdentitySettings {
    /// Turn on the development provider (test personnummer only).
    pub dev_provider: bool,
}

/// The first platform admin.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct BootstrapSettings {
    /// Login name of the first admin.
    pub admin_username: Option<String>,
    /// E-mail of the first admin.
    pub admin_email: Option<String>,
    /// Password of the first admin (12+ characters).
    pub admin_password: Option<SecretString>,
}

/// Case settings.
#[derive(Debug, Clone, Deserialize)]
pub struct CaseSettings {
    /// Prefix of case references, e.g. `HBG` in `HBG-2026-000123`.
    pub reference_prefix: String,
}

/// Where the built SPA is.
#[derive(Debug, Clone, Deserialize)]
pub struct FrontendSettings {
    /// Directory with `index.html` and the wasm bundle.
    pub dist_dir: String,
}

/// Why configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
#[error("configuration: {0}")]
pub struct ConfigError(String);

impl Settings {
    /// Loads settings from `config/` (relative to the working directory) and the environment.
    pub fn load() -> Result<Self, ConfigError> {
        Self::load_from(std::path::Path::new("config"))
    }

    /// Loads settings from a configuration directory and the environment.
    pub fn load_from(dir: &std::path::Path) -> Result<Self, ConfigError> {
        let env = std::env::var("APP_ENVIRONMENT").unwrap_or_else(|_| "local".into());
        let mut builder = config::Config::builder()
            .set_default("server.host", "127.0.0.1")
            .and_then(|b| b.set_default("server.port", 8080))
            .and_then(|b| b.set_default("server.json_limit_bytes", 1_048_576))
            .and_then(|b| b.set_default("database.url", "sqlite://data/app.db?mode=rwc"))
            .and_then(|b| b.set_default("database.max_connections", 16))
            .and_then(|b| b.set_default("auth.token_ttl_minutes", 60))
            .and_then(|b| b.set_default("auth.issuer", "e-tjanster"))
            .and_then(|b| b.set_default("identity.dev_provider", false))
            .and_then(|b| b.set_default("cases.reference_prefix", "HBG"))
            .and_then(|b| b.set_default("frontend.dist_dir", "frontend/dist"))
            .map_err(|e| ConfigError(e.to_string()))?
            .add_source(config::File::from(dir.join("base.toml")).required(false))
            .add_source(config::File::from(dir.join(format!("{env}.toml"))).required(false))
            .add_source(
                config::Environment::with_prefix("APP").prefix_separator("_").separator("__").try_parsing(true),
            );
        if let Ok(url) = std::env::var("DATABASE_URL") {
            builder = builder.set_override("database.url", url).map_err(|e| ConfigError(e.to_string()))?;
        }
        let settings: Settings =
            builder.build().and_then(|c| c.try_deserialize()).map_err(|e| ConfigError(e.to_string()))?;
        settings.check()?;
        Ok(settings)
    }

    fn check(&self) -> Result<(), ConfigError> {
        use secrecy::ExposeSecret;
        if let Some(s) = &self.auth.jwt_secret
            && s.expose_secret().len() < 32
        {
            return Err(ConfigError("auth.jwt_secret must be at least 32 characters".into()));
        }
        if self.auth.token_ttl_minutes == 0 || self.auth.token_ttl_minutes > 24 * 60 {
            return Err(ConfigError("auth.token_ttl_minutes must be between 1 and 1440".into()));
        }
        if self.auth.applicant_token_ttl_minutes == 0
            || self.auth.applicant_token_ttl_minutes > self.auth.applicant_session_max_minutes
        {
            return Err(ConfigError(
                "auth.applicant_token_ttl_minutes must be at least 1 and at most auth.applicant_session_max_minutes"
                    .into(),
            ));
        }
        if self.uploads.max_bytes == 0 {
            return Err(ConfigError("uploads.max_bytes must be at least 1".into()));
        }
        if self.storage.document_max_bytes == 0 {
            return Err(ConfigError("storage.document_max_bytes must be at least 1".into()));
        }
        let prefix = &self.cases.reference_prefix;
        if prefix.is_empty() || prefix.len() > 8 || !prefix.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(ConfigError("cases.reference_prefix must be 1 to 8 uppercase letters A-Z".into()));
        }
        Ok(())
    }
}
