//! Reading a `personpostXML` answer (the wire format is described in the
//! parent module): a SOAP fault with Skatteverket's detail, or the persons of
//! its `Folkbokforingspost` elements with name, tilltalsnamn, address,
//! relations and protection flags.

use shared::Personnummer;

use super::NOT_FOUND_FELKODER;
use crate::navet::xml::{self, Element};
use crate::navet::{Address, Name, NavetError, Person, Protection, Relation, RelationKind};

/// What an answer held.
#[derive(Debug)]
pub(crate) enum Answer {
    /// The persons in the answer (none: the register does not know the number).
    Posts(Vec<Person>),
    /// A SOAP fault.
    Fault(Fault),
}

/// A SOAP fault with Skatteverket's detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fault {
    pub faultcode: String,
    pub felkod: Option<String>,
    pub description: String,
}

impl Fault {
    pub(super) fn into_result(self) -> Result<Option<Person>, NavetError> {
        if self.felkod.as_deref().is_some_and(|c| NOT_FOUND_FELKODER.contains(&c)) {
            return Ok(None);
        }
        Err(NavetError::Fault {
            faultcode: self.faultcode,
            felkod: self.felkod,
            description: crate::navet::redact_numbers(&self.description).chars().take(300).collect(),
        })
    }
}

pub(super) fn pick(posts: Vec<Person>, asked: &Personnummer) -> Result<Option<Person>, NavetError> {
    if posts.is_empty() {
        return Ok(None);
    }
    posts
        .into_iter()
        .find(|p| p.personnummer() == asked)
        .map(Some)
        .ok_or_else(|| NavetError::Malformed("the answer concerns another personnummer".into()))
}

fn malformed(e: xml::XmlError) -> NavetError {
    NavetError::Malformed(e.0)
}

/// Reads a SOAP answer: a fault, or the persons of its `Folkbokforingspost` elements.
pub(crate) fn parse_response(text: &str) -> Result<Answer, NavetError> {
    let root = xml::parse(text).map_err(malformed)?;
    if root.name != "Envelope" {
        return Err(NavetError::Malformed("not a SOAP envelope".into()));
    }
    let body = root.child("Body").ok_or_else(|| NavetError::Malformed("SOAP envelope without Body".into()))?;
    if let Some(fault) = body.child("Fault") {
        return Ok(Answer::Fault(parse_fault(fault)));
    }
    let response = body.children.first().ok_or_else(|| NavetError::Malformed("empty SOAP Body".into()))?;
    // Hedge: should the posts come as an escaped XML string inside
    // `Folkbokforingsposter` rather than as elements, read that string too.
    let embedded = match response.find("Folkbokforingsposter") {
        Some(holder) if holder.children.is_empty() && holder.text.trim_start().starts_with('<') => Some(
            xml::parse(&format!("<Folkbokforingsposter>{}</Folkbokforingsposter>", holder.text.trim()))
                .map_err(malformed)?,
        ),
        _ => None,
    };
    let mut posts = Vec::new();
    response.descendants("Folkbokforingspost", &mut posts);
    if let Some(embedded) = &embedded {
        embedded.descendants("Folkbokforingspost", &mut posts);
    }
    posts.into_iter().map(parse_post).collect::<Result<Vec<_>, _>>().map(Answer::Posts)
}

fn parse_fault(fault: &Element) -> Fault {
    let faultstring = fault.text_at(&["faultstring"]).unwrap_or_default();
    let detail = fault.child("detail");
    let in_detail = |name: &str| detail.and_then(|d| d.find(name)).map(|e| e.text.trim().to_string());
    Fault {
        faultcode: fault.text_at(&["faultcode"]).unwrap_or("unknown").to_string(),
        felkod: in_detail("Felkod").filter(|s| !s.is_empty()),
        description: in_detail("Beskrivning").filter(|s| !s.is_empty()).unwrap_or_else(|| faultstring.to_string()),
    }
}

/// `J` is set, `N` or empty is not; anything else counts as set (fail closed).
fn flag(post: &Element, name: &str) -> bool {
    let value = |e: Option<&Element>| e.and_then(|e| e.text_at(&[name])).map(str::to_ascii_uppercase);
    [value(Some(post)), value(post.child("Personpost"))].into_iter().flatten().any(|v| v != "N")
}

