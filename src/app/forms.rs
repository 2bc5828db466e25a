//! The app's forms: what each asks, the rules across its fields, and the store write it
//! turns into once every field is valid.

use chrono::NaiveDate;

use super::book::Book;
use super::detail::InvoiceDetail;
use super::effects::Write;
use super::form::{Field, FieldKind, Form};
use crate::domain::customer::{CustomerId, NewCustomer};
use crate::domain::dates::add_days;
use crate::domain::event::Channel;
use crate::domain::invoice::{InvoiceId, NewInvoice, NewPayment, PaymentKind};
use crate::domain::money::{Currency, Money, plain_amount};
use crate::domain::policy::Step;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    Customer,
    Invoice { currency: Currency },
    Payment { invoice: InvoiceId, number: String, currency: Currency },
    Note { customer: CustomerId, invoice: Option<InvoiceId>, name: String },
    Step { invoice: InvoiceId, number: String, step: Step },
    Dispute { invoice: InvoiceId, number: String, open: bool },
    Waive { invoice: InvoiceId, number: String },
}

pub type AppForm = Form<FormKind>;

const LANGUAGES: &[&str] = &["en", "nl", "fr", "de"];
const PROFILES: &[&str] = &["standard", "trusted", "new"];
const KINDS: &[&str] = &["business", "consumer"];
const CHANNELS: &[&str] = &["email", "letter", "phone", "in_person"];

fn text(label: &'static str, required: bool) -> Field {
    Field::new(label, FieldKind::Text { required }, "")
}

fn date(label: &'static str, value: &str, min: Option<NaiveDate>, max: Option<NaiveDate>) -> Field {
    Field::new(label, FieldKind::Date { min, max, required: true }, value)
}

pub fn customer() -> AppForm {
    Form::new(
        FormKind::Customer,
        "Add a customer",
        None,
        vec![
            Field::new("Name", FieldKind::NewCustomer, ""),
            text("Contact", false),
            Field::new("Email", FieldKind::Email, ""),
            text("Phone", false),
            text("VAT", false),
            Field::choice("Language", LANGUAGES, "en"),
            Field::choice("Profile", PROFILES, "standard"),
            Field::choice("Kind", KINDS, "business"),
            Field::new("Terms (days)", FieldKind::Days, "30"),
        ],
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
    let channel = match step {
        Step::Call => "phone",
        Step::FormalNotice | Step::Agency => "letter",
        _ => "email",
    };
    Form::new(
        FormKind::Step { invoice: inv.id, number: inv.number.clone(), step },
        format!("{} done", step.label()),
        Some(format!("{} · invoice {}", inv.customer, inv.number)),
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
    Form::new(
        FormKind::Dispute { invoice: inv.id, number: inv.number.clone(), open: !inv.disputed },
        title,
        Some(format!("{} · invoice {}", inv.customer, inv.number)),
        vec![text(label, required), date("Date", "today", None, Some(today))],
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
/// issue date plus the customer's terms, and is never before the issue date.
pub fn check_form(form: &mut AppForm, today: NaiveDate, book: &Book) {
    if !matches!(form.kind, FormKind::Invoice { .. }) {
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
                terms.map(|t| format!("{} (+{t} days)", add_days(i, i64::from(t)).format("%a %-d %b %Y")));
        }
        _ => {}
    }
}

/// The store write of a valid form.
pub fn to_write(form: &AppForm, today: NaiveDate, book: &Book) -> Option<Write> {
    let text = |l: &str| form.field(l).map(|f| f.text()).unwrap_or_default();
    let opt = |l: &str| form.field(l).and_then(|f| f.optional_text());
    let date = |l: &str| form.field(l).and_then(|f| f.date(today));
    let amount = |l: &str| form.field(l).and_then(|f| f.amount());
    Some(match &form.kind {
        FormKind::Customer => Write::Customer(NewCustomer {
            name: text("Name"),
            contact: opt("Contact"),
            email: opt("Email"),
            phone: opt("Phone"),
            vat: opt("VAT"),
            language: text("Language").parse().ok()?,
            profile: text("Profile").parse().ok()?,
            kind: text("Kind").parse().ok()?,
            terms_days: text("Terms (days)").parse().ok()?,
            address: None,
        }),
        FormKind::Invoice { currency } => {
            let customer = book.customer_matching(&text("Customer")).one()?;
            let issued = date("Issued")?;
            let due =
                date("Due").unwrap_or_else(|| add_days(issued, i64::from(customer.customer.terms_days)));
            Write::Invoice(NewInvoice {
                number: text("Number"),
                customer_id: customer.customer.id,
                issued,
                due,
                amount: Money::new(amount("Amount")?, *currency),
                description: text("Description"),
                reference: opt("Reference").and_then(|r| r.parse().ok()),
            })
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
        FormKind::Step { invoice, number, step } => Write::Step {
            invoice: *invoice,
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
        },
        FormKind::Waive { invoice, number } => {
            Write::Waive { invoice: *invoice, number: number.clone(), on: date("Date")?, note: text("Why") }
        }
    })
}
