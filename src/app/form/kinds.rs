//! The app's forms: what each asks, the rules across its fields, and the store write it
//! turns into once every field is valid.

use crate::domain::format;
use chrono::NaiveDate;

use super::{Field, FieldKind, Form};
use crate::app::detail::InvoiceDetail;
use crate::app::effects::Write;
use crate::app::screen_data::ScreenData;
use crate::domain::agreement::{Agreement, AgreementId, AgreementKind};
use crate::domain::call::{Call, CallId};
use crate::domain::customer::{Customer, CustomerId, NewCustomer, address_line, parse_address};
use crate::domain::dates::add_days;
use crate::domain::event::Channel;
use crate::domain::invoice::{InvoiceId, NewInvoice, NewPayment, PaymentKind};
use crate::domain::money::{Currency, KNOWN, Money, from_cents, parse_share, plain_amount};
use crate::domain::policy::Step;
use crate::service::corrections::InvoiceChange;
use crate::service::reductions::Reduce;
use crate::store::{AgreementEdit, CallEdit, PaymentEdit, PaymentLine};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    Customer,
    Invoice {
        currency: Currency,
    },
    Payment {
        invoice: InvoiceId,
        number: String,
        currency: Currency,
    },
    Note {
        customer: CustomerId,
        invoice: Option<InvoiceId>,
        name: String,
    },
    /// A step done on one invoice, or on each invoice of a customer's group on Today.
    Step {
        invoices: Vec<InvoiceId>,
        /// "2026-077", or "6 invoices of Drukkerij Maes BV".
        number: String,
        step: Step,
    },
    Dispute {
        invoice: InvoiceId,
        number: String,
        open: bool,
    },
    Waive {
        invoice: InvoiceId,
        number: String,
    },
    /// Correcting what is recorded (`e`): the same fields as adding it, prefilled.
    EditCustomer {
        id: CustomerId,
    },
    EditInvoice {
        id: InvoiceId,
        number: String,
    },
    EditPayment {
        id: i64,
        number: String,
        currency: Currency,
    },
    EditNote {
        id: i64,
    },
    EditCall {
        id: CallId,
    },
    EditAgreement {
        id: AgreementId,
        plan: bool,
        currency: Currency,
    },
    /// A write-off or a credit on an invoice (`o`).
    Reduce {
        invoice: InvoiceId,
        number: String,
        currency: Currency,
    },
}

pub type AppForm = Form<FormKind>;

const LANGUAGES: &[&str] = &["en", "nl", "fr", "de"];
const PROFILES: &[&str] = &["standard", "trusted", "new"];
const KINDS: &[&str] = &["business", "consumer"];
const CHANNELS: &[&str] = &["email", "letter", "phone", "in_person"];
const REDUCTIONS: &[&str] = &["write-off", "credit"];

fn text(label: &'static str, required: bool) -> Field {
    Field::new(label, FieldKind::Text { required }, "")
}

fn date(label: &'static str, value: &str, min: Option<NaiveDate>, max: Option<NaiveDate>) -> Field {
    Field::new(label, FieldKind::Date { min, max, required: true }, value)
}

pub fn customer() -> AppForm {
    customer_form(None)
}

/// The customer form, prefilled with a customer to correct (`e`), else empty.
pub fn customer_form(c: Option<&Customer>) -> AppForm {
    let value = |v: Option<&String>| v.cloned().unwrap_or_default();
    let name = match c {
        Some(c) => Field::new("Name", FieldKind::CustomerName { keep: c.id }, &c.name),
        None => Field::new("Name", FieldKind::NewCustomer, ""),
    };
    let with = |label, v: Option<&String>| Field::new(label, FieldKind::Text { required: false }, &value(v));
    let (kind, title) = match c {
        Some(c) => (FormKind::EditCustomer { id: c.id }, format!("Edit {}", c.name)),
        None => (FormKind::Customer, "Add a customer".to_string()),
    };
    Form::new(
        kind,
        title,
        None,
        vec![
            name,
            with("Contact", c.and_then(|c| c.contact.as_ref())),
            Field::new("Email", FieldKind::Email, &value(c.and_then(|c| c.email.as_ref()))),
            with("Phone", c.and_then(|c| c.phone.as_ref())),
            with("VAT", c.and_then(|c| c.vat.as_ref())),
            Field::choice("Language", LANGUAGES, c.map_or("en", |c| c.language.as_str())),
            Field::choice("Profile", PROFILES, c.map_or("standard", |c| c.profile.as_str())),
            Field::choice("Kind", KINDS, c.map_or("business", |c| c.kind.as_str())),
            Field::new("Terms (days)", FieldKind::Days, &c.map_or(30, |c| c.terms_days).to_string()),
            Field::new(
                "Postal address",
                FieldKind::Text { required: false },
                &address_line(c.and_then(|c| c.address.as_deref())),
            ),
        ],
    )
}

