//! The server's storage boundary: the [`Store`] trait, the records it speaks in, and its typed
//! errors. The write rules are written once in [`rules`], over the small transaction
//! interface [`rules::Tx`]; the SQLite implementation ([`sqlite`]) implements that interface
//! and the trait. A second backend implements the same two, without touching the rules or
//! the handlers.
//!
//! # Why the trait is synchronous
//!
//! Every method is one whole unit of work (one transaction): it loads what it needs, applies
//! the pure rules of [`crate::policy`] and `barta_model::workflow`, and writes — straight-line
//! code with no `.await` inside a transaction. The HTTP layer runs each call on tokio's blocking
//! pool (see `AppState::call`), so:
//!
//! - a client that disconnects mid-request cannot cancel a half-done transaction: the blocking
//!   call runs to its commit or rollback, and the retry is answered as a replay (sync.md,
//!   failures 1 and 4);
//! - rusqlite (a blocking library) never stalls the async runtime;
//! - a PostgreSQL implementation can use the blocking `postgres` client with a pool the same
//!   way, keeping one transaction per method.
//!
//! Authorization that must be atomic with the write (ownership, desk, workflow state, the
//! head) is checked inside these methods with the pure functions of [`crate::policy`], so every
//! implementation enforces the same rules. Denials are written to the audit log by the store.

pub mod archive;
pub mod audit;
pub mod migrate;
pub mod migrations;
pub mod postgres;
pub mod rules;
pub mod sqlite;

use crate::publishing::{AttemptOutcome, DueDelivery, RemoteMedia, RemotePost, TargetRecord};
use barta_model::api::{
    ApproveRequest, ApproveResponse, ArticleResponse, ChangesPage, CommentPut, CommentRecord,
    CorrectRequest, DeliveryInfo, DeskInfo, LexiconResponse, PublishResponse, PushAccepted,
    PushConflict, RevisionRecord, TransitionRequest, TransitionResponse, UserInfo,
};
use barta_model::{ArticleId, RevisionId, RevisionPush, Role, UserId};

pub use audit::{AuditCheck, AuditEntry, AuditFilter, NewAuditEntry};
pub use sqlite::SqliteStore;

/// A time as every backend stores it: RFC 3339, UTC, milliseconds (sorts as text).
pub fn timestamp(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Why a store call failed. Each variant maps to one HTTP status and error code in
/// `crate::error`.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The thing asked for does not exist (or is not visible yet).
    #[error("{0} not found")]
    NotFound(String),
    /// The caller may not do this (role, desk, ownership). Already audited.
    #[error("{0}")]
    Forbidden(String),
    /// The state or the head does not allow this now.
    #[error("{0}")]
    Conflict(String),
    /// Well-formed but invalid content (unknown desk, unknown parent, …).
    #[error("{0}")]
    Invalid(String),
    /// A content hash does not match.
    #[error("{0}")]
    HashMismatch(String),
    /// The same revision id was pushed before with other content.
    #[error("revision {0} was already pushed with different content")]
    IdempotencyMismatch(RevisionId),
    /// The revision holds conflict blocks that a person must resolve first.
    #[error("revision {0} holds unresolved conflict blocks")]
    UnresolvedConflict(RevisionId),
    /// A user or desk with that name exists already.
    #[error("{0} already exists")]
    AlreadyExists(String),
    /// The user's uploads would go over their quota.
    #[error("{0}")]
    QuotaExceeded(String),
    /// The database was written by a newer barta.
    #[error(
        "the database has schema version {found}, but this barta knows only versions up to \
         {supported}: upgrade barta before opening it"
    )]
    SchemaTooNew { found: i64, supported: i64 },
    /// The database itself failed.
    #[error("database error: {0}")]
    Database(String),
    /// The database cannot be reached now, or every connection is busy: the request may be
    /// tried again shortly (503 with `Retry-After`). Nothing was written.
    #[error("the database is unavailable now: {0}")]
    Unavailable(String),
    /// The transaction lost a race with another one (several servers on one database) and
    /// was rolled back; the backend runs it again, and answers 503 if it keeps losing.
    #[error("the database was busy with the same rows: {0}")]
    Raced(String),
    /// Stored JSON could not be read back (a bug or a corrupted row).
    #[error("stored data is unreadable: {0}")]
    Corrupt(#[from] serde_json::Error),
    /// Opening the data directory failed.
    #[error("cannot use the data directory: {0}")]
    Io(#[from] std::io::Error),
}

/// SQLite's errors, as every backend's: a message, no backend type. A busy database (a lock
/// held past the busy timeout) may be tried again.
impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                Self::Unavailable(e.to_string())
            }
            _ => Self::Database(e.to_string()),
        }
    }
}

