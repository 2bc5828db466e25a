//! Effects: what the update asks of the outside world (load, write), performed against the
//! store, each answered by a message. `dispatch` runs a message and everything it causes.

use std::collections::VecDeque;
use std::path::PathBuf;

use chrono::NaiveDate;

use super::call::{self, CallSave, CallTarget};
use super::detail::{CustomerDetail, InvoiceDetail};
use super::hint::Failure;
use super::screen_data::ScreenData;
use super::{App, Message, update};
use crate::config::Config;
use crate::domain::agreement::AgreementId;
use crate::domain::call::CallId;
use crate::domain::customer::{CustomerId, NewCustomer};
use crate::domain::event::Channel;
use crate::domain::forecast::Period;
use crate::domain::invoice::{InvoiceId, NewInvoice, NewPayment};
use crate::domain::money::{Currency, Money};
use crate::domain::policy::Step;
use crate::service::agenda::{AfterPayment, after_payment};
use crate::service::demo::{DemoOptions, write_demo};
use crate::store::{Entry, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Load the book again (after a write, or when another process wrote).
    Reload,
    LoadInvoice(InvoiceId),
    LoadCustomer(CustomerId),
    /// The cash-in forecast for Receivables (answered by `ForecastLoaded`).
    LoadForecast,
    /// Every invoice and customer the jump can reach (answered by `JumpLoaded`).
    LoadJump,
    Write(Box<Write>),
    /// The letter for an invoice's current step (answered by `LetterLoaded`).
    PreviewLetter(InvoiceId),
    /// The customer's one letter for the invoices of a folded Today line.
    PreviewGroupLetter(Vec<InvoiceId>),
    /// The letter on screen, as edited in `$EDITOR` (answered by `LetterLoaded`).
    EditedLetter(Box<super::letter::EditedLetter>),
    /// Save a previewed letter and record it as sent, in one transaction (answered by `Written`).
    SendLetter(Box<super::letter::SendLetter>),
    /// Send a previewed letter by email and record it once the server took it (answered by
    /// `Written`).
    EmailLetter(Box<super::letter::SendLetter>),
    /// Send a prepared email: the network only, off the keyboard's path.
    DeliverEmail(Box<super::letter::Delivery>),
    /// Record an email the server accepted, in one transaction.
    RecordEmail(Box<super::letter::Delivery>),
    /// The agency dossier of an invoice, beside the book (answered by `DossierWritten`).
    ExportDossier(InvoiceId),
    /// Prepare call mode: the script and the form's context (answered by `CallReady`).
    PrepareCall(CallTarget),
    /// Save a call with its agreement and events, in one transaction (answered by `CallSaved`).
    SaveCall(Box<CallSave>),
    /// Save a text to a new private file (answered by `FileSaved`).
    SaveText {
        path: PathBuf,
        text: String,
    },
    /// Read a bank statement and match it in a dry run (answered by `StatementRead`).
    ReadStatement(PathBuf),
    /// Complete a typed path from its folder (answered by `PathCompleted`).
    CompletePath(String),
    /// Record a statement's lines with the user's choices (answered by `Written`).
    ImportStatement {
        statement: Box<crate::import::statement::Statement>,
        choices: Vec<(usize, crate::import::Choice)>,
    },
}

