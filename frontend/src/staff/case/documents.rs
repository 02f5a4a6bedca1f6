//! "Beslut och dokument": the decisions and documents with their downloads, and the form that
//! attaches one.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::documents::{CaseDocument, DocumentKind};

use super::{Ctx, OutcomeRegions};
use crate::common::api;
use crate::common::download::DownloadButton;
use crate::common::i18n::{format_instant, format_size, tx};
use crate::common::loader::{load, show_loaded};

/// Decisions and documents: the list with downloads, and the form that attaches one.
#[component]
pub(super) fn Documents(ctx: Ctx) -> impl IntoView {
    let (list, retry) = load(move || {
        ctx.version.track();
        let r = ctx.reference();
        ctx.staff.call(move |t| async move { api::staff_documents(&t, &r).await })
    });
    let outcome = ctx.outcome();
    let kind = RwSignal::new("decision".to_owned());
    let file_input = NodeRef::<leptos::html::Input>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        ctx.starting();
        let Some(file) = file_input.get_untracked().and_then(|i| i.files()).and_then(|f| f.get(0)) else {
            outcome.set(Some(Err(tx("Välj en fil att bifoga.", "Choose a file to attach.")().to_owned())));
            return;
        };
        let r = ctx.reference();
        let k = kind.get_untracked();
        spawn_local(async move {
            match ctx.staff.call(move |t| async move { api::attach_document(&t, &r, &k, &file).await }).await {
                Ok(doc) => {
                    if let Some(input) = file_input.get_untracked() {
                        input.set_value("");
                    }
                    outcome.set(Some(Ok(format!("{} {}.", tx("Bifogat:", "Attached:")(), doc.name))));
                    ctx.changed();
                }
                Err(e) => outcome.set(Some(Err(e.reason()))),
            }
        });
    };
    let error = RwSignal::new(None::<String>);
    let row = move |d: CaseDocument| {
        let path = api::staff_document_path(&ctx.reference(), &d.id.to_string());
        view! {
            <li>
                <span class="doc-kind">{document_kind(d.kind)}</span>
                " "
                <DownloadButton session=ctx.staff path=path name=d.name error=error />
                " "
                <span class="meta">
                    "(" {format_size(d.size)} ", " {format_instant(&d.created_at)}
                    {d.created_by_name.map(|n| format!(", {n}"))} ")"
                </span>
            </li>
        }
    };
    view! {
        <section aria-labelledby="dokument">
            <h2 id="dokument" tabindex="-1">{tx("Beslut och dokument", "Decisions and documents")}</h2>
            {move || show_loaded(list.get(), retry, ("Hämtar dokument …", "Loading documents …"), |value| match value {
                items if items.is_empty() => {
                    view! { <p>{tx("Inga beslut eller dokument ännu.", "No decisions or documents yet.")}</p> }.into_any()
                }
                items => view! { <ul class="documents">{items.into_iter().map(row).collect_view()}</ul> }.into_any(),
            })}
            <div role="alert">{move || error.get().map(|e| view! { <p class="field-error">{e}</p> })}</div>
            <h3>{tx("Bifoga beslut eller dokument", "Attach a decision or document")}</h3>
            <OutcomeRegions outcome=outcome />
            <form on:submit=submit>
                <div class="field">
                    <label for="dokument-typ">{tx("Typ", "Kind")}</label>
                    <select id="dokument-typ" on:change=move |ev| kind.set(event_target_value(&ev))>
                        <option value="decision" selected=move || kind.get() == "decision">{tx("Beslut", "Decision")}</option>
                        <option value="document" selected=move || kind.get() == "document">{tx("Dokument", "Document")}</option>
                    </select>
                </div>
                <div class="field">
                    <label for="dokument-fil">{tx("Fil", "File")}</label>
                    <input id="dokument-fil" type="file" node_ref=file_input />
                </div>
                <button type="submit" class="button">{tx("Bifoga", "Attach")}</button>
            </form>
        </section>
    }
}

fn document_kind(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Decision => tx("Beslut:", "Decision:")(),
        _ => tx("Dokument:", "Document:")(),
    }
}
