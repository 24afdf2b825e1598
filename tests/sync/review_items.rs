//! Comments and photos travel in the sync round itself (planned beside the revision pushes):
//! a comment written offline arrives once through a cut link, a comment on a new article
//! waits for the article's first push, a photo cut mid-upload resumes from the server's
//! offset, and another device's comment reaches the article this device is watching.

use crate::{Device, Rig};
use barta_model::api::CommentRecord;
use barta_model::{ArticleId, Document};
use barta_store::MediaStore;
use barta_tests::{EDITOR, Fault, REPORTER};
use sha2::{Digest, Sha256};

impl Rig {
    /// The server's comments of an article (read directly, not via the proxy).
    async fn comments(&self, id: ArticleId) -> anyhow::Result<Vec<CommentRecord>> {
        self.get_json(&format!("/v1/articles/{id}/comments")).await
    }
}

impl Device {
    /// The device's photo directory.
    fn media(&self) -> &MediaStore {
        self.input
            .media
            .as_ref()
            .expect("every test device has one")
    }

    /// Whether the local comment `id` of `article` is marked as on the server.
    fn comment_synced(&self, article: ArticleId, id: &str) -> bool {
        self.with(|s| s.comments(article))
            .unwrap()
            .iter()
            .any(|c| c.id == id && c.synced)
    }
}

#[tokio::test]
async fn a_comment_written_offline_arrives_once_through_a_link_cut_mid_round() -> anyhow::Result<()>
{
    let rig = Rig::start().await?;
    let mut reporter = Device::new(&rig.server, &rig.proxy.url, REPORTER).await?;
    let id = reporter.write_new("শিরোনাম", &[("b1", "প্রথম অনুচ্ছেদ")]);
    reporter.sync().await?;

    // Offline: an edit and a comment, both queued.
    reporter.edit(id, &[("b1", "প্রথম অনুচ্ছেদ, বদলানো")]);
    let comment = reporter.with(|s| s.add_comment(id, "b1", "rahim", "সূত্রের নাম যাচাই হবে"))?;
    assert!(!reporter.comment_synced(id, &comment.id));

    // The revision goes; the comment's request is cut before the server sees all of it.
    rig.proxy.then([Fault::Pass, Fault::CutRequest(120)]);
    let err = reporter.sync().await.expect_err("the link was cut");
    assert!(
        matches!(&err, barta_sync::SyncError::Client(e) if e.is_transient()),
        "{err:?}"
    );
    assert_eq!(
        reporter.pending(),
        0,
        "the revision before the cut was acknowledged"
    );
    assert!(
        rig.comments(id).await?.is_empty(),
        "nothing of the cut request stored"
    );
    assert!(!reporter.comment_synced(id, &comment.id));

    // Now the server stores it and the answer is lost.
    rig.proxy.then([Fault::CutResponse(0)]);
    assert!(reporter.sync().await.is_err());
    assert_eq!(rig.comments(id).await?.len(), 1, "the server committed");
    assert!(
        !reporter.comment_synced(id, &comment.id),
        "not marked without an answer"
    );

    // The link is back: sent again, answered as the same comment, marked synced.
    let outcome = reporter.sync().await?;
    assert_eq!(outcome.comments_pushed, 1);
    assert_eq!(outcome.comments_changed, [id].into());
    assert!(reporter.comment_synced(id, &comment.id));
    let stored = rig.comments(id).await?;
    assert_eq!(stored.len(), 1, "exactly once: {stored:?}");
    assert_eq!(stored[0].id, comment.id);
    assert_eq!(stored[0].body, "সূত্রের নাম যাচাই হবে");
    assert_eq!(stored[0].anchor.block_id, "b1");
    assert_eq!(rig.proxy.count("PUT", "/comments/"), 3);

    // Nothing more to send.
    let outcome = reporter.sync().await?;
    assert_eq!(outcome.comments_pushed, 0);
    assert!(outcome.comments_changed.is_empty());
    assert_eq!(rig.proxy.count("PUT", "/comments/"), 3);
    Ok(())
}

