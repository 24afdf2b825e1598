//! Stable machine error codes shared by the HTTP API (`{error: {code, message}}`) and the
//! app's IPC (`{code, message}`). Clients switch on the code; the message is for people.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A stable error code. Never rename one: clients and scripts switch on them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request could not be parsed (malformed JSON, wrong field types).
    BadRequest,
    /// Well-formed but invalid content (document schema, missing headline, bad desk).
    Invalid,
    /// The content hash does not match the content.
    HashMismatch,
    /// The same revision id came again with different content.
    IdempotencyMismatch,
    /// Wrong credentials or a missing/expired token.
    Unauthorized,
    /// Authenticated but not allowed (role, desk, ownership).
    Forbidden,
    NotFound,
    /// The head moved, or the state does not allow the action.
    Conflict,
    /// The revision holds conflict blocks a person must resolve first.
    UnresolvedConflict,
    PayloadTooLarge,
    UnsupportedMediaType,
    /// The server could not be reached or answered with something that is not our API.
    Network,
    /// Local storage failed.
    Storage,
    /// The user is not logged in (client side).
    NotLoggedIn,
    /// A bug: never expected.
    Internal,
    /// One item of a batch that was not tried, because an earlier item of the same article
    /// in the batch was not accepted (status 424 inside the batch answer).
    NotTried,
    /// The app is older than the oldest version the server accepts (426): update it.
    ClientTooOld,
    /// The address typed at setup answers, but not as a Barta server (client side).
    NotBartaServer,
    /// The address typed at setup does not answer at all (client side).
    ServerUnreachable,
    /// The server's TLS certificate is not trusted or not valid for the address (client side).
    CertificateProblem,
    /// No server address is set yet: the first-run setup asks for it (client side).
    ServerNotSet,
    /// An update's package or signature does not check out: nothing was installed (client side).
    UpdateInvalid,
    /// An update could not be downloaded or installed; this version keeps running (client side).
    UpdateFailed,
    /// Too many failed logins for the account or from the address: wait (429, `Retry-After`).
    TooManyRequests,
    /// The password was right but an administrator disabled the account (403).
    AccountDisabled,
    /// A plain `http://` address to anything but this computer: passwords and drafts would
    /// cross the network readable (client side).
    InsecureAddress,
    /// The user's photos on the server would go over their upload quota (413).
    QuotaExceeded,
    /// The app's local store holds another user's work: a second user may not log in on it,
    /// so that one user's drafts are never sent under another's name (client side).
    OtherUsersStore,
    /// The app's store is locked (idle, or asked): the user's password unlocks it (client side).
    Locked,
    /// The password typed does not open this computer's store (client side, offline).
    WrongPassword,
    /// The server accepted a new password, but this computer's store was made with an earlier
    /// one: the previous password opens it once, then it is wrapped under the new (client side).
    PreviousPasswordNeeded,
    /// The server's database cannot be reached now, or all its connections are busy (503,
    /// `Retry-After`): the text is kept and sent again shortly.
    Unavailable,
}

impl ErrorCode {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BadRequest => "bad_request",
            Self::Invalid => "invalid",
            Self::HashMismatch => "hash_mismatch",
            Self::IdempotencyMismatch => "idempotency_mismatch",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::Conflict => "conflict",
            Self::UnresolvedConflict => "unresolved_conflict",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::Network => "network",
            Self::Storage => "storage",
            Self::NotLoggedIn => "not_logged_in",
            Self::Internal => "internal",
            Self::NotTried => "not_tried",
            Self::ClientTooOld => "client_too_old",
            Self::NotBartaServer => "not_barta_server",
            Self::ServerUnreachable => "server_unreachable",
            Self::CertificateProblem => "certificate_problem",
            Self::ServerNotSet => "server_not_set",
            Self::UpdateInvalid => "update_invalid",
            Self::UpdateFailed => "update_failed",
            Self::TooManyRequests => "too_many_requests",
            Self::AccountDisabled => "account_disabled",
            Self::InsecureAddress => "insecure_address",
            Self::QuotaExceeded => "quota_exceeded",
            Self::OtherUsersStore => "other_users_store",
            Self::Locked => "locked",
            Self::WrongPassword => "wrong_password",
            Self::PreviousPasswordNeeded => "previous_password_needed",
            Self::Unavailable => "unavailable",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_match_serde() {
        for code in [
            ErrorCode::BadRequest,
            ErrorCode::IdempotencyMismatch,
            ErrorCode::NotLoggedIn,
            ErrorCode::NotTried,
            ErrorCode::ClientTooOld,
            ErrorCode::CertificateProblem,
            ErrorCode::TooManyRequests,
            ErrorCode::AccountDisabled,
            ErrorCode::InsecureAddress,
            ErrorCode::QuotaExceeded,
            ErrorCode::OtherUsersStore,
            ErrorCode::Locked,
            ErrorCode::WrongPassword,
            ErrorCode::PreviousPasswordNeeded,
        ] {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
    }
}
