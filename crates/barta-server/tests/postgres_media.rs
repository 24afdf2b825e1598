//! Photos and the delivery outbox on a real PostgreSQL (a throwaway cluster,
//! `common/pg_cluster.rs`) answer as on SQLite: one script of uploads (two chunks, a wrong
//! hash, quotas, another user's upload), reads (bytes, chunks, who may see a photo before and
//! after its article is published), publish targets and deliveries (due, next due, retries,
//! the line of one (target, article), remote posts and photos, a target removed) run on both
//! backends, every answer recorded with what differs by nature (server-made ids) replaced.

#[path = "common/pg_cluster.rs"]
mod pg_cluster;
#[path = "common/store_pushes.rs"]
mod store_pushes;

use barta_model::api::{ApproveRequest, CorrectRequest, TransitionRequest, UserInfo};
use barta_model::{Action, ArticleId, RevisionId, Role};
use barta_server::SqliteStore;
use barta_server::publishing::{AttemptOutcome, RemoteMedia, RemotePost, TargetKind, TargetRecord};
use barta_server::store::postgres::PgStore;
use barta_server::store::sqlite::MAX_MEDIA_BYTES;
use barta_server::store::{NewMedia, NewRevision, NewUser, PublishOrder, Store};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};

/// The newsroom's people: (name, role, desks).
const PEOPLE: [(&str, Role, &[&str]); 5] = [
    ("rahim", Role::Reporter, &["national"]),
    ("karim", Role::Reporter, &["national"]),
    ("nasrin", Role::Editor, &["national"]),
    ("tania", Role::Editor, &["sports"]),
    ("admin", Role::Admin, &[]),
];

const DESKS: [(&str, &str); 2] = [("national", "জাতীয়"), ("sports", "খেলা")];

/// Far enough ahead that everything is due and published.
const LATER: &str = "9999-12-31T00:00:00.000Z";
/// Before anything was published.
const BEFORE: &str = "2000-01-01T00:00:00.000Z";
/// When a retried delivery comes due again.
const RETRY_AT: &str = "9000-01-01T00:00:00.000Z";

type Users = HashMap<&'static str, UserInfo>;

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
    (store, users)
}

/// The same newsroom on PostgreSQL (the same user ids).
fn postgres_newsroom(users: &Users) -> PgStore {
    let url = pg_cluster::fresh_database();
    let store = PgStore::open(&url, 4).unwrap();
    pg_cluster::same_people(&url, &DESKS, users.values());
    store
}

fn target(name: &str, desks: &[&str]) -> TargetRecord {
    TargetRecord {
        name: name.into(),
        kind: TargetKind::Webhook,
        url: "https://example.invalid/hook".into(),
        username: None,
        sealed_secret: vec![1, 2, 3],
        desks: desks.iter().map(|d| d.to_string()).collect(),
        categories: BTreeMap::from([("national".to_string(), 7)]),
        created_at: "2026-12-07T00:00:00.000Z".into(),
    }
}

/// A revision showing the photo `sha`.
fn revision(
    article: ArticleId,
    id: RevisionId,
    parent: Option<RevisionId>,
    sha: &str,
    text: &str,
) -> NewRevision {
    let image = serde_json::json!({"type": "image", "attrs": {"id": "i1",
        "src": format!("media:{sha}.jpg"), "alt": "", "caption": "পানিবন্দি মানুষ"}});
    let blocks = vec![store_pushes::paragraph(text), image];
    store_pushes::new_revision(article, id, parent, ("বন্যার ছবি", "national"), blocks)
}

