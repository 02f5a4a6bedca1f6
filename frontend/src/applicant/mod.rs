//! The applicants' app (src/main.rs, index.html): the catalogue, a service's first page, the
//! login (BankID, other e-ID through OIDC), the application journey with its "Välj barn" field
//! and sign-and-send step, and Mina uppgifter. Mina sidor and the handlers' pages are other apps:
//! links there load them.

mod catalogue;
mod journey;
mod logged_out;
mod login;
mod login_return;
mod my_details;
mod service;

use leptos::prelude::*;

use crate::common::frame::{self, APPLICANT_FOOTER, SiteHeader};
use crate::common::not_found::NotFound;
use crate::common::router::{is_my_pages_path, is_staff_path};
use crate::common::session::Applicant;
use catalogue::Catalogue;
use journey::Journey;
use logged_out::LoggedOut;
use login::Login;
use login_return::LoginReturn;
use my_details::MyDetails;
use service::ServiceFirstPage;

/// The applicants' app: the catalogue, service pages, login and the application.
#[component]
pub fn App() -> AnyView {
    let location = frame::start::<Applicant>(|path| !is_staff_path(path) && !is_my_pages_path(path));
    frame::frame(location, view! { <SiteHeader /> }, route, APPLICANT_FOOTER).into_any()
}

/// The page for a path.
fn route(path: &str) -> AnyView {
    let segments: Vec<&str> = path.trim_matches('/').split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        [] => view! { <Catalogue /> }.into_any(),
        ["tjanster", slug] => view! { <ServiceFirstPage slug=slug.to_string() /> }.into_any(),
        ["tjanster", slug, "ansokan"] => view! { <Journey slug=slug.to_string() /> }.into_any(),
        ["logga-in"] => view! { <Login /> }.into_any(),
        ["inloggad"] => view! { <LoginReturn /> }.into_any(),
        ["mina-uppgifter"] => view! { <MyDetails /> }.into_any(),
        ["utloggad"] => view! { <LoggedOut /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    }
}
