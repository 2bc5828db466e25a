//! `settle report aging` on the demo book and on a small hand-made one.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use serde_json::Value;

use crate::support::*;

#[test]
fn demo_table_adds_up_across_and_down() {
    let book = demo_book();
    let table = book.ok(&["report", "aging"]);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines[0], "Aged receivables as of 2026-11-23 (EUR)");
    let header: Vec<&str> = lines[1].split_whitespace().collect();
    assert_eq!(header, ["Customer", "Not", "due", "1-30", "31-60", "61-90", "90+", "Total"]);
    let split = |line: &str| -> (String, Vec<i64>) {
        let words: Vec<&str> = line.split_whitespace().collect();
        let (name, amounts) = words.split_at(words.len() - 6);
        (name.join(" "), amounts.iter().map(|a| cents(a)).collect())
    };
    let rule = lines.iter().position(|l| l.starts_with("---")).expect("a rule above the totals");
    let rows: Vec<(String, Vec<i64>)> = lines[2..rule].iter().map(|l| split(l)).collect();
    assert!(rows.len() > 5, "the demo book has open invoices for many customers");
    for (name, a) in &rows {
        assert_eq!(a[..5].iter().sum::<i64>(), a[5], "{name}: buckets add up to the total");
    }
    let (label, totals) = split(lines[rule + 1]);
    assert_eq!(label, "Total");
    assert_eq!(lines.len(), rule + 2, "nothing after the totals");
    for col in 0..6 {
        assert_eq!(rows.iter().map(|(_, a)| a[col]).sum::<i64>(), totals[col], "column {col}");
    }
    assert!(totals[..5].iter().all(|c| *c > 0), "the demo book fills every bucket: {totals:?}");
    assert!(rows.windows(2).all(|w| w[0].1[5] >= w[1].1[5]), "largest total first");

    // The table and the JSON tell the same story.
    let json = book.json(&[]);
    let customers = json["customers"].as_array().unwrap();
    assert_eq!(customers.len(), rows.len());
    for (row, c) in rows.iter().zip(customers) {
        assert_eq!(row.0, c["customer"].as_str().unwrap());
        assert_eq!(row.1[5], json_cents(&c["total"]));
    }
    assert_eq!(totals[5], json_cents(&json["totals"]["total"]));
}

#[test]
fn demo_json_follows_the_schema() {
    let book = demo_book();
    let raw = book.ok(&["report", "aging", "--format", "json"]);
    let json: Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(keys(&json), ["as_of", "currency", "customers", "totals"]);
    assert_eq!(json["as_of"], "2026-11-23");
    assert_eq!(json["currency"], "EUR");
    let mut row_keys = vec!["customer", "total"];
    row_keys.extend(BUCKETS);
    row_keys.sort();
    let customers = json["customers"].as_array().unwrap();
    assert!(!customers.is_empty());
    let mut sums = [0i64; 6];
    let mut last_total = i64::MAX;
    for c in customers {
        assert_eq!(keys(c), row_keys);
        assert!(!c["customer"].as_str().unwrap().trim().is_empty());
        let buckets: Vec<i64> = BUCKETS.iter().map(|b| json_cents(&c[b])).collect();
        let total = json_cents(&c["total"]);
        assert_eq!(buckets.iter().sum::<i64>(), total, "{c}");
        assert!(total > 0 && total <= last_total, "sorted by total, largest first: {c}");
        last_total = total;
        for (s, v) in sums.iter_mut().zip(buckets.iter().chain([&total])) {
            *s += v;
        }
    }
    let totals = &json["totals"];
    let total_keys: Vec<&str> = row_keys.iter().copied().filter(|k| *k != "customer").collect();
    assert_eq!(keys(totals), total_keys);
    let got: Vec<i64> = BUCKETS.iter().chain(&["total"]).map(|b| json_cents(&totals[b])).collect();
    assert_eq!(got, sums, "totals are the sums of the customers");
    // Keys come in the documented order.
    let first = &raw[..raw.find('}').unwrap()];
    let order: Vec<usize> =
        ["\"customer\"", "\"not_due\"", "\"d1_30\"", "\"d31_60\"", "\"d61_90\"", "\"d90_plus\"", "\"total\""]
            .iter()
            .map(|k| first.find(k).unwrap())
            .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{first}");
    assert!(
        raw.find("\"as_of\"") < raw.find("\"currency\"")
            && raw.find("\"customers\"") < raw.rfind("\"totals\"")
    );
}

