//! Accounts, sessions, the audit trail, the lexicon and settings, and the app's releases on a
//! real PostgreSQL (`common/pg_cluster.rs`): the same script answers the same on PostgreSQL
//! as on SQLite, and the audit chain check finds a changed or unlinked entry.

#[path = "common/pg_cluster.rs"]
mod pg_cluster;

use barta_model::Role;
use barta_server::SqliteStore;
use barta_server::store::postgres::PgStore;
use barta_server::store::{
    AuditCheck, AuditFilter, NewAuditEntry, NewUser, ReleaseFilter, ReleaseRecord, SessionScope,
    Store, StoreError,
};
use sha2::{Digest, Sha256};

/// Runs SQL on a backend's database directly (to seed what only publishing writes).
trait Raw {
    fn sql(&self, sql: &str);
}

struct Sqlite(std::path::PathBuf);
impl Raw for Sqlite {
    fn sql(&self, sql: &str) {
        rusqlite::Connection::open(&self.0)
            .unwrap()
            .execute_batch(sql)
            .unwrap();
    }
}

struct Pg(String);
impl Raw for Pg {
    fn sql(&self, sql: &str) {
        postgres::Client::connect(&self.0, postgres::NoTls)
            .unwrap()
            .batch_execute(sql)
            .unwrap();
    }
}

fn token(n: u8) -> [u8; 32] {
    Sha256::digest([n]).into()
}

fn err<T: std::fmt::Debug>(r: Result<T, StoreError>) -> String {
    let e = r.unwrap_err();
    format!("{e:?}")
}

fn user(name: &str, role: Role, desks: &[&str]) -> NewUser {
    NewUser {
        username: name.into(),
        role,
        desks: desks.iter().map(|d| d.to_string()).collect(),
        password_hash: format!("hash-of-{name}"),
    }
}

fn release(version: &str, target: &str, bundle: &str, file: &str, size: u64) -> ReleaseRecord {
    ReleaseRecord {
        version: version.into(),
        target: target.into(),
        arch: "x86_64".into(),
        bundle: bundle.into(),
        file_name: file.into(),
        size,
        sha256: "ab".repeat(32),
        signature: "sig".into(),
        notes: "নোট".into(),
        pub_date: "2025-01-02T03:04:05.000Z".into(),
    }
}

