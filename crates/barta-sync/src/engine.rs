//! The executor: runs a [`plan`](crate::plan) against the server and records every answer in
//! the store. The store lock is held only between network calls, never across one.
//!
//! A round plans from the store, then executes the operations in order, one `match` arm per
//! [`Operation`]. Each operation answers a [`Step`]: `Next`, or `Replan` when it changed what
//! the plan was made from (a merge revision queued, an article blocked, a batch not taken
//! whole); the round then plans again from the store and goes on. Everything done is marked
//! in the store, so a new plan holds only what is left.
//!
//! - Transient failures (no answer, 408, 429, 5xx, an answer that is not our API, a cut
//!   answer) are retried with full-jitter backoff honouring `Retry-After`, then stop the round
//!   with the row, comment or photo still queued.
//! - 401: one re-login per round (when the session can), then the same request again.
//! - 409 on a push: the 3-way merge against the pushed revision's parent, recorded with its
//!   outbox row in one transaction, then pushed as a merge revision (two parents).
//! - Other refusals mark the row rejected (the text is kept) and the round goes on; a refused
//!   comment or photo is logged and waits for the next round.
//! - A changes page is applied with the cursor in one transaction; a cut page applies nothing.

use crate::auth::Session;
use crate::backoff::Backoff;
use crate::client::{Client, ClientError, PushResult};
use crate::media::{DEFAULT_CHUNK, MediaFile, upload_media};
use crate::plan::{Operation, PlanInput, plan};
use crate::progress::{ProgressSink, SyncPhase, SyncProgress};
use barta_model::api::{ChangesPage, PushConflict, RevisionRecord, TransitionRequest};
use barta_model::merge::{Author, Side, merge};
use barta_model::{ArticleId, ArticleMeta, BlockDelta, Document, RevisionId, RevisionPush};
use barta_store::sync::MergeRecord;
use barta_store::{Comment, MediaStore, OutboxItem, OutboxKind, PendingUpload, Store, StoreError};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::future::Future;
use std::sync::Mutex;

/// What one sync round did. The sets name what changed locally, so the app can tell its
/// screens without polling.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SyncOutcome {
    pub pushed: usize,
    pub transitions: usize,
    pub rejected: usize,
    /// Pushes that met a moved head (each one merged, unless the merge limit was reached).
    pub conflicts: usize,
    /// Merge revisions recorded.
    pub merges: usize,
    pub changes_applied: usize,
    /// Missing parents fetched from the server.
    pub parents_fetched: usize,
    /// Re-logins after a 401.
    pub relogins: usize,
    /// Retries after transient failures.
    pub retries: usize,
    /// Comments the server now has (new ones and resolutions).
    pub comments_pushed: usize,
    /// Articles whose local state this round changed: a push acknowledged, a merge recorded,
    /// a row refused, a workflow state taken, or a change pulled from the feed.
    pub articles_changed: BTreeSet<ArticleId>,
    /// Articles whose local comments this round changed: a comment sent (now marked synced),
    /// or comments pulled that were new or newly resolved.
    pub comments_changed: BTreeSet<ArticleId>,
    /// Photos the server now has.
    pub photos_uploaded: usize,
    /// Photos stored here that the server still lacks after the round (refused ones too).
    pub photos_pending: usize,
}

/// Why a sync round stopped early. Everything unsent stays queued.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Access to the store from the executor (a lock in the app, a plain store in tests).
pub trait StoreAccess {
    fn with<R>(&self, f: impl FnOnce(&mut Store) -> R) -> R;
}

impl StoreAccess for Mutex<Store> {
    fn with<R>(&self, f: impl FnOnce(&mut Store) -> R) -> R {
        let mut guard = self.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut guard)
    }
}

/// The local setting that says the window was taken (with the feed's number it began at).
const WINDOW_TAKEN: &str = "sync.window_taken";

/// Tunables of a round.
#[derive(Clone, Debug, PartialEq)]
pub struct SyncConfig {
    pub backoff: Backoff,
    /// The page size of the changes feed.
    pub changes_page: u32,
    /// Merges of one article per round before it waits for the next round.
    pub max_merges_per_article: usize,
    /// Send a revision as the blocks changed since its parent when that is smaller.
    pub deltas: bool,
    /// Compress request bodies larger than this many bytes with zstd (`None`: never).
    pub zstd_above: Option<usize>,
    /// Consecutive revision pushes sent together in one `POST /v1/revisions/batch`, at most
    /// this many (1: every revision alone).
    pub batch_max: usize,
    /// …and at most about this many bytes of JSON per batch.
    pub batch_bytes: usize,
    /// The bytes of a photo sent per request (a cut loses at most one chunk).
    pub photo_chunk: usize,
    /// A new laptop takes the server's window (`GET /v1/window`: what is not yet published
    /// or killed, the user's own, what changed lately) instead of every revision of every
    /// article in the feed; older articles are fetched when opened. `false`: the whole feed.
    pub windowed: bool,
}

