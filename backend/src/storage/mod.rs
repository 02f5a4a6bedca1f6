//! Where the bytes of files live: applicants' uploads and case documents,
//! behind [`FileStore`]. A local directory by default ([`local::LocalStore`]),
//! S3-compatible object storage in production ([`s3::S3Store`]); chosen by
//! `[storage]`. The database holds only the records (name, type, size,
//! SHA-256); a file's key is its record's id, never the client's name.
//! [`sniff`] tells a file's type from its first bytes.

pub mod local;
pub mod names;
pub mod s3;
pub mod sniff;

use std::sync::Arc;

use crate::error::ErrorCode;
use actix_web::web::Bytes;
use async_trait::async_trait;
use futures_util::StreamExt as _;
use futures_util::stream::BoxStream;
use serde::Deserialize;

/// A file's bytes as they arrive or leave, chunk by chunk.
pub type ByteStream = BoxStream<'static, Result<Bytes, std::io::Error>>;

/// A stored file on its way out.
pub struct StoredFile {
    /// Its size in bytes.
    pub size: u64,
    /// Its bytes.
    pub body: ByteStream,
}

/// Why storing or reading failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The incoming stream failed (a broken transfer, or a limit the caller's
    /// stream enforces); nothing was kept. The caller's error is inside.
    #[error("the file's stream failed: {0}")]
    Body(std::io::Error),
    /// The key is not one this store accepts (a programming error).
    #[error("invalid storage key {0:?}")]
    InvalidKey(String),
    /// The store has no room left (no space on the disk, or a quota); nothing was kept.
    #[error("storage full: {0}")]
    Full(String),
    /// The directory or the object store failed or refused (read-only, no
    /// permission, unreachable); nothing was kept.
    #[error("storage: {0}")]
    Backend(String),
}

impl StoreError {
    /// A local file operation's failure: `Full` when the disk or a quota is full.
    pub fn io(what: &str, e: std::io::Error) -> Self {
        // ENOSPC, EDQUOT and EFBIG are what Linux gives when a write does not fit.
        let full = e.kind() == std::io::ErrorKind::StorageFull
            || e.kind() == std::io::ErrorKind::QuotaExceeded
            || e.kind() == std::io::ErrorKind::FileTooLarge
            || matches!(e.raw_os_error(), Some(28 | 122 | 27));
        if full { StoreError::Full(format!("{what}: {e}")) } else { StoreError::Backend(format!("{what}: {e}")) }
    }
}

/// The one answer to a failed store or read: 413 past the limit, 400 for a
/// broken transfer, 507 when the store is full and 503 when it refuses or is
/// unreachable (both with `Retry-After`; the cause goes to the log), never a
/// bare 500 for a storage fault.
impl From<StoreError> for crate::error::AppError {
    fn from(e: StoreError) -> Self {
        use crate::error::AppError;
        match e {
            StoreError::Body(io) => match io.get_ref().and_then(|inner| inner.downcast_ref::<BodyError>()) {
                Some(BodyError::TooLarge(max)) => {
                    AppError::PayloadTooLarge(usize::try_from(*max).unwrap_or(usize::MAX))
                }
                broke => {
                    if broke.is_none() {
                        tracing::warn!(error.cause = %io, "a file's stream failed");
                    }
                    AppError::new(ErrorCode::UploadInterrupted, "The file did not arrive in full. Please try again.")
                }
            },
            StoreError::Full(cause) => {
                tracing::warn!(error.cause = %cause, "the file store is full");
                AppError::InsufficientStorage
            }
            StoreError::Backend(cause) => {
                tracing::warn!(error.cause = %cause, "the file store failed");
                AppError::Unavailable
            }
            StoreError::InvalidKey(_) => AppError::internal(e),
        }
    }
}

/// Keeps files by key. A `put` stores all of the stream or nothing (a
/// failed or abandoned put leaves no object behind); keys are ids.
#[async_trait]
pub trait FileStore: Send + Sync + std::fmt::Debug {
    /// Stores the stream's bytes under `key`, replacing any earlier file; the size stored.
    async fn put(&self, key: &str, body: ByteStream) -> Result<u64, StoreError>;

    /// The file under `key`, or `None` when there is none.
    async fn get(&self, key: &str) -> Result<Option<StoredFile>, StoreError>;

    /// Removes the file under `key`; removing a missing file is no error.
    async fn delete(&self, key: &str) -> Result<(), StoreError>;

    /// Stores bytes already in memory.
    async fn put_bytes(&self, key: &str, bytes: Bytes) -> Result<u64, StoreError> {
        self.put(key, futures_util::stream::once(async move { Ok(bytes) }).boxed()).await
    }
}

