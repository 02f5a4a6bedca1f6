//! The service's flow as a diagram: login, personal data, each page with the condition that
//! shows it, the summary, signing and sending, from `shared::analysis::flow` over the form being
//! edited (so it follows every change). An SVG with a title and description for screen readers,
//! and the same flow as text below it: every step, and every way on with when it is taken.

use leptos::prelude::*;
use shared::analysis::{Flow, FlowSettings, StepKind, flow};
use shared::form::FormDefinition;

use crate::common::i18n::tx;

/// A step's box.
const BOX_W: i32 = 320;
const BOX_H: i32 = 52;
/// From one step's top to the next one's.
const STEP_H: i32 = 84;
const LEFT: i32 = 10;
/// Longest text a box shows; the whole is in the text version.
const MAX_CHARS: usize = 44;

fn short(s: &str) -> String {
    if s.chars().count() <= MAX_CHARS {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(MAX_CHARS - 1).collect::<String>())
    }
}

/// The diagram of `def` with the service's login and signing.
#[component]
pub fn FlowDiagram(def: RwSignal<FormDefinition>, settings: Signal<FlowSettings>) -> impl IntoView {
    let graph = Memo::new(move |_| def.with(|d| flow(d, settings.get())));
    view! {
        <section class="flow" aria-labelledby="flode">
            <h2 id="flode">{tx("Flödet", "The flow")}</h2>
            {move || diagram(&graph.get())}
            <details>
                <summary>{tx("Flödet i text", "The flow as text")}</summary>
                {move || as_text(&graph.get())}
            </details>
        </section>
    }
}

fn diagram(graph: &Flow) -> AnyView {
    let index = |id: &str| graph.steps.iter().position(|s| s.id == id);
    let height = STEP_H * graph.steps.len() as i32;
    let far: i32 = graph
        .edges
        .iter()
        .filter_map(|e| Some(index(&e.to)? as i32 - index(&e.from)? as i32))
        .filter(|d| *d > 1)
        .max()
        .unwrap_or(0);
    let width = LEFT + BOX_W + 30 + 18 * far;
    let steps = graph.steps.iter().enumerate().map(|(i, s)| {
        let y = STEP_H * i as i32;
        let class = match s.kind {
            StepKind::Page => "flow-step page",
            _ => "flow-step fixed",
        };
        let when = s.shown_when.as_ref().map(|w| format!("Visas när {}", short(w)));
        let title_y = if when.is_some() { y + 22 } else { y + 31 };
        view! {
            <g class=class>
                <rect x=LEFT y=y width=BOX_W height=BOX_H rx="6" />
                <text x=LEFT + 12 y=title_y>{short(&s.title)}</text>
                {when.map(|w| view! { <text class="flow-when" x=LEFT + 12 y=y + 40>{w}</text> })}
            </g>
        }
    });
    let edges = graph.edges.iter().filter_map(|e| {
        let (from, to) = (index(&e.from)? as i32, index(&e.to)? as i32);
        let d = if to - from == 1 {
            let x = LEFT + BOX_W / 2;
            format!("M{x} {} V{}", STEP_H * from + BOX_H, STEP_H * to - 2)
        } else {
            // Around the steps skipped, on the right, further out the more it skips.
            let x = LEFT + BOX_W;
            let out = x + 12 + 18 * (to - from - 1);
            let (y1, y2) = (STEP_H * from + BOX_H / 2, STEP_H * to + BOX_H / 2);
            format!("M{x} {y1} H{out} V{y2} H{}", x + 2)
        };
        Some(view! { <path class="flow-edge" d=d marker-end="url(#flow-arrow)" /> })
    });
    view! {
        <svg class="flow-diagram" role="img" aria-labelledby="flow-title flow-desc" viewBox=format!("0 0 {width} {height}")
            width=width height=height>
            <title id="flow-title">{tx("Tjänstens flöde", "The service's flow")}</title>
            <desc id="flow-desc">{tx("Stegen i ordning, med pilar dit den sökande kan gå härnäst. Samma flöde finns som text under bilden.", "The steps in order, with arrows to where the applicant can go next. The same flow is below the picture as text.")}</desc>
            <defs>
                <marker id="flow-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M0 0 L10 5 L0 10 z" />
                </marker>
            </defs>
            {edges.collect_view()}
            {steps.collect_view()}
        </svg>
    }
    .into_any()
}

fn as_text(graph: &Flow) -> AnyView {
    let title = |id: &str| graph.steps.iter().find(|s| s.id == id).map(|s| s.title.clone()).unwrap_or_default();
    view! {
        <ol class="flow-text">
            {graph.steps.iter().map(|s| {
                let ways: Vec<String> = graph
                    .edges
                    .iter()
                    .filter(|e| e.from == s.id)
                    .map(|e| match &e.when {
                        Some(w) => format!("→ {} ({w})", title(&e.to)),
                        None => format!("→ {}", title(&e.to)),
                    })
                    .collect();
                view! {
                    <li>
                        <span lang="sv">{s.title.clone()}</span>
                        {s.shown_when.clone().map(|w| view! { " " <span class="hint" lang="sv">{format!("(visas när {w})")}</span> })}
                        {(!ways.is_empty()).then(|| view! {
                            <ul>{ways.into_iter().map(|w| view! { <li lang="sv">{w}</li> }).collect_view()}</ul>
                        })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}
