//! Any size works: tiny terminals get a short message, never a panic.

use ratatui::crossterm::event::KeyCode;

use crate::support::*;

/// Plays `steps` ("\n" is Enter, "\x1b" Esc, anything else typed), drawing the screen at
/// every size after each.
fn play_at_sizes(
    app: &mut settle::app::App,
    store: &mut settle::store::Store,
    steps: &[&str],
    sizes: &[(u16, u16)],
) {
    for step in steps {
        match *step {
            "\n" => enter(app, store),
            "\x1b" => esc(app, store),
            s => typ(app, store, s),
        }
        for (w, h) in sizes {
            render(app, *w, *h);
        }
    }
}

#[test]
fn tiny_sizes_never_panic_on_any_screen() {
    let (mut app, mut store) = demo();
    let sizes = [(1, 1), (20, 5), (59, 14), (60, 15), (61, 16), (200, 3), (3, 60)];
    let steps: &[&str] =
        &["", "2", "<", "3", "\n", "\n", "p", "\x1b", "s", "\x1b", "?", "\x1b", "a", "c", "\x1b", "4", "/x"];
    play_at_sizes(&mut app, &mut store, steps, &sizes);
    let (app, _store) = empty();
    for (w, h) in sizes {
        render(&app, w, h);
    }
}

#[test]
fn a_small_terminal_asks_to_be_enlarged() {
    let (app, _store) = demo();
    let text = screen(&app, 59, 14);
    assert!(text.contains("Enlarge the terminal"), "{text}");
    assert!(text.contains("59×14"), "{text}");
    let text = screen(&app, 60, 15);
    assert!(text.contains("Today"), "{text}");
    assert!(!text.contains("Enlarge"), "{text}");
}

/// At 80×25 every key of the Invoice screen's help is on screen, whole, at some scroll
/// position (the help scrolls with j/k when it is taller than the screen).
#[test]
fn the_help_shows_every_key_unclipped_in_80_by_25() {
    let (mut app, mut store) = demo();
    enter(&mut app, &mut store);
    press(&mut app, &mut store, code(KeyCode::Char('?')));
    let mut seen = String::new();
    for _ in 0..40 {
        let text = screen(&app, 80, 25);
        seen.push_str(&text);
        if !text.contains("↓ more") {
            break;
        }
        typ(&mut app, &mut store, "j");
    }
    for b in app.screen_bindings() {
        assert!(seen.contains(b.help), "{} is missing:\n{seen}", b.help);
    }
}

#[test]
fn two_currencies_a_scrolled_help_and_a_long_status_never_panic_at_any_size() {
    let (mut app, mut store) = crate::currencies::two_currencies();
    let sizes = [(60, 15), (61, 16), (79, 23), (80, 24), (89, 27), (90, 28), (120, 40), (200, 60), (40, 10)];
    let steps: &[&str] =
        &["", "2", "$", "<<<", "$", "3", "\n", "\x1b", "?", "jjjjjjjjjjjjjjjjjjjj", "\x1b", "ai", "zz"];
    play_at_sizes(&mut app, &mut store, steps, &sizes);
    press(&mut app, &mut store, code(KeyCode::Tab));
    app.status = Some(settle::app::Status { text: "a long message ".repeat(40), error: true });
    for (w, h) in sizes {
        render(&app, w, h);
    }
}
