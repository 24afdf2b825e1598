//! Several `barta serve` instances share one PostgreSQL newsroom, each running the delivery
//! worker: taking due deliveries is a claim (`store/postgres/deliveries.rs`), so every
//! delivery is sent by one instance, a later event of an article never goes out while an
//! earlier one is being sent, and a delivery claimed by an instance that died comes due
//! again when its lease runs out. Two stores on one database stand for two instances
//! (a throwaway cluster, `common/pg_cluster.rs`).

#[path = "common/pg_cluster.rs"]
mod pg_cluster;
#[path = "common/store_pushes.rs"]
mod store_pushes;

use barta_model::api::{ApproveRequest, CorrectRequest, TransitionRequest, UserInfo};
use barta_model::{Action, ArticleId, RevisionId, Role};
use barta_server::publishing::{AttemptOutcome, DeliveryEvent, TargetKind, TargetRecord};
use barta_server::store::postgres::{DELIVERY_LEASE, PgStore};
use barta_server::store::{NewRevision, NewUser, PublishOrder, Store, StoreError, timestamp};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

/// The newsroom's reporter and editor (desk `national`).
struct People {
    rahim: UserInfo,
    nasrin: UserInfo,
}

/// A newsroom with one webhook target (`hook`) serving its desk.
fn newsroom(store: &PgStore) -> People {
    store.add_desk("national", "জাতীয়").unwrap();
    let user = |name: &str, role| {
        store
            .add_user(NewUser {
                username: name.into(),
                role,
                desks: vec!["national".into()],
                password_hash: "unused".into(),
            })
            .unwrap()
    };
    let people = People {
        rahim: user("rahim", Role::Reporter),
        nasrin: user("nasrin", Role::Editor),
    };
    store
        .add_target(TargetRecord {
            name: "hook".into(),
            kind: TargetKind::Webhook,
            url: "https://example.invalid/hook".into(),
            username: None,
            sealed_secret: vec![1, 2, 3],
            desks: vec!["national".into()],
            categories: BTreeMap::new(),
            created_at: "2026-12-07T00:00:00.000Z".into(),
        })
        .unwrap();
    people
}

fn revision(
    article: ArticleId,
    id: RevisionId,
    parent: Option<RevisionId>,
    text: &str,
) -> NewRevision {
    let headline = ("বন্যা", "national");
    store_pushes::new_revision(
        article,
        id,
        parent,
        headline,
        vec![store_pushes::paragraph(text)],
    )
}

/// An article written, approved and published now (one delivery to the target); its id and
/// head.
fn published(store: &PgStore, people: &People, n: usize) -> (ArticleId, RevisionId) {
    let (article, rev) = (ArticleId::new(), RevisionId::new());
    let first = revision(article, rev, None, &format!("খবর {n}"));
    store.push_revision(&people.rahim, first.clone()).unwrap();
    store
        .transition(
            &people.rahim,
            article,
            TransitionRequest {
                action: Action::Submit,
                rev_id: rev,
                note: None,
            },
        )
        .unwrap();
    let approval = store
        .approve(
            &people.nasrin,
            article,
            rev,
            ApproveRequest {
                rev_id: rev,
                sha256: first.push.sha256.to_string(),
            },
        )
        .unwrap()
        .approval_id;
    store
        .publish(
            &people.nasrin,
            article,
            PublishOrder {
                approval_id: approval,
                at: None,
            },
        )
        .unwrap();
    (article, rev)
}

/// A correction of a published article (a second delivery, behind the first).
fn corrected(store: &PgStore, people: &People, article: ArticleId, head: RevisionId) {
    let rev = RevisionId::new();
    let fix = revision(article, rev, Some(head), "খবর, ঠিক");
    store.push_revision(&people.nasrin, fix.clone()).unwrap();
    store
        .correct(
            &people.nasrin,
            article,
            rev,
            CorrectRequest {
                rev_id: rev,
                sha256: fix.push.sha256.to_string(),
                note: "বানান ঠিক".into(),
            },
        )
        .unwrap();
}

fn at(t: DateTime<Utc>) -> String {
    timestamp(t)
}

fn delivered() -> AttemptOutcome {
    AttemptOutcome::Delivered { remote_url: None }
}

