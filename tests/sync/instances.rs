//! Two real `barta serve` instances on one PostgreSQL database (the throwaway cluster of
//! `barta_tests::pg_cluster`, a database per test): what one instance stores or hears, the
//! other serves — sessions, revisions, comments, presence, a photo upload — and a `kill -9` of
//! one instance in the middle of a burst of pushes loses nothing it acknowledged: the sync
//! engine goes on through the other, and the feed lists every revision exactly once.

use crate::Device;
use barta_model::api::{CommentAnchor, CommentPut, RevisionRecord};
use barta_model::{ArticleId, Document, RevisionId, RevisionPush, Role};
use barta_sync::{Client, PushResult};
use barta_tests::{EDITOR, Proxy, REPORTER, TestServer, login_token, pg_cluster};
use reqwest::StatusCode;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

/// Instance A and instance B of one newsroom, on a fresh database of the shared cluster.
async fn two_instances() -> anyhow::Result<(TestServer, TestServer)> {
    // The cluster's set-up and the blocking PostgreSQL client stay off the test's runtime.
    let url = tokio::task::spawn_blocking(pg_cluster::fresh_database).await?;
    two_instances_on(url).await
}

/// Instance A and instance B of one newsroom in the database at `url`.
async fn two_instances_on(url: String) -> anyhow::Result<(TestServer, TestServer)> {
    let (a, b) = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
        let a = TestServer::start_demo_on_postgres(&url)?;
        let b = a.another_instance()?;
        Ok((a, b))
    })
    .await??;
    assert_ne!(a.url, b.url);
    assert_ne!(a.data_dir(), b.data_dir());
    for server in [&a, &b] {
        assert!(
            !server.database_path().exists(),
            "no SQLite store in {}: the newsroom is in PostgreSQL",
            server.data_dir().display()
        );
    }
    Ok((a, b))
}

fn push(parent: Option<RevisionId>, headline: &str, paragraphs: &[(&str, &str)]) -> RevisionPush {
    RevisionPush::new(
        RevisionId::new(),
        parent,
        crate::meta(headline),
        Document::from_paragraphs(paragraphs.iter().copied()),
        chrono::Utc::now().to_rfc3339(),
    )
}

fn comment(body: &str, parent: Option<&str>) -> CommentPut {
    CommentPut {
        parent_id: parent.map(str::to_string),
        anchor: CommentAnchor {
            block_id: "b1".into(),
            start: 0,
            end: 4,
            quote: "নদীর".into(),
        },
        body: body.into(),
        resolved: false,
        created_at: chrono::Utc::now().to_rfc3339(),
    }
}

/// The revision pushes that passed `proxy`.
fn pushes(proxy: &Proxy) -> usize {
    proxy
        .seen()
        .iter()
        .filter(|s| s.method == "POST" && s.path.contains("/revisions"))
        .count()
}

