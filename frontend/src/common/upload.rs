//! File uploads for file fields: `POST /api/v1/uploads` with the file as the
//! raw body, through `XMLHttpRequest` because `fetch` cannot report upload
//! progress.

use shared::api::{ApiError, UploadedFile};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{ProgressEvent, XmlHttpRequest};

use crate::common::api::FetchError;
use crate::common::router::encode;

/// Who uploads: the applicant's token when logged in, else the owner token of
/// earlier anonymous uploads (none for the first one).
pub struct Uploader<'a> {
    pub bearer: Option<&'a str>,
    pub owner_token: Option<&'a str>,
}

/// Starts uploading `file`. `progress` gets the fraction sent (0 to 1) as it
/// goes; `done` gets the stored file once, or why not. The returned request
/// can be aborted (`done` then gets [`FetchError::Network`]).
pub fn upload(
    file: &web_sys::File,
    who: Uploader<'_>,
    progress: impl Fn(f64) + 'static,
    done: impl FnOnce(Result<UploadedFile, FetchError>) + 'static,
) -> Result<XmlHttpRequest, FetchError> {
    let failed = |_| FetchError::Network;
    let xhr = XmlHttpRequest::new().map_err(failed)?;
    xhr.open("POST", "/api/v1/uploads").map_err(failed)?;
    let media_type = file.type_();
    let media_type = if media_type.is_empty() { "application/octet-stream".to_owned() } else { media_type };
    xhr.set_request_header("Content-Type", &media_type).map_err(failed)?;
    xhr.set_request_header("X-File-Name", &encode(&file.name())).map_err(failed)?;
    xhr.set_request_header("Accept", "application/json").map_err(failed)?;
    if let Some(token) = who.bearer {
        xhr.set_request_header("Authorization", &format!("Bearer {token}")).map_err(failed)?;
    }
    if let Some(token) = who.owner_token {
        xhr.set_request_header("X-Upload-Token", token).map_err(failed)?;
    }
    let upload = xhr.upload().map_err(failed)?;
    let on_progress = Closure::<dyn Fn(ProgressEvent)>::new(move |e: ProgressEvent| {
        if e.length_computable() && e.total() > 0.0 {
            progress(e.loaded() / e.total());
        }
    });
    upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    let finished = xhr.clone();
    // Runs once, when the request is over in any way; it also frees the progress callback.
    let on_end = Closure::once_into_js(move || {
        upload.set_onprogress(None);
        drop(on_progress);
        let status = finished.status().unwrap_or(0);
        let text = finished.response_text().ok().flatten().unwrap_or_default();
        let result = match status {
            0 => Err(FetchError::Network),
            200..=299 => serde_json::from_str::<UploadedFile>(&text).map_err(|_| FetchError::Decode),
            _ => Err(FetchError::Status { status, error: serde_json::from_str::<ApiError>(&text).ok() }),
        };
        done(result);
    });
    xhr.set_onloadend(Some(on_end.unchecked_ref()));
    xhr.send_with_opt_blob(Some(file)).map_err(failed)?;
    Ok(xhr)
}
