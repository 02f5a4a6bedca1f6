//! `/dev/bankid`: a plain HTML page (Swedish, no JavaScript) that plays the
//! BankID app against the simulator, so that a person can walk through a
//! whole login in a browser: pick a test person to scan an order, confirm
//! with the "security code", or cancel or fail it. Mounted only when BankID
//! runs in simulator mode; never in production mode.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::client::CollectStatus;
use super::simulator::{ControlError, OrderKind, OrderSummary, SimulatorControl, test_person_name};
use crate::state::AppState;

/// The test persons offered (all from Skatteverket's published test lists in `testdata/`).
pub const TEST_PERSONS: [&str; 8] = [
    "189001019802",
    "189001029819",
    "189001039800",
    "191401682396",
    // Known to the Navet simulator: an ordinary adult without children, both guardians of the
    // same child (so the second can co-sign), a person with sekretessmarkering.
    crate::navet::simulator::fixtures::ORDINARY_ADULT,
    crate::navet::simulator::fixtures::GUARDIAN_A,
    crate::navet::simulator::fixtures::GUARDIAN_B,
    crate::navet::simulator::fixtures::SEKRETESSMARKERING,
];

const FAILURES: [(&str, &str); 4] = [
    ("expiredTransaction", "Ordern löper ut (expiredTransaction)"),
    ("startFailed", "Appen kunde inte startas / QR-koden kunde inte läsas (startFailed)"),
    ("certificateErr", "BankID:t är spärrat eller för gammalt (certificateErr)"),
    ("userCancel", "Användaren avbryter (userCancel)"),
];

/// Mounts the page when BankID runs against the simulator.
pub fn configure(cfg: &mut web::ServiceConfig, state: &AppState) {
    let simulated = state.bankid.as_ref().is_some_and(|b| b.simulator().is_some());
    if simulated {
        cfg.route("/dev/bankid", web::get().to(page)).route("/dev/bankid", web::post().to(act));
    }
}

fn control(state: &AppState) -> Option<&SimulatorControl> {
    state.bankid.as_ref()?.simulator().map(|s| &s.control)
}

#[derive(Deserialize)]
struct PageQuery {
    resultat: Option<String>,
}

#[derive(Deserialize)]
struct Action {
    action: String,
    order_ref: String,
    person: Option<String>,
    hint: Option<String>,
}

