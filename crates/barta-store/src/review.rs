//! The desk editor's side of the store: the desk queues (with counts, sorting and filters),
//! what the queues show of each article (words and urgency of its newest revision), the
//! revisions last submitted and approved (for "changes since submission" and "approved ≠
//! current"), and workflow actions queued for the server.

use crate::store::{SUMMARY_SELECT, parse, summary_row};
use crate::{ArticleSummary, Store, StoreError};
use barta_model::workflow::{Action, WorkflowState};
use barta_model::{ArticleId, ArticleMeta, Document, RevisionId};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The desk queues an editor works through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DeskQueue {
    /// Submitted, waiting for an editor.
    Incoming,
    /// Taken by an editor, or returned to the reporter.
    InProgress,
    /// Approved or scheduled.
    Approved,
    /// Published, corrected.
    Published,
}

impl DeskQueue {
    pub const ALL: [DeskQueue; 4] = [
        DeskQueue::Incoming,
        DeskQueue::InProgress,
        DeskQueue::Approved,
        DeskQueue::Published,
    ];

    /// The workflow states the queue holds.
    pub fn states(self) -> &'static [WorkflowState] {
        use WorkflowState as S;
        match self {
            DeskQueue::Incoming => &[S::Submitted],
            DeskQueue::InProgress => &[S::InProgress, S::Returned],
            DeskQueue::Approved => &[S::Approved, S::Scheduled],
            DeskQueue::Published => &[S::Published, S::Corrected],
        }
    }
}

/// How a queue is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum QueueSort {
    /// Most recently changed first.
    #[default]
    Newest,
    /// Waiting longest first (oldest created).
    Oldest,
    /// Most urgent first (1 before 5, unset last), then newest.
    Urgency,
    /// Longest first.
    Words,
}

/// One queue, sorted and filtered.
#[derive(Clone, Debug, Deserialize, TS)]
pub struct QueueQuery {
    pub queue: DeskQueue,
    /// Only these desks (the caller passes the user's desks when empty).
    #[serde(default)]
    pub desks: Vec<String>,
    #[serde(default)]
    pub sort: QueueSort,
    /// Only this reporter.
    #[serde(default)]
    pub author: Option<String>,
    /// Only urgency 1..=this.
    #[serde(default)]
    pub max_urgency: Option<u8>,
    /// At most this many rows (the counts are always whole).
    #[serde(default)]
    pub limit: Option<u32>,
}

/// How many articles wait in a queue.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct QueueCount {
    pub queue: DeskQueue,
    pub count: i64,
}

/// Records what the queues show of an article's newest content.
pub(crate) fn note_content(
    tx: &Transaction<'_>,
    id: &str,
    meta: &ArticleMeta,
    body: &Document,
) -> Result<(), StoreError> {
    let words =
        bangla::count::word_count(&meta.headline) + bangla::count::word_count(&body.plain_text());
    let conflicts = body
        .content
        .iter()
        .filter(|b| b.kind == barta_model::merge::CONFLICT_TYPE)
        .count();
    tx.execute(
        "UPDATE articles SET words = ?2, urgency = ?3, conflicts = ?4 WHERE id = ?1",
        params![
            id,
            words as i64,
            meta.urgency.map(|u| u.0),
            conflicts as i64
        ],
    )?;
    Ok(())
}

/// Records the revision a state change was about: a submission starts "changes since
/// submission", an approval pins the approved version. A returned article keeps its note.
pub(crate) fn note_state(
    tx: &Transaction<'_>,
    id: &str,
    state: WorkflowState,
    head: &str,
    note: Option<&str>,
) -> Result<(), StoreError> {
    match state {
        WorkflowState::Submitted => {
            tx.execute(
                "UPDATE articles SET submitted_rev = ?2 WHERE id = ?1",
                params![id, head],
            )?;
        }
        WorkflowState::Approved | WorkflowState::Scheduled => {
            tx.execute(
                "UPDATE articles SET approved_rev = COALESCE(?3, approved_rev) WHERE id = ?1
                 AND (?2 = 'approved' OR approved_rev IS NULL)",
                params![
                    id,
                    state.as_str(),
                    (state == WorkflowState::Approved).then_some(head)
                ],
            )?;
        }
        _ => {}
    }
    if let Some(note) = note {
        tx.execute(
            "UPDATE articles SET note = ?2 WHERE id = ?1",
            params![id, note],
        )?;
    }
    Ok(())
}

