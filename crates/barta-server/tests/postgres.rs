//! The write rules on a real PostgreSQL (a throwaway cluster, `common/pg_cluster.rs`): the
//! same script of pushes, replays, refusals, approvals, publications, corrections and
//! comments decides the same on PostgreSQL as on SQLite — the rules are written once — and
//! the PostgreSQL feed hands out its sequence numbers in commit order, so readers paging
//! with `seq > cursor` during concurrent writes see every change exactly once.

#[path = "common/pg_cluster.rs"]
mod pg_cluster;
#[path = "common/store_pushes.rs"]
mod store_pushes;

use barta_model::api::{
    ApproveRequest, CommentAnchor, CommentPut, CorrectRequest, TransitionRequest, UserInfo,
};
use barta_model::{Action, ArticleId, RevisionId, Role};
use barta_server::SqliteStore;
use barta_server::store::postgres::PgStore;
use barta_server::store::{
    AuditFilter, NewRevision, NewUser, PublishOrder, PushOutcome, Store, StoreError, rules,
};
use std::collections::HashMap;
use std::sync::Arc;

/// The demo newsroom's people: reporters rahim and karim, editor nasrin (national).
const PEOPLE: [(&str, Role); 3] = [
    ("rahim", Role::Reporter),
    ("karim", Role::Reporter),
    ("nasrin", Role::Editor),
];

/// What a backend answers the script with.
trait Backend {
    fn push(&self, actor: &UserInfo, rev: &NewRevision) -> Result<PushOutcome, StoreError>;
    fn transition(
        &self,
        actor: &UserInfo,
        id: ArticleId,
        req: TransitionRequest,
    ) -> Result<String, StoreError>;
    fn approve(
        &self,
        actor: &UserInfo,
        id: ArticleId,
        rev: RevisionId,
        sha256: &str,
    ) -> Result<String, StoreError>;
    fn publish(
        &self,
        actor: &UserInfo,
        id: ArticleId,
        approval: &str,
    ) -> Result<String, StoreError>;
    fn correct(
        &self,
        actor: &UserInfo,
        id: ArticleId,
        rev: RevisionId,
        sha256: &str,
    ) -> Result<String, StoreError>;
    fn comment(&self, actor: &UserInfo, id: ArticleId, comment: &str)
    -> Result<String, StoreError>;
    /// The feed: (seq, kind, state), in order.
    fn feed(&self) -> Vec<(i64, String, String)>;
    /// The audit trail: (action, outcome), in order.
    fn audit(&self) -> Vec<(String, String)>;
}

fn comment_put(text: &str) -> CommentPut {
    CommentPut {
        parent_id: None,
        anchor: CommentAnchor {
            block_id: "p1".into(),
            start: 0,
            end: 4,
            quote: "সিলেট".into(),
        },
        body: text.into(),
        resolved: false,
        created_at: "2026-12-07T10:00:00+06:00".into(),
    }
}

impl Backend for SqliteStore {
    fn push(&self, actor: &UserInfo, rev: &NewRevision) -> Result<PushOutcome, StoreError> {
        self.push_revision(actor, rev.clone())
    }
    fn transition(
        &self,
        actor: &UserInfo,
        id: ArticleId,
        req: TransitionRequest,
    ) -> Result<String, StoreError> {
        Store::transition(self, actor, id, req).map(|r| r.state.to_string())
    }
    fn approve(
        &self,
        actor: &UserInfo,
        id: ArticleId,
        rev: RevisionId,
        sha256: &str,
    ) -> Result<String, StoreError> {
        let req = ApproveRequest {
            rev_id: rev,
            sha256: sha256.into(),
        };
        Store::approve(self, actor, id, rev, req).map(|r| r.approval_id)
    }
    fn publish(
        &self,
        actor: &UserInfo,
        id: ArticleId,
        approval: &str,
    ) -> Result<String, StoreError> {
        let order = PublishOrder {
            approval_id: approval.into(),
            at: None,
        };
        Store::publish(self, actor, id, order).map(|r| r.publication_id)
    }
    fn correct(
        &self,
        actor: &UserInfo,
        id: ArticleId,
        rev: RevisionId,
        sha256: &str,
    ) -> Result<String, StoreError> {
        let req = CorrectRequest {
            rev_id: rev,
            sha256: sha256.into(),
            note: "নাম ঠিক করা হয়েছে".into(),
        };
        Store::correct(self, actor, id, rev, req).map(|r| r.publication_id)
    }
    fn comment(
        &self,
        actor: &UserInfo,
        id: ArticleId,
        comment: &str,
    ) -> Result<String, StoreError> {
        self.put_comment(actor, id, comment, comment_put("নামটি যাচাই করুন"))
            .map(|c| c.body)
    }
    fn feed(&self) -> Vec<(i64, String, String)> {
        let admin = UserInfo {
            id: Default::default(),
            username: "admin".into(),
            role: Role::Admin,
            desks: vec![],
        };
        self.changes(&admin, 0, 1000)
            .unwrap()
            .changes
            .into_iter()
            .map(|c| {
                (
                    c.seq,
                    format!("{:?}", c.kind).to_lowercase(),
                    c.state.to_string(),
                )
            })
            .collect()
    }
    fn audit(&self) -> Vec<(String, String)> {
        self.audit_entries(&AuditFilter::default())
            .unwrap()
            .into_iter()
            .map(|e| (e.action, e.outcome))
            .collect()
    }
}

