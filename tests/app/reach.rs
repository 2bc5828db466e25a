//! Reaching every invoice and correcting it: the jump (`:`, Ctrl-P), the paid and settled
//! history on a customer's screen, the write-off and credit form (`o`) and a dispute
//! resolved with a credit; `u` undoes each.

use ratatui::crossterm::event::KeyCode;
use rust_decimal::Decimal;
use rust_decimal::dec;
use settle::app::{App, Overlay, Tab};
use settle::domain::invoice::InvoiceRow;
use settle::domain::invoice::{InvoiceId, PaymentKind};
use settle::store::Store;

use crate::support::{code, ctrl, demo, enter, esc, press, screen, screen_words, typ};

/// The invoices the demo book holds settled by payments alone.
fn paid_invoices(store: &Store) -> Vec<InvoiceRow> {
    store
        .all_invoices()
        .unwrap()
        .into_iter()
        .filter(|r| r.invoice.open.is_zero())
        .filter(|r| {
            store.payment_lines(Some(r.invoice.id)).unwrap().iter().all(|p| p.kind == PaymentKind::Payment)
        })
        .collect()
}

/// Opens the first invoice of Today's agenda; its id.
fn open_first_on_today(app: &mut App, store: &mut Store) -> InvoiceId {
    enter(app, store);
    assert_eq!(app.tab, Tab::Invoice);
    app.invoice.as_ref().unwrap().id
}

fn on_today(app: &App, id: InvoiceId) -> bool {
    app.book.line_of(id).is_some()
}

fn in_receivables(app: &App, store: &Store, id: InvoiceId) -> bool {
    let row = store.invoice(id).unwrap();
    let cents = app.book.ledgers[0]
        .aging
        .iter()
        .find(|l| l.customer_id == Some(row.invoice.customer_id))
        .map_or(0, |l| l.cents[5]);
    let open: i64 = store
        .open_invoices()
        .unwrap()
        .iter()
        .filter(|r| r.invoice.customer_id == row.invoice.customer_id)
        .map(|r| settle::domain::money::to_cents(r.invoice.open).unwrap())
        .sum();
    assert_eq!(cents, open, "Receivables shows what is open");
    store.open_invoices().unwrap().iter().any(|r| r.invoice.id == id)
}

#[test]
fn the_jump_finds_a_paid_invoice_by_a_fuzzy_fragment_and_enter_opens_it() {
    let (mut app, mut store) = demo();
    let paid = paid_invoices(&store);
    let target = paid.last().expect("the demo book has paid invoices");
    let number = target.invoice.number.clone();
    // "2026-000117" typed as "26117": a fragment with gaps.
    let (year, n) = number.split_once('-').unwrap();
    let fragment = format!("{}{}", &year[2..], n.trim_start_matches('0'));
    typ(&mut app, &mut store, ":");
    assert!(matches!(app.overlay, Some(Overlay::Jump(_))), "`:` opens the jump");
    typ(&mut app, &mut store, &fragment);
    let Some(Overlay::Jump(view)) = &app.overlay else { panic!("the jump stays open") };
    let first = view.hits().next().expect("a match");
    assert_eq!(first.name, number, "the paid invoice comes first for {fragment}");
    let words = screen_words(&app, 120, 40);
    assert!(words.contains(&format!("invoice {number}")), "{words}");
    assert!(words.contains("paid"), "a paid invoice says so: {words}");
    enter(&mut app, &mut store);
    assert!(app.overlay.is_none());
    assert_eq!(app.tab, Tab::Invoice);
    let inv = app.invoice.as_ref().unwrap();
    assert_eq!(inv.number, number);
    let words = screen_words(&app, 120, 40);
    assert!(words.contains("paid on"), "the Invoice screen says when it was paid: {words}");
    assert!(words.contains("Settled"), "the ladder says settled: {words}");
    // Esc goes back where the jump was made.
    esc(&mut app, &mut store);
    assert_eq!(app.tab, Tab::Today);
}

