//! WordPress targets: the REST API (`wp/v2`) with an application password. Every route goes
//! through `?rest_route=`, which works with and without pretty permalinks.

use super::{RemoteMedia, RemotePost, SendError, classify};
use reqwest::Method;
use serde_json::{Value, json};

/// The rights Barta needs on the site, as `users/me?context=edit` lists them, with what each
/// is for.
pub const NEEDED_CAPABILITIES: [(&str, &str); 4] = [
    ("publish_posts", "publish posts"),
    ("upload_files", "upload photos"),
    (
        "edit_published_posts",
        "correct and unpublish published posts",
    ),
    ("delete_published_posts", "move killed posts to the trash"),
];

/// Every post status, so that a search finds Barta's post whatever became of it.
const EVERY_STATUS: &str = "publish,future,draft,pending,private,trash";

/// One WordPress site as one user.
#[derive(Clone)]
pub struct WordPress {
    http: reqwest::Client,
    /// The site's address, without a trailing slash.
    base: String,
    user: String,
    password: String,
}

impl std::fmt::Debug for WordPress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WordPress")
            .field("base", &self.base)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// A post as Barta sends it.
#[derive(Clone, Debug, PartialEq)]
pub struct PostFields {
    pub title: String,
    pub content: String,
    pub excerpt: String,
    pub slug: String,
    /// `publish` or `future`.
    pub status: &'static str,
    /// `YYYY-MM-DDTHH:MM:SS`, UTC.
    pub date_gmt: String,
    pub categories: Vec<u64>,
    pub tags: Vec<u64>,
    pub featured_media: Option<u64>,
}

impl WordPress {
    pub fn new(http: reqwest::Client, url: &str, user: &str, password: &str) -> Self {
        Self {
            http,
            base: url.trim_end_matches('/').to_string(),
            user: user.to_string(),
            password: password.to_string(),
        }
    }