#[test]
fn demo_csv_parses_and_matches_the_json() {
    let book = demo_book();
    let csv_text = book.ok(&["report", "aging", "--format", "csv"]);
    let json = book.json(&[]);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, ["customer", "not_due", "d1_30", "d31_60", "d61_90", "d90_plus", "total"]);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let customers = json["customers"].as_array().unwrap();
    assert_eq!(records.len(), customers.len() + 1, "one line per customer and a total line");
    let as_row = |name: &str, v: &Value| -> Vec<String> {
        std::iter::once(name.to_string())
            .chain(BUCKETS.iter().chain(&["total"]).map(|b| v[b].as_str().unwrap().to_string()))
            .collect()
    };
    for (rec, c) in records.iter().zip(customers) {
        assert_eq!(rec.iter().collect::<Vec<_>>(), as_row(c["customer"].as_str().unwrap(), c));
    }
    assert_eq!(records.last().unwrap().iter().collect::<Vec<_>>(), as_row("TOTAL", &json["totals"]));
}

#[test]
fn the_demo_book_is_deterministic() {
    let (a, b) = (demo_book(), demo_book());
    assert_eq!(a.ok(&["report", "aging", "--format", "csv"]), b.ok(&["report", "aging", "--format", "csv"]));
    let c = Book::new();
    c.ok(&["demo", "--busy", "--seed", "7"]);
    assert_ne!(a.json(&[]), c.json(&[]), "another seed, another book");
}

#[test]
fn aging_as_of_a_past_day_ignores_later_payments() {
    let book = Book::new();
    book.ok(&["customer", "add", "Acme"]);
    for (n, issued, amount) in
        [("A-1", "2026-09-01", "1000"), ("A-2", "2026-09-15", "500"), ("A-3", "2026-11-20", "200")]
    {
        book.issue(n, "Acme", issued, amount);
    }
    book.ok(&["payment", "add", "A-1", "--amount", "400", "--date", "2026-11-10"]);
    book.ok(&["payment", "add", "A-2", "--amount", "500", "--date", "2026-11-05"]);
    let buckets = |as_of: Option<&str>| -> Vec<String> {
        let json = match as_of {
            Some(d) => book.json(&["--as-of", d]),
            None => book.json(&[]),
        };
        assert_eq!(json["as_of"], as_of.unwrap_or(TODAY));
        let t = &json["totals"];
        BUCKETS.iter().chain(&["total"]).map(|b| t[b].as_str().unwrap().to_string()).collect()
    };
    // Today: A-1 600 open, 53 days late; A-2 paid; A-3 not due.
    assert_eq!(buckets(None), ["200.00", "0.00", "600.00", "0.00", "0.00", "800.00"]);
    // 1 Nov: both payments still to come, A-3 not issued yet; A-1 31 days late, A-2 17.
    assert_eq!(buckets(Some("2026-11-01")), ["0.00", "500.00", "1000.00", "0.00", "0.00", "1500.00"]);
    // 7 Nov: A-2 paid on the 5th, A-1's part payment still to come.
    assert_eq!(buckets(Some("2026-11-07")), ["0.00", "0.00", "1000.00", "0.00", "0.00", "1000.00"]);
    // Before any invoice: nothing at all.
    let json = book.json(&["--as-of", "2026-08-31"]);
    assert_eq!(json["customers"].as_array().unwrap().len(), 0);
    assert_eq!(json["totals"]["total"], "0.00");
    assert!(book.ok(&["report", "aging", "--as-of", "2026-08-31"]).contains("Nothing open"));
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    let book = Book::new();
    // Enough customers that every format overflows a pipe buffer several times.
    book.ok(&["demo", "--busy", "--customers", "10000", "--invoices", "30000"]);
    for format in ["table", "json", "csv"] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_settle"))
            .arg("--db")
            .arg(&book.db)
            .args(["--today", TODAY, "report", "aging", "--format", format])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
        assert!(!first.is_empty());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{format}: {:?} {err}", out.status);
        assert!(err.is_empty(), "{format}: {err}");
    }
}

