//! [`Store`] on PostgreSQL: each method one transaction, the write rules from
//! `store::rules` over [`PgTx`], everything else in this directory's modules (the SQL twins
//! of `store/sqlite/`'s).

use super::{
    Db, PgStore, PgTx, accounts, admin, archive, articles, deliveries, logins, media, presence,
};
use crate::policy::{self, Denial};
use crate::publishing::{AttemptOutcome, DueDelivery, RemoteMedia, RemotePost, TargetRecord};
use crate::store::rules::{self, ArticleRow, Tx};
use crate::store::{
    Account, AuditCheck, AuditEntry, AuditFilter, Credentials, MediaFile, MediaStatus,
    NewAuditEntry, NewMedia, NewRevision, NewUser, Publication, PublishOrder, PushOutcome,
    ReleaseFilter, ReleaseRecord, SessionEntry, SessionScope, Store, StoreError,
};
use barta_model::api::{
    ApproveRequest, ApproveResponse, ArticleResponse, ChangesPage, CommentPut, CommentRecord,
    CorrectRequest, DeliveryInfo, DeskInfo, LexiconResponse, PublishResponse, RevisionRecord,
    TransitionRequest, TransitionResponse, UserInfo,
};
use barta_model::{ArticleId, RevisionId, Role, UserId};

impl PgStore {
    /// Records a denial found on a read path (reads run in read-only transactions).
    fn deny_read(&self, actor: &UserInfo, article: ArticleId, denial: Denial) -> StoreError {
        let message = denial.to_string();
        match self.write(|tx| Ok(rules::deny(tx, actor, Some(article), "read", &message))) {
            Ok(e) | Err(e) => e,
        }
    }

    /// Loads an article the actor may read and answers `then` on it, or says why not.
    fn readable_article<T: Send>(
        &self,
        actor: &UserInfo,
        id: ArticleId,
        then: impl FnOnce(&mut Db<'_>, &ArticleRow) -> Result<T, StoreError> + Send,
    ) -> Result<T, StoreError> {
        let outcome = self.read(|tx| {
            let article = articles::load_article(tx, id)?
                .ok_or_else(|| StoreError::NotFound(format!("article {id}")))?;
            match policy::may_read(actor, article.facts()) {
                Ok(()) => then(tx, &article).map(Ok),
                Err(denial) => Ok(Err(denial)),
            }
        })?;
        outcome.map_err(|denial| self.deny_read(actor, id, denial))
    }
}

impl Store for PgStore {
    fn health(&self) -> Result<(), StoreError> {
        self.read(|tx| {
            tx.query_one("SELECT 1", &[])?;
            Ok(())
        })
    }

    fn add_desk(&self, slug: &str, name: &str) -> Result<(), StoreError> {
        self.write(|tx| accounts::add_desk(&mut *tx.0, slug, name))
    }

    fn desk_exists(&self, slug: &str) -> Result<bool, StoreError> {
        self.read(|tx| accounts::desk_exists(tx, slug))
    }

    fn desks_of(&self, user: UserId) -> Result<Vec<DeskInfo>, StoreError> {
        self.read(|tx| accounts::desks_of(tx, user))
    }

    fn add_user(&self, user: NewUser) -> Result<UserInfo, StoreError> {
        self.write(|tx| accounts::add_user(&mut *tx.0, user.clone()))
    }

    fn credentials(&self, username: &str) -> Result<Option<Credentials>, StoreError> {
        self.read(|tx| accounts::credentials(tx, username))
    }

    fn create_token(
        &self,
        user: UserId,
        token_sha256: &[u8; 32],
        expires_at: i64,
    ) -> Result<(), StoreError> {
        self.write(|tx| accounts::create_token(&mut *tx.0, user, token_sha256, expires_at))
    }

    fn token_user(
        &self,
        token_sha256: &[u8; 32],
        now_unix: i64,
        idle_cutoff: i64,
    ) -> Result<Option<(UserInfo, i64)>, StoreError> {
        self.alone(|conn| accounts::token_user(conn, token_sha256, now_unix, idle_cutoff))
    }

    fn touch_token(&self, token_sha256: &[u8; 32], now_unix: i64) -> Result<(), StoreError> {
        self.write(|tx| accounts::touch_token(&mut *tx.0, token_sha256, now_unix))
    }

    fn revoke_token(&self, token_sha256: &[u8; 32]) -> Result<(), StoreError> {
        self.write(|tx| accounts::revoke_token(&mut *tx.0, token_sha256))
    }

    fn accounts(&self, now_unix: i64) -> Result<Vec<Account>, StoreError> {
        self.read(|tx| accounts::list(tx, now_unix))
    }