/// Waits (a minute at most) until `count` revision pushes have passed `proxy`.
async fn pushes_reach(proxy: &Proxy, count: usize) -> bool {
    let deadline = Instant::now() + Duration::from_secs(60);
    while pushes(proxy) < count {
        if Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    true
}

/// `articles` articles of `edits` revisions each, queued on `device` and not sent.
fn queue_burst(device: &Device, articles: usize, edits: usize) -> Vec<ArticleId> {
    (0..articles)
        .map(|n| {
            let id = device.write_new(
                &format!("খবর {n}"),
                &[("b1", &format!("খবর {n}, সংস্করণ 0"))],
            );
            for e in 1..edits {
                device.edit(id, &[("b1", &format!("খবর {n}, সংস্করণ {e}"))]);
            }
            id
        })
        .collect()
}

/// `GET /v1/articles/{id}/revisions` of one instance: the history, newest first.
async fn history(
    server: &TestServer,
    token: &str,
    id: ArticleId,
) -> anyhow::Result<Vec<RevisionRecord>> {
    Ok(reqwest::Client::new()
        .get(format!("{}/v1/articles/{id}/revisions", server.url))
        .bearer_auth(token)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?)
}

#[tokio::test]
async fn instances_a_revision_pushed_through_one_instance_is_read_and_built_on_through_the_other()
-> anyhow::Result<()> {
    let (a, b) = two_instances().await?;
    let (via_a, via_b) = (Client::new(&a.url)?, Client::new(&b.url)?);
    // Logged in on A only: B knows the session from the shared database.
    let reporter = login_token(&a, &REPORTER).await?;
    let id = ArticleId::new();

    let first = push(None, "নদীর পানি বাড়ছে", &[("b1", "নদীর পানি বিপৎসীমার ওপরে।")]);
    match via_a.push_revision(&reporter, id, &first).await? {
        PushResult::Accepted(ok) => assert_eq!(ok.head, first.id),
        other => panic!("the first push through A: {other:?}"),
    }
    let seen = via_b.article(&reporter, id).await?;
    assert_eq!(seen.head, first.id, "B serves the head A stored");
    assert_eq!(seen.author, REPORTER.username);
    assert_eq!(seen.head_revision.body, first.body);
    assert_eq!(seen.head_revision.sha256, first.sha256.to_string());
    assert_eq!(seen.head_revision.meta.headline, "নদীর পানি বাড়ছে");
    assert_eq!(via_b.revision(&reporter, first.id).await?.id, first.id);

    // B builds on A's head; A then sees B's head: a push on the old parent through A is kept
    // as a sibling and answered 409 with B's revision as the head.
    let second = push(
        Some(first.id),
        "নদীর পানি বাড়ছে",
        &[("b1", "নদীর পানি বিপৎসীমার ৩৫ সেন্টিমিটার ওপরে।")],
    );
    match via_b.push_revision(&reporter, id, &second).await? {
        PushResult::Accepted(ok) => assert_eq!(ok.head, second.id),
        other => panic!("the second push through B: {other:?}"),
    }
    let stale = push(Some(first.id), "নদীর পানি বাড়ছে", &[("b1", "নদীর পানি কমছে।")]);
    match via_a.push_revision(&reporter, id, &stale).await? {
        PushResult::HeadMoved(conflict) => {
            assert_eq!(conflict.head, second.id, "A sees the head B stored");
            assert_eq!(conflict.head_revision.body, second.body);
            assert!(conflict.stored);
        }
        other => panic!("a push on a stale parent through A: {other:?}"),
    }
    let on_a: BTreeSet<RevisionId> = history(&a, &reporter, id)
        .await?
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(on_a, [first.id, second.id, stale.id].into());
    // A replay of B's push through A is answered as the same revision, not stored twice.
    match via_a.push_revision(&reporter, id, &second).await? {
        PushResult::Accepted(ok) => assert_eq!(ok.head, second.id),
        other => panic!("a replay through A: {other:?}"),
    }
    assert_eq!(history(&b, &reporter, id).await?.len(), 3);

    // The editor comments through B; the reporter reads it and answers through A.
    let editor = login_token(&b, &EDITOR).await?;
    let question = RevisionId::new().to_string();
    let stored = via_b
        .put_comment(&editor, id, &question, &comment("সূত্র কে?", None))
        .await?;
    assert_eq!(stored.author, EDITOR.username);
    let on_a = via_a.comments(&reporter, id).await?;
    assert_eq!(on_a.len(), 1, "{on_a:?}");
    assert_eq!(on_a[0].id, question);
    assert_eq!(on_a[0].body, "সূত্র কে?");
    assert_eq!(on_a[0].author, EDITOR.username);
    assert_eq!(on_a[0].anchor.block_id, "b1");
    let answer = RevisionId::new().to_string();
    via_a
        .put_comment(
            &reporter,
            id,
            &answer,
            &comment("পানি উন্নয়ন বোর্ড", Some(&question)),
        )
        .await?;
    let on_b = via_b.comments(&editor, id).await?;
    let threads: Vec<(&str, Option<&str>, &str)> = on_b
        .iter()
        .map(|c| (c.id.as_str(), c.parent_id.as_deref(), c.author.as_str()))
        .collect();
    assert_eq!(
        threads,
        [
            (question.as_str(), None, EDITOR.username),
            (answer.as_str(), Some(question.as_str()), REPORTER.username)
        ]
    );

    // A logout through A ends the session for B too.
    via_a.logout(&reporter).await?;
    let refused = via_b
        .article(&reporter, id)
        .await
        .expect_err("the token was revoked through A");
    assert_eq!(refused.status(), Some(401), "{refused:?}");
    Ok(())
}

#[tokio::test]
async fn instances_presence_heard_by_one_instance_is_told_by_the_other() -> anyhow::Result<()> {
    let (a, b) = two_instances().await?;
    let (via_a, via_b) = (Client::new(&a.url)?, Client::new(&b.url)?);
    let reporter = login_token(&b, &REPORTER).await?;
    let editor = login_token(&a, &EDITOR).await?;
    let id = ArticleId::new();
    let first = push(None, "বাজেট অধিবেশন", &[("b1", "সংসদে বাজেট পেশ।")]);
    assert!(matches!(
        via_b.push_revision(&reporter, id, &first).await?,
        PushResult::Accepted(_)
    ));

    // The editor opens it on A: nobody else has it open yet.
    assert_eq!(via_a.presence(&editor, id).await?, []);
    // The reporter's heartbeat on B lists the editor A heard.
    let others = via_b.presence(&reporter, id).await?;
    assert_eq!(others.len(), 1, "{others:?}");
    assert_eq!(others[0].username, EDITOR.username);
    assert_eq!(others[0].role, Role::Editor);
    assert!(
        chrono::DateTime::parse_from_rfc3339(&others[0].since).is_ok(),
        "{:?}",
        others[0].since
    );
    // …and the editor's next heartbeat on A lists the reporter B heard.
    let others = via_a.presence(&editor, id).await?;
    assert_eq!(
        others
            .iter()
            .map(|p| (p.username.as_str(), p.role))
            .collect::<Vec<_>>(),
        [(REPORTER.username, Role::Reporter)]
    );
    // The editor closes it on A: B no longer lists the editor.
    via_a.leave(&editor, id).await?;
    assert_eq!(via_b.presence(&reporter, id).await?, []);
    // Another article's presence is its own.
    let other = ArticleId::new();
    let push_other = push(None, "অন্য খবর", &[("b1", "অনুচ্ছেদ।")]);
    assert!(matches!(
        via_a.push_revision(&reporter, other, &push_other).await?,
        PushResult::Accepted(_)
    ));
    assert_eq!(via_a.presence(&editor, other).await?, []);
    assert_eq!(via_b.presence(&reporter, id).await?, []);
    Ok(())
}

/// A deterministic JPEG-looking photo of `n` bytes after its header.
fn photo(n: usize) -> Vec<u8> {
    let mut bytes = b"\xff\xd8\xff\xe0JFIF".to_vec();
    bytes.extend((0..n).map(|i| (i * 37 % 251) as u8));
    bytes
}

fn b64(s: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// Raw tus requests to one instance.
struct Tus<'a> {
    http: reqwest::Client,
    server: &'a TestServer,
    token: &'a str,
}

impl Tus<'_> {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.url)
    }

    /// `POST /v1/media`: (status, Location as a path).
    async fn create(&self, bytes: &[u8], sha: &str) -> anyhow::Result<(StatusCode, String)> {
        let resp = self
            .http
            .post(self.url("/v1/media"))
            .bearer_auth(self.token)
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Length", bytes.len().to_string())
            .header(
                "Upload-Metadata",
                format!("sha256 {},content-type {}", b64(sha), b64("image/jpeg")),
            )
            .send()
            .await?;
        let location = resp.headers()["location"].to_str()?.to_string();
        // A path, whichever instance answered.
        let path = match location.find("/v1/") {
            Some(at) => location[at..].to_string(),
            None => location,
        };
        Ok((resp.status(), path))
    }

    async fn offset(&self, location: &str) -> anyhow::Result<u64> {
        let resp = self
            .http
            .head(self.url(location))
            .bearer_auth(self.token)
            .header("Tus-Resumable", "1.0.0")
            .send()
            .await?;
        assert_eq!(resp.status(), StatusCode::OK);
        Ok(resp.headers()["upload-offset"].to_str()?.parse()?)
    }

    /// `PATCH` a chunk: (status, the Upload-Offset answered).
    async fn patch(
        &self,
        location: &str,
        offset: usize,
        chunk: &[u8],
    ) -> anyhow::Result<(StatusCode, Option<u64>)> {
        let resp = self
            .http
            .patch(self.url(location))
            .bearer_auth(self.token)
            .header("Tus-Resumable", "1.0.0")
            .header("Content-Type", "application/offset+octet-stream")
            .header("Upload-Offset", offset.to_string())
            .body(chunk.to_vec())
            .send()
            .await?;
        let answered = resp
            .headers()
            .get("upload-offset")
            .and_then(|v| v.to_str().ok()?.parse().ok());
        Ok((resp.status(), answered))
    }

    /// `GET /v1/media/{sha}` with the token: (status, content type, bytes).
    async fn get(&self, sha: &str) -> anyhow::Result<(StatusCode, String, Vec<u8>)> {
        let resp = self
            .http
            .get(self.url(&format!("/v1/media/{sha}")))
            .bearer_auth(self.token)
            .send()
            .await?;
        let status = resp.status();
        let kind = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        Ok((status, kind, resp.bytes().await?.to_vec()))
    }
}

