//! Extractors that put authorisation in handler signatures:
//! `StaffUser` (any staff token), `StaffWith<R>` (a staff token with one of
//! the roles of the rule `R`, e.g. [`Admin`]), `Applicant` (an applicant
//! token) and `MaybeApplicant` (an applicant token or none). A handler that
//! reads or changes one case takes `crate::handling::HandledCase` instead,
//! which checks the role and the service permission and logs the access.

use std::future::Future;
use std::marker::PhantomData;
use std::ops::Deref;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, web};
use shared::Personnummer;
use shared::api::StaffRole;
use uuid::Uuid;

use super::jwt::{Claims, Subject};
use crate::db;
use crate::error::{AppError, ErrorCode};
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

    /// True when the account has one of the rule's roles.
    pub fn meets<R: RoleRule>(&self) -> bool {
        R::ANY_OF.iter().any(|r| self.has(*r))
    }
}

/// Which staff roles may pass, and what anyone else is told (with 403).
pub trait RoleRule: 'static {
    /// The roles, any one of which lets the caller through.
    const ANY_OF: &'static [StaffRole];
    /// The refusal.
    const REFUSED: &'static str;
}

/// The role rules handlers name in their signatures.
pub mod role {
    use super::{RoleRule, StaffRole};

    /// Platform administrators.
    pub struct Admin;
    impl RoleRule for Admin {
        const ANY_OF: &'static [StaffRole] = &[StaffRole::PlatformAdmin];
        const REFUSED: &'static str = "Only platform administrators may do this.";
    }

    /// Case handlers.
    pub struct Handler;
    impl RoleRule for Handler {
        const ANY_OF: &'static [StaffRole] = &[StaffRole::Handler];
        const REFUSED: &'static str = "Only case handlers may do this, and this account has no handler role. A platform admin opens a case by its reference: its access log (GET /api/v1/cases/{reference}/access-log) and its legal hold (GET /api/v1/cases/{reference}/legal-hold).";
    }

    /// The contact centre, and platform administrators.
    pub struct ContactCentre;
    impl RoleRule for ContactCentre {
        const ANY_OF: &'static [StaffRole] = &[StaffRole::ContactCentre, StaffRole::PlatformAdmin];
        const REFUSED: &'static str = "Only the contact centre may look cases up.";
    }

    /// Who uses the service builder: platform administrators (everything) and service owners
    /// (the texts of their services).
    pub struct Builder;
    impl RoleRule for Builder {
        const ANY_OF: &'static [StaffRole] = &[StaffRole::PlatformAdmin, StaffRole::ServiceOwner];
        const REFUSED: &'static str = "Only platform admins and service owners may use the service builder.";
    }

    /// Who keeps records: service owners (of their services) and platform administrators.
    pub struct Keeper;
    impl RoleRule for Keeper {
        const ANY_OF: &'static [StaffRole] = &[StaffRole::ServiceOwner, StaffRole::PlatformAdmin];
        const REFUSED: &'static str = "Only service owners and platform admins may do this.";
    }
}

/// A signed-in staff member with one of the roles of the rule `R`; anyone
/// else gets 403.
pub struct StaffWith<R: RoleRule> {
    user: StaffUser,
    rule: PhantomData<R>,
}

/// A signed-in platform administrator.
pub type Admin = StaffWith<role::Admin>;
/// A signed-in platform administrator or service owner: the service builder's users.
pub type ServiceBuilder = StaffWith<role::Builder>;

impl<R: RoleRule> Deref for StaffWith<R> {
    type Target = StaffUser;

    fn deref(&self) -> &StaffUser {
        &self.user
    }
}

impl<R: RoleRule> StaffWith<R> {
    /// The caller, when they have one of the rule's roles.
    pub fn check(user: StaffUser) -> Result<Self, AppError> {
        if user.meets::<R>() {
            Ok(Self { user, rule: PhantomData })
        } else {
            Err(AppError::Forbidden(R::REFUSED.into()))
        }
    }
}

impl<R: RoleRule> FromRequest for StaffWith<R> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let user = StaffUser::from_request(req, payload);
        Box::pin(async move { Self::check(user.await?) })
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
            let token = bearer(&req)?.ok_or_else(|| AppError::new(ErrorCode::Unauthenticated, "Log in to do this."))?;
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
    let h = h.to_str().map_err(|_| AppError::new(ErrorCode::InvalidToken, "The Authorization header is not valid."))?;
    match h.strip_prefix("Bearer ").map(str::trim) {
        Some(t) if !t.is_empty() => Ok(Some(t)),
        _ => Err(AppError::new(ErrorCode::InvalidToken, "Send the token as 'Authorization: Bearer <token>'.")),
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
                AppError::new(ErrorCode::TokenExpired, "The token has expired. Log in again.")
            }
            _ => AppError::new(ErrorCode::InvalidToken, "The token is not valid. Log in again."),
        }
    })
}

async fn applicant_from(req: &HttpRequest, c: Claims) -> Result<Applicant, AppError> {
    if c.kind != Subject::Applicant {
        return Err(AppError::Forbidden("This needs an applicant's login, not a staff login.".into()));
    }
    let invalid = || AppError::new(ErrorCode::InvalidToken, "The token is not valid.");
    let personnummer = Personnummer::parse(&c.sub).map_err(|_| invalid())?;
    let (Some(sid), Some(idp), Some(loa)) = (c.sid, c.idp, c.loa) else { return Err(invalid()) };
    let st = state(req)?;
    crate::sessions::check(&st, &sid, &personnummer.as_digits()).await?;
    Ok(Applicant { personnummer, name: c.name, idp, loa, sid })
}

impl FromRequest for StaffUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    /// Loaded once per request: a second extractor of the same request (a
    /// role rule beside a case, say) gets the same account.
    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        use actix_web::HttpMessage;
        let req = req.clone();
        Box::pin(async move {
            if let Some(user) = req.extensions().get::<StaffUser>() {
                return Ok(user.clone());
            }
            let token = bearer(&req)?.ok_or_else(|| AppError::new(ErrorCode::Unauthenticated, "Log in to do this."))?;
            let c = claims(&req, token)?;
            if c.kind != Subject::Staff {
                return Err(AppError::Forbidden("This needs a staff login.".into()));
            }
            let invalid = || AppError::new(ErrorCode::InvalidToken, "The token is not valid.");
            let id = Uuid::parse_str(&c.sub).map_err(|_| invalid())?;
            let sid = c.sid.as_deref().and_then(|s| Uuid::parse_str(s).ok()).ok_or_else(invalid)?;
            let st = state(&req)?;
            if !db::sessions::staff_live(&st.db, sid, id).await? {
                return Err(AppError::new(ErrorCode::SessionEnded, "You are logged out. Log in again."));
            }
            let account = db::staff::find_by_id(&st.db, id)
                .await?
                .ok_or_else(|| AppError::new(ErrorCode::InvalidToken, "The account no longer exists."))?;
            let user = StaffUser { id: account.id, username: account.username, roles: account.roles, sid };
            req.extensions_mut().insert(user.clone());
            Ok(user)
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
                .ok_or_else(|| AppError::new(ErrorCode::Unauthenticated, "Log in with e-ID to do this."))?;
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
