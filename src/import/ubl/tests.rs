use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::dec;

use super::*;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn invoice(name: &str) -> InvoiceRecord {
    match parse_document(name, &fixture(name)).unwrap() {
        Document::Invoice(i) => i,
        other => panic!("not an invoice: {other:?}"),
    }
}

fn problems(name: &str) -> Vec<String> {
    parse_document(name, &fixture(name)).unwrap_err().iter().map(|p| p.to_string()).collect()
}

#[test]
fn the_tc434_invoice_sample() {
    let i = invoice("ubl/ubl-tc434-example2.xml");
    assert_eq!(i.number, "TOSL108");
    assert_eq!(i.issued, d("2013-06-30"));
    assert_eq!(i.due, Due::On(d("2013-07-20")));
    // The payable amount already nets the prepaid 1000.00.
    assert_eq!(i.amount, dec!(801.78));
    assert_eq!(i.currency, Some("NOK".parse().unwrap()));
    assert_eq!(i.customer.name, "The Buyercompany");
    assert_eq!(i.customer.vat.as_deref(), Some("NO987654321MVA"));
    assert_eq!(i.customer.contact.as_deref(), Some("John Doe"));
    assert_eq!(i.customer.email.as_deref(), Some("john@buyercompany.no"));
    assert_eq!(i.customer.phone.as_deref(), Some("5121230"));
    // BG-8: street, additional street, post code and city, country (the region is not
    // written on an envelope).
    assert_eq!(i.customer.address.as_deref(), Some("Anystreet 8\nBack door\n101 Anytown\nNO"));
    // 0003434323213231 is a Norwegian KID, not a Belgian structured reference.
    assert_eq!(i.reference, None);
    assert_eq!(i.description.as_deref(), Some("Ordered in our booth at the convention"));
}

#[test]
fn the_tc434_credit_note_sample() {
    let Document::CreditNote(c) =
        parse_document("cn.xml", &fixture("ubl/ubl-tc434-creditnote1.xml")).unwrap()
    else {
        panic!("not a credit note")
    };
    assert_eq!(c.number, "018304 / 28865");
    assert_eq!(c.issued, d("2019-09-23"));
    assert_eq!(c.amount, dec!(100.11));
    assert_eq!(c.currency, Currency::EUR);
    assert_eq!(c.customer.name, "My Customer Company S.A.");
    assert_eq!(c.customer.vat.as_deref(), Some("BE0000000295"));
    assert_eq!(c.customer.endpoint.as_deref(), Some("0000000295"));
    assert_eq!(c.customer.email.as_deref(), Some("pete.smith@mycustomercompany.be"));
    assert_eq!(c.invoice, None);
}

#[test]
fn payment_terms_reference_entities_and_cdata() {
    let i = invoice("own/ubl/invoice-peeters.xml");
    assert_eq!(i.due, Due::DaysAfterIssue(30));
    assert_eq!(i.reference.map(|r| r.to_string()).as_deref(), Some("+++000/2026/00765+++"));
    assert_eq!(i.customer.name, "Bakkerij Peeters & Zonen BV");
    assert_eq!(i.description.as_deref(), Some("Shop window design & install"));
    let Document::CreditNote(c) =
        parse_document("cn.xml", &fixture("own/ubl/creditnote-peeters.xml")).unwrap()
    else {
        panic!("not a credit note")
    };
    assert_eq!(c.invoice.as_deref(), Some("2026-INV-7"));
}

#[test]
fn terms_skip_discount_sentences() {
    assert_eq!(terms_days("Net 30 days"), Some(30));
    assert_eq!(terms_days("Te betalen binnen 14 dagen"), Some(14));
    assert_eq!(terms_days("Payable à 45 jours fin de mois"), Some(45));
    assert_eq!(terms_days("2 % discount if paid within 2 days\nPenalty 10%"), None);
    assert_eq!(terms_days("Upon receipt"), None);
}

#[test]
fn a_truncated_file_names_where_it_stops() {
    let p = problems("own/bad/truncated.xml");
    assert_eq!(p.len(), 1);
    assert!(p[0].starts_with("own/bad/truncated.xml:"), "{p:?}");
    assert!(p[0].contains("truncated") || p[0].contains("not well-formed"), "{p:?}");
    let text = String::from_utf8(fixture("own/ubl/invoice-peeters.xml")).unwrap();
    let cut = &text[..text.find("<cac:PaymentMeans>").unwrap()];
    let p = parse_document("cut.xml", cut.as_bytes()).unwrap_err();
    assert_eq!(p[0].to_string(), "cut.xml:35: the document ends inside <Invoice>: the file is truncated");
}

