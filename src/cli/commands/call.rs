//! `settle call log|script|list|agenda`.

use crate::domain::format;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, anyhow};
use chrono::NaiveDate;

use crate::call_script::{LineKind, ScriptFacts, ScriptLibrary, describe_call, script_panel};
use crate::cli::{CallAgenda, CallList, CallLog, CallScript, Delete};
use crate::domain::agreement::AgreementStatus;
use crate::domain::call::CallId;
use crate::domain::call_form::{CallContext, CallForm, Field};
use crate::domain::dates::parse_date_relative;
use crate::domain::invoice::InvoiceRow;
use crate::domain::money::Money;
use crate::store::CallEdit;
use crate::store::{CallAgendaKind, Store};

fn invoice(store: &Store, number: &str) -> Result<InvoiceRow> {
    store.invoice_by_number(number)?.ok_or_else(|| anyhow!("unknown invoice '{}'", number.trim()))
}

/// The user's own templates live beside the config file (`<config dir>/scripts/…`).
pub(crate) fn script_library(config: Option<&Path>) -> Result<ScriptLibrary> {
    let dir = crate::platform::paths::config(config).ok().and_then(|p| p.parent().map(Path::to_path_buf));
    Ok(ScriptLibrary::load(dir.as_deref().filter(|d| d.is_dir()))?)
}

pub fn log(store: &Store, a: Box<CallLog>, today: NaiveDate, out: &mut impl Write) -> Result<()> {
    let a = *a;
    let row = invoice(store, &a.invoice)?;
    let inv = &row.invoice;
    let customer = store.customer(inv.customer_id)?;
    let mut form = CallForm::new(customer.contact.as_deref(), inv.open);
    form.set_outcome(a.outcome);
    if a.reached || a.not_reached {
        form.reached = a.reached;
    }
    for (field, value) in [
        (Field::With, a.with),
        (Field::PromiseDate, a.promise_date),
        (Field::Amount, a.amount),
        (Field::Instalments, a.plan),
        (Field::Every, a.every),
        (Field::FirstDue, a.first),
        (Field::Dates, a.dates),
        (Field::FollowUp, a.callback),
        (Field::PaidOn, a.paid_on),
        (Field::PaidRef, a.paid_ref),
        (Field::Note, a.note),
    ] {
        if let (Some(v), Some(slot)) = (value, form.text_mut(field)) {
            *slot = v;
        }
    }
    let ctx = CallContext {
        customer: customer.id,
        invoice: Some(inv.id),
        open: inv.open,
        currency: inv.amount.currency,
    };
    let call = form.validate(&ctx, today).map_err(|errs| {
        let lines: Vec<String> = errs
            .iter()
            .map(|e| format!("  {}: {}", crate::cli::hint::call_flag(e.field), e.message))
            .collect();
        anyhow!("the call was not logged:\n{}", lines.join("\n"))
    })?;
    let saved = store.log_call(&call).with_context(|| format!("invoice {}", inv.number))?;
    writeln!(
        out,
        "Logged a call about invoice {} ({}): {}.",
        inv.number,
        row.customer,
        call.summary(inv.amount.currency.symbol())
    )?;
    if saved.dispute_opened {
        writeln!(
            out,
            "Invoice {} is now disputed: reminders wait until the dispute is resolved.",
            inv.number
        )?;
    }
    if let (Some(id), Some(a)) = (saved.agreement, &call.agreement) {
        writeln!(out, "Agreement {}: {}.", id.0, a.describe(inv.amount.currency.symbol()))?;
        writeln!(
            out,
            "Confirm it in writing: `settle agreement email {0}` prints the email; `settle agreement confirm {0}` once they confirm.",
            id.0
        )?;
    }
    Ok(())
}

