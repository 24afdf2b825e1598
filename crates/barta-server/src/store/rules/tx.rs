//! The transaction interface the rules are written over: what one backend's transaction can
//! load and write for them, and nothing else. SQLite implements it in `store/sqlite/tx.rs`,
//! PostgreSQL in `store/postgres/tx.rs`; the rules stay as they are.
//!
//! A few loads may lock what they read until the transaction ends (PostgreSQL has many
//! writers); each says so. SQLite has one writer, so there they lock nothing. A rule that runs
//! in a read-only transaction (a read path) never asks for a lock.

use super::ArticleRow;
use crate::publishing::{DeliveryEvent, TargetRecord};
use crate::store::{MediaStatus, NewAuditEntry, StoreError};
use barta_model::api::{
    ApprovalInfo, ChangeKind, CommentAnchor, CommentRecord, DeliveryInfo, DeliveryState,
    RevisionRecord,
};
use barta_model::{ArticleId, RevisionId, UserId, WorkflowState};

/// What a revision id was stored with, and the answer its push was given (replays get it
/// again, byte for byte).
#[derive(Clone, Debug)]
pub struct StoredPush {
    pub article_id: ArticleId,
    pub sha256: String,
    /// 201 (accepted) or 409 (stored as a conflict).
    pub status: i64,
    /// The answer's JSON.
    pub body: String,
}

/// What deciding a push needs from the store ([`Tx::push_facts`]).
#[derive(Clone, Debug)]
pub struct PushFacts {
    /// How the pushed revision id was stored, if it was (a replay).
    pub stored: Option<StoredPush>,
    /// Whether the desk the revision files to exists.
    pub desk_exists: bool,
    /// The article's row, locked until the transaction ends.
    pub article: Option<ArticleRow>,
    /// For each parent asked about, in order: whether it is a stored revision of the article.
    pub parents_stored: Vec<bool>,
}

/// A change appended to the feed.
#[derive(Clone, Debug)]
pub struct NewChange<'a> {
    pub kind: ChangeKind,
    pub article: ArticleId,
    pub author: &'a str,
    pub revision: Option<RevisionId>,
    pub desk: &'a str,
    pub state: WorkflowState,
    pub head: RevisionId,
    pub note: Option<&'a str>,
    pub at: &'a str,
}

/// A pushed revision as it is stored.
#[derive(Clone, Debug)]
pub struct NewRevisionRow<'a> {
    pub id: RevisionId,
    pub article: ArticleId,
    pub parent: Option<RevisionId>,
    pub merge_parent: Option<RevisionId>,
    pub author_id: UserId,
    pub author: &'a str,
    pub meta_json: &'a str,
    pub body_json: &'a str,
    pub sha256: &'a str,
    pub created_at: &'a str,
    pub received_at: &'a str,
    pub seq: i64,
    pub response_status: i64,
    pub response_body: &'a str,
}

/// An editor's approval of one exact version.
#[derive(Clone, Debug)]
pub struct NewApproval<'a> {
    pub id: &'a str,
    pub article: ArticleId,
    pub revision: RevisionId,
    pub sha256: &'a str,
    pub editor_id: UserId,
    pub editor: &'a str,
    pub at: &'a str,
}

/// A publication: the approved version's content, frozen.
#[derive(Clone, Debug)]
pub struct NewPublication<'a> {
    pub id: &'a str,
    pub article: ArticleId,
    pub revision: RevisionId,
    pub approval_id: &'a str,
    pub sha256: &'a str,
    pub meta_json: &'a str,
    pub body_json: &'a str,
    pub published_at: &'a str,
    pub created_at: &'a str,
    pub created_by: UserId,
    /// A correction's note for readers.
    pub correction: Option<&'a str>,
    /// The publication a correction replaces.
    pub replaces: Option<&'a str>,
}

/// A comment as it is stored.
#[derive(Clone, Debug)]
pub struct NewComment<'a> {
    pub id: &'a str,
    pub article: ArticleId,
    pub parent_id: Option<&'a str>,
    pub anchor: &'a CommentAnchor,
    /// The anchor's quote, normalized.
    pub quote: &'a str,
    pub author_id: UserId,
    pub author: &'a str,
    /// Normalized.
    pub body: &'a str,
    pub created_at: &'a str,
    /// Stored resolved already (by its author, at `created_at`).
    pub resolved: bool,
}

/// An article's latest publication.
#[derive(Clone, Debug)]
pub struct LatestPublication {
    pub id: String,
    pub revision: RevisionId,
    /// When it goes (or went) live; in the future while scheduled.
    pub published_at: String,
    pub meta_json: String,
}

/// A delivery queued in the outbox.
#[derive(Clone, Debug)]
pub struct NewDelivery<'a> {
    pub id: &'a str,
    pub target: &'a str,
    pub article: ArticleId,
    pub event: DeliveryEvent,
    pub publication_id: Option<&'a str>,
    pub due: &'a str,
    pub created_at: &'a str,
}

