//! The desktop app's entry point: opens the local store, starts the background sync loop and
//! hands the window to Tauri. Everything else lives in [`core`] (logic) and [`commands`] (IPC).

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod caret;
mod commands;
mod core;
mod error;
mod instance;
mod ipc_types;
mod launch;
mod links;
mod media;
mod memory;
mod server_choice;
mod text;
mod updates;

use std::process::ExitCode;
use std::sync::Arc;

/// Draws the page without GPU compositing unless `BARTA_GPU_RENDERING=1`: where there is no
/// usable GPU (a bare X server, many office PCs) WebKit's compositing through a software GL
/// costs about 130 MB and a frame or two per keystroke (measured in BENCHMARKS.md), and a text
/// editor gains nothing from it.
#[cfg(target_os = "linux")]
fn software_rendering(window: &tauri::WebviewWindow) -> tauri::Result<()> {
    if std::env::var_os("BARTA_GPU_RENDERING").is_some_and(|v| v == "1") {
        return Ok(());
    }
    window.with_webview(|webview| {
        use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
        if let Some(settings) = webview.inner().settings() {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    })
}

#[cfg(not(target_os = "linux"))]
fn software_rendering(_window: &tauri::WebviewWindow) -> tauri::Result<()> {
    Ok(())
}

/// How long a closing window waits for the page to save what was typed in its last moments.
const CLOSE_SAVE_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// A close request first lets the page save the edits of the last moments (saving is
/// debounced): the page's `__bartaClose()` saves and then calls `close_window`. A page that has
/// not done so within [`CLOSE_SAVE_WAIT`], or a second close request, closes the window anyway.
fn close_after_saving(window: &tauri::Window, api: &tauri::CloseRequestApi) {
    use std::sync::atomic::{AtomicBool, Ordering};
    use tauri::Manager;
    static ASKED: AtomicBool = AtomicBool::new(false);
    if ASKED.swap(true, Ordering::SeqCst) {
        return;
    }
    let Some(webview) = window.get_webview_window(window.label()) else {
        return;
    };
    if webview
        .eval("window.__bartaClose ? window.__bartaClose() : window.close()")
        .is_err()
    {
        return;
    }
    api.prevent_close();
    let window = window.clone();
    std::thread::spawn(move || {
        std::thread::sleep(CLOSE_SAVE_WAIT);
        if let Err(e) = window.destroy() {
            tracing::warn!("closing the window: {e}");
        }
    });
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("BARTA_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    if let Some(reason) = missing_display() {
        eprintln!("barta-app: {reason}");
        return ExitCode::from(2);
    }
    let data_dir = core::data_dir_from_env();
    // One app per data directory, claimed before the store is opened: a second launch hands
    // its arguments to the first (whose window comes to the front) and writes nothing.
    let args: Vec<String> = std::env::args().skip(1).collect();
    let instance = match instance::claim(&data_dir, &args) {
        Ok(instance::Claim::First(instance)) => instance,
        Ok(instance::Claim::HandedOff { pid }) => {
            eprintln!(
                "barta-app: Barta is already open with these drafts (process {pid}); its window was brought to the front."
            );
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("barta-app: {e}\nbarta-app: {}", e.bengali());
            return ExitCode::from(3);
        }
    };
    let webview_data = data_dir.join("webview");
    // With no server yet (a first run), the page shows the setup screen and the app is opened
    // once the address is checked and saved (`commands::connect_server`).
    let server = server_choice::chosen_server(&data_dir);
    let shell = Arc::new(launch::Shell::new(data_dir, None));
    let context = tauri::generate_context!("../tauri.conf.json");
    core::set_app_version(context.package_info().version.to_string());
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_updater::Builder::new().build())
        .plugin(tauri_plugin_opener::init())
        .manage(shell.clone())
        .setup(move |handle| {
            if let Some(server) = server {
                shell
                    .start(handle.handle(), server)
                    .map_err(|e| format!("cannot open the local store: {}", e.message))?;
            }
            // The main window is made here so that its web storage lives in this instance's
            // data directory: two instances (a reporter's and an editor's) never share it.
            let window = handle
                .config()
                .app
                .windows
                .first()
                .cloned()
                .ok_or("tauri.conf.json defines no window")?;
            let window = tauri::WebviewWindowBuilder::from_config(handle, &window)?
                .data_directory(webview_data)
                .on_navigation(links::on_navigation(handle.handle().clone()))
                .on_new_window(links::on_new_window(handle.handle().clone()))
                .build()?;
            software_rendering(&window)?;
            caret::rest_when_idle(&window)?;
            let front = window.clone();
            instance.serve(move |args| {
                tracing::info!(?args, "a second launch was handed over");
                bring_to_front(&front);
            });
            Ok(())
        })
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                close_after_saving(window, api);
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::server_setup,
            commands::connect_server,
            commands::update_status,
            commands::check_for_update,
            commands::install_update,
            commands::login,
            commands::logout,
            commands::resume_session,
            commands::unlock,
            commands::lock_now,
            commands::still_here,
            commands::list_articles,
            commands::create_article,
            commands::load_article,
            commands::article_summary,
            commands::save_draft,
            commands::save_draft_blocks,
            commands::remember_place,
            commands::forget_open_article,
            commands::comment_drafts,
            commands::save_comment_drafts,
            commands::submit_article,
            commands::approve_article,
            commands::sync_now,
            commands::sync_status,
            commands::phonetic_preview,
            commands::phonetic_suggestions,
            commands::phonetic_previews,
            commands::paste_text,
            commands::paste_texts,
            commands::text_stats,
            commands::dateline,
            commands::spell_check,
            commands::add_to_dictionary,
            commands::share_word,
            commands::export_bijoy,
            commands::search_articles,
            commands::search_archive,
            commands::open_archived_article,
            commands::article_history,
            commands::diff_revisions,
            commands::save_version,
            commands::restore_revision,
            commands::add_image,
            commands::image_data_url,
            commands::published_times,
            commands::desk_queue,
            commands::act_on_article,
            commands::publish_article,
            commands::preview_article,
            commands::article_comments,
            commands::add_comment,
            commands::resolve_comment,
            commands::close_window,
            commands::public_url,
            commands::retry_delivery,
            commands::notifications,
            commands::set_notifications,
            commands::correct_article,
        ])
        .run(context);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("barta-app: {e}");
            ExitCode::from(1)
        }
    }
}

/// Shows the window in front with the keyboard focus (a second launch's request).
fn bring_to_front(window: &tauri::WebviewWindow) {
    let shown = window
        .unminimize()
        .and_then(|()| window.show())
        .and_then(|()| window.set_focus());
    if let Err(e) = shown {
        tracing::warn!("bringing the window to the front: {e}");
    }
}

/// On Linux the app needs an X11 or Wayland display; say so plainly instead of crashing.
fn missing_display() -> Option<String> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let has = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    if has("DISPLAY") || has("WAYLAND_DISPLAY") {
        return None;
    }
    Some(
        "no display: neither DISPLAY nor WAYLAND_DISPLAY is set. Run it from a desktop session, \
         or under a virtual display: `xvfb-run -a ./scripts/start`."
            .into(),
    )
}
