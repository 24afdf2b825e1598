//! Measures the real app under Xvfb through WebDriver (issue 6's figures): keystroke →
//! painted Bengali latency with phonetic typing on in a 10,000-word article, cold start to an
//! editable article, and the memory of the app's processes with 10,000 local articles; and
//! (issue 19) how typing is saved: saves per second while typing fast and slow, each key's
//! keydown → in the local store, the blocks a save sends, and, with `BENCH_STRACE=1`, the
//! fsyncs per minute of the app process while typing (strace).
//!
//! Run: `cargo run -p barta-tests --example app_bench` (after `scripts/build`).

use anyhow::Context;
use barta_model::{ArticleMeta, Document};
use barta_tests::{AppSession, AppSettings, Display, REPORTER, TestServer, process_tree};
use std::time::{Duration, Instant};

const WORDS: &[&str] = &[
    "দেশের",
    "উত্তরাঞ্চলে",
    "টানা",
    "বৃষ্টিতে",
    "নদীর",
    "পানি",
    "বাড়ছে",
    "সরকার",
    "জানিয়েছে",
    "কৃষকেরা",
    "ক্ষতিগ্রস্ত",
    "হয়েছেন",
    "স্থানীয়",
    "প্রশাসন",
    "ত্রাণ",
    "বিতরণ",
    "শুরু",
    "করেছে",
    "২০২৫",
    "সালের",
];

/// What the benchmark types with phonetic typing on: a Bengali news sentence's words in Avro
/// phonetic spelling, none twice.
const TYPED: &[&str] = &[
    "ajke",
    "dhakay",
    "bhari",
    "brishti",
    "hoyeche",
    "nodir",
    "pani",
    "barche",
    "krishokera",
    "chintito",
    "sorkar",
    "tran",
    "bitoron",
    "shuru",
    "korechhe",
    "sthaniyo",
    "prosason",
    "janiyeche",
    "uttoranchole",
    "tana",
    "borshon",
    "cholbe",
    "abohawa",
    "odhidoptor",
    "sotorko",
    "diyechhe",
    "somudrobondore",
    "sonket",
    "dekhate",
    "bolechhe",
    "jele",
    "nouka",
    "gobhir",
    "sagore",
    "jete",
    "nished",
    "kora",
    "hoyechhe",
    "agamikal",
    "porjonto",
];

/// Bengali text of `words` words in paragraphs of 20.
fn corpus(words: usize, seed: usize) -> Vec<String> {
    (0..words.div_ceil(20))
        .map(|p| {
            (0..20)
                .map(|i| WORDS[(p * 7 + i * 3 + seed) % WORDS.len()])
                .collect::<Vec<_>>()
                .join(" ")
                + "।"
        })
        .collect()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// A `/proc` field in KiB (`VmRSS:` of `status`, `Pss:` of `smaps_rollup`).
fn kib_field(path: &str, field: &str) -> u64 {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .unwrap_or(0)
}

/// The RSS (KiB) of a process's mappings of the system's shared libraries (files under
/// `/usr/lib`: WebKitGTK, Mesa and LLVM, GTK, …), read from `/proc/PID/smaps`.
fn system_library_rss(pid: u32) -> u64 {
    let Ok(smaps) = std::fs::read_to_string(format!("/proc/{pid}/smaps")) else {
        return 0;
    };
    let mut in_library = false;
    let mut kib = 0;
    for line in smaps.lines() {
        let mut fields = line.split_whitespace();
        let first = fields.next().unwrap_or_default();
        if first.contains('-') && first.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            in_library = fields
                .nth(4)
                .is_some_and(|path| path.starts_with("/usr/lib/"));
        } else if in_library && first == "Rss:" {
            kib += fields
                .next()
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0);
        }
    }
    kib
}

