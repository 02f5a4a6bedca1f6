//! Demo data for `backend serve --demo`: four published services (one signed by
//! both guardians), and a
//! platform admin and a handler with generated passwords when no admin
//! exists. Idempotent: running it again changes nothing.

use secrecy::SecretString;
use serde_json::json;
use shared::FormDefinition;
use shared::api::{BuilderAction, IdentityRequirement, StaffRole};

use crate::accounts::NewAccount;
use crate::db::Db;
use crate::db::builder_audit::Entry;
use crate::db::services::{ServiceRecord, VersionOutcome};
use crate::error::AppError;

/// The demo services' form definitions, as the API would receive them.
pub fn preschool_form() -> Result<FormDefinition, serde_json::Error> {
    serde_json::from_value(json!({
        "pages": [
            {"key": "barn", "title": "Barnet", "fields": [
                {"key": "barnets_personnummer", "label": "Barnets personnummer", "required": true,
                 "kind": {"type": "personnummer", "allow_samordningsnummer": true}},
                {"key": "onskat_startdatum", "label": "Önskat startdatum", "required": true,
                 "help": "Du får besked senast fyra månader före startdatumet.",
                 "kind": {"type": "date"}},
                {"key": "omfattning", "label": "Hur många timmar i veckan behöver barnet förskola?", "required": true,
                 "kind": {"type": "number", "min": 1, "max": 50, "integer": true}}
            ]},
            {"key": "val", "title": "Önskemål", "fields": [
                {"key": "forskola", "label": "Vilken förskola önskar du i första hand?", "required": true,
                 "kind": {"type": "single_choice", "display": "select", "options": [
                    {"value": "solrosen", "label": "Förskolan Solrosen"},
                    {"value": "eken", "label": "Förskolan Eken"},
                    {"value": "havsutsikten", "label": "Förskolan Havsutsikten"}]}},
                {"key": "syskon", "label": "Har barnet syskon på samma förskola?", "required": true, "kind": {"type": "yes_no"}},
                {"key": "syskons_namn", "label": "Syskonets namn", "required": true,
                 "condition": {"op": "equals", "field": "syskon", "value": true},
                 "kind": {"type": "short_text", "max_length": 100}},
                {"key": "ovrigt", "label": "Något mer vi behöver veta?", "kind": {"type": "long_text", "max_length": 2000}},
                {"key": "epost", "label": "Din e-postadress", "autocomplete": "email",
                 "help": "Frivilligt. Vi skickar en bekräftelse hit när du har skickat ansökan.", "kind": {"type": "email"}}
            ]}
        ]
    }))
}

/// A school change: both guardians sign (the second one found in the population register).
pub fn school_change_form() -> Result<FormDefinition, serde_json::Error> {
    serde_json::from_value(json!({
        "pages": [
            {"key": "barnet", "title": "Barnet", "fields": [
                {"key": "barn", "label": "Vilket barn gäller ansökan?", "required": true, "kind": {"type": "child"}},
                {"key": "nuvarande_skola", "label": "Nuvarande skola", "required": true,
                 "kind": {"type": "short_text", "max_length": 200}},
                {"key": "onskad_skola", "label": "Vilken skola önskar ni byta till?", "required": true,
                 "kind": {"type": "single_choice", "display": "select", "options": [
                    {"value": "larkan", "label": "Lärkanskolan"},
                    {"value": "tagaborg", "label": "Tågaborgsskolan"},
                    {"value": "raa", "label": "Rå skola"}]}},
                {"key": "fran_datum", "label": "Från vilket datum?", "required": true, "kind": {"type": "date"}},
                {"key": "skal", "label": "Varför vill ni byta skola?", "kind": {"type": "long_text", "max_length": 2000}}
            ]},
            {"key": "kontakt", "title": "Kontaktuppgifter", "fields": [
                {"key": "epost", "label": "Din e-postadress", "autocomplete": "email",
                 "help": "Frivilligt. Vi skickar en bekräftelse hit när ansökan har kommit in.", "kind": {"type": "email"}},
                {"key": "annan_vardnadshavare_epost", "label": "Den andra vårdnadshavarens e-postadress",
                 "help": "Frivilligt. Vi meddelar hen att ansökan väntar på hens underskrift; hen hittar den också på Min sida.",
                 "kind": {"type": "email"}}
            ]}
        ]
    }))
}

