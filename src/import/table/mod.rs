//! Tabular input: a CSV file (delimiter `,` `;` or tab, detected from the header line) or a
//! JSON array of flat objects (settle's own JSON export), read into headers and rows; then
//! the columns an importer needs, found by their names in English, Dutch or French, or
//! named by the user with `--map FIELD=COLUMN`.

use std::io::Read;
use std::sync::Arc;

use super::{At, Need, Problem, normalize_name};
use crate::domain::text::from_spreadsheet_cell;
use crate::platform::files::MAX_INPUT_BYTES;

/// A field an importer reads, and the header names that mean it (already normalised).
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub required: bool,
    /// Several columns may feed it; their values are joined with a space.
    pub many: bool,
}

/// The longest cell read, in characters. The longest real field (a description, a bank
/// communication) is a few hundred; a longer one is a missing quote swallowing the file, or
/// not a table at all, and is refused with its line instead of failing in the database.
pub const MAX_FIELD_CHARS: usize = 10_000;

/// A problem for each cell of a row longer than [`MAX_FIELD_CHARS`] (named by its header
/// when the header is known).
fn overlong(file: &Arc<str>, at: At, cells: &[String], headers: Option<&[String]>) -> Vec<Problem> {
    cells
        .iter()
        .enumerate()
        // Bytes first: a cell of fewer bytes cannot have more characters.
        .filter(|(_, c)| c.len() > MAX_FIELD_CHARS && c.chars().count() > MAX_FIELD_CHARS)
        .map(|(i, c)| {
            let p = Problem::new(
                file,
                at,
                format!(
                    "a field of {} characters, more than the {MAX_FIELD_CHARS} settle reads \
                     (a missing closing quote?)",
                    c.chars().count()
                ),
            );
            match headers.and_then(|h| h.get(i)) {
                Some(h) => p.field(h.clone()),
                None => p.field(format!("column {}", i + 1)),
            }
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    pub at: At,
    pub cells: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub file: Arc<str>,
    pub header_at: At,
    pub headers: Vec<String>,
    pub rows: Vec<TableRow>,
}

/// Reads CSV or JSON bytes. Rows whose cells are all empty are skipped; a row with a
/// different number of fields than the header is a problem (and so is bad UTF-8).
pub fn read(file: &Arc<str>, bytes: &[u8], specs: &[FieldSpec]) -> Result<Table, Vec<Problem>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let line = 1 + bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() as u64;
            return Err(vec![Problem::new(
                file,
                At::Line(line),
                "the file is not UTF-8 text: save it as UTF-8 (CSV UTF-8 in a spreadsheet) and import again",
            )]);
        }
    };
    if text.trim().is_empty() {
        return Err(vec![Problem::new(file, At::File, "the file is empty")]);
    }
    if text.trim_start().starts_with('[') {
        return read_json(file, text);
    }
    read_csv(file, text, detect_delimiter(text, specs))
}

/// The delimiter that splits the header line into the most recognised column names (then
/// the most columns); a comma when nothing splits it.
pub fn detect_delimiter(text: &str, specs: &[FieldSpec]) -> u8 {
    let header = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut best = (b',', 0usize, 0usize);
    for delimiter in [b',', b';', b'\t'] {
        let fields = split_line(header, delimiter);
        let known = fields.iter().filter(|f| spec_for(specs, f).is_some()).count();
        if fields.len() > 1 && (known, fields.len()) > (best.1, best.2) {
            best = (delimiter, known, fields.len());
        }
    }
    best.0
}

fn split_line(line: &str, delimiter: u8) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(line.as_bytes());
    match reader.records().next() {
        Some(Ok(record)) => record.iter().map(str::to_string).collect(),
        _ => Vec::new(),
    }
}

/// The most bytes one record of a CSV file may take before it is refused unread: far more
/// than any row of [`MAX_FIELD_CHARS`]-character fields, and a bound on what a missing quote
/// that swallows the rest of a file makes settle hold.
pub const MAX_RECORD_BYTES: u64 = 4 * 1024 * 1024;