/// Each process of the tree under `pid`: (name, RSS KiB, PSS KiB, system libraries' RSS KiB).
fn tree_memory(pid: u32) -> Vec<(String, u64, u64, u64)> {
    process_tree(pid)
        .into_iter()
        .map(|p| {
            let name = std::fs::read_to_string(format!("/proc/{p}/comm")).unwrap_or_default();
            (
                name.trim().to_string(),
                kib_field(&format!("/proc/{p}/status"), "VmRSS:"),
                kib_field(&format!("/proc/{p}/smaps_rollup"), "Pss:"),
                system_library_rss(p),
            )
        })
        .collect()
}

/// Types `text` into `editor` one key every `gap_ms` (all at once for 0) and returns, sorted,
/// each letter's keydown → painted Bengali, keydown → next painted frame, and keydown →
/// Bengali in the document times (ms), clearing them for the next run.
async fn type_and_measure(
    app: &AppSession,
    editor: &fantoccini::elements::Element,
    text: &str,
    gap_ms: u64,
) -> anyhow::Result<(Vec<f64>, Vec<f64>, Vec<f64>)> {
    if gap_ms == 0 {
        editor.send_keys(text).await?;
    } else {
        for key in text.chars() {
            let sent = Instant::now();
            editor.send_keys(&key.to_string()).await?;
            tokio::time::sleep(Duration::from_millis(gap_ms).saturating_sub(sent.elapsed())).await;
        }
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let all = app
        .client
        .execute(
            "const r = [window.__lat, window.__echo, window.__pre];\n\
             window.__lat = []; window.__echo = []; window.__pre = []; return r;",
            vec![],
        )
        .await?;
    let mut out: (Vec<f64>, Vec<f64>, Vec<f64>) = serde_json::from_value(all)?;
    for v in [&mut out.0, &mut out.1, &mut out.2] {
        v.sort_by(|a, b| a.total_cmp(b));
    }
    Ok(out)
}

/// Records every typing save the page announces (`barta:saved`: when the text it saved was
/// read, whether it sent the whole document or only the changed blocks, how many blocks) with
/// the time it was stored, and every keydown; cleared by [`typing_saves`].
const RECORD_SAVES: &str = "window.__saves = []; window.__keys = [];\n\
     document.addEventListener('barta:saved', (e) => window.__saves.push({...e.detail, end: performance.now()}));\n\
     document.addEventListener('keydown', () => window.__keys.push(performance.now()), true);";

/// Types `text` into `editor` one key every `gap_ms` and reports how it was saved (needs
/// [`RECORD_SAVES`] run in the page first), with the seconds the typing took.
async fn typing_saves(
    app: &AppSession,
    editor: &fantoccini::elements::Element,
    text: &str,
    gap_ms: u64,
) -> anyhow::Result<(serde_json::Value, f64)> {
    app.client
        .execute("window.__saves = []; window.__keys = [];", vec![])
        .await?;
    let started = Instant::now();
    for key in text.chars() {
        let sent = Instant::now();
        editor.send_keys(&key.to_string()).await?;
        tokio::time::sleep(Duration::from_millis(gap_ms).saturating_sub(sent.elapsed())).await;
    }
    let typing_s = started.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let (saves, keys): (Vec<serde_json::Value>, Vec<f64>) = serde_json::from_value(
        app.client
            .execute("return [window.__saves, window.__keys];", vec![])
            .await?,
    )?;
    let time = |s: &serde_json::Value, f: &str| s[f].as_f64().unwrap_or(f64::INFINITY);
    let mut stored: Vec<f64> = keys
        .iter()
        .map(|&k| {
            saves
                .iter()
                .find(|s| time(s, "readAt") > k)
                .map(|s| time(s, "end") - k)
                .unwrap_or(f64::INFINITY)
        })
        .collect();
    stored.sort_by(|a, b| a.total_cmp(b));
    let mut blocks: Vec<f64> = saves
        .iter()
        .map(|s| s["blocks"].as_f64().unwrap_or(0.0))
        .collect();
    blocks.sort_by(|a, b| a.total_cmp(b));
    anyhow::ensure!(!keys.is_empty(), "no keystroke was recorded");
    if saves.is_empty() {
        // An app from before issue 19 does not announce its saves (for a before/after run).
        return Ok((
            serde_json::json!({"key_gap_ms": gap_ms, "keys": keys.len(), "saves": "not announced"}),
            typing_s,
        ));
    }
    let figures = serde_json::json!({
        "key_gap_ms": gap_ms,
        "keys": keys.len(),
        "typing_s": typing_s,
        "saves": saves.len(),
        "saves_per_s": saves.len() as f64 / typing_s,
        // Saves that sent the whole document (the others only the changed blocks).
        "whole_saves": saves.iter().filter(|s| s["whole"] == true).count(),
        // keydown → the answer of the first save sent after it: the key is in the store.
        "key_to_stored_ms": {
            "p50": percentile(&stored, 0.5),
            "p95": percentile(&stored, 0.95),
            "max": stored[stored.len() - 1],
        },
        "blocks_sent_per_save": {
            "p50": percentile(&blocks, 0.5),
            "max": blocks[blocks.len() - 1],
        },
    });
    Ok((figures, typing_s))
}

/// Runs `strace -c` on every thread of process `pid`, counting fsync and fdatasync, until the
/// returned child is interrupted; its summary goes to `out`.
fn strace_syncs(pid: u32, out: &std::path::Path) -> anyhow::Result<std::process::Child> {
    let threads: Vec<String> = std::fs::read_dir(format!("/proc/{pid}/task"))?
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(String::from))
        .collect();
    Ok(std::process::Command::new("strace")
        .args(["-c", "-f", "-e", "trace=fsync,fdatasync", "-o"])
        .arg(out)
        .arg("-p")
        .arg(threads.join(","))
        .stderr(std::process::Stdio::null())
        .spawn()?)
}

