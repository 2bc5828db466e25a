//! A bank statement file as the bank gives it, its format found from its content (never its
//! name): a ZIP archive of statements, CAMT.053 (XML), CODA, MT940, or else a CSV export
//! (read by a saved or shipped profile when its headers match one, or by `--map`).

use std::io::{Read, Seek, SeekFrom};
use std::sync::Arc;

use chrono::NaiveDate;

use super::apply::Fail;
use super::model::{BankLine, StatementFormat, number_lines};
use super::payments::LineSource;
use super::profiles::Profiles;
use super::{At, ImportError, Need, Problem, bank, camt, coda, mt940, table};
use crate::platform::files::MAX_INPUT_BYTES;

/// The most statements read from one archive (a year of daily statements is 366).
pub const MAX_ARCHIVE_FILES: usize = 2000;

/// How to read a CSV statement.
#[derive(Debug, Clone, Default)]
pub struct CsvChoice<'a> {
    /// `--map FIELD=COLUMN`, applied after the profile's.
    pub map: &'a [String],
    /// `--profile NAME`.
    pub profile: Option<&'a str>,
}

/// What a statement file held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The formats read (an archive may mix them).
    pub formats: Vec<StatementFormat>,
    pub lines: Vec<BankLine>,
    pub ignored_columns: Vec<String>,
    /// The CSV profile that read it, if one did.
    pub profile: Option<String>,
    /// The headers of a CSV file (for saving a profile).
    pub headers: Vec<String>,
}

fn refuse(file: &Arc<str>, message: impl Into<String>) -> ImportError {
    ImportError::new(vec![Problem::new(file, At::File, message)])
}

/// The format of one file's bytes (an archive is not one).
pub fn detect(bytes: &[u8]) -> StatementFormat {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    if camt::looks_like(&head) || head.trim_start_matches('\u{feff}').trim_start().starts_with('<') {
        StatementFormat::Camt053
    } else if coda::looks_like(&head) {
        StatementFormat::Coda
    } else if mt940::looks_like(&head) {
        StatementFormat::Mt940
    } else {
        StatementFormat::Csv
    }
}

fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// Reads a statement file whole: every line, or every problem (nothing is read from a file
/// with one). Lines booked after `today` are refused.
pub fn read(
    name: &str,
    bytes: &[u8],
    csv: &CsvChoice<'_>,
    profiles: &Profiles,
    today: NaiveDate,
) -> Result<Statement, ImportError> {
    let mut opened = open(name, std::io::Cursor::new(bytes), csv, profiles, today)?;
    opened.hold()?;
    Ok(opened.statement)
}

/// How much of a file's start its format and a CSV file's delimiter are found from.
const HEAD_BYTES: u64 = 64 * 1024;

/// A statement file opened to import: a CSV statement is checked whole and then read again
/// from the file each time its lines are gone through ([`CsvLines`]); any other is read
/// whole into `statement.lines` (a ZIP archive, CAMT.053, CODA and MT940 statements are
/// small, and so is settle's own JSON export).
pub struct Opened<R> {
    /// What the file is; its lines unless they are read from `csv`.
    pub statement: Statement,
    pub csv: Option<CsvLines<R>>,
}

impl<R: Read + Seek> Opened<R> {
    /// Reads the lines of a CSV statement into `statement.lines` (as the app holds them).
    pub fn hold(&mut self) -> Result<(), ImportError> {
        let Some(mut csv) = self.csv.take() else { return Ok(()) };
        let mut lines = Vec::with_capacity(csv.count);
        csv.scan(&mut |_, line| {
            lines.push(line.clone());
            Ok(true)
        })
        .map_err(|e| match e {
            Fail::Problem(p) => ImportError::new(vec![p]),
            Fail::Store(e) => ImportError::new(vec![Problem::new(&csv.file, At::File, e.to_string())]),
        })?;
        self.statement.lines = lines;
        Ok(())
    }
}

impl<R: Read + Seek> LineSource for Opened<R> {
    fn count(&self) -> usize {
        self.csv.as_ref().map_or(self.statement.lines.len(), |csv| csv.count)
    }

    fn scan(&mut self, each: &mut dyn FnMut(usize, &BankLine) -> Result<bool, Fail>) -> Result<(), Fail> {
        match &mut self.csv {
            Some(csv) => csv.scan(each),
            None => (&mut self.statement.lines.as_slice()).scan(each),
        }
    }