#[test]
fn ctrl_p_jumps_to_an_archived_customer_marked_as_such_and_esc_closes() {
    let (mut app, mut store) = demo();
    let c = app.book.customers[3].customer.clone();
    store.set_archived(c.id, true).unwrap();
    press(&mut app, &mut store, ctrl('r'));
    typ(&mut app, &mut store, "3");
    press(&mut app, &mut store, ctrl('p'));
    assert!(matches!(app.overlay, Some(Overlay::Jump(_))), "Ctrl-P opens the jump");
    esc(&mut app, &mut store);
    assert!(app.overlay.is_none(), "Esc closes it");
    assert_eq!(app.tab, Tab::Customers);
    press(&mut app, &mut store, ctrl('p'));
    typ(&mut app, &mut store, &c.name.to_lowercase());
    let Some(Overlay::Jump(view)) = &app.overlay else { panic!("the jump stays open") };
    let first = view.hits().next().expect("a match");
    assert_eq!(first.name, c.name);
    assert_eq!(first.state, settle::app::jump::State::Archived);
    let words = screen_words(&app, 100, 30);
    assert!(words.contains(&format!("customer {} archived", c.name)), "{words}");
    enter(&mut app, &mut store);
    assert_eq!(app.context(), settle::app::keys::Context::Customer);
    assert_eq!(app.customer_detail().unwrap().customer.id, c.id);
}

#[test]
fn the_jump_draws_no_more_matches_than_the_screen_has_rows() {
    let (mut app, mut store) = demo();
    typ(&mut app, &mut store, ":2");
    let Some(Overlay::Jump(view)) = &app.overlay else { panic!("the jump is open") };
    assert!(view.total() > 100, "a digit matches most of the book ({})", view.total());
    assert!(view.hit_count() <= settle::app::jump::MAX_HITS);
    let text = screen(&app, 80, 24);
    let rows = text.lines().filter(|l| l.contains("invoice ")).count();
    assert!((5..24).contains(&rows), "{rows} rows drawn:\n{text}");
    // Down and Up choose; the selection is drawn.
    press(&mut app, &mut store, code(KeyCode::Down));
    let Some(Overlay::Jump(view)) = &app.overlay else { panic!("the jump is open") };
    assert_eq!(view.cursor.selected(), 1);
    // Typing on narrows; Backspace widens again.
    let before = view.total();
    typ(&mut app, &mut store, "5-0001");
    let Some(Overlay::Jump(view)) = &app.overlay else { panic!("the jump is open") };
    let narrowed = view.total();
    assert!(narrowed < before && narrowed > 0, "{narrowed} of {before}");
    press(&mut app, &mut store, code(KeyCode::Backspace));
    let Some(Overlay::Jump(view)) = &app.overlay else { panic!("the jump is open") };
    assert!(view.total() >= narrowed);
    // Not while typing: `:` in a form is text.
    esc(&mut app, &mut store);
    typ(&mut app, &mut store, "ac");
    typ(&mut app, &mut store, "A:B");
    assert!(matches!(app.overlay, Some(Overlay::Form(_))));
}

#[test]
fn a_customer_lists_its_paid_invoices_newest_first_and_enter_opens_one() {
    let (mut app, mut store) = demo();
    let paid = paid_invoices(&store);
    let customer = paid[0].invoice.customer_id;
    let settled = store.customer_settled_invoices(customer).unwrap();
    assert!(!settled.is_empty());
    assert!(settled.windows(2).all(|w| w[0].settled_on >= w[1].settled_on), "newest first");
    // Open the customer through the jump, by name.
    let name = app.book.customer_name(customer).to_string();
    typ(&mut app, &mut store, ":");
    typ(&mut app, &mut store, &name);
    enter(&mut app, &mut store);
    let d = app.customer_detail().expect("the customer's screen");
    assert_eq!(d.customer.id, customer);
    assert_eq!(d.settled.len(), settled.len());
    let words = screen_words(&app, 120, 40);
    assert!(words.contains(&format!("Paid and settled ({})", settled.len())), "{words}");
    assert!(words.contains(&format!("{} ", settled[0].number)), "{words}");
    // Down past the open invoices reaches the settled ones.
    let open = d.invoices.len();
    for _ in 0..=open {
        typ(&mut app, &mut store, "j");
    }
    let d = app.customer_detail().unwrap();
    assert!(d.in_settled);
    let want = d.settled[d.settled_cursor.selected()].clone();
    assert_eq!(d.selected_invoice(), Some(want.id));
    enter(&mut app, &mut store);
    assert_eq!(app.tab, Tab::Invoice);
    assert_eq!(app.invoice.as_ref().unwrap().number, want.number);
    assert!(app.invoice.as_ref().unwrap().open.is_zero());
}

