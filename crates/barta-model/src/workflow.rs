//! The workflow rules as one pure table: which role may take which action in which state, and
//! the state that results. The server enforces it; the client uses it to show what is possible.
//! Ownership and desk membership are checked by the caller (the table knows roles only).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use ts_rs::TS;

/// Where an article is in the newsroom's workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WorkflowState {
    Draft,
    Submitted,
    InProgress,
    Returned,
    Approved,
    Scheduled,
    Published,
    Corrected,
    Unpublished,
    Killed,
    Spiked,
}

/// Whether the local copy has reached the server. Separate from the workflow state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SyncState {
    LocalOnly,
    Pending,
    Synced,
    Conflict,
    Rejected,
}

/// A workflow action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Submit,
    Take,
    Return,
    Approve,
    Schedule,
    Publish,
    Correct,
    Unpublish,
    Kill,
    Spike,
    Unspike,
}

/// A user's role on the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Reporter,
    Editor,
    Admin,
}

use Action as A;
use WorkflowState as S;

/// The rules table: (action, states it applies in, roles allowed, resulting state).
pub const RULES: &[(Action, &[WorkflowState], &[Role], WorkflowState)] = &[
    (
        A::Submit,
        &[S::Draft, S::Returned],
        &[Role::Reporter, Role::Editor],
        S::Submitted,
    ),
    (A::Take, &[S::Submitted], &[Role::Editor], S::InProgress),
    (
        A::Return,
        &[S::Submitted, S::InProgress, S::Approved],
        &[Role::Editor],
        S::Returned,
    ),
    (
        A::Approve,
        &[S::Submitted, S::InProgress, S::Approved],
        &[Role::Editor],
        S::Approved,
    ),
    (A::Schedule, &[S::Approved], &[Role::Editor], S::Scheduled),
    (
        A::Publish,
        &[S::Approved, S::Scheduled],
        &[Role::Editor],
        S::Published,
    ),
    (
        A::Correct,
        &[S::Published, S::Corrected],
        &[Role::Editor],
        S::Corrected,
    ),
    (
        A::Unpublish,
        &[S::Published, S::Corrected],
        &[Role::Editor],
        S::Unpublished,
    ),
    (
        A::Kill,
        &[S::Published, S::Corrected, S::Unpublished],
        &[Role::Editor],
        S::Killed,
    ),
    (
        A::Spike,
        &[S::Draft, S::Submitted, S::InProgress, S::Returned],
        &[Role::Reporter, Role::Editor],
        S::Spiked,
    ),
    (
        A::Unspike,
        &[S::Spiked],
        &[Role::Reporter, Role::Editor],
        S::Draft,
    ),
];

/// Why the table refused an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("a {role} may not {action} an article")]
    RoleNotAllowed { role: Role, action: Action },
    #[error("cannot {action} an article that is {state}")]
    WrongState {
        state: WorkflowState,
        action: Action,
    },
}

/// The state after `action` by `role` in `state`, or why it is refused.
pub fn transition(
    state: WorkflowState,
    action: Action,
    role: Role,
) -> Result<WorkflowState, TransitionError> {
    let (_, from, roles, to) = RULES
        .iter()
        .find(|(a, ..)| *a == action)
        .expect("every action has a rule");
    if !roles.contains(&role) {
        return Err(TransitionError::RoleNotAllowed { role, action });
    }
    if !from.contains(&state) {
        return Err(TransitionError::WrongState { state, action });
    }
    Ok(*to)
}

/// Every action `role` may take in `state`, by the table alone.
pub fn allowed_actions(state: WorkflowState, role: Role) -> Vec<Action> {
    RULES
        .iter()
        .filter(|(_, from, roles, _)| from.contains(&state) && roles.contains(&role))
        .map(|(a, ..)| *a)
        .collect()
}

/// How one user stands to one article: what, beyond the table, decides their actions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
    pub role: Role,
    /// The user wrote the article.
    pub is_author: bool,
    /// The article's desk is one of the user's desks.
    pub on_their_desk: bool,
}

impl Standing {
    /// May the user write the article at all? The server's rule (`policy::may_write`):
    /// reporters their own articles, editors their desks' articles, admins none.
    pub fn may_write(self) -> bool {
        match self.role {
            Role::Reporter => self.is_author,
            Role::Editor => self.on_their_desk,
            Role::Admin => false,
        }
    }
}

/// The actions this user may take on an article in `state` now: the table's for their role,
/// if they may write the article at all. What the app shows; the server refuses the rest.
pub fn actions_for(state: WorkflowState, standing: Standing) -> Vec<Action> {
    if standing.may_write() {
        allowed_actions(state, standing.role)
    } else {
        Vec::new()
    }
}

macro_rules! text_enum {
    ($ty:ty { $($variant:ident = $text:literal),* $(,)? }) => {
        impl $ty {
            /// Every value, in declaration order.
            pub const ALL: &'static [$ty] = &[$(<$ty>::$variant),*];
            /// The wire (snake_case) name.
            pub fn as_str(self) -> &'static str {
                match self { $(<$ty>::$variant => $text),* }
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl FromStr for $ty {
            type Err = UnknownName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s { $($text => Ok(<$ty>::$variant),)* _ => Err(UnknownName(s.to_string())) }
            }
        }
    };
}

