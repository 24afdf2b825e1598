//! A new laptop holds the window, not the archive (issue 17): with the newsroom's window at
//! 0 days, an editor's first round brings the articles not yet published (their heads only,
//! without their history) and none of the published ones; the feed then goes on from the
//! window's `as_of`, so a published article that changes arrives; an old article is fetched
//! when opened and kept; a laptop that asks for the whole feed still gets everything.

use crate::{Device, Rig};
use barta_model::api::{ApproveRequest, PublishRequest, TransitionRequest};
use barta_model::{Action, ArticleId, RevisionId};
use barta_sync::{Client, fetch_article};
use barta_tests::{EDITOR, REPORTER, login_token};

/// Every revision the reporter's device made of `id`, oldest first.
fn revisions_of(device: &Device, id: ArticleId) -> Vec<RevisionId> {
    device.with(|s| {
        s.outbox_statuses(id)
            .unwrap()
            .into_iter()
            .map(|(rev, _)| rev)
            .collect()
    })
}

/// Whether `device` holds `id`.
fn holds(device: &Device, id: ArticleId) -> bool {
    device.with(|s| s.load_article(id).is_ok())
}

/// Submitted by the reporter, approved and published by the editor, at its head.
async fn publish(rig: &Rig, id: ArticleId) -> anyhow::Result<()> {
    let client = Client::new(&rig.server.url)?;
    let (reporter, editor) = (
        login_token(&rig.server, &REPORTER).await?,
        login_token(&rig.server, &EDITOR).await?,
    );
    let head = client.article(&editor, id).await?.head_revision;
    let submit = TransitionRequest {
        action: Action::Submit,
        rev_id: head.id,
        note: None,
    };
    client.transition(&reporter, id, &submit).await?;
    let approve = ApproveRequest {
        rev_id: head.id,
        sha256: head.sha256.clone(),
    };
    let approval = client.approve(&editor, id, &approve).await?;
    let publish = PublishRequest {
        approval_id: approval.approval_id,
        at: None,
    };
    client.publish(&editor, id, &publish).await?;
    Ok(())
}

#[tokio::test]
async fn window_a_new_laptop_holds_what_is_open_and_fetches_an_old_article_when_opened()
-> anyhow::Result<()> {
    let rig = Rig::start().await?;
    let mut reporter = Device::new(&rig.server, &rig.proxy.url, REPORTER).await?;
    // Twelve articles of three revisions each; eight are published.
    let mut articles = Vec::new();
    for n in 0..12 {
        let id = reporter.write_new(&format!("খবর {n}"), &[("b1", &format!("খবর {n}: প্রথম"))]);
        reporter.edit(id, &[("b1", &format!("খবর {n}: দ্বিতীয়"))]);
        reporter.edit(id, &[("b1", &format!("খবর {n}: তৃতীয়"))]);
        articles.push(id);
    }
    reporter.sync().await?;
    let (published, open) = articles.split_at(8);
    for &id in published {
        publish(&rig, id).await?;
    }
    let out = rig
        .server
        .barta(&["newsroom", "set", "sync.window-days", "0"], None)?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The editor's new laptop: the four open articles, each as its head alone.
    let mut editor = Device::new(&rig.server, &rig.proxy.url, EDITOR).await?;
    let seen_before = rig.proxy.seen().len();
    let outcome = editor.sync().await?;
    assert_eq!(outcome.changes_applied, 4, "{outcome:?}");
    for &id in open {
        assert!(holds(&editor, id), "an open article is held");
        let revs = revisions_of(&reporter, id);
        let missing = editor.with(|s| s.missing_revisions(&revs))?;
        assert_eq!(missing, revs[..2], "the head alone, not its history");
    }
    for &id in published {
        assert!(
            !holds(&editor, id),
            "a published article stays on the server"
        );
    }
    let requests: Vec<_> = rig.proxy.seen()[seen_before..].to_vec();
    let count = |path: &str| requests.iter().filter(|s| s.path.starts_with(path)).count();
    assert_eq!(count("/v1/window"), 1, "{requests:?}");
    assert_eq!(
        count("/v1/revisions/"),
        0,
        "no history fetched: {requests:?}"
    );
    // The cursor is the feed's end when the window was read: a second round reads nothing.
    let again = editor.sync().await?;
    assert_eq!(again.changes_applied, 0, "{again:?}");

    // The feed goes on from there: an open article edited and a published one corrected
    // both arrive, the corrected one joining the laptop.
    reporter.edit(open[0], &[("b1", "খবর 8: চতুর্থ")]);
    reporter.edit(published[0], &[("b1", "খবর 0: সংশোধিত")]);
    reporter.sync().await?;
    editor.sync().await?;
    for id in [open[0], published[0]] {
        let head = *revisions_of(&reporter, id).last().unwrap();
        assert_eq!(
            editor.with(|s| s.missing_revisions(&[head]))?,
            [],
            "the new head of {id} arrived"
        );
    }
    assert!(holds(&editor, published[0]));

    // An old article is fetched when opened, and kept.
    let old = published[1];
    assert!(!holds(&editor, old));
    fetch_article(&editor.store, &editor.client, &mut editor.session, old).await?;
    let draft = editor.with(|s| s.load_article(old))?;
    assert_eq!(draft.meta.headline, "খবর 1");
    assert!(
        serde_json::to_string(&draft.body)?.contains("খবর 1: তৃতীয়"),
        "the published text: {:?}",
        draft.body
    );
    editor.sync().await?;
    assert!(holds(&editor, old), "kept after the next round");
    // An article nobody may show the editor answers as the server does.
    let err = fetch_article(
        &editor.store,
        &editor.client,
        &mut editor.session,
        ArticleId::new(),
    )
    .await
    .expect_err("no such article");
    assert!(
        matches!(&err, barta_sync::SyncError::Client(e) if e.status() == Some(404)),
        "{err:?}"
    );

    // A laptop that asks for the whole feed still gets every article and every revision.
    let mut full = Device::new(&rig.server, &rig.proxy.url, EDITOR).await?;
    full.config.windowed = false;
    full.sync().await?;
    for &id in &articles {
        let revs = revisions_of(&reporter, id);
        assert_eq!(full.with(|s| s.missing_revisions(&revs))?, []);
    }
    Ok(())
}
