//! `/bygga`: every service the staff member may build, with its state (draft, published,
//! unpublished), its current version and who saved it last; and `/bygga/ny`, a new service.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::{ServiceState, ServiceView, StaffRole};

use super::settings::{SettingsDraft, SettingsFields, blank, problems_view};
use super::{BUILDER_PATH, RequireBuilder};
use crate::common::api::{self, FetchError};
use crate::common::i18n::{set_title, tx};
use crate::common::loader::{load, show_loaded};
use crate::common::router::navigate;
use crate::common::session::use_staff;

/// A service's state in words.
pub fn state_name(state: ServiceState) -> &'static str {
    match state {
        ServiceState::Draft => tx("Utkast", "Draft")(),
        ServiceState::Published => tx("Publicerad", "Published")(),
        ServiceState::Unpublished => tx("Avpublicerad", "Unpublished")(),
    }
}

#[component]
pub fn ServiceList() -> impl IntoView {
    set_title("Tjänster – bygga e-tjänster", "Services – service builder");
    view! {
        <RequireBuilder>
            <List />
        </RequireBuilder>
    }
}

#[component]
fn List() -> impl IntoView {
    let staff = use_staff();
    let (list, retry) = load(move || staff.call(|t| async move { api::staff_services(&t).await }));
    view! {
        <h1>{tx("Tjänster", "Services")}</h1>
        {move || {
            staff
                .may_have(&[StaffRole::PlatformAdmin])
                .then(|| {
                    view! {
                        <p>
                            <a class="button" href=format!("{BUILDER_PATH}/ny")>
                                {tx("Ny tjänst", "New service")}
                            </a>
                        </p>
                    }
                })
        }}
        {move || show_loaded(list.get(), retry, ("Hämtar tjänster …", "Loading services …"), services_table)}
    }
}

fn services_table(services: Vec<ServiceView>) -> AnyView {
    if services.is_empty() {
        return view! { <p>{tx("Det finns inga tjänster ännu.", "There are no services yet.")}</p> }.into_any();
    }
    view! {
        <table class="cases">
            <caption class="visually-hidden">{tx("Tjänster", "Services")}</caption>
            <thead>
                <tr>
                    <th scope="col">{tx("Tjänst", "Service")}</th>
                    <th scope="col">{tx("Läge", "State")}</th>
                    <th scope="col">{tx("Version i bruk", "Version in use")}</th>
                    <th scope="col">{tx("Senast sparad av", "Last saved by")}</th>
                </tr>
            </thead>
            <tbody>
                {services
                    .into_iter()
                    .map(|s| {
                        view! {
                            <tr>
                                <td>
                                    <a href=format!("{BUILDER_PATH}/{}", s.slug) lang="sv">{s.name}</a>
                                </td>
                                <td>{state_name(s.state)}</td>
                                <td>{s.published_version.map(|v| v.to_string()).unwrap_or_else(|| "–".into())}</td>
                                <td>{s.updated_by.unwrap_or_else(|| "–".into())}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
pub fn NewService() -> impl IntoView {
    set_title("Ny tjänst – bygga e-tjänster", "New service – service builder");
    view! {
        <RequireBuilder>
            <Create />
        </RequireBuilder>
    }
}

#[component]
fn Create() -> impl IntoView {
    let staff = use_staff();
    let draft = SettingsDraft::new(blank());
    let error = RwSignal::new(None::<FetchError>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = draft.input();
        busy.set(true);
        spawn_local(async move {
            let result = staff.call(|t| async move { api::create_service(&t, &input).await }).await;
            busy.set(false);
            match result {
                Ok(view) => navigate(&format!("{BUILDER_PATH}/{}", view.slug), false),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <h1>{tx("Ny tjänst", "New service")}</h1>
        <form class="builder-form" on:submit=submit novalidate>
            <SettingsFields draft=draft creating=true />
            {move || error.get().map(|e| problems_view(&e))}
            <button type="submit" class="button" disabled=move || busy.get()>
                {tx("Skapa tjänsten", "Create the service")}
            </button>
        </form>
    }
}
