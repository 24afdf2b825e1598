//! Tauri's build step: the config lives at the repository root; the app's own commands get
//! generated `allow-*` permissions, and the capability file grants exactly those.

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(&[
        "app_info",
        "server_setup",
        "connect_server",
        "update_status",
        "check_for_update",
        "install_update",
        "login",
        "logout",
        "resume_session",
        "list_articles",
        "create_article",
        "load_article",
        "article_summary",
        "save_draft",
        "save_draft_blocks",
        "remember_place",
        "forget_open_article",
        "comment_drafts",
        "save_comment_drafts",
        "submit_article",
        "approve_article",
        "sync_now",
        "sync_status",
        "phonetic_preview",
        "phonetic_suggestions",
        "phonetic_previews",
        "paste_text",
        "paste_texts",
        "text_stats",
        "dateline",
        "spell_check",
        "add_to_dictionary",
        "share_word",
        "export_bijoy",
        "search_articles",
        "article_history",
        "diff_revisions",
        "save_version",
        "restore_revision",
        "add_image",
        "image_data_url",
        "published_times",
        "desk_queue",
        "act_on_article",
        "publish_article",
        "preview_article",
        "article_comments",
        "add_comment",
        "resolve_comment",
        "close_window",
        "public_url",
        "retry_delivery",
        "notifications",
        "set_notifications",
        "correct_article",
    ]);
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(manifest);
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {error:#}");
    }
}
