//! `settle letter --pdf`: the PDF read back with real tools. `pdftotext` (poppler-utils)
//! finds the amounts, the reference and the customer's address; `pdftoppm` renders the first
//! page and `zbarimg` (zbar-tools) decodes its QR code back to the exact EPC payload.
//!
//! Without these tools a test says so and skips, unless `SETTLE_REQUIRE_E2E=1` (CI), when it
//! fails.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::{Book, mode};

const CONFIG: &str = "[me]\nname = \"An Peeters\"\ncompany = \"Peeters Ontwerp\"\n\
address = \"Kerkstraat 1\\n9000 Gent\"\niban = \"BE68 5390 0754 7034\"\nbic = \"GKCCBEBB\"\n\
vat = \"BE0123.456.749\"\n";

/// Why the tools are missing, if they are.
fn missing() -> Option<String> {
    for (tool, arg) in [("pdftotext", "-v"), ("pdftoppm", "-v"), ("zbarimg", "--version")] {
        if Command::new(tool).arg(arg).output().is_err() {
            return Some(format!("{tool} is not installed (apt-get install poppler-utils zbar-tools)"));
        }
    }
    None
}

fn tools(name: &str) -> bool {
    match missing() {
        Some(why) if std::env::var("SETTLE_REQUIRE_E2E").is_ok_and(|v| v == "1") => {
            panic!("SETTLE_REQUIRE_E2E=1 but {why}")
        }
        Some(why) => {
            eprintln!("skipping the PDF test {name}: {why}");
            false
        }
        None => true,
    }
}

/// A Dutch-speaking Belgian business customer with a postal address, and invoices long
/// overdue: one with an OGM, one with an RF reference, one in dollars.
fn acme() -> Book {
    let book = Book::configured(CONFIG);
    book.ok(&["customer", "add", "Acme NV", "--contact", "Jan Jansen", "--lang", "nl"]);
    book.ok(&["customer", "edit", "Acme NV", "--address", "Dok Noord 7 | 9000 Gent"]);
    for (number, amount, currency, reference) in [
        ("F2026-031", "1234.50", "EUR", "+++000/0000/00202+++"),
        ("F2026-032", "80", "EUR", "RF18 5390 0754 7034"),
        ("F2026-033", "500", "USD", ""),
    ] {
        let mut args = vec!["invoice", "add", number, "--customer", "Acme NV", "--issued", "2026-08-01"];
        args.extend(["--due", "2026-08-31", "--amount", amount, "--currency", currency]);
        if !reference.is_empty() {
            args.extend(["--ref", reference]);
        }
        book.ok(&args);
    }
    book
}

