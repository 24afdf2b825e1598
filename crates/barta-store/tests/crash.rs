//! The crash test: a child process (this test binary, re-run with an environment variable)
//! types into the store and makes save points in a loop, printing an acknowledgement after
//! every commit returns; the parent kills it with SIGKILL at a random moment, 120 times.
//! After each kill the store must hold everything acknowledged, every local revision must
//! have its outbox row and every outbox row its revision, `PRAGMA integrity_check` must say
//! ok, the full-text index must pass FTS5's own integrity check and find every article.
//!
//! SIGKILL loses the process, not the OS page cache: this proves the transactions are atomic
//! and acknowledged only once committed, not that the disk honours fsync on power loss.

use barta_model::{ArticleId, ArticleMeta, Document, RevisionId, RevisionPush};
use barta_store::{ListFilter, Store};
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CHILD_DB: &str = "BARTA_CRASH_CHILD_DB";
const CHILD_RUN: &str = "BARTA_CRASH_CHILD_RUN";
const KILLS: usize = 120;

fn body_for(seq: u64) -> Document {
    let text = format!("খসড়া {seq} কোরিয়ার নির্বাচন ");
    let long = text.repeat(1 + (seq % 7) as usize);
    Document::from_paragraphs([("p1", long.as_str()), ("p2", "র\u{200D}\u{09CD}যাব")])
}

fn seq_of(doc: &Document) -> u64 {
    doc.plain_text()
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// The child's loop. Does nothing unless started by [`killed_at_random_moments`].
#[test]
fn crash_child() {
    let (Ok(path), Ok(run)) = (std::env::var(CHILD_DB), std::env::var(CHILD_RUN)) else {
        return;
    };
    let run: u64 = run.parse().unwrap();
    let mut store = Store::open(path.as_ref()).unwrap();
    let mut articles: Vec<ArticleId> = store
        .list_articles(&ListFilter::default())
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    for step in 0u64.. {
        if articles.is_empty() || step % 25 == 24 {
            let id = store.create_article("national", "rahim").unwrap();
            println!("ACK ART {id}");
            articles.push(id);
        }
        let id = articles[(step as usize) % articles.len()];
        let seq = run * 1_000_000 + step;
        let meta = ArticleMeta {
            headline: format!("শিরোনাম {seq}"),
            desk: "national".into(),
            ..Default::default()
        };
        store.save_working_copy(id, meta, body_for(seq)).unwrap();
        println!("ACK WC {id} {seq}");
        if step % 3 == 2
            && let Some(rev) = store.save_point(id, "rahim").unwrap()
        {
            println!("ACK REV {id} {rev}");
        }
        if step % 4 == 3 {
            // Indexing is a write too: a kill in the middle must not corrupt the index.
            store.refresh_search().unwrap();
        }
    }
}

/// A tiny deterministic generator (xorshift64*), so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

#[derive(Default)]
struct Acked {
    articles: Vec<ArticleId>,
    working: HashMap<ArticleId, u64>,
    revisions: Vec<(ArticleId, RevisionId)>,
}

fn verify(path: &std::path::Path, acked: &Acked, round: usize) {
    let store = Store::open(path).unwrap_or_else(|e| panic!("round {round}: reopen: {e}"));
    assert!(store.integrity_ok().unwrap(), "round {round}: integrity");
    for id in &acked.articles {
        store
            .load_article(*id)
            .unwrap_or_else(|e| panic!("round {round}: acknowledged article {id} lost: {e}"));
    }
    for (id, seq) in &acked.working {
        let draft = store.load_article(*id).unwrap();
        let stored = seq_of(&draft.body);
        assert!(
            stored >= *seq,
            "round {round}: article {id} has step {stored}, {seq} was acknowledged"
        );
        assert_eq!(
            draft.meta.headline,
            format!("শিরোনাম {stored}"),
            "round {round}: torn"
        );
    }
    for (id, rev) in &acked.revisions {
        let push = store
            .revision_push(*rev)
            .unwrap_or_else(|e| panic!("round {round}: acknowledged revision {rev} lost: {e}"));
        assert_eq!(push.sha256, RevisionPush::hash_of(&push.meta, &push.body));
        assert!(store.revision_ids(*id).unwrap().contains(rev));
    }
    drop(store);
    let conn = rusqlite::Connection::open(path).unwrap();
    let orphans: i64 = conn
        .query_row(
            "SELECT (SELECT COUNT(*) FROM revisions r WHERE r.origin = 'local' AND NOT EXISTS
                       (SELECT 1 FROM outbox o WHERE o.kind = 'revision' AND o.revision_id = r.id))
                  + (SELECT COUNT(*) FROM outbox o WHERE NOT EXISTS
                       (SELECT 1 FROM revisions r WHERE r.id = o.revision_id))
                  + (SELECT COUNT(*) FROM articles a WHERE a.head IS NOT NULL AND NOT EXISTS
                       (SELECT 1 FROM revisions r WHERE r.id = a.head))",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0, "round {round}: revision/outbox pairing broken");
    // The full-text index agrees with its external content table.
    conn.execute(
        "INSERT INTO search_fts (search_fts) VALUES ('integrity-check')",
        [],
    )
    .unwrap_or_else(|e| panic!("round {round}: search index damaged: {e}"));
    drop(conn);
    // Every acknowledged article is findable by a word of its current text after a refresh.
    let mut store = Store::open(path).unwrap();
    let hits = store
        .search(&barta_store::SearchQuery {
            limit: 10_000,
            ..barta_store::SearchQuery::text("নির্বাচন")
        })
        .unwrap();
    for id in acked.working.keys() {
        assert!(
            hits.iter().any(|h| h.id == *id),
            "round {round}: article {id} not found by search"
        );
    }
}

#[test]
fn killed_at_random_moments() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.db");
    let exe = std::env::current_exe().unwrap();
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("crash test seed {seed}");
    let mut rng = Rng(seed);
    let mut acked = Acked::default();
    let started = Instant::now();
    let mut total_acks = 0usize;
    for round in 0..KILLS {
        let mut child = Command::new(&exe)
            .args(["crash_child", "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD_DB, &path)
            .env(CHILD_RUN, (round + 1).to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let lines = Arc::new(Mutex::new(Vec::<String>::new()));
        let reader = {
            let lines = Arc::clone(&lines);
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    let Ok(line) = line else { break };
                    lines.lock().unwrap().push(line);
                }
            })
        };
        // Sometimes before the store is even open, mostly in the middle of the loop.
        let wait = if round % 10 == 0 {
            rng.next() % 8
        } else {
            8 + rng.next() % 60
        };
        std::thread::sleep(Duration::from_millis(wait));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        reader.join().unwrap();
        for line in lines.lock().unwrap().iter() {
            let parts: Vec<&str> = line.split(' ').collect();
            match parts.as_slice() {
                ["ACK", "ART", id] => acked.articles.push(id.parse().unwrap()),
                ["ACK", "WC", id, seq] => {
                    acked
                        .working
                        .insert(id.parse().unwrap(), seq.parse().unwrap());
                }
                ["ACK", "REV", id, rev] => {
                    acked
                        .revisions
                        .push((id.parse().unwrap(), rev.parse().unwrap()));
                }
                _ => continue,
            }
            total_acks += 1;
        }
        verify(&path, &acked, round);
    }
    eprintln!(
        "{KILLS} kills, {total_acks} acknowledged writes, {} revisions, {:?}",
        acked.revisions.len(),
        started.elapsed()
    );
    assert!(
        acked.revisions.len() > 20,
        "too few revisions acknowledged for the test to mean anything"
    );
}
