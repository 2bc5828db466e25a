//! The change log: any sequence of changes followed by as many undos gives back every
//! state the book went through, and open amounts always equal amount − reductions.

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;

use super::super::{AgreementEdit, CallEdit, Entry, InvoiceUpdate, PaymentEdit, Store};
use crate::domain::agreement::{AgreementId, AgreementKind, NewAgreement};
use crate::domain::call::{CallId, CallOutcome, NewCall};
use crate::domain::customer::{CustomerId, NewCustomer};
use crate::domain::invoice::{InvoiceId, NewInvoice, NewPayment, PaymentKind};
use crate::domain::money::{Currency, Money};
use crate::domain::policy::Step;

fn dump(store: &Store) -> String {
    crate::store::testing::dump(store, &[])
}

fn day(offset: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, 1).unwrap() + chrono::Duration::days(offset)
}

fn cents(c: i64) -> Decimal {
    Decimal::new(c, 2)
}

#[derive(Debug, Clone)]
enum Op {
    Customer,
    Invoice {
        customer: usize,
        cents: i64,
    },
    Pay {
        invoice: usize,
        cents: i64,
        day: i64,
    },
    WriteOff {
        invoice: usize,
        cents: i64,
    },
    DeletePayment {
        pick: usize,
    },
    EditPayment {
        pick: usize,
        cents: i64,
        to: Option<usize>,
    },
    Step {
        invoice: usize,
        step: usize,
    },
    /// A step on several invoices at once (a customer's group on Today): one change, or none.
    Steps {
        invoices: Vec<usize>,
        step: usize,
    },
    Note {
        customer: usize,
    },
    Plan {
        invoice: usize,
    },
    EditInvoice {
        invoice: usize,
        cents: i64,
    },
    EditCustomer {
        customer: usize,
        terms: u32,
    },
    DeleteInvoice {
        invoice: usize,
    },
    Archive {
        customer: usize,
    },
    EditNote {
        pick: usize,
    },
    DeleteNote {
        pick: usize,
    },
    EditCall {
        pick: usize,
        day: i64,
    },
    DeleteCall {
        pick: usize,
    },
    EditAgreement {
        pick: usize,
        cents: i64,
    },
    DeleteAgreement {
        pick: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        1 => Just(Op::Customer),
        3 => (0..4usize, 1..200_000i64).prop_map(|(customer, cents)| Op::Invoice { customer, cents }),
        4 => (0..6usize, 1..30_000i64, 0..50i64).prop_map(|(invoice, cents, day)| Op::Pay { invoice, cents, day }),
        1 => (0..6usize, 1..20_000i64).prop_map(|(invoice, cents)| Op::WriteOff { invoice, cents }),
        2 => (0..8usize).prop_map(|pick| Op::DeletePayment { pick }),
        2 => (0..8usize, 1..30_000i64, proptest::option::of(0..6usize)).prop_map(|(pick, cents, to)| Op::EditPayment { pick, cents, to }),
        1 => (0..6usize, 0..Step::ALL.len()).prop_map(|(invoice, step)| Op::Step { invoice, step }),
        1 => (proptest::collection::vec(0..6usize, 1..4), 0..Step::ALL.len()).prop_map(|(invoices, step)| Op::Steps { invoices, step }),
        1 => (0..4usize).prop_map(|customer| Op::Note { customer }),
        2 => (0..6usize).prop_map(|invoice| Op::Plan { invoice }),
        1 => (0..6usize, 1..200_000i64).prop_map(|(invoice, cents)| Op::EditInvoice { invoice, cents }),
        1 => (0..4usize, 0..90u32).prop_map(|(customer, terms)| Op::EditCustomer { customer, terms }),
        1 => (0..6usize).prop_map(|invoice| Op::DeleteInvoice { invoice }),
        1 => (0..4usize).prop_map(|customer| Op::Archive { customer }),
        1 => (0..8usize).prop_map(|pick| Op::EditNote { pick }),
        1 => (0..8usize).prop_map(|pick| Op::DeleteNote { pick }),
        1 => (0..8usize, 40..50i64).prop_map(|(pick, day)| Op::EditCall { pick, day }),
        1 => (0..8usize).prop_map(|pick| Op::DeleteCall { pick }),
        1 => (0..8usize, 2..30_000i64).prop_map(|(pick, cents)| Op::EditAgreement { pick, cents }),
        1 => (0..8usize).prop_map(|pick| Op::DeleteAgreement { pick }),
    ]
}

