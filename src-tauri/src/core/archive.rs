//! The newsroom's archive on the server, beside the local store: a search asks it after the
//! local hits are shown (a short time limit, so a slow or failing server never delays or
//! breaks them) and says why when it could not, and an archive hit is fetched into the store
//! when opened, a local article from then on.

use super::App;
use crate::error::AppError;
use crate::ipc_types::{ArchiveSearch, FoundArticle, NotSearched, SyncStatus};
use barta_model::api::{ARCHIVE_QUERY_MAX_CHARS, ARCHIVE_SEARCH_MAX, ArchiveHit};
use barta_model::{ArticleId, ErrorCode};
use barta_store::{ArticleDraft, DEFAULT_LIMIT, SearchQuery, StoreError};
use barta_sync::{ClientError, StoreAccess, fetch_article};
use std::time::Duration;

/// How long a search waits for the archive. The local hits are on screen by then; a server
/// slower than this is as good as absent for a search typed now.
const ARCHIVE_TIMEOUT: Duration = Duration::from_secs(3);

impl App {
    /// The archive's hits for `query` (its text normalized before it is sent), with the
    /// filters the user set applied to them; or why the archive was not searched. Never an
    /// error: the local hits stand without it.
    ///
    /// The list's own scope (the user's articles, their desks) is the local part's: the
    /// archive is the newsroom's, as far as the server lets the user read it.
    pub async fn search_archive(&self, query: SearchQuery) -> ArchiveSearch {
        self.search_archive_within(query, ARCHIVE_TIMEOUT).await
    }

    async fn search_archive_within(&self, query: SearchQuery, wait: Duration) -> ArchiveSearch {
        match self.archive_hits(&query, wait).await {
            Ok(hits) => ArchiveSearch {
                hits,
                not_searched: None,
            },
            Err(why) => ArchiveSearch {
                hits: Vec::new(),
                not_searched: Some(why),
            },
        }
    }

    async fn archive_hits(
        &self,
        query: &SearchQuery,
        wait: Duration,
    ) -> Result<Vec<FoundArticle>, NotSearched> {
        let session = self.session().ok_or(NotSearched::NotSignedIn)?;
        let text = bangla::normalize(query.text.trim());
        let wanted = archive_question(query, &text, &self.status())?;
        let asked = tokio::time::timeout(
            wait,
            self.client
                .search_archive(&session.token, &text, wanted.ask),
        )
        .await;
        let page = match asked {
            Ok(Ok(page)) => page,
            Ok(Err(e)) => {
                let why = why_not_searched(&e);
                // Not `{e}`: a transport error names the URL, and with it the words searched.
                tracing::info!(code = %e.code(), ?why, "the archive was not searched");
                if why == NotSearched::SessionEnded {
                    self.set_status(|s| s.session_ended = true);
                }
                return Err(why);
            }
            Err(_) => {
                tracing::info!(?wait, "the archive did not answer in time");
                return Err(NotSearched::TimedOut);
            }
        };
        Ok(page
            .hits
            .into_iter()
            .filter(|h| passes_filters(h, query))
            .take(wanted.keep)
            .map(FoundArticle::from)
            .collect())
    }

    /// Opens an article of the archive: its head fetched from the server into the store
    /// (the changes feed keeps it current from then on), unless the laptop holds it already;
    /// then loaded as any local article.
    pub async fn open_from_archive(&self, id: ArticleId) -> Result<ArticleDraft, AppError> {
        let store = self.store()?;
        match store.with(|s| s.summary(id)) {
            Ok(_) => return self.load(id),
            Err(StoreError::ArticleNotFound(_)) => {}
            Err(e) => return Err(e.into()),
        }
        let token = self.token()?;
        if self.status().session_ended {
            return Err(AppError::new(
                ErrorCode::Unauthorized,
                "the session has ended: give your password again to open an article of the archive",
            ));
        }
        // No re-login behind the user's back (as in the sync round): a 401 ends the session
        // and the page asks for the password.
        let mut session = barta_sync::Session::token(token);
        if let Err(e) = fetch_article(&*store, &self.client, &mut session, id).await {
            let error = AppError::from(e);
            if error.code == ErrorCode::Unauthorized {
                self.set_status(|s| s.session_ended = true);
            }
            return Err(error);
        }
        self.events.articles([id]);
        self.load(id)
    }
}

/// How many hits to ask the archive for and how many to keep.
#[derive(Debug, PartialEq)]
struct Wanted {
    ask: u32,
    keep: usize,
}

