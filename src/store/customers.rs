//! Customers and their notes.

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, params, params_from_iter};

use super::{Result, Store, StoreError, conflict, text_enum};
use crate::domain::customer::{Customer, CustomerId, NewCustomer, Note};
use crate::domain::event::EventKind;
use crate::domain::invoice::InvoiceId;
use crate::domain::text::{Lines, check_text};

const COLUMNS: &str =
    "id, name, contact, email, phone, vat, language, profile, kind, terms_days, archived, address";

fn customer_from(r: &Row<'_>) -> rusqlite::Result<Customer> {
    Ok(Customer {
        id: CustomerId(r.get(0)?),
        name: r.get(1)?,
        contact: r.get(2)?,
        email: r.get(3)?,
        phone: r.get(4)?,
        vat: r.get(5)?,
        language: text_enum(r, 6)?,
        profile: text_enum(r, 7)?,
        kind: text_enum(r, 8)?,
        terms_days: r.get(9)?,
        archived: r.get(10)?,
        address: r.get(11)?,
    })
}

pub(super) const NOTE_COLUMNS: &str = "id, customer_id, invoice_id, written_on, body";

pub(super) fn note_from(r: &Row<'_>) -> rusqlite::Result<Note> {
    Ok(Note {
        id: r.get(0)?,
        customer: CustomerId(r.get(1)?),
        invoice: r.get::<_, Option<i64>>(2)?.map(InvoiceId),
        on: r.get(3)?,
        body: r.get(4)?,
    })
}

/// A customer by id, on `conn` (a connection or a transaction).
pub(super) fn customer_in(conn: &rusqlite::Connection, id: CustomerId) -> Result<Customer> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM customers WHERE id = ?1"))?
        .query_row([id.0], customer_from)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("no customer with id {}", id.0)))
}

/// A customer's fields in the order of the insert's and the update's columns.
fn fields(c: &NewCustomer) -> [Value; 10] {
    [
        c.name.trim().to_string().into(),
        c.contact.clone().into(),
        c.email.clone().into(),
        c.phone.clone().into(),
        c.vat.clone().into(),
        c.language.as_str().to_string().into(),
        c.profile.as_str().to_string().into(),
        c.kind.as_str().to_string().into(),
        c.terms_days.into(),
        c.address.clone().into(),
    ]
}

/// Checks and inserts a customer on `conn` (a connection or a transaction).
pub(super) fn insert_customer(conn: &rusqlite::Connection, c: &NewCustomer) -> Result<CustomerId> {
    c.validate().map_err(StoreError::Invalid)?;
    conn.prepare_cached(
        "INSERT INTO customers (name, contact, email, phone, vat, language, profile, kind, terms_days, address)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params_from_iter(fields(c)))
    .map_err(|e| conflict(e, || format!("a customer named '{}' already exists", c.name.trim())))?;
    Ok(CustomerId(conn.last_insert_rowid()))
}

/// Inserts a relationship note and its timeline event on `conn` (a connection or the caller's
/// transaction); an empty note is refused. Every writer of notes goes through here.
pub(super) fn insert_note(
    conn: &rusqlite::Connection,
    customer: CustomerId,
    invoice: Option<InvoiceId>,
    on: NaiveDate,
    body: &str,
) -> Result<i64> {
    let body = note_body(body)?;
    conn.prepare_cached(
        "INSERT INTO notes (customer_id, invoice_id, written_on, body) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![customer.0, invoice.map(|i| i.0), on, body])?;
    let id = conn.last_insert_rowid();
    super::events::insert_event(
        conn,
        &super::NewEvent { customer, invoice, on, kind: EventKind::Note, channel: None, detail: body.into() },
    )?;
    Ok(id)
}

/// A note's text as stored: trimmed, not empty, no character a terminal would obey (a note
/// may hold line breaks). Adding and editing a note check it alike.
pub(super) fn note_body(body: &str) -> Result<&str> {
    let body = body.trim();
    if body.is_empty() {
        return Err(StoreError::Invalid("the note is empty".into()));
    }
    check_text("note", body, Lines::Many).map_err(|e| StoreError::Invalid(e.to_string()))?;
    Ok(body)
}

/// Replaces a customer's fields on `conn` (the caller's transaction), checked as when added:
/// `settle customer edit` and a customers import's `--update`.
pub(crate) fn update_customer_in(conn: &rusqlite::Connection, id: CustomerId, c: &NewCustomer) -> Result<()> {
    c.validate().map_err(StoreError::Invalid)?;
    let n = conn
        .prepare_cached(
            "UPDATE customers SET name = ?1, contact = ?2, email = ?3, phone = ?4, vat = ?5, language = ?6,
                    profile = ?7, kind = ?8, terms_days = ?9, address = ?10 WHERE id = ?11",
        )?
        .execute(params_from_iter(fields(c).into_iter().chain([Value::from(id.0)])))
        .map_err(|e| conflict(e, || format!("a customer named '{}' already exists", c.name.trim())))?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("no customer with id {}", id.0)));
    }
    Ok(())
}

