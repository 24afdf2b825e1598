//! The text caret rests after ten seconds without a key or a click, as in every GTK text field
//! (GTK's own fields stop blinking after `gtk-cursor-blink-timeout`, 10 s); WebKit's editor would
//! blink for ever, and an app left with an article open would redraw twice a second for it
//! (BENCHMARKS.md, the idle app). The next key or click makes it blink again.

use std::time::Duration;

/// How long the caret blinks after the last key or click.
const BLINK_FOR: Duration = Duration::from_secs(10);

/// Lets the caret of `window` rest after [`BLINK_FOR`] without input.
#[cfg(target_os = "linux")]
pub fn rest_when_idle(window: &tauri::WebviewWindow) -> tauri::Result<()> {
    window.with_webview(|webview| {
        use gtk::glib;
        use gtk::prelude::*;
        use std::cell::Cell;
        use std::rc::Rc;
        use std::time::Instant;

        let Some(settings) = gtk::Settings::default() else {
            return;
        };
        // The user's own choice of a caret that never blinks is kept.
        if !settings.is_gtk_cursor_blink() {
            return;
        }
        let view = webview.inner();
        let last_input = Rc::new(Cell::new(Instant::now()));
        let wake = {
            let settings = settings.clone();
            let last_input = Rc::clone(&last_input);
            move || {
                last_input.set(Instant::now());
                if !settings.is_gtk_cursor_blink() {
                    settings.set_gtk_cursor_blink(true);
                }
                glib::Propagation::Proceed
            }
        };
        let on_key = wake.clone();
        view.connect_key_press_event(move |_, _| on_key());
        view.connect_button_press_event(move |_, _| wake());
        glib::timeout_add_local(Duration::from_secs(1), move || {
            if last_input.get().elapsed() > BLINK_FOR && settings.is_gtk_cursor_blink() {
                settings.set_gtk_cursor_blink(false);
            }
            glib::ControlFlow::Continue
        });
    })
}

/// Elsewhere the system's own caret rules apply.
#[cfg(not(target_os = "linux"))]
pub fn rest_when_idle(_window: &tauri::WebviewWindow) -> tauri::Result<()> {
    Ok(())
}
