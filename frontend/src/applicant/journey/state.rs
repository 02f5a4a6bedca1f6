//! The application's state ([`Form`]): its address and steps, its answers and what is said
//! about them, and the draft, saved a second after each change and on every step change.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use shared::api::{DraftView, SaveDraftRequest};
use shared::error_code::ErrorCode;
use shared::parts::{answer_at, set_answer_at};
use shared::validate::{Answers, FieldError};
use shared::{Field, Page};

use super::{AUTOSAVE_DELAY, Form, SAVE_RETRY, Saved, Shown};
use crate::common::api::{self, FetchError};
use crate::common::router::{self, navigate};

impl Form {
    /// The service's name, in English too where written.
    pub(super) fn service_name(&self) -> shared::text::Text {
        self.service.with_value(|s| shared::api::with_english(&s.name, &s.english.name))
    }

    pub(super) fn slug(&self) -> String {
        self.service.with_value(|s| s.slug.clone())
    }

    /// The address of a step of this application.
    pub(super) fn url(&self, step: &str) -> String {
        let mut url = format!("/tjanster/{}/ansokan?steg={step}", self.slug());
        if let Some(draft) = self.draft.get_untracked() {
            url.push_str("&utkast=");
            url.push_str(&router::encode(&draft));
        }
        url
    }

    /// The step before or after the current one (`offset` -1 or 1).
    pub(super) fn neighbour(&self, offset: isize) -> Option<String> {
        let current = self.step.get_untracked();
        self.steps.with_untracked(|steps| {
            let i = steps.iter().position(|s| s.id == current)?;
            steps.get(i.checked_add_signed(offset)?).map(|s| s.id.clone())
        })
    }

    pub(super) fn go(&self, step: &str) {
        navigate(&self.url(step), false);
    }

    pub(super) fn page<R>(&self, index: usize, f: impl FnOnce(&Page) -> R) -> Option<R> {
        self.service.with_value(|s| s.form.pages.get(index).map(f))
    }

    pub(super) fn field<R>(&self, key: &str, f: impl FnOnce(&Field) -> R) -> Option<R> {
        self.service.with_value(|s| s.form.field(key).map(f))
    }

    /// The answer to a field, or to a part of one by its path (reactive; see [`shared::parts`]).
    pub(super) fn answer(&self, path: &str) -> Option<Value> {
        self.answers.with(|a| answer_at(a, path).cloned())
    }

    /// Sets (or, with `None`, clears) an answer or a part of one: conditions and validation
    /// follow at once, the server's old error there goes, and the draft is saved a moment later.
    pub(super) fn set_answer(&self, path: &str, value: Option<Value>) {
        self.answers.update(|a| set_answer_at(a, path, value));
        if self.server_errors.with_untracked(|e| e.iter().any(|e| e.path() == path)) {
            self.server_errors.update(|e| e.retain(|e| e.path() != path));
        }
        self.generation.update_value(|g| *g += 1);
        self.schedule_save(AUTOSAVE_DELAY);
    }

    pub(super) fn touch(&self, key: &str) {
        if self.touched.with_untracked(|t| !t.contains(key)) {
            self.touched.update(|t| {
                t.insert(key.to_owned());
            });
        }
    }

    /// The error to show at a field, or at a part of one by its path, now, if any (reactive).
    pub(super) fn error(&self, path: &str) -> Option<FieldError> {
        let server = self.server_errors.with(|e| e.iter().find(|e| e.path() == path).cloned());
        server.or_else(|| {
            let shown = self.touched.with(|t| t.contains(path));
            shown.then(|| self.page_errors.with(|e| e.iter().find(|e| e.path() == path).cloned())).flatten()
        })
    }

    /// Whether answers can be saved as a draft: logged in and not yet submitted.
    fn keeps_draft(&self) -> bool {
        self.auth.token().is_some() && self.receipt.with_untracked(Option::is_none)
    }

    fn schedule_save(&self, delay: Duration) {
        if !self.keeps_draft() {
            return;
        }
        if let Some(Some(timer)) = self.save_timer.try_get_value() {
            timer.clear();
        }
        let form = *self;
        self.save_timer.try_set_value(set_timeout_with_handle(move || form.save_now(), delay).ok());
    }