/// Whether the archive can be asked `text` (the normalized query) now, and for how many hits:
/// the most it answers when filters will drop some here, else the query's limit.
fn archive_question(
    query: &SearchQuery,
    text: &str,
    status: &SyncStatus,
) -> Result<Wanted, NotSearched> {
    if status.session_ended {
        return Err(NotSearched::SessionEnded);
    }
    if query.tag.as_deref().is_some_and(|t| !t.trim().is_empty()) {
        return Err(NotSearched::TagFilter);
    }
    if bangla::search::terms(text).is_empty() {
        return Err(NotSearched::NoWords);
    }
    if text.chars().count() > ARCHIVE_QUERY_MAX_CHARS {
        return Err(NotSearched::QueryTooLong);
    }
    // Known to be offline: the last round could not reach the server. (Before the first
    // round has said anything, the archive is asked.)
    if !status.online
        && status
            .last_error
            .as_ref()
            .is_some_and(|e| e.code == ErrorCode::Network)
    {
        return Err(NotSearched::Offline);
    }
    let limit = match query.limit {
        0 => DEFAULT_LIMIT,
        n => n,
    }
    .min(ARCHIVE_SEARCH_MAX);
    let filtered = !query.desks.is_empty()
        || !query.states.is_empty()
        || query.author.is_some()
        || query.from.is_some()
        || query.until.is_some();
    Ok(Wanted {
        ask: if filtered { ARCHIVE_SEARCH_MAX } else { limit },
        keep: limit as usize,
    })
}

/// Why a failed archive search did not search: every way the client fails named.
fn why_not_searched(e: &ClientError) -> NotSearched {
    match e {
        ClientError::Unreachable(_) => NotSearched::Offline,
        ClientError::Cut(_) => NotSearched::TimedOut,
        ClientError::Refused { status: 401, .. } => NotSearched::SessionEnded,
        ClientError::Refused { .. }
        | ClientError::NotOurApi { .. }
        | ClientError::BadUrl(_)
        | ClientError::Insecure(_) => NotSearched::ServerFailed,
    }
}