/// PostgreSQL, through the rules directly (as `Store::push` and the others call them).
struct Pg {
    store: PgStore,
    url: String,
}

impl Backend for Pg {
    fn push(&self, actor: &UserInfo, rev: &NewRevision) -> Result<PushOutcome, StoreError> {
        // Through the store: the answer carries the feed number given after commit.
        barta_server::Store::push_revision(&self.store, actor, rev.clone())
    }
    fn transition(
        &self,
        actor: &UserInfo,
        id: ArticleId,
        req: TransitionRequest,
    ) -> Result<String, StoreError> {
        self.store
            .write(|tx| rules::transition(tx, actor, id, req.clone()))
            .map(|r| r.state.to_string())
    }
    fn approve(
        &self,
        actor: &UserInfo,
        id: ArticleId,
        rev: RevisionId,
        sha256: &str,
    ) -> Result<String, StoreError> {
        let req = ApproveRequest {
            rev_id: rev,
            sha256: sha256.into(),
        };
        self.store
            .write(|tx| rules::approve(tx, actor, id, rev, req.clone()))
            .map(|r| r.approval_id)
    }
    fn publish(
        &self,
        actor: &UserInfo,
        id: ArticleId,
        approval: &str,
    ) -> Result<String, StoreError> {
        let order = PublishOrder {
            approval_id: approval.into(),
            at: None,
        };
        self.store
            .write(|tx| rules::publish(tx, actor, id, order.clone()))
            .map(|r| r.publication_id)
    }
    fn correct(
        &self,
        actor: &UserInfo,
        id: ArticleId,
        rev: RevisionId,
        sha256: &str,
    ) -> Result<String, StoreError> {
        let req = CorrectRequest {
            rev_id: rev,
            sha256: sha256.into(),
            note: "নাম ঠিক করা হয়েছে".into(),
        };
        self.store
            .write(|tx| rules::correct(tx, actor, id, rev, req.clone()))
            .map(|r| r.publication_id)
    }
    fn comment(
        &self,
        actor: &UserInfo,
        id: ArticleId,
        comment: &str,
    ) -> Result<String, StoreError> {
        self.store
            .write(|tx| rules::put_comment(tx, actor, id, comment, comment_put("নামটি যাচাই করুন")))
            .map(|c| c.body)
    }
    fn feed(&self) -> Vec<(i64, String, String)> {
        let mut client = postgres::Client::connect(&self.url, postgres::NoTls).unwrap();
        client
            .query("SELECT seq, kind, state FROM changes ORDER BY seq", &[])
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect()
    }
    fn audit(&self) -> Vec<(String, String)> {
        let mut client = postgres::Client::connect(&self.url, postgres::NoTls).unwrap();
        client
            .query("SELECT action, outcome FROM audit ORDER BY id", &[])
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect()
    }
}

