//! Payload types that only the app's IPC uses, and the test that generates
//! `ui/src/ipc/bindings.ts` from every IPC type so TypeScript never restates them by hand.

use barta_model::api::UserInfo;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the first-run setup and the About screen show.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct ServerSetup {
    /// The newsroom server the app is set to; none on a first run.
    pub server_url: Option<String>,
    /// `BARTA_SERVER_URL` fixes the server: it cannot be changed from the app.
    pub from_env: bool,
    /// The app's version.
    pub app_version: String,
    /// Changes not yet sent to the current server (they stay with it if the server changes).
    pub pending: i64,
    pub data_dir: String,
}

/// A newer release the newsroom's server offers.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct UpdateInfo {
    pub version: String,
    /// The version running now.
    pub current_version: String,
    /// What changed, as the newsroom wrote it (normalized).
    pub notes: String,
    /// When it was published (RFC 3339), or empty.
    pub date: String,
}

/// What the app knows about itself and its user.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct AppInfo {
    pub server_url: String,
    /// The app's version (shown in About, sent with every request).
    pub app_version: String,
    pub data_dir: String,
    pub user: Option<UserInfo>,
    /// The longest edge, in pixels, photos are scaled down to before they are stored.
    pub image_max_edge: u32,
    /// The names the newsroom gave the user's desks (empty until the server has said).
    pub desk_names: Vec<barta_model::api::DeskInfo>,
    /// The article that was open when the app last stopped (a crash included), to open again.
    pub reopen: Option<OpenArticle>,
    /// The user whose store is locked on this computer and waits for their password (none:
    /// the store is open, or the login form asks who it is).
    pub locked_user: Option<String>,
}

/// Where the cursor is in the open article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EditPlace {
    /// `body`, or the name of a field (`headline`, `byline`, …).
    pub field: String,
    /// The selection: ProseMirror positions in the body, UTF-16 offsets in a field.
    pub anchor: u32,
    pub head: u32,
    /// How far the page was scrolled (CSS pixels).
    pub scroll: u32,
}

impl EditPlace {
    /// A field name is a short lower-case identifier, never text.
    pub fn is_plausible(&self) -> bool {
        (1..=32).contains(&self.field.len())
            && self
                .field
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_')
    }
}

/// The open article and its cursor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OpenArticle {
    pub id: String,
    pub place: Option<EditPlace>,
}

/// The sync indicator's state.
#[derive(Clone, Debug, Default, PartialEq, Serialize, TS)]
pub struct SyncStatus {
    /// The last contact with the server succeeded.
    pub online: bool,
    /// A sync round is running.
    pub syncing: bool,
    /// Outbox rows waiting for the server.
    pub pending: i64,
    /// The last failure, in plain words.
    pub last_error: Option<crate::error::AppError>,
    /// When the last round finished without error (RFC 3339).
    pub last_synced_at: Option<String>,
    /// The current or last round: items and bytes done of total, and its phase.
    pub progress: barta_sync::SyncProgress,
    /// Photos stored here that the server does not have yet.
    pub media_pending: i64,
    /// The server no longer accepts this session (expired, revoked, the password changed or
    /// the account disabled): syncing waits until the password is given again
    /// (`resume_session`); everything typed and queued stays.
    pub session_ended: bool,
}

/// What the app pushes to its page (Tauri event [`crate::core::EVENT_NAME`]) after a sync
/// round or a local change, so that the page polls nothing. Each names what changed; the page's
/// stores read what they show again, or take the value carried.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AppEvent {
    /// The sync indicator changed (sent when it differs from the last one sent).
    SyncStatus { status: SyncStatus },
    /// These articles' summaries (state, sync state, headline…) may have changed: lists read
    /// again, an open article whose id is named reads its summary again.
    ArticlesChanged { ids: Vec<String> },
    /// The article's comments changed (added here, resolved, or pulled from the server).
    CommentsChanged { article_id: String },
    /// Who else has the article on screen open, when that changed.
    Presence {
        article_id: String,
        others: Vec<barta_model::api::PresenceEntry>,
    },
    /// Where the article on screen stands on the newsroom's website(s), when that changed.
    Deliveries {
        article_id: String,
        deliveries: Vec<barta_model::api::DeliveryInfo>,
    },
    /// The newsroom's server offers a newer version of the app.
    UpdateAvailable { update: UpdateInfo },
    /// The store was locked (idle, asked, logout): the page drops what it shows and asks for
    /// the password.
    Locked,
}

