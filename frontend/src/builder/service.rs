//! `/bygga/{slug}`: one service. Its settings (saved with the revision they were loaded at: a save
//! over someone else's newer one is refused, says who saved and when, and offers to load theirs),
//! its versions (publish a draft with a note on what changed, restore an older one as a new
//! draft), a copy, unpublishing or deleting it, and the builder's log. Service owners see the
//! settings only; the server refuses them anything but texts.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::{
    BuilderAction, BuilderAuditEntry, FormVersionState, FormVersionView, PublishInput, ServiceCopyInput, ServiceState,
    ServiceView, StaffRole,
};
use shared::error_code::ErrorCode;

use super::services::state_name;
use super::settings::{SettingsDraft, SettingsFields, problems_view};
use super::{BUILDER_PATH, RequireBuilder};
use crate::common::api::{self, FetchError};
use crate::common::i18n::{format_instant, is_en, set_title, tx};
use crate::common::loader::{load, show_loaded};
use crate::common::router::navigate;
use crate::common::session::{StaffAuth, use_staff};

#[component]
pub fn ServicePage(slug: String) -> impl IntoView {
    view! {
        <RequireBuilder>
            <Service slug=slug.clone() />
        </RequireBuilder>
    }
}

#[component]
fn Service(slug: String) -> impl IntoView {
    let staff = use_staff();
    let slug = StoredValue::new(slug);
    let (service, retry) =
        load(move || staff.call(move |t| async move { api::builder_service(&t, &slug.get_value()).await }));
    view! {
        {move || show_loaded(service.get(), retry, ("Hämtar tjänsten …", "Loading the service …"), move |s| {
            set_title(&format!("{} – bygga e-tjänster", s.name), &format!("{} – service builder", s.name));
            let admin = staff.may_have(&[StaffRole::PlatformAdmin]);
            view! {
                <h1 lang="sv">{s.name.clone()}</h1>
                <p class="service-state">
                    {format!("{}: {}", tx("Läge", "State")(), state_name(s.state))}
                    {s.published_version.map(|v| format!(" · {} {v}", tx("version i bruk", "version in use")()))}
                </p>
                <Settings service=s.clone() reload=retry />
                {(!admin).then(|| view! {
                    <section aria-labelledby="formular">
                        <h2 id="formular">{tx("Formuläret", "The form")}</h2>
                        <p>
                            <a class="button" href=super::editor::editor_path(&s.slug)>
                                {tx("Ändra formulärets texter", "Change the form's texts")}
                            </a>
                        </p>
                    </section>
                })}
                {admin.then(|| view! {
                    <Versions staff=staff slug=s.slug.clone() />
                    <Manage staff=staff service=s.clone() />
                    <Log staff=staff slug=s.slug.clone() />
                })}
            }
            .into_any()
        })}
    }
}

