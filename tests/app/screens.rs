//! Snapshots of every screen at 120×40 and 80×24, on the demo book as of 2026-11-23.

use ratatui::crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier};

use crate::support::*;
use settle::app::App;

fn snap(name: &str, app: &App) {
    for (w, h) in [(120, 40), (80, 24)] {
        let terminal = render(app, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn welcome() {
    let (app, _store) = empty();
    snap("welcome", &app);
}

#[test]
fn today() {
    let (app, _store) = demo();
    snap("today", &app);
}

#[test]
fn today_filtered() {
    let (mut app, mut store) = demo();
    typ(&mut app, &mut store, "/maes");
    snap("today_filter_typing", &app);
    enter(&mut app, &mut store);
    snap("today_filtered", &app);
}

#[test]
fn receivables() {
    let (mut app, mut store) = demo();
    typ(&mut app, &mut store, "2");
    snap("receivables", &app);
    // Sort by the 90+ column (one to the left of the total), largest first.
    typ(&mut app, &mut store, "<");
    snap("receivables_by_90_plus", &app);
}

#[test]
fn customers() {
    let (mut app, mut store) = demo();
    typ(&mut app, &mut store, "3");
    snap("customers", &app);
    enter(&mut app, &mut store);
    snap("customer_detail", &app);
}

#[test]
fn invoice() {
    let (mut app, mut store) = demo();
    typ(&mut app, &mut store, "4");
    snap("invoice_none", &app);
    typ(&mut app, &mut store, "1");
    enter(&mut app, &mut store);
    snap("invoice", &app);
}

#[test]
fn help_and_menu() {
    let (mut app, mut store) = demo();
    typ(&mut app, &mut store, "?");
    snap("help_today", &app);
    esc(&mut app, &mut store);
    enter(&mut app, &mut store);
    typ(&mut app, &mut store, "?");
    snap("help_invoice", &app);
    esc(&mut app, &mut store);
    typ(&mut app, &mut store, "a");
    snap("add_menu", &app);
}

#[test]
fn forms() {
    let (mut app, mut store) = demo();
    enter(&mut app, &mut store);
    typ(&mut app, &mut store, "p");
    snap("form_payment", &app);
    esc(&mut app, &mut store);
    typ(&mut app, &mut store, "s");
    snap("form_step", &app);
    esc(&mut app, &mut store);
    typ(&mut app, &mut store, "d");
    snap("form_dispute", &app);
    esc(&mut app, &mut store);
    typ(&mut app, &mut store, "nCalled, will pay Friday");
    snap("form_note", &app);
    esc(&mut app, &mut store);
    typ(&mut app, &mut store, "ac");
    typ(&mut app, &mut store, "Nieuwe Klant BV");
    press(&mut app, &mut store, code(KeyCode::Tab));
    press(&mut app, &mut store, code(KeyCode::Tab));
    typ(&mut app, &mut store, "not-an-email");
    snap("form_customer", &app);
    esc(&mut app, &mut store);
    typ(&mut app, &mut store, "ai");
    snap("form_invoice", &app);
}

#[test]
fn important_styles() {
    // Snapshots hold no colour: check the styles that carry meaning, cell by cell.
    let (mut app, mut store) = demo();
    let t = render(&app, 120, 40);
    let buf = t.backend().buffer();
    // The active tab is in reverse video and marked, the others not.
    let today_tab = (0..120).find(|x| buf[(*x, 1)].symbol() == "T").unwrap();
    assert!(buf[(today_tab, 1)].modifier.contains(Modifier::REVERSED));
    assert_eq!(buf[(today_tab - 3, 1)].symbol(), "▸");
    let recv_tab = (0..120).find(|x| buf[(*x, 1)].symbol() == "R").unwrap();
    assert!(!buf[(recv_tab, 1)].modifier.contains(Modifier::REVERSED));
    // The overdue total in the header is red.
    let line: String = (0..120).map(|x| buf[(x, 0)].symbol()).collect();
    let at = line.find("Overdue").unwrap();
    let figure = line[at..].find('€').unwrap() + at;
    let col = line[..figure].chars().count() as u16;
    assert_eq!(buf[(col, 0)].fg, Color::Red);
    // A field with a bad value shows its error in red.
    typ(&mut app, &mut store, "ac");
    press(&mut app, &mut store, code(KeyCode::Tab));
    press(&mut app, &mut store, code(KeyCode::Tab));
    typ(&mut app, &mut store, "nope");
    let t = render(&app, 120, 40);
    let buf = t.backend().buffer();
    let (x, y) = (0..40u16)
        .find_map(|y| {
            let row: String = (0..120).map(|x| buf[(x, y)].symbol()).collect();
            row.find("✗ not an email").map(|i| (row[..i].chars().count() as u16, y))
        })
        .expect("the error is on screen");
    assert_eq!(buf[(x, y)].fg, Color::Red);
}
