//! A loopback Navet: the same SOAP `personpostXML` V2 over HTTPS on
//! 127.0.0.1, requiring a client certificate from the given [`TestPki`], and
//! answering for a fixed set of Skatteverket's official test persons
//! (`testdata/`) with obviously fictional names and addresses. Any other
//! number gets the "no such person" SOAP fault.
//!
//! Fault codes of the simulator (`Felkod`; Skatteverket's real codes are not
//! available here): [`super::client::NOT_FOUND_FELKODER`]`[0]` for an unknown
//! person, `OGILTIG_BEGARAN` for a request that is not a well-formed
//! `PersonpostRequest` with `OrgNr`, `BestallningsId` and a valid `PersonId`.

use std::net::TcpListener;

use actix_web::{App, HttpResponse, HttpServer, web};
use shared::Personnummer;

use super::NavetError;
use super::client::NOT_FOUND_FELKODER;
use super::xml::{self, escape};
use crate::eid::tls::TestPki;

/// The path the simulator serves, as on Skatteverket's servers.
pub const PATH: &str = "/na/na_epersondata/V2/personpostXML";

/// The fixture persons by shape (all on Skatteverket's test lists).
pub mod fixtures {
    /// An ordinary adult with an address; explicit `N` flags.
    pub const ORDINARY_ADULT: &str = "197803012389";
    /// The applicant of the demo and the integration tests: an ordinary adult
    /// with c/o, two address lines and a middle name; no flag elements at all
    /// (as in Skatteverket's published sample).
    pub const DEMO_APPLICANT: &str = "189001019802";
    /// Sekretessmarkering = J. The answer carries an address and a spouse,
    /// which the client must drop.
    pub const SEKRETESSMARKERING: &str = "198203162394";
    /// SkyddadFolkbokforing = J. The answer carries an address and a spouse,
    /// which the client must drop.
    pub const SKYDDAD_FOLKBOKFORING: &str = "198505072382";
    /// A guardian of [`CHILD`], married to [`GUARDIAN_B`].
    pub const GUARDIAN_A: &str = "198504182380";
    /// The other guardian of [`CHILD`]; tilltalsnamn of two given names ("12").
    pub const GUARDIAN_B: &str = "198206012398";
    /// A child born 2015 with both guardians.
    pub const CHILD: &str = "201505012391";
    /// A samordningsnummer holder (not folkbokförd, so no address).
    pub const SAMORDNINGSNUMMER: &str = "198001662397";
    /// A guardian of three children, each of whom stops register-based co-signing:
    /// [`PROTECTED_CHILD`], [`CHILD_OF_PROTECTED_GUARDIAN`] and [`CHILD_WITH_GUARDIAN_ABROAD`].
    /// Their record also lists [`CHILD`], whose own record does not name them (a
    /// register out of step: the child's record decides).
    pub const GUARDIAN_C: &str = "198104232387";
    /// A child of [`GUARDIAN_C`] with Sekretessmarkering = J (the answer carries the
    /// guardian relation, which the client must drop).
    pub const PROTECTED_CHILD: &str = "201603102383";
    /// A child of [`GUARDIAN_C`] whose other guardian is [`SKYDDAD_FOLKBOKFORING`].
    pub const CHILD_OF_PROTECTED_GUARDIAN: &str = "201707042386";
    /// A child of [`GUARDIAN_C`] whose other guardian has no personnummer (lives abroad):
    /// the relation gives a birth date and a name only.
    pub const CHILD_WITH_GUARDIAN_ABROAD: &str = "201809212382";
    /// An official test number the simulator does not know: SOAP fault.
    pub const UNKNOWN: &str = "189001039800";

    /// Every number the simulator answers for.
    pub const ALL: &[&str] = &[
        ORDINARY_ADULT,
        DEMO_APPLICANT,
        SEKRETESSMARKERING,
        SKYDDAD_FOLKBOKFORING,
        GUARDIAN_A,
        GUARDIAN_B,
        CHILD,
        SAMORDNINGSNUMMER,
        GUARDIAN_C,
        PROTECTED_CHILD,
        CHILD_OF_PROTECTED_GUARDIAN,
        CHILD_WITH_GUARDIAN_ABROAD,
    ];
}