/// The demo newsroom on SQLite, through the `Store`.
fn sqlite_newsroom(dir: &std::path::Path) -> (SqliteStore, HashMap<&'static str, UserInfo>) {
    let store = SqliteStore::open(dir).unwrap();
    store.add_desk("national", "জাতীয়").unwrap();
    let mut users = HashMap::new();
    for (name, role) in PEOPLE {
        let user = store
            .add_user(NewUser {
                username: name.into(),
                role,
                desks: vec!["national".into()],
                password_hash: "unused".into(),
            })
            .unwrap();
        users.insert(name, user);
    }
    (store, users)
}

/// The same newsroom on PostgreSQL (the same user ids).
fn postgres_newsroom(users: &HashMap<&'static str, UserInfo>) -> Pg {
    let url = pg_cluster::fresh_database();
    let store = PgStore::open(&url, 8).unwrap();
    pg_cluster::same_people(&url, &[("national", "জাতীয়")], users.values());
    Pg { store, url }
}

fn revision(
    article: ArticleId,
    id: RevisionId,
    parent: Option<RevisionId>,
    text: &str,
) -> NewRevision {
    let headline = ("সিলেটে পানি বাড়ছে", "national");
    store_pushes::new_revision(
        article,
        id,
        parent,
        headline,
        vec![store_pushes::paragraph(text)],
    )
}

/// An answer with what differs by nature between two runs (ids, times) left out.
fn shape<T>(answer: &Result<T, StoreError>, show: impl Fn(&T) -> String) -> String {
    match answer {
        Ok(value) => format!("ok {}", show(value)),
        Err(e) => format!("refused {e:?}")
            .split('(')
            .next()
            .unwrap_or_default()
            .to_string(),
    }
}

/// The script: the same ids on both backends, every answer's shape recorded.
fn script(b: &dyn Backend, users: &HashMap<&'static str, UserInfo>, ids: &Ids) -> Vec<String> {
    let (rahim, karim, nasrin) = (&users["rahim"], &users["karim"], &users["nasrin"]);
    let mut out = Vec::new();
    let push_shape = |o: &PushOutcome| match o {
        PushOutcome::Accepted(a) => format!("accepted seq {}", a.seq),
        PushOutcome::Conflict(c) => format!("conflict, head {}", c.head == ids.revs[1]),
    };
    let first = revision(ids.article, ids.revs[0], None, "সিলেটে পানি বাড়ছে।");
    out.push(shape(&b.push(rahim, &first), push_shape));
    out.push(shape(&b.push(rahim, &first), push_shape));
    let second = revision(
        ids.article,
        ids.revs[1],
        Some(ids.revs[0]),
        "সিলেটে পানি বাড়ছে। নদী উপচে পড়ছে।",
    );
    out.push(shape(&b.push(karim, &second), push_shape));
    out.push(shape(&b.push(rahim, &second), push_shape));
    let stale = revision(
        ids.article,
        ids.revs[2],
        Some(ids.revs[0]),
        "সিলেটে পানি কমছে।",
    );
    out.push(shape(&b.push(rahim, &stale), push_shape));
    let submit = |rev| TransitionRequest {
        action: Action::Submit,
        rev_id: rev,
        note: None,
    };
    out.push(shape(
        &b.transition(rahim, ids.article, submit(ids.revs[0])),
        String::clone,
    ));
    out.push(shape(
        &b.transition(rahim, ids.article, submit(ids.revs[1])),
        String::clone,
    ));
    out.push(shape(
        &b.transition(rahim, ids.article, submit(ids.revs[1])),
        String::clone,
    ));
    let sha = second.push.sha256.to_string();
    out.push(shape(
        &b.approve(rahim, ids.article, ids.revs[1], &sha),
        |_| String::new(),
    ));
    out.push(shape(
        &b.approve(nasrin, ids.article, ids.revs[1], "00"),
        |_| String::new(),
    ));
    let approval = b.approve(nasrin, ids.article, ids.revs[1], &sha);
    out.push(shape(&approval, |_| String::new()));
    let approval = approval.unwrap();
    out.push(shape(
        &b.approve(nasrin, ids.article, ids.revs[1], &sha),
        |a| (a == &approval).to_string(),
    ));
    out.push(shape(&b.publish(rahim, ids.article, &approval), |_| {
        String::new()
    }));
    let publication = b.publish(nasrin, ids.article, &approval);
    out.push(shape(&publication, |_| String::new()));
    out.push(shape(&b.publish(nasrin, ids.article, &approval), |p| {
        (Some(p) == publication.as_ref().ok()).to_string()
    }));
    out.push(shape(
        &b.comment(karim, ids.article, &ids.comment),
        String::clone,
    ));
    out.push(shape(
        &b.comment(nasrin, ids.article, &ids.comment),
        String::clone,
    ));
    out.push(shape(
        &b.comment(nasrin, ids.article, &ids.comment),
        String::clone,
    ));
    out.push(shape(
        &b.comment(nasrin, ids.article, "not-a-uuid"),
        String::clone,
    ));
    let fixed = revision(
        ids.article,
        ids.revs[3],
        Some(ids.revs[1]),
        "সিলেটে পানি বাড়ছে। নদী উপচে পড়ছে। ১২টি গ্রাম প্লাবিত।",
    );
    out.push(shape(&b.push(nasrin, &fixed), push_shape));
    let fixed_sha = fixed.push.sha256.to_string();
    out.push(shape(
        &b.correct(rahim, ids.article, ids.revs[3], &fixed_sha),
        |_| String::new(),
    ));
    out.push(shape(
        &b.correct(nasrin, ids.article, ids.revs[3], &fixed_sha),
        |_| String::new(),
    ));
    out
}