    fn set_disabled(&self, username: &str, disabled: bool) -> Result<(), StoreError> {
        self.write(|tx| accounts::set_disabled(&mut *tx.0, username, disabled))
    }

    fn set_role_and_desks(
        &self,
        username: &str,
        role: Option<Role>,
        desks: Option<&[String]>,
    ) -> Result<UserInfo, StoreError> {
        self.write(|tx| accounts::set_role_and_desks(&mut *tx.0, username, role, desks))
    }

    fn set_password_hash(&self, username: &str, password_hash: &str) -> Result<(), StoreError> {
        self.write(|tx| accounts::set_password_hash(&mut *tx.0, username, password_hash))
    }

    fn sessions(
        &self,
        username: Option<&str>,
        now_unix: i64,
    ) -> Result<Vec<SessionEntry>, StoreError> {
        self.read(|tx| accounts::sessions(tx, username, now_unix))
    }

    fn revoke_sessions(&self, scope: SessionScope<'_>) -> Result<usize, StoreError> {
        self.write(|tx| accounts::revoke_sessions(&mut *tx.0, scope))
    }

    fn push_revision(&self, actor: &UserInfo, rev: NewRevision) -> Result<PushOutcome, StoreError> {
        let outcome = self.write(|tx| rules::push(tx, actor, &rev, self.failpoint))?;
        self.numbered(outcome)
    }

    fn push_revisions(
        &self,
        actor: &UserInfo,
        revs: Vec<NewRevision>,
    ) -> Result<Vec<Option<Result<PushOutcome, StoreError>>>, StoreError> {
        // One transaction, one savepoint per item, as on SQLite: a refused item keeps only
        // its audit entry.
        self.write(|tx| {
            let mut stopped = std::collections::HashSet::new();
            let mut answers = Vec::with_capacity(revs.len());
            for rev in &revs {
                if stopped.contains(&rev.article_id) {
                    answers.push(None);
                    continue;
                }
                tx.0.batch_execute("SAVEPOINT batch_item")?;
                let answer = match rules::push(tx, actor, rev, self.failpoint) {
                    Err(e) if e.is_failure() => return Err(e),
                    answer => answer,
                };
                tx.0.batch_execute("RELEASE SAVEPOINT batch_item")?;
                if !matches!(answer, Ok(PushOutcome::Accepted(_))) {
                    stopped.insert(rev.article_id);
                }
                answers.push(Some(answer));
            }
            Ok(answers)
        })
        .map(|answers| {
            answers
                .into_iter()
                .map(|answer| answer.map(|a| a.and_then(|outcome| self.numbered(outcome))))
                .collect()
        })
    }

    fn article(&self, actor: &UserInfo, id: ArticleId) -> Result<ArticleResponse, StoreError> {
        self.readable_article(actor, id, articles::article_response)
    }

    fn revision(&self, actor: &UserInfo, id: RevisionId) -> Result<RevisionRecord, StoreError> {
        let record = self
            .read(|tx| PgTx::new(tx).revision(id))?
            .ok_or_else(|| StoreError::NotFound(format!("revision {id}")))?;
        self.readable_article(actor, record.article_id, |_, _| Ok(()))?;
        Ok(record)
    }

    fn history(&self, actor: &UserInfo, id: ArticleId) -> Result<Vec<RevisionRecord>, StoreError> {
        self.readable_article(actor, id, |tx, article| articles::history(tx, article.id))
    }

    fn changes(&self, actor: &UserInfo, since: i64, limit: u32) -> Result<ChangesPage, StoreError> {
        self.read_feed(|tx| articles::changes(tx, actor, since, limit))
    }

    fn window(
        &self,
        actor: &UserInfo,
        touched_since: &str,
        after: Option<ArticleId>,
        limit: u32,
    ) -> Result<(i64, Vec<barta_model::api::Change>), StoreError> {
        self.read_feed(|tx| articles::window(tx, actor, touched_since, after, limit))
    }

    fn search_archive(
        &self,
        actor: &UserInfo,
        terms: &[bangla::search::Term],
        limit: u32,
    ) -> Result<Vec<crate::store::archive::ArchiveMatch>, StoreError> {
        self.read(|tx| archive::search(tx, actor, terms, limit))
    }