impl Default for SyncConfig {
    fn default() -> Self {
        Self {
            backoff: Backoff::default(),
            changes_page: 200,
            max_merges_per_article: 3,
            deltas: true,
            zstd_above: Some(512),
            batch_max: 50,
            batch_bytes: 1024 * 1024,
            photo_chunk: DEFAULT_CHUNK,
            windowed: true,
        }
    }
}

/// What the caller tells a round besides the tunables: what is on screen, and where the
/// photos are.
#[derive(Clone, Debug, Default)]
pub struct RoundInput {
    /// The articles open on screen: their comments are pulled from the server this round.
    pub watched: Vec<ArticleId>,
    /// The device's photos; the ones the server lacks are uploaded (`None`: no photos here).
    pub media: Option<MediaStore>,
}

/// One sync round: the outbox drained in order (merging on 409), the comments the server
/// lacks sent, the changes feed pulled, the watched articles' comments pulled, and the photos
/// the server lacks uploaded.
pub async fn sync_round(
    store: &impl StoreAccess,
    client: &Client,
    session: &mut Session,
    config: &SyncConfig,
    input: &RoundInput,
    progress: &dyn ProgressSink,
) -> Result<SyncOutcome, SyncError> {
    let mut round = Round::new(client, session, config, input, progress);
    let (items, bytes) = store.with(queued_size)?;
    round.report.items_total = items;
    round.report.bytes_total = bytes;
    progress.report(&round.report);
    let result = round.run(store).await;
    round.report.phase = match &result {
        Ok(()) => {
            if store.with(|s| s.pending_count())? == 0 {
                SyncPhase::UpToDate
            } else {
                SyncPhase::Error("some changes are still waiting to be sent".into())
            }
        }
        Err(SyncError::Client(e)) if e.code() == barta_model::ErrorCode::Network => {
            SyncPhase::Offline
        }
        Err(e) => SyncPhase::Error(e.to_string()),
    };
    progress.report(&round.report);
    result?;
    round.outcome.photos_pending = photos_to_send(store, input.media.as_ref())?.len();
    Ok(round.outcome)
}

/// The photos stored here that the server lacks and that a revision written here shows: a
/// photo taken out of a draft before a version was saved is never sent.
fn photos_to_send(
    store: &impl StoreAccess,
    media: Option<&MediaStore>,
) -> Result<Vec<PendingUpload>, StoreError> {
    let pending = media.map(MediaStore::pending_uploads).unwrap_or_default();
    if pending.is_empty() {
        return Ok(pending);
    }
    let shas: Vec<String> = pending.iter().map(|p| p.sha256.clone()).collect();
    let shown = store.with(|s| s.photos_in_own_revisions(&shas))?;
    Ok(pending
        .into_iter()
        .filter(|photo| shown.contains(&photo.sha256))
        .collect())
}

/// Rows and request bytes waiting to be sent.
fn queued_size(store: &mut Store) -> Result<(u64, u64), StoreError> {
    let pending = store.pending_outbox()?;
    let mut bytes = 0u64;
    for item in &pending {
        if item.kind == OutboxKind::Revision {
            let push = store.revision_push(item.revision_id)?;
            bytes += serde_json::to_vec(&push)?.len() as u64;
        }
    }
    Ok((pending.len() as u64, bytes))
}

/// What the round does after an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// Go on with the next operation of the plan.
    Next,
    /// The operation changed what the plan was made from: plan again from the store.
    Replan,
}

/// One round in progress: its inputs, what it did, and what it learnt that the next plan
/// must know.
struct Round<'a> {
    client: &'a Client,
    session: &'a mut Session,
    config: &'a SyncConfig,
    input: &'a RoundInput,
    progress: &'a dyn ProgressSink,
    outcome: SyncOutcome,
    report: SyncProgress,
    relogged: bool,
    /// Whether this server takes batches (an older one answers the batch route with 404).
    batching: bool,
    /// Articles whose rows wait for the next round (a conflict past the merge limit, a
    /// refusal).
    blocked: HashSet<ArticleId>,
    /// Merges recorded per article this round.
    merges: HashMap<ArticleId, usize>,
    /// Articles with a revision a batch did not get accepted: pushed one by one from then
    /// on, by the path that merges, falls back from a delta and records refusals.
    one_by_one: HashSet<ArticleId>,
    /// Comments (by id) that wait for the next round: refused, or their article is not on
    /// the server yet.
    comments_waiting: HashSet<String>,
    /// Photos (by SHA-256) the server refused this round.
    photos_waiting: HashSet<String>,
}