fn street_form() -> Result<FormDefinition, serde_json::Error> {
    serde_json::from_value(json!({
        "pages": [
            {"key": "felet", "title": "Vad är fel?", "fields": [
                {"key": "typ", "label": "Vad gäller det?", "required": true, "kind": {"type": "single_choice", "options": [
                    {"value": "gatubelysning", "label": "Gatubelysning"},
                    {"value": "hal_i_gatan", "label": "Hål i gatan"},
                    {"value": "klotter", "label": "Klotter"},
                    {"value": "annat", "label": "Annat"}]}},
                {"key": "beskriv_annat", "label": "Beskriv vad det gäller", "required": true,
                 "condition": {"op": "equals", "field": "typ", "value": "annat"},
                 "kind": {"type": "short_text", "max_length": 200}},
                {"key": "plats", "label": "Var är felet?", "help": "Adress eller närmaste korsning.", "required": true,
                 "kind": {"type": "short_text", "min_length": 3, "max_length": 200}}
            ]},
            {"key": "kontakt", "title": "Kontakt", "fields": [
                {"key": "vill_ha_svar", "label": "Vill du att vi kontaktar dig?", "required": true, "kind": {"type": "yes_no"}},
                {"key": "epost", "label": "E-postadress", "required": true, "autocomplete": "email",
                 "condition": {"op": "equals", "field": "vill_ha_svar", "value": true}, "kind": {"type": "email"}}
            ]}
        ]
    }))
}