struct Ids {
    article: ArticleId,
    revs: [RevisionId; 4],
    comment: String,
}

#[test]
fn the_rules_decide_the_same_on_postgres_as_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let (sqlite, users) = sqlite_newsroom(dir.path());
    let pg = postgres_newsroom(&users);
    let ids = Ids {
        article: ArticleId::new(),
        revs: [
            RevisionId::new(),
            RevisionId::new(),
            RevisionId::new(),
            RevisionId::new(),
        ],
        comment: uuid::Uuid::now_v7().to_string(),
    };
    let on_sqlite = script(&sqlite, &users, &ids);
    let on_postgres = script(&pg, &users, &ids);
    // The script itself is what the rules say (so that two equally wrong backends fail).
    let expected = [
        "ok accepted seq 1",
        "ok accepted seq 1",
        "refused Forbidden",
        "ok accepted seq 2",
        "ok conflict, head true",
        "refused Conflict",
        "ok submitted",
        "ok submitted",
        "refused Forbidden",
        "refused HashMismatch",
        "ok ",
        "ok true",
        "refused Forbidden",
        "ok ",
        "ok true",
        "refused Forbidden",
        "ok নামটি যাচাই করুন",
        "ok নামটি যাচাই করুন",
        "refused Invalid",
        "ok accepted seq 7",
        "refused Forbidden",
        "ok ",
    ];
    assert_eq!(on_sqlite, expected, "SQLite");
    assert_eq!(
        on_postgres, on_sqlite,
        "PostgreSQL decided otherwise than SQLite"
    );
    assert_eq!(pg.feed(), sqlite.feed(), "the feeds");
    let audit = sqlite.audit();
    assert!(
        audit.iter().any(|(a, o)| a == "push" && o == "denied"),
        "{audit:?}"
    );
    assert!(
        audit.iter().any(|(a, o)| a == "approve" && o == "refused"),
        "{audit:?}"
    );
    assert_eq!(pg.audit(), audit, "the audit trails");
}