/// In a fixture's relations: the related person has no personnummer (a guardian abroad).
const NO_PERSONNUMMER: &str = "";

struct FixtureAddress {
    care_of: Option<&'static str>,
    line1: Option<&'static str>,
    line2: &'static str,
    postal_code: &'static str,
    city: &'static str,
}

struct Fixture {
    number: &'static str,
    given_names: &'static str,
    /// Tilltalsnamnsmarkering.
    marking: Option<&'static str>,
    middle_name: Option<&'static str>,
    surname: &'static str,
    address: Option<FixtureAddress>,
    /// `Some(sekretessmarkering, skyddad)` writes both flag elements; `None` writes none.
    flags: Option<(bool, bool)>,
    /// (Relationstyp, number); the number [`NO_PERSONNUMMER`] for a person without one.
    relations: &'static [(&'static str, &'static str)],
}

const FAMILY_ADDRESS: FixtureAddress =
    FixtureAddress { care_of: None, line1: None, line2: "FAMILJEGATAN 5", postal_code: "99994", city: "TESTSTAD" };
const OTHER_FAMILY_ADDRESS: FixtureAddress =
    FixtureAddress { care_of: None, line1: None, line2: "BARNRIKA VÄGEN 7", postal_code: "99995", city: "TESTSTAD" };

/// The registered name of a fixture person (the name they are called by, surname), so
/// the e-ID simulators name test persons as the register does.
pub fn fixture_name(personnummer: &str) -> Option<(String, String)> {
    fixture_persons().into_iter().find(|f| f.number == personnummer).map(|f| {
        let called = f.marking.and_then(|code| super::client::tilltalsnamn(f.given_names, code));
        let given =
            called.unwrap_or_else(|| f.given_names.split_whitespace().next().unwrap_or(f.given_names).to_string());
        (given, f.surname.to_string())
    })
}

