//! The change log behind undo. Every write transaction ([`Store::write_tx`]) is one change:
//! triggers on the book's tables record each row inserted or deleted, as JSON, and of each
//! row updated the fields it changed, before and after, under the change named in the
//! one-row `change_pending` table, which the store fills when the transaction begins and
//! empties before it commits. Undo replays the inverse of the
//! last change's rows, newest first, in one transaction, and forgets that change: undo is
//! not itself a change, so undo after undo goes further back.
//!
//! Not logged: settings (`meta`), the alerts already told (`notified`) and the log itself.

use std::ops::Deref;

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{Result, Store, StoreError};

/// Tables whose rows are not part of the book's history.
const NOT_LOGGED: &[&str] =
    &["meta", "notified", "changes", "change_rows", "change_pending", "undoing", "events_unlocked"];

/// A write transaction that is one change of the log. It derefs to the transaction, so the
/// one-write-per-table helpers take `&tx` as a `&Connection`; `commit` closes the change.
pub(crate) struct WriteTx<'a> {
    tx: Transaction<'a>,
}

impl<'a> WriteTx<'a> {
    /// Opens the change (labelled `what`, coming from `source`) inside `tx`. The change row
    /// itself is written by the first row logged, so a transaction that changes nothing
    /// leaves no empty change behind.
    pub(super) fn begin(tx: Transaction<'a>, source: &str, what: &str) -> Result<WriteTx<'a>> {
        tx.prepare_cached(
            "INSERT INTO change_pending (one, change_id, source, what)
             VALUES (1, (SELECT COALESCE(MAX(id), 0) + 1 FROM changes), ?1, ?2)",
        )?
        .execute(params![source, what])?;
        Ok(WriteTx { tx })
    }

    pub(crate) fn commit(self) -> Result<()> {
        forget_old_changes(&self.tx, KEEP_CHANGES, KEEP_ROWS)?;
        self.tx.execute("DELETE FROM change_pending", [])?;
        self.tx.execute("DELETE FROM events_unlocked", [])?;
        self.tx.commit()?;
        Ok(())
    }
}

impl<'a> Deref for WriteTx<'a> {
    type Target = Transaction<'a>;
    fn deref(&self) -> &Transaction<'a> {
        &self.tx
    }
}

/// How many changes undo can go back: older ones are forgotten as new ones are made.
pub const KEEP_CHANGES: u32 = 500;
/// How many logged rows the kept changes may hold in all (a row is a few hundred bytes of
/// JSON): past that, the oldest changes are forgotten, but never the newest one, so the last
/// import, however big, can always be undone.
pub const KEEP_ROWS: i64 = 2_000_000;

/// How many logged rows one statement deletes (forgetting changes, or undoing one).
const DELETE_BATCH: i64 = 10_000;

/// Forgets the changes beyond the newest `keep` and those beyond `keep_rows` logged rows,
/// oldest first. Each change's row count is its last `seq`, read from the primary key.
pub(crate) fn forget_old_changes(conn: &Connection, keep: u32, keep_rows: i64) -> Result<()> {
    forget_in_batches(conn, keep, keep_rows, DELETE_BATCH)
}

