//! Invoices and what settles them: payments, credit notes and write-offs.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::customer::{CustomerId, Profile};
use super::money::Money;
use super::policy::Step;
use super::reference::PayRef;
use super::str_enum;
use super::text::{Lines, check_text};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InvoiceId(pub i64);

str_enum!(
    /// What reduces an invoice's open amount. All three are dated, so the open amount as of
    /// any day can be recomputed.
    PaymentKind { Payment => "payment", Credit => "credit", WriteOff => "write_off" }
);

str_enum!(
    /// Derived from payments and events, never stored on its own.
    InvoiceStatus {
        Open => "open",
        PartlyPaid => "partly_paid",
        Paid => "paid",
        Disputed => "disputed",
        WrittenOff => "written_off",
    }
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoice {
    pub id: InvoiceId,
    pub number: String,
    pub customer_id: CustomerId,
    pub issued: NaiveDate,
    pub due: NaiveDate,
    pub amount: Money,
    pub description: String,
    pub reference: Option<PayRef>,
    /// Amount less every payment, credit and write-off recorded so far.
    pub open: Decimal,
    pub disputed: bool,
    pub written_off: bool,
}

impl Invoice {
    pub fn status(&self) -> InvoiceStatus {
        if self.written_off && self.open.is_zero() {
            InvoiceStatus::WrittenOff
        } else if self.open.is_zero() {
            InvoiceStatus::Paid
        } else if self.disputed {
            InvoiceStatus::Disputed
        } else if self.open < self.amount.amount {
            InvoiceStatus::PartlyPaid
        } else {
            InvoiceStatus::Open
        }
    }

    /// Days past the due date (negative before it).
    pub fn days_overdue(&self, as_of: NaiveDate) -> i64 {
        (as_of - self.due).num_days()
    }
}

/// What it takes to create an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvoice {
    pub number: String,
    pub customer_id: CustomerId,
    pub issued: NaiveDate,
    pub due: NaiveDate,
    pub amount: Money,
    pub description: String,
    pub reference: Option<PayRef>,
}

impl NewInvoice {
    pub fn validate(&self) -> Result<(), String> {
        if self.number.trim().is_empty() {
            return Err("the invoice number is empty".into());
        }
        check_text("invoice number", &self.number, Lines::One).map_err(|e| e.to_string())?;
        check_text("description", &self.description, Lines::Many).map_err(|e| e.to_string())?;
        super::limits::identifier("the invoice number", &self.number)?;
        if self.amount.amount <= Decimal::ZERO {
            return Err(format!("the amount must be positive, not {}", self.amount.amount));
        }
        if self.due < self.issued {
            return Err(format!("the due date {} is before the issue date {}", self.due, self.issued));
        }
        Ok(())
    }
}

/// A payment, credit or write-off to record against an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPayment {
    pub invoice: InvoiceId,
    pub on: NaiveDate,
    pub amount: Decimal,
    pub kind: PaymentKind,
    pub method: Option<String>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaymentError {
    #[error("the amount must be positive, not {0}")]
    NotPositive(Decimal),
    #[error("{amount} is more than the {open} still open on this invoice: over-payment refused")]
    OverPayment { amount: Decimal, open: Decimal },
}

/// Refuses zero, negative and over-payments: the open amount never goes below zero.
pub fn check_payment(amount: Decimal, open: Decimal) -> Result<(), PaymentError> {
    if amount <= Decimal::ZERO {
        return Err(PaymentError::NotPositive(amount));
    }
    if amount > open {
        return Err(PaymentError::OverPayment { amount, open });
    }
    Ok(())
}

/// How a settled invoice was settled, in the words the screens use: written off if anything
/// was, credited if a credit note (or a dispute's discount) took part, else paid.
pub fn settled_how(paid: bool, credited: bool, written_off: bool) -> &'static str {
    match (paid, credited, written_off) {
        (_, _, true) => "written off",
        (true, true, false) => "paid, part credited",
        (false, true, false) => "credited",
        (_, false, false) => "paid",
    }
}

/// An invoice with what the screens need beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceRow {
    pub invoice: Invoice,
    pub customer: String,
    pub profile: Profile,
    pub steps_done: Vec<Step>,
}

/// A payment, credit or write-off as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRecord {
    pub id: i64,
    pub on: NaiveDate,
    pub amount: Decimal,
    pub kind: PaymentKind,
    pub method: Option<String>,
    pub note: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Currency;
    use rust_decimal::dec;

    fn inv(open: Decimal) -> Invoice {
        let d = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        Invoice {
            id: InvoiceId(1),
            number: "2026-001".into(),
            customer_id: CustomerId(1),
            issued: d,
            due: d,
            amount: Money::new(dec!(100), Currency::EUR),
            description: String::new(),
            reference: None,
            open,
            disputed: false,
            written_off: false,
        }
    }

    #[test]
    fn status_is_derived() {
        assert_eq!(inv(dec!(100)).status(), InvoiceStatus::Open);
        assert_eq!(inv(dec!(40)).status(), InvoiceStatus::PartlyPaid);
        assert_eq!(inv(dec!(0)).status(), InvoiceStatus::Paid);
        let mut i = inv(dec!(40));
        i.disputed = true;
        assert_eq!(i.status(), InvoiceStatus::Disputed);
        let mut i = inv(dec!(0));
        i.written_off = true;
        assert_eq!(i.status(), InvoiceStatus::WrittenOff);
    }

    #[test]
    fn over_payment_is_refused() {
        assert!(check_payment(dec!(100), dec!(100)).is_ok());
        assert_eq!(
            check_payment(dec!(100.01), dec!(100)),
            Err(PaymentError::OverPayment { amount: dec!(100.01), open: dec!(100) })
        );
        assert!(check_payment(dec!(0), dec!(100)).is_err());
    }
}
