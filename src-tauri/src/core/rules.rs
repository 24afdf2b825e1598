//! The workflow rules as the UI sees them: every article summary that leaves the app carries
//! the actions the logged-in user may take on it now, from `barta_model::workflow` (the table
//! the server enforces, with the same ownership and desk rule). The UI holds no rule of its own.

use super::App;
use barta_model::api::UserInfo;
use barta_model::workflow::{Standing, actions_for};
use barta_store::{ArticleDraft, ArticleSummary};

/// The actions `user` may take on the article `summary` describes.
pub fn allowed_for(user: &UserInfo, summary: &ArticleSummary) -> Vec<barta_model::Action> {
    actions_for(
        summary.state,
        Standing {
            role: user.role,
            is_author: summary.author == user.username,
            on_their_desk: user.desks.contains(&summary.desk),
        },
    )
}

impl App {
    /// `summary` with the logged-in user's actions (none when nobody is logged in).
    pub(super) fn with_actions(&self, mut summary: ArticleSummary) -> ArticleSummary {
        summary.allowed_actions = match self.session() {
            Some(session) => allowed_for(&session.user, &summary),
            None => Vec::new(),
        };
        summary
    }

    /// `draft` with the logged-in user's actions on it.
    pub(super) fn draft_with_actions(&self, mut draft: ArticleDraft) -> ArticleDraft {
        draft.summary = self.with_actions(draft.summary);
        draft
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use barta_model::{Action, Role, UserId, WorkflowState};

    fn summary(author: &str, desk: &str, state: WorkflowState) -> ArticleSummary {
        ArticleSummary {
            id: barta_model::ArticleId::new(),
            headline: "শিরোনাম".into(),
            desk: desk.into(),
            author: author.into(),
            state,
            sync_state: barta_model::SyncState::Synced,
            note: None,
            last_error: None,
            last_error_code: None,
            updated_at: String::new(),
            created_at: String::new(),
            words: 0,
            urgency: None,
            conflicts: 0,
            allowed_actions: Vec::new(),
        }
    }

    pub(super) fn user(name: &str, role: Role, desks: &[&str]) -> UserInfo {
        UserInfo {
            id: UserId::new(),
            username: name.into(),
            role,
            desks: desks.iter().map(|d| d.to_string()).collect(),
        }
    }

    #[test]
    fn reporters_act_on_their_own_articles_and_editors_on_their_desks() {
        let rina = user("rina", Role::Reporter, &["national"]);
        let desk = user("desk", Role::Editor, &["national"]);
        let own = summary("rina", "sports", WorkflowState::Returned);
        assert_eq!(
            allowed_for(&rina, &own),
            vec![Action::Submit, Action::Spike]
        );
        let someone_elses = summary("karim", "national", WorkflowState::Draft);
        assert!(allowed_for(&rina, &someone_elses).is_empty());
        let published = summary("rina", "national", WorkflowState::Published);
        assert!(allowed_for(&rina, &published).is_empty());
        assert_eq!(
            allowed_for(&desk, &published),
            vec![Action::Correct, Action::Unpublish, Action::Kill]
        );
        assert!(allowed_for(&desk, &own).is_empty(), "not the editor's desk");
    }
}