impl StoreError {
    /// A failure of the store itself (a 5xx), not a refusal of the request.
    pub fn is_failure(&self) -> bool {
        matches!(
            self,
            Self::SchemaTooNew { .. }
                | Self::Database(_)
                | Self::Unavailable(_)
                | Self::Raced(_)
                | Self::Corrupt(_)
                | Self::Io(_)
        )
    }
}

/// A user to create (the password already hashed).
#[derive(Clone, Debug)]
pub struct NewUser {
    pub username: String,
    pub role: Role,
    pub desks: Vec<String>,
    /// An argon2id PHC string.
    pub password_hash: String,
}

/// A user's login record.
#[derive(Clone, Debug)]
pub struct Credentials {
    pub user: UserInfo,
    /// The argon2id PHC string.
    pub password_hash: String,
    /// Disabled by an administrator: the password alone does not log in.
    pub disabled: bool,
}

/// A user account as an administrator sees it (`barta user list`); readable only through the
/// administration commands, which need the server's data directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub username: String,
    pub role: Role,
    pub desks: Vec<String>,
    pub disabled: bool,
    /// How many sessions are live now (unexpired, unrevoked).
    pub live_sessions: u32,
    pub created_at: String,
}

/// A live session (`barta session list`): never the token, only the first 12 hex digits of
/// its SHA-256 (to tell sessions apart), its user and its times.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionEntry {
    pub id: String,
    pub username: String,
    pub created_at: String,
    /// Unix seconds.
    pub expires_at: i64,
}

/// Whose sessions [`Store::revoke_sessions`] ends.
#[derive(Clone, Copy, Debug)]
pub enum SessionScope<'a> {
    /// One user's, by username.
    User(&'a str),
    /// Everyone's.
    All,
}

/// A validated revision push, ready to store.
#[derive(Clone, Debug)]
pub struct NewRevision {
    pub article_id: ArticleId,
    pub push: RevisionPush,
    /// `meta` exactly as received (JSON text).
    pub meta_json: String,
    /// `body` exactly as received (JSON text).
    pub body_json: String,
}

impl NewRevision {
    /// A parsed push with its verbatim JSON.
    pub fn new(
        article_id: ArticleId,
        push: RevisionPush,
        meta_json: String,
        body_json: String,
    ) -> Self {
        Self {
            article_id,
            push,
            meta_json,
            body_json,
        }
    }
}

/// The answer to a push; stored with the revision so a replay gets the same answer.
#[derive(Clone, Debug, PartialEq)]
pub enum PushOutcome {
    /// 201: the parent was the head; the revision is the new head.
    Accepted(PushAccepted),
    /// 409: the head had moved; the revision is kept as a sibling.
    Conflict(Box<PushConflict>),
}

/// `publish` request after parsing: when to publish (`None` = now).
#[derive(Clone, Debug)]
pub struct PublishOrder {
    pub approval_id: String,
    pub at: Option<chrono::DateTime<chrono::Utc>>,
}

/// An immutable publication snapshot.
#[derive(Clone, Debug, PartialEq)]
pub struct Publication {
    pub id: String,
    /// The feed cursor.
    pub seq: i64,
    pub article_id: ArticleId,
    pub revision_id: RevisionId,
    pub approval_id: String,
    pub sha256: String,
    pub meta: barta_model::ArticleMeta,
    pub body: barta_model::Document,
    /// When it goes (or went) public, RFC 3339 UTC.
    pub published_at: String,
    /// When the article was first stored, RFC 3339 UTC.
    pub article_created_at: String,
    /// The article's author (username).
    pub author: String,
    /// The correction note, when this publication corrects an earlier one.
    pub correction: Option<String>,
}

/// A media upload to start: what the client declares.
#[derive(Clone, Debug)]
pub struct NewMedia {
    /// Lowercase hex SHA-256 of the whole file.
    pub sha256: String,
    pub length: u64,
    pub content_type: String,
    /// The most bytes the uploader may hold on the server, this upload included.
    pub quota_bytes: u64,
}

