use chrono::NaiveDate;
use rust_decimal::{Decimal, dec};

use crate::domain::agreement::{AgreementKind, AgreementStatus, NewAgreement, Schedule};
use crate::domain::call::{CallOutcome, NewCall};
use crate::domain::customer::{CustomerId, NewCustomer};
use crate::domain::event::EventKind;
use crate::domain::forecast::Period;
use crate::domain::invoice::{InvoiceId, NewInvoice, NewPayment, PaymentKind};
use crate::domain::money::{Currency, Money};
use crate::domain::policy::Step;
use crate::store::{CallAgendaKind, Store};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn book() -> (Store, CustomerId, InvoiceId) {
    let store = Store::open_in_memory().unwrap();
    let c = store.add_customer(&NewCustomer::named("Bakkerij Peeters")).unwrap();
    let i = invoice(&store, c, "2026-041", "2026-10-01", dec!(1000.00));
    (store, c, i)
}

fn invoice(store: &Store, c: CustomerId, number: &str, due: &str, amount: Decimal) -> InvoiceId {
    store
        .add_invoice(&NewInvoice {
            number: number.into(),
            customer_id: c,
            issued: d("2026-09-01"),
            due: d(due),
            amount: Money::new(amount, Currency::EUR),
            description: String::new(),
            reference: None,
        })
        .unwrap()
}

fn call(c: CustomerId, i: InvoiceId, on: &str, outcome: CallOutcome) -> NewCall {
    NewCall {
        customer: c,
        invoice: Some(i),
        on: d(on),
        reached: outcome.implies_reached().unwrap_or(true),
        with: Some("Jan".into()),
        outcome,
        follow_up: None,
        claimed_paid_on: None,
        claimed_reference: None,
        note: String::new(),
        agreement: None,
    }
}

fn promise(c: CustomerId, i: InvoiceId, on: &str, pays_on: &str, amount: Decimal) -> NewCall {
    NewCall {
        agreement: Some(NewAgreement::promise(d(pays_on), amount).unwrap()),
        ..call(c, i, on, CallOutcome::Promise)
    }
}

fn plan(c: CustomerId, i: InvoiceId, on: &str, first: &str, total: Decimal) -> NewCall {
    let schedule = Schedule::Every { count: 3, every_days: 30, first: d(first) };
    NewCall {
        agreement: Some(NewAgreement::plan(total, &schedule).unwrap()),
        ..call(c, i, on, CallOutcome::Plan)
    }
}

fn pay(store: &Store, i: InvoiceId, on: &str, amount: Decimal) {
    store
        .add_payment(&NewPayment {
            invoice: i,
            on: d(on),
            amount,
            kind: PaymentKind::Payment,
            method: None,
            note: String::new(),
        })
        .unwrap();
}

fn count(store: &Store, table: &str) -> i64 {
    store.conn().query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
}

#[test]
fn a_call_with_a_plan_is_saved_whole() {
    let (store, c, i) = book();
    let saved = store.log_call(&plan(c, i, "2026-11-23", "2026-12-01", dec!(1000.00))).unwrap();
    let agreements = store.agreements(i).unwrap();
    assert_eq!(agreements.len(), 1);
    let a = &agreements[0];
    assert_eq!((Some(a.id), a.kind, a.call), (saved.agreement, AgreementKind::Plan, Some(saved.call)));
    let amounts: Vec<Decimal> = a.instalments.iter().map(|s| s.amount).collect();
    assert_eq!(amounts, vec![dec!(333.33), dec!(333.33), dec!(333.34)]);
    let kinds: Vec<EventKind> = store.timeline(i).unwrap().iter().map(|e| e.kind).collect();
    assert_eq!(kinds, vec![EventKind::CallLogged, EventKind::AgreementMade]);
    assert!(store.invoice(i).unwrap().steps_done.contains(&Step::Call));
    let last = store.last_call(i).unwrap().unwrap();
    assert_eq!((last.id, last.outcome, last.with.as_deref()), (saved.call, CallOutcome::Plan, Some("Jan")));
}

