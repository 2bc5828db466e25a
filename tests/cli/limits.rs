//! Sizes and ranges settle bounds at its input, each refused with a clear message before
//! anything is written.

use crate::support::*;

#[test]
fn demo_sizes_are_bounded() {
    let book = Book::new();
    for (args, wanted) in [
        (["--customers", "4294967295"], "a demo book has from 1 to 100000 customers, not 4294967295"),
        (["--customers", "0"], "a demo book has from 1 to 100000 customers, not 0"),
        (["--invoices", "18446744073709551615"], "a demo book has from 0 to 10000000 invoices"),
        (["--invoices", "1e9"], "a demo book has from 0 to 10000000 invoices, not 1e9"),
    ] {
        let start = std::time::Instant::now();
        let err = book.fails(&["demo", args[0], args[1]]);
        assert!(err.contains(wanted), "{args:?}: {err}");
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
    }
    assert!(!book.db.exists(), "refused before the database was even opened");
    let out = book.ok(&["demo", "--customers", "1", "--invoices", "0"]);
    assert!(out.contains("1 customers, 0 invoices"), "{out}");
}

#[test]
fn identifiers_and_names_are_bounded_at_every_input() {
    let book = small_book();
    let long_number = "N".repeat(300);
    let long_name = "Acme ".repeat(41);
    let before = book.dump();
    let add_invoice = |number: &str, customer: &str| {
        let args =
            ["invoice", "add", number, "--customer", customer, "--issued", "2026-11-01", "--amount", "5"];
        book.fails(&args)
    };
    let err = add_invoice(&long_number, "Acme");
    assert!(err.contains("the invoice number is 300 characters long; at most 64 are allowed"), "{err}");
    for args in [
        vec!["customer", "add", long_name.trim()],
        vec!["customer", "add", "Bob", "--contact", long_name.trim()],
        vec!["customer", "add", "Bob", "--vat", &long_number],
    ] {
        let err = book.fails(&args);
        assert!(err.contains("characters long; at most"), "{err}");
    }
    let dir = book.db.parent().unwrap();
    let csv = dir.join("invoices.csv");
    std::fs::write(
        &csv,
        format!(
            "number,customer,date,amount\n{long_number},Acme,2026-11-01,5\nOK-1,{},2026-11-01,5\n",
            long_name.trim()
        ),
    )
    .unwrap();
    let err = book.fails(&["import", "csv", csv.to_str().unwrap()]);
    assert!(err.contains("invoices.csv:2: number"), "{err}");
    assert!(err.contains("the invoice number is 300 characters long; at most 64 are allowed"), "{err}");
    assert!(err.contains("invoices.csv:3: customer"), "{err}");
    assert!(err.contains("the customer name is 204 characters long; at most 200 are allowed"), "{err}");
    let xml = std::fs::read_to_string(format!(
        "{}/tests/fixtures/own/ubl/invoice-peeters.xml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let number = xml.split("<cbc:ID>").nth(1).unwrap().split('<').next().unwrap();
    let ubl = dir.join("long.xml");
    std::fs::write(&ubl, xml.replacen(&format!("<cbc:ID>{number}<"), &format!("<cbc:ID>{long_number}<"), 1))
        .unwrap();
    let err = book.fails(&["import", "ubl", ubl.to_str().unwrap()]);
    assert!(err.contains("long.xml: cbc:ID: the number is 300 characters long; at most 64"), "{err}");
    assert_eq!(book.dump(), before);
}

/// A book made before numbers were bounded may hold a very long one: its dossier and
/// letters still get a file name the file system takes.
#[test]
fn an_old_overlong_invoice_number_still_gets_its_files() {
    let book = small_book();
    let long_number = "N".repeat(300);
    rusqlite::Connection::open(&book.db)
        .unwrap()
        .execute("UPDATE invoices SET number = ?1 WHERE number = '2026-001'", [&long_number])
        .unwrap();
    let dir = book.db.parent().unwrap();
    let out = book.cmd(&["export", "dossier", &long_number]).current_dir(dir).assert().success();
    let out = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(out.starts_with("Wrote dossier-NNNN"), "{out}");
    let made: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("dossier-"))
        .collect();
    assert_eq!(made.len(), 1, "{made:?}");
    assert!(made[0].len() <= 72, "{made:?}");
    let letter = dir.join("letter.txt");
    book.ok(&["letter", &long_number, "--step", "reminder", "--out", letter.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&letter).unwrap().contains(&long_number));
}

#[test]
fn dates_outside_2000_to_2099_are_refused_at_every_input() {
    let book = small_book();
    let before = book.dump();
    let add = |issued: &str| {
        book.fails(&["invoice", "add", "2026-002", "--customer", "Acme", "--issued", issued, "--amount", "5"])
    };
    for day in ["9999-12-31", "0000-01-01", "31/12/1999"] {
        let err = add(day);
        assert!(
            err.contains(&format!("'{day}' is outside the years settle works with (2000 to 2099)")),
            "{err}"
        );
    }
    let err = book.fails(&["payment", "add", "2026-001", "--amount", "5", "--date", "9999-12-31"]);
    assert!(err.contains("outside the years settle works with"), "{err}");
    let err = book.cmd(&["report", "aging"]).args(["--today", "0000-01-01"]).assert().failure();
    let err = String::from_utf8(err.get_output().stderr.clone()).unwrap();
    assert!(err.contains("'0000-01-01' is outside the years"), "{err}");

    let dir = book.db.parent().unwrap();
    let csv = dir.join("dates.csv");
    std::fs::write(&csv, "number,customer,date,due,amount\nD-1,Acme,2026-11-01,9999-12-31,5\n").unwrap();
    let err = book.fails(&["import", "csv", csv.to_str().unwrap()]);
    assert!(
        err.contains("dates.csv:2: due \"9999-12-31\": outside the years settle works with (2000 to 2099)"),
        "{err}"
    );
    let xml = std::fs::read_to_string(format!(
        "{}/tests/fixtures/own/ubl/invoice-peeters.xml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let issued = xml.split("<cbc:IssueDate>").nth(1).unwrap().split('<').next().unwrap();
    let ubl = dir.join("old.xml");
    std::fs::write(&ubl, xml.replace(issued, "0001-01-01")).unwrap();
    let err = book.fails(&["import", "ubl", ubl.to_str().unwrap()]);
    assert!(err.contains("old.xml: cbc:IssueDate \"0001-01-01\": outside the years"), "{err}");
    assert_eq!(book.dump(), before);
}
