//! `barta target add|list|test|remove` against a real WordPress: secrets stay out of the
//! listing and the database file, bad addresses are refused, `test` says what is wrong.

use crate::Newsroom;
use barta_tests::WordPress;

/// Every byte of the server's database (the main file and its write-ahead log).
fn database_bytes(newsroom: &Newsroom) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(newsroom.server.data_dir())? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with("barta.sqlite3") {
            bytes.extend(std::fs::read(&path)?);
        }
    }
    Ok(bytes)
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn target_list_and_the_database_never_show_the_application_password() -> anyhow::Result<()> {
    let wordpress = WordPress::shared()?;
    let newsroom = Newsroom::start().await?;
    newsroom.add_wordpress(
        "website",
        &wordpress.base_url(),
        (wordpress.admin_user(), wordpress.app_password()),
        &["--desk", "national", "--category", "national=1"],
    )?;
    let list = newsroom.barta_ok(&["target", "list"], None)?;
    assert!(list.contains("website\twordpress\t"), "{list}");
    assert!(list.contains(&wordpress.base_url()), "{list}");
    assert!(list.contains("national=1"), "{list}");
    assert!(!list.contains(wordpress.app_password()), "{list}");
    let compact: String = wordpress.app_password().replace(' ', "");
    let bytes = database_bytes(&newsroom)?;
    assert!(!bytes.is_empty());
    assert!(!contains(&bytes, wordpress.app_password()));
    assert!(!contains(&bytes, &compact));
    // The key that seals it is the server's own, readable by its user alone.
    let key = newsroom.server.data_dir().join("secrets.key");
    let mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&key)?.permissions());
    assert_eq!(mode & 0o077, 0, "secrets.key is {mode:o}");

    let tested = newsroom.barta_ok(&["target", "test", "website"], None)?;
    assert!(tested.starts_with("ok: "), "{tested}");
    assert!(tested.contains(wordpress.admin_user()), "{tested}");
    assert!(!tested.contains(wordpress.app_password()), "{tested}");

    let again = newsroom.server.barta(
        &[
            "target",
            "add",
            "website",
            "--kind",
            "webhook",
            "--url",
            "https://example.org/h",
            "--secret-stdin",
        ],
        Some("s\n"),
    )?;
    assert_eq!(
        again.status.code(),
        Some(3),
        "a second target of the same name"
    );

    newsroom.barta_ok(&["target", "remove", "website"], None)?;
    let list = newsroom.barta_ok(&["target", "list"], None)?;
    assert!(!list.contains("website\t"), "{list}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn target_test_says_plainly_when_the_password_is_wrong_or_the_user_may_not_publish()
-> anyhow::Result<()> {
    let wordpress = WordPress::shared()?;
    let newsroom = Newsroom::start().await?;
    newsroom.add_wordpress(
        "wrong",
        &wordpress.base_url(),
        (wordpress.admin_user(), "aaaa bbbb cccc dddd eeee ffff"),
        &[],
    )?;
    let out = newsroom.server.barta(&["target", "test", "wrong"], None)?;
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        said.contains("refused the user name or application password"),
        "{said}"
    );

    let (subscriber, password) =
        tokio::task::block_in_place(|| wordpress.add_user("reader", "subscriber"))?;
    newsroom.add_wordpress(
        "reader",
        &wordpress.base_url(),
        (&subscriber, &password),
        &[],
    )?;
    let out = newsroom.server.barta(&["target", "test", "reader"], None)?;
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(said.contains("may not publish posts"), "{said}");
    assert!(said.contains("Editor role"), "{said}");
    assert!(!said.contains(&password), "{said}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn target_add_refuses_plain_http_to_another_machine_and_secrets_on_the_command_line()
-> anyhow::Result<()> {
    let newsroom = Newsroom::start().await?;
    let out = newsroom.server.barta(
        &[
            "target",
            "add",
            "site",
            "--kind",
            "wordpress",
            "--url",
            "http://news.example.com",
            "--user",
            "desk",
            "--app-password-stdin",
        ],
        Some("abcd efgh ijkl mnop qrst uvwx\n"),
    )?;
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("https"), "{said}");

    let out = newsroom.server.barta(
        &[
            "target",
            "add",
            "site",
            "--kind",
            "webhook",
            "--url",
            "https://news.example.com/hook",
        ],
        None,
    )?;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--secret-stdin"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = newsroom.server.barta(
        &[
            "target",
            "add",
            "site",
            "--kind",
            "webhook",
            "--url",
            "https://user:pass@news.example.com/hook",
            "--secret-stdin",
        ],
        Some("secret\n"),
    )?;
    assert_eq!(out.status.code(), Some(2), "credentials in the URL");
    let list = newsroom.barta_ok(&["target", "list"], None)?;
    assert!(list.starts_with("no targets"), "{list}");
    Ok(())
}
