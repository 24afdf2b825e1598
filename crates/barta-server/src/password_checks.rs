//! Checking passwords with bounded memory: argon2id needs 19 MiB per check, so only a few
//! checks run at once ([`PasswordChecks::turn`]), each in one of a few work areas allocated
//! once and reused. Letting the allocator hand out a fresh 19 MiB per login kept hundreds of
//! MiB after a burst of logins (glibc keeps freed large blocks in its per-thread arenas).

use argon2::password_hash::PasswordHash;
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::sync::{Arc, Mutex};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The largest argon2 memory a stored hash may ask for (64 MiB): a hash with more is refused
/// rather than allowed to take the server's memory.
const MAX_BLOCKS: usize = 64 * 1024;

/// The turns and work areas of password checking.
pub struct PasswordChecks {
    turns: Arc<Semaphore>,
    areas: Arc<Mutex<Vec<Vec<Block>>>>,
}

/// One turn to check a password, with its work area; both return when it drops.
pub struct Turn {
    _permit: OwnedSemaphorePermit,
    area: Vec<Block>,
    areas: Arc<Mutex<Vec<Vec<Block>>>>,
}

impl PasswordChecks {
    /// At most `at_once` checks at a time (at least one).
    pub fn new(at_once: usize) -> Self {
        Self {
            turns: Arc::new(Semaphore::new(at_once.max(1))),
            areas: Arc::default(),
        }
    }

    /// Waits for a turn.
    pub async fn turn(&self) -> Turn {
        let permit = Arc::clone(&self.turns)
            .acquire_owned()
            .await
            .unwrap_or_else(|_| unreachable!("the semaphore is never closed"));
        let area = self
            .areas
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop()
            .unwrap_or_default();
        Turn {
            _permit: permit,
            area,
            areas: Arc::clone(&self.areas),
        }
    }
}

impl Turn {
    /// A turn outside any server (the command line, tests): its own work area, no waiting.
    pub fn standalone() -> Self {
        let turns = Arc::new(Semaphore::new(1));
        let permit = turns
            .try_acquire_owned()
            .unwrap_or_else(|_| unreachable!("a fresh semaphore has a permit"));
        Self {
            _permit: permit,
            area: Vec::new(),
            areas: Arc::default(),
        }
    }

    /// Whether `password` matches the PHC string `phc` (false for an unreadable hash or one
    /// asking for more than 64 MiB). The comparison takes the same time wherever the hashes
    /// differ.
    pub fn verify(&mut self, password: &str, phc: &str) -> bool {
        let Ok(hash) = PasswordHash::new(phc) else {
            return false;
        };
        let (Ok(algorithm), Ok(params)) =
            (Algorithm::try_from(hash.algorithm), Params::try_from(&hash))
        else {
            return false;
        };
        let version = match hash.version.map(Version::try_from) {
            None => Version::V0x13,
            Some(Ok(version)) => version,
            Some(Err(_)) => return false,
        };
        let (Some(salt), Some(expected)) = (hash.salt, hash.hash) else {
            return false;
        };
        let mut salt_bytes = [0u8; 64];
        let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
            return false;
        };
        if params.block_count() > MAX_BLOCKS {
            return false;
        }
        self.area.resize(params.block_count(), Block::default());
        let expected = expected.as_bytes();
        let mut computed = vec![0u8; expected.len()];
        let hashed = Argon2::new(algorithm, version, params).hash_password_into_with_memory(
            password.as_bytes(),
            salt,
            &mut computed,
            &mut self.area[..],
        );
        hashed.is_ok()
            && computed.len() == expected.len()
            && computed
                .iter()
                .zip(expected)
                .fold(0u8, |differ, (a, b)| differ | (a ^ b))
                == 0
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        let area = std::mem::take(&mut self.area);
        if !area.is_empty() {
            self.areas
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(area);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_turn_verifies_what_the_standard_verifier_does() {
        let phc = crate::auth::hash_password("গোপন কথা").unwrap();
        let mut turn = Turn::standalone();
        assert!(turn.verify("গোপন কথা", &phc));
        assert!(!turn.verify("গোপন", &phc));
        assert!(!turn.verify("x", "not a hash"));
        // The same area, used again.
        assert!(turn.verify("গোপন কথা", &phc));
    }

    #[test]
    fn a_hash_asking_for_too_much_memory_is_refused() {
        let salt = argon2::password_hash::SaltString::encode_b64(&[7u8; 16]).unwrap();
        let params = Params::new(128 * 1024, 1, 1, None).unwrap();
        let greedy = argon2::PasswordHasher::hash_password(
            &Argon2::new(Algorithm::Argon2id, Version::V0x13, params),
            b"x",
            &salt,
        )
        .unwrap()
        .to_string();
        assert!(!Turn::standalone().verify("x", &greedy));
    }

    #[tokio::test]
    async fn work_areas_are_reused_not_reallocated() {
        let checks = PasswordChecks::new(2);
        let phc = crate::auth::hash_password("a").unwrap();
        for _ in 0..3 {
            let mut turn = checks.turn().await;
            assert!(turn.verify("a", &phc));
        }
        assert_eq!(checks.areas.lock().unwrap().len(), 1);
    }
}
