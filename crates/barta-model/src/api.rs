//! The HTTP API's request and response bodies (sync.md). Shared by the server, the sync
//! engine and the test suite so that all three speak exactly one contract.

use crate::{
    Action, ArticleId, ArticleMeta, Document, ErrorCode, RevisionId, Role, UserId, WorkflowState,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The API's version: a client that speaks another refuses to connect (it is raised only when
/// an old client could no longer work with the server).
pub const API_VERSION: u32 = 1;

/// The header every client of the app sends with its version (`0.1.0`): the server refuses
/// versions older than its minimum with 426 `client_too_old`.
pub const CLIENT_VERSION_HEADER: &str = "x-barta-client-version";

/// The value of `service` in a Barta server's health answer: how a client tells a Barta server
/// from any other web server at the address a person typed.
pub const SERVICE_NAME: &str = "barta";

/// `GET /healthz` (public): the server is up, which API it speaks, and the oldest app it
/// accepts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// `ok`, or `degraded` when the store fails (503).
    pub status: String,
    pub store: String,
    /// Always [`SERVICE_NAME`]; absent from servers older than the first-run setup.
    #[serde(default)]
    pub service: Option<String>,
    /// [`API_VERSION`] of the server.
    #[serde(default)]
    pub api: Option<u32>,
    /// The server's own version.
    #[serde(default)]
    pub version: Option<String>,
    /// The oldest app version the server accepts, if it sets one.
    #[serde(default)]
    pub min_client_version: Option<String>,
}

/// `GET /v1/app/update/{target}/{arch}/{current_version}` (public) → 200: the newest release of
/// the desktop app for that platform, in the form `tauri-plugin-updater` 2.x reads from a
/// dynamic update server (204, with no body, when the app is up to date).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppUpdate {
    /// The release's version (semver, no `v`).
    pub version: String,
    /// The release notes, normalized Bengali text.
    pub notes: String,
    /// When the release was added, RFC 3339 UTC.
    pub pub_date: String,
    /// The package's absolute download address on this server.
    pub url: String,
    /// The package's signature as the Tauri signer wrote it: the `.sig` file's text (base64 of
    /// a minisign signature).
    pub signature: String,
}

/// `POST /v1/session`
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// A user as the API shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct UserInfo {
    pub id: UserId,
    pub username: String,
    pub role: Role,
    /// Slugs of the desks the user belongs to.
    pub desks: Vec<String>,
}

/// A desk as the API shows it: its slug and the display name the newsroom gave it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DeskInfo {
    pub slug: String,
    /// Usually Bengali ("জাতীয় ডেস্ক"), normalized when the desk was added.
    pub name: String,
}

/// `GET /v1/desks` → 200: the caller's desks, by slug.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskList {
    pub desks: Vec<DeskInfo>,
}

/// `POST /v1/session` → 200
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SessionResponse {
    pub token: String,
    /// Seconds until the token expires.
    pub expires_in: u64,
    pub user: UserInfo,
    /// Seconds without use after which the newsroom wants the app to lock its store (the
    /// user's password unlocks it); absent from older servers, when the app's default holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_lock_after: Option<u64>,
}

/// A stored revision as the server returns it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RevisionRecord {
    pub id: RevisionId,
    pub article_id: ArticleId,
    pub parent: Option<RevisionId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merge_parent: Option<RevisionId>,
    pub author: String,
    pub meta: ArticleMeta,
    pub body: Document,
    pub sha256: String,
    pub created_at: String,
    /// The server's sequence number: the order that counts.
    pub seq: i64,
}

/// `POST /v1/articles/{id}/revisions` → 201 (and the same again for a replay)
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushAccepted {
    pub head: RevisionId,
    pub seq: i64,
}

/// `POST /v1/articles/{id}/revisions` → 409: the head moved; the pushed revision was kept as
/// a sibling.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushConflict {
    pub head: RevisionId,
    pub head_revision: RevisionRecord,
    pub stored: bool,
}