/// Which list of articles to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ArticleList {
    /// The user's own articles.
    Mine,
    /// The editor's desk queue: submitted and in-progress articles of their desks.
    DeskQueue,
}

/// Where a search hit was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum HitSource {
    /// The laptop's own store: opens at once, offline too.
    Local,
    /// The newsroom's archive on the server: opening it fetches the article into the laptop's
    /// store first (it is local from then on).
    Archive,
}

/// One hit of the app's search: a local article or one of the newsroom's archive.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct FoundArticle {
    pub id: barta_model::ArticleId,
    pub headline: String,
    pub desk: String,
    pub state: barta_model::WorkflowState,
    pub author: String,
    /// When the article last changed (RFC 3339): the local article's, or the archive's
    /// `touched_at`.
    pub updated_at: String,
    /// Higher is better; compares hits of one source only.
    pub score: f64,
    /// The headline with matched words marked.
    pub headline_runs: Vec<barta_store::TextRun>,
    /// A few words of the text around the first match, matched words marked.
    pub snippet: Vec<barta_store::TextRun>,
    pub source: HitSource,
}

impl From<barta_store::SearchHit> for FoundArticle {
    fn from(h: barta_store::SearchHit) -> Self {
        Self {
            id: h.id,
            headline: h.headline,
            desk: h.desk,
            state: h.state,
            author: h.author,
            updated_at: h.updated_at,
            score: h.score,
            headline_runs: h.headline_runs,
            snippet: h.snippet,
            source: HitSource::Local,
        }
    }
}

impl From<barta_model::api::ArchiveHit> for FoundArticle {
    fn from(h: barta_model::api::ArchiveHit) -> Self {
        Self {
            id: h.id,
            headline: h.headline,
            desk: h.desk,
            state: h.state,
            author: h.author,
            updated_at: h.touched_at,
            score: h.score,
            headline_runs: h.headline_runs,
            snippet: h.snippet,
            source: HitSource::Archive,
        }
    }
}

/// Why the archive on the server was not searched (the list says so under the local hits).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NotSearched {
    /// The server cannot be reached (the last sync round said so, or this search found it).
    Offline,
    /// Nobody is logged in.
    NotSignedIn,
    /// The server ended the session: the password is needed again.
    SessionEnded,
    /// The server did not answer in time; the local hits stand alone.
    TimedOut,
    /// The server answered with an error (or does not know archive search).
    ServerFailed,
    /// A tag filter is set: archive hits carry no tags, so none could be shown.
    TagFilter,
    /// The query is longer than the archive takes (`ARCHIVE_QUERY_MAX_CHARS`).
    QueryTooLong,
    /// The query has no word to search for.
    NoWords,
}

/// The archive's part of a search: asked after the local hits are shown, so a slow server
/// never holds them back.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct ArchiveSearch {
    /// Best first, the explicit filters applied (desk, state, reporter, dates); the page shows
    /// those whose article is not among the local hits.
    pub hits: Vec<FoundArticle>,
    /// `None`: the archive was searched. Otherwise why it was not.
    pub not_searched: Option<NotSearched>,
}

/// A desk queue and how many articles every queue holds.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct QueueView {
    pub items: Vec<barta_store::ArticleSummary>,
    pub counts: Vec<barta_store::QueueCount>,
}

/// What publishing did: the new state and the public page.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct PublishOutcome {
    pub state: barta_model::WorkflowState,
    /// The backend's HTML page of the publication.
    pub public_url: String,
}

/// Pasted plain text, cleaned.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct PastedText {
    /// The text in stored form.
    pub text: String,
    /// Bijoy (SutonnyMJ) runs were found and converted to Unicode: the UI says so, with undo.
    pub bijoy_converted: bool,
}

/// A likely typing error at a byte range of the checked text.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct TextFlag {
    /// `pre_base_sign_at_word_start`, `vowel_sign_without_base`, `stray_hasanta`,
    /// `mixed_bijoy_unicode`.
    pub kind: String,
    /// The offending text.
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// One name spelled two ways in one article, with where each spelling is (UTF-8 byte ranges
/// of the checked text).
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct NameVariant {
    pub first: String,
    pub second: String,
    pub first_at: (usize, usize),
    pub second_at: (usize, usize),
}

/// Live counts for the status bar.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct TextStats {
    pub words: usize,
    /// Grapheme clusters: what a reader calls characters.
    pub graphemes: usize,
    pub sentences: usize,
    pub paragraphs: usize,
    #[ts(type = "number")]
    pub reading_seconds: u64,
    pub flags: Vec<TextFlag>,
    /// Names written two ways ("কিম জং উন" and "কিং জং উন").
    pub name_variants: Vec<NameVariant>,
}

