//! The `Store`'s read paths on a real PostgreSQL (a throwaway cluster, `common/pg_cluster.rs`)
//! answer as SQLite's: the same newsroom and the same script of pushes, approvals,
//! publications, a schedule, a correction, an unpublication and comments on both backends,
//! then every read (article, revision, history, the changes feed for each kind of reader,
//! the public feed, publications, snapshots, comments) compared with what differs by nature
//! between two runs (server-made ids and times) left out.

#[path = "common/pg_cluster.rs"]
mod pg_cluster;
#[path = "common/store_pushes.rs"]
mod store_pushes;

use barta_model::api::{
    ApproveRequest, CommentAnchor, CommentPut, CorrectRequest, TransitionRequest, UserInfo,
};
use barta_model::{Action, ArticleId, RevisionId, Role};
use barta_server::SqliteStore;
use barta_server::publishing::{TargetKind, TargetRecord};
use barta_server::store::postgres::PgStore;
use barta_server::store::{NewRevision, NewUser, PublishOrder, PushOutcome, Store, StoreError};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The newsroom's people: (name, role, desks).
const PEOPLE: [(&str, Role, &[&str]); 6] = [
    ("rahim", Role::Reporter, &["national"]),
    ("karim", Role::Reporter, &["national"]),
    ("salma", Role::Reporter, &["sports"]),
    ("nasrin", Role::Editor, &["national"]),
    ("tania", Role::Editor, &["sports"]),
    ("admin", Role::Admin, &[]),
];

const DESKS: [(&str, &str); 2] = [("national", "জাতীয়"), ("sports", "খেলা")];

type Users = HashMap<&'static str, UserInfo>;

fn target() -> TargetRecord {
    TargetRecord {
        name: "site".into(),
        kind: TargetKind::Webhook,
        url: "https://example.invalid/hook".into(),
        username: None,
        sealed_secret: vec![1, 2, 3],
        desks: vec![],
        categories: BTreeMap::new(),
        created_at: "2026-12-07T00:00:00.000Z".into(),
    }
}

fn sqlite_newsroom(dir: &std::path::Path) -> (SqliteStore, Users) {
    let store = SqliteStore::open(dir).unwrap();
    for (slug, name) in DESKS {
        store.add_desk(slug, name).unwrap();
    }
    let mut users = HashMap::new();
    for (name, role, desks) in PEOPLE {
        let user = store
            .add_user(NewUser {
                username: name.into(),
                role,
                desks: desks.iter().map(|d| d.to_string()).collect(),
                password_hash: "unused".into(),
            })
            .unwrap();
        users.insert(name, user);
    }
    store.add_target(target()).unwrap();
    (store, users)
}

/// The same newsroom on PostgreSQL (the same user ids).
fn postgres_newsroom(users: &Users) -> PgStore {
    let url = pg_cluster::fresh_database();
    let store = PgStore::open(&url, 8).unwrap();
    pg_cluster::same_people(&url, &DESKS, users.values());
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let t = target();
    client
        .execute(
            "INSERT INTO targets (name, kind, url, username, secret, desks, categories, created_at)
             VALUES ($1, 'webhook', $2, NULL, $3, '[]', '{}', $4)",
            &[&t.name, &t.url, &t.sealed_secret, &t.created_at],
        )
        .unwrap();
    store
}

fn revision(
    article: ArticleId,
    id: RevisionId,
    parent: Option<RevisionId>,
    desk: &str,
    text: &str,
) -> NewRevision {
    let headline = format!("শিরোনাম: {text}");
    let blocks = vec![store_pushes::paragraph(text)];
    store_pushes::new_revision(article, id, parent, (&headline, desk), blocks)
}

fn comment_put(text: &str, parent: Option<&str>, resolved: bool) -> CommentPut {
    CommentPut {
        parent_id: parent.map(str::to_string),
        anchor: CommentAnchor {
            block_id: "p1".into(),
            start: 2,
            end: 7,
            quote: "পানি".into(),
        },
        body: text.into(),
        resolved,
        created_at: "2026-12-07T10:00:00+06:00".into(),
    }
}

/// The ids both backends share.
struct Ids {
    /// a: published then corrected; b: scheduled; c: on sports, a draft; d: unpublished.
    articles: [ArticleId; 4],
    revs: [RevisionId; 8],
    comments: [String; 3],
}

impl Ids {
    fn new() -> Self {
        Self {
            articles: std::array::from_fn(|_| ArticleId::new()),
            revs: std::array::from_fn(|_| RevisionId::new()),
            comments: std::array::from_fn(|_| uuid::Uuid::now_v7().to_string()),
        }
    }