/// The settings form, saved with `If-Match`.
#[component]
fn Settings(service: ServiceView, reload: Callback<()>) -> impl IntoView {
    let staff = use_staff();
    let draft = SettingsDraft::new(service.to_input());
    let revision = RwSignal::new(service.revision);
    let slug = service.slug.clone();
    let error = RwSignal::new(None::<FetchError>);
    let conflict = RwSignal::new(None::<ServiceView>);
    let saved = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = draft.input();
        let slug = slug.clone();
        busy.set(true);
        saved.set(None);
        spawn_local(async move {
            let rev = revision.get_untracked();
            let s = slug.clone();
            let result = staff.call(move |t| async move { api::save_service(&t, &s, rev, &input).await }).await;
            busy.set(false);
            match result {
                Ok(view) => {
                    revision.set(view.revision);
                    error.set(None);
                    saved.set(Some(format_instant(&view.updated_at)));
                }
                Err(e) if e.is(ErrorCode::EditConflict) => {
                    // Who saved, and when: the service as it is now.
                    let now = staff.call(move |t| async move { api::builder_service(&t, &slug).await }).await;
                    conflict.set(now.ok());
                    error.set(Some(e));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section aria-labelledby="installningar">
            <h2 id="installningar">{tx("Inställningar", "Settings")}</h2>
            <form class="builder-form" on:submit=submit novalidate>
                <SettingsFields draft=draft creating=false />
                {move || match (conflict.get(), error.get()) {
                    (Some(now), _) => view! {
                        <div class="alert" role="alert">
                            <p>
                                {if is_en() {
                                    format!(
                                        "{} saved the settings at {}, after you opened them. Your changes are not saved.",
                                        now.updated_by.clone().unwrap_or_else(|| "Someone".into()),
                                        format_instant(&now.updated_at),
                                    )
                                } else {
                                    format!(
                                        "{} sparade inställningarna {}, efter att du öppnade dem. Dina ändringar är inte sparade.",
                                        now.updated_by.clone().unwrap_or_else(|| "Någon annan".into()),
                                        format_instant(&now.updated_at),
                                    )
                                }}
                            </p>
                            <button type="button" class="button button-secondary" on:click=move |_| reload.run(())>
                                {tx("Hämta deras version", "Load their version")}
                            </button>
                        </div>
                    }
                    .into_any(),
                    (None, Some(e)) => problems_view(&e),
                    (None, None) => ().into_any(),
                }}
                <div role="status" class="save-status">
                    {move || saved.get().map(|at| format!("{} {at}.", tx("Sparat", "Saved")()))}
                </div>
                <button type="submit" class="button" disabled=move || busy.get()>
                    {tx("Spara inställningarna", "Save the settings")}
                </button>
            </form>
        </section>
    }
}

/// The versions, newest first: publish a draft with a note, restore an older version.
#[component]
fn Versions(staff: StaffAuth, slug: String) -> impl IntoView {
    let slug = StoredValue::new(slug);
    let (versions, retry) =
        load(move || staff.call(move |t| async move { api::form_versions(&t, &slug.get_value()).await }));
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let publish = move |version: u32| {
        let input = PublishInput { note: Some(note.get_untracked()) };
        spawn_local(async move {
            let s = slug.get_value();
            match staff.call(move |t| async move { api::publish_form_version(&t, &s, version, &input).await }).await {
                Ok(_) => {
                    note.set(String::new());
                    error.set(None);
                    done.set(Some(format!("{} {version}.", tx("Publicerade version", "Published version")())));
                    retry.run(());
                }
                Err(e) => error.set(Some(e.reason())),
            }
        });
    };
    let restore = move |version: u32| {
        spawn_local(async move {
            let s = slug.get_value();
            match staff.call(move |t| async move { api::restore_form_version(&t, &s, version).await }).await {
                Ok(v) => {
                    error.set(None);
                    done.set(Some(if is_en() {
                        format!("Version {version} is now draft version {}.", v.version)
                    } else {
                        format!("Version {version} är nu utkastet version {}.", v.version)
                    }));
                    retry.run(());
                }
                Err(e) => error.set(Some(e.reason())),
            }
        });
    };
    view! {
        <section aria-labelledby="versioner">
            <h2 id="versioner">{tx("Versioner", "Versions")}</h2>
            <p>
                <a class="button" href=move || super::editor::editor_path(&slug.get_value())>
                    {tx("Ändra formuläret", "Edit the form")}
                </a>
            </p>
            <div role="status">{move || done.get()}</div>
            {move || error.get().map(|e| view! { <div class="alert" role="alert"><p>{e}</p></div> })}
            {move || show_loaded(versions.get(), retry, ("Hämtar versioner …", "Loading versions …"), move |list| {
                if list.is_empty() {
                    return view! { <p>{tx("Tjänsten har inget formulär ännu.", "The service has no form yet.")}</p> }.into_any();
                }
                let newest_draft = list.iter().find(|v| v.state == FormVersionState::Draft).map(|v| v.version);
                let numbers: Vec<u32> = list.iter().map(|v| v.version).collect();
                view! {
                    <table class="cases">
                        <caption class="visually-hidden">{tx("Versioner", "Versions")}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{tx("Version", "Version")}</th>
                                <th scope="col">{tx("Läge", "State")}</th>
                                <th scope="col">{tx("Publicerad", "Published")}</th>
                                <th scope="col">{tx("Vad som ändrats", "What changed")}</th>
                                <th scope="col">{tx("Åtgärd", "Action")}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {list.into_iter().map(|v| version_row(v, restore)).collect_view()}
                        </tbody>
                    </table>
                    {(numbers.len() > 1).then(|| view! { <Compare staff=staff slug=slug.get_value() versions=numbers.clone() /> })}
                    {newest_draft.map(|version| view! {
                        <form class="builder-form publish-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                            ev.prevent_default();
                            publish(version);
                        }>
                            <h3>{move || format!("{} {version}", tx("Publicera version", "Publish version")())}</h3>
                            <Checklist staff=staff slug=slug.get_value() version=version />
                            <div class="field">
                                <label for="publish-note">{tx("Vad har ändrats?", "What has changed?")}</label>
                                <p class="hint" id="publish-note-hint">{tx("Några ord till versionshistoriken.", "A few words for the version history.")}</p>
                                <textarea id="publish-note" rows="2" maxlength="500" aria-describedby="publish-note-hint"
                                    prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                            </div>
                            <button type="submit" class="button">{move || format!("{} {version}", tx("Publicera version", "Publish version")())}</button>
                        </form>
                    })}
                }
                .into_any()
            })}
        </section>
    }
}

/// The publishing checklist of a draft: what blocks, what only warns.
#[component]
fn Checklist(staff: StaffAuth, slug: String, version: u32) -> impl IntoView {
    let slug = StoredValue::new(slug);
    let (list, retry) =
        load(move || staff.call(move |t| async move { api::publish_checklist(&t, &slug.get_value(), version).await }));
    view! {
        {move || show_loaded(list.get(), retry, ("Hämtar checklistan …", "Loading the checklist …"), |c| {
            let summary = if c.ready {
                tx("Allt som krävs är klart.", "Everything required is ready.")
            } else {
                tx("Det här måste bli klart innan versionen kan publiceras:", "This must be ready before the version can be published:")
            };
            view! {
                <p class="checklist-summary">{summary}</p>
                <ul class="checklist">
                    {c.items.into_iter().map(|i| {
                        let (class, mark) = match (i.ok, i.blocking) {
                            (true, _) => ("ok", tx("Klart", "Done")),
                            (false, true) => ("blocking", tx("Krävs", "Required")),
                            (false, false) => ("warning", tx("Varning", "Warning")),
                        };
                        view! {
                            <li class=class>
                                <strong>{mark}": "</strong>
                                {if is_en() { i.words.en } else { i.words.sv }}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
            .into_any()
        })}
    }
}

/// Two versions compared, the changes in words.
#[component]
fn Compare(staff: StaffAuth, slug: String, versions: Vec<u32>) -> impl IntoView {
    let slug = StoredValue::new(slug);
    // Newest first: compare the one before the newest with the newest.
    let to = RwSignal::new(versions.first().copied().unwrap_or(1));
    let from = RwSignal::new(versions.get(1).copied().unwrap_or(1));
    let result = RwSignal::new(None::<Result<shared::api::FormDiff, FetchError>>);
    let compare = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (f, t) = (from.get_untracked(), to.get_untracked());
        spawn_local(async move {
            let s = slug.get_value();
            result.set(Some(staff.call(move |tok| async move { api::form_diff(&tok, &s, f, t).await }).await));
        });
    };
    let options = move |selected: RwSignal<u32>| {
        versions
            .iter()
            .map(|v| {
                let v = *v;
                view! { <option value=v.to_string() selected=move || selected.get() == v>{v}</option> }
            })
            .collect_view()
    };
    let (from_options, to_options) = (options(from), options(to));
    view! {
        <form class="builder-form compare-form" on:submit=compare>
            <h3>{tx("Jämför två versioner", "Compare two versions")}</h3>
            <div class="button-row">
                <label for="compare-from">{tx("Från version", "From version")}</label>
                <select id="compare-from" on:change=move |ev| from.set(event_target_value(&ev).parse().unwrap_or(1))>{from_options}</select>
                <label for="compare-to">{tx("till version", "to version")}</label>
                <select id="compare-to" on:change=move |ev| to.set(event_target_value(&ev).parse().unwrap_or(1))>{to_options}</select>
                <button type="submit" class="button button-secondary">{tx("Jämför", "Compare")}</button>
            </div>
        </form>
        <div aria-live="polite">
            {move || result.get().map(|r| match r {
                Ok(diff) if diff.changes.is_empty() => view! { <p>{tx("Versionerna är lika.", "The versions are the same.")}</p> }.into_any(),
                Ok(diff) => view! {
                    <h4>{move || if is_en() { format!("From version {} to {}", diff.from, diff.to) } else { format!("Från version {} till {}", diff.from, diff.to) }}</h4>
                    <ul class="diff-list">
                        {diff.changes.into_iter().map(|c| view! { <li>{if is_en() { c.words.en } else { c.words.sv }}</li> }).collect_view()}
                    </ul>
                }.into_any(),
                Err(e) => view! { <div class="alert" role="alert"><p>{e.reason()}</p></div> }.into_any(),
            })}
        </div>
    }
}

fn version_row(v: FormVersionView, restore: impl Fn(u32) + Copy + 'static) -> impl IntoView {
    let version = v.version;
    let published = v
        .published_at
        .map(|at| format!("{} {}", format_instant(&at), v.published_by.clone().unwrap_or_default()))
        .unwrap_or_else(|| "–".into());
    view! {
        <tr>
            <td>{version}</td>
            <td>{if v.state == FormVersionState::Draft { tx("Utkast", "Draft")() } else { tx("Publicerad", "Published")() }}</td>
            <td>{published}</td>
            <td>{v.publish_note.unwrap_or_default()}</td>
            <td>
                {(v.state == FormVersionState::Published).then(|| view! {
                    <button type="button" class="button-link" on:click=move |_| restore(version)>
                        {move || if is_en() { format!("Restore version {version}") } else { format!("Återställ version {version}") }}
                    </button>
                })}
            </td>
        </tr>
    }
}

/// Copy, unpublish, delete.
#[component]
fn Manage(staff: StaffAuth, service: ServiceView) -> impl IntoView {
    let slug = StoredValue::new(service.slug.clone());
    let copy_slug = RwSignal::new(format!("{}-kopia", service.slug));
    let copy_name = RwSignal::new(service.name.clone());
    let error = RwSignal::new(None::<FetchError>);
    let confirm_delete = RwSignal::new(false);
    let copy = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input =
            ServiceCopyInput { slug: copy_slug.get_untracked().trim().to_owned(), name: copy_name.get_untracked() };
        spawn_local(async move {
            let s = slug.get_value();
            match staff.call(move |t| async move { api::copy_service(&t, &s, &input).await }).await {
                Ok(v) => navigate(&format!("{BUILDER_PATH}/{}", v.slug), false),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let unpublish = move |_| {
        spawn_local(async move {
            let s = slug.get_value();
            match staff.call(move |t| async move { api::unpublish_service(&t, &s).await }).await {
                Ok(_) => navigate(BUILDER_PATH, false),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let delete = move |_| {
        if !confirm_delete.get_untracked() {
            confirm_delete.set(true);
            return;
        }
        spawn_local(async move {
            let s = slug.get_value();
            match staff.call(move |t| async move { api::delete_service(&t, &s).await }).await {
                Ok(()) => navigate(BUILDER_PATH, false),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section aria-labelledby="hantera">
            <h2 id="hantera">{tx("Kopiera, avpublicera, ta bort", "Copy, unpublish, delete")}</h2>
            {move || error.get().map(|e| problems_view(&e))}
            <form class="builder-form" on:submit=copy>
                <h3>{tx("Kopiera till en ny tjänst", "Copy to a new service")}</h3>
                <div class="field">
                    <label for="copy-name">{tx("Den nya tjänstens namn", "The new service's name")}</label>
                    <input id="copy-name" type="text" prop:value=move || copy_name.get() on:input=move |ev| copy_name.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="copy-slug">{tx("Den nya tjänstens adress (URL-namn)", "The new service's address (URL name)")}</label>
                    <input id="copy-slug" type="text" prop:value=move || copy_slug.get() on:input=move |ev| copy_slug.set(event_target_value(&ev)) />
                </div>
                <button type="submit" class="button button-secondary">{tx("Kopiera", "Copy")}</button>
            </form>
            {(service.state == ServiceState::Published).then(|| view! {
                <p>
                    <button type="button" class="button button-secondary" on:click=unpublish>
                        {tx("Avpublicera (ärendena finns kvar)", "Unpublish (the cases stay)")}
                    </button>
                </p>
            })}
            {(service.state == ServiceState::Draft).then(|| view! {
                <p>
                    <button type="button" class="button button-danger" on:click=delete>
                        {move || if confirm_delete.get() {
                            tx("Ja, ta bort tjänsten för gott", "Yes, delete the service for good")()
                        } else {
                            tx("Ta bort tjänsten", "Delete the service")()
                        }}
                    </button>
                </p>
            })}
        </section>
    }
}

/// What was done, by whom and when.
#[component]
fn Log(staff: StaffAuth, slug: String) -> impl IntoView {
    let slug = StoredValue::new(slug);
    let (log, retry) = load(move || staff.call(move |t| async move { api::builder_log(&t, &slug.get_value()).await }));
    view! {
        <section aria-labelledby="logg">
            <h2 id="logg">{tx("Logg", "Log")}</h2>
            {move || show_loaded(log.get(), retry, ("Hämtar loggen …", "Loading the log …"), |page| view! {
                <table class="cases">
                    <caption class="visually-hidden">{tx("Logg", "Log")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{tx("När", "When")}</th>
                            <th scope="col">{tx("Vem", "Who")}</th>
                            <th scope="col">{tx("Vad", "What")}</th>
                        </tr>
                    </thead>
                    <tbody>{page.items.into_iter().map(log_row).collect_view()}</tbody>
                </table>
            }.into_any())}
        </section>
    }
}

fn log_row(e: BuilderAuditEntry) -> impl IntoView {
    let what = action_name(e.action);
    let mut text = what.to_owned();
    if let Some(v) = e.version {
        text.push_str(&format!(" {v}"));
    }
    if let Some(d) = e.detail {
        text.push_str(&format!(": {d}"));
    }
    view! {
        <tr>
            <td>{format_instant(&e.at)}</td>
            <td>{e.staff_username}</td>
            <td>{text}</td>
        </tr>
    }
}

fn action_name(a: BuilderAction) -> &'static str {
    match a {
        BuilderAction::CreateService => tx("Skapade tjänsten", "Created the service")(),
        BuilderAction::CopyService => tx("Kopierade tjänsten från", "Copied the service from")(),
        BuilderAction::SaveSettings => tx("Sparade inställningarna", "Saved the settings")(),
        BuilderAction::UnpublishService => tx("Avpublicerade tjänsten", "Unpublished the service")(),
        BuilderAction::DeleteService => tx("Tog bort tjänsten", "Deleted the service")(),
        BuilderAction::CreateVersion => tx("Skapade version", "Created version")(),
        BuilderAction::SaveVersion => tx("Sparade version", "Saved version")(),
        BuilderAction::PublishVersion => tx("Publicerade version", "Published version")(),
        BuilderAction::RestoreVersion => tx("Återställde som version", "Restored as version")(),
        BuilderAction::GrantPermission => tx("Gav behörighet till", "Gave permission to")(),
        BuilderAction::RevokePermission => tx("Tog bort behörighet för", "Removed the permission of")(),
    }
}