/// The script: every answer, with what differs by nature (ids, times) left out.
fn script(store: &dyn Store, raw: &dyn Raw) -> Vec<String> {
    let mut log = Vec::new();
    let mut say = |s: String| log.push(s);
    let now = chrono::Utc::now().timestamp();

    // Desks and users.
    store.add_desk("national", "জাতীয়").unwrap();
    store.add_desk("sports", "খেলা").unwrap();
    store.add_desk("Zeta", "z").unwrap();
    say(err(store.add_desk("national", "again")));
    say(format!(
        "{:?}",
        [
            store.desk_exists("national").unwrap(),
            store.desk_exists("NATIONAL").unwrap(),
            store.desk_exists("nope").unwrap()
        ]
    ));
    let rahim = store
        .add_user(user(
            "rahim",
            Role::Reporter,
            &["sports", "national", "sports", "Zeta"],
        ))
        .unwrap();
    say(format!(
        "{} {:?} {:?}",
        rahim.username, rahim.role, rahim.desks
    ));
    say(err(store.add_user(user("rahim", Role::Editor, &[]))));
    say(err(store.add_user(user("RaHiM", Role::Editor, &[]))));
    say(err(store.add_user(user("ghost", Role::Editor, &["nope"]))));
    let nasrin = store
        .add_user(user("Nasrin", Role::Editor, &["national"]))
        .unwrap();
    let admin = store.add_user(user("admin", Role::Admin, &[])).unwrap();
    let bob = store.add_user(user("Bob", Role::Reporter, &[])).unwrap();
    say(format!("{:?}", store.desks_of(rahim.id).unwrap()));
    say(format!("{:?}", store.desks_of(admin.id).unwrap()));

    // Credentials, whatever the case.
    let c = store.credentials("RAHIM").unwrap().unwrap();
    assert_eq!(c.user, rahim);
    say(format!(
        "{:?} {} {}",
        c.user.desks, c.password_hash, c.disabled
    ));
    say(format!(
        "{:?}",
        store.credentials("nobody").unwrap().is_none()
    ));

    // Tokens.
    store.create_token(rahim.id, &token(1), now + 3600).unwrap();
    store
        .create_token(nasrin.id, &token(2), now + 3600)
        .unwrap();
    store
        .create_token(nasrin.id, &token(3), now + 3600)
        .unwrap();
    store.create_token(rahim.id, &token(4), now - 1).unwrap(); // expired
    let (u, used) = store
        .token_user(&token(1), now, now - 100)
        .unwrap()
        .unwrap();
    assert_eq!(u, rahim);
    assert!(used >= now);
    say(format!(
        "{:?}",
        [
            store
                .token_user(&token(4), now, now - 100)
                .unwrap()
                .is_none(),
            store
                .token_user(&token(9), now, now - 100)
                .unwrap()
                .is_none(),
            // Idle past the cutoff.
            store
                .token_user(&token(1), now, now + 50)
                .unwrap()
                .is_none(),
        ]
    ));
    store.touch_token(&token(1), now + 100).unwrap();
    store.touch_token(&token(1), now + 10).unwrap(); // never backwards
    let (_, used) = store.token_user(&token(1), now, now + 50).unwrap().unwrap();
    say(format!("touched {}", used - now));
    store.revoke_token(&token(3)).unwrap();
    say(format!(
        "revoked {}",
        store
            .token_user(&token(3), now, now - 100)
            .unwrap()
            .is_none()
    ));

    // Accounts.
    let accounts = |log: &mut dyn FnMut(String)| {
        for a in store.accounts(now).unwrap() {
            assert!(!a.created_at.is_empty());
            log(format!(
                "{} {:?} {:?} {} {}",
                a.username, a.role, a.desks, a.disabled, a.live_sessions
            ));
        }
    };
    accounts(&mut say);
    store.set_disabled("RAHIM", true).unwrap();
    say(format!(
        "disabled: {} {}",
        store
            .token_user(&token(1), now, now - 100)
            .unwrap()
            .is_none(),
        store.credentials("rahim").unwrap().unwrap().disabled
    ));
    say(err(store.set_disabled("ghost", true)));
    accounts(&mut say);
    store.set_disabled("rahim", false).unwrap();
    say(format!(
        "enabled: {}",
        store.credentials("rahim").unwrap().unwrap().disabled
    ));

    // Role and desks.
    let changed = store
        .set_role_and_desks(
            "RAHIM",
            Some(Role::Editor),
            Some(&["sports".into(), "nope".into(), "sports".into()]),
        )
        .unwrap();
    say(format!(
        "{} {:?} {:?}",
        changed.username, changed.role, changed.desks
    ));
    let same = store.set_role_and_desks("nasrin", None, None).unwrap();
    say(format!(
        "{} {:?} {:?}",
        same.username, same.role, same.desks
    ));
    let moved = store
        .set_role_and_desks("bob", None, Some(&["Zeta".into(), "national".into()]))
        .unwrap();
    say(format!(
        "{} {:?} {:?}",
        moved.username, moved.role, moved.desks
    ));
    say(err(store.set_role_and_desks(
        "ghost",
        Some(Role::Admin),
        None,
    )));

    // Sessions.
    store.create_token(rahim.id, &token(5), now + 7200).unwrap();
    store.create_token(bob.id, &token(6), now + 7200).unwrap();
    // Two sessions opened at the same moment: by username, whatever its case.
    raw.sql(&format!(
        "UPDATE tokens SET created_at = '2020-01-01T00:00:00.000Z' WHERE expires_at > {}",
        now + 5000
    ));
    let sessions = |who: Option<&str>| -> Result<Vec<String>, StoreError> {
        Ok(store
            .sessions(who, now)?
            .into_iter()
            .map(|s| {
                assert!(!s.created_at.is_empty());
                format!("{} {} {}", s.id, s.username, s.expires_at - now)
            })
            .collect())
    };
    let all = sessions(None).unwrap();
    assert_eq!(all.len(), 3);
    for s in &all {
        say(s.clone());
    }
    say(format!("{:?}", sessions(Some("NASRIN")).unwrap()));
    say(err(sessions(Some("ghost"))));
    say(hex::encode(token(2))[..12].to_owned());
    store.set_password_hash("Nasrin", "new-hash").unwrap();
    say(format!(
        "password: {} {:?}",
        store.credentials("nasrin").unwrap().unwrap().password_hash,
        sessions(Some("nasrin")).unwrap()
    ));
    say(format!(
        "revoke rahim {}",
        store.revoke_sessions(SessionScope::User("Rahim")).unwrap()
    ));
    say(err(store.revoke_sessions(SessionScope::User("ghost"))));
    store.create_token(admin.id, &token(7), now + 60).unwrap();
    say(format!(
        "revoke all {}",
        store.revoke_sessions(SessionScope::All).unwrap()
    ));
    say(format!("{:?}", sessions(None).unwrap()));
    accounts(&mut say);

    // The audit trail.
    say(format!("{:?}", store.check_audit().unwrap()));
    let article = barta_model::ArticleId::new();
    for (i, (name, session)) in [
        ("rahim", Some("s1")),
        ("Nasrin", None),
        ("rahim", Some("s2")),
    ]
    .into_iter()
    .enumerate()
    {
        store
            .record_audit(&NewAuditEntry {
                user_id: Some(rahim.id),
                username: name.into(),
                article_id: (i == 1).then_some(article),
                action: format!("action{i}"),
                outcome: "ok".into(),
                detail: format!("detail {i}"),
                session: session.map(str::to_owned),
                address: Some("127.0.0.1".into()),
            })
            .unwrap();
    }
    let entries = store.audit_entries(&AuditFilter::default()).unwrap();
    assert_eq!(entries.len(), 3);
    assert!(entries.iter().all(|e| e.hash.as_ref().unwrap().len() == 64));
    for e in &entries {
        say(format!(
            "{} {} {:?} {} {} {} {:?} {:?} {}",
            e.id,
            e.username,
            e.article_id == Some(article),
            e.action,
            e.outcome,
            e.detail,
            e.session,
            e.address,
            e.user_id == Some(rahim.id)
        ));
    }
    let ids = |f: AuditFilter| -> Vec<i64> {
        store
            .audit_entries(&f)
            .unwrap()
            .iter()
            .map(|e| e.id)
            .collect()
    };
    say(format!(
        "{:?} {:?} {:?} {:?} {:?} {:?}",
        ids(AuditFilter {
            username: Some("rahim".into()),
            ..Default::default()
        }),
        // The audit trail keeps names as they were given.
        ids(AuditFilter {
            username: Some("nasrin".into()),
            ..Default::default()
        }),
        ids(AuditFilter {
            article: Some(article),
            ..Default::default()
        }),
        ids(AuditFilter {
            session: Some("s2".into()),
            ..Default::default()
        }),
        // Entries at or after the second one's time (two may share a millisecond).
        ids(AuditFilter {
            since: Some(entries[1].at.clone()),
            ..Default::default()
        }) == entries
            .iter()
            .filter(|e| e.at >= entries[1].at)
            .map(|e| e.id)
            .collect::<Vec<_>>(),
        ids(AuditFilter {
            since: Some("9999".into()),
            ..Default::default()
        }),
    ));
    match store.check_audit().unwrap() {
        AuditCheck::Intact { entries: n, head } => {
            assert_eq!(head, entries[2].hash);
            say(format!("intact {n}"));
        }
        broken => panic!("{broken:?}"),
    }

    // The lexicon and the settings.
    say(format!(
        "{:?}",
        store.newsroom_setting("spelling.style").unwrap()
    ));
    say(format!("{:?}", store.lexicon(&rahim).unwrap()));
    raw.sql(
        "INSERT INTO lexicon_seen (word, article_id) VALUES
             ('বাংলা', 'a1'), ('বাংলা', 'a2'), ('বাংলা', 'a3'),
             ('খবর', 'a1'), ('খবর', 'a2'),
             ('একা', 'a1'),
             ('Zebra', 'a1'), ('Zebra', 'a2'), ('apple', 'a1'), ('apple', 'a2');
         INSERT INTO lexicon_added (word, added_by, added_at) VALUES
             ('একা', 'nasrin', 't'), ('নতুন', 'nasrin', 't'), ('খবর', 'nasrin', 't');",
    );
    store.set_newsroom_setting("spelling.style", "on").unwrap();
    say(format!("{:?}", store.lexicon(&rahim).unwrap()));
    store.set_newsroom_setting("spelling.style", "off").unwrap();
    store.set_newsroom_setting("other", "x").unwrap();
    say(format!(
        "{:?} {:?} {:?} {}",
        store.newsroom_setting("spelling.style").unwrap(),
        store.newsroom_setting("other").unwrap(),
        store.newsroom_setting("none").unwrap(),
        store.lexicon(&rahim).unwrap().style_suggestions
    ));

    // Releases.
    store
        .add_release(release("1.10.0", "linux", "deb", "barta_1.10.0.deb", 10))
        .unwrap();
    store
        .add_release(release("1.2.0", "windows", "msi", "barta-1.2.0.msi", 20))
        .unwrap();
    store
        .add_release(release("1.2.0", "linux", "deb", "barta_1.2.0.deb", 30))
        .unwrap();
    store
        .add_release(release("1.2.0-rc.1", "linux", "rpm", "barta.rpm", 40))
        .unwrap();
    say(err(store.add_release(release(
        "1.2.0",
        "linux",
        "deb",
        "other.deb",
        1,
    ))));
    say(err(store.add_release(release(
        "1.2.0",
        "linux",
        "rpm",
        "barta_1.2.0.deb",
        1,
    ))));
    say(err(store.add_release(release(
        "1.3.0",
        "linux",
        "rpm",
        "big",
        u64::MAX,
    ))));
    let names = |f: &ReleaseFilter| -> Vec<String> {
        store
            .releases(f)
            .unwrap()
            .iter()
            .map(|r| format!("{} {} {} {}", r.version, r.target, r.bundle, r.size))
            .collect()
    };
    say(format!("{:?}", names(&ReleaseFilter::default())));
    say(format!(
        "{:?}",
        names(&ReleaseFilter {
            target: Some("linux".into()),
            ..Default::default()
        })
    ));
    say(format!(
        "{:?}",
        store.release_file("1.2.0", "barta-1.2.0.msi").unwrap()
    ));
    say(err(store.release_file("1.2.0", "barta.rpm")));
    let removed = store
        .remove_releases(&ReleaseFilter {
            version: Some("1.2.0".into()),
            bundle: Some("deb".into()),
            ..Default::default()
        })
        .unwrap();
    say(format!("removed {removed:?}"));
    say(format!("{:?}", names(&ReleaseFilter::default())));
    log
}