    fn scan_at(
        &mut self,
        places: &[usize],
        each: &mut dyn FnMut(usize, &BankLine) -> Result<(), Fail>,
    ) -> Result<(), Fail> {
        match &mut self.csv {
            Some(csv) => csv.scan_at(places, each),
            None => (&mut self.statement.lines.as_slice()).scan_at(places, each),
        }
    }
}

/// Opens a statement file: its format found from its content, a CSV statement checked
/// whole (every problem of every line, as [`read`] finds them) without holding its lines.
pub fn open<R: Read + Seek>(
    name: &str,
    mut input: R,
    csv: &CsvChoice<'_>,
    profiles: &Profiles,
    today: NaiveDate,
) -> Result<Opened<R>, ImportError> {
    let file: Arc<str> = Arc::from(name);
    let cannot = |e: std::io::Error| refuse(&file, format!("cannot read it: {e}"));
    let mut head = Vec::new();
    (&mut input).take(HEAD_BYTES).read_to_end(&mut head).map_err(cannot)?;
    let whole_head = (head.len() as u64) < HEAD_BYTES;
    let text = String::from_utf8_lossy(head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head)).into_owned();
    // Held whole: an archive, a statement in any other format, settle's own JSON export, and
    // an empty file (said so as when read whole).
    let whole = is_zip(&head)
        || detect(&head) != StatementFormat::Csv
        || text.trim_start().starts_with('[')
        || (whole_head && text.trim().is_empty());
    if whole {
        let mut bytes = head;
        (&mut input).take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes).map_err(cannot)?;
        if bytes.len() as u64 > MAX_INPUT_BYTES {
            return Err(refuse(
                &file,
                format!("larger than {} MiB, the most settle reads at once", MAX_INPUT_BYTES / 1024 / 1024),
            ));
        }
        let statement = read_whole(&file, &bytes, csv, profiles, today)?;
        return Ok(Opened { statement, csv: None });
    }
    let delimiter = table::detect_delimiter(&text, bank::SPECS);
    drop(text);
    let mut rows = table::CsvRows::new(&file, past_bom(&mut input).map_err(cannot)?, delimiter);
    let Some((header_at, headers)) = rows.header().cloned() else {
        if rows.broken() {
            return Err(ImportError::new(rows.problems()));
        }
        return Err(refuse(&file, "the file has no header line"));
    };
    let header = table::Table { file: file.clone(), header_at, headers, rows: Vec::new() };
    let columns = columns(&header, csv, profiles, today);
    let mut problems = Vec::new();
    let mut repeats = bank::Repeats::default();
    let mut count = 0;
    while let Some(row) = rows.next_row() {
        if let Ok((reading, _)) = &columns {
            match reading.line(&row) {
                Ok(line) => {
                    repeats.see(&line);
                    count += 1;
                }
                Err(mut p) => problems.append(&mut p),
            }
        }
    }
    // What is wrong with the file as a table comes first, then its columns, then its lines.
    let table_problems = rows.problems();
    if !table_problems.is_empty() {
        return Err(ImportError::new(table_problems));
    }
    let digest = rows.digest();
    drop(rows);
    let (reading, profile) = columns?;
    if !problems.is_empty() {
        return Err(ImportError::new(problems));
    }
    repeats.done();
    let statement = Statement {
        formats: vec![StatementFormat::Csv],
        lines: Vec::new(),
        ignored_columns: reading.cols.ignored.clone(),
        profile,
        headers: header.headers,
    };
    let lines = CsvLines { input, file, delimiter, reading, repeats, count, digest };
    Ok(Opened { statement, csv: Some(lines) })
}

/// The input from its start, past a UTF-8 byte order mark if it has one.
fn past_bom<R: Read + Seek>(input: &mut R) -> std::io::Result<&mut R> {
    input.seek(SeekFrom::Start(0))?;
    let mut bom = [0u8; 3];
    let mut got = 0;
    while got < 3 {
        match input.read(&mut bom[got..])? {
            0 => break,
            n => got += n,
        }
    }
    if got < 3 || bom != *b"\xEF\xBB\xBF" {
        input.seek(SeekFrom::Start(0))?;
    }
    Ok(input)
}