    /// The page to resume on: the current page, or the last one from the summary.
    pub(super) fn resume_page(&self) -> Option<String> {
        match self.shown.get_untracked() {
            Shown::Page(i) => self.page(i, |p| p.key.clone()),
            Shown::Summary | Shown::Sign => {
                let visible = self.visibility.with_untracked(|v| v.pages.clone());
                self.service
                    .with_value(|s| s.form.pages.iter().rev().find(|p| visible.contains(&p.key)).map(|p| p.key.clone()))
            }
            _ => None,
        }
    }

    /// Saves the draft now (one save at a time; a change during a save is saved right after).
    pub(super) fn save_now(self) {
        if let Some(Some(timer)) = self.save_timer.try_get_value() {
            timer.clear();
        }
        self.save_timer.try_set_value(None);
        if !self.keeps_draft() {
            return;
        }
        if self.saving.get_value() {
            self.save_again.set_value(true);
            return;
        }
        let generation = self.generation.get_value();
        let draft = self.draft.get_untracked();
        // Nothing answered yet: no draft to keep.
        if draft.is_none() && self.answers.with_untracked(Answers::is_empty) {
            return;
        }
        self.saving.set_value(true);
        self.saved.set(Saved::Saving);
        spawn_local(async move {
            let result = self.save(draft).await;
            self.saving.try_set_value(false);
            if self.receipt.try_with_untracked(Option::is_some) != Some(false) {
                return;
            }
            match result {
                Ok(view) => {
                    self.saved_generation.set_value(generation);
                    self.saved.set(Saved::At(crate::common::i18n::format_instant(&view.updated_at)));
                    if self.draft.with_untracked(Option::is_none) {
                        self.draft.set(Some(view.id.to_string()));
                        navigate(&self.url(&self.step.get_untracked()), true);
                    }
                    if view.form_version != self.service.with_value(|s| s.form_version) {
                        return self.reload_form();
                    }
                }
                Err(e) if e.is(ErrorCode::FormVersionOutdated) => return self.reload_form(),
                Err(e) => {
                    self.saved.set(Saved::Failed);
                    self.leave_after_save.set_value(false);
                    if !e.is_unauthorized() {
                        self.schedule_save(SAVE_RETRY);
                    }
                    return;
                }
            }
            if self.save_again.get_value() {
                self.save_again.set_value(false);
                self.save_now();
            } else if self.leave_after_save.get_value() {
                navigate("/mina-sidor?sparat=1", false);
            }
        });
    }

    /// One save: creates the draft the first time, then replaces its answers.
    async fn save(self, draft: Option<String>) -> Result<DraftView, FetchError> {
        let answers = self.answers.get_untracked();
        match draft {
            None => {
                let slug = self.slug();
                self.auth.call(|token| async move { api::create_draft(&token, &slug, &answers).await }).await
            }
            Some(id) => {
                let body = SaveDraftRequest {
                    form_version: self.service.with_value(|s| s.form_version),
                    answers,
                    current_page: self.resume_page(),
                };
                self.auth.call(|token| async move { api::save_draft(&token, &id, &body).await }).await
            }
        }
    }

    /// The form changed on the server: load it again, keeping the answers
    /// (the draft, when there is one, is moved to the new version by the server).
    pub(super) fn reload_form(self) {
        if self.draft.with_untracked(Option::is_none) {
            self.carried.set_value(Some(self.answers.get_untracked()));
        } else if let Some(id) = self.draft.get_untracked() {
            // The loader reads the draft from the address.
            navigate(&format!("/tjanster/{}/ansokan?utkast={}", self.slug(), router::encode(&id)), true);
        }
        self.reload.run(());
    }

    /// Loads the applicant's data from the register once (the children of a `child` field).
    pub(super) fn load_person(self) {
        if self.person_requested.get_value() || self.auth.token().is_none() {
            return;
        }
        self.person_requested.set_value(true);
        self.person.set(None);
        spawn_local(async move {
            let result = self.auth.call(|t| async move { api::personal_data(&t).await }).await;
            self.person.try_set(Some(result));
        });
    }

    /// Loads the applicant's data from the register again (after a failure).
    pub(super) fn reload_person(self) {
        self.person_requested.set_value(false);
        self.load_person();
    }

    /// The name of one of the applicant's children (reactive).
    pub(super) fn child_name(&self, personnummer: &str) -> Option<String> {
        self.person.with(|p| {
            let person = p.as_ref()?.as_ref().ok()?;
            person.children.iter().find(|c| c.personnummer == personnummer).map(|c| c.name.clone())
        })
    }
}