#[test]
fn writing_off_an_invoice_in_the_app_takes_it_off_today_and_receivables_and_u_undoes_it() {
    let (mut app, mut store) = demo();
    let id = open_first_on_today(&mut app, &mut store);
    let open = store.invoice(id).unwrap().invoice.open;
    assert!(on_today(&app, id) && in_receivables(&app, &store, id));
    typ(&mut app, &mut store, "o");
    let Some(Overlay::Form(form)) = &app.overlay else { panic!("`o` opens the form") };
    assert_eq!(form.field("Amount").unwrap().amount(), Some(open), "all that is open by default");
    assert!(screen_words(&app, 120, 40).contains("Write off or credit"));
    // A reason is required.
    press(&mut app, &mut store, ctrl('s'));
    assert!(app.overlay.is_some(), "no reason, nothing saved");
    assert_eq!(store.invoice(id).unwrap().invoice.open, open);
    enter(&mut app, &mut store);
    enter(&mut app, &mut store);
    typ(&mut app, &mut store, "Customer went bankrupt");
    press(&mut app, &mut store, ctrl('s'));
    assert!(app.overlay.is_none(), "saved: {:?}", app.status);
    let row = store.invoice(id).unwrap();
    assert!(row.invoice.open.is_zero() && row.invoice.written_off);
    assert!(!on_today(&app, id), "a written-off invoice leaves Today");
    assert!(!in_receivables(&app, &store, id), "and Receivables");
    let words = screen_words(&app, 120, 40);
    assert!(words.contains("written off on 23 Nov 2026"), "{words}");
    assert!(words.contains("Customer went bankrupt"), "the reason is on the timeline: {words}");
    assert!(words.contains("Settled"), "{words}");
    // The same store function as the command line: the note is the reason.
    let lines = store.payment_lines(Some(id)).unwrap();
    let w = lines.last().unwrap();
    assert_eq!((w.kind, w.note.as_str()), (PaymentKind::WriteOff, "Customer went bankrupt"));
    // `o` on a settled invoice says so.
    typ(&mut app, &mut store, "o");
    assert!(app.overlay.is_none());
    assert!(app.status.as_ref().unwrap().text.contains("settled"));
    typ(&mut app, &mut store, "u");
    assert_eq!(store.invoice(id).unwrap().invoice.open, open, "u undoes the write-off");
    assert!(on_today(&app, id), "back on Today");
}

#[test]
fn a_partial_credit_in_the_app_lowers_what_is_open() {
    let (mut app, mut store) = demo();
    let id = open_first_on_today(&mut app, &mut store);
    let open = store.invoice(id).unwrap().invoice.open;
    typ(&mut app, &mut store, "o");
    press(&mut app, &mut store, code(KeyCode::Right));
    enter(&mut app, &mut store);
    press(&mut app, &mut store, ctrl('u'));
    typ(&mut app, &mut store, "100");
    enter(&mut app, &mut store);
    typ(&mut app, &mut store, "Goodwill for the late delivery");
    press(&mut app, &mut store, ctrl('s'));
    assert!(app.overlay.is_none(), "saved: {:?}", app.overlay);
    let row = store.invoice(id).unwrap();
    assert_eq!(row.invoice.open, open - dec!(100));
    assert!(!row.invoice.written_off);
    let w = store.payment_lines(Some(id)).unwrap().pop().unwrap();
    assert_eq!(w.kind, PaymentKind::Credit);
    assert!(app.status.as_ref().unwrap().text.contains("credit of €100.00"), "{:?}", app.status);
}

