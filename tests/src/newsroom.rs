//! [`Newsroom`]: a demo newsroom on the real `barta serve` with its reporter and editor logged
//! in, writing, approving and publishing [`Story`]s through the API, and reading back what
//! reached a WordPress (the publishing tests and the publishing benchmark).

use crate::{EDITOR, REPORTER, TestServer, WordPress, login_token};
use anyhow::{Context, bail};
use barta_model::api::{
    ApproveRequest, ArticleResponse, CorrectRequest, DeliveryInfo, DeliveryState, PublishRequest,
    TransitionRequest,
};
use barta_model::workflow::Action;
use barta_model::{ArticleId, ArticleMeta, Document, RevisionId, RevisionPush};
use barta_sync::{Client, PushResult};
use base64::Engine;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::time::{Duration, Instant};

/// An 8×8 PNG: a real photo as far as WordPress's media library is concerned.
pub const PNG: &str = "89504e470d0a1a0a0000000d49484452000000080000000808020000004b6d29dc0000001149444154789c633821278715310c2d090090bf4101b29f3e220000000049454e44ae426082";

/// How long a test waits for a delivery to settle.
pub const SETTLE: Duration = Duration::from_secs(90);

/// A story as the reporter writes it.
#[derive(Clone, Debug)]
pub struct Story {
    pub headline: String,
    pub paragraphs: Vec<String>,
    pub tags: Vec<String>,
    pub slugline: Option<String>,
    pub byline: Option<String>,
    /// A photo (its SHA-256 after upload) with its alt text and caption, after the first
    /// paragraph.
    pub photo: Option<(String, String, String)>,
    /// Not before this instant (RFC 3339).
    pub embargo: Option<String>,
}

impl Story {
    /// A story whose headline and text carry `tag` so that tests sharing a WordPress never
    /// confuse their posts.
    pub fn new(tag: &str) -> Self {
        Self {
            headline: format!("ঢাকায় বন্যা: পানিবন্দি লাখো মানুষ ({tag})"),
            paragraphs: vec![
                format!("নদীর পানি বিপৎসীমার ৩৫ সেন্টিমিটার ওপর দিয়ে বইছে। {tag}"),
                "স্থানীয় প্রশাসন জানিয়েছে, আশ্রয়কেন্দ্রে খাবার ও বিশুদ্ধ পানি পৌঁছানো হচ্ছে।".into(),
            ],
            tags: vec!["বন্যা".into(), "ঢাকা".into()],
            slugline: None,
            byline: Some("নিজস্ব প্রতিবেদক".into()),
            photo: None,
            embargo: None,
        }
    }

    fn meta(&self) -> ArticleMeta {
        ArticleMeta {
            headline: self.headline.clone(),
            desk: "national".into(),
            slugline: self.slugline.clone(),
            byline: self.byline.clone(),
            dateline_place: Some("ঢাকা".into()),
            tags: self.tags.clone(),
            embargo: self.embargo.clone(),
            ..Default::default()
        }
    }

    fn body(&self) -> anyhow::Result<Document> {
        let mut blocks: Vec<Value> = self
            .paragraphs
            .iter()
            .enumerate()
            .map(|(i, text)| {
                json!({"type": "paragraph", "attrs": {"id": format!("p{i}")},
                       "content": [{"type": "text", "text": text}]})
            })
            .collect();
        if let Some((sha, alt, caption)) = &self.photo {
            blocks.insert(
                1,
                json!({"type": "image", "attrs": {"id": "img1", "src": format!("media:{sha}.png"),
                       "alt": alt, "caption": caption}}),
            );
        }
        Ok(serde_json::from_value(
            json!({"type": "doc", "content": blocks}),
        )?)
    }
}

/// A demo newsroom on the real `barta serve`, with its reporter and editor logged in.
pub struct Newsroom {
    pub server: TestServer,
    pub client: Client,
    pub reporter: String,
    pub editor: String,
}

