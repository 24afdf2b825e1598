//! The PostgreSQL store's pipelined transaction (`store/postgres/db.rs`) on a real PostgreSQL
//! (a throwaway cluster, `common/pg_cluster.rs`): a write kept for later is seen by the next
//! read of the same transaction, its error fails the commit and nothing of the transaction
//! stays, a transaction dropped or rolled back leaves nothing, and after any of these the
//! connection is clean for the next transaction (no aborted transaction left open on it).

#[path = "common/pg_cluster.rs"]
mod pg_cluster;

use barta_server::store::StoreError;
use barta_server::store::postgres::{PgConn, config};

/// A connection to a fresh database holding one table `t (k INT PRIMARY KEY)`.
fn connection() -> PgConn {
    let url = pg_cluster::fresh_database();
    let mut conn = PgConn::connect(&config(&url).unwrap()).unwrap();
    conn.batch_execute("CREATE TABLE t (k INT PRIMARY KEY)")
        .unwrap();
    conn
}

/// How many rows of `t` a new transaction on `conn` sees with key `k`.
fn count(conn: &mut PgConn, k: i32) -> i64 {
    let mut tx = conn.snapshot();
    let n: i64 = tx
        .query_one("SELECT count(*) FROM t WHERE k = $1", &[&k])
        .unwrap()
        .get(0);
    tx.commit().unwrap();
    n
}

#[test]
fn a_read_sees_the_writes_kept_before_it_and_the_commit_sends_the_rest() {
    let mut conn = connection();
    let mut tx = conn.transaction();
    tx.write("INSERT INTO t (k) VALUES ($1)", &[&1i32]).unwrap();
    let seen: i64 = tx
        .query_one("SELECT count(*) FROM t WHERE k = $1", &[&1i32])
        .unwrap()
        .get(0);
    assert_eq!(seen, 1, "the kept write went before the read");
    tx.write("INSERT INTO t (k) VALUES ($1)", &[&2i32]).unwrap();
    tx.commit().unwrap();
    assert_eq!(count(&mut conn, 1), 1);
    assert_eq!(
        count(&mut conn, 2),
        1,
        "the write kept until COMMIT was sent with it"
    );
}

#[test]
fn a_kept_write_that_fails_fails_the_commit_and_nothing_of_the_transaction_stays() {
    let mut conn = connection();
    let mut tx = conn.transaction();
    tx.write("INSERT INTO t (k) VALUES ($1)", &[&10i32])
        .unwrap();
    // The same key again: refused by the database, but only once it is sent.
    tx.write("INSERT INTO t (k) VALUES ($1)", &[&10i32])
        .unwrap();
    tx.write("INSERT INTO t (k) VALUES ($1)", &[&11i32])
        .unwrap();
    match tx.commit() {
        Err(StoreError::Raced(_)) => {}
        other => panic!("a unique violation is a lost race, run again: {other:?}"),
    }
    assert_eq!(count(&mut conn, 10), 0);
    assert_eq!(
        count(&mut conn, 11),
        0,
        "nothing after the failure was committed"
    );
    // The connection is clean: a new transaction commits.
    let mut tx = conn.transaction();
    tx.write("INSERT INTO t (k) VALUES ($1)", &[&12i32])
        .unwrap();
    tx.commit().unwrap();
    assert_eq!(count(&mut conn, 12), 1);
}

#[test]
fn a_read_that_fails_mid_transaction_leaves_the_connection_clean() {
    let mut conn = connection();
    let mut tx = conn.transaction();
    tx.write("INSERT INTO t (k) VALUES ($1)", &[&20i32])
        .unwrap();
    assert!(tx.query("SELECT 1 / (k - 20) FROM t", &[]).is_err());
    // The transaction failed: its commit fails too, and it is rolled back when dropped.
    assert!(tx.commit().is_err());
    assert_eq!(count(&mut conn, 20), 0);
    let mut tx = conn.transaction();
    tx.write("INSERT INTO t (k) VALUES ($1)", &[&21i32])
        .unwrap();
    tx.commit().unwrap();
    assert_eq!(count(&mut conn, 21), 1);
}

#[test]
fn a_transaction_dropped_or_rolled_back_leaves_nothing() {
    let mut conn = connection();
    {
        let mut tx = conn.transaction();
        tx.write("INSERT INTO t (k) VALUES ($1)", &[&30i32])
            .unwrap();
        tx.query("SELECT k FROM t", &[]).unwrap();
        // Dropped with its BEGIN and write sent, not committed.
    }
    assert_eq!(count(&mut conn, 30), 0);
    let mut tx = conn.transaction();
    tx.write("INSERT INTO t (k) VALUES ($1)", &[&31i32])
        .unwrap();
    tx.rollback().unwrap();
    assert_eq!(count(&mut conn, 31), 0);
    // A write that would fail, kept and rolled back: never sent, so no error.
    let mut tx = conn.transaction();
    tx.write("INSERT INTO t (k) VALUES ($1)", &[&32i32])
        .unwrap();
    tx.write("INSERT INTO t (k) VALUES ($1)", &[&32i32])
        .unwrap();
    tx.rollback().unwrap();
    assert_eq!(count(&mut conn, 32), 0);
}

#[test]
fn reads_sent_together_answer_each_in_order() {
    let mut conn = connection();
    let mut tx = conn.transaction();
    for k in [40i32, 41, 42] {
        tx.write("INSERT INTO t (k) VALUES ($1)", &[&k]).unwrap();
    }
    let (a, b, none) = (41i32, 40i32, 99i32);
    let answers = tx
        .query_together(&[
            ("SELECT k FROM t WHERE k = $1", &[&a]),
            ("SELECT k FROM t WHERE k = $1", &[&b]),
            ("SELECT k FROM t WHERE k = $1", &[&none]),
            ("SELECT count(*)::INT FROM t", &[]),
        ])
        .unwrap();
    let firsts: Vec<Option<i32>> = answers
        .iter()
        .map(|rows| rows.first().map(|r| r.get(0)))
        .collect();
    assert_eq!(firsts, [Some(41), Some(40), None, Some(3)]);
    tx.commit().unwrap();
}