/// 8 writers over two instances (two stores, each with its own pool, on one database) and 4
/// readers paging with `seq > cursor` while they write: every reader sees every change once,
/// each article's revisions in the order they were written.
#[test]
fn concurrent_writers_over_two_instances_never_let_a_reader_skip_a_change() {
    const WRITERS: usize = 8;
    const PUSHES: usize = 25;
    const READERS: usize = 4;
    let dir = tempfile::tempdir().unwrap();
    let (_sqlite, users) = sqlite_newsroom(dir.path());
    let pg = Arc::new(postgres_newsroom(&users));
    let instances = [
        pg.clone(),
        Arc::new(Pg {
            store: PgStore::open(&pg.url, 8).unwrap(),
            url: pg.url.clone(),
        }),
    ];
    let rahim = users["rahim"].clone();
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let readers: Vec<_> = (0..READERS)
        .map(|_| {
            let url = pg.url.clone();
            let done = done.clone();
            std::thread::spawn(move || {
                let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
                let mut cursor = 0_i64;
                let mut seen: Vec<(i64, String, String)> = Vec::new();
                loop {
                    let finished = done.load(std::sync::atomic::Ordering::SeqCst);
                    let page: Vec<(i64, String, String)> = client
                        .query(
                            "SELECT seq, article_id, revision_id FROM changes
                              WHERE seq > $1 ORDER BY seq LIMIT 7",
                            &[&cursor],
                        )
                        .unwrap()
                        .iter()
                        .map(|r| (r.get(0), r.get(1), r.get(2)))
                        .collect();
                    if let Some(last) = page.last() {
                        cursor = last.0;
                    }
                    let empty = page.is_empty();
                    seen.extend(page);
                    if finished && empty {
                        return seen;
                    }
                }
            })
        })
        .collect();
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let instance = instances[w % 2].clone();
            let rahim = rahim.clone();
            std::thread::spawn(move || {
                let article = ArticleId::new();
                let mut parent = None;
                let mut written = Vec::new();
                for n in 0..PUSHES {
                    let id = RevisionId::new();
                    let rev = revision(article, id, parent, &format!("সংস্করণ {n}"));
                    let answer = instance.push(&rahim, &rev).unwrap();
                    assert!(matches!(answer, PushOutcome::Accepted(_)), "{answer:?}");
                    parent = Some(id);
                    written.push(id.to_string());
                }
                (article.to_string(), written)
            })
        })
        .collect();
    let written: HashMap<String, Vec<String>> =
        writers.into_iter().map(|w| w.join().unwrap()).collect();
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let all: Vec<i64> = (1..=(WRITERS * PUSHES) as i64).collect();
    assert_eq!(
        pg.feed().iter().map(|c| c.0).collect::<Vec<_>>(),
        all,
        "one number per change, no gap"
    );
    for reader in readers {
        let seen = reader.join().unwrap();
        assert_eq!(
            seen.iter().map(|c| c.0).collect::<Vec<_>>(),
            all,
            "a reader paging during the writes saw every change once, in order"
        );
        for (article, revisions) in &written {
            let in_feed: Vec<&String> = seen
                .iter()
                .filter(|c| &c.1 == article)
                .map(|c| &c.2)
                .collect();
            assert_eq!(
                in_feed,
                revisions.iter().collect::<Vec<_>>(),
                "article {article}'s revisions in the order written"
            );
        }
    }
}