/// The peeters sample with `bad` in place of its payment note, on line 23.
fn with_bad_line_23(bad: &str) -> String {
    let text = String::from_utf8(fixture("own/ubl/invoice-peeters.xml")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(22, bad);
    lines.join("\n")
}

#[test]
fn errors_are_reported_on_their_own_line() {
    for (bad, message) in [
        ("<cbc:Note>&bogus;</cbc:Note>", "unknown entity &bogus;"),
        ("<cbc:Note>&#xZZ;</cbc:Note>", "invalid character reference"),
        ("<cbc:Note>x</cbc:Nope>", "expected `</cbc:Note>`"),
    ] {
        let p = parse_document("bad.xml", with_bad_line_23(bad).as_bytes()).unwrap_err();
        assert_eq!(p.len(), 1, "{p:?}");
        let p = p[0].to_string();
        assert!(p.starts_with("bad.xml:23: not well-formed XML: "), "{bad}: {p}");
        assert!(p.contains(message), "{bad}: {p}");
    }
}

#[test]
fn a_document_nested_deeper_than_the_limit_is_refused_at_once() {
    let text = with_bad_line_23(&"<cbc:Note>".repeat(100_000));
    let start = std::time::Instant::now();
    let p = parse_document("deep.xml", text.as_bytes()).unwrap_err();
    assert!(start.elapsed() < std::time::Duration::from_secs(1), "took {:?}", start.elapsed());
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].to_string()
            .starts_with("deep.xml:23: too deep: elements nested more than 64 levels (the depth limit)"),
        "{}",
        p[0]
    );
    // Up to the limit is fine (and not UBL's business to refuse).
    let deep_enough = format!("{}x{}", "<cbc:Note>".repeat(60), "</cbc:Note>".repeat(60));
    assert!(parse_document("ok.xml", with_bad_line_23(&deep_enough).as_bytes()).is_ok());
}

#[test]
fn a_document_that_is_not_ubl_is_refused() {
    let p = problems("own/bad/not-ubl.xml");
    assert_eq!(
        p,
        ["own/bad/not-ubl.xml: not a UBL Invoice or CreditNote: the root element is <Order> in namespace \
          urn:oasis:names:specification:ubl:schema:xsd:Order-2"]
    );
    let p = parse_document("x.csv", &fixture("csv/invoices-en.csv")).unwrap_err();
    assert!(p[0].message.starts_with("not XML"), "{p:?}");
    let p = parse_document("x.xml", b"<Invoice><cbc:ID>1</cbc:ID></Invoice>").unwrap_err();
    assert!(p[0].message.contains("not a UBL Invoice"), "{p:?}");
}

#[test]
fn missing_required_elements_are_all_named() {
    let p = problems("own/bad/missing-elements.xml");
    assert_eq!(
        p,
        [
            "own/bad/missing-elements.xml: missing the required element cbc:ID",
            "own/bad/missing-elements.xml: missing the required element cac:LegalMonetaryTotal/cbc:PayableAmount",
        ]
    );
}

