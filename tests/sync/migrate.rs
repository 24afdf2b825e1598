//! `barta migrate` with laptops in the middle of their work (issue 17): a SQLite newsroom
//! whose editor's laptop is behind the feed and holds an edit not yet sent, and whose
//! reporter's laptop holds one too, is stopped and copied into PostgreSQL; the laptops, turned
//! to the new server, go on with the sessions they had — the queued edits sent once, the feed
//! read on from the cursor each laptop had, nothing sent twice, nothing missed, every
//! revision's hash the same.

use crate::Device;
use barta_model::{ArticleId, RevisionId};
use barta_sync::Client;
use barta_tests::{EDITOR, Proxy, REPORTER, TestServer, binary, login_token, pg_cluster};
use std::collections::BTreeMap;

/// Every revision `device` made, with the article, in order.
fn made(device: &Device, articles: &[ArticleId]) -> Vec<(ArticleId, RevisionId)> {
    device.with(|s| {
        articles
            .iter()
            .flat_map(|&id| {
                s.outbox_statuses(id)
                    .unwrap()
                    .into_iter()
                    .map(move |(rev, _)| (id, rev))
            })
            .collect()
    })
}

#[tokio::test]
async fn migrate_laptops_mid_sync_go_on_against_postgresql_nothing_resent_or_missed()
-> anyhow::Result<()> {
    let mut sqlite = TestServer::start_demo_sqlite()?;
    let proxy = Proxy::start(&sqlite.url).await?;
    let mut reporter = Device::new(&sqlite, &proxy.url, REPORTER).await?;
    let mut editor = Device::new(&sqlite, &proxy.url, EDITOR).await?;

    // Five articles of two revisions, seen by the editor.
    let mut articles = Vec::new();
    for n in 0..5 {
        let id = reporter.write_new(&format!("খবর {n}"), &[("b1", &format!("খবর {n}: প্রথম"))]);
        reporter.edit(id, &[("b1", &format!("খবর {n}: দ্বিতীয়"))]);
        articles.push(id);
    }
    reporter.sync().await?;
    editor.sync().await?;
    // Then the reporter goes on (the editor's laptop does not hear of it yet: mid-sync), and
    // each laptop queues an edit it has not sent when the newsroom moves.
    reporter.edit(articles[0], &[("b1", "খবর 0: তৃতীয়")]);
    let late = reporter.write_new("পরে লেখা খবর", &[("b1", "স্থানান্তরের আগে লেখা")]);
    articles.push(late);
    reporter.sync().await?;
    reporter.edit(articles[1], &[("b1", "খবর 1: স্থানান্তরের সময় অপাঠানো")]);
    editor.edit(articles[2], &[("b1", "খবর 2: সম্পাদকের অপাঠানো সংশোধন")]);
    assert_eq!((reporter.pending(), editor.pending()), (1, 1));
    let editor_cursor = editor.with(|s| s.changes_cursor())?;

    // The cutover: the SQLite server stopped, the newsroom copied into an empty database.
    sqlite.stop();
    let url = tokio::task::spawn_blocking(pg_cluster::fresh_database).await?;
    let out = std::process::Command::new(binary("barta")?)
        .args(["migrate", "--from-data"])
        .arg(sqlite.data_dir())
        .args(["--to", &url])
        .output()?;
    assert!(
        out.status.success(),
        "barta migrate: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The copied articles are indexed for the archive search before the doors open.
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("indexed 6 articles for the archive search"),
        "{said}"
    );
    let postgres = sqlite.serving_database(url.clone())?;
    let proxy_pg = Proxy::start(&postgres.url).await?;
    for device in [&mut reporter, &mut editor] {
        device.client = Client::new(&proxy_pg.url)?;
    }

    // The laptops go on with the sessions they had.
    reporter.sync().await?;
    let outcome = editor.sync().await?;
    reporter.sync().await?;
    assert_eq!((reporter.pending(), editor.pending()), (0, 0));
    assert_eq!(
        proxy_pg.count("POST", "/v1/session"),
        0,
        "the sessions came along"
    );
    let pushes = proxy_pg
        .seen()
        .iter()
        .filter(|s| s.method == "POST" && s.path.contains("/revisions"))
        .count();
    assert_eq!(pushes, 2, "only the two queued edits were sent, once each");
    assert!(
        editor.with(|s| s.changes_cursor())? > editor_cursor,
        "the editor's cursor went on"
    );
    assert!(outcome.changes_applied >= 3, "{outcome:?}");

    // Every revision either laptop made is on PostgreSQL as made, listed once in the feed, and
    // the editor's laptop holds the head of every article.
    let token = login_token(&postgres, &EDITOR).await?;
    let client = Client::new(&postgres.url)?;
    let found = client.search_archive(&token, "স্থানান্তরের", 50).await?;
    let mut found: Vec<_> = found.hits.iter().map(|h| h.id).collect();
    found.sort();
    let mut moved = vec![late, articles[1]];
    moved.sort();
    assert_eq!(
        found, moved,
        "the archive search on PostgreSQL finds the copied and the later text"
    );
    let mut all = made(&reporter, &articles);
    all.extend(made(&editor, &articles));
    for (id, rev) in &all {
        let stored = client.revision(&token, *rev).await?;
        assert_eq!(stored.article_id, *id);
        let local = reporter
            .with(|s| s.revision_push(*rev))
            .or_else(|_| editor.with(|s| s.revision_push(*rev)))?;
        assert_eq!(stored.sha256, local.sha256.to_string(), "{rev}");
    }
    let mut listed: BTreeMap<RevisionId, usize> = BTreeMap::new();
    let mut since = 0;
    loop {
        let page = client.changes(&token, since, 50).await?;
        if page.changes.is_empty() {
            break;
        }
        for change in &page.changes {
            if let Some(rev) = &change.revision {
                *listed.entry(rev.id).or_default() += 1;
            }
        }
        since = page.next;
    }
    assert!(listed.values().all(|n| *n == 1), "{listed:?}");
    for (_, rev) in &all {
        assert_eq!(listed.get(rev), Some(&1), "{rev} in the feed once");
    }
    for &id in &articles {
        let head = client.article(&token, id).await?.head;
        assert_eq!(
            editor.with(|s| s.missing_revisions(&[head]))?,
            [],
            "the editor holds {id}'s head"
        );
    }
    Ok(())
}
