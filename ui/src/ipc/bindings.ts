// Generated from the Rust IPC types by `cargo test -p barta-app` (set UPDATE_BINDINGS=1 to rewrite). Do not edit.

export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]?: JsonValue } | null;

export type ArticleId = string;

export type RevisionId = string;

export type UserId = string;

export type ErrorCode = "bad_request" | "invalid" | "hash_mismatch" | "idempotency_mismatch" | "unauthorized" | "forbidden" | "not_found" | "conflict" | "unresolved_conflict" | "payload_too_large" | "unsupported_media_type" | "network" | "storage" | "not_logged_in" | "internal" | "not_tried" | "client_too_old" | "not_barta_server" | "server_unreachable" | "certificate_problem" | "server_not_set" | "update_invalid" | "update_failed" | "too_many_requests" | "account_disabled" | "insecure_address" | "quota_exceeded" | "other_users_store" | "locked" | "wrong_password" | "previous_password_needed" | "unavailable";

export type AppError = { code: ErrorCode, message: string, };

export type Role = "reporter" | "editor" | "admin";

export type WorkflowState = "draft" | "submitted" | "in_progress" | "returned" | "approved" | "scheduled" | "published" | "corrected" | "unpublished" | "killed" | "spiked";

export type SyncState = "local_only" | "pending" | "synced" | "conflict" | "rejected";

export type Urgency = number;

export type ArticleMeta = { headline: string, 
/**
 * The desk's slug, e.g. `international`.
 */
desk: string, slugline?: string, byline?: string, 
/**
 * The dateline's place, e.g. ঢাকা; the date is printed from the publication time.
 */
dateline_place?: string, 
/**
 * "সূত্র: বিবিসি"
 */
source_line?: string, 
/**
 * "আমারসংবাদ/টিএইচ"
 */
sign_off?: string, tags?: Array<string>, urgency?: Urgency, 
/**
 * Not before this instant (RFC 3339, UTC).
 */
embargo?: string, };

export type Mark = { type: string, attrs?: { [key in string]?: JsonValue }, };

export type Block = { type: string, attrs?: { [key in string]?: JsonValue }, content?: Array<Block>, text?: string, marks?: Array<Mark>, };

export type Document = { type: string, content: Array<Block>, };

export type UserInfo = { id: UserId, username: string, role: Role, 
/**
 * Slugs of the desks the user belongs to.
 */
desks: Array<string>, };

export type DeskInfo = { slug: string, 
/**
 * Usually Bengali ("জাতীয় ডেস্ক"), normalized when the desk was added.
 */
name: string, };

export type ArticleSummary = { id: ArticleId, headline: string, desk: string, author: string, state: WorkflowState, sync_state: SyncState, 
/**
 * The workflow note last attached (e.g. why it was returned).
 */
note: string | null, 
/**
 * The server's reason when an item was rejected.
 */
last_error: string | null, 
/**
 * The stable error code of `last_error` (e.g. `invalid`): the UI words it in plain language.
 */
last_error_code: string | null, updated_at: string, created_at: string, 
/**
 * Words in the newest revision (what the desk queues show).
 */
words: bigint, 
/**
 * 1 (most urgent) to 5, if set in the newest revision.
 */
urgency: number | null, 
/**
 * Conflict blocks in the newest revision: a clash a person must resolve.
 */
conflicts: bigint, 
/**
 * The workflow actions the app's current user may take on it now. The store leaves it
 * empty (it knows no user); the app fills it in before a summary reaches the UI, from
 * `barta_model::workflow::actions_for`, and the UI shows exactly these.
 */
allowed_actions: Array<Action>, };

export type ArticleDraft = { summary: ArticleSummary, meta: ArticleMeta, body: Document, 
/**
 * The newest revision (local or from the server), if any.
 */
head: RevisionId | null, 
/**
 * The content hash of `head`.
 */
head_sha256: string | null, 
/**
 * The revision last submitted (the start of "changes since submission").
 */
submitted_rev: RevisionId | null, 
/**
 * The revision last approved, if any.
 */
approved_rev: RevisionId | null, };

export type AppInfo = { server_url: string, 
/**
 * The app's version (shown in About, sent with every request).
 */
app_version: string, data_dir: string, user: UserInfo | null, 
/**
 * The longest edge, in pixels, photos are scaled down to before they are stored.
 */
image_max_edge: number, 
/**
 * The names the newsroom gave the user's desks (empty until the server has said).
 */
desk_names: Array<DeskInfo>, 
/**
 * The article that was open when the app last stopped (a crash included), to open again.
 */
reopen: OpenArticle | null, 
/**
 * The user whose store is locked on this computer and waits for their password (none:
 * the store is open, or the login form asks who it is).
 */
locked_user: string | null, };

export type ServerSetup = { 
/**
 * The newsroom server the app is set to; none on a first run.
 */
server_url: string | null, 
/**
 * `BARTA_SERVER_URL` fixes the server: it cannot be changed from the app.
 */
from_env: boolean, 
/**
 * The app's version.
 */
app_version: string, 
/**
 * Changes not yet sent to the current server (they stay with it if the server changes).
 */
pending: bigint, data_dir: string, };

