//! IPTC ninjs 2.x for one article (language `bn`), both ways. Export writes the standard
//! fields (headlines, an HTML body, by, slugline, located, keywords, urgency, embargoed,
//! infosources) plus a second body of role `barta` holding the exact ProseMirror document, so
//! a Barta-to-Barta round trip loses nothing. Import takes that body when present, else the
//! HTML or plain-text body, and refuses anything it cannot read with a [`NinjsError`].

use barta_model::{ArticleId, ArticleMeta, Block, Document, DocumentError, Urgency};
use serde_json::{Value, json};

/// `contenttype` of the body that carries the exact Barta document.
pub const BARTA_DOC_TYPE: &str = "application/vnd.barta.document+json";
/// Prefix of the `uri` of an exported article.
pub const URI_PREFIX: &str = "urn:barta:article:";
/// Prefix of the subject `uri` naming the desk.
pub const DESK_URI_PREFIX: &str = "urn:barta:desk:";

/// Why a ninjs file was refused.
#[derive(Debug, thiserror::Error)]
pub enum NinjsError {
    #[error("not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("a ninjs item must be a JSON object")]
    NotAnObject,
    #[error("field {field:?} has the wrong type (expected {expected})")]
    WrongType {
        field: &'static str,
        expected: &'static str,
    },
    #[error("only ninjs items of type \"text\" can be imported, found {0:?}")]
    NotText(String),
    #[error("the item's language is {0:?}, not Bengali (bn)")]
    NotBengali(String),
    #[error("the item has no headline")]
    NoHeadline,
    #[error("the item has no body (text/html, text/plain or {BARTA_DOC_TYPE})")]
    NoBody,
    #[error("the item's uri {0:?} does not name a Barta article")]
    BadUri(String),
    #[error("the item's Barta document is not valid: {0}")]
    Document(#[from] DocumentError),
    #[error("urgency must be 1–9, found {0}")]
    BadUrgency(i64),
}

/// An article read from ninjs, normalized and validated.
#[derive(Clone, Debug, PartialEq)]
pub struct NinjsArticle {
    /// The article id when the item was exported by Barta.
    pub id: Option<ArticleId>,
    /// The desk when the item names one.
    pub desk: Option<String>,
    pub meta: ArticleMeta,
    pub body: Document,
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

fn attr_str<'a>(block: &'a Block, key: &str) -> Option<&'a str> {
    block.attrs.as_ref()?.get(key)?.as_str()
}

fn inline_html(nodes: &[Block], out: &mut String) {
    for node in nodes {
        match node.kind.as_str() {
            "hard_break" => out.push_str("<br>"),
            "text" => {
                let mut open = String::new();
                let mut close = Vec::new();
                for mark in node.marks.iter().flatten() {
                    match mark.kind.as_str() {
                        "strong" => {
                            open.push_str("<strong>");
                            close.push("</strong>");
                        }
                        "em" => {
                            open.push_str("<em>");
                            close.push("</em>");
                        }
                        "link" => {
                            let href = mark.attr_str("href").unwrap_or("");
                            open.push_str(&format!("<a href=\"{}\">", escape(href)));
                            close.push("</a>");
                        }
                        _ => {}
                    }
                }
                out.push_str(&open);
                out.push_str(&escape(node.text.as_deref().unwrap_or("")));
                for tag in close.iter().rev() {
                    out.push_str(tag);
                }
            }
            _ => block_html(node, out),
        }
    }
}

fn block_html(block: &Block, out: &mut String) {
    let children = block.content.as_deref().unwrap_or(&[]);
    match block.kind.as_str() {
        "heading" => {
            let level = block
                .attrs
                .as_ref()
                .and_then(|a| a.get("level"))
                .and_then(Value::as_u64)
                .unwrap_or(2)
                .clamp(1, 6);
            out.push_str(&format!("<h{level}>"));
            inline_html(children, out);
            out.push_str(&format!("</h{level}>"));
        }
        "blockquote" | "bullet_list" | "ordered_list" | "list_item" => {
            let tag = match block.kind.as_str() {
                "blockquote" => "blockquote",
                "bullet_list" => "ul",
                "ordered_list" => "ol",
                _ => "li",
            };
            out.push_str(&format!("<{tag}>"));
            inline_html(children, out);
            out.push_str(&format!("</{tag}>"));
        }
        "image" => {
            out.push_str(&format!(
                "<figure><img src=\"{}\" alt=\"{}\">",
                escape(attr_str(block, "src").unwrap_or("")),
                escape(attr_str(block, "alt").unwrap_or(""))
            ));
            if let Some(caption) = attr_str(block, "caption") {
                out.push_str(&format!("<figcaption>{}</figcaption>", escape(caption)));
            }
            out.push_str("</figure>");
        }
        _ => {
            out.push_str("<p>");
            inline_html(children, out);
            out.push_str("</p>");
        }
    }
}