    fn request(
        &self,
        method: Method,
        route: &str,
        query: &[(&str, &str)],
    ) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}/", self.base))
            .query(&[("rest_route", route)])
            .query(query)
            .basic_auth(&self.user, Some(&self.password))
    }

    async fn answer(request: reqwest::RequestBuilder) -> Result<Value, SendError> {
        let response = request.send().await?;
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await?;
        if status == reqwest::StatusCode::UNAUTHORIZED {
            // WordPress treats a wrong application password as no login at all: whatever the
            // route, the cause is the credentials.
            return Err(match classify(status, &headers, &text) {
                SendError::Failed(message) => SendError::Failed(format!(
                    "WordPress refused the user name or application password: {message}"
                )),
                other => other,
            });
        }
        if !status.is_success() {
            return Err(classify(status, &headers, &text));
        }
        serde_json::from_str(&text).map_err(|_| SendError::Retry {
            error: format!(
                "HTTP {}: the website did not answer with JSON: {}",
                status.as_u16(),
                text.chars().take(200).collect::<String>()
            ),
            after: None,
        })
    }

    async fn json(
        &self,
        method: Method,
        route: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<Value, SendError> {
        let mut request = self.request(method, route, query);
        if let Some(body) = body {
            request = request.json(body);
        }
        Self::answer(request).await
    }

    /// Checks the credentials and the rights Barta needs. `Ok` names the user; the error
    /// says in plain words what is wrong.
    pub async fn check(&self) -> Result<String, SendError> {
        let me = self
            .json(Method::GET, "/wp/v2/users/me", &[("context", "edit")], None)
            .await
            .map_err(|e| match e {
                SendError::Failed(message) if message.starts_with("HTTP 404") => SendError::Failed(
                    format!("this address does not answer as a WordPress REST API: {message}"),
                ),
                other => other,
            })?;
        let missing: Vec<&str> = NEEDED_CAPABILITIES
            .iter()
            .filter(|(cap, _)| me["capabilities"][cap] != Value::Bool(true))
            .map(|(_, what)| *what)
            .collect();
        let name = me["username"]
            .as_str()
            .or_else(|| me["name"].as_str())
            .unwrap_or("?")
            .to_string();
        if missing.is_empty() {
            Ok(name)
        } else {
            Err(SendError::Failed(format!(
                "the WordPress user {name} may not {}: give it the Editor role",
                missing.join(", ")
            )))
        }
    }

    /// Barta's post of an article, found by its marker in any status (the trash too).
    pub async fn find_by_marker(&self, marker: &str) -> Result<Option<RemotePost>, SendError> {
        let found = self
            .json(
                Method::GET,
                "/wp/v2/posts",
                &[
                    ("search", marker),
                    ("status", EVERY_STATUS),
                    ("context", "edit"),
                    ("per_page", "10"),
                ],
                None,
            )
            .await?;
        Ok(found.as_array().into_iter().flatten().find_map(|post| {
            let raw = post["content"]["raw"].as_str()?;
            raw.contains(marker).then(|| remote_post(post)).flatten()
        }))
    }

    /// The ids of these tags, each made when the site lacks it (names kept exactly).
    pub async fn tag_ids(&self, names: &[String]) -> Result<Vec<u64>, SendError> {
        let mut ids = Vec::with_capacity(names.len());
        for name in names {
            let found = self
                .json(
                    Method::GET,
                    "/wp/v2/tags",
                    &[("search", name), ("per_page", "100"), ("context", "edit")],
                    None,
                )
                .await?;
            // The oldest of the same name, should the site already hold two.
            let existing = found
                .as_array()
                .into_iter()
                .flatten()
                .filter(|tag| tag["name"].as_str() == Some(name.as_str()))
                .filter_map(|tag| tag["id"].as_u64())
                .min();
            let id = match existing {
                Some(id) => id,
                None => match self
                    .json(
                        Method::POST,
                        "/wp/v2/tags",
                        &[],
                        Some(&json!({ "name": name })),
                    )
                    .await
                {
                    Ok(tag) => tag["id"].as_u64().ok_or_else(|| {
                        SendError::Failed(format!("WordPress made tag {name:?} without an id"))
                    })?,
                    // Made meanwhile (or its search missed it): WordPress names the tag.
                    Err(SendError::Failed(message)) if message.contains("term_exists") => self
                        .existing_term_id(name)
                        .await?
                        .ok_or(SendError::Failed(message))?,
                    Err(e) => return Err(e),
                },
            };
            ids.push(id);
        }
        Ok(ids)
    }

    async fn existing_term_id(&self, name: &str) -> Result<Option<u64>, SendError> {
        let answer = self
            .request(Method::POST, "/wp/v2/tags", &[])
            .json(&json!({ "name": name }))
            .send()
            .await?;
        let body: Value = answer.json().await.unwrap_or(Value::Null);
        Ok(body["data"]["term_id"].as_u64())
    }

    /// Uploads a photo with its alt text and caption.
    pub async fn upload(
        &self,
        bytes: Vec<u8>,
        content_type: &str,
        file_name: &str,
        alt: &str,
        caption: Option<&str>,
    ) -> Result<(u64, RemoteMedia), SendError> {
        let uploaded = Self::answer(
            self.request(Method::POST, "/wp/v2/media", &[])
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .header(
                    reqwest::header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{file_name}\""),
                )
                .body(bytes),
        )
        .await?;
        let id = uploaded["id"]
            .as_u64()
            .ok_or_else(|| SendError::Failed("WordPress stored the photo without an id".into()))?;
        let mut fields = json!({ "alt_text": alt });
        if let Some(caption) = caption {
            fields["caption"] = json!(caption);
        }
        let route = format!("/wp/v2/media/{id}");
        let updated = self.json(Method::POST, &route, &[], Some(&fields)).await?;
        let url = updated["source_url"]
            .as_str()
            .or_else(|| uploaded["source_url"].as_str())
            .unwrap_or_default()
            .to_string();
        Ok((
            id,
            RemoteMedia {
                remote_id: id.to_string(),
                url,
            },
        ))
    }

    /// Creates the post, or updates post `existing` in place.
    pub async fn save_post(
        &self,
        existing: Option<&str>,
        fields: &PostFields,
    ) -> Result<RemotePost, SendError> {
        let mut body = json!({
            "title": fields.title,
            "content": fields.content,
            "excerpt": fields.excerpt,
            "slug": fields.slug,
            "status": fields.status,
            "date_gmt": fields.date_gmt,
            "categories": fields.categories,
            "tags": fields.tags,
        });
        if let Some(media) = fields.featured_media {
            body["featured_media"] = json!(media);
        }
        let route = match existing {
            Some(id) => format!("/wp/v2/posts/{id}"),
            None => "/wp/v2/posts".to_string(),
        };
        let saved = self.json(Method::POST, &route, &[], Some(&body)).await?;
        remote_post(&saved)
            .ok_or_else(|| SendError::Failed("WordPress saved the post without an id".into()))
    }

    /// Sets a post's status (`draft` to unpublish; `publish` to take a post out of the trash
    /// is done by [`Self::save_post`]).
    pub async fn set_status(&self, id: &str, status: &str) -> Result<RemotePost, SendError> {
        let route = format!("/wp/v2/posts/{id}");
        let saved = self
            .json(
                Method::POST,
                &route,
                &[],
                Some(&json!({ "status": status })),
            )
            .await?;
        remote_post(&saved)
            .ok_or_else(|| SendError::Failed("WordPress answered without the post".into()))
    }

    /// Moves a post to the trash; a post already in the trash (410) or gone (404) is done.
    pub async fn trash(&self, id: &str) -> Result<(), SendError> {
        let route = format!("/wp/v2/posts/{id}");
        match self.json(Method::DELETE, &route, &[], None).await {
            Ok(_) => Ok(()),
            Err(SendError::Failed(message))
                if message.starts_with("HTTP 410") || message.starts_with("HTTP 404") =>
            {
                Ok(())
            }
            Err(e) => Err(e),
        }
    }
}

fn remote_post(post: &Value) -> Option<RemotePost> {
    Some(RemotePost {
        remote_id: post["id"].as_u64()?.to_string(),
        remote_url: post["link"].as_str().map(str::to_string),
    })
}
