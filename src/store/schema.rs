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

/// `settle check` (desktop notifications): every alert already told, so running `check` on a
/// timer never tells the same event twice. The key is the alert's (kind, invoice, date).
const V2_NOTIFIED: &str = r#"
CREATE TABLE notified (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    invoice_id  INTEGER NOT NULL REFERENCES invoices (id),
    on_date     TEXT NOT NULL,
    told        TEXT NOT NULL CHECK (told IN ('desktop', 'printed')),
    notified_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (kind, invoice_id, on_date)
) STRICT;
"#;

/// Imports: bank lines already recorded, imported credit notes, and an index to
/// match bank payments by structured reference.
const V3_IMPORTS: &str = r#"
-- A bank statement line recorded as a payment, keyed by its identity (date, amount,
-- counterparty, communication and its occurrence within the file): importing the same
-- statement twice records nothing twice.
CREATE TABLE bank_lines (
    identity    TEXT PRIMARY KEY,
    payment_id  INTEGER NOT NULL REFERENCES payments (id),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT, WITHOUT ROWID;

-- Credit notes imported from e-invoices, keyed by number. What they reduce is recorded as
-- 'credit' payments; what found no open invoice to reduce stays here as unapplied.
CREATE TABLE credit_notes (
    id              INTEGER PRIMARY KEY,
    number          TEXT NOT NULL UNIQUE CHECK (length(trim(number)) > 0),
    customer_id     INTEGER NOT NULL REFERENCES customers (id),
    issued          TEXT NOT NULL,
    amount_cents    INTEGER NOT NULL CHECK (amount_cents > 0),
    currency        TEXT NOT NULL,
    invoice_number  TEXT,
    unapplied_cents INTEGER NOT NULL CHECK (unapplied_cents BETWEEN 0 AND amount_cents),
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;

CREATE INDEX invoices_reference ON invoices (reference) WHERE reference IS NOT NULL;
"#;

/// Phone calls: the calls, the agreements they produce (a promise is a plan of one
/// instalment), the instalments, and which payment paid how much of which instalment.
const V4_CALLS: &str = r#"
CREATE TABLE calls (
    id                INTEGER PRIMARY KEY,
    customer_id       INTEGER NOT NULL REFERENCES customers (id),
    invoice_id        INTEGER REFERENCES invoices (id),
    called_on         TEXT NOT NULL,
    reached           INTEGER NOT NULL CHECK (reached IN (0, 1)),
    with_whom         TEXT,
    outcome           TEXT NOT NULL CHECK (outcome IN
                        ('promise', 'plan', 'dispute', 'already_paid', 'callback', 'no_answer', 'refused')),
    follow_up         TEXT,
    claimed_paid_on   TEXT,
    claimed_reference TEXT,
    note              TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX calls_invoice ON calls (invoice_id, called_on);
CREATE INDEX calls_customer ON calls (customer_id, called_on);
CREATE INDEX calls_follow_up ON calls (follow_up) WHERE follow_up IS NOT NULL;

CREATE TABLE agreements (
    id           INTEGER PRIMARY KEY,
    invoice_id   INTEGER NOT NULL REFERENCES invoices (id),
    call_id      INTEGER REFERENCES calls (id),
    kind         TEXT NOT NULL CHECK (kind IN ('promise', 'plan')),
    made_on      TEXT NOT NULL,
    total_cents  INTEGER NOT NULL CHECK (total_cents > 0),
    confirmed_on TEXT,
    ended_on     TEXT,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX agreements_invoice ON agreements (invoice_id, made_on);
CREATE INDEX agreements_active ON agreements (invoice_id) WHERE ended_on IS NULL;

-- paid_cents is kept current in the same transaction as each payment.
CREATE TABLE instalments (
    id           INTEGER PRIMARY KEY,
    agreement_id INTEGER NOT NULL REFERENCES agreements (id),
    seq          INTEGER NOT NULL CHECK (seq >= 1),
    due          TEXT NOT NULL,
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    paid_cents   INTEGER NOT NULL DEFAULT 0 CHECK (paid_cents BETWEEN 0 AND amount_cents),
    UNIQUE (agreement_id, seq)
) STRICT;
CREATE INDEX instalments_open ON instalments (due) WHERE paid_cents < amount_cents;

CREATE TABLE instalment_payments (
    instalment_id INTEGER NOT NULL REFERENCES instalments (id),
    payment_id    INTEGER NOT NULL REFERENCES payments (id),
    amount_cents  INTEGER NOT NULL CHECK (amount_cents > 0),
    PRIMARY KEY (instalment_id, payment_id)
) STRICT;
CREATE INDEX instalment_payments_payment ON instalment_payments (payment_id);
"#;

/// Step tracker: a formal notice's registered-mail tracking number and the day it
/// was received; and no letter step (or thank-you) recorded twice on an invoice, whatever
/// calls `record_step`.
const V5_TRACKER: &str = r#"
CREATE TABLE registered_mail (
    event_id    INTEGER PRIMARY KEY REFERENCES events (id),
    invoice_id  INTEGER NOT NULL REFERENCES invoices (id),
    tracking    TEXT NOT NULL CHECK (length(trim(tracking)) > 0),
    received_on TEXT
) STRICT;
CREATE INDEX registered_mail_invoice ON registered_mail (invoice_id);
CREATE UNIQUE INDEX events_once ON events (invoice_id, kind)
    WHERE kind IN ('nudge_sent', 'reminder_sent', 'firm_reminder_sent', 'formal_notice_sent',
                   'handed_to_agency', 'thank_you_sent');
"#;

/// The app's screens: the Today agenda reads open invoices by due date from a
/// covering partial index (with `is_open` in it, so SQLite never visits the table), and the
/// header's DSO sums recent invoicing from the issue-date index made covering.
const V6_APP: &str = r#"
CREATE INDEX invoices_agenda ON invoices (due, customer_id, open_cents, currency, disputed, steps_done, number, is_open)
    WHERE is_open = 1;
DROP INDEX invoices_issued;
CREATE INDEX invoices_issued ON invoices (issued, currency, amount_cents);
"#;

/// A call nobody answered is an attempt, not the call step: earlier books logged it as
/// `call_logged`, which counted the step as done on some screens and not on others. The
/// events stay append-only; the trigger is lifted for this one correction.
const V7_CALL_ATTEMPTS: &str = r#"
DROP TRIGGER events_no_update;
UPDATE events SET kind = 'call_attempted'
 WHERE kind = 'call_logged' AND invoice_id IS NOT NULL
   AND EXISTS (SELECT 1 FROM calls c WHERE c.invoice_id = events.invoice_id
               AND c.called_on = events.on_date AND c.reached = 0)
   AND NOT EXISTS (SELECT 1 FROM calls c WHERE c.invoice_id = events.invoice_id
                   AND c.called_on = events.on_date AND c.reached = 1);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE INDEX calls_reached ON calls (customer_id, reached, called_on);
"#;

/// Bank statements in every format (CAMT.053, CODA, MT940, CSV): a bank line is known by its
/// account, booking date, amount and rank among the statement's lines of that account, day
/// and amount — and, within one format, by the bank's own reference of the entry — so the
/// same line is recognised in another format or another export. Once matched (by an import,
/// by choosing an invoice in the app, or linked to a payment recorded by hand) or set aside,
/// it is never proposed again. The older `bank_lines` (CSV lines keyed by their text) move
/// in, their key kept as the reference. And the accounts customers paid from, remembered
/// from matched lines, to propose their invoices for lines that name none.
const V8_BANK: &str = r#"
CREATE TABLE bank_entries (
    id           INTEGER PRIMARY KEY,
    account      TEXT NOT NULL,
    booked       TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    seq          INTEGER NOT NULL CHECK (seq >= 1),
    format       TEXT NOT NULL CHECK (format IN ('csv', 'camt053', 'coda', 'mt940')),
    reference    TEXT,
    payment_id   INTEGER REFERENCES payments (id),
    how          TEXT NOT NULL CHECK (how IN ('matched', 'chosen', 'linked', 'ignored')),
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    CHECK ((payment_id IS NULL) = (how = 'ignored'))
) STRICT;
CREATE INDEX bank_entries_line ON bank_entries (booked, amount_cents);
CREATE UNIQUE INDEX bank_entries_payment ON bank_entries (payment_id) WHERE payment_id IS NOT NULL;
INSERT INTO bank_entries (account, booked, amount_cents, seq, format, reference, payment_id, how)
    SELECT '', p.paid_on, p.amount_cents,
           row_number() OVER (PARTITION BY p.paid_on, p.amount_cents ORDER BY b.identity),
           'csv', b.identity, b.payment_id, 'matched'
      FROM bank_lines b JOIN payments p ON p.id = b.payment_id;
DROP TABLE bank_lines;

CREATE TABLE customer_accounts (
    iban        TEXT NOT NULL CHECK (length(iban) BETWEEN 8 AND 34),
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    first_seen  TEXT NOT NULL,
    PRIMARY KEY (iban, customer_id)
) STRICT, WITHOUT ROWID;
"#;

/// The change log behind undo (see `store::changes`): one entry per write transaction, the
/// rows it wrote as JSON (recorded by triggers the migration's hook creates on every table of
/// the book), the change being written, and two flags a transaction raises: `undoing` (undo
/// replays rows unlogged) and `events_unlocked` (undo, and deleting what was recorded by
/// mistake, may remove timeline events; every other write still may not).
const V9_CHANGE_LOG: &str = r#"
CREATE TABLE changes (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    source  TEXT NOT NULL,
    what    TEXT NOT NULL
) STRICT;
CREATE TABLE change_rows (
    change_id INTEGER NOT NULL REFERENCES changes (id),
    seq       INTEGER NOT NULL,
    tbl       TEXT NOT NULL,
    op        TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    row_key   ANY NOT NULL,
    old_json  TEXT,
    new_json  TEXT,
    PRIMARY KEY (change_id, seq)
) STRICT, WITHOUT ROWID;
CREATE TABLE change_pending (
    one       INTEGER PRIMARY KEY CHECK (one = 1),
    change_id INTEGER NOT NULL,
    source    TEXT NOT NULL,
    what      TEXT NOT NULL
) STRICT;
CREATE TABLE undoing (one INTEGER PRIMARY KEY CHECK (one = 1)) STRICT;
CREATE TABLE events_unlocked (one INTEGER PRIMARY KEY CHECK (one = 1)) STRICT;
DROP TRIGGER events_no_update;
DROP TRIGGER events_no_delete;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
WHEN NOT EXISTS (SELECT 1 FROM events_unlocked)
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
WHEN NOT EXISTS (SELECT 1 FROM events_unlocked)
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
"#;

/// A customer's postal address (several lines), which letters and dossiers need. The change
/// log's triggers are made again so they record it.
const V10_ADDRESS: &str = r#"
ALTER TABLE customers ADD COLUMN address TEXT;
"#;

/// Reading a large book in one pass. Each index below is read from start to end (or over a
/// range) without visiting the tables, so a pass costs what its rows cost:
/// - the open invoices in the order of their ids, with every column the agenda, the alerts,
///   the reports and the forecast read; in id order so the ladder's events (next) and the
///   alerts already told (last) can be read alongside, one pass over each;
/// - the ladder's events (steps, disputes) of every invoice, by invoice and day;
/// - the payments by day, with their invoice and amount: a report as of a past day reads only
///   the payments made after it (every other open amount is the kept one);
/// - the alerts told, by invoice.
const V11_PASSES: &str = r#"
DROP INDEX invoices_agenda;
CREATE INDEX invoices_open_rows ON invoices (id, customer_id, due, open_cents, amount_cents, currency, issued,
                                            disputed, steps_done, number, is_open)
    WHERE is_open = 1;
CREATE INDEX events_ladder ON events (invoice_id, on_date, id, kind, channel)
    WHERE kind IN ('nudge_sent', 'reminder_sent', 'call_logged', 'firm_reminder_sent', 'formal_notice_sent',
                   'handed_to_agency', 'dispute_opened', 'dispute_resolved');
DROP INDEX payments_date;
CREATE INDEX payments_paid ON payments (paid_on, invoice_id, amount_cents);
CREATE INDEX notified_invoice ON notified (invoice_id, kind, on_date);
"#;

/// The invoice's own PDF (a path, absolute): attached to every email about the invoice.
/// The change log's triggers are made again so they record it.
const V12_INVOICE_PDF: &str = r#"
ALTER TABLE invoices ADD COLUMN pdf TEXT;
"#;

/// The payments by invoice with their kind too: Today's claims read the payments of every
/// invoice paid in the last month (tens of thousands in a large book) from the index alone.
const V13_PAYMENTS_BY_INVOICE: &str = r#"
DROP INDEX payments_invoice;
CREATE INDEX payments_invoice ON payments (invoice_id, paid_on, amount_cents, kind);
"#;

/// The payments by amount and day: a bank line that names no invoice is compared with the
/// payments recorded by hand of its amount within a week of it, found at once rather than
/// among a fortnight of the whole book's payments (for each such line of a statement).
const V14_PAYMENTS_BY_AMOUNT: &str = r#"
CREATE INDEX payments_amount ON payments (amount_cents, paid_on) WHERE kind = 'payment';
"#;

/// The change log records of an update only the fields it changed (before and after), not
/// the whole row twice: a statement's import updates an invoice per line. Its hook makes the
/// log's triggers again; the rows logged before keep their whole rows, which undo still reads.
const V15_LOG_CHANGED_FIELDS: &str = "-- the change log's triggers, made again by the hook";

/// The alerts told keyed by invoice alone: the unique key of V2 (kind first) and the index by
/// invoice of V11 held the same three columns in two orders, so `check` wrote each alert it
/// told into both (three b-trees an alert, with the table's own). One unique index by invoice
/// now keeps an alert from being told twice and is the order `check` reads and records them
/// in. The table is made again (SQLite cannot drop a table's own unique key; nothing refers to
/// it) through a copy, not renamed: a rename opens the connection's temporary database, after
/// which no transaction of it may choose where its sorts spill (a bulk write's index builds).
const V16_NOTIFIED_BY_INVOICE: &str = r#"
CREATE TABLE notified_before (id, kind, invoice_id, on_date, told, notified_at);
INSERT INTO notified_before SELECT id, kind, invoice_id, on_date, told, notified_at FROM notified;
DROP TABLE notified;
CREATE TABLE notified (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    invoice_id  INTEGER NOT NULL REFERENCES invoices (id),
    on_date     TEXT NOT NULL,
    told        TEXT NOT NULL CHECK (told IN ('desktop', 'printed')),
    notified_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE UNIQUE INDEX notified_invoice ON notified (invoice_id, kind, on_date);
INSERT INTO notified (id, kind, invoice_id, on_date, told, notified_at)
    SELECT id, kind, invoice_id, on_date, told, notified_at FROM notified_before;
DROP TABLE notified_before;
"#;

/// Every migration, in order: `PRAGMA user_version` is the number applied.
const ALL: &[&str] = &[
    V1,
    V2_NOTIFIED,
    V3_IMPORTS,
    V4_CALLS,
    V5_TRACKER,
    V6_APP,
    V7_CALL_ATTEMPTS,
    V8_BANK,
    V9_CHANGE_LOG,
    V10_ADDRESS,
    V11_PASSES,
    V12_INVOICE_PDF,
    V13_PAYMENTS_BY_INVOICE,
    V14_PAYMENTS_BY_AMOUNT,
    V15_LOG_CHANGED_FIELDS,
    V16_NOTIFIED_BY_INVOICE,
];

/// The migrations after which the change log's triggers are (re)made on every table: the one
/// that introduced the log, any later one that adds or changes a table, and any that changes
/// what the triggers record.
const LOG_TRIGGERS_AFTER: &[&str] = &[V9_CHANGE_LOG, V10_ADDRESS, V12_INVOICE_PDF, V15_LOG_CHANGED_FIELDS];

fn log_triggers(tx: &rusqlite::Transaction<'_>) -> rusqlite_migration::HookResult {
    super::changes::create_log_triggers(tx)?;
    Ok(())
}

pub fn migrations() -> Migrations<'static> {
    Migrations::new(
        ALL.iter()
            .map(|sql| {
                if LOG_TRIGGERS_AFTER.contains(sql) { M::up_with_hook(sql, log_triggers) } else { M::up(sql) }
            })
            .collect(),
    )
}

/// The schema version this binary writes.
pub fn latest_version() -> i64 {
    ALL.len() as i64
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

    /// A book at schema `version` holding the rows `sql` writes, brought up to date.
    fn older_book(version: usize, sql: &str) -> rusqlite::Connection {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        migrations().to_version(&mut conn, version).unwrap();
        conn.execute_batch(sql).unwrap();
        migrations().to_latest(&mut conn).unwrap();
        conn
    }

    #[test]
    fn bank_lines_of_an_older_book_are_kept_as_bank_entries() {
        let conn = older_book(
            7,
            "INSERT INTO customers (name) VALUES ('Acme');
             INSERT INTO invoices (number, customer_id, issued, due, amount_cents, open_cents, is_open)
                 VALUES ('INV-1', 1, '2026-10-01', '2026-10-31', 10000, 0, 0);
             INSERT INTO payments (invoice_id, paid_on, amount_cents) VALUES (1, '2026-11-05', 4000), (1, '2026-11-05', 6000);
             INSERT INTO bank_lines (identity, payment_id) VALUES ('2026-11-05|4000|ACME|INV-1||payment|1', 1),
                                                               ('2026-11-05|6000|ACME|INV-1||payment|1', 2);",
        );
        let rows: Vec<(String, i64, i64, String, String)> = conn
            .prepare("SELECT booked, amount_cents, seq, format, reference FROM bank_entries ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            rows,
            [
                ("2026-11-05".into(), 4000, 1, "csv".into(), "2026-11-05|4000|ACME|INV-1||payment|1".into()),
                ("2026-11-05".into(), 6000, 1, "csv".into(), "2026-11-05|6000|ACME|INV-1||payment|1".into()),
            ]
        );
    }

    #[test]
    fn the_alerts_told_of_an_older_book_are_kept_under_one_key_by_invoice() {
        let conn = older_book(
            15,
            "INSERT INTO customers (name) VALUES ('Acme');
             INSERT INTO invoices (number, customer_id, issued, due, amount_cents, open_cents, is_open)
                 VALUES ('INV-1', 1, '2026-10-01', '2026-10-31', 10000, 10000, 1);
             INSERT INTO notified (kind, invoice_id, on_date, told, notified_at)
                 VALUES ('overdue', 1, '2026-10-31', 'desktop', '2026-11-01T07:00:00Z'),
                        ('due_soon', 1, '2026-10-28', 'printed', '2026-10-28T07:00:00Z');",
        );
        let rows: Vec<(i64, String, i64, String, String, String)> = conn
            .prepare("SELECT id, kind, invoice_id, on_date, told, notified_at FROM notified ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let row = |id, kind: &str, on: &str, told: &str, at: &str| {
            (id, kind.to_string(), 1, on.to_string(), told.to_string(), at.to_string())
        };
        assert_eq!(
            rows,
            [
                row(1, "overdue", "2026-10-31", "desktop", "2026-11-01T07:00:00Z"),
                row(2, "due_soon", "2026-10-28", "printed", "2026-10-28T07:00:00Z"),
            ]
        );
        // One index keeps an alert from being told twice, and it is the one by invoice.
        let again = conn.execute(
            "INSERT INTO notified (kind, invoice_id, on_date, told) VALUES ('overdue', 1, '2026-10-31', 'printed')",
            [],
        );
        assert!(again.is_err(), "an alert told twice was recorded twice");
        let indexes: Vec<String> = conn
            .prepare("SELECT name FROM pragma_index_list('notified') ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(indexes, ["notified_invoice"]);
        // Nothing of the migration left the connection's temporary database open: a bulk
        // write still chooses where its sorts spill, inside its transaction.
        conn.execute_batch("BEGIN; PRAGMA temp_store = FILE; PRAGMA temp_store = DEFAULT; COMMIT;").unwrap();
    }
}
