//! Getting books out: invoices, payments, events or customers as CSV or JSON. Column names
//! are the ones `settle import` reads, so an export imports back into another book:
//! customers with `import customers`, invoices with `import csv`, payments with
//! `import payments`. Events are the timeline, for reading and spreadsheets only. The
//! collection dossier (`export dossier`) is in `dossier`.

pub mod dossier;

use std::borrow::Cow;
use std::io::Write;

use crate::domain::money::{from_cents, plain_amount};
use crate::domain::text::spreadsheet_cell;
use crate::store::{Store, StoreError};

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum What {
    Invoices,
    Payments,
    Events,
    Customers,
}

/// A table to write: headers, and rows of optional cells (`None` is empty in CSV, `null`
/// in JSON).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub headers: &'static [&'static str],
    pub rows: Vec<Vec<Option<String>>>,
}

fn amount(cents: i64) -> Option<String> {
    Some(plain_amount(from_cents(cents)))
}

/// Reads what is asked for from the book.
pub fn sheet(store: &Store, what: What) -> Result<Sheet, StoreError> {
    Ok(match what {
        What::Invoices => Sheet {
            headers: &[
                "number",
                "customer",
                "issued",
                "due",
                "amount",
                "currency",
                "reference",
                "description",
                "open",
                "disputed",
            ],
            rows: store
                .export_invoices()?
                .into_iter()
                .map(|i| {
                    vec![
                        Some(i.number),
                        Some(i.customer),
                        Some(i.issued.to_string()),
                        Some(i.due.to_string()),
                        amount(i.amount_cents),
                        Some(i.currency.to_string()),
                        i.reference,
                        Some(i.description),
                        amount(i.open_cents),
                        Some(if i.disputed { "yes" } else { "no" }.to_string()),
                    ]
                })
                .collect(),
        },
        What::Payments => Sheet {
            headers: &["date", "invoice", "counterparty", "amount", "currency", "kind", "method", "note"],
            rows: store
                .export_payments()?
                .into_iter()
                .map(|p| {
                    vec![
                        Some(p.on.to_string()),
                        Some(p.invoice),
                        Some(p.customer),
                        amount(p.amount_cents),
                        Some(p.currency.to_string()),
                        Some(p.kind.to_string()),
                        p.method,
                        Some(p.note),
                    ]
                })
                .collect(),
        },
        What::Events => Sheet {
            headers: &["date", "customer", "invoice", "kind", "channel", "detail"],
            rows: store
                .export_events()?
                .into_iter()
                .map(|e| {
                    vec![
                        Some(e.on.to_string()),
                        Some(e.customer),
                        e.invoice,
                        Some(e.kind.to_string()),
                        e.channel.map(|c| c.to_string()),
                        Some(e.detail),
                    ]
                })
                .collect(),
        },
        What::Customers => Sheet {
            headers: &[
                "name", "contact", "email", "phone", "vat", "language", "profile", "kind", "terms",
                "archived",
            ],
            rows: store
                .customers()?
                .into_iter()
                .map(|c| {
                    vec![
                        Some(c.name),
                        c.contact,
                        c.email,
                        c.phone,
                        c.vat,
                        Some(c.language.to_string()),
                        Some(c.profile.to_string()),
                        Some(c.kind.to_string()),
                        Some(c.terms_days.to_string()),
                        Some(if c.archived { "yes" } else { "no" }.to_string()),
                    ]
                })
                .collect(),
        },
    })
}

/// The columns that hold amounts: written as numbers (a negative one keeps its `-`), while
/// every other cell is text, guarded against spreadsheet formulas.
const AMOUNT_COLUMNS: &[&str] = &["amount", "open"];

/// Comma-separated, quoted where needed, one header line. A text cell a spreadsheet would
/// run as a formula gets a leading `'` ([`spreadsheet_cell`]), which `settle import` takes
/// off again.
pub fn write_csv(sheet: &Sheet, out: &mut impl Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(sheet.headers)?;
    for row in &sheet.rows {
        let cells: Vec<Cow<'_, str>> = row
            .iter()
            .zip(sheet.headers)
            .map(|(c, h)| {
                let c = c.as_deref().unwrap_or("");
                if AMOUNT_COLUMNS.contains(h) { Cow::Borrowed(c) } else { spreadsheet_cell(c) }
            })
            .collect();
        w.write_record(cells.iter().map(|c| c.as_bytes()))?;
    }
    w.flush()
}

/// An array of objects with the columns in order, every value a string or null.
pub fn write_json(sheet: &Sheet, out: &mut impl Write) -> std::io::Result<()> {
    out.write_all(b"[")?;
    for (i, row) in sheet.rows.iter().enumerate() {
        out.write_all(if i == 0 { b"\n  {" } else { b",\n  {" })?;
        for (j, (h, cell)) in sheet.headers.iter().zip(row).enumerate() {
            if j > 0 {
                out.write_all(b", ")?;
            }
            serde_json::to_writer(&mut *out, h)?;
            out.write_all(b": ")?;
            serde_json::to_writer(&mut *out, cell)?;
        }
        out.write_all(b"}")?;
    }
    out.write_all(if sheet.rows.is_empty() { b"]\n" } else { b"\n]\n" })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet() -> Sheet {
        Sheet {
            headers: &["number", "note"],
            rows: vec![vec![Some("A,1".into()), None], vec![Some("B\"2".into()), Some("ünïcode".into())]],
        }
    }

    #[test]
    fn csv_quotes_what_needs_it() {
        let mut out = Vec::new();
        write_csv(&sheet(), &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "number,note\n\"A,1\",\n\"B\"\"2\",ünïcode\n");
    }

    #[test]
    fn csv_text_cells_cannot_be_formulas_and_amounts_stay_numbers() {
        let sheet = Sheet {
            headers: &["customer", "amount", "note"],
            rows: vec![vec![Some("=HYPERLINK(\"x\")".into()), Some("-12.50".into()), Some("-2+3".into())]],
        };
        let mut out = Vec::new();
        write_csv(&sheet, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "customer,amount,note\n\"'=HYPERLINK(\"\"x\"\")\",-12.50,'-2+3\n"
        );
    }

    #[test]
    fn json_is_an_array_of_ordered_objects() {
        let mut out = Vec::new();
        write_json(&sheet(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "[\n  {\"number\": \"A,1\", \"note\": null},\n  {\"number\": \"B\\\"2\", \"note\": \"ünïcode\"}\n]\n"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back[1]["note"], "ünïcode");
        let mut empty = Vec::new();
        write_json(&Sheet { headers: &["a"], rows: vec![] }, &mut empty).unwrap();
        assert_eq!(empty, b"[]\n");
    }
}