/// The stores of the platform's files, one per kind of file.
#[derive(Debug, Clone)]
pub struct Storage {
    /// Applicants' uploads (`uploads.dir` when local; prefix `uploads/` in a bucket).
    pub uploads: Arc<dyn FileStore>,
    /// Documents and decisions staff attach to cases (`storage.dir` when local; prefix `documents/` in a bucket).
    pub documents: Arc<dyn FileStore>,
}

/// Which kind of store keeps the files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum StorageKind {
    /// Directories on the server's disk.
    #[default]
    Local,
    /// An S3-compatible object store (AWS S3, MinIO, Ceph, …).
    S3,
}

/// `[storage]`: where files are kept, and how large a case document may be.
#[derive(Debug, Clone, Deserialize)]
pub struct StorageSettings {
    /// `local` (default) or `s3`.
    #[serde(default)]
    pub kind: StorageKind,
    /// Local: the directory of case documents (uploads stay in `uploads.dir`).
    #[serde(default = "default_dir")]
    pub dir: std::path::PathBuf,
    /// Largest accepted case document, in bytes.
    #[serde(default = "default_document_max_bytes")]
    pub document_max_bytes: u64,
    /// S3: the bucket.
    #[serde(default)]
    pub bucket: Option<String>,
    /// S3: the endpoint of an S3-compatible service, e.g. `https://s3.example.se`; AWS when unset.
    #[serde(default)]
    pub endpoint: Option<String>,
    /// S3: the region.
    #[serde(default = "default_region")]
    pub region: String,
    /// S3: the access key id (`APP_STORAGE__ACCESS_KEY_ID`, or the standard `AWS_ACCESS_KEY_ID`).
    #[serde(default)]
    pub access_key_id: Option<String>,
    /// S3: the secret access key, from the environment only (`APP_STORAGE__SECRET_ACCESS_KEY`
    /// or `AWS_SECRET_ACCESS_KEY`).
    #[serde(default)]
    pub secret_access_key: Option<secrecy::SecretString>,
    /// S3: allow an `http://` endpoint (a loopback or test server); production uses TLS.
    #[serde(default)]
    pub allow_http: bool,
}

impl Default for StorageSettings {
    fn default() -> Self {
        Self {
            kind: StorageKind::default(),
            dir: default_dir(),
            document_max_bytes: default_document_max_bytes(),
            bucket: None,
            endpoint: None,
            region: default_region(),
            access_key_id: None,
            secret_access_key: None,
            allow_http: false,
        }
    }
}

fn default_dir() -> std::path::PathBuf {
    "data/documents".into()
}
fn default_document_max_bytes() -> u64 {
    20 * 1024 * 1024
}
fn default_region() -> String {
    "eu-north-1".into()
}

/// The stores the settings describe.
pub fn from_settings(
    storage: &StorageSettings,
    uploads: &crate::config::UploadSettings,
) -> Result<Storage, StoreError> {
    match storage.kind {
        StorageKind::Local => Ok(Storage {
            uploads: Arc::new(local::LocalStore::new(uploads.dir.clone())),
            documents: Arc::new(local::LocalStore::new(storage.dir.clone())),
        }),
        StorageKind::S3 => {
            let store = s3::object_store(storage)?;
            Ok(Storage {
                uploads: Arc::new(s3::S3Store::new(store.clone(), "uploads")),
                documents: Arc::new(s3::S3Store::new(store, "documents")),
            })
        }
    }
}

/// Keys are ids: ASCII letters, digits, `-` and `_`, at most 128 characters.
/// Nothing else (no `/`, no `.`) can reach a path or an object name.
pub(crate) fn check_key(key: &str) -> Result<(), StoreError> {
    if !key.is_empty() && key.len() <= 128 && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        Ok(())
    } else {
        Err(StoreError::InvalidKey(key.chars().take(64).collect()))
    }
}

/// What makes a caller's stream fail: carried inside the `std::io::Error`
/// the stream yields, and found again by `From<StoreError> for AppError`.
#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    /// More bytes than the limit.
    #[error("the file is larger than {0} bytes")]
    TooLarge(u64),
    /// The client's transfer broke off.
    #[error("the transfer broke off")]
    Interrupted,
}

/// What a stream passed through [`limited`] saw, readable after the put.
#[derive(Debug, Default)]
pub struct Tally {
    /// Bytes seen.
    pub size: u64,
    /// SHA-256 (hex) of the bytes, set when the stream ended.
    pub sha256: Option<String>,
}