impl<'a> Round<'a> {
    fn new(
        client: &'a Client,
        session: &'a mut Session,
        config: &'a SyncConfig,
        input: &'a RoundInput,
        progress: &'a dyn ProgressSink,
    ) -> Self {
        Round {
            client,
            session,
            config,
            input,
            progress,
            outcome: SyncOutcome::default(),
            report: SyncProgress {
                phase: SyncPhase::Syncing,
                ..SyncProgress::default()
            },
            relogged: false,
            batching: config.batch_max > 1,
            blocked: HashSet::new(),
            merges: HashMap::new(),
            one_by_one: HashSet::new(),
            comments_waiting: HashSet::new(),
            photos_waiting: HashSet::new(),
        }
    }
}

impl Round<'_> {
    /// Calls the server, retrying transient failures with backoff and a 401 with one re-login.
    async fn call<T, F, Fut>(&mut self, mut f: F) -> Result<T, ClientError>
    where
        F: FnMut(String) -> Fut,
        Fut: Future<Output = Result<T, ClientError>>,
    {
        let mut attempt = 0;
        loop {
            let error = match f(self.session.token.clone()).await {
                Ok(v) => return Ok(v),
                Err(e) => e,
            };
            if error.status() == Some(401) && !self.relogged {
                self.relogged = true;
                if self.session.renew(self.client).await? {
                    self.outcome.relogins += 1;
                    continue;
                }
                return Err(error);
            }
            if error.is_transient() && attempt < self.config.backoff.max_retries {
                let wait =
                    self.config
                        .backoff
                        .delay(attempt, rand::random::<f64>(), error.retry_after());
                tracing::debug!(?wait, %error, attempt, "retrying after a transient failure");
                tokio::time::sleep(wait).await;
                attempt += 1;
                self.outcome.retries += 1;
                continue;
            }
            return Err(error);
        }
    }

    /// Plans, executes the plan in order, and plans again whenever an operation asks to.
    async fn run(&mut self, store: &impl StoreAccess) -> Result<(), SyncError> {
        loop {
            let operations = self.plan(store)?;
            let mut replan = false;
            for operation in operations {
                if self.execute(store, operation).await? == Step::Replan {
                    replan = true;
                    break;
                }
            }
            if !replan {
                return Ok(());
            }
        }
    }

    /// The plan of what is left, from the store and what this round learnt so far.
    fn plan(&self, store: &impl StoreAccess) -> Result<Vec<Operation>, SyncError> {
        let (outbox, comments, not_on_server) = store.with(|s| {
            let comments = s.unsynced_comments()?;
            // Only the articles this plan could send or pull comments of are asked about.
            let asked = comments
                .iter()
                .map(|c| c.article_id)
                .chain(self.input.watched.iter().copied());
            let not_on_server = s.not_on_server(asked)?;
            Ok::<_, StoreError>((s.pending_outbox()?, comments, not_on_server))
        })?;
        let comments: Vec<Comment> = comments
            .into_iter()
            .filter(|comment| !self.comments_waiting.contains(&comment.id))
            .collect();
        let photos: Vec<PendingUpload> = photos_to_send(store, self.input.media.as_ref())?
            .into_iter()
            .filter(|photo| !self.photos_waiting.contains(&photo.sha256))
            .collect();
        Ok(plan(&PlanInput {
            outbox: &outbox,
            blocked: &self.blocked,
            one_by_one: &self.one_by_one,
            batch_max: if self.batching {
                self.config.batch_max
            } else {
                1
            },
            comments: &comments,
            not_on_server: &not_on_server,
            watched: &self.input.watched,
            photos: &photos,
        }))
    }

    /// Executes one planned operation.
    async fn execute(
        &mut self,
        store: &impl StoreAccess,
        operation: Operation,
    ) -> Result<Step, SyncError> {
        match operation {
            Operation::PushRevision(item) => self.push_revision(store, &item).await,
            Operation::PushBatch(items) => self.push_batch(store, &items).await,
            Operation::Transition(item) => self.transition(store, &item).await,
            Operation::PushComment(comment) => self.push_comment(store, &comment).await,
            Operation::PullChanges => self.pull_changes(store).await,
            Operation::PullComments(article) => self.pull_comments(store, article).await,
            Operation::UploadPhoto(photo) => self.upload_photo(&photo).await,
        }
    }

    /// Pushes one revision (its delta, the full document when the server refuses the delta);
    /// on 409 merges and asks for a new plan, which pushes the merge revision.
    async fn push_revision(
        &mut self,
        store: &impl StoreAccess,
        item: &OutboxItem,
    ) -> Result<Step, SyncError> {
        let push = store.with(|s| s.revision_push(item.revision_id))?;
        let wire = store.with(|s| encode_push(s, &push, self.config))?;
        let size = wire.delta.as_ref().unwrap_or(&wire.full).len() as u64;
        let mut answer = self.push(item, &push, &wire, true).await;
        let delta_refused = matches!(
            &answer,
            Err(e) if matches!(e.status(), Some(400 | 404 | 422))
        );
        if wire.delta.is_some() && delta_refused {
            // The full document is the fallback for a delta the server refuses.
            answer = self.push(item, &push, &wire, false).await;
        }
        match answer {
            Ok(PushResult::Accepted(_)) => {
                store.with(|s| s.mark_done(item))?;
                self.outcome.pushed += 1;
                self.outcome.articles_changed.insert(item.article_id);
                self.done(size);
                Ok(Step::Next)
            }
            Ok(PushResult::HeadMoved(conflict)) => {
                self.outcome.conflicts += 1;
                let merges = self.merges.entry(item.article_id).or_default();
                if *merges >= self.config.max_merges_per_article {
                    self.blocked.insert(item.article_id);
                    return Ok(Step::Replan);
                }
                *merges += 1;
                self.merge(store, item, &push, &conflict).await?;
                self.outcome.merges += 1;
                self.outcome.articles_changed.insert(item.article_id);
                self.done(size);
                Ok(Step::Replan)
            }
            Err(e) => self.refused(store, item, e),
        }
    }

    /// Sends a workflow transition and takes the state the server answers.
    async fn transition(
        &mut self,
        store: &impl StoreAccess,
        item: &OutboxItem,
    ) -> Result<Step, SyncError> {
        let Some(action) = item.action else {
            store.with(|s| s.mark_rejected(item, "invalid", "a transition without an action"))?;
            return Ok(Step::Next);
        };
        let body = TransitionRequest {
            action,
            rev_id: item.revision_id,
            note: item.note.clone(),
        };
        let client = self.client;
        let article = item.article_id;
        let answer = self
            .call(|token| {
                let body = body.clone();
                async move { client.transition(&token, article, &body).await }
            })
            .await;
        match answer {
            Ok(answer) => {
                store.with(|s| {
                    s.mark_done(item)?;
                    s.set_state(article, answer.state)
                })?;
                self.outcome.transitions += 1;
                self.outcome.articles_changed.insert(article);
                self.done(0);
                Ok(Step::Next)
            }
            Err(e) => self.refused(store, item, e),
        }
    }

    /// Sends a comment (idempotent by its id) and marks it synced. A 404 means the article
    /// is not on the server yet: the comment waits for the next round.
    async fn push_comment(
        &mut self,
        store: &impl StoreAccess,
        comment: &Comment,
    ) -> Result<Step, SyncError> {
        let client = self.client;
        let put = comment.to_put();
        let (article, id) = (comment.article_id, comment.id.as_str());
        let answer = self
            .call(|token| {
                let put = put.clone();
                async move { client.put_comment(&token, article, id, &put).await }
            })
            .await;
        match answer {
            Ok(stored) => {
                store.with(|s| s.mark_comment_synced(&stored))?;
                self.outcome.comments_pushed += 1;
                self.outcome.comments_changed.insert(article);
            }
            Err(e) if e.is_transient() || e.status() == Some(401) => return Err(e.into()),
            Err(e) => {
                if e.status() == Some(404) {
                    tracing::debug!(%article, "a comment waits for its article to reach the server");
                } else {
                    tracing::info!(%article, comment = id, %e, "the server refused a comment");
                }
                self.comments_waiting.insert(comment.id.clone());
            }
        }
        Ok(Step::Next)
    }

    /// Takes the server's comments of a watched article; notes the article when that changed
    /// what is kept here.
    async fn pull_comments(
        &mut self,
        store: &impl StoreAccess,
        article: ArticleId,
    ) -> Result<Step, SyncError> {
        let client = self.client;
        let records = match self
            .call(|token| async move { client.comments(&token, article).await })
            .await
        {
            Ok(records) => records,
            Err(e) if matches!(e.status(), Some(403 | 404)) => {
                tracing::info!(%article, %e, "the comments of a watched article are not shown");
                return Ok(Step::Next);
            }
            Err(e) => return Err(e.into()),
        };
        let changed = store.with(|s| {
            let before = match s.comments(article) {
                Ok(comments) => comments,
                // Not kept on this device: nothing to attach the comments to.
                Err(StoreError::ArticleNotFound(_)) => return Ok(false),
                Err(e) => return Err(e),
            };
            s.merge_server_comments(article, &records)?;
            Ok(s.comments(article)? != before)
        })?;
        if changed {
            self.outcome.comments_changed.insert(article);
        }
        Ok(Step::Next)
    }

    /// Uploads a photo, resuming from the server's offset, and marks it uploaded. A refusal
    /// is logged and the photo waits for the next round.
    async fn upload_photo(&mut self, photo: &PendingUpload) -> Result<Step, SyncError> {
        let input = self.input;
        let Some(media) = input.media.as_ref() else {
            return Ok(Step::Next);
        };
        let bytes = match media.read_pending(photo) {
            Ok(bytes) => bytes,
            Err(e) => {
                tracing::info!(sha256 = %photo.sha256, %e, "a photo could not be read");
                self.photos_waiting.insert(photo.sha256.clone());
                return Ok(Step::Next);
            }
        };
        let file = MediaFile {
            bytes: &bytes,
            sha256: &photo.sha256,
            content_type: photo.content_type,
        };
        let (client, chunk) = (self.client, self.config.photo_chunk);
        let answer = self
            .call(|token| async move { upload_media(client, &token, file, chunk).await })
            .await;
        match answer {
            Ok(_) => {
                if let Err(e) = media.mark_uploaded(&photo.sha256) {
                    tracing::info!(sha256 = %photo.sha256, %e, "photo uploaded, marker not written");
                }
                self.outcome.photos_uploaded += 1;
            }
            Err(e) if e.is_transient() || e.status() == Some(401) => return Err(e.into()),
            Err(e) => {
                tracing::info!(sha256 = %photo.sha256, %e, "the server refused a photo");
                self.photos_waiting.insert(photo.sha256.clone());
            }
        }
        Ok(Step::Next)
    }

    /// Sends `planned` (its first items up to the byte budget) as one request and marks what
    /// the server accepted in one transaction. A new plan follows when not all of it was
    /// accepted: the rest of a batch cut by the byte budget goes in the next batch, articles
    /// with an item not accepted go one by one, and a server without batches gets single
    /// pushes.
    async fn push_batch(
        &mut self,
        store: &impl StoreAccess,
        planned: &[OutboxItem],
    ) -> Result<Step, SyncError> {
        let mut body = b"{\"items\":[".to_vec();
        let mut sizes = Vec::with_capacity(planned.len());
        for item in planned {
            if !sizes.is_empty() && body.len() >= self.config.batch_bytes {
                break;
            }
            let push = store.with(|s| s.revision_push(item.revision_id))?;
            let wire = store.with(|s| encode_push(s, &push, self.config))?;
            let json = wire.delta.unwrap_or(wire.full);
            if !sizes.is_empty() {
                body.push(b',');
            }
            body.extend_from_slice(
                format!("{{\"article_id\":\"{}\",\"revision\":", item.article_id).as_bytes(),
            );
            body.extend_from_slice(&json);
            body.push(b'}');
            sizes.push(json.len() as u64);
        }
        body.extend_from_slice(b"]}");
        let batch = &planned[..sizes.len()];
        let (bytes, encoding) = compress(body, self.config);
        let client = self.client;
        let items = batch.len();
        let answer = self
            .call(|token| {
                let bytes = bytes.clone();
                async move {
                    client
                        .push_batch_bytes(&token, items, bytes, encoding)
                        .await
                }
            })
            .await;
        let answer = match answer {
            Ok(answer) => answer,
            // No batch route (an older server), or a batch it will not take as a whole: the
            // revisions go one by one.
            Err(e) if matches!(e.status(), Some(400 | 404 | 405 | 413 | 415 | 422)) => {
                tracing::info!(%e, "the server refused a batch: pushing one by one");
                self.batching = false;
                return Ok(Step::Replan);
            }
            Err(e) => {
                store.with(|s| s.note_attempt(&batch[0]))?;
                return Err(SyncError::Client(e));
            }
        };
        let mut accepted = Vec::new();
        let mut not_accepted = HashSet::new();
        let mut accepted_bytes = Vec::new();
        for ((item, result), size) in batch.iter().zip(&answer.results).zip(&sizes) {
            if result.accepted.is_some() && matches!(result.status, 200 | 201) {
                accepted.push(item.clone());
                accepted_bytes.push(*size);
            } else {
                not_accepted.insert(item.article_id);
            }
        }
        store.with(|s| s.mark_all_done(&accepted))?;
        for (item, size) in accepted.iter().zip(accepted_bytes) {
            self.outcome.pushed += 1;
            self.outcome.articles_changed.insert(item.article_id);
            self.done(size);
        }
        if accepted.len() == planned.len() {
            return Ok(Step::Next);
        }
        self.one_by_one.extend(not_accepted);
        Ok(Step::Replan)
    }

    /// One push (delta or full), retried as [`Round::call`] does.
    async fn push(
        &mut self,
        item: &OutboxItem,
        push: &RevisionPush,
        wire: &Wire,
        use_delta: bool,
    ) -> Result<PushResult, ClientError> {
        let json = match (&wire.delta, use_delta) {
            (Some(delta), true) => delta,
            _ => &wire.full,
        };
        let (bytes, encoding) = compress(json.clone(), self.config);
        let client = self.client;
        let (article, id, parent) = (item.article_id, push.id, push.parent);
        self.call(|token| {
            let bytes = bytes.clone();
            async move {
                client
                    .push_revision_bytes(&token, article, id, parent, bytes, encoding)
                    .await
            }
        })
        .await
    }

    fn done(&mut self, bytes: u64) {
        self.report.items_done += 1;
        self.report.bytes_done += bytes;
        // Merge rows are added during the round: the total grows with them.
        self.report.items_total = self.report.items_total.max(self.report.items_done);
        self.report.bytes_total = self.report.bytes_total.max(self.report.bytes_done);
        self.progress.report(&self.report);
    }

    /// Merges the local head with the server's head against the pushed revision's parent and
    /// records the merge revision (fetching the parent first when it is not here).
    async fn merge(
        &mut self,
        store: &impl StoreAccess,
        item: &OutboxItem,
        push: &RevisionPush,
        conflict: &PushConflict,
    ) -> Result<RevisionId, SyncError> {
        if let Some(parent) = push.parent {
            self.fetch_missing(store, &[parent]).await?;
        }
        let theirs = &conflict.head_revision;
        let recorded = store.with(|s| merge_locally(s, item, push.parent, theirs))?;
        Ok(recorded)
    }

    /// Fetches revisions the store lacks; ones the server will not show (403/404) are skipped.
    async fn fetch_missing(
        &mut self,
        store: &impl StoreAccess,
        revs: &[RevisionId],
    ) -> Result<(), SyncError> {
        let missing = store.with(|s| s.missing_revisions(revs))?;
        let mut fetched = Vec::new();
        for rev in missing {
            let client = self.client;
            match self
                .call(|token| async move { client.revision(&token, rev).await })
                .await
            {
                Ok(record) => fetched.push(record),
                Err(e) if matches!(e.status(), Some(403 | 404)) => {
                    tracing::info!(%rev, "a parent revision is not visible to this user");
                }
                Err(e) => return Err(e.into()),
            }
        }
        self.outcome.parents_fetched += fetched.len();
        store.with(|s| s.keep_server_revisions(&fetched))?;
        Ok(())
    }

    /// Pulls the changes feed page by page; each page is applied with its cursor in one
    /// transaction, after its missing parents are fetched.
    async fn pull_changes(&mut self, store: &impl StoreAccess) -> Result<Step, SyncError> {
        let limit = self.config.changes_page;
        if self.config.windowed
            && store.with(|s| s.changes_cursor())? == 0
            && store.with(|s| s.setting(WINDOW_TAKEN))?.is_none()
        {
            self.pull_window(store).await?;
        }
        loop {
            let since = store.with(|s| s.changes_cursor())?;
            let client = self.client;
            let page = self
                .call(|token| async move { client.changes(&token, since, limit).await })
                .await?;
            let n = page.changes.len();
            let in_page: HashSet<RevisionId> = page
                .changes
                .iter()
                .filter_map(|c| c.revision.as_ref().map(|r| r.id))
                .collect();
            let parents: Vec<RevisionId> = page
                .changes
                .iter()
                .filter_map(|c| c.revision.as_ref())
                .flat_map(|r| [r.parent, r.merge_parent])
                .flatten()
                .filter(|p| !in_page.contains(p))
                .collect();
            store.with(|s| s.apply_changes(&page))?;
            self.fetch_missing(store, &parents).await?;
            self.outcome.changes_applied += n;
            self.outcome
                .articles_changed
                .extend(page.changes.iter().map(|change| change.article_id));
            if n < limit as usize || page.next <= since {
                return Ok(Step::Next);
            }
        }
    }

    /// A laptop with no cursor yet takes the window page by page, each applied as the feed's
    /// pages are (without fetching parents: history comes when it is needed), then sets its
    /// cursor to the first page's `as_of`, from which the feed brings whatever changed while
    /// it paged, and notes that the window was taken. Cut short, the next round starts the
    /// window again (applying a page twice changes nothing). A server without the route (404) leaves the
    /// cursor at 0: the feed is then read from the start.
    async fn pull_window(&mut self, store: &impl StoreAccess) -> Result<(), SyncError> {
        let limit = self.config.changes_page;
        let (mut after, mut as_of) = (None, None);
        loop {
            let client = self.client;
            let page = match self
                .call(|token| async move { client.window(&token, after, limit).await })
                .await
            {
                Ok(page) => page,
                Err(e) if e.status() == Some(404) && after.is_none() => {
                    tracing::info!("the server has no window: reading the whole feed");
                    return Ok(());
                }
                Err(e) => return Err(e.into()),
            };
            let as_of = *as_of.get_or_insert(page.as_of);
            let n = page.articles.len();
            self.outcome
                .articles_changed
                .extend(page.articles.iter().map(|change| change.article_id));
            let page_as_feed = ChangesPage {
                changes: page.articles,
                // The cursor moves only with the last page.
                next: if page.next_after.is_none() { as_of } else { 0 },
            };
            store.with(|s| s.apply_changes(&page_as_feed))?;
            self.outcome.changes_applied += n;
            match page.next_after {
                Some(next) => after = Some(next),
                None => {
                    // Said apart from the cursor, which stays 0 in an empty newsroom.
                    let taken = as_of.to_string();
                    store.with(|s| s.set_setting(WINDOW_TAKEN, Some(&taken)))?;
                    return Ok(());
                }
            }
        }
    }

    /// Records a failed row: a transient failure or an expired login stops the round (the
    /// row stays pending); a refusal marks the row rejected, blocks the article's later rows
    /// and asks for a new plan without them.
    fn refused(
        &mut self,
        store: &impl StoreAccess,
        item: &OutboxItem,
        error: ClientError,
    ) -> Result<Step, SyncError> {
        if error.is_transient() || error.status() == Some(401) {
            store.with(|s| s.note_attempt(item))?;
            return Err(SyncError::Client(error));
        }
        store.with(|s| s.mark_rejected(item, error.code().as_str(), &error.to_string()))?;
        self.blocked.insert(item.article_id);
        self.outcome.rejected += 1;
        self.outcome.articles_changed.insert(item.article_id);
        self.done(0);
        Ok(Step::Replan)
    }
}

