//! Today speaks per customer: a customer's invoices with the same step due are one line
//! (`domain::agenda::fold_by_customer`), unfolded with → or Enter, folded with ←; `s` on it
//! records the step on each invoice in one change; no invoice is lost or shown twice.

use std::collections::HashSet;

use ratatui::crossterm::event::KeyCode;
use rust_decimal::Decimal;
use settle::app::keys::Context;
use settle::app::screen_data::AgendaLine;
use settle::domain::invoice::InvoiceId;
use settle::service::agenda::TodayAgenda;

use crate::support::*;

/// The first group line of Today, selected.
fn select_first_group(app: &mut settle::app::App) -> usize {
    let row = app
        .today_view
        .rows
        .iter()
        .position(|r| app.book.group(*r).is_some())
        .expect("the busy demo has a customer with several invoices on one step");
    app.today_view.cursor.select(row);
    app.today_view.rows[row]
}

/// The invoices a list of agenda lines stands for.
fn invoices_of(app: &settle::app::App, lines: &[usize]) -> Vec<InvoiceId> {
    lines.iter().flat_map(|l| app.book.items_of(*l)).map(|i| i.invoice.id).collect()
}

#[test]
fn a_customers_invoices_with_one_step_are_one_line() {
    let (app, _store) = demo();
    let per_invoice = app.book.agenda.iter().filter(|l| matches!(l, AgendaLine::Item(_))).count();
    let groups: Vec<usize> = (0..app.book.agenda.len()).filter(|l| app.book.group(*l).is_some()).collect();
    assert!(!groups.is_empty());
    let folded: usize = groups.iter().map(|g| app.book.items_of(*g).len()).sum();
    // Each group of n invoices is one line instead of n.
    assert_eq!(app.book.entries(), per_invoice - folded + groups.len());
    assert_eq!(app.today_view.rows.iter().filter(|r| app.book.is_entry(**r)).count(), app.book.entries());
    for g in &groups {
        let items = app.book.items_of(*g);
        assert!(items.len() >= 2);
        let first = items[0];
        assert!(
            items.iter().all(|i| i.invoice.customer_id == first.invoice.customer_id && i.step == first.step)
        );
        let total: Decimal = items.iter().map(|i| i.invoice.open.amount).sum();
        let name = app.book.customer_name(first.invoice.customer_id);
        let t = app.book.item_text(*g).unwrap();
        assert_eq!(t.what, format!("{name} · {} invoices", items.len()));
        assert_eq!(t.open, settle::domain::money::Money::new(total, first.invoice.open.currency).to_string());
    }
    let s = screen(&app, 120, 40);
    assert!(s.contains(&format!("Today — {} things to do", app.book.entries())), "{s}");
    // The first group, folded, on screen, with its step in words.
    let g = groups[0];
    let t = app.book.item_text(g).unwrap();
    assert!(s.contains(&format!("+ {}", t.what)), "{s}");
    assert!(!t.why.is_empty() && s.contains(&t.why), "{s}");
}

#[test]
fn every_invoice_of_the_agenda_is_under_exactly_one_line() {
    let (mut app, mut store) = demo();
    let agenda = TodayAgenda::load(&store, &app.resources.config, app.today, app.since).unwrap();
    let mut expected: Vec<InvoiceId> =
        agenda.agenda.sections.iter().flat_map(|s| &s.items).map(|i| i.invoice.id).collect();
    expected.sort_unstable();
    // Folded and unfolded, each invoice is under one top-level line, once.
    for unfold in [false, true] {
        if unfold {
            while let Some(row) =
                app.today_view.rows.iter().position(|r| {
                    app.book.group(*r).is_some_and(|(k, _)| !app.today_view.unfolded.contains(&k))
                })
            {
                app.today_view.cursor.select(row);
                press(&mut app, &mut store, code(KeyCode::Right));
            }
        }
        let top: Vec<usize> = app
            .today_view
            .rows
            .iter()
            .copied()
            .filter(|r| app.book.is_entry(*r) && app.book.parent(*r).is_none())
            .collect();
        let mut got = invoices_of(&app, &top);
        got.sort_unstable();
        assert_eq!(got, expected, "unfolded: {unfold}");
        let unique: HashSet<InvoiceId> = got.iter().copied().collect();
        assert_eq!(unique.len(), got.len());
    }
}

#[test]
fn right_and_enter_unfold_left_folds() {
    let (mut app, mut store) = demo();
    let rows = app.today_view.rows.len();
    let g = select_first_group(&mut app);
    let n = app.book.items_of(g).len();
    press(&mut app, &mut store, code(KeyCode::Right));
    assert_eq!(app.today_view.rows.len(), rows + n, "→ shows the group's invoices");
    assert_eq!(app.today_view.selected_line(), Some(g), "the group stays selected");
    let s = screen(&app, 120, 40);
    assert!(s.contains(&format!("− {}", app.book.item_text(g).unwrap().what)), "{s}");
    // The group still counts once: the things to do and the position are the customers' lines.
    let entries = app.book.entries();
    assert!(
        s.contains(&format!("Today — {entries} things to do · ")) && s.contains(&format!(" of {entries} ")),
        "{s}"
    );
    // Down: the first invoice, under its group; ← folds the group and selects it.
    typ(&mut app, &mut store, "j");
    let first = app.today_view.selected_line().unwrap();
    assert_eq!(app.book.parent(first), Some(g));
    press(&mut app, &mut store, code(KeyCode::Left));
    assert_eq!(app.today_view.rows.len(), rows);
    assert_eq!(app.today_view.selected_line(), Some(g));
    // Enter unfolds too; Enter on an invoice opens it.
    enter(&mut app, &mut store);
    assert_eq!(app.today_view.rows.len(), rows + n);
    assert_eq!(app.context(), Context::Today);
    typ(&mut app, &mut store, "j");
    let id = app.today_view.selected(&app.book).unwrap().invoice.id;
    enter(&mut app, &mut store);
    assert_eq!(app.context(), Context::Invoice);
    assert_eq!(app.invoice.as_ref().map(|i| i.id), Some(id));
}

