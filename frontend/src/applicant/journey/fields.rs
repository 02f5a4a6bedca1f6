//! The application's side of the one field input ([`crate::common::field`]): the answers are
//! the journey's [`Form`], validated live (an error shows once the field was left, or "Nästa"
//! was pressed), saved as a draft a moment after each change; a "Välj barn" field offers the
//! applicant's children from the population register, and a file field uploads at once.

use leptos::prelude::*;
use serde_json::Value;
use shared::FieldKind;
use shared::validate::Localized;

use super::Form;
use super::files::FileInput;
use shared::formats::show_personnummer;

use crate::common::components::{TextBlock, answer_display, answer_display_none};
use crate::common::field::{Choices, FieldHost, FileField};
use crate::common::i18n::{loc, tx};
use crate::common::loader::show_loaded;

impl FieldHost for Form {
    fn answer(&self, key: &str) -> Option<Value> {
        Form::answer(self, key)
    }

    fn answer_untracked(&self, path: &str) -> Option<Value> {
        self.answers.with_untracked(|a| shared::parts::answer_at(a, path).cloned())
    }

    fn set_answer(&self, key: &str, value: Option<Value>) {
        Form::set_answer(self, key, value);
    }

    fn error(&self, key: &str) -> Option<Localized> {
        Form::error(self, key).map(|e| e.message)
    }

    fn prefilled(&self, path: &str) -> bool {
        let key = path.split('.').next().unwrap_or(path);
        self.prefilled.with(|p| p.contains(key))
    }

    const TOUCHES: bool = true;

    fn touch(&self, key: &str) {
        Form::touch(self, key);
    }

    const CHILDREN: bool = true;

    fn child_choices(&self, key: String, id: String) -> AnyView {
        view! { <ChildChoices form=*self key=key id=id /> }.into_any()
    }

    const FILES: bool = true;

    fn file_input(&self, file: FileField) -> AnyView {
        view! { <FileInput form=*self file=file /> }.into_any()
    }
}

/// "Välj barn": the applicant's children from the population register, one radio button each
/// (the answer is the child's personnummer). A protected identity, or no children in the register,
/// is said plainly, with the service's contact route when it has one.
#[component]
fn ChildChoices(form: Form, key: String, id: String) -> impl IntoView {
    form.load_person();
    let retry = Callback::new(move |()| form.reload_person());
    let contact_route = form.service.with_value(|s| s.signing_contact_route.clone());
    let loading = ("Hämtar dina barn från folkbokföringen …", "Loading your children from the population register …");
    move || {
        show_loaded(form.person.get(), retry, loading, |person| {
            // Nothing to choose: said plainly, with the service's contact route when it has one.
            let (sv, en) = if person.protected {
                (
                    "Du har skyddade personuppgifter. Därför kan vi inte visa dina barn här.",
                    "You have protected personal data. That is why we cannot show your children here.",
                )
            } else if person.children.is_empty() {
                (
                    "Det finns inga barn som du har vårdnaden om i folkbokföringen.",
                    "There are no children in your custody in the population register.",
                )
            } else {
                let choices = person
                    .children
                    .into_iter()
                    .map(|c| {
                        let label = format!("{} ({})", c.name, show_personnummer(&c.personnummer));
                        (Value::String(c.personnummer), loc(&label, &label))
                    })
                    .collect::<Vec<_>>();
                return view! { <Choices host=form key=key.clone() id=id.clone() choices=choices multiple=false /> }
                    .into_any();
            };
            let route = contact_route.clone().map(|text| view! { <TextBlock text=text rich=true /> });
            view! {
                <div class="notice child-notice">
                    <p>{tx(sv, en)}</p>
                    {route}
                </div>
            }
            .into_any()
        })
    }
}

/// An answer as the summary shows it (reactive; see [`crate::common::components::answer_display`]).
pub fn answer_text(form: Form, key: &str) -> String {
    let value = form.answer(key);
    // A chosen child by name, as the register gives it.
    if let Some(Value::String(child)) = &value
        && form.field(key, |f| matches!(f.kind, FieldKind::Child)) == Some(true)
        && let Some(name) = form.child_name(child)
    {
        return name;
    }
    form.field(key, |f| answer_display(f, value.as_ref())).unwrap_or_else(answer_display_none)
}