/// A request body, zstd-compressed when it is larger than the configured threshold.
fn compress(json: Vec<u8>, config: &SyncConfig) -> (Vec<u8>, Option<&'static str>) {
    match config.zstd_above {
        Some(above) if json.len() > above => match zstd::encode_all(json.as_slice(), 3) {
            Ok(packed) => (packed, Some("zstd")),
            Err(_) => (json, None),
        },
        _ => (json, None),
    }
}

/// A push as JSON: the full document, and the delta against the parent when that is smaller.
struct Wire {
    full: Vec<u8>,
    delta: Option<Vec<u8>>,
}

fn encode_push(
    s: &mut Store,
    push: &RevisionPush,
    config: &SyncConfig,
) -> Result<Wire, StoreError> {
    let full = serde_json::to_vec(push)?;
    let parent = match push.parent {
        Some(p) if config.deltas => s.local_revision(p)?,
        _ => None,
    };
    let Some((parent, _)) = parent else {
        return Ok(Wire { full, delta: None });
    };
    let delta = BlockDelta::between(&parent.body, &push.body);
    let mut value = serde_json::to_value(push)?;
    if let Some(object) = value.as_object_mut() {
        object.remove("body");
        object.insert("delta".into(), serde_json::to_value(&delta)?);
    }
    let delta = serde_json::to_vec(&value)?;
    Ok(Wire {
        delta: (delta.len() < full.len()).then_some(delta),
        full,
    })
}

