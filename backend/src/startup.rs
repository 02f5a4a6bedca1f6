//! Building and running the application. Tests call [`Application::build`]
//! with port 0 and read the port back.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::{App, HttpServer, web};
use secrecy::{ExposeSecret, SecretString};
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::identity::{DevIdentityProvider, IdentityProvider};
use crate::auth::jwt::TokenKeys;
use crate::config::Settings;
use crate::error::{json_error, path_error, query_error};
use crate::state::AppState;

/// A built, bound, not yet running application.
pub struct Application {
    port: u16,
    server: Server,
    state: web::Data<AppState>,
}

/// Why the application could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The database could not be reached or migrated.
    #[error("database: {0}")]
    Database(#[from] crate::db::DbErr),
    /// The address could not be bound.
    #[error("cannot listen: {0}")]
    Io(#[from] std::io::Error),
    /// Bootstrap failed.
    #[error("bootstrap: {0}")]
    Bootstrap(String),
}

impl Application {
    /// Connects, migrates, bootstraps the first admin when configured, and binds.
    pub async fn build(settings: Settings) -> Result<Self, StartError> {
        // HTTP clients that use the platform's trust store need a process-wide rustls provider.
        crate::eid::tls::install_default_provider();
        let db = crate::db::connect(&settings.database).await?;
        let jobs_db = crate::db::connect_jobs(&settings.database).await?;
        bootstrap_admin(&db, &settings).await?;
        let secret = match &settings.auth.jwt_secret {
            Some(s) => s.clone(),
            None => {
                tracing::warn!("auth.jwt_secret is not set: using a random secret; tokens will not survive a restart");
                SecretString::from(format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple()))
            }
        };
        let follow_links = crate::follow_link::FollowLinks::new(&secret);
        let tokens = TokenKeys::new(
            &secret,
            &settings.auth.issuer,
            settings.auth.token_ttl_minutes,
            settings.auth.applicant_token_ttl_minutes,
        );
        let dev_identity: Option<Arc<dyn IdentityProvider>> = if settings.identity.dev_provider {
            tracing::warn!("the development identity provider is ON: applicants log in with test personnummer only");
            Some(Arc::new(DevIdentityProvider))
        } else {
            None
        };
        let listener = TcpListener::bind((settings.server.host.as_str(), settings.server.port))?;
        let port = listener.local_addr()?.port();
        let public_url = settings.server.public_url.clone().unwrap_or_else(|| {
            format!(
                "http://{}:{port}",
                if settings.server.host == "0.0.0.0" { "127.0.0.1" } else { &settings.server.host }
            )
        });
        let (oidc, oidc_simulator) = crate::eid::oidc::from_settings(&settings.eid.oidc, &public_url)
            .map_err(|e| StartError::Bootstrap(format!("OIDC: {e}")))?;
        let population_register =
            crate::navet::from_settings(&settings.navet).map_err(|e| StartError::Bootstrap(format!("Navet: {e}")))?;
        let bankid = crate::eid::bankid::from_settings(&settings.eid.bankid)
            .map_err(|e| StartError::Bootstrap(format!("BankID: {e}")))?;
        settings.portal.check().map_err(StartError::Bootstrap)?;
        settings.retention.check().map_err(StartError::Bootstrap)?;
        let mail =
            crate::mail::from_settings(&settings.mail).map_err(|e| StartError::Bootstrap(format!("mail: {e}")))?;
        let storage = crate::storage::from_settings(&settings.storage, &settings.uploads)
            .map_err(|e| StartError::Bootstrap(format!("storage: {e}")))?;
        if !settings.mail.enabled {
            tracing::warn!("mail.enabled is false: no e-mail is queued or sent");
        }
        let passwords = crate::auth::password::PasswordChecker::new(
            settings.auth.password_checks_at_once,
            std::time::Duration::from_millis(settings.auth.password_check_wait_ms),
        );
        let state = web::Data::new(AppState {
            db,
            jobs_db,
            tokens,
            follow_links,
            settings,
            dev_identity,
            oidc,
            oidc_simulator,
            population_register,
            bankid,
            public_url,
            mail,
            outbox_wake: tokio::sync::Notify::new(),
            storage,
            passwords,
            signings: crate::signing::Signings::default(),
            lookups: crate::routes::contact_centre::Lookups::default(),
        });
        if state.settings.mail.outbox.worker {
            crate::outbox::worker::spawn(state.clone());
        }
        crate::retention::spawn(state.clone());
        if state.settings.retention.enabled {
            // Ends signing attempts past their deadline; an instance's background jobs go together.
            crate::signing::spawn_expiry(state.clone());
        }
        let server = run(listener, state.clone())?;
        Ok(Self { port, server, state })
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The shared state (for seeding and tests).
    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// Runs until stopped (SIGINT/SIGTERM stop it gracefully).
    pub async fn run_until_stopped(self) -> Result<(), std::io::Error> {
        self.server.await
    }
}

fn run(listener: TcpListener, state: web::Data<AppState>) -> Result<Server, std::io::Error> {
    let json_limit = state.settings.server.json_limit_bytes;
    let dist = std::path::PathBuf::from(&state.settings.frontend.dist_dir);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(web::JsonConfig::default().limit(json_limit).error_handler(json_error))
            .app_data(web::QueryConfig::default().error_handler(query_error))
            .app_data(web::PathConfig::default().error_handler(path_error))
            // Innermost: what reaches a handler has no NUL and, if JSON, is an object.
            .wrap(actix_web::middleware::from_fn(crate::edge::middleware))
            .wrap(actix_web::middleware::from_fn(crate::portal::middleware))
            .wrap(actix_web::middleware::from_fn(crate::telemetry::log_request))
            // gzip/brotli/zstd as the client accepts: the SPA's wasm shrinks to about a third.
            .wrap(actix_web::middleware::Compress::default())
            .wrap(
                actix_web::middleware::DefaultHeaders::new()
                    .add(("X-Content-Type-Options", "nosniff"))
                    .add(("Referrer-Policy", "no-referrer")),
            )
            .into_utoipa_app()
            .openapi(crate::routes::base_doc())
            .configure(crate::routes::configure)
            .openapi_service(|api| {
                SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", crate::routes::with_common_responses(api))
            })
            .into_app()
            .route(
                "/api/docs",
                web::get().to(|| async {
                    actix_web::HttpResponse::PermanentRedirect().insert_header(("Location", "/api/docs/")).finish()
                }),
            )
            .configure(|cfg| crate::eid::bankid::dev_page::configure(cfg, &state))
            .configure(|cfg| crate::spa::configure(cfg, &dist))
    })
    .listen(listener)?
    .run();
    Ok(server)
}

async fn bootstrap_admin(db: &crate::db::Db, settings: &Settings) -> Result<(), StartError> {
    let b = &settings.bootstrap;
    let (Some(username), Some(password)) = (&b.admin_username, &b.admin_password) else {
        return Ok(());
    };
    if crate::db::staff::admin_exists(db).await? {
        return Ok(());
    }
    let email = b.admin_email.clone().unwrap_or_else(|| format!("{username}@localhost.localdomain"));
    crate::accounts::create(
        db,
        crate::accounts::NewAccount {
            username: username.clone(),
            display_name: "Platform admin".into(),
            email,
            password: SecretString::from(password.expose_secret().to_string()),
            roles: vec![shared::api::StaffRole::PlatformAdmin],
        },
    )
    .await
    .map_err(|e| StartError::Bootstrap(e.to_string()))?;
    tracing::info!(staff.username = %username, "first platform admin created from configuration");
    Ok(())
}
