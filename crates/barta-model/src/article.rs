//! An article's metadata: the fields a Bangladeshi portal prints around the body.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Urgency as news agencies grade it: 1 is a flash, 5 routine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Urgency(pub u8);

/// Everything about an article except its body. `headline` and `desk` are required on the
/// wire; the rest is optional and omitted when empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct ArticleMeta {
    pub headline: String,
    /// The desk's slug, e.g. `international`.
    pub desk: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub slugline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub byline: Option<String>,
    /// The dateline's place, e.g. ঢাকা; the date is printed from the publication time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub dateline_place: Option<String>,
    /// "সূত্র: বিবিসি"
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub source_line: Option<String>,
    /// "আমারসংবাদ/টিএইচ"
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sign_off: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<String>>", optional)]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub urgency: Option<Urgency>,
    /// Not before this instant (RFC 3339, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub embargo: Option<String>,
}

impl ArticleMeta {
    /// Applies `f` to every free-text field (used to pass text through the normalizer).
    pub fn map_text(&mut self, f: &impl Fn(&str) -> String) {
        self.headline = f(&self.headline);
        for field in [
            &mut self.slugline,
            &mut self.byline,
            &mut self.dateline_place,
            &mut self.source_line,
            &mut self.sign_off,
        ]
        .into_iter()
        .flatten()
        {
            *field = f(field);
        }
        for tag in &mut self.tags {
            *tag = f(tag);
        }
    }
}
