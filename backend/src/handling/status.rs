//! Status changes by staff: which status a case may be moved to, the
//! comment, and the applicant's mail, in one transaction with the history
//! entry and the access log.

use shared::StatusDefinition;
use shared::StatusKind;
use shared::api::ChangeStatusRequest;

use super::{HandledCase, act};
use crate::db::cases::StatusUpdate;
use crate::error::{AppError, ErrorCode};
use crate::state::AppState;

/// Longest status-change comment.
const MAX_COMMENT: usize = 2_000;

/// Moves a case to another status of its service's list, recording who,
/// when, from, to and the comment in the history. Open supplement requests
/// are closed (the case no longer waits for them). A status of kind
/// `awaiting_supplement` is reached only by asking for a supplement.
pub async fn change(
    state: &AppState,
    case: &HandledCase<act::ChangeStatus>,
    body: ChangeStatusRequest,
) -> Result<(), AppError> {
    let (rec, service) = (&case.case, &case.service);
    let to = target(&service.statuses, &body.status, &rec.status_key)?;
    let comment = body.comment.map(|c| c.trim().to_string()).filter(|c| !c.is_empty());
    if comment.as_ref().is_some_and(|c| c.chars().count() > MAX_COMMENT) {
        return Err(AppError::new(
            ErrorCode::CommentTooLong,
            format!("The comment can be at most {MAX_COMMENT} characters."),
        ));
    }
    let mut mails = crate::messaging::mails_to(
        state,
        rec,
        service,
        &crate::outbox::STATUS_CHANGED,
        &crate::outbox::Recipients { applicant: rec.contact_email.clone(), ..Default::default() },
    );
    if !to.notify_applicant {
        mails.items.clear();
    }
    let changed = crate::db::cases::change_status(
        &state.db,
        rec.id,
        StatusUpdate {
            from_key: &rec.status_key,
            to,
            by_staff: case.user.id,
            by_name: &case.user.username,
            comment,
            mails,
        },
    )
    .await?;
    state.outbox_wake.notify_one();
    if !changed {
        return Err(AppError::new(
            ErrorCode::StatusChangedMeanwhile,
            "Someone changed the case's status meanwhile. Reload and try again.",
        ));
    }
    tracing::info!(case.reference = %rec.reference, status.from = %rec.status_key, status.to = %to.key, "case status changed");
    Ok(())
}

/// The status `key` names, when staff may move a case in status `current` there.
fn target<'a>(statuses: &'a [StatusDefinition], key: &str, current: &str) -> Result<&'a StatusDefinition, AppError> {
    let to = statuses.iter().find(|s| s.key == key).ok_or_else(|| {
        let keys: Vec<_> = statuses.iter().map(|s| s.key.as_str()).collect();
        AppError::new(
            ErrorCode::UnknownStatus,
            format!("'{key}' is not a status of this service; use one of: {}.", keys.join(", ")),
        )
    })?;
    if !to.kind.settable_by_staff() {
        return Err(AppError::new(
            ErrorCode::StatusNotSettable,
            format!("Status '{}' is set by the platform, not by hand.", to.key),
        ));
    }
    if to.kind == StatusKind::AwaitingSupplement {
        return Err(AppError::new(
            ErrorCode::SupplementNeedsRequest,
            format!(
                "Status '{}' waits for a supplement; ask for one with POST /api/v1/cases/{{reference}}/supplement-requests, which moves the case there and tells the applicant what to do.",
                to.key
            ),
        ));
    }
    if to.key == current {
        return Err(AppError::new(ErrorCode::StatusUnchanged, format!("The case already has status '{}'.", to.key)));
    }
    Ok(to)
}
