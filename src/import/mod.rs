//! Getting books in: CSV invoices, Peppol UBL e-invoices and credit notes, bank payments
//! (CSV exports, CAMT.053, CODA and MT940 statements) and customers.
//!
//! Each format has a pure parser (bytes in, validated records or every problem found out);
//! the records are then applied in one store transaction ([`apply`], [`payments`]) that is
//! rolled back on any problem and on a dry run, so an import is all or nothing.

pub mod apply;
pub mod bank;
#[cfg(test)]
mod bank_samples;
pub mod camt;
pub mod coda;
pub mod csv;
pub mod customers;
pub mod invoices;
mod known;
pub mod model;
pub mod mt940;
pub mod payments;
pub mod profiles;
pub mod statement;
pub mod table;
pub mod ubl;

use std::fmt;
use std::sync::Arc;

pub use apply::{Change, Fail, Kind, Options, Outcome, Unmatched};
pub use invoices::{import_customers, import_documents, import_invoices};
pub use payments::{Choice, import_payments};

/// Where in a file a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum At {
    /// The whole file (or an XML document).
    File,
    /// A line of a text file (1-based).
    Line(u64),
    /// The n-th record of a JSON array (1-based).
    Record(u64),
}

impl At {
    /// "line 3", "record 3" or "the file", for messages that point at another row.
    pub fn words(&self) -> String {
        match self {
            At::File => "the file".into(),
            At::Line(n) => format!("line {n}"),
            At::Record(n) => format!("record {n}"),
        }
    }
}

/// What the user can give to get past a problem, named in no front-end's words: each
/// front-end says how (the command line names its option, the app its way there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// The column that holds this field, named by the user.
    Column(&'static str),
    /// One of the columns that look like this field, chosen by the user.
    OneColumn(&'static str),
    /// A choice of column written as FIELD=COLUMN.
    ColumnChoice,
    /// The name of a saved profile.
    Profile,
    /// Column choices and profiles, which only a CSV file takes, left out.
    NoColumnChoices,
    /// Leave to change what the book already holds.
    Update,
}

/// One thing wrong with the input: the file, the line, the column (or XML element), the
/// value, and what is wrong with it (and, for some, what would get past it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: Arc<str>,
    pub at: At,
    pub field: Option<String>,
    pub value: Option<String>,
    pub message: String,
    /// Boxed: most problems have none, and a problem is passed by value.
    pub need: Option<Box<Need>>,
}

impl Problem {
    pub fn new(file: &Arc<str>, at: At, message: impl Into<String>) -> Problem {
        Problem { file: file.clone(), at, field: None, value: None, message: message.into(), need: None }
    }

    pub fn need(mut self, need: Need) -> Problem {
        self.need = Some(Box::new(need));
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Problem {
        self.field = Some(field.into());
        self
    }

    pub fn value(mut self, value: impl Into<String>) -> Problem {
        self.value = Some(value.into());
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        match self.at {
            At::File => {}
            At::Line(n) => write!(f, ":{n}")?,
            At::Record(n) => write!(f, " record {n}")?,
        }
        f.write_str(": ")?;
        match (&self.field, &self.value) {
            (Some(field), Some(value)) => write!(f, "{field} {value:?}: ")?,
            (Some(field), None) => write!(f, "{field}: ")?,
            _ => {}
        }
        f.write_str(&self.message)
    }
}

/// Everything wrong with an import, all at once. Nothing was written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ImportError {
    pub problems: Vec<Problem>,
}

impl ImportError {
    pub fn new(mut problems: Vec<Problem>) -> ImportError {
        problems.sort_by(|a, b| (&a.file, a.at).cmp(&(&b.file, b.at)));
        ImportError { problems }
    }

    /// The error as [`Display`](fmt::Display) says it, each problem followed by what a
    /// front-end adds for its [`Need`] (`hint` gives the words with their separator).
    pub fn with_hints(&self, hint: impl Fn(Need) -> String) -> String {
        let n = self.problems.len();
        let mut out = format!("{n} problem{} found; nothing was imported", if n == 1 { "" } else { "s" });
        for p in &self.problems {
            out.push_str(&format!("\n  {p}"));
            if let Some(need) = &p.need {
                out.push_str(&hint(**need));
            }
        }
        out
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.with_hints(|_| String::new()))
    }
}

/// An error as a front-end says it: its message with its context (`{e:#}`), then what
/// `hint` adds for it; an import's problems each followed by what `need` adds for theirs.
pub fn say(
    e: &anyhow::Error,
    need: impl Fn(Need) -> String,
    hint: impl FnOnce(&anyhow::Error) -> Option<String>,
) -> String {
    if e.chain().any(|c| c.is::<ImportError>()) {
        let links: Vec<String> = e
            .chain()
            .map(|c| match c.downcast_ref::<ImportError>() {
                Some(i) => i.with_hints(&need),
                None => c.to_string(),
            })
            .collect();
        return links.join(": ");
    }
    match hint(e) {
        Some(h) => format!("{e:#}{h}"),
        None => format!("{e:#}"),
    }
}

/// A header or field name reduced to compare: lower case, accents dropped, only letters and
/// digits (`Échéance` → `echeance`, `due_date` → `duedate`, `N° facture` → `nfacture`).
pub fn normalize_name(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ÿ' | 'ý' => 'y',
            other => other,
        })
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

/// The next XML event and the namespace its name is bound to, if any (CAMT.053 and UBL are
/// both read by namespace, never by prefix).
fn next_event<'a>(
    reader: &mut quick_xml::NsReader<&'a [u8]>,
) -> Result<(Option<String>, quick_xml::events::Event<'a>), quick_xml::Error> {
    let (ns, event) = reader.read_resolved_event()?;
    let ns = match ns {
        quick_xml::name::ResolveResult::Bound(n) => Some(n.as_ref().to_string()),
        _ => None,
    };
    Ok((ns, event))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_name_file_line_field_and_value() {
        let file: Arc<str> = Arc::from("invoices.csv");
        let p =
            Problem::new(&file, At::Line(3), "no such day in the calendar").field("date").value("2026-09-31");
        assert_eq!(p.to_string(), r#"invoices.csv:3: date "2026-09-31": no such day in the calendar"#);
        let e = ImportError::new(vec![p.clone(), Problem::new(&file, At::Line(2), "x")]);
        assert!(e.to_string().starts_with("2 problems found; nothing was imported\n  invoices.csv:2: x\n"));
    }

    #[test]
    fn names_are_compared_without_case_accents_or_punctuation() {
        assert_eq!(normalize_name("Échéance"), "echeance");
        assert_eq!(normalize_name("due_date"), "duedate");
        assert_eq!(normalize_name("N° facture"), "nfacture");
        assert_eq!(normalize_name("Numéro"), "numero");
    }
}