#[test]
fn bad_values_name_their_element() {
    let text = String::from_utf8(fixture("own/ubl/invoice-peeters.xml")).unwrap();
    let bad = text
        .replace("<cbc:IssueDate>2026-10-05", "<cbc:IssueDate>2026-02-31")
        .replace("<cbc:DocumentCurrencyCode>EUR", "<cbc:DocumentCurrencyCode>XYZ")
        .replace(">1210.00</cbc:PayableAmount>", ">12a0.00</cbc:PayableAmount>");
    let p: Vec<String> =
        parse_document("b.xml", bad.as_bytes()).unwrap_err().iter().map(|p| p.to_string()).collect();
    assert_eq!(p.len(), 3, "{p:?}");
    assert!(p[0].starts_with(r#"b.xml: cbc:IssueDate "2026-02-31": not a date"#), "{p:?}");
    assert!(p[1].starts_with(r#"b.xml: cbc:DocumentCurrencyCode "XYZ": unknown currency"#), "{p:?}");
    assert!(
        p[2].starts_with(r#"b.xml: cac:LegalMonetaryTotal/cbc:PayableAmount "12a0.00": not an amount"#),
        "{p:?}"
    );
}

#[test]
fn the_same_number_twice_across_files_is_a_problem() {
    let f = fixture("own/ubl/invoice-peeters.xml");
    let err = parse_documents(&[("a.xml".into(), f.clone()), ("b.xml".into(), f)]).unwrap_err();
    assert_eq!(err.problems.len(), 1);
    assert_eq!(
        err.problems[0].to_string(),
        r#"b.xml: cbc:ID "2026-INV-7": the same number is already in a.xml"#
    );
}

proptest! {
    #[test]
    fn never_panics_on_arbitrary_text(s in "\\PC{0,300}") {
        let _ = parse_document("x.xml", s.as_bytes());
    }

    #[test]
    fn never_panics_on_a_cut_or_damaged_sample(cut in 0usize..4935, byte in any::<u8>()) {
        let mut f = fixture("ubl/ubl-tc434-creditnote1.xml");
        f.truncate(cut.min(f.len()));
        if let Some(last) = f.last_mut() { *last = byte; }
        let _ = parse_document("x.xml", &f);
    }
}

#[test]
fn terminal_escapes_and_characters_xml_forbids_are_refused() {
    let sample = String::from_utf8(fixture("ubl/ubl-tc434-example2.xml")).unwrap();
    let with = |name: &str| sample.replace("The Buyercompany", name);
    let messages = |xml: String| -> Vec<String> {
        parse_document("doc.xml", xml.as_bytes()).unwrap_err().iter().map(|p| p.to_string()).collect()
    };
    // A character reference to ESC: XML 1.0 forbids the character itself.
    let m = messages(with("Evil&#27;]0;x&#7;BV"));
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(
        m[0].starts_with("doc.xml:") && m[0].contains("&#27; stands for U+001B, a character XML 1.0 forbids"),
        "{m:?}"
    );
    // The raw character, likewise, with its line.
    let m = messages(with("Evil\u{1b}]0;x\u{7}BV"));
    assert!(m[0].contains("not well-formed XML: it holds U+001B"), "{m:?}");
    // XML allows a right-to-left override and DEL; settle does not, in what it keeps.
    for (name, code) in
        [("Evil&#x202E;BV", "U+202E"), ("Evil\u{202e}BV", "U+202E"), ("Evil&#127;BV", "U+007F")]
    {
        let m = messages(with(name));
        assert!(
            m[0].contains("cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName"),
            "{m:?}"
        );
        assert!(m[0].contains(code), "{m:?}");
    }
}

#[test]
fn the_embedded_pdf_is_the_first_attachment_that_is_one() {
    let i = invoice("own/ubl-pdf/invoice-with-pdf.xml");
    let pdf = i.pdf.expect("the embedded PDF");
    assert!(pdf.starts_with(b"%PDF-1.4") && pdf.ends_with(b"%%EOF\n"), "{:?}", &pdf[..20]);
    assert_eq!(pdf.len(), 604);
    assert!(i.warnings.is_empty(), "{:?}", i.warnings);
    // An invoice without attachments has none and says nothing.
    let plain = invoice("own/ubl/invoice-peeters.xml");
    assert_eq!((plain.pdf, plain.warnings.len()), (None, 0));
}

#[test]
fn an_embedded_pdf_that_is_not_one_is_skipped_with_a_warning() {
    // The official Peppol example embeds "Testing Base64 encoding" as application/pdf.
    let i = invoice("ubl/ubl-tc434-example2.xml");
    assert_eq!(i.pdf, None);
    let w: Vec<String> = i.warnings.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        w,
        [
            "ubl/ubl-tc434-example2.xml:48: cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject: \
          the embedded PDF is skipped (not a PDF: it does not start with %PDF-); the invoice is imported without it"
        ]
    );
    let text = String::from_utf8(fixture("own/ubl-pdf/invoice-with-pdf.xml")).unwrap();
    let bad = text.replacen(
        "<cbc:EmbeddedDocumentBinaryObject mimeCode=\"application/pdf\" filename=\"2026-INV-9.pdf\">",
        "<cbc:EmbeddedDocumentBinaryObject mimeCode=\"application/pdf\">*not base64*",
        1,
    );
    let Document::Invoice(i) = parse_document("bad.xml", bad.as_bytes()).unwrap() else { panic!() };
    assert_eq!(i.pdf, None);
    assert!(i.warnings[0].to_string().contains("not base64"), "{:?}", i.warnings);
    // Over 20 MiB (the bound --pdf has): refused before decoding.
    let huge = format!("JVBERi0x{}", "A".repeat(28 * 1024 * 1024));
    let big = text.replacen("JVBERi0x", &huge, 1);
    let Document::Invoice(i) = parse_document("big.xml", big.as_bytes()).unwrap() else { panic!() };
    assert_eq!(i.pdf, None);
    assert!(i.warnings[0].to_string().contains("larger than 20 MiB"), "{:?}", i.warnings);
}
