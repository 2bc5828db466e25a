//! Customers from CSV (or settle's JSON export): name, contact details, language, profile,
//! kind and payment terms, so an exported book comes back with its customers as they were.

use std::collections::HashMap;
use std::sync::Arc;

use super::csv::{Cell, text_value};
use super::model::{CustomerRecord, Parsed};
use super::table::{self, FieldSpec};
use super::{At, ImportError};
use crate::domain::text::Lines;

pub const NAME: usize = 0;
pub const CONTACT: usize = 1;
pub const EMAIL: usize = 2;
pub const PHONE: usize = 3;
pub const VAT: usize = 4;
pub const LANGUAGE: usize = 5;
pub const PROFILE: usize = 6;
pub const KIND: usize = 7;
pub const TERMS: usize = 8;
pub const ARCHIVED: usize = 9;
pub const ADDRESS: usize = 10;

pub const SPECS: &[FieldSpec] = &[
    FieldSpec {
        name: "name",
        aliases: &["name", "customer", "client", "klant", "naam", "nom", "company", "bedrijf", "societe"],
        required: true,
        many: false,
    },
    FieldSpec {
        name: "contact",
        aliases: &["contact", "contactperson", "contactpersoon", "personnedecontact"],
        required: false,
        many: false,
    },
    FieldSpec { name: "email", aliases: &["email", "mail", "courriel"], required: false, many: false },
    FieldSpec {
        name: "phone",
        aliases: &["phone", "telephone", "telefoon", "tel", "gsm", "mobile"],
        required: false,
        many: false,
    },
    FieldSpec {
        name: "vat",
        aliases: &["vat", "vatnumber", "vatid", "btw", "btwnummer", "tva", "numerotva", "ondernemingsnummer"],
        required: false,
        many: false,
    },
    FieldSpec {
        name: "language",
        aliases: &["language", "lang", "taal", "langue"],
        required: false,
        many: false,
    },
    FieldSpec { name: "profile", aliases: &["profile", "profiel", "profil"], required: false, many: false },
    FieldSpec { name: "kind", aliases: &["kind", "soort"], required: false, many: false },
    FieldSpec {
        name: "terms",
        aliases: &["terms", "termsdays", "paymentterms", "betalingstermijn", "termijn", "delaidepaiement"],
        required: false,
        many: false,
    },
    FieldSpec {
        name: "archived",
        aliases: &["archived", "gearchiveerd", "archive", "archief"],
        required: false,
        many: false,
    },
    FieldSpec {
        name: "address",
        aliases: &["address", "postaladdress", "adres", "adresse", "postadres"],
        required: false,
        many: false,
    },
];