/// The merge itself, under the store lock: base = the pushed revision's parent, ours = the
/// local head, theirs = the server's head; unsaved typing is merged into the new working copy.
fn merge_locally(
    s: &mut Store,
    item: &OutboxItem,
    parent: Option<RevisionId>,
    theirs: &RevisionRecord,
) -> Result<RevisionId, StoreError> {
    let draft = s.load_article(item.article_id)?;
    let (base_meta, base_body) = match parent {
        Some(p) => match s.local_revision(p)? {
            Some((rev, _)) => (rev.meta, rev.body),
            None => {
                return Err(StoreError::Corrupt(format!(
                    "the common ancestor {p} is neither here nor on the server"
                )));
            }
        },
        None => (
            ArticleMeta {
                desk: draft.meta.desk.clone(),
                ..ArticleMeta::default()
            },
            Document::empty(),
        ),
    };
    let head = draft.head.unwrap_or(item.revision_id);
    let (ours, ours_author) = s
        .local_revision(head)?
        .ok_or_else(|| StoreError::Corrupt(format!("the local head {head} is missing")))?;
    let ours_who = Author::new(ours_author.clone(), ours.created_at.clone());
    let theirs_who = Author::new(theirs.author.clone(), theirs.created_at.clone());
    let merged = merge(
        &base_meta,
        &base_body,
        Side {
            meta: &ours.meta,
            body: &ours.body,
            author: &ours_who,
        },
        Side {
            meta: &theirs.meta,
            body: &theirs.body,
            author: &theirs_who,
        },
    );
    let typing_saved = RevisionPush::hash_of(&draft.meta, &draft.body) == ours.sha256;
    let working_copy = if typing_saved {
        (merged.meta.clone(), merged.body.clone())
    } else {
        let typed = merge(
            &ours.meta,
            &ours.body,
            Side {
                meta: &draft.meta,
                body: &draft.body,
                author: &ours_who,
            },
            Side {
                meta: &merged.meta,
                body: &merged.body,
                author: &theirs_who,
            },
        );
        (typed.meta, typed.body)
    };
    s.record_merge(MergeRecord {
        conflicted: item,
        server_head: theirs,
        meta: merged.meta,
        body: merged.body,
        author: &ours_author,
        working_copy,
    })
}

