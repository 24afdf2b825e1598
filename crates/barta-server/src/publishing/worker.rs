//! The delivery worker inside `barta serve`: takes due deliveries from the outbox, sends each
//! to its target, and records how the attempt ended. It wakes when a handler writes a
//! publication event ([`Worker::waker`]) and at least every [`POLL`] (for scheduled and
//! retried deliveries coming due).

use super::content::{PostContent, embargo_until, marker};
use super::secrets::SecretKey;
use super::webhook::{self, WebhookBody};
use super::wordpress::{PostFields, WordPress};
use super::{
    AttemptOutcome, DeliveryEvent, DueDelivery, RemotePost, SendError, TargetKind, TargetRecord,
    backoff,
};
use crate::failpoint::Failpoint;
use crate::store::{Publication, Store, StoreError};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, Semaphore};

/// The longest the worker sleeps without looking at the outbox.
pub const POLL: Duration = Duration::from_secs(5);
/// Deliveries taken from the outbox at once.
pub const BATCH: u32 = 32;
/// Deliveries sent at the same time (each to a different article or target).
pub const CONCURRENCY: usize = 8;

/// The worker; cheap to clone.
#[derive(Clone)]
pub struct Worker {
    store: Arc<dyn Store>,
    key: Arc<SecretKey>,
    http: reqwest::Client,
    wake: Arc<Notify>,
    failpoint: Option<Failpoint>,
    /// One lock per target around finding-or-making tags: WordPress checks a new tag's name
    /// without a unique index, so two deliveries making the same tag at once would make two.
    tag_locks: Arc<std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>,
}

