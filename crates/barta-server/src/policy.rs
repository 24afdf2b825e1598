//! Who may touch which article: the pure ownership and desk rules every [`crate::Store`]
//! implementation applies inside its transactions (the workflow table itself is
//! `barta_model::workflow`). No I/O.
//!
//! - **reporter**: their own articles only (read, write, their workflow actions); may file to
//!   any existing desk.
//! - **editor**: the articles of their desks (read, write, workflow); may move an article only
//!   to one of their desks.
//! - **admin**: reads everything, writes no articles (admins manage users and desks).

use barta_model::api::UserInfo;
use barta_model::{Role, UserId};

/// The facts about an article that access depends on.
#[derive(Clone, Copy, Debug)]
pub struct ArticleFacts<'a> {
    pub desk: &'a str,
    pub author_id: UserId,
}

/// Why access was refused (the message a 403 carries).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Denial {
    #[error("a reporter may only work on their own articles")]
    NotOwner,
    #[error("this article belongs to desk {0:?}, which is not one of yours")]
    NotYourDesk(String),
    #[error("admins manage users and desks; they do not write articles")]
    AdminCannotWrite,
    #[error("only the desk's editors may do this")]
    EditorsOnly,
}

/// May `actor` read this article?
pub fn may_read(actor: &UserInfo, article: ArticleFacts<'_>) -> Result<(), Denial> {
    match actor.role {
        Role::Admin => Ok(()),
        _ => may_write(actor, article),
    }
}

/// May `actor` write this article (push revisions, take workflow actions)?
pub fn may_write(actor: &UserInfo, article: ArticleFacts<'_>) -> Result<(), Denial> {
    match actor.role {
        Role::Reporter if article.author_id == actor.id => Ok(()),
        Role::Reporter => Err(Denial::NotOwner),
        Role::Editor if actor.desks.iter().any(|d| d == article.desk) => Ok(()),
        Role::Editor => Err(Denial::NotYourDesk(article.desk.to_string())),
        Role::Admin => Err(Denial::AdminCannotWrite),
    }
}

/// May `actor` create an article on `desk`, or move one there?
pub fn may_file_to(actor: &UserInfo, desk: &str) -> Result<(), Denial> {
    match actor.role {
        Role::Reporter => Ok(()),
        Role::Editor if actor.desks.iter().any(|d| d == desk) => Ok(()),
        Role::Editor => Err(Denial::NotYourDesk(desk.to_string())),
        Role::Admin => Err(Denial::AdminCannotWrite),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, desks: &[&str]) -> UserInfo {
        UserInfo {
            id: UserId::new(),
            username: "u".into(),
            role,
            desks: desks.iter().map(|d| d.to_string()).collect(),
        }
    }

    #[test]
    fn table() {
        let reporter = user(Role::Reporter, &["national"]);
        let editor = user(Role::Editor, &["national"]);
        let admin = user(Role::Admin, &[]);
        let own = ArticleFacts {
            desk: "sports",
            author_id: reporter.id,
        };
        let other_national = ArticleFacts {
            desk: "national",
            author_id: UserId::new(),
        };
        let other_sports = ArticleFacts {
            desk: "sports",
            author_id: UserId::new(),
        };

        let rows: &[(&UserInfo, ArticleFacts<'_>, bool, bool)] = &[
            // actor, article, may read, may write
            (&reporter, own, true, true),
            (&reporter, other_national, false, false),
            (&editor, other_national, true, true),
            (&editor, other_sports, false, false),
            (&admin, other_sports, true, false),
        ];
        for (i, (actor, article, read, write)) in rows.iter().enumerate() {
            assert_eq!(may_read(actor, *article).is_ok(), *read, "row {i} read");
            assert_eq!(may_write(actor, *article).is_ok(), *write, "row {i} write");
        }
        assert!(may_file_to(&reporter, "sports").is_ok());
        assert!(may_file_to(&editor, "national").is_ok());
        assert_eq!(
            may_file_to(&editor, "sports"),
            Err(Denial::NotYourDesk("sports".into()))
        );
        assert!(may_file_to(&admin, "national").is_err());
    }
}