    fn index_archive_backlog(&self, limit: u32) -> Result<usize, StoreError> {
        let backlog = self.read(|tx| archive::backlog(tx, limit))?;
        if backlog.is_empty() {
            // Up to date (the usual case, every search and every rest of the indexer): no write.
            return Ok(0);
        }
        // The keys in one transaction, the list struck in another, short one: a push listing
        // its article again waits on that row only for the strike, not for the indexing.
        self.write(|tx| {
            for (article, _, doc) in &backlog {
                archive::index(tx.0, *article, doc)?;
            }
            Ok(())
        })?;
        self.write(|tx| {
            for (article, head, _) in &backlog {
                archive::indexed(tx.0, *article, *head)?;
            }
            Ok(backlog.len())
        })
    }

    fn transition(
        &self,
        actor: &UserInfo,
        id: ArticleId,
        req: TransitionRequest,
    ) -> Result<TransitionResponse, StoreError> {
        self.write(|tx| rules::transition(tx, actor, id, req.clone()))
    }

    fn approve(
        &self,
        actor: &UserInfo,
        id: ArticleId,
        if_match: RevisionId,
        req: ApproveRequest,
    ) -> Result<ApproveResponse, StoreError> {
        self.write(|tx| rules::approve(tx, actor, id, if_match, req.clone()))
    }

    fn publish(
        &self,
        actor: &UserInfo,
        id: ArticleId,
        order: PublishOrder,
    ) -> Result<PublishResponse, StoreError> {
        self.write(|tx| rules::publish(tx, actor, id, order.clone()))
    }

    fn published(&self, since: i64, limit: u32, now: &str) -> Result<Vec<Publication>, StoreError> {
        self.read(|tx| articles::published(tx, since, limit, now))
    }

    fn publication(&self, id: &str, now: &str) -> Result<Publication, StoreError> {
        self.read(|tx| articles::publication(tx, id, now))
    }

    fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        self.read(|tx| admin::audit_entries(tx, filter))
    }

    fn record_audit(&self, entry: &NewAuditEntry) -> Result<(), StoreError> {
        self.record_audit_grouped(entry)
    }

    fn check_audit(&self) -> Result<AuditCheck, StoreError> {
        self.read(admin::audit_check)
    }

    fn correct(
        &self,
        actor: &UserInfo,
        id: ArticleId,
        if_match: RevisionId,
        req: CorrectRequest,
    ) -> Result<PublishResponse, StoreError> {
        self.write(|tx| rules::correct(tx, actor, id, if_match, req.clone()))
    }

    fn create_media(&self, actor: &UserInfo, new: NewMedia) -> Result<MediaStatus, StoreError> {
        self.write(|tx| rules::create_media(tx, actor, new.clone()))
    }

    fn media_status(&self, actor: &UserInfo, id: &str) -> Result<MediaStatus, StoreError> {
        self.read(|tx| rules::media_status(&mut PgTx::new(tx), actor, id))
    }

    fn append_media(
        &self,
        actor: &UserInfo,
        id: &str,
        offset: u64,
        chunk: &[u8],
    ) -> Result<MediaStatus, StoreError> {
        self.write(|tx| rules::append_media(tx, actor, id, offset, chunk))
    }

    fn media_bytes(&self, sha256: &str) -> Result<(String, Vec<u8>), StoreError> {
        self.read(|tx| rules::media_bytes(&mut PgTx::new(tx), sha256))
    }

    fn media_file(
        &self,
        viewer: Option<&UserInfo>,
        sha256: &str,
        now: &str,
    ) -> Result<MediaFile, StoreError> {
        self.read(|tx| rules::media_file(&mut PgTx::new(tx), viewer, sha256, now))
    }

    fn media_chunk(
        &self,
        upload_id: &str,
        offset: u64,
    ) -> Result<Option<(u64, Vec<u8>)>, StoreError> {
        self.read(|tx| media::chunk(tx, upload_id, offset))
    }

    fn put_comment(
        &self,
        actor: &UserInfo,
        article: ArticleId,
        comment_id: &str,
        put: CommentPut,
    ) -> Result<CommentRecord, StoreError> {
        self.write(|tx| rules::put_comment(tx, actor, article, comment_id, put.clone()))
    }

    fn comments(
        &self,
        actor: &UserInfo,
        article: ArticleId,
    ) -> Result<Vec<CommentRecord>, StoreError> {
        self.readable_article(actor, article, |tx, a| articles::comments(tx, a.id))
    }

    fn add_target(&self, target: TargetRecord) -> Result<(), StoreError> {
        self.write(|tx| deliveries::add_target(&mut *tx.0, &target))
    }

    fn targets(&self) -> Result<Vec<TargetRecord>, StoreError> {
        self.read(|tx| PgTx::new(tx).targets())
    }

    fn remove_target(&self, name: &str) -> Result<(), StoreError> {
        self.write(|tx| deliveries::remove_target(&mut *tx.0, name))
    }