#[cfg(test)]
mod tests {
    //! The retry and re-login policy of [`Round::call`] on tokio's paused clock: canned
    //! answers, no network, no real waiting.

    use super::*;
    use crate::auth::{Relogin, ReloginFuture};
    use crate::progress::NoProgress;
    use barta_model::api::{SessionResponse, UserInfo};
    use barta_model::{ErrorCode, Role, UserId};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;
    use tokio::time::Instant;

    fn refused(status: u16, retry_after: Option<u64>) -> ClientError {
        ClientError::Refused {
            status,
            code: ErrorCode::Internal,
            message: "canned".into(),
            retry_after: retry_after.map(Duration::from_secs),
        }
    }

    struct CountingLogin(AtomicUsize);

    impl Relogin for CountingLogin {
        fn relogin<'a>(&'a self, _: &'a Client) -> ReloginFuture<'a> {
            let n = self.0.fetch_add(1, Ordering::SeqCst);
            Box::pin(async move {
                Ok(SessionResponse {
                    token: format!("fresh-{n}"),
                    expires_in: 60,
                    user: UserInfo {
                        id: UserId::new(),
                        username: "rahim".into(),
                        role: Role::Reporter,
                        desks: vec![],
                    },
                    app_lock_after: None,
                })
            })
        }
    }