/// Why the worker could not start.
#[derive(Debug, thiserror::Error)]
#[error("cannot start the delivery worker's HTTP client: {0}")]
pub struct StartError(#[from] reqwest::Error);

impl Worker {
    /// A worker over `store`, opening target secrets with `key`; `wake` is notified by the
    /// handlers that write publication events.
    pub fn new(
        store: Arc<dyn Store>,
        key: SecretKey,
        wake: Arc<Notify>,
        failpoint: Option<Failpoint>,
    ) -> Result<Self, StartError> {
        let http = super::http_client()?;
        Ok(Self {
            store,
            key: Arc::new(key),
            http,
            wake,
            failpoint,
            tag_locks: Arc::default(),
        })
    }

    async fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let store = Arc::clone(&self.store);
        tokio::task::spawn_blocking(move || f(store.as_ref()))
            .await
            .map_err(|e| StoreError::Invalid(format!("a store call panicked: {e}")))?
    }

    fn tag_lock(&self, target: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self
            .tag_locks
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Arc::clone(locks.entry(target.to_owned()).or_default())
    }

    /// Runs until the task is dropped.
    pub async fn run(self) {
        tracing::info!("delivery worker started");
        loop {
            match self.run_once().await {
                Ok(0) => {}
                Ok(_) => continue,
                Err(e) => tracing::error!(error = %e, "cannot read the delivery outbox"),
            }
            let wait = match self.call(|s| s.next_delivery_due()).await {
                Ok(Some(due)) => DateTime::parse_from_rfc3339(&due)
                    .ok()
                    .and_then(|due| (due.to_utc() - Utc::now()).to_std().ok())
                    .unwrap_or_default()
                    .min(POLL),
                _ => POLL,
            };
            if wait.is_zero() {
                // Due now but not taken (a later event of an article waiting on an earlier
                // one that is in flight cannot happen here: nothing is in flight). Yield once.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(wait) => {}
            }
        }
    }

    /// Sends what is due now (at most [`BATCH`]); how many attempts were made.
    pub async fn run_once(&self) -> Result<usize, StoreError> {
        let now = crate::store::timestamp(Utc::now());
        let due = self.call(move |s| s.due_deliveries(&now, BATCH)).await?;
        if due.is_empty() {
            return Ok(0);
        }
        let targets: Arc<HashMap<String, TargetRecord>> = Arc::new(
            self.call(|s| s.targets())
                .await?
                .into_iter()
                .map(|t| (t.name.clone(), t))
                .collect(),
        );
        let count = due.len();
        let permits = Arc::new(Semaphore::new(CONCURRENCY));
        let mut tasks = tokio::task::JoinSet::new();
        for delivery in due {
            let worker = self.clone();
            let targets = Arc::clone(&targets);
            let permits = Arc::clone(&permits);
            tasks.spawn(async move {
                let _permit = permits.acquire_owned().await;
                let outcome = worker
                    .attempt(&delivery, targets.get(&delivery.target))
                    .await;
                worker.record(&delivery, outcome).await;
            });
        }
        while tasks.join_next().await.is_some() {}
        Ok(count)
    }

    async fn record(&self, delivery: &DueDelivery, outcome: AttemptOutcome) {
        match &outcome {
            AttemptOutcome::Delivered { remote_url } => tracing::info!(
                delivery = %delivery.id, target = %delivery.target, article = %delivery.article_id,
                event = delivery.event.as_str(), url = remote_url.as_deref().unwrap_or("-"),
                "delivered"
            ),
            AttemptOutcome::Retry { error, at } => tracing::warn!(
                delivery = %delivery.id, target = %delivery.target, article = %delivery.article_id,
                event = delivery.event.as_str(), %error, next = %at, "delivery will be retried"
            ),
            AttemptOutcome::Failed { error } => tracing::error!(
                delivery = %delivery.id, target = %delivery.target, article = %delivery.article_id,
                event = delivery.event.as_str(), %error, "delivery failed"
            ),
        }
        let id = delivery.id.clone();
        if let Err(e) = self
            .call(move |s| s.finish_delivery_attempt(&id, outcome))
            .await
        {
            tracing::error!(delivery = %delivery.id, error = %e, "cannot record a delivery attempt");
        }
    }

    /// One attempt at one delivery.
    pub async fn attempt(
        &self,
        delivery: &DueDelivery,
        target: Option<&TargetRecord>,
    ) -> AttemptOutcome {
        let Some(target) = target else {
            return AttemptOutcome::Failed {
                error: "the target was removed".into(),
            };
        };
        let secret = match self.key.open(&target.sealed_secret) {
            Ok(secret) => secret,
            Err(e) => {
                return AttemptOutcome::Failed {
                    error: format!(
                        "the target's secret cannot be opened ({e}): add the target again"
                    ),
                };
            }
        };
        let sent = match target.kind {
            TargetKind::Wordpress => self.to_wordpress(delivery, target, &secret).await,
            TargetKind::Webhook => self.to_webhook(delivery, target, &secret).await,
        };
        match sent {
            Ok(remote_url) => AttemptOutcome::Delivered { remote_url },
            Err(SendError::Retry { error, after }) => {
                let wait = after.unwrap_or_else(|| backoff(delivery.attempts));
                let at = Utc::now()
                    + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::seconds(60));
                AttemptOutcome::Retry {
                    error,
                    at: crate::store::timestamp(at),
                }
            }
            Err(SendError::Failed(error)) => AttemptOutcome::Failed { error },
        }
    }

    /// The publication a delivery is about, unless it is still under embargo.
    async fn publication(
        &self,
        delivery: &DueDelivery,
        now: DateTime<Utc>,
    ) -> Result<Option<Publication>, SendError> {
        let Some(id) = delivery.publication_id.clone() else {
            return Ok(None);
        };
        let publication = self
            .call(move |s| s.publication_snapshot(&id))
            .await
            .map_err(store_failure)?;
        let sends_text = matches!(
            delivery.event,
            DeliveryEvent::Publish | DeliveryEvent::Schedule | DeliveryEvent::Correct
        );
        if sends_text && let Some(until) = embargo_until(&publication, now) {
            return Err(SendError::Retry {
                error: format!(
                    "held until the embargo lifts at {}",
                    crate::store::timestamp(until)
                ),
                after: (until - now).to_std().ok(),
            });
        }
        Ok(Some(publication))
    }

    async fn to_webhook(
        &self,
        delivery: &DueDelivery,
        target: &TargetRecord,
        secret: &str,
    ) -> Result<Option<String>, SendError> {
        let now = Utc::now();
        let item = self.publication(delivery, now).await?.map(|p| {
            let mut item = crate::ninjs::render(&p);
            item.pubstatus = webhook::pubstatus(delivery.event);
            item
        });
        let body = WebhookBody {
            event: delivery.event.as_str(),
            delivery_id: &delivery.id,
            article_id: Some(delivery.article_id),
            sent_at: crate::store::timestamp(now),
            item,
        };
        webhook::send(&self.http, &target.url, secret, &body).await?;
        Ok(None)
    }

    async fn to_wordpress(
        &self,
        delivery: &DueDelivery,
        target: &TargetRecord,
        password: &str,
    ) -> Result<Option<String>, SendError> {
        let site = WordPress::new(
            self.http.clone(),
            &target.url,
            target.username.as_deref().unwrap_or_default(),
            password,
        );
        let now = Utc::now();
        match delivery.event {
            DeliveryEvent::Publish | DeliveryEvent::Schedule | DeliveryEvent::Correct => {
                let Some(publication) = self.publication(delivery, now).await? else {
                    return Err(SendError::Failed(
                        "the article has no publication to send".into(),
                    ));
                };
                self.post_to_wordpress(delivery, target, &site, &publication, now)
                    .await
            }
            DeliveryEvent::Unpublish => match self.find_post(delivery, &site).await? {
                Some(post) => {
                    let saved = site.set_status(&post.remote_id, "draft").await?;
                    self.remember(delivery, &saved).await?;
                    Ok(saved.remote_url)
                }
                None => Ok(None),
            },
            DeliveryEvent::Kill => match self.find_post(delivery, &site).await? {
                Some(post) => {
                    site.trash(&post.remote_id).await?;
                    Ok(None)
                }
                None => Ok(None),
            },
        }
    }

    async fn post_to_wordpress(
        &self,
        delivery: &DueDelivery,
        target: &TargetRecord,
        site: &WordPress,
        publication: &Publication,
        now: DateTime<Utc>,
    ) -> Result<Option<String>, SendError> {
        let mut urls = HashMap::new();
        let mut featured = None;
        for photo in barta_render::photos(&publication.body) {
            let (target_name, sha) = (target.name.clone(), photo.sha256.clone());
            let known = self
                .call(move |s| s.remote_media(&target_name, &sha))
                .await
                .map_err(store_failure)?;
            let media = match known {
                Some(media) => media,
                None => {
                    let sha = photo.sha256.clone();
                    let (content_type, bytes) =
                        self.call(move |s| s.media_bytes(&sha)).await.map_err(|e| {
                            SendError::Failed(format!(
                                "photo {} is not on the Barta server: {e}",
                                photo.file_name
                            ))
                        })?;
                    let (_, media) = site
                        .upload(
                            bytes,
                            &content_type,
                            &photo.file_name,
                            &photo.alt,
                            photo.caption.as_deref(),
                        )
                        .await?;
                    let (target_name, sha, saved) =
                        (target.name.clone(), photo.sha256.clone(), media.clone());
                    self.call(move |s| s.save_remote_media(&target_name, &sha, saved))
                        .await
                        .map_err(store_failure)?;
                    media
                }
            };
            if featured.is_none() {
                featured = media.remote_id.parse::<u64>().ok();
            }
            urls.insert(photo.sha256.clone(), media.url);
        }
        let content = PostContent::of(publication, &|sha| urls.get(sha).cloned());
        let fields = PostFields {
            tags: {
                let lock = self.tag_lock(&target.name);
                let _one_at_a_time = lock.lock().await;
                site.tag_ids(&content.tags).await?
            },
            categories: target
                .categories
                .get(&content.desk)
                .copied()
                .into_iter()
                .collect(),
            status: if content.published_at > now {
                "future"
            } else {
                "publish"
            },
            date_gmt: content.published_at.format("%Y-%m-%dT%H:%M:%S").to_string(),
            title: content.title,
            content: content.html,
            excerpt: content.excerpt,
            slug: content.slug,
            featured_media: featured,
        };
        let saved = match self.find_post(delivery, site).await? {
            Some(post) => site.save_post(Some(&post.remote_id), &fields).await?,
            None => {
                let created = site.save_post(None, &fields).await?;
                if self.failpoint == Some(Failpoint::DeliveryRecordAbort) {
                    Failpoint::DeliveryRecordAbort.crash(&format!(
                        "WordPress made post {} and Barta has not recorded it",
                        created.remote_id
                    ));
                }
                created
            }
        };
        self.remember(delivery, &saved).await?;
        Ok(saved.remote_url)
    }

    /// The target's post of the article: as recorded, else found by its marker (and then
    /// recorded).
    async fn find_post(
        &self,
        delivery: &DueDelivery,
        site: &WordPress,
    ) -> Result<Option<RemotePost>, SendError> {
        let (target, article) = (delivery.target.clone(), delivery.article_id);
        let known = self
            .call(move |s| s.remote_post(&target, article))
            .await
            .map_err(store_failure)?;
        if known.is_some() {
            return Ok(known);
        }
        let found = site.find_by_marker(&marker(delivery.article_id)).await?;
        if let Some(post) = &found {
            tracing::warn!(
                target = %delivery.target, article = %delivery.article_id, post = %post.remote_id,
                "found the article's post by its marker (an earlier attempt was interrupted)"
            );
            self.remember(delivery, post).await?;
        }
        Ok(found)
    }

    async fn remember(&self, delivery: &DueDelivery, post: &RemotePost) -> Result<(), SendError> {
        let (target, article, post) = (delivery.target.clone(), delivery.article_id, post.clone());
        self.call(move |s| s.save_remote_post(&target, article, post))
            .await
            .map_err(store_failure)
    }
}

/// A store error during a delivery: retried (the store is ours; it comes back).
fn store_failure(e: StoreError) -> SendError {
    SendError::Retry {
        error: format!("the Barta store: {e}"),
        after: None,
    }
}
