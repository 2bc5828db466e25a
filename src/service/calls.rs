//! Preparing and saving a phone call, for the app's call mode (and anything else that logs
//! calls): everything the call screen shows before the call, and the one step that saves it.
//! No drawing and no key handling here; the app keeps a [`CallSetup`] and a [`CallForm`] in
//! its state, draws them, and calls [`save_call`] when the user saves. Cancelling is simply
//! dropping them: nothing was written.

use chrono::NaiveDate;

use crate::call_script::{
    Confirmation, ScriptError, ScriptFacts, ScriptLibrary, ScriptPanel, confirmation_for, script_panel,
};
use crate::config::Config;
use crate::domain::call::NewCall;
use crate::domain::call_form::{CallContext, CallForm, FieldError};
use crate::domain::customer::{Customer, CustomerId};
use crate::domain::invoice::InvoiceId;
use crate::domain::invoice::InvoiceRow;
use crate::domain::money::Currency;
use crate::store::{SavedCall, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum CallError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Script(#[from] ScriptError),
}

/// What call mode shows before and during a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallSetup {
    pub customer: Customer,
    /// The invoice the call is about (none when calling a customer with nothing open).
    pub invoice: Option<InvoiceRow>,
    pub context: CallContext,
    /// The script panel (none without an invoice).
    pub panel: Option<ScriptPanel>,
}

impl CallSetup {
    /// A fresh form for this call: the contact as the person spoken with, the open amount.
    pub fn form(&self) -> CallForm {
        CallForm::new(self.customer.contact.as_deref(), self.context.open)
    }
}

/// Prepares a call about an invoice: its customer, the form's context and the script panel
/// for the step the invoice is on (where it stands on the customer's ladder in `config`).
pub fn prepare_invoice_call(
    store: &Store,
    lib: &ScriptLibrary,
    invoice: InvoiceId,
    config: &Config,
    today: NaiveDate,
) -> Result<CallSetup, CallError> {
    let row = store.invoice(invoice)?;
    let customer = store.customer(row.invoice.customer_id)?;
    let timeline = store.timeline(invoice)?;
    let at = crate::service::InvoiceStanding::load(store, config, &row.invoice, &customer, &timeline, today)?;
    let facts =
        ScriptFacts::new(customer.clone(), row.invoice.clone(), &timeline, &at.ladder, &at.standing, today);
    let notes = store.notes(customer.id)?;
    let last = store.last_call(invoice)?;
    let panel = script_panel(lib, &facts, &notes, last.as_ref(), today)?;
    Ok(CallSetup {
        context: CallContext {
            customer: customer.id,
            invoice: Some(invoice),
            open: row.invoice.open,
            currency: row.invoice.amount.currency,
        },
        customer,
        invoice: Some(row),
        panel: Some(panel),
    })
}

/// Prepares a call to a customer: about their open invoice due first, if they have one;
/// otherwise a call on no invoice (which can make no promise or plan).
pub fn prepare_customer_call(
    store: &Store,
    lib: &ScriptLibrary,
    customer: CustomerId,
    config: &Config,
    today: NaiveDate,
) -> Result<CallSetup, CallError> {
    let open = store
        .customer_invoices(customer)?
        .into_iter()
        .filter(|r| r.invoice.open > rust_decimal::Decimal::ZERO);
    if let Some(first) = open.min_by_key(|r| (r.invoice.due, r.invoice.number.clone())) {
        return prepare_invoice_call(store, lib, first.invoice.id, config, today);
    }
    let customer = store.customer(customer)?;
    Ok(CallSetup {
        context: CallContext {
            customer: customer.id,
            invoice: None,
            open: rust_decimal::Decimal::ZERO,
            currency: store.book_currency().unwrap_or(Currency::EUR),
        },
        customer,
        invoice: None,
        panel: None,
    })
}

/// What saving a call gives back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallLogged {
    pub saved: SavedCall,
    pub call: NewCall,
    /// The confirmation email to offer, when the call made an agreement.
    pub confirmation: Option<Confirmation>,
}

/// Why a call was not saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// Fields to correct; the form stays open.
    #[error("{} field(s) to correct", .0.len())]
    Fields(Vec<FieldError>),
    #[error(transparent)]
    Failed(#[from] CallError),
}

