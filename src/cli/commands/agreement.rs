//! `settle agreement confirm|email`, `settle report forecast|behaviour`.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, anyhow};
use chrono::NaiveDate;

use crate::call_script::confirmation_for;
use crate::cli::{AgreementConfirm, AgreementEmail, BehaviourArgs, ForecastArgs, Format};
use crate::domain::agreement::AgreementId;
use crate::domain::forecast::{EXPLANATION, Period};
use crate::domain::money::{Money, from_cents, plain_amount};
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
        return super::letter::email_out(store, app_config, &case, &mail.letter(), &what, how, out);
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

pub fn forecast(
    store: &Store,
    a: ForecastArgs,
    grace: u32,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<()> {
    let grace = a.grace.unwrap_or(grace);
    let currency = match a.currency {
        Some(c) => c,
        None => store.book_currency()?,
    };
    let (period, count) = match a.months {
        Some(m) => (Period::Month, m),
        None => (Period::Week, a.weeks.unwrap_or(8)),
    };
    if !(1..=104).contains(&count) {
        return Err(anyhow!("forecast between 1 and 104 periods, not {count}"));
    }
    let f = store.cash_forecast(today, period, count, grace, currency)?;
    let money = |c: i64| Money::from_cents(c, currency).to_string();
    match a.format {
        Format::Json => {
            serde_json::to_writer_pretty(
                &mut *out,
                &serde_json::json!({
                    "as_of": f.as_of,
                    "currency": currency,
                    "period": f.period,
                    "buckets": f.buckets.iter().map(|b| serde_json::json!({
                        "start": b.start, "end": b.end,
                        "agreed": plain_amount(from_cents(b.agreed_cents)),
                        "expected": plain_amount(from_cents(b.expected_cents)),
                        "total": plain_amount(from_cents(b.total_cents())),
                    })).collect::<Vec<_>>(),
                    "later": plain_amount(from_cents(f.later_cents)),
                    "overdue_not_forecast": plain_amount(from_cents(f.overdue_cents)),
                    "broken_agreements": plain_amount(from_cents(f.broken_cents)),
                    "disputed": plain_amount(from_cents(f.disputed_cents)),
                    "how": EXPLANATION,
                }),
            )?;
            writeln!(out)?;
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut *out);
            w.write_record(["start", "end", "agreed", "expected", "total"])?;
            for b in &f.buckets {
                w.write_record([
                    b.start.to_string(),
                    b.end.to_string(),
                    plain_amount(from_cents(b.agreed_cents)),
                    plain_amount(from_cents(b.expected_cents)),
                    plain_amount(from_cents(b.total_cents())),
                ])?;
            }
            w.flush()?;
        }
        Format::Table => {
            writeln!(out, "Expected cash-in as of {} ({currency})", f.as_of)?;
            writeln!(out, "{:<24} {:>14} {:>14} {:>14}", "Period", "Agreed", "Expected", "Total")?;
            for b in &f.buckets {
                let label = match period {
                    Period::Week => format!("week of {}", b.start.format("%a %-d %b")),
                    Period::Month => b.start.format("%B %Y").to_string(),
                };
                writeln!(
                    out,
                    "{label:<24} {:>14} {:>14} {:>14}",
                    money(b.agreed_cents),
                    money(b.expected_cents),
                    money(b.total_cents())
                )?;
            }
            writeln!(out, "{:<24} {:>44}", "Later", money(f.later_cents))?;
            writeln!(
                out,
                "Not forecast: {} overdue beyond the customer's habit, {} under broken agreements, {} disputed.",
                money(f.overdue_cents),
                money(f.broken_cents),
                money(f.disputed_cents)
            )?;
            writeln!(out, "How: {EXPLANATION}")?;
        }
    }
    Ok(())
}

pub fn behaviour(
    store: &Store,
    a: BehaviourArgs,
    grace: u32,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<()> {
    let grace = a.grace.unwrap_or(grace);
    match a.customer {
        Some(name) => {
            let c = store
                .customer_by_name(&name)?
                .ok_or_else(|| anyhow!("unknown customer '{}'", name.trim()))?;
            let b = store.customer_behaviour(c.id, today, grace)?;
            writeln!(out, "{}: {}", c.name, b.summary())?;
        }
        None => {
            let all = store.behaviours(today, grace)?;
            for c in store.customers()? {
                if let Some(b) = all.get(&c.id) {
                    writeln!(out, "{:<34} {}", c.name, b.summary())?;
                }
            }
        }
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