/// `POST /v1/session` through `server`, answering the status.
async fn try_login(server: &TestServer, username: &str, password: &str) -> StatusCode {
    reqwest::Client::new()
        .post(format!("{}/v1/session", server.url))
        .json(&serde_json::json!({"username": username, "password": password}))
        .send()
        .await
        .map_or(StatusCode::BAD_GATEWAY, |r| r.status())
}

#[tokio::test]
async fn instances_password_guesses_spread_over_two_instances_are_counted_once()
-> anyhow::Result<()> {
    // barta serve's default: 10 failures per account in 15 minutes. Counted per instance,
    // two instances would allow 20 guesses (10 each); counted in the database, 10 in all.
    let (a, b) = two_instances().await?;
    for guess in 0..10 {
        let through = if guess % 2 == 0 { &a } else { &b };
        let status = try_login(through, REPORTER.username, &format!("guess-{guess}")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "guess {guess}");
    }
    for (name, server) in [("A", &a), ("B", &b)] {
        let status = try_login(server, REPORTER.username, REPORTER.password).await;
        assert_eq!(
            status,
            StatusCode::TOO_MANY_REQUESTS,
            "the 11th attempt through {name}, after 5 guesses through each"
        );
    }
    // Another account is not touched, and its right password clears only its own count.
    assert_eq!(
        try_login(&b, EDITOR.username, EDITOR.password).await,
        StatusCode::OK
    );
    Ok(())
}

