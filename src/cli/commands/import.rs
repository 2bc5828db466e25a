use std::fs;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;

use crate::cli::{ImportPayments, ImportTable, ImportUbl};
use crate::domain::money::Money;
use crate::import::statement::CsvChoice;
use crate::import::{
    Kind, Options, Outcome, Unmatched, csv, customers, import_customers, import_documents, import_invoices,
    ubl,
};
use crate::service;
use crate::store::Store;

/// More changes than this are summed up instead of listed (unless it is a dry run).
const LIST_AT_MOST: usize = 50;

/// A file to import: a regular file of at most [`crate::platform::files::MAX_INPUT_BYTES`].
fn read(path: &Path) -> Result<Vec<u8>> {
    Ok(crate::platform::files::read_input(path)?)
}

pub fn csv(store: &mut Store, a: ImportTable, out: &mut impl Write) -> Result<()> {
    let name = a.file.display().to_string();
    let parsed = csv::parse_invoices(&name, &read(&a.file)?, &a.map)?;
    let opts = Options { update: a.update, dry_run: a.dry_run, keep: None };
    let mut outcome = import_invoices(store, &parsed.records, &[], opts)?;
    outcome.ignored_columns = parsed.ignored_columns;
    report(&name, &outcome, out)
}

pub fn customers(store: &mut Store, a: ImportTable, out: &mut impl Write) -> Result<()> {
    let name = a.file.display().to_string();
    let parsed = customers::parse_customers(&name, &read(&a.file)?, &a.map)?;
    let opts = Options { update: a.update, dry_run: a.dry_run, keep: None };
    let mut outcome = import_customers(store, &parsed.records, opts)?;
    outcome.ignored_columns = parsed.ignored_columns;
    report(&name, &outcome, out)
}

pub fn ubl(store: &mut Store, a: ImportUbl, out: &mut impl Write) -> Result<()> {
    let mut files = Vec::new();
    if a.path.is_dir() {
        let mut paths: Vec<_> = fs::read_dir(&a.path)
            .with_context(|| format!("cannot read the folder {}", a.path.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x.eq_ignore_ascii_case("xml")))
            .collect();
        paths.sort();
        if paths.is_empty() {
            bail!("{}: no .xml files in this folder", a.path.display());
        }
        for p in paths {
            let bytes = read(&p)?;
            files.push((p.display().to_string(), bytes));
        }
    } else {
        files.push((a.path.display().to_string(), read(&a.path)?));
    }
    let docs = ubl::parse_documents(&files)?;
    let outcome =
        import_documents(store, docs, Options { update: a.update, dry_run: a.dry_run, keep: None })?;
    report(&a.path.display().to_string(), &outcome, out)
}

/// At most this many changes of a dry run are listed; the rest are counted.
const DRY_RUN_LISTS_AT_MOST: usize = 10_000;

/// The lines that matched nothing are written here as they are found, and printed after the
/// summary: in memory up to this many bytes, beyond in a temporary file.
const SPOOL_IN_MEMORY: usize = 1024 * 1024;

