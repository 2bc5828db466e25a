//! Colour that reads on a dark and a light terminal, and without colour (`NO_COLOR`, which
//! crossterm obeys by dropping colours and keeping modifiers): no background colours, no
//! light grey, nothing grey on the selected row, and what is chosen is marked by a symbol.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier};

use crate::currencies::two_currencies;
use crate::support::*;
use settle::app::App;

/// Every screen worth checking, as key presses from the start.
const SCREENS: [&str; 6] = ["", "2", "3", "3\n", "\n", "ac"];

fn rows(buf: &Buffer) -> Vec<String> {
    (0..buf.area.height).map(|y| (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect()).collect()
}

/// The rows drawn in reverse video (the selected row of a list).
fn reversed_rows(buf: &Buffer) -> Vec<u16> {
    (2..buf.area.height.saturating_sub(1))
        .filter(|y| {
            let reversed =
                (0..buf.area.width).filter(|x| buf[(*x, *y)].modifier.contains(Modifier::REVERSED));
            reversed.count() > usize::from(buf.area.width) / 3
        })
        .collect()
}

#[test]
fn styles_read_on_dark_and_light_terminals() {
    for keys in SCREENS {
        let (mut app, mut store) = demo();
        typ(&mut app, &mut store, keys);
        for (w, h) in [(80, 24), (120, 40)] {
            let t = render(&app, w, h);
            let buf = t.backend().buffer();
            for cell in &buf.content {
                assert_eq!(cell.bg, Color::Reset, "{keys:?} {w}×{h}: no background colour: {cell:?}");
                assert_ne!(cell.fg, Color::Gray, "{keys:?} {w}×{h}: no light grey (colour 7): {cell:?}");
                assert_ne!(cell.fg, Color::White, "{keys:?} {w}×{h}: no white: {cell:?}");
            }
            for y in reversed_rows(buf) {
                for x in 0..w {
                    let cell = &buf[(x, y)];
                    if !cell.modifier.contains(Modifier::REVERSED) {
                        continue;
                    }
                    assert_ne!(cell.fg, Color::DarkGray, "{keys:?} {w}×{h}: grey on the selected row {y}");
                }
            }
        }
    }
}

#[test]
fn selected_rows_are_reversed_and_marked() {
    for keys in ["", "2", "3"] {
        let (mut app, mut store) = demo();
        typ(&mut app, &mut store, keys);
        let t = render(&app, 120, 40);
        let buf = t.backend().buffer();
        let reversed = reversed_rows(buf);
        assert_eq!(reversed.len(), 1, "{keys:?}: one selected row: {reversed:?}");
        assert!(rows(buf)[usize::from(reversed[0])].contains('▸'), "{keys:?}");
    }
}

#[test]
fn overdue_amounts_are_red_on_today() {
    let (app, _store) = demo();
    let t = render(&app, 120, 40);
    let buf = t.backend().buffer();
    // An item for an overdue invoice: its amount is the first € on the row.
    let rows = rows(buf);
    let (y, row) = rows
        .iter()
        .enumerate()
        .find(|(_, r)| r.contains("days late") && r.contains('€'))
        .expect("an overdue item on Today");
    let x = row[..row.find('€').unwrap()].chars().count() as u16;
    assert_eq!(buf[(x + 1, y as u16)].fg, Color::Red, "{row}");
}

/// The screen as a `NO_COLOR` terminal shows it: the text, then where reverse video and bold
/// are (the only marks left once colours are dropped).
fn no_color(app: &App, w: u16, h: u16) -> String {
    let t = render(app, w, h);
    let buf = t.backend().buffer();
    let mut out = rows(buf).join("\n");
    out.push_str("\n--- reverse video (row: columns) ---");
    for y in 0..h {
        let cols: Vec<u16> = (0..w).filter(|x| buf[(*x, y)].modifier.contains(Modifier::REVERSED)).collect();
        if let (Some(first), Some(last)) = (cols.first(), cols.last()) {
            out.push_str(&format!("\n{y}: {first}-{last}"));
        }
    }
    out
}

#[test]
fn no_color_snapshot() {
    let (mut app, mut store) = two_currencies();
    typ(&mut app, &mut store, "3");
    insta::assert_snapshot!("no_color_customers_80x24", no_color(&app, 80, 24));
    // A form with choices: the chosen value is marked ● (the others ○) and reversed.
    typ(&mut app, &mut store, "ac");
    for _ in 0..5 {
        press(&mut app, &mut store, code(KeyCode::Tab));
    }
    let text = no_color(&app, 120, 40);
    insta::assert_snapshot!("no_color_customer_form_120x40", text);
    assert!(text.contains("● "), "{text}");
    assert!(text.contains("○ "), "{text}");
}
