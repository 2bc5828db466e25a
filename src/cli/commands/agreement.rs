//! `settle agreement`: confirm, email, edit or delete an agreement made on the phone.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, anyhow};
use chrono::NaiveDate;

use crate::call_script::confirmation_for;
use crate::cli::{AgreementConfirm, AgreementEmail};
use crate::domain::agreement::AgreementId;
use crate::domain::text::{Lines, check_text};
use crate::store::AgreementEdit;
use crate::store::Store;

pub fn confirm(store: &Store, a: AgreementConfirm, today: NaiveDate, out: &mut impl Write) -> Result<()> {
    let on = a.on.unwrap_or(today);
    store.confirm_agreement(AgreementId(a.id), on)?;
    writeln!(out, "Agreement {} is confirmed in writing ({on}).", a.id)?;
    Ok(())
}

pub fn email(
    store: &Store,
    app_config: &crate::config::Config,
    a: AgreementEmail,
    config: Option<&Path>,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<()> {
    check_text("--from", &a.from, Lines::One)?;
    let lib = super::call::script_library(config)?;
    let agreement = store.agreement(AgreementId(a.id))?;
    let row = store.invoice(agreement.invoice)?;
    let customer = store.customer(row.invoice.customer_id)?;
    // An email goes signed: with --from, else the name under [me].
    let emailed = a.send || a.eml.is_some() || a.mailto;
    let sender =
        if emailed && a.from.trim().is_empty() { app_config.me.sender().trim() } else { a.from.as_str() };
    let mail = confirmation_for(&lib, &customer, &row.invoice, &agreement, sender)?;
    if emailed {
        let case = crate::service::CaseFile::load(store, app_config, row.invoice.id, today)?;
        let what = format!("confirmation of agreement {}", a.id);
        let how = super::letter::EmailHow { send: a.send, eml: a.eml.as_deref(), mailto: a.mailto };
        return super::letter::email_out(
            store,
            app_config,
            &case,
            &crate::letters::Letter::from(&mail),
            &what,
            how,
            out,
        );
    }
    let text = mail.to_text();
    match a.out {
        None => write!(out, "{text}")?,
        Some(path) => {
            crate::platform::files::write_new_private(&path, &text)
                .with_context(|| format!("cannot write {}", path.display()))?;
            writeln!(out, "Wrote the confirmation of agreement {} to {}.", a.id, path.display())?;
        }
    }
    if customer.email.is_none() {
        writeln!(out, "({} has no email address in settle.)", customer.name)?;
    }
    Ok(())
}

pub fn edit(
    store: &Store,
    a: crate::cli::AgreementEdit,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<()> {
    let dates = match (a.date, a.dates.as_deref()) {
        (Some(d), _) => Some(vec![d]),
        (None, Some(text)) => {
            Some(crate::domain::call_form::parse_dates(text, today).map_err(|e| anyhow!("--dates: {e}"))?)
        }
        (None, None) => None,
    };
    if a.amount.is_none() && dates.is_none() {
        return Err(anyhow!("nothing to change: give --amount, --date (a promise) or --dates (a plan)"));
    }
    let new = store.edit_agreement(AgreementId(a.id), &AgreementEdit { amount: a.amount, dates })?;
    let currency = store.invoice(new.invoice)?.invoice.amount.currency;
    writeln!(out, "Agreement {} ({}) is now {}.", a.id, new.kind, new.describe(currency.symbol()))?;
    Ok(())
}

pub fn delete(store: &Store, a: &crate::cli::Delete, out: &mut impl Write) -> Result<()> {
    let id: i64 = a.what.trim().parse().map_err(|_| {
        anyhow!("agreement id: '{}' is not a number (see `settle call list INVOICE`)", a.what.trim())
    })?;
    let ag = store.agreement(AgreementId(id))?;
    let row = store.invoice(ag.invoice)?;
    let currency = row.invoice.amount.currency;
    super::confirm(
        &format!(
            "Delete agreement {id} on invoice {} ({} {})?",
            row.invoice.number,
            ag.kind,
            ag.describe(currency.symbol())
        ),
        a.yes,
    )?;
    store.delete_agreement(AgreementId(id))?;
    writeln!(out, "Deleted agreement {id} on invoice {}. `settle undo` brings it back.", row.invoice.number)?;
    Ok(())
}
