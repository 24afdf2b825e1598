//! How large values are kept on disk. Since schema 5, revision bodies, working-copy blocks and
//! the search index's snippet text are written as zstd-compressed BLOBs (Bengali UTF-8 shrinks
//! about 3.5×); rows written before hold plain text. Readers take either, so old rows are
//! never rewritten (revisions are immutable) and stay readable.

use crate::StoreError;
use rusqlite::types::ValueRef;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::borrow::Cow;
use std::cell::RefCell;

/// zstd level: the library default, a good ratio at a few hundred MB/s.
const LEVEL: i32 = 3;
/// No stored value decompresses to more than this (documents are at most 2 MB of text).
const MAX_UNPACKED: u64 = 256 * 1024 * 1024;

thread_local! {
    // A compression context costs far more to set up than a typing save takes to compress.
    static COMPRESSOR: RefCell<Option<zstd::bulk::Compressor<'static>>> = const { RefCell::new(None) };
    static DECOMPRESSOR: RefCell<Option<zstd::bulk::Decompressor<'static>>> = const { RefCell::new(None) };
}

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("compressed value: {e}"))
}

/// Compresses `bytes` for storage.
pub(crate) fn pack(bytes: &[u8]) -> Result<Vec<u8>, StoreError> {
    COMPRESSOR.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            *cell = Some(zstd::bulk::Compressor::new(LEVEL).map_err(corrupt)?);
        }
        let compressor = cell.as_mut().expect("just set");
        compressor.compress(bytes).map_err(corrupt)
    })
}

/// The JSON of `value`, compressed.
pub(crate) fn pack_json<T: Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    pack(&serde_json::to_vec(value)?)
}

/// Decompresses `bytes` written by [`pack`].
pub(crate) fn unpack_bytes(bytes: &[u8]) -> Result<Vec<u8>, StoreError> {
    let size = zstd::zstd_safe::get_frame_content_size(bytes)
        .map_err(|_| corrupt("not a zstd frame"))?
        .ok_or_else(|| corrupt("no content size"))?;
    if size > MAX_UNPACKED {
        return Err(corrupt(format!("{size} bytes")));
    }
    DECOMPRESSOR.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            *cell = Some(zstd::bulk::Decompressor::new().map_err(corrupt)?);
        }
        let decompressor = cell.as_mut().expect("just set");
        decompressor
            .decompress(bytes, size as usize)
            .map_err(corrupt)
    })
}

/// The stored bytes of a column: plain text as it is, a BLOB decompressed.
pub(crate) fn unpack(value: ValueRef<'_>) -> Result<Cow<'_, [u8]>, StoreError> {
    match value {
        ValueRef::Text(text) => Ok(Cow::Borrowed(text)),
        ValueRef::Blob(blob) => Ok(Cow::Owned(unpack_bytes(blob)?)),
        other => Err(StoreError::Corrupt(format!(
            "expected stored text, found {:?}",
            other.data_type()
        ))),
    }
}

/// A stored JSON value, plain or compressed.
pub(crate) fn unpack_json<T: DeserializeOwned>(value: ValueRef<'_>) -> Result<T, StoreError> {
    Ok(serde_json::from_slice(&unpack(value)?)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_and_plain_values_read_the_same() {
        let text = "দক্ষিণ কোরিয়ার নির্বাচনে নতুন প্রেসিডেন্ট ".repeat(50);
        let packed = pack(text.as_bytes()).unwrap();
        assert!(packed.len() * 3 < text.len());
        assert_eq!(unpack(ValueRef::Blob(&packed)).unwrap(), text.as_bytes());
        assert_eq!(
            unpack(ValueRef::Text(text.as_bytes())).unwrap(),
            text.as_bytes()
        );
        let json: Vec<String> =
            unpack_json(ValueRef::Blob(&pack_json(&["ক", "খ"]).unwrap())).unwrap();
        assert_eq!(json, ["ক", "খ"]);
        assert!(unpack(ValueRef::Blob(b"not zstd")).is_err());
        assert!(unpack(ValueRef::Null).is_err());
    }
}
