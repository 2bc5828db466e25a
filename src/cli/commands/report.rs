//! `settle report`: aged receivables, the agenda, the cash-in forecast and customer behaviour.

use std::fmt::Write as _;
use std::io::Write;

use anyhow::{Result, anyhow};
use chrono::NaiveDate;

use crate::cli::{AgendaArgs, AgingArgs, BehaviourArgs, ForecastArgs, Format};
use crate::config::Config;
use crate::domain::agenda::AgendaItem;
use crate::domain::aging::{AgingJson, AgingReport, Bucket, Buckets};
use crate::domain::dates::add_days;
use crate::domain::forecast::{EXPLANATION, Period};
use crate::domain::format;
use crate::domain::money::{Money, format_amount, from_cents, plain_amount};
use crate::domain::text::spreadsheet_cell;
use crate::service::agenda::{TodayAgenda, item_kind};
use crate::store::Store;

/// Every currency with something open, one table each (the book's currency first), unless
/// `--currency` names one. The JSON keeps one report's shape: the first currency's, with the
/// others under `other_currencies` when there are any; the CSV gains a `currency` column only
/// when it holds more than one currency.
pub fn aging(store: &Store, a: AgingArgs, today: NaiveDate, out: &mut impl Write) -> Result<()> {
    let as_of = a.as_of.unwrap_or(today);
    let reports = match a.currency {
        Some(c) => vec![store.aging(as_of, c)?],
        None => store.aging_by_currency(as_of)?,
    };
    match a.format {
        Format::Table => {
            for (i, report) in reports.iter().enumerate() {
                if i > 0 {
                    writeln!(out)?;
                }
                write_table(report, out)?;
            }
            Ok(())
        }
        Format::Csv => write_csv(&reports, out),
        Format::Json => {
            let Some((first, others)) = reports.split_first() else { return Ok(()) };
            let json = AgingJsonAll {
                first: first.to_json(),
                other_currencies: others.iter().map(AgingReport::to_json).collect(),
            };
            serde_json::to_writer_pretty(&mut *out, &json)?;
            writeln!(out)?;
            Ok(())
        }
    }
}

/// The aging JSON: the first currency's report as it always was, and the other currencies'
/// reports, in the same shape, when there are any.
#[derive(serde::Serialize)]
struct AgingJsonAll {
    #[serde(flatten)]
    first: AgingJson,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    other_currencies: Vec<AgingJson>,
}