#[test]
fn the_detail_lists_the_groups_invoices_and_total() {
    let (mut app, _store) = demo();
    let g = select_first_group(&mut app);
    let words = screen_words(&app, 200, 40);
    for item in app.book.items_of(g) {
        assert!(words.contains(&format!("{} {}", app.book.number(item), item.invoice.open)), "{words}");
    }
    assert!(words.contains(&format!("total {}", app.book.item_text(g).unwrap().open)), "{words}");
}

#[test]
fn s_on_a_group_records_the_step_on_each_invoice_and_one_u_undoes_it() {
    let (mut app, mut store) = demo();
    let g = select_first_group(&mut app);
    let items: Vec<(InvoiceId, settle::domain::policy::Step)> =
        app.book.items_of(g).iter().map(|i| (i.invoice.id, i.step.unwrap())).collect();
    let count = |store: &settle::store::Store| {
        items
            .iter()
            .map(|(id, step)| {
                store.timeline(*id).unwrap().iter().filter(|e| e.kind == step.event_kind()).count()
            })
            .collect::<Vec<_>>()
    };
    let before = count(&store);
    typ(&mut app, &mut store, "s");
    assert_eq!(app.context(), Context::FormChoice, "the channel comes first");
    assert!(screen_words(&app, 120, 40).contains(&format!("{} invoices", items.len())));
    press(&mut app, &mut store, ctrl('s'));
    assert!(app.overlay.is_none(), "{:?}", app.overlay);
    let after = count(&store);
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(a, &(b + 1), "the step is recorded on each invoice once");
    }
    assert!(app.status.as_ref().is_some_and(|s| s.text.contains(&format!("{} invoices of", items.len()))));
    typ(&mut app, &mut store, "u");
    assert_eq!(count(&store), before, "one undo takes them all back");
}

#[test]
fn l_on_a_group_writes_one_letter_or_says_why_not_and_c_calls_the_customer() {
    let (mut app, mut store) = demo();
    let g = select_first_group(&mut app);
    let step = app.book.items_of(g)[0].step;
    typ(&mut app, &mut store, "l");
    match step {
        Some(s) if settle::letters::group::GROUPABLE.contains(&s) => {
            assert!(matches!(app.overlay, Some(settle::app::Overlay::Letter(_))), "{:?}", app.status);
            esc(&mut app, &mut store);
        }
        Some(settle::domain::policy::Step::Call) => {
            assert!(app.overlay.is_none());
            assert!(
                app.status.as_ref().is_some_and(|s| s.text.contains("A call is no letter")),
                "{:?}",
                app.status
            );
        }
        _ => {
            assert!(app.overlay.is_none());
            assert!(
                app.status.as_ref().is_some_and(|s| s.text.contains("own cover letter")),
                "{:?}",
                app.status
            );
        }
    }
    typ(&mut app, &mut store, "c");
    assert!(matches!(app.context(), Context::CallText | Context::CallReached | Context::CallOutcome));
    let name = app.book.customer_name(app.book.items_of(g)[0].invoice.customer_id).to_string();
    assert!(screen_words(&app, 160, 50).contains(&name));
}

#[test]
fn a_filter_on_one_invoice_of_a_group_shows_the_group() {
    let (mut app, mut store) = demo();
    let g = select_first_group(&mut app);
    let second = app.book.items_of(g)[1].clone();
    let number = app.book.number(&second).to_string();
    typ(&mut app, &mut store, &format!("/{number}"));
    enter(&mut app, &mut store);
    assert_eq!(app.today_view.rows.iter().filter(|r| app.book.is_entry(**r)).count(), 1);
    assert_eq!(app.today_view.selected_line(), Some(g), "the group shows");
    press(&mut app, &mut store, code(KeyCode::Right));
    let shown: Vec<usize> =
        app.today_view.rows.iter().copied().filter(|r| app.book.item(*r).is_some()).collect();
    assert_eq!(shown.len(), 1, "unfolded, only the matching invoice");
    assert_eq!(app.book.item(shown[0]).unwrap().invoice.id, second.invoice.id);
}

#[test]
fn a_note_on_a_group_is_on_the_customer() {
    let (mut app, mut store) = demo();
    let g = select_first_group(&mut app);
    let customer = app.book.items_of(g)[0].invoice.customer_id;
    // The add menu's note: on the customer, no invoice.
    typ(&mut app, &mut store, "an");
    match &app.overlay {
        Some(settle::app::Overlay::Form(f)) => {
            assert!(
                matches!(f.kind, settle::app::form::kinds::FormKind::Note { customer: c, invoice: None, .. } if c == customer),
                "{:?}",
                f.kind
            );
        }
        other => panic!("a note form, not {other:?}"),
    }
}

#[test]
fn a_filter_on_what_a_group_line_reads_shows_the_group() {
    let (mut app, mut store) = demo();
    let g = select_first_group(&mut app);
    let why = app.book.item_text(g).unwrap().why.clone();
    typ(&mut app, &mut store, &format!("/{why}"));
    enter(&mut app, &mut store);
    assert!(app.today_view.rows.contains(&g), "{why}");
    assert_eq!(app.today_view.selected_line(), Some(g));
    press(&mut app, &mut store, code(KeyCode::Right));
    let n = app.book.items_of(g).len();
    assert_eq!(app.today_view.rows.iter().filter(|r| app.book.parent(**r) == Some(g)).count(), n);
}
