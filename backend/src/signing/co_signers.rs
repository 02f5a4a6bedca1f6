//! Who else must sign an application, as the service's settings say:
//! the personnummer the applicant entered, or the other guardian(s) of the
//! chosen child in the population register. A protected identity among the
//! applicant, the child and the guardians, or a guardian without a
//! personnummer (who cannot be bound to a BankID order), stops the
//! register-based flow (409 `co_signing_unavailable`, with the service's
//! contact route): nothing about them is shown, stored or mailed. The child's
//! own record must name the applicant as a guardian (else 422
//! `child_not_in_register`). An unanswered field that names the co-signer
//! (optional, or hidden by a condition) is 422 `co_signer_required`: the
//! application is never signed by the applicant alone when others must sign.
//! The co-signer address the form asks for is given to the first co-signer
//! only (it was given for "the other" person), and each person is asked once.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use shared::signing::{CoSignerSource, SigningSettings};
use shared::{Answers, FieldKind, FormDefinition, Personnummer};

use crate::auth::extract::Applicant;
use crate::error::{AppError, ErrorCode};
use crate::navet::{Name, Person, Relation, RelationKind};
use crate::state::AppState;

/// A person asked to co-sign.
#[derive(Clone)]
pub struct CoSigner {
    /// Who must sign.
    pub personnummer: Personnummer,
    /// Their name from the register (unknown for an entered personnummer until they sign).
    pub name: Option<String>,
    /// Where they are told of the request, when the form asked for an address.
    pub email: Option<String>,
}

impl std::fmt::Debug for CoSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CoSigner").field("personnummer", &self.personnummer).finish_non_exhaustive()
    }
}

impl CoSigner {
    /// How the applicant and the summary name them.
    pub fn shown(&self) -> String {
        match &self.name {
            Some(n) => n.clone(),
            None => format!(
                "personen med personnummer {}",
                shared::formats::show_personnummer(&self.personnummer.as_digits())
            ),
        }
    }
}

/// The co-signers of an application and the names of the children it chooses.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    /// Who must sign after the applicant, in order.
    pub co_signers: Vec<CoSigner>,
    /// The chosen children's names (for the summary), by personnummer.
    pub child_names: BTreeMap<String, String>,
}

/// A registered name as people use it: the name they are called by (else the first given
/// name) and the surname.
pub fn display_name(n: &Name) -> String {
    let given = n
        .tilltalsnamn
        .clone()
        .unwrap_or_else(|| n.given_names.split_whitespace().next().unwrap_or(&n.given_names).to_string());
    format!("{given} {}", n.surname)
}

/// 409 `co_signing_unavailable`: the register-based flow cannot run; the message is the contact route.
pub fn unavailable(settings: &SigningSettings) -> AppError {
    AppError::new(ErrorCode::CoSigningUnavailable, settings.contact_route().to_string())
}

/// 422 `co_signer_required`: the form's field that names who co-signs (`key`) is unanswered,
/// optional or hidden by a condition; without it nobody else would be asked to sign.
pub fn co_signer_required(definition: &FormDefinition, key: &str) -> AppError {
    let label = definition.field(key).map(|f| f.label.clone());
    let field = label.map(|l| format!("'{l}'")).unwrap_or_else(|| format!("'{key}'"));
    AppError::new(
        ErrorCode::CoSignerRequired,
        format!(
            "Applications to this service are signed by the applicant and a co-signer: the form must name who co-signs. \
             Answer {field} (if it is hidden, change the answers that hide it)."
        ),
    )
}

async fn lookup(state: &AppState, p: &Personnummer) -> Result<Option<Person>, AppError> {
    state.population_register.lookup(p).await.map_err(|e| {
        tracing::warn!(error = %e, "population register lookup failed");
        AppError::Unavailable
    })
}

/// The applicant as the register knows them. For register-based co-signing a
/// protected applicant is refused first (409 `co_signing_unavailable`), before
/// anything else is checked, and a register that does not answer is 503; for
/// other services the register only lends names to the summary, so it may be
/// away (`None`).
pub async fn applicant_person(
    state: &AppState,
    settings: &SigningSettings,
    applicant: &Applicant,
) -> Result<Option<Person>, AppError> {
    let register_based = matches!(settings.co_signer_source(), Some(CoSignerSource::RegisterGuardians { .. }));
    let person = match lookup(state, &applicant.personnummer).await {
        Ok(p) => p,
        Err(e) if register_based => return Err(e),
        Err(_) => None,
    };
    if register_based && person.as_ref().is_some_and(Person::is_protected) {
        return Err(unavailable(settings));
    }
    Ok(person)
}

