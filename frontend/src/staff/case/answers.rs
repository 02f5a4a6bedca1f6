//! "Svar": the answers exactly as submitted, page by page as the case's own form version has
//! them, with the applicant's files to download.

use leptos::prelude::*;
use shared::FieldKind;

use super::{CaseNow, Ctx};
use crate::common::api;
use crate::common::components::answer_display;
use crate::common::download::DownloadButton;
use crate::common::i18n::tx;

/// The answers page by page, as the form version of the case has them; files with a download
/// button. Redrawn only when the answers change (a supplement).
#[component]
pub(super) fn CaseAnswers(ctx: Ctx, case: CaseNow) -> impl IntoView {
    let content = Memo::new(move |_| case.with(|c| c.as_ref().map(|c| (c.form.clone(), c.answers.clone()))));
    view! {
        <section aria-labelledby="svar">
            <h2 id="svar" tabindex="-1">{tx("Svar", "Answers")}</h2>
            {move || {
                content
                    .get()
                    .map(|(form, answers)| {
                        form.pages
                            .into_iter()
                            .filter(|p| p.fields.iter().any(|f| answers.contains_key(&f.key)))
                            .map(|page| {
                                view! {
                                    <h3>{page.title.sv.clone()}</h3>
                                    <dl class="answers">
                                        {page
                                            .fields
                                            .iter()
                                            .filter(|f| answers.contains_key(&f.key))
                                            .map(|f| {
                                                let value = answers.get(&f.key);
                                                let files = match (&f.kind, value) {
                                                    (FieldKind::File { .. }, Some(serde_json::Value::Array(files))) => {
                                                        files.clone()
                                                    }
                                                    _ => Vec::new(),
                                                };
                                                let text = answer_display(f, value);
                                                view! {
                                                    <dt>{f.label.sv.clone()}</dt>
                                                    <dd>
                                                        {if files.is_empty() {
                                                            view! { <span class="answer">{text}</span> }.into_any()
                                                        } else {
                                                            view! { <FileList ctx=ctx files=files /> }.into_any()
                                                        }}
                                                    </dd>
                                                }
                                            })
                                            .collect_view()}
                                    </dl>
                                }
                            })
                            .collect_view()
                    })
            }}
        </section>
    }
}

/// The applicant's files of one answer, each with a download button.
#[component]
fn FileList(ctx: Ctx, files: Vec<serde_json::Value>) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    view! {
        <ul class="files">
            {files
                .into_iter()
                .map(|f| {
                    let id = f.get("id").and_then(|v| v.as_str()).unwrap_or_default().to_owned();
                    let name = f.get("name").and_then(|v| v.as_str()).unwrap_or("fil").to_owned();
                    let path = api::attachment_path(&ctx.reference(), &id);
                    view! {
                        <li>
                            <DownloadButton session=ctx.staff path=path name=name error=error />
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        <div role="alert">{move || error.get().map(|e| view! { <p class="field-error">{e}</p> })}</div>
    }
}
