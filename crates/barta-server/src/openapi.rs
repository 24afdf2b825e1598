//! The API as an OpenAPI 3.1 document, served at `GET /openapi.json`. Written by hand from
//! sync.md; enumerations come from `barta_model` so they cannot drift, and a test compares the
//! paths and methods with the router's.

use crate::releases::{ARCHES, Bundle, TARGETS, UNKNOWN_BUNDLE};
use crate::store::sqlite::MAX_MEDIA_BYTES;
use barta_model::{Action, ErrorCode, Role, WorkflowState};
use serde_json::{Value, json};
use std::sync::OnceLock;

/// Every error code the API can answer with.
const ERROR_CODES: &[ErrorCode] = &[
    ErrorCode::BadRequest,
    ErrorCode::Invalid,
    ErrorCode::HashMismatch,
    ErrorCode::IdempotencyMismatch,
    ErrorCode::Unauthorized,
    ErrorCode::Forbidden,
    ErrorCode::NotFound,
    ErrorCode::Conflict,
    ErrorCode::UnresolvedConflict,
    ErrorCode::PayloadTooLarge,
    ErrorCode::UnsupportedMediaType,
    ErrorCode::Internal,
    ErrorCode::NotTried,
    ErrorCode::ClientTooOld,
    ErrorCode::TooManyRequests,
    ErrorCode::AccountDisabled,
    ErrorCode::QuotaExceeded,
];

fn names<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| name(*v)).collect()
}

