//! The service builder (src/bin/bygga.rs, bygga.html) under `/bygga`, its own wasm so that no
//! applicant or handler downloads it: the platform team's and service owners' tool for turning a
//! municipality's order into an e-service. The services with their state ([`services`]), one
//! service's settings with the checklist's name guidance ([`settings`]), its versions (publish
//! with the checklist and a note, restore, compare), copying, unpublishing and the builder's log
//! ([`service`]), the form editor with its live preview ([`editor`]) and the flow diagram
//! ([`flow`]). A save carries the revision it was made from,
//! so two editors never overwrite each other. The staff member's session is the handlers' app's
//! (the same tab's token); logging in happens there.

mod editor;
mod flow;
mod service;
mod services;
mod settings;

use leptos::prelude::*;
use shared::api::StaffRole;

use crate::common::frame::{self, StaffAccount};
use crate::common::i18n::{LanguageSwitch, tx};
use crate::common::not_found::NotFound;
use crate::common::router::is_builder_path;
use crate::common::session::{Staff, use_staff};

/// The builder's start page: the services.
pub const BUILDER_PATH: &str = "/bygga";
/// Who may use the builder: platform admins build, service owners change texts.
const BUILDER_ROLES: [StaffRole; 2] = [StaffRole::PlatformAdmin, StaffRole::ServiceOwner];

/// The whole builder.
#[component]
pub fn BuilderApp() -> impl IntoView {
    let location = frame::start::<Staff>(is_builder_path);
    let footer = ("Bygg och publicera kommunens e-tjänster.", "Build and publish the municipality's e-services.");
    frame::frame(location, view! { <BuilderHeader /> }, route, footer)
}

fn route(path: &str) -> AnyView {
    let segments: Vec<&str> = path.trim_matches('/').split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        ["bygga"] => view! { <services::ServiceList /> }.into_any(),
        ["bygga", "ny"] => view! { <services::NewService /> }.into_any(),
        ["bygga", slug] => view! { <service::ServicePage slug=slug.to_string() /> }.into_any(),
        ["bygga", slug, "formular"] => view! { <editor::FormEditorPage slug=slug.to_string() /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    }
}

/// "Bygga e-tjänster", the services, the handlers' app, who is logged in, "Logga ut".
#[component]
fn BuilderHeader() -> impl IntoView {
    view! {
        <header class="site-header staff-header">
            <div class="wrap header-row">
                <a class="site-name" href=BUILDER_PATH>
                    {tx("Bygga e-tjänster", "Service builder")}
                </a>
                <div class="header-tools">
                    <StaffAccount>
                        <a class="header-link" href="/handlaggning">
                            {tx("Handläggning", "Case handling")}
                        </a>
                    </StaffAccount>
                    <LanguageSwitch />
                </div>
            </div>
        </header>
    }
}

/// The page for builders only: others are told so, and nothing is fetched for them.
#[component]
fn RequireBuilder(children: ChildrenFn) -> impl IntoView {
    let staff = use_staff();
    view! {
        <crate::common::session::RequireStaff>
            {
                let children = children.clone();
                move || {
                    if staff.may_have(&BUILDER_ROLES) {
                        children().into_any()
                    } else {
                        view! {
                            <div class="alert" role="alert">
                                <p>
                                    {tx(
                                        "Tjänstebyggaren är för plattformsadministratörer och tjänsteägare.",
                                        "The service builder is for platform admins and service owners.",
                                    )}
                                </p>
                            </div>
                        }
                            .into_any()
                    }
                }
            }
        </crate::common::session::RequireStaff>
    }
}
