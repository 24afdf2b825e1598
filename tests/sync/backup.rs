//! `barta backup` while the newsroom takes a burst of pushes, and `barta restore`: the copy
//! restores into a newsroom that passes the integrity check and holds every revision
//! acknowledged before the backup began; a restore never lands on a newsroom, and a copy
//! whose text was changed fails the check.

use barta_model::ArticleId;
use barta_tests::binary;
use barta_tests::newsroom::{Newsroom, Story};
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Runs `barta ARGS` to its end: (exit code, stdout and stderr).
fn barta(args: &[&std::ffi::OsStr]) -> anyhow::Result<(i32, String)> {
    let out = std::process::Command::new(binary("barta")?)
        .args(args)
        .output()?;
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Ok((out.status.code().unwrap_or(-1), said))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_a_burst_of_pushes_restores_every_acknowledged_revision()
-> anyhow::Result<()> {
    let newsroom = Arc::new(Newsroom::start().await?);
    let acked: Arc<Mutex<Vec<(Instant, String)>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for writer in 0..4 {
        let (newsroom, acked, stop) = (newsroom.clone(), acked.clone(), stop.clone());
        writers.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let story = Story::new(&format!("লেখক {writer}, খবর {n}"));
                let push = newsroom
                    .push(&newsroom.reporter, ArticleId::new(), None, &story)
                    .await?;
                acked
                    .lock()
                    .unwrap()
                    .push((Instant::now(), push.id.to_string()));
                n += 1;
            }
            anyhow::Ok(())
        }));
    }
    tokio::time::sleep(Duration::from_secs(2)).await;

    // The backup, while the writers go on.
    let root = tempfile::tempdir()?;
    let file = root.path().join("newsroom.backup");
    let data = newsroom.server.data_dir();
    let began = Instant::now();
    let (code, said) = tokio::task::spawn_blocking({
        let (data, file) = (data.clone(), file.clone());
        move || {
            barta(&[
                "backup".as_ref(),
                "--data".as_ref(),
                data.as_os_str(),
                "--out".as_ref(),
                file.as_os_str(),
            ])
        }
    })
    .await??;
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("every revision's hash"), "{said}");
    tokio::time::sleep(Duration::from_secs(1)).await;
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.await??;
    }
    let acked = acked.lock().unwrap().clone();
    let before: Vec<&String> = acked
        .iter()
        .filter(|(at, _)| *at < began)
        .map(|(_, id)| id)
        .collect();
    let after = acked.len() - before.len();
    assert!(
        before.len() >= 20 && after >= 1,
        "pushes went on around the backup: {} before, {after} after",
        before.len()
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file)?.permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the backup is its owner's alone");
    }

    // Restored into an empty directory: checked, and every revision acknowledged before the
    // backup began is there.
    let restored = root.path().join("restored");
    let (code, said) = barta(&[
        "restore".as_ref(),
        "--from".as_ref(),
        file.as_os_str(),
        "--data".as_ref(),
        restored.as_os_str(),
    ])?;
    assert_eq!(code, 0, "{said}");
    let db = rusqlite::Connection::open(restored.join("barta.sqlite3"))?;
    let held: HashSet<String> = db
        .prepare("SELECT id FROM revisions")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for id in &before {
        assert!(
            held.contains(*id),
            "revision {id} acknowledged before the backup is missing"
        );
    }
    assert!(
        restored.join("secrets.key").is_file(),
        "the publishing key came along"
    );

    // Never over a newsroom: exit 3, nothing touched.
    let (code, said) = barta(&[
        "restore".as_ref(),
        "--from".as_ref(),
        file.as_os_str(),
        "--data".as_ref(),
        restored.as_os_str(),
    ])?;
    assert_eq!(code, 3, "{said}");

    // Text changed behind the store's back is found by the check.
    db.execute(
        "UPDATE revisions SET meta = replace(meta, 'বন্যা', 'খরা') WHERE id = ?1",
        [before[0]],
    )?;
    drop(db);
    let (code, said) = barta(&[
        "backup".as_ref(),
        "--data".as_ref(),
        restored.as_os_str(),
        "--out".as_ref(),
        root.path().join("second.backup").as_os_str(),
    ])?;
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("does not match its hash"), "{said}");
    assert!(
        !root.path().join("second.backup").exists(),
        "a failed backup left a file"
    );
    Ok(())
}