fn ids(store: &Store, sql: &str) -> Vec<i64> {
    let mut stmt = store.conn.prepare(sql).unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect()
}

/// Applies one change; refused ones (an over-payment, a step twice…) are fine and must
/// change nothing.
fn apply(store: &Store, op: &Op, n: usize) {
    let customers = ids(store, "SELECT id FROM customers ORDER BY id");
    let invoices = ids(store, "SELECT id FROM invoices ORDER BY id");
    let payments = ids(store, "SELECT id FROM payments ORDER BY id");
    let notes = ids(store, "SELECT id FROM notes ORDER BY id");
    let calls = ids(store, "SELECT id FROM calls ORDER BY id");
    let agreements = ids(store, "SELECT id FROM agreements ORDER BY id");
    let customer = |i: usize| customers.get(i % customers.len().max(1)).map(|c| CustomerId(*c));
    let invoice = |i: usize| invoices.get(i % invoices.len().max(1)).map(|c| InvoiceId(*c));
    let _ = match op.clone() {
        Op::Customer => store.add_customer(&NewCustomer::named(format!("Customer {n}"))).map(drop),
        Op::Invoice { customer: c, cents: amount } => match customer(c) {
            Some(c) => store
                .add_invoice(&NewInvoice {
                    number: format!("2026-{n:03}"),
                    customer_id: c,
                    issued: day(0),
                    due: day(30),
                    amount: Money::new(cents(amount), Currency::EUR),
                    description: String::new(),
                    reference: None,
                })
                .map(drop),
            None => Ok(()),
        },
        Op::Pay { invoice: i, cents: c, .. } | Op::WriteOff { invoice: i, cents: c }
            if invoice(i).is_some() =>
        {
            let (kind, d) = match op {
                Op::Pay { day: d, .. } => (PaymentKind::Payment, *d),
                _ => (PaymentKind::WriteOff, 40),
            };
            store
                .add_payment(&NewPayment {
                    invoice: invoice(i).unwrap(),
                    on: day(d),
                    amount: cents(c),
                    kind,
                    method: None,
                    note: String::new(),
                })
                .map(drop)
        }
        Op::DeletePayment { pick } if !payments.is_empty() => {
            store.delete_payment(payments[pick % payments.len()]).map(drop)
        }
        Op::EditPayment { pick, cents: c, to } if !payments.is_empty() => store
            .edit_payment(
                payments[pick % payments.len()],
                &PaymentEdit { cents: Some(c), on: None, method: None, invoice: to.and_then(invoice) },
            )
            .map(drop),
        Op::Step { invoice: i, step } if invoice(i).is_some() => {
            store.record_step(invoice(i).unwrap(), Step::ALL[step], day(35), None, "").map(drop)
        }
        Op::Steps { invoices: picked, step } if !invoices.is_empty() => {
            let ids: Vec<InvoiceId> = picked.iter().filter_map(|i| invoice(*i)).collect();
            store.record_steps(&ids, Step::ALL[step], day(35), None, "").map(drop)
        }
        Op::Note { customer: c } if customer(c).is_some() => {
            store.add_note(customer(c).unwrap(), None, day(10), "called, all fine").map(drop)
        }
        Op::Plan { invoice: i } if invoice(i).is_some() => {
            let id = invoice(i).unwrap();
            let row = store.invoice(id).unwrap();
            store
                .log_call(&NewCall {
                    customer: row.invoice.customer_id,
                    invoice: Some(id),
                    on: day(45),
                    reached: true,
                    with: None,
                    outcome: CallOutcome::Plan,
                    follow_up: None,
                    claimed_paid_on: None,
                    claimed_reference: None,
                    note: String::new(),
                    agreement: Some(NewAgreement {
                        kind: AgreementKind::Plan,
                        total: cents(20_000),
                        instalments: vec![(day(50), cents(10_000)), (day(80), cents(10_000))],
                    }),
                })
                .map(drop)
        }
        Op::EditInvoice { invoice: i, cents: c } if invoice(i).is_some() => {
            let row = store.invoice(invoice(i).unwrap()).unwrap().invoice;
            store
                .edit_invoice(
                    row.id,
                    &row.number,
                    &InvoiceUpdate {
                        customer_id: row.customer_id,
                        issued: row.issued,
                        due: row.due,
                        amount_cents: c,
                        currency: Currency::EUR,
                        description: "edited".into(),
                        reference: None,
                    },
                    None,
                )
                .map(drop)
        }
        Op::EditCustomer { customer: c, terms } if customer(c).is_some() => {
            let mut edited = NewCustomer::named(format!("Renamed {n}"));
            edited.terms_days = terms;
            edited.email = Some("billing@example.be".into());
            store.edit_customer(customer(c).unwrap(), &edited)
        }
        Op::DeleteInvoice { invoice: i } if invoice(i).is_some() => {
            store.delete_invoice(invoice(i).unwrap(), true).map(drop)
        }
        Op::Archive { customer: c } if customer(c).is_some() => {
            store.set_archived(customer(c).unwrap(), true)
        }
        Op::EditNote { pick } if !notes.is_empty() => {
            store.edit_note(notes[pick % notes.len()], &format!("edited {n}")).map(drop)
        }
        Op::DeleteNote { pick } if !notes.is_empty() => {
            store.delete_note(notes[pick % notes.len()]).map(drop)
        }
        Op::EditCall { pick, day: d } if !calls.is_empty() => store
            .edit_call(
                CallId(calls[pick % calls.len()]),
                &CallEdit { on: Some(day(d)), note: Some(format!("edited {n}")), ..CallEdit::default() },
            )
            .map(drop),
        Op::DeleteCall { pick } if !calls.is_empty() => {
            store.delete_call(CallId(calls[pick % calls.len()])).map(drop)
        }
        Op::EditAgreement { pick, cents: c } if !agreements.is_empty() => store
            .edit_agreement(
                AgreementId(agreements[pick % agreements.len()]),
                &AgreementEdit { amount: Some(cents(c)), dates: None },
            )
            .map(drop),
        Op::DeleteAgreement { pick } if !agreements.is_empty() => {
            store.delete_agreement(AgreementId(agreements[pick % agreements.len()])).map(drop)
        }
        _ => Ok(()),
    };
}