/// Input as it is read: the bytes counted (at most [`MAX_INPUT_BYTES`]) and digested (a file
/// changed between two reads is seen), its line ends kept until the rows before them are
/// numbered, and the record being read bounded by [`MAX_RECORD_BYTES`].
pub struct Tracked<R> {
    inner: R,
    read: u64,
    /// The line ends (`\r` or `\n`) not yet counted, with their byte offsets.
    ends: std::collections::VecDeque<(u64, u8)>,
    /// The line of the byte where counting stopped.
    line: u64,
    digest: std::collections::hash_map::DefaultHasher,
    /// Where the record being read started.
    record_start: u64,
    /// The record being read grew past [`MAX_RECORD_BYTES`], or the input past
    /// [`MAX_INPUT_BYTES`].
    too_long: Option<&'static str>,
}

impl<R: Read> Tracked<R> {
    pub fn new(inner: R) -> Tracked<R> {
        Tracked {
            inner,
            read: 0,
            ends: std::collections::VecDeque::new(),
            line: 1,
            digest: std::collections::hash_map::DefaultHasher::new(),
            record_start: 0,
            too_long: None,
        }
    }

    /// The line of the first character at or after `byte` that is not a line end (the csv
    /// crate's own line numbers are off after blank lines and with CRLF line ends). Asked
    /// for bytes in order.
    fn line_of(&mut self, byte: u64) -> At {
        while let Some(&(at, b)) = self.ends.front() {
            if at >= byte {
                break;
            }
            self.line += u64::from(b == b'\n');
            self.ends.pop_front();
        }
        let mut next = byte;
        while let Some(&(at, b)) = self.ends.front() {
            if at != next {
                break;
            }
            self.line += u64::from(b == b'\n');
            self.ends.pop_front();
            next += 1;
        }
        At::Line(self.line)
    }

    /// How many bytes were read, and their digest.
    pub fn digest(&self) -> (u64, u64) {
        (self.read, std::hash::Hasher::finish(&self.digest))
    }
}

impl<R: Read> Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.read.saturating_sub(self.record_start) > MAX_RECORD_BYTES {
            self.too_long = Some("record");
            return Err(std::io::Error::other("a record too long"));
        }
        let n = self.inner.read(buf)?;
        let got = &buf[..n];
        for (i, b) in got.iter().enumerate() {
            if matches!(b, b'\r' | b'\n') {
                self.ends.push_back((self.read + i as u64, *b));
            }
        }
        std::hash::Hasher::write(&mut self.digest, got);
        self.read += n as u64;
        if self.read > MAX_INPUT_BYTES {
            self.too_long = Some("file");
            return Err(std::io::Error::other("the file is too large"));
        }
        Ok(n)
    }
}

/// The rows of a CSV file as they are read: the header first, then each row that is not
/// empty, checked (UTF-8, [`MAX_FIELD_CHARS`], as many fields as the header), with its line.
/// What is wrong is kept in [`CsvRows::problems`], and reading goes on where it can.
pub struct CsvRows<R: Read> {
    file: Arc<str>,
    reader: csv::Reader<Tracked<R>>,
    record: csv::ByteRecord,
    delimiter: u8,
    header: Option<(At, Vec<String>)>,
    problems: Vec<Problem>,
    /// Nothing more can be read.
    stopped: bool,
    /// Reading stopped on a problem.
    broken: bool,
    /// The file is not text: that problem alone stands (nothing else was checked).
    not_text: bool,
}

impl<R: Read> CsvRows<R> {
    pub fn new(file: &Arc<str>, input: R, delimiter: u8) -> CsvRows<R> {
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(Tracked::new(input));
        CsvRows {
            file: file.clone(),
            reader,
            record: csv::ByteRecord::new(),
            delimiter,
            header: None,
            problems: Vec::new(),
            stopped: false,
            broken: false,
            not_text: false,
        }
    }