/// The document as simple HTML (p, h2–h4, blockquote, ul/ol, figure).
pub fn document_html(body: &Document) -> String {
    let mut out = String::new();
    for block in &body.content {
        block_html(block, &mut out);
        out.push('\n');
    }
    out
}

/// The ninjs 2.x item of an article. `version` counts its revisions.
pub fn to_ninjs(
    id: ArticleId,
    desk: &str,
    meta: &ArticleMeta,
    body: &Document,
    created_at: &str,
    updated_at: &str,
    version: usize,
) -> Value {
    let mut item = serde_json::Map::new();
    item.insert("uri".into(), json!(format!("{URI_PREFIX}{id}")));
    item.insert("type".into(), json!("text"));
    item.insert("language".into(), json!("bn"));
    item.insert("version".into(), json!(version.max(1).to_string()));
    item.insert("firstcreated".into(), json!(created_at));
    item.insert("versioncreated".into(), json!(updated_at));
    item.insert(
        "headlines".into(),
        json!([{"role": "main", "value": meta.headline}]),
    );
    item.insert(
        "bodies".into(),
        json!([
            {"role": "main", "contenttype": "text/html", "value": document_html(body),
             "wordcount": bangla::count::word_count(&body.plain_text()),
             "charcount": bangla::count::grapheme_count(&body.plain_text())},
            {"role": "barta", "contenttype": BARTA_DOC_TYPE,
             "value": serde_json::to_string(body).unwrap_or_default()},
        ]),
    );
    item.insert(
        "subjects".into(),
        json!([{"name": desk, "uri": format!("{DESK_URI_PREFIX}{desk}")}]),
    );
    let mut put = |key: &str, value: &Option<String>| {
        if let Some(v) = value {
            item.insert(key.into(), json!(v));
        }
    };
    put("slugline", &meta.slugline);
    put("by", &meta.byline);
    put("located", &meta.dateline_place);
    put("embargoed", &meta.embargo);
    if let Some(source) = &meta.source_line {
        item.insert("infosources".into(), json!([{"name": source}]));
    }
    if let Some(sign_off) = &meta.sign_off {
        item.insert(
            "descriptions".into(),
            json!([{"role": "signoff", "contenttype": "text/plain", "value": sign_off}]),
        );
    }
    if !meta.tags.is_empty() {
        item.insert("keywords".into(), json!(meta.tags));
    }
    if let Some(Urgency(u)) = meta.urgency {
        item.insert("urgency".into(), json!(u));
    }
    Value::Object(item)
}

fn opt_str(
    item: &serde_json::Map<String, Value>,
    field: &'static str,
) -> Result<Option<String>, NinjsError> {
    match item.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(bangla::normalize(s)).filter(|s| !s.is_empty())),
        Some(_) => Err(NinjsError::WrongType {
            field,
            expected: "a string",
        }),
    }
}

fn array<'a>(
    item: &'a serde_json::Map<String, Value>,
    field: &'static str,
) -> Result<&'a [Value], NinjsError> {
    match item.get(field) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(NinjsError::WrongType {
            field,
            expected: "an array",
        }),
    }
}

/// The `value` of the first entry of `field` with one of `roles` (or of any role), and its
/// content type.
fn pick<'a>(entries: &'a [Value], roles: &[&str]) -> Option<(&'a str, Option<&'a str>)> {
    let of = |e: &'a Value| {
        Some((
            e.get("value")?.as_str()?,
            e.get("contenttype").and_then(Value::as_str),
        ))
    };
    entries
        .iter()
        .find(|e| {
            e.get("role")
                .and_then(Value::as_str)
                .is_some_and(|r| roles.contains(&r))
        })
        .and_then(of)
        .or_else(|| entries.iter().find_map(of))
}

fn decode_entities(text: &str) -> String {
    text.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Paragraph texts of simple HTML: a new paragraph at each block tag, tags dropped.
fn html_paragraphs(html: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        current.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            current.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let tag = rest[open + 1..open + close]
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match tag.as_str() {
            "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "li" | "blockquote"
            | "figcaption" | "tr" => paragraphs.push(std::mem::take(&mut current)),
            "br" => current.push('\n'),
            _ => {}
        }
        rest = &rest[open + close + 1..];
    }
    current.push_str(rest);
    paragraphs.push(current);
    paragraphs
        .into_iter()
        .map(|p| decode_entities(p.trim()))
        .filter(|p| !p.is_empty())
        .collect()
}

