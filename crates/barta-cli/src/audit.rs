//! `barta audit`: reads the server's audit trail (by user, article, session, time) and checks
//! its hash chain (`--verify`). Runs on the server machine against the data directory, like
//! every admin command; the trail has no HTTP route.

use crate::admin::{fail, open};
use barta_model::ArticleId;
use barta_server::store::{AuditCheck, AuditEntry, AuditFilter};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

/// The exit status when the chain is broken (1 is any other error).
pub const EXIT_BROKEN: u8 = 3;

/// `barta audit` arguments.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Only this user's entries (the username; `-` for requests with a dead token).
    #[arg(long, value_name = "USERNAME")]
    pub user: Option<String>,
    /// Only entries about this article.
    #[arg(long, value_name = "ID")]
    pub article: Option<ArticleId>,
    /// Only this session's entries (its id as `barta session list` shows it).
    #[arg(long, value_name = "ID")]
    pub session: Option<String>,
    /// Only entries at or after this time (RFC 3339, or a date: 2026-12-07).
    #[arg(long, value_name = "TIME", value_parser = parse_since)]
    pub since: Option<String>,
    /// Check every entry's link in the hash chain instead of listing entries; exits 3 when
    /// the trail was changed.
    #[arg(long)]
    pub verify: bool,
    /// One JSON object per line instead of columns.
    #[arg(long)]
    pub json: bool,
    /// The data directory.
    #[arg(long, value_name = "DIR", default_value = "./barta-data")]
    pub data: PathBuf,
}

/// A time as the trail stores it (UTC, RFC 3339 with milliseconds), or a bare date, which
/// compares as the start of that day.
fn parse_since(text: &str) -> Result<String, String> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(barta_server::store::timestamp(t.to_utc()));
    }
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(|d| d.format("%Y-%m-%d").to_string())
        .map_err(|_| format!("{text:?} is neither an RFC 3339 time nor a date (YYYY-MM-DD)"))
}

fn line(e: &AuditEntry) -> String {
    let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    format!(
        "{:>6} {} {} session={} from={} {} {} article={} {}",
        e.id,
        e.at,
        e.username,
        or_dash(&e.session),
        or_dash(&e.address),
        e.action,
        e.outcome,
        e.article_id.map_or_else(|| "-".into(), |a| a.to_string()),
        e.detail
    )
}

/// Runs `barta audit`.
pub fn run(args: AuditArgs) -> ExitCode {
    let store = match open(&args.data) {
        Ok(store) => store,
        Err(code) => return code,
    };
    if args.verify {
        return match store.check_audit() {
            Ok(AuditCheck::Intact { entries, head }) => {
                println!(
                    "the audit trail is intact: {entries} entries, last link {}",
                    head.as_deref().unwrap_or("-")
                );
                ExitCode::SUCCESS
            }
            Ok(AuditCheck::Broken { id, reason }) => {
                println!("the audit trail is BROKEN at entry {id}: {reason}");
                ExitCode::from(EXIT_BROKEN)
            }
            Err(e) => fail(&e, 1),
        };
    }
    let filter = AuditFilter {
        username: args.user,
        article: args.article,
        session: args.session,
        since: args.since,
    };
    match store.audit_entries(&filter) {
        Ok(entries) => {
            for e in &entries {
                if args.json {
                    match serde_json::to_string(e) {
                        Ok(json) => println!("{json}"),
                        Err(e) => return fail(&e, 1),
                    }
                } else {
                    println!("{}", line(e));
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e, 1),
    }
}