/// The most revisions one `POST /v1/revisions/batch` may carry.
pub const MAX_BATCH: usize = 100;

/// `POST /v1/revisions/batch`: several revision pushes in one request, handled in order and
/// committed together. Each `revision` is exactly the body of
/// `POST /v1/articles/{id}/revisions` (with `body` or `delta`); its `id` is its idempotency
/// key and its `parent` its `If-Match`. A delta's parent may be an earlier item of the batch.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchPushRequest {
    pub items: Vec<BatchPushItem>,
}

/// One push of a batch.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchPushItem {
    pub article_id: ArticleId,
    pub revision: serde_json::Map<String, serde_json::Value>,
}

/// `POST /v1/revisions/batch` → 200: one result per item, in the items' order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchPushResponse {
    pub results: Vec<BatchPushResult>,
}

/// What the single push would have answered: `status` 201 with `accepted`, 409 with
/// `conflict`, a 4xx with `error`, or 424 (`not_tried`) for an item after one of its
/// article's items that was not accepted (it was not looked at: send it again).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchPushResult {
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted: Option<PushAccepted>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict: Option<PushConflict>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorDetail>,
}

/// `GET /v1/articles/{id}` → 200
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArticleResponse {
    pub id: ArticleId,
    pub desk: String,
    pub state: WorkflowState,
    pub author: String,
    pub head: RevisionId,
    pub head_revision: RevisionRecord,
    /// The latest approval, if the article was ever approved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<ApprovalInfo>,
    /// The id of its latest publication (`GET /v1/published/{id}`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publication_id: Option<String>,
    /// Where the article was sent to the newsroom's website(s), one entry per publish target
    /// (the latest delivery of each).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deliveries: Vec<DeliveryInfo>,
}

/// Where a delivery to a publish target (the newsroom's WordPress, a webhook) stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Not sent yet, or being retried (`next_attempt_at` says when).
    Pending,
    /// The website has it.
    Delivered,
    /// Refused for a reason a retry will not change (`error` says which); an editor may retry
    /// after fixing the cause.
    Failed,
}

/// The latest delivery of an article to one publish target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct DeliveryInfo {
    /// The target's name, as `barta target add` named it.
    pub target: String,
    /// What was sent: `publish`, `schedule`, `correct`, `unpublish` or `kill`.
    pub event: String,
    pub state: DeliveryState,
    /// The article's address on the website, once delivered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_url: Option<String>,
    /// Why the last attempt failed, in the website's own words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub attempts: u32,
    /// When the next attempt is due (pending deliveries), RFC 3339 UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_attempt_at: Option<String>,
}

/// `GET /v1/lexicon`: the newsroom's words for the spelling checkers (sorted by word), and
/// its spelling settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct LexiconResponse {
    pub words: Vec<LexiconEntry>,
    /// Whether the newsroom shows standard-spelling (Bangla Academy) suggestions.
    pub style_suggestions: bool,
}

/// One word of the newsroom's lexicon.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct LexiconEntry {
    pub word: String,
    /// How many published articles used it (how common it is in the newsroom's text; 0 for a
    /// word an editor added that no article used yet).
    pub articles: u32,
}

/// `PUT /v1/lexicon/{word}` → 200: the word as stored (normalized).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct LexiconWord {
    pub word: String,
}

/// An approval of one exact version: what an editor saw (rev id + content hash).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct ApprovalInfo {
    pub id: String,
    pub rev_id: RevisionId,
    pub sha256: String,
    pub editor: String,
    pub at: String,
}

/// Where a comment is anchored: a top-level block and a passage of its text (offsets in
/// Unicode scalar values of the block's text when the comment was made, and the passage
/// itself, so the anchor can be found again after edits).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CommentAnchor {
    pub block_id: String,
    pub start: u32,
    pub end: u32,
    pub quote: String,
}