fn fixture_persons() -> [Fixture; 12] {
    use fixtures::*;
    [
        Fixture {
            number: ORDINARY_ADULT,
            given_names: "Testa Maria",
            marking: Some("10"),
            middle_name: None,
            surname: "Exempelsson",
            address: Some(FixtureAddress {
                care_of: None,
                line1: None,
                line2: "PROVGATAN 12",
                postal_code: "99991",
                city: "TESTSTAD",
            }),
            flags: Some((false, false)),
            relations: &[],
        },
        Fixture {
            number: DEMO_APPLICANT,
            given_names: "Demo Tolva",
            marking: Some("20"),
            middle_name: Some("Prov"),
            surname: "Testperson",
            address: Some(FixtureAddress {
                care_of: Some("FAMILJEN EXEMPEL"),
                line1: Some("LGH 1001"),
                line2: "SIMULATORVÄGEN 3",
                postal_code: "99992",
                city: "PROVBY",
            }),
            flags: None,
            relations: &[],
        },
        Fixture {
            number: SEKRETESSMARKERING,
            given_names: "Sekretus Hemlig",
            marking: Some("20"),
            middle_name: None,
            surname: "Skyddsson",
            address: Some(FixtureAddress {
                care_of: None,
                line1: None,
                line2: "DOLDA GRÄND 1",
                postal_code: "99993",
                city: "TESTSTAD",
            }),
            flags: Some((true, false)),
            relations: &[("M", SKYDDAD_FOLKBOKFORING)],
        },
        Fixture {
            number: SKYDDAD_FOLKBOKFORING,
            given_names: "Skydda",
            marking: Some("10"),
            middle_name: None,
            surname: "Skyddsson",
            address: Some(FixtureAddress {
                care_of: None,
                line1: None,
                line2: "DOLDA GRÄND 1",
                postal_code: "99993",
                city: "TESTSTAD",
            }),
            flags: Some((false, true)),
            relations: &[("M", SEKRETESSMARKERING), ("B", CHILD_OF_PROTECTED_GUARDIAN)],
        },
        Fixture {
            number: GUARDIAN_A,
            given_names: "Prova Vårdnad",
            marking: Some("10"),
            middle_name: None,
            surname: "Familjesson",
            address: Some(FAMILY_ADDRESS),
            flags: Some((false, false)),
            relations: &[("B", CHILD), ("M", GUARDIAN_B)],
        },
        Fixture {
            number: GUARDIAN_B,
            given_names: "Karl-Prov Erik",
            marking: Some("12"),
            middle_name: None,
            surname: "Familjesson",
            address: Some(FAMILY_ADDRESS),
            flags: Some((false, false)),
            relations: &[("B", CHILD), ("M", GUARDIAN_A)],
        },
        Fixture {
            number: CHILD,
            given_names: "Lill-Test Junior",
            marking: Some("12"),
            middle_name: None,
            surname: "Familjesson",
            address: Some(FAMILY_ADDRESS),
            flags: Some((false, false)),
            relations: &[("V", GUARDIAN_A), ("V", GUARDIAN_B)],
        },
        Fixture {
            number: SAMORDNINGSNUMMER,
            given_names: "Koordinat",
            marking: None,
            middle_name: None,
            surname: "Utlandsson",
            address: None,
            flags: Some((false, false)),
            relations: &[],
        },
        Fixture {
            number: GUARDIAN_C,
            given_names: "Trea Vårdnad",
            marking: Some("10"),
            middle_name: None,
            surname: "Flerbarnsson",
            address: Some(OTHER_FAMILY_ADDRESS),
            flags: Some((false, false)),
            relations: &[
                ("B", PROTECTED_CHILD),
                ("B", CHILD_OF_PROTECTED_GUARDIAN),
                ("B", CHILD_WITH_GUARDIAN_ABROAD),
                ("B", CHILD),
            ],
        },
        Fixture {
            number: PROTECTED_CHILD,
            given_names: "Dolda Junior",
            marking: Some("10"),
            middle_name: None,
            surname: "Flerbarnsson",
            address: Some(OTHER_FAMILY_ADDRESS),
            flags: Some((true, false)),
            relations: &[("V", GUARDIAN_C)],
        },
        Fixture {
            number: CHILD_OF_PROTECTED_GUARDIAN,
            given_names: "Mellan Junior",
            marking: Some("10"),
            middle_name: None,
            surname: "Flerbarnsson",
            address: Some(OTHER_FAMILY_ADDRESS),
            flags: Some((false, false)),
            relations: &[("V", GUARDIAN_C), ("V", SKYDDAD_FOLKBOKFORING)],
        },
        Fixture {
            number: CHILD_WITH_GUARDIAN_ABROAD,
            given_names: "Yngst Junior",
            marking: Some("10"),
            middle_name: None,
            surname: "Flerbarnsson",
            address: Some(OTHER_FAMILY_ADDRESS),
            flags: Some((false, false)),
            relations: &[("V", GUARDIAN_C), ("V", NO_PERSONNUMMER)],
        },
    ]
}

