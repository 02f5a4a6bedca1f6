//! Extractors that put authorisation in handler signatures:
//! `StaffUser` (any staff token), `Applicant` (an applicant token) and
//! `MaybeApplicant` (an applicant token or none).

use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, web};
use shared::Personnummer;
use shared::api::StaffRole;
use uuid::Uuid;

use super::jwt::{Claims, Subject};
use crate::db;
use crate::error::AppError;
use crate::state::AppState;

/// A signed-in staff member, loaded from the database on every request so
/// that a removed role or account takes effect at once.
#[derive(Debug, Clone)]
pub struct StaffUser {
    /// Account id.
    pub id: Uuid,
    /// Login name.
    pub username: String,
    /// Roles.
    pub roles: Vec<StaffRole>,
    /// The staff session of the token.
    pub sid: Uuid,
}

impl StaffUser {
    /// True when the account has the role.
    pub fn has(&self, role: StaffRole) -> bool {
        self.roles.contains(&role)
    }

    /// Fails with 403 unless the account is a platform admin.
    pub fn require_admin(&self) -> Result<(), AppError> {
        if self.has(StaffRole::PlatformAdmin) {
            Ok(())
        } else {
            Err(AppError::Forbidden("Only platform administrators may do this.".into()))
        }
    }
}

/// A signed-in applicant with a live session.
#[derive(Debug, Clone)]
pub struct Applicant {
    /// The personnummer.
    pub personnummer: Personnummer,
    /// Name, when the identity provider gave one.
    pub name: Option<String>,
    /// The identity provider of the login.
    pub idp: String,
    /// The level of assurance of the login.
    pub loa: String,
    /// The session id.
    pub sid: String,
}

/// Whoever the token speaks for: a staff member or an applicant, each with a live session.
#[derive(Debug, Clone)]
pub enum SignedIn {
    /// A staff member.
    Staff(StaffUser),
    /// An applicant.
    Applicant(Applicant),
}

impl FromRequest for SignedIn {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        // Neither extractor reads the body.
        let mut payload = actix_web::dev::Payload::None;
        Box::pin(async move {
            let token =
                bearer(&req)?.ok_or_else(|| AppError::unauthenticated("unauthenticated", "Log in to do this."))?;
            match claims(&req, token)?.kind {
                Subject::Staff => StaffUser::from_request(&req, &mut payload).await.map(SignedIn::Staff),
                Subject::Applicant => Applicant::from_request(&req, &mut payload).await.map(SignedIn::Applicant),
            }
        })
    }
}

/// An applicant if a token was sent, or nobody (anonymous).
#[derive(Debug, Clone)]
pub struct MaybeApplicant(pub Option<Applicant>);

fn bearer(req: &HttpRequest) -> Result<Option<&str>, AppError> {
    let Some(h) = req.headers().get(actix_web::http::header::AUTHORIZATION) else {
        return Ok(None);
    };
    let h =
        h.to_str().map_err(|_| AppError::unauthenticated("invalid_token", "The Authorization header is not valid."))?;
    match h.strip_prefix("Bearer ").map(str::trim) {
        Some(t) if !t.is_empty() => Ok(Some(t)),
        _ => Err(AppError::unauthenticated("invalid_token", "Send the token as 'Authorization: Bearer <token>'.")),
    }
}

fn state(req: &HttpRequest) -> Result<web::Data<AppState>, AppError> {
    req.app_data::<web::Data<AppState>>().cloned().ok_or_else(|| AppError::internal("application state missing"))
}

fn claims(req: &HttpRequest, token: &str) -> Result<Claims, AppError> {
    let st = state(req)?;
    st.tokens.verify(token).map_err(|e| {
        use jsonwebtoken::errors::ErrorKind;
        match e.kind() {
            ErrorKind::ExpiredSignature => {
                AppError::unauthenticated("token_expired", "The token has expired. Log in again.")
            }
            _ => AppError::unauthenticated("invalid_token", "The token is not valid. Log in again."),
        }
    })
}

async fn applicant_from(req: &HttpRequest, c: Claims) -> Result<Applicant, AppError> {
    if c.kind != Subject::Applicant {
        return Err(AppError::Forbidden("This needs an applicant's login, not a staff login.".into()));
    }
    let invalid = || AppError::unauthenticated("invalid_token", "The token is not valid.");
    let personnummer = Personnummer::parse(&c.sub).map_err(|_| invalid())?;
    let (Some(sid), Some(idp), Some(loa)) = (c.sid, c.idp, c.loa) else { return Err(invalid()) };
    let st = state(req)?;
    crate::sessions::check(&st, &sid, &personnummer.as_digits()).await?;
    Ok(Applicant { personnummer, name: c.name, idp, loa, sid })
}

impl FromRequest for StaffUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let token =
                bearer(&req)?.ok_or_else(|| AppError::unauthenticated("unauthenticated", "Log in to do this."))?;
            let c = claims(&req, token)?;
            if c.kind != Subject::Staff {
                return Err(AppError::Forbidden("This needs a staff login.".into()));
            }
            let invalid = || AppError::unauthenticated("invalid_token", "The token is not valid.");
            let id = Uuid::parse_str(&c.sub).map_err(|_| invalid())?;
            let sid = c.sid.as_deref().and_then(|s| Uuid::parse_str(s).ok()).ok_or_else(invalid)?;
            let st = state(&req)?;
            if !db::sessions::staff_live(&st.db, sid, id).await? {
                return Err(AppError::unauthenticated("session_ended", "You are logged out. Log in again."));
            }
            let account = db::staff::find_by_id(&st.db, id)
                .await?
                .ok_or_else(|| AppError::unauthenticated("invalid_token", "The account no longer exists."))?;
            Ok(StaffUser { id: account.id, username: account.username, roles: account.roles, sid })
        })
    }
}

impl FromRequest for Applicant {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let token = bearer(&req)?
                .ok_or_else(|| AppError::unauthenticated("unauthenticated", "Log in with e-ID to do this."))?;
            let c = claims(&req, token)?;
            applicant_from(&req, c).await
        })
    }
}

impl FromRequest for MaybeApplicant {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            match bearer(&req)? {
                None => Ok(MaybeApplicant(None)),
                Some(token) => {
                    let c = claims(&req, token)?;
                    applicant_from(&req, c).await.map(|a| MaybeApplicant(Some(a)))
                }
            }
        })
    }
}