    fn shared(&self, users: &Users) -> HashSet<String> {
        let mut shared: HashSet<String> = users.values().map(|u| u.id.to_string()).collect();
        shared.extend(self.articles.iter().map(ToString::to_string));
        shared.extend(self.revs.iter().map(ToString::to_string));
        shared.extend(self.comments.iter().cloned());
        shared
    }
}

fn accepted(outcome: Result<PushOutcome, StoreError>) {
    assert!(
        matches!(outcome, Ok(PushOutcome::Accepted(_))),
        "{outcome:?}"
    );
}

fn submit(store: &dyn Store, actor: &UserInfo, article: ArticleId, rev: RevisionId) {
    let req = TransitionRequest {
        action: Action::Submit,
        rev_id: rev,
        note: Some("দেখুন".into()),
    };
    store.transition(actor, article, req).unwrap();
}

fn approve(store: &dyn Store, editor: &UserInfo, article: ArticleId, rev: &NewRevision) -> String {
    let req = ApproveRequest {
        rev_id: rev.push.id,
        sha256: rev.push.sha256.to_string(),
    };
    store
        .approve(editor, article, rev.push.id, req)
        .unwrap()
        .approval_id
}

fn publish(
    store: &dyn Store,
    editor: &UserInfo,
    article: ArticleId,
    approval: String,
    at: Option<chrono::DateTime<chrono::Utc>>,
) -> String {
    let order = PublishOrder {
        approval_id: approval,
        at,
    };
    store
        .publish(editor, article, order)
        .unwrap()
        .publication_id
}

/// The writes, the same on both backends; the publication ids (first, correction,
/// scheduled, unpublished).
fn script(store: &dyn Store, users: &Users, ids: &Ids) -> [String; 4] {
    let (rahim, karim, salma) = (&users["rahim"], &users["karim"], &users["salma"]);
    let (nasrin, tania) = (&users["nasrin"], &users["tania"]);
    let [a, b, c, d] = ids.articles;
    let r = &ids.revs;

    // a: two revisions, submitted, approved twice (the latest counts), published, commented,
    // then corrected.
    let a0 = revision(a, r[0], None, "national", "সিলেটে পানি বাড়ছে।");
    accepted(store.push_revision(rahim, a0.clone()));
    let a1 = revision(
        a,
        r[1],
        Some(r[0]),
        "national",
        "সিলেটে পানি বাড়ছে। নদী উপচে পড়ছে।",
    );
    accepted(store.push_revision(rahim, a1.clone()));
    submit(store, rahim, a, r[1]);
    let first_approval = approve(store, nasrin, a, &a1);
    let approval = approve(store, nasrin, a, &a1);
    assert_eq!(first_approval, approval, "a repeated approval is the same");
    let first = publish(store, nasrin, a, approval, None);
    store
        .put_comment(
            nasrin,
            a,
            &ids.comments[0],
            comment_put("নামটি যাচাই করুন", None, false),
        )
        .unwrap();
    store
        .put_comment(
            rahim,
            a,
            &ids.comments[1],
            comment_put("যাচাই করেছি", Some(&ids.comments[0]), false),
        )
        .unwrap();
    let a2 = revision(
        a,
        r[2],
        Some(r[1]),
        "national",
        "সিলেটে পানি বাড়ছে। নদী উপচে পড়ছে। ১২টি গ্রাম প্লাবিত।",
    );
    accepted(store.push_revision(nasrin, a2.clone()));
    let correction = store
        .correct(
            nasrin,
            a,
            r[2],
            CorrectRequest {
                rev_id: r[2],
                sha256: a2.push.sha256.to_string(),
                note: "সংখ্যা যোগ হয়েছে".into(),
            },
        )
        .unwrap()
        .publication_id;
    store
        .put_comment(
            nasrin,
            a,
            &ids.comments[2],
            comment_put("ঠিক আছে", None, true),
        )
        .unwrap();

    // b: scheduled far ahead.
    let b0 = revision(b, r[3], None, "national", "বাজেট আসছে।");
    accepted(store.push_revision(karim, b0.clone()));
    submit(store, karim, b, r[3]);
    let approval = approve(store, nasrin, b, &b0);
    let at = "2100-01-01T00:00:00Z".parse().unwrap();
    let scheduled = publish(store, nasrin, b, approval, Some(at));

    // c: a draft on sports with two revisions.
    accepted(store.push_revision(salma, revision(c, r[4], None, "sports", "খেলা শুরু।")));
    accepted(store.push_revision(
        salma,
        revision(c, r[5], Some(r[4]), "sports", "খেলা শুরু। বৃষ্টি।"),
    ));
    let denied = store.transition(
        tania,
        a,
        TransitionRequest {
            action: Action::Return,
            rev_id: r[2],
            note: None,
        },
    );
    assert!(
        matches!(denied, Err(StoreError::Forbidden(_))),
        "{denied:?}"
    );

    // d: published, then unpublished.
    let d0 = revision(d, r[6], None, "national", "ভুল খবর।");
    accepted(store.push_revision(rahim, d0.clone()));
    submit(store, rahim, d, r[6]);
    let approval = approve(store, nasrin, d, &d0);
    let unpublished = publish(store, nasrin, d, approval, None);
    store
        .transition(
            nasrin,
            d,
            TransitionRequest {
                action: Action::Unpublish,
                rev_id: r[6],
                note: Some("প্রত্যাহার".into()),
            },
        )
        .unwrap();
    [first, correction, scheduled, unpublished]
}