/// A dateline and the Bangla calendar date beside it.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct DatelineText {
    /// "ঢাকা শুক্রবার, ০১ আগস্ট, ২০২৫"
    pub dateline: String,
    /// "১৭ শ্রাবণ ১৪৩২"
    pub bangabda: String,
}

/// A misspelled word in one block's text. Offsets are UTF-16 code units, as the editor counts.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct SpellIssue {
    pub word: String,
    pub from: usize,
    pub to: usize,
    pub suggestions: Vec<String>,
    /// A standard-spelling (Bangla Academy) suggestion, not a misspelling: shown apart, and
    /// only when the newsroom turned style suggestions on.
    pub style: bool,
}

/// Spelling results for a list of texts (one per block), in order.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct SpellReport {
    /// False when no Bengali word list is installed: nothing is underlined then.
    pub available: bool,
    pub blocks: Vec<Vec<SpellIssue>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn decl<T: TS>() -> String {
        format!("export {}\n", T::decl())
    }

    /// The generated TypeScript, in a fixed order.
    fn bindings() -> String {
        let mut out = String::from(
            "// Generated from the Rust IPC types by `cargo test -p barta-app` \
             (set UPDATE_BINDINGS=1 to rewrite). Do not edit.\n\n",
        );
        for d in [
            decl::<serde_json::Value>(),
            decl::<barta_model::ArticleId>(),
            decl::<barta_model::RevisionId>(),
            decl::<barta_model::UserId>(),
            decl::<barta_model::ErrorCode>(),
            decl::<crate::error::AppError>(),
            decl::<barta_model::Role>(),
            decl::<barta_model::WorkflowState>(),
            decl::<barta_model::SyncState>(),
            decl::<barta_model::Urgency>(),
            decl::<barta_model::ArticleMeta>(),
            decl::<barta_model::document::Mark>(),
            decl::<barta_model::Block>(),
            decl::<barta_model::Document>(),
            decl::<UserInfo>(),
            decl::<barta_model::api::DeskInfo>(),
            decl::<barta_store::ArticleSummary>(),
            decl::<barta_store::ArticleDraft>(),
            decl::<AppInfo>(),
            decl::<ServerSetup>(),
            decl::<UpdateInfo>(),
            decl::<EditPlace>(),
            decl::<OpenArticle>(),
            decl::<barta_sync::SyncPhase>(),
            decl::<barta_sync::SyncProgress>(),
            decl::<SyncStatus>(),
            decl::<AppEvent>(),
            decl::<ArticleList>(),
            decl::<PastedText>(),
            decl::<TextFlag>(),
            decl::<NameVariant>(),
            decl::<TextStats>(),
            decl::<DatelineText>(),
            decl::<SpellIssue>(),
            decl::<SpellReport>(),
            decl::<barta_store::SearchQuery>(),
            decl::<barta_store::TextRun>(),
            decl::<barta_store::SearchHit>(),
            decl::<HitSource>(),
            decl::<FoundArticle>(),
            decl::<NotSearched>(),
            decl::<ArchiveSearch>(),
            decl::<barta_store::RevisionInfo>(),
            decl::<barta_model::diff::RunOp>(),
            decl::<barta_model::diff::DiffRun>(),
            decl::<barta_model::diff::BlockChange>(),
            decl::<barta_model::diff::BlockDiff>(),
            decl::<barta_model::Action>(),
            decl::<barta_model::api::CommentAnchor>(),
            decl::<barta_model::api::PresenceEntry>(),
            decl::<barta_store::Comment>(),
            decl::<barta_store::DeskQueue>(),
            decl::<barta_store::QueueSort>(),
            decl::<barta_store::QueueQuery>(),
            decl::<barta_store::QueueCount>(),
            decl::<QueueView>(),
            decl::<PublishOutcome>(),
            decl::<barta_model::api::DeliveryState>(),
            decl::<barta_model::api::DeliveryInfo>(),
            decl::<barta_model::diff::DocumentDiff>(),
        ] {
            out.push_str(&d);
            out.push('\n');
        }
        out
    }

    #[test]
    fn typescript_bindings_match_the_rust_types() {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/ipc/bindings.ts");
        let generated = bindings();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "ui/src/ipc/bindings.ts is out of date: run `UPDATE_BINDINGS=1 cargo test -p barta-app`"
        );
    }
}
