//! The HTML page of an article as the portal shows it, rendered from the document — never HTML
//! passed through from a client. The backend serves it for published items; the desk editor's
//! app shows the same page as the publication preview, so what is previewed is what is
//! published. Text is escaped as it is written, only known node types become tags, and the
//! body is sanitized once more with ammonia (allow-listed tags and attributes, links only to
//! http, https and mailto), so a `<script>` typed into an article or a `javascript:` link is
//! shown as text or dropped, never run. Dates are printed as Bangladeshi portals print them
//! (bengali.md): the dateline "ঢাকা শুক্রবার, ০১ আগস্ট, ২০২৫" and the time
//! "আগস্ট ১৫, ২০২২, ০১:৪২ পিএম", in Asia/Dhaka.

use barta_model::{ArticleMeta, Block, Document};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::HashSet;
use std::fmt::Write;

/// What a page is made of.
#[derive(Clone, Copy, Debug)]
pub struct Page<'a> {
    pub meta: &'a ArticleMeta,
    pub body: &'a Document,
    /// When it goes (or went) public.
    pub published_at: DateTime<Utc>,
    /// The note of a correction, shown under the article.
    pub correction: Option<&'a str>,
}

/// Where the backend serves a photo, by its SHA-256.
pub const MEDIA_PATH: &str = "/v1/media/";

/// The place printed in the dateline when the article names none.
pub const DEFAULT_PLACE: &str = "ঢাকা";

/// The place the dateline prints: the article's own, else [`DEFAULT_PLACE`].
fn dateline_place(meta: &ArticleMeta) -> &str {
    meta.dateline_place
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .unwrap_or(DEFAULT_PLACE)
}

/// The whole HTML page.
pub fn page(page: &Page<'_>) -> String {
    let mut body = String::new();
    for block in &page.body.content {
        render_block(block, &mut body);
    }
    let body = sanitize(&body);
    let meta = page.meta;
    let place = dateline_place(meta);
    let dateline = bangla::date::format_dateline_at(place, page.published_at);
    let published = bangla::format_published(page.published_at);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"bn\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><header class=\"dateline\">{dateline}</header><article><h1>{title}</h1>",
        title = escape(&meta.headline),
        dateline = escape(&dateline),
    );
    if let Some(byline) = meta.byline.as_deref().filter(|b| !b.trim().is_empty()) {
        let _ = write!(out, "<p class=\"byline\">{}</p>", escape(byline));
    }
    let _ = write!(
        out,
        "<p class=\"published\"><time datetime=\"{}\">{}</time></p>{body}",
        page.published_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        escape(&published),
    );
    closing_lines(page, &mut out);
    out.push_str("</article></body></html>\n");
    out
}

/// The source line, the sign-off and the correction note, as the portal prints them under
/// the text.
fn closing_lines(page: &Page<'_>, out: &mut String) {
    let meta = page.meta;
    for (class, text) in [
        ("source", meta.source_line.as_deref()),
        ("sign-off", meta.sign_off.as_deref()),
    ] {
        if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
            let _ = write!(out, "<p class=\"{class}\">{}</p>", escape(text));
        }
    }
    if let Some(note) = page.correction.filter(|n| !n.trim().is_empty()) {
        let _ = write!(
            out,
            "<p class=\"correction\"><strong>সংশোধনী:</strong> {}</p>",
            escape(note)
        );
    }
}

/// The article's text for another website's page (a CMS post): the dateline, the byline, the
/// sanitized body, the source line, the sign-off and the correction note — no headline (the
/// CMS prints its title) and no page around it. `photo_url` gives the address of each photo
/// by its SHA-256 (the website's copy); a photo without one keeps the backend's address.
pub fn fragment(page: &Page<'_>, photo_url: &dyn Fn(&str) -> Option<String>) -> String {
    let mut body = String::new();
    for block in &page.body.content {
        render_block(block, &mut body);
    }
    let mut body = sanitize(&body);
    for photo in photos(page.body) {
        if let Some(url) = photo_url(&photo.sha256) {
            body = body.replace(
                &format!("src=\"{MEDIA_PATH}{}\"", photo.sha256),
                &format!("src=\"{}\"", escape(&url)),
            );
        }
    }
    let meta = page.meta;
    let place = dateline_place(meta);
    let mut out = format!(
        "<p class=\"dateline\">{}</p>",
        escape(&bangla::date::format_dateline_at(place, page.published_at))
    );
    if let Some(byline) = meta.byline.as_deref().filter(|b| !b.trim().is_empty()) {
        let _ = write!(out, "<p class=\"byline\">{}</p>", escape(byline));
    }
    out.push_str(&body);
    closing_lines(page, &mut out);
    out
}

/// A photo of an article's body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Photo {
    /// Lowercase hex SHA-256 of the file (`media:<sha256>.<ext>`).
    pub sha256: String,
    /// The file name the article gives it (`<sha256>.<ext>`).
    pub file_name: String,
    pub alt: String,
    pub caption: Option<String>,
}