    /// The header line and its line number, read first; `None` when the file has none (or
    /// could not be read as far).
    pub fn header(&mut self) -> Option<&(At, Vec<String>)> {
        while self.header.is_none() && !self.stopped {
            if let Some(row) = self.next_cells() {
                // The first row that is read is the header.
                self.header = Some((row.at, row.cells));
            }
        }
        self.header.as_ref()
    }

    /// The next row after the header, or `None` at the end.
    pub fn next_row(&mut self) -> Option<TableRow> {
        self.header()?;
        while !self.stopped {
            let Some(row) = self.next_cells() else { continue };
            match &self.header {
                Some((_, h)) if h.len() != row.cells.len() => self.problems.push(Problem::new(
                    &self.file,
                    row.at,
                    format!(
                        "{} fields, but the header has {} (a stray {:?} or a missing quote?)",
                        row.cells.len(),
                        h.len(),
                        self.delimiter as char
                    ),
                )),
                _ => return Some(row),
            }
        }
        None
    }

    /// Everything wrong found so far. When the file is not text ([`CsvRows::not_text`]),
    /// that one problem.
    pub fn problems(&mut self) -> Vec<Problem> {
        std::mem::take(&mut self.problems)
    }

    /// Whether the file turned out not to be UTF-8 text: its problem stands alone, as when
    /// the whole file is checked before it is read.
    pub fn not_text(&self) -> bool {
        self.not_text
    }

    /// Whether reading stopped before the end (a problem says why).
    pub fn broken(&self) -> bool {
        self.broken
    }

    /// How many bytes were read and their digest.
    pub fn digest(&self) -> (u64, u64) {
        self.reader.get_ref().digest()
    }

