//! Getting books out: invoices, payments, events or customers as CSV or JSON. Column names
//! are the ones `settle import` reads, so an export imports back into another book:
//! customers with `import customers`, invoices with `import csv`, payments with
//! `import payments`. Events are the timeline, for reading and spreadsheets only. The
//! collection dossier (`export dossier`) is in `dossier`.

pub mod dossier;

use std::borrow::Cow;
use std::io::Write;

use crate::domain::money::plain_cents_into;
use crate::domain::text::spreadsheet_cell;
use crate::store::Store;

crate::domain::str_enum!(
    /// What to export.
    What {
        Invoices => "invoices",
        Payments => "payments",
        Events => "events",
        Customers => "customers",
    }
);

impl What {
    /// The columns, in order.
    pub fn headers(self) -> &'static [&'static str] {
        match self {
            What::Invoices => &[
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
            What::Payments => {
                &["date", "invoice", "counterparty", "amount", "currency", "kind", "method", "note"]
            }
            What::Events => &["date", "customer", "invoice", "kind", "channel", "detail"],
            What::Customers => &[
                "name", "contact", "email", "phone", "vat", "language", "profile", "kind", "terms",
                "address", "archived",
            ],
        }
    }
}

/// Where the rows go, one at a time: optional cells (`None` is empty in CSV, `null` in JSON)
/// in the order of the headers.
pub trait Table {
    fn row(&mut self, cells: &[Option<&str>]) -> std::io::Result<()>;
    /// After the last row.
    fn end(&mut self) -> std::io::Result<()>;
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// Reads what is asked for from the book and writes it row by row (nothing is collected);
/// returns how many rows were written.
pub fn export(store: &Store, what: What, table: &mut impl Table) -> anyhow::Result<usize> {
    let mut n = 0;
    // The amounts of the row being written, formatted into buffers used again for each row.
    let (mut a, mut b) = (String::new(), String::new());
    match what {
        What::Invoices => store.each_export_invoice(|i| -> anyhow::Result<()> {
            a.clear();
            plain_cents_into(&mut a, i.amount_cents);
            b.clear();
            plain_cents_into(&mut b, i.open_cents);
            n += 1;
            Ok(table.row(&[
                Some(i.number),
                Some(i.customer),
                Some(i.issued),
                Some(i.due),
                Some(&a),
                Some(i.currency.as_str()),
                i.reference,
                Some(i.description),
                Some(&b),
                Some(yes_no(i.disputed)),
            ])?)
        })?,
        What::Payments => store.each_export_payment(|p| -> anyhow::Result<()> {
            a.clear();
            plain_cents_into(&mut a, p.amount_cents);
            n += 1;
            Ok(table.row(&[
                Some(p.on),
                Some(p.invoice),
                Some(p.customer),
                Some(&a),
                Some(p.currency.as_str()),
                Some(p.kind.as_str()),
                p.method,
                Some(p.note),
            ])?)
        })?,
        What::Events => store.each_export_event(|e| -> anyhow::Result<()> {
            n += 1;
            Ok(table.row(&[
                Some(e.on),
                Some(e.customer),
                e.invoice,
                Some(e.kind.as_str()),
                e.channel.map(|c| c.as_str()),
                Some(e.detail),
            ])?)
        })?,
        What::Customers => {
            for c in store.customers()? {
                let terms = c.terms_days.to_string();
                table.row(&[
                    Some(&c.name),
                    c.contact.as_deref(),
                    c.email.as_deref(),
                    c.phone.as_deref(),
                    c.vat.as_deref(),
                    Some(c.language.as_str()),
                    Some(c.profile.as_str()),
                    Some(c.kind.as_str()),
                    Some(&terms),
                    c.address.as_deref(),
                    Some(yes_no(c.archived)),
                ])?;
                n += 1;
            }
        }
    }
    table.end()?;
    Ok(n)
}

/// The columns that hold amounts: written as numbers (a negative one keeps its `-`), while
/// every other cell is text, guarded against spreadsheet formulas.
const AMOUNT_COLUMNS: &[&str] = &["amount", "open"];

/// Comma-separated, quoted where needed, one header line. A text cell a spreadsheet would
/// run as a formula gets a leading `'` ([`spreadsheet_cell`]), which `settle import` takes
/// off again.
pub struct CsvTable<W: Write> {
    w: csv::Writer<W>,
    amounts: Vec<bool>,
}

impl<W: Write> CsvTable<W> {
    pub fn new(headers: &[&str], out: W) -> std::io::Result<CsvTable<W>> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(headers)?;
        Ok(CsvTable { w, amounts: headers.iter().map(|h| AMOUNT_COLUMNS.contains(h)).collect() })
    }
}

