//! The laptop store's key: a random 256-bit data key that encrypts the database (SQLCipher),
//! its WAL and the photos, kept on disk only wrapped — sealed with XChaCha20-Poly1305 under a
//! key derived from the user's password with Argon2id — in `vault.json` beside the store. So
//! the store unlocks offline with the password, a copy of the disk without the password gives
//! up nothing, and a new password only re-wraps the data key (nothing is re-encrypted).
//!
//! Who may read it: anyone may read `vault.json`; only the password opens what it wraps.

use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use zeroize::{Zeroize, Zeroizing};

/// The vault file's name inside a store's directory.
pub const VAULT_FILE: &str = "vault.json";

/// Argon2id's cost for the password: 64 MiB, 3 passes, 1 lane (about half a second on a
/// laptop of 2020; a guesser pays as much for every try).
pub const KDF_MEMORY_KIB: u32 = 64 * 1024;
pub const KDF_PASSES: u32 = 3;

/// The store's data key, wiped from memory when dropped (a copy too).
#[derive(Clone)]
pub struct DataKey(Zeroizing<[u8; 32]>);

impl DataKey {
    /// A new random key.
    pub fn random() -> Self {
        let mut key = Zeroizing::new([0u8; 32]);
        rand::rng().fill_bytes(key.as_mut());
        Self(key)
    }

    /// The raw key bytes.
    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The key as SQLCipher takes it raw: `x'<64 hex digits>'` (no key derivation of its own).
    pub(crate) fn sqlcipher_literal(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("\"x'{}'\"", hex::encode(self.0.as_ref())))
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(…)")
    }
}

/// Why the vault could not be used.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// The password does not open this vault.
    #[error("the password does not open this store")]
    WrongPassword,
    /// There is no vault here (no store for this user on this computer yet).
    #[error("no store for this user on this computer")]
    Missing,
    /// A vault exists already (creating it again would lose the store).
    #[error("a store already exists here")]
    Exists,
    /// The vault file is not one this app wrote.
    #[error("the store's key file is damaged: {0}")]
    Damaged(String),
    #[error("cannot use the store's key file: {0}")]
    Io(#[from] std::io::Error),
}

/// `vault.json`.
#[derive(Serialize, Deserialize)]
struct VaultFile {
    version: u32,
    kdf: String,
    memory_kib: u32,
    passes: u32,
    lanes: u32,
    salt: String,
    nonce: String,
    wrapped: String,
}

fn path_in(dir: &Path) -> PathBuf {
    dir.join(VAULT_FILE)
}

fn derive(
    password: &str,
    salt: &[u8],
    memory_kib: u32,
    passes: u32,
    lanes: u32,
) -> Result<Zeroizing<[u8; 32]>, VaultError> {
    let params = Params::new(memory_kib, passes, lanes, Some(32))
        .map_err(|e| VaultError::Damaged(e.to_string()))?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(password.as_bytes(), salt, out.as_mut())
        .map_err(|e| VaultError::Damaged(e.to_string()))?;
    Ok(out)
}

fn seal(key: &DataKey, password: &str) -> Result<VaultFile, VaultError> {
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 24];
    rand::rng().fill_bytes(&mut salt);
    rand::rng().fill_bytes(&mut nonce);
    let kek = derive(password, &salt, KDF_MEMORY_KIB, KDF_PASSES, 1)?;
    let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
    let wrapped = cipher
        .encrypt(XNonce::from_slice(&nonce), key.bytes().as_ref())
        .map_err(|_| VaultError::Damaged("sealing failed".into()))?;
    Ok(VaultFile {
        version: 1,
        kdf: "argon2id".into(),
        memory_kib: KDF_MEMORY_KIB,
        passes: KDF_PASSES,
        lanes: 1,
        salt: B64.encode(salt),
        nonce: B64.encode(nonce),
        wrapped: B64.encode(wrapped),
    })
}