fn reference(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn content(schema: Value) -> Value {
    json!({"application/json": {"schema": schema}})
}

fn ok(description: &str, schema: &str) -> Value {
    json!({"description": description, "content": content(reference(schema))})
}

fn error(description: &str) -> Value {
    json!({"description": description, "content": content(reference("Error"))})
}

/// The usual error answers plus `extra` (status → description).
fn responses(success: (&str, Value), extra: &[(&str, &str)]) -> Value {
    let mut map = serde_json::Map::new();
    map.insert(success.0.to_string(), success.1);
    for (status, description) in extra {
        map.insert((*status).to_string(), error(description));
    }
    map.insert(
        "400".into(),
        error("malformed request (JSON syntax, headers, path)"),
    );
    map.insert("500".into(), error("a bug"));
    Value::Object(map)
}

fn path_param(name: &str, description: &str, uuid: bool) -> Value {
    let schema = if uuid {
        json!({"type": "string", "format": "uuid"})
    } else {
        json!({"type": "string"})
    };
    json!({"name": name, "in": "path", "required": true, "description": description, "schema": schema})
}

fn page_params() -> Value {
    json!([
        {"name": "since", "in": "query", "required": false,
         "description": "cursor: the `next` of the previous page (0 for the start)",
         "schema": {"type": "integer", "format": "int64", "minimum": 0}},
        {"name": "limit", "in": "query", "required": false,
         "description": "page size (default 100, at most 1000)",
         "schema": {"type": "integer", "minimum": 1, "maximum": 1000}}
    ])
}

/// A revision id in quotes (weak tags accepted), as `If-Match` carries it.
const QUOTED_UUID: &str =
    "^(W/)?\"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\"$";

fn if_match(required: bool, description: &str) -> Value {
    json!({"name": "If-Match", "in": "header", "required": required, "description": description,
           "schema": {"type": "string", "pattern": QUOTED_UUID}})
}

fn body(schema: &str) -> Value {
    json!({"required": true, "content": content(reference(schema))})
}

fn schemas() -> Value {
    let uuid = json!({"type": "string", "format": "uuid"});
    let sha = json!({"type": "string", "pattern": "^[0-9a-f]{64}$"});
    let states = names(WorkflowState::ALL, WorkflowState::as_str);
    let revision_fields = json!({
        "id": uuid, "article_id": uuid,
        "parent": {"type": ["string", "null"], "format": "uuid"},
        "merge_parent": uuid,
        "author": {"type": "string"},
        "meta": reference("ArticleMeta"), "body": reference("Document"),
        "sha256": sha, "created_at": {"type": "string"},
        "seq": {"type": "integer", "format": "int64"}
    });
    // A separate value: one json! literal this deep reaches the macro recursion limit.
    let revision_push = json!({
        "type": "object",
        "description": "send `body`, or `delta` (the blocks changed since `parent`) instead; \
            the hash is over the full body either way. The request body may be sent with \
            `Content-Encoding: zstd` or `gzip`.",
        "required": ["id", "parent", "meta", "sha256", "created_at"],
        "additionalProperties": false,
        "oneOf": [{"required": ["body"]}, {"required": ["delta", "parent"]}],
        "properties": {
            "id": uuid,
            "parent": {"type": ["string", "null"], "format": "uuid"},
            "merge_parent": uuid,
            "meta": reference("ArticleMeta"), "body": reference("Document"),
            "delta": reference("BlockDelta"),
            "sha256": {"type": "string", "description":
                "lowercase hex SHA-256 of the JCS of {\"body\", \"meta\"} as sent"},
            "created_at": {"type": "string", "description": "client time, informational"}
        }
    });
    let block_delta = json!({
        "type": "object", "required": ["order", "blocks"], "additionalProperties": false,
        "properties": {
            "order": {"type": "array", "description":
                "the new block order: [start, end) runs of the parent's blocks, or ids of carried blocks",
                "items": {"oneOf": [
                    {"type": "array", "items": {"type": "integer", "minimum": 0},
                     "minItems": 2, "maxItems": 2},
                    {"type": "string"}]}},
            "blocks": {"type": "array", "description": "new and changed blocks, in full",
                       "items": {"type": "object"}}
        }
    });
    let mut schemas = json!({
        "Error": {
            "type": "object", "required": ["error"],
            "properties": {"error": {
                "type": "object", "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string", "enum": names(ERROR_CODES, ErrorCode::as_str)},
                    "message": {"type": "string"}
                }
            }}
        },
        "Health": {
            "type": "object",
            "required": ["status", "store", "service", "api", "version", "min_client_version"],
            "properties": {
                "status": {"type": "string"}, "store": {"type": "string"},
                "service": {"type": "string", "const": "barta"},
                "api": {"type": "integer"},
                "version": {"type": "string"},
                "min_client_version": {"type": ["string", "null"],
                    "description": "apps older than this are answered 426 client_too_old"}
            }
        },
        "LoginRequest": {
            "type": "object", "required": ["username", "password"], "additionalProperties": false,
            "properties": {"username": {"type": "string"}, "password": {"type": "string"}}
        },
        "User": {
            "type": "object", "required": ["id", "username", "role", "desks"],
            "properties": {
                "id": uuid, "username": {"type": "string"},
                "role": {"type": "string", "enum": names(Role::ALL, Role::as_str)},
                "desks": {"type": "array", "items": {"type": "string"}}
            }
        },
        "Lexicon": {
            "type": "object", "required": ["words", "style_suggestions"],
            "properties": {
                "words": {"type": "array", "items": {
                    "type": "object", "required": ["word", "articles"],
                    "properties": {"word": {"type": "string"},
                                   "articles": {"type": "integer", "minimum": 0}}
                }},
                "style_suggestions": {"type": "boolean"}
            }
        },
        "LexiconWord": {
            "type": "object", "required": ["word"],
            "properties": {"word": {"type": "string"}}
        },
        "DeskList": {
            "type": "object", "required": ["desks"],
            "properties": {"desks": {"type": "array", "items": {
                "type": "object", "required": ["slug", "name"],
                "properties": {"slug": {"type": "string"}, "name": {"type": "string"}}
            }}}
        },
        "Session": {
            "type": "object", "required": ["token", "expires_in", "user"],
            "properties": {
                "token": {"type": "string"},
                "expires_in": {"type": "integer", "description": "seconds"},
                "user": reference("User"),
                "app_lock_after": {"type": "integer", "description": "seconds unused before the app locks its store"}
            }
        },
        "ArticleMeta": {
            "type": "object", "required": ["headline", "desk"], "additionalProperties": false,
            "properties": {
                "headline": {"type": "string"},
                "desk": {"type": "string", "description": "a desk slug"},
                "slugline": {"type": "string"}, "byline": {"type": "string"},
                "dateline_place": {"type": "string"}, "source_line": {"type": "string"},
                "sign_off": {"type": "string"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "urgency": {"type": "integer", "minimum": 0, "maximum": 255},
                "embargo": {"type": "string", "description": "RFC 3339, UTC"}
            }
        },
        "Node": {
            "type": "object", "required": ["type"], "additionalProperties": false,
            "properties": {
                "type": {"type": "string"},
                "attrs": {"type": "object"},
                "content": {"type": "array", "items": reference("Node")},
                "text": {"type": "string"},
                "marks": {"type": "array", "items": {
                    "type": "object", "required": ["type"],
                    "properties": {"type": {"type": "string"}, "attrs": {"type": "object"}}
                }}
            }
        },
        "Document": {
            "type": "object", "required": ["type"], "additionalProperties": false,
            "description": "ProseMirror-style; every top-level block carries a unique attrs.id",
            "properties": {
                "type": {"const": "doc"},
                "content": {"type": "array", "items": reference("Node")}
            }
        },
        "RevisionPush": revision_push,
        "BlockDelta": block_delta,
        "Revision": {
            "type": "object",
            "required": ["id", "article_id", "parent", "author", "meta", "body", "sha256",
                         "created_at", "seq"],
            "properties": revision_fields
        },
        "PushAccepted": {
            "type": "object", "required": ["head", "seq"],
            "properties": {"head": uuid, "seq": {"type": "integer", "format": "int64"}}
        },
        "BatchPushRequest": {
            "type": "object", "required": ["items"], "additionalProperties": false,
            "properties": {"items": {
                "type": "array", "minItems": 1, "maxItems": barta_model::api::MAX_BATCH,
                "items": {
                    "type": "object", "required": ["article_id", "revision"],
                    "additionalProperties": false,
                    "properties": {"article_id": uuid, "revision": {
                        "type": "object",
                        "description": "a RevisionPush (that schema); each item is checked on \
                            its own and a bad one is refused in its result, not the request"
                    }}
                }
            }}
        },
        "BatchPushResponse": {
            "type": "object", "required": ["results"],
            "properties": {"results": {"type": "array", "items": {
                "type": "object", "required": ["status"],
                "description": "what the single push would answer: 201 with `accepted`, 409 \
                    with `conflict`, a 4xx with `error`; 424 (`not_tried`) after an item of \
                    the same article that was not accepted",
                "properties": {
                    "status": {"type": "integer"},
                    "accepted": reference("PushAccepted"),
                    "conflict": reference("PushConflict"),
                    "error": {
                        "type": "object", "required": ["code", "message"],
                        "properties": {
                            "code": {"type": "string", "enum": names(ERROR_CODES, ErrorCode::as_str)},
                            "message": {"type": "string"}
                        }
                    }
                }
            }}}
        },
        "PushConflict": {
            "type": "object", "required": ["head", "head_revision", "stored"],
            "properties": {
                "head": uuid, "head_revision": reference("Revision"),
                "stored": {"type": "boolean"}
            }
        },
        "Article": {
            "type": "object",
            "required": ["id", "desk", "state", "author", "head", "head_revision"],
            "properties": {
                "id": uuid, "desk": {"type": "string"},
                "state": {"type": "string", "enum": states},
                "author": {"type": "string"}, "head": uuid,
                "head_revision": reference("Revision"),
                "approval": reference("Approval"),
                "publication_id": {"type": "string"},
                "deliveries": reference("Deliveries")
            }
        },
        "Deliveries": {
            "type": "array",
            "description": "the latest delivery of the article to each publish target (the newsroom's website)",
            "items": {
                "type": "object",
                "required": ["target", "event", "state", "attempts"],
                "properties": {
                    "target": {"type": "string"},
                    "event": {"type": "string", "enum": ["publish", "schedule", "correct", "unpublish", "kill"]},
                    "state": {"type": "string", "enum": ["pending", "delivered", "failed"]},
                    "remote_url": {"type": "string"},
                    "error": {"type": "string"},
                    "attempts": {"type": "integer", "minimum": 0},
                    "next_attempt_at": {"type": "string"}
                }
            }
        },
        "History": {"type": "array", "items": reference("Revision")},
        "Change": {
            "type": "object",
            "required": ["seq", "kind", "article_id", "desk", "state", "author", "head", "at"],
            "properties": {
                "seq": {"type": "integer", "format": "int64"},
                "kind": {"type": "string", "enum": ["revision", "state"]},
                "article_id": uuid, "desk": {"type": "string"},
                "state": {"type": "string", "enum": states},
                "author": {"type": "string"}, "head": uuid,
                "revision": reference("Revision"),
                "note": {"type": "string"}, "at": {"type": "string"}
            }
        },
        "ChangesPage": {
            "type": "object", "required": ["changes", "next"],
            "properties": {
                "changes": {"type": "array", "items": reference("Change")},
                "next": {"type": "integer", "format": "int64"}
            }
        },
        "WindowPage": {
            "type": "object", "required": ["as_of", "days", "articles"],
            "properties": {
                "as_of": {"type": "integer", "format": "int64",
                          "description": "the feed's last sequence number when the page was read: read the feed from the first page's once every page is applied"},
                "days": {"type": "integer", "minimum": 0,
                         "description": "the newsroom's window: articles changed in this many days are in it"},
                "articles": {"type": "array", "items": reference("Change"),
                             "description": "each article's latest feed entry, carrying its head revision"},
                "next_after": {"type": "string", "format": "uuid",
                               "description": "the `after` of the next page; absent on the last"}
            }
        },
        "TextRun": {
            "type": "object", "required": ["text", "hit"],
            "properties": {"text": {"type": "string"}, "hit": {"type": "boolean"}}
        },
        "ArchiveHit": {
            "type": "object",
            "required": ["id", "headline", "desk", "state", "author", "touched_at", "score",
                         "headline_runs", "snippet"],
            "properties": {
                "id": uuid, "headline": {"type": "string"}, "desk": {"type": "string"},
                "state": {"type": "string", "enum": states}, "author": {"type": "string"},
                "touched_at": {"type": "string"}, "score": {"type": "number"},
                "headline_runs": {"type": "array", "items": reference("TextRun")},
                "snippet": {"type": "array", "items": reference("TextRun")}
            }
        },
        "ArchiveSearchPage": {
            "type": "object", "required": ["hits"],
            "properties": {"hits": {"type": "array", "items": reference("ArchiveHit")}}
        },
        "TransitionRequest": {
            "type": "object", "required": ["action", "rev_id"], "additionalProperties": false,
            "properties": {
                "action": {"type": "string", "enum": names(Action::ALL, Action::as_str)},
                "rev_id": uuid, "note": {"type": "string"}
            }
        },
        "TransitionResponse": {
            "type": "object", "required": ["state"],
            "properties": {"state": {"type": "string", "enum": states}}
        },
        "ApproveRequest": {
            "type": "object", "required": ["rev_id", "sha256"], "additionalProperties": false,
            "properties": {"rev_id": uuid, "sha256": {"type": "string"}}
        },
        "ApproveResponse": {
            "type": "object", "required": ["approval_id"],
            "properties": {"approval_id": {"type": "string"}}
        },
        "PublishRequest": {
            "type": "object", "required": ["approval_id"], "additionalProperties": false,
            "properties": {
                "approval_id": {"type": "string"},
                "at": {"type": "string", "format": "date-time",
                       "description": "RFC 3339; in the future = scheduled"}
            }
        },
        "PublishResponse": {
            "type": "object", "required": ["publication_id"],
            "properties": {"publication_id": {"type": "string"}}
        },
        "NinjsItem": {
            "type": "object", "description": "an IPTC ninjs 2.x item",
            "required": ["uri", "type", "version", "versioncreated", "language", "headlines",
                         "bodies"],
            "properties": {
                "uri": {"type": "string"}, "type": {"type": "string"},
                "version": {"type": "string"}, "firstcreated": {"type": "string"},
                "versioncreated": {"type": "string"}, "pubstatus": {"type": "string"},
                "language": {"type": "string"},
                "headlines": {"type": "array", "items": {"type": "object"}},
                "bodies": {"type": "array", "items": {"type": "object"}},
                "altids": {"type": "array", "items": {"type": "object"}}
            }
        },
        "PublishedFeed": {
            "type": "object", "required": ["items", "next"],
            "properties": {
                "items": {"type": "array", "items": reference("NinjsItem")},
                "next": {"type": "integer", "format": "int64"}
            }
        }
    });
    for extra in [review_schemas(), app_schemas()] {
        if let (Some(all), Value::Object(extra)) = (schemas.as_object_mut(), extra) {
            all.extend(extra);
        }
    }
    schemas
}

