//! `GET /v1/search`: the archive searched on the server — the laptop's Bengali search keys
//! (inflections, loose spellings, `word*`), the headline ranked above the text, hits marked,
//! only what the caller may read, the index following each article's head, bad queries
//! refused with 400, and articles stored before the index existed indexed by the backlog.
//! Runs on both backends (`BARTA_TEST_BACKEND`).

mod common;

use barta_model::api::{ArchiveHit, ArchiveSearchPage};
use barta_model::{ArticleId, RevisionId};
use common::{TestServer, expect_error, revision};
use reqwest::StatusCode;

/// Pushes a first revision; its article and revision.
async fn written(
    server: &TestServer,
    user: &str,
    headline: &str,
    text: &str,
) -> (ArticleId, RevisionId) {
    let (article, rev) = (ArticleId::new(), RevisionId::new());
    let body = revision(rev, None, "national", headline, &[("b1", text)]);
    server.push_ok(&server.token(user), article, &body).await;
    (article, rev)
}

/// The hits of `q` for `user`.
async fn search(server: &TestServer, user: &str, q: &str) -> Vec<ArchiveHit> {
    let path = format!(
        "/v1/search?q={}",
        percent_encoding::utf8_percent_encode(q, percent_encoding::NON_ALPHANUMERIC)
    );
    let resp = server.get(&server.token(user), &path).await;
    assert_eq!(resp.status(), StatusCode::OK, "{q}");
    let page: ArchiveSearchPage = resp.json().await.unwrap();
    page.hits
}

fn ids(hits: &[ArchiveHit]) -> Vec<ArticleId> {
    hits.iter().map(|h| h.id).collect()
}

/// The words marked as hits in a hit's headline and snippet.
fn marked(hit: &ArchiveHit) -> Vec<String> {
    hit.headline_runs
        .iter()
        .chain(&hit.snippet)
        .filter(|r| r.hit)
        .map(|r| r.text.clone())
        .collect()
}

#[tokio::test]
async fn bengali_words_are_found_in_any_form_headline_first_and_marked() {
    let server = TestServer::start().await;
    let (flood, _) = written(
        &server,
        "rahim",
        "সিলেটে বন্যা পরিস্থিতির অবনতি",
        "সুরমা নদীর পানি বিপৎসীমার ওপরে। সরকারী হিসাবে দশ হাজার মানুষ পানিবন্দি।",
    )
    .await;
    let (election, _) = written(
        &server,
        "rahim",
        "নির্বাচনের তফসিল ঘোষণা",
        "কমিশন জানায়, সিলেট ও ঢাকায় ভোট হবে একই দিনে। Samsung ২০২৫ সালে নতুন কারখানা খুলবে।",
    )
    .await;
    let (_other, _) = written(&server, "rahim", "খেলার খবর", "আজ মাঠে কোনো খেলা নেই।").await;

    // সিলেট: the locative সিলেটে in one headline, the bare word in the other's text; the
    // headline's match ranks first.
    let hits = search(&server, "rahim", "সিলেট").await;
    assert_eq!(ids(&hits), vec![flood, election]);
    assert!(hits[0].score > hits[1].score);
    assert_eq!(hits[0].headline, "সিলেটে বন্যা পরিস্থিতির অবনতি");
    assert!(
        marked(&hits[0]).contains(&"সিলেটে".to_string()),
        "{:?}",
        hits[0]
    );
    assert!(
        marked(&hits[1]).contains(&"সিলেট".to_string()),
        "{:?}",
        hits[1]
    );
    assert_eq!(hits[0].desk, "national");
    assert_eq!(hits[0].author, "rahim");

    // A loose spelling finds the other (সরকারি for সরকারী), every word must occur, a
    // prefix asks for words starting with it, Latin is case-blind, digits in either script.
    assert_eq!(ids(&search(&server, "rahim", "সরকারি").await), vec![flood]);
    assert_eq!(
        ids(&search(&server, "rahim", "সিলেট নদীর").await),
        vec![flood]
    );
    assert_eq!(
        ids(&search(&server, "rahim", "নির্বাচন*").await),
        vec![election]
    );
    assert_eq!(
        ids(&search(&server, "rahim", "samsung").await),
        vec![election]
    );
    assert_eq!(ids(&search(&server, "rahim", "2025").await), vec![election]);
    assert!(search(&server, "rahim", "অনুপস্থিত").await.is_empty());
    // Punctuation alone has no words: nothing to find.
    assert!(search(&server, "rahim", "।।").await.is_empty());
    // The snippet is cut from the text around the first match.
    let hit = &search(&server, "rahim", "বিপৎসীমার").await[0];
    let snippet: String = hit.snippet.iter().map(|r| r.text.as_str()).collect();
    assert!(snippet.contains("সুরমা নদীর পানি বিপৎসীমার ওপরে"), "{snippet}");
}

