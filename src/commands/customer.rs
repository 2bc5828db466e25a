use std::io::Write;

use anyhow::Result;

use crate::cli::CustomerAdd;
use crate::domain::customer::NewCustomer;
use crate::store::Store;

fn blank_to_none(s: Option<String>) -> Option<String> {
    s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

pub fn add(store: &Store, a: CustomerAdd, out: &mut impl Write) -> Result<()> {
    let customer = NewCustomer {
        name: a.name.trim().to_string(),
        contact: blank_to_none(a.contact),
        email: blank_to_none(a.email),
        phone: blank_to_none(a.phone),
        vat: blank_to_none(a.vat),
        language: a.lang,
        profile: a.profile,
        kind: a.kind,
        terms_days: a.terms,
    };
    store.add_customer(&customer)?;
    writeln!(
        out,
        "Added customer {} ({}, {}, {} days).",
        customer.name, customer.profile, customer.language, customer.terms_days
    )?;
    Ok(())
}

pub fn list(store: &Store, out: &mut impl Write) -> Result<()> {
    for c in store.customers()? {
        writeln!(
            out,
            "{:<40} {:<8} {:<2} {:>3}d  {}",
            c.name,
            c.profile,
            c.language,
            c.terms_days,
            c.email.as_deref().unwrap_or("")
        )?;
    }
    Ok(())
}
