//! Adding and correcting an invoice: the one use case behind `settle invoice add/edit` and
//! the app's invoice forms, so both check and write alike (with the invoice's own PDF).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::domain::customer::CustomerId;
use crate::domain::invoice::{InvoiceId, InvoiceRow, NewInvoice};
use crate::domain::money::{Currency, to_cents};
use crate::domain::reference::PayRef;
use crate::store::{InvoiceUpdate, Result, Store};

/// New values for an invoice; `None` keeps the old one. `reference: Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvoiceChange {
    pub number: Option<String>,
    pub customer: Option<CustomerId>,
    pub issued: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub amount: Option<Decimal>,
    pub currency: Option<Currency>,
    pub description: Option<String>,
    pub reference: Option<Option<PayRef>>,
    /// The invoice's own PDF; `Some(None)` forgets it.
    pub pdf: Option<Option<PathBuf>>,
}

/// The invoice's own PDF, checked (a regular file of at most 20 MiB that starts with
/// `%PDF-`) and made absolute; the error names the field.
pub fn checked_pdf(path: &Path) -> Result<PathBuf> {
    crate::platform::files::checked_pdf(path)
        .map_err(|e| crate::domain::input::FieldError::new(crate::domain::input::Input::Pdf, e).into())
}

/// Adds an invoice with, if given, the path of its own PDF (checked first), in one change.
pub fn add_invoice(store: &Store, invoice: &NewInvoice, pdf: Option<&Path>) -> Result<InvoiceId> {
    let pdf = pdf.map(checked_pdf).transpose()?;
    store.add_invoice_with_pdf(invoice, pdf.as_deref())
}

/// Changes an invoice in one change of the log: a positive amount, a due date not before
/// the issue date, a number no other invoice has; its open amount follows the new amount
/// (an amount below what is already paid is refused). Returns the invoice as it is now.
pub fn edit_invoice(store: &Store, id: InvoiceId, c: &InvoiceChange) -> Result<InvoiceRow> {
    let row = store.invoice(id)?;
    let inv = &row.invoice;
    let amount_cents = match c.amount {
        Some(x) if x <= Decimal::ZERO => {
            return Err(crate::domain::input::FieldError::new(
                crate::domain::input::Input::Amount,
                format!("an invoice amount must be positive, not {x}"),
            )
            .into());
        }
        Some(x) => to_cents(x)
            .map_err(|e| crate::domain::input::FieldError::new(crate::domain::input::Input::Amount, e))?,
        None => to_cents(inv.amount.amount)?,
    };
    let issued = c.issued.unwrap_or(inv.issued);
    let due = c.due.unwrap_or(inv.due);
    if due < issued {
        return Err(crate::domain::input::FieldError::new(
            crate::domain::input::Input::Due,
            format!("{due} is before the issue date {issued}"),
        )
        .into());
    }
    let update = InvoiceUpdate {
        customer_id: c.customer.unwrap_or(inv.customer_id),
        issued,
        due,
        amount_cents,
        currency: c.currency.unwrap_or(inv.amount.currency),
        description: c.description.clone().unwrap_or_else(|| inv.description.clone()),
        reference: c.reference.unwrap_or(inv.reference),
    };
    let number = c.number.clone().unwrap_or_else(|| inv.number.clone());
    let pdf = match &c.pdf {
        Some(Some(p)) => Some(Some(checked_pdf(p)?)),
        Some(None) => Some(None),
        None => None,
    };
    store.edit_invoice(id, &number, &update, pdf.as_ref().map(|p| p.as_deref()))?;
    store.invoice(id)
}
