//! `/inloggad?biljett=…`: where the OIDC login comes back. The one-time ticket
//! is exchanged for the applicant's token, and the app goes on to where the
//! login started from.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api;
use crate::auth::{self, DEFAULT_RETURN, use_auth};
use crate::components::{Loading, set_title};

#[component]
pub fn LoginReturn() -> impl IntoView {
    set_title("Loggar in");
    let auth = use_auth();
    let navigate = use_navigate();
    let failure = RwSignal::new(None::<String>);
    let ticket = use_query_map().with_untracked(|q| q.get("biljett")).filter(|t| !t.is_empty());
    match ticket {
        None => failure.set(Some("Adressen saknar uppgifter om inloggningen. Logga in igen.".to_owned())),
        Some(ticket) => spawn_local(async move {
            match api::redeem_login_ticket(&ticket).await {
                Ok(token) => {
                    auth.sign_in(token);
                    let to = auth::remembered_return_path().unwrap_or_else(|| DEFAULT_RETURN.to_owned());
                    auth::forget_return_path();
                    // Replace: the ticket works once, so this address must not stay in the history.
                    navigate(&to, NavigateOptions { replace: true, ..NavigateOptions::default() });
                }
                Err(e) => {
                    let text = match &e {
                        e if e.is_unauthorized() => {
                            "Inloggningen har gått ut eller har redan använts. Logga in igen.".to_owned()
                        }
                        e if e.is_not_found() => {
                            "Inloggning med e-legitimation är inte tillgänglig just nu. Försök igen senare.".to_owned()
                        }
                        e => e.user_message(),
                    };
                    failure.try_set(Some(text));
                }
            }
        }),
    }
    move || match failure.get() {
        None => view! {
            <h1>"Loggar in"</h1>
            <Loading message="Du loggas in …" />
        }
        .into_any(),
        Some(text) => {
            set_title("Det gick inte att logga in");
            view! {
                <h1>"Det gick inte att logga in"</h1>
                <div class="alert" role="alert">
                    <p>{text}</p>
                </div>
                <p>
                    <a class="button button-start" href="/logga-in">
                        "Logga in igen"
                    </a>
                </p>
            }
            .into_any()
        }
    }
}