#[tokio::test]
async fn instances_a_photo_upload_begun_on_one_instance_resumes_on_the_other_and_both_serve_it()
-> anyhow::Result<()> {
    let (a, b) = two_instances().await?;
    let reporter = login_token(&a, &REPORTER).await?;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?;
    let on_a = Tus {
        http: http.clone(),
        server: &a,
        token: &reporter,
    };
    let on_b = Tus {
        http,
        server: &b,
        token: &reporter,
    };
    let bytes = photo(300_000);
    let sha = hex::encode(Sha256::digest(&bytes));

    // Begun on A: created, and its first chunk sent.
    let (status, location) = on_a.create(&bytes, &sha).await?;
    assert_eq!(status, StatusCode::CREATED);
    let cut = 120_000;
    assert_eq!(
        on_a.patch(&location, 0, &bytes[..cut]).await?,
        (StatusCode::NO_CONTENT, Some(cut as u64))
    );
    // Not served before it is whole, by either.
    assert_eq!(on_a.get(&sha).await?.0, StatusCode::NOT_FOUND);
    assert_eq!(on_b.get(&sha).await?.0, StatusCode::NOT_FOUND);

    // The link to A is gone: the app asks B where to go on. Creating again on B finds the
    // same upload, and B knows how much A received.
    let (_, again) = on_b.create(&bytes, &sha).await?;
    assert_eq!(again, location, "B finds the upload A began");
    assert_eq!(on_b.offset(&location).await?, cut as u64);
    // A chunk at a wrong offset is refused by B and changes nothing.
    assert_eq!(
        on_b.patch(&location, 0, &bytes[..1000]).await?.0,
        StatusCode::CONFLICT
    );
    assert_eq!(on_a.offset(&location).await?, cut as u64);
    // The rest through B, in two chunks.
    let middle = 220_000;
    assert_eq!(
        on_b.patch(&location, cut, &bytes[cut..middle]).await?,
        (StatusCode::NO_CONTENT, Some(middle as u64))
    );
    assert_eq!(
        on_a.offset(&location).await?,
        middle as u64,
        "A sees B's chunk"
    );
    assert_eq!(
        on_b.patch(&location, middle, &bytes[middle..]).await?,
        (StatusCode::NO_CONTENT, Some(bytes.len() as u64))
    );
    assert_eq!(on_a.offset(&location).await?, bytes.len() as u64);

    // Whole, checked against its SHA-256, and served by both, byte for byte.
    for (name, tus) in [("A", &on_a), ("B", &on_b)] {
        let (status, kind, got) = tus.get(&sha).await?;
        assert_eq!(status, StatusCode::OK, "{name}");
        assert_eq!(kind, "image/jpeg", "{name}");
        assert_eq!(got.len(), bytes.len(), "{name}");
        assert!(got == bytes, "{name} serves other bytes");
    }
    // Still private to its uploader (no article shows it yet), on both.
    for server in [&a, &b] {
        let anonymous = reqwest::get(format!("{}/v1/media/{sha}", server.url)).await?;
        assert_eq!(anonymous.status(), StatusCode::NOT_FOUND);
    }
    Ok(())
}

