//! Soft presence: who has an article open right now, from the clients' heartbeats. Best effort
//! by design: it is never a lock, and an entry fades when its heartbeats stop. This is the
//! in-memory book a SQLite newsroom's one server keeps (lost on restart); on PostgreSQL the
//! same rules run over a table every instance sees (`store/postgres/presence.rs`).

use barta_model::api::{PresenceEntry, UserInfo};
use barta_model::{ArticleId, UserId};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long an entry lives without a heartbeat (clients beat every ~20 s).
pub const PRESENCE_TTL: Duration = Duration::from_secs(60);

#[derive(Clone, Debug)]
struct Seen {
    username: String,
    role: barta_model::Role,
    since: String,
    last: Instant,
}

/// Everyone's open articles.
#[derive(Debug, Default)]
pub struct Presence {
    open: Mutex<HashMap<ArticleId, HashMap<UserId, Seen>>>,
}

impl Presence {
    /// Records that `user` has `article` open (now), drops stale entries, and answers who else
    /// has it open, longest first.
    pub fn beat(&self, article: ArticleId, user: &UserInfo, now: Instant) -> Vec<PresenceEntry> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let here = open.entry(article).or_default();
        here.retain(|_, seen| now.duration_since(seen.last) < PRESENCE_TTL);
        here.entry(user.id)
            .and_modify(|seen| seen.last = now)
            .or_insert_with(|| Seen {
                username: user.username.clone(),
                role: user.role,
                since: crate::store::timestamp(chrono::Utc::now()),
                last: now,
            });
        let mut others: Vec<PresenceEntry> = here
            .iter()
            .filter(|(id, _)| **id != user.id)
            .map(|(_, seen)| PresenceEntry {
                username: seen.username.clone(),
                role: seen.role,
                since: seen.since.clone(),
            })
            .collect();
        others.sort_by(|a, b| a.since.cmp(&b.since).then(a.username.cmp(&b.username)));
        others
    }

    /// `user` closed `article`.
    pub fn leave(&self, article: ArticleId, user: &UserInfo) {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(here) = open.get_mut(&article) {
            here.remove(&user.id);
            if here.is_empty() {
                open.remove(&article);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use barta_model::Role;

    fn user(name: &str) -> UserInfo {
        UserInfo {
            id: UserId::new(),
            username: name.into(),
            role: Role::Editor,
            desks: vec!["national".into()],
        }
    }

    #[test]
    fn others_are_shown_and_fade_without_heartbeats() {
        let presence = Presence::default();
        let article = ArticleId::new();
        let (a, b) = (user("nasrin"), user("rahim"));
        let t0 = Instant::now();
        assert!(presence.beat(article, &a, t0).is_empty());
        let seen = presence.beat(article, &b, t0 + Duration::from_secs(5));
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].username, "nasrin");
        // nasrin stops beating: gone after the TTL.
        let later = t0 + PRESENCE_TTL + Duration::from_secs(10);
        assert!(presence.beat(article, &b, later).is_empty());
        presence.beat(article, &a, later);
        presence.leave(article, &a);
        assert!(presence.beat(article, &b, later).is_empty());
    }
}