/// Correcting an invoice: every field of the add form, and its currency.
pub fn edit_invoice(
    inv: &crate::domain::invoice::Invoice,
    customer: &str,
    pdf: Option<&std::path::Path>,
) -> AppForm {
    let currency = inv.amount.currency;
    Form::new(
        FormKind::EditInvoice { id: inv.id, number: inv.number.clone() },
        format!("Edit invoice {}", inv.number),
        Some("Its open amount follows the amount; payments stay as recorded.".into()),
        vec![
            Field::new("Customer", FieldKind::Customer, customer),
            Field::new("Number", FieldKind::Text { required: true }, &inv.number),
            date("Issued", &inv.issued.to_string(), None, None),
            date("Due", &inv.due.to_string(), None, None),
            Field::new("Amount", FieldKind::Amount { max: None, currency }, &plain_amount(inv.amount.amount)),
            Field::choice("Currency", KNOWN, currency.as_str()),
            Field::new("Description", FieldKind::Text { required: false }, &inv.description),
            Field::new(
                "Reference",
                FieldKind::Reference,
                &inv.reference.map(|r| r.to_string()).unwrap_or_default(),
            ),
            Field::new(
                "PDF",
                FieldKind::Text { required: false },
                &pdf.map(|p| p.display().to_string()).unwrap_or_default(),
            ),
        ],
    )
}

/// Correcting a payment, credit or write-off: its amount (not more than was open without
/// it), its day, how it was paid, and the invoice it belongs to.
pub fn edit_payment(
    p: &PaymentLine,
    open: rust_decimal::Decimal,
    issued: NaiveDate,
    today: NaiveDate,
) -> AppForm {
    let amount = from_cents(p.cents);
    Form::new(
        FormKind::EditPayment { id: p.id, number: p.number.clone(), currency: p.currency },
        format!("Edit the {} of {}", p.kind, Money::new(amount, p.currency)),
        Some(format!("Invoice {} · recorded {}", p.number, p.on)),
        vec![
            Field::new(
                "Amount",
                FieldKind::Amount { max: Some(open + amount), currency: p.currency },
                &plain_amount(amount),
            ),
            date("Date", &p.on.to_string(), Some(issued), Some(today)),
            Field::new(
                "Method",
                FieldKind::Text { required: false },
                p.method.as_deref().unwrap_or_default(),
            ),
            Field::new("Invoice", FieldKind::Text { required: true }, &p.number),
        ],
    )
}

pub fn edit_note(id: i64, body: &str, about: String) -> AppForm {
    let body = body.lines().collect::<Vec<_>>().join(" ");
    Form::new(
        FormKind::EditNote { id },
        "Edit the note",
        Some(about),
        vec![Field::new("Note", FieldKind::Text { required: true }, &body)],
    )
}

/// Correcting a call: its day, who was reached, what was said, the call-back date. (Its
/// outcome is corrected by deleting the call and logging it again.)
pub fn edit_call(c: &Call, today: NaiveDate) -> AppForm {
    Form::new(
        FormKind::EditCall { id: c.id },
        "Edit the call",
        Some(format!("{}: {}", c.outcome.label(), c.on)),
        vec![
            date("Date", &c.on.to_string(), None, Some(today)),
            Field::new(
                "Spoke with",
                FieldKind::Text { required: false },
                c.with.as_deref().unwrap_or_default(),
            ),
            Field::new("Note", FieldKind::Text { required: false }, &c.note),
            Field::new(
                "Call back",
                FieldKind::Date { min: None, max: None, required: false },
                &c.follow_up.map(|d| d.to_string()).unwrap_or_default(),
            ),
        ],
    )
}