/// Every revision of the device's articles with its outbox status, in order.
fn outbox(device: &Device, articles: &[ArticleId]) -> Vec<(ArticleId, RevisionId, String)> {
    device.with(|s| {
        articles
            .iter()
            .flat_map(|&id| {
                s.outbox_statuses(id)
                    .unwrap()
                    .into_iter()
                    .map(move |(rev, status)| (id, rev, status))
            })
            .collect()
    })
}

/// The revisions of the feed `GET /v1/changes` through `client`, page by page from the start:
/// how many times each revision is listed, and the sequence numbers in order.
async fn feed_revisions(
    client: &Client,
    token: &str,
) -> anyhow::Result<(BTreeMap<RevisionId, usize>, Vec<i64>)> {
    let (mut listed, mut seqs) = (BTreeMap::new(), Vec::new());
    let mut since = 0;
    loop {
        let page = client.changes(token, since, 7).await?;
        if page.changes.is_empty() {
            break;
        }
        assert!(page.changes.len() <= 7);
        for change in &page.changes {
            seqs.push(change.seq);
            if let Some(rev) = &change.revision {
                *listed.entry(rev.id).or_insert(0) += 1;
            }
        }
        anyhow::ensure!(
            page.next > since,
            "the cursor moves on: {since} → {}",
            page.next
        );
        since = page.next;
    }
    Ok((listed, seqs))
}