fn owned(e: &Element, path: &[&str]) -> Option<String> {
    e.text_at(path).map(str::to_string)
}

fn parse_post(post: &Element) -> Result<Person, NavetError> {
    let personpost = post
        .child("Personpost")
        .ok_or_else(|| NavetError::Malformed("Folkbokforingspost without Personpost".into()))?;
    let number = personpost
        .text_at(&["PersonId", "PersonNr"])
        .ok_or_else(|| NavetError::Malformed("Personpost without PersonId/PersonNr".into()))?;
    let personnummer = Personnummer::parse(number)
        .map_err(|_| NavetError::Malformed("PersonNr is not a valid personnummer".into()))?;
    let name = personpost
        .child("Namn")
        .and_then(parse_name)
        .ok_or_else(|| NavetError::Malformed("Personpost without Namn/Fornamn or Namn/Efternamn".into()))?;
    let protection = Protection {
        sekretessmarkering: flag(post, "Sekretessmarkering"),
        skyddad_folkbokforing: flag(post, "SkyddadFolkbokforing"),
    };
    // Address and relations are not even read for a protected person.
    let (address, relations) = if protection.is_protected() {
        (None, Vec::new())
    } else {
        let address = personpost.at(&["Adresser", "Folkbokforingsadress"]).and_then(parse_address);
        let relations = personpost
            .child("Relationer")
            .map(|r| r.children_named("Relation").map(parse_relation).collect())
            .unwrap_or_default();
        (address, relations)
    };
    Ok(Person::new(personnummer, name, address, protection, relations))
}

fn parse_name(namn: &Element) -> Option<Name> {
    let given_names = owned(namn, &["Fornamn"]);
    let surname = owned(namn, &["Efternamn"]);
    if given_names.is_none() && surname.is_none() {
        return None;
    }
    let given_names = given_names.unwrap_or_default();
    let tilltalsnamn = owned(namn, &["Tilltalsnamn"])
        .or_else(|| namn.text_at(&["Tilltalsnamnsmarkering"]).and_then(|code| tilltalsnamn(&given_names, code)));
    Some(Name {
        given_names,
        middle_name: owned(namn, &["Mellannamn"]),
        surname: surname.unwrap_or_default(),
        tilltalsnamn,
    })
}

/// The tilltalsnamn for a `Tilltalsnamnsmarkering`: each non-zero digit is the
/// 1-based position of a given name (split at spaces and hyphens, keeping the
/// hyphen), e.g. `10` → first, `20` → second, `12` of "Karl-Erik Johan" → "Karl-Erik".
pub fn tilltalsnamn(given_names: &str, code: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    let mut start = 0;
    for (i, c) in given_names.char_indices() {
        if c == ' ' || c == '-' {
            parts.push(&given_names[start..i + c.len_utf8()]);
            start = i + c.len_utf8();
        }
    }
    parts.push(&given_names[start..]);
    let mut out = String::new();
    for d in code.trim().chars() {
        let n = d.to_digit(10)? as usize;
        if n == 0 {
            continue;
        }
        out.push_str(parts.get(n - 1)?);
    }
    let out = out.trim_end_matches([' ', '-']).trim().to_string();
    (!out.is_empty()).then_some(out)
}

fn parse_address(a: &Element) -> Option<Address> {
    let line1 = owned(a, &["Utdelningsadress1"]);
    let line2 = owned(a, &["Utdelningsadress2"]);
    let (street, additional_line) = match (line1, line2) {
        (line1, Some(street)) => (street, line1),
        (Some(street), None) => (street, None),
        (None, None) => (String::new(), None),
    };
    let postal_code = owned(a, &["PostNr"]).unwrap_or_default().replace(' ', "");
    let city = owned(a, &["Postort"]).unwrap_or_default();
    if street.is_empty() && city.is_empty() {
        return None;
    }
    Some(Address { care_of: owned(a, &["CareOf"]), street, additional_line, postal_code, city })
}