impl Store {
    pub fn add_customer(&self, c: &NewCustomer) -> Result<CustomerId> {
        let tx = self.write_tx()?;
        let id = insert_customer(&tx, c)?;
        tx.commit()?;
        Ok(id)
    }

    pub fn customer(&self, id: CustomerId) -> Result<Customer> {
        customer_in(self.conn(), id)
    }

    /// Finds a customer by name, ignoring case.
    pub fn customer_by_name(&self, name: &str) -> Result<Option<Customer>> {
        Ok(self
            .conn()
            .prepare_cached(&format!("SELECT {COLUMNS} FROM customers WHERE name = ?1 COLLATE NOCASE"))?
            .query_row([name.trim()], customer_from)
            .optional()?)
    }

    /// Every customer, one at a time, in no set order.
    pub fn each_customer(&self, mut f: impl FnMut(Customer)) -> Result<()> {
        let mut stmt = self.conn().prepare_cached(&format!("SELECT {COLUMNS} FROM customers"))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            f(customer_from(r)?);
        }
        Ok(())
    }

    /// Every customer, by name.
    pub fn customers(&self) -> Result<Vec<Customer>> {
        let mut all = Vec::new();
        self.customers_by_name(|c| {
            all.push(c);
            Ok::<_, StoreError>(())
        })?;
        Ok(all)
    }

    /// Every customer, by name, one at a time, to `f` (a listing writes each as it comes,
    /// never holding them all: 10,000 customers are 2.5 MB, grown and copied as they come);
    /// an error of `f` stops it.
    pub fn customers_by_name<E: From<StoreError>>(
        &self,
        mut f: impl FnMut(Customer) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let mut stmt = self
            .conn()
            .prepare_cached(&format!("SELECT {COLUMNS} FROM customers ORDER BY name COLLATE NOCASE"))
            .map_err(StoreError::from)?;
        let mut rows = stmt.query([]).map_err(StoreError::from)?;
        while let Some(r) = rows.next().map_err(StoreError::from)? {
            f(customer_from(r).map_err(StoreError::from)?)?;
        }
        Ok(())
    }

    /// Adds a relationship note (and its timeline event) in one transaction.
    pub fn add_note(
        &self,
        customer: CustomerId,
        invoice: Option<InvoiceId>,
        on: NaiveDate,
        body: &str,
    ) -> Result<i64> {
        let tx = self.write_tx()?;
        let id = insert_note(&tx, customer, invoice, on, body)?;
        tx.commit()?;
        Ok(id)
    }

    /// A customer's notes, newest first.
    pub fn notes(&self, customer: CustomerId) -> Result<Vec<Note>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {NOTE_COLUMNS} FROM notes WHERE customer_id = ?1 ORDER BY written_on DESC, id DESC"
        ))?;
        let rows = stmt.query_map([customer.0], note_from)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
