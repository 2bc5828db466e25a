//! Schema migrations, keyed by `PRAGMA user_version`. A released migration is never edited
//! or removed, only appended to.

use rusqlite_migration::{M, Migrations};

/// `PRAGMA application_id` of a settle database: "STLE".
pub const APPLICATION_ID: i64 = 0x5354_4C45;

const V1: &str = r#"
PRAGMA application_id = 1398033477;

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE customers (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    contact     TEXT,
    email       TEXT,
    phone       TEXT,
    vat         TEXT,
    language    TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'nl', 'fr', 'de')),
    profile     TEXT NOT NULL DEFAULT 'standard' CHECK (profile IN ('trusted', 'standard', 'new')),
    kind        TEXT NOT NULL DEFAULT 'business' CHECK (kind IN ('business', 'consumer')),
    terms_days  INTEGER NOT NULL DEFAULT 30 CHECK (terms_days BETWEEN 0 AND 365),
    archived    INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE UNIQUE INDEX customers_name ON customers (name COLLATE NOCASE);

-- open_cents / is_open are kept current in the same transaction as every payment, credit
-- and write-off, so today's dashboard never sums payments.
CREATE TABLE invoices (
    id           INTEGER PRIMARY KEY,
    number       TEXT NOT NULL UNIQUE CHECK (length(trim(number)) > 0),
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    issued       TEXT NOT NULL,
    due          TEXT NOT NULL CHECK (due >= issued),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    currency     TEXT NOT NULL DEFAULT 'EUR',
    description  TEXT NOT NULL DEFAULT '',
    reference    TEXT,
    open_cents   INTEGER NOT NULL CHECK (open_cents BETWEEN 0 AND amount_cents),
    is_open      INTEGER NOT NULL CHECK (is_open = (open_cents > 0)),
    disputed     INTEGER NOT NULL DEFAULT 0 CHECK (disputed IN (0, 1)),
    steps_done   INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX invoices_open ON invoices (currency, customer_id, due, open_cents, is_open) WHERE is_open = 1;
CREATE INDEX invoices_customer ON invoices (customer_id, due);
CREATE INDEX invoices_issued ON invoices (issued);

-- Everything that reduces an invoice: payments, credit notes, write-offs. All dated, so the
-- open amount as of any day can be recomputed.
CREATE TABLE payments (
    id           INTEGER PRIMARY KEY,
    invoice_id   INTEGER NOT NULL REFERENCES invoices (id),
    paid_on      TEXT NOT NULL,
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    kind         TEXT NOT NULL DEFAULT 'payment' CHECK (kind IN ('payment', 'credit', 'write_off')),
    method       TEXT,
    note         TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX payments_invoice ON payments (invoice_id, paid_on, amount_cents);
CREATE INDEX payments_date ON payments (paid_on);

-- The timeline. Append-only.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    invoice_id  INTEGER REFERENCES invoices (id),
    on_date     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    channel     TEXT CHECK (channel IS NULL OR channel IN ('email', 'letter', 'phone', 'in_person')),
    detail      TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX events_invoice ON events (invoice_id, on_date);
CREATE INDEX events_customer ON events (customer_id, on_date);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

CREATE TABLE notes (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    invoice_id  INTEGER REFERENCES invoices (id),
    written_on  TEXT NOT NULL,
    body        TEXT NOT NULL CHECK (length(trim(body)) > 0),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX notes_customer ON notes (customer_id, written_on);
"#;

/// The app's screens (issue 3): the Today agenda reads open invoices by due date from a
/// covering partial index (with `is_open` in it, so SQLite never visits the table), and the
/// header's DSO sums recent invoicing from the issue-date index made covering.
const V2_APP_INDEXES: &str = r#"
CREATE INDEX invoices_agenda ON invoices (due, customer_id, open_cents, currency, disputed, steps_done, number, is_open)
    WHERE is_open = 1;
DROP INDEX invoices_issued;
CREATE INDEX invoices_issued ON invoices (issued, currency, amount_cents);
"#;

pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![M::up(V1), M::up(V2_APP_INDEXES)])
}

/// The schema version this binary writes.
pub fn latest_version() -> i64 {
    2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid_and_idempotent() {
        assert!(migrations().validate().is_ok());
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        migrations().to_latest(&mut conn).unwrap();
        migrations().to_latest(&mut conn).unwrap();
        let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(v, latest_version());
        let id: i64 = conn.pragma_query_value(None, "application_id", |r| r.get(0)).unwrap();
        assert_eq!(id, APPLICATION_ID);
    }
}