#[tokio::test]
async fn instances_a_kill_9_of_one_instance_mid_burst_loses_no_acknowledged_push()
-> anyhow::Result<()> {
    const ARTICLES: usize = 4;
    const EDITS: usize = 15;
    const KILL_AT: usize = 25;
    let (mut a, b) = two_instances().await?;
    let proxy_a = Proxy::start(&a.url).await?;
    let mut device = Device::new(&a, &proxy_a.url, REPORTER).await?;
    // Every revision alone: each push is acknowledged (or not) on its own.
    device.config.batch_max = 1;

    // A burst: 60 revisions of four articles, queued.
    let mut articles = queue_burst(&device, ARTICLES, EDITS);
    assert_eq!(device.pending(), (ARTICLES * EDITS) as i64);

    // A is killed (kill -9) as its 25th push passes the proxy, in the middle of the round
    // (the test runs on one thread: the proxy, the sync engine and this watcher take turns).
    let killer = async {
        if !pushes_reach(&proxy_a, KILL_AT).await {
            return None;
        }
        // Let the proxy send it on, then give A a moment with it while this thread (and so
        // the proxy) stands still: the kill lands while A works on that push, which A then
        // loses or commits without answering — both are reported below, both must hold.
        for _ in 0..5 {
            tokio::task::yield_now().await;
        }
        std::thread::sleep(Duration::from_millis(2));
        a.kill_hard()
    };
    let (round, killed) = tokio::join!(device.sync(), killer);
    let killed = killed.expect("the burst reached the kill point");
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(killed.signal(), Some(9), "killed by SIGKILL: {killed:?}");
    }
    let err = round.expect_err("the round lost its server mid-burst");
    assert!(
        matches!(&err, barta_sync::SyncError::Client(e) if e.is_transient()),
        "{err:?}"
    );

    // What the device holds as acknowledged (a 201 or 409 answered) when A died.
    let at_kill = outbox(&device, &articles);
    let acked: Vec<RevisionId> = at_kill
        .iter()
        .filter(|(_, _, status)| status == "done")
        .map(|(_, rev, _)| *rev)
        .collect();
    assert!(
        at_kill
            .iter()
            .all(|(_, _, status)| status == "done" || status == "pending"),
        "{at_kill:?}"
    );
    assert!(
        (KILL_AT - 1..ARTICLES * EDITS).contains(&acked.len()),
        "{} acknowledged before the kill",
        acked.len()
    );
    // B, asked directly, has every revision A acknowledged, exactly as the device made it.
    let via_b = Client::new(&b.url)?;
    let editor = login_token(&b, &EDITOR).await?;
    for &rev in &acked {
        let on_b = via_b.revision(&editor, rev).await?;
        let local = device.with(|s| s.revision_push(rev))?;
        assert_eq!(on_b.sha256, local.sha256.to_string(), "{rev}");
        assert_eq!(on_b.body, local.body, "{rev}");
    }

    // The push in flight when A died may have committed there without its answer: then B
    // answers its replay as the same revision (seen in the feed check below: once).
    let in_flight = at_kill
        .iter()
        .find(|(_, _, status)| status == "pending")
        .map(|(_, rev, _)| *rev)
        .expect("the burst was cut short");
    let committed_unanswered = via_b.revision(&editor, in_flight).await.is_ok();
    println!(
        "kill -9 as push {KILL_AT} passed: {} acknowledged by A, {} pushes reached its proxy, \
         the one in flight {}",
        acked.len(),
        pushes(&proxy_a),
        if committed_unanswered {
            "committed without an answer"
        } else {
            "lost"
        }
    );

    // The device is pointed at B (through a proxy of its own) and goes on: the rest of the
    // burst, and more edits written meanwhile, with the session it opened on A.
    let proxy_b = Proxy::start(&b.url).await?;
    device.client = Client::new(&proxy_b.url)?;
    for (n, &id) in articles.iter().enumerate() {
        device.edit(id, &[("b1", &format!("খবর {n}, B-তে সংশোধিত"))]);
    }
    let late = device.write_new("নতুন খবর", &[("b1", "B-তে লেখা")]);
    articles.push(late);
    let outcome = device.sync().await?;
    assert_eq!(outcome.rejected, 0, "{outcome:?}");
    assert_eq!(device.pending(), 0, "everything acknowledged by B");
    assert_eq!(
        proxy_b.count("POST", "/v1/session"),
        0,
        "B took the session opened on A"
    );
    // Once each: the rest of the burst (the one in flight again, whatever became of it on A)
    // and the new revisions.
    assert_eq!(
        pushes(&proxy_b),
        ARTICLES * EDITS - acked.len() + ARTICLES + 1
    );

    // Every revision the device made is acknowledged now, and B serves each as made.
    let all = outbox(&device, &articles);
    assert_eq!(all.len(), ARTICLES * (EDITS + 1) + 1);
    assert!(all.iter().all(|(_, _, s)| s == "done"), "{all:?}");
    for (id, rev, _) in &all {
        let on_b = via_b.revision(&editor, *rev).await?;
        let local = device.with(|s| s.revision_push(*rev))?;
        assert_eq!(on_b.article_id, *id);
        assert_eq!(on_b.sha256, local.sha256.to_string(), "{rev}");
    }
    // Each article's head on B is the device's last revision of it.
    for &id in &articles {
        let last = all.iter().rev().find(|(a, _, _)| *a == id).unwrap().1;
        assert_eq!(via_b.article(&editor, id).await?.head, last, "{id}");
    }
    // The feed through B lists every acknowledged revision exactly once, and nothing else.
    let (listed, seqs) = feed_revisions(&via_b, &editor).await?;
    let twice: Vec<_> = listed.iter().filter(|(_, n)| **n != 1).collect();
    assert!(twice.is_empty(), "listed more than once: {twice:?}");
    let expected: BTreeSet<RevisionId> = all.iter().map(|(_, rev, _)| *rev).collect();
    assert_eq!(listed.keys().copied().collect::<BTreeSet<_>>(), expected);
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "in server order: {seqs:?}"
    );
    Ok(())
}