#[tokio::test]
async fn a_comment_on_a_new_article_goes_after_its_first_push_and_waits_when_that_is_refused()
-> anyhow::Result<()> {
    let rig = Rig::start().await?;
    let mut reporter = Device::new(&rig.server, &rig.proxy.url, REPORTER).await?;
    let new = reporter.write_new("নতুন খবর", &[("b1", "প্রথম অনুচ্ছেদ")]);
    // An article on a desk the newsroom does not have: its first push is refused.
    let refused = reporter.with(|s| {
        let id = s.create_article("sports", "rahim")?;
        let mut meta = crate::meta("অন্য ডেস্কের খবর");
        meta.desk = "sports".into();
        s.save_working_copy(id, meta, Document::from_paragraphs([("b1", "অনুচ্ছেদ")]))?;
        s.save_point(id, "rahim")?;
        Ok::<_, barta_store::StoreError>(id)
    })?;
    let on_new = reporter.with(|s| s.add_comment(new, "b1", "rahim", "ছবি পরে আসবে"))?;
    let on_refused = reporter.with(|s| s.add_comment(refused, "b1", "rahim", "যাচাই করুন"))?;

    let outcome = reporter.sync().await?;
    assert_eq!((outcome.pushed, outcome.rejected), (1, 1), "{outcome:?}");
    assert_eq!(outcome.comments_pushed, 1);
    assert_eq!(outcome.comments_changed, [new].into());
    assert!(outcome.articles_changed.is_superset(&[new, refused].into()));
    let seen: Vec<String> = rig
        .proxy
        .seen()
        .iter()
        .map(|s| format!("{} {}", s.method, s.path))
        .collect();
    let puts: Vec<&String> = seen.iter().filter(|r| r.starts_with("PUT")).collect();
    assert_eq!(
        puts,
        [&format!("PUT /v1/articles/{new}/comments/{}", on_new.id)],
        "the comment on the refused article is not tried: {seen:?}"
    );
    let put = seen.iter().position(|r| r.starts_with("PUT"));
    assert!(
        seen[..put.unwrap_or(0)]
            .iter()
            .any(|r| r.starts_with("POST /v1/revisions/batch")
                || r.starts_with(&format!("POST /v1/articles/{new}/revisions"))),
        "the first push before the comment: {seen:?}"
    );
    assert_eq!(rig.comments(new).await?.len(), 1);
    assert!(reporter.comment_synced(new, &on_new.id));
    assert!(
        !reporter.comment_synced(refused, &on_refused.id),
        "kept, waiting"
    );

    // It keeps waiting, round after round, without a request.
    reporter.sync().await?;
    assert_eq!(rig.proxy.count("PUT", "/comments/"), 1);
    Ok(())
}

#[tokio::test]
async fn a_photo_cut_mid_upload_resumes_from_the_servers_offset_on_the_next_round()
-> anyhow::Result<()> {
    let rig = Rig::start().await?;
    let mut reporter = Device::new(&rig.server, &rig.proxy.url, REPORTER).await?;
    let chunk = 32 * 1024;
    reporter.config.photo_chunk = chunk;
    // A 330 kB JPEG: 11 chunks of 32 KiB (the last one short).
    let mut bytes = b"\xff\xd8\xff\xe0\x00\x10JFIF".to_vec();
    bytes.extend((0..330_000 - bytes.len()).map(|i| (i * 31 % 251) as u8));
    let sha = hex::encode(Sha256::digest(&bytes));
    let src = reporter.media().store_image(&bytes)?;
    assert_eq!(src, format!("media:{sha}.jpg"));
    let chunks = bytes.len().div_ceil(chunk);
    assert_eq!(chunks, 11);

    // A photo no saved version shows stays on this computer: a round sends nothing of it.
    let outcome = reporter.sync().await?;
    assert_eq!((outcome.photos_uploaded, outcome.photos_pending), (0, 0));
    assert_eq!(rig.proxy.count("POST", "/v1/media"), 0);

    // A version that shows it: the round pushes it, pulls the feed, creates the upload,
    // sends 4 chunks, and the 5th is cut mid-body.
    let body: Document = serde_json::from_value(serde_json::json!({"type": "doc", "content": [
        {"type": "image", "attrs": {"id": "i1", "src": src, "alt": "", "caption": "বন্যা"}}
    ]}))?;
    let author = REPORTER.username;
    reporter.with(|s| {
        let id = s.create_article("national", author).unwrap();
        let meta = barta_model::ArticleMeta {
            headline: "ছবির খবর".into(),
            desk: "national".into(),
            ..Default::default()
        };
        s.save_working_copy(id, meta, body).unwrap();
        s.save_point(id, author).unwrap();
    });
    rig.proxy.then(
        std::iter::repeat_n(Fault::Pass, 1 + 1 + 1 + 4).chain([Fault::CutRequest(chunk / 2)]),
    );
    let err = reporter.sync().await.expect_err("the upload was cut");
    assert!(
        matches!(&err, barta_sync::SyncError::Client(e) if e.is_transient()),
        "{err:?}"
    );
    assert_eq!(rig.proxy.count("PATCH", "/v1/media/"), 5);
    assert_eq!(reporter.media().pending_uploads().len(), 1, "still to send");
    // A photo no publication shows is private to its uploader (and its articles' readers).
    let token = barta_tests::login_token(&rig.server, &REPORTER).await?;
    let fetch = || {
        reqwest::Client::new()
            .get(format!("{}/v1/media/{sha}", rig.server.url))
            .bearer_auth(&token)
            .send()
    };
    let served = fetch().await?;
    assert_eq!(served.status(), 404, "an unfinished upload is not served");

    // The next round asks where the server stopped and sends only the rest.
    let outcome = reporter.sync().await?;
    assert_eq!((outcome.photos_uploaded, outcome.photos_pending), (1, 0));
    assert_eq!(
        rig.proxy.count("PATCH", "/v1/media/") - 5,
        chunks - 4,
        "the 4 chunks the server kept are not sent again"
    );
    let served = fetch().await?;
    assert_eq!(served.status(), 200);
    let anonymous = reqwest::get(format!("{}/v1/media/{sha}", rig.server.url)).await?;
    assert_eq!(
        anonymous.status(),
        404,
        "an unpublished photo was served to anyone"
    );
    let served = served.bytes().await?;
    assert_eq!(served.len(), bytes.len());
    assert_eq!(hex::encode(Sha256::digest(&served)), sha);
    assert!(reporter.media().pending_uploads().is_empty());

    // Uploaded once: a later round does not ask about it again.
    let media_requests = rig.proxy.count("POST", "/v1/media");
    let outcome = reporter.sync().await?;
    assert_eq!((outcome.photos_uploaded, outcome.photos_pending), (0, 0));
    assert_eq!(rig.proxy.count("POST", "/v1/media"), media_requests);
    Ok(())
}