fn answer<'a>(answers: &'a Answers, key: &str) -> Option<&'a str> {
    answers.get(key).and_then(Value::as_str)
}

/// Resolves the co-signers of validated `answers` (see the module docs).
/// `person` is the applicant as the register knows them.
pub async fn resolve(
    state: &AppState,
    settings: &SigningSettings,
    definition: &FormDefinition,
    answers: &Answers,
    applicant: &Applicant,
    person: Option<&Person>,
) -> Result<Resolved, AppError> {
    let mut out = Resolved::default();
    // The children's names for the summary, from the applicant's own relations.
    if let Some(p) = person.filter(|p| !p.is_protected()) {
        for (_, f) in definition.fields().filter(|(_, f)| matches!(f.kind, FieldKind::Child)) {
            let Some(chosen) = answer(answers, &f.key) else { continue };
            let name = p
                .relations()
                .iter()
                .filter(|r| r.kind == RelationKind::Child)
                .find(|r| r.personnummer.as_ref().is_some_and(|c| c.as_digits() == chosen))
                .and_then(|r| r.name.as_ref())
                .map(display_name);
            if let Some(name) = name {
                out.child_names.insert(chosen.to_string(), name);
            }
        }
    }
    // The address the form asked for is "the other person's": given to the first co-signer only.
    let mut email = settings.co_signer_email_field.as_deref().and_then(|k| answer(answers, k)).map(str::to_string);
    let me = applicant.personnummer.as_digits();
    match settings.co_signer_source() {
        None => {}
        Some(CoSignerSource::Entered { personnummer_field }) => {
            // Unanswered (optional, or hidden by a condition so validation dropped it): the
            // application would otherwise go in on the applicant's signature alone.
            let entered = answer(answers, personnummer_field)
                .ok_or_else(|| co_signer_required(definition, personnummer_field))?;
            let entered = Personnummer::parse(entered)
                .map_err(|_| AppError::new(ErrorCode::InvalidCoSigner, "The co-signer's personnummer is not valid."))?;
            if entered.as_digits() == me {
                return Err(AppError::new(
                    ErrorCode::SelfCoSigning,
                    "You cannot co-sign your own application: enter the personnummer of the other person who must sign.",
                ));
            }
            out.co_signers.push(CoSigner { personnummer: entered, name: None, email });
        }
        Some(CoSignerSource::RegisterGuardians { child_field }) => {
            let Some(person) = person else { return Err(crate::submission::child_not_in_register()) };
            if person.is_protected() {
                return Err(unavailable(settings));
            }
            let chosen = answer(answers, child_field).ok_or_else(|| co_signer_required(definition, child_field))?;
            let child_pnr = person
                .children()
                .find(|c| c.as_digits() == chosen)
                .cloned()
                .ok_or_else(crate::submission::child_not_in_register)?;
            let child = lookup(state, &child_pnr).await?.ok_or_else(crate::submission::child_not_in_register)?;
            // A protected child's record holds no relations: refused before they are read.
            if child.is_protected() {
                return Err(unavailable(settings));
            }
            let guardians: Vec<&Relation> =
                child.relations().iter().filter(|r| r.kind == RelationKind::Guardian).collect();
            // The child's own record must name the applicant as a guardian, not only the applicant's.
            if !guardians.iter().any(|g| g.personnummer.as_ref().is_some_and(|p| p.as_digits() == me)) {
                return Err(crate::submission::child_not_in_register());
            }
            // A guardian without a personnummer (e.g. abroad) cannot be bound to a BankID order:
            // the flow cannot ask everyone who must sign, and must not treat the child as in sole custody.
            if guardians.iter().any(|g| g.personnummer.is_none()) {
                return Err(unavailable(settings));
            }
            out.child_names.insert(chosen.to_string(), display_name(child.name()));
            let mut asked: BTreeSet<String> = BTreeSet::new();
            for guardian in guardians.iter().filter_map(|g| g.personnummer.as_ref()) {
                let digits = guardian.as_digits();
                // The applicant, or a guardian the register lists twice: asked once at most.
                if digits == me || !asked.insert(digits) {
                    continue;
                }
                // A guardian the register cannot tell us about: the flow cannot run safely.
                let g = lookup(state, guardian).await?.ok_or_else(|| unavailable(settings))?;
                if g.is_protected() {
                    return Err(unavailable(settings));
                }
                let same_address = matches!((person.address(), g.address()), (Some(a), Some(b)) if a == b);
                if settings.skip_when_same_address && same_address {
                    continue;
                }
                out.co_signers.push(CoSigner {
                    personnummer: guardian.clone(),
                    name: Some(display_name(g.name())),
                    email: email.take(),
                });
            }
        }
    }
    Ok(out)
}