fn forget_in_batches(conn: &Connection, keep: u32, keep_rows: i64, batch: i64) -> Result<()> {
    let sizes: Vec<(i64, i64)> = conn
        .prepare_cached(
            "SELECT c.id, COALESCE((SELECT MAX(seq) FROM change_rows WHERE change_id = c.id), 0)
             FROM changes c ORDER BY c.id DESC LIMIT ?1",
        )?
        .query_map([i64::from(keep) + 1], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut total = 0;
    let cut = sizes.iter().enumerate().find_map(|(i, &(id, rows))| {
        total += rows;
        (i > 0 && (i >= keep as usize || total > keep_rows)).then_some(id)
    });
    if let Some(cut) = cut {
        delete_logged_rows(conn, i64::MIN, cut, batch)?;
        conn.prepare_cached("DELETE FROM changes WHERE id <= ?1")?.execute([cut])?;
    }
    Ok(())
}

/// Deletes the logged rows of the changes `first` to `last`, `batch` at a time: SQLite
/// gathers the keys a DELETE removes before removing them (the table has a foreign key), in
/// memory for an import (its temporary tables are); forgetting an import of a million rows
/// in one statement gathered 15 MB of keys.
fn delete_logged_rows(conn: &Connection, first: i64, last: i64, batch: i64) -> Result<()> {
    let mut delete = conn.prepare_cached(
        "DELETE FROM change_rows WHERE (change_id, seq) IN
             (SELECT change_id, seq FROM change_rows WHERE change_id BETWEEN ?1 AND ?2 LIMIT ?3)",
    )?;
    while i64::try_from(delete.execute(params![first, last, batch])?) == Ok(batch) {}
    Ok(())
}

/// Lets this transaction delete or correct timeline events (deleting an invoice, a payment
/// or a step recorded by mistake); the rows removed are logged, so undo brings them back.
pub(crate) fn unlock_events(conn: &Connection) -> Result<()> {
    conn.execute("INSERT OR IGNORE INTO events_unlocked (one) VALUES (1)", [])?;
    Ok(())
}

/// How the log names and finds one table's rows.
struct Logged {
    name: String,
    /// The fields kept in the JSON of a row: the columns, and `rowid` when the table has no
    /// column of its own that is its rowid (so a row brought back keeps it).
    fields: Vec<String>,
    /// The expression that finds one row, given a prefix (`NEW.`, `OLD.` or none).
    key: Key,
}

enum Key {
    Column(String),
    Rowid,
    Columns(Vec<String>),
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl Logged {
    fn key_expr(&self, prefix: &str) -> String {
        match &self.key {
            Key::Column(c) => format!("{prefix}{}", quote(c)),
            Key::Rowid => format!("{prefix}rowid"),
            Key::Columns(cs) => format!(
                "json_array({})",
                cs.iter().map(|c| format!("{prefix}{}", quote(c))).collect::<Vec<_>>().join(", ")
            ),
        }
    }

    fn json_expr(&self, prefix: &str) -> String {
        let pairs: Vec<String> = self
            .fields
            .iter()
            .map(|f| {
                let col = self.column(f);
                format!("'{}', {prefix}{col}", f.replace('\'', "''"))
            })
            .collect();
        format!("json_object({})", pairs.join(", "))
    }

    /// The JSON object of the fields whose value under `this` differs from `other`, with
    /// their value under `this`: an update logs only what it changed (a payment changes an
    /// invoice's open amount, not its 300 bytes of number, dates and description).
    /// `json_object` cannot leave a key out, so the object is joined from its pairs.
    fn changed_json(&self, this: &str, other: &str) -> String {
        let pairs: Vec<String> = self
            .fields
            .iter()
            .map(|f| {
                let col = self.column(f);
                let key = serde_json::Value::from(f.as_str()).to_string().replace('\'', "''");
                format!("CASE WHEN {this}{col} IS NOT {other}{col} THEN '{key}:' || json_quote({this}{col}) || ',' ELSE '' END")
            })
            .collect();
        format!("'{{' || rtrim({}, ',') || '}}'", pairs.join(" || "))
    }

    fn path(field: &str) -> String {
        format!("'$.\"{}\"'", field.replace('\'', "''").replace('"', "\\\""))
    }

    /// A field as a column of the table: `rowid`, or the column's quoted name.
    fn column(&self, field: &str) -> String {
        if field == "rowid" { "rowid".into() } else { quote(field) }
    }

    fn columns_sql(&self) -> String {
        self.fields.iter().map(|f| self.column(f)).collect::<Vec<_>>().join(", ")
    }

    fn extract_sql(&self, param: &str) -> String {
        self.fields
            .iter()
            .map(|f| format!("json_extract({param}, {})", Logged::path(f)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The tables of the book, as the log sees them now.
fn logged_tables(conn: &Connection) -> rusqlite::Result<Vec<Logged>> {
    let names: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for name in names.into_iter().filter(|n| !NOT_LOGGED.contains(&n.as_str())) {
        out.push(logged(conn, &name)?);
    }
    Ok(out)
}

fn logged(conn: &Connection, name: &str) -> rusqlite::Result<Logged> {
    // (name, declared type, position in the primary key)
    let cols: Vec<(String, String, i64)> = conn
        .prepare("SELECT name, type, pk FROM pragma_table_info(?1) ORDER BY cid")?
        .query_map([name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if cols.is_empty() {
        return Err(rusqlite::Error::QueryReturnedNoRows);
    }
    let mut pk: Vec<&(String, String, i64)> = cols.iter().filter(|c| c.2 > 0).collect();
    pk.sort_by_key(|c| c.2);
    let has_rowid = conn.prepare(&format!("SELECT rowid FROM {} LIMIT 0", quote(name))).is_ok();
    let mut fields: Vec<String> = cols.iter().map(|c| c.0.clone()).collect();
    let key = match (has_rowid, pk.as_slice()) {
        (true, [one]) if one.1.eq_ignore_ascii_case("INTEGER") => Key::Column(one.0.clone()),
        (true, _) => {
            fields.push("rowid".into());
            Key::Rowid
        }
        (false, [one]) => Key::Column(one.0.clone()),
        (false, many) => Key::Columns(many.iter().map(|c| c.0.clone()).collect()),
    };
    Ok(Logged { name: name.to_string(), fields, key })
}

/// (Re)creates the log's triggers on every table of the book: run by the migration that
/// introduced the log, and again by any later migration that adds or changes a table.
pub fn create_log_triggers(conn: &Connection) -> rusqlite::Result<()> {
    let tables = logged_tables(conn)?;
    let mut sql = String::new();
    for t in &tables {
        for (op, old, new) in [
            ("insert", None, Some("NEW.")),
            ("update", Some("OLD."), Some("NEW.")),
            ("delete", Some("OLD."), None),
        ] {
            let trigger = quote(&format!("log_{}_{op}", t.name));
            let key = t.key_expr(new.or(old).unwrap_or("NEW."));
            let (old_json, new_json) = match (old, new) {
                (Some(_), Some(_)) => (t.changed_json("OLD.", "NEW."), t.changed_json("NEW.", "OLD.")),
                _ => (
                    old.map_or("NULL".to_string(), |p| t.json_expr(p)),
                    new.map_or("NULL".to_string(), |p| t.json_expr(p)),
                ),
            };
            sql.push_str(&format!(
                "DROP TRIGGER IF EXISTS {trigger};
                 CREATE TRIGGER {trigger} AFTER {up} ON {table}
                 WHEN EXISTS (SELECT 1 FROM change_pending) AND NOT EXISTS (SELECT 1 FROM undoing)
                 BEGIN
                   INSERT OR IGNORE INTO changes (id, source, what) SELECT change_id, source, what FROM change_pending;
                   INSERT INTO change_rows (change_id, seq, tbl, op, row_key, old_json, new_json)
                   SELECT p.change_id,
                          (SELECT COALESCE(MAX(seq), 0) + 1 FROM change_rows WHERE change_id = p.change_id),
                          '{name}', '{op}', {key}, {old_json}, {new_json}
                     FROM change_pending p;
                 END;\n",
                up = op.to_uppercase(),
                table = quote(&t.name),
                name = t.name.replace('\'', "''"),
            ));
        }
    }
    conn.execute_batch(&sql)
}

/// A row of `change_rows` as undo reads it: table, operation, key, before, after.
type LoggedRow = (String, String, rusqlite::types::Value, Option<String>, Option<String>);

/// One change of the log, as `settle log` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub id: i64,
    /// When (UTC, ISO 8601).
    pub at: String,
    /// Where it came from: `cli`, `app`, …
    pub source: String,
    /// What it was (the command, or the action), possibly empty.
    pub what: String,
    /// What it touched: (table, inserted, updated, deleted).
    pub rows: Vec<(String, u32, u32, u32)>,
}

impl Change {
    /// "payments +1, invoices ~1, events +1".
    pub fn summary(&self) -> String {
        self.rows
            .iter()
            .map(|(t, i, u, d)| {
                let mut parts = Vec::new();
                if *i > 0 {
                    parts.push(format!("+{i}"));
                }
                if *u > 0 {
                    parts.push(format!("~{u}"));
                }
                if *d > 0 {
                    parts.push(format!("-{d}"));
                }
                format!("{t} {}", parts.join(" "))
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One row of a change: what it was before and after, as JSON objects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRow {
    pub table: String,
    pub op: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

fn change_rows_summary(conn: &Connection, id: i64) -> Result<Vec<(String, u32, u32, u32)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT tbl, SUM(op = 'insert'), SUM(op = 'update'), SUM(op = 'delete')
         FROM change_rows WHERE change_id = ?1 GROUP BY tbl ORDER BY MIN(seq)",
    )?;
    let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn change_from(conn: &Connection, row: (i64, String, String, String)) -> Result<Change> {
    let (id, at, source, what) = row;
    Ok(Change { id, at, source, what, rows: change_rows_summary(conn, id)? })
}

impl Store {
    /// The last `limit` changes, newest first.
    pub fn changes(&self, limit: u32) -> Result<Vec<Change>> {
        let heads: Vec<(i64, String, String, String)> = self
            .conn()
            .prepare_cached("SELECT id, at, source, what FROM changes ORDER BY id DESC LIMIT ?1")?
            .query_map([limit], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        heads.into_iter().map(|h| change_from(self.conn(), h)).collect()
    }

    /// The rows of one change, in the order they were written.
    pub fn change_rows(&self, id: i64) -> Result<Vec<ChangeRow>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT tbl, op, old_json, new_json FROM change_rows WHERE change_id = ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok(ChangeRow { table: r.get(0)?, op: r.get(1)?, old: r.get(2)?, new: r.get(3)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Reverts the last change of the log, in one transaction, and forgets it. `None` when
    /// there is nothing to undo. A row changed since outside the log (by hand, or by an
    /// older settle) is refused, changing nothing.
    pub fn undo(&self) -> Result<Option<Change>> {
        let tx = self.write_tx_as("undo")?;
        let head: Option<(i64, String, String, String)> = tx
            .prepare_cached("SELECT id, at, source, what FROM changes ORDER BY id DESC LIMIT 1")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()?;
        let Some(head) = head else { return Ok(None) };
        let change = change_from(&tx, head)?;
        tx.execute("INSERT OR IGNORE INTO undoing (one) VALUES (1)", [])?;
        unlock_events(&tx)?;
        let tables = logged_tables(&tx)?;
        // One row at a time, newest first: an import's change has millions.
        let mut stmt = tx.prepare_cached(
            "SELECT tbl, op, row_key, old_json, new_json FROM change_rows WHERE change_id = ?1 ORDER BY seq DESC",
        )?;
        let mut rows = stmt.query([change.id])?;
        while let Some(r) = rows.next()? {
            let (tbl, op, key, old, new): LoggedRow = (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
            let t = tables.iter().find(|t| t.name == tbl).ok_or_else(|| {
                StoreError::Invalid(format!("change #{}: the table '{tbl}' is not in the book", change.id))
            })?;
            revert_row(&tx, t, &op, &key, old.as_deref(), new.as_deref()).map_err(|e| match e {
                StoreError::Sqlite(e) => StoreError::Conflict(format!(
                    "change #{} cannot be undone ({tbl}: {}); nothing was changed",
                    change.id,
                    super::sqlite_message(&e)
                )),
                other => other,
            })?;
        }
        drop(rows);
        drop(stmt);
        delete_logged_rows(&tx, change.id, change.id, DELETE_BATCH)?;
        tx.execute("DELETE FROM changes WHERE id = ?1", [change.id])?;
        tx.execute("DELETE FROM undoing", [])?;
        tx.commit()?;
        Ok(Some(change))
    }
}

fn revert_row(
    conn: &Connection,
    t: &Logged,
    op: &str,
    key: &rusqlite::types::Value,
    old: Option<&str>,
    new: Option<&str>,
) -> Result<()> {
    let table = quote(&t.name);
    let key_expr = t.key_expr("");
    if op != "delete" {
        // The row must still hold what the change gave it (every field an insert wrote, the
        // fields an update changed): a field changed since outside the log stops the undo.
        // Each column is named through the row (`r.`): json_each has columns of its own (`id`).
        let cases: String = t
            .fields
            .iter()
            .map(|f| format!(" WHEN '{}' THEN r.{}", f.replace('\'', "''"), t.column(f)))
            .collect();
        let still: Option<bool> = conn
            .prepare_cached(&format!(
                "SELECT NOT EXISTS (SELECT 1 FROM json_each(?2) j WHERE j.value IS NOT (CASE j.key{cases} END))
                 FROM {table} AS r WHERE {key_expr} = ?1"
            ))?
            .query_row(params![key, new.unwrap_or("{}")], |r| r.get(0))
            .optional()?;
        if still != Some(true) {
            return Err(StoreError::Conflict(format!(
                "a row of {} changed since outside settle's log; nothing was undone",
                t.name
            )));
        }
    }
    match (op, old) {
        ("insert", _) => {
            if t.name == "invoices" {
                // Alerts already told about an invoice are not part of the book's history.
                conn.prepare_cached("DELETE FROM notified WHERE invoice_id = ?1")?.execute([key])?;
            }
            conn.prepare_cached(&format!("DELETE FROM {table} WHERE {key_expr} = ?1"))?.execute([key])?;
        }
        ("delete", Some(old)) => {
            conn.prepare_cached(&format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                t.columns_sql(),
                t.extract_sql("?1")
            ))?
            .execute([old])?;
        }
        ("update", Some(old)) => {
            let sets: Vec<String> = t
                .fields
                .iter()
                .filter(|f| f.as_str() != "rowid")
                .map(|f| {
                    let path = Logged::path(f);
                    // A field the update did not change is not in `old` and stays as it is.
                    format!("{0} = CASE WHEN json_type(?1, {path}) IS NULL THEN {0} ELSE json_extract(?1, {path}) END", quote(f))
                })
                .collect();
            conn.prepare_cached(&format!("UPDATE {table} SET {} WHERE {key_expr} = ?2", sets.join(", ")))?
                .execute(params![old, key])?;
        }
        _ => {
            return Err(StoreError::Invalid(format!("the change log holds an unreadable row of {}", t.name)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
