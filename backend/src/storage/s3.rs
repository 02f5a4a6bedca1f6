//! Files in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, …) through the
//! `object_store` crate, under a prefix per kind of file (`uploads/<id>`,
//! `documents/<id>`). Small files are one PUT; a file larger than the buffer
//! becomes a multipart upload, aborted when the stream fails, so a failed
//! put leaves no object behind.

use std::sync::Arc;

use async_trait::async_trait;
use futures_util::StreamExt as _;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt as _};
use secrecy::ExposeSecret as _;

use super::{ByteStream, FileStore, StorageSettings, StoreError, StoredFile, check_key};

/// Bytes kept in memory before a put turns into a multipart upload (S3's
/// parts must be at least 5 MiB).
const BUFFER_BYTES: usize = 8 * 1024 * 1024;

/// The bucket the settings name, with their endpoint, region and keys
/// (besides the standard `AWS_*` environment variables).
pub fn object_store(s: &StorageSettings) -> Result<Arc<dyn ObjectStore>, StoreError> {
    let bucket = s
        .bucket
        .as_deref()
        .filter(|b| !b.is_empty())
        .ok_or_else(|| StoreError::Backend("storage.bucket must be set when storage.kind is \"s3\"".into()))?;
    let mut builder = object_store::aws::AmazonS3Builder::from_env()
        .with_bucket_name(bucket)
        .with_region(&s.region)
        .with_allow_http(s.allow_http);
    if let Some(endpoint) = s.endpoint.as_deref().filter(|e| !e.is_empty()) {
        builder = builder.with_endpoint(endpoint);
    }
    if let Some(id) = s.access_key_id.as_deref().filter(|k| !k.is_empty()) {
        builder = builder.with_access_key_id(id);
    }
    if let Some(secret) = &s.secret_access_key {
        builder = builder.with_secret_access_key(secret.expose_secret());
    }
    let store = builder.build().map_err(|e| StoreError::Backend(format!("S3 configuration: {e}")))?;
    Ok(Arc::new(store))
}

/// One kind of file in a bucket: objects `<prefix>/<key>`.
#[derive(Debug, Clone)]
pub struct S3Store {
    store: Arc<dyn ObjectStore>,
    prefix: String,
}

impl S3Store {
    /// Objects under `prefix/` in `store`.
    pub fn new(store: Arc<dyn ObjectStore>, prefix: &str) -> Self {
        Self { store, prefix: prefix.to_string() }
    }

    fn path(&self, key: &str) -> Result<Path, StoreError> {
        check_key(key)?;
        Ok(Path::from(format!("{}/{key}", self.prefix)))
    }
}

fn backend(e: object_store::Error) -> StoreError {
    StoreError::Backend(format!("object store: {e}"))
}

#[async_trait]
impl FileStore for S3Store {
    async fn put(&self, key: &str, mut body: ByteStream) -> Result<u64, StoreError> {
        let path = self.path(key)?;
        let mut writer = object_store::buffered::BufWriter::with_capacity(self.store.clone(), path, BUFFER_BYTES);
        let mut size: u64 = 0;
        while let Some(chunk) = body.next().await {
            let step = match chunk {
                Ok(chunk) => {
                    size += chunk.len() as u64;
                    writer.put(chunk).await.map_err(backend)
                }
                Err(e) => Err(StoreError::Body(e)),
            };
            if let Err(e) = step {
                // Nothing of a failed put may stay: abort a started multipart upload.
                if let Err(abort) = writer.abort().await {
                    tracing::warn!(error = %abort, "aborting a multipart upload failed");
                }
                return Err(e);
            }
        }
        tokio::io::AsyncWriteExt::shutdown(&mut writer)
            .await
            .map_err(|e| StoreError::Backend(format!("object store: {e}")))?;
        Ok(size)
    }

    async fn get(&self, key: &str) -> Result<Option<StoredFile>, StoreError> {
        let path = self.path(key)?;
        match self.store.get(&path).await {
            Ok(result) => {
                let size = result.meta.size;
                let body = result.into_stream().map(|chunk| chunk.map_err(std::io::Error::other)).boxed();
                Ok(Some(StoredFile { size, body }))
            }
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(backend(e)),
        }
    }

    async fn delete(&self, key: &str) -> Result<(), StoreError> {
        match self.store.delete(&self.path(key)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(backend(e)),
        }
    }
}
