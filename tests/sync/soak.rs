//! The randomized soak: devices of a reporter and an editor edit the day's live stories (new
//! stories keep arriving and replace the oldest), go offline for a while, and sync through
//! random faults. At the end (faults off, rounds until quiet) every marker any device wrote is
//! on the server, none is duplicated outside a conflict block, every device shows the server's
//! head (so every conflict is visible), and every acknowledged revision is stored.
//!
//! `BARTA_SOAK_OPS` (default 10,000) and `BARTA_SOAK_SEED` set the size and the seed; the seed
//! is printed first and again with any failure. The operations are drawn from the seed alone,
//! one after the other, so a seed replays the same run (ids and timings aside).
//!
//! Why it is fast enough to run in every CI run (debug build): every fault fails at once (no
//! stall, no backoff: one try per request), and a story is edited only while it is one of the
//! [`LIVE_STORIES`], for `LIVE_STORIES × STORY_EVERY` operations, so documents stay at a
//! couple of hundred edits and an operation costs the same at the end as at the start. With
//! three stories that grew for the whole run every operation re-read, re-hashed and re-sent
//! ever bigger documents, and the run grew with the square of its length.

use crate::{Device, Rig};
use barta_model::{ArticleId, Block, Document};
use barta_store::StoreError;
use barta_sync::SyncOutcome;
use barta_tests::{CAPTIVE_PORTAL, EDITOR, Fault, REPORTER};
use std::collections::HashMap;
use std::time::Instant;

/// Operations when `BARTA_SOAK_OPS` is unset.
const DEFAULT_OPS: usize = 10_000;
/// The seed when `BARTA_SOAK_SEED` is unset.
const DEFAULT_SEED: u64 = 0x5eed_ba27a;
/// Stories edited at the same time: every edit picks one of them, so devices clash often.
const LIVE_STORIES: usize = 3;
/// Every this many operations a reporter files a new story, which replaces the oldest live one.
const STORY_EVERY: usize = 250;
/// The longest offline period, in operations.
const MAX_OFFLINE: usize = 300;

/// xorshift64*: small, seedable, good enough to pick faults and edits.
struct Rng(u64);

impl Rng {
    /// A generator for `seed`: distinct seeds give distinct streams (the state is the
    /// splitmix64 mix of the seed, never 0, which xorshift cannot leave).
    fn new(seed: u64) -> Self {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)).max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn random_fault(rng: &mut Rng) -> Fault {
    match rng.below(8) {
        0 => Fault::CutResponse(rng.below(400)),
        1 => Fault::CutRequest(rng.below(400)),
        2 => Fault::Reset,
        3 => Fault::CaptivePortal,
        4 => Fault::Respond(
            b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: 46\r\nconnection: close\r\n\r\n{\"error\":{\"code\":\"internal\",\"message\":\"x\"}}"
                .to_vec(),
        ),
        5 => Fault::Respond(CAPTIVE_PORTAL.to_vec()),
        _ => Fault::Pass,
    }
}

/// Appends `marker` to a random paragraph (conflict blocks are left for people) or adds a
/// new paragraph holding it.
fn edit(body: &mut Document, marker: &str, rng: &mut Rng, new_id: &str) {
    let paragraphs: Vec<usize> = body
        .content
        .iter()
        .enumerate()
        .filter(|(_, b)| {
            b.kind == "paragraph"
                && b.content
                    .iter()
                    .flatten()
                    .all(|c| c.kind == "text" && c.marks.is_none())
        })
        .map(|(i, _)| i)
        .collect();
    if paragraphs.is_empty() || rng.below(4) == 0 {
        let at = rng.below(body.content.len() + 1);
        body.content.insert(at, Block::paragraph(new_id, marker));
        return;
    }
    let i = paragraphs[rng.below(paragraphs.len())];
    let text = format!("{} {marker}", body.content[i].plain_text());
    let attrs = body.content[i].attrs.clone();
    body.content[i] = Block {
        attrs,
        ..Block::paragraph("x", text.trim())
    };
}

#[test]
fn distinct_seeds_give_distinct_runs() {
    let first = |seed| Rng::new(seed).next();
    assert_ne!(first(2), first(3));
    assert_ne!(first(0), first(1));
    assert_ne!(Rng::new(0).0, 0);
}

fn count_outside_conflicts(doc: &Document, marker: &str) -> usize {
    doc.content
        .iter()
        .filter(|b| b.kind != "conflict")
        .map(|b| b.plain_text().matches(marker).count())
        .sum()
}

/// What the run did, printed at the end.
#[derive(Debug, Default)]
struct Tally {
    /// Save points with a new marker.
    edits: usize,
    /// Edits drawn for a device that has none of the live stories yet (nothing to edit).
    not_yet_received: usize,
    stories: usize,
    offline_periods: usize,
    /// Sync rounds drawn for a device that was offline (nothing sent).
    offline_skips: usize,
    rounds: usize,
    /// Rounds that stopped early on a fault (their rows stayed queued).
    failed_rounds: usize,
    faults: usize,
    synced: SyncOutcome,
}

impl Tally {
    fn add(&mut self, o: &SyncOutcome) {
        let t = &mut self.synced;
        t.pushed += o.pushed;
        t.conflicts += o.conflicts;
        t.merges += o.merges;
        t.changes_applied += o.changes_applied;
        t.parents_fetched += o.parents_fetched;
        t.rejected += o.rejected;
    }
}

/// Prints the seed when the soak panics, so a failed assertion can be replayed.
struct SeedOnPanic(u64);

impl Drop for SeedOnPanic {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "soak FAILED with seed {0}: BARTA_SOAK_SEED={0} to repeat",
                self.0
            );
        }
    }
}