fn paragraphs_document(paragraphs: Vec<String>) -> Document {
    let ids: Vec<String> = (1..=paragraphs.len()).map(|i| format!("p{i}")).collect();
    Document::from_paragraphs(
        ids.iter()
            .map(String::as_str)
            .zip(paragraphs.iter().map(String::as_str)),
    )
}

/// Reads a ninjs 2.x item. All text is normalized; the document is validated.
pub fn from_ninjs(value: &Value) -> Result<NinjsArticle, NinjsError> {
    let item = value.as_object().ok_or(NinjsError::NotAnObject)?;
    if let Some(kind) = opt_str(item, "type")?
        && kind != "text"
    {
        return Err(NinjsError::NotText(kind));
    }
    if let Some(lang) = opt_str(item, "language")?
        && !(lang == "bn" || lang.starts_with("bn-"))
    {
        return Err(NinjsError::NotBengali(lang));
    }
    let id = match opt_str(item, "uri")? {
        Some(uri) if uri.starts_with(URI_PREFIX) => Some(
            uri[URI_PREFIX.len()..]
                .parse()
                .map_err(|_| NinjsError::BadUri(uri.clone()))?,
        ),
        _ => None,
    };
    let headline = pick(array(item, "headlines")?, &["main"])
        .map(|(v, _)| bangla::normalize(v.trim()))
        .filter(|h| !h.is_empty())
        .ok_or(NinjsError::NoHeadline)?;
    let bodies = array(item, "bodies")?;
    let barta_doc = bodies.iter().find_map(|b| {
        (b.get("contenttype").and_then(Value::as_str) == Some(BARTA_DOC_TYPE))
            .then(|| b.get("value").and_then(Value::as_str))
            .flatten()
    });
    let mut body = match barta_doc {
        Some(text) => serde_json::from_str::<Document>(text)?,
        None => {
            let (text, kind) = pick(bodies, &["main", "body"]).ok_or(NinjsError::NoBody)?;
            let paragraphs = if kind.is_some_and(|k| k.contains("html")) {
                html_paragraphs(text)
            } else {
                text.split("\n\n")
                    .map(|p| p.trim().to_string())
                    .filter(|p| !p.is_empty())
                    .collect()
            };
            paragraphs_document(paragraphs)
        }
    };
    body.map_text(&bangla::normalize);
    body.validate()?;
    let desk = array(item, "subjects")?.iter().find_map(|s| {
        let uri = s.get("uri")?.as_str()?;
        uri.strip_prefix(DESK_URI_PREFIX).map(bangla::normalize)
    });
    let urgency = match item.get("urgency") {
        None | Some(Value::Null) => None,
        Some(v) => {
            let u = v.as_i64().ok_or(NinjsError::WrongType {
                field: "urgency",
                expected: "an integer",
            })?;
            if !(1..=9).contains(&u) {
                return Err(NinjsError::BadUrgency(u));
            }
            Some(Urgency(u as u8))
        }
    };
    let tags = array(item, "keywords")?
        .iter()
        .map(|k| {
            k.as_str()
                .map(bangla::normalize)
                .ok_or(NinjsError::WrongType {
                    field: "keywords",
                    expected: "an array of strings",
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let source_line = array(item, "infosources")?
        .iter()
        .find_map(|s| s.get("name")?.as_str().map(bangla::normalize));
    let sign_off = array(item, "descriptions")?
        .iter()
        .filter(|d| d.get("role").and_then(Value::as_str) == Some("signoff"))
        .find_map(|d| d.get("value")?.as_str().map(bangla::normalize));
    let meta = ArticleMeta {
        headline,
        desk: desk.clone().unwrap_or_default(),
        slugline: opt_str(item, "slugline")?,
        byline: opt_str(item, "by")?,
        dateline_place: opt_str(item, "located")?,
        source_line,
        sign_off,
        tags,
        urgency,
        embargo: opt_str(item, "embargoed")?,
    };
    Ok(NinjsArticle {
        id,
        desk,
        meta,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full_meta() -> ArticleMeta {
        ArticleMeta {
            headline: "কোরিয়ার নির্বাচন".into(),
            desk: "international".into(),
            slugline: Some("korea-vote".into()),
            byline: Some("নিজস্ব প্রতিবেদক".into()),
            dateline_place: Some("ঢাকা".into()),
            source_line: Some("সূত্র: বিবিসি".into()),
            sign_off: Some("আমারসংবাদ/টিএইচ".into()),
            tags: vec!["নির্বাচন".into(), "কোরিয়া".into()],
            urgency: Some(Urgency(3)),
            embargo: Some("2025-08-01T04:00:00Z".into()),
        }
    }

    #[test]
    fn a_barta_article_round_trips_exactly() {
        let id = ArticleId::new();
        let body = Document::from_paragraphs([("a", "প্রথম <অনুচ্ছেদ> & আরও"), ("b", "দ্বিতীয়")]);
        let item = to_ninjs(id, "international", &full_meta(), &body, "t0", "t1", 3);
        assert_eq!(item["language"], "bn");
        assert_eq!(item["type"], "text");
        assert_eq!(item["version"], "3");
        assert_eq!(item["by"], "নিজস্ব প্রতিবেদক");
        assert_eq!(
            item["bodies"][0]["value"],
            "<p>প্রথম &lt;অনুচ্ছেদ&gt; &amp; আরও</p>\n<p>দ্বিতীয়</p>\n"
        );
        let back = from_ninjs(&item).unwrap();
        assert_eq!(back.id, Some(id));
        assert_eq!(back.desk.as_deref(), Some("international"));
        assert_eq!(back.meta, full_meta());
        assert_eq!(back.body, body);
    }

    #[test]
    fn foreign_items_are_read_from_html_or_plain_text() {
        let html = json!({
            "uri": "https://example.com/1", "type": "text", "language": "bn-BD",
            "headlines": [{"role": "main", "value": "কো\u{200B}রিয়া সফর"}],
            "bodies": [{"role": "main", "contenttype": "text/html",
                        "value": "<p>প্রথম &amp; শেষ</p><h2>উপ</h2><p>দ্বিতীয়<br>লাইন</p>"}],
            "keywords": ["ভোট"], "urgency": 4
        });
        let a = from_ninjs(&html).unwrap();
        assert_eq!(a.id, None);
        assert_eq!(a.desk, None);
        assert_eq!(a.meta.headline, "কোরিয়া সফর", "normalized");
        assert_eq!(a.body.plain_text(), "প্রথম & শেষ\n\nউপ\n\nদ্বিতীয়\nলাইন");
        assert_eq!(a.body.block_ids(), vec!["p1", "p2", "p3"]);
        assert_eq!(a.meta.tags, vec!["ভোট"]);
        let plain = json!({
            "headlines": [{"value": "শিরোনাম"}],
            "bodies": [{"contenttype": "text/plain", "value": "এক\n\nদুই"}]
        });
        assert_eq!(from_ninjs(&plain).unwrap().body.plain_text(), "এক\n\nদুই");
    }

    #[test]
    fn invalid_items_are_refused_with_the_reason() {
        let ok_body = json!([{"contenttype": "text/plain", "value": "লেখা"}]);
        let cases = [
            (json!([1, 2]), "must be a JSON object"),
            (
                json!({"type": "picture", "headlines": [{"value": "ক"}], "bodies": ok_body}),
                "of type \"text\"",
            ),
            (
                json!({"language": "en", "headlines": [{"value": "ক"}], "bodies": ok_body}),
                "not Bengali",
            ),
            (json!({"bodies": ok_body}), "no headline"),
            (
                json!({"headlines": [{"value": "  "}], "bodies": ok_body}),
                "no headline",
            ),
            (json!({"headlines": [{"value": "ক"}]}), "no body"),
            (
                json!({"headlines": "ক", "bodies": ok_body}),
                "\"headlines\" has the wrong type",
            ),
            (
                json!({"headlines": [{"value": "ক"}], "bodies": ok_body, "urgency": 12}),
                "urgency must be",
            ),
            (
                json!({"uri": "urn:barta:article:nope", "headlines": [{"value": "ক"}], "bodies": ok_body}),
                "does not name",
            ),
            (
                json!({"headlines": [{"value": "ক"}], "bodies": [{"contenttype": BARTA_DOC_TYPE,
                    "value": "{\"type\":\"doc\",\"content\":[{\"type\":\"paragraph\"}]}"}]}),
                "has no attrs.id",
            ),
            (
                json!({"headlines": [{"value": "ক"}], "bodies": [{"contenttype": BARTA_DOC_TYPE, "value": "{"}]}),
                "not valid JSON",
            ),
        ];
        for (item, expected) in cases {
            let err = from_ninjs(&item).unwrap_err().to_string();
            assert!(err.contains(expected), "{item}: {err}");
        }
    }
}
