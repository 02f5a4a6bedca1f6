//! "Händelser": what happened in the case so far, from what the applicant's API gives.

use leptos::prelude::*;
use shared::StatusKind;
use shared::documents::{CaseDocument, DocumentKind};
use shared::handling::Supplement;
use shared::validate::Localized;

use super::Ctx;
use crate::common::components::TextBlock;
use crate::common::i18n::{format_instant, loc, pick, tx};
use crate::common::loader::Loaded;
use crate::common::status::{status_name, status_name_lang};

/// What happened in the case so far, oldest first, from what the applicant's API gives.
#[component]
pub(super) fn Timeline(
    ctx: Ctx,
    supplements: Loaded<Vec<Supplement>>,
    documents: Loaded<Vec<CaseDocument>>,
) -> impl IntoView {
    let events = move || {
        // When, what, the status it became (its name, and `lang="sv"` when it has no English one), the comment.
        type Status = Option<(Localized, Option<&'static str>)>;
        let mut events: Vec<(chrono::DateTime<chrono::Utc>, Localized, Status, Option<String>)> = Vec::new();
        events.push((
            ctx.case.with(|c| c.submitted_at),
            loc("Du skickade in ärendet.", "You sent the case."),
            None,
            None,
        ));
        ctx.case.with(|c| {
            // The first entry is the submission itself, shown above.
            for (i, change) in c.history.iter().enumerate() {
                if i == 0 && change.status.kind == StatusKind::Submitted {
                    continue;
                }
                let status = Some((status_name(&change.status), status_name_lang(&change.status)));
                let what = loc("Ärendet fick status", "The case's status became");
                events.push((change.at, what, status, change.comment.clone()));
            }
        });
        supplements.with(|s| {
            for s in s.iter().flat_map(|r| r.iter()).flatten() {
                events.push((
                    s.requested_at,
                    loc("Handläggaren bad dig komplettera ärendet.", "The case officer asked you to add to the case."),
                    None,
                    None,
                ));
                if let Some(at) = s.answered_at {
                    events.push((at, loc("Du skickade en komplettering.", "You sent a supplement."), None, None));
                }
            }
        });
        documents.with(|d| {
            for d in d.iter().flat_map(|r| r.iter()).flatten() {
                let added = match d.kind {
                    DocumentKind::Decision => Localized {
                        sv: format!("Handläggaren lade till beslutet {}.", d.name),
                        en: format!("The case officer added the decision {}.", d.name),
                    },
                    DocumentKind::Document => Localized {
                        sv: format!("Handläggaren lade till dokumentet {}.", d.name),
                        en: format!("The case officer added the document {}.", d.name),
                    },
                };
                events.push((d.created_at, added, None, None));
            }
        });
        events.sort_by_key(|(at, _, _, _)| *at);
        events
            .into_iter()
            .map(|(at, what, status, comment)| {
                view! {
                    <li>
                        <span class="timeline-when">{move || format_instant(&at)}</span>
                        " "
                        <span class="timeline-what">
                            {move || pick(&what).to_owned()}
                            {status
                                .map(|(name, lang)| {
                                    view! { " " <span lang=lang>{move || pick(&name).to_owned()}</span> "." }
                                })}
                        </span>
                        {comment
                            .map(|text| {
                                view! {
                                    <div class="timeline-comment">
                                        <span class="visually-hidden">
                                            {tx("Handläggarens kommentar: ", "The case officer's comment: ")}
                                        </span>
                                        <TextBlock text=text />
                                    </div>
                                }
                            })}
                    </li>
                }
            })
            .collect_view()
    };
    let now = move || {
        let (name, name_lang) = ctx.case.with(|c| (status_name(&c.status), status_name_lang(&c.status)));
        view! {
            <li class="timeline-now">
                <span class="timeline-when">{tx("Nu", "Now")}</span>
                " "
                <span class="timeline-what">
                    {tx("Status:", "Status:")} " " <span lang=name_lang>{move || pick(&name).to_owned()}</span>
                </span>
            </li>
        }
    };
    view! {
        <section aria-labelledby="handelser">
            <h2 id="handelser">{tx("Händelser", "What has happened")}</h2>
            <ol class="timeline">{events} {now}</ol>
        </section>
    }
}