/// Who a photo is served to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Anyone: a live publication shows it.
    Public,
    /// Only the asking user: their own upload, or a photo of an article they may read.
    Reader,
}

/// A photo the asker may see, to be streamed chunk by chunk ([`Store::media_chunk`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaFile {
    /// The upload holding its bytes.
    pub upload_id: String,
    pub content_type: String,
    pub length: u64,
    pub audience: Audience,
}

/// Where an upload stands (`HEAD /v1/media/{id}`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaStatus {
    pub id: String,
    pub sha256: String,
    pub length: u64,
    /// Bytes received so far: where the next chunk starts.
    pub offset: u64,
    pub complete: bool,
}

/// A release of the desktop app: one signed package for one platform (`barta release add`;
/// see `crate::releases`). The file itself is kept beside the database, not in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReleaseRecord {
    /// Semver text, as `semver::Version` writes it.
    pub version: String,
    /// tauri-plugin-updater's `{{target}}`: `linux`, `windows` or `darwin`.
    pub target: String,
    /// tauri-plugin-updater's `{{arch}}`: `x86_64`, `aarch64`, `i686`, `armv7`, `riscv64`.
    pub arch: String,
    /// tauri-plugin-updater's `{{bundle_type}}`: `deb`, `rpm`, `appimage`, `msi`, `nsis`, `app`.
    pub bundle: String,
    /// The package's file name (sanitized: ASCII letters, digits, `.`, `_`, `-`, `+`).
    pub file_name: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its SHA-256, lowercase hex.
    pub sha256: String,
    /// The `.sig` file's text (base64 of a minisign signature), served to the apps as it is.
    pub signature: String,
    /// The release notes, normalized (`bangla::normalize`) before they reach the store.
    pub notes: String,
    /// When it was added, RFC 3339 UTC (tauri-plugin-updater's `pub_date`).
    pub pub_date: String,
}

/// Which releases a call is about; `None` matches any.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReleaseFilter {
    pub version: Option<String>,
    pub target: Option<String>,
    pub arch: Option<String>,
    pub bundle: Option<String>,
}