/// The grant application: every field kind, and conditions of every sort (on
/// fields and on a page; equals, greater than, all/any/not), so a new user
/// can try the whole applicant journey on one service.
pub fn association_grant_form() -> Result<FormDefinition, serde_json::Error> {
    let spreadsheet_and_pdf = json!([
        ".pdf",
        ".xlsx",
        ".ods",
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.spreadsheet"
    ]);
    // The association's board: a repeating group, a row per member, each reachable (a row rule).
    let board = json!({"key": "styrelse", "label": {"sv": "Styrelsens ledamöter", "en": "The board members"}, "required": true,
    "help": {"sv": "Alla som valdes till styrelsen på det senaste årsmötet.",
             "en": "Everyone elected to the board at the latest annual meeting."},
    "kind": {"type": "group", "min_rows": 1, "max_rows": 15, "row_label": {"sv": "Ledamot", "en": "Member"}},
     "fields": [
       {"key": "ledamot_namn", "label": {"sv": "Namn", "en": "Name"}, "required": true,
        "kind": {"type": "short_text", "max_length": 100}},
       {"key": "ledamot_roll", "label": {"sv": "Roll i styrelsen", "en": "Role on the board"}, "required": true,
        "kind": {"type": "single_choice", "display": "select", "options": [
           {"value": "ordforande", "label": {"sv": "Ordförande", "en": "Chair"}},
           {"value": "kassor", "label": {"sv": "Kassör", "en": "Treasurer"}},
           {"value": "sekreterare", "label": {"sv": "Sekreterare", "en": "Secretary"}},
           {"value": "ledamot", "label": {"sv": "Ledamot", "en": "Member"}}]}},
       {"key": "ledamot_epost", "label": {"sv": "E-postadress", "en": "E-mail address"}, "kind": {"type": "email"}},
       {"key": "ledamot_telefon", "label": {"sv": "Telefonnummer", "en": "Telephone number"}, "kind": {"type": "phone"}}
     ],
     "rules": [
       {"key": "ledamot_nas", "field": "ledamot_epost",
        "check": {"type": "at_least_one", "fields": ["ledamot_epost", "ledamot_telefon"]},
        "message": {"sv": "Skriv ledamotens e-postadress eller telefonnummer, så att vi når styrelsen.",
                    "en": "Enter the member's e-mail address or telephone number, so that we can reach the board."}}
     ]});
    serde_json::from_value(json!({
        "pages": [
            // The first page is written in English too: the English app shows it in English.
            {"key": "foreningen", "title": {"sv": "Föreningen", "en": "The association"},
             "description": {"sv": "Uppgifterna ska stämma med föreningens stadgar och det senaste årsmötet.",
                             "en": "The details must agree with the association's statutes and its latest annual meeting."},
             "fields": [
                {"key": "foreningens_namn", "label": {"sv": "Föreningens namn", "en": "The association's name"}, "required": true,
                 "prefill": {"from": "previous_case"},
                 "kind": {"type": "short_text", "min_length": 2, "max_length": 120}},
                {"key": "organisationsnummer", "label": {"sv": "Organisationsnummer", "en": "Organisation number"}, "required": true,
                 "prefill": {"from": "previous_case"},
                 "help": {"sv": "Står i registreringsbeviset från Skatteverket.",
                          "en": "It is on the registration certificate from the Swedish Tax Agency."},
                 "kind": {"type": "organisationsnummer"}},
                {"key": "antal_medlemmar", "label": {"sv": "Hur många medlemmar har föreningen?",
                                                     "en": "How many members does the association have?"}, "required": true,
                 "kind": {"type": "number", "min": 1, "max": 100000, "integer": true}},
                {"key": "medlemmar_7_25", "label": {"sv": "Hur många av medlemmarna är mellan 7 och 25 år?",
                                                    "en": "How many of the members are aged 7 to 25?"}, "required": true,
                 "kind": {"type": "number", "min": 0, "max": 100000, "integer": true}},
                board,
                {"key": "fatt_bidrag_tidigare", "label": {"sv": "Har föreningen fått bidrag från staden de senaste tre åren?",
                                                          "en": "Has the association had a grant from the city in the last three years?"},
                 "required": true, "kind": {"type": "yes_no"}},
                {"key": "tidigare_redovisat", "label": {"sv": "Har föreningen redovisat hur det bidraget användes?",
                                                        "en": "Has the association reported how that grant was used?"},
                 "required": true, "condition": {"op": "equals", "field": "fatt_bidrag_tidigare", "value": true},
                 "kind": {"type": "yes_no"}},
                {"key": "om_redovisning", "label": "Redovisa det förra bidraget",
                 "condition": {"op": "all", "conditions": [
                    {"op": "equals", "field": "fatt_bidrag_tidigare", "value": true},
                    {"op": "not", "condition": {"op": "equals", "field": "tidigare_redovisat", "value": true}}]},
                 "kind": {"type": "info", "text": "Ett nytt bidrag betalas inte ut förrän det förra är redovisat.\n\n## Så gör du\n- Skicka in den här ansökan ändå.\n- Skicka redovisningen till [kultur- och fritidsförvaltningen](mailto:kultur.fritid@example.org) så snart du kan."}}
            ],
             "rules": [
                {"key": "unga_hogst_alla", "field": "medlemmar_7_25",
                 "check": {"type": "sum_at_most", "fields": ["medlemmar_7_25"], "other": "antal_medlemmar"},
                 "message": {"sv": "Medlemmarna mellan 7 och 25 år kan inte vara fler än föreningens alla medlemmar. Kontrollera de två antalen.",
                             "en": "The members aged 7 to 25 cannot be more than all the association's members. Check the two numbers."}}
            ]},
            {"key": "kontaktperson", "title": "Kontaktperson",
             "description": "Den vi hör av oss till om ansökan. Du ska vara firmatecknare eller utsedd kontaktperson.",
             "fields": [
                {"key": "kontakt_namn", "label": "Namn", "required": true, "autocomplete": "name",
                 "prefill": {"from": "full_name"},
                 "kind": {"type": "short_text", "max_length": 100}},
                {"key": "kontakt_personnummer", "label": "Personnummer", "required": true,
                 "help": "Ditt, från e-legitimationen. Vi kontrollerar att du får företräda föreningen.",
                 "prefill": {"from": "personnummer", "locked": true},
                 "kind": {"type": "personnummer", "allow_samordningsnummer": true}},
                {"key": "kontakt_adress", "label": "Din adress", "help": "Frivilligt. Dit skickar vi beslutet på papper om du vill.",
                 "autocomplete": "street-address", "prefill": {"from": "address"}, "kind": {"type": "address"}},
                {"key": "kontakt_epost", "label": "E-postadress", "required": true, "autocomplete": "email",
                 "kind": {"type": "email"}},
                {"key": "kontakt_telefon", "label": "Telefonnummer", "help": "Frivilligt. Vi ringer bara om något är oklart.",
                 "autocomplete": "tel", "kind": {"type": "phone"}}
            ]},
            {"key": "bidraget", "title": "Bidraget", "fields": [
                {"key": "bidragstyp", "label": "Vilket bidrag söker föreningen?", "required": true,
                 "kind": {"type": "single_choice", "display": "radio", "options": [
                    {"value": "aktivitetsbidrag", "label": "Aktivitetsbidrag, för regelbunden verksamhet"},
                    {"value": "lokalbidrag", "label": "Lokalbidrag, för hyra av egen lokal"},
                    {"value": "projektbidrag", "label": "Projektbidrag, för ett avgränsat projekt"}]}},
                {"key": "stadsdel", "label": "Var har föreningen mest verksamhet?", "required": true,
                 "kind": {"type": "single_choice", "display": "select", "options": [
                    {"value": "centrum", "label": "Centrum"},
                    {"value": "norr", "label": "Norr"},
                    {"value": "oster", "label": "Öster"},
                    {"value": "soder", "label": "Söder"},
                    {"value": "raa", "label": "Råå"},
                    {"value": "mortorp_kattarp", "label": "Mörarp eller Kattarp"},
                    {"value": "hela_staden", "label": "I hela staden"}]}},
                {"key": "malgrupper", "label": "Vilka vänder sig verksamheten till?", "required": true,
                 "help": "Välj alla som stämmer.",
                 "kind": {"type": "multiple_choice", "min_selected": 1, "options": [
                    {"value": "barn", "label": "Barn 7–12 år"},
                    {"value": "unga", "label": "Unga 13–25 år"},
                    {"value": "vuxna", "label": "Vuxna"},
                    {"value": "aldre", "label": "Äldre"},
                    {"value": "funktionsnedsattning", "label": "Personer med funktionsnedsättning"}]}},
                {"key": "belopp", "label": "Hur mycket söker föreningen?", "required": true,
                 "help": "I hela kronor. Söker ni mer än 50 000 kronor behöver vi en budget.",
                 "kind": {"type": "amount", "min_kronor": 1000, "max_kronor": 500000, "whole_kronor": true}},
                {"key": "bankgiro", "label": "Föreningens bankgiro", "prefill": {"from": "previous_case"},
                 "help": "Frivilligt nu. Bidraget betalas till föreningens bankgiro; har ni inget frågar vi efter ett annat konto.",
                 "kind": {"type": "bankgiro"}},
                {"key": "lokalens_adress", "label": "Lokalens adress", "required": true,
                 "condition": {"op": "equals", "field": "bidragstyp", "value": "lokalbidrag"},
                 "kind": {"type": "short_text", "min_length": 3, "max_length": 200}},
                {"key": "arshyra", "label": "Årshyra", "required": true,
                 "condition": {"op": "equals", "field": "bidragstyp", "value": "lokalbidrag"},
                 "kind": {"type": "amount", "max_kronor": 10000000}}
            ]},
            {"key": "projektet", "title": "Projektet",
             "condition": {"op": "equals", "field": "bidragstyp", "value": "projektbidrag"},
             "fields": [
                {"key": "projektnamn", "label": "Projektets namn", "required": true, "kind": {"type": "short_text", "max_length": 100}},
                {"key": "projektbeskrivning", "label": "Beskriv projektet: vad ni vill göra, för vilka och varför",
                 "required": true, "kind": {"type": "long_text", "min_length": 50, "max_length": 4000}},
                {"key": "projektstart", "label": "När börjar projektet?", "required": true,
                 "kind": {"type": "date", "min": "2026-01-01", "max": "2030-12-31"}},
                {"key": "projektslut", "label": "När slutar projektet?", "required": true,
                 "help": "Ett projekt får pågå i högst två år.",
                 "kind": {"type": "date", "min": "2026-01-01", "max": "2032-12-31"}}
            ],
             "rules": [
                {"key": "slut_efter_start", "field": "projektslut",
                 "check": {"type": "compare", "field": "projektslut", "op": "gt", "other": "projektstart"},
                 "message": {"sv": "Slutdatum måste vara efter startdatum.",
                             "en": "The end date must be after the start date."}},
                {"key": "hogst_tva_ar", "field": "projektslut",
                 "check": {"type": "date_within", "field": "projektslut", "after": "projektstart", "max": 2, "unit": "years"},
                 "message": {"sv": "Ett projekt får pågå i högst två år. Välj ett slutdatum högst två år efter startdatum.",
                             "en": "A project may last at most two years. Choose an end date at most two years after the start date."}}
            ]},
            {"key": "bilagor", "title": "Bilagor", "fields": [
                {"key": "verksamhetsberattelse", "label": "Den senaste verksamhetsberättelsen", "required": true,
                 "help": "En pdf-fil på högst 10 MB.",
                 "kind": {"type": "file", "max_files": 1, "max_size_bytes": 10485760, "accept": [".pdf", "application/pdf"]}},
                {"key": "budget", "label": "Budget", "required": true,
                 "help": "Pdf eller kalkylblad, högst tre filer på 10 MB var.",
                 "condition": {"op": "any", "conditions": [
                    {"op": "equals", "field": "bidragstyp", "value": "projektbidrag"},
                    {"op": "greater_than", "field": "belopp", "value": 5000000}]},
                 "kind": {"type": "file", "max_files": 3, "max_size_bytes": 10485760, "accept": spreadsheet_and_pdf}},
                {"key": "bilder", "label": "Bilder från verksamheten", "help": "Frivilligt. Högst fem bilder på 5 MB var.",
                 "kind": {"type": "file", "max_files": 5, "max_size_bytes": 5242880, "accept": ["image/*"]}},
                {"key": "ovrigt", "label": "Något mer vi behöver veta?", "kind": {"type": "long_text", "max_length": 2000}}
            ]}
        ]
    }))
}

