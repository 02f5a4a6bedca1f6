//! Files in a directory on the server's disk, each named by its key. A put
//! writes `<key>.part`, syncs it and renames it into place, so a reader never
//! sees half a file and a failed or abandoned put leaves nothing behind.

use std::path::PathBuf;

use async_trait::async_trait;
use futures_util::StreamExt as _;
use tokio::io::AsyncWriteExt as _;

use super::{ByteStream, FileStore, StoreError, StoredFile, check_key};

/// A directory of files (created when missing).
#[derive(Debug, Clone)]
pub struct LocalStore {
    dir: PathBuf,
}

impl LocalStore {
    /// Files in `dir`.
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    fn path(&self, key: &str) -> Result<PathBuf, StoreError> {
        check_key(key)?;
        Ok(self.dir.join(key))
    }
}

/// Removes a file when dropped, unless disarmed: a failed, refused or
/// abandoned put (the client going away drops the handler) leaves nothing behind.
struct RemoveOnDrop(Option<PathBuf>);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn backend(what: &str) -> impl Fn(std::io::Error) -> StoreError + '_ {
    move |e| StoreError::io(what, e)
}

#[async_trait]
impl FileStore for LocalStore {
    async fn put(&self, key: &str, mut body: ByteStream) -> Result<u64, StoreError> {
        let stored = self.path(key)?;
        tokio::fs::create_dir_all(&self.dir).await.map_err(backend("create directory"))?;
        let part = self.dir.join(format!("{key}.part"));
        let mut guard = RemoveOnDrop(Some(part.clone()));
        let mut file = tokio::fs::File::create(&part).await.map_err(backend("create file"))?;
        let mut size: u64 = 0;
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(StoreError::Body)?;
            size += chunk.len() as u64;
            file.write_all(&chunk).await.map_err(backend("write"))?;
        }
        file.sync_all().await.map_err(backend("sync"))?;
        drop(file);
        tokio::fs::rename(&part, &stored).await.map_err(backend("rename"))?;
        guard.0 = None;
        Ok(size)
    }

    async fn get(&self, key: &str) -> Result<Option<StoredFile>, StoreError> {
        let path = self.path(key)?;
        let file = match tokio::fs::File::open(&path).await {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(backend("open")(e)),
        };
        let size = file.metadata().await.map_err(backend("metadata"))?.len();
        // After a read error the stream ends (the state becomes `None`).
        let body = futures_util::stream::unfold(Some(file), |state| async move {
            use tokio::io::AsyncReadExt as _;
            let mut file = state?;
            let mut buf = vec![0u8; 64 * 1024];
            match file.read(&mut buf).await {
                Ok(0) => None,
                Ok(n) => {
                    buf.truncate(n);
                    Some((Ok(actix_web::web::Bytes::from(buf)), Some(file)))
                }
                Err(e) => Some((Err(e), None)),
            }
        });
        Ok(Some(StoredFile { size, body: body.boxed() }))
    }

    async fn delete(&self, key: &str) -> Result<(), StoreError> {
        match tokio::fs::remove_file(self.path(key)?).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(backend("remove")(e)),
        }
    }
}
