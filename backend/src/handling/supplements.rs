//! Supplements ("komplettering"): a handler asks the applicant for more, the
//! case waits in a status of kind `awaiting_supplement`, and the applicant's
//! answer is merged into the case, validated again against its form
//! version, recorded as a before/after diff, and the case returns to the
//! status it had.

use shared::handling::{AnswerChange, Supplement, SupplementAnswer, SupplementRequestInput};
use shared::{FieldKind, StatusKind};
use uuid::Uuid;

use super::{HandledCase, act};
use crate::db::cases::CaseRecord;
use crate::db::services::ServiceRef;
use crate::error::{AppError, ErrorCode};
use crate::state::AppState;

/// Asks the applicant to supplement the case: the case moves to a status of
/// kind `awaiting_supplement` that lets the applicant supplement, the
/// applicant is told by mail (without the message), and an older open
/// request is closed (only the newest can be answered).
pub async fn request(
    state: &AppState,
    case: &HandledCase<act::RequestSupplement>,
    body: SupplementRequestInput,
) -> Result<Supplement, AppError> {
    let (rec, service) = (&case.case, &case.service);
    let message = crate::messaging::text(&body.message, "message")?;
    let to = match &body.status {
        Some(key) => service.statuses.iter().find(|s| &s.key == key && s.kind == StatusKind::AwaitingSupplement),
        None => service
            .statuses
            .iter()
            .find(|s| s.kind == StatusKind::AwaitingSupplement && s.applicant_may_supplement),
    }
    .ok_or_else(|| {
        AppError::new(
            ErrorCode::NoSupplementStatus,
            "The service has no such status of kind awaiting_supplement; add one to its status list (with applicant_may_supplement) first.",
        )
    })?;
    if !to.applicant_may_supplement {
        return Err(AppError::new(
            ErrorCode::StatusNotSupplementable,
            format!(
                "In status '{}' the applicant cannot supplement (its applicant_may_supplement is off); choose a status that lets them, or turn it on.",
                to.key
            ),
        ));
    }
    match service.statuses.iter().find(|s| s.key == rec.status_key).map(|s| s.kind) {
        Some(StatusKind::AwaitingSupplement) => {
            return Err(AppError::new(
                ErrorCode::AlreadyAwaitingSupplement,
                "The case already waits for a supplement.",
            ));
        }
        Some(StatusKind::Closed) => {
            return Err(AppError::new(ErrorCode::CaseClosed, "The case is closed; re-open it before asking for more."));
        }
        _ => {}
    }
    let form = crate::db::cases::form_of(&state.db, rec).await?;
    for key in &body.fields {
        if !form.field(key).is_some_and(|f| f.kind.takes_answer()) {
            return Err(AppError::new(
                ErrorCode::UnknownField,
                format!("'{key}' is not a field of this case's form that takes an answer."),
            ));
        }
    }
    let mails = crate::messaging::mails_about(state, rec, service, &crate::outbox::SUPPLEMENT_REQUESTED);
    let asked = crate::db::supplements::request(
        &state.db,
        crate::db::supplements::NewRequest {
            case_id: rec.id,
            staff_id: case.user.id,
            staff_name: &case.user.username,
            message: &message,
            fields: &body.fields,
            from_key: &rec.status_key,
            to,
        },
        mails,
    )
    .await?
    .ok_or_else(|| {
        AppError::new(
            ErrorCode::StatusChangedMeanwhile,
            "Someone changed the case's status meanwhile. Reload and try again.",
        )
    })?;
    state.outbox_wake.notify_one();
    tracing::info!(case.reference = %rec.reference, staff.username = %case.user.username, "supplement requested");
    Ok(asked)
}

/// The applicant answers the open request `id` of their case: the new
/// answers replace the old ones for the fields asked about (`null` removes
/// one), the whole case is validated again against its form version, and the
/// case returns to the handler with the changes recorded. A new answer to
/// the form's contact e-mail field becomes the address later mails go to.
/// Invalid answers change nothing.
pub async fn answer(
    state: &AppState,
    rec: &CaseRecord,
    service: &ServiceRef,
    id: Uuid,
    body: &SupplementAnswer,
) -> Result<Supplement, AppError> {
    let not_found = || AppError::NotFound("There is no open supplement request with that id on your case.".into());
    let (request, back_key, latest) = crate::db::supplements::find(&state.db, rec.id, id)
        .await?
        .filter(|(r, _, _)| r.answered_at.is_none())
        .ok_or_else(not_found)?;
    if request.closed_at.is_some() || !latest {
        return Err(AppError::new(
            ErrorCode::SupplementClosed,
            "This supplement request is closed: the case no longer waits for it, or a newer request replaced it. Answer the newest open request, if there is one.",
        ));
    }
    let status = service.statuses.iter().find(|s| s.key == rec.status_key);
    if !status.is_some_and(|s| s.kind == StatusKind::AwaitingSupplement && s.applicant_may_supplement) {
        return Err(AppError::new(
            ErrorCode::SupplementClosed,
            "The case does not take a supplement in its current status.",
        ));
    }
    let form = crate::db::cases::form_of(&state.db, rec).await?;
    let before = rec.answers()?;
    let mut merged = before.clone();
    for (key, value) in &body.answers {
        let Some(field) = form.field(key) else {
            return Err(AppError::new(ErrorCode::UnknownField, format!("'{key}' is not a field of this case's form.")));
        };
        if !request.fields.is_empty() && !request.fields.contains(key) {
            return Err(AppError::new(
                ErrorCode::FieldNotRequested,
                format!("'{key}' is not one of the fields the handler asked about: {}.", request.fields.join(", ")),
            ));
        }
        if matches!(field.kind, FieldKind::File { .. }) {
            return Err(AppError::new(
                ErrorCode::FileSupplementUnsupported,
                format!("'{key}' is a file field; send the file as a message attachment instead."),
            ));
        }
        if value.is_null() {
            merged.remove(key);
        } else {
            merged.insert(key.clone(), value.clone());
        }
    }
    let validated = shared::validate(&form, &merged).map_err(AppError::Validation)?;
    let changes: Vec<AnswerChange> = form
        .fields()
        .map(|(_, f)| &f.key)
        .filter_map(|key| {
            let (was, now) = (before.get(key), validated.get(key));
            (was != now).then(|| AnswerChange { field: key.clone(), before: was.cloned(), after: now.cloned() })
        })
        .collect();
    let back = service
        .statuses
        .iter()
        .find(|s| s.key == back_key)
        .or_else(|| shared::status::initial_status(&service.statuses))
        .ok_or_else(|| AppError::internal(format!("service {} has no status to return to", service.slug)))?;
    let mails = crate::messaging::mails_about(state, rec, service, &crate::outbox::SUPPLEMENT_RECEIVED);
    let answered = crate::db::supplements::Answered {
        case_id: rec.id,
        supplement_id: request.id,
        from_key: &rec.status_key,
        back,
        answers: &validated,
        changes: &changes,
        contact_email: form.contact_email(&validated),
    };
    if !crate::db::supplements::answer(&state.db, answered, mails).await? {
        return Err(AppError::new(
            ErrorCode::SupplementClosed,
            "The request was answered or the case changed meanwhile. Reload and try again.",
        ));
    }
    state.outbox_wake.notify_one();
    crate::db::supplements::list(&state.db, rec.id)
        .await?
        .into_iter()
        .find(|s| s.id == request.id)
        .ok_or_else(|| AppError::internal("the answered request is gone"))
}
