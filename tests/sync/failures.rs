//! The failures of sync.md, numbered as there. Failure 2 (client killed mid-save) is in
//! `crash.rs`. Failure 4 has two variants: a request cut mid-body by the proxy, and the real
//! `barta serve` aborting inside its commit through the `BARTA_FAILPOINT=revision-commit-abort`
//! test failpoint (see `barta_server::failpoint`).

use crate::{Device, Rig, all_text};
use barta_model::api::{ApproveRequest, ChangesPage};
use barta_model::{ErrorCode, RevisionId, RevisionPush};
use barta_sync::{Backoff, ClientError, Limits, MediaFile, PushResult, SyncError, upload_media};
use barta_tests::{EDITOR, Fault, Proxy, REPORTER, TestServer, login_token};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

fn canned(status: &str, content_type: &str, extra: &str, body: &str) -> Fault {
    Fault::Respond(
        format!(
            "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n{extra}connection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

/// A reporter and an editor who both hold the synced article `id` with paragraphs b1, b2.
async fn shared_article(rig: &Rig) -> anyhow::Result<(Device, Device, barta_model::ArticleId)> {
    let reporter = Device::new(&rig.server, &rig.proxy.url, REPORTER).await?;
    let mut reporter = reporter;
    let id = reporter.write_new(
        "শিরোনাম",
        &[("b1", "পুলিশ জানায় 5 জন নিহত"), ("b2", "দ্বিতীয় অনুচ্ছেদ")],
    );
    reporter.sync().await?;
    let mut editor = Device::new(&rig.server, &rig.proxy.url, EDITOR).await?;
    editor.sync().await?;
    assert!(editor.with(|s| s.load_article(id)).is_ok());
    Ok((reporter, editor, id))
}

#[tokio::test]
async fn f01_reply_lost_after_commit_the_retry_gets_the_stored_201() -> anyhow::Result<()> {
    let rig = Rig::start().await?;
    let mut reporter = Device::new(&rig.server, &rig.proxy.url, REPORTER).await?;
    let id = reporter.write_new("শিরোনাম", &[("b1", "আমি")]);
    rig.proxy.then([Fault::CutResponse(0)]);
    assert!(reporter.sync().await.is_err());
    assert_eq!(reporter.pending(), 1, "not acknowledged without a reply");
    assert_eq!(rig.history(id).await?.len(), 1, "the server committed");
    let outcome = reporter.sync().await?;
    assert_eq!(outcome.pushed, 1);
    assert_eq!(reporter.pending(), 0);
    assert_eq!(rig.history(id).await?.len(), 1, "exactly one revision");
    assert_eq!(rig.proxy.count("POST", "/revisions"), 2);
    Ok(())
}

#[tokio::test]
async fn f03_sent_but_not_marked_done_is_resent_and_answered_as_a_replay() -> anyhow::Result<()> {
    let rig = Rig::start().await?;
    let mut reporter = Device::new(&rig.server, &rig.proxy.url, REPORTER).await?;
    let id = reporter.write_new("শিরোনাম", &[("b1", "আমি")]);
    let rev = reporter.with(|s| s.head(id))?.expect("a head");
    let push = reporter.with(|s| s.revision_push(rev))?;
    // The app sent it, then was killed before marking the row.
    let first = reporter
        .client
        .push_revision(&reporter.session.token, id, &push)
        .await?;
    assert_eq!(reporter.pending(), 1);
    let outcome = reporter.sync().await?;
    assert_eq!(outcome.pushed, 1);
    assert_eq!(reporter.pending(), 0);
    let again = reporter
        .client
        .push_revision(&reporter.session.token, id, &push)
        .await?;
    assert_eq!(first, again, "the replay answer is the stored one");
    assert_eq!(rig.history(id).await?.len(), 1);
    Ok(())
}

#[tokio::test]
async fn f04_a_request_cut_mid_body_commits_nothing_and_the_retry_succeeds() -> anyhow::Result<()> {
    let rig = Rig::start().await?;
    let mut reporter = Device::new(&rig.server, &rig.proxy.url, REPORTER).await?;
    let id = reporter.write_new("শিরোনাম", &[("b1", "আমি তোমাকে ভালোবাসি")]);
    rig.proxy.then([Fault::CutRequest(400), Fault::Reset]);
    assert!(reporter.sync().await.is_err());
    assert!(reporter.sync().await.is_err());
    let status = reqwest::Client::new()
        .get(format!("{}/v1/articles/{id}", rig.server.url))
        .bearer_auth(&rig.editor_token)
        .send()
        .await?
        .status();
    assert_eq!(status, 404, "nothing was committed");
    reporter.sync().await?;
    assert_eq!(reporter.pending(), 0);
    assert_eq!(rig.history(id).await?.len(), 1);
    Ok(())
}

/// Counts the rows a push of revision `rev` of article `article` writes, read straight from
/// the server's database file.
/// How many article, revision and change rows the server's database holds for `rev` of
/// `article` — in its SQLite file (checked whole first), or its PostgreSQL database.
fn stored_rows(server: &TestServer, article: &str, rev: &str) -> anyhow::Result<[i64; 3]> {
    const COUNTS: [&str; 3] = [
        "SELECT COUNT(*) FROM articles WHERE id = $1",
        "SELECT COUNT(*) FROM revisions WHERE id = $1",
        "SELECT COUNT(*) FROM changes WHERE revision_id = $1",
    ];
    let keys = [article, rev, rev];
    if let Some(url) = server.database_url() {
        let (url, keys) = (url.to_string(), keys.map(str::to_string));
        // The blocking client on a thread of its own, off the test's runtime.
        return std::thread::spawn(move || -> anyhow::Result<[i64; 3]> {
            let mut db = postgres::Client::connect(&url, postgres::NoTls)?;
            let mut counts = [0; 3];
            for (n, sql) in COUNTS.iter().enumerate() {
                counts[n] = db.query_one(*sql, &[&keys[n]])?.get(0);
            }
            Ok(counts)
        })
        .join()
        .map_err(|_| anyhow::anyhow!("the PostgreSQL check panicked"))?;
    }
    let db = rusqlite::Connection::open_with_flags(
        server.database_path(),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )?;
    let integrity: String = db.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    anyhow::ensure!(integrity == "ok", "integrity_check: {integrity}");
    let mut counts = [0; 3];
    for (n, sql) in COUNTS.iter().enumerate() {
        counts[n] = db.query_row(&sql.replace("$1", "?1"), [keys[n]], |r| r.get(0))?;
    }
    Ok(counts)
}

/// Failure 4 with a real crash: `barta serve` started with `BARTA_FAILPOINT=
/// revision-commit-abort` aborts (`std::process::abort`, like a kill -9) inside the write
/// transaction of the push, after the article, change and revision rows are inserted and
/// before COMMIT. SQLite must roll that back when the server opens the file again (PostgreSQL
/// when the connection dies), and the client must not have acknowledged anything; the retry
/// then stores the revision once.
#[tokio::test]
async fn f04_the_server_killed_mid_commit_rolls_back_and_the_retry_succeeds() -> anyhow::Result<()>
{
    use std::os::unix::process::ExitStatusExt;
    let mut server =
        TestServer::start_demo_with_env(&[("BARTA_FAILPOINT", "revision-commit-abort")])?;
    let proxy = Proxy::start(&server.url).await?;
    let mut reporter = Device::new(&server, &proxy.url, REPORTER).await?;
    let id = reporter.write_new("শিরোনাম", &[("b1", "সার্ভার মাঝপথে বন্ধ হলো")]);
    let rev = reporter.with(|s| s.head(id))?.expect("a head");
    let sha256 = reporter.with(|s| s.revision_push(rev))?.sha256;

    let err = reporter
        .sync()
        .await
        .expect_err("the server died mid-commit");
    assert!(
        matches!(&err, SyncError::Client(e) if e.is_transient()),
        "a crash is a transient failure: {err:?}"
    );
    let status = server
        .wait_exit(Duration::from_secs(10))
        .expect("barta serve exited");
    assert_eq!(status.signal(), Some(6), "aborted (SIGABRT): {status:?}");
    assert_eq!(reporter.pending(), 1, "not acknowledged without an answer");
    assert_eq!(
        reporter.with(|s| s.outbox_statuses(id))?,
        vec![(rev, "pending".to_string())]
    );

    // The same data directory and port, without the failpoint.
    server.restart()?;
    let (article_key, rev_key) = (id.to_string(), rev.to_string());
    assert_eq!(
        stored_rows(&server, &article_key, &rev_key)?,
        [0, 0, 0],
        "no article, revision or change row of the half-done commit"
    );
    let editor_token = login_token(&server, &EDITOR).await?;
    let status = reqwest::Client::new()
        .get(format!("{}/v1/articles/{id}", server.url))
        .bearer_auth(&editor_token)
        .send()
        .await?
        .status();
    assert_eq!(status, 404, "the server shows nothing of it");

    let outcome = reporter.sync().await?;
    assert_eq!(outcome.pushed, 1);
    assert_eq!(reporter.pending(), 0);
    assert_eq!(
        reporter.with(|s| s.outbox_statuses(id))?,
        vec![(rev, "done".to_string())]
    );
    let history: Vec<barta_model::api::RevisionRecord> = reqwest::Client::new()
        .get(format!("{}/v1/articles/{id}/revisions", server.url))
        .bearer_auth(&editor_token)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    assert_eq!(history.len(), 1, "exactly once");
    assert_eq!(history[0].id, rev);
    assert_eq!(history[0].sha256, sha256);
    assert_eq!(stored_rows(&server, &article_key, &rev_key)?, [1, 1, 1]);
    Ok(())
}

#[tokio::test]
async fn f05_two_offline_edits_to_one_paragraph_make_a_conflict_block_and_approval_answers_422()
-> anyhow::Result<()> {
    let rig = Rig::start().await?;
    let (mut reporter, mut editor, id) = shared_article(&rig).await?;
    reporter.edit(id, &[("b1", "পুলিশ জানায় 7 জন নিহত"), ("b2", "দ্বিতীয় অনুচ্ছেদ")]);
    editor.edit(
        id,
        &[("b1", "পুলিশ জানায় পাঁচ জন নিহত"), ("b2", "দ্বিতীয় অনুচ্ছেদ")],
    );
    editor.sync().await?;
    let editors_rev = rig.article(id).await?.head;
    let reporters_rev = reporter.with(|s| s.head(id))?.expect("head");
    let outcome = reporter.sync().await?;
    assert_eq!((outcome.conflicts, outcome.merges), (1, 1));
    assert_eq!(reporter.pending(), 0);

    let history = rig.history(id).await?;
    assert_eq!(
        history.len(),
        4,
        "first, editor's, reporter's sibling, merge"
    );
    assert!(history.iter().any(|r| r.id == reporters_rev), "both stored");
    let head = rig.article(id).await?.head_revision;
    assert_eq!(head.parent, Some(editors_rev));
    assert_eq!(head.merge_parent, Some(reporters_rev));
    let conflict = &head.body.content[0];
    assert_eq!(conflict.kind, "conflict");
    let text = all_text(&head.body);
    assert!(text.contains("পুলিশ জানায় 7 জন নিহত"), "{text}");
    assert!(text.contains("পুলিশ জানায় পাঁচ জন নিহত"), "{text}");
    let attrs = conflict.attrs.as_ref().expect("attrs");
    assert_eq!(attrs["ours_author"], json!("rahim"));
    assert_eq!(attrs["theirs_author"], json!("nasrin"));

    let answer = editor
        .client
        .approve(
            &editor.session.token,
            id,
            &ApproveRequest {
                rev_id: head.id,
                sha256: head.sha256.clone(),
            },
        )
        .await;
    match answer {
        Err(ClientError::Refused { status, code, .. }) => {
            assert_eq!((status, code), (422, ErrorCode::UnresolvedConflict));
        }
        other => panic!("expected 422, got {other:?}"),
    }
    // The reporter's working copy shows the conflict too.
    let draft = reporter.with(|s| s.load_article(id))?;
    assert_eq!(draft.body, head.body);
    Ok(())
}

#[tokio::test]
async fn f06_edits_to_different_paragraphs_and_an_append_merge_cleanly() -> anyhow::Result<()> {
    let rig = Rig::start().await?;
    let (mut reporter, mut editor, id) = shared_article(&rig).await?;
    editor.edit(
        id,
        &[("b1", "পুলিশ জানায় পাঁচ জন নিহত"), ("b2", "দ্বিতীয় অনুচ্ছেদ")],
    );
    reporter.edit(
        id,
        &[
            ("b1", "পুলিশ জানায় 5 জন নিহত"),
            ("n1", "নতুন অনুচ্ছেদ"),
            ("b2", "দ্বিতীয় অনুচ্ছেদ, সংশোধিত"),
        ],
    );
    editor.sync().await?;
    let outcome = reporter.sync().await?;
    assert_eq!(outcome.merges, 1);
    let head = rig.article(id).await?.head_revision;
    assert_eq!(
        head.body,
        barta_model::Document::from_paragraphs([
            ("b1", "পুলিশ জানায় পাঁচ জন নিহত"),
            ("n1", "নতুন অনুচ্ছেদ"),
            ("b2", "দ্বিতীয় অনুচ্ছেদ, সংশোধিত"),
        ])
    );
    assert!(head.merge_parent.is_some());
    // The editor pulls the merge and sees the same text.
    editor.sync().await?;
    assert_eq!(editor.with(|s| s.load_article(id))?.body, head.body);
    Ok(())
}

/// The same clash inside a batch: the shared article's first queued revision meets the moved
/// head (409), its later ones are not tried (424), another article's revisions in the same
/// batch are stored; the shared article then merges one revision at a time.
#[tokio::test]
async fn f06_a_moved_head_inside_a_batch_merges_that_article_and_stores_the_others()
-> anyhow::Result<()> {
    let rig = Rig::start().await?;
    let (mut reporter, mut editor, id) = shared_article(&rig).await?;
    editor.edit(
        id,
        &[("b1", "পুলিশ জানায় পাঁচ জন নিহত"), ("b2", "দ্বিতীয় অনুচ্ছেদ")],
    );
    editor.sync().await?;
    reporter.edit(id, &[("b1", "পুলিশ জানায় 5 জন নিহত"), ("b2", "দ্বিতীয়, এক")]);
    let other = reporter.write_new("অন্য খবর", &[("c1", "প্রথম খসড়া")]);
    reporter.edit(id, &[("b1", "পুলিশ জানায় 5 জন নিহত"), ("b2", "দ্বিতীয়, দুই")]);
    reporter.edit(other, &[("c1", "প্রথম খসড়া"), ("c2", "আরও")]);
    let outcome = reporter.sync().await?;
    assert!(outcome.merges >= 1, "{outcome:?}");
    assert_eq!(rig.proxy.count("POST", "/v1/revisions/batch"), 1);
    assert_eq!(reporter.pending(), 0);
    assert_eq!(rig.history(other).await?.len(), 2);
    let head = rig.article(id).await?.head_revision;
    let text = crate::all_text(&head.body);
    assert!(text.contains("পুলিশ জানায় পাঁচ জন নিহত"), "{text}");
    assert!(text.contains("দ্বিতীয়, দুই"), "{text}");
    Ok(())
}

#[tokio::test]
async fn f07_edit_against_delete_keeps_the_edited_block_flagged() -> anyhow::Result<()> {
    let rig = Rig::start().await?;
    let (mut reporter, mut editor, id) = shared_article(&rig).await?;
    editor.edit(id, &[("b1", "পুলিশ জানায় 5 জন নিহত")]);
    reporter.edit(
        id,
        &[
            ("b1", "পুলিশ জানায় 5 জন নিহত"),
            ("b2", "দ্বিতীয় অনুচ্ছেদ, নতুন তথ্যসহ"),
        ],
    );
    editor.sync().await?;
    reporter.sync().await?;
    let head = rig.article(id).await?.head_revision;
    assert_eq!(head.body.content.len(), 2);
    let kept = &head.body.content[1];
    assert_eq!(kept.plain_text(), "দ্বিতীয় অনুচ্ছেদ, নতুন তথ্যসহ");
    let attrs = kept.attrs.as_ref().expect("attrs");
    assert_eq!(attrs["merge_flag"], json!("edited_but_deleted_by_other"));
    assert_eq!(attrs["deleted_by"], json!("nasrin"));
    Ok(())
}

#[tokio::test]
async fn f08_a_client_clock_three_days_off_changes_nothing() -> anyhow::Result<()> {
    let rig = Rig::start().await?;
    let reporter = Device::new(&rig.server, &rig.proxy.url, REPORTER).await?;
    let id = barta_model::ArticleId::new();
    let body = barta_model::Document::from_paragraphs([("b1", "আমি")]);
    let first = RevisionPush::new(
        RevisionId::new(),
        None,
        crate::meta("ক"),
        body.clone(),
        "2026-12-01T00:00:00Z".into(),
    );
    let second = RevisionPush::new(
        RevisionId::new(),
        Some(first.id),
        crate::meta("খ"),
        body,
        "2026-11-25T00:00:00Z".into(),
    );
    for push in [&first, &second] {
        let answer = reporter
            .client
            .push_revision(&reporter.session.token, id, push)
            .await?;
        assert!(matches!(answer, PushResult::Accepted(_)), "{answer:?}");
    }
    let article = rig.article(id).await?;
    assert_eq!(
        article.head, second.id,
        "order comes from parents, not clocks"
    );
    let history = rig.history(id).await?;
    let ids: Vec<RevisionId> = history.iter().map(|r| r.id).collect();
    assert_eq!(
        ids,
        vec![second.id, first.id],
        "newest first by server order"
    );
    assert!(history[0].seq > history[1].seq);
    Ok(())
}

#[tokio::test]
async fn f09_a_token_expiring_mid_batch_means_one_relogin_and_a_resume() -> anyhow::Result<()> {
    let rig = Rig::start().await?;
    let mut reporter = Device::new(&rig.server, &rig.proxy.url, REPORTER).await?;
    let ids: Vec<_> = (0..3)
        .map(|i| reporter.write_new(&format!("শিরোনাম {i}"), &[("b1", "আমি")]))
        .collect();
    let expired = r#"{"error":{"code":"unauthorized","message":"the token expired"}}"#;
    rig.proxy.then([
        Fault::Pass,
        canned("401 Unauthorized", "application/json", "", expired),
    ]);
    let outcome = reporter.sync().await?;
    assert_eq!((outcome.pushed, outcome.relogins), (3, 1));
    assert_eq!(rig.proxy.count("POST", "/v1/session"), 1);
    for id in ids {
        assert_eq!(rig.history(id).await?.len(), 1, "each pushed exactly once");
    }

    // A really revoked token: the server's own 401, one re-login, everything goes.
    let id = reporter.write_new("আরেকটি", &[("b1", "আমি")]);
    reqwest::Client::new()
        .delete(format!("{}/v1/session", rig.server.url))
        .bearer_auth(&reporter.session.token)
        .send()
        .await?
        .error_for_status()?;
    let outcome = reporter.sync().await?;
    assert_eq!((outcome.pushed, outcome.relogins), (1, 1));
    assert_eq!(rig.history(id).await?.len(), 1);
    Ok(())
}

#[tokio::test]
async fn f10_a_503_with_retry_after_is_waited_out() -> anyhow::Result<()> {
    let rig = Rig::start().await?;
    let mut reporter = Device::new(&rig.server, &rig.proxy.url, REPORTER).await?;
    reporter.config.backoff = Backoff {
        base: Duration::from_millis(10),
        cap: Duration::from_millis(20),
        max_retries: 2,
        ..Backoff::default()
    };
    let id = reporter.write_new("শিরোনাম", &[("b1", "আমি")]);
    let busy = r#"{"error":{"code":"internal","message":"busy"}}"#;
    rig.proxy.then([canned(
        "503 Service Unavailable",
        "application/json",
        "retry-after: 1\r\n",
        busy,
    )]);
    let start = Instant::now();
    let outcome = reporter.sync().await?;
    // The policy itself is tested on a paused clock in barta-sync; this is the real wire.
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
    assert_eq!((outcome.retries, outcome.pushed), (1, 1));
    assert_eq!(rig.history(id).await?.len(), 1);
    Ok(())
}

#[tokio::test]
async fn f11_a_captive_portal_invalid_json_or_wrong_content_type_is_never_acknowledged()
-> anyhow::Result<()> {
    let rig = Rig::start().await?;
    let mut reporter = Device::new(&rig.server, &rig.proxy.url, REPORTER).await?;
    let id = reporter.write_new("শিরোনাম", &[("b1", "আমি")]);
    let looks_right = format!(r#"{{"head":"{}","seq":1}}"#, RevisionId::new());
    let rows = [
        ("captive portal", Fault::CaptivePortal),
        (
            "invalid JSON",
            canned("201 Created", "application/json", "", "{\"head\": "),
        ),
        (
            "wrong content type",
            canned("201 Created", "text/plain", "", &looks_right),
        ),
        (
            "HTML error page",
            canned("502 Bad Gateway", "text/html", "", "<h1>502</h1>"),
        ),
    ];
    for (name, fault) in rows {
        rig.proxy.then([fault]);
        let err = reporter.sync().await.expect_err(name);
        assert!(
            matches!(
                err,
                barta_sync::SyncError::Client(ClientError::NotOurApi { .. })
            ),
            "{name}: {err:?}"
        );
        assert_eq!(reporter.pending(), 1, "{name}: never acknowledged");
    }
    reporter.sync().await?;
    assert_eq!(reporter.pending(), 0);
    assert_eq!(rig.history(id).await?.len(), 1);
    Ok(())
}

#[tokio::test]
async fn f12_a_huge_or_dribbled_answer_is_cut_at_the_caps() -> anyhow::Result<()> {
    let rig = Rig::start().await?;
    let mut writer = Device::new(&rig.server, &rig.proxy.url, REPORTER).await?;
    let big = "ক".repeat(4_000);
    writer.write_new("বড়", &[("b1", &big)]);
    writer.sync().await?;

    // Huge: a changes page bigger than the cap is cut, nothing applied.
    let small = Limits {
        max_response_bytes: 4_096,
        ..Limits::default()
    };
    let mut reader = Device::with_limits(&rig.server, &rig.proxy.url, EDITOR, small).await?;
    let err = reader.sync().await.expect_err("too big");
    assert!(
        matches!(err, barta_sync::SyncError::Client(ClientError::Cut(_))),
        "{err:?}"
    );
    assert_eq!(reader.with(|s| s.changes_cursor())?, 0);

    // Dribbled: 20 bytes a second against a client that needs the answer within about a second.
    let impatient = Limits {
        base_timeout: Duration::from_secs(1),
        min_rate: 1_000_000,
        ..Limits::default()
    };
    let mut slow = Device::with_limits(&rig.server, &rig.proxy.url, REPORTER, impatient).await?;
    let id = slow.write_new("ধীর", &[("b1", "আমি")]);
    rig.proxy.then([Fault::Dribble(20)]);
    let start = Instant::now();
    let err = slow.sync().await.expect_err("dribbled");
    assert!(
        matches!(err, barta_sync::SyncError::Client(ClientError::Cut(_))),
        "{err:?}"
    );
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(slow.pending(), 1);
    slow.sync().await?;
    assert_eq!(rig.history(id).await?.len(), 1);
    Ok(())
}

#[tokio::test]
async fn f12_a_zstd_bomb_is_refused_with_413() -> anyhow::Result<()> {
    let rig = Rig::start().await?;
    let token = barta_tests::login_token(&rig.server, &REPORTER).await?;
    // 64 MiB of zeros compress to a few kilobytes.
    let bomb = zstd::encode_all(std::io::Read::take(std::io::repeat(0), 64 << 20), 19)?;
    assert!(bomb.len() < 64 * 1024);
    let answer = reqwest::Client::new()
        .post(format!(
            "{}/v1/articles/{}/revisions",
            rig.server.url,
            barta_model::ArticleId::new()
        ))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .header("content-encoding", "zstd")
        .header("idempotency-key", RevisionId::new().to_string())
        .body(bomb)
        .send()
        .await?;
    assert_eq!(answer.status(), 413);
    let body: Value = answer.json().await?;
    assert_eq!(body["error"]["code"], json!("payload_too_large"));
    Ok(())
}

#[tokio::test]
async fn f13_a_cut_changes_page_applies_nothing_duplicates_are_ignored_a_missing_parent_is_fetched()
-> anyhow::Result<()> {
    let rig = Rig::start().await?;
    let mut reporter = Device::new(&rig.server, &rig.proxy.url, REPORTER).await?;
    let id = reporter.write_new("শিরোনাম", &[("b1", "আমি")]);
    reporter.sync().await?;
    let first = reporter.with(|s| s.head(id))?.expect("head");
    reporter.edit(id, &[("b1", "আমি তুমি")]);
    reporter.sync().await?;
    let second = reporter.with(|s| s.head(id))?.expect("head");

    let mut editor = Device::new(&rig.server, &rig.proxy.url, EDITOR).await?;
    rig.proxy.then([Fault::CutResponse(300)]);
    assert!(editor.sync().await.is_err());
    assert_eq!(editor.with(|s| s.changes_cursor())?, 0, "cursor unmoved");
    assert!(
        editor.with(|s| s.load_article(id)).is_err(),
        "nothing applied"
    );

    // Start the editor's feed after the first revision: its parent is not in the page.
    let history = rig.history(id).await?;
    let first_seq = history.iter().find(|r| r.id == first).expect("first").seq;
    editor.with(|s| {
        s.apply_changes(&ChangesPage {
            changes: vec![],
            next: first_seq,
        })
    })?;
    let outcome = editor.sync().await?;
    assert_eq!(outcome.parents_fetched, 1);
    let ids = editor.with(|s| s.revision_ids(id))?;
    assert!(ids.contains(&first) && ids.contains(&second), "{ids:?}");

    // The same page twice: duplicates ignored.
    let page = editor.client.changes(&editor.session.token, 0, 100).await?;
    editor.with(|s| s.apply_changes(&page))?;
    editor.with(|s| s.apply_changes(&page))?;
    assert_eq!(editor.with(|s| s.revision_ids(id))?.len(), 2);
    assert_eq!(
        editor.with(|s| s.load_article(id))?.body.plain_text(),
        "আমি তুমি"
    );
    Ok(())
}

#[tokio::test]
async fn f15_an_update_during_approval_is_a_409_and_the_publication_is_the_approved_hash()
-> anyhow::Result<()> {
    let rig = Rig::start().await?;
    let mut reporter = Device::new(&rig.server, &rig.proxy.url, REPORTER).await?;
    let id = reporter.write_new(
        "শিরোনাম",
        &[
            ("b1", "আমি"),
            ("b2", "<script>alert('x')</script> javascript:alert(1)"),
        ],
    );
    reporter.with(|s| s.submit(id, "rahim"))?;
    reporter.sync().await?;
    let seen = rig.article(id).await?;
    assert_eq!(seen.state, barta_model::WorkflowState::Submitted);

    // The reporter's update lands first; the editor approves what they saw.
    reporter.edit(
        id,
        &[
            ("b1", "আমি, সংশোধিত"),
            ("b2", "<script>alert('x')</script> javascript:alert(1)"),
        ],
    );
    reporter.sync().await?;
    let editor = Device::new(&rig.server, &rig.proxy.url, EDITOR).await?;
    let stale = editor
        .client
        .approve(
            &editor.session.token,
            id,
            &ApproveRequest {
                rev_id: seen.head,
                sha256: seen.head_revision.sha256.clone(),
            },
        )
        .await;
    assert_eq!(stale.unwrap_err().status(), Some(409));

    // A forged approval by the reporter: 403.
    let now = rig.article(id).await?;
    let forged = reporter
        .client
        .approve(
            &reporter.session.token,
            id,
            &ApproveRequest {
                rev_id: now.head,
                sha256: now.head_revision.sha256.clone(),
            },
        )
        .await;
    assert_eq!(forged.unwrap_err().status(), Some(403));

    let approval = editor
        .client
        .approve(
            &editor.session.token,
            id,
            &ApproveRequest {
                rev_id: now.head,
                sha256: now.head_revision.sha256.clone(),
            },
        )
        .await?;
    let http = reqwest::Client::new();
    let forged_publish = http
        .post(format!("{}/v1/articles/{id}/publish", rig.server.url))
        .bearer_auth(&reporter.session.token)
        .json(&json!({"approval_id": approval.approval_id}))
        .send()
        .await?;
    assert_eq!(forged_publish.status(), 403);
    let published: Value = http
        .post(format!("{}/v1/articles/{id}/publish", rig.server.url))
        .bearer_auth(&editor.session.token)
        .json(&json!({"approval_id": approval.approval_id}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let item: Value = http
        .get(format!(
            "{}/v1/published/{}",
            rig.server.url,
            published["publication_id"].as_str().unwrap_or_default()
        ))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let sha = item["altids"]
        .as_array()
        .and_then(|ids| ids.iter().find(|a| a["role"] == "sha256"))
        .map(|a| a["value"].clone());
    assert_eq!(sha, Some(json!(now.head_revision.sha256)));

    // The HTML page is rendered by the server: the script is shown as text, never run.
    let page = http
        .get(format!(
            "{}/v1/published/{}",
            rig.server.url,
            published["publication_id"].as_str().unwrap_or_default()
        ))
        .header("accept", "text/html")
        .send()
        .await?
        .error_for_status()?;
    assert!(
        page.headers()["content-type"]
            .to_str()?
            .starts_with("text/html")
    );
    let page = page.text().await?;
    assert!(!page.to_lowercase().contains("<script"), "{page}");
    assert!(page.contains("&lt;script&gt;"), "{page}");
    assert!(page.contains("আমি, সংশোধিত"), "{page}");
    Ok(())
}

#[tokio::test]
async fn f14_a_photo_upload_cut_at_63_percent_resumes_from_the_servers_offset() -> anyhow::Result<()>
{
    let rig = Rig::start().await?;
    let token = login_token(&rig.server, &REPORTER).await?;
    let client = barta_sync::Client::new(&rig.proxy.url)?;
    // A 256 KiB photo in 16 KiB chunks: the link drops inside the 11th chunk (63 %).
    let mut bytes = b"\xff\xd8\xff\xe0JFIF".to_vec();
    bytes.extend((0..256 * 1024 - 10).map(|i| (i * 7 % 253) as u8));
    let sha = MediaFile::hash(&bytes);
    let file = MediaFile {
        bytes: &bytes,
        sha256: &sha,
        content_type: "image/jpeg",
    };
    let chunk = 16 * 1024;
    let cut_chunk = bytes.len() * 63 / 100 / chunk; // chunks before the cut
    // The create and the chunks before the cut pass; the next request is cut mid-body.
    rig.proxy.then(
        std::iter::repeat_n(Fault::Pass, 1 + cut_chunk).chain([Fault::CutRequest(chunk / 2)]),
    );
    let first = upload_media(&client, &token, file, chunk).await;
    assert!(
        matches!(&first, Err(e) if e.is_transient()),
        "the cut is a transient failure: {first:?} {:?}",
        rig.proxy.seen()
    );
    let stored = (cut_chunk * chunk) as u64;

    // The next attempt asks the server where it stopped and sends only the rest.
    let patches_before = rig.proxy.count("PATCH", "/v1/media/");
    let sent = upload_media(&client, &token, file, chunk).await?;
    assert_eq!(
        sent,
        bytes.len() as u64 - stored,
        "only the bytes after the server's offset"
    );
    let patches = rig.proxy.count("PATCH", "/v1/media/") - patches_before;
    assert_eq!(patches, (bytes.len() - stored as usize).div_ceil(chunk));
    let served = reqwest::Client::new()
        .get(format!("{}/v1/media/{sha}", rig.server.url))
        .bearer_auth(&token)
        .send()
        .await?;
    assert_eq!(served.status(), 200);
    assert_eq!(served.bytes().await?.as_ref(), bytes.as_slice());
    // Done: a third attempt sends nothing.
    assert_eq!(upload_media(&client, &token, file, chunk).await?, 0);

    // Bytes that do not match the declared hash: the server starts again, the client retries
    // once from 0, then reports the mismatch; nothing is served.
    let wrong = "0".repeat(64);
    let bad = MediaFile {
        bytes: &bytes[..40_000],
        sha256: &wrong,
        content_type: "image/jpeg",
    };
    let err = upload_media(&client, &token, bad, chunk).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::HashMismatch, "{err}");
    let served = reqwest::Client::new()
        .get(format!("{}/v1/media/{wrong}", rig.server.url))
        .bearer_auth(&token)
        .send()
        .await?;
    assert_eq!(served.status(), 404);
    Ok(())
}
