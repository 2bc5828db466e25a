//! `settle track`: where each open invoice stands on its ladder, and what comes next.

use std::io::Write;

use anyhow::Result;
use chrono::NaiveDate;

use crate::cli::TrackArgs;
use crate::config::Config;
use crate::domain::ladder::State;
use crate::domain::money::Money;
use crate::service::CaseFile;
use crate::store::Store;

pub fn track(
    store: &Store,
    config: &Config,
    a: TrackArgs,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<()> {
    let case = CaseFile::by_number(store, config, &a.invoice, today)?;
    if a.format == crate::cli::Format::Json {
        serde_json::to_writer_pretty(&mut *out, &track_json(&case))?;
        writeln!(out)?;
        return Ok(());
    }
    let inv = &case.invoice;
    let money = |d| Money::new(d, inv.amount.currency).to_string();
    let c = &case.customer;
    writeln!(out, "Invoice {}: {} ({}, {})", inv.number, c.name, c.profile, c.kind)?;
    writeln!(out, "Due {}, {} open of {}", inv.due, money(inv.open), money(inv.amount.amount))?;
    let ladder: Vec<String> = case.ladder.steps().iter().map(|(s, o)| format!("{s} {o:+}")).collect();
    writeln!(out, "Ladder: {}", ladder.join(", "))?;
    let mut done = case.facts.done.clone();
    done.sort_by_key(|d| d.on);
    for d in done.iter().filter(|d| d.on <= today) {
        let channel = d.channel.map(|c| c.to_string()).unwrap_or_default();
        writeln!(out, "  done {}  {:<14} {channel}", d.on, d.step.as_str())?;
    }
    let st = &case.standing;
    let then = |prefix: &str| st.next.map(|n| format!("{prefix}{} on {}", n.step, n.on)).unwrap_or_default();
    let status = match (st.state, st.step_to_take) {
        (State::Settled, _) => "settled".to_string(),
        (State::Disputed { since }, _) => {
            format!("disputed since {since}: escalation waits until it is resolved")
        }
        (State::Paused { kind, since, until }, _) => {
            format!("paused since {since}: {}, until {until}{}", kind.label(), then("; then "))
        }
        (State::Open, Some(step)) => {
            let skipped: Vec<String> = st.skips.iter().map(|s| s.to_string()).collect();
            let skips = if skipped.is_empty() {
                String::new()
            } else {
                format!("; doing it skips {}", skipped.join(", "))
            };
            format!("due since {}: {}{skips}{}", step.on, step.step, then("; after it "))
        }
        (State::Open, None) if st.next.is_some() => then("next: "),
        (State::Open, None) => "every step done".to_string(),
    };
    writeln!(out, "Status: {status}")?;
    if let Some(m) = &case.registered {
        match m.received {
            Some(r) => {
                writeln!(out, "Formal notice: registered mail {} sent {}, received {r}", m.tracking, m.sent)?
            }
            None => writeln!(
                out,
                "Formal notice: registered mail {} sent {}; record its receipt with `settle notice {} --received DATE`",
                m.tracking, m.sent, inv.number
            )?,
        }
    }
    let cl = &case.claim;
    if cl.lawful || cl.open != inv.open {
        writeln!(
            out,
            "Claim as of {}: {} principal + {} interest + {} costs = {}",
            cl.as_of,
            money(cl.open),
            money(cl.interest_open()),
            money(cl.compensation_open()),
            money(cl.total)
        )?;
        if let Some(b) = cl.basis.filter(|_| cl.interest.is_some()) {
            let how = if cl.compounded { "compounded yearly" } else { "simple" };
            writeln!(out, "  interest at the {} rate, {how}, from {}", b.as_str(), fmt_day(cl.charges_from))?;
        }
        if let Some(c) = &cl.compensation {
            writeln!(
                out,
                "  costs {} ({}), fixed on {}",
                money(c.amount),
                c.rule.label(),
                fmt_day(cl.charges_from)
            )?;
        }
        for a in &cl.applied {
            writeln!(
                out,
                "  payment of {} on {}: {} to costs, {} to interest, {} to principal",
                money(a.amount),
                a.on,
                money(a.costs),
                money(a.interest),
                money(a.principal)
            )?;
        }
        if cl.open != inv.open {
            writeln!(
                out,
                "  the books show {} open: the payments went to the costs and interest first once they were demanded",
                money(inv.open)
            )?;
        }
    }
    if case.claimable() {
        writeln!(
            out,
            "Principal paid; {} of interest and costs still claimable: `settle letter {}` claims them, \
             `settle claim waive {}` gives them up",
            money(cl.charges_open()),
            inv.number,
            inv.number
        )?;
    } else if let Some(d) = case.claim_facts().claimed.filter(|_| cl.closed.is_none()) {
        writeln!(
            out,
            "Interest and costs claimed by letter on {d}; `settle claim paid {}` once they are paid",
            inv.number
        )?;
    }
    for n in &cl.notes {
        writeln!(out, "Note: {n}")?;
    }
    Ok(())
}

fn fmt_day(d: Option<NaiveDate>) -> String {
    d.map_or_else(String::new, |d| d.to_string())
}

/// `settle track --format json`: the ladder's one answer and the claim, for scripts and for
/// comparing surfaces.
fn track_json(case: &CaseFile) -> serde_json::Value {
    let st = &case.standing;
    let paused = match st.state {
        State::Paused { kind, until, .. } => serde_json::json!({"reason": kind.as_str(), "until": until}),
        State::Disputed { .. } => serde_json::json!({"reason": "dispute", "until": null}),
        State::Open | State::Settled => serde_json::Value::Null,
    };
    let cl = &case.claim;
    let plain = |d| crate::domain::money::plain_amount(d);
    serde_json::json!({
        "invoice": case.invoice.number,
        "status": st.state.name(),
        "paused": paused,
        "step_to_take": st.step_to_take.map(|t| t.step),
        "skips": st.skips.iter().collect::<Vec<_>>(),
        "next": st.next.map(|n| serde_json::json!({"step": n.step, "date": n.on})),
        "claim": {
            "principal": plain(cl.open),
            "interest": plain(cl.interest_open()),
            "costs": plain(cl.compensation_open()),
            "total": plain(cl.total),
            "currency": case.invoice.amount.currency.as_str(),
            "books_open": plain(case.invoice.open),
            "interest_accrued": plain(cl.interest_total()),
            "interest_paid": plain(cl.interest_paid),
            "costs_due": plain(cl.compensation_total()),
            "costs_paid": plain(cl.costs_paid),
            "basis": cl.basis.map(|b| b.as_str()),
            "compounded": cl.compounded,
            "charges_from": cl.charges_from,
            "claimable": case.claimable(),
            "closed": cl.closed,
        },
    })
}