/// The failure the feed is designed against, shown on a plain sequence, then the feed: a
/// transaction that took a number commits after a later one was read, and a reader whose
/// cursor passed the later number never sees the earlier one.
#[test]
fn a_plain_sequence_skips_a_late_commit_and_the_feed_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let (_sqlite, users) = sqlite_newsroom(dir.path());
    let pg = Arc::new(postgres_newsroom(&users));
    let connect = || postgres::Client::connect(&pg.url, postgres::NoTls).unwrap();
    let read_after = |client: &mut postgres::Client, table: &str, cursor: i64| -> Vec<i64> {
        client
            .query(
                &format!("SELECT seq FROM {table} WHERE seq > $1 ORDER BY seq"),
                &[&cursor],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect()
    };

    // A plain sequence: A takes 1 and commits late, B takes 2 and commits at once.
    connect()
        .batch_execute("CREATE TABLE naive (seq BIGSERIAL PRIMARY KEY)")
        .unwrap();
    let mut a = connect();
    let mut a_tx = a.transaction().unwrap();
    a_tx.execute("INSERT INTO naive DEFAULT VALUES", &[])
        .unwrap();
    connect()
        .execute("INSERT INTO naive DEFAULT VALUES", &[])
        .unwrap();
    let mut reader = connect();
    let first_page = read_after(&mut reader, "naive", 0);
    a_tx.commit().unwrap();
    let second_page = read_after(&mut reader, "naive", *first_page.last().unwrap());
    assert_eq!(
        (first_page, second_page),
        (vec![2], vec![]),
        "the plain sequence skipped 1"
    );

    // The feed: A pushes and holds its transaction open; B pushes and commits meanwhile, and
    // is numbered at once; A, committing later, is numbered after it — a reader whose cursor
    // passed B's number still gets A's.
    let rahim = users["rahim"].clone();
    let (took, release) = (
        Arc::new(std::sync::Barrier::new(2)),
        Arc::new(std::sync::Barrier::new(2)),
    );
    let slow_rev = RevisionId::new();
    let slow = {
        let (pg, rahim, took, release) = (pg.clone(), rahim.clone(), took.clone(), release.clone());
        std::thread::spawn(move || {
            let rev = revision(ArticleId::new(), slow_rev, None, "প্রথম");
            pg.store
                .write(|tx| {
                    let answer = rules::push(tx, &rahim, &rev, None);
                    took.wait();
                    release.wait();
                    answer
                })
                .unwrap()
        })
    };
    took.wait();
    let fast_rev = RevisionId::new();
    let fast = pg
        .push(
            &rahim,
            &revision(ArticleId::new(), fast_rev, None, "দ্বিতীয়"),
        )
        .unwrap();
    let seq = |o: &PushOutcome| match o {
        PushOutcome::Accepted(a) => a.seq,
        PushOutcome::Conflict(c) => panic!("{c:?}"),
    };
    assert_eq!(seq(&fast), 1, "B did not wait for A's commit");
    let while_open = read_after(&mut reader, "changes", 0);
    assert_eq!(while_open, vec![1], "B's entry is visible, A's not yet");
    release.wait();
    slow.join().unwrap();
    assert_eq!(
        read_after(&mut reader, "changes", 1),
        vec![2],
        "A's entry, committed later, comes after the reader's cursor"
    );
    let numbered: Vec<(i64, String)> = reader
        .query("SELECT seq, revision_id FROM changes ORDER BY seq", &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(
        numbered,
        vec![(1, fast_rev.to_string()), (2, slow_rev.to_string())],
        "numbers in commit order"
    );
}

/// The README's way to keep a PostgreSQL newsroom: `pg_dump -Fc` while it serves, then
/// `pg_restore` into an empty database, gives a newsroom whose audit chain checks out, whose
/// feed and articles are the same, and which goes on numbering where it stopped.
#[test]
fn a_pg_dump_taken_while_serving_restores_to_a_newsroom_that_goes_on() {
    use barta_server::store::AuditCheck;
    let (url, name) = pg_cluster::fresh_database_named();
    let store = Arc::new(PgStore::open(&url, 8).unwrap());
    store.add_desk("national", "জাতীয়").unwrap();
    let rahim = store
        .add_user(NewUser {
            username: "rahim".into(),
            role: Role::Reporter,
            desks: vec!["national".into()],
            password_hash: "unused".into(),
        })
        .unwrap();
    let push_chain = |store: &PgStore, article: ArticleId, n: usize| {
        let mut parent = None;
        for i in 0..n {
            let id = RevisionId::new();
            let rev = revision(article, id, parent, &format!("সংস্করণ {i}"));
            let answer = store.push_revision(&rahim, rev).unwrap();
            assert!(matches!(answer, PushOutcome::Accepted(_)), "{answer:?}");
            parent = Some(id);
        }
    };
    let article = ArticleId::new();
    push_chain(&store, article, 20);
    let acknowledged = store.changes(&rahim, 0, 1000).unwrap().changes.len();

    // The dump runs while another article is being written.
    let writing = {
        let (store, rahim) = (store.clone(), rahim.clone());
        std::thread::spawn(move || {
            let article = ArticleId::new();
            let mut parent = None;
            for i in 0..40 {
                let id = RevisionId::new();
                let rev = revision(article, id, parent, &format!("চলমান {i}"));
                store.push_revision(&rahim, rev).unwrap();
                parent = Some(id);
            }
        })
    };
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("newsroom.dump");
    let port = pg_cluster::cluster().port.to_string();
    let run = |program: &str, args: &[&str]| {
        let out = std::process::Command::new(pg_cluster::program(program))
            .args(["-h", "127.0.0.1", "-p", &port, "-U", "postgres"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{program}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run("pg_dump", &["-Fc", "-f", dump.to_str().unwrap(), &name]);
    writing.join().unwrap();

    let (restored_url, restored_name) = pg_cluster::fresh_database_named();
    run(
        "pg_restore",
        &["--no-owner", "-d", &restored_name, dump.to_str().unwrap()],
    );
    let restored = PgStore::open(&restored_url, 4).unwrap();
    assert!(
        matches!(restored.check_audit().unwrap(), AuditCheck::Intact { .. }),
        "the audit chain of the restored newsroom"
    );
    let feed = restored.changes(&rahim, 0, 1000).unwrap().changes;
    assert!(
        feed.len() >= acknowledged,
        "every change acknowledged before the dump is there: {} < {acknowledged}",
        feed.len()
    );
    let seqs: Vec<i64> = feed.iter().map(|c| c.seq).collect();
    assert_eq!(seqs, (1..=feed.len() as i64).collect::<Vec<_>>(), "no gap");
    assert_eq!(restored.history(&rahim, article).unwrap().len(), 20);
    // It goes on: the next change takes the next number.
    let rev = revision(ArticleId::new(), RevisionId::new(), None, "পুনরুদ্ধারের পরে");
    match restored.push_revision(&rahim, rev).unwrap() {
        PushOutcome::Accepted(a) => assert_eq!(a.seq, feed.len() as i64 + 1),
        other => panic!("{other:?}"),
    }
}

/// `barta migrate`: a SQLite newsroom with articles, history, conflicts, approvals,
/// publications, a correction, comments, a photo and its audit trail, copied into an empty
/// PostgreSQL database, reads the same there — the feed with its numbers (a laptop's cursor
/// goes on), every revision's hash, the audit chain's head — and goes on numbering; a second
/// migration into the same database is refused.
#[test]
fn a_sqlite_newsroom_migrated_to_postgres_reads_the_same_and_goes_on() {
    use barta_server::store::migrate::{MigrateError, migrate};
    use barta_server::store::{AuditCheck, NewMedia};
    let dir = tempfile::tempdir().unwrap();
    let (sqlite, users) = sqlite_newsroom(dir.path());
    let ids = Ids {
        article: ArticleId::new(),
        revs: [
            RevisionId::new(),
            RevisionId::new(),
            RevisionId::new(),
            RevisionId::new(),
        ],
        comment: uuid::Uuid::now_v7().to_string(),
    };
    script(&sqlite, &users, &ids);
    let rahim = &users["rahim"];
    let photo = b"\x89PNG\r\n\x1a\n not really a photo".to_vec();
    let sha = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&photo))
    };
    let upload = sqlite
        .create_media(
            rahim,
            NewMedia {
                sha256: sha.clone(),
                length: photo.len() as u64,
                content_type: "image/png".into(),
                quota_bytes: 1 << 20,
            },
        )
        .unwrap();
    sqlite.append_media(rahim, &upload.id, 0, &photo).unwrap();
    let admin = UserInfo {
        id: Default::default(),
        username: "admin".into(),
        role: Role::Admin,
        desks: vec![],
    };
    let feed_before = sqlite.changes(&admin, 0, 1000).unwrap();
    let cursor = feed_before.changes[3].seq;
    let audit_before = sqlite.check_audit().unwrap();
    drop(sqlite);

    let url = pg_cluster::fresh_database();
    let migrated = migrate(dir.path(), &url).unwrap();
    assert_eq!(migrated.last_seq, feed_before.next);
    let pg = PgStore::open(&url, 4).unwrap();
    let sqlite = SqliteStore::open(dir.path()).unwrap();
    let json = |v: &dyn erased::Json| v.json();
    assert_eq!(
        json(&pg.changes(&admin, 0, 1000).unwrap()),
        json(&sqlite.changes(&admin, 0, 1000).unwrap()),
        "the whole feed, revisions and all"
    );
    assert_eq!(
        json(&pg.changes(&users["nasrin"], cursor, 1000).unwrap()),
        json(&sqlite.changes(&users["nasrin"], cursor, 1000).unwrap()),
        "a laptop's cursor goes on where it was"
    );
    assert_eq!(
        json(&pg.history(rahim, ids.article).unwrap()),
        json(&sqlite.history(rahim, ids.article).unwrap())
    );
    assert_eq!(
        json(&pg.comments(rahim, ids.article).unwrap()),
        json(&sqlite.comments(rahim, ids.article).unwrap())
    );
    let now = "2999-01-01T00:00:00.000Z";
    assert_eq!(
        format!("{:?}", pg.published(0, 100, now).unwrap()),
        format!("{:?}", sqlite.published(0, 100, now).unwrap())
    );
    assert_eq!(
        pg.media_bytes(&sha).unwrap(),
        sqlite.media_bytes(&sha).unwrap()
    );
    assert_eq!(pg.check_audit().unwrap(), audit_before);
    assert!(matches!(audit_before, AuditCheck::Intact { entries, .. } if entries > 3));
    assert_eq!(
        format!("{:?}", pg.audit_entries(&AuditFilter::default()).unwrap()),
        format!(
            "{:?}",
            sqlite.audit_entries(&AuditFilter::default()).unwrap()
        )
    );
    // It goes on: the next change takes the next number, approvals go on too.
    let next = revision(ArticleId::new(), RevisionId::new(), None, "স্থানান্তরের পরে");
    match pg.push_revision(rahim, next).unwrap() {
        PushOutcome::Accepted(a) => assert_eq!(a.seq, feed_before.next + 1),
        other => panic!("{other:?}"),
    }
    // Into a database that holds a newsroom: refused, nothing written.
    match migrate(dir.path(), &url) {
        Err(MigrateError::TargetNotEmpty(n, table)) => assert!(n > 0, "{table}"),
        other => panic!("{other:?}"),
    }
}

/// Records compared through their JSON (what the API answers).
mod erased {
    pub trait Json {
        fn json(&self) -> String;
    }
    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> String {
            serde_json::to_string(self).unwrap()
        }
    }
}