/// The backend's storage. See the module docs for why it is synchronous.
pub trait Store: Send + Sync + 'static {
    /// Checks that the database answers.
    fn health(&self) -> Result<(), StoreError>;

    /// Creates a desk.
    fn add_desk(&self, slug: &str, name: &str) -> Result<(), StoreError>;
    /// Whether a desk exists.
    fn desk_exists(&self, slug: &str) -> Result<bool, StoreError>;
    /// The desks `user` belongs to, with their names, by slug.
    fn desks_of(&self, user: UserId) -> Result<Vec<DeskInfo>, StoreError>;
    /// Creates a user; the desks must exist.
    fn add_user(&self, user: NewUser) -> Result<UserInfo, StoreError>;
    /// The login record of a user, by username.
    fn credentials(&self, username: &str) -> Result<Option<Credentials>, StoreError>;

    /// Stores a session token (only its SHA-256) valid until `expires_at` (unix seconds).
    fn create_token(
        &self,
        user: UserId,
        token_sha256: &[u8; 32],
        expires_at: i64,
    ) -> Result<(), StoreError>;
    /// The user a live token belongs to (unrevoked, not past its maximum age, and used since
    /// `idle_cutoff`: unix seconds), with when it was last used.
    fn token_user(
        &self,
        token_sha256: &[u8; 32],
        now: i64,
        idle_cutoff: i64,
    ) -> Result<Option<(UserInfo, i64)>, StoreError>;
    /// Notes that a token was used at `now` (its idle time starts again).
    fn touch_token(&self, token_sha256: &[u8; 32], now: i64) -> Result<(), StoreError>;
    /// Revokes a token; revoking an unknown token is not an error.
    fn revoke_token(&self, token_sha256: &[u8; 32]) -> Result<(), StoreError>;
    /// Every account, by username.
    fn accounts(&self, now: i64) -> Result<Vec<Account>, StoreError>;
    /// Disables (revoking every session of the user) or enables an account;
    /// [`StoreError::NotFound`] for an unknown username.
    fn set_disabled(&self, username: &str, disabled: bool) -> Result<(), StoreError>;
    /// Changes a user's role and/or replaces their desks (which must exist);
    /// [`StoreError::NotFound`] for an unknown username.
    fn set_role_and_desks(
        &self,
        username: &str,
        role: Option<Role>,
        desks: Option<&[String]>,
    ) -> Result<UserInfo, StoreError>;
    /// Replaces a user's password hash and revokes every session of the user.
    fn set_password_hash(&self, username: &str, password_hash: &str) -> Result<(), StoreError>;
    /// The live sessions, of one user (by username) or all, oldest first.
    fn sessions(&self, username: Option<&str>, now: i64) -> Result<Vec<SessionEntry>, StoreError>;
    /// Revokes the live sessions of a scope; returns how many.
    fn revoke_sessions(&self, scope: SessionScope<'_>) -> Result<usize, StoreError>;

    /// Stores a revision (sync.md's push semantics, replays included).
    fn push_revision(&self, actor: &UserInfo, rev: NewRevision) -> Result<PushOutcome, StoreError>;
    /// Stores several revisions in order, each answered as [`Store::push_revision`] would,
    /// committed together where the store can. After an item of an article that is not
    /// accepted (a conflict or a refusal), that article's later items are not tried (`None`).
    /// A failure of the store itself fails the whole batch and stores none of it.
    fn push_revisions(
        &self,
        actor: &UserInfo,
        revs: Vec<NewRevision>,
    ) -> Result<Vec<Option<Result<PushOutcome, StoreError>>>, StoreError>;
    /// An article with its head revision.
    fn article(&self, actor: &UserInfo, id: ArticleId) -> Result<ArticleResponse, StoreError>;
    /// One revision.
    fn revision(&self, actor: &UserInfo, id: RevisionId) -> Result<RevisionRecord, StoreError>;
    /// An article's revisions, newest first.
    fn history(&self, actor: &UserInfo, id: ArticleId) -> Result<Vec<RevisionRecord>, StoreError>;
    /// The changes the actor may see after `since`, at most `limit`.
    fn changes(&self, actor: &UserInfo, since: i64, limit: u32) -> Result<ChangesPage, StoreError>;
    /// One page of the window a new laptop holds in full (`GET /v1/window`): among the
    /// articles the actor may read, after `after` by id, those not yet published or killed,
    /// the actor's own, and those changed at or after `touched_since`; each as its latest
    /// feed entry carrying its head revision. With the feed's last sequence number, read in
    /// the same snapshot.
    fn window(
        &self,
        actor: &UserInfo,
        touched_since: &str,
        after: Option<ArticleId>,
        limit: u32,
    ) -> Result<(i64, Vec<barta_model::api::Change>), StoreError>;

    /// The archive searched on the server: the articles the actor may read whose search
    /// keys hold every term (in one of its forms), best first, at most `limit`; a query ranks
    /// the newest [`archive::RANK_WINDOW`] of its matches.
    fn search_archive(
        &self,
        actor: &UserInfo,
        terms: &[bangla::search::Term],
        limit: u32,
    ) -> Result<Vec<archive::ArchiveMatch>, StoreError>;

    /// Indexes for the archive search up to `limit` of the articles whose head the index does
    /// not hold yet (`archive_stale`: pushed since, stored before the index existed, copied in
    /// by `barta migrate`); how many. 0: the index is up to date.
    fn index_archive_backlog(&self, limit: u32) -> Result<usize, StoreError>;

    /// A workflow transition.
    fn transition(
        &self,
        actor: &UserInfo,
        article: ArticleId,
        req: TransitionRequest,
    ) -> Result<TransitionResponse, StoreError>;
    /// Approves an exact revision (`if_match` is the head the editor saw).
    fn approve(
        &self,
        actor: &UserInfo,
        article: ArticleId,
        if_match: RevisionId,
        req: ApproveRequest,
    ) -> Result<ApproveResponse, StoreError>;
    /// Publishes (or schedules) an approved revision as an immutable snapshot.
    fn publish(
        &self,
        actor: &UserInfo,
        article: ArticleId,
        order: PublishOrder,
    ) -> Result<PublishResponse, StoreError>;

    /// Publications public at `now` after cursor `since`, oldest first.
    fn published(&self, since: i64, limit: u32, now: &str) -> Result<Vec<Publication>, StoreError>;
    /// One publication, if public at `now`.
    fn publication(&self, id: &str, now: &str) -> Result<Publication, StoreError>;

    /// The audit entries `filter` selects, oldest first (administrators only: `barta audit`).
    fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError>;
    /// Appends an entry to the audit trail, chained to the last one.
    fn record_audit(&self, entry: &NewAuditEntry) -> Result<(), StoreError>;
    /// Checks every link of the audit trail.
    fn check_audit(&self) -> Result<AuditCheck, StoreError>;

    /// Approves this exact version of a published article and publishes it in place of the
    /// published one, with a correction note (one transaction; a retry gets the same answer).
    fn correct(
        &self,
        actor: &UserInfo,
        id: ArticleId,
        if_match: RevisionId,
        req: CorrectRequest,
    ) -> Result<PublishResponse, StoreError>;

    /// Starts an upload, or finds the caller's upload of the same file (idempotent).
    fn create_media(&self, actor: &UserInfo, media: NewMedia) -> Result<MediaStatus, StoreError>;
    /// Where the caller's upload stands.
    fn media_status(&self, actor: &UserInfo, id: &str) -> Result<MediaStatus, StoreError>;
    /// Appends a chunk at `offset` (which must be the upload's offset); the last chunk checks
    /// the SHA-256 (a mismatch empties the upload and is refused).
    fn append_media(
        &self,
        actor: &UserInfo,
        id: &str,
        offset: u64,
        chunk: &[u8],
    ) -> Result<MediaStatus, StoreError>;
    /// The bytes and content type of a completely uploaded file, by its SHA-256, whoever
    /// asks: for the delivery worker only, never for a route.
    fn media_bytes(&self, sha256: &str) -> Result<(String, Vec<u8>), StoreError>;
    /// A completely uploaded photo as `viewer` may see it (`None`: anonymous) at `now`: to
    /// anyone while a live publication shows it; to a user who uploaded it or may read an
    /// article that shows it. Not found otherwise (its existence is not told).
    fn media_file(
        &self,
        viewer: Option<&UserInfo>,
        sha256: &str,
        now: &str,
    ) -> Result<MediaFile, StoreError>;
    /// The stored chunk of an upload starting at or after `offset` (its offset and bytes), or
    /// `None` past the end.
    fn media_chunk(
        &self,
        upload_id: &str,
        offset: u64,
    ) -> Result<Option<(u64, Vec<u8>)>, StoreError>;

    /// Stores a comment (or a reply) by its client-made id, or resolves it: idempotent. Anyone
    /// who may read the article may comment on it.
    fn put_comment(
        &self,
        actor: &UserInfo,
        article: ArticleId,
        comment_id: &str,
        put: CommentPut,
    ) -> Result<CommentRecord, StoreError>;
    /// An article's comments, oldest first.
    fn comments(
        &self,
        actor: &UserInfo,
        article: ArticleId,
    ) -> Result<Vec<CommentRecord>, StoreError>;

    // Publishing to the newsroom's website (`crate::publishing`). Targets are read and written
    // by the admin CLI and the delivery worker only; they are never served over HTTP.

    /// Adds a publish target (its secret already sealed); its desks must exist.
    fn add_target(&self, target: TargetRecord) -> Result<(), StoreError>;
    /// Every publish target, by name.
    fn targets(&self) -> Result<Vec<TargetRecord>, StoreError>;
    /// Removes a target; its pending deliveries fail.
    fn remove_target(&self, name: &str) -> Result<(), StoreError>;
    /// Deliveries due at `now` (RFC 3339 UTC), oldest first, one per (target, article).
    fn due_deliveries(&self, now: &str, limit: u32) -> Result<Vec<DueDelivery>, StoreError>;
    /// When the earliest pending delivery comes due.
    fn next_delivery_due(&self) -> Result<Option<String>, StoreError>;
    /// Records how a delivery attempt ended.
    fn finish_delivery_attempt(&self, id: &str, outcome: AttemptOutcome) -> Result<(), StoreError>;
    /// What a target holds of an article (its post), if Barta recorded it.
    fn remote_post(
        &self,
        target: &str,
        article: ArticleId,
    ) -> Result<Option<RemotePost>, StoreError>;
    /// Records what a target holds of an article.
    fn save_remote_post(
        &self,
        target: &str,
        article: ArticleId,
        post: RemotePost,
    ) -> Result<(), StoreError>;
    /// A photo a target holds, by the photo's SHA-256.
    fn remote_media(&self, target: &str, sha256: &str) -> Result<Option<RemoteMedia>, StoreError>;
    /// Records a photo a target holds.
    fn save_remote_media(
        &self,
        target: &str,
        sha256: &str,
        media: RemoteMedia,
    ) -> Result<(), StoreError>;
    /// One publication whatever its time (for the worker: a scheduled one is sent early to
    /// WordPress as a `future` post).
    fn publication_snapshot(&self, id: &str) -> Result<Publication, StoreError>;
    /// An article's deliveries, for anyone who may read the article.
    fn deliveries(
        &self,
        actor: &UserInfo,
        article: ArticleId,
    ) -> Result<Vec<DeliveryInfo>, StoreError>;
    /// Sends an article's failed delivery to `target` again (editors and admins of its desk).
    fn retry_delivery(
        &self,
        actor: &UserInfo,
        article: ArticleId,
        target: &str,
    ) -> Result<Vec<DeliveryInfo>, StoreError>;
    /// Records that `user` has `article` open now (a heartbeat) and answers who else has it
    /// open, longest first; an entry fades [`crate::presence::PRESENCE_TTL`] after its last
    /// heartbeat. SQLite keeps it in this process (one server per SQLite newsroom); PostgreSQL
    /// in a table every instance sees.
    fn beat_presence(
        &self,
        article: ArticleId,
        user: &UserInfo,
    ) -> Result<Vec<barta_model::api::PresenceEntry>, StoreError>;
    /// `user` closed `article`.
    fn leave_presence(&self, article: ArticleId, user: &UserInfo) -> Result<(), StoreError>;

    /// Lets a login attempt for `account` from `address` through, counting it as a failed
    /// guess at once, unless the account or the address has had `limits`' failures within
    /// its window: then `Ok(Err(wait))` ([`crate::throttle`]). SQLite counts in this process
    /// (one server per SQLite newsroom); PostgreSQL in a table every instance shares. Read
    /// and written by the login route only; no user may read the counts.
    fn begin_login(
        &self,
        limits: &crate::throttle::ThrottleLimits,
        account: &str,
        address: Option<std::net::IpAddr>,
    ) -> Result<Result<(), std::time::Duration>, StoreError>;
    /// Settles an attempt [`Self::begin_login`] let through that was not a wrong password.
    fn settle_login(
        &self,
        account: &str,
        address: Option<std::net::IpAddr>,
        how: crate::throttle::LoginSettled,
    ) -> Result<(), StoreError>;

    /// The newsroom's lexicon for the spelling checkers: the words two published articles
    /// used, and the words editors added, sorted, with how often they were used; and whether
    /// style suggestions are on. Anyone logged in may read it.
    fn lexicon(&self, actor: &UserInfo) -> Result<LexiconResponse, StoreError>;
    /// A newsroom setting (`barta newsroom set`), if set.
    fn newsroom_setting(&self, key: &str) -> Result<Option<String>, StoreError>;
    /// Sets a newsroom setting (the server's admin, through the CLI).
    fn set_newsroom_setting(&self, key: &str, value: &str) -> Result<(), StoreError>;
    /// Adds a word to the newsroom's lexicon (editors and admins); adding it again is a no-op.
    fn add_lexicon_word(&self, actor: &UserInfo, word: &str) -> Result<(), StoreError>;

    // Releases of the desktop app (`crate::releases`): written by the admin CLI only, read by
    // the public update routes. The files live beside the store (`ReleaseFiles`).

    /// Records a release. [`StoreError::AlreadyExists`] when its (version, target, arch,
    /// bundle) is recorded, or its version has a file of that name already.
    fn add_release(&self, release: ReleaseRecord) -> Result<(), StoreError>;
    /// The releases that match `filter`, ordered by version text, target, arch and bundle
    /// (callers that need semver order sort them: `crate::releases::newest_first`).
    fn releases(&self, filter: &ReleaseFilter) -> Result<Vec<ReleaseRecord>, StoreError>;
    /// The release whose package is `file_name` of `version`.
    fn release_file(&self, version: &str, file_name: &str) -> Result<ReleaseRecord, StoreError>;
    /// Forgets the releases that match `filter` (in one transaction) and returns them, so the
    /// caller can delete their files.
    fn remove_releases(&self, filter: &ReleaseFilter) -> Result<Vec<ReleaseRecord>, StoreError>;
}