impl Store {
    /// The revisions last submitted and last approved.
    pub(crate) fn review_revisions(
        &self,
        id: ArticleId,
    ) -> Result<(Option<RevisionId>, Option<RevisionId>), StoreError> {
        let (submitted, approved): (Option<String>, Option<String>) = self
            .conn
            .query_row(
                "SELECT submitted_rev, approved_rev FROM articles WHERE id = ?1",
                [id.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or(StoreError::ArticleNotFound(id))?;
        Ok((
            submitted.map(|r| parse(&r, "revision id")).transpose()?,
            approved.map(|r| parse(&r, "revision id")).transpose()?,
        ))
    }

    /// The server approved `rev` of the article (the exact version the editor saw).
    pub fn set_approved(
        &mut self,
        id: ArticleId,
        rev: RevisionId,
        state: WorkflowState,
    ) -> Result<(), StoreError> {
        let n = self.conn.execute(
            "UPDATE articles SET approved_rev = ?2, state = ?3 WHERE id = ?1",
            params![id.to_string(), rev.to_string(), state.as_str()],
        )?;
        if n == 0 {
            return Err(StoreError::ArticleNotFound(id));
        }
        Ok(())
    }

    /// Queues a workflow action by `actor` (a save point first, then the action on the head,
    /// both in the outbox): return with a note, take, spike… Works offline.
    pub fn queue_transition(
        &mut self,
        id: ArticleId,
        actor: &str,
        action: Action,
        note: Option<&str>,
    ) -> Result<RevisionId, StoreError> {
        if matches!(action, Action::Approve | Action::Schedule | Action::Publish) {
            return Err(StoreError::InvalidAction(format!(
                "{} is done online on an exact version, never queued",
                action.as_str()
            )));
        }
        let to = barta_model::workflow::RULES
            .iter()
            .find(|rule| rule.0 == action)
            .map(|rule| rule.3)
            .ok_or_else(|| StoreError::InvalidAction(format!("{action:?} cannot be queued")))?;
        let note = note
            .map(|n| bangla::normalize(n.trim()))
            .filter(|n| !n.is_empty());
        self.queue_action(id, actor, action, note.as_deref(), to)
    }

    /// One desk queue, sorted and filtered in SQL (an index on desk, state and time serves it).
    pub fn desk_queue(&self, query: &QueueQuery) -> Result<Vec<ArticleSummary>, StoreError> {
        let states: Vec<String> = query
            .queue
            .states()
            .iter()
            .map(|s| s.as_str().to_string())
            .collect();
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        let marks = |n: usize| vec!["?"; n].join(", ");
        let mut sql = format!("{SUMMARY_SELECT} WHERE state IN ({})", marks(states.len()));
        args.extend(states.into_iter().map(Into::into));
        if !query.desks.is_empty() {
            sql.push_str(&format!(" AND desk IN ({})", marks(query.desks.len())));
            args.extend(query.desks.iter().cloned().map(Into::into));
        }
        if let Some(author) = &query.author {
            sql.push_str(" AND author = ?");
            args.push(author.clone().into());
        }
        if let Some(max) = query.max_urgency {
            sql.push_str(" AND urgency IS NOT NULL AND urgency <= ?");
            args.push(i64::from(max).into());
        }
        sql.push_str(match query.sort {
            QueueSort::Newest => " ORDER BY updated_at DESC, id DESC",
            QueueSort::Oldest => " ORDER BY created_at ASC, id ASC",
            QueueSort::Urgency => {
                " ORDER BY urgency IS NULL, urgency ASC, updated_at DESC, id DESC"
            }
            QueueSort::Words => " ORDER BY words DESC, updated_at DESC, id DESC",
        });
        sql.push_str(&format!(" LIMIT {}", query.limit.unwrap_or(500).min(5000)));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), summary_row)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row??);
        }
        Ok(out)
    }

    /// The ids and headlines of the submitted articles on these desks (all when empty), to
    /// tell new arrivals after a sync.
    pub fn incoming(&self, desks: &[String]) -> Result<Vec<(ArticleId, String)>, StoreError> {
        let mut sql = "SELECT id, headline FROM articles WHERE state = 'submitted'".to_string();
        if !desks.is_empty() {
            sql.push_str(&format!(
                " AND desk IN ({})",
                vec!["?"; desks.len()].join(", ")
            ));
        }
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(desks), |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|(id, headline)| Ok((parse(&id, "article id")?, headline)))
            .collect()
    }

    /// How many articles each queue holds on these desks (all desks when empty).
    pub fn queue_counts(&self, desks: &[String]) -> Result<Vec<QueueCount>, StoreError> {
        let mut sql = "SELECT state, COUNT(*) FROM articles".to_string();
        if !desks.is_empty() {
            sql.push_str(&format!(
                " WHERE desk IN ({})",
                vec!["?"; desks.len()].join(", ")
            ));
        }
        sql.push_str(" GROUP BY state");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let by_state = stmt
            .query_map(rusqlite::params_from_iter(desks), |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(DeskQueue::ALL
            .iter()
            .map(|&queue| QueueCount {
                queue,
                count: by_state
                    .iter()
                    .filter(|(s, _)| queue.states().iter().any(|q| q.as_str() == s))
                    .map(|(_, n)| n)
                    .sum(),
            })
            .collect())
    }
}