/// The stored content of a revision, as pushed (JSON text, kept verbatim).
#[derive(Clone, Debug)]
pub struct RevisionContent {
    pub meta_json: String,
    pub body_json: String,
    pub sha256: String,
}

/// A photo upload as it is started: nothing received yet.
#[derive(Clone, Debug)]
pub struct NewUpload<'a> {
    pub id: &'a str,
    /// Lowercase hex.
    pub sha256: &'a str,
    /// The file's declared length in bytes.
    pub length: u64,
    pub content_type: &'a str,
    pub owner: UserId,
    pub created_at: &'a str,
}

/// A completely uploaded file.
#[derive(Clone, Debug)]
pub struct CompleteUpload {
    /// The upload holding its bytes.
    pub id: String,
    pub content_type: String,
    pub length: u64,
}

/// One transaction of a backend, as the rules see it. Every method runs inside the caller's
/// transaction; the backend commits or rolls back around the whole rule.
pub trait Tx {
    /// An article's row.
    fn article(&mut self, id: ArticleId) -> Result<Option<ArticleRow>, StoreError>;
    /// A stored revision.
    fn revision(&mut self, id: RevisionId) -> Result<Option<RevisionRecord>, StoreError>;
    /// A stored revision's content, verbatim.
    fn revision_content(&mut self, id: RevisionId) -> Result<Option<RevisionContent>, StoreError>;
    /// How a revision id was stored, if it was.
    fn stored_push(&mut self, id: RevisionId) -> Result<Option<StoredPush>, StoreError>;
    /// Whether `revision` is a stored revision of `article`.
    fn is_revision_of(
        &mut self,
        revision: RevisionId,
        article: ArticleId,
    ) -> Result<bool, StoreError>;
    /// Whether the desk exists.
    fn desk_exists(&mut self, slug: &str) -> Result<bool, StoreError>;
    /// Everything deciding a push of revision `push` to `article` (filed to `desk`, with these
    /// `parents`) needs, at once: the loads above, one after the other. A backend that pays a
    /// round trip per statement sends them together (PostgreSQL); the article's row is locked
    /// as [`Tx::article`] locks it, and `parents` are checked after that lock.
    fn push_facts(
        &mut self,
        push: RevisionId,
        article: ArticleId,
        desk: &str,
        parents: &[RevisionId],
    ) -> Result<PushFacts, StoreError> {
        let stored = self.stored_push(push)?;
        let desk_exists = self.desk_exists(desk)?;
        let row = self.article(article)?;
        let parents_stored = parents
            .iter()
            .map(|parent| self.is_revision_of(*parent, article))
            .collect::<Result<_, _>>()?;
        Ok(PushFacts {
            stored,
            desk_exists,
            article: row,
            parents_stored,
        })
    }

