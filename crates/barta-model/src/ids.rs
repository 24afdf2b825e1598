//! Identifier newtypes. Articles and revisions get UUIDv7 ids made on the device, so an
//! offline client can name things before the server has seen them.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use ts_rs::TS;
use uuid::Uuid;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
        #[ts(type = "string")]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new time-ordered (v7) id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

uuid_id!(
    /// The id of an article, stable for its whole life.
    ArticleId
);
uuid_id!(
    /// The id of one immutable revision; also the idempotency key of its push.
    RevisionId
);
uuid_id!(
    /// The id of a user account on the server.
    UserId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_canonical_text() {
        let id = ArticleId::new();
        let text = id.to_string();
        assert_eq!(text.len(), 36);
        assert_eq!(text.parse::<ArticleId>().unwrap(), id);
        assert!("not-a-uuid".parse::<ArticleId>().is_err());
    }

    #[test]
    fn new_ids_are_time_ordered() {
        let a = RevisionId::new();
        let b = RevisionId::new();
        assert!(a < b, "v7 ids sort by creation time");
    }
}