#[tokio::test]
async fn a_search_finds_only_what_the_caller_may_read() {
    let server = TestServer::start().await;
    let (rahims, _) = written(&server, "rahim", "বাজেট অধিবেশন", "বাজেট পেশ হবে জুনে।").await;
    let (karims, _) = written(
        &server,
        "karim",
        "বাজেট প্রতিক্রিয়া",
        "ব্যবসায়ীরা বাজেট নিয়ে সন্তুষ্ট।",
    )
    .await;
    let mut both = vec![rahims, karims];
    both.sort();
    // A reporter reads their own articles; the desk's editor and the admin read the desk's;
    // the other desk's editor reads none of them.
    assert_eq!(ids(&search(&server, "rahim", "বাজেট").await), vec![rahims]);
    assert_eq!(ids(&search(&server, "karim", "বাজেট").await), vec![karims]);
    for user in ["nasrin", "admin"] {
        let mut found = ids(&search(&server, user, "বাজেট").await);
        found.sort();
        assert_eq!(found, both, "{user}");
    }
    assert!(search(&server, "sohel", "বাজেট").await.is_empty());
}

#[tokio::test]
async fn the_index_follows_the_head_and_not_a_conflicting_sibling() {
    let server = TestServer::start().await;
    let token = server.token("rahim");
    let (article, first) = written(&server, "rahim", "পদ্মা সেতু", "সেতুতে যান চলাচল শুরু।").await;
    let second = RevisionId::new();
    let body = revision(
        second,
        Some(first),
        "national",
        "যমুনা সেতু",
        &[("b1", "সেতুতে রেল চলবে।")],
    );
    server.push_ok(&token, article, &body).await;
    assert!(search(&server, "rahim", "পদ্মা").await.is_empty());
    assert_eq!(
        ids(&search(&server, "rahim", "যমুনা রেল").await),
        vec![article]
    );
    // A sibling of the old head is stored as a conflict: the head, and the index, stay.
    let sibling = RevisionId::new();
    let body = revision(
        sibling,
        Some(first),
        "national",
        "মেঘনা সেতু",
        &[("b1", "ফেরি চলবে।")],
    );
    let resp = server.push(&token, article, &body).await;
    assert_eq!(resp.status(), StatusCode::CONFLICT);
    assert!(search(&server, "rahim", "মেঘনা").await.is_empty());
    assert_eq!(ids(&search(&server, "rahim", "যমুনা").await), vec![article]);
}

