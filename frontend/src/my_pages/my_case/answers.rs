//! "Dina svar": the answers as the case holds them; the files sent with the case can be
//! downloaded from their answers.

use leptos::prelude::*;
use serde_json::Value;
use shared::text::Text;
use shared::validate::Localized;
use shared::{Field, FieldKind};

use super::{Alert, Ctx};
use crate::common::api;
use crate::common::components::{answer_display, answer_in_service_words};
use crate::common::download::FileItem;
use crate::common::i18n::{Own, tx};
use crate::common::loader::Loading;

/// The answers as the case holds them, in the form's order (keys without a field in the current form last).
/// The files sent with the case can be downloaded from their answers.
#[component]
pub(super) fn SubmittedAnswers(ctx: Ctx) -> impl IntoView {
    let error = RwSignal::new(None::<Localized>);
    let file_list = move |files: Vec<(String, String, u64)>| {
        let items = files
            .into_iter()
            .map(|(id, name, size)| {
                let path = api::my_case_attachment_path(&ctx.reference(), &id);
                view! { <FileItem session=ctx.auth path=path name=name size=size error=error /> }
            })
            .collect_view();
        view! { <ul class="message-files">{items}</ul> }.into_any()
    };
    let rows = move || {
        let answers = ctx.case.with(|c| c.answers.clone());
        // (label, answer, whether the answer is in the service's words: an option's label)
        let mut rows: Vec<(Text, AnyView, bool)> = Vec::with_capacity(answers.len());
        ctx.with_form(|form| {
            if let Some(form) = form {
                for (_, field) in form.fields().filter(|(_, f)| answers.contains_key(&f.key)) {
                    let value = answers.get(&field.key);
                    let files = sent_files(field, value);
                    let shown =
                        if files.is_empty() { answer_display(field, value).into_any() } else { file_list(files) };
                    rows.push((field.label.clone(), shown, answer_in_service_words(field)));
                }
            }
            for (key, value) in &answers {
                if form.is_none_or(|f| f.field(key).is_none()) {
                    let text = match value {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    rows.push((Text::from(key.as_str()), text.into_any(), false));
                }
            }
        });
        rows.into_iter()
            .map(|(label, value, own_words)| {
                view! {
                    <div class="summary-row">
                        <dt>
                            <Own text=label />
                        </dt>
                        <dd lang=own_words.then_some("sv")>{value}</dd>
                    </div>
                }
            })
            .collect_view()
    };
    view! {
        <section aria-labelledby="svar">
            <h2 id="svar">{tx("Dina svar", "Your answers")}</h2>
            {move || {
                if ctx.service.with(Option::is_none) {
                    view! { <Loading sv="Hämtar formuläret …" en="Loading the form …" /> }.into_any()
                } else {
                    view! { <dl class="summary">{rows}</dl> }.into_any()
                }
            }}
            <Alert why=error />
        </section>
    }
}

/// The files a file field's answer names: id, name and size of each.
fn sent_files(field: &Field, value: Option<&Value>) -> Vec<(String, String, u64)> {
    match (&field.kind, value) {
        (FieldKind::File { .. }, Some(Value::Array(files))) => files
            .iter()
            .filter_map(|f| {
                let id = f.get("id")?.as_str()?.to_owned();
                let name = f.get("name").and_then(Value::as_str).unwrap_or("fil").to_owned();
                Some((id, name, f.get("size").and_then(Value::as_u64).unwrap_or(0)))
            })
            .collect(),
        _ => Vec::new(),
    }
}