/// The lines of a CSV statement read from its file each time they are gone through, all
/// checked when it was opened: each pass holds one line at a time, and numbers identical
/// lines as [`read`] does with a count kept only for the lines that repeat.
pub struct CsvLines<R> {
    input: R,
    file: Arc<str>,
    delimiter: u8,
    reading: bank::Reading,
    repeats: bank::Repeats,
    /// How many lines it has.
    count: usize,
    /// How many bytes it has, and their digest, as first read.
    digest: (u64, u64),
}

impl<R: Read + Seek> LineSource for CsvLines<R> {
    fn count(&self) -> usize {
        self.count
    }

    fn scan(&mut self, each: &mut dyn FnMut(usize, &BankLine) -> Result<bool, Fail>) -> Result<(), Fail> {
        let CsvLines { input, file, delimiter, reading, repeats, count, digest } = self;
        let changed = || {
            Fail::Problem(Problem::new(
                file,
                At::File,
                "the file changed while it was imported: import it again once it is complete",
            ))
        };
        let input = past_bom(input)
            .map_err(|e| Fail::Problem(Problem::new(file, At::File, format!("cannot read it again: {e}"))))?;
        let mut rows = table::CsvRows::new(file, input, *delimiter);
        if rows.header().is_none() {
            return Err(changed());
        }
        let mut numbering = bank::Numbering::repeats_only(repeats);
        let mut i = 0;
        while let Some(row) = rows.next_row() {
            let Ok(mut line) = reading.line(&row) else { return Err(changed()) };
            numbering.number(&mut line);
            if !each(i, &line)? {
                return Ok(());
            }
            i += 1;
        }
        if !rows.problems().is_empty() || i != *count || rows.digest() != *digest {
            return Err(changed());
        }
        Ok(())
    }
}

/// The columns of a CSV statement from its header: by the profile named, else the one whose
/// headers it has (unless columns are chosen), then the columns chosen; and the profile.
fn columns(
    header: &table::Table,
    csv: &CsvChoice<'_>,
    profiles: &Profiles,
    today: NaiveDate,
) -> Result<(bank::Reading, Option<String>), ImportError> {
    let file = &header.file;
    let profile = match csv.profile {
        Some(n) => Some(profiles.find(n).ok_or_else(|| {
            ImportError::new(vec![
                Problem::new(
                    file,
                    At::File,
                    format!("no profile named '{n}' (profiles: {})", profiles.names().join(", ")),
                )
                .need(Need::Profile),
            ])
        })?),
        None if csv.map.is_empty() => profiles.detect(&header.headers),
        None => None,
    };
    // A profile's choice of a column this export does not have (an older layout) is left
    // out; the user's own --map stays strict.
    let has = |column: &str| {
        let n = super::normalize_name(column);
        header
            .headers
            .iter()
            .any(|h| h.trim().eq_ignore_ascii_case(column.trim()) || super::normalize_name(h) == n)
    };
    let mut map: Vec<String> = profile
        .as_ref()
        .map(|p| p.map.iter().filter(|m| m.split_once('=').is_some_and(|(_, c)| has(c))).cloned().collect())
        .unwrap_or_default();
    map.extend(csv.map.iter().cloned());
    let reading = bank::Reading::new(header, &map, today)?;
    Ok((reading, profile.map(|p| p.name)))
}