#[test]
fn every_currency_unless_one_is_asked_for() {
    let book = Book::new();
    book.ok(&["customer", "add", "Acme"]);
    book.ok(&["customer", "add", "Yankee Inc"]);
    let add = |n: &str, who: &str, amount: &str, currency: &str| {
        book.ok(&[
            "invoice",
            "add",
            n,
            "--customer",
            who,
            "--issued",
            "2026-11-01",
            "--amount",
            amount,
            "--currency",
            currency,
        ]);
    };
    add("E-1", "Acme", "100", "EUR");
    add("U-1", "Yankee Inc", "250", "USD");
    add("U-2", "Acme", "50", "usd");
    // Every currency by default: the book's first, the others after it.
    let all = book.json(&[]);
    assert_eq!((all["currency"].as_str(), all["totals"]["total"].as_str()), (Some("EUR"), Some("100.00")));
    assert_eq!(all["customers"].as_array().unwrap().len(), 1);
    let others = all["other_currencies"].as_array().unwrap();
    assert_eq!(others.len(), 1);
    assert_eq!(
        (others[0]["currency"].as_str(), others[0]["totals"]["total"].as_str()),
        (Some("USD"), Some("300.00"))
    );
    let table = book.ok(&["report", "aging"]);
    assert!(table.contains("(EUR)") && table.contains("(USD)"), "{table}");
    let csv_text = book.ok(&["report", "aging", "--format", "csv"]);
    assert!(
        csv_text.starts_with("customer,not_due,d1_30,d31_60,d61_90,d90_plus,total,currency\n"),
        "{csv_text}"
    );
    assert!(csv_text.lines().any(|l| l.starts_with("TOTAL,") && l.ends_with(",300.00,USD")), "{csv_text}");
    // --currency narrows to one, in the one-currency shape.
    let eur = book.json(&["--currency", "EUR"]);
    assert!(eur.get("other_currencies").is_none(), "{eur}");
    assert_eq!(eur["customers"].as_array().unwrap().len(), 1);
    let usd = book.json(&["--currency", "USD"]);
    assert_eq!((usd["currency"].as_str(), usd["totals"]["total"].as_str()), (Some("USD"), Some("300.00")));
    let names: Vec<&str> =
        usd["customers"].as_array().unwrap().iter().map(|c| c["customer"].as_str().unwrap()).collect();
    assert_eq!(names, ["Yankee Inc", "Acme"]);
    let err = book.fails(&["report", "aging", "--currency", "XYZ"]);
    assert!(err.contains("--currency") && err.contains("unknown currency 'XYZ'"), "{err}");
}

#[test]
fn agenda_json_is_written_item_by_item_in_serde_jsons_own_pretty_layout() {
    let book = demo_book();
    let raw = book.ok(&["report", "agenda", "--format", "json"]);
    let json: Value = serde_json::from_str(&raw).unwrap();
    let items = json["items"].as_array().unwrap();
    assert!(items.len() > 10, "the demo book has an agenda: {}", items.len());
    assert!(items.iter().any(|i| i["step"].is_null()) && items.iter().any(|i| i["step"].is_string()));
    // Byte for byte what serde_json writes for the whole, keys in order.
    assert_eq!(raw, format!("{}\n", serde_json::to_string_pretty(&json).unwrap()));
}