/// A change to the book, through the store's transactional functions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Write {
    Customer(NewCustomer),
    Invoice {
        invoice: NewInvoice,
        pdf: Option<std::path::PathBuf>,
    },
    Payment {
        payment: NewPayment,
        number: String,
        currency: Currency,
    },
    Note {
        customer: CustomerId,
        invoice: Option<InvoiceId>,
        on: NaiveDate,
        body: String,
        name: String,
    },
    Step {
        /// One invoice, or each of a customer's group: one change either way.
        invoices: Vec<InvoiceId>,
        number: String,
        step: Step,
        on: NaiveDate,
        channel: Channel,
        detail: String,
    },
    Dispute {
        invoice: InvoiceId,
        number: String,
        open: bool,
        on: NaiveDate,
        detail: String,
        /// Resolved with a credit of this much (`service::reductions`).
        credit: Option<rust_decimal::Decimal>,
    },
    /// A write-off or a credit (`service::reductions`, as `settle invoice write-off`).
    Reduce {
        invoice: InvoiceId,
        number: String,
        reduce: crate::service::reductions::Reduce,
    },
    /// Give up the interest and costs of an invoice (`service::claims`).
    Waive {
        invoice: InvoiceId,
        number: String,
        on: NaiveDate,
        note: String,
    },
    /// Correcting what is recorded (`e`), through the same store functions as the commands.
    EditCustomer {
        id: CustomerId,
        customer: NewCustomer,
    },
    EditInvoice {
        id: InvoiceId,
        number: String,
        change: crate::service::corrections::InvoiceChange,
    },
    EditPayment {
        id: i64,
        edit: crate::store::PaymentEdit,
        /// The number of the invoice it moves to, if it moves.
        move_to: Option<String>,
    },
    EditNote {
        id: i64,
        body: String,
    },
    EditCall {
        id: CallId,
        edit: crate::store::CallEdit,
    },
    EditAgreement {
        id: AgreementId,
        edit: crate::store::AgreementEdit,
    },
    /// Deleting an entry recorded by mistake (`x`, once confirmed), on this invoice.
    Delete {
        entry: Entry,
        invoice: Option<InvoiceId>,
    },
    /// The demo book (default sizes, seed 42) as of today, into an empty database.
    Demo,
    /// Revert the last change of the log (`u`).
    Undo,
}

impl Write {
    /// What the change log calls this change.
    fn label(&self) -> String {
        match self {
            Write::Customer(c) => format!("customer add {}", c.name.trim()),
            Write::Invoice { invoice: i, .. } => format!("invoice add {}", i.number.trim()),
            Write::Payment { number, .. } => format!("payment add {number}"),
            Write::Note { name, .. } => format!("note for {name}"),
            Write::Step { number, step, .. } => format!("step {step} on {number}"),
            Write::Dispute { number, open, .. } => {
                format!("dispute {} on {number}", if *open { "opened" } else { "resolved" })
            }
            Write::Reduce { number, reduce, .. } => {
                format!("invoice {} {number}", crate::service::reductions::kind_word(reduce.kind))
            }
            Write::Demo => "demo".into(),
            Write::EditCustomer { customer, .. } => format!("customer edit {}", customer.name.trim()),
            Write::EditInvoice { number, .. } => format!("invoice edit {number}"),
            Write::EditPayment { id, .. } => format!("payment edit {id}"),
            Write::EditNote { id, .. } => format!("note edit {id}"),
            Write::EditCall { id, .. } => format!("call edit {}", id.0),
            Write::EditAgreement { id, .. } => format!("agreement edit {}", id.0),
            Write::Delete { entry, .. } => match entry {
                Entry::Payment(id) => format!("payment delete {id}"),
                Entry::Note(id) => format!("note delete {id}"),
                Entry::Call(id) => format!("call delete {}", id.0),
                Entry::Agreement(id) => format!("agreement delete {}", id.0),
                Entry::Step(step, _) => format!("step delete {step}"),
            },
            Write::Waive { number, .. } => format!("claim waived on {number}"),
            Write::Undo => "undo".into(),
        }
    }
}