#[test]
fn accounts_audit_lexicon_and_releases_answer_as_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = SqliteStore::open(dir.path()).unwrap();
    let on_sqlite = script(&sqlite, &Sqlite(sqlite.path().to_owned()));

    let url = pg_cluster::fresh_database();
    let pg = PgStore::open(&url, 4).unwrap();
    let on_pg = script(&pg, &Pg(url));

    for (i, (s, p)) in on_sqlite.iter().zip(&on_pg).enumerate() {
        assert_eq!(s, p, "answer {i} differs");
    }
    assert_eq!(on_sqlite.len(), on_pg.len());
}

#[test]
fn the_audit_check_reads_a_long_chain_and_finds_a_changed_or_unlinked_entry() {
    let url = pg_cluster::fresh_database();
    let store = PgStore::open(&url, 4).unwrap();
    let entry = |i: usize| NewAuditEntry {
        username: format!("user{}", i % 7),
        action: "login".into(),
        outcome: "ok".into(),
        detail: format!("entry {i}"),
        ..Default::default()
    };
    for i in 0..2345 {
        store.record_audit(&entry(i)).unwrap();
    }
    let all = store.audit_entries(&AuditFilter::default()).unwrap();
    assert_eq!(all.len(), 2345);
    assert_eq!(
        store.check_audit().unwrap(),
        AuditCheck::Intact {
            entries: 2345,
            head: all[2344].hash.clone(),
        }
    );
    assert_eq!(
        store
            .audit_entries(&AuditFilter {
                username: Some("user3".into()),
                ..Default::default()
            })
            .unwrap()
            .len(),
        335
    );

    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    // The trail refuses changes...
    assert!(
        admin
            .batch_execute("UPDATE audit SET detail = 'x' WHERE id = 1500")
            .is_err()
    );
    // ...unless its trigger is dropped first (a superuser can).
    admin
        .batch_execute(
            "ALTER TABLE audit DISABLE TRIGGER audit_no_change;
             UPDATE audit SET detail = 'rewritten' WHERE id = 1500;",
        )
        .unwrap();
    assert_eq!(
        store.check_audit().unwrap(),
        AuditCheck::Broken {
            id: 1500,
            reason: "the entry, or one before it, was changed, removed or inserted".into(),
        }
    );
    admin
        .batch_execute(
            "UPDATE audit SET detail = 'entry 1499' WHERE id = 1500;
             UPDATE audit SET hash = NULL WHERE id = 2001;",
        )
        .unwrap();
    assert_eq!(
        store.check_audit().unwrap(),
        AuditCheck::Broken {
            id: 2001,
            reason: "the entry has no link".into(),
        }
    );
    admin
        .batch_execute("UPDATE audit SET hash = '\\x0102'::bytea WHERE id = 2001")
        .unwrap();
    assert_eq!(
        store.check_audit().unwrap(),
        AuditCheck::Broken {
            id: 2001,
            reason: "the entry has no link".into(),
        }
    );
    // A removed entry breaks the one after it.
    admin
        .batch_execute(&format!(
            "UPDATE audit SET hash = '\\x{}'::bytea WHERE id = 2001;
             DELETE FROM audit WHERE id = 10;",
            all[2000].hash.as_ref().unwrap()
        ))
        .unwrap();
    assert_eq!(
        store.check_audit().unwrap(),
        AuditCheck::Broken {
            id: 11,
            reason: "the entry, or one before it, was changed, removed or inserted".into(),
        }
    );
}