/// Wraps a request body: counts and hashes the bytes, fails with
/// [`BodyError::TooLarge`] past `max` bytes and with
/// [`BodyError::Interrupted`] when the transfer breaks.
pub fn limited<S, E>(body: S, max: u64) -> (ByteStream, Arc<std::sync::Mutex<Tally>>)
where
    S: futures_util::Stream<Item = Result<Bytes, E>> + Send + 'static,
    E: 'static,
{
    use sha2::Digest as _;
    let tally = Arc::new(std::sync::Mutex::new(Tally::default()));
    let out = tally.clone();
    let mut hasher = Some(sha2::Sha256::new());
    let mut size: u64 = 0;
    let mut body = Box::pin(body);
    let stream = futures_util::stream::poll_fn(move |cx| {
        use std::task::Poll;
        match body.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                size += chunk.len() as u64;
                if size > max {
                    return Poll::Ready(Some(Err(std::io::Error::other(BodyError::TooLarge(max)))));
                }
                if let Some(h) = hasher.as_mut() {
                    h.update(&chunk);
                }
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(Some(Err(_))) => Poll::Ready(Some(Err(std::io::Error::other(BodyError::Interrupted)))),
            Poll::Ready(None) => {
                if let (Some(h), Ok(mut t)) = (hasher.take(), tally.lock()) {
                    t.size = size;
                    t.sha256 = Some(hex::encode(h.finalize()));
                }
                Poll::Ready(None)
            }
            Poll::Pending => Poll::Pending,
        }
    });
    (stream.boxed(), out)
}

/// Reads up to `n` bytes from the front of a stream and gives them back with
/// a stream of the whole (those bytes first, then the rest).
pub async fn peek(body: ByteStream, n: usize) -> Result<(Bytes, ByteStream), std::io::Error> {
    // Fused: a stream that ended here is not polled again by the chain below.
    let mut body = body.fuse();
    let mut head = Vec::new();
    let mut rest: Option<Bytes> = None;
    while head.len() < n {
        match body.next().await {
            Some(Ok(chunk)) => {
                let take = (n - head.len()).min(chunk.len());
                head.extend_from_slice(&chunk[..take]);
                if take < chunk.len() {
                    rest = Some(chunk.slice(take..));
                }
            }
            Some(Err(e)) => return Err(e),
            None => break,
        }
    }
    let head = Bytes::from(head);
    let front = futures_util::stream::iter([Some(head.clone()), rest].into_iter().flatten().map(Ok));
    Ok((head, front.chain(body).boxed()))
}

/// A request body as a [`ByteStream`]. actix's payload lives on its worker
/// thread (it is not `Send`), so a local task forwards its chunks through a
/// small channel (which also applies back-pressure); a broken transfer ends
/// the stream with [`BodyError::Interrupted`]. Dropping the stream stops the task.
pub fn from_payload(mut payload: actix_web::web::Payload) -> ByteStream {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    actix_web::rt::spawn(async move {
        while let Some(chunk) = payload.next().await {
            let item = chunk.map_err(|_| std::io::Error::other(BodyError::Interrupted));
            let failed = item.is_err();
            if tx.send(item).await.is_err() || failed {
                break;
            }
        }
    });
    futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx)).boxed()
}

/// Deletes a stored file when dropped, unless disarmed: a file whose record
/// could not be written (or whose handler was dropped in between, when the
/// client went away) does not stay behind.
pub struct DeleteOnDrop {
    store: Arc<dyn FileStore>,
    key: Option<String>,
}

impl DeleteOnDrop {
    /// Guards `key` in `store`.
    pub fn new(store: Arc<dyn FileStore>, key: &str) -> Self {
        Self { store, key: Some(key.to_string()) }
    }

    /// Keeps the file.
    pub fn disarm(mut self) {
        self.key = None;
    }
}

impl Drop for DeleteOnDrop {
    fn drop(&mut self) {
        if let Some(key) = self.key.take() {
            let store = self.store.clone();
            if let Ok(rt) = tokio::runtime::Handle::try_current() {
                rt.spawn(async move {
                    if let Err(e) = store.delete(&key).await {
                        tracing::warn!(error = %e, "removing an unrecorded file failed");
                    }
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::StoreError;
    use crate::error::AppError;

    #[test]
    fn a_write_to_a_full_disk_is_507_and_a_refusing_store_is_503() {
        // /dev/full answers every write with ENOSPC, as a full disk does.
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .and_then(|mut f| f.write_all(b"x").and_then(|()| f.sync_all()))
            .expect_err("/dev/full is full");
        let e = StoreError::io("write", full);
        assert!(matches!(e, StoreError::Full(_)), "{e:?}");
        assert!(matches!(AppError::from(e), AppError::InsufficientStorage));
        let refused = StoreError::io("create file", std::io::Error::from(std::io::ErrorKind::PermissionDenied));
        assert!(matches!(AppError::from(refused), AppError::Unavailable));
        let read_only = StoreError::io("create file", std::io::Error::from_raw_os_error(30));
        assert!(matches!(AppError::from(read_only), AppError::Unavailable));
    }
}