/// (id, event, state, attempts) of every delivery, oldest first.
fn rows(url: &str) -> Vec<(String, String, String, i64)> {
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    client
        .query(
            "SELECT id, event, state, attempts FROM deliveries ORDER BY seq",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect()
}

/// Two instances, four worker threads each, taking small batches at once: each of 40 due
/// deliveries (30 publications, 10 of them corrected) is claimed once and delivered, and a
/// correction is never claimed while its publication's delivery is out.
#[test]
fn two_instances_claim_every_due_delivery_exactly_once() {
    const ARTICLES: usize = 30;
    const CORRECTED: usize = 10;
    const THREADS_EACH: usize = 4;
    let url = pg_cluster::fresh_database();
    let first = PgStore::open(&url, 8).unwrap();
    let second = PgStore::open(&url, 8).unwrap();
    let people = newsroom(&first);
    for n in 0..ARTICLES {
        let (article, head) = published(&first, &people, n);
        if n < CORRECTED {
            corrected(&first, &people, article, head);
        }
    }
    let total = ARTICLES + CORRECTED;
    assert_eq!(rows(&url).len(), total);

    let instances = [Arc::new(first), Arc::new(second)];
    let claims: Arc<Mutex<HashMap<String, u32>>> = Arc::default();
    // The delivery of each (target, article) being sent now, and what each article's
    // deliveries were claimed as, in order.
    let out: Arc<Mutex<HashMap<(String, ArticleId), String>>> = Arc::default();
    let order: Arc<Mutex<HashMap<ArticleId, Vec<DeliveryEvent>>>> = Arc::default();
    let problems: Arc<Mutex<Vec<String>>> = Arc::default();
    let finished = Arc::new(AtomicUsize::new(0));
    let barrier = Arc::new(Barrier::new(2 * THREADS_EACH));
    let deadline = Instant::now() + Duration::from_secs(60);

    let threads: Vec<_> = (0..2 * THREADS_EACH)
        .map(|n| {
            let store = Arc::clone(&instances[n % 2]);
            let (claims, out, order, problems, finished, barrier) = (
                Arc::clone(&claims),
                Arc::clone(&out),
                Arc::clone(&order),
                Arc::clone(&problems),
                Arc::clone(&finished),
                Arc::clone(&barrier),
            );
            std::thread::spawn(move || {
                barrier.wait();
                while finished.load(Ordering::SeqCst) < total && Instant::now() < deadline {
                    let due = match store.due_deliveries(&at(Utc::now()), 3) {
                        Ok(due) => due,
                        Err(e) => {
                            problems.lock().unwrap().push(format!("due: {e}"));
                            continue;
                        }
                    };
                    if due.is_empty() {
                        std::thread::sleep(Duration::from_millis(2));
                        continue;
                    }
                    for d in &due {
                        *claims.lock().unwrap().entry(d.id.clone()).or_default() += 1;
                        order
                            .lock()
                            .unwrap()
                            .entry(d.article_id)
                            .or_default()
                            .push(d.event);
                        let line = (d.target.clone(), d.article_id);
                        if let Some(other) = out.lock().unwrap().insert(line, d.id.clone()) {
                            problems.lock().unwrap().push(format!(
                                "{} claimed while {other} of the same article is out",
                                d.id
                            ));
                        }
                    }
                    // Sending.
                    std::thread::sleep(Duration::from_millis(3));
                    for d in &due {
                        // Off the list before the outcome commits: from then on the next
                        // delivery of the article may be claimed.
                        out.lock()
                            .unwrap()
                            .remove(&(d.target.clone(), d.article_id));
                        match store.finish_delivery_attempt(&d.id, delivered()) {
                            Ok(()) => {
                                finished.fetch_add(1, Ordering::SeqCst);
                            }
                            Err(e) => problems
                                .lock()
                                .unwrap()
                                .push(format!("finish {}: {e}", d.id)),
                        }
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }

    let claims = claims.lock().unwrap();
    let twice: Vec<_> = claims.iter().filter(|(_, n)| **n != 1).collect();
    assert!(twice.is_empty(), "claimed more than once: {twice:?}");
    assert_eq!(claims.len(), total, "every delivery claimed");
    let problems = problems.lock().unwrap();
    assert!(problems.is_empty(), "{problems:#?}");
    for (article, events) in order.lock().unwrap().iter() {
        assert_eq!(events[0], DeliveryEvent::Publish, "{article}: {events:?}");
        assert!(events.len() <= 2, "{article}: {events:?}");
    }
    let rows = rows(&url);
    assert_eq!(rows.len(), total);
    for (id, event, state, attempts) in &rows {
        assert_eq!(
            (state.as_str(), *attempts),
            ("delivered", 1),
            "{id} ({event})"
        );
    }
    assert_eq!(finished.load(Ordering::SeqCst), total);
    assert_eq!(instances[1].next_delivery_due().unwrap(), None);
}

/// An instance claims a publication's delivery and dies: no instance takes it, nor the
/// correction written meanwhile, until the lease ends; then the delivery is due again (its
/// interrupted attempt counted), and the correction after it. A recorded retry replaces the
/// lease with its own time.
#[test]
fn a_claimed_delivery_comes_due_again_only_when_its_lease_ends() {
    let url = pg_cluster::fresh_database();
    let died = PgStore::open(&url, 2).unwrap();
    let other = PgStore::open(&url, 2).unwrap();
    let people = newsroom(&died);
    let (article, head) = published(&died, &people, 1);

    let t0 = Utc::now();
    let lease = chrono::Duration::from_std(DELIVERY_LEASE).unwrap();
    let ms = chrono::Duration::milliseconds(1);
    let due = died.due_deliveries(&at(t0), 10).unwrap();
    assert_eq!(due.len(), 1, "{due:?}");
    let publish = due[0].clone();
    assert_eq!(
        (publish.event, publish.attempts),
        (DeliveryEvent::Publish, 0)
    );

    // Corrected while the publication is being sent: the correction waits behind it (and
    // does not drop it: the claimed delivery is tried, not a scheduled one not yet due).
    corrected(&other, &people, article, head);
    let ids: Vec<_> = rows(&url).into_iter().map(|r| (r.1, r.2, r.3)).collect();
    assert_eq!(
        ids,
        [
            ("publish".into(), "pending".into(), 1),
            ("correct".into(), "pending".into(), 0)
        ]
    );
    assert!(
        other
            .due_deliveries(&at(Utc::now()), 10)
            .unwrap()
            .is_empty()
    );
    assert!(other.due_deliveries(&at(t0), 10).unwrap().is_empty());
    assert!(
        other
            .due_deliveries(&at(t0 + lease - ms), 10)
            .unwrap()
            .is_empty(),
        "nothing before the lease ends"
    );
    assert_eq!(other.next_delivery_due().unwrap(), Some(at(t0 + lease)));

    // The lease ran out: the publication's delivery again (not the correction), once.
    let again = other.due_deliveries(&at(t0 + lease), 10).unwrap();
    assert_eq!(again.len(), 1, "{again:?}");
    assert_eq!(
        (&again[0].id, again[0].event, again[0].attempts),
        (&publish.id, DeliveryEvent::Publish, 1)
    );
    assert!(died.due_deliveries(&at(t0 + lease), 10).unwrap().is_empty());
    other
        .finish_delivery_attempt(&publish.id, delivered())
        .unwrap();
    // The first instance's late word finds the delivery done.
    assert!(matches!(
        died.finish_delivery_attempt(&publish.id, delivered()),
        Err(StoreError::NotFound(_))
    ));

    // The correction's turn; a retry's time replaces its lease.
    let t1 = t0 + lease;
    let correct = other.due_deliveries(&at(t1), 10).unwrap();
    assert_eq!(correct.len(), 1, "{correct:?}");
    assert_eq!(correct[0].event, DeliveryEvent::Correct);
    let retry_at = t1 + chrono::Duration::seconds(1);
    other
        .finish_delivery_attempt(
            &correct[0].id,
            AttemptOutcome::Retry {
                error: "503".into(),
                at: at(retry_at),
            },
        )
        .unwrap();
    assert_eq!(other.next_delivery_due().unwrap(), Some(at(retry_at)));
    assert!(
        died.due_deliveries(&at(retry_at - ms), 10)
            .unwrap()
            .is_empty()
    );
    let retried = died.due_deliveries(&at(retry_at), 10).unwrap();
    assert_eq!(
        retried
            .iter()
            .map(|d| (&d.id, d.attempts))
            .collect::<Vec<_>>(),
        [(&correct[0].id, 1)]
    );
    died.finish_delivery_attempt(
        &correct[0].id,
        AttemptOutcome::Failed {
            error: "400".into(),
        },
    )
    .unwrap();
    assert_eq!(other.next_delivery_due().unwrap(), None);
    let end: Vec<_> = rows(&url).into_iter().map(|r| (r.1, r.2, r.3)).collect();
    assert_eq!(
        end,
        [
            ("publish".into(), "delivered".into(), 2),
            ("correct".into(), "failed".into(), 2)
        ]
    );
}

/// With a short lease (`PgStore::with_delivery_lease`), on the real clock: a delivery
/// claimed and never finished is due again once the lease has passed, and not before.
#[test]
fn with_a_short_lease_an_unfinished_claim_is_due_again_soon() {
    const SHORT: Duration = Duration::from_millis(1500);
    let url = pg_cluster::fresh_database();
    let died = PgStore::open(&url, 2).unwrap().with_delivery_lease(SHORT);
    assert_eq!(died.delivery_lease(), SHORT);
    let other = PgStore::open(&url, 2).unwrap();
    assert_eq!(other.delivery_lease(), DELIVERY_LEASE);
    let people = newsroom(&other);
    published(&other, &people, 1);

    let claimed = died.due_deliveries(&at(Utc::now()), 10).unwrap();
    let claimed_at = Instant::now();
    assert_eq!(claimed.len(), 1);
    let seen_early = other.due_deliveries(&at(Utc::now()), 10).unwrap();
    if claimed_at.elapsed() < SHORT {
        assert!(seen_early.is_empty(), "{seen_early:?}");
    }
    std::thread::sleep(SHORT + Duration::from_millis(100));
    let again = other.due_deliveries(&at(Utc::now()), 10).unwrap();
    assert_eq!(
        again
            .iter()
            .map(|d| (&d.id, d.attempts))
            .collect::<Vec<_>>(),
        [(&claimed[0].id, 1)]
    );
    // Claimed now with the ten-minute lease: not due to the short-lease instance either.
    assert!(died.due_deliveries(&at(Utc::now()), 10).unwrap().is_empty());
    other
        .finish_delivery_attempt(&claimed[0].id, delivered())
        .unwrap();
}