/// Performs one effect; the answer is a message for the update.
pub fn perform(store: &mut Store, app: &App, effect: Effect) -> Message {
    // Changes other than a `Write` (a letter, a call) are described by their rows.
    store.set_origin("app", "");
    let failed = |e: StoreError| Message::Failed(e.into());
    match effect {
        Effect::Reload => match ScreenData::load(store, &app.resources.config, app.today, app.since) {
            Ok(book) => Message::Loaded(Box::new(book)),
            Err(e) => failed(e),
        },
        Effect::LoadInvoice(id) => {
            match InvoiceDetail::load(store, id, app.today, &app.resources.config, &app.resources.scripts) {
                Ok(d) => Message::InvoiceLoaded(Box::new(d)),
                Err(e) => failed(e),
            }
        }
        Effect::LoadForecast => SlowJob::Forecast {
            today: app.today,
            grace_days: app.resources.grace_days(),
            currency: app.book.currency,
        }
        .run(Some(store)),
        Effect::LoadJump => match super::jump::Targets::load(store, &app.book) {
            Ok(t) => Message::JumpLoaded(std::sync::Arc::new(t)),
            Err(e) => failed(e),
        },
        Effect::LoadCustomer(id) => {
            match CustomerDetail::load(store, id, app.today, app.resources.grace_days()) {
                Ok(d) => Message::CustomerLoaded(Box::new(d)),
                Err(e) => failed(e),
            }
        }
        Effect::Write(w) => match *w {
            Write::Waive { number, on, note, .. } => Message::Written(
                crate::service::claims::close(
                    store,
                    &app.resources.config,
                    &number,
                    crate::service::claims::Close::Waive,
                    on,
                    app.today,
                    &note,
                )
                .map_err(Failure::new),
            ),
            Write::Reduce { invoice, ref reduce, .. } => on_invoice(store, &w, invoice, |store, r| {
                crate::service::reductions::reduce(store, &r.invoice, reduce, app.today)
            }),
            Write::Dispute { invoice, open: false, on, ref detail, credit, .. } => {
                on_invoice(store, &w, invoice, |store, r| {
                    crate::service::reductions::resolve_dispute(
                        store, &r.invoice, on, detail, credit, app.today,
                    )
                })
            }
            w => Message::Written(write(store, &app.resources.config, app.today, w).map_err(Failure::from)),
        },
        Effect::PreviewLetter(id) => super::letter::load(store, app, id),
        Effect::PreviewGroupLetter(ids) => super::letter::load_group(store, app, &ids),
        Effect::EditedLetter(edit) => super::letter::load_edited(store, app, *edit),
        Effect::SendLetter(s) => Message::Written(super::letter::perform_send(store, app, *s)),
        Effect::EmailLetter(s) => match super::letter::prepare_email(store, app, *s) {
            Ok(d) => Message::EmailReady(d),
            Err(e) => Message::Written(Err(e)),
        },
        Effect::DeliverEmail(d) => SlowJob::Deliver(d).run(None),
        Effect::RecordEmail(d) => Message::Written(super::letter::record_email(store, app, &d)),
        Effect::ExportDossier(id) => Message::DossierWritten(super::letter::perform_dossier(store, app, id)),
        Effect::PrepareCall(target) => match call::prepare(store, app, target) {
            Ok(setup) => Message::CallReady(Box::new(setup)),
            Err(e) => Message::Failed(e),
        },
        Effect::SaveCall(c) => Message::CallSaved(call::save(store, app, &c)),
        Effect::SaveText { path, text } => Message::FileSaved(call::save_text(&path, &text)),
        Effect::ReadStatement(path) => Message::StatementRead(read_statement(store, app, path)),
        Effect::CompletePath(typed) => {
            let (path, names) = complete_path(&typed);
            Message::PathCompleted(path, names)
        }
        Effect::ImportStatement { statement, choices } => Message::Written(
            crate::service::bank::import(store, &statement, &choices, false)
                .map(|o| super::import::summary(&o))
                .map_err(Failure::new),
        ),
    }
}

/// A write of the use-case layer on one invoice, described in the change log as `w`.
fn on_invoice(
    store: &mut Store,
    w: &Write,
    invoice: InvoiceId,
    f: impl FnOnce(&mut Store, &crate::domain::invoice::InvoiceRow) -> anyhow::Result<String>,
) -> Message {
    store.set_origin("app", &w.label());
    let done = store.invoice(invoice).map_err(anyhow::Error::from).and_then(|r| f(store, &r));
    Message::Written(done.map_err(Failure::new))
}

/// Reads a statement and matches it without writing, as `settle import payments --dry-run`.
fn read_statement(
    store: &mut Store,
    app: &App,
    path: PathBuf,
) -> Result<Box<super::import::Review>, Failure> {
    use crate::service::bank;
    let profiles = bank::profiles(&app.resources.config.path).map_err(Failure::said)?;
    let choice = crate::import::statement::CsvChoice::default();
    let statement = bank::read(&path, &choice, &profiles, app.today)?;
    let outcome = bank::import(store, &statement, &[], true)?;
    Ok(Box::new(super::import::Review::new(path, statement, outcome)))
}

/// The most names a folder is read for when completing a path.
const MAX_NAMES: usize = 10_000;

/// Tab in a path: the names in the typed folder (folders with a `/`), completed.
fn complete_path(typed: &str) -> (String, Vec<String>) {
    let folder = match typed.rfind('/') {
        Some(i) => super::import::expand(&typed[..=i]),
        None => PathBuf::from("."),
    };
    let names: Vec<String> = match std::fs::read_dir(&folder) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .take(MAX_NAMES)
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                let dir = e.file_type().is_ok_and(|t| t.is_dir());
                Some(if dir { format!("{name}/") } else { name })
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    super::import::complete(typed, &names)
}

