//! Files the API gives only with a Bearer token (decisions, documents, the files of messages and
//! answers, signature evidence, the purge log's export): [`download`] fetches one with the
//! session's token and hands it to the browser to save, and [`DownloadButton`] is the
//! "Ladda ner {name}" button every page lists such a file with.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::common::api::{self, FetchError};
use crate::common::i18n::tx;
use crate::common::session::{Kind, Session};

/// Downloads the file at the API `path` with the session's token and saves it as `name`.
pub async fn download<K: Kind>(session: Session<K>, path: String, name: String) -> Result<(), FetchError> {
    session.call(|t| async move { api::download(&path, &t, &name).await }).await
}

/// "Ladda ner {name}": the file at the API `path`, saved as `name`; why it failed, if it did,
/// in `error` (which the page shows where it fits).
#[component]
pub fn DownloadButton<K: Kind>(
    session: Session<K>,
    path: String,
    name: String,
    error: RwSignal<Option<K::DownloadError>>,
) -> impl IntoView {
    let label = name.clone();
    let get = move |_| {
        let (path, name) = (path.clone(), name.clone());
        error.set(None);
        spawn_local(async move {
            if let Err(e) = download(session, path, name).await {
                error.try_set(K::download_failed(&e));
            }
        });
    };
    view! {
        <button type="button" class=K::LINK_BUTTON on:click=get>
            {tx("Ladda ner", "Download")}
            " "
            {label}
        </button>
    }
}

/// A file in a list: its [`DownloadButton`] and its size.
#[component]
pub fn FileItem<K: Kind>(
    session: Session<K>,
    path: String,
    name: String,
    size: u64,
    error: RwSignal<Option<K::DownloadError>>,
) -> impl IntoView {
    view! {
        <li>
            <DownloadButton session=session path=path name=name error=error />
            " "
            <span class=K::ASIDE>"(" {crate::common::i18n::format_size(size)} ")"</span>
        </li>
    }
}