/// Validates the form and saves the call, its agreement and events in one transaction; on
/// success returns the confirmation email (signed with `sender`, which may be empty) when an
/// agreement was made.
pub fn save_call(
    store: &Store,
    lib: &ScriptLibrary,
    setup: &CallSetup,
    form: &CallForm,
    today: NaiveDate,
    sender: &str,
) -> Result<CallLogged, SaveError> {
    let call = form.validate(&setup.context, today).map_err(SaveError::Fields)?;
    let saved = store.log_call(&call).map_err(CallError::from)?;
    let confirmation = match (saved.agreement, &setup.invoice) {
        (Some(id), Some(_)) => {
            let agreement = store.agreement(id).map_err(CallError::from)?;
            let row = store.invoice(agreement.invoice).map_err(CallError::from)?;
            Some(
                confirmation_for(lib, &setup.customer, &row.invoice, &agreement, sender)
                    .map_err(CallError::from)?,
            )
        }
        _ => None,
    };
    Ok(CallLogged { saved, call, confirmation })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::call::CallOutcome;
    use crate::domain::call_form::Field;
    use crate::domain::customer::{Language, NewCustomer};
    use crate::domain::invoice::NewInvoice;
    use crate::domain::money::Money;
    use rust_decimal::dec;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn book() -> (Store, CustomerId, InvoiceId) {
        let store = Store::open_in_memory().unwrap();
        let mut c = NewCustomer::named("Atelier Dubois");
        c.contact = Some("Marie Dubois".into());
        c.language = Language::Fr;
        let c = store.add_customer(&c).unwrap();
        let i = store
            .add_invoice(&NewInvoice {
                number: "2026-077".into(),
                customer_id: c,
                issued: d("2026-10-01"),
                due: d("2026-10-31"),
                amount: Money::new(dec!(600), Currency::EUR),
                description: String::new(),
                reference: None,
            })
            .unwrap();
        (store, c, i)
    }

    #[test]
    fn call_mode_prepares_saves_and_offers_the_confirmation() {
        let (store, c, i) = book();
        let lib = ScriptLibrary::shipped().unwrap();
        let setup = prepare_customer_call(&store, &lib, c, &Config::default(), d("2026-11-23")).unwrap();
        assert_eq!(setup.context.invoice, Some(i), "a call to the customer is about their open invoice");
        let panel = setup.panel.as_ref().unwrap();
        assert_eq!(panel.language, Language::Fr);
        assert!(panel.sections[0].lines[0].text.starts_with("Bonjour Marie Dubois"));

        let mut form = setup.form();
        form.set_outcome(CallOutcome::Promise);
        form.promise_date = "hier".into();
        let Err(SaveError::Fields(errs)) = save_call(&store, &lib, &setup, &form, d("2026-11-23"), "") else {
            panic!("a bad date must keep the form open")
        };
        assert_eq!(errs[0].field, Field::PromiseDate);
        assert!(store.calls(i).unwrap().is_empty(), "nothing is written while the form has errors");

        form.promise_date = "+7".into();
        let logged = save_call(&store, &lib, &setup, &form, d("2026-11-23"), "Anna").unwrap();
        let mail = logged.confirmation.unwrap();
        assert!(mail.body.contains("vous réglez 600,00 € au plus tard le 30 novembre 2026"), "{}", mail.body);
        assert_eq!(store.calls(i).unwrap().len(), 1);
    }

    #[test]
    fn a_customer_with_nothing_open_gets_a_plain_call() {
        let store = Store::open_in_memory().unwrap();
        let c = store.add_customer(&NewCustomer::named("Nieuwe klant")).unwrap();
        let lib = ScriptLibrary::shipped().unwrap();
        let setup = prepare_customer_call(&store, &lib, c, &Config::default(), d("2026-11-23")).unwrap();
        assert_eq!((setup.invoice.is_none(), setup.panel.is_none()), (true, true));
        let mut form = setup.form();
        form.set_outcome(CallOutcome::Callback);
        form.follow_up = "fri".into();
        let logged = save_call(&store, &lib, &setup, &form, d("2026-11-23"), "").unwrap();
        assert_eq!((logged.confirmation, logged.call.follow_up), (None, Some(d("2026-11-27"))));
        assert_eq!(store.last_customer_call(c).unwrap().unwrap().outcome, CallOutcome::Callback);
    }
}