/// Writes and says what was done, in a sentence for the status line.
fn write(store: &mut Store, config: &Config, today: NaiveDate, w: Write) -> Result<String, StoreError> {
    store.set_origin("app", &w.label());
    Ok(match w {
        Write::Customer(c) => {
            store.add_customer(&c)?;
            format!("Added customer {}.", c.name.trim())
        }
        Write::Invoice { invoice: inv, pdf } => {
            crate::service::corrections::add_invoice(store, &inv, pdf.as_deref())?;
            format!("Added invoice {}: {}, due {}.", inv.number.trim(), inv.amount, inv.due)
        }
        Write::Payment { payment, number, currency } => {
            store.add_payment(&payment)?;
            let left = store.invoice(payment.invoice)?.invoice.open;
            if left.is_zero() {
                // The payment is recorded: what Today proposes next is only said if known.
                match after_payment(store, config, payment.invoice, today) {
                    Ok(AfterPayment::Claimable(m)) => format!(
                        "Invoice {number} is paid in full; {m} of interest and costs is still claimable: claim it by letter (l) or waive it (w) on Today."
                    ),
                    Ok(AfterPayment::ThankYou) => {
                        format!("Invoice {number} is paid in full. Time to say thank you.")
                    }
                    Ok(AfterPayment::Nothing) | Err(_) => format!("Invoice {number} is paid in full."),
                }
            } else {
                format!(
                    "Recorded {} on {number}; {} still open.",
                    Money::new(payment.amount, currency),
                    Money::new(left, currency)
                )
            }
        }
        Write::Note { customer, invoice, on, body, name } => {
            store.add_note(customer, invoice, on, &body)?;
            format!("Note added for {name}.")
        }
        Write::Step { invoices, number, step, on, channel, detail } => {
            store.record_steps(&invoices, step, on, Some(channel), &detail)?;
            format!("{} recorded on {number} ({}).", step.label(), channel.as_str().replace('_', " "))
        }
        Write::Dispute { invoice, number, open, on, detail, .. } => {
            store.set_dispute(invoice, open, on, &detail)?;
            if open {
                format!("Dispute opened on {number}: escalation paused.")
            } else {
                format!("Dispute on {number} resolved.")
            }
        }
        Write::Reduce { number, .. } => {
            return Err(StoreError::Invalid(format!(
                "invoice {number}: a write-off or credit goes through the reductions service"
            )));
        }
        Write::Waive { number, .. } => {
            return Err(StoreError::Invalid(format!(
                "invoice {number}: a waiver goes through the claims service"
            )));
        }
        Write::Undo => match store.undo()? {
            Some(c) => {
                let what = if c.what.is_empty() { c.summary() } else { c.what };
                format!("Undid change #{} ({}): {what}.", c.id, c.source)
            }
            None => "Nothing to undo.".into(),
        },
        Write::EditCustomer { id, customer } => {
            store.edit_customer(id, &customer)?;
            format!("Changed customer {}.", customer.name.trim())
        }
        Write::EditInvoice { id, number, change } => {
            let row = crate::service::corrections::edit_invoice(store, id, &change)
                .map_err(|e| StoreError::Invalid(format!("invoice {number}: {e}")))?;
            let inv = row.invoice;
            format!(
                "Changed invoice {}: {}, due {}, {} open.",
                inv.number,
                inv.amount,
                inv.due,
                Money::new(inv.open, inv.amount.currency)
            )
        }
        Write::EditPayment { id, mut edit, move_to } => {
            if let Some(n) = move_to {
                let row = store.invoice_by_number(&n)?.ok_or_else(|| {
                    StoreError::NotFound(format!("Invoice: no invoice numbered '{}'", n.trim()))
                })?;
                edit.invoice = Some(row.invoice.id);
            }
            let p = store.edit_payment(id, &edit)?;
            format!(
                "Changed the {} to {} of {} on {}.",
                p.kind,
                Money::from_cents(p.cents, p.currency),
                p.on,
                p.number
            )
        }
        Write::EditNote { id, body } => {
            store.edit_note(id, &body)?;
            "Note changed.".into()
        }
        Write::EditCall { id, edit } => {
            let c = store.edit_call(id, &edit)?;
            format!("Call of {} changed.", c.on)
        }
        Write::EditAgreement { id, edit } => {
            let a = store.edit_agreement(id, &edit)?;
            let currency = store.invoice(a.invoice)?.invoice.amount.currency;
            format!("The {} is now {}.", a.kind, a.describe(currency.symbol()))
        }
        Write::Delete { entry, invoice } => {
            let what = match entry {
                Entry::Payment(id) => {
                    let p = store.delete_payment(id)?;
                    format!("the {} of {}", p.kind, Money::from_cents(p.cents, p.currency))
                }
                Entry::Note(id) => {
                    store.delete_note(id)?;
                    "the note".into()
                }
                Entry::Call(id) => {
                    let c = store.delete_call(id)?;
                    format!("the call of {}", c.on)
                }
                Entry::Agreement(id) => {
                    let a = store.delete_agreement(id)?;
                    format!("the {} made {}", a.kind, a.made_on)
                }
                Entry::Step(step, event) => {
                    let invoice = invoice.ok_or_else(|| StoreError::NotFound("no invoice in view".into()))?;
                    let on = store.delete_step_event(invoice, event)?;
                    format!("the {} of {on}", step.label().to_lowercase())
                }
            };
            format!("Deleted {what}; u undoes it.")
        }
        Write::Demo => {
            let s = write_demo(store, &DemoOptions::default(), today)?;
            format!("Demo book loaded: {} customers, {} invoices ({} open).", s.customers, s.invoices, s.open)
        }
    })
}