/// The standard statuses and "Väntar på komplettering", so a handler can ask for a supplement.
fn demo_statuses() -> Vec<shared::StatusDefinition> {
    let mut list = shared::status::standard_statuses();
    list.insert(
        3,
        shared::StatusDefinition {
            key: "vantar_pa_komplettering".into(),
            name: "Väntar på komplettering".into(),
            name_en: Some("Awaiting supplement".into()),
            kind: shared::StatusKind::AwaitingSupplement,
            applicant_may_supplement: true,
            messaging_allowed: true,
            notify_applicant: false,
        },
    );
    list
}

fn record(slug: &str, name: &str, audience: &str, identity: IdentityRequirement, first: &str) -> ServiceRecord {
    ServiceRecord {
        slug: slug.into(),
        name: name.into(),
        audience: audience.into(),
        first_page_text: first.into(),
        last_page_text: "Tack! Vi har tagit emot ditt ärende. Du kan följa det på Min sida.".into(),
        privacy_text: "Helsingborgs stad behandlar dina personuppgifter för att handlägga ärendet, med stöd av \
                       dataskyddsförordningen artikel 6.1 e (uppgift av allmänt intresse). Uppgifterna gallras när \
                       ärendet har varit avslutat i 30 dagar."
            .into(),
        confirmation_email_subject: "Vi har tagit emot ditt ärende {{case_reference}}".into(),
        confirmation_email_body: "Hej {{first_name}}\n\nVi har tagit emot ditt ärende i e-tjänsten {{service_name}} \
                                  den {{submitted_date}}. Ärendets nummer är {{case_reference}}.\n\nEn handläggare \
                                  går igenom ärendet och hör av sig om något saknas. Du följer ärendet på Min sida:\n\
                                  {{min_sida_link}}\n\nVänliga hälsningar\nHelsingborgs stad"
            .into(),
        confirmation_email_subject_en: Some("We have received your case {{case_reference}}".into()),
        confirmation_email_body_en: Some(
            "Hello {{first_name}}\n\nWe received your case in the e-service {{service_name}} on {{submitted_date}}. \
             Its reference is {{case_reference}}.\n\nA case officer will go through it and contact you if anything \
             is missing. Follow the case on My pages:\n{{min_sida_link}}\n\nKind regards\nCity of Helsingborg"
                .into(),
        ),
        handler_mailbox: "funktionsbrevlada@example.org".into(),
        identity,
        retention_days_after_closing: 30,
        retention_days_for_drafts: None,
        retention_days_awaiting_signatures: None,
        signing: Default::default(),
        receipt_heading: None,
        statuses: demo_statuses(),
        english: Default::default(),
    }
}