    /// Stores a new article.
    fn insert_article(&mut self, article: &ArticleRow) -> Result<(), StoreError>;
    /// Moves an article's head (and its desk, which a revision may change).
    fn move_head(
        &mut self,
        article: ArticleId,
        head: RevisionId,
        desk: &str,
    ) -> Result<(), StoreError>;
    /// Sets an article's workflow state.
    fn set_state(&mut self, article: ArticleId, state: WorkflowState) -> Result<(), StoreError>;
    /// Notes that the archive search's index lacks `article`'s new head (`head`): indexed
    /// soon after by the backlog, per article however many revisions came meanwhile.
    fn archive_stale(&mut self, article: ArticleId, head: RevisionId) -> Result<(), StoreError>;
    /// Appends a change to the feed; returns its sequence number.
    fn append_change(&mut self, change: &NewChange<'_>) -> Result<i64, StoreError>;
    /// Stores a pushed revision.
    fn insert_revision(&mut self, revision: &NewRevisionRow<'_>) -> Result<(), StoreError>;
    /// Appends an entry to the audit chain.
    fn audit(&mut self, entry: &NewAuditEntry) -> Result<(), StoreError>;

    /// The article's latest approval.
    fn latest_approval(&mut self, article: ArticleId) -> Result<Option<ApprovalInfo>, StoreError>;
    /// The revision an approval of this article approved.
    fn approved_revision(
        &mut self,
        approval_id: &str,
        article: ArticleId,
    ) -> Result<Option<RevisionId>, StoreError>;
    /// Stores an approval.
    fn insert_approval(&mut self, approval: &NewApproval<'_>) -> Result<(), StoreError>;

    /// The publication made of an approval.
    fn publication_of_approval(&mut self, approval_id: &str) -> Result<Option<String>, StoreError>;
    /// The article's latest publication.
    fn latest_publication(
        &mut self,
        article: ArticleId,
    ) -> Result<Option<LatestPublication>, StoreError>;
    /// Stores a publication.
    fn insert_publication(&mut self, publication: &NewPublication<'_>) -> Result<(), StoreError>;
    /// Moves a scheduled publication's time (publish now what was scheduled).
    fn set_published_at(&mut self, publication_id: &str, at: &str) -> Result<(), StoreError>;

    /// Whether a photo (by its SHA-256) has finished uploading.
    fn media_complete(&mut self, sha256: &str) -> Result<bool, StoreError>;
    /// Links photos to an article: who may read the article may see them.
    fn link_article_media(&mut self, article: ArticleId, shas: &[String])
    -> Result<(), StoreError>;
    /// Links photos to a publication: public while it is live.
    fn link_publication_media(
        &mut self,
        publication_id: &str,
        shas: &[String],
    ) -> Result<(), StoreError>;
    /// The user's upload `id` (`None` if there is none or it is another user's); with `lock`,
    /// its row is locked until the transaction ends (`FOR UPDATE`; nothing on SQLite, which has
    /// one writer). Never `lock` in a read-only transaction.
    fn upload(
        &mut self,
        id: &str,
        owner: UserId,
        lock: bool,
    ) -> Result<Option<MediaStatus>, StoreError>;
    /// The user's upload of a file (by its SHA-256, lowercase), if they started one.
    fn upload_of_file(
        &mut self,
        owner: UserId,
        sha256: &str,
    ) -> Result<Option<MediaStatus>, StoreError>;
    /// Locks the user's row until the transaction ends (`FOR NO KEY UPDATE`; nothing on SQLite,
    /// which has one writer), so that their uploads are started one after the other. A write.
    fn lock_uploader(&mut self, owner: UserId) -> Result<(), StoreError>;
    /// The bytes the user's uploads declare, all together (finished or not).
    fn upload_bytes_held(&mut self, owner: UserId) -> Result<u64, StoreError>;
    /// Stores a new upload.
    fn insert_upload(&mut self, upload: &NewUpload<'_>) -> Result<(), StoreError>;
    /// Stores a chunk of an upload at `offset` and sets the bytes the upload has received.
    fn append_chunk(
        &mut self,
        id: &str,
        offset: u64,
        data: &[u8],
        received: u64,
    ) -> Result<(), StoreError>;
    /// Hands the stored chunks of an upload to `each`, in the order of their offsets.
    fn read_chunks(&mut self, id: &str, each: &mut dyn FnMut(&[u8])) -> Result<(), StoreError>;
    /// Deletes an upload's chunks and sets the bytes it has received to 0.
    fn reset_upload(&mut self, id: &str) -> Result<(), StoreError>;
    /// Marks an upload complete.
    fn complete_upload(&mut self, id: &str) -> Result<(), StoreError>;
    /// Any complete upload of a file (by its SHA-256, lowercase).
    fn complete_upload_of(&mut self, sha256: &str) -> Result<Option<CompleteUpload>, StoreError>;
    /// Whether a publication live at `now` shows the photo (published by then, not replaced by
    /// a correction published by then, its article neither unpublished nor killed).
    fn media_shown_publicly(&mut self, sha256: &str, now: &str) -> Result<bool, StoreError>;
    /// The rows of the articles linked to a photo (that show it), unlocked.
    fn articles_showing(&mut self, sha256: &str) -> Result<Vec<ArticleRow>, StoreError>;
    /// Records the Bengali words a publication used, for the newsroom's lexicon.
    fn learn_words(&mut self, article: ArticleId, words: &[&str]) -> Result<(), StoreError>;
    /// The publish targets (WordPress sites, webhooks).
    fn targets(&mut self) -> Result<Vec<TargetRecord>, StoreError>;
    /// Drops the article's delivery to `target` that has not been tried and is not due
    /// before `after` (a scheduled publication superseded by a newer event).
    fn drop_future_delivery(
        &mut self,
        target: &str,
        article: ArticleId,
        after: &str,
    ) -> Result<(), StoreError>;
    /// Queues a delivery.
    fn insert_delivery(&mut self, delivery: &NewDelivery<'_>) -> Result<(), StoreError>;
    /// The article's latest delivery to a target: its id and state.
    fn latest_delivery(
        &mut self,
        article: ArticleId,
        target: &str,
    ) -> Result<Option<(String, DeliveryState)>, StoreError>;
    /// Puts a delivery back in the queue, due at `at`.
    fn requeue_delivery(&mut self, id: &str, at: &str) -> Result<(), StoreError>;
    /// An article's deliveries, as the desk sees them.
    fn deliveries_of(&mut self, article: ArticleId) -> Result<Vec<DeliveryInfo>, StoreError>;
    /// Adds a word to the newsroom's lexicon.
    fn add_lexicon_word(&mut self, word: &str, by: &str) -> Result<(), StoreError>;

    /// A stored comment.
    fn comment(&mut self, id: &str) -> Result<Option<CommentRecord>, StoreError>;
    /// Stores a comment.
    fn insert_comment(&mut self, comment: &NewComment<'_>) -> Result<(), StoreError>;
    /// Marks a comment resolved.
    fn resolve_comment(&mut self, id: &str, at: &str, by: &str) -> Result<(), StoreError>;
}