    /// The next record that is not empty, its cells checked; `None` (and `stopped` at the end
    /// or on a problem that stops reading) when there is none or it has a problem.
    fn next_cells(&mut self) -> Option<TableRow> {
        let start = self.reader.position().byte();
        self.reader.get_mut().record_start = start;
        match self.reader.read_byte_record(&mut self.record) {
            Ok(true) => {}
            Ok(false) => {
                self.stopped = true;
                return None;
            }
            Err(e) => {
                self.stopped = true;
                self.broken = true;
                let tracked = self.reader.get_mut();
                let at = tracked.line_of(start);
                let message = match tracked.too_long {
                    Some("record") => format!(
                        "a row of more than {} MiB, far more than its fields may hold (a missing closing quote?)",
                        MAX_RECORD_BYTES / 1024 / 1024
                    ),
                    Some(_) => format!(
                        "larger than {} MiB, the most settle reads at once; split it into smaller files",
                        MAX_INPUT_BYTES / 1024 / 1024
                    ),
                    None => format!("unreadable CSV: {e}"),
                };
                self.problems.push(Problem::new(&self.file, at, message));
                return None;
            }
        }
        let at = self.record.position().map_or(At::File, |p| self.reader.get_mut().line_of(p.byte()));
        let mut cells = Vec::with_capacity(self.record.len());
        let mut newlines = 0;
        for field in self.record.iter() {
            match std::str::from_utf8(field) {
                // A text cell settle quoted against spreadsheet formulas comes back as it was.
                Ok(text) => cells.push(from_spreadsheet_cell(text).to_string()),
                Err(e) => {
                    let before = field[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() as u64;
                    let line = match at {
                        At::Line(n) => At::Line(n + newlines + before),
                        other => other,
                    };
                    self.problems = vec![Problem::new(
                        &self.file,
                        line,
                        "the file is not UTF-8 text: save it as UTF-8 (CSV UTF-8 in a spreadsheet) and import again",
                    )];
                    self.stopped = true;
                    self.broken = true;
                    self.not_text = true;
                    return None;
                }
            }
            newlines += field.iter().filter(|b| **b == b'\n').count() as u64;
        }
        if cells.iter().all(|c| c.is_empty()) {
            return None;
        }
        let too_long = overlong(&self.file, at, &cells, self.header.as_ref().map(|(_, h)| h.as_slice()));
        if !too_long.is_empty() {
            self.problems.extend(too_long);
            if self.header.is_none() {
                // Without a header nothing else can be checked.
                self.stopped = true;
                self.broken = true;
            }
            return None;
        }
        Some(TableRow { at, cells })
    }
}

fn read_csv(file: &Arc<str>, text: &str, delimiter: u8) -> Result<Table, Vec<Problem>> {
    let mut reader = CsvRows::new(file, text.as_bytes(), delimiter);
    let mut rows = Vec::new();
    while let Some(row) = reader.next_row() {
        rows.push(row);
    }
    let problems = reader.problems();
    let Some((header_at, headers)) = reader.header.take() else {
        if reader.broken {
            return Err(problems);
        }
        return Err(vec![Problem::new(file, At::File, "the file has no header line")]);
    };
    if problems.is_empty() {
        Ok(Table { file: file.clone(), header_at, headers, rows })
    } else {
        Err(problems)
    }
}

fn read_json(file: &Arc<str>, text: &str) -> Result<Table, Vec<Problem>> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| vec![Problem::new(file, At::Line(e.line() as u64), format!("not valid JSON: {e}"))])?;
    let Some(items) = value.as_array() else {
        return Err(vec![Problem::new(file, At::File, "expected a JSON array of objects")]);
    };
    let mut headers: Vec<String> = Vec::new();
    let mut problems = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match item.as_object() {
            Some(obj) => {
                for key in obj.keys() {
                    if !headers.contains(key) {
                        headers.push(key.clone());
                    }
                }
            }
            None => problems.push(Problem::new(file, At::Record(i as u64 + 1), "expected an object")),
        }
    }
    let mut rows = Vec::new();
    for (i, obj) in items.iter().enumerate().filter_map(|(i, v)| v.as_object().map(|o| (i, o))) {
        let at = At::Record(i as u64 + 1);
        let mut cells = Vec::with_capacity(headers.len());
        for h in &headers {
            cells.push(match obj.get(h) {
                None | Some(serde_json::Value::Null) => String::new(),
                Some(serde_json::Value::String(s)) => s.trim().to_string(),
                Some(v @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_))) => v.to_string(),
                Some(_) => {
                    problems.push(Problem::new(file, at, "expected a text, number or null").field(h.clone()));
                    String::new()
                }
            });
        }
        problems.extend(overlong(file, at, &cells, Some(&headers)));
        rows.push(TableRow { at, cells });
    }
    if problems.is_empty() {
        Ok(Table { file: file.clone(), header_at: At::File, headers, rows })
    } else {
        Err(problems)
    }
}

fn spec_for(specs: &[FieldSpec], header: &str) -> Option<usize> {
    let n = normalize_name(header);
    specs.iter().position(|s| s.aliases.contains(&n.as_str()))
}

/// Which columns feed which field (by the index of its spec).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    pub by_field: Vec<Vec<usize>>,
    /// Header names of the columns no field reads.
    pub ignored: Vec<String>,
}

impl Columns {
    /// The trimmed value of a field in a row; empty when the file has no such column.
    pub fn get<'r>(&self, field: usize, row: &'r TableRow) -> std::borrow::Cow<'r, str> {
        let cols = self.by_field.get(field).map(Vec::as_slice).unwrap_or_default();
        match cols {
            [] => "".into(),
            [one] => row.cells.get(*one).map_or("", |s| s.as_str()).into(),
            many => many
                .iter()
                .filter_map(|c| row.cells.get(*c).map(|s| s.as_str()))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
                .into(),
        }
    }

    pub fn has(&self, field: usize) -> bool {
        self.by_field.get(field).is_some_and(|c| !c.is_empty())
    }

    /// The header the field was read from, for messages.
    pub fn header<'t>(&self, field: usize, table: &'t Table, specs: &[FieldSpec]) -> &'t str {
        match self.by_field.get(field).and_then(|c| c.first()) {
            Some(c) => table.headers.get(*c).map_or("", |s| s.as_str()),
            None => specs.get(field).map_or("", |s| s.name),
        }
    }
}