/// Writes the vault whole or not at all (a temporary file, synced, renamed over).
fn write(dir: &Path, file: &VaultFile) -> Result<(), VaultError> {
    let json = serde_json::to_vec_pretty(file).map_err(|e| VaultError::Damaged(e.to_string()))?;
    let tmp = dir.join(format!("{VAULT_FILE}.tmp"));
    {
        use std::io::Write;
        let mut out = std::fs::File::create(&tmp)?;
        out.write_all(&json)?;
        out.sync_all()?;
    }
    std::fs::rename(&tmp, path_in(dir))?;
    if cfg!(unix) {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

fn read(dir: &Path) -> Result<VaultFile, VaultError> {
    let bytes = match std::fs::read(path_in(dir)) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(VaultError::Missing),
        Err(e) => return Err(e.into()),
    };
    let file: VaultFile =
        serde_json::from_slice(&bytes).map_err(|e| VaultError::Damaged(e.to_string()))?;
    if file.version != 1 || file.kdf != "argon2id" {
        return Err(VaultError::Damaged(format!(
            "version {} with {} is not known",
            file.version, file.kdf
        )));
    }
    Ok(file)
}

/// Whether `dir` holds a vault.
pub fn exists(dir: &Path) -> bool {
    path_in(dir).exists()
}

/// Makes a new data key for a new store in `dir`, wrapped with `password`.
pub fn create(dir: &Path, password: &str) -> Result<DataKey, VaultError> {
    if exists(dir) {
        return Err(VaultError::Exists);
    }
    std::fs::create_dir_all(dir)?;
    let key = DataKey::random();
    write(dir, &seal(&key, password)?)?;
    Ok(key)
}

/// The data key of the store in `dir`, if `password` opens it. Works offline.
pub fn unlock(dir: &Path, password: &str) -> Result<DataKey, VaultError> {
    let file = read(dir)?;
    let decode = |what: &str, text: &str| {
        B64.decode(text)
            .map_err(|_| VaultError::Damaged(format!("{what} is not base64")))
    };
    let (salt, nonce, wrapped) = (
        decode("salt", &file.salt)?,
        decode("nonce", &file.nonce)?,
        decode("wrapped", &file.wrapped)?,
    );
    if nonce.len() != 24 {
        return Err(VaultError::Damaged("the nonce is not 24 bytes".into()));
    }
    // A damaged file must not make the app allocate without bound.
    if file.memory_kib > 1024 * 1024 || file.passes > 64 || file.lanes > 16 {
        return Err(VaultError::Damaged(
            "the key derivation's cost is out of range".into(),
        ));
    }
    let kek = derive(password, &salt, file.memory_kib, file.passes, file.lanes)?;
    let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
    let mut plain = cipher
        .decrypt(XNonce::from_slice(&nonce), wrapped.as_slice())
        .map_err(|_| VaultError::WrongPassword)?;
    let Ok(bytes) = <[u8; 32]>::try_from(plain.as_slice()) else {
        plain.zeroize();
        return Err(VaultError::Damaged(
            "the wrapped key is not 32 bytes".into(),
        ));
    };
    plain.zeroize();
    Ok(DataKey(Zeroizing::new(bytes)))
}

/// Wraps the data key again under `new_password` (the store stays as it is), after checking
/// that `old_password` opens it.
pub fn rewrap(dir: &Path, old_password: &str, new_password: &str) -> Result<(), VaultError> {
    let key = unlock(dir, old_password)?;
    write(dir, &seal(&key, new_password)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_opens_the_key_and_nothing_else_does() {
        let dir = tempfile::tempdir().unwrap();
        let made = create(dir.path(), "গোপন-pass").unwrap();
        let opened = unlock(dir.path(), "গোপন-pass").unwrap();
        assert_eq!(made.bytes(), opened.bytes());
        assert!(matches!(
            unlock(dir.path(), "গোপন-pas"),
            Err(VaultError::WrongPassword)
        ));
        assert!(matches!(create(dir.path(), "x"), Err(VaultError::Exists)));
        let text = std::fs::read_to_string(dir.path().join(VAULT_FILE)).unwrap();
        assert!(!text.contains(&hex::encode(made.bytes())));
    }

    #[test]
    fn a_new_password_rewraps_the_same_key() {
        let dir = tempfile::tempdir().unwrap();
        let key = create(dir.path(), "old").unwrap();
        assert!(matches!(
            rewrap(dir.path(), "wrong", "new"),
            Err(VaultError::WrongPassword)
        ));
        rewrap(dir.path(), "old", "new").unwrap();
        assert!(matches!(
            unlock(dir.path(), "old"),
            Err(VaultError::WrongPassword)
        ));
        assert_eq!(unlock(dir.path(), "new").unwrap().bytes(), key.bytes());
    }

    #[test]
    fn a_missing_or_damaged_vault_says_so() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(unlock(dir.path(), "x"), Err(VaultError::Missing)));
        std::fs::write(dir.path().join(VAULT_FILE), b"{\"version\": 9}").unwrap();
        assert!(matches!(
            unlock(dir.path(), "x"),
            Err(VaultError::Damaged(_))
        ));
    }
}