export type UpdateInfo = { version: string, 
/**
 * The version running now.
 */
current_version: string, 
/**
 * What changed, as the newsroom wrote it (normalized).
 */
notes: string, 
/**
 * When it was published (RFC 3339), or empty.
 */
date: string, };

export type EditPlace = { 
/**
 * `body`, or the name of a field (`headline`, `byline`, …).
 */
field: string, 
/**
 * The selection: ProseMirror positions in the body, UTF-16 offsets in a field.
 */
anchor: number, head: number, 
/**
 * How far the page was scrolled (CSS pixels).
 */
scroll: number, };

export type OpenArticle = { id: string, place: EditPlace | null, };

export type SyncPhase = { "state": "offline" } | { "state": "syncing" } | { "state": "up_to_date" } | { "state": "error", "reason": string };

export type SyncProgress = { 
/**
 * Outbox rows finished this round (acknowledged, merged or rejected).
 */
items_done: bigint, 
/**
 * Outbox rows this round set out to send.
 */
items_total: bigint, 
/**
 * Request bytes acknowledged.
 */
bytes_done: bigint, 
/**
 * Request bytes this round set out to send.
 */
bytes_total: bigint, } & ({ "state": "offline" } | { "state": "syncing" } | { "state": "up_to_date" } | { "state": "error", "reason": string });

export type SyncStatus = { 
/**
 * The last contact with the server succeeded.
 */
online: boolean, 
/**
 * A sync round is running.
 */
syncing: boolean, 
/**
 * Outbox rows waiting for the server.
 */
pending: bigint, 
/**
 * The last failure, in plain words.
 */
last_error: AppError | null, 
/**
 * When the last round finished without error (RFC 3339).
 */
last_synced_at: string | null, 
/**
 * The current or last round: items and bytes done of total, and its phase.
 */
progress: SyncProgress, 
/**
 * Photos stored here that the server does not have yet.
 */
media_pending: bigint, 
/**
 * The server no longer accepts this session (expired, revoked, the password changed or
 * the account disabled): syncing waits until the password is given again
 * (`resume_session`); everything typed and queued stays.
 */
session_ended: boolean, };

export type AppEvent = { "kind": "sync_status", status: SyncStatus, } | { "kind": "articles_changed", ids: Array<string>, } | { "kind": "comments_changed", article_id: string, } | { "kind": "presence", article_id: string, others: Array<PresenceEntry>, } | { "kind": "deliveries", article_id: string, deliveries: Array<DeliveryInfo>, } | { "kind": "update_available", update: UpdateInfo, } | { "kind": "locked" };

export type ArticleList = "mine" | "desk_queue";

export type PastedText = { 
/**
 * The text in stored form.
 */
text: string, 
/**
 * Bijoy (SutonnyMJ) runs were found and converted to Unicode: the UI says so, with undo.
 */
bijoy_converted: boolean, };

export type TextFlag = { 
/**
 * `pre_base_sign_at_word_start`, `vowel_sign_without_base`, `stray_hasanta`,
 * `mixed_bijoy_unicode`.
 */
kind: string, 
/**
 * The offending text.
 */
text: string, start: number, end: number, };

export type NameVariant = { first: string, second: string, first_at: [number, number], second_at: [number, number], };

export type TextStats = { words: number, 
/**
 * Grapheme clusters: what a reader calls characters.
 */
graphemes: number, sentences: number, paragraphs: number, reading_seconds: number, flags: Array<TextFlag>, 
/**
 * Names written two ways ("কিম জং উন" and "কিং জং উন").
 */
name_variants: Array<NameVariant>, };

export type DatelineText = { 
/**
 * "ঢাকা শুক্রবার, ০১ আগস্ট, ২০২৫"
 */
dateline: string, 
/**
 * "১৭ শ্রাবণ ১৪৩২"
 */
bangabda: string, };

export type SpellIssue = { word: string, from: number, to: number, suggestions: Array<string>, 
/**
 * A standard-spelling (Bangla Academy) suggestion, not a misspelling: shown apart, and
 * only when the newsroom turned style suggestions on.
 */
style: boolean, };

export type SpellReport = { 
/**
 * False when no Bengali word list is installed: nothing is underlined then.
 */
available: boolean, blocks: Array<Array<SpellIssue>>, };

export type SearchQuery = { 
/**
 * The words to find (all of them must occur, in any form).
 */
text: string, desks: Array<string>, states: Array<WorkflowState>, author: string | null, 
/**
 * Only articles changed at or after this instant (RFC 3339, UTC).
 */
from: string | null, 
/**
 * Only articles changed before this instant (RFC 3339, UTC).
 */
until: string | null, 
/**
 * Only articles carrying this tag.
 */
tag: string | null, 
/**
 * At most this many hits ([`DEFAULT_LIMIT`] when 0).
 */
limit: number, };

export type TextRun = { text: string, hit: boolean, };

