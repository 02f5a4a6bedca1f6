use actix_web::{HttpResponse, get, web};
use serde::Deserialize;

use crate::eid::oidc::OidcError;
use crate::error::AppError;
use crate::state::AppState;

/// What the identity provider sends back.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallbackQuery {
    /// The authorization code.
    pub code: Option<String>,
    /// The state we sent.
    pub state: Option<String>,
    /// An error code, when the person cancelled or the provider failed.
    pub error: Option<String>,
}

/// Where the identity provider sends the browser back. On success the
/// applicant's session starts and the browser goes to `/inloggad?biljett=…`,
/// where the app exchanges the one-time ticket for a token
/// (`auth/oidc/ticket`); on failure to `/logga-in?fel=<code>`.
#[utoipa::path(tag = "auth", params(CallbackQuery), responses(
    (status = 303, description = "Back to the app (Location header)")
))]
#[get("/auth/oidc/callback")]
pub async fn finish_oidc_login(
    state: web::Data<AppState>,
    q: web::Query<CallbackQuery>,
) -> Result<HttpResponse, AppError> {
    let rp = state
        .oidc
        .as_ref()
        .ok_or_else(|| AppError::NotFound("Login through the identity provider is turned off.".into()))?;
    let back = |location: String| {
        HttpResponse::SeeOther()
            .insert_header(("Location", location))
            .insert_header(("Cache-Control", "no-store"))
            .finish()
    };
    let (Some(code), Some(st)) = (q.code.as_deref(), q.state.as_deref()) else {
        let reason = if q.error.as_deref() == Some("access_denied") { "avbruten" } else { "misslyckad" };
        return Ok(back(format!("/logga-in?fel={reason}")));
    };
    match rp.finish(code, st).await {
        Ok(login) => {
            let token = crate::sessions::start(
                &state,
                crate::sessions::Login { identity: login.identity, idp: "oidc", loa: login.acr },
            )
            .await?;
            let ticket = rp.park(token).map_err(AppError::internal)?;
            Ok(back(format!("/inloggad?biljett={ticket}")))
        }
        Err(e) => {
            tracing::warn!(error = %e, "OIDC login refused");
            let reason = match e {
                OidcError::UnknownState => "utgangen",
                OidcError::WrongAcr => "otillracklig-niva",
                OidcError::Provider(_) => "ej-tillganglig",
                _ => "misslyckad",
            };
            Ok(back(format!("/logga-in?fel={reason}")))
        }
    }
}