/// A database that does not answer, and a pool whose connections are all taken, are
/// "unavailable" (503 with `Retry-After` over HTTP), never a hang and never a 500.
#[test]
fn a_database_that_is_down_or_busy_is_unavailable_not_a_hang() {
    use std::time::{Duration, Instant};
    // Nothing listens on port 1.
    match PgStore::open("postgres://postgres@127.0.0.1:1/barta", 2) {
        Err(StoreError::Unavailable(_)) => {}
        other => panic!("{:?}", other.map(|_| "opened")),
    }
    // One connection, held by a transaction that waits: the next call gets none in time.
    let url = pg_cluster::fresh_database();
    let store = Arc::new(PgStore::open(&url, 1).unwrap());
    let (holding, release) = (
        Arc::new(std::sync::Barrier::new(2)),
        Arc::new(std::sync::Barrier::new(2)),
    );
    let holder = {
        let (store, holding, release) = (store.clone(), holding.clone(), release.clone());
        std::thread::spawn(move || {
            store.write(|_| {
                holding.wait();
                release.wait();
                Ok(())
            })
        })
    };
    holding.wait();
    let started = Instant::now();
    let answer = store.desk_exists("national");
    let waited = started.elapsed();
    release.wait();
    holder.join().unwrap().unwrap();
    assert!(
        matches!(answer, Err(StoreError::Unavailable(_))),
        "{answer:?}"
    );
    assert!(
        waited < Duration::from_secs(30),
        "it gave up after {waited:?}"
    );
    // And once the connection is back, the store answers again.
    assert!(!store.desk_exists("national").unwrap());
}

/// The audit trail's request entries, written by 100 requests at once, go in groups (fewer
/// transactions than entries, so requests do not pass the chain's lock one by one) and the
/// chain still checks out, every entry in it once.
#[test]
fn audit_entries_written_at_once_go_in_groups_and_the_chain_holds() {
    use barta_server::store::{AuditCheck, NewAuditEntry};
    let store = Arc::new(PgStore::open(&pg_cluster::fresh_database(), 16).unwrap());
    let writers: Vec<_> = (0..100)
        .map(|n| {
            let store = store.clone();
            std::thread::spawn(move || {
                store
                    .record_audit(&NewAuditEntry {
                        username: format!("reporter{n}"),
                        action: "read_article".into(),
                        outcome: "ok".into(),
                        ..NewAuditEntry::default()
                    })
                    .unwrap()
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    match store.check_audit().unwrap() {
        AuditCheck::Intact { entries, .. } => assert_eq!(entries, 100),
        other => panic!("the chain does not check out: {other:?}"),
    }
    assert!(
        store.audit_groups() < 100,
        "{} groups for 100 entries",
        store.audit_groups()
    );
}