/// The fsync + fdatasync calls in an `strace -c` summary.
fn synced_calls(summary: &str) -> u64 {
    summary
        .lines()
        .filter(|l| l.ends_with(" fsync") || l.ends_with(" fdatasync"))
        .filter_map(|l| l.split_whitespace().nth(3)?.parse::<u64>().ok())
        .sum()
}

/// The number of distinct physical pages resident in any of `pids`: the memory the app's
/// processes occupy together, each shared page (a library mapped by several of them, shared
/// memory between the UI and web processes) counted once. Summing every process's RSS counts
/// those pages once per process. Reads `/proc/PID/pagemap` (page frame numbers need root).
fn resident_pages_once(pids: &[u32]) -> anyhow::Result<u64> {
    use std::io::{Read, Seek, SeekFrom};
    const PAGE: u64 = 4096;
    const PRESENT: u64 = 1 << 63;
    const PFN_MASK: u64 = (1 << 55) - 1;
    let mut frames = std::collections::HashSet::new();
    for pid in pids {
        let Ok(maps) = std::fs::read_to_string(format!("/proc/{pid}/maps")) else {
            continue;
        };
        let mut pagemap = std::fs::File::open(format!("/proc/{pid}/pagemap"))?;
        for line in maps.lines() {
            let Some((start, end)) = line
                .split_whitespace()
                .next()
                .and_then(|r| r.split_once('-'))
                .and_then(|(a, b)| {
                    Some((
                        u64::from_str_radix(a, 16).ok()?,
                        u64::from_str_radix(b, 16).ok()?,
                    ))
                })
            else {
                continue;
            };
            // Read the range's entries in chunks (JavaScriptCore reserves gigabytes).
            let mut page = start / PAGE;
            while page < end / PAGE {
                let count = (end / PAGE - page).min(64 * 1024);
                let mut buf = vec![0u8; count as usize * 8];
                pagemap.seek(SeekFrom::Start(page * 8))?;
                if pagemap.read_exact(&mut buf).is_err() {
                    break;
                }
                for entry in buf.chunks_exact(8) {
                    let e = u64::from_le_bytes(entry.try_into().expect("8 bytes"));
                    if e & PRESENT != 0 && e & PFN_MASK != 0 {
                        frames.insert(e & PFN_MASK);
                    }
                }
                page += count;
            }
        }
    }
    Ok(frames.len() as u64)
}