/// Leaves out what differs by nature between two runs: a server-made time becomes `<time>`,
/// a server-made id (one not in `shared`) `<id N>`, numbered by first appearance.
struct Normalizer<'a> {
    shared: &'a HashSet<String>,
    seen: HashMap<String, usize>,
}

fn is_uuid(s: &[u8]) -> bool {
    s.len() == 36
        && s.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// `2026-12-07T10:00:00.123Z`, as `store::timestamp` writes.
fn is_server_time(s: &[u8]) -> bool {
    const SHAPE: &[u8] = b"dddd-dd-ddTdd:dd:dd.dddZ";
    s.len() == SHAPE.len()
        && s.iter().zip(SHAPE).all(|(c, p)| match p {
            b'd' => c.is_ascii_digit(),
            p => c == p,
        })
}

impl Normalizer<'_> {
    fn text(&mut self, text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = String::new();
        let mut i = 0;
        while i < bytes.len() {
            if i + 36 <= bytes.len() && is_uuid(&bytes[i..i + 36]) {
                let id = &text[i..i + 36];
                if self.shared.contains(id) {
                    out.push_str(id);
                } else {
                    let next = self.seen.len();
                    let n = *self.seen.entry(id.to_string()).or_insert(next);
                    out.push_str(&format!("<id {n}>"));
                }
                i += 36;
            } else if i + 24 <= bytes.len() && is_server_time(&bytes[i..i + 24]) {
                out.push_str("<time>");
                i += 24;
            } else {
                let c = text[i..].chars().next().unwrap();
                out.push(c);
                i += c.len_utf8();
            }
        }
        out
    }

    fn answer<T: std::fmt::Debug>(&mut self, answer: Result<T, StoreError>) -> String {
        self.text(&format!("{answer:#?}"))
    }
}

/// Every read, as text with the server-made ids and times left out.
fn reads(
    store: &dyn Store,
    users: &Users,
    ids: &Ids,
    publications: &[String; 4],
) -> Vec<(String, String)> {
    let shared = ids.shared(users);
    let mut n = Normalizer {
        shared: &shared,
        seen: HashMap::new(),
    };
    let mut out = Vec::new();
    let readers = ["rahim", "karim", "salma", "nasrin", "tania", "admin"];
    let mut record = |what: String, text: String| out.push((what, text));
    for name in readers {
        let actor = &users[name];
        for (i, article) in ids.articles.iter().enumerate() {
            record(
                format!("article {i} for {name}"),
                n.answer(store.article(actor, *article)),
            );
            record(
                format!("history {i} for {name}"),
                n.answer(store.history(actor, *article)),
            );
            record(
                format!("comments {i} for {name}"),
                n.answer(store.comments(actor, *article)),
            );
            record(
                format!("deliveries {i} for {name}"),
                n.answer(store.deliveries(actor, *article)),
            );
        }
        for (i, rev) in ids.revs.iter().enumerate() {
            record(
                format!("revision {i} for {name}"),
                n.answer(store.revision(actor, *rev)),
            );
        }
        for (since, limit) in [(0, 1000), (0, 3), (3, 4), (12, 1000), (1000, 10)] {
            record(
                format!("changes {since} {limit} for {name}"),
                n.answer(store.changes(actor, since, limit)),
            );
        }
    }
    let unknown_article = ArticleId::new();
    record(
        "unknown article".into(),
        n.answer(store.article(&users["admin"], unknown_article))
            .replace(&unknown_article.to_string(), "<unknown>"),
    );
    let now = barta_server::store::timestamp(chrono::Utc::now());
    for at in [
        now.as_str(),
        "2100-01-01T00:00:00.000Z",
        "2000-01-01T00:00:00.000Z",
    ] {
        let when = if at == now { "now" } else { at };
        for (since, limit) in [(0, 1000), (0, 1), (1, 1000), (2, 1)] {
            record(
                format!("published {since} {limit} at {when}"),
                n.answer(store.published(since, limit, at)),
            );
        }
        for (i, id) in publications.iter().enumerate() {
            record(
                format!("publication {i} at {when}"),
                n.answer(store.publication(id, at)),
            );
        }
    }
    for (i, id) in publications.iter().enumerate() {
        record(
            format!("publication snapshot {i}"),
            n.answer(store.publication_snapshot(id)),
        );
    }
    record(
        "unknown publication".into(),
        n.answer(store.publication("nope", &now)),
    );
    record(
        "unknown publication snapshot".into(),
        n.answer(store.publication_snapshot("nope")),
    );
    out
}