/// What tauri-plugin-updater reads from a dynamic update server.
fn app_schemas() -> Value {
    let text = json!({"type": "string"});
    json!({
        "AppUpdate": {
            "type": "object", "required": ["version", "notes", "pub_date", "url", "signature"],
            "properties": {
                "version": text,
                "notes": text,
                "pub_date": {"type": "string", "format": "date-time"},
                "url": {"type": "string", "format": "uri",
                        "description": "absolute: under `barta serve --public-url`, else the request's host over http"},
                "signature": {"type": "string",
                              "description": "the `.sig` file's text: base64 of a minisign signature"}
            }
        }
    })
}

/// Approvals, comments and presence (the desk editor's review).
fn review_schemas() -> Value {
    let uuid = json!({"type": "string", "format": "uuid"});
    let text = json!({"type": "string"});
    let anchor = json!({
        "type": "object", "required": ["block_id", "start", "end", "quote"],
        "description": "a passage of a top-level block: offsets in Unicode scalar values of \
            the block's text when the comment was made, and the passage itself",
        "properties": {
            "block_id": text, "quote": text,
            "start": {"type": "integer", "minimum": 0},
            "end": {"type": "integer", "minimum": 0}
        }
    });
    let comment_put = json!({
        "type": "object", "required": ["anchor", "body", "created_at"],
        "additionalProperties": false,
        "properties": {
            "parent_id": uuid, "anchor": reference("CommentAnchor"), "body": text,
            "resolved": {"type": "boolean"}, "created_at": text
        }
    });
    let comment = json!({
        "type": "object",
        "required": ["id", "article_id", "anchor", "author", "body", "created_at"],
        "properties": {
            "id": uuid, "article_id": uuid, "parent_id": uuid,
            "anchor": reference("CommentAnchor"), "author": text, "body": text,
            "created_at": text, "resolved_at": text, "resolved_by": text
        }
    });
    let approval = json!({
        "type": "object", "required": ["id", "rev_id", "sha256", "editor", "at"],
        "properties": {"id": text, "rev_id": uuid, "sha256": text, "editor": text, "at": text}
    });
    let presence = json!({
        "type": "array", "description": "who else has the article open, longest first",
        "items": {"type": "object", "required": ["username", "role", "since"],
                  "properties": {"username": text,
                                 "role": {"type": "string", "enum": names(Role::ALL, Role::as_str)},
                                 "since": text}}
    });
    let correct = json!({
        "type": "object", "required": ["rev_id", "sha256", "note"],
        "additionalProperties": false,
        "properties": {"rev_id": uuid, "sha256": text, "note": text}
    });
    let upload = json!({
        "type": "object", "required": ["id", "sha256", "length", "offset", "complete"],
        "properties": {"id": text, "sha256": text, "length": {"type": "integer"},
                       "offset": {"type": "integer"}, "complete": {"type": "boolean"}}
    });
    json!({
        "MediaUpload": upload,
        "CorrectRequest": correct,
        "CommentAnchor": anchor, "CommentPut": comment_put, "Comment": comment,
        "Comments": {"type": "array", "items": reference("Comment")},
        "Approval": approval, "Presence": presence
    })
}