/// Parses a customers file: every row, or every problem.
pub fn parse_customers(
    file: &str,
    bytes: &[u8],
    map: &[String],
) -> Result<Parsed<CustomerRecord>, ImportError> {
    let file: Arc<str> = Arc::from(file);
    let table = table::read(&file, bytes, SPECS).map_err(ImportError::new)?;
    let cols = table::resolve(&table, SPECS, map).map_err(ImportError::new)?;
    let mut problems = Vec::new();
    let mut records = Vec::with_capacity(table.rows.len());
    let mut seen: HashMap<String, At> = HashMap::new();
    for row in &table.rows {
        let c = Cell { table: &table, cols: &cols, row };
        let before = problems.len();
        let name = c.get(NAME);
        let key = name.to_ascii_lowercase();
        for field in [CONTACT, EMAIL, PHONE, VAT] {
            if let Err(e) = text_value(&c.get(field), Lines::One) {
                problems.push(c.problem(field, SPECS, e));
            }
        }
        if name.is_empty() {
            problems.push(c.problem(NAME, SPECS, "empty: every customer needs a name"));
        } else if let Err(e) = text_value(&name, Lines::One) {
            problems.push(c.problem(NAME, SPECS, e));
        } else if let Err(e) = crate::domain::limits::name("the customer name", &name) {
            problems.push(c.problem(NAME, SPECS, e));
        } else if let Some(first) = seen.get(&key) {
            problems.push(c.problem(
                NAME,
                SPECS,
                format!("the same name is already on {} of this file", first.words()),
            ));
        } else {
            seen.insert(key, row.at);
        }
        let text = |f: usize| cols.has(f).then(|| c.opt(f));
        let email = text(EMAIL);
        if let Some(Some(e)) = &email
            && text_value(e, Lines::One).is_ok()
            && !(e.contains('@') && !e.starts_with('@') && !e.ends_with('@'))
        {
            problems.push(c.problem(EMAIL, SPECS, "not an email address"));
        }
        let mut record = CustomerRecord {
            origin: Some(c.origin()),
            name,
            contact: text(CONTACT),
            email,
            phone: text(PHONE),
            vat: text(VAT),
            ..CustomerRecord::default()
        };
        if let Some(v) = c.opt(LANGUAGE) {
            match v.parse() {
                Ok(l) => record.language = Some(l),
                Err(e) => problems.push(c.problem(LANGUAGE, SPECS, format!("{e}"))),
            }
        }
        if let Some(v) = c.opt(PROFILE) {
            match v.parse() {
                Ok(p) => record.profile = Some(p),
                Err(e) => problems.push(c.problem(PROFILE, SPECS, format!("{e}"))),
            }
        }
        if let Some(v) = c.opt(KIND) {
            match v.parse() {
                Ok(k) => record.kind = Some(k),
                Err(e) => problems.push(c.problem(KIND, SPECS, format!("{e}"))),
            }
        }
        if let Some(v) = c.opt(TERMS) {
            match v.trim_end_matches(|ch: char| ch.is_alphabetic() || ch == ' ').parse::<u32>() {
                Ok(n) if n <= 365 => record.terms_days = Some(n),
                _ => problems.push(c.problem(TERMS, SPECS, "not a number of days from 0 to 365")),
            }
        }
        if cols.has(ADDRESS) {
            match c.opt(ADDRESS) {
                Some(v) => match text_value(&v, Lines::Many) {
                    Ok(_) => record.address = Some(Some(v)),
                    Err(e) => problems.push(c.problem(ADDRESS, SPECS, e)),
                },
                None => record.address = Some(None),
            }
        }
        if let Some(v) = c.opt(ARCHIVED) {
            match v.trim().to_ascii_lowercase().as_str() {
                "yes" | "y" | "true" | "1" | "ja" | "oui" => record.archived = Some(true),
                "no" | "n" | "false" | "0" | "nee" | "non" => record.archived = Some(false),
                _ => problems.push(c.problem(ARCHIVED, SPECS, "not yes or no")),
            }
        }
        if problems.len() == before {
            records.push(record);
        }
    }
    if problems.is_empty() {
        Ok(Parsed { records, ignored_columns: cols.ignored })
    } else {
        Err(ImportError::new(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::customer::Profile;

    #[test]
    fn reads_customers_and_reports_every_bad_cell() {
        let ok = parse_customers(
            "c.csv",
            b"name,email,profile,terms,language\nAcme,a@acme.be,trusted,45,nl\nBeta,,,,\n",
            &[],
        )
        .unwrap();
        assert_eq!(ok.records[0].profile, Some(Profile::Trusted));
        assert_eq!(ok.records[0].terms_days, Some(45));
        assert_eq!(ok.records[1].email, Some(None));
        assert_eq!(ok.records[1].contact, None);
        let err = parse_customers("c.csv", b"naam;e-mail;profiel;termijn\nAcme;nope;vip;400\nacme;;;\n", &[])
            .unwrap_err();
        let fields: Vec<&str> = err.problems.iter().map(|p| p.field.as_deref().unwrap()).collect();
        assert_eq!(fields, ["e-mail", "profiel", "termijn", "naam"]);
        assert_eq!(err.problems[3].at, At::Line(3));
    }
}