export type SearchHit = { id: ArticleId, headline: string, desk: string, state: WorkflowState, author: string, updated_at: string, 
/**
 * Higher is better (the negated bm25).
 */
score: number, 
/**
 * The headline with matched words marked.
 */
headline_runs: Array<TextRun>, 
/**
 * A few words of the body around the first match, matched words marked.
 */
snippet: Array<TextRun>, };

export type HitSource = "local" | "archive";

export type FoundArticle = { id: ArticleId, headline: string, desk: string, state: WorkflowState, author: string, 
/**
 * When the article last changed (RFC 3339): the local article's, or the archive's
 * `touched_at`.
 */
updated_at: string, 
/**
 * Higher is better; compares hits of one source only.
 */
score: number, 
/**
 * The headline with matched words marked.
 */
headline_runs: Array<TextRun>, 
/**
 * A few words of the text around the first match, matched words marked.
 */
snippet: Array<TextRun>, source: HitSource, };

export type NotSearched = "offline" | "not_signed_in" | "session_ended" | "timed_out" | "server_failed" | "tag_filter" | "query_too_long" | "no_words";

export type ArchiveSearch = { 
/**
 * Best first, the explicit filters applied (desk, state, reporter, dates); the page shows
 * those whose article is not among the local hits.
 */
hits: Array<FoundArticle>, 
/**
 * `None`: the archive was searched. Otherwise why it was not.
 */
not_searched: NotSearched | null, };

export type RevisionInfo = { id: RevisionId, parent: RevisionId | null, merge_parent: RevisionId | null, author: string, created_at: string, 
/**
 * Saved on this device (`local`) or received from the server (`server`).
 */
origin: string, sha256: string, headline: string, 
/**
 * Words in the body (UAX #29).
 */
words: number, 
/**
 * The revision still waits in the outbox.
 */
pending: boolean, };

export type RunOp = "equal" | "insert" | "delete";

export type DiffRun = { op: RunOp, text: string, };

export type BlockChange = "unchanged" | "added" | "removed" | "changed";

export type BlockDiff = { 
/**
 * The block's stable id.
 */
id: string, 
/**
 * The block type in the newer version (the older one for removed blocks).
 */
kind: string, 
/**
 * The block type in the older version, when it differs.
 */
old_kind?: string, change: BlockChange, 
/**
 * The block's text as runs (all `equal` for unchanged blocks).
 */
runs: Array<DiffRun>, };

export type Action = "submit" | "take" | "return" | "approve" | "schedule" | "publish" | "correct" | "unpublish" | "kill" | "spike" | "unspike";

export type CommentAnchor = { block_id: string, start: number, end: number, quote: string, };

export type PresenceEntry = { username: string, role: Role, 
/**
 * Since when (RFC 3339 UTC) they have had it open.
 */
since: string, };

export type Comment = { id: string, article_id: ArticleId, 
/**
 * The comment this one answers (a thread), if any.
 */
parent_id: string | null, 
/**
 * The stable id of the top-level block it is attached to.
 */
block_id: string, 
/**
 * The passage when the comment was made: offsets in Unicode scalar values of the block's
 * text, and the passage itself (the UI finds it again after edits).
 */
start: number, end: number, quote: string, author: string, body: string, created_at: string, resolved_at: string | null, resolved_by: string | null, 
/**
 * The block is no longer in the working copy.
 */
detached: boolean, 
/**
 * The server has it (and its resolution).
 */
synced: boolean, };

export type DeskQueue = "incoming" | "in_progress" | "approved" | "published";

export type QueueSort = "newest" | "oldest" | "urgency" | "words";

export type QueueQuery = { queue: DeskQueue, 
/**
 * Only these desks (the caller passes the user's desks when empty).
 */
desks: Array<string>, sort: QueueSort, 
/**
 * Only this reporter.
 */
author: string | null, 
/**
 * Only urgency 1..=this.
 */
max_urgency: number | null, 
/**
 * At most this many rows (the counts are always whole).
 */
limit: number | null, };

export type QueueCount = { queue: DeskQueue, count: bigint, };

export type QueueView = { items: Array<ArticleSummary>, counts: Array<QueueCount>, };

export type PublishOutcome = { state: WorkflowState, 
/**
 * The backend's HTML page of the publication.
 */
public_url: string, };

export type DeliveryState = "pending" | "delivered" | "failed";

export type DeliveryInfo = { 
/**
 * The target's name, as `barta target add` named it.
 */
target: string, 
/**
 * What was sent: `publish`, `schedule`, `correct`, `unpublish` or `kill`.
 */
event: string, state: DeliveryState, 
/**
 * The article's address on the website, once delivered.
 */
remote_url?: string | null, 
/**
 * Why the last attempt failed, in the website's own words.
 */
error?: string | null, attempts: number, 
/**
 * When the next attempt is due (pending deliveries), RFC 3339 UTC.
 */
next_attempt_at?: string | null, };

export type DocumentDiff = { headline: Array<DiffRun>, 
/**
 * Names of the other metadata fields that differ (e.g. `tags`, `byline`).
 */
meta_changed: Array<string>, blocks: Array<BlockDiff>, };