/// Correcting a promise (amount, date) or a plan (total, dates: split evenly again).
pub fn edit_agreement(a: &Agreement, currency: Currency) -> AppForm {
    let plan = a.kind == AgreementKind::Plan;
    let dates: Vec<String> = a.instalments.iter().map(|i| i.due.to_string()).collect();
    let amount = Field::new(
        if plan { "Total" } else { "Amount" },
        FieldKind::Amount { max: None, currency },
        &plain_amount(a.total),
    );
    let when = if plan {
        Field::new("Dates", FieldKind::Text { required: true }, &dates.join(", "))
    } else {
        date("Date", dates.first().map_or("", String::as_str), Some(a.made_on), None)
    };
    Form::new(
        FormKind::EditAgreement { id: a.id, plan, currency },
        if plan { "Edit the instalment plan" } else { "Edit the promise" },
        Some(format!("Made {}; payments already made are applied again, oldest first.", a.made_on)),
        vec![amount, when],
    )
}

pub fn invoice(customer: Option<&str>, currency: Currency) -> AppForm {
    let mut form = Form::new(
        FormKind::Invoice { currency },
        "Add an invoice",
        Some("Due may stay empty: the customer's payment terms then set it.".into()),
        vec![
            Field::new("Customer", FieldKind::Customer, customer.unwrap_or_default()),
            text("Number", true),
            date("Issued", "today", None, None),
            Field::new("Due", FieldKind::Date { min: None, max: None, required: false }, ""),
            Field::new("Amount", FieldKind::Amount { max: None, currency }, ""),
            text("Description", false),
            Field::new("Reference", FieldKind::Reference, ""),
            text("PDF", false),
        ],
    );
    form.focus = usize::from(customer.is_some());
    form
}

pub fn payment(inv: &InvoiceDetail, today: NaiveDate) -> AppForm {
    let currency = inv.currency;
    Form::new(
        FormKind::Payment { invoice: inv.id, number: inv.number.clone(), currency },
        format!("Record a payment on {}", inv.number),
        Some(format!("{} · {} still open", inv.customer, Money::new(inv.open, currency))),
        vec![
            Field::new(
                "Amount",
                FieldKind::Amount { max: Some(inv.open), currency },
                &plain_amount(inv.open),
            ),
            date("Date", "today", Some(inv.issued), Some(today)),
            text("Method", false),
        ],
    )
}

pub fn note(customer: CustomerId, invoice: Option<(InvoiceId, &str)>, name: &str) -> AppForm {
    let about = match invoice {
        Some((_, number)) => format!("{name} · invoice {number}"),
        None => name.to_string(),
    };
    Form::new(
        FormKind::Note { customer, invoice: invoice.map(|(id, _)| id), name: name.to_string() },
        "Add a note",
        Some(about),
        vec![text("Note", true)],
    )
}

pub fn step(inv: &InvoiceDetail, step: Step, today: NaiveDate) -> AppForm {
    step_on(inv.id, &inv.number, &inv.customer, step, today)
}

/// The step done on one invoice.
pub fn step_on(invoice: InvoiceId, number: &str, customer: &str, step: Step, today: NaiveDate) -> AppForm {
    let about = format!("{customer} · invoice {number}");
    step_done(vec![invoice], number.to_string(), about, step, today)
}

/// The step done on each invoice of a customer's group on Today (one change).
pub fn group_step(
    invoices: Vec<(InvoiceId, String)>,
    customer: &str,
    step: Step,
    today: NaiveDate,
) -> AppForm {
    let numbers: Vec<&str> = invoices.iter().map(|(_, n)| n.as_str()).collect();
    let about = format!("{customer} · {} invoices: {}", numbers.len(), numbers.join(", "));
    let number = format!("{} invoices of {customer}", numbers.len());
    step_done(invoices.into_iter().map(|(id, _)| id).collect(), number, about, step, today)
}

fn step_done(
    invoices: Vec<InvoiceId>,
    number: String,
    about: String,
    step: Step,
    today: NaiveDate,
) -> AppForm {
    let channel = match step {
        Step::Call => "phone",
        Step::FormalNotice | Step::Agency => "letter",
        _ => "email",
    };
    Form::new(
        FormKind::Step { invoices, number, step },
        format!("{} done", step.label()),
        Some(about),
        vec![
            Field::choice("Channel", CHANNELS, channel),
            date("Date", "today", None, Some(today)),
            text("Note", false),
        ],
    )
}

