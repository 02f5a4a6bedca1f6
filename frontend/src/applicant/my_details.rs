//! `/mina-uppgifter`: the logged-in applicant's own data from the population
//! register, as the e-services will prefill it. For a person with protected
//! personal data only a message with a contact route is shown, nothing else.

use leptos::prelude::*;
use shared::api::{PersonalData, PostalAddress, RelatedPerson};

use crate::common::api;
use shared::formats::show_personnummer;

use crate::common::components::CONTACT_PHONE;
use crate::common::i18n::{set_title, tx};
use crate::common::loader::{load, show_loaded_under};
use crate::common::session::{RequireLogin, use_auth};

#[component]
pub fn MyDetails() -> impl IntoView {
    set_title("Mina uppgifter", "My details");
    view! {
        <RequireLogin>
            <h1>{tx("Mina uppgifter", "My details")}</h1>
            <PersonalDetails />
        </RequireLogin>
    }
}

#[component]
fn PersonalDetails() -> impl IntoView {
    let auth = use_auth();
    let (answer, retry) = load(move || auth.call(|token| async move { api::personal_data(&token).await }));
    move || {
        show_loaded_under(
            Some(("Det gick inte att hämta dina uppgifter", "Your details could not be loaded")),
            answer.get(),
            retry,
            ("Hämtar dina uppgifter …", "Loading your details …"),
            |person| view! { <Details person=person /> }.into_any(),
        )
    }
}

#[component]
fn Details(person: PersonalData) -> impl IntoView {
    let children = person.children.clone();
    view! {
        {(person.found_in_register && !person.protected)
            .then(|| {
                view! {
                    <p class="lead">
                        {tx(
                            "Här är uppgifterna om dig i folkbokföringen hos Skatteverket. De fylls i åt dig när du ansöker i e-tjänsterna.",
                            "These are your details in the population register of the Swedish Tax Agency. They are filled in for you when you apply in the e-services.",
                        )}
                    </p>
                }
            })}
        <PersonFacts person=person />
        {(!children.is_empty()).then(|| view! { <Children children=children /> })}
    }
}

/// Name, personnummer and address from the register (for a protected person
/// only the notice), as on Mina uppgifter and in an application's personal data step.
#[component]
pub fn PersonFacts(person: PersonalData) -> impl IntoView {
    if person.protected {
        return view! { <ProtectedNotice /> }.into_any();
    }
    let PersonalData { personnummer, given_name, surname, address, found_in_register, .. } = person;
    let personnummer = show_personnummer(&personnummer);
    if !found_in_register {
        return view! {
            <dl class="details">
                <dt>{tx("Personnummer", "Personal identity number")}</dt>
                <dd>{personnummer}</dd>
            </dl>
            <div class="notice">
                <p>
                    {tx(
                        "Vi hittade inga uppgifter om dig i folkbokföringen. Du kan ändå använda e-tjänsterna, men du behöver fylla i ditt namn och din adress själv.",
                        "We found no details about you in the population register. You can still use the e-services, but you need to fill in your name and address yourself.",
                    )}
                </p>
            </div>
        }
        .into_any();
    }
    let name = [given_name, surname].into_iter().flatten().collect::<Vec<_>>().join(" ");
    view! {
        <dl class="details">
            <dt>{tx("Namn", "Name")}</dt>
            <dd>{name}</dd>
            <dt>{tx("Personnummer", "Personal identity number")}</dt>
            <dd>{personnummer}</dd>
            <dt>{tx("Adress", "Address")}</dt>
            <dd>
                {match address {
                    Some(address) => {
                        address_lines(&address)
                            .into_iter()
                            .map(|line| view! { <span class="line">{line}</span> })
                            .collect_view()
                            .into_any()
                    }
                    None => tx("Det finns ingen adress registrerad.", "There is no registered address.").into_any(),
                }}
            </dd>
        </dl>
        <p class="hint">
            {tx(
                "Stämmer något inte? Uppgifterna i folkbokföringen ändrar du hos Skatteverket.",
                "Is something wrong? You change the details in the population register with the Swedish Tax Agency.",
            )}
        </p>
    }
    .into_any()
}

#[component]
fn Children(children: Vec<RelatedPerson>) -> impl IntoView {
    view! {
        <section aria-labelledby="barn">
            <h2 id="barn">{tx("Barn som du har vårdnaden om", "Children in your custody")}</h2>
            <ul class="people">
                {children
                    .into_iter()
                    .map(|child| {
                        view! {
                            <li>
                                <span class="person-name">{child.name}</span>
                                ", "
                                <span class="person-number">{show_personnummer(&child.personnummer)}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// For protected personal data (sekretessmarkering, skyddad folkbokföring): nothing but this.
#[component]
pub fn ProtectedNotice() -> impl IntoView {
    let (phone, tel) = CONTACT_PHONE;
    view! {
        <section class="notice" aria-labelledby="skyddade">
            <h2 id="skyddade">{tx("Dina uppgifter är skyddade", "Your details are protected")}</h2>
            <p>
                {tx(
                    "Du har skyddade personuppgifter. Därför visar vi inte ditt namn, din adress eller andra uppgifter om dig här, och de fylls inte i automatiskt i e-tjänsterna.",
                    "You have protected personal data. That is why we do not show your name, your address or other details about you here, and they are not filled in automatically in the e-services.",
                )}
            </p>
            <p>
                {tx("Kontakta oss på telefon ", "Call us on ")} <a href=tel>{phone}</a>
                {tx(
                    " eller besök Kontaktcenter, så hjälper vi dig att ansöka på ett säkert sätt.",
                    " or visit the Contact Centre, and we will help you apply in a safe way.",
                )}
            </p>
        </section>
    }
}

/// The address as it is written on an envelope: c/o, street, postal code and city.
pub fn address_lines(address: &PostalAddress) -> Vec<String> {
    let mut lines = Vec::with_capacity(3);
    if let Some(care_of) = address.care_of.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        let has_prefix = care_of.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("c/o"));
        lines.push(if has_prefix { care_of.to_owned() } else { format!("c/o {care_of}") });
    }
    lines.push(address.street.clone());
    lines.push(format!("{} {}", format_postal_code(&address.postal_code), address.city));
    lines
}

/// `99992` → `999 92`, the way postal codes are written.
fn format_postal_code(code: &str) -> String {
    let code = code.trim();
    if code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit()) {
        format!("{} {}", &code[..3], &code[3..])
    } else {
        code.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_written_as_on_an_envelope() {
        let address = PostalAddress {
            care_of: Some("FAMILJEN EXEMPEL".into()),
            street: "LGH 1001, SIMULATORVÄGEN 3".into(),
            postal_code: "99992".into(),
            city: "PROVBY".into(),
        };
        assert_eq!(address_lines(&address), ["c/o FAMILJEN EXEMPEL", "LGH 1001, SIMULATORVÄGEN 3", "999 92 PROVBY"]);
        let plain = PostalAddress { care_of: Some("C/O Anna".into()), postal_code: "252 21".into(), ..address };
        assert_eq!(address_lines(&plain)[0], "C/O Anna");
        assert_eq!(address_lines(&plain)[2], "252 21 PROVBY");
    }
}