/// The Today agenda: each section, then one line per thing to do; or JSON.
pub fn agenda(
    store: &Store,
    config: &Config,
    a: AgendaArgs,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<()> {
    let day = a.as_of.unwrap_or(today);
    let since = a.since.unwrap_or_else(|| add_days(day, -1));
    let today_agenda = TodayAgenda::load(store, config, day, since)?;
    let names = store.customer_names()?;
    let name = |item: &AgendaItem| names.get(&item.invoice.customer_id.0).map_or("", String::as_str);
    let number = |item: &AgendaItem| today_agenda.numbers.get(item.index as usize);
    let sections = &today_agenda.agenda.sections;
    let items = || sections.iter().flat_map(|s| &s.items);
    if a.format == Format::Json {
        // One item at a time, in the layout `serde_json::to_writer_pretty` gives the whole
        // (keys in order), each string written by serde_json: no tree of values per item.
        write!(out, "{{\n  \"as_of\": {},\n  \"items\": [", serde_json::to_string(&day)?)?;
        let mut buf = Vec::new();
        for (i, item) in items().enumerate() {
            buf.clear();
            buf.extend_from_slice(if i == 0 { b"\n    {" } else { b",\n    {" });
            let text = format!("{}: {}", item.what(name(item)), item.why(day));
            let fields: [(&str, Option<&str>); 7] = [
                ("amount", Some(&plain_amount(item.invoice.open.amount))),
                ("currency", Some(item.invoice.open.currency.as_str())),
                ("customer", Some(name(item))),
                ("invoice", Some(number(item))),
                ("kind", Some(item_kind(item))),
                ("step", item.step.map(|s| s.as_str())),
                ("text", Some(&text)),
            ];
            for (j, (key, value)) in fields.iter().enumerate() {
                buf.extend_from_slice(if j == 0 { b"\n      \"" } else { b",\n      \"" });
                buf.extend_from_slice(key.as_bytes());
                buf.extend_from_slice(b"\": ");
                serde_json::to_writer(&mut buf, value)?;
            }
            buf.extend_from_slice(b"\n    }");
            out.write_all(&buf)?;
        }
        let end = if items().next().is_some() { "\n  ]\n}\n" } else { "]\n}\n" };
        out.write_all(end.as_bytes())?;
        return Ok(());
    }
    writeln!(out, "Today, {}", format::weekday_year(day))?;
    if sections.is_empty() {
        writeln!(out, "Nothing to chase: no step, promise or call-back is due.")?;
        return Ok(());
    }
    // The columns' widths first, then each line written as it is worded: a hundred thousand
    // lines are never held at once.
    let mut what = 0;
    let mut open = 0;
    let mut buf = String::new();
    for item in items() {
        what = what.max(item.what(name(item)).chars().count());
        buf.clear();
        write!(buf, "{}", item.invoice.open)?;
        open = open.max(buf.chars().count());
    }
    let mut line = String::new();
    for section in sections {
        writeln!(out, "\n{} ({})", section.title, section.items.len())?;
        for item in &section.items {
            let w = item.what(name(item));
            line.clear();
            writeln!(
                line,
                "  {w:<what$}  {:>open$}  {}  {}",
                item.invoice.open.to_string(),
                number(item),
                item.why(day)
            )?;
            out.write_all(line.as_bytes())?;
        }
    }
    Ok(())
}

const NAME_WIDTH: usize = 34;

fn clip(name: &str, width: usize) -> String {
    if name.chars().count() <= width {
        name.to_string()
    } else {
        name.chars().take(width.saturating_sub(1)).chain(std::iter::once('…')).collect()
    }
}

fn write_table(r: &AgingReport, out: &mut impl Write) -> Result<()> {
    writeln!(out, "Aged receivables as of {} ({})", r.as_of, r.currency)?;
    if r.rows.is_empty() {
        writeln!(out, "Nothing open. Every invoice in {} is paid.", r.currency)?;
        return Ok(());
    }
    let name_w =
        r.rows.iter().map(|row| row.customer.chars().count()).max().unwrap_or(8).clamp(8, NAME_WIDTH);
    let amount_w = format_amount(r.totals.total()).len().max(9);
    let line = |out: &mut dyn Write, name: &str, b: &Buckets| -> std::io::Result<()> {
        write!(out, "{:<name_w$}", clip(name, name_w))?;
        for bucket in Bucket::ALL {
            write!(out, "  {:>amount_w$}", format_amount(b.get(*bucket)))?;
        }
        writeln!(out, "  {:>amount_w$}", format_amount(b.total()))
    };
    write!(out, "{:<name_w$}", "Customer")?;
    for bucket in Bucket::ALL {
        write!(out, "  {:>amount_w$}", bucket.header())?;
    }
    writeln!(out, "  {:>amount_w$}", "Total")?;
    for row in &r.rows {
        line(out, &row.customer, &row.buckets)?;
    }
    writeln!(out, "{}", "-".repeat(name_w + 6 * (amount_w + 2)))?;
    line(out, "Total", &r.totals)?;
    Ok(())
}

fn write_csv(reports: &[AgingReport], out: &mut impl Write) -> Result<()> {
    let several = reports.len() > 1;
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["customer", "not_due", "d1_30", "d31_60", "d61_90", "d90_plus", "total"];
    if several {
        header.push("currency");
    }
    w.write_record(header)?;
    for r in reports {
        let record = |name: &str, b: &Buckets| {
            let mut rec = vec![spreadsheet_cell(name).into_owned()];
            rec.extend(Bucket::ALL.iter().map(|k| plain_amount(b.get(*k))));
            rec.push(plain_amount(b.total()));
            if several {
                rec.push(r.currency.to_string());
            }
            rec
        };
        for row in &r.rows {
            w.write_record(record(&row.customer, &row.buckets))?;
        }
        w.write_record(record("TOTAL", &r.totals))?;
    }
    w.flush()?;
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
                    Period::Week => format!("week of {}", format::weekday(b.start)),
                    Period::Month => format::month_year(b.start),
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