#[tokio::test]
async fn another_devices_comment_reaches_the_watched_article_and_the_outcome_names_it()
-> anyhow::Result<()> {
    let rig = Rig::start().await?;
    let mut reporter = Device::new(&rig.server, &rig.proxy.url, REPORTER).await?;
    let id = reporter.write_new("শিরোনাম", &[("b1", "প্রথম অনুচ্ছেদ"), ("b2", "দ্বিতীয়")]);
    let outcome = reporter.sync().await?;
    assert!(
        outcome.articles_changed.contains(&id),
        "pushed: {outcome:?}"
    );
    let mut editor = Device::new(&rig.server, &rig.proxy.url, EDITOR).await?;
    let outcome = editor.sync().await?;
    assert_eq!(
        outcome.articles_changed,
        [id].into(),
        "pulled from the feed"
    );

    // The reporter has the article open; nothing new yet.
    reporter.input.watched = vec![id];
    let outcome = reporter.sync().await?;
    assert!(outcome.comments_changed.is_empty(), "{outcome:?}");
    assert!(outcome.articles_changed.is_empty(), "{outcome:?}");

    // The editor comments on the second paragraph from the other device.
    let note = editor.with(|s| s.add_comment(id, "b2", "nasrin", "এই সংখ্যাটি কোথা থেকে?"))?;
    editor.sync().await?;
    assert_eq!(rig.comments(id).await?.len(), 1);

    // A device not watching the article does not ask for its comments.
    let mut other = Device::new(&rig.server, &rig.proxy.url, REPORTER).await?;
    other.sync().await?;
    assert!(other.with(|s| s.comments(id))?.is_empty());

    let outcome = reporter.sync().await?;
    assert_eq!(outcome.comments_changed, [id].into());
    let local = reporter.with(|s| s.comments(id))?;
    assert_eq!(local.len(), 1, "{local:?}");
    assert_eq!(local[0].id, note.id);
    assert_eq!(local[0].body, "এই সংখ্যাটি কোথা থেকে?");
    assert_eq!(
        (local[0].block_id.as_str(), local[0].author.as_str()),
        ("b2", "nasrin")
    );
    assert!(local[0].synced);

    // Seen once: the next round changes nothing.
    let outcome = reporter.sync().await?;
    assert!(outcome.comments_changed.is_empty(), "{outcome:?}");

    // A resolution on the server is a change too.
    editor.with(|s| s.resolve_comment_by(&note.id, Some("nasrin")))?;
    editor.sync().await?;
    let outcome = reporter.sync().await?;
    assert_eq!(outcome.comments_changed, [id].into());
    assert!(reporter.with(|s| s.comments(id))?[0].resolved_at.is_some());
    Ok(())
}