/// Reads a statement file held whole (every format; a CSV statement as a table first).
fn read_whole(
    file: &Arc<str>,
    bytes: &[u8],
    csv: &CsvChoice<'_>,
    profiles: &Profiles,
    today: NaiveDate,
) -> Result<Statement, ImportError> {
    let name: &str = file;
    let file = file.clone();
    let mut st = Statement {
        formats: Vec::new(),
        lines: Vec::new(),
        ignored_columns: Vec::new(),
        profile: None,
        headers: Vec::new(),
    };
    if is_zip(bytes) {
        let mut problems = Vec::new();
        for (inner, data) in unzip(&file, bytes)? {
            let label: Arc<str> = Arc::from(format!("{name}:{inner}"));
            let format = detect(&data);
            if format == StatementFormat::Csv {
                problems.push(Problem::new(&label, At::File, "not a CAMT.053, CODA or MT940 statement"));
                continue;
            }
            match one(&label, &data, format, today) {
                Ok(mut ls) => {
                    if !st.formats.contains(&format) {
                        st.formats.push(format);
                    }
                    st.lines.append(&mut ls);
                }
                Err(mut p) => problems.append(&mut p),
            }
        }
        if !problems.is_empty() {
            return Err(ImportError::new(problems));
        }
        if st.formats.is_empty() {
            return Err(refuse(&file, "the archive holds no statement"));
        }
    } else {
        let format = detect(bytes);
        st.formats.push(format);
        if format == StatementFormat::Csv {
            let mut table = table::read(&file, bytes, bank::SPECS).map_err(ImportError::new)?;
            let rows = std::mem::take(&mut table.rows);
            let (reading, profile) = columns(&table, csv, profiles, today)?;
            table.rows = rows;
            st.lines = reading.lines(&table.rows)?;
            st.ignored_columns = reading.cols.ignored;
            st.profile = profile;
            st.headers = table.headers;
            return Ok(st);
        }
        if !csv.map.is_empty() || csv.profile.is_some() {
            return Err(ImportError::new(vec![
                Problem::new(
                    &file,
                    At::File,
                    format!(
                        "column choices and profiles are for CSV files; this is a {} statement, read as it is",
                        format.label()
                    ),
                )
                .need(Need::NoColumnChoices),
            ]));
        }
        st.lines = one(&file, bytes, format, today).map_err(ImportError::new)?;
    }
    number_lines(&mut st.lines);
    Ok(st)
}

fn one(
    file: &Arc<str>,
    bytes: &[u8],
    format: StatementFormat,
    today: NaiveDate,
) -> Result<Vec<BankLine>, Vec<Problem>> {
    match format {
        StatementFormat::Camt053 => {
            let text =
                std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).map_err(|e| {
                    let line = 1 + bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() as u64;
                    vec![Problem::new(
                        file,
                        At::Line(line),
                        "not UTF-8 text, as a CAMT.053 statement must be",
                    )]
                })?;
            camt::parse(file, text, today)
        }
        StatementFormat::Coda => coda::parse(file, bytes, today).map(coda::detail_globals),
        StatementFormat::Mt940 => mt940::parse(file, bytes, today),
        StatementFormat::Csv => Err(vec![Problem::new(file, At::File, "not a statement")]),
    }
}

