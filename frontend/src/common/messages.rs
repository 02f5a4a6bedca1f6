//! The one list of the messages between an applicant and the handlers, on every page that
//! shows them: one case on Mina sidor, an anonymous case through its private link, and the
//! handlers' case view. Whose pages they are is the session's [`Kind`], and how a message reads
//! there its [`Reader`]: an applicant sees their own messages marked, with read receipts, and the
//! handlers as "Handläggare"; a handler sees each handler by name and when the applicant read
//! it. Each app's wasm has its own reader only.

use leptos::prelude::*;
use shared::handling::{CaseMessage, MessageAttachment};

use crate::common::download::FileItem;
use crate::common::i18n::{format_instant, tx};
use crate::common::session::{Applicant, Kind, Session, Staff};

/// Where a message's files are downloaded from.
pub struct MessageFiles<K: Kind> {
    pub session: Session<K>,
    /// The API path of a file, from its id.
    pub path: Box<dyn Fn(&MessageAttachment) -> String>,
    /// Why a file could not be downloaded.
    pub error: RwSignal<Option<K::DownloadError>>,
}

/// How a message reads on one kind of person's pages.
pub trait Reader: Kind + Sized {
    /// The list around the messages.
    fn list(items: impl IntoView + 'static) -> AnyView;
    /// One message, with its `files` and, with `receipts`, whether the other party read it.
    fn item(message: CaseMessage, files: Option<AnyView>, receipts: bool) -> impl IntoView + 'static;
}

impl Reader for Applicant {
    fn list(items: impl IntoView + 'static) -> AnyView {
        view! { <ol class="messages">{items}</ol> }.into_any()
    }

    /// Who wrote it ("Du" or "Handläggare") and when, the text, its files, and for the
    /// applicant's own whether it has been read.
    fn item(m: CaseMessage, files: Option<AnyView>, receipts: bool) -> impl IntoView + 'static {
        let mine = m.author == Self::AUTHOR;
        let sent_at = m.sent_at;
        let read_at = m.read_at;
        view! {
            <li class="message" class:message-mine=mine>
                <p class="message-meta">
                    <strong>{if mine { tx("Du", "You") } else { tx("Handläggare", "Case officer") }}</strong>
                    " · "
                    {move || format_instant(&sent_at)}
                </p>
                <p class="message-body">{m.body}</p>
                {files}
                {(receipts && mine)
                    .then(|| {
                        view! {
                            <p class="message-receipt">
                                {move || match read_at {
                                    Some(at) => format!("{} {}", tx("Läst av handläggaren", "Read by the case officer")(), format_instant(&at)),
                                    None => tx("Inte läst än", "Not read yet")().to_owned(),
                                }}
                            </p>
                        }
                    })}
            </li>
        }
    }
}

impl Reader for Staff {
    fn list(items: impl IntoView + 'static) -> AnyView {
        view! { <ul class="messages">{items}</ul> }.into_any()
    }

    /// Who wrote it (a handler by name, or "Sökande"), when, and when it was read; the text and
    /// its files.
    fn item(m: CaseMessage, files: Option<AnyView>, _receipts: bool) -> impl IntoView + 'static {
        let from_staff = m.author == Self::AUTHOR;
        let who = if from_staff {
            m.author_name.clone().unwrap_or_else(|| tx("Handläggare", "Handler")().to_owned())
        } else {
            tx("Sökande", "Applicant")().to_owned()
        };
        let read = m.read_at.map(|at| format!("{} {}", tx("Läst", "Read")(), format_instant(&at)));
        view! {
            <li class=if from_staff { "message from-staff" } else { "message from-applicant" }>
                <p class="meta">
                    <strong>{who}</strong>
                    " · "
                    {format_instant(&m.sent_at)}
                    {read.map(|r| format!(" · {r}"))}
                </p>
                <p class="message-body">{m.body}</p>
                {files}
            </li>
        }
    }
}

/// The messages, oldest first, each with its files (with `files`) and, on the applicant's pages,
/// whether the handler has read the applicant's own (with `receipts`).
pub fn message_list<K: Reader>(messages: Vec<CaseMessage>, files: Option<MessageFiles<K>>, receipts: bool) -> AnyView {
    let items = messages
        .into_iter()
        .map(|mut m| {
            let attachments = std::mem::take(&mut m.attachments);
            let list = (!attachments.is_empty()).then(|| files.as_ref().map(|f| file_list(f, attachments))).flatten();
            K::item(m, list, receipts)
        })
        .collect_view();
    K::list(items)
}

/// A message's files, each with its download button.
fn file_list<K: Kind>(files: &MessageFiles<K>, attachments: Vec<MessageAttachment>) -> AnyView {
    let rows = attachments
        .into_iter()
        .map(|a| {
            let path = (files.path)(&a);
            view! { <FileItem session=files.session path=path name=a.name size=a.size error=files.error /> }
        })
        .collect_view();
    let class = if K::STAFF { "files" } else { "message-files" };
    view! { <ul class=class>{rows}</ul> }.into_any()
}
