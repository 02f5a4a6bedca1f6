//! Applicant sessions: after an e-ID login the applicant gets a short-lived
//! token bound to a session row; the app renews it while the applicant is
//! active, and logging out ends the session and so every token of it.
//! Staff logins are separate (`auth/staff/token`) and have no session row.

use chrono::{Duration, Utc};
use shared::api::TokenResponse;
use uuid::Uuid;

use crate::auth::extract::Applicant;
use crate::auth::identity::VerifiedIdentity;
use crate::auth::jwt::ApplicantClaims;
use crate::error::{AppError, ErrorCode};
use crate::state::AppState;

/// A completed login.
#[derive(Debug, Clone)]
pub struct Login {
    /// Who logged in.
    pub identity: VerifiedIdentity,
    /// Which identity provider verified them: `bankid`, `oidc`, `development`.
    pub idp: &'static str,
    /// The level of assurance of the login.
    pub loa: String,
}

fn token_response(
    state: &AppState,
    claims: ApplicantClaims,
    expires_at: chrono::DateTime<Utc>,
) -> Result<TokenResponse, AppError> {
    let ttl = (state.settings.auth.applicant_token_ttl_minutes as i64 * 60)
        .min((expires_at - Utc::now()).num_seconds())
        .max(1);
    let token = state.tokens.issue_applicant(claims, ttl).map_err(AppError::internal)?;
    Ok(TokenResponse { access_token: token, token_type: "Bearer".into(), expires_in: ttl as u64 })
}

/// Starts a session for a verified login and issues its first token.
pub async fn start(state: &AppState, login: Login) -> Result<TokenResponse, AppError> {
    let max = Duration::minutes(state.settings.auth.applicant_session_max_minutes as i64);
    let personnummer = login.identity.personnummer.as_digits();
    let session =
        crate::db::sessions::create(&state.db, &personnummer, login.idp, &login.loa, Utc::now() + max).await?;
    tracing::info!(applicant = %login.identity.personnummer.redacted(), idp = login.idp, "applicant session started");
    token_response(
        state,
        ApplicantClaims {
            personnummer,
            name: login.identity.name,
            idp: session.idp,
            loa: session.loa,
            sid: session.id.to_string(),
        },
        session.expires_at,
    )
}

/// Checks that a token's session is live and belongs to the token's subject.
pub async fn check(state: &AppState, sid: &str, personnummer: &str) -> Result<(), AppError> {
    let ended = || AppError::new(ErrorCode::SessionEnded, "You are logged out. Log in again.");
    let id = Uuid::parse_str(sid).map_err(|_| ended())?;
    let s = crate::db::sessions::get(&state.db, id).await?.ok_or_else(ended)?;
    if s.ended_at.is_some() || s.expires_at <= Utc::now() || s.personnummer != personnummer {
        return Err(ended());
    }
    Ok(())
}

/// Issues a fresh token for a live session (until its hard end).
pub async fn renew(state: &AppState, me: &Applicant) -> Result<TokenResponse, AppError> {
    let id = Uuid::parse_str(&me.sid).map_err(AppError::internal)?;
    let s = crate::db::sessions::get(&state.db, id).await?.ok_or_else(|| AppError::internal("session vanished"))?;
    crate::db::sessions::touch(&state.db, id).await?;
    token_response(
        state,
        ApplicantClaims {
            personnummer: s.personnummer,
            name: me.name.clone(),
            idp: s.idp,
            loa: s.loa,
            sid: s.id.to_string(),
        },
        s.expires_at,
    )
}

/// Ends the applicant's session.
pub async fn end(state: &AppState, me: &Applicant) -> Result<(), AppError> {
    let id = Uuid::parse_str(&me.sid).map_err(AppError::internal)?;
    crate::db::sessions::end(&state.db, id).await?;
    tracing::info!(applicant = %me.personnummer.redacted(), "applicant logged out");
    Ok(())
}