/// `PUT /v1/articles/{id}/comments/{comment}`: a new comment (or a reply when `parent_id` is
/// set), or the same again with `resolved: true`. Idempotent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct CommentPut {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    pub anchor: CommentAnchor,
    pub body: String,
    #[serde(default)]
    pub resolved: bool,
    /// When the comment was written on the device (informational).
    pub created_at: String,
}

/// A stored comment as the server returns it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct CommentRecord {
    pub id: String,
    pub article_id: ArticleId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    pub anchor: CommentAnchor,
    pub author: String,
    pub body: String,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_by: Option<String>,
}

/// `PUT /v1/articles/{id}/presence` → 200: who else has the article open (soft presence,
/// never a lock).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct PresenceEntry {
    pub username: String,
    pub role: Role,
    /// Since when (RFC 3339 UTC) they have had it open.
    pub since: String,
}

/// What one change-feed entry reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Revision,
    State,
}

/// One entry of `GET /v1/changes`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub seq: i64,
    pub kind: ChangeKind,
    pub article_id: ArticleId,
    pub desk: String,
    pub state: WorkflowState,
    pub author: String,
    /// The article's head after this change.
    pub head: RevisionId,
    /// The revision, for `revision` changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<RevisionRecord>,
    /// The workflow note, for `state` changes that carry one (e.g. a return).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub at: String,
}

/// `GET /v1/changes` → 200
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangesPage {
    pub changes: Vec<Change>,
    /// The cursor to pass as `since` next time.
    pub next: i64,
}

/// `GET /v1/window?after=&limit=` → 200: one page of the articles a new laptop holds in full
/// (every article not yet published or killed, the user's own, and every article changed in
/// the newsroom's last `days` days, among those the user may read), ordered by article id.
/// Each comes as its latest feed entry carrying its head revision, so a laptop applies it as
/// it applies the feed. Older articles are fetched when opened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WindowPage {
    /// The changes feed's last sequence number when this page was read. A laptop keeps the
    /// first page's and, once every page is applied, reads the feed from it: whatever changed
    /// while it paged reaches it that way.
    pub as_of: i64,
    /// The newsroom's window, in days (`barta newsroom set sync.window-days N`).
    pub days: u32,
    pub articles: Vec<Change>,
    /// The `after` of the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_after: Option<ArticleId>,
}

/// A piece of displayed text; `hit` runs matched the query and are shown highlighted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TextRun {
    pub text: String,
    pub hit: bool,
}

impl TextRun {
    /// `bangla::search`'s runs as the API and the UI type them.
    pub fn from_search(runs: Vec<bangla::search::TextRun>) -> Vec<Self> {
        runs.into_iter()
            .map(|r| Self {
                text: r.text,
                hit: r.hit,
            })
            .collect()
    }
}

/// Most hits one archive search answers (`limit`).
pub const ARCHIVE_SEARCH_MAX: u32 = 50;
/// Most characters of an archive search's query.
pub const ARCHIVE_QUERY_MAX_CHARS: usize = 200;

/// `GET /v1/search?q=&limit=` → 200: the newsroom's archive searched on the server, over the
/// same Bengali search keys as the laptop's index (every word must occur, inflected or spelt
/// loosely; `word*` for words starting with it), among the articles the user may read, best
/// first. Each hit names its article; an article the laptop does not hold is fetched with
/// `GET /v1/articles/{id}` when opened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArchiveSearchPage {
    pub hits: Vec<ArchiveHit>,
}

/// One hit of the archive search.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArchiveHit {
    pub id: ArticleId,
    /// The head revision's headline.
    pub headline: String,
    pub desk: String,
    pub state: WorkflowState,
    pub author: String,
    /// When the article last changed (its last feed entry's time, RFC 3339).
    pub touched_at: String,
    /// Higher is better; compares hits of one answer only.
    pub score: f64,
    /// The headline with matched words marked.
    pub headline_runs: Vec<TextRun>,
    /// A few words of the text around the first match, matched words marked.
    pub snippet: Vec<TextRun>,
}