/// Who the builder's log names for what the demo set up.
const DEMO: &str = "demo";

/// Seeds the demo services (and, when no admin exists, demo accounts whose
/// generated passwords are returned for printing once).
pub async fn seed(db: &Db) -> Result<Vec<(String, String)>, AppError> {
    let services = [
        (
            record(
                "plats-i-forskola",
                "Plats i förskola",
                "Vårdnadshavare till barn mellan 1 och 5 år som är folkbokförda i Helsingborg.",
                IdentityRequirement::EId,
                "Här ställer du ditt barn i kö till förskola. Ha barnets personnummer och önskat startdatum till hands.",
            ),
            preschool_form().map_err(AppError::internal)?,
        ),
        (
            ServiceRecord {
                receipt_heading: Some("Felanmälan är skickad".into()),
                last_page_text: "Tack för att du hjälper oss att hålla staden hel! Vi åtgärdar felet så snart vi kan."
                    .into(),
                confirmation_email_subject: "Vi har tagit emot din felanmälan {{case_reference}}".into(),
                confirmation_email_body: "Hej {{first_name}}\n\nTack för din felanmälan i e-tjänsten \
                                          {{service_name}} den {{submitted_date}}. Ärendets nummer är \
                                          {{case_reference}}.\n\nFölj ärendet och läs och svara på våra \
                                          meddelanden här (om du är inloggad: på Min sida):\n{{min_sida_link}}\n\n\
                                          Vänliga hälsningar\nHelsingborgs stad"
                    .into(),
                confirmation_email_subject_en: Some("We have received your fault report {{case_reference}}".into()),
                confirmation_email_body_en: Some(
                    "Hello {{first_name}}\n\nThank you for your fault report in the e-service {{service_name}} on \
                     {{submitted_date}}. Its reference is {{case_reference}}.\n\nFollow the case and read and \
                     answer our messages here (when logged in: on My pages):\n{{min_sida_link}}\n\nKind \
                     regards\nCity of Helsingborg"
                        .into(),
                ),
                ..record(
                    "felanmalan-gata-och-park",
                    "Felanmälan gata och park",
                    "Alla som vill anmäla ett fel på gator, gatubelysning, parker eller lekplatser.",
                    IdentityRequirement::AnonymousAllowed,
                    "Anmäl fel på gator och i parker. Du kan vara anonym.",
                )
            },
            street_form().map_err(AppError::internal)?,
        ),
        (
            ServiceRecord {
                signing: shared::signing::SigningSettings {
                    requirement: shared::signing::SigningRequirement::ApplicantAndCoSigners,
                    co_signers: Some(shared::signing::CoSignerSource::RegisterGuardians { child_field: "barn".into() }),
                    co_signer_email_field: Some("annan_vardnadshavare_epost".into()),
                    ..Default::default()
                },
                ..record(
                    "byte-av-skola",
                    "Byte av skola",
                    "Vårdnadshavare till barn i grundskolan i Helsingborg.",
                    IdentityRequirement::EId,
                    "Här ansöker ni om att ert barn ska byta grundskola. Båda vårdnadshavarna skriver under med \
                     BankID: du först, sedan får den andra vårdnadshavaren ansökan på sin Min sida. Först när båda \
                     har skrivit under kommer ansökan in till oss.",
                )
            },
            school_change_form().map_err(AppError::internal)?,
        ),
        (
            ServiceRecord {
                // Written in English too (its first form page as well): the English app shows it so.
                english: shared::api::ServiceEnglish {
                    name: Some("Grants to associations".into()),
                    audience: Some(
                        "Non-profit associations in Helsingborg with activities for children, young people or \
                         other groups in the city."
                            .into(),
                    ),
                    first_page_text: Some(
                        "Here the association applies for an activity grant, a premises grant or a project grant. \
                         Have the association's organisation number, its number of members and its latest annual \
                         report (pdf) at hand, and for a project or more than 50 000 kronor a budget too. You can \
                         save and continue later."
                            .into(),
                    ),
                    ..Default::default()
                },
                ..record(
                    "bidrag-till-forening",
                    "Bidrag till förening",
                    "Ideella föreningar i Helsingborg med verksamhet för barn, unga eller andra grupper i staden.",
                    IdentityRequirement::EId,
                    "Här söker föreningen aktivitetsbidrag, lokalbidrag eller projektbidrag. Ha föreningens \
                     organisationsnummer, antalet medlemmar och den senaste verksamhetsberättelsen (pdf) till \
                     hands, och för ett projekt eller mer än 50 000 kronor även en budget. Du kan spara och \
                     fortsätta senare.",
                )
            },
            association_grant_form().map_err(AppError::internal)?,
        ),
    ];
    let mut service_ids = Vec::new();
    // A service added to the demo later goes to the demo handler made earlier.
    let handler = crate::db::staff::find_by_username(db, "handlaggare").await?;
    for (rec, form) in services {
        let slug = rec.slug.clone();
        if crate::db::services::get_ref(db, &slug).await?.is_none() {
            form.check().map_err(AppError::internal)?;
            let created = crate::db::services::create(db, rec, Entry::new(DEMO, BuilderAction::CreateService))
                .await?
                .ok_or_else(|| AppError::internal("demo slug taken"))?;
            let v = crate::db::services::create_version(
                db,
                created.id,
                &slug,
                &form,
                Entry::new(DEMO, BuilderAction::CreateVersion),
                |_| true,
            )
            .await?
            .ok_or_else(|| AppError::internal("demo form refused"))?;
            match crate::db::services::publish_version(db, created.id, &slug, v.version, None, DEMO).await? {
                VersionOutcome::Done(_) => {}
                _ => return Err(AppError::internal("demo form could not be published")),
            }
            if let Some(h) = &handler {
                let entry = Entry::new(DEMO, BuilderAction::GrantPermission).with_detail(&h.username);
                crate::db::staff::grant(db, created.id, h.id, &slug, entry).await?;
            }
        }
        if let Some(s) = crate::db::services::get_ref(db, &slug).await? {
            service_ids.push((s.id, s.slug));
        }
    }
    let mut accounts = Vec::new();
    if !crate::db::staff::admin_exists(db).await? {
        for (username, name, roles) in [
            ("admin", "Demo Admin", vec![StaffRole::PlatformAdmin]),
            ("handlaggare", "Demo Handläggare", vec![StaffRole::Handler, StaffRole::ServiceOwner]),
        ] {
            let password = format!("{}", uuid::Uuid::new_v4().simple());
            let view = crate::accounts::create(
                db,
                NewAccount {
                    username: username.into(),
                    display_name: name.into(),
                    email: format!("{username}@example.org"),
                    password: SecretString::from(password.clone()),
                    roles,
                },
            )
            .await?;
            if username == "handlaggare" {
                for (id, slug) in &service_ids {
                    let entry = Entry::new(DEMO, BuilderAction::GrantPermission).with_detail(username);
                    crate::db::staff::grant(db, *id, view.id, slug, entry).await?;
                }
            }
            accounts.push((username.to_string(), password));
        }
    }
    Ok(accounts)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::collections::BTreeSet;

    use shared::{Condition, FieldKind};

    use super::*;

    fn conditions(form: &FormDefinition) -> Vec<&Condition> {
        let pages = form.pages.iter().filter_map(|p| p.condition.as_ref());
        pages.chain(form.fields().filter_map(|(_, f)| f.condition.as_ref())).collect()
    }

    #[test]
    fn the_demo_forms_are_valid() {
        preschool_form().unwrap().check().unwrap();
        street_form().unwrap().check().unwrap();
        association_grant_form().unwrap().check().unwrap();
        school_change_form().unwrap().check().unwrap();
    }

    /// Every text written in Swedish only, as definitions were before English texts: a string.
    fn swedish_only(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(o) if o.len() == 2 && o.get("en").is_some_and(|e| e.is_string()) => {
                if let Some(sv) = o.get("sv").cloned().filter(|s| s.is_string()) {
                    *v = sv;
                }
            }
            serde_json::Value::Object(o) => o.values_mut().for_each(swedish_only),
            serde_json::Value::Array(a) => a.iter_mut().for_each(swedish_only),
            _ => {}
        }
    }

    /// Every demo definition as stored before rules and English texts existed: without any
    /// `rules` key, and every text a string.
    fn old_shapes() -> Vec<(FormDefinition, serde_json::Value)> {
        let forms = [preschool_form(), street_form(), association_grant_form(), school_change_form()];
        forms
            .into_iter()
            .map(|f| {
                let form = f.unwrap();
                let mut old = serde_json::to_value(&form).unwrap();
                old.as_object_mut().unwrap().remove("rules");
                for page in old["pages"].as_array_mut().unwrap() {
                    page.as_object_mut().unwrap().remove("rules");
                }
                swedish_only(&mut old);
                assert!(!old.to_string().contains("\"en\""), "{old}");
                (form, old)
            })
            .collect()
    }

    #[test]
    fn every_demo_definition_in_its_shape_before_rules_and_english_still_loads_and_means_the_same() {
        for (form, old) in old_shapes() {
            let loaded: FormDefinition = serde_json::from_value(old).unwrap();
            loaded.check().unwrap();
            assert!(loaded.rules.is_empty() && loaded.pages.iter().all(|p| p.rules.is_empty()));
            let without_rules = |f: &FormDefinition| {
                let mut f = f.clone();
                f.rules.clear();
                f.pages.iter_mut().for_each(|p| p.rules.clear());
                let mut v = serde_json::to_value(f).unwrap();
                swedish_only(&mut v);
                serde_json::from_value::<FormDefinition>(v).unwrap()
            };
            assert_eq!(loaded, without_rules(&form));
            assert!(loaded.texts().iter().all(|t| t.text.en.is_none()));
        }
    }

    #[test]
    fn the_grant_form_refuses_an_end_before_the_start_a_project_over_two_years_and_more_young_than_members() {
        let form = association_grant_form().unwrap();
        let broken = |pairs: &[(&str, serde_json::Value)]| -> Vec<String> {
            let answers: shared::Answers = pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
            let page = form.pages.iter().find(|p| p.fields.iter().any(|f| f.key == pairs[0].0)).unwrap();
            shared::validate::validate_page(&form, &page.key, &answers).into_iter().filter_map(|e| e.rule).collect()
        };
        let project = |start: &str, end: &str| {
            vec![("projektstart", json!(start)), ("projektslut", json!(end)), ("bidragstyp", json!("projektbidrag"))]
        };
        assert_eq!(broken(&project("2027-06-01", "2027-05-01")), ["slut_efter_start"]);
        assert_eq!(broken(&project("2027-06-01", "2029-06-02")), ["hogst_tva_ar"]);
        assert!(broken(&project("2027-06-01", "2029-06-01")).is_empty());
        let members = |all: u32, young: u32| vec![("medlemmar_7_25", json!(young)), ("antal_medlemmar", json!(all))];
        assert_eq!(broken(&members(40, 500)), ["unga_hogst_alla"]);
        assert!(broken(&members(40, 40)).is_empty());
    }

    #[test]
    fn the_school_change_service_names_fields_its_form_has() {
        let form = school_change_form().unwrap();
        let settings = shared::signing::SigningSettings {
            requirement: shared::signing::SigningRequirement::ApplicantAndCoSigners,
            co_signers: Some(shared::signing::CoSignerSource::RegisterGuardians { child_field: "barn".into() }),
            co_signer_email_field: Some("annan_vardnadshavare_epost".into()),
            ..Default::default()
        };
        settings.check().unwrap();
        settings.check_form(&form).unwrap();
    }

    #[test]
    fn the_demo_forms_have_no_page_field_or_rule_that_does_nothing() {
        for form in [preschool_form(), school_change_form(), street_form(), association_grant_form()] {
            let form = form.unwrap();
            let found = shared::analysis::findings(&form, (2026, 12, 7));
            assert!(found.is_empty(), "{found:#?}");
        }
    }

    #[test]
    fn the_grant_form_exercises_every_field_kind_and_display() {
        let form = association_grant_form().unwrap();
        let kinds: BTreeSet<&str> = form.fields().map(|(_, f)| f.kind.type_name()).collect();
        for kind in [
            "short_text",
            "long_text",
            "number",
            "date",
            "email",
            "phone",
            "personnummer",
            "single_choice",
            "multiple_choice",
            "yes_no",
            "file",
            "info",
            "organisationsnummer",
            "amount",
            "bankgiro",
        ] {
            assert!(kinds.contains(kind), "{kind} missing");
        }
        let fields: Vec<&FieldKind> = form.fields().map(|(_, f)| &f.kind).collect();
        assert!(fields.iter().any(|k| matches!(k, FieldKind::Date { min: Some(_), max: Some(_) })));
        assert!(fields.iter().any(|k| matches!(k, FieldKind::File { accept, .. } if !accept.is_empty())));
        for display in [shared::form::ChoiceDisplay::Radio, shared::form::ChoiceDisplay::Select] {
            assert!(fields.iter().any(|k| matches!(k, FieldKind::SingleChoice { display: d, .. } if *d == display)));
        }
    }

    #[test]
    fn the_grant_form_has_a_page_condition_and_all_any_and_not_combinations() {
        let form = association_grant_form().unwrap();
        let all = conditions(&form);
        assert!(all.len() >= 3, "{}", all.len());
        assert!(form.pages.iter().any(|p| p.condition.is_some()));
        let json = serde_json::to_string(&all).unwrap();
        for op in ["\"all\"", "\"any\"", "\"not\""] {
            assert!(json.contains(op), "{op} missing");
        }
    }
}
