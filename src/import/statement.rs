//! A bank statement file as the bank gives it, its format found from its content (never its
//! name): a ZIP archive of statements, CAMT.053 (XML), CODA, MT940, or else a CSV export
//! (read by a saved or shipped profile when its headers match one, or by `--map`).

use std::io::Read;
use std::sync::Arc;

use chrono::NaiveDate;

use super::model::{BankLine, StatementFormat, number_lines};
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

/// Reads a statement file: every line, or every problem (nothing is read from a file with
/// one). Lines booked after `today` are refused.
pub fn read(
    name: &str,
    bytes: &[u8],
    csv: &CsvChoice<'_>,
    profiles: &Profiles,
    today: NaiveDate,
) -> Result<Statement, ImportError> {
    let file: Arc<str> = Arc::from(name);
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
            let table = table::read(&file, bytes, bank::SPECS).map_err(ImportError::new)?;
            let profile = match csv.profile {
                Some(n) => Some(profiles.find(n).ok_or_else(|| {
                    ImportError::new(vec![
                        Problem::new(
                            &file,
                            At::File,
                            format!("no profile named '{n}' (profiles: {})", profiles.names().join(", ")),
                        )
                        .need(Need::Profile),
                    ])
                })?),
                None if csv.map.is_empty() => profiles.detect(&table.headers),
                None => None,
            };
            // A profile's choice of a column this export does not have (an older layout) is
            // left out; the user's own --map stays strict.
            let has = |column: &str| {
                let n = super::normalize_name(column);
                table
                    .headers
                    .iter()
                    .any(|h| h.trim().eq_ignore_ascii_case(column.trim()) || super::normalize_name(h) == n)
            };
            let mut map: Vec<String> = profile
                .as_ref()
                .map(|p| {
                    p.map.iter().filter(|m| m.split_once('=').is_some_and(|(_, c)| has(c))).cloned().collect()
                })
                .unwrap_or_default();
            map.extend(csv.map.iter().cloned());
            let parsed = bank::parse_table(&table, &map, today)?;
            st.lines = parsed.records;
            st.ignored_columns = parsed.ignored_columns;
            st.profile = profile.map(|p| p.name);
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

    proptest! {
        #[test]
        fn never_panics_on_arbitrary_bytes(prefix in 0usize..5, bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let heads: [&[u8]; 5] = [b"", b"PK\x03\x04", b"<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">", b":20:X\n:25:NL\n", b"00000"];
            let mut all = heads[prefix].to_vec();
            all.extend(bytes);
            let _ = read("x", &all, &CsvChoice::default(), &Profiles::default(), today());
        }
    }
}