/// A JSON error answer's status, `Retry-After` and stable code.
async fn refusal(response: reqwest::Response) -> (StatusCode, Option<String>, String) {
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body: serde_json::Value = response.json().await.unwrap_or_default();
    (
        status,
        retry_after,
        body["error"]["code"].as_str().unwrap_or("").to_string(),
    )
}

#[tokio::test]
async fn instances_postgresql_stopped_and_started_mid_burst_answers_503_and_loses_no_acknowledged_push()
-> anyhow::Result<()> {
    const ARTICLES: usize = 4;
    const EDITS: usize = 15;
    const STOP_AT: usize = 20;
    // A cluster of this test's own: it is stopped and started, which the other tests of this
    // binary must not see.
    let cluster =
        std::sync::Arc::new(tokio::task::spawn_blocking(pg_cluster::private_cluster).await?);
    let url = {
        let cluster = std::sync::Arc::clone(&cluster);
        tokio::task::spawn_blocking(move || cluster.fresh_database_named().0).await?
    };
    let (a, b) = two_instances_on(url).await?;
    let proxy_a = Proxy::start(&a.url).await?;
    let mut device = Device::new(&a, &proxy_a.url, REPORTER).await?;
    device.config.batch_max = 1;
    let editor = login_token(&b, &EDITOR).await?;

    let articles = queue_burst(&device, ARTICLES, EDITS);
    // PostgreSQL is stopped (`pg_ctl stop -m fast`, as an administrator's restart does) as the
    // 20th push passes A's proxy. The test runs on one thread: while the stop runs, the proxy
    // and the sync engine stand still, and the push in flight is A's to finish or fail.
    let stopper = async {
        if !pushes_reach(&proxy_a, STOP_AT).await {
            return false;
        }
        cluster.stop();
        true
    };
    let (round, stopped) = tokio::join!(device.sync(), stopper);
    assert!(stopped, "the burst reached the stop point");
    // The round ends on the database's absence: a 503 the client counts as passing.
    let err = round.expect_err("the round lost its database mid-burst");
    match &err {
        barta_sync::SyncError::Client(barta_sync::ClientError::Refused {
            status,
            retry_after,
            ..
        }) => {
            assert_eq!(*status, 503, "{err:?}");
            assert!(retry_after.is_some(), "Retry-After is given: {err:?}");
        }
        other => panic!("expected a 503 from A, got {other:?}"),
    }
    assert!(
        matches!(&err, barta_sync::SyncError::Client(e) if e.is_transient()),
        "{err:?}"
    );
    let at_stop: Vec<RevisionId> = outbox(&device, &articles)
        .into_iter()
        .filter(|(_, _, status)| status == "done")
        .map(|(_, rev, _)| rev)
        .collect();
    assert!(
        (STOP_AT - 1..ARTICLES * EDITS).contains(&at_stop.len()),
        "{} acknowledged before the stop",
        at_stop.len()
    );

    // While it is down, both instances answer at once, 503 `unavailable` with Retry-After — a
    // read, a push, a login — and never hang.
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()?;
    for server in [&a, &b] {
        // The first request finds the database gone after the pool's checkout time (5 s)…
        let began = Instant::now();
        let read = http
            .get(format!("{}/v1/articles/{}", server.url, articles[0]))
            .bearer_auth(&editor)
            .send()
            .await?;
        let (status, retry_after, code) = refusal(read).await;
        assert_eq!(
            (status, code.as_str()),
            (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            "a read through {}",
            server.url
        );
        assert_eq!(retry_after.as_deref(), Some("2"));
        assert!(
            began.elapsed() < Duration::from_secs(8),
            "answered within the pool's checkout time: {:?}",
            began.elapsed()
        );
        // …and once it is known to be gone, the next ones are answered at once.
        for _ in 0..3 {
            let began = Instant::now();
            let login = http
                .post(format!("{}/v1/session", server.url))
                .json(
                    &serde_json::json!({"username": EDITOR.username, "password": EDITOR.password}),
                )
                .send()
                .await?;
            let (status, retry_after, code) = refusal(login).await;
            assert_eq!(
                (status, code.as_str()),
                (StatusCode::SERVICE_UNAVAILABLE, "unavailable")
            );
            assert_eq!(retry_after.as_deref(), Some("2"));
            assert!(
                began.elapsed() < Duration::from_secs(2),
                "a login while the database is known to be down: {:?}",
                began.elapsed()
            );
        }
    }
    // The device, meanwhile, keeps its text and tries again later: a round now fails the same.
    device.edit(articles[0], &[("b1", "খবর 0, ডাটাবেস বন্ধ থাকার সময় লেখা")]);
    assert!(
        device.sync().await.is_err(),
        "nothing is acknowledged while the database is down"
    );

    // PostgreSQL comes back; the instances reconnect by themselves and the device goes on.
    {
        let cluster = std::sync::Arc::clone(&cluster);
        tokio::task::spawn_blocking(move || cluster.start()).await?;
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut refused_after_restart = 0;
    loop {
        match device.sync().await {
            Ok(outcome) => {
                assert_eq!(outcome.rejected, 0, "{outcome:?}");
                break;
            }
            Err(e) if Instant::now() < deadline => {
                refused_after_restart += 1;
                eprintln!("after the restart: {e}");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            Err(e) => panic!("the instances did not come back within 30 s: {e}"),
        }
    }
    assert_eq!(
        device.pending(),
        0,
        "everything acknowledged after the restart"
    );
    println!(
        "PostgreSQL stopped as push {STOP_AT} passed: {} acknowledged before, {} rounds refused \
         after the restart",
        at_stop.len(),
        refused_after_restart
    );

    // Every revision the device made — acknowledged before the stop or after the restart — is
    // in the database as made, served by both instances, and listed once in the feed.
    let all = outbox(&device, &articles);
    assert_eq!(all.len(), ARTICLES * EDITS + 1);
    assert!(all.iter().all(|(_, _, s)| s == "done"), "{all:?}");
    for server in [&a, &b] {
        let client = Client::new(&server.url)?;
        for (id, rev, _) in &all {
            let stored = client.revision(&editor, *rev).await?;
            let local = device.with(|s| s.revision_push(*rev))?;
            assert_eq!(stored.article_id, *id);
            assert_eq!(stored.sha256, local.sha256.to_string(), "{rev}");
        }
    }
    let (listed, _) = feed_revisions(&Client::new(&a.url)?, &editor).await?;
    assert!(listed.values().all(|n| *n == 1), "{listed:?}");
    let expected: BTreeSet<RevisionId> = all.iter().map(|(_, rev, _)| *rev).collect();
    assert_eq!(listed.keys().copied().collect::<BTreeSet<_>>(), expected);
    drop((a, b));
    Ok(())
}
