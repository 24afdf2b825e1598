//! The randomized soak: several devices of a reporter and an editor edit shared articles,
//! go offline for a while, and sync through random faults. At the end (faults off, rounds
//! until quiet) every marker any device wrote is on the server, none is duplicated outside a
//! conflict block, every device shows the server's head (so every conflict is visible), and
//! every acknowledged revision is stored. `BARTA_SOAK_OPS` (default 300, to keep the suite short) and
//! `BARTA_SOAK_SEED` set the size and the seed; the seed is printed first.

use crate::{Device, Rig};
use barta_model::{ArticleId, Block, Document};
use barta_tests::{CAPTIVE_PORTAL, EDITOR, Fault, REPORTER};
use std::collections::HashMap;

/// xorshift64*: small, seedable, good enough to pick faults and edits.
struct Rng(u64);

impl Rng {
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

fn count_outside_conflicts(doc: &Document, marker: &str) -> usize {
    doc.content
        .iter()
        .filter(|b| b.kind != "conflict")
        .map(|b| b.plain_text().matches(marker).count())
        .sum()
}

#[tokio::test]
async fn soak_many_devices_random_faults_and_offline_periods() -> anyhow::Result<()> {
    let ops: usize = std::env::var("BARTA_SOAK_OPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let seed: u64 = std::env::var("BARTA_SOAK_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed_ba27a);
    eprintln!("soak: {ops} operations, seed {seed} (BARTA_SOAK_SEED={seed} to repeat)");
    let mut rng = Rng(seed | 1);

    let rig = Rig::start().await?;
    let mut devices = Vec::new();
    for user in [REPORTER, REPORTER, REPORTER, EDITOR, EDITOR] {
        devices.push(Device::new(&rig.server, &rig.proxy.url, user).await?);
    }
    let mut offline_until = vec![0usize; devices.len()];
    // The articles, created by the first device and synced to the others.
    let mut articles: Vec<ArticleId> = Vec::new();
    for a in 0..3 {
        let id = devices[0].write_new(&format!("প্রতিবেদন {a}"), &[("b0", "শুরু")]);
        articles.push(id);
    }
    devices[0].sync().await?;
    for d in devices.iter_mut().skip(1) {
        d.sync().await?;
    }
    let mut markers: HashMap<String, ArticleId> = HashMap::new();
    let mut syncs = 0;
    for op in 0..ops {
        let who = rng.below(devices.len());
        if rng.below(10) < 7 {
            // A local edit and a save point.
            let article = articles[rng.below(articles.len())];
            let marker = format!("m{op}x");
            let device = &devices[who];
            let author = device.user.username;
            let mut r = Rng(rng.next() | 1);
            device.with(|s| -> anyhow::Result<()> {
                let draft = s.load_article(article)?;
                let mut body = draft.body;
                edit(&mut body, &marker, &mut r, &format!("n{op}"));
                s.save_working_copy(article, draft.meta, body)?;
                s.save_point(article, author)?;
                Ok(())
            })?;
            markers.insert(marker, article);
        } else if op >= offline_until[who] {
            if rng.below(10) == 0 {
                offline_until[who] = op + rng.below(300);
                continue;
            }
            for _ in 0..rng.below(3) {
                rig.proxy.then([random_fault(&mut rng)]);
            }
            // A failed round is expected under faults: the rows stay queued.
            let _ = devices[who].sync().await;
            rig.proxy.clear();
            syncs += 1;
        }
    }

    // Faults off, everyone online: rounds until nobody has anything to send or merge.
    for pass in 0.. {
        anyhow::ensure!(pass < 12, "no quiet pass after 12 (seed {seed})");
        let mut busy = false;
        for d in devices.iter_mut() {
            let outcome = d.sync().await?;
            busy |= outcome.pushed + outcome.merges > 0;
        }
        if !busy {
            break;
        }
    }
    let mut total_conflicts = 0;
    for &article in &articles {
        let head = rig.article(article).await?.head_revision;
        head.body.validate()?;
        let text = crate::all_text(&head.body);
        for (marker, _) in markers.iter().filter(|(_, a)| **a == article) {
            assert!(
                text.contains(marker.as_str()),
                "{marker} lost (seed {seed})"
            );
            assert!(
                count_outside_conflicts(&head.body, marker) <= 1,
                "{marker} duplicated (seed {seed})"
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
            assert_eq!(
                draft.body, head.body,
                "a device shows the head (seed {seed})"
            );
            for (rev, status) in d.with(|s| s.outbox_statuses(article))? {
                if status == "done" {
                    assert!(
                        history.iter().any(|r| r.id == rev),
                        "acknowledged {rev} is stored (seed {seed})"
                    );
                }
            }
        }
    }
    eprintln!(
        "soak: {ops} operations ({syncs} sync rounds under faults), {} markers, {total_conflicts} conflict blocks visible",
        markers.len()
    );
    Ok(())
}