fn element(out: &mut String, name: &str, text: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    out.push_str(&escape(text));
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

fn names(out: &mut String, f: &Fixture) {
    out.push_str("<Namn>");
    if let Some(m) = f.marking {
        element(out, "Tilltalsnamnsmarkering", m);
    }
    element(out, "Fornamn", f.given_names);
    if let Some(m) = f.middle_name {
        element(out, "Mellannamn", m);
    }
    element(out, "Efternamn", f.surname);
    out.push_str("</Namn>");
}

/// The `Folkbokforingspost` of a fixture, in the element order of Navet's answers.
fn folkbokforingspost(f: &Fixture, all: &[Fixture]) -> String {
    let mut out = String::from("<Folkbokforingspost>");
    out.push_str(r#"<Arendeuppgift andringstidpunkt="20260101120000"/>"#);
    if let Some((sekretess, skyddad)) = f.flags {
        element(&mut out, "Sekretessmarkering", if sekretess { "J" } else { "N" });
        element(&mut out, "SkyddadFolkbokforing", if skyddad { "J" } else { "N" });
    }
    out.push_str("<Personpost><PersonId>");
    element(&mut out, "PersonNr", f.number);
    out.push_str("</PersonId>");
    element(&mut out, "Fodelsedatum", &f.number[..8]);
    names(&mut out, f);
    if let Some(a) = &f.address {
        out.push_str("<Adresser><Folkbokforingsadress>");
        if let Some(c) = a.care_of {
            element(&mut out, "CareOf", c);
        }
        if let Some(l) = a.line1 {
            element(&mut out, "Utdelningsadress1", l);
        }
        element(&mut out, "Utdelningsadress2", a.line2);
        element(&mut out, "PostNr", a.postal_code);
        element(&mut out, "Postort", a.city);
        out.push_str("</Folkbokforingsadress></Adresser>");
    }
    if !f.relations.is_empty() {
        out.push_str("<Relationer>");
        for (kind, number) in f.relations {
            out.push_str("<Relation>");
            if *number == NO_PERSONNUMMER {
                // Someone without a Swedish number: Navet gives a birth date and a name.
                element(&mut out, "Relationstyp", kind);
                element(&mut out, "Fodelsedatum", "19790101");
                out.push_str("<Namn><Fornamn>Utrikes</Fornamn><Efternamn>Vårdnadshavare</Efternamn></Namn>");
            } else {
                out.push_str("<RelationId>");
                element(&mut out, "PersonNr", number);
                out.push_str("</RelationId>");
                element(&mut out, "Relationstyp", kind);
                // A protected person's name is not handed out in others' records.
                if let Some(other) =
                    all.iter().find(|o| o.number == *number).filter(|o| !o.flags.is_some_and(|(a, b)| a || b))
                {
                    names(&mut out, other);
                }
            }
            out.push_str("</Relation>");
        }
        out.push_str("</Relationer>");
    }
    out.push_str("</Personpost></Folkbokforingspost>");
    out
}

fn envelope(body: &str) -> String {
    format!(
        r#"<?xml version='1.0' encoding='UTF-8'?><S:Envelope xmlns:S="{}"><S:Body>{body}</S:Body></S:Envelope>"#,
        super::client::SOAP_ENVELOPE
    )
}

fn answer(post: &str) -> String {
    envelope(&format!(
        r#"<ns0:PersonpostXMLResponse xmlns:ns1="http://www.skatteverket.se/folkbokforing/na/personpostXML/v2" xmlns:ns0="{}"><ns0:Folkbokforingsposter>{post}</ns0:Folkbokforingsposter></ns0:PersonpostXMLResponse>"#,
        super::client::NAMESPACE
    ))
}

/// A SOAP 1.1 fault envelope with Skatteverket-style detail.
fn fault(faultcode: &str, felkod: &str, description: &str) -> String {
    let mut detail = String::new();
    element(&mut detail, "Felkod", felkod);
    element(&mut detail, "Beskrivning", description);
    envelope(&format!(
        r#"<S:Fault><faultcode>{faultcode}</faultcode><faultstring>{}</faultstring><detail><ns0:NavetFel xmlns:ns0="{}">{detail}</ns0:NavetFel></detail></S:Fault>"#,
        escape(description),
        super::client::NAMESPACE
    ))
}

/// The simulator's answer to a request body: `Ok(answer)` or `Err(fault)`, both SOAP XML.
fn respond(body: &[u8]) -> Result<String, String> {
    let bad = |why: &str| fault("S:Client", "OGILTIG_BEGARAN", why);
    let text = std::str::from_utf8(body).map_err(|_| bad("Begäran är inte UTF-8"))?;
    let root = xml::parse(text).map_err(|_| bad("Begäran är inte välformad XML"))?;
    let request = root
        .at(&["Body", "PersonpostRequest"])
        .filter(|_| root.name == "Envelope")
        .ok_or_else(|| bad("Begäran är inte en PersonpostRequest i ett SOAP-kuvert"))?;
    if request.text_at(&["Bestallning", "OrgNr"]).is_none()
        || request.text_at(&["Bestallning", "BestallningsId"]).is_none()
    {
        return Err(bad("Beställning saknar OrgNr eller BestallningsId"));
    }
    let number = request
        .text_at(&["PersonId"])
        .and_then(|n| Personnummer::parse(n).ok())
        .ok_or_else(|| bad("PersonId är inte ett giltigt personnummer"))?;
    let all = fixture_persons();
    let digits = number.as_digits();
    match all.iter().find(|f| f.number == digits) {
        Some(f) => Ok(answer(&folkbokforingspost(f, &all))),
        None => Err(fault("S:Client", NOT_FOUND_FELKODER[0], "Personen finns inte i simulatorn")),
    }
}

async fn personpost(body: web::Bytes) -> HttpResponse {
    match respond(&body) {
        Ok(xml) => HttpResponse::Ok().content_type("text/xml; charset=utf-8").body(xml),
        Err(fault) => HttpResponse::InternalServerError().content_type("text/xml; charset=utf-8").body(fault),
    }
}

/// A running simulator; it stops when dropped.
pub struct NavetSimulator {
    url: String,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl std::fmt::Debug for NavetSimulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NavetSimulator").field("url", &self.url).finish()
    }
}

impl NavetSimulator {
    /// Starts the simulator on a free port of 127.0.0.1 with `pki`'s server
    /// certificate, requiring client certificates issued by `pki`'s CA. Must
    /// be called inside a tokio runtime (the server runs on it).
    pub fn start(pki: &TestPki) -> Result<Self, NavetError> {
        let runtime = tokio::runtime::Handle::try_current()
            .map_err(|_| NavetError::Config("the Navet simulator must start inside a tokio runtime".into()))?;
        let io = |e: std::io::Error| NavetError::Config(format!("Navet simulator: {e}"));
        let tls = pki.server_config().map_err(|e| NavetError::Config(e.to_string()))?;
        let listener = TcpListener::bind("127.0.0.1:0").map_err(io)?;
        let port = listener.local_addr().map_err(io)?.port();
        let server = HttpServer::new(|| {
            App::new()
                .route(PATH, web::post().to(personpost))
                .default_service(web::to(|| async { HttpResponse::NotFound().finish() }))
        })
        .workers(1)
        .disable_signals()
        .shutdown_timeout(0)
        .listen_rustls_0_23(listener, tls)
        .map_err(io)?
        .run();
        let task = runtime.spawn(server);
        Ok(Self { url: format!("https://127.0.0.1:{port}{PATH}"), task })
    }

    /// The endpoint URL, `https://127.0.0.1:PORT/na/na_epersondata/V2/personpostXML`.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for NavetSimulator {
    fn drop(&mut self) {
        // Dropping the server future closes the listener and stops the worker.
        self.task.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::navet::client::{Answer, parse_response, request_envelope};
    use crate::navet::{Person, RelationKind};

    fn ask(number: &str) -> Result<String, String> {
        let pnr = Personnummer::parse(number).unwrap();
        respond(request_envelope("000000000000", "00000000-FO01-0001", &pnr).as_bytes())
    }

    fn person(number: &str) -> Person {
        match parse_response(&ask(number).unwrap()).unwrap() {
            Answer::Posts(mut p) if p.len() == 1 => p.remove(0),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_fixture_is_an_official_test_number_and_the_unknown_one_too() {
        for n in fixtures::ALL.iter().chain([&fixtures::UNKNOWN]) {
            assert!(Personnummer::parse(n).is_ok(), "{n}");
            assert!(crate::auth::identity::is_official_test_number(n), "{n} is not on Skatteverket's lists");
        }
        assert!(Personnummer::parse(fixtures::SAMORDNINGSNUMMER).unwrap().is_samordningsnummer());
        let child_born = Personnummer::parse(fixtures::CHILD).unwrap().birth_year();
        assert!((2010..=2024).contains(&child_born));
        assert!(!fixtures::ALL.contains(&fixtures::UNKNOWN));
    }

    #[test]
    fn every_fixture_answer_parses_as_the_person_asked_for() {
        for n in fixtures::ALL {
            assert_eq!(person(n).personnummer().as_digits(), *n);
        }
    }

    #[test]
    fn relations_of_the_family_point_both_ways() {
        let child = person(fixtures::CHILD);
        let guardians: Vec<String> = child.guardians().map(Personnummer::as_digits).collect();
        assert_eq!(guardians, [fixtures::GUARDIAN_A, fixtures::GUARDIAN_B]);
        for g in [fixtures::GUARDIAN_A, fixtures::GUARDIAN_B] {
            let g = person(g);
            assert_eq!(g.children().map(Personnummer::as_digits).collect::<Vec<_>>(), [fixtures::CHILD]);
            assert!(g.relations().iter().any(|r| r.kind == RelationKind::Spouse));
        }
    }

    #[test]
    fn guardian_c_s_children_stop_register_based_co_signing_each_in_its_own_way() {
        let g = person(fixtures::GUARDIAN_C);
        assert_eq!(
            g.children().map(Personnummer::as_digits).collect::<Vec<_>>(),
            [
                fixtures::PROTECTED_CHILD,
                fixtures::CHILD_OF_PROTECTED_GUARDIAN,
                fixtures::CHILD_WITH_GUARDIAN_ABROAD,
                fixtures::CHILD
            ]
        );
        assert!(!person(fixtures::CHILD).guardians().any(|p| p.as_digits() == fixtures::GUARDIAN_C));
        let protected = person(fixtures::PROTECTED_CHILD);
        assert!(protected.is_protected() && protected.relations().is_empty());
        let with_protected = person(fixtures::CHILD_OF_PROTECTED_GUARDIAN);
        assert_eq!(
            with_protected.guardians().map(Personnummer::as_digits).collect::<Vec<_>>(),
            [fixtures::GUARDIAN_C, fixtures::SKYDDAD_FOLKBOKFORING]
        );
        let protected_guardian = with_protected
            .relations()
            .iter()
            .find(|r| r.personnummer.as_ref().is_some_and(|p| p.as_digits() == fixtures::SKYDDAD_FOLKBOKFORING));
        assert!(protected_guardian.is_some_and(|r| r.name.is_none()), "no protected name in another's record");
        let abroad = person(fixtures::CHILD_WITH_GUARDIAN_ABROAD);
        let guardians: Vec<_> = abroad.relations().iter().filter(|r| r.kind == RelationKind::Guardian).collect();
        assert_eq!(guardians.len(), 2);
        assert!(guardians[1].personnummer.is_none() && guardians[1].name.is_some());
        assert_eq!(abroad.guardians().count(), 1, "only the guardian with a number has one");
    }

    fn felkod(fault: &str) -> Option<String> {
        match parse_response(fault).unwrap() {
            Answer::Fault(f) => f.felkod,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_unknown_number_gets_the_not_found_fault() {
        assert_eq!(felkod(&ask(fixtures::UNKNOWN).unwrap_err()).as_deref(), Some(NOT_FOUND_FELKODER[0]));
    }

    #[test]
    fn a_request_without_order_or_with_garbage_is_a_client_fault() {
        for body in [
            "garbage".to_string(),
            "<S:Envelope><S:Body><Other/></S:Body></S:Envelope>".to_string(),
            request_envelope("", "x", &Personnummer::parse(fixtures::ORDINARY_ADULT).unwrap()),
            request_envelope("1", "x", &Personnummer::parse(fixtures::ORDINARY_ADULT).unwrap())
                .replace(fixtures::ORDINARY_ADULT, "197803012388"),
        ] {
            assert_eq!(felkod(&respond(body.as_bytes()).unwrap_err()).as_deref(), Some("OGILTIG_BEGARAN"), "{body}");
        }
    }
}