pub fn payments(
    store: &mut Store,
    a: ImportPayments,
    config: &Path,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<()> {
    let name = a.file.display().to_string();
    if let Some(p) = &a.save_profile {
        crate::import::profiles::check_name(p).map_err(|e| anyhow::anyhow!("--save-profile: {e}"))?;
    }
    let mut profiles = service::bank::profiles(config).map_err(|e| anyhow::anyhow!(e))?;
    let choice = CsvChoice { map: &a.map, profile: a.profile.as_deref() };
    let mut opened = service::bank::open(&a.file, &choice, &profiles, today)?;
    // Buffered: past the first megabyte, each write would otherwise reach the file itself.
    let mut spool =
        std::io::BufWriter::with_capacity(64 * 1024, tempfile::SpooledTempFile::new(SPOOL_IN_MEMORY));
    let mut spooled: std::io::Result<()> = Ok(());
    let keep = if a.dry_run { DRY_RUN_LISTS_AT_MOST } else { LIST_AT_MOST + 1 };
    let outcome = service::bank::import_opened(store, &mut opened, a.dry_run, keep, &mut |u| {
        if spooled.is_ok() {
            spooled = unmatched_line(&u, &mut spool);
        }
    })?;
    spooled.context("cannot keep the lines that matched nothing aside")?;
    let mut spool = spool
        .into_inner()
        .map_err(|e| e.into_error())
        .context("cannot keep the lines that matched nothing aside")?;
    let statement = &opened.statement;
    let formats: Vec<&str> = statement.formats.iter().map(|f| f.label()).collect();
    match &statement.profile {
        Some(p) => writeln!(out, "Read {name} as {} (profile {p}).", formats.join(" and "))?,
        None => writeln!(out, "Read {name} as {}.", formats.join(" and "))?,
    }
    spool.seek(SeekFrom::Start(0))?;
    report_with(&name, &outcome, &mut spool, out)?;
    if let Some(p) = &a.save_profile {
        let path = service::bank::save_profile(&mut profiles, p, &a.map, statement)?;
        writeln!(
            out,
            "Saved profile {p} in {}: --profile {p} reads with it, and so does any file with these headers.",
            path.display()
        )?;
    }
    Ok(())
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Prints what the import did (or would do), the lines it could not match, and the backup.
fn report(name: &str, o: &Outcome, out: &mut impl Write) -> Result<()> {
    let mut listed = Vec::new();
    for u in &o.unmatched {
        unmatched_line(u, &mut listed)?;
    }
    report_with(name, o, &mut listed.as_slice(), out)
}

/// One line that matched nothing, why, and its closest open invoices.
fn unmatched_line(u: &Unmatched, out: &mut impl Write) -> std::io::Result<()> {
    let l = &u.line;
    let amount = match l.currency {
        Some(c) => Money::new(l.amount, c).to_string(),
        None => crate::domain::money::format_amount(l.amount),
    };
    writeln!(
        out,
        "  {}: {amount} on {} from {} \"{}\": {}",
        l.origin,
        l.date,
        if l.counterparty.is_empty() { "?" } else { &l.counterparty },
        l.communication,
        u.reason
    )?;
    if u.candidates.is_empty() {
        writeln!(out, "      no open invoice comes close")?;
    }
    for c in &u.candidates {
        writeln!(
            out,
            "      closest: {} {} ({} open): {}",
            c.number,
            c.customer,
            crate::domain::money::format_amount(c.open),
            c.why
        )?;
    }
    Ok(())
}

/// [`report`], with the lines that matched nothing already written out in `unmatched`.
fn report_with(name: &str, o: &Outcome, unmatched: &mut impl Read, out: &mut impl Write) -> Result<()> {
    let count = |kinds: &[Kind]| o.count(kinds);
    let mut parts = Vec::new();
    let mut add = |n: usize, one: &str, many: &str| {
        if n > 0 {
            parts.push(plural(n, one, many));
        }
    };
    add(count(&[Kind::NewInvoice]), "new invoice", "new invoices");
    add(count(&[Kind::UpdatedInvoice]), "invoice updated", "invoices updated");
    add(count(&[Kind::NewCustomer]), "new customer", "new customers");
    add(count(&[Kind::UpdatedCustomer, Kind::CustomerDetails]), "customer updated", "customers updated");
    add(count(&[Kind::Credit, Kind::UnappliedCredit]), "credit", "credits");
    add(count(&[Kind::Payment]), "payment recorded", "payments recorded");
    add(count(&[Kind::Linked]), "already recorded by hand (linked)", "already recorded by hand (linked)");
    add(count(&[Kind::SetAside]), "line set aside", "lines set aside");
    add(count(&[Kind::InvoicePdf]), "invoice PDF kept", "invoice PDFs kept");
    add(o.unchanged, "already in the book as it is", "already in the book as they are");
    add(o.not_matched, "line not matched", "lines not matched");
    add(o.outgoing, "outgoing line skipped", "outgoing lines skipped");
    let summary = if parts.is_empty() { "nothing to import".to_string() } else { parts.join(", ") };
    let changed = o.changed();
    if o.dry_run {
        writeln!(out, "Dry run of {name}, nothing was written: {summary}.")?;
    } else if changed == 0 {
        writeln!(out, "{name}: {summary}; the book is unchanged.")?;
    } else {
        writeln!(out, "Imported {name}: {summary}.")?;
    }
    if o.dry_run || changed <= LIST_AT_MOST {
        for c in &o.changes {
            writeln!(out, "  {c}")?;
        }
        if changed > o.changes.len() {
            writeln!(out, "  … and {} more", changed - o.changes.len())?;
        }
    }
    for w in &o.warnings {
        writeln!(out, "Warning: {w}")?;
    }
    if o.not_matched > 0 {
        writeln!(
            out,
            "Not matched to an invoice (assign them in the app: i on Today; or record them by hand, or add the reference and import again):"
        )?;
        std::io::copy(unmatched, out)?;
    }
    if o.dry_run && !o.ignored_columns.is_empty() {
        writeln!(out, "Columns not read: {}.", o.ignored_columns.join(", "))?;
    }
    if let Some(b) = &o.backup {
        writeln!(out, "The book as it was before is backed up in {}.", b.display())?;
    }
    Ok(())
}