fn parse_relation(r: &Element) -> Relation {
    let code = r.text_at(&["Relationstyp"]).or_else(|| r.text_at(&["Typ"])).unwrap_or_default();
    let number = r.text_at(&["RelationId", "PersonNr"]).or_else(|| r.text_at(&["PersonNr"]));
    Relation {
        kind: RelationKind::from_code(code),
        personnummer: number.and_then(|n| Personnummer::parse(n).ok()),
        name: r.child("Namn").and_then(parse_name).or_else(|| parse_name(r)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::navet::client::NAMESPACE;

    fn envelope(posts: &str) -> String {
        format!(
            r#"<?xml version='1.0' encoding='UTF-8'?>
<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>
<ns0:PersonpostXMLResponse xmlns:ns0="{NAMESPACE}"><ns0:Folkbokforingsposter>{posts}</ns0:Folkbokforingsposter></ns0:PersonpostXMLResponse>
</S:Body></S:Envelope>"#
        )
    }

    fn one(xml: &str) -> Person {
        match parse_response(xml).unwrap() {
            Answer::Posts(mut p) if p.len() == 1 => p.remove(0),
            other => panic!("expected one person, got {other:?}"),
        }
    }

    const ORDINARY: &str = r#"<Folkbokforingspost><Arendeuppgift andringstidpunkt="20200406121712"/>
<Sekretessmarkering>N</Sekretessmarkering>
<Personpost><PersonId><PersonNr>197803012389</PersonNr></PersonId>
<Namn><Tilltalsnamnsmarkering>10</Tilltalsnamnsmarkering><Fornamn>Testa Maria</Fornamn><Mellannamn>Mellan</Mellannamn><Efternamn>Exempelsson</Efternamn></Namn>
<Adresser><Folkbokforingsadress><CareOf>EXEMPEL</CareOf><Utdelningsadress1>LGH 1102</Utdelningsadress1><Utdelningsadress2>PROVGATAN 12</Utdelningsadress2><PostNr>999 91</PostNr><Postort>TESTSTAD</Postort></Folkbokforingsadress>
<UUID><Adress>x</Adress></UUID></Adresser>
<Civilstand><CivilstandKod>OG</CivilstandKod></Civilstand>
</Personpost></Folkbokforingspost>"#;

    #[test]
    fn an_ordinary_person_is_read_with_name_tilltalsnamn_and_address() {
        let p = one(&envelope(ORDINARY));
        assert_eq!(p.personnummer().as_digits(), "197803012389");
        assert!(!p.is_protected());
        let n = p.name();
        assert_eq!((n.given_names.as_str(), n.surname.as_str()), ("Testa Maria", "Exempelsson"));
        assert_eq!(n.middle_name.as_deref(), Some("Mellan"));
        assert_eq!(n.tilltalsnamn.as_deref(), Some("Testa"));
        let a = p.address().unwrap();
        assert_eq!(a.street, "PROVGATAN 12");
        assert_eq!(a.additional_line.as_deref(), Some("LGH 1102"));
        assert_eq!(a.care_of.as_deref(), Some("EXEMPEL"));
        assert_eq!((a.postal_code.as_str(), a.city.as_str()), ("99991", "TESTSTAD"));
        assert!(p.relations().is_empty());
    }

    #[test]
    fn the_sample_answer_of_the_real_service_is_read() {
        // The shape published by clients of the real service (no flags, only Utdelningsadress2).
        let xml = envelope(
            r#"<Folkbokforingspost><Arendeuppgift andringstidpunkt="20200406121712"/><Personpost>
<PersonId><PersonNr>189001019802</PersonNr></PersonId>
<Namn><Tilltalsnamnsmarkering>10</Tilltalsnamnsmarkering><Fornamn>Medel</Fornamn><Mellannamn>Meddel</Mellannamn><Efternamn>Svensson</Efternamn></Namn>
<Adresser><Folkbokforingsadress><Utdelningsadress2>KUNGSGATAN 1</Utdelningsadress2><PostNr>64136</PostNr><Postort>KATRINEHOLM</Postort></Folkbokforingsadress></Adresser>
</Personpost></Folkbokforingspost>"#,
        );
        let p = one(&xml);
        assert_eq!(p.name().tilltalsnamn.as_deref(), Some("Medel"));
        assert_eq!(p.address().map(|a| a.additional_line.is_none()), Some(true));
    }

    #[test]
    fn sekretessmarkering_drops_address_and_relations() {
        let xml = envelope(&ORDINARY.replace(
            "<Sekretessmarkering>N</Sekretessmarkering>",
            "<Sekretessmarkering>J</Sekretessmarkering><SkyddadFolkbokforing>N</SkyddadFolkbokforing>",
        ));
        let p = one(&xml);
        assert!(p.protection().sekretessmarkering && !p.protection().skyddad_folkbokforing);
        assert!(p.address().is_none());
        assert_eq!(p.name().surname, "Exempelsson");
    }

    #[test]
    fn skyddad_folkbokforing_drops_address_and_relations() {
        let xml =
            envelope(&ORDINARY.replace(
                "<Sekretessmarkering>N</Sekretessmarkering>",
                "<SkyddadFolkbokforing>J</SkyddadFolkbokforing>",
            ));
        let p = one(&xml);
        assert!(!p.protection().sekretessmarkering && p.protection().skyddad_folkbokforing);
        assert!(p.address().is_none() && p.relations().is_empty());
    }

    #[test]
    fn an_unexpected_flag_value_counts_as_protected() {
        let xml = envelope(
            &ORDINARY
                .replace("<Sekretessmarkering>N</Sekretessmarkering>", "<Sekretessmarkering>X</Sekretessmarkering>"),
        );
        assert!(one(&xml).is_protected());
        let xml = envelope(&ORDINARY.replace("<Sekretessmarkering>N</Sekretessmarkering>", "<Sekretessmarkering/>"));
        assert!(!one(&xml).is_protected());
    }

    #[test]
    fn relations_are_read_with_kind_number_and_name() {
        let xml = envelope(
            r#"<Folkbokforingspost><Personpost><PersonId><PersonNr>201505012391</PersonNr></PersonId>
<Namn><Fornamn>Lilla</Fornamn><Efternamn>Barnsson</Efternamn></Namn>
<Relationer>
 <Relation><RelationId><PersonNr>198504182380</PersonNr></RelationId><Relationstyp>V</Relationstyp><Namn><Fornamn>Mamma</Fornamn><Efternamn>Barnsson</Efternamn></Namn></Relation>
 <Relation><Typ>V</Typ><PersonNr>198206012398</PersonNr><Fornamn>Pappa</Fornamn><Efternamn>Barnsson</Efternamn></Relation>
 <Relation><Relationstyp>V</Relationstyp><Fodelsedatum>19700101</Fodelsedatum></Relation>
 <Relation><Relationstyp>FA</Relationstyp><RelationId><PersonNr>198206012398</PersonNr></RelationId></Relation>
</Relationer></Personpost></Folkbokforingspost>"#,
        );
        let p = one(&xml);
        let r = p.relations();
        assert_eq!(r.len(), 4);
        assert_eq!(r[0].kind, RelationKind::Guardian);
        assert_eq!(r[0].personnummer.as_ref().map(Personnummer::as_digits).as_deref(), Some("198504182380"));
        assert_eq!(r[0].name.as_ref().map(|n| n.given_names.as_str()), Some("Mamma"));
        assert_eq!(r[1].personnummer.as_ref().map(Personnummer::as_digits).as_deref(), Some("198206012398"));
        assert_eq!(r[1].name.as_ref().map(|n| n.given_names.as_str()), Some("Pappa"));
        assert!(r[2].personnummer.is_none() && r[2].name.is_none());
        assert_eq!(r[3].kind, RelationKind::Other("FA".into()));
        assert_eq!(p.guardians().count(), 2, "guardians with a personnummer");
    }

    #[test]
    fn an_answer_without_posts_means_unknown_person() {
        let xml = envelope("");
        assert!(matches!(parse_response(&xml), Ok(Answer::Posts(p)) if p.is_empty()));
        let pnr = Personnummer::parse("189001039800").unwrap();
        assert_eq!(pick(Vec::new(), &pnr), Ok(None));
    }

    #[test]
    fn an_answer_for_another_number_is_refused() {
        let p = one(&envelope(ORDINARY));
        let other = Personnummer::parse("189001039800").unwrap();
        assert!(matches!(pick(vec![p], &other), Err(NavetError::Malformed(_))));
    }

    #[test]
    fn posts_sent_as_an_escaped_string_are_read_too() {
        let escaped = xml::escape(ORDINARY);
        let p = one(&envelope(&escaped));
        assert_eq!(p.name().surname, "Exempelsson");
    }

    fn fault(felkod: &str, text: &str) -> String {
        format!(
            r#"<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><S:Fault>
<faultcode>S:Client</faultcode><faultstring>{text}</faultstring>
<detail><ns0:NavetFel xmlns:ns0="{NAMESPACE}"><Felkod>{felkod}</Felkod><Beskrivning>{text}</Beskrivning></ns0:NavetFel></detail>
</S:Fault></S:Body></S:Envelope>"#
        )
    }

    #[test]
    fn a_not_found_fault_is_no_person() {
        let Answer::Fault(f) = parse_response(&fault(NOT_FOUND_FELKODER[0], "Personen finns inte")).unwrap() else {
            panic!("expected a fault")
        };
        assert_eq!(f.into_result(), Ok(None));
    }

    #[test]
    fn other_faults_are_typed_errors_without_the_number() {
        let Answer::Fault(f) = parse_response(&fault("BEHORIGHET", "Ingen behörighet för 197803012389")).unwrap()
        else {
            panic!("expected a fault")
        };
        let err = f.into_result().unwrap_err();
        match &err {
            NavetError::Fault { faultcode, felkod, .. } => {
                assert_eq!(faultcode, "S:Client");
                assert_eq!(felkod.as_deref(), Some("BEHORIGHET"));
            }
            other => panic!("{other:?}"),
        }
        assert!(!err.to_string().contains("197803012389"), "{err}");
        assert!(err.to_string().contains("behörighet"), "{err}");
    }

    #[test]
    fn a_fault_without_detail_uses_the_faultstring() {
        let xml = r#"<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><S:Fault><faultcode>S:Server</faultcode><faultstring>Internt fel</faultstring></S:Fault></S:Body></S:Envelope>"#;
        let Answer::Fault(f) = parse_response(xml).unwrap() else { panic!("expected a fault") };
        assert_eq!(f.felkod, None);
        assert!(matches!(f.into_result(), Err(NavetError::Fault { description, .. }) if description == "Internt fel"));
    }

    #[test]
    fn malformed_answers_are_errors() {
        for bad in [
            "",
            "not xml",
            "<html><body>502 Bad Gateway</body></html>",
            r#"<S:Envelope xmlns:S="x"><S:Body></S:Body></S:Envelope>"#,
            r#"<S:Envelope xmlns:S="x"><S:Header/></S:Envelope>"#,
            &envelope("<Folkbokforingspost><Personpost>"),
            &envelope("<Folkbokforingspost/>"),
            &envelope(
                "<Folkbokforingspost><Personpost><Namn><Efternamn>X</Efternamn></Namn></Personpost></Folkbokforingspost>",
            ),
            &envelope(
                "<Folkbokforingspost><Personpost><PersonId><PersonNr>197803012388</PersonNr></PersonId><Namn><Efternamn>X</Efternamn></Namn></Personpost></Folkbokforingspost>",
            ),
            &envelope(
                "<Folkbokforingspost><Personpost><PersonId><PersonNr>197803012389</PersonNr></PersonId></Personpost></Folkbokforingspost>",
            ),
        ] {
            assert!(matches!(parse_response(bad), Err(NavetError::Malformed(_))), "{bad}");
        }
    }

    #[test]
    fn tilltalsnamn_follows_the_position_code() {
        assert_eq!(tilltalsnamn("Testa Maria", "10").as_deref(), Some("Testa"));
        assert_eq!(tilltalsnamn("Testa Maria", "20").as_deref(), Some("Maria"));
        assert_eq!(tilltalsnamn("Karl-Prov Erik", "12").as_deref(), Some("Karl-Prov"));
        assert_eq!(tilltalsnamn("Anna Lisa Britt", "23").as_deref(), Some("Lisa Britt"));
        assert_eq!(tilltalsnamn("Testa", "30"), None);
        assert_eq!(tilltalsnamn("Testa", "x"), None);
    }
}