    fn due_deliveries(&self, now: &str, limit: u32) -> Result<Vec<DueDelivery>, StoreError> {
        self.write(|tx| deliveries::due(&mut *tx.0, now, limit, self.delivery_lease()))
    }

    fn next_delivery_due(&self) -> Result<Option<String>, StoreError> {
        self.read(deliveries::next_due)
    }

    fn finish_delivery_attempt(&self, id: &str, outcome: AttemptOutcome) -> Result<(), StoreError> {
        self.write(|tx| deliveries::finish_attempt(&mut *tx.0, id, &outcome))
    }

    fn remote_post(
        &self,
        target: &str,
        article: ArticleId,
    ) -> Result<Option<RemotePost>, StoreError> {
        self.read(|tx| deliveries::remote_post(tx, target, article))
    }

    fn save_remote_post(
        &self,
        target: &str,
        article: ArticleId,
        post: RemotePost,
    ) -> Result<(), StoreError> {
        self.write(|tx| deliveries::save_remote_post(&mut *tx.0, target, article, &post))
    }

    fn remote_media(&self, target: &str, sha256: &str) -> Result<Option<RemoteMedia>, StoreError> {
        self.read(|tx| deliveries::remote_media(tx, target, sha256))
    }

    fn save_remote_media(
        &self,
        target: &str,
        sha256: &str,
        media: RemoteMedia,
    ) -> Result<(), StoreError> {
        self.write(|tx| deliveries::save_remote_media(&mut *tx.0, target, sha256, &media))
    }

    fn publication_snapshot(&self, id: &str) -> Result<Publication, StoreError> {
        self.read(|tx| articles::publication_snapshot(tx, id))
    }

    fn deliveries(
        &self,
        actor: &UserInfo,
        article: ArticleId,
    ) -> Result<Vec<DeliveryInfo>, StoreError> {
        self.readable_article(actor, article, |tx, a| PgTx::new(tx).deliveries_of(a.id))
    }

    fn retry_delivery(
        &self,
        actor: &UserInfo,
        id: ArticleId,
        target: &str,
    ) -> Result<Vec<DeliveryInfo>, StoreError> {
        self.write(|tx| rules::retry_delivery(tx, actor, id, target))
    }

    fn beat_presence(
        &self,
        article: ArticleId,
        user: &UserInfo,
    ) -> Result<Vec<barta_model::api::PresenceEntry>, StoreError> {
        let now_ms = chrono::Utc::now().timestamp_millis();
        self.write(|tx| presence::beat(&mut *tx.0, article, user, now_ms))
    }

    fn leave_presence(&self, article: ArticleId, user: &UserInfo) -> Result<(), StoreError> {
        self.write(|tx| presence::leave(&mut *tx.0, article, user))
    }

    fn begin_login(
        &self,
        limits: &crate::throttle::ThrottleLimits,
        account: &str,
        address: Option<std::net::IpAddr>,
    ) -> Result<Result<(), std::time::Duration>, StoreError> {
        self.write(|tx| logins::begin(&mut *tx.0, limits, account, address))
    }

    fn settle_login(
        &self,
        account: &str,
        address: Option<std::net::IpAddr>,
        how: crate::throttle::LoginSettled,
    ) -> Result<(), StoreError> {
        self.write(|tx| logins::settle(&mut *tx.0, account, address, how))
    }

    fn lexicon(&self, _actor: &UserInfo) -> Result<LexiconResponse, StoreError> {
        // Everyone logged in: it is made of published text and editors' words.
        self.read(admin::lexicon)
    }

    fn newsroom_setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.read(|tx| admin::setting(tx, key))
    }

    fn set_newsroom_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.write(|tx| admin::set_setting(&mut *tx.0, key, value))
    }

    fn add_lexicon_word(&self, actor: &UserInfo, word: &str) -> Result<(), StoreError> {
        self.write(|tx| rules::add_lexicon_word(tx, actor, word))
    }

    fn add_release(&self, release: ReleaseRecord) -> Result<(), StoreError> {
        self.write(|tx| admin::add_release(&mut *tx.0, &release))
    }

    fn releases(&self, filter: &ReleaseFilter) -> Result<Vec<ReleaseRecord>, StoreError> {
        self.read(|tx| admin::releases(tx, filter))
    }

    fn release_file(&self, version: &str, file_name: &str) -> Result<ReleaseRecord, StoreError> {
        self.read(|tx| admin::release_file(tx, version, file_name))
    }

    fn remove_releases(&self, filter: &ReleaseFilter) -> Result<Vec<ReleaseRecord>, StoreError> {
        self.write(|tx| admin::remove_releases(&mut *tx.0, filter))
    }
}