/// Writes the letter as a PDF; returns its path.
fn pdf(book: &Book, invoice: &str, extra: &[&str]) -> PathBuf {
    let file = book.path(&format!("{invoice}-{}.pdf", extra.join("-")));
    let mut args = vec!["letter", invoice, "--pdf", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    let said = book.ok(&args);
    assert!(said.contains("as a PDF to"), "{said}");
    file
}

fn run(tool: &str, args: &[&str]) -> Output {
    Command::new(tool).args(args).output().unwrap_or_else(|e| panic!("{tool}: {e}"))
}

/// Asserts that `text`, the text of `what`, says each of `wants`.
fn says(text: &str, what: &str, wants: &[&str]) {
    for want in wants {
        assert!(text.contains(want), "{want:?} missing from {what}:\n{text}");
    }
}

/// The PDF's text, lines joined by spaces (a long line may wrap anywhere).
fn text(pdf: &Path) -> String {
    let out = run("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
    assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The QR code on the first page, decoded; `None` when the page has none.
fn qr(pdf: &Path) -> Option<String> {
    let png = pdf.with_extension("");
    let out = run(
        "pdftoppm",
        &["-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", pdf.to_str().unwrap()]
            .into_iter()
            .chain([png.to_str().unwrap()])
            .collect::<Vec<_>>(),
    );
    assert!(out.status.success(), "pdftoppm: {}", String::from_utf8_lossy(&out.stderr));
    let out = run("zbarimg", &["--raw", "-q", png.with_extension("png").to_str().unwrap()]);
    // zbarimg exits 4 when the image holds no code.
    if out.status.code() == Some(4) {
        return None;
    }
    assert!(out.status.success(), "zbarimg: {}", String::from_utf8_lossy(&out.stderr));
    let raw = String::from_utf8(out.stdout).unwrap();
    Some(raw.strip_suffix('\n').unwrap_or(&raw).to_string())
}

#[test]
fn the_reminder_and_the_formal_notice_print_with_the_address_and_a_qr_code_to_pay_them() {
    if !tools("reminder_and_notice") {
        return;
    }
    let book = acme();

    // The reminder, in the customer's Dutch: the open amount, to the OGM.
    let reminder = pdf(&book, "F2026-031", &["--step", "reminder"]);
    #[cfg(unix)]
    assert_eq!(mode(&reminder), 0o600, "the PDF is readable by you only");
    let t = text(&reminder);
    says(
        &t,
        "the reminder",
        &[
            "Herinnering: factuur F2026-031",
            "€ 1.234,50",
            "+++000/0000/00202+++",
            "Acme NV",
            "Dok Noord 7",
            "9000 Gent",
            "Peeters Ontwerp",
            "Ondernemingsnr. 0123.456.749",
            "IBAN BE68 5390 0754 7034",
            "Scan om te betalen",
        ],
    );
    // The OGM is no ISO 11649 reference: it goes in the unstructured remittance (line 11).
    assert_eq!(
        qr(&reminder).as_deref(),
        Some(
            "BCD\n002\n1\nSCT\nGKCCBEBB\nPeeters Ontwerp\nBE68539007547034\nEUR1234.50\n\n\n+++000/0000/00202+++"
        )
    );

    // The formal notice, in French: the claim's total (principal, 84 days of interest at
    // 10.5 % = 29.83, the 40.00 fixed compensation), which the QR code asks too.
    let notice = pdf(&book, "F2026-031", &["--step", "formal_notice", "--lang", "fr"]);
    let t = text(&notice);
    says(
        &t,
        "the formal notice",
        &[
            "Mise en demeure",
            "1.304,33 €",
            "29,83 €",
            "+++000/0000/00202+++",
            "Dok Noord 7",
            "Scannez pour payer",
        ],
    );
    assert_eq!(
        qr(&notice).as_deref(),
        Some(
            "BCD\n002\n1\nSCT\nGKCCBEBB\nPeeters Ontwerp\nBE68539007547034\nEUR1304.33\n\n\n+++000/0000/00202+++"
        )
    );

    // In English with an RF creditor reference: the structured remittance (line 10).
    let rf = pdf(&book, "F2026-032", &["--step", "reminder", "--lang", "en"]);
    let t = text(&rf);
    assert!(t.contains("€80.00") && t.contains("RF18 5390 0754 7034") && t.contains("Scan to pay"), "{t}");
    assert_eq!(
        qr(&rf).as_deref(),
        Some("BCD\n002\n1\nSCT\nGKCCBEBB\nPeeters Ontwerp\nBE68539007547034\nEUR80.00\n\nRF18539007547034")
    );
}

#[test]
fn a_letter_in_another_currency_or_asking_no_money_has_no_qr_code() {
    if !tools("no_qr") {
        return;
    }
    let book = acme();
    let usd = pdf(&book, "F2026-033", &["--step", "reminder"]);
    let t = text(&usd);
    assert!(t.contains("F2026-033") && t.contains("Dok Noord 7"), "{t}");
    assert!(!t.contains("Scan om te betalen"), "{t}");
    assert_eq!(qr(&usd), None, "the EPC code is for euro only");

    let agency = pdf(&book, "F2026-031", &["--step", "agency_cover"]);
    assert_eq!(qr(&agency), None, "the agency's cover letter asks the customer for nothing");
}

#[test]
fn a_pdf_that_cannot_be_written_records_nothing() {
    let book = acme();
    let remind = |pdf: &str| {
        let pdf = book.path(pdf);
        book.run(&[
            "letter",
            "F2026-031",
            "--step",
            "reminder",
            "--mark-sent",
            "--pdf",
            pdf.to_str().unwrap(),
        ])
    };
    let out = remind("config.toml/r.pdf");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("r.pdf") && !err.contains("panicked"), "{err}");
    let track = book.ok(&["track", "F2026-031"]);
    assert!(!track.contains("done"), "the reminder is not recorded as sent: {track}");
    // The same letter written where it can be is recorded.
    let out = remind("r.pdf");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(book.ok(&["track", "F2026-031"]).contains("done 2026-11-23  reminder"));
}

#[test]
fn a_customers_letter_lists_every_invoice_and_its_qr_code_asks_the_total() {
    let book = acme();
    // Two invoices in euro and one in dollars at the reminder step: one letter asks one total.
    let err = book.fails(&["letter", "--customer", "Acme NV"]);
    assert!(err.contains("Acme NV") && err.contains("EUR and USD"), "{err}");
    // The dollar invoice's reminder sent: it stands at another step now.
    book.ok(&["step", "record", "F2026-033", "--step", "reminder", "--date", "2026-09-05"]);
    let err = book.fails(&["letter", "--customer", "Acme NV"]);
    assert!(err.contains("several letter steps") && err.contains("--step"), "{err}");
    let err = book.fails(&["letter", "--customer", "Acme NV", "--step", "nudge"]);
    assert!(err.contains("Acme NV has no invoice at the nudge step today"), "{err}");
    let err = book.fails(&["letter", "--customer", "Acme NV", "--step", "agency"]);
    assert!(err.contains("per invoice"), "{err}");
    // A group of one is the single letter, byte for byte.
    assert_eq!(
        book.ok(&["letter", "--customer", "Acme NV", "--step", "formal_notice"]),
        book.ok(&["letter", "F2026-033", "--step", "formal_notice"])
    );
    if !tools("grouped") {
        return;
    }
    let pdf = book.path("acme.pdf");
    let said =
        book.ok(&["letter", "--customer", "Acme NV", "--step", "reminder", "--pdf", pdf.to_str().unwrap()]);
    assert!(said.contains("invoices F2026-031 and F2026-032"), "{said}");
    #[cfg(unix)]
    assert_eq!(mode(&pdf), 0o600);
    let t = text(&pdf);
    says(
        &t,
        "the grouped letter",
        &[
            "Herinnering: 2 openstaande facturen",
            "F2026-031",
            "F2026-032",
            "€ 1.234,50",
            "€ 80,00",
            "Totaal € 1.314,50",
            "+++000/0000/00202+++",
            "RF18 5390 0754 7034",
            "Dok Noord 7",
            "Scan om te betalen",
        ],
    );
    assert!(!t.contains("F2026-033"), "{t}");
    // One structured reference cannot name two invoices: the numbers go in the unstructured
    // remittance (line 11), with the total.
    assert_eq!(
        qr(&pdf).as_deref(),
        Some(
            "BCD\n002\n1\nSCT\nGKCCBEBB\nPeeters Ontwerp\nBE68539007547034\nEUR1314.50\n\n\nF2026-031, F2026-032"
        )
    );
}

#[test]
fn the_formal_notice_prints_the_sender_and_the_address_once_each_at_their_place() {
    if !tools("notice_blocks") {
        return;
    }
    let book = acme();
    for lang in ["en", "nl", "fr"] {
        let notice = pdf(&book, "F2026-031", &["--step", "formal_notice", "--lang", lang]);
        let t = text(&notice);
        for once in
            ["Kerkstraat 1", "Dok Noord 7", "Acme NV", "By registered mail", "Aangetekend", "recommandé"]
        {
            let n = t.matches(once).count();
            assert!(n <= 1, "{once:?} at most once in the {lang} notice:\n{t}");
        }
        for once in ["Kerkstraat 1", "Dok Noord 7", "Acme NV"] {
            assert_eq!(t.matches(once).count(), 1, "{once:?} once in the {lang} notice:\n{t}");
        }
        // "9000 Gent" is both the sender's and the customer's town: once in each block.
        assert_eq!(t.matches("9000 Gent").count(), 2, "{lang}:\n{t}");
        // In the page's layout: the sender's block on the right, the customer's address on the
        // left (in the envelope's window), below it, and both above the subject.
        let out = run("pdftotext", &["-layout", notice.to_str().unwrap(), "-"]);
        let page = String::from_utf8(out.stdout).unwrap();
        let at = |s: &str| {
            let (row, line) = page.lines().enumerate().find(|(_, l)| l.contains(s)).unwrap();
            (row, line.find(s).unwrap())
        };
        let (sender_row, sender_col) = at("Kerkstraat 1");
        let (window_row, window_col) = at("Dok Noord 7");
        let (subject_row, _) = at("F2026-031");
        assert!(sender_col > 40 && window_col < 20, "sender right, window left:\n{page}");
        assert!(sender_row < window_row && window_row < subject_row, "{page}");
    }
}