#[tokio::test]
async fn bad_searches_are_refused_with_400_and_a_search_needs_a_session() {
    let server = TestServer::start().await;
    let token = server.token("rahim");
    for path in [
        "/v1/search".to_string(),
        "/v1/search?q=".to_string(),
        "/v1/search?q=%20%20".to_string(),
        format!("/v1/search?q={}", "ক".repeat(201)),
        "/v1/search?q=x&limit=0".to_string(),
        "/v1/search?q=x&limit=51".to_string(),
        "/v1/search?q=x&limit=many".to_string(),
    ] {
        let message = expect_error(
            server.get(&token, &path).await,
            StatusCode::BAD_REQUEST,
            "bad_request",
        )
        .await;
        assert!(!message.is_empty(), "{path}");
    }
    let resp = server
        .client
        .get(server.url("/v1/search?q=x"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    // Exactly 200 characters are searched.
    let resp = server
        .get(&token, &format!("/v1/search?q={}", "ক".repeat(200)))
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
}

#[tokio::test]
async fn articles_stored_before_the_index_are_indexed_by_the_backlog() {
    let server = TestServer::start().await;
    let mut articles = Vec::new();
    for i in 0..5 {
        let text = format!("পুরনো খবর নম্বর {i}।");
        articles.push(written(&server, "rahim", "আর্কাইভের খবর", &text).await.0);
    }
    articles.sort();
    // Pushes list their articles; the backlog indexes each once.
    assert_eq!(server.store.index_archive_backlog(200).unwrap(), 5);
    assert_eq!(server.store.index_archive_backlog(200).unwrap(), 0);
    // As a newsroom stored before the index existed (its migration lists every article).
    forget_the_index(&server);
    assert_eq!(server.store.index_archive_backlog(2).unwrap(), 2);
    assert_eq!(server.store.index_archive_backlog(200).unwrap(), 3);
    assert_eq!(server.store.index_archive_backlog(200).unwrap(), 0);
    let mut found = ids(&search(&server, "rahim", "আর্কাইভ*").await);
    found.sort();
    assert_eq!(found, articles);
}

#[tokio::test]
async fn an_article_pushed_many_times_is_indexed_once_at_its_latest_head() {
    let server = TestServer::start().await;
    let token = server.token("rahim");
    let (article, mut parent) = written(&server, "rahim", "খসড়া ০", "প্রথম লেখা।").await;
    for n in 1..=5 {
        let rev = RevisionId::new();
        let headline = format!("খসড়া {n}");
        let text = if n == 5 {
            "শেষ লেখা মোহনা।"
        } else {
            "মাঝের লেখা।"
        };
        let body = revision(rev, Some(parent), "national", &headline, &[("b1", text)]);
        server.push_ok(&token, article, &body).await;
        parent = rev;
    }
    // Six revisions, one article listed, indexed at its head; a search finds it so at once.
    assert_eq!(server.store.index_archive_backlog(200).unwrap(), 1);
    assert_eq!(ids(&search(&server, "rahim", "মোহনা").await), vec![article]);
    assert!(search(&server, "rahim", "প্রথম").await.is_empty());
}

#[tokio::test]
async fn a_word_longer_than_postgresql_indexes_does_not_stop_a_push() {
    let server = TestServer::start().await;
    // 1,000 letters with no space: 3,000 bytes, over PostgreSQL's longest lexeme.
    let text = format!("নদীভাঙন {} শেষ।", "ক".repeat(1_000));
    let (article, _) = written(&server, "rahim", "দীর্ঘ শব্দ", &text).await;
    assert_eq!(
        ids(&search(&server, "rahim", "নদীভাঙন").await),
        vec![article]
    );
}

/// Deletes every article's search keys under the store and lists every article, as the
/// migration that made the index does.
fn forget_the_index(server: &TestServer) {
    match &server.database_url {
        // The blocking client runs a runtime of its own: not on the test's.
        Some(url) => std::thread::scope(|s| {
            s.spawn(|| {
                let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
                client
                    .batch_execute(
                        "DELETE FROM archive_terms;
                         INSERT INTO archive_stale (article_id, head)
                         SELECT id, head FROM articles",
                    )
                    .unwrap();
            });
        }),
        None => {
            let path = server.data().join(barta_server::store::sqlite::FILE_NAME);
            let conn = rusqlite::Connection::open(path).unwrap();
            conn.execute_batch(
                "DELETE FROM archive_fts; DELETE FROM archive_docs;
                 INSERT INTO archive_stale (article_id, head) SELECT id, head FROM articles;",
            )
            .unwrap();
        }
    }
}