/// The files of a ZIP archive, by name, within [`MAX_ARCHIVE_FILES`] and, all together,
/// [`MAX_INPUT_BYTES`] unpacked (an archive that unpacks to more is refused, not read).
fn unzip(file: &Arc<str>, bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, ImportError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| refuse(file, format!("not a readable ZIP archive: {e}")))?;
    if archive.len() > MAX_ARCHIVE_FILES {
        return Err(refuse(
            file,
            format!("the archive holds {} files; settle reads at most {MAX_ARCHIVE_FILES}", archive.len()),
        ));
    }
    let mut out = Vec::new();
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| refuse(file, format!("a damaged archive: {e}")))?;
        let name = entry.name().to_string();
        if entry.is_dir()
            || name.starts_with("__MACOSX/")
            || name.rsplit('/').next().is_some_and(|n| n.starts_with('.'))
        {
            continue;
        }
        let mut data = Vec::new();
        let left = MAX_INPUT_BYTES.saturating_sub(total);
        (&mut entry)
            .take(left + 1)
            .read_to_end(&mut data)
            .map_err(|e| refuse(file, format!("{name}: cannot unpack it: {e}")))?;
        total += data.len() as u64;
        if total > MAX_INPUT_BYTES {
            return Err(refuse(
                file,
                format!(
                    "the archive unpacks to more than {} MiB, the most settle reads",
                    MAX_INPUT_BYTES / 1024 / 1024
                ),
            ));
        }
        out.push((name, data));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
    }

    #[test]
    fn formats_are_found_from_the_content() {
        assert_eq!(
            detect(
                b"<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">"
            ),
            StatementFormat::Camt053
        );
        assert_eq!(
            detect(format!("0000020112672505{}\n", " ".repeat(112)).as_bytes()),
            StatementFormat::Coda
        );
        assert_eq!(detect(b"{1:F01ABNANL2AXXXX0000000000}{2:O940}{4:\r\n:20:X\r\n"), StatementFormat::Mt940);
        assert_eq!(detect(b"ABNANL2A\n940\nABNANL2A\n:20:ABN AMRO BANK NV\n"), StatementFormat::Mt940);
        assert_eq!(detect(b"date;amount;communication\n"), StatementFormat::Csv);
        let e = read("a.zip", b"PK\x03\x04garbage", &CsvChoice::default(), &Profiles::default(), today())
            .unwrap_err();
        assert!(e.to_string().contains("a.zip: not a readable ZIP archive"), "{e}");
    }

    #[test]
    fn a_shipped_profile_reads_an_export_without_its_optional_columns() {
        // A Rabobank export of an older layout, without "Betalingskenmerk" and "Omschrijving-3".
        let csv = "\"IBAN/BBAN\",\"Munt\",\"BIC\",\"Volgnr\",\"Datum\",\"Rentedatum\",\"Bedrag\",\"Saldo na trn\",\"Tegenrekening IBAN/BBAN\",\"Naam tegenpartij\",\"Omschrijving-1\",\"Omschrijving-2\"\n\
                   \"NL02RABO0123456789\",\"EUR\",\"RABONL2U\",\"000000000000007001\",\"2026-11-20\",\"2026-11-20\",\"+1500,00\",\"+6500,00\",\"GB29NWBK60161331926819\",\"Harbour Lights Ltd\",\"Invoice\",\"INV-0001\"\n";
        let st = read("r.csv", csv.as_bytes(), &CsvChoice::default(), &Profiles::default(), today()).unwrap();
        assert_eq!(st.profile.as_deref(), Some("rabobank"));
        let l = &st.lines[0];
        assert_eq!(
            (l.account.as_str(), l.communication.as_str()),
            ("NL02RABO0123456789", "Invoice INV-0001")
        );
        assert_eq!(l.counterparty_iban.as_deref(), Some("GB29NWBK60161331926819"));
        assert_eq!(l.amount, rust_decimal::Decimal::new(150000, 2));
    }

    #[test]
    fn ing_netherlands_says_the_direction_in_a_column_of_its_own() {
        let csv = "\"Datum\";\"Naam / Omschrijving\";\"Rekening\";\"Tegenrekening\";\"Code\";\"Af Bij\";\"Bedrag (EUR)\";\"Mutatiesoort\";\"Mededelingen\"\n\
                   \"20261120\";\"Harbour Lights Ltd\";\"NL02INGB0001234567\";\"GB29NWBK60161331926819\";\"OV\";\"Bij\";\"1500,00\";\"Overschrijving\";\"INV-0001\"\n\
                   \"20261120\";\"Hosting BV\";\"NL02INGB0001234567\";\"NL39RABO0300065264\";\"IC\";\"Af\";\"75,25\";\"Incasso\";\"November\"\n";
        let st =
            read("ing.csv", csv.as_bytes(), &CsvChoice::default(), &Profiles::default(), today()).unwrap();
        assert_eq!(st.profile.as_deref(), Some("ing-nl"));
        let got: Vec<(String, &str, &str)> = st
            .lines
            .iter()
            .map(|l| (l.amount.to_string(), l.counterparty.as_str(), l.communication.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("1500.00".into(), "Harbour Lights Ltd", "INV-0001"),
                ("-75.25".into(), "Hosting BV", "November")
            ]
        );
        assert_eq!(st.lines[0].date, NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default());
    }

    /// A CSV statement as its lines' cells: a small pool of values (so that lines repeat),
    /// some of them wrong, in a layout of its own.
    fn statement_text() -> impl Strategy<Value = Vec<u8>> {
        let cell = |pool: &'static [&'static str]| proptest::sample::select(pool);
        let row = (
            cell(&["2026-11-05", "2026-11-06", "05/11/2026", "2026-13-01", "2026-12-24", ""]),
            cell(&["100.00", "100", "-5.00", "1.234,50", "12x", "0"]),
            cell(&["Harbour Lights Ltd", "ATELIER DUBOIS", "", "Line\nbreak", "a;b,c"]),
            cell(&["INV-0001", "+++000/0000/00202+++", "gift", "", "\"quoted\""]),
            cell(&["BE68539007547034", "", "NL91ABNA0417164300"]),
            0u8..12,
        );
        (
            proptest::collection::vec(row, 0..40),
            proptest::bool::ANY,
            proptest::bool::ANY,
            proptest::bool::ANY,
            proptest::bool::ANY,
        )
            .prop_map(|(rows, semicolon, crlf, bom, account)| {
                let sep = if semicolon { ";" } else { "," };
                let end = if crlf { "\r\n" } else { "\n" };
                let quote = |c: &str| {
                    if c.contains([';', ',', '"', '\n']) {
                        format!("\"{}\"", c.replace('"', "\"\""))
                    } else {
                        c.to_string()
                    }
                };
                let mut out = if bom { "\u{feff}".to_string() } else { String::new() };
                let mut header = vec!["date", "amount", "counterparty", "communication"];
                if account {
                    header.push("account");
                }
                out.push_str(&header.join(sep));
                out.push_str(end);
                for (date, amount, who, what, iban, odd) in rows {
                    let mut cells: Vec<String> = [date, amount, who, what].iter().map(|c| quote(c)).collect();
                    if account {
                        cells.push(iban.to_string());
                    }
                    match odd {
                        0 => out.push_str(end),
                        1 => cells.push("extra".into()),
                        // A byte that is not UTF-8.
                        2 => cells[3].push('\u{1}'),
                        _ => {}
                    }
                    out.push_str(&cells.join(sep));
                    out.push_str(end);
                }
                out.into_bytes().into_iter().map(|b| if b == 1 { 0xff } else { b }).collect()
            })
    }

    #[test]
    fn a_file_that_changes_between_its_readings_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bank.csv");
        let text = "date,amount,counterparty,communication\n2026-11-20,120.00,Acme,INV-1\n";
        std::fs::write(&path, text).unwrap();
        let (none, profiles) = (CsvChoice::default(), Profiles::default());
        let file = std::fs::File::open(&path).unwrap();
        let mut opened = open("bank.csv", file, &none, &profiles, today()).unwrap();
        let lines = opened.csv.as_mut().expect("read as it goes");
        let count = |lines: &mut CsvLines<std::fs::File>| {
            let mut n = 0;
            lines
                .scan(&mut |_, _| {
                    n += 1;
                    Ok(true)
                })
                .map(|()| n)
        };
        assert_eq!(count(lines).ok(), Some(1), "as it was checked");
        // The same length, another amount: the lines still read, but they are not those checked.
        std::fs::write(&path, text.replace("120.00", "920.00")).unwrap();
        match count(lines) {
            Err(Fail::Problem(p)) => assert!(p.to_string().contains("the file changed"), "{p}"),
            Err(Fail::Store(e)) => panic!("{e}"),
            Ok(n) => panic!("read {n} changed lines"),
        }
    }

    proptest! {
        #[test]
        fn a_csv_statement_read_as_it_goes_is_the_statement_read_whole(bytes in statement_text()) {
            let file: Arc<str> = Arc::from("bank.csv");
            let (none, profiles) = (CsvChoice::default(), Profiles::default());
            let whole = read_whole(&file, &bytes, &none, &profiles, today());
            let mut opened = open("bank.csv", std::io::Cursor::new(&bytes), &none, &profiles, today());
            prop_assert!(opened.as_ref().map_or(true, |o| o.csv.is_some()), "read as it goes");
            let streamed = opened.as_mut().map_err(|e| e.clone()).and_then(|o| {
                o.hold()?;
                Ok(o.statement.clone())
            });
            prop_assert_eq!(&streamed, &whole);
            // And as the import goes through it: every line, then some of them again.
            if let (Ok(o), Ok(whole)) = (opened.as_mut(), &whole) {
                let mut seen = Vec::new();
                let again: Vec<usize> = (0..whole.lines.len()).filter(|i| i % 3 == 1).collect();
                for places in [None, Some(&again)] {
                    let mut each = |i: usize, l: &BankLine| {
                        seen.push((i, l.clone()));
                        Ok(())
                    };
                    let went = match places {
                        None => o.scan(&mut |i, l| each(i, l).map(|()| true)),
                        Some(p) => o.scan_at(p, &mut each),
                    };
                    prop_assert!(went.is_ok());
                }
                let expected: Vec<(usize, BankLine)> = whole.lines.iter().cloned().enumerate()
                    .chain(again.iter().map(|&i| (i, whole.lines[i].clone())))
                    .collect();
                prop_assert_eq!(seen, expected);
            }
        }

        #[test]
        fn never_panics_on_arbitrary_bytes(prefix in 0usize..5, bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let heads: [&[u8]; 5] = [b"", b"PK\x03\x04", b"<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">", b":20:X\n:25:NL\n", b"00000"];
            let mut all = heads[prefix].to_vec();
            all.extend(bytes);
            let _ = read("x", &all, &CsvChoice::default(), &Profiles::default(), today());
        }
    }
}
