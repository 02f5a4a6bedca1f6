//! The handlers' app (src/bin/staff.rs, staff.html) under `/handlaggning`, with its own session
//! (a staff member's) and stylesheet: the staff header and login, the inbox ([`inbox`]), one case
//! ([`case`]), the contact centre's look-up, a platform admin's start page ([`admin`]) and
//! retention ([`retention`]).

mod admin;
mod case;
mod contact_centre;
mod header;
mod inbox;
mod login;
mod retention;
mod table;

use leptos::prelude::*;

use crate::common::frame;
use crate::common::not_found::NotFound;
use crate::common::router::is_staff_path;
use crate::common::session::Staff;
use admin::AdminStart;
use case::StaffCase;
use contact_centre::ContactCentre;
use header::StaffHeader;
use inbox::StaffInbox;
use login::StaffLogin;
use retention::StaffRetention;

/// The whole handlers' app.
#[component]
pub fn StaffApp() -> impl IntoView {
    let location = frame::start::<Staff>(is_staff_path);
    let footer = ("Handläggning av kommunens e-tjänster.", "Case handling of the municipality's e-services.");
    frame::frame(location, view! { <StaffHeader /> }, route, footer)
}

fn route(path: &str) -> AnyView {
    let segments: Vec<&str> = path.trim_matches('/').split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        ["handlaggning"] => view! { <StaffInbox /> }.into_any(),
        ["handlaggning", "logga-in"] => view! { <StaffLogin /> }.into_any(),
        ["handlaggning", "kundtjanst"] => view! { <ContactCentre /> }.into_any(),
        ["handlaggning", "gallring"] => view! { <StaffRetention /> }.into_any(),
        ["handlaggning", "admin"] => view! { <AdminStart /> }.into_any(),
        ["handlaggning", "arenden", reference] => view! { <StaffCase reference=reference.to_string() /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    }
}
