//! Photo uploads that survive bad links (sync.md failure 14): a subset of tus 1.0. The upload
//! is created (or found again) with its length and SHA-256, then sent in chunks from the
//! server's offset; a cut loses at most the chunk in flight, and the next attempt resumes
//! where the server stopped. When the server finds the bytes do not hash to the declared
//! SHA-256 it starts the upload again, and so does the client, once.

use crate::client::{Client, ClientError};
use base64::Engine;
use reqwest::{Method, StatusCode, header};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// Chunk size: small enough that a cut on a 2G link loses little, large enough to be quick.
pub const DEFAULT_CHUNK: usize = 64 * 1024;

/// A photo to upload.
#[derive(Clone, Copy, Debug)]
pub struct MediaFile<'a> {
    pub bytes: &'a [u8],
    /// Lowercase hex SHA-256 of `bytes` (what the article's `media:` source names).
    pub sha256: &'a str,
    pub content_type: &'a str,
}

impl<'a> MediaFile<'a> {
    /// A file whose hash is computed here.
    pub fn hash(bytes: &[u8]) -> String {
        hex::encode(Sha256::digest(bytes))
    }
}

#[derive(Debug, Deserialize)]
struct Upload {
    id: String,
    offset: u64,
    complete: bool,
}

fn b64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

impl Client {
    /// `POST /v1/media`: creates the upload or finds it again.
    async fn create_upload(
        &self,
        token: &str,
        file: &MediaFile<'_>,
    ) -> Result<Upload, ClientError> {
        let req = self
            .request(Method::POST, "/v1/media", Some(token))
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Length", file.bytes.len().to_string())
            .header(
                "Upload-Metadata",
                format!(
                    "sha256 {},content-type {}",
                    b64(file.sha256),
                    b64(file.content_type)
                ),
            );
        let resp = self.send(req, 0).await?;
        self.check_json(resp, &[StatusCode::CREATED])
            .await
            .map(|(_, v)| v)
    }

    /// `PATCH /v1/media/{id}`: one chunk at `offset`; answers the new offset.
    async fn send_chunk(
        &self,
        token: &str,
        id: &str,
        offset: u64,
        chunk: &[u8],
    ) -> Result<u64, ClientError> {
        let req = self
            .request(Method::PATCH, &format!("/v1/media/{id}"), Some(token))
            .header("Tus-Resumable", "1.0.0")
            .header(header::CONTENT_TYPE, "application/offset+octet-stream")
            .header("Upload-Offset", offset.to_string())
            .body(chunk.to_vec());
        let resp = self.send(req, chunk.len()).await?;
        if resp.status() == StatusCode::NO_CONTENT {
            let next = resp
                .headers()
                .get("upload-offset")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| ClientError::NotOurApi {
                    status: 204,
                    detail: "no Upload-Offset in the answer".into(),
                })?;
            return Ok(next);
        }
        self.check_json::<serde_json::Value>(resp, &[])
            .await
            .map(|_| offset)
    }
}

/// Uploads `file`, resuming from the server's offset. Transient failures are returned (the
/// caller tries again later, and the upload resumes where it stopped); a hash mismatch is
/// retried from 0 once. Returns the number of bytes this call sent.
pub async fn upload_media(
    client: &Client,
    token: &str,
    file: MediaFile<'_>,
    chunk: usize,
) -> Result<u64, ClientError> {
    let chunk = chunk.max(1);
    let length = file.bytes.len() as u64;
    let mut sent = 0u64;
    let mut restarted = false;
    let upload = client.create_upload(token, &file).await?;
    if upload.complete {
        return Ok(0);
    }
    let mut offset = upload.offset;
    while offset < length {
        let end = (offset + chunk as u64).min(length);
        let part = &file.bytes[offset as usize..end as usize];
        match client.send_chunk(token, &upload.id, offset, part).await {
            Ok(next) => {
                sent += next.saturating_sub(offset);
                offset = next;
            }
            // Out of step with the server (an earlier attempt got further): ask again.
            Err(e) if e.status() == Some(409) => {
                offset = client.create_upload(token, &file).await?.offset;
            }
            Err(ClientError::Refused {
                code: barta_model::ErrorCode::HashMismatch,
                ..
            }) if !restarted => {
                restarted = true;
                offset = 0;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(sent)
}
