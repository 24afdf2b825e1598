//! Failure 2: the client killed (SIGKILL) in the middle of saving. The test binary runs itself
//! as the saving child, kills it at a different point each time, and then checks the store:
//! integrity ok, and every revision has exactly its outbox row and every row its revision.

use barta_model::Document;
use barta_store::{ListFilter, Store};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const DB_ENV: &str = "BARTA_CRASH_DB";

/// The child: saves revisions as fast as it can, printing a line after each, until killed.
#[test]
#[ignore = "run by f02 as a child process"]
fn crash_child_saves_until_killed() {
    let Some(path) = std::env::var_os(DB_ENV) else {
        return;
    };
    let mut store = Store::open(std::path::Path::new(&path)).unwrap();
    for n in 0u64.. {
        let id = store.create_article("national", "rahim").unwrap();
        for edit in 0..3 {
            let text = format!("অনুচ্ছেদ {n}-{edit} ").repeat(200);
            store
                .save_working_copy(
                    id,
                    crate::meta(&format!("শিরোনাম {n}")),
                    Document::from_paragraphs([("b1", text.as_str())]),
                )
                .unwrap();
            store.save_point(id, "rahim").unwrap();
            println!("saved {n} {edit}");
        }
    }
}

#[test]
fn f02_a_client_killed_mid_save_leaves_whole_revisions_with_their_outbox_rows() -> anyhow::Result<()>
{
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("barta.db");
    for kill_after in [1usize, 7, 20] {
        let mut child = Command::new(std::env::current_exe()?)
            .args([
                "--exact",
                "crash::crash_child_saves_until_killed",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(DB_ENV, &db)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let stdout = child.stdout.take().expect("stdout");
        let mut saved = 0;
        for line in BufReader::new(stdout).lines() {
            if line?.starts_with("saved ") {
                saved += 1;
                if saved == kill_after {
                    break;
                }
            }
        }
        // SIGKILL while the child is inside its next saves.
        child.kill()?;
        child.wait()?;
        assert!(saved >= kill_after, "the child saved {saved}");

        let store = Store::open(&db)?;
        assert!(store.integrity_ok()?);
        for article in store.list_articles(&ListFilter::default())? {
            let mut revisions = store.revision_ids(article.id)?;
            let mut rows: Vec<_> = store
                .outbox_statuses(article.id)?
                .into_iter()
                .map(|(rev, _)| rev)
                .collect();
            revisions.sort();
            rows.sort();
            assert_eq!(revisions, rows, "each revision with exactly its outbox row");
            let draft = store.load_article(article.id)?;
            draft.body.validate()?;
        }
    }
    Ok(())
}
