//! Demo data for `backend serve --demo`: two published services, and a
//! platform admin and a handler with generated passwords when no admin
//! exists. Idempotent: running it again changes nothing.

use secrecy::SecretString;
use serde_json::json;
use shared::FormDefinition;
use shared::api::{IdentityRequirement, StaffRole};

use crate::accounts::NewAccount;
use crate::db::Db;
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
                {"key": "ovrigt", "label": "Något mer vi behöver veta?", "kind": {"type": "long_text", "max_length": 2000}}
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
                {"key": "epost", "label": "E-postadress", "required": true,
                 "condition": {"op": "equals", "field": "vill_ha_svar", "value": true}, "kind": {"type": "email"}}
            ]}
        ]
    }))
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
        confirmation_email_subject: "Vi har tagit emot ditt ärende".into(),
        confirmation_email_body: "Hej! Vi har tagit emot ditt ärende. Logga in på Min sida för att följa det.".into(),
        handler_mailbox: "funktionsbrevlada@example.org".into(),
        identity,
        retention_days_after_closing: 30,
        statuses: shared::status::standard_statuses(),
    }
}

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
            record(
                "felanmalan-gata-och-park",
                "Felanmälan gata och park",
                "Alla som vill anmäla ett fel på gator, gatubelysning, parker eller lekplatser.",
                IdentityRequirement::AnonymousAllowed,
                "Anmäl fel på gator och i parker. Du kan vara anonym.",
            ),
            street_form().map_err(AppError::internal)?,
        ),
    ];
    let mut service_ids = Vec::new();
    for (rec, form) in services {
        let slug = rec.slug.clone();
        if crate::db::services::get_ref(db, &slug).await?.is_none() {
            form.check().map_err(AppError::internal)?;
            let created =
                crate::db::services::create(db, rec).await?.ok_or_else(|| AppError::internal("demo slug taken"))?;
            let v = crate::db::services::create_version(db, created.id, &slug, &form).await?;
            match crate::db::services::publish_version(db, created.id, &slug, v.version).await? {
                VersionOutcome::Done(_) => {}
                _ => return Err(AppError::internal("demo form could not be published")),
            }
        }
        if let Some(s) = crate::db::services::get_ref(db, &slug).await? {
            service_ids.push(s.id);
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
                for id in &service_ids {
                    crate::db::staff::grant(db, *id, view.id).await?;
                }
            }
            accounts.push((username.to_string(), password));
        }
    }
    Ok(accounts)
}