fn paths() -> Value {
    let published_item_ok = json!({"description": "the item", "content": {
        "application/json": {"schema": reference("NinjsItem")},
        "text/html": {"schema": {"type": "string"}}
    }});
    let article = path_param("id", "the article id", true);
    let auth = [("401", "no valid token")];
    let authz = [
        ("401", "no valid token"),
        ("403", "not allowed for this role or desk"),
    ];
    json!({
        "/healthz": {"get": {
            "summary": "liveness and the store's state", "security": [],
            "responses": {
                "200": ok("up", "Health"),
                "503": {"description": "the store fails", "content": content(reference("Health"))}
            }
        }},
        "/openapi.json": {"get": {
            "summary": "this document", "security": [],
            "responses": {"200": {"description": "OpenAPI 3.1",
                                  "content": content(json!({"type": "object"}))}}
        }},
        "/v1/session": {
            "post": {
                "summary": "log in", "security": [], "requestBody": body("LoginRequest"),
                "responses": responses(("200", ok("a session", "Session")), &[
                    ("401", "wrong username or password"),
                    ("403", "account_disabled: the password is right but an administrator disabled the account"),
                    ("429", "too many failed logins for the account or from the address; `Retry-After` says when to try again"),
                    ("415", "not JSON"), ("422", "fields missing or of the wrong type")])
            },
            "delete": {
                "summary": "log out (revoke the token)",
                "responses": responses(("204", json!({"description": "revoked"})), &auth)
            }
        },
        "/v1/me": {"get": {
            "summary": "who am I",
            "responses": responses(("200", ok("the caller", "User")), &auth)
        }},
        "/v1/desks": {"get": {
            "summary": "the caller's desks with their display names, by slug",
            "responses": responses(("200", ok("the desks", "DeskList")), &auth)
        }},
        "/v1/lexicon": {"get": {
            "summary": "the newsroom's lexicon for spelling: words two published articles used and words editors added, sorted",
            "responses": responses(("200", ok("the words", "Lexicon")), &auth)
        }},
        "/v1/lexicon/{word}": {"put": {
            "summary": "add a word to the newsroom's lexicon (editors and admins); idempotent",
            "parameters": [path_param("word", "one Bengali word (normalized on arrival)", false)],
            "responses": responses(("200", ok("the word as stored", "LexiconWord")), &[
                authz[0], authz[1], ("422", "not one Bengali word of at most 64 characters")])
        }},
        "/v1/articles/{id}": {"get": {
            "summary": "the current head with metadata; ETag = the head revision id",
            "parameters": [article],
            "responses": responses(("200", ok("the article", "Article")),
                                   &[authz[0], authz[1], ("404", "no such article")])
        }},
        "/v1/articles/{id}/revisions": {
            "post": {
                "summary": "push a revision (idempotent by its id)",
                "parameters": [
                    article,
                    {"name": "Idempotency-Key", "in": "header", "required": true,
                     "description": "the revision's id", "schema": {"type": "string", "format": "uuid"}},
                    if_match(false, "the parent revision id in quotes; absent for the first revision")
                ],
                "requestBody": body("RevisionPush"),
                "responses": responses(("201", ok("stored as the new head (also the replay answer)", "PushAccepted")), &[
                    authz[0], authz[1],
                    ("409", "the head moved; the revision is stored as a sibling (PushConflict body)"),
                    ("404", "the parent of a delta push is not a visible revision"),
                    ("413", "body (compressed or decompressed) or document too large"),
                    ("415", "not JSON, or a Content-Encoding other than zstd/gzip"),
                    ("422", "invalid content, unknown desk or parent, a delta that does not apply, hash_mismatch, idempotency_mismatch")])
            },
            "get": {
                "summary": "history, newest first", "parameters": [article],
                "responses": responses(("200", ok("revisions", "History")),
                                       &[authz[0], authz[1], ("404", "no such article")])
            }
        },
        "/v1/revisions/batch": {"post": {
            "summary": "push many revisions at once, committed together; each item is checked \
                and answered as the single push (its id is its idempotency key, its parent its \
                If-Match), and a delta may be relative to an earlier item",
            "requestBody": body("BatchPushRequest"),
            "responses": responses(("200", ok("one result per item, in order", "BatchPushResponse")), &[
                authz[0],
                ("413", "body (compressed or decompressed) too large"),
                ("415", "not JSON, or a Content-Encoding other than zstd/gzip"),
                ("422", "no items, or more than the most a batch may hold")])
        }},
        "/v1/articles/{id}/transitions": {"post": {
            "summary": "a workflow action (submit, take, return, spike, unspike, …)",
            "parameters": [article], "requestBody": body("TransitionRequest"),
            "responses": responses(("200", ok("the new state", "TransitionResponse")), &[
                authz[0], authz[1], ("404", "no such article"),
                ("409", "stale rev_id or a state that does not allow the action"),
                ("422", "approve/schedule/publish have their own routes")])
        }},
        "/v1/articles/{id}/approve": {"post": {
            "summary": "approve an exact version",
            "parameters": [article, if_match(true, "the head revision the editor reviewed")],
            "requestBody": body("ApproveRequest"),
            "responses": responses(("200", ok("approved", "ApproveResponse")), &[
                authz[0], authz[1], ("404", "no such article"), ("409", "the head moved"),
                ("422", "unresolved conflict blocks, or a sha256 that is not the revision's")])
        }},
        "/v1/articles/{id}/publish": {"post": {
            "summary": "publish an approval now, or schedule it (`at` in the future)",
            "parameters": [article], "requestBody": body("PublishRequest"),
            "responses": responses(("200", ok("published", "PublishResponse")), &[
                authz[0], authz[1], ("404", "no such article or approval"),
                ("409", "not the latest approval, or a state that does not allow publishing"),
                ("422", "`at` is not RFC 3339, or is in the past")])
        }},
        "/v1/articles/{id}/correct": {"post": {
            "summary": "approve the corrected version of a published article and publish it in its place, with a note for readers",
            "parameters": [article, if_match(true, "the head revision the editor corrected")],
            "requestBody": body("CorrectRequest"),
            "responses": responses(("200", ok("published", "PublishResponse")), &[
                authz[0], authz[1], ("404", "no such article"),
                ("409", "the head moved, or the article is not published"),
                ("422", "unresolved conflict blocks, a sha256 that is not the revision's, or no note")])
        }},
        "/v1/articles/{id}/deliveries/{target}/retry": {"post": {
            "summary": "send the article's failed delivery to a publish target again (editors and admins of its desk)",
            "parameters": [article, path_param("target", "the publish target's name", false)],
            "responses": responses(("200", ok("the article's deliveries", "Deliveries")), &[
                authz[0], authz[1], ("404", "no such article, or no delivery of it to that target"),
                ("409", "the latest delivery went through already")])
        }},
        "/v1/articles/{id}/comments": {"get": {
            "summary": "the article's comments, oldest first",
            "parameters": [article],
            "responses": responses(("200", ok("the comments", "Comments")),
                                   &[authz[0], authz[1], ("404", "no such article")])
        }},
        "/v1/articles/{id}/comments/{comment}": {"put": {
            "summary": "add a comment (or a reply) by its client-made id, or resolve it; idempotent",
            "parameters": [article, path_param("comment", "the comment id (a UUID made by the client)", true)],
            "requestBody": body("CommentPut"),
            "responses": responses(("200", ok("the stored comment", "Comment")), &[
                authz[0], authz[1], ("404", "no such article"),
                ("409", "the id was used for another comment"),
                ("422", "empty or oversize comment, bad anchor, unknown parent")])
        }},
        "/v1/articles/{id}/presence": {
            "put": {
                "summary": "soft presence: I have the article open (a heartbeat, every ~20 s; never a lock)",
                "parameters": [article],
                "responses": responses(("200", ok("who else has it open", "Presence")),
                                       &[authz[0], authz[1], ("404", "no such article")])
            },
            "delete": {
                "summary": "I closed the article",
                "parameters": [article],
                "responses": responses(("204", json!({"description": "noted"})), &auth)
            }
        },
        "/v1/media": {"post": {
            "summary": "start a resumable photo upload (tus 1.0 creation): `Upload-Length` and `Upload-Metadata: sha256 <base64>,content-type <base64>`; the caller's upload of the same file is found again",
            "parameters": [
                {"name": "Upload-Length", "in": "header", "required": true,
                 "schema": {"type": "integer", "minimum": 1, "maximum": MAX_MEDIA_BYTES}},
                {"name": "Upload-Metadata", "in": "header", "required": true, "schema": {"type": "string"}}
            ],
            "responses": responses(("201", ok("the upload (Location, Upload-Offset)", "MediaUpload")), &[
                auth[0], ("409", "an upload of this file exists with another length"),
                ("422", "bad hash, length or image type")])
        }},
        "/v1/media/{id}": {
            "get": {
                "summary": "a completely uploaded photo by its SHA-256: to anyone while a live \
                    publication shows it, otherwise to its uploader and to users who may read \
                    an article that shows it",
                "security": [{}, {"bearer": []}],
                "parameters": [path_param("id", "the photo's SHA-256", false)],
                "responses": responses(("200", json!({"description": "the photo",
                    "content": {"image/*": {"schema": {"type": "string", "format": "binary"}}}})),
                    &[auth[0], ("404", "no such photo, not completely uploaded, or not shown to this caller")])
            },
            "head": {
                "summary": "where an upload stands (`Upload-Offset`, `Upload-Length`)",
                "parameters": [path_param("id", "the upload id", false)],
                "responses": responses(("200", json!({"description": "the offset in headers"})),
                                       &[auth[0], ("404", "no such upload of yours")])
            },
            "patch": {
                "summary": "a chunk at `Upload-Offset` (`application/offset+octet-stream`); the last one checks the SHA-256",
                "parameters": [path_param("id", "the upload id", false),
                    {"name": "Upload-Offset", "in": "header", "required": true,
                     "schema": {"type": "integer", "minimum": 0, "maximum": MAX_MEDIA_BYTES}}],
                "requestBody": {"required": true, "content": {"application/offset+octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
                "responses": responses(("204", json!({"description": "stored (the new Upload-Offset in a header)"})), &[
                    auth[0], ("404", "no such upload of yours"),
                    ("409", "the offset is not the upload's offset"),
                    ("415", "not application/offset+octet-stream"),
                    ("422", "a bad chunk, or the bytes do not hash to the declared SHA-256 (the upload starts again)")])
            }
        },
        "/v1/revisions/{rev}": {"get": {
            "summary": "one revision",
            "parameters": [path_param("rev", "the revision id", true)],
            "responses": responses(("200", ok("the revision", "Revision")),
                                   &[authz[0], authz[1], ("404", "no such revision")])
        }},
        "/v1/changes": {"get": {
            "summary": "revisions and state changes the caller may see, in server order",
            "parameters": page_params(),
            "responses": responses(("200", ok("a page", "ChangesPage")), &auth)
        }},
        "/v1/window": {"get": {
            "summary": "the articles a new laptop holds in full, by id: every one not yet published or killed, the caller's own, and every one changed in the newsroom's last N days, among those the caller may read",
            "parameters": [
                {"name": "after", "in": "query", "required": false,
                 "description": "the `next_after` of the previous page (none for the first)",
                 "schema": {"type": "string", "format": "uuid"}},
                {"name": "limit", "in": "query", "required": false,
                 "description": "page size (default 100, at most 1000)",
                 "schema": {"type": "integer", "minimum": 1, "maximum": 1000}}
            ],
            "responses": responses(("200", ok("a page", "WindowPage")), &auth)
        }},
        "/v1/search": {"get": {
            "summary": "the archive searched: the articles the caller may read holding every word of `q` (inflected or spelt loosely; `word*` for words starting with it), best first",
            "parameters": [
                {"name": "q", "in": "query", "required": true,
                 "description": "the words to search for (Bengali, Latin or digits)",
                 "schema": {"type": "string", "minLength": 1, "maxLength": 200}},
                {"name": "limit", "in": "query", "required": false,
                 "description": "hits (default 20, at most 50)",
                 "schema": {"type": "integer", "minimum": 1, "maximum": 50}}
            ],
            "responses": responses(("200", ok("the hits", "ArchiveSearchPage")),
                                   &[auth[0], ("400", "no words to search for, a query over 200 characters or a bad limit")])
        }},
        "/v1/published": {"get": {
            "summary": "the published feed (ninjs 2.x)", "security": [],
            "parameters": page_params(),
            "responses": responses(("200", ok("a page", "PublishedFeed")), &[])
        }},
        "/v1/published/{id}": {"get": {
            "summary": "one published item: ninjs 2.x, or with `Accept: text/html` the page the server renders and sanitizes",
            "security": [],
            "parameters": [path_param("id", "the publication id", false)],
            "responses": responses(("200", published_item_ok),
                                   &[("404", "no such publication (or not public yet)")])
        }}
    })
}

/// A semantic version as the `semver` crate reads it (digits written `[0-9]`, so that the
/// examples a fuzzer makes from it are ASCII).
pub const SEMVER_PATTERN: &str = concat!(
    r"^(0|[1-9][0-9]{0,9})\.(0|[1-9][0-9]{0,9})\.(0|[1-9][0-9]{0,9})",
    r"(-(0|[1-9][0-9]{0,9}|[0-9]*[A-Za-z-][0-9A-Za-z-]*)(\.(0|[1-9][0-9]{0,9}|[0-9]*[A-Za-z-][0-9A-Za-z-]*))*)?",
    r"(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$"
);

/// The app update routes (public: see `crate::updates`).
fn app_paths() -> Value {
    let bundles: Vec<&str> = Bundle::ALL
        .iter()
        .map(|b| b.as_str())
        .chain([UNKNOWN_BUNDLE])
        .collect();
    let mut update_responses = responses(
        (
            "200",
            ok(
                "the newest release newer than `current_version`",
                "AppUpdate",
            ),
        ),
        &[
            (
                "400",
                "an unknown target, arch or bundle, or a current_version that is not semver",
            ),
            ("404", "no such route (an empty path segment)"),
        ],
    );
    update_responses["204"] = json!({"description": "no newer release: the app is up to date"});
    json!({
        "/v1/app/update/{target}/{arch}/{current_version}": {"get": {
            "summary": "tauri-plugin-updater's update check: the newest release of the desktop \
                app newer than `current_version` for the platform (and the bundle, when named)",
            "security": [],
            "parameters": [
                {"name": "target", "in": "path", "required": true,
                 "description": "the plugin's `{{target}}`",
                 "schema": {"type": "string", "enum": TARGETS}},
                {"name": "arch", "in": "path", "required": true,
                 "description": "the plugin's `{{arch}}`",
                 "schema": {"type": "string", "enum": ARCHES}},
                {"name": "current_version", "in": "path", "required": true,
                 "description": "the plugin's `{{current_version}}`: the app's version",
                 "schema": {"type": "string", "pattern": SEMVER_PATTERN}},
                {"name": "bundle", "in": "query", "required": false,
                 "description": "the plugin's `{{bundle_type}}`; absent or `unknown`: any bundle, \
                    the plugin's default format first",
                 "schema": {"type": "string", "enum": bundles}}
            ],
            "responses": update_responses
        }},
        "/v1/app/releases/{version}/{file}": {"get": {
            "summary": "a release's package (the `url` of an update answer), streamed",
            "security": [],
            "parameters": [path_param("version", "the release's version", false),
                           path_param("file", "the package's file name", false)],
            "responses": responses(("200", json!({"description": "the package",
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}})),
                &[("404", "no such release file")])
        }}
    })
}

/// Every operation that reads a request body can refuse it for its size (413); one that reads
/// JSON also for not being JSON (415) and for fields that do not fit (422). Added here once so
/// that no operation's list can forget them.
fn with_body_refusals(mut paths: Value) -> Value {
    let operations = paths
        .as_object_mut()
        .into_iter()
        .flat_map(|paths| paths.values_mut())
        .filter_map(Value::as_object_mut)
        .flat_map(|methods| methods.values_mut());
    for operation in operations {
        let Some(body) = operation.get("requestBody") else {
            continue;
        };
        let json_body = body["content"].get("application/json").is_some();
        let Some(responses) = operation
            .get_mut("responses")
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        let mut add = |status: &str, description: &str| {
            responses
                .entry(status)
                .or_insert_with(|| error(description));
        };
        add("413", "the request body is larger than this server accepts");
        add(
            "408",
            "the request, its body included, took longer than the server allows (`barta serve --request-timeout`)",
        );
        if json_body {
            add(
                "415",
                "not JSON (`Content-Type: application/json`), or a Content-Encoding other than zstd/gzip",
            );
            add("422", "fields missing, unknown or of the wrong type");
        }
    }
    paths
}

fn all_paths() -> Value {
    let mut all = paths();
    if let (Some(all), Value::Object(app)) = (all.as_object_mut(), app_paths()) {
        all.extend(app);
    }
    all
}

/// The OpenAPI 3.1 document (built once).
pub fn document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        json!({
            "openapi": "3.1.0",
            "info": {
                "title": "Barta publishing backend",
                "version": env!("CARGO_PKG_VERSION"),
                "description": "The sync and publishing API of sync.md. Errors are always \
                    {\"error\": {\"code\", \"message\"}} with a stable code."
            },
            "security": [{"bearer": []}],
            "components": {
                "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                "schemas": schemas()
            },
            "paths": with_body_refusals(all_paths())
        })
    })
}
