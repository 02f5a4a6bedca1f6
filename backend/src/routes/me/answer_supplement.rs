use actix_web::{HttpResponse, post, web};
use shared::api::ApiError;
use shared::handling::{AnswerChange, Supplement, SupplementAnswer};
use shared::{FieldKind, StatusKind};
use uuid::Uuid;

use crate::auth::extract::Applicant;
use crate::error::AppError;
use crate::state::AppState;

/// Answers an open supplement request: the new answers replace the old ones
/// for the fields asked about (`null` removes one), the whole case is
/// validated again against its form version, and the case returns to the
/// handler with the changes recorded. A new answer to the form's contact
/// e-mail field (`autocomplete: email`) becomes the address later mails
/// about the case go to. Invalid answers change nothing.
#[utoipa::path(tag = "me", request_body = SupplementAnswer, security(("bearer" = [])), params(
    ("reference" = String, Path, description = "The case reference"),
    ("id" = Uuid, Path, description = "The supplement request's id")
), responses(
    (status = 200, description = "Supplemented; the request with its changes", body = Supplement),
    (status = 404, description = "No such case of yours, or no unanswered request with that id", body = ApiError),
    (status = 409, description = "`supplement_closed`: the request was closed (the case left the awaiting-supplement status, or a newer request replaced it), or the case's status does not take a supplement now", body = ApiError),
    (status = 422, description = "A field was not asked about, is a file field, or an answer is not valid (`errors` per field)", body = ApiError)
))]
#[post("/me/cases/{reference}/supplements/{id}/answer")]
pub async fn answer_supplement(
    state: web::Data<AppState>,
    me: Applicant,
    path: web::Path<(String, Uuid)>,
    body: web::Json<SupplementAnswer>,
) -> Result<HttpResponse, AppError> {
    let (reference, id) = path.into_inner();
    let (rec, service) = super::my_case(&state, &me, &reference).await?;
    let not_found = || AppError::NotFound("There is no open supplement request with that id on your case.".into());
    let (request, back_key, latest) = crate::db::supplements::find(&state.db, rec.id, id)
        .await?
        .filter(|(r, _, _)| r.answered_at.is_none())
        .ok_or_else(not_found)?;
    if request.closed_at.is_some() || !latest {
        return Err(AppError::conflict(
            "supplement_closed",
            "This supplement request is closed: the case no longer waits for it, or a newer request replaced it. Answer the newest open request, if there is one.",
        ));
    }
    let status = service.statuses.iter().find(|s| s.key == rec.status_key);
    if !status.is_some_and(|s| s.kind == StatusKind::AwaitingSupplement && s.applicant_may_supplement) {
        return Err(AppError::conflict(
            "supplement_closed",
            "The case does not take a supplement in its current status.",
        ));
    }
    let detail = crate::db::cases::detail(&state.db, &rec, &service).await?;
    let mut merged = detail.answers.clone();
    for (key, value) in &body.answers {
        let Some(field) = detail.form.field(key) else {
            return Err(AppError::unprocessable(
                "unknown_field",
                format!("'{key}' is not a field of this case's form."),
            ));
        };
        if !request.fields.is_empty() && !request.fields.contains(key) {
            return Err(AppError::unprocessable(
                "field_not_requested",
                format!("'{key}' is not one of the fields the handler asked about: {}.", request.fields.join(", ")),
            ));
        }
        if matches!(field.kind, FieldKind::File { .. }) {
            return Err(AppError::unprocessable(
                "file_supplement_unsupported",
                format!("'{key}' is a file field; send the file as a message attachment instead."),
            ));
        }
        if value.is_null() {
            merged.remove(key);
        } else {
            merged.insert(key.clone(), value.clone());
        }
    }
    let validated = shared::validate(&detail.form, &merged).map_err(AppError::Validation)?;
    let changes: Vec<AnswerChange> = detail
        .form
        .fields()
        .map(|(_, f)| &f.key)
        .filter_map(|key| {
            let (before, after) = (detail.answers.get(key), validated.get(key));
            (before != after).then(|| AnswerChange {
                field: key.clone(),
                before: before.cloned(),
                after: after.cloned(),
            })
        })
        .collect();
    let back = service
        .statuses
        .iter()
        .find(|s| s.key == back_key)
        .or_else(|| shared::status::initial_status(&service.statuses))
        .ok_or_else(|| AppError::internal(format!("service {} has no status to return to", service.slug)))?;
    let mails = crate::messaging::mails_about(&state, &rec, &service, &crate::outbox::SUPPLEMENT_RECEIVED)?;
    let answered = crate::db::supplements::Answered {
        case_id: rec.id,
        supplement_id: request.id,
        from_key: &rec.status_key,
        back,
        answers: &validated,
        changes: &changes,
        contact_email: detail.form.contact_email(&validated),
    };
    let done = crate::db::supplements::answer(&state.db, answered, mails).await?;
    if !done {
        return Err(AppError::conflict(
            "supplement_closed",
            "The request was answered or the case changed meanwhile. Reload and try again.",
        ));
    }
    state.outbox_wake.notify_one();
    let answered = crate::db::supplements::list(&state.db, rec.id)
        .await?
        .into_iter()
        .find(|s| s.id == request.id)
        .ok_or_else(|| AppError::internal("the answered request is gone"))?;
    Ok(HttpResponse::Ok().json(answered))
}