/// The article's photos in reading order, each once.
pub fn photos(body: &Document) -> Vec<Photo> {
    fn walk(block: &Block, out: &mut Vec<Photo>) {
        if block.kind == "image"
            && let Some(name) = attr(block, "src")
                .and_then(Value::as_str)
                .and_then(|s| s.strip_prefix("media:"))
        {
            let sha256 = name.split('.').next().unwrap_or("").to_string();
            if !sha256.is_empty() && !out.iter().any(|p| p.sha256 == sha256) {
                out.push(Photo {
                    sha256,
                    file_name: name.to_string(),
                    alt: attr(block, "alt")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                    caption: attr(block, "caption")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                });
            }
        }
        for child in block.content.iter().flatten() {
            walk(child, out);
        }
    }
    let mut out = Vec::new();
    for block in &body.content {
        walk(block, &mut out);
    }
    out
}

/// The plain text of the first paragraph with text (a CMS excerpt).
pub fn first_paragraph(body: &Document) -> String {
    fn text_of(block: &Block, out: &mut String) {
        if let Some(text) = block.text.as_deref() {
            out.push_str(text);
        }
        for child in block.content.iter().flatten() {
            text_of(child, out);
        }
    }
    for block in &body.content {
        if block.kind == "paragraph" {
            let mut text = String::new();
            text_of(block, &mut text);
            if !text.trim().is_empty() {
                return text.trim().to_string();
            }
        }
    }
    String::new()
}

/// Escapes text for HTML content and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn attr<'a>(block: &'a Block, key: &str) -> Option<&'a Value> {
    block.attrs.as_ref()?.get(key)
}

fn children(block: &Block, out: &mut String) {
    for child in block.content.iter().flatten() {
        render_node(child, out);
    }
}

fn render_block(block: &Block, out: &mut String) {
    match block.kind.as_str() {
        "heading" => {
            let level = attr(block, "level")
                .and_then(Value::as_u64)
                .unwrap_or(2)
                .clamp(2, 4);
            let _ = write!(out, "<h{level}>");
            children(block, out);
            let _ = write!(out, "</h{level}>");
        }
        // An unresolved conflict is never published (approval refuses it); render nothing.
        "conflict" => {}
        _ => render_node(block, out),
    }
}

fn render_node(node: &Block, out: &mut String) {
    let wrap = |tag: &str, out: &mut String| {
        let _ = write!(out, "<{tag}>");
        children(node, out);
        let _ = write!(out, "</{tag}>");
    };
    match node.kind.as_str() {
        "text" => render_text(node, out),
        "hard_break" => out.push_str("<br>"),
        "paragraph" => wrap("p", out),
        "blockquote" => wrap("blockquote", out),
        "bullet_list" => wrap("ul", out),
        "ordered_list" => wrap("ol", out),
        "list_item" => wrap("li", out),
        "image" => {
            let src = attr(node, "src").and_then(Value::as_str).unwrap_or("");
            // A photo of the article (`media:<sha256>.<ext>`) is served by the backend.
            let served;
            let src = match src.strip_prefix("media:") {
                Some(name) => {
                    served = format!("{MEDIA_PATH}{}", name.split('.').next().unwrap_or(""));
                    served.as_str()
                }
                None => src,
            };
            let alt = attr(node, "alt").and_then(Value::as_str).unwrap_or("");
            let _ = write!(
                out,
                "<figure><img src=\"{}\" alt=\"{}\">",
                escape(src),
                escape(alt)
            );
            if let Some(caption) = attr(node, "caption").and_then(Value::as_str) {
                let _ = write!(out, "<figcaption>{}</figcaption>", escape(caption));
            }
            out.push_str("</figure>");
        }
        _ => children(node, out),
    }
}

fn render_text(node: &Block, out: &mut String) {
    let mut open = Vec::new();
    for mark in node.marks.iter().flatten() {
        match mark.kind.as_str() {
            "strong" => open.push("strong".to_string()),
            "em" => open.push("em".to_string()),
            "link" => {
                let href = mark.attr_str("href").unwrap_or("");
                let _ = write!(out, "<a href=\"{}\">", escape(href));
                open.push("a".to_string());
                continue;
            }
            _ => continue,
        }
        let _ = write!(out, "<{}>", open[open.len() - 1]);
    }
    out.push_str(&escape(node.text.as_deref().unwrap_or("")));
    for tag in open.iter().rev() {
        let _ = write!(out, "</{tag}>");
    }
}

/// Keeps a relative URL only when it is one of the backend's photos.
fn media_only(url: &str) -> Option<std::borrow::Cow<'_, str>> {
    url.starts_with(MEDIA_PATH)
        .then_some(std::borrow::Cow::Borrowed(url))
}