fn app_pid(data_dir: &std::path::Path) -> Option<u32> {
    let needle = format!("BARTA_DATA_DIR={}", data_dir.display());
    std::fs::read_dir("/proc").ok()?.flatten().find_map(|e| {
        let pid: u32 = e.file_name().to_str()?.parse().ok()?;
        let exe = std::fs::read_link(format!("/proc/{pid}/exe")).ok()?;
        let env = std::fs::read(format!("/proc/{pid}/environ")).ok()?;
        (exe.file_name()? == "barta-app"
            && env.split(|b| *b == 0).any(|kv| kv == needle.as_bytes()))
        .then_some(pid)
    })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let articles: usize = std::env::var("BENCH_ARTICLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let display = Display::start()?;
    let server = TestServer::start_demo()?;
    let root = tempfile::tempdir()?;
    let data_dir = root.path().join("bench");

    // A logged-in reporter with `articles` local drafts.
    let session: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/v1/session", server.url))
        .json(&serde_json::json!({"username": REPORTER.username, "password": REPORTER.password}))
        .send()
        .await?
        .json()
        .await?;
    std::fs::create_dir_all(&data_dir)?;
    let settings = AppSettings {
        data_dir: data_dir.clone(),
        server_url: server.url.clone(),
        name: "bench".into(),
    };
    let fill = Instant::now();
    {
        // The reporter's encrypted store, as the app keeps it.
        let mut store = settings.create_user_store(&REPORTER, &session)?;
        for i in 0..articles {
            let id = store.create_article("national", REPORTER.username)?;
            let paragraphs = corpus(100, i);
            let ids: Vec<String> = (0..paragraphs.len()).map(|p| format!("b{p}")).collect();
            let body = Document::from_paragraphs(
                ids.iter()
                    .map(String::as_str)
                    .zip(paragraphs.iter().map(String::as_str)),
            );
            let meta = ArticleMeta {
                headline: format!("খবর {i}"),
                desk: "national".into(),
                ..Default::default()
            };
            store.save_working_copy(id, meta, body)?;
        }
    }
    eprintln!(
        "prefilled {articles} local articles in {:?}",
        fill.elapsed()
    );

    // Cold start: process start → the password typed (the store unlocked: Argon2id and
    // SQLCipher's first pages) → an article open in the editor. Each step is watched for
    // inside the page (`watch_for`), not looked for every 250 ms, so the time is the app's
    // (the harness's own WebDriver calls, typing and clicking, are still in it).
    let started = Instant::now();
    let app = AppSession::launch(&display, settings).await?;
    let launched = started.elapsed();
    app.watch_for("unlock-password", "").await?;
    let unlock_form = started.elapsed();
    app.type_into("unlock-password", REPORTER.password).await?;
    app.click("unlock-submit").await?;
    app.watch_for("current-user", REPORTER.username).await?;
    let unlocked = started.elapsed();
    app.watch_for("article-row", "").await?;
    let listed = started.elapsed();
    app.click("article-row").await?;
    app.watch_for("body-editor", "").await?;
    let cold_start = started.elapsed();
    eprintln!(
        "cold start: session {launched:?}, unlock form {unlock_form:?}, unlocked {unlocked:?}, \
         list {listed:?}, article open {cold_start:?}"
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    let memory = app_pid(&data_dir).map(tree_memory).unwrap_or_default();
    let resident_once = app_pid(&data_dir)
        .map(|pid| resident_pages_once(&process_tree(pid)))
        .transpose()?
        .unwrap_or(0);
    if let Some(hold) = std::env::var("BENCH_HOLD_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        // For a look at /proc/PID/smaps by hand before the rest of the run.
        eprintln!("holding {hold} s; app pid {:?}", app_pid(&data_dir));
        tokio::time::sleep(Duration::from_secs(hold)).await;
    }
    let mib = |kib: u64| (kib as f64 / 1024.0 * 10.0).round() / 10.0;
    let rss_mib = mib(memory.iter().map(|m| m.1).sum());
    let pss_mib = mib(memory.iter().map(|m| m.2).sum());
    let library_rss_mib = mib(memory.iter().map(|m| m.3).sum());
    let by_process: Vec<serde_json::Value> = memory
        .iter()
        .map(|(name, rss, pss, libs)| serde_json::json!({"process": name, "rss_mib": mib(*rss), "pss_mib": mib(*pss), "system_library_rss_mib": mib(*libs)}))
        .collect();

    // A new article with a 10,000-word body, pasted.
    app.click("back").await?;
    app.click("new-article").await?;
    let body_words: usize = std::env::var("BENCH_BODY_WORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let body = corpus(body_words, 1).join("\n\n");
    app.testid("body-editor").await?.click().await?;
    app.client
        .execute(
            "const dt = new DataTransfer(); dt.setData('text/plain', arguments[0]);\n\
             document.activeElement.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true}));",
            vec![serde_json::Value::String(body)],
        )
        .await?;
    app.wait_attr("stats", "data-words", "the whole body counted", |w| {
        w.parse::<usize>().is_ok_and(|n| n >= body_words)
    })
    .await?;

    // Keystroke → painted Bengali: every letter key's keydown time waits in a queue; when the
    // composer next shows Bengali (that showing reflects every key before it), each queued key
    // gets the time of the end of the frame that painted it (a task queued from the frame's
    // animation callback runs after that frame's paint). Spaces commit the word at once and
    // are not counted.
    app.client
        .execute(
            "window.__lat = []; window.__echo = []; window.__queue = []; window.__pre = [];\n\
             const painted = (f) => requestAnimationFrame(() => setTimeout(f, 0));\n\
             document.addEventListener('keydown', (e) => { const t = performance.now();\n\
               painted(() => window.__echo.push(performance.now() - t));\n\
               if (/^[a-zA-Z]$/.test(e.key)) window.__queue.push(t); }, true);\n\
             document.addEventListener('barta:composed', () => { const keys = window.__queue;\n\
               window.__queue = []; const shown = performance.now();\n\
               for (const t of keys) window.__pre.push(shown - t);\n\
               painted(() => { const now = performance.now();\n\
                 for (const t of keys) window.__lat.push(now - t); }); });",
            vec![],
        )
        .await?;
    // Forty different words (no word repeats), typed by a very fast typist: one key every
    // `BENCH_KEY_GAP_MS` (default 60 ms, 200 words a minute); 0 sends them all at once, a
    // burst no person types. Then the same words again: words the composer has seen (the
    // common words of any article) show without asking the engine.
    let typed = TYPED.join(" ") + " ";
    let gap: u64 = std::env::var("BENCH_KEY_GAP_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    let editor = app.testid("body-editor").await?;
    let new_words = type_and_measure(&app, &editor, &typed, gap).await?;
    let known_words = type_and_measure(&app, &editor, &typed, gap).await?;
    // The passes above type into the body's last paragraph (20 words pasted): the new words at
    // its words 20–60, the known ones at 60–100, where every key lays out a longer paragraph.
    // The known words once more at the start of a paragraph of their own (Enter first), for a
    // figure of the known-word path itself.
    editor.send_keys("\u{E007}").await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    app.client
        .execute(
            "window.__lat = []; window.__echo = []; window.__pre = [];",
            vec![],
        )
        .await?;
    let known_own_paragraph = type_and_measure(&app, &editor, &typed, gap).await?;
    // The cost of one phonetic preview through IPC, alone: the floor under a new word's keys.
    let ipc_ms = app
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];\n\
             (async () => { const n = 50; const t = performance.now();\n\
               for (let i = 0; i < n; i++) await window.__TAURI_INTERNALS__.invoke('phonetic_preview', {roman: 'banglay' + (i % 2 ? 'e' : '')});\n\
               done((performance.now() - t) / n); })();",
            vec![],
        )
        .await?;
    let (lat, echo, shown) = new_words.clone();
    let mut sorted = lat.clone();
    sorted.sort_by(|a, b| a.total_cmp(b));
    let known_paint = {
        let mut v = known_words.0.clone();
        v.sort_by(|a, b| a.total_cmp(b));
        v
    };
    let known_own_paint = {
        let mut v = known_own_paragraph.0.clone();
        v.sort_by(|a, b| a.total_cmp(b));
        v
    };
    // How typing is saved (issue 19): fast (the gap above) and slow (a key every 250 ms).
    app.client.execute(RECORD_SAVES, vec![]).await?;
    let (saves_fast, _) = typing_saves(&app, &editor, &typed, gap).await?;
    let (saves_slow, _) = typing_saves(&app, &editor, &typed, 250).await?;
    // The app process's fsyncs while typing fast, with strace attached (it slows the process,
    // so nothing above is measured under it).
    let fsyncs = if std::env::var("BENCH_STRACE").is_ok_and(|v| v == "1") {
        let pid = app_pid(&data_dir).context("the app process")?;
        let out = root.path().join("strace.txt");
        let mut strace = strace_syncs(pid, &out)?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let (_, typing_s) = typing_saves(&app, &editor, &typed, gap).await?;
        std::process::Command::new("kill")
            .args(["-INT", &strace.id().to_string()])
            .status()?;
        strace.wait()?;
        let summary = std::fs::read_to_string(&out).unwrap_or_default();
        let calls = synced_calls(&summary);
        // The typing plus the second after it, in which the last saves are made durable.
        let seconds = typing_s + 1.0;
        serde_json::json!({"calls": calls, "seconds": seconds, "per_minute": (calls as f64 / seconds * 60.0).round()})
    } else {
        serde_json::Value::Null
    };
    let tail = app.client.execute("const t = document.querySelector('[data-testid=body-editor]').textContent; return [t.slice(-60), window.__queue.length, document.activeElement.className];", vec![]).await?;
    anyhow::ensure!(!sorted.is_empty(), "no keystroke was measured; {tail}");
    let report = serde_json::json!({
        "local_articles": articles,
        "cold_start_to_editable_ms": cold_start.as_millis(),
        "cold_start_steps_ms": {
            "webdriver_session": launched.as_millis(),
            "unlock_form_drawn": unlock_form.as_millis(),
            "unlocked": unlocked.as_millis(),
            "list_drawn": listed.as_millis(),
            "article_open": cold_start.as_millis(),
        },
        "rss_mib_app_and_webkit": rss_mib,
        "resident_mib_counted_once": mib(resident_once * 4),
        "keystrokes_typed_letters": typed.chars().filter(char::is_ascii_alphabetic).count(),
        "key_gap_ms": gap,
        "phonetic_preview_ipc_round_trip_ms": ipc_ms,
        "pss_mib_app_and_webkit": pss_mib,
        "rss_mib_of_system_libraries_summed": library_rss_mib,
        "rss_mib_summed_without_system_libraries": ((rss_mib - library_rss_mib) * 10.0).round() / 10.0,
        "memory_by_process": by_process,
        "keystrokes_measured": sorted.len(),
        "body_words": body_words,
        "keystroke_to_echo_frame_ms": {
            "p50": percentile(&echo, 0.5),
            "p95": percentile(&echo, 0.95),
        },
        "keystroke_to_bengali_in_the_document_ms": {
            "p50": percentile(&shown, 0.5),
            "p95": percentile(&shown, 0.95),
        },
        "known_words_keystroke_to_paint_ms": {
            "p50": percentile(&known_paint, 0.5),
            "p95": percentile(&known_paint, 0.95),
            "keystrokes": known_paint.len(),
        },
        "known_words_own_paragraph_keystroke_to_paint_ms": {
            "p50": percentile(&known_own_paint, 0.5),
            "p95": percentile(&known_own_paint, 0.95),
            "keystrokes": known_own_paint.len(),
        },
        "keystroke_to_paint_ms": {
            "p50": percentile(&sorted, 0.5),
            "p95": percentile(&sorted, 0.95),
            "max": sorted[sorted.len() - 1],
        },
        "saves_typing_fast": saves_fast,
        "saves_typing_slow": saves_slow,
        "app_process_fsyncs_typing_fast": fsyncs,
    });
    println!("{}", serde_json::to_string_pretty(&report)?);
    app.close().await
}