fn photo(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

fn sha_of(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn new_media(sha: &str, length: u64, content_type: &str, quota_bytes: u64) -> NewMedia {
    NewMedia {
        sha256: sha.into(),
        length,
        content_type: content_type.into(),
        quota_bytes,
    }
}

/// The answers of one backend, server-made ids replaced by names.
#[derive(Default)]
struct Record {
    lines: Vec<String>,
    names: Vec<(String, String)>,
}

impl Record {
    fn name(&mut self, id: &str, name: &str) {
        self.names.push((id.to_string(), format!("<{name}>")));
    }

    fn push(&mut self, what: &str, answer: impl std::fmt::Debug) {
        let mut line = format!("{what}: {answer:?}");
        for (id, name) in &self.names {
            line = line.replace(id.as_str(), name);
        }
        self.lines.push(line);
    }
}

/// The ids both backends share.
struct Ids {
    article: ArticleId,
    revs: [RevisionId; 2],
}

/// The script: the same ids on both backends, every answer recorded.
fn script(store: &dyn Store, users: &Users, ids: &Ids) -> Vec<String> {
    let mut r = Record::default();
    let (rahim, karim, nasrin, tania, admin) = (
        &users["rahim"],
        &users["karim"],
        &users["nasrin"],
        &users["tania"],
        &users["admin"],
    );
    let bytes = photo(100, 3);
    let sha = sha_of(&bytes);
    const MB: u64 = 1 << 20;

    // Uploads refused before they start.
    r.push(
        "bad sha",
        store.create_media(rahim, new_media("abc", 100, "image/jpeg", MB)),
    );
    r.push(
        "empty",
        store.create_media(rahim, new_media(&sha, 0, "image/jpeg", MB)),
    );
    r.push(
        "too big",
        store.create_media(
            rahim,
            new_media(&sha, MAX_MEDIA_BYTES + 1, "image/jpeg", 100 * MB),
        ),
    );
    r.push(
        "svg",
        store.create_media(rahim, new_media(&sha, 100, "image/svg+xml", MB)),
    );
    r.push(
        "over quota",
        store.create_media(rahim, new_media(&sha, 2 * MB, "image/png", MB)),
    );

    // An upload in two chunks (its sha given in capitals: stored in lowercase).
    let created = store
        .create_media(
            rahim,
            new_media(&sha.to_uppercase(), 100, "image/jpeg", 150),
        )
        .unwrap();
    let upload = created.id.clone();
    r.name(&upload, "upload");
    r.push("created", &created);
    r.push(
        "created again",
        store.create_media(rahim, new_media(&sha, 100, "image/jpeg", 150)),
    );
    r.push(
        "another length",
        store.create_media(rahim, new_media(&sha, 99, "image/jpeg", 150)),
    );
    r.push(
        "a second file over the quota (100 of 150 bytes held)",
        store.create_media(rahim, new_media(&sha_of(b"x"), 51, "image/png", 150)),
    );
    r.push("status", store.media_status(rahim, &upload));
    r.push("status to another", store.media_status(karim, &upload));
    r.push(
        "append by another",
        store.append_media(karim, &upload, 0, &bytes[..40]),
    );
    r.push(
        "append at the wrong offset",
        store.append_media(rahim, &upload, 10, &bytes[..40]),
    );
    r.push("append nothing", store.append_media(rahim, &upload, 0, &[]));
    r.push(
        "append too much",
        store.append_media(rahim, &upload, 0, &photo(101, 3)),
    );
    r.push(
        "first chunk",
        store.append_media(rahim, &upload, 0, &bytes[..40]),
    );
    r.push("status after one chunk", store.media_status(rahim, &upload));
    r.push("not yet a file", store.media_bytes(&sha));
    r.push(
        "not yet visible",
        store.media_file(Some(rahim), &sha, LATER),
    );
    r.push(
        "second chunk",
        store.append_media(rahim, &upload, 40, &bytes[40..]),
    );
    r.push(
        "append after the end",
        store.append_media(rahim, &upload, 0, &bytes[..40]),
    );
    r.push(
        "bytes",
        store
            .media_bytes(&sha.to_uppercase())
            .map(|(t, b)| (t, b == bytes)),
    );
    r.push("unknown bytes", store.media_bytes(&sha_of(b"none")));
    for offset in [0, 1, 40, 99, 100] {
        r.push(
            &format!("chunk at {offset}"),
            store.media_chunk(&upload, offset).map(|c| {
                c.map(|(at, data)| (at, data.len(), data == bytes[at as usize..][..data.len()]))
            }),
        );
    }

    // The wrong bytes: the upload starts again.
    let other = photo(64, 9);
    let wrong = store
        .create_media(karim, new_media(&sha_of(&other), 64, "image/png", MB))
        .unwrap();
    r.name(&wrong.id, "wrong");
    r.push(
        "half of the wrong bytes",
        store.append_media(karim, &wrong.id, 0, &photo(32, 1)),
    );
    r.push(
        "the rest of the wrong bytes",
        store.append_media(karim, &wrong.id, 32, &photo(32, 2)),
    );
    r.push(
        "status after the wrong bytes",
        store.media_status(karim, &wrong.id),
    );
    r.push("no chunk kept", store.media_chunk(&wrong.id, 0));
    r.push("no file", store.media_bytes(&sha_of(&other)));
    r.push(
        "the right bytes",
        store.append_media(karim, &wrong.id, 0, &other),
    );

    // Who sees the photo, by the article that shows it.
    let see = |r: &mut Record, when: &str, now: &str| {
        for (name, viewer) in [
            ("rahim", Some(rahim)),
            ("karim", Some(karim)),
            ("nasrin", Some(nasrin)),
            ("tania", Some(tania)),
            ("admin", Some(admin)),
            ("anyone", None),
        ] {
            r.push(
                &format!("{when}: {name} sees"),
                store.media_file(viewer, &sha, now),
            );
        }
    };
    see(&mut r, "uploaded", LATER);
    let first = revision(ids.article, ids.revs[0], None, &sha, "বন্যার ছবি");
    r.push("push", store.push_revision(rahim, first.clone()).is_ok());
    see(&mut r, "in a draft", LATER);

    // Targets.
    r.push(
        "add target",
        store.add_target(target("site", &["national"])),
    );
    r.push(
        "add it again",
        store.add_target(target("site", &["sports"])),
    );
    r.push(
        "unknown desk",
        store.add_target(target("other", &["national", "weather"])),
    );
    r.push(
        "sports only",
        store.add_target(target("sports-site", &["sports"])),
    );
    r.push(
        "targets",
        store.targets().map(|ts| {
            ts.into_iter()
                .map(|t| (t.name, t.desks, t.categories))
                .collect::<Vec<_>>()
        }),
    );
    r.push("nothing due", store.due_deliveries(LATER, 10));
    r.push("no next due", store.next_delivery_due());

    // Published: a delivery for the target serving its desk.
    store
        .transition(
            rahim,
            ids.article,
            TransitionRequest {
                action: Action::Submit,
                rev_id: ids.revs[0],
                note: None,
            },
        )
        .unwrap();
    let approval = store
        .approve(
            nasrin,
            ids.article,
            ids.revs[0],
            ApproveRequest {
                rev_id: ids.revs[0],
                sha256: first.push.sha256.to_string(),
            },
        )
        .unwrap()
        .approval_id;
    let published = store
        .publish(
            nasrin,
            ids.article,
            PublishOrder {
                approval_id: approval,
                at: None,
            },
        )
        .unwrap();
    r.name(&published.publication_id, "publication");
    see(&mut r, "published, before", BEFORE);
    see(&mut r, "published", LATER);

    r.push("due before", store.due_deliveries(BEFORE, 10));
    r.push(
        "next due is set",
        store.next_delivery_due().map(|n| n.is_some()),
    );

    // Corrected: a second delivery waits behind the first. (Taking due deliveries claims
    // them on PostgreSQL — `deliveries::due` — so the script takes each once, as a worker
    // does, and records the outcome before taking again.)
    let fixed = revision(
        ids.article,
        ids.revs[1],
        Some(ids.revs[0]),
        &sha,
        "বন্যার ছবি, ঠিক",
    );
    r.push(
        "push the fix",
        store.push_revision(nasrin, fixed.clone()).is_ok(),
    );
    let corrected = store
        .correct(
            nasrin,
            ids.article,
            ids.revs[1],
            CorrectRequest {
                rev_id: ids.revs[1],
                sha256: fixed.push.sha256.to_string(),
                note: "নাম ঠিক করা হয়েছে".into(),
            },
        )
        .unwrap();
    r.name(&corrected.publication_id, "correction");
    let due = store.due_deliveries(LATER, 10).unwrap();
    let publish_delivery = due[0].id.clone();
    r.name(&publish_delivery, "publish delivery");
    r.push("due with a correction waiting", &due);
    r.push(
        "retry",
        store.finish_delivery_attempt(
            &publish_delivery,
            AttemptOutcome::Retry {
                error: "503 from the site".into(),
                at: RETRY_AT.into(),
            },
        ),
    );
    r.push("next due", store.next_delivery_due());
    r.push(
        "due before the retry",
        store.due_deliveries("8000-01-01T00:00:00.000Z", 10),
    );
    r.push("due after the retry", store.due_deliveries(LATER, 10));
    // The latest delivery (the correction's) is due when it was made: its time left out.
    r.push(
        "deliveries while retrying",
        store.deliveries(nasrin, ids.article).map(|ds| {
            ds.into_iter()
                .map(|d| (d.target, d.event, d.state, d.next_attempt_at.is_some()))
                .collect::<Vec<_>>()
        }),
    );
    r.push("remote post before", store.remote_post("site", ids.article));
    r.push(
        "save remote post",
        store.save_remote_post(
            "site",
            ids.article,
            RemotePost {
                remote_id: "17".into(),
                remote_url: None,
            },
        ),
    );
    r.push(
        "save remote post again",
        store.save_remote_post(
            "site",
            ids.article,
            RemotePost {
                remote_id: "18".into(),
                remote_url: Some("https://example.invalid/?p=18".into()),
            },
        ),
    );
    r.push("remote post", store.remote_post("site", ids.article));
    r.push(
        "remote post elsewhere",
        store.remote_post("sports-site", ids.article),
    );
    r.push("remote media before", store.remote_media("site", &sha));
    for (id, url) in [
        ("5", "https://example.invalid/a.jpg"),
        ("6", "https://example.invalid/b.jpg"),
    ] {
        r.push(
            "save remote media",
            store.save_remote_media(
                "site",
                &sha,
                RemoteMedia {
                    remote_id: id.into(),
                    url: url.into(),
                },
            ),
        );
    }
    r.push("remote media", store.remote_media("site", &sha));
    r.push(
        "delivered",
        store.finish_delivery_attempt(
            &publish_delivery,
            AttemptOutcome::Delivered {
                remote_url: Some("https://example.invalid/?p=18".into()),
            },
        ),
    );
    r.push(
        "delivered twice",
        store.finish_delivery_attempt(
            &publish_delivery,
            AttemptOutcome::Delivered { remote_url: None },
        ),
    );
    let due = store.due_deliveries(LATER, 10).unwrap();
    let correct_delivery = due[0].id.clone();
    r.name(&correct_delivery, "correct delivery");
    r.push("due after delivery", &due);
    r.push("due, at most 0", store.due_deliveries(LATER, 0));
    r.push(
        "failed",
        store.finish_delivery_attempt(
            &correct_delivery,
            AttemptOutcome::Failed {
                error: "400 from the site".into(),
            },
        ),
    );
    r.push("nothing due after failing", store.due_deliveries(LATER, 10));
    r.push("no next due after failing", store.next_delivery_due());
    r.push(
        "deliveries after failing",
        store.deliveries(nasrin, ids.article),
    );

    // Unpublished: the photo is no longer public; the target removed fails its delivery.
    r.push(
        "unpublish",
        store
            .transition(
                nasrin,
                ids.article,
                TransitionRequest {
                    action: Action::Unpublish,
                    rev_id: ids.revs[1],
                    note: None,
                },
            )
            .map(|t| t.state),
    );
    see(&mut r, "unpublished", LATER);
    r.push(
        "deliveries after unpublishing",
        store.deliveries(nasrin, ids.article).map(|ds| {
            ds.into_iter()
                .map(|d| (d.target, d.event, d.state, d.attempts))
                .collect::<Vec<_>>()
        }),
    );
    r.push("remove target", store.remove_target("site"));
    r.push("remove it again", store.remove_target("site"));
    r.push("nothing due after removal", store.due_deliveries(LATER, 10));
    r.push(
        "remote media after removal",
        store.remote_media("site", &sha),
    );
    r.push(
        "remote post after removal",
        store.remote_post("site", ids.article),
    );
    r.push(
        "deliveries after removal",
        store.deliveries(nasrin, ids.article).map(|ds| {
            ds.into_iter()
                .map(|d| {
                    (
                        d.target,
                        d.event,
                        d.state,
                        d.remote_url,
                        d.error,
                        d.attempts,
                    )
                })
                .collect::<Vec<_>>()
        }),
    );
    r.push(
        "targets after removal",
        store
            .targets()
            .map(|ts| ts.into_iter().map(|t| t.name).collect::<Vec<_>>()),
    );
    r.push(
        "finish a delivery of a removed target",
        store.finish_delivery_attempt(
            &correct_delivery,
            AttemptOutcome::Failed {
                error: "gone".into(),
            },
        ),
    );
    r.lines
}

#[test]
fn media_and_deliveries_answer_on_postgres_as_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let (sqlite, users) = sqlite_newsroom(dir.path());
    let pg = postgres_newsroom(&users);
    let ids = Ids {
        article: ArticleId::new(),
        revs: [RevisionId::new(), RevisionId::new()],
    };
    let on_sqlite = script(&sqlite, &users, &ids);
    let on_postgres = script(&pg, &users, &ids);

    // What the script must say (so that two equally wrong backends fail).
    let said = |what: &str| -> &str {
        on_sqlite
            .iter()
            .find(|l| l.starts_with(&format!("{what}: ")))
            .unwrap_or_else(|| panic!("no answer to {what:?}"))
    };
    let expect = |what: &str, part: &str| {
        let line = said(what);
        assert!(line.contains(part), "{line} (expected {part:?})");
    };
    expect("bad sha", "Invalid");
    expect("too big", "Invalid");
    expect("over quota", "QuotaExceeded");
    expect(
        "a second file over the quota (100 of 150 bytes held)",
        "QuotaExceeded",
    );
    expect("created", "offset: 0, complete: false");
    expect("created again", "id: \"<upload>\"");
    expect("another length", "Conflict");
    expect("status to another", "NotFound");
    expect("append by another", "NotFound");
    expect("append at the wrong offset", "Conflict");
    expect("first chunk", "offset: 40, complete: false");
    expect("second chunk", "offset: 100, complete: true");
    expect("append after the end", "offset: 100, complete: true");
    expect("bytes", "Ok((\"image/jpeg\", true))");
    expect("chunk at 1", "Some((40, 60, true))");
    expect("chunk at 100", "Ok(None)");
    expect("the rest of the wrong bytes", "HashMismatch");
    expect("status after the wrong bytes", "offset: 0, complete: false");
    expect("no chunk kept", "Ok(None)");
    expect("the right bytes", "complete: true");
    expect("uploaded: rahim sees", "Reader");
    expect("uploaded: nasrin sees", "NotFound");
    expect("in a draft: nasrin sees", "Reader");
    expect("in a draft: admin sees", "Reader");
    expect("in a draft: karim sees", "NotFound");
    expect("in a draft: tania sees", "NotFound");
    expect("in a draft: anyone sees", "NotFound");
    expect("published, before: anyone sees", "NotFound");
    expect("published: anyone sees", "Public");
    expect("unpublished: anyone sees", "NotFound");
    expect("unpublished: nasrin sees", "Reader");
    expect("add it again", "AlreadyExists");
    expect("unknown desk", "Invalid");
    expect("due before", "Ok([])");
    expect("due with a correction waiting", "event: Publish");
    expect("due with a correction waiting", "<publish delivery>");
    assert!(
        !said("due with a correction waiting").contains("Correct"),
        "the correction waits behind the publication"
    );
    expect("due before the retry", "Ok([])");
    expect("due after the retry", "attempts: 1");
    expect("next due", RETRY_AT);
    expect("remote post", "\"18\"");
    expect("remote media", "\"6\"");
    expect("delivered twice", "NotFound");
    expect("due after delivery", "event: Correct");
    expect("due, at most 0", "Ok([])");
    expect("no next due after failing", "Ok(None)");
    expect("unpublish", "Unpublished");
    expect("deliveries after unpublishing", "\"unpublish\", Pending, 0");
    expect("remove it again", "NotFound");
    expect("remote media after removal", "Ok(None)");
    expect("deliveries after removal", "the target was removed");

    for (n, (s, p)) in on_sqlite.iter().zip(&on_postgres).enumerate() {
        assert_eq!(
            p, s,
            "answer {n}: PostgreSQL (left) differs from SQLite (right)"
        );
    }
    assert_eq!(on_postgres.len(), on_sqlite.len());
}

/// Several instances share the database: chunks sent at once to one upload are appended one
/// after the other (one is taken, the others told the new offset), and uploads started at
/// once by one user are checked against the quota in turn.
#[test]
fn concurrent_uploads_on_postgres_keep_offsets_and_quotas() {
    const THREADS: usize = 6;
    let dir = tempfile::tempdir().unwrap();
    let (_sqlite, users) = sqlite_newsroom(dir.path());
    let pg = std::sync::Arc::new(postgres_newsroom(&users));
    let rahim = users["rahim"].clone();
    let bytes = photo(100, 5);
    let upload = pg
        .create_media(
            &rahim,
            new_media(&sha_of(&bytes), 100, "image/jpeg", 1 << 20),
        )
        .unwrap();

    let barrier = std::sync::Arc::new(std::sync::Barrier::new(THREADS));
    let appends: Vec<_> = (0..THREADS)
        .map(|_| {
            let (pg, rahim, barrier, id) = (
                pg.clone(),
                rahim.clone(),
                barrier.clone(),
                upload.id.clone(),
            );
            let chunk = bytes[..40].to_vec();
            std::thread::spawn(move || {
                barrier.wait();
                pg.append_media(&rahim, &id, 0, &chunk)
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().unwrap())
        .collect();
    let taken = appends.iter().filter(|a| a.is_ok()).count();
    assert_eq!(taken, 1, "{appends:?}");
    assert!(
        appends
            .iter()
            .filter_map(|a| a.as_ref().err())
            .all(|e| matches!(e, barta_server::store::StoreError::Conflict(_))),
        "{appends:?}"
    );
    assert_eq!(pg.media_status(&rahim, &upload.id).unwrap().offset, 40);

    // 100 bytes held of 250: two more files of 60 fit, not three.
    let creates: Vec<_> = (0..THREADS)
        .map(|n| {
            let (pg, rahim, barrier) = (pg.clone(), rahim.clone(), barrier.clone());
            std::thread::spawn(move || {
                let file = photo(60, 100 + n as u8);
                barrier.wait();
                pg.create_media(&rahim, new_media(&sha_of(&file), 60, "image/png", 250))
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().unwrap())
        .collect();
    assert_eq!(
        creates.iter().filter(|c| c.is_ok()).count(),
        2,
        "{creates:?}"
    );
    assert!(
        creates
            .iter()
            .filter_map(|c| c.as_ref().err())
            .all(|e| matches!(e, barta_server::store::StoreError::QuotaExceeded(_))),
        "{creates:?}"
    );
}