/// Finds the column of every field: `--map FIELD=COLUMN` first (COLUMN is a header name or
/// a 1-based column number), then the known header names. All problems at once.
pub fn resolve(table: &Table, specs: &[FieldSpec], map: &[String]) -> Result<Columns, Vec<Problem>> {
    let file = &table.file;
    let mut problems = Vec::new();
    let mut by_field: Vec<Vec<usize>> = vec![Vec::new(); specs.len()];
    let mut taken = vec![false; table.headers.len()];
    let names: Vec<&str> = specs.iter().map(|s| s.name).collect();
    for m in map {
        let Some((field, column)) = m.split_once('=') else {
            problems.push(
                Problem::new(
                    file,
                    At::File,
                    format!("the column choice '{m}': write FIELD=COLUMN, e.g. amount=Totaal"),
                )
                .need(Need::ColumnChoice),
            );
            continue;
        };
        let nf = normalize_name(field);
        let Some(f) = specs.iter().position(|s| s.name == nf || s.aliases.contains(&nf.as_str())) else {
            problems.push(
                Problem::new(
                    file,
                    At::File,
                    format!(
                        "the column choice '{m}': unknown field '{}' (fields: {})",
                        field.trim(),
                        names.join(", ")
                    ),
                )
                .need(Need::ColumnChoice),
            );
            continue;
        };
        let col = table
            .headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(column.trim()))
            .or_else(|| table.headers.iter().position(|h| normalize_name(h) == normalize_name(column)))
            .or_else(|| {
                column
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=table.headers.len()).contains(n))
                    .map(|n| n - 1)
            });
        match col {
            Some(c) => {
                // A field fed by several columns takes each --map of it; another, the last.
                if specs[f].many && !by_field[f].is_empty() {
                    by_field[f].push(c);
                } else {
                    by_field[f] = vec![c];
                }
                taken[c] = true;
            }
            None => problems.push(
                Problem::new(
                    file,
                    At::File,
                    format!(
                        "the column choice '{m}': the file has no column '{}' (its columns: {})",
                        column.trim(),
                        table.headers.join(", ")
                    ),
                )
                .need(Need::ColumnChoice),
            ),
        }
    }
    let mapped: Vec<bool> = by_field.iter().map(|c| !c.is_empty()).collect();
    let mut ignored = Vec::new();
    for (c, h) in table.headers.iter().enumerate() {
        if taken[c] {
            continue;
        }
        match spec_for(specs, h) {
            Some(f) if mapped[f] => ignored.push(h.clone()),
            Some(f) if by_field[f].is_empty() || specs[f].many => by_field[f].push(c),
            Some(f) => problems.push(
                Problem::new(
                    file,
                    table.header_at,
                    format!(
                        "both '{}' and '{h}' look like the {} column",
                        table.headers[by_field[f][0]], specs[f].name
                    ),
                )
                .field(h.clone())
                .need(Need::OneColumn(specs[f].name)),
            ),
            None => ignored.push(h.clone()),
        }
    }
    for (f, spec) in specs.iter().enumerate() {
        if spec.required && by_field[f].is_empty() {
            let mut msg = format!(
                "no {} column (looked for: {})",
                spec.name,
                spec.aliases.iter().take(6).copied().collect::<Vec<_>>().join(", "),
            );
            if table.headers.len() == 1 {
                msg.push_str(&format!(
                    " — the header is one column '{}': separate columns with a comma, a semicolon or a tab",
                    table.headers[0]
                ));
            }
            problems.push(Problem::new(file, table.header_at, msg).need(Need::Column(spec.name)));
        }
    }
    if problems.is_empty() { Ok(Columns { by_field, ignored }) } else { Err(problems) }
}

#[cfg(test)]
mod tests;