/// A name that is not one of an enum's wire names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown name {0:?}")]
pub struct UnknownName(pub String);

text_enum!(WorkflowState {
    Draft = "draft", Submitted = "submitted", InProgress = "in_progress", Returned = "returned",
    Approved = "approved", Scheduled = "scheduled", Published = "published",
    Corrected = "corrected", Unpublished = "unpublished", Killed = "killed", Spiked = "spiked",
});
text_enum!(SyncState {
    LocalOnly = "local_only", Pending = "pending", Synced = "synced", Conflict = "conflict",
    Rejected = "rejected",
});
text_enum!(Action {
    Submit = "submit", Take = "take", Return = "return", Approve = "approve",
    Schedule = "schedule", Publish = "publish", Correct = "correct", Unpublish = "unpublish",
    Kill = "kill", Spike = "spike", Unspike = "unspike",
});
text_enum!(Role { Reporter = "reporter", Editor = "editor", Admin = "admin" });

#[cfg(test)]
mod tests {
    use super::*;

    /// The expected table written out by hand, row by row, so a change to RULES must be made
    /// twice on purpose.
    fn expected(state: WorkflowState, action: Action, role: Role) -> Option<WorkflowState> {
        let editor = role == Role::Editor;
        let writer = matches!(role, Role::Reporter | Role::Editor);
        match (action, state) {
            (A::Submit, S::Draft | S::Returned) if writer => Some(S::Submitted),
            (A::Take, S::Submitted) if editor => Some(S::InProgress),
            (A::Return, S::Submitted | S::InProgress | S::Approved) if editor => Some(S::Returned),
            (A::Approve, S::Submitted | S::InProgress | S::Approved) if editor => Some(S::Approved),
            (A::Schedule, S::Approved) if editor => Some(S::Scheduled),
            (A::Publish, S::Approved | S::Scheduled) if editor => Some(S::Published),
            (A::Correct, S::Published | S::Corrected) if editor => Some(S::Corrected),
            (A::Unpublish, S::Published | S::Corrected) if editor => Some(S::Unpublished),
            (A::Kill, S::Published | S::Corrected | S::Unpublished) if editor => Some(S::Killed),
            (A::Spike, S::Draft | S::Submitted | S::InProgress | S::Returned) if writer => {
                Some(S::Spiked)
            }
            (A::Unspike, S::Spiked) if writer => Some(S::Draft),
            _ => None,
        }
    }

    #[test]
    fn every_state_action_and_role() {
        let mut allowed = 0;
        for &state in WorkflowState::ALL {
            for &action in Action::ALL {
                for &role in Role::ALL {
                    let got = transition(state, action, role).ok();
                    assert_eq!(
                        got,
                        expected(state, action, role),
                        "{state} {action} {role}"
                    );
                    allowed += got.is_some() as usize;
                    assert_eq!(
                        allowed_actions(state, role).contains(&action),
                        got.is_some()
                    );
                }
            }
        }
        assert!(allowed > 20, "the table allows something");
    }

    #[test]
    fn refusals_say_why() {
        assert_eq!(
            transition(S::Submitted, A::Approve, Role::Reporter)
                .unwrap_err()
                .to_string(),
            "a reporter may not approve an article"
        );
        assert_eq!(
            transition(S::Published, A::Submit, Role::Reporter)
                .unwrap_err()
                .to_string(),
            "cannot submit an article that is published"
        );
    }

    #[test]
    fn names_round_trip() {
        for &s in WorkflowState::ALL {
            assert_eq!(s.as_str().parse::<WorkflowState>().unwrap(), s);
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        for &a in Action::ALL {
            assert_eq!(a.as_str().parse::<Action>().unwrap(), a);
        }
        assert!("boss".parse::<Role>().is_err());
    }

    #[test]
    fn actions_for_narrows_the_table_to_who_may_write_the_article() {
        let standing = |role, is_author, on_their_desk| Standing {
            role,
            is_author,
            on_their_desk,
        };
        // A reporter's own draft: submit and spike; someone else's: nothing.
        assert_eq!(
            actions_for(S::Draft, standing(Role::Reporter, true, false)),
            vec![A::Submit, A::Spike]
        );
        assert!(actions_for(S::Draft, standing(Role::Reporter, false, true)).is_empty());
        // An editor on the article's desk gets the table's actions; off it, none.
        assert_eq!(
            actions_for(S::Submitted, standing(Role::Editor, false, true)),
            vec![A::Take, A::Return, A::Approve, A::Spike]
        );
        assert!(actions_for(S::Submitted, standing(Role::Editor, false, false)).is_empty());
        // A published article is never approved or published again.
        let published = actions_for(S::Published, standing(Role::Editor, false, true));
        assert_eq!(published, vec![A::Correct, A::Unpublish, A::Kill]);
        // Admins write no articles.
        assert!(actions_for(S::Approved, standing(Role::Admin, true, true)).is_empty());
    }
}
