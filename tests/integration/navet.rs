//! The production Navet client against the Navet simulator over real mutual TLS.

use std::time::Duration;

use backend::eid::tls::{TestPki, client_config_from_pem};
use backend::navet::client::{NavetClient, NavetClientConfig};
use backend::navet::simulator::{NavetSimulator, fixtures};
use backend::navet::{NavetError, Person, RelationKind};
use shared::Personnummer;

use crate::helpers::spawn_app;

struct Setup {
    pki: TestPki,
    simulator: NavetSimulator,
    client: NavetClient,
}

fn client(url: &str, tls: rustls::ClientConfig, timeout: Duration) -> NavetClient {
    NavetClient::new(
        NavetClientConfig {
            url: url.to_string(),
            organisation_number: "000000000000".into(),
            order_identity: "00000000-FO01-0001".into(),
            timeout,
        },
        tls,
    )
    .expect("client")
}

fn setup() -> Setup {
    let pki = TestPki::generate("navet-test-client").expect("pki");
    let simulator = NavetSimulator::start(&pki).expect("simulator");
    let client = client(simulator.url(), pki.client_config().expect("tls"), Duration::from_secs(10));
    Setup { pki, simulator, client }
}

fn pnr(n: &str) -> Personnummer {
    Personnummer::parse(n).expect("personnummer")
}

async fn found(s: &Setup, number: &str) -> Person {
    let person = s.client.lookup(&pnr(number)).await.expect("lookup").expect("known person");
    assert_eq!(person.personnummer().as_digits(), number);
    person
}

fn digits(numbers: impl Iterator<Item = Personnummer>) -> Vec<String> {
    numbers.map(|p| p.as_digits()).collect()
}

#[tokio::test]
async fn an_ordinary_adult_comes_back_with_name_tilltalsnamn_and_address() {
    let s = setup();
    let p = found(&s, fixtures::ORDINARY_ADULT).await;
    assert!(!p.is_protected());
    let n = p.name();
    assert_eq!((n.given_names.as_str(), n.surname.as_str()), ("Testa Maria", "Exempelsson"));
    assert_eq!(n.tilltalsnamn.as_deref(), Some("Testa"));
    let a = p.address().expect("address");
    assert_eq!((a.street.as_str(), a.postal_code.as_str(), a.city.as_str()), ("PROVGATAN 12", "99991", "TESTSTAD"));
    assert!(a.care_of.is_none() && a.additional_line.is_none());
    assert!(p.relations().is_empty());
}

#[tokio::test]
async fn the_demo_applicant_comes_back_with_care_of_two_address_lines_and_a_middle_name() {
    let s = setup();
    let p = found(&s, fixtures::DEMO_APPLICANT).await;
    assert!(!p.is_protected());
    assert_eq!(p.name().middle_name.as_deref(), Some("Prov"));
    assert_eq!(p.name().tilltalsnamn.as_deref(), Some("Tolva"));
    let a = p.address().expect("address");
    assert_eq!(a.care_of.as_deref(), Some("FAMILJEN EXEMPEL"));
    assert_eq!(a.additional_line.as_deref(), Some("LGH 1001"));
    assert_eq!(a.street, "SIMULATORVÄGEN 3");
}

#[tokio::test]
async fn a_person_with_sekretessmarkering_comes_back_flagged_without_address_or_relations() {
    let s = setup();
    let p = found(&s, fixtures::SEKRETESSMARKERING).await;
    assert!(p.is_protected());
    assert!(p.protection().sekretessmarkering && !p.protection().skyddad_folkbokforing);
    assert!(p.address().is_none() && p.relations().is_empty());
    assert_eq!(p.name().surname, "Skyddsson");
    let view = p.for_display();
    assert!(view.protected && view.address.is_none() && view.relations.is_empty());
}

#[tokio::test]
async fn a_person_with_skyddad_folkbokforing_comes_back_flagged_without_address_or_relations() {
    let s = setup();
    let p = found(&s, fixtures::SKYDDAD_FOLKBOKFORING).await;
    assert!(p.is_protected());
    assert!(!p.protection().sekretessmarkering && p.protection().skyddad_folkbokforing);
    assert!(p.address().is_none() && p.relations().is_empty());
    let json = serde_json::to_string(&p.for_display()).expect("json");
    assert!(!json.contains("DOLDA") && !json.contains(fixtures::SEKRETESSMARKERING), "{json}");
}