#[test]
fn a_call_that_fails_half_way_writes_nothing() {
    let (store, c, i) = book();
    // The call row is written before the agreement is checked against the open amount.
    let err = store.log_call(&promise(c, i, "2026-11-23", "2026-11-30", dec!(1000.01))).unwrap_err();
    assert!(err.to_string().contains("more than the 1000.00 still open"), "{err}");
    for table in ["calls", "agreements", "instalments", "events"] {
        assert_eq!(count(&store, table), 0, "{table}");
    }
    assert!(store.invoice(i).unwrap().steps_done.is_empty());
    // An invalid call is refused before anything starts.
    let mut bad = call(c, i, "2026-11-23", CallOutcome::Promise);
    bad.agreement = None;
    assert!(store.log_call(&bad).is_err());
    assert_eq!(count(&store, "calls"), 0);
}

#[test]
fn an_unanswered_call_is_logged_but_the_call_step_stays_to_do() {
    let (store, c, i) = book();
    store.log_call(&call(c, i, "2026-11-23", CallOutcome::NoAnswer)).unwrap();
    assert_eq!(count(&store, "calls"), 1);
    assert!(!store.invoice(i).unwrap().steps_done.contains(&Step::Call));
    assert!(store.timeline(i).unwrap()[0].detail.starts_with("not reached: no answer"));
}

#[test]
fn payments_fill_the_oldest_open_instalment_first() {
    let (store, c, i) = book();
    store.log_call(&plan(c, i, "2026-11-23", "2026-12-01", dec!(1000.00))).unwrap();
    pay(&store, i, "2026-11-30", dec!(500));
    let a = &store.agreements(i).unwrap()[0];
    let paid: Vec<Decimal> = a.instalments.iter().map(|s| s.paid_by(d("2026-12-31"))).collect();
    assert_eq!(paid, vec![dec!(333.33), dec!(166.67), dec!(0)]);
    assert_eq!(
        a.status(d("2026-12-15"), 2, false),
        AgreementStatus::OnSchedule { next_due: d("2026-12-31"), amount: dec!(166.66) }
    );
    pay(&store, i, "2026-12-30", dec!(500));
    let a = &store.agreements(i).unwrap()[0];
    assert_eq!(a.status(d("2026-12-30"), 2, true), AgreementStatus::Kept { on: d("2026-12-30") });
    let kept: i64 =
        store.conn().query_row("SELECT sum(paid_cents) FROM instalments", [], |r| r.get(0)).unwrap();
    assert_eq!(kept, 100_000, "the kept paid amounts match the allocations");
}

#[test]
fn a_payment_recorded_by_an_import_fills_the_instalments_as_one_added_by_hand() {
    let (mut store, c, i) = book();
    store.log_call(&plan(c, i, "2026-11-23", "2026-12-01", dec!(1000.00))).unwrap();
    pay(&store, i, "2026-12-01", dec!(333.33));
    let w = store.book_writer().unwrap();
    let line = crate::store::Reduction {
        invoice: i,
        on: d("2026-12-31"),
        cents: 33_333,
        kind: PaymentKind::Payment,
        method: Some("transfer"),
        note: "BAKKERIJ PEETERS: 2026-041",
    };
    w.add_reduction(&line).unwrap();
    w.commit().unwrap();
    let a = &store.agreements(i).unwrap()[0];
    let paid: Vec<Decimal> = a.instalments.iter().map(|s| s.paid_by(d("2027-01-31"))).collect();
    assert_eq!(paid, vec![dec!(333.33), dec!(333.33), dec!(0)]);
    assert_eq!(
        a.status(d("2027-01-03"), 2, false),
        AgreementStatus::OnSchedule { next_due: d("2027-01-30"), amount: dec!(333.34) }
    );
    let payments: Vec<String> = store
        .timeline(i)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == EventKind::Payment)
        .map(|e| e.detail)
        .collect();
    assert_eq!(payments, vec!["333.33", "333.33 transfer"]);
    assert_eq!(store.invoice(i).unwrap().invoice.open, dec!(333.34));
}