#[test]
fn a_dispute_resolved_with_a_ten_percent_credit_leaves_the_right_open_amount_in_one_undo() {
    let (mut app, mut store) = demo();
    let id = open_first_on_today(&mut app, &mut store);
    let before = store.invoice(id).unwrap().invoice;
    typ(&mut app, &mut store, "d");
    typ(&mut app, &mut store, "Says the renderings were late");
    press(&mut app, &mut store, ctrl('s'));
    assert!(store.invoice(id).unwrap().invoice.disputed);
    let changes = store.changes(100).unwrap().len();
    typ(&mut app, &mut store, "d");
    assert!(screen_words(&app, 120, 40).contains("Credit"), "resolving offers a credit");
    // A credit needs a reason: How.
    enter(&mut app, &mut store);
    enter(&mut app, &mut store);
    typ(&mut app, &mut store, "10 %");
    press(&mut app, &mut store, ctrl('s'));
    assert!(app.overlay.is_some(), "a credit without a reason is not saved");
    let ten = (before.amount.amount / Decimal::TEN).round_dp(2);
    assert!(screen_words(&app, 120, 40).contains(&format!("€{}", settle::domain::money::format_amount(ten))));
    press(&mut app, &mut store, code(KeyCode::Up));
    press(&mut app, &mut store, code(KeyCode::Up));
    typ(&mut app, &mut store, "Resolved with a 10 % discount");
    press(&mut app, &mut store, ctrl('s'));
    assert!(app.overlay.is_none(), "saved: {:?}", app.overlay);
    let after = store.invoice(id).unwrap().invoice;
    assert!(!after.disputed);
    assert_eq!(after.open, before.open - ten);
    assert_eq!(store.changes(100).unwrap().len(), changes + 1, "one change of the log");
    let credit = store.payment_lines(Some(id)).unwrap().pop().unwrap();
    assert_eq!((credit.kind, credit.note.as_str()), (PaymentKind::Credit, "Resolved with a 10 % discount"));
    typ(&mut app, &mut store, "u");
    let undone = store.invoice(id).unwrap().invoice;
    assert!(undone.disputed, "u brings the dispute back");
    assert_eq!(undone.open, before.open, "and takes the credit away, at once");
}

#[test]
fn on_a_customer_j_runs_down_the_open_invoices_the_settled_ones_then_the_notes() {
    let (mut app, mut store) = demo();
    let customer = app
        .book
        .customers
        .iter()
        .map(|c| c.customer.id)
        .find(|id| {
            !store.notes(*id).unwrap().is_empty()
                && !store.customer_settled_invoices(*id).unwrap().is_empty()
                && store.open_invoices().unwrap().iter().any(|r| r.invoice.customer_id == *id)
        })
        .expect("a customer with open and settled invoices and notes");
    let name = app.book.customer_name(customer).to_string();
    typ(&mut app, &mut store, ":");
    typ(&mut app, &mut store, &name);
    enter(&mut app, &mut store);
    let d = app.customer_detail().unwrap();
    let (open, settled) = (d.invoices.len(), d.settled.len());
    assert!(!d.in_settled && d.note_at.is_none());
    for _ in 0..open {
        typ(&mut app, &mut store, "j");
    }
    let d = app.customer_detail().unwrap();
    assert!(d.in_settled && d.settled_cursor.selected() == 0 && d.note_at.is_none());
    for _ in 0..settled {
        typ(&mut app, &mut store, "j");
    }
    let d = app.customer_detail().unwrap();
    assert_eq!(d.note_at, Some(0), "past the settled invoices, the notes");
    assert_eq!(d.selected_invoice(), None);
    typ(&mut app, &mut store, "k");
    let d = app.customer_detail().unwrap();
    assert!(d.note_at.is_none() && d.in_settled && d.settled_cursor.selected() == settled - 1);
    typ(&mut app, &mut store, "g");
    let d = app.customer_detail().unwrap();
    assert!(!d.in_settled || open == 0, "Home goes back to the open invoices");
}
