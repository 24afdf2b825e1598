//! Targets' secrets at rest: sealed (XChaCha20-Poly1305) with a random key kept in its own file
//! beside the database (`secrets.key`, mode 0600), so a copy of the database, a backup of it or
//! `barta target list` never shows an application password or a webhook secret. Who can read
//! the key file can read the secrets: the server's own user, as for the database itself.

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The key file's name inside the data directory.
pub const KEY_FILE: &str = "secrets.key";

const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 24;

/// Why a secret could not be sealed or opened.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("cannot use the secrets key file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the secrets key file {0} is damaged (it must hold exactly 32 bytes)")]
    BadKey(PathBuf),
    #[error(
        "a stored secret cannot be opened with this data directory's key file: was the key \
         file replaced? Add the target again with `barta target add`"
    )]
    Unsealable,
}

/// The key that seals targets' secrets.
pub struct SecretKey {
    cipher: XChaCha20Poly1305,
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

impl SecretKey {
    /// The key of a data directory, made (random, mode 0600) the first time it is needed.
    pub fn for_data_dir(data_dir: &Path) -> Result<Self, SecretError> {
        Self::open_or_create(&data_dir.join(KEY_FILE))
    }

    /// The key in `path`, made there when missing.
    pub fn open_or_create(path: &Path) -> Result<Self, SecretError> {
        let io = |source| SecretError::Io {
            path: path.to_path_buf(),
            source,
        };
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut key = [0u8; KEY_LEN];
                rand::rng().fill_bytes(&mut key);
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                match options.open(path) {
                    Ok(mut file) => {
                        file.write_all(&key).map_err(io)?;
                        file.sync_all().map_err(io)?;
                        key.to_vec()
                    }
                    // Another process made it first: use theirs.
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        std::fs::read(path).map_err(io)?
                    }
                    Err(e) => return Err(io(e)),
                }
            }
            Err(e) => return Err(io(e)),
        };
        let key: [u8; KEY_LEN] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| SecretError::BadKey(path.to_path_buf()))?;
        Ok(Self {
            cipher: XChaCha20Poly1305::new(&key.into()),
        })
    }

    /// `secret` sealed: a random nonce followed by the ciphertext and its tag.
    pub fn seal(&self, secret: &str) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let mut out = nonce.to_vec();
        // Encryption into a Vec cannot fail for inputs under 256 GiB.
        if let Ok(sealed) = self
            .cipher
            .encrypt(XNonce::from_slice(&nonce), secret.as_bytes())
        {
            out.extend(sealed);
        }
        out
    }

    /// The secret `sealed` holds.
    pub fn open(&self, sealed: &[u8]) -> Result<String, SecretError> {
        if sealed.len() <= NONCE_LEN {
            return Err(SecretError::Unsealable);
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
        let plain = self
            .cipher
            .decrypt(XNonce::from_slice(nonce), ciphertext)
            .map_err(|_| SecretError::Unsealable)?;
        String::from_utf8(plain).map_err(|_| SecretError::Unsealable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_with_its_key_only_and_is_not_in_the_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let key = SecretKey::for_data_dir(dir.path()).unwrap();
        let sealed = key.seal("abcd efgh ijkl mnop");
        assert!(
            !sealed
                .windows(4)
                .any(|w| w == b"abcd" || w == b"efgh" || w == b"mnop")
        );
        assert_eq!(key.open(&sealed).unwrap(), "abcd efgh ijkl mnop");
        // The same directory gives the same key; another directory another.
        let again = SecretKey::for_data_dir(dir.path()).unwrap();
        assert_eq!(again.open(&sealed).unwrap(), "abcd efgh ijkl mnop");
        let other_dir = tempfile::tempdir().unwrap();
        let other = SecretKey::for_data_dir(other_dir.path()).unwrap();
        assert!(matches!(other.open(&sealed), Err(SecretError::Unsealable)));
        assert!(matches!(key.open(b"short"), Err(SecretError::Unsealable)));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_damaged_key_file_is_refused_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(KEY_FILE), b"too short").unwrap();
        let err = SecretKey::for_data_dir(dir.path()).unwrap_err();
        assert!(matches!(err, SecretError::BadKey(_)), "{err}");
        assert!(err.to_string().contains(KEY_FILE));
    }
}
