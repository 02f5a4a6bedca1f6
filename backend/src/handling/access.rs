//! Staff access to one case, as extractors: [`HandledCase`] for a handler's
//! work on a case, [`HeldCase`] for its retention and legal hold. Each names
//! in its type what the caller does ([`Access`]); a read is written to the
//! case's access log as the case is loaded, and a change by the transaction
//! that makes it. So "every staff read is logged" holds for every handler
//! that takes one of these, and a handler that reads a case takes one.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, web};
use shared::handling::AccessAction;

use crate::auth::extract::{RoleRule, StaffUser, role};
use crate::db::cases::CaseRecord;
use crate::db::services::ServiceRef;
use crate::error::AppError;
use crate::state::AppState;

/// When an access is written to the case's access log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Logged {
    /// As the case is loaded, before the handler runs: every read.
    OnLoad,
    /// By the transaction that makes the change (so a refused change leaves no entry).
    WithTheChange,
}

/// What a staff member does with a case: its access-log action, and when
/// that is logged.
pub trait Access: 'static {
    /// The access-log action.
    const ACTION: AccessAction;
    /// When it is logged.
    const LOGGED: Logged;
}

/// The accesses, one type per [`AccessAction`], for extractors' type parameters.
pub mod act {
    use super::{Access, AccessAction, Logged};

    macro_rules! accesses {
        ($logged:ident: $($name:ident),+ $(,)?) => {$(
            #[doc = concat!("[`AccessAction::", stringify!($name), "`].")]
            pub struct $name;
            impl Access for $name {
                const ACTION: AccessAction = AccessAction::$name;
                const LOGGED: Logged = Logged::$logged;
            }
        )+};
    }

    accesses!(OnLoad:
        ReadCase,
        ReadNotes,
        ReadMessages,
        ReadSignatures,
        ReadSupplements,
        ReadLegalHold,
        VerifySignatures,
        DownloadSignatureEvidence,
        ListDocuments,
        DownloadDocument,
        DownloadAttachment,
        DownloadMessageAttachment,
        AttachMessageFile,
    );
    accesses!(WithTheChange:
        AttachDocument,
        Assign,
        SendMessage,
        AddNote,
        ChangeStatus,
        RequestSupplement,
        RevokeFollowLink,
        SetLegalHold,
        LiftLegalHold,
    );
}

/// A case the caller may handle, loaded from the path's `{reference}`: the
/// caller is a handler permitted on its service, and the case is one staff
/// may see (not one awaiting signatures or ended without them). Anything
/// else is 404, so the existence of a case is not revealed; a caller who is
/// no handler gets 403.
pub struct HandledCase<A: Access> {
    /// The caller.
    pub user: StaffUser,
    /// The case.
    pub case: CaseRecord,
    /// Its service.
    pub service: ServiceRef,
    access: PhantomData<A>,
}

/// A case for its retention and legal hold, loaded from the path's
/// `{reference}`: any case staff may see for a platform admin; for anyone
/// else one of a service they are permitted on. Anything else is 404.
pub struct HeldCase<A: Access> {
    /// The caller.
    pub user: StaffUser,
    /// The case.
    pub case: CaseRecord,
    /// Its service.
    pub service: ServiceRef,
    access: PhantomData<A>,
}

/// Who may load a case, and what anyone else is told.
struct Scope {
    /// Permitted on any service when they have a role of these.
    any_service: &'static [shared::api::StaffRole],
    missing: &'static str,
}

async fn load<A: Access>(req: HttpRequest, scope: Scope) -> Result<(StaffUser, CaseRecord, ServiceRef), AppError> {
    let user = StaffUser::extract(&req).await?;
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| AppError::internal("application state missing"))?;
    let reference = req.match_info().get("reference").unwrap_or_default();
    let not_found = || AppError::NotFound(scope.missing.into());
    let case = crate::db::cases::find_for_staff(&state.db, reference).await?.ok_or_else(not_found)?;
    let any = scope.any_service.iter().any(|r| user.has(*r));
    if !any && !crate::db::staff::is_permitted(&state.db, case.service_id, user.id).await? {
        return Err(not_found());
    }
    let service = crate::db::services::get_ref_by_id(&state.db, case.service_id).await?.ok_or_else(not_found)?;
    if A::LOGGED == Logged::OnLoad {
        crate::db::access_log::record(&state.db, case.id, user.id, A::ACTION).await?;
    }
    Ok((user, case, service))
}

impl<A: Access> FromRequest for HandledCase<A> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let user = StaffUser::extract(&req).await?;
            if !user.meets::<role::Handler>() {
                return Err(AppError::Forbidden(role::Handler::REFUSED.into()));
            }
            let scope =
                Scope { any_service: &[], missing: "There is no case with that reference that you may handle." };
            let (user, case, service) = load::<A>(req, scope).await?;
            Ok(Self { user, case, service, access: PhantomData })
        })
    }
}

impl<A: Access> FromRequest for HeldCase<A> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let scope = Scope {
                any_service: &[shared::api::StaffRole::PlatformAdmin],
                missing: "There is no case with that reference that you may see.",
            };
            let (user, case, service) = load::<A>(req, scope).await?;
            Ok(Self { user, case, service, access: PhantomData })
        })
    }
}
