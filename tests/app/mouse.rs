//! The mouse: the wheel scrolls the list on screen, a click selects the row or the tab under it.

use ratatui::crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use settle::app::{App, Message, Tab, dispatch};
use settle::store::Store;

use crate::support::*;

fn mouse(app: &mut App, store: &mut Store, kind: MouseEventKind, column: u16, row: u16) {
    dispatch(app, store, Message::Mouse(MouseEvent { kind, column, row, modifiers: KeyModifiers::NONE }));
}

fn click(app: &mut App, store: &mut Store, column: u16, row: u16) {
    mouse(app, store, MouseEventKind::Down(MouseButton::Left), column, row);
}

/// The screen row showing `text` (drawn at 120×40).
fn row_of(app: &App, text: &str) -> u16 {
    let s = screen(app, 120, 40);
    s.lines().position(|l| l.contains(text)).unwrap_or_else(|| panic!("{text} is not on screen:\n{s}")) as u16
}

#[test]
fn a_click_on_a_tab_goes_there() {
    let (mut app, mut store) = demo();
    let s = screen(&app, 120, 40);
    let tabs = s.lines().nth(1).unwrap();
    let x = tabs[..tabs.find("Customers").unwrap()].chars().count() as u16;
    click(&mut app, &mut store, x + 2, 1);
    assert_eq!(app.tab, Tab::Customers);
    let x = tabs[..tabs.find("Receivables").unwrap()].chars().count() as u16;
    click(&mut app, &mut store, x, 1);
    assert_eq!(app.tab, Tab::Receivables);
    // The row of figures above is not a tab.
    click(&mut app, &mut store, 3, 0);
    assert_eq!(app.tab, Tab::Receivables);
}

#[test]
fn a_click_selects_a_row_and_the_wheel_scrolls() {
    let (mut app, mut store) = demo();
    typ(&mut app, &mut store, "3");
    let name = app.book.customers[app.customers.rows[4]].customer.name.clone();
    let y = row_of(&app, &name);
    click(&mut app, &mut store, 10, y);
    assert_eq!(app.customers.cursor.selected(), 4);
    mouse(&mut app, &mut store, MouseEventKind::ScrollDown, 10, y);
    assert_eq!(app.customers.cursor.selected(), 7);
    mouse(&mut app, &mut store, MouseEventKind::ScrollUp, 10, y);
    mouse(&mut app, &mut store, MouseEventKind::ScrollUp, 10, y);
    assert_eq!(app.customers.cursor.selected(), 1);
    // A click below the last row selects nothing new.
    click(&mut app, &mut store, 10, 38);
    assert_eq!(app.customers.cursor.selected(), 1);
}

#[test]
fn on_today_a_click_selects_an_item_never_a_title() {
    let (mut app, mut store) = demo();
    let before = app.today_view.cursor.selected();
    let title = app.today_view.rows.iter().skip(1).position(|r| app.book.item(*r).is_none()).unwrap() + 1;
    screen(&app, 120, 40);
    // The list starts under the header, the tabs and the panel's border: row 3.
    click(&mut app, &mut store, 10, 3 + title as u16);
    assert_eq!(app.today_view.cursor.selected(), before, "a section title is not selected");
    click(&mut app, &mut store, 10, 3 + title as u16 + 1);
    assert_eq!(app.today_view.cursor.selected(), title + 1);
    mouse(&mut app, &mut store, MouseEventKind::ScrollDown, 10, 10);
    assert!(app.today_view.selected(&app.book).is_some(), "the wheel lands on an item");
}

#[test]
fn the_mouse_does_nothing_over_a_form() {
    let (mut app, mut store) = demo();
    typ(&mut app, &mut store, "ac");
    click(&mut app, &mut store, 30, 1);
    assert_eq!(app.tab, Tab::Today);
    assert!(app.overlay.is_some());
}

#[test]
fn ctrl_z_asks_the_runner_to_suspend() {
    let (mut app, mut store) = demo();
    press(&mut app, &mut store, ctrl('z'));
    assert!(app.suspend);
}