impl<W: Write> Table for CsvTable<W> {
    fn row(&mut self, cells: &[Option<&str>]) -> std::io::Result<()> {
        for (c, amount) in cells.iter().zip(&self.amounts) {
            let c = c.unwrap_or("");
            let cell = if *amount { Cow::Borrowed(c) } else { spreadsheet_cell(c) };
            self.w.write_field(cell.as_bytes())?;
        }
        Ok(self.w.write_record(None::<&[u8]>)?)
    }

    fn end(&mut self) -> std::io::Result<()> {
        self.w.flush()
    }
}

/// An array of objects with the columns in order, every value a string or null.
pub struct JsonTable<'h, W: Write> {
    out: W,
    headers: &'h [&'h str],
    rows: usize,
}

impl<'h, W: Write> JsonTable<'h, W> {
    pub fn new(headers: &'h [&'h str], out: W) -> JsonTable<'h, W> {
        JsonTable { out, headers, rows: 0 }
    }
}

impl<W: Write> Table for JsonTable<'_, W> {
    fn row(&mut self, cells: &[Option<&str>]) -> std::io::Result<()> {
        let out = &mut self.out;
        out.write_all(if self.rows == 0 { b"[\n  {" } else { b",\n  {" })?;
        for (j, (h, cell)) in self.headers.iter().zip(cells).enumerate() {
            if j > 0 {
                out.write_all(b", ")?;
            }
            serde_json::to_writer(&mut *out, h)?;
            out.write_all(b": ")?;
            serde_json::to_writer(&mut *out, cell)?;
        }
        self.rows += 1;
        out.write_all(b"}")
    }

    fn end(&mut self) -> std::io::Result<()> {
        self.out.write_all(if self.rows == 0 { b"[]\n" } else { b"\n]\n" })?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADERS: &[&str] = &["number", "note"];

    fn rows(table: &mut impl Table) {
        table.row(&[Some("A,1"), None]).unwrap();
        table.row(&[Some("B\"2"), Some("ünïcode")]).unwrap();
        table.end().unwrap();
    }

    #[test]
    fn csv_quotes_what_needs_it() {
        let mut out = Vec::new();
        rows(&mut CsvTable::new(HEADERS, &mut out).unwrap());
        assert_eq!(String::from_utf8(out).unwrap(), "number,note\n\"A,1\",\n\"B\"\"2\",ünïcode\n");
    }

    #[test]
    fn csv_text_cells_cannot_be_formulas_and_amounts_stay_numbers() {
        let mut out = Vec::new();
        let mut t = CsvTable::new(&["customer", "amount", "note"], &mut out).unwrap();
        t.row(&[Some("=HYPERLINK(\"x\")"), Some("-12.50"), Some("-2+3")]).unwrap();
        t.end().unwrap();
        drop(t);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "customer,amount,note\n\"'=HYPERLINK(\"\"x\"\")\",-12.50,'-2+3\n"
        );
    }

    #[test]
    fn json_is_an_array_of_ordered_objects() {
        let mut out = Vec::new();
        rows(&mut JsonTable::new(HEADERS, &mut out));
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "[\n  {\"number\": \"A,1\", \"note\": null},\n  {\"number\": \"B\\\"2\", \"note\": \"ünïcode\"}\n]\n"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back[1]["note"], "ünïcode");
        let mut empty = Vec::new();
        JsonTable::new(&["a"], &mut empty).end().unwrap();
        assert_eq!(empty, b"[]\n");
    }
}