pub fn dispute(inv: &InvoiceDetail, today: NaiveDate) -> AppForm {
    let (title, label, required) =
        if inv.disputed { ("Resolve the dispute", "How", false) } else { ("Open a dispute", "Reason", true) };
    let mut fields = vec![text(label, required), date("Date", "today", None, Some(today))];
    let intro = format!("{} · invoice {}", inv.customer, inv.number);
    if inv.disputed && !inv.open.is_zero() {
        // Resolved with a discount: the credit is recorded with the resolution, How its reason.
        fields.push(Field::new(
            "Credit",
            FieldKind::Share { of: inv.amount, max: inv.open, currency: inv.currency },
            "",
        ));
    }
    Form::new(
        FormKind::Dispute { invoice: inv.id, number: inv.number.clone(), open: !inv.disputed },
        title,
        Some(intro),
        fields,
    )
}

/// Writing off or crediting part or all of an invoice: how, how much (all that is open by
/// default), why, and the day.
pub fn reduce(inv: &InvoiceDetail, today: NaiveDate) -> AppForm {
    let currency = inv.currency;
    Form::new(
        FormKind::Reduce { invoice: inv.id, number: inv.number.clone(), currency },
        format!("Write off or credit {}", inv.number),
        Some(format!(
            "{} · {} still open · a reason is required",
            inv.customer,
            Money::new(inv.open, currency)
        )),
        vec![
            Field::choice("Kind", REDUCTIONS, "write-off"),
            Field::new(
                "Amount",
                FieldKind::Amount { max: Some(inv.open), currency },
                &plain_amount(inv.open),
            ),
            text("Reason", true),
            date("Date", "today", Some(inv.issued), Some(today)),
        ],
    )
}

/// Waiving the interest and costs of an invoice: the day and, optionally, why. Saving it is
/// the confirmation (a waiver is recorded for good).
pub fn waive(invoice: InvoiceId, number: &str, customer: &str, today: NaiveDate) -> AppForm {
    Form::new(
        FormKind::Waive { invoice, number: number.to_string() },
        "Waive the interest and costs",
        Some(format!("{customer} · invoice {number} · recorded on the timeline; nothing more is claimed")),
        vec![text("Why", false), date("Date", "today", None, Some(today))],
    )
}

/// Rules across fields, checked after every key: an invoice's due date defaults to its
/// issue date plus the customer's terms, and is never before the issue date; a dispute
/// resolved with a credit says why.
pub fn check_form(form: &mut AppForm, today: NaiveDate, book: &ScreenData) {
    if matches!(form.kind, FormKind::Dispute { open: false, .. }) {
        let credit = form.field("Credit").is_some_and(|f| !f.text().is_empty());
        if let Some(how) = form.field_mut("How") {
            how.check(today, book);
            if credit && how.error.is_none() && how.text().is_empty() {
                how.error = Some("say why: it is the credit's reason".into());
            }
        }
        return;
    }
    if !matches!(form.kind, FormKind::Invoice { .. } | FormKind::EditInvoice { .. }) {
        return;
    }
    let issued = form.field("Issued").and_then(|f| f.date(today));
    let terms = form
        .field("Customer")
        .and_then(|f| book.customer_matching(&f.text()).one())
        .map(|c| c.customer.terms_days);
    let Some(due) = form.field_mut("Due") else { return };
    due.check(today, book);
    if due.error.is_some() {
        return;
    }
    match (due.date(today), issued) {
        (Some(d), Some(i)) if d < i => due.error = Some("before the issue date".into()),
        (None, Some(i)) if due.text().is_empty() => {
            due.note =
                terms.map(|t| format!("{} (+{t} days)", format::weekday_year(add_days(i, i64::from(t)))));
        }
        _ => {}
    }
}