/// `POST /v1/articles/{id}/transitions`
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    pub action: Action,
    pub rev_id: RevisionId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `POST /v1/articles/{id}/transitions` → 200
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TransitionResponse {
    pub state: WorkflowState,
}

/// `POST /v1/articles/{id}/approve`
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApproveRequest {
    pub rev_id: RevisionId,
    pub sha256: String,
}

/// `POST /v1/articles/{id}/approve` → 200
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApproveResponse {
    pub approval_id: String,
}

/// `POST /v1/articles/{id}/publish`
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishRequest {
    pub approval_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

/// `POST /v1/articles/{id}/correct`: approve this exact version of a published article and
/// publish it at once in place of the published one, with a correction note for readers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrectRequest {
    pub rev_id: RevisionId,
    pub sha256: String,
    /// What was corrected, shown with the article.
    pub note: String,
}

/// `POST /v1/articles/{id}/publish` → 200
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublishResponse {
    pub publication_id: String,
}

/// Every error answer: `{"error": {"code": …, "message": …}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// The inside of an error answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: ErrorCode,
    pub message: String,
}

impl ErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            error: ErrorDetail {
                code,
                message: message.into(),
            },
        }
    }
}

/// One entry of a [`BlockDelta`]'s order: a run of the parent's blocks (by index, end
/// exclusive) or the id of a block carried in the delta.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DeltaRun {
    Base([usize; 2]),
    Block(String),
}

/// A revision's body as the blocks changed since its parent (sync.md's block-level delta):
/// the new order as runs of the parent's blocks and new ids, and every block that is new or
/// changed in full. Sent as `delta` instead of `body`; the server rebuilds the body from the
/// parent it stores and checks the content hash against the rebuilt body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockDelta {
    pub order: Vec<DeltaRun>,
    pub blocks: Vec<serde_json::Value>,
}

/// Why a delta does not apply to its parent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeltaError {
    #[error("the parent's body is not a document with a content list")]
    BaseShape,
    #[error("run {0:?} is outside the parent's {1} blocks")]
    Range([usize; 2], usize),
    #[error("block {0:?} is named in the order but not carried in the delta")]
    MissingBlock(String),
    #[error("a block carried in the delta has no attrs.id")]
    BlockWithoutId,
    #[error("the delta has more entries than a document may have blocks")]
    TooLarge,
}

fn value_block_id(block: &serde_json::Value) -> Option<&str> {
    block.get("attrs")?.get("id")?.as_str()
}

impl BlockDelta {
    /// The delta turning `base` into `next` (blocks compared by id and content).
    pub fn between(base: &Document, next: &Document) -> Self {
        let index: std::collections::HashMap<&str, usize> = base
            .content
            .iter()
            .enumerate()
            .filter_map(|(i, b)| b.id().map(|id| (id, i)))
            .collect();
        let mut order: Vec<DeltaRun> = Vec::new();
        let mut blocks = Vec::new();
        for block in &next.content {
            let at = block.id().and_then(|id| index.get(id).copied());
            let unchanged = at.is_some_and(|i| base.content[i] == *block);
            match (at, unchanged) {
                (Some(i), _) => {
                    if !unchanged {
                        blocks.push(serde_json::to_value(block).unwrap_or_default());
                    }
                    match order.last_mut() {
                        Some(DeltaRun::Base([_, end])) if *end == i => *end = i + 1,
                        _ => order.push(DeltaRun::Base([i, i + 1])),
                    }
                }
                (None, _) => {
                    blocks.push(serde_json::to_value(block).unwrap_or_default());
                    order.push(DeltaRun::Block(block.id().unwrap_or_default().to_string()));
                }
            }
        }
        Self { order, blocks }
    }

