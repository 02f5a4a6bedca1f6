use actix_web::{HttpResponse, get, web};
use serde::Deserialize;
use shared::api::ApiError;
use shared::handling::StatusCount;

use crate::auth::extract::{StaffWith, role};
use crate::error::AppError;
use crate::state::AppState;

/// Which services to count.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CountQuery {
    /// Only this service (URL name); all the handler's services when absent.
    pub service: Option<String>,
}

/// How many cases are in each status, over the services the handler is
/// permitted on (or one of them), in the order of the status lists.
#[utoipa::path(tag = "cases", security(("bearer" = [])), params(CountQuery), responses(
    (status = 200, description = "Counts per status", body = [StatusCount]),
    (status = 403, description = "Not a handler, or not permitted on the service", body = ApiError)
))]
#[get("/cases/counts")]
pub async fn count_cases(
    state: web::Data<AppState>,
    user: StaffWith<role::Handler>,
    q: web::Query<CountQuery>,
) -> Result<HttpResponse, AppError> {
    let mut service_ids = crate::db::staff::permitted_service_ids(&state.db, user.id).await?;
    if let Some(slug) = &q.service {
        match crate::db::services::get_ref(&state.db, slug).await? {
            Some(s) if service_ids.contains(&s.id) => service_ids = vec![s.id],
            _ => return Err(AppError::Forbidden(format!("You are not permitted on the service '{slug}'."))),
        }
    }
    let rows = crate::db::handling::counts(&state.db, &service_ids).await?;
    // Sum per status key, in the order the services list their statuses.
    let mut out: Vec<StatusCount> = Vec::new();
    for id in &service_ids {
        let Some(service) = crate::db::services::get_ref_by_id(&state.db, *id).await? else { continue };
        for status in &service.statuses {
            let n: i64 = rows.iter().filter(|(s, k, _)| s == id && *k == status.key).map(|(_, _, n)| *n).sum();
            match out.iter_mut().find(|c| c.status.key == status.key) {
                Some(c) => c.count += n.max(0) as u64,
                None => out.push(StatusCount {
                    status: shared::api::CaseStatus {
                        key: status.key.clone(),
                        name: status.name.clone(),
                        name_en: status.name_en.clone(),
                        kind: status.kind,
                    },
                    count: n.max(0) as u64,
                }),
            }
        }
    }
    Ok(HttpResponse::Ok().json(out))
}
