//! TLS end to end: the real `barta serve --tls-cert --tls-key`, a certificate authority made
//! for the test, and the app's sync client, which trusts the operating system's store (where
//! a newsroom installs its private CA) and never follows a redirect from https to http.

use anyhow::Context;
use barta_sync::{Client, ServerCheckError, check_server};
use barta_tests::{REPORTER, Redirector, TestCa, TestServer};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Set in the child process of [`a_newsrooms_private_ca_in_the_system_trust_store_is_trusted`]:
/// the server's address; the child then plays the app on a computer that trusts the CA.
const CHILD_URL: &str = "BARTA_TEST_TLS_URL";
/// In the child: the certificate and key for its redirecting server (signed by the same CA).
const CHILD_CERT: &str = "BARTA_TEST_TLS_CERT";
const CHILD_KEY: &str = "BARTA_TEST_TLS_KEY";

const APP_VERSION: &str = "0.1.0";

/// `barta serve` over TLS with a certificate of `ca`.
fn tls_server(ca: &TestCa, dir: &std::path::Path) -> anyhow::Result<TestServer> {
    let files = ca.issue_for_loopback(dir, "server")?;
    let mut server = TestServer::start_demo()?;
    server.serve_args = vec![
        "--tls-cert".into(),
        files.cert.display().to_string(),
        "--tls-key".into(),
        files.key.display().to_string(),
    ];
    server.restart()?;
    anyhow::ensure!(server.url.starts_with("https://"), "{}", server.url);
    Ok(server)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newsrooms_private_ca_in_the_system_trust_store_is_trusted() -> anyhow::Result<()> {
    if let Ok(url) = std::env::var(CHILD_URL) {
        return the_app_on_a_computer_that_trusts_the_ca(&url).await;
    }
    let dir = tempfile::tempdir()?;
    let ca = TestCa::new("Barta test newsroom CA")?;
    let server = tls_server(&ca, dir.path())?;

    // A computer that does not trust the CA: a certificate problem, said as one.
    let refused = check_server(&server.url, APP_VERSION).await.unwrap_err();
    assert!(
        matches!(refused, ServerCheckError::Certificate { .. }),
        "{refused:?}"
    );

    // A computer whose trust store holds the CA (SSL_CERT_FILE stands for the system's
    // store, which rustls-native-certs reads): this test again, in a child process.
    let ca_file = dir.path().join("newsroom-ca.pem");
    ca.write_pem(&ca_file)?;
    let redirector = ca.issue_for_loopback(dir.path(), "redirector")?;
    let output = Command::new(std::env::current_exe()?)
        .args([
            "tls::a_newsrooms_private_ca_in_the_system_trust_store_is_trusted",
            "--exact",
            "--nocapture",
        ])
        .env("SSL_CERT_FILE", &ca_file)
        .env_remove("SSL_CERT_DIR")
        .env(CHILD_URL, &server.url)
        .env(CHILD_CERT, &redirector.cert)
        .env(CHILD_KEY, &redirector.key)
        .output()
        .context("running the child test")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "the child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(())
}

/// The child's part: the server checks out, a login works, and a redirect to plain http is
/// refused without a byte going to the http address.
async fn the_app_on_a_computer_that_trusts_the_ca(url: &str) -> anyhow::Result<()> {
    let checked = check_server(url, APP_VERSION).await?;
    assert_eq!(checked.url, url);
    let client = Client::new(url)?;
    let session = client.login(REPORTER.username, REPORTER.password).await?;
    assert_eq!(session.user.username, REPORTER.username);

    let plain = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let plain_url = format!("http://127.0.0.1:{}/healthz", plain.local_addr()?.port());
    let plain_hits = Arc::new(AtomicUsize::new(0));
    let hits = Arc::clone(&plain_hits);
    let plain_task = tokio::spawn(async move {
        while plain.accept().await.is_ok() {
            hits.fetch_add(1, Ordering::SeqCst);
        }
    });
    let certificate = barta_tests::ServerCertificate {
        cert: std::env::var(CHILD_CERT)?.into(),
        key: std::env::var(CHILD_KEY)?.into(),
    };
    let redirector = Redirector::start(&certificate, plain_url).await?;
    let followed = Client::new(&redirector.url)?.health().await;
    assert!(
        followed.is_err(),
        "a redirect from https to http was followed"
    );
    assert_eq!(redirector.served.load(Ordering::SeqCst), 1);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        plain_hits.load(Ordering::SeqCst),
        0,
        "the http address was reached"
    );
    plain_task.abort();
    Ok(())
}

/// A reqwest client that trusts only `ca` (the server's view is tested here, not the app's).
fn trusting_only(ca: &TestCa) -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(ca.pem().as_bytes())?)
        .pool_max_idle_per_host(0)
        .build()?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renewed_certificate_is_served_without_a_restart() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let old_ca = TestCa::new("the old CA")?;
    let new_ca = TestCa::new("the new CA")?;
    let server = tls_server(&old_ca, dir.path())?;
    let health = format!("{}/healthz", server.url);
    assert_eq!(
        trusting_only(&old_ca)?.get(&health).send().await?.status(),
        200
    );
    assert!(trusting_only(&new_ca)?.get(&health).send().await.is_err());

    // The certificate is renewed in place (as certbot does), the server left running.
    new_ca.issue_for_loopback(dir.path(), "server")?;
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        if trusting_only(&new_ca)?.get(&health).send().await.is_ok() {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the renewed certificate was not served within 20 s"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(trusting_only(&old_ca)?.get(&health).send().await.is_err());
    Ok(())
}