#[test]
fn a_refused_over_payment_applies_nothing() {
    let (store, c, i) = book();
    store.log_call(&promise(c, i, "2026-11-23", "2026-11-30", dec!(400))).unwrap();
    let over = NewPayment {
        invoice: i,
        on: d("2026-11-24"),
        amount: dec!(1000.01),
        kind: PaymentKind::Payment,
        method: None,
        note: String::new(),
    };
    assert!(store.add_payment(&over).is_err());
    assert_eq!(count(&store, "instalment_payments"), 0);
    // A payment beyond the promise settles the promise and still reduces the invoice.
    pay(&store, i, "2026-11-24", dec!(600));
    assert_eq!(store.agreements(i).unwrap()[0].instalments[0].paid_by(d("2026-11-24")), dec!(400));
    assert_eq!(store.invoice(i).unwrap().invoice.open, dec!(400));
}

/// What the call agenda asks for on `day`, with two days' grace.
fn agenda_kinds(store: &Store, day: &str) -> Vec<CallAgendaKind> {
    store.call_agenda(d(day), 2).unwrap().iter().map(|x| x.kind).collect()
}

#[test]
fn a_broken_promise_shows_the_day_after_the_grace() {
    let (store, c, i) = book();
    store.log_call(&promise(c, i, "2026-11-23", "2026-11-30", dec!(1000))).unwrap();
    let kinds = |day: &str| agenda_kinds(&store, day);
    assert_eq!(kinds("2026-11-29"), vec![]);
    assert_eq!(kinds("2026-11-30"), vec![CallAgendaKind::Due]);
    assert_eq!(kinds("2026-12-02"), vec![CallAgendaKind::Due], "the last day of the grace");
    assert_eq!(kinds("2026-12-03"), vec![CallAgendaKind::Broken]);
    let item = &store.call_agenda(d("2026-12-03"), 2).unwrap()[0];
    assert_eq!(item.date, d("2026-12-03"));
    assert_eq!(item.number.as_deref(), Some("2026-041"));
    assert_eq!(item.amount, Some(Money::new(dec!(1000), Currency::EUR)));
    // Paid within the grace: nothing to chase.
    pay(&store, i, "2026-12-01", dec!(1000));
    assert_eq!(kinds("2026-12-03"), vec![]);
}

#[test]
fn a_broken_promise_asks_for_nothing_once_a_step_was_taken_after_it_broke() {
    let (store, c, i) = book();
    store.log_call(&promise(c, i, "2026-11-23", "2026-11-30", dec!(1000))).unwrap();
    let kinds = |day: &str| agenda_kinds(&store, day);
    let send = |kind, on: &str| {
        store.record_sent(i, kind, d(on), None, "", None, || Ok(())).unwrap();
    };
    // A reminder sent before it broke (3 Dec) does not answer it.
    send(EventKind::ReminderSent, "2026-12-01");
    assert_eq!(kinds("2026-12-03"), vec![CallAgendaKind::Broken]);
    // The firm reminder sent because it broke does; a look at the days before still sees it.
    send(EventKind::FirmReminderSent, "2026-12-04");
    assert_eq!(kinds("2026-12-04"), vec![]);
    assert_eq!(kinds("2026-12-20"), vec![]);
    assert_eq!(kinds("2026-12-03"), vec![CallAgendaKind::Broken]);
    assert!(store.agreements(i).unwrap()[0].status(d("2026-12-20"), 2, false).label() == "broken");
}