#[tokio::test]
async fn both_guardians_list_the_shared_child_and_the_child_lists_both_guardians() {
    let s = setup();
    let child = found(&s, fixtures::CHILD).await;
    assert_eq!(digits(child.guardians().cloned()), [fixtures::GUARDIAN_A, fixtures::GUARDIAN_B]);
    assert_eq!(child.name().tilltalsnamn.as_deref(), Some("Lill-Test"));
    let guardian_names: Vec<_> =
        child.relations().iter().filter_map(|r| r.name.as_ref().map(|n| n.given_names.clone())).collect();
    assert_eq!(guardian_names, ["Prova Vårdnad", "Karl-Prov Erik"]);
    for (guardian, spouse) in
        [(fixtures::GUARDIAN_A, fixtures::GUARDIAN_B), (fixtures::GUARDIAN_B, fixtures::GUARDIAN_A)]
    {
        let g = found(&s, guardian).await;
        assert_eq!(digits(g.children().cloned()), [fixtures::CHILD]);
        let spouses: Vec<_> = g.relations().iter().filter(|r| r.kind == RelationKind::Spouse).collect();
        assert_eq!(spouses.len(), 1);
        assert_eq!(spouses[0].personnummer.as_ref().map(Personnummer::as_digits).as_deref(), Some(spouse));
        assert_eq!(g.address().map(|a| a.street.as_str()), child.address().map(|a| a.street.as_str()));
    }
    assert_eq!(found(&s, fixtures::GUARDIAN_B).await.name().tilltalsnamn.as_deref(), Some("Karl-Prov"));
}

#[tokio::test]
async fn a_samordningsnummer_holder_is_found_without_an_address() {
    let s = setup();
    let p = found(&s, fixtures::SAMORDNINGSNUMMER).await;
    assert!(p.personnummer().is_samordningsnummer());
    assert!(!p.is_protected() && p.address().is_none());
    assert_eq!(p.name().surname, "Utlandsson");
}

#[tokio::test]
async fn an_unknown_test_number_is_no_person() {
    let s = setup();
    assert_eq!(s.client.lookup(&pnr(fixtures::UNKNOWN)).await, Ok(None));
}

#[tokio::test]
async fn a_client_with_a_certificate_from_another_ca_is_refused() {
    let s = setup();
    let other = TestPki::generate("intruder").expect("pki");
    let tls = client_config_from_pem(
        other.client_cert_pem.as_bytes(),
        other.client_key_pem.as_bytes(),
        s.pki.ca_pem.as_bytes(),
    )
    .expect("tls");
    let intruder = client(s.simulator.url(), tls, Duration::from_secs(10));
    let err = intruder.lookup(&pnr(fixtures::ORDINARY_ADULT)).await.expect_err("refused");
    assert!(matches!(err, NavetError::Transport(_)), "{err:?}");
    // The legitimate client still gets through.
    found(&s, fixtures::ORDINARY_ADULT).await;
}

#[tokio::test]
async fn a_client_without_a_certificate_is_refused() {
    let s = setup();
    let anonymous = client(s.simulator.url(), s.pki.anonymous_client_config().expect("tls"), Duration::from_secs(10));
    let err = anonymous.lookup(&pnr(fixtures::ORDINARY_ADULT)).await.expect_err("refused");
    assert!(matches!(err, NavetError::Transport(_)), "{err:?}");
}

#[tokio::test]
async fn a_client_refuses_a_server_whose_certificate_it_does_not_trust() {
    let s = setup();
    let other = TestPki::generate("navet-test-client").expect("pki");
    // Our own certificate is fine for the simulator, but we pin another CA for the server.
    let tls = client_config_from_pem(
        s.pki.client_cert_pem.as_bytes(),
        s.pki.client_key_pem.as_bytes(),
        other.ca_pem.as_bytes(),
    )
    .expect("tls");
    let err = client(s.simulator.url(), tls, Duration::from_secs(10))
        .lookup(&pnr(fixtures::ORDINARY_ADULT))
        .await
        .expect_err("refused");
    assert!(matches!(err, NavetError::Transport(_)), "{err:?}");
}

#[tokio::test]
async fn a_server_that_never_answers_makes_the_lookup_time_out() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let pki = TestPki::generate("navet-test-client").expect("pki");
    let c = client(
        &format!("https://127.0.0.1:{port}/na/na_epersondata/V2/personpostXML"),
        pki.client_config().expect("tls"),
        Duration::from_millis(300),
    );
    assert_eq!(c.lookup(&pnr(fixtures::ORDINARY_ADULT)).await, Err(NavetError::Timeout));
    silent.abort();
}

#[tokio::test]
async fn the_debug_output_of_a_protected_person_holds_no_address_name_or_full_number() {
    let s = setup();
    for number in [fixtures::SEKRETESSMARKERING, fixtures::SKYDDAD_FOLKBOKFORING, fixtures::GUARDIAN_A] {
        let p = found(&s, number).await;
        let dbg = format!("{p:?} {p:#?} {:?}", p.for_display());
        for secret in ["DOLDA", "GRÄND", "FAMILJEGATAN", "99993", "Skyddsson", "Familjesson", &number[4..]] {
            assert!(!dbg.contains(secret), "{secret} in {dbg}");
        }
    }
}

#[tokio::test]
async fn the_app_in_its_default_configuration_looks_persons_up_in_the_simulator() {
    let app = spawn_app().await;
    let register = &app.state.population_register;
    let p = register.lookup(&pnr(crate::helpers::APPLICANT)).await.expect("lookup").expect("the demo applicant");
    assert_eq!(p.personnummer().as_digits(), crate::helpers::APPLICANT);
    assert!(
        register.lookup(&pnr(fixtures::SKYDDAD_FOLKBOKFORING)).await.expect("lookup").expect("known").is_protected()
    );
    assert_eq!(register.lookup(&pnr(fixtures::UNKNOWN)).await, Ok(None));
}