fn sanitize(fragment: &str) -> String {
    let tags: HashSet<&str> = [
        "p",
        "h2",
        "h3",
        "h4",
        "blockquote",
        "ul",
        "ol",
        "li",
        "strong",
        "em",
        "a",
        "br",
        "figure",
        "img",
        "figcaption",
    ]
    .into_iter()
    .collect();
    let schemes: HashSet<&str> = ["http", "https", "mailto"].into_iter().collect();
    ammonia::Builder::default()
        .tags(tags)
        .url_schemes(schemes)
        .link_rel(Some("noopener noreferrer nofollow"))
        // Relative URLs only for the backend's photos; anything else relative is dropped.
        .url_relative(ammonia::UrlRelative::Custom(Box::new(media_only)))
        .clean(fragment)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn render(body: Value) -> String {
        let meta = ArticleMeta {
            headline: "<script>alert(1)</script> শিরোনাম".into(),
            desk: "national".into(),
            ..Default::default()
        };
        let body: Document = serde_json::from_value(body).unwrap();
        page(&Page {
            meta: &meta,
            body: &body,
            published_at: "2026-01-01T00:00:00Z".parse().unwrap(),
            correction: None,
        })
    }

    #[test]
    fn the_page_prints_dateline_time_byline_and_sign_off_as_the_portal_does() {
        let meta = ArticleMeta {
            headline: "উত্তর কোরিয়ার সঙ্গে সম্পর্ক".into(),
            desk: "international".into(),
            byline: Some("আন্তর্জাতিক ডেস্ক".into()),
            source_line: Some("সূত্র: বিবিসি".into()),
            sign_off: Some("আমারসংবাদ/টিএইচ".into()),
            ..Default::default()
        };
        let body = Document::from_paragraphs([("b1", "পুতিনের চিঠি")]);
        // 07:42 UTC is 01:42 PM in Dhaka, on Monday 15 August 2022.
        let html = page(&Page {
            meta: &meta,
            body: &body,
            published_at: "2022-08-15T07:42:00Z".parse().unwrap(),
            correction: Some("নিহতের সংখ্যা সংশোধন করা হয়েছে"),
        });
        for expected in [
            "<header class=\"dateline\">ঢাকা সোমবার, ১৫ আগস্ট, ২০২২</header>",
            "<h1>উত্তর কোরিয়ার সঙ্গে সম্পর্ক</h1>",
            "<p class=\"byline\">আন্তর্জাতিক ডেস্ক</p>",
            ">আগস্ট ১৫, ২০২২, ০১:৪২ পিএম</time>",
            "<p>পুতিনের চিঠি</p>",
            "<p class=\"source\">সূত্র: বিবিসি</p>",
            "<p class=\"sign-off\">আমারসংবাদ/টিএইচ</p>",
            "<p class=\"correction\"><strong>সংশোধনী:</strong> নিহতের সংখ্যা সংশোধন করা হয়েছে</p>",
        ] {
            assert!(html.contains(expected), "{expected} in {html}");
        }
    }

    #[test]
    fn scripts_and_javascript_links_never_render_as_such() {
        let page = render(json!({"type": "doc", "content": [
            {"type": "paragraph", "attrs": {"id": "a"}, "content": [
                {"type": "text", "text": "<script>alert('x')</script>"},
                {"type": "text", "text": "ক্লিক", "marks": [
                    {"type": "link", "attrs": {"href": "javascript:alert(1)"}}]},
                {"type": "text", "text": "ভালো", "marks": [
                    {"type": "link", "attrs": {"href": "https://example.com/\" onmouseover=\"x"}}]}
            ]},
            {"type": "image", "attrs": {"id": "i", "src": "javascript:alert(2)", "alt": "\" onerror=\"x"}}
        ]}));
        let lower = page.to_lowercase();
        assert!(!lower.contains("<script"), "{page}");
        assert!(!lower.contains("javascript:"), "{page}");
        // Only as escaped text inside a quoted value, never as an attribute of its own.
        assert!(!lower.contains("onmouseover=\""), "{page}");
        assert!(!lower.contains("onerror=\""), "{page}");
        assert!(
            page.contains("&lt;script&gt;alert("),
            "the text is shown: {page}"
        );
        assert!(page.contains("ক্লিক"));
        assert!(page.contains("<a href=\"https://example.com/"), "{page}");
    }

    #[test]
    fn blocks_map_to_tags() {
        let page = render(json!({"type": "doc", "content": [
            {"type": "heading", "attrs": {"id": "h", "level": 2}, "content": [{"type": "text", "text": "উপশিরোনাম"}]},
            {"type": "paragraph", "attrs": {"id": "p"}, "content": [
                {"type": "text", "text": "গাঢ়", "marks": [{"type": "strong"}]},
                {"type": "hard_break"},
                {"type": "text", "text": "বাঁকা", "marks": [{"type": "em"}]}]},
            {"type": "bullet_list", "attrs": {"id": "l"}, "content": [
                {"type": "list_item", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "এক"}]}]}]}
        ]}));
        for expected in [
            "<h2>উপশিরোনাম</h2>",
            "<p><strong>গাঢ়</strong><br><em>বাঁকা</em></p>",
            "<ul><li><p>এক</p></li></ul>",
            "<html lang=\"bn\">",
            "<title>&lt;script&gt;alert(1)&lt;/script&gt; শিরোনাম</title>",
        ] {
            assert!(page.contains(expected), "{expected} in {page}");
        }
    }
}