#[test]
fn the_reads_answer_the_same_on_postgres_as_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let (sqlite, users) = sqlite_newsroom(dir.path());
    let pg = postgres_newsroom(&users);
    let ids = Ids::new();
    let on_sqlite = script(&sqlite, &users, &ids);
    let on_postgres = script(&pg, &users, &ids);
    let sqlite_reads = reads(&sqlite, &users, &ids, &on_sqlite);
    let pg_reads = reads(&pg, &users, &ids, &on_postgres);
    assert_eq!(sqlite_reads.len(), pg_reads.len());
    for ((what, on_sqlite), (_, on_pg)) in sqlite_reads.iter().zip(&pg_reads) {
        assert_eq!(on_pg, on_sqlite, "{what}: PostgreSQL answered otherwise");
    }

    if std::env::var_os("SHOW_READS").is_some() {
        for (what, text) in &pg_reads {
            println!("== {what}\n{text}");
        }
    }
    // The script is what it should be (so that two equally wrong backends fail).
    let find = |what: &str| {
        &sqlite_reads
            .iter()
            .find(|(w, _)| w == what)
            .unwrap_or_else(|| panic!("{what}"))
            .1
    };
    let article = find("article 0 for nasrin");
    assert!(article.starts_with("Ok("), "{article}");
    assert!(article.contains("Corrected"), "{article}");
    assert!(article.contains("approval: Some("), "{article}");
    assert!(article.contains("publication_id: Some("), "{article}");
    assert!(article.contains("target: \"site\""), "{article}");
    assert!(find("article 0 for karim").contains("Forbidden"));
    assert!(find("article 0 for tania").contains("Forbidden"));
    assert!(find("article 0 for admin").starts_with("Ok("));
    assert!(find("unknown article").contains("NotFound"));
    assert!(
        find("history 0 for rahim")
            .matches("RevisionRecord")
            .count()
            == 3
    );
    assert!(
        find("comments 0 for rahim")
            .matches("CommentRecord")
            .count()
            == 3
    );
    let seqs = |what: &str| find(what).matches("Change {").count();
    let all = seqs("changes 0 1000 for admin");
    assert!(all > 10, "{all}");
    assert!(seqs("changes 0 1000 for rahim") < all);
    assert!(seqs("changes 0 1000 for tania") == 2);
    assert!(seqs("changes 0 1000 for nasrin") == all - 2);
    let karims = find("changes 0 1000 for karim");
    assert!(karims.contains(&ids.articles[1].to_string()), "{karims}");
    assert!(!karims.contains(&ids.articles[0].to_string()), "{karims}");
    assert!(seqs("changes 0 3 for admin") == 3);
    assert!(seqs("changes 1000 10 for admin") == 0);
    // Now: only the correction (the original replaced, b scheduled, d unpublished).
    let published_now = find("published 0 1000 at now");
    assert_eq!(published_now.matches("Publication {").count(), 1);
    assert!(published_now.contains("correction: Some("));
    assert!(find("publication 0 at now").contains("correction: Some("));
    assert!(find("publication 2 at now").contains("NotFound"));
    assert!(find("publication 3 at now").contains("NotFound"));
    assert_eq!(
        find("published 0 1000 at 2100-01-01T00:00:00.000Z")
            .matches("Publication {")
            .count(),
        2
    );
    assert!(find("publication snapshot 3").starts_with("Ok("));
    assert!(find("unknown publication").contains("NotFound"));
}
