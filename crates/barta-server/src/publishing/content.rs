//! What a publication becomes on another website: the post's title, HTML, excerpt, slug,
//! tags, category and time, and the marker that lets Barta find its own post again.

use crate::store::Publication;
use barta_model::ArticleId;
use chrono::{DateTime, Utc};

/// The text Barta puts in every post it makes (as an HTML comment), so that a delivery
/// interrupted after WordPress created the post and before Barta recorded its id finds that
/// post again instead of making a second one.
pub fn marker(article: ArticleId) -> String {
    format!("barta-article-{}", article.0.simple())
}

/// The slug Barta gives a post when the article has no slugline: stable for the article's
/// whole life.
pub fn stable_slug(article: ArticleId) -> String {
    let simple = article.0.simple().to_string();
    format!("barta-{}", &simple[simple.len() - 12..])
}

/// A publication as a CMS post.
#[derive(Clone, Debug, PartialEq)]
pub struct PostContent {
    pub title: String,
    /// The marker comment, then the dateline, byline, body, source line, sign-off and
    /// correction note ([`barta_render::fragment`]).
    pub html: String,
    /// The first paragraph's plain text.
    pub excerpt: String,
    pub slug: String,
    /// NFC, as the article stores them.
    pub tags: Vec<String>,
    pub desk: String,
    pub photos: Vec<barta_render::Photo>,
    /// When it goes (or went) public.
    pub published_at: DateTime<Utc>,
}

impl PostContent {
    /// The post for `publication`; `photo_url` gives the website's address of each photo by
    /// its SHA-256 (uploaded first).
    pub fn of(publication: &Publication, photo_url: &dyn Fn(&str) -> Option<String>) -> Self {
        let published_at = published_at(publication);
        let page = barta_render::Page {
            meta: &publication.meta,
            body: &publication.body,
            published_at,
            correction: publication.correction.as_deref(),
        };
        let html = format!(
            "<!-- {} -->\n{}",
            marker(publication.article_id),
            barta_render::fragment(&page, photo_url)
        );
        let slug = publication
            .meta
            .slugline
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map_or_else(|| stable_slug(publication.article_id), str::to_string);
        Self {
            title: publication.meta.headline.clone(),
            html,
            excerpt: barta_render::first_paragraph(&publication.body),
            slug,
            tags: publication.meta.tags.clone(),
            desk: publication.meta.desk.clone(),
            photos: barta_render::photos(&publication.body),
            published_at,
        }
    }
}

/// When the publication goes (or went) public.
pub fn published_at(publication: &Publication) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&publication.published_at)
        .map(|t| t.to_utc())
        .unwrap_or_else(|_| Utc::now())
}

/// The embargo of a publication while it has not lifted at `now`.
pub fn embargo_until(publication: &Publication, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    publication
        .meta
        .embargo
        .as_deref()
        .and_then(|e| DateTime::parse_from_rfc3339(e).ok())
        .map(|e| e.to_utc())
        .filter(|e| *e > now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_marker_and_the_stable_slug_never_change_for_an_article() {
        let id: ArticleId = "0192a3b4-c5d6-7e8f-9a0b-1c2d3e4f5a6b".parse().unwrap();
        assert_eq!(marker(id), "barta-article-0192a3b4c5d67e8f9a0b1c2d3e4f5a6b");
        assert_eq!(stable_slug(id), "barta-1c2d3e4f5a6b");
    }
}