    async fn run_call(
        answers: Vec<Result<u32, ClientError>>,
        session: &mut Session,
        backoff: Backoff,
    ) -> (Result<u32, ClientError>, Vec<String>, SyncOutcome) {
        let client = Client::new("http://127.0.0.1:9").unwrap();
        let config = SyncConfig {
            backoff,
            ..SyncConfig::default()
        };
        let input = RoundInput::default();
        let mut round = Round::new(&client, session, &config, &input, &NoProgress);
        let answers = Mutex::new(answers.into_iter());
        let tokens = Mutex::new(Vec::new());
        let result = round
            .call(|token| {
                tokens.lock().unwrap().push(token);
                let next = answers.lock().unwrap().next();
                async move { next.unwrap_or(Ok(0)) }
            })
            .await;
        (result, tokens.into_inner().unwrap(), round.outcome)
    }

    #[tokio::test(start_paused = true)]
    async fn a_503_with_retry_after_waits_at_least_that_long() {
        let start = Instant::now();
        let mut session = Session::token("t");
        let (result, _, outcome) = run_call(
            vec![Err(refused(503, Some(30))), Ok(7)],
            &mut session,
            Backoff::default(),
        )
        .await;
        assert_eq!(result.unwrap(), 7);
        assert_eq!(outcome.retries, 1);
        let waited = start.elapsed();
        assert!(waited >= Duration::from_secs(30), "waited {waited:?}");
        // Full jitter of the first window (0.5 s) on top is the most it may add.
        assert!(waited <= Duration::from_millis(30_500), "waited {waited:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn backoff_windows_double_and_the_round_gives_up_after_max_retries() {
        let start = Instant::now();
        let mut session = Session::token("t");
        let backoff = Backoff {
            base: Duration::from_secs(1),
            cap: Duration::from_secs(4),
            max_retries: 3,
            ..Backoff::default()
        };
        let answers = (0..10).map(|_| Err(refused(500, None))).collect();
        let (result, tokens, outcome) = run_call(answers, &mut session, backoff).await;
        assert_eq!(result.unwrap_err().status(), Some(500));
        assert_eq!(tokens.len(), 4, "one try and three retries");
        assert_eq!(outcome.retries, 3);
        // Full jitter: at most the windows 1 + 2 + 4 seconds.
        assert!(start.elapsed() <= Duration::from_secs(7));
    }

    #[tokio::test(start_paused = true)]
    async fn a_401_logs_in_once_and_retries_with_the_new_token() {
        let login = Arc::new(CountingLogin(AtomicUsize::new(0)));
        let mut session = Session::with_relogin("old", login.clone());
        let (result, tokens, outcome) = run_call(
            vec![Err(refused(401, None)), Ok(1)],
            &mut session,
            Backoff::default(),
        )
        .await;
        assert_eq!(result.unwrap(), 1);
        assert_eq!(tokens, vec!["old", "fresh-0"]);
        assert_eq!(outcome.relogins, 1);
        assert_eq!(session.token, "fresh-0");

        // A second 401 after the re-login stops: no loop of logins.
        let login = Arc::new(CountingLogin(AtomicUsize::new(0)));
        let mut session = Session::with_relogin("old", login.clone());
        let (result, tokens, _) = run_call(
            vec![Err(refused(401, None)), Err(refused(401, None)), Ok(1)],
            &mut session,
            Backoff::default(),
        )
        .await;
        assert_eq!(result.unwrap_err().status(), Some(401));
        assert_eq!(tokens.len(), 2);
        assert_eq!(login.0.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_refusal_is_not_retried() {
        let mut session = Session::token("t");
        let (result, tokens, _) = run_call(
            vec![Err(refused(422, None)), Ok(1)],
            &mut session,
            Backoff::default(),
        )
        .await;
        assert_eq!(result.unwrap_err().status(), Some(422));
        assert_eq!(tokens.len(), 1);
    }
}
