//! The signed-in applicant's drafts: started from a catalogue service, saved
//! as they go, resumed on any device, moved to a new form version when the
//! service publishes one, and submitted as a case. Never visible to staff.

pub mod create_draft;
pub mod delete_my_draft;
pub mod get_my_draft;
pub mod list_my_drafts;
pub mod save_my_draft;
pub mod submit_my_draft;

use shared::api::{DraftView, ReanswerField};
use shared::condition::is_answered;
use shared::{Answers, FieldError, FieldErrorCode, FormDefinition};

use crate::auth::extract::Applicant;
use crate::db::drafts::{DraftRecord, Moved};
use crate::error::{AppError, ErrorCode};
use crate::state::AppState;

fn no_such_draft() -> AppError {
    AppError::NotFound("You have no draft with that id.".into())
}

/// Checks that a draft's answers are all for fields of the form version
/// that take an answer, and that the page exists. Values are not judged:
/// a draft may hold unfinished answers.
fn check_answers(definition: &FormDefinition, answers: &Answers, page: Option<&str>) -> Result<(), AppError> {
    let errors: Vec<FieldError> = answers
        .keys()
        .filter_map(|key| {
            let code = match definition.field(key) {
                None => FieldErrorCode::UnknownField,
                Some(f) if !f.kind.takes_answer() => FieldErrorCode::NotAnswerable,
                Some(_) => return None,
            };
            Some(FieldError::new(key, code))
        })
        .collect();
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    if let Some(page) = page
        && !definition.pages.iter().any(|p| p.key == page)
    {
        return Err(AppError::new(ErrorCode::UnknownPage, format!("The form has no page '{page}'.")));
    }
    Ok(())
}

/// Moves answers to a new form version ([`shared::carry_over`]), keeping
/// fields still to answer again from an earlier move that nobody saved since.
fn carry(old: &FormDefinition, new: &FormDefinition, answers: &Answers, earlier: &[ReanswerField]) -> Moved {
    let (kept, mut reanswer) = shared::carry_over(old, new, answers);
    let shown = shared::validate::visibility(new, &kept).fields;
    for e in earlier {
        let listed = reanswer.iter().any(|r| r.field == e.field);
        let answered = kept.get(&e.field).is_some_and(is_answered);
        if let Some(f) = new.field(&e.field).filter(|f| f.kind.takes_answer() && shown.contains(&f.key))
            && !listed
            && !answered
        {
            reanswer.push(ReanswerField { field: f.key.clone(), label: f.label.clone() });
        }
    }
    reanswer.sort_by_key(|r| new.fields().position(|(_, f)| f.key == r.field));
    (kept, reanswer)
}

/// The draft as the applicant gets it: on the service's current form version.
/// When a newer version was published since, the answers that still fit are
/// moved to it (and stored), and `reanswer` lists what to answer again, until
/// the next save.
async fn current_view(state: &AppState, me: &Applicant, draft: DraftRecord) -> Result<DraftView, AppError> {
    let service = crate::db::services::get_ref_by_id(&state.db, draft.service_id).await?.ok_or_else(no_such_draft)?;
    let draft = match service.published_version {
        Some(current) if current != draft.form_version => {
            crate::db::drafts::move_to_version(&state.db, draft.id, &me.personnummer.as_digits(), current, carry)
                .await?
                .ok_or_else(no_such_draft)?
        }
        _ => draft,
    };
    Ok(draft.view(&service))
}
