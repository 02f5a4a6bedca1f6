//! "Beslut och dokument": the case's decisions and other documents, each with a download button.

use leptos::prelude::*;
use shared::documents::{CaseDocument, DocumentKind};
use shared::validate::Localized;

use super::{Alert, Ctx};
use crate::common::api;
use crate::common::download::DownloadButton;
use crate::common::i18n::{format_instant, format_size, tx};
use crate::common::loader::{Loaded, show_loaded};

/// Decisions and other documents, each with a download button.
#[component]
pub(super) fn Documents(ctx: Ctx, list: Loaded<Vec<CaseDocument>>, retry: Callback<()>) -> impl IntoView {
    let error = RwSignal::new(None::<Localized>);
    let row = move |d: CaseDocument| {
        let path = api::my_case_document_path(&ctx.reference(), &d.id.to_string());
        let decision = d.kind == DocumentKind::Decision;
        let created_at = d.created_at;
        view! {
            <li class="document" class:document-decision=decision>
                <span class="doc-kind">{if decision { tx("Beslut", "Decision") } else { tx("Dokument", "Document") }}</span>
                " "
                <DownloadButton session=ctx.auth path=path name=d.name error=error />
                " "
                <span class="hint">
                    "(" {format_size(d.size)} ", " {move || format_instant(&created_at)} ")"
                </span>
            </li>
        }
    };
    view! {
        <section aria-labelledby="dokument">
            <h2 id="dokument">{tx("Beslut och dokument", "Decisions and documents")}</h2>
            {move || {
                show_loaded(
                    list.get(),
                    retry,
                    ("Hämtar dokument …", "Loading documents …"),
                    |items| {
                        if items.is_empty() {
                            view! {
                                <p class="empty">{tx("Inga beslut eller dokument än.", "No decisions or documents yet.")}</p>
                            }
                                .into_any()
                        } else {
                            view! { <ul class="documents">{items.into_iter().map(row).collect_view()}</ul> }.into_any()
                        }
                    },
                )
            }}
            <Alert why=error />
        </section>
    }
}
