use std::io::Write;

use anyhow::{Result, anyhow, bail};

use crate::cli::{CustomerAdd, CustomerEdit, CustomerList, Delete, Named};
use crate::domain::customer::{Customer, NewCustomer};
use crate::store::Store;

fn blank_to_none(s: Option<String>) -> Option<String> {
    s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

fn address(s: Option<String>) -> Option<String> {
    crate::domain::customer::parse_address(&s?)
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
        address: address(a.address),
    };
    store.add_customer(&customer)?;
    writeln!(
        out,
        "Added customer {} ({}, {}, {} days).",
        customer.name, customer.profile, customer.language, customer.terms_days
    )?;
    Ok(())
}

pub fn list(store: &Store, a: &CustomerList, out: &mut impl Write) -> Result<()> {
    store.customers_by_name(|c| {
        if a.all || !c.archived {
            writeln!(
                out,
                "{:<40} {:<8} {:<2} {:>3}d  {}{}",
                c.name,
                c.profile,
                c.language,
                c.terms_days,
                c.email.as_deref().unwrap_or(""),
                if c.archived { "  (archived)" } else { "" }
            )?;
        }
        Ok::<_, anyhow::Error>(())
    })
}

/// The customer named `name` (ignoring case), or an error that says how to find one.
pub(super) fn named(store: &Store, name: &str) -> Result<Customer> {
    store
        .customer_by_name(name)?
        .ok_or_else(|| anyhow!("unknown customer '{}' (see `settle customer list --all`)", name.trim()))
}

pub fn edit(store: &Store, a: CustomerEdit, out: &mut impl Write) -> Result<()> {
    let c = named(store, &a.name)?;
    let keep_or = |new: Option<String>, old: Option<String>| match new {
        Some(v) => blank_to_none(Some(v)),
        None => old,
    };
    let changed = NewCustomer {
        name: a.new_name.map_or(c.name.clone(), |n| n.trim().to_string()),
        contact: keep_or(a.contact, c.contact.clone()),
        email: keep_or(a.email, c.email.clone()),
        phone: keep_or(a.phone, c.phone.clone()),
        vat: keep_or(a.vat, c.vat.clone()),
        language: a.lang.unwrap_or(c.language),
        profile: a.profile.unwrap_or(c.profile),
        kind: a.kind.unwrap_or(c.kind),
        terms_days: a.terms.unwrap_or(c.terms_days),
        address: match a.address {
            Some(v) => address(Some(v)),
            None => c.address.clone(),
        },
    };
    let unchanged = changed == c.to_new();
    if unchanged {
        bail!("nothing to change for {}: give the fields to change, e.g. --email", c.name);
    }
    store.edit_customer(c.id, &changed)?;
    writeln!(
        out,
        "Changed customer {} ({}, {}, {} days, {}).",
        changed.name,
        changed.profile,
        changed.language,
        changed.terms_days,
        changed.email.as_deref().unwrap_or("no email")
    )?;
    if let Some(address) = &changed.address {
        for line in address.lines() {
            writeln!(out, "  {line}")?;
        }
    }
    Ok(())
}

pub fn delete(store: &Store, a: &Delete, out: &mut impl Write) -> Result<()> {
    let c = named(store, &a.what)?;
    super::confirm(&format!("Delete the customer {}?", c.name), a.yes)?;
    store.delete_customer(c.id)?;
    writeln!(out, "Deleted the customer {}. `settle undo` brings it back.", c.name)?;
    Ok(())
}

pub fn archive(store: &Store, a: &Named, archived: bool, out: &mut impl Write) -> Result<()> {
    let c = named(store, &a.name)?;
    if c.archived == archived {
        bail!("{} is {} archived", c.name, if archived { "already" } else { "not" });
    }
    store.set_archived(c.id, archived)?;
    if archived {
        writeln!(
            out,
            "Archived {}: hidden from lists and Today; `settle customer unarchive` shows it again.",
            c.name
        )?;
    } else {
        writeln!(out, "{} is no longer archived.", c.name)?;
    }
    Ok(())
}