#[tokio::test]
async fn soak_many_devices_random_faults_and_offline_periods() -> anyhow::Result<()> {
    let ops: usize = std::env::var("BARTA_SOAK_OPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_OPS);
    let seed: u64 = std::env::var("BARTA_SOAK_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_SEED);
    eprintln!("soak: {ops} operations, seed {seed} (BARTA_SOAK_SEED={seed} to repeat)");
    let _seed_on_panic = SeedOnPanic(seed);
    soak(ops, seed).await.map_err(|e| {
        e.context(format!(
            "soak failed with seed {seed}: BARTA_SOAK_SEED={seed}"
        ))
    })
}

async fn soak(ops: usize, seed: u64) -> anyhow::Result<()> {
    let start = Instant::now();
    let mut rng = Rng::new(seed);
    let rig = Rig::start().await?;
    let mut devices = Vec::new();
    for user in [REPORTER, REPORTER, REPORTER, EDITOR, EDITOR] {
        devices.push(Device::new(&rig.server, &rig.proxy.url, user).await?);
    }
    let reporters: Vec<usize> = (0..devices.len())
        .filter(|&d| devices[d].user.username == REPORTER.username)
        .collect();
    let mut offline_until = vec![0usize; devices.len()];
    let mut tally = Tally::default();
    // The first stories, written by the first device and synced to the others.
    let mut articles: Vec<ArticleId> = (0..LIVE_STORIES)
        .map(|a| devices[0].write_new(&format!("প্রতিবেদন {a}"), &[("b0", "শুরু")]))
        .collect();
    let mut live = articles.clone();
    for d in devices.iter_mut() {
        d.sync().await?;
    }
    let mut markers: HashMap<String, ArticleId> = HashMap::new();
    for op in 0..ops {
        if op > 0 && op % 1000 == 0 {
            eprintln!("soak: {op} operations after {:.0?}", start.elapsed());
        }
        if op > 0 && op % STORY_EVERY == 0 {
            // A reporter files a new story; the oldest live one is no longer edited.
            let who = reporters[rng.below(reporters.len())];
            let id = devices[who].write_new(&format!("প্রতিবেদন {op}"), &[("b0", "শুরু")]);
            articles.push(id);
            live.remove(0);
            live.push(id);
            tally.stories += 1;
            continue;
        }
        let who = rng.below(devices.len());
        if rng.below(10) < 7 {
            // A local edit and a save point, to the drawn live story or, when this device
            // has not received that one yet, the next live story it has.
            let first = rng.below(live.len());
            let marker = format!("m{op}x");
            let device = &devices[who];
            let author = device.user.username;
            let mut r = Rng::new(rng.next());
            let edited = device.with(|s| -> anyhow::Result<Option<ArticleId>> {
                for k in 0..live.len() {
                    let article = live[(first + k) % live.len()];
                    let draft = match s.load_article(article) {
                        Ok(draft) => draft,
                        // Filed by a device that has not synced it yet, or not pulled here yet.
                        Err(StoreError::ArticleNotFound(_)) => continue,
                        Err(e) => return Err(e.into()),
                    };
                    let mut body = draft.body;
                    edit(&mut body, &marker, &mut r, &format!("n{op}"));
                    s.save_working_copy(article, draft.meta, body)?;
                    s.save_point(article, author)?;
                    return Ok(Some(article));
                }
                Ok(None)
            })?;
            if let Some(article) = edited {
                markers.insert(marker, article);
                tally.edits += 1;
            } else {
                tally.not_yet_received += 1;
            }
        } else if op >= offline_until[who] {
            if rng.below(10) == 0 {
                offline_until[who] = op + rng.below(MAX_OFFLINE);
                tally.offline_periods += 1;
                continue;
            }
            for _ in 0..rng.below(3) {
                rig.proxy.then([random_fault(&mut rng)]);
                tally.faults += 1;
            }
            // A failed round is expected under faults: the rows stay queued.
            match devices[who].sync().await {
                Ok(outcome) => tally.add(&outcome),
                Err(_) => tally.failed_rounds += 1,
            }
            rig.proxy.clear();
            tally.rounds += 1;
        } else {
            tally.offline_skips += 1;
        }
    }
    let loop_time = start.elapsed();

    // Faults off, everyone online: rounds until nobody has anything to send or merge.
    for pass in 0.. {
        anyhow::ensure!(pass < 12, "no quiet pass after 12");
        let mut busy = false;
        for d in devices.iter_mut() {
            let outcome = d.sync().await?;
            busy |= outcome.pushed + outcome.merges > 0;
            tally.add(&outcome);
        }
        if !busy {
            break;
        }
    }
    let mut total_conflicts = 0;
    let mut by_article: HashMap<ArticleId, Vec<&str>> = HashMap::new();
    for (marker, article) in &markers {
        by_article.entry(*article).or_default().push(marker);
    }
    for &article in &articles {
        let head = rig.article(article).await?.head_revision;
        head.body.validate()?;
        let text = crate::all_text(&head.body);
        for marker in by_article.get(&article).into_iter().flatten() {
            assert!(text.contains(marker), "{marker} lost");
            assert!(
                count_outside_conflicts(&head.body, marker) <= 1,
                "{marker} duplicated"
            );
        }
        total_conflicts += head
            .body
            .content
            .iter()
            .filter(|b| b.kind == "conflict")
            .count();
        let history = rig.history(article).await?;
        for d in &devices {
            assert_eq!(d.pending(), 0);
            let draft = d.with(|s| s.load_article(article))?;
            assert_eq!(draft.body, head.body, "a device shows the head");
            for (rev, status) in d.with(|s| s.outbox_statuses(article))? {
                if status == "done" {
                    assert!(
                        history.iter().any(|r| r.id == rev),
                        "acknowledged {rev} is stored"
                    );
                }
            }
        }
    }
    eprintln!(
        "soak: {ops} operations in {:.1?} (checks included: {:.1?}); {} markers in {} stories, \
         {total_conflicts} conflict blocks visible; {tally:?}",
        loop_time,
        start.elapsed(),
        markers.len(),
        articles.len(),
    );
    if ops >= 1_000 {
        // A run this long must have met every kind of trouble, or it proved nothing.
        assert!(tally.failed_rounds > 0, "no round failed: {tally:?}");
        assert!(tally.synced.merges > 0, "no merge: {tally:?}");
        assert!(total_conflicts > 0, "no conflict block: {tally:?}");
        assert!(tally.offline_periods > 0, "nobody went offline: {tally:?}");
    }
    Ok(())
}