/// Whether an archive hit passes the filters the user set, as the local search applies them:
/// desk, state, reporter, and the instant it last changed (`from` inclusive, `until` not).
fn passes_filters(hit: &ArchiveHit, query: &SearchQuery) -> bool {
    let desk =
        query.desks.is_empty() || query.desks.iter().any(|d| bangla::normalize(d) == hit.desk);
    let state = query.states.is_empty() || query.states.contains(&hit.state);
    let author = query
        .author
        .as_deref()
        .is_none_or(|a| bangla::normalize(a) == hit.author);
    let instant = |at: &str| chrono::DateTime::parse_from_rfc3339(at).ok();
    let touched = instant(&hit.touched_at);
    let after = query
        .from
        .as_deref()
        .is_none_or(|from| touched.is_some_and(|t| instant(from).is_none_or(|f| t >= f)));
    let before = query
        .until
        .as_deref()
        .is_none_or(|until| touched.is_some_and(|t| instant(until).is_none_or(|u| t < u)));
    desk && state && author && after && before
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::vault::unlocked_for_tests;
    use crate::core::{AppConfig, lock, session};
    use crate::ipc_types::HitSource;
    use barta_model::api::{ArchiveSearchPage, TextRun, UserInfo};
    use barta_model::{Role, UserId, WorkflowState};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    fn hit(desk: &str, state: WorkflowState, author: &str, touched_at: &str) -> ArchiveHit {
        ArchiveHit {
            id: ArticleId::new(),
            headline: "বন্যার পুরোনো খবর".into(),
            desk: desk.into(),
            state,
            author: author.into(),
            touched_at: touched_at.into(),
            score: 1.0,
            headline_runs: vec![TextRun {
                text: "বন্যার".into(),
                hit: true,
            }],
            snippet: vec![],
        }
    }

    #[test]
    fn archive_hits_pass_the_filters_the_user_set() {
        let old = hit(
            "national",
            WorkflowState::Published,
            "rahim",
            "2024-03-01T10:00:00Z",
        );
        let check = |query: SearchQuery, expected: bool| {
            assert_eq!(passes_filters(&old, &query), expected, "{query:?}");
        };
        check(SearchQuery::text("বন্যা"), true);
        let with = |f: &dyn Fn(&mut SearchQuery)| {
            let mut q = SearchQuery::text("বন্যা");
            f(&mut q);
            q
        };
        check(with(&|q| q.desks = vec!["national".into()]), true);
        check(with(&|q| q.desks = vec!["sports".into()]), false);
        check(with(&|q| q.states = vec![WorkflowState::Published]), true);
        check(with(&|q| q.states = vec![WorkflowState::Draft]), false);
        check(with(&|q| q.author = Some("rahim".into())), true);
        check(with(&|q| q.author = Some("nasrin".into())), false);
        check(
            with(&|q| q.from = Some("2024-03-01T10:00:00Z".into())),
            true,
        );
        check(
            with(&|q| q.from = Some("2024-03-02T00:00:00+06:00".into())),
            false,
        );
        check(
            with(&|q| q.until = Some("2024-03-01T10:00:00Z".into())),
            false,
        );
        check(
            with(&|q| q.until = Some("2024-03-01T18:00:00+06:00".into())),
            true,
        );
        let undated = hit("national", WorkflowState::Published, "rahim", "yesterday");
        assert!(!passes_filters(
            &undated,
            &with(&|q| q.from = Some("2024-01-01T00:00:00Z".into()))
        ));
    }

    #[test]
    fn the_archive_is_asked_only_when_it_can_answer() {
        let online = SyncStatus {
            online: true,
            ..Default::default()
        };
        let ask = |query: &SearchQuery, status: &SyncStatus| {
            archive_question(query, &bangla::normalize(&query.text), status)
        };
        let words = SearchQuery::text("বন্যা ত্রাণ");
        assert_eq!(
            ask(&words, &online),
            Ok(Wanted {
                ask: DEFAULT_LIMIT,
                keep: DEFAULT_LIMIT as usize
            })
        );
        let filtered = SearchQuery {
            desks: vec!["national".into()],
            limit: 10,
            ..words.clone()
        };
        assert_eq!(
            ask(&filtered, &online),
            Ok(Wanted {
                ask: ARCHIVE_SEARCH_MAX,
                keep: 10
            }),
            "filters drop hits here: the most the archive answers is asked"
        );
        let many = SearchQuery {
            limit: 500,
            ..words.clone()
        };
        assert_eq!(ask(&many, &online).unwrap().ask, ARCHIVE_SEARCH_MAX);
        // Before the first round has said anything, the archive is asked.
        assert!(ask(&words, &SyncStatus::default()).is_ok());
        let offline = SyncStatus {
            online: false,
            last_error: Some(AppError::new(ErrorCode::Network, "refused")),
            ..Default::default()
        };
        assert_eq!(ask(&words, &offline), Err(NotSearched::Offline));
        let ended = SyncStatus {
            session_ended: true,
            ..online.clone()
        };
        assert_eq!(ask(&words, &ended), Err(NotSearched::SessionEnded));
        let tagged = SearchQuery {
            tag: Some("বন্যা".into()),
            ..words.clone()
        };
        assert_eq!(ask(&tagged, &online), Err(NotSearched::TagFilter));
        assert_eq!(
            ask(&SearchQuery::text("। — ,"), &online),
            Err(NotSearched::NoWords)
        );
        let long = SearchQuery::text(&"বন্যা ".repeat(50));
        assert_eq!(ask(&long, &online), Err(NotSearched::QueryTooLong));
    }

    fn config(dir: &std::path::Path, server_url: String) -> AppConfig {
        AppConfig {
            data_dir: dir.to_path_buf(),
            server_url,
            sync_interval: Duration::from_secs(60),
            image_max_edge: 2048,
        }
    }

    /// An app logged in (as far as the app's state goes) with a store, for `server_url`.
    fn signed_in(dir: &std::path::Path, server_url: String) -> App {
        let app = unlocked_for_tests(config(dir, server_url), "rahim");
        *lock(&app.account.session) = Some(session::Session {
            token: "token".into(),
            user: UserInfo {
                id: UserId::new(),
                username: "rahim".into(),
                role: Role::Reporter,
                desks: vec!["national".into()],
            },
        });
        app
    }

    /// A server on loopback that reads one request, sends it on `seen`, and answers `answer`
    /// (status line, JSON body) — or never answers when `answer` is None.
    async fn one_answer(
        answer: Option<(&'static str, String)>,
    ) -> (String, tokio::sync::oneshot::Receiver<String>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = tokio::sync::oneshot::channel();
        tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut request = vec![0; 8192];
            let n = socket.read(&mut request).await.unwrap();
            let _ = tx.send(String::from_utf8_lossy(&request[..n]).into_owned());
            match answer {
                Some((status, body)) => {
                    let reply = format!(
                        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\n\
                         content-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    socket.write_all(reply.as_bytes()).await.unwrap();
                }
                None => tokio::time::sleep(Duration::from_secs(30)).await,
            }
        });
        (url, rx)
    }

    #[tokio::test]
    async fn the_archive_is_asked_the_normalized_query_and_its_hits_are_marked_archive() {
        let page = ArchiveSearchPage {
            hits: vec![
                hit(
                    "national",
                    WorkflowState::Published,
                    "nasrin",
                    "2024-03-01T10:00:00Z",
                ),
                hit(
                    "international",
                    WorkflowState::Published,
                    "nasrin",
                    "2024-03-01T10:00:00Z",
                ),
            ],
        };
        let (url, seen) = one_answer(Some(("200 OK", serde_json::to_string(&page).unwrap()))).await;
        let dir = tempfile::tempdir().unwrap();
        let app = signed_in(dir.path(), url);
        // Decomposed ো (ে + া) as some keyboards type it, and a desk filter.
        let query = SearchQuery {
            desks: vec!["national".into()],
            ..SearchQuery::text(" পুরে\u{09be}নো ")
        };
        let answer = app.search_archive(query).await;
        assert_eq!(answer.not_searched, None);
        assert_eq!(answer.hits.len(), 1, "the other desk's hit is filtered out");
        assert_eq!(answer.hits[0].source, HitSource::Archive);
        assert_eq!(answer.hits[0].id, page.hits[0].id);
        assert_eq!(answer.hits[0].updated_at, "2024-03-01T10:00:00Z");
        let request = seen.await.unwrap();
        let typed = "পুরে\u{09be}নো";
        assert_ne!(bangla::normalize(typed), typed);
        let normalized: String = bangla::normalize(typed)
            .bytes()
            .map(|b| format!("%{b:02X}"))
            .collect();
        assert!(
            request.starts_with(&format!(
                "GET /v1/search?q={normalized}&limit={ARCHIVE_SEARCH_MAX} "
            )),
            "{request}"
        );
        assert!(request.contains("authorization: Bearer token"), "{request}");
    }

    #[tokio::test]
    async fn a_failing_or_silent_server_says_why_the_archive_was_not_searched() {
        let dir = tempfile::tempdir().unwrap();
        let query = || SearchQuery::text("বন্যা");

        let (url, _seen) = one_answer(None).await;
        let app = signed_in(dir.path(), url);
        let started = std::time::Instant::now();
        let answer = app
            .search_archive_within(query(), Duration::from_millis(300))
            .await;
        assert_eq!(answer.not_searched, Some(NotSearched::TimedOut));
        assert!(started.elapsed() < Duration::from_secs(2));
        drop(app);

        let refused = r#"{"error":{"code":"invalid","message":"the query is empty"}}"#.to_string();
        let (url, _seen) = one_answer(Some(("400 Bad Request", refused))).await;
        let app = signed_in(dir.path(), url);
        let answer = app.search_archive(query()).await;
        assert_eq!(answer.not_searched, Some(NotSearched::ServerFailed));
        assert!(answer.hits.is_empty());
        drop(app);

        let ended =
            r#"{"error":{"code":"unauthorized","message":"the session has ended"}}"#.to_string();
        let (url, _seen) = one_answer(Some(("401 Unauthorized", ended))).await;
        let app = signed_in(dir.path(), url);
        let answer = app.search_archive(query()).await;
        assert_eq!(answer.not_searched, Some(NotSearched::SessionEnded));
        assert!(app.status().session_ended, "the page asks for the password");
        drop(app);

        // Nothing listens on the port: offline.
        let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", closed.local_addr().unwrap());
        drop(closed);
        let app = signed_in(dir.path(), url);
        let answer = app.search_archive(query()).await;
        assert_eq!(answer.not_searched, Some(NotSearched::Offline));
        *lock(&app.account.session) = None;
        let answer = app.search_archive(query()).await;
        assert_eq!(answer.not_searched, Some(NotSearched::NotSignedIn));
    }

    #[tokio::test]
    async fn an_archive_article_the_laptop_holds_opens_without_the_server() {
        let dir = tempfile::tempdir().unwrap();
        // Port 9 (discard): nothing answers there.
        let app = signed_in(dir.path(), "http://127.0.0.1:9".into());
        let id = app
            .store()
            .unwrap()
            .with(|s| s.create_article("national", "rahim"))
            .unwrap();
        let draft = app.open_from_archive(id).await.unwrap();
        assert_eq!(draft.summary.id, id);
        let missing = app.open_from_archive(ArticleId::new()).await.unwrap_err();
        assert_eq!(missing.code, ErrorCode::Network, "{missing:?}");
    }
}