fn check_derived(store: &Store) {
    // Every call, agreement and payment is found on its invoice's timeline, however edited.
    for id in ids(store, "SELECT id FROM invoices ORDER BY id") {
        let found: Vec<Entry> =
            store.timeline_entries(InvoiceId(id)).unwrap().into_iter().filter_map(|(_, e)| e).collect();
        for c in ids(store, &format!("SELECT id FROM calls WHERE invoice_id = {id}")) {
            assert!(found.contains(&Entry::Call(CallId(c))), "call {c} has its timeline line");
        }
        for a in ids(store, &format!("SELECT id FROM agreements WHERE invoice_id = {id}")) {
            assert!(found.contains(&Entry::Agreement(AgreementId(a))), "agreement {a} has its timeline line");
        }
        for p in ids(store, &format!("SELECT id FROM payments WHERE invoice_id = {id}")) {
            assert!(found.contains(&Entry::Payment(p)), "payment {p} has its timeline line");
        }
    }
    assert_eq!(
        store.open_amount_mismatches().unwrap(),
        vec![],
        "open = amount − payments − credits − write-offs"
    );
    let bad: i64 = store
        .conn
        .query_row(
            "SELECT count(*) FROM instalments s
             WHERE s.paid_cents != (SELECT COALESCE(SUM(amount_cents), 0) FROM instalment_payments WHERE instalment_id = s.id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(bad, 0, "each instalment's paid amount is the sum of its allocations");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn any_changes_then_as_many_undos_give_back_every_state(ops in proptest::collection::vec(op(), 1..30)) {
        let store = Store::open_in_memory().unwrap();
        // A book that already holds something before the changes under test.
        let acme = store.add_customer(&NewCustomer::named("Acme")).unwrap();
        for (n, amount) in [(901, 150_000), (902, 40_000)] {
            apply(&store, &Op::Invoice { customer: 0, cents: amount }, n);
        }
        prop_assert_eq!(ids(&store, "SELECT customer_id FROM invoices"), vec![acme.0, acme.0]);
        let mut states = vec![dump(&store)];
        let mut logged = store.changes(u32::MAX).unwrap().len();
        for (n, op) in ops.iter().enumerate() {
            let before = dump(&store);
            apply(&store, op, n);
            check_derived(&store);
            let now = store.changes(u32::MAX).unwrap().len();
            if now == logged {
                prop_assert_eq!(dump(&store), before, "{:?} was refused or changed nothing, and logged nothing", op);
            } else {
                prop_assert_eq!(now, logged + 1, "{:?} is one change", op);
                states.push(dump(&store));
                logged = now;
            }
        }
        let mut undone = 0;
        while let Some(expected) = states.pop() {
            prop_assert_eq!(&dump(&store), &expected, "after {} undo(s)", undone);
            check_derived(&store);
            if !states.is_empty() {
                prop_assert!(store.undo().unwrap().is_some());
                undone += 1;
            }
        }
        // Then the setup's three changes, and nothing more.
        for _ in 0..3 {
            prop_assert!(store.undo().unwrap().is_some());
        }
        prop_assert_eq!(dump(&store), dump(&Store::open_in_memory().unwrap()));
        prop_assert!(store.changes(10).unwrap().is_empty());
        prop_assert_eq!(store.undo().unwrap(), None);
    }
}

#[test]
fn a_book_from_before_the_log_keeps_its_rules_and_logs_its_next_changes() {
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    conn.pragma_update(None, "foreign_keys", true).unwrap();
    super::super::schema::migrations().to_version(&mut conn, 7).unwrap();
    conn.execute_batch(
        "INSERT INTO customers (name) VALUES ('Old Customer');
         INSERT INTO invoices (number, customer_id, issued, due, amount_cents, open_cents, is_open)
         VALUES ('X-1', 1, '2026-01-01', '2026-01-31', 100000, 100000, 1);
         INSERT INTO events (customer_id, invoice_id, on_date, kind) VALUES (1, 1, '2026-02-01', 'reminder_sent');",
    )
    .unwrap();
    super::super::schema::migrations().to_latest(&mut conn).unwrap();
    let store = Store {
        conn,
        path: None,
        _held: None,
        origin: std::cell::RefCell::new(("test".into(), "pay X-1".into())),
    };
    // The timeline stays append-only outside undo and corrections.
    assert!(store.conn.execute("DELETE FROM events", []).is_err());
    assert!(store.conn.execute("UPDATE events SET detail = 'x'", []).is_err());
    assert!(store.changes(10).unwrap().is_empty(), "what was there before the log is not a change");
    let before = dump(&store);
    store
        .add_payment(&NewPayment {
            invoice: InvoiceId(1),
            on: day(40),
            amount: cents(40_000),
            kind: PaymentKind::Payment,
            method: None,
            note: String::new(),
        })
        .unwrap();
    let log = store.changes(10).unwrap();
    assert_eq!((log.len(), log[0].source.as_str(), log[0].what.as_str()), (1, "test", "pay X-1"));
    assert_eq!(log[0].summary(), "payments +1, invoices ~1, events +1");
    let undone = store.undo().unwrap().unwrap();
    assert_eq!(undone.id, log[0].id);
    assert_eq!(dump(&store), before);
    assert_eq!(store.undo().unwrap(), None, "undo never goes behind the log");
    // Refused changes leave no change behind.
    assert!(store.add_customer(&NewCustomer::named("old customer")).is_err());
    assert!(store.changes(10).unwrap().is_empty());
}

#[test]
fn the_log_keeps_a_bounded_number_of_changes_and_rows_but_always_the_last() {
    let store = Store::open_in_memory().unwrap();
    for i in 0..6 {
        store.add_customer(&NewCustomer::named(format!("C{i}"))).unwrap();
    }
    let count = |sql: &str| -> i64 { store.conn().query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT COUNT(*) FROM changes"), 6);
    // At most three changes: the three oldest go, with their rows.
    super::forget_old_changes(store.conn(), 3, 1_000).unwrap();
    assert_eq!(count("SELECT COUNT(*) FROM changes"), 3);
    assert_eq!(count("SELECT MIN(change_id) FROM change_rows"), 4);
    // At most two rows (a customer added is one row each): two changes stay. The rows are
    // forgotten a few at a time (here one), until none of the forgotten changes is left.
    super::forget_in_batches(store.conn(), 3, 2, 1).unwrap();
    assert_eq!(count("SELECT MIN(change_id) FROM change_rows"), 5);
    assert_eq!(count("SELECT COUNT(*) FROM changes"), 2);
    // No row allowed at all: the newest change is still kept, so it can be undone.
    super::forget_old_changes(store.conn(), 3, 0).unwrap();
    assert_eq!(count("SELECT COUNT(*) FROM changes"), 1);
    assert!(store.undo().unwrap().is_some());
    assert_eq!(count("SELECT COUNT(*) FROM customers"), 5);
    assert!(store.undo().unwrap().is_none(), "the forgotten changes cannot be undone");
    // Every commit keeps the log within its bounds.
    for i in 0..(super::KEEP_CHANGES + 5) {
        store.add_customer(&NewCustomer::named(format!("D{i}"))).unwrap();
    }
    assert_eq!(count("SELECT COUNT(*) FROM changes"), i64::from(super::KEEP_CHANGES));
}

#[test]
fn a_step_on_several_invoices_is_one_change_and_one_undo_takes_it_back() {
    let store = Store::open_in_memory().unwrap();
    for n in 0..3 {
        apply(&store, &Op::Customer, n);
        apply(&store, &Op::Invoice { customer: 0, cents: 10_000 }, n);
    }
    let before = dump(&store);
    let changes = store.changes(100).unwrap().len();
    let invoices: Vec<InvoiceId> =
        ids(&store, "SELECT id FROM invoices ORDER BY id").into_iter().map(InvoiceId).collect();
    let events = store.record_steps(&invoices, Step::Reminder, day(35), None, "").unwrap();
    assert_eq!(events.len(), 3);
    assert_eq!(store.changes(100).unwrap().len(), changes + 1, "one change");
    for id in &invoices {
        assert!(store.timeline(*id).unwrap().iter().any(|e| e.kind == Step::Reminder.event_kind()));
    }
    // A refused step (the reminder again) leaves nothing behind, on none of them.
    assert!(store.record_steps(&invoices, Step::Reminder, day(36), None, "").is_err());
    assert_eq!(store.changes(100).unwrap().len(), changes + 1);
    store.undo().unwrap().unwrap();
    assert_eq!(dump(&store), before);
}

#[test]
fn an_update_logs_the_fields_it_changed_and_undo_still_reads_whole_rows_logged_before() {
    let store = Store::open_in_memory().unwrap();
    apply(&store, &Op::Customer, 0);
    apply(&store, &Op::Invoice { customer: 0, cents: 10_000 }, 0);
    let before = dump(&store);
    apply(&store, &Op::Pay { invoice: 0, cents: 10_000, day: 5 }, 1);
    let id = store.changes(1).unwrap()[0].id;
    let update = |store: &Store| -> super::ChangeRow {
        store.change_rows(id).unwrap().into_iter().find(|r| r.op == "update").unwrap()
    };
    // Paid in full: the open amount and the flag change, nothing else of the invoice.
    let row = update(&store);
    assert_eq!(row.table, "invoices");
    assert_eq!(row.old.as_deref(), Some(r#"{"open_cents":10000,"is_open":1}"#));
    assert_eq!(row.new.as_deref(), Some(r#"{"open_cents":0,"is_open":0}"#));
    // A log written before (by an older settle) holds the whole row before and after.
    store
        .conn()
        .execute(
            "UPDATE change_rows SET
                 new_json = (SELECT json_object('id', id, 'number', number, 'open_cents', open_cents, 'is_open', is_open,
                                                'amount_cents', amount_cents, 'due', due) FROM invoices),
                 old_json = (SELECT json_object('id', id, 'number', number, 'open_cents', 10000, 'is_open', 1,
                                                'amount_cents', amount_cents, 'due', due) FROM invoices)
             WHERE change_id = ?1 AND op = 'update'",
            [id],
        )
        .unwrap();
    assert!(update(&store).new.unwrap().contains("\"number\""));
    // A field it holds that was changed outside the log stops the undo, whichever it is.
    store.conn().execute("UPDATE invoices SET due = '2027-01-01'", []).unwrap();
    let changed = dump(&store);
    assert!(matches!(store.undo(), Err(super::StoreError::Conflict(_))));
    assert_eq!(dump(&store), changed, "a refused undo changes nothing");
    store.conn().execute("UPDATE invoices SET due = ?1", [day(30).to_string()]).unwrap();
    store.undo().unwrap().unwrap();
    assert_eq!(dump(&store), before);
}