async fn act(state: web::Data<AppState>, form: web::Form<Action>) -> HttpResponse {
    let Some(control) = control(&state) else {
        return HttpResponse::NotFound().finish();
    };
    let r = &form.order_ref;
    let result = match form.action.as_str() {
        "scan" => control.scan(r, form.person.as_deref().unwrap_or_default()),
        "user_sign" => control.user_sign(r),
        "confirm" => control.confirm(r),
        "cancel" => control.cancel_by_user(r),
        "fail" => match form.hint.as_deref().filter(|h| FAILURES.iter().any(|(code, _)| code == h)) {
            Some(hint) => control.fail(r, hint),
            None => Err(ControlError::WrongState("asked to fail with an unknown code".into())),
        },
        _ => Err(ControlError::WrongState("asked to do something unknown".into())),
    };
    let code = match result {
        Ok(()) => "ok",
        Err(ControlError::NoSuchOrder) => "saknas",
        Err(ControlError::NotATestNumber) => "inte-testnummer",
        Err(ControlError::NotTheRequiredPerson) => "fel-person",
        Err(_) => "fel-lage",
    };
    HttpResponse::SeeOther().insert_header(("Location", format!("/dev/bankid?resultat={code}"))).finish()
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn shown(personnummer: &str) -> String {
    match (personnummer.get(..8), personnummer.get(8..)) {
        (Some(a), Some(b)) => format!("{a}-{b}"),
        _ => personnummer.to_string(),
    }
}

fn person_label(personnummer: &str) -> String {
    let (given, surname) = test_person_name(personnummer);
    format!("{given} {surname} ({})", shown(personnummer))
}

fn status_text(o: &OrderSummary) -> String {
    let text = match (o.status, o.hint_code.as_deref()) {
        (CollectStatus::Pending, Some("outstandingTransaction")) => {
            "Väntar på att någon skannar QR-koden eller öppnar appen"
        }
        (CollectStatus::Pending, Some("started")) => "Öppnad i appen",
        (CollectStatus::Pending, Some("userSign")) => "Appen väntar på säkerhetskoden",
        (CollectStatus::Pending, _) => "Pågår",
        (CollectStatus::Complete, _) => "Klar",
        (CollectStatus::Failed, _) => "Misslyckades",
    };
    match &o.hint_code {
        Some(h) => format!("{text} ({})", esc(h)),
        None => text.to_string(),
    }
}

fn button(order_ref: &str, action: &str, extra: &str, label: &str) -> String {
    format!(
        "<form method=\"post\" action=\"/dev/bankid\"><input type=\"hidden\" name=\"order_ref\" value=\"{}\">\
         <input type=\"hidden\" name=\"action\" value=\"{action}\">{extra}<button type=\"submit\">{label}</button></form>",
        esc(order_ref)
    )
}

fn order_section(index: usize, o: &OrderSummary) -> String {
    let kind = match o.kind {
        OrderKind::Auth => "Inloggning",
        OrderKind::Sign => "Underskrift",
    };
    let mut html = format!(
        "<section aria-labelledby=\"order-{index}\"><h3 id=\"order-{index}\">{kind}, startad för {} sekunder sedan</h3><dl>\
         <dt>Status</dt><dd>{}</dd>",
        o.age_seconds,
        status_text(o)
    );
    if let Some(p) = &o.person {
        html.push_str(&format!("<dt>Person i appen</dt><dd>{}</dd>", esc(&person_label(p))));
    }
    if let Some(p) = &o.required_personnummer {
        html.push_str(&format!("<dt>Får bara slutföras av</dt><dd>{}</dd>", esc(&person_label(p))));
    }
    if let Some(t) = &o.visible_text {
        html.push_str(&format!("<dt>Text att skriva under</dt><dd><pre>{}</pre></dd>", esc(t)));
    }
    html.push_str("</dl>");
    let r = &o.order_ref;
    match (o.status, o.hint_code.as_deref()) {
        (CollectStatus::Pending, Some("outstandingTransaction")) => {
            html.push_str("<div class=\"actions\">");
            // A signature bound to a person: that person first (also when not in the list).
            let required = o.required_personnummer.as_deref();
            let persons = required.into_iter().chain(TEST_PERSONS.into_iter().filter(|p| Some(*p) != required));
            for p in persons {
                let extra = format!("<input type=\"hidden\" name=\"person\" value=\"{}\">", esc(p));
                html.push_str(&button(r, "scan", &extra, &format!("Skanna som {}", esc(&person_label(p)))));
            }
            html.push_str("</div>");
        }
        (CollectStatus::Pending, Some("started")) => {
            html.push_str("<div class=\"actions\">");
            html.push_str(&button(r, "user_sign", "", "Visa ordern i appen (userSign)"));
            html.push_str(&button(r, "confirm", "", "Bekräfta med säkerhetskoden"));
            html.push_str("</div>");
        }
        (CollectStatus::Pending, _) => {
            html.push_str(&format!(
                "<div class=\"actions\">{}</div>",
                button(r, "confirm", "", "Bekräfta med säkerhetskoden")
            ));
        }
        _ => {}
    }
    if o.status == CollectStatus::Pending {
        let options: String =
            FAILURES.iter().map(|(code, label)| format!("<option value=\"{code}\">{label}</option>")).collect();
        let extra = format!(
            "<label for=\"hint-{index}\">Misslyckas med</label> <select id=\"hint-{index}\" name=\"hint\">{options}</select> "
        );
        html.push_str(&format!(
            "<div class=\"actions\">{}{}</div>",
            button(r, "cancel", "", "Avbryt i appen"),
            button(r, "fail", &extra, "Låt ordern misslyckas")
        ));
    }
    html.push_str("</section>");
    html
}

async fn page(state: web::Data<AppState>, query: web::Query<PageQuery>) -> HttpResponse {
    let Some(control) = control(&state) else {
        return HttpResponse::NotFound().finish();
    };
    let result = match query.resultat.as_deref() {
        Some("ok") => "Klart.",
        Some("saknas") => "Ordern finns inte längre.",
        Some("inte-testnummer") => "Simulatorn tar bara emot Skatteverkets testpersonnummer.",
        Some("fel-person") => "Ordern får bara slutföras av en annan person. Den har nu misslyckats, som hos BankID.",
        Some("fel-lage") => "Det går inte i orderns nuvarande läge.",
        _ => "",
    };
    let orders = control.orders();
    let (pending, finished): (Vec<_>, Vec<_>) = orders.iter().partition(|o| o.status == CollectStatus::Pending);
    let mut body = String::new();
    body.push_str("<h2>Pågående ordrar</h2>");
    if pending.is_empty() {
        body.push_str("<p>Inga pågående ordrar. Starta en inloggning med BankID i e-tjänsten och uppdatera sidan.</p>");
    }
    for (i, o) in pending.iter().enumerate() {
        body.push_str(&order_section(i, o));
    }
    body.push_str("<h2>Avslutade ordrar</h2>");
    if finished.is_empty() {
        body.push_str("<p>Inga avslutade ordrar.</p>");
    }
    for (i, o) in finished.iter().take(20).enumerate() {
        body.push_str(&order_section(pending.len() + i, o));
    }
    let html = format!(
        "<!doctype html><html lang=\"sv\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>BankID-simulator – utvecklingssida</title><style>\
         body{{font-family:system-ui,sans-serif;line-height:1.5;margin:0 auto;max-width:60rem;padding:1rem;color:#1b1b1b}}\
         section{{border:1px solid #767676;border-radius:4px;padding:0 1rem 1rem;margin:1rem 0}}\
         .actions{{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:.5rem}} form{{display:inline}}\
         button{{font:inherit;padding:.4rem .8rem}} button:focus,a:focus,select:focus{{outline:3px solid #005fcc;outline-offset:2px}}\
         dt{{font-weight:bold}} dd{{margin:0 0 .5rem}} pre{{white-space:pre-wrap}}</style></head>\
         <body><main><h1>BankID-simulator</h1>\
         <p>Den här sidan finns bara när BankID körs mot simulatorn (utveckling och test). Här spelar du BankID-appen: \
         välj vilken testperson som skannar QR-koden för en order, och bekräfta sedan med säkerhetskoden. \
         Du kan också avbryta eller låta ordern misslyckas.</p>\
         <p role=\"status\">{}</p><p><a href=\"/dev/bankid\">Uppdatera listan</a></p>{body}</main></body></html>",
        esc(result)
    );
    HttpResponse::Ok().content_type("text/html; charset=utf-8").insert_header(("Cache-Control", "no-store")).body(html)
}
