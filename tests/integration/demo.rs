use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{APPLICANT, spawn_app};

#[tokio::test]
async fn the_demo_seeding_is_idempotent_and_the_grant_service_can_be_completed_with_files() {
    let app = spawn_app().await;
    let accounts = backend::demo::seed(&app.state.db).await.expect("seed");
    assert_eq!(accounts.len(), 2);
    assert!(backend::demo::seed(&app.state.db).await.expect("seed again").is_empty());
    let (_, catalogue) = app.get("/api/v1/catalogue", None).await;
    let names: Vec<&str> = catalogue.as_array().expect("list").iter().filter_map(|s| s["name"].as_str()).collect();
    assert_eq!(names, ["Bidrag till förening", "Byte av skola", "Felanmälan gata och park", "Plats i förskola"]);
    assert_eq!(app.count("services").await, 4);
    let (status, service) = app.get("/api/v1/catalogue/bidrag-till-forening", None).await;
    assert_eq!((status, &service["identity"]), (StatusCode::OK, &json!("e_id")));

    let me = app.applicant(APPLICANT).await;
    let mut refs = Vec::new();
    for name in ["Verksamhetsberättelse 2025.pdf", "Budget sommarläger.pdf"] {
        let (status, file) = app.upload(Some(&me), None, name, "application/pdf", b"%PDF-1.7\n...".to_vec()).await;
        assert_eq!(status, StatusCode::CREATED, "{file}");
        refs.push(json!({ "id": file["id"], "name": file["name"], "size": file["size"], "content_type": file["content_type"] }));
    }
    let mut answers = json!({
        "foreningens_namn": "Råå scoutkår", "organisationsnummer": "802002-4280", "antal_medlemmar": 120,
        "medlemmar_7_25": 85, "fatt_bidrag_tidigare": true, "tidigare_redovisat": false,
        "styrelse": [{"ledamot_namn": "Anna Andersson", "ledamot_roll": "ordforande", "ledamot_telefon": "070-123 45 67"}],
        "kontakt_adress": {"street": "Drottninggatan 1", "postnummer": "252 21", "ort": "Helsingborg"},
        "kontakt_namn": "Tolvan Tolvansson", "kontakt_personnummer": APPLICANT, "kontakt_epost": "tolvan@example.org",
        "bidragstyp": "projektbidrag", "stadsdel": "raa", "malgrupper": ["unga", "barn"], "belopp": "40 000",
        "projektnamn": "Sommarläger på Ven",
        "projektbeskrivning": "Ett veckolångt läger för unga scouter, med segling, friluftsliv och ledarträning.",
        "projektstart": "2027-06-21", "projektslut": "2027-06-28",
        "verksamhetsberattelse": [refs[0]]
    });
    // A project needs a budget (the `any` condition), and the project page is shown (a page condition).
    let (status, body) = app.submit("bidrag-till-forening", Some(&me), 1, answers.clone(), None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!((&body["errors"][0]["field"], &body["errors"][0]["code"]), (&json!("budget"), &json!("required")));
    answers["budget"] = json!([refs[1]]);
    // The association's number is checked, not only its shape: a wrong check digit is refused,
    // and says so.
    answers["organisationsnummer"] = json!("802002-4281");
    let (status, body) = app.submit("bidrag-till-forening", Some(&me), 1, answers.clone(), None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["field"], "organisationsnummer");
    assert_eq!(body["errors"][0]["code"], "invalid_organisationsnummer");
    assert_eq!(body["errors"][0]["message"]["sv"], "Organisationsnumret stämmer inte – kontrollera siffrorna.");
    answers["organisationsnummer"] = json!("16802002-4280");
    // Each board member is checked by the row's rule, and the address by its parts: the
    // problems name their row and part.
    answers["styrelse"][0].as_object_mut().unwrap().remove("ledamot_telefon");
    answers["kontakt_adress"]["postnummer"] = json!("2522");
    let (status, body) = app.submit("bidrag-till-forening", Some(&me), 1, answers.clone(), None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let errors = body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{body}");
    let (board, address) = (&errors[0], &errors[1]);
    assert_eq!(
        (&board["field"], &board["row"], &board["part"]),
        (&json!("styrelse"), &json!(0), &json!("ledamot_epost"))
    );
    assert_eq!((&board["code"], &board["rule"]), (&json!("rule"), &json!("ledamot_nas")));
    assert_eq!(board["message"]["sv"], "Skriv ledamotens e-postadress eller telefonnummer, så att vi når styrelsen.");
    assert_eq!(
        (&address["field"], &address["part"], &address["code"]),
        (&json!("kontakt_adress"), &json!("postnummer"), &json!("invalid_postnummer"))
    );
    answers["styrelse"] = json!([
        {"ledamot_namn": " Anna Andersson ", "ledamot_roll": "ordforande", "ledamot_telefon": "070-123 45 67"},
        {"ledamot_namn": "Bo Berg", "ledamot_roll": "kassor", "ledamot_epost": "Bo@Example.org"}
    ]);
    answers["kontakt_adress"]["postnummer"] = json!("252 21");
    answers["bankgiro"] = json!("5050 1055");
    let (status, case) = app.submit("bidrag-till-forening", Some(&me), 1, answers, None).await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    assert_eq!(case["answers"]["organisationsnummer"], "8020024280", "stored as ten digits");
    assert_eq!(case["answers"]["belopp"], 4_000_000, "40 000 kronor held in öre");
    assert_eq!(case["answers"]["bankgiro"], "50501055");
    assert_eq!(case["answers"]["malgrupper"], json!(["barn", "unga"]));
    assert_eq!(case["answers"]["projektnamn"], "Sommarläger på Ven");
    assert_eq!(
        case["answers"]["styrelse"],
        json!([
            {"ledamot_namn": "Anna Andersson", "ledamot_roll": "ordforande", "ledamot_telefon": "+46701234567"},
            {"ledamot_namn": "Bo Berg", "ledamot_roll": "kassor", "ledamot_epost": "Bo@example.org"}
        ]),
        "each row normalised like a field of its own"
    );
    assert_eq!(
        case["answers"]["kontakt_adress"],
        json!({"street": "Drottninggatan 1", "postnummer": "25221", "ort": "Helsingborg"})
    );
}