#[test]
fn a_new_agreement_replaces_the_unpaid_one() {
    let (store, c, i) = book();
    store.log_call(&promise(c, i, "2026-11-23", "2026-11-30", dec!(1000))).unwrap();
    store.log_call(&plan(c, i, "2026-12-04", "2026-12-15", dec!(1000))).unwrap();
    let all = store.agreements(i).unwrap();
    assert_eq!(all[0].ended_on, Some(d("2026-12-04")));
    assert_eq!(all[0].kept(d("2026-12-04"), 2), Some(false), "it was broken on 3 Dec");
    pay(&store, i, "2026-12-15", dec!(333.33));
    let all = store.agreements(i).unwrap();
    assert!(all[0].instalments[0].paid.is_empty(), "payments go to the running agreement");
    assert_eq!(all[1].instalments[0].paid_by(d("2026-12-15")), dec!(333.33));
    let agenda = store.call_agenda(d("2026-12-16"), 2).unwrap();
    assert!(agenda.is_empty(), "{agenda:?}");
}

#[test]
fn call_backs_and_claimed_payments_come_due_until_the_next_call() {
    let (store, c, i) = book();
    let mut back = call(c, i, "2026-11-23", CallOutcome::Callback);
    back.follow_up = Some(d("2026-11-25"));
    store.log_call(&back).unwrap();
    assert!(store.call_agenda(d("2026-11-24"), 2).unwrap().is_empty());
    let due = store.call_agenda(d("2026-11-25"), 2).unwrap();
    assert_eq!((due[0].kind, due[0].date), (CallAgendaKind::CallBack, d("2026-11-25")));
    let mut claim = call(c, i, "2026-11-25", CallOutcome::AlreadyPaid);
    claim.follow_up = Some(d("2026-11-27"));
    claim.claimed_paid_on = Some(d("2026-11-20"));
    store.log_call(&claim).unwrap();
    assert!(store.call_agenda(d("2026-11-26"), 2).unwrap().is_empty(), "the call-back was made");
    let due = store.call_agenda(d("2026-11-27"), 2).unwrap();
    assert_eq!(due[0].kind, CallAgendaKind::CheckClaimedPayment);
    pay(&store, i, "2026-11-20", dec!(1000));
    assert!(store.call_agenda(d("2026-11-27"), 2).unwrap().is_empty(), "settled: nothing to check");
}

#[test]
fn a_dispute_call_opens_the_dispute_once() {
    let (store, c, i) = book();
    let mut dispute = call(c, i, "2026-11-23", CallOutcome::Dispute);
    dispute.note = "the second delivery was incomplete".into();
    assert!(store.log_call(&dispute).unwrap().dispute_opened);
    assert!(store.invoice(i).unwrap().invoice.disputed);
    dispute.on = d("2026-11-30");
    assert!(!store.log_call(&dispute).unwrap().dispute_opened);
    let opened = store.timeline(i).unwrap().iter().filter(|e| e.kind == EventKind::DisputeOpened).count();
    assert_eq!(opened, 1);
}

#[test]
fn confirming_in_writing_is_recorded_once() {
    let (store, c, i) = book();
    let id =
        store.log_call(&promise(c, i, "2026-11-23", "2026-11-30", dec!(1000))).unwrap().agreement.unwrap();
    assert!(store.confirm_agreement(id, d("2026-11-22")).is_err(), "before it was made");
    store.confirm_agreement(id, d("2026-11-24")).unwrap();
    assert_eq!(store.agreement(id).unwrap().confirmed_on, Some(d("2026-11-24")));
    assert!(
        store.confirm_agreement(id, d("2026-11-25")).unwrap_err().to_string().contains("already confirmed")
    );
    assert_eq!(store.timeline(i).unwrap().last().unwrap().kind, EventKind::AgreementConfirmed);
}