pub fn script(
    store: &Store,
    app_config: &crate::config::Config,
    a: CallScript,
    config: Option<&Path>,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<()> {
    let lib = script_library(config)?;
    let row = invoice(store, &a.invoice)?;
    let customer = store.customer(row.invoice.customer_id)?;
    let timeline = store.timeline(row.invoice.id)?;
    let at =
        crate::service::InvoiceStanding::load(store, app_config, &row.invoice, &customer, &timeline, today)?;
    let mut facts =
        ScriptFacts::new(customer.clone(), row.invoice.clone(), &timeline, &at.ladder, &at.standing, today);
    if let Some(step) = a.step {
        facts.step = step;
    }
    let notes = store.notes(customer.id)?;
    let last = store.last_call(row.invoice.id)?;
    let panel = script_panel(&lib, &facts, &notes, last.as_ref(), today)?;
    writeln!(
        out,
        "Call script: invoice {}, {} ({}, {}), step: {}",
        row.invoice.number,
        customer.name,
        panel.profile,
        panel.language,
        panel.step.label().to_ascii_lowercase()
    )?;
    if let Some(wanted) = panel.fallback_from {
        writeln!(out, "(no script in '{wanted}': shown in English)")?;
    }
    for section in &panel.sections {
        writeln!(out, "\n{}", section.kind.title())?;
        for line in &section.lines {
            let mark = match line.kind {
                LineKind::Say => "  ",
                LineKind::Reply => "? ",
                LineKind::Do => "→ ",
            };
            writeln!(out, "  {mark}{}", line.text)?;
        }
    }
    writeln!(out, "\nLast call: {}", panel.last_call.as_deref().unwrap_or("none yet"))?;
    for (on, body) in &panel.notes {
        writeln!(out, "Note {on}: {body}")?;
    }
    Ok(())
}

/// "due Mon 30 Nov (grace until Wed 2 Dec)" and the like.
pub(crate) fn status_text(s: &AgreementStatus, m: impl Fn(rust_decimal::Decimal) -> Money) -> String {
    match s {
        AgreementStatus::OnSchedule { next_due, amount } => {
            format!("on schedule, next {} on {}", m(*amount), format::weekday_year(*next_due))
        }
        AgreementStatus::Due { on, amount, grace_until } => {
            format!(
                "{} due {} (grace until {})",
                m(*amount),
                format::weekday_year(*on),
                format::weekday_year(*grace_until)
            )
        }
        AgreementStatus::Broken { since, missed_due, amount } => {
            format!(
                "BROKEN since {}: {} of {} not paid",
                format::weekday_year(*since),
                m(*amount),
                format::weekday_year(*missed_due)
            )
        }
        AgreementStatus::Kept { on } => format!("kept, paid on {}", format::weekday_year(*on)),
        AgreementStatus::Superseded { on } => format!("replaced on {}", format::weekday_year(*on)),
        AgreementStatus::Closed => "closed: the invoice was settled otherwise".into(),
    }
}

pub fn list(store: &Store, a: CallList, grace: u32, today: NaiveDate, out: &mut impl Write) -> Result<()> {
    let grace = a.grace.unwrap_or(grace);
    let row = invoice(store, &a.invoice)?;
    let inv = &row.invoice;
    let currency = inv.amount.currency;
    let calls = store.calls(inv.id)?;
    let agreements = store.agreements(inv.id)?;
    writeln!(
        out,
        "Invoice {} ({}): {} open of {}",
        inv.number,
        row.customer,
        Money::new(inv.open, currency),
        inv.amount
    )?;
    if calls.is_empty() {
        writeln!(out, "No call logged yet.")?;
    }
    for c in &calls {
        writeln!(out, "  call {}: {}", c.id.0, describe_call(c))?;
    }
    for ag in &agreements {
        let status = ag.status(today, grace, inv.open.is_zero());
        let confirmed = ag
            .confirmed_on
            .map_or_else(|| "not confirmed in writing".to_string(), |d| format!("confirmed {d}"));
        writeln!(
            out,
            "  agreement {} ({}, {}): {}; {}",
            ag.id.0,
            ag.kind,
            confirmed,
            ag.describe(currency.symbol()),
            status_text(&status, |x| Money::new(x, currency))
        )?;
        if ag.instalments.len() > 1 {
            for i in &ag.instalments {
                let paid = i.paid_by(today);
                writeln!(
                    out,
                    "    {}. {} on {}, paid {}",
                    i.seq,
                    Money::new(i.amount, currency),
                    format::weekday_year(i.due),
                    Money::new(paid, currency)
                )?;
            }
        }
    }
    Ok(())
}

pub fn agenda(
    store: &Store,
    a: CallAgenda,
    grace: u32,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<()> {
    let grace = a.grace.unwrap_or(grace);
    let as_of = a.as_of.unwrap_or(today);
    let items = store.call_agenda(as_of, grace)?;
    if items.is_empty() {
        writeln!(out, "Nothing from calls or agreements needs you on {}.", format::weekday_year(as_of))?;
        return Ok(());
    }
    for item in &items {
        let what = match (item.kind, item.agreement.map(|(_, k)| k)) {
            (CallAgendaKind::Broken, Some(k)) => format!("broken {k}"),
            (CallAgendaKind::Due, Some(k)) => format!("{k} due"),
            (CallAgendaKind::CheckClaimedPayment, _) => "check claimed payment".into(),
            (CallAgendaKind::CallBack, _) => "call back".into(),
            (_, None) => "agreement".into(),
        };
        let amount = item.amount.map(|m| format!(" {m}")).unwrap_or_default();
        let number = item.number.as_deref().unwrap_or("-");
        writeln!(
            out,
            "{:<22} {:<14} {:<30}{amount}  {}",
            what,
            number,
            item.customer_name,
            format::weekday_year(item.date)
        )?;
    }
    if items.iter().any(|i| i.kind == CallAgendaKind::Broken) {
        writeln!(out, "A broken agreement ends the pause: the next step of those invoices is due now.")?;
    }
    Ok(())
}

pub fn edit(store: &Store, a: crate::cli::CallEdit, today: NaiveDate, out: &mut impl Write) -> Result<()> {
    if let Some(d) = a.date
        && d > today
    {
        anyhow::bail!("--date: {d} is in the future (today is {today})");
    }
    let follow_up = match a.callback.as_deref().map(str::trim) {
        Some("") => Some(None),
        Some(t) => Some(Some(parse_date_relative(t, today).map_err(|e| anyhow!("--callback: {e}"))?)),
        None => None,
    };
    let e = CallEdit { on: a.date, with: a.with.map(Some), note: a.note, follow_up, outcome: a.outcome };
    if e == CallEdit::default() {
        anyhow::bail!("nothing to change: give --date, --with, --note, --callback or --outcome");
    }
    let c = store.edit_call(CallId(a.id), &e)?;
    writeln!(out, "Call {} is now: {}", c.id.0, describe_call(&c))?;
    Ok(())
}

pub fn delete(store: &Store, a: &Delete, out: &mut impl Write) -> Result<()> {
    let id: i64 = a.what.trim().parse().map_err(|_| {
        anyhow!("call id: '{}' is not a number (see `settle call list INVOICE`)", a.what.trim())
    })?;
    let c = store.call(CallId(id))?;
    let agreement = if c.outcome.makes_agreement() { ", with the agreement it made" } else { "" };
    super::confirm(
        &format!("Delete the call of {} ({}){agreement}?", format::weekday_year(c.on), describe_call(&c)),
        a.yes,
    )?;
    store.delete_call(CallId(id))?;
    writeln!(out, "Deleted call {id}{agreement}. `settle undo` brings it back.")?;
    Ok(())
}