impl Newsroom {
    pub async fn start() -> anyhow::Result<Self> {
        Self::start_with_env(&[]).await
    }

    /// A newsroom whose first `barta serve` runs with `env` (e.g. a failpoint).
    pub async fn start_with_env(env: &[(&str, &str)]) -> anyhow::Result<Self> {
        let server = tokio::task::block_in_place(|| TestServer::start_demo_with_env(env))?;
        Self::of(server).await
    }

    /// A newsroom over an already running server (e.g. after a restart).
    pub async fn of(server: TestServer) -> anyhow::Result<Self> {
        let client = Client::new(&server.url)?;
        let reporter = login_token(&server, &REPORTER).await?;
        let editor = login_token(&server, &EDITOR).await?;
        Ok(Self {
            server,
            client,
            reporter,
            editor,
        })
    }

    /// Runs `barta ARGS --data DIR`; fails unless it succeeds; its standard output.
    pub fn barta_ok(&self, args: &[&str], stdin: Option<&str>) -> anyhow::Result<String> {
        let out = self.server.barta(args, stdin)?;
        if !out.status.success() {
            bail!(
                "barta {args:?} failed ({}):\n{}\n{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// `barta target add NAME --kind wordpress` for `url` with the user and application
    /// password, plus `extra` arguments.
    pub fn add_wordpress(
        &self,
        name: &str,
        url: &str,
        (user, password): (&str, &str),
        extra: &[&str],
    ) -> anyhow::Result<()> {
        let mut args = vec![
            "target",
            "add",
            name,
            "--kind",
            "wordpress",
            "--url",
            url,
            "--user",
            user,
            "--app-password-stdin",
        ];
        args.extend_from_slice(extra);
        self.barta_ok(&args, Some(&format!("{password}\n")))?;
        Ok(())
    }

    /// Uploads a photo as the reporter (tus: create, then one PATCH); its SHA-256.
    pub async fn upload_photo(&self, bytes: &[u8]) -> anyhow::Result<String> {
        let sha = hex::encode(Sha256::digest(bytes));
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let http = reqwest::Client::new();
        let created = http
            .post(format!("{}/v1/media", self.server.url))
            .bearer_auth(&self.reporter)
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Length", bytes.len().to_string())
            .header(
                "Upload-Metadata",
                format!("sha256 {},content-type {}", b64(&sha), b64("image/png")),
            )
            .send()
            .await?;
        let status = created.status();
        let location = created
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .map(str::to_string)
            .with_context(|| format!("no Location in the media answer ({status})"))?;
        let url = if location.starts_with("http") {
            location
        } else {
            format!("{}{location}", self.server.url)
        };
        http.patch(url)
            .bearer_auth(&self.reporter)
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Offset", "0")
            .header("Content-Type", "application/offset+octet-stream")
            .body(bytes.to_vec())
            .send()
            .await?
            .error_for_status()
            .context("uploading the photo")?;
        Ok(sha)
    }

    /// Pushes `story` as a new revision of `id` by `token`'s user; the revision.
    pub async fn push(
        &self,
        token: &str,
        id: ArticleId,
        parent: Option<RevisionId>,
        story: &Story,
    ) -> anyhow::Result<RevisionPush> {
        let push = RevisionPush::new(
            RevisionId::new(),
            parent,
            story.meta(),
            story.body()?,
            chrono::Utc::now().to_rfc3339(),
        );
        match self.client.push_revision(token, id, &push).await? {
            PushResult::Accepted(_) => Ok(push),
            other => bail!("the push was not accepted: {other:?}"),
        }
    }

    /// The reporter writes and submits `story`; the editor approves it: (article, approval).
    pub async fn approved(&self, story: &Story) -> anyhow::Result<(ArticleId, String)> {
        let id = ArticleId::new();
        let push = self.push(&self.reporter, id, None, story).await?;
        self.client
            .transition(
                &self.reporter,
                id,
                &TransitionRequest {
                    action: Action::Submit,
                    rev_id: push.id,
                    note: None,
                },
            )
            .await?;
        let approval = self
            .client
            .approve(
                &self.editor,
                id,
                &ApproveRequest {
                    rev_id: push.id,
                    sha256: push.sha256.to_string(),
                },
            )
            .await?;
        Ok((id, approval.approval_id))
    }

    /// Writes, approves and publishes `story` now (or at `at`); the article.
    pub async fn publish(&self, story: &Story, at: Option<&str>) -> anyhow::Result<ArticleId> {
        let (id, approval_id) = self.approved(story).await?;
        self.client
            .publish(
                &self.editor,
                id,
                &PublishRequest {
                    approval_id,
                    at: at.map(str::to_string),
                },
            )
            .await?;
        Ok(id)
    }

    /// The editor pushes `story` as the article's new version and publishes it as a
    /// correction with `note`.
    pub async fn correct(&self, id: ArticleId, story: &Story, note: &str) -> anyhow::Result<()> {
        let head = self.article(id).await?.head;
        let push = self.push(&self.editor, id, Some(head), story).await?;
        self.client
            .correct(
                &self.editor,
                id,
                &CorrectRequest {
                    rev_id: push.id,
                    sha256: push.sha256.to_string(),
                    note: note.into(),
                },
            )
            .await?;
        Ok(())
    }

    /// The editor takes `action` (unpublish, kill) on the article.
    pub async fn act(&self, id: ArticleId, action: Action) -> anyhow::Result<()> {
        let head = self.article(id).await?.head;
        self.client
            .transition(
                &self.editor,
                id,
                &TransitionRequest {
                    action,
                    rev_id: head,
                    note: None,
                },
            )
            .await?;
        Ok(())
    }

    pub async fn article(&self, id: ArticleId) -> anyhow::Result<ArticleResponse> {
        Ok(self.client.article(&self.editor, id).await?)
    }

    /// Waits until the article's delivery to `target` is of `event` and no longer pending; it.
    pub async fn settled(
        &self,
        id: ArticleId,
        target: &str,
        event: &str,
    ) -> anyhow::Result<DeliveryInfo> {
        self.wait_for(id, target, SETTLE, |d| {
            d.event == event && d.state != DeliveryState::Pending
        })
        .await
    }

    /// Waits up to `within` until the article's delivery to `target` satisfies `done`.
    pub async fn wait_for(
        &self,
        id: ArticleId,
        target: &str,
        within: Duration,
        done: impl Fn(&DeliveryInfo) -> bool,
    ) -> anyhow::Result<DeliveryInfo> {
        let start = Instant::now();
        loop {
            let article = self.article(id).await?;
            let delivery = article
                .deliveries
                .iter()
                .find(|d| d.target == target)
                .cloned();
            if let Some(d) = &delivery
                && done(d)
            {
                return Ok(d.clone());
            }
            if start.elapsed() > within {
                bail!("after {within:?} the delivery of {id} to {target} is {delivery:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// The marker Barta writes into every post it makes for `id`.
pub fn marker(id: ArticleId) -> String {
    format!("barta-article-{}", id.0.simple())
}

/// The posts (any status, trash included) that carry the article's marker.
pub async fn posts_of(wordpress: &WordPress, id: ArticleId) -> anyhow::Result<Vec<Value>> {
    let marker = marker(id);
    Ok(wordpress
        .all_posts()
        .await?
        .into_iter()
        .filter(|p| {
            p["content"]["raw"]
                .as_str()
                .is_some_and(|c| c.contains(&marker))
        })
        .collect())
}

/// The one post of the article, failing unless there is exactly one.
pub async fn only_post(wordpress: &WordPress, id: ArticleId) -> anyhow::Result<Value> {
    let mut posts = posts_of(wordpress, id).await?;
    anyhow::ensure!(
        posts.len() == 1,
        "{} posts carry the marker of {id}: {:?}",
        posts.len(),
        posts.iter().map(|p| &p["id"]).collect::<Vec<_>>()
    );
    Ok(posts.remove(0))
}
