//! `/inloggad?biljett=…`: where the OIDC login comes back. The one-time ticket
//! is exchanged for the applicant's token, and the app goes on to where the
//! login started from.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::validate::Localized;

use crate::common::api;
use crate::common::i18n::{loc, pick, set_title, tx};
use crate::common::loader::Loading;
use crate::common::router::{self, navigate};
use crate::common::session::{self as auth, DEFAULT_RETURN, use_auth};

#[component]
pub fn LoginReturn() -> impl IntoView {
    set_title("Loggar in", "Logging in");
    let auth = use_auth();
    let failure = RwSignal::new(None::<Localized>);
    let ticket =
        router::location().search.with_untracked(|s| router::query_param(s, "biljett")).filter(|t| !t.is_empty());
    match ticket {
        None => failure.set(Some(loc(
            "Adressen saknar uppgifter om inloggningen. Logga in igen.",
            "The address lacks the details of the login. Log in again.",
        ))),
        Some(ticket) => spawn_local(async move {
            match api::redeem_login_ticket(&ticket).await {
                Ok(token) => {
                    auth.sign_in(token);
                    let to = auth::remembered_return_path().unwrap_or_else(|| DEFAULT_RETURN.to_owned());
                    auth::forget_return_path();
                    // Replace: the ticket works once, so this address must not stay in the history.
                    navigate(&to, true);
                }
                Err(e) => {
                    let text = match &e {
                        e if e.is_unauthorized() => loc(
                            "Inloggningen har gått ut eller har redan använts. Logga in igen.",
                            "The login has expired or has already been used. Log in again.",
                        ),
                        e if e.is_not_found() => loc(
                            "Inloggning med e-legitimation är inte tillgänglig just nu. Försök igen senare.",
                            "Logging in with e-ID is not available right now. Try again later.",
                        ),
                        e => e.user_message(),
                    };
                    failure.try_set(Some(text));
                }
            }
        }),
    }
    move || match failure.get() {
        None => view! {
            <h1>{tx("Loggar in", "Logging in")}</h1>
            <Loading sv="Du loggas in …" en="Logging you in …" />
        }
        .into_any(),
        Some(text) => {
            set_title("Det gick inte att logga in", "The login did not succeed");
            view! {
                <h1>{tx("Det gick inte att logga in", "The login did not succeed")}</h1>
                <div class="alert" role="alert">
                    <p>{move || pick(&text).to_owned()}</p>
                </div>
                <p>
                    <a class="button button-start" href="/logga-in">
                        {tx("Logga in igen", "Log in again")}
                    </a>
                </p>
            }
            .into_any()
        }
    }
}