/// The store write of a valid form.
pub fn to_write(form: &AppForm, today: NaiveDate, book: &ScreenData) -> Option<Write> {
    let text = |l: &str| form.field(l).map(|f| f.text()).unwrap_or_default();
    let opt = |l: &str| form.field(l).and_then(|f| f.optional_text());
    let date = |l: &str| form.field(l).and_then(|f| f.date(today));
    let amount = |l: &str| form.field(l).and_then(|f| f.amount());
    // The customer form's fields, for adding and editing alike.
    let customer = || -> Option<NewCustomer> {
        Some(NewCustomer {
            name: text("Name"),
            contact: opt("Contact"),
            email: opt("Email"),
            phone: opt("Phone"),
            vat: opt("VAT"),
            language: text("Language").parse().ok()?,
            profile: text("Profile").parse().ok()?,
            kind: text("Kind").parse().ok()?,
            terms_days: text("Terms (days)").parse().ok()?,
            address: parse_address(&text("Postal address")),
        })
    };
    Some(match &form.kind {
        FormKind::Customer => Write::Customer(customer()?),
        FormKind::EditCustomer { id } => Write::EditCustomer { id: *id, customer: customer()? },
        FormKind::EditInvoice { id, number } => Write::EditInvoice {
            id: *id,
            number: number.clone(),
            change: InvoiceChange {
                number: Some(text("Number")),
                customer: Some(book.customer_matching(&text("Customer")).one()?.customer.id),
                issued: date("Issued"),
                due: date("Due"),
                amount: amount("Amount"),
                currency: text("Currency").parse().ok(),
                description: Some(text("Description")),
                reference: Some(opt("Reference").and_then(|r| r.parse().ok())),
                pdf: Some(opt("PDF").map(std::path::PathBuf::from)),
            },
        },
        FormKind::EditPayment { id, number, .. } => {
            let to = text("Invoice");
            Write::EditPayment {
                id: *id,
                edit: PaymentEdit {
                    cents: crate::domain::money::to_cents(amount("Amount")?).ok(),
                    on: date("Date"),
                    method: Some(opt("Method")),
                    invoice: None,
                },
                move_to: (to != *number).then_some(to),
            }
        }
        FormKind::EditNote { id } => Write::EditNote { id: *id, body: text("Note") },
        FormKind::EditCall { id } => Write::EditCall {
            id: *id,
            edit: CallEdit {
                on: date("Date"),
                with: Some(opt("Spoke with")),
                note: Some(text("Note")),
                follow_up: Some(date("Call back")),
                outcome: None,
            },
        },
        FormKind::EditAgreement { id, plan, .. } => Write::EditAgreement {
            id: *id,
            edit: AgreementEdit {
                amount: amount(if *plan { "Total" } else { "Amount" }),
                dates: Some(if *plan {
                    crate::domain::call_form::parse_dates(&text("Dates"), today).ok()?
                } else {
                    vec![date("Date")?]
                }),
            },
        },
        FormKind::Invoice { currency } => {
            let customer = book.customer_matching(&text("Customer")).one()?;
            let issued = date("Issued")?;
            let due =
                date("Due").unwrap_or_else(|| add_days(issued, i64::from(customer.customer.terms_days)));
            Write::Invoice {
                invoice: NewInvoice {
                    number: text("Number"),
                    customer_id: customer.customer.id,
                    issued,
                    due,
                    amount: Money::new(amount("Amount")?, *currency),
                    description: text("Description"),
                    reference: opt("Reference").and_then(|r| r.parse().ok()),
                },
                pdf: opt("PDF").map(std::path::PathBuf::from),
            }
        }
        FormKind::Payment { invoice, number, currency } => Write::Payment {
            payment: NewPayment {
                invoice: *invoice,
                on: date("Date")?,
                amount: amount("Amount")?,
                kind: PaymentKind::Payment,
                method: opt("Method"),
                note: String::new(),
            },
            number: number.clone(),
            currency: *currency,
        },
        FormKind::Note { customer, invoice, name } => Write::Note {
            customer: *customer,
            invoice: *invoice,
            on: today,
            body: text("Note"),
            name: name.clone(),
        },
        FormKind::Step { invoices, number, step } => Write::Step {
            invoices: invoices.clone(),
            number: number.clone(),
            step: *step,
            on: date("Date")?,
            channel: text("Channel").parse::<Channel>().ok()?,
            detail: text("Note"),
        },
        FormKind::Dispute { invoice, number, open } => Write::Dispute {
            invoice: *invoice,
            number: number.clone(),
            open: *open,
            on: date("Date")?,
            detail: form.fields.first().map(|f| f.text()).unwrap_or_default(),
            credit: match form.field("Credit").map(|f| (f.text(), &f.kind)) {
                Some((t, FieldKind::Share { of, .. })) if !t.is_empty() => Some(parse_share(&t, *of).ok()?),
                _ => None,
            },
        },
        FormKind::Reduce { invoice, number, .. } => Write::Reduce {
            invoice: *invoice,
            number: number.clone(),
            reduce: Reduce {
                kind: if text("Kind") == "credit" { PaymentKind::Credit } else { PaymentKind::WriteOff },
                amount: Some(amount("Amount")?),
                on: date("Date")?,
                reason: text("Reason"),
            },
        },
        FormKind::Waive { invoice, number } => {
            Write::Waive { invoice: *invoice, number: number.clone(), on: date("Date")?, note: text("Why") }
        }
    })
}