    /// Rebuilds the body from the parent's body as JSON: runs copy the parent's blocks (or
    /// the delta's version of a block with the same id), ids take the delta's block.
    pub fn apply(&self, base: &serde_json::Value) -> Result<serde_json::Value, DeltaError> {
        let content = base
            .get("content")
            .and_then(|c| c.as_array())
            .ok_or(DeltaError::BaseShape)?;
        let mut carried = std::collections::HashMap::new();
        for block in &self.blocks {
            let id = value_block_id(block).ok_or(DeltaError::BlockWithoutId)?;
            carried.insert(id, block);
        }
        let mut out = Vec::new();
        for run in &self.order {
            match run {
                DeltaRun::Base([start, end]) => {
                    if start > end || *end > content.len() {
                        return Err(DeltaError::Range([*start, *end], content.len()));
                    }
                    for block in &content[*start..*end] {
                        let replaced = value_block_id(block).and_then(|id| carried.get(id));
                        out.push(replaced.map_or_else(|| block.clone(), |b| (*b).clone()));
                    }
                }
                DeltaRun::Block(id) => {
                    let block = carried
                        .get(id.as_str())
                        .ok_or_else(|| DeltaError::MissingBlock(id.clone()))?;
                    out.push((*block).clone());
                }
            }
            if out.len() > crate::document::MAX_BLOCKS {
                return Err(DeltaError::TooLarge);
            }
        }
        let mut body = base.clone();
        body["content"] = serde_json::Value::Array(out);
        Ok(body)
    }
}

#[cfg(test)]
mod delta_tests {
    use super::*;

    #[test]
    fn a_delta_rebuilds_the_document() {
        let base = Document::from_paragraphs([("a", "১"), ("b", "২"), ("c", "৩"), ("d", "৪")]);
        let rows = [
            vec![("a", "১"), ("b", "২"), ("c", "৩"), ("d", "৪")],
            vec![("a", "১"), ("b", "দুই"), ("c", "৩"), ("d", "৪")],
            vec![("a", "১"), ("n", "নতুন"), ("b", "২"), ("d", "৪")],
            vec![("d", "৪"), ("a", "১")],
            vec![],
        ];
        let base_value = serde_json::to_value(&base).unwrap();
        for next in rows {
            let next = Document::from_paragraphs(next);
            let delta = BlockDelta::between(&base, &next);
            let rebuilt = delta.apply(&base_value).unwrap();
            assert_eq!(rebuilt, serde_json::to_value(&next).unwrap(), "{delta:?}");
        }
    }

    #[test]
    fn a_one_block_edit_carries_one_block() {
        let base = Document::from_paragraphs([("a", "১"), ("b", "২"), ("c", "৩")]);
        let next = Document::from_paragraphs([("a", "১"), ("b", "দুই"), ("c", "৩")]);
        let delta = BlockDelta::between(&base, &next);
        assert_eq!(delta.order, vec![DeltaRun::Base([0, 3])]);
        assert_eq!(delta.blocks.len(), 1);
    }

    #[test]
    fn bad_deltas_are_refused() {
        let base = serde_json::to_value(Document::from_paragraphs([("a", "১")])).unwrap();
        let rows = [
            (
                vec![DeltaRun::Base([0, 2])],
                vec![],
                DeltaError::Range([0, 2], 1),
            ),
            (
                vec![DeltaRun::Base([1, 0])],
                vec![],
                DeltaError::Range([1, 0], 1),
            ),
            (
                vec![DeltaRun::Block("x".into())],
                vec![],
                DeltaError::MissingBlock("x".into()),
            ),
            (
                vec![],
                vec![serde_json::json!({"type": "paragraph"})],
                DeltaError::BlockWithoutId,
            ),
        ];
        for (order, blocks, expected) in rows {
            assert_eq!(BlockDelta { order, blocks }.apply(&base), Err(expected));
        }
        assert_eq!(
            BlockDelta {
                order: vec![],
                blocks: vec![]
            }
            .apply(&serde_json::json!({"type": "doc"})),
            Err(DeltaError::BaseShape)
        );
    }
}