#[test]
fn behaviour_counts_days_late_and_promises() {
    let (store, c, i) = book(); // due 2026-10-01
    let j = invoice(&store, c, "2026-042", "2026-10-10", dec!(200));
    let k = invoice(&store, c, "2026-043", "2026-10-20", dec!(300));
    pay(&store, j, "2026-10-09", dec!(200)); // on time
    pay(&store, k, "2026-11-09", dec!(100));
    pay(&store, k, "2026-11-13", dec!(200)); // 24 days late
    store.log_call(&promise(c, i, "2026-11-23", "2026-11-30", dec!(1000))).unwrap();
    let b = store.customer_behaviour(c, d("2026-12-10"), 2).unwrap();
    assert_eq!(
        (b.paid_invoices, b.paid_on_time, b.worst(), b.average_days_late()),
        (2, 1, Some(24), Some(12))
    );
    assert_eq!((b.promises_kept, b.promises_broken), (0, 1));
    let before = store.customer_behaviour(c, d("2026-11-10"), 2).unwrap();
    assert_eq!(before.paid_invoices, 1, "invoice 043 was not settled yet on 10 Nov");
}

#[test]
fn the_forecast_uses_promises_and_habits() {
    let (store, c, i) = book();
    invoice(&store, c, "2026-042", "2026-12-01", dec!(200));
    let k = invoice(&store, c, "2026-043", "2026-10-01", dec!(300));
    pay(&store, k, "2026-10-15", dec!(300)); // 14 days late on average
    store.log_call(&promise(c, i, "2026-11-25", "2026-12-04", dec!(1000))).unwrap();
    let f = store.cash_forecast(d("2026-11-25"), Period::Week, 8, 2, Currency::EUR).unwrap();
    assert_eq!(f.buckets[1].agreed_cents, 100_000, "the promise of Fri 4 Dec, week of 30 Nov");
    assert_eq!(f.buckets[3].expected_cents, 20_000, "due 1 Dec + 14 days = 15 Dec, week of 14 Dec");
    assert_eq!(f.total_cents(), 120_000);
}

#[test]
fn a_database_of_the_previous_schema_gains_the_call_tables() {
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    let migrations = crate::store::schema::migrations();
    migrations.to_version(&mut conn, 1).unwrap();
    conn.execute("INSERT INTO customers (name) VALUES ('Old customer')", []).unwrap();
    migrations.to_latest(&mut conn).unwrap();
    let n: i64 = conn.query_row("SELECT count(*) FROM customers", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 1);
    for table in ["calls", "agreements", "instalments", "instalment_payments"] {
        let found: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                [table],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(found, 1, "{table}");
    }
}

#[test]
fn escalation_resumes_after_a_broken_promise() {
    use crate::config::Config;
    use crate::domain::ladder::{PauseKind, State};
    use crate::service::InvoiceStanding;
    // Standard customer, due 2026-10-01, nothing sent yet; a promise on 23 Nov for 30 Nov with
    // 2 days of grace pauses the ladder to 2 Dec included.
    let (store, c, i) = book();
    store.log_call(&promise(c, i, "2026-11-23", "2026-11-30", dec!(1000))).unwrap();
    let row = store.invoice(i).unwrap();
    let customer = store.customer(c).unwrap();
    let on = |day: &str| {
        let timeline = store.timeline(i).unwrap();
        InvoiceStanding::load(&store, &Config::default(), &row.invoice, &customer, &timeline, d(day))
            .unwrap()
            .standing
    };
    let s = on("2026-12-02");
    assert!(matches!(s.state, State::Paused { kind: PauseKind::Promise, .. }), "{s:?}");
    assert_eq!(s.step_to_take, None);
    // Broken on 3 Dec: escalation resumes that day. The promise came from a call that reached
    // the customer (the call step is done, passing over the plain reminder); no letter was
    // sent yet, so the first letter is the firm reminder, never the formal notice whose day
    // (31 Oct) has passed too.
    let s = on("2026-12-03");
    assert_eq!(s.state, State::Open);
    let step = s.step_to_take.unwrap();
    assert_eq!((step.step, step.on), (Step::FirmReminder, d("2026-12-03")));
}