/// Runs a message through the update and performs every effect it causes, in order.
pub fn dispatch(app: &mut App, store: &mut Store, msg: Message) {
    dispatch_deferring(app, store, msg, None);
}

/// Slow work asked for by the update, to do off the keyboard's path: the cash-in forecast
/// reads the whole book (a second at a million invoices); an email waits on the network.
#[derive(Debug, Clone)]
pub enum SlowJob {
    Forecast {
        today: NaiveDate,
        grace_days: u32,
        currency: Currency,
    },
    /// Sending an email: the network only, no book and no transaction.
    Deliver(Box<super::letter::Delivery>),
    /// The whole book after a large book's first look ([`super::App::whole_book_job`]).
    WholeBook {
        today: NaiveDate,
        since: NaiveDate,
        config: Box<crate::config::Config>,
    },
}

impl SlowJob {
    /// Whether the job reads the book (on its own connection).
    pub fn reads_book(&self) -> bool {
        matches!(self, SlowJob::Forecast { .. } | SlowJob::WholeBook { .. })
    }

    /// Does the job (on `store`, its own connection, if it reads the book); the answer is a
    /// message for the update.
    pub fn run(self, store: Option<&Store>) -> Message {
        match self {
            SlowJob::Forecast { today, grace_days, currency } => {
                let Some(store) = store else {
                    return Message::Failed(Failure::said("the forecast needs the book"));
                };
                match store.cash_forecast(today, Period::Week, 8, grace_days, currency) {
                    Ok(f) => Message::ForecastLoaded(Box::new(f)),
                    Err(e) => Message::Failed(e.into()),
                }
            }
            SlowJob::WholeBook { today, since, config } => {
                let Some(store) = store else { return Message::Failed(Failure::said("the book is needed")) };
                match ScreenData::load(store, &config, today, since) {
                    Ok(book) => Message::WholeBook(Box::new(book)),
                    Err(e) => Message::Failed(e.into()),
                }
            }
            SlowJob::Deliver(d) => match d.outgoing.deliver() {
                Ok(()) => Message::EmailDelivered(d),
                Err(e) => Message::Written(Err(Failure::new(e).after("."))),
            },
        }
    }
}

/// As [`dispatch`], but with `slow` the slow effects are not performed: they are handed
/// back as jobs for another thread, whose answers come back as messages later.
pub fn dispatch_deferring(
    app: &mut App,
    store: &mut Store,
    msg: Message,
    mut slow: Option<&mut Vec<SlowJob>>,
) {
    let mut queue = VecDeque::from([msg]);
    while let Some(m) = queue.pop_front() {
        for effect in update(app, m) {
            let Some(jobs) = slow.as_deref_mut() else {
                queue.push_back(perform(store, app, effect));
                continue;
            };
            match effect {
                Effect::LoadForecast => jobs.push(SlowJob::Forecast {
                    today: app.today,
                    grace_days: app.resources.grace_days(),
                    currency: app.book.currency,
                }),
                Effect::DeliverEmail(d) => jobs.push(SlowJob::Deliver(d)),
                effect => queue.push_back(perform(store, app, effect)),
            }
        }
    }
}
