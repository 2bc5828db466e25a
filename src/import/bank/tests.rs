use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::dec;

use super::closest::words;
use super::*;
use crate::domain::customer::{CustomerId, Profile};
use crate::domain::invoice::{Invoice, InvoiceId, InvoiceRow};
use crate::domain::money::{Currency, Money, to_cents};
use crate::store::OpenInvoice;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn today() -> NaiveDate {
    d("2026-11-23")
}

#[test]
fn the_sample_statement() {
    let p = parse_statement("bank.csv", &fixture("csv/bank-statement.csv"), &[], today()).unwrap();
    let got: Vec<(NaiveDate, Decimal, &str, &str)> = p
        .records
        .iter()
        .map(|l| (l.date, l.amount, l.counterparty.as_str(), l.communication.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (d("2026-11-05"), dec!(750.00), "HARBOUR LIGHTS LTD", "+++000/0000/00202+++"),
            (d("2026-11-07"), dec!(1000.00), "ATELIER DUBOIS SPRL", "F2026-031 partial"),
            (d("2026-11-09"), dec!(89.90), "LIBRAIRIE VANNESTE", "facture F2026-033"),
            (d("2026-11-12"), dec!(42.00), "UNKNOWN SENDER", "gift"),
        ]
    );
    assert!(p.records.iter().all(|l| l.kind == PaymentKind::Payment && l.invoice.is_none()));
}

#[test]
fn identical_lines_get_distinct_identities_that_repeat_on_reimport() {
    let csv = b"date;amount;communication\n2026-11-01;10,00;INV-1\n2026-11-01;10,00;INV-1\n2026-11-02;10,00;INV-1\n";
    let a = parse_statement("a.csv", csv, &[], today()).unwrap();
    let ids: Vec<&str> = a.records.iter().map(|l| l.entry_ref.as_deref().unwrap_or("")).collect();
    assert_eq!(ids.len(), 3);
    assert_ne!(ids[0], ids[1]);
    assert_ne!(ids[0], ids[2]);
    let b = parse_statement("renamed.csv", csv, &[], today()).unwrap();
    assert_eq!(
        a.records.iter().map(|l| (&l.entry_ref, l.seq)).collect::<Vec<_>>(),
        b.records.iter().map(|l| (&l.entry_ref, l.seq)).collect::<Vec<_>>()
    );
}

#[test]
fn bad_lines_are_all_reported() {
    let err = parse_statement("bank-bad.csv", &fixture("own/bad/bank-bad.csv"), &[], today()).unwrap_err();
    let lines: Vec<String> = err.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        lines,
        [
            r#"bank-bad.csv:2: Amount "75O,00": not an amount: it contains letters"#,
            r#"bank-bad.csv:3: Date "01/01/2099": after today (2026-11-23): record a payment once it has arrived"#,
        ]
    );
}

#[test]
fn a_statement_without_communication_is_refused() {
    let err = parse_statement("b.csv", b"date;amount;who\n2026-11-01;10;x\n", &[], today()).unwrap_err();
    assert!(err.to_string().contains("no communication column"), "{err}");
    let ok = parse_statement(
        "b.csv",
        b"date;amount;who\n2026-11-01;10;x\n",
        &["communication=who".into()],
        today(),
    );
    assert!(ok.is_ok());
}

#[test]
fn tokens_that_may_be_invoice_numbers() {
    assert_eq!(number_tokens("facture F2026-033."), ["F2026-033"]);
    assert_eq!(number_tokens("Inv #2026-041, 2026-042 (part)"), ["2026-041", "2026-042"]);
    assert!(number_tokens("gift for you").is_empty());
}

fn open_row(number: &str, customer: &str, amount: Decimal, open: Decimal, due: &str) -> InvoiceRow {
    InvoiceRow {
        invoice: Invoice {
            id: InvoiceId(1),
            number: number.into(),
            customer_id: CustomerId(1),
            issued: d("2026-09-01"),
            due: d(due),
            amount: Money::new(amount, Currency::EUR),
            description: String::new(),
            reference: None,
            open,
            disputed: false,
            written_off: false,
        },
        customer: customer.into(),
        profile: Profile::Standard,
        steps_done: Vec::new(),
    }
}

/// The index of these open invoices, as an import makes it from the book.
fn index_of(open: &[InvoiceRow]) -> OpenIndex {
    let mut index = OpenIndex::new().unwrap();
    for r in open {
        index
            .add(&OpenInvoice {
                number: &r.invoice.number,
                customer_id: r.invoice.customer_id,
                customer: &r.customer,
                due: r.invoice.due,
                amount_cents: to_cents(r.invoice.amount.amount).unwrap(),
                open_cents: to_cents(r.invoice.open).unwrap(),
                currency: r.invoice.amount.currency,
            })
            .unwrap();
    }
    index.done().unwrap();
    index
}

/// The candidates for a statement's one line, among these open invoices (one customer id a
/// name, as in a book): their numbers and why.
fn offered(line: &str, open: &[(&str, &str, Decimal)]) -> Vec<(String, &'static str)> {
    let text = format!("date;amount;counterparty;communication\n{line}\n");
    let p = parse_statement("b.csv", text.as_bytes(), &[], today()).unwrap();
    let mut names: Vec<&str> = Vec::new();
    let rows: Vec<InvoiceRow> = open
        .iter()
        .enumerate()
        .map(|(n, (number, name, amount))| {
            let mut row = open_row(number, name, *amount, *amount, &format!("2026-10-{:02}", n * 4 + 1));
            let id = names.iter().position(|x| x == name).unwrap_or_else(|| {
                names.push(name);
                names.len() - 1
            });
            row.invoice.customer_id = CustomerId(id as i64 + 1);
            row
        })
        .collect();
    closest(&p.records[0], &index_of(&rows), &[]).unwrap().into_iter().map(|c| (c.number, c.why)).collect()
}

#[test]
fn closest_candidates_by_amount_and_counterparty() {
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str, Decimal)], &'a [(&'a str, &'a str)]);
    let cases: [Case; 2] = [
        (
            "2026-11-12;42,00;MAPLE AND FINCH BV;thanks",
            &[
                ("INV-1", "Quarry Design", dec!(42)),
                ("INV-2", "Maple & Finch", dec!(42)),
                ("INV-3", "Maple & Finch", dec!(900)),
                ("INV-4", "Harbour Lights Ltd", dec!(10)),
            ],
            &[
                ("INV-2", "same customer name and amount"),
                ("INV-3", "same customer name"),
                ("INV-1", "same open amount"),
            ],
        ),
        // A name that shares a word is similar, not the same.
        (
            "2026-11-07;1000,00;ATELIER DUBOIS SPRL;F2026-031 partial",
            &[
                ("INV-1", "Atelier Dupont SRL", dec!(9235.99)),
                ("INV-2", "Atelier Dubois", dec!(1000)),
                ("INV-3", "Atelier Dupont SRL", dec!(1000)),
            ],
            &[
                ("INV-2", "same customer name and amount"),
                ("INV-3", "similar customer name, same amount"),
                ("INV-1", "similar customer name"),
            ],
        ),
    ];
    for (line, open, want) in cases {
        let want: Vec<(String, &str)> = want.iter().map(|(n, why)| (n.to_string(), *why)).collect();
        assert_eq!(offered(line, open), want, "{line}");
    }
}

/// The candidates as the rules say them, every open invoice scored and sorted: what the
/// index must give.
fn closest_by_scanning(
    line: &BankLine,
    open: &[InvoiceRow],
    iban_of: &[CustomerId],
) -> Vec<(String, &'static str)> {
    let mut theirs = words(&line.counterparty);
    theirs.sort_unstable();
    theirs.dedup();
    let mut scored: Vec<(u32, &InvoiceRow, &'static str)> = open
        .iter()
        .filter(|r| line.currency.is_none_or(|c| c == r.invoice.amount.currency))
        .filter_map(|r| {
            let inv = &r.invoice;
            let (amount_score, amount_why) = amount_match(inv, line.amount);
            let ours = words(&r.customer);
            let shared = theirs.iter().filter(|w| ours.contains(w)).count() as u32;
            let known_account = iban_of.contains(&inv.customer_id);
            let same = ours.iter().all(|w| theirs.contains(w));
            let name_score = if known_account {
                8
            } else if shared > 0 {
                2 + 2 * shared
            } else {
                0
            };
            let why = match (known_account, name_score > 0, amount_score >= 3) {
                (true, _, true) => "paid from this account before; same amount",
                (true, _, false) => "paid from this account before",
                (false, true, true) if same => "same customer name and amount",
                (false, true, true) => "similar customer name, same amount",
                (false, true, false) if same => "same customer name",
                (false, true, false) => "similar customer name",
                (false, false, true) => amount_why,
                (false, false, false) => return None,
            };
            Some((name_score + amount_score, r, why))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.invoice.due.cmp(&b.1.invoice.due)));
    scored.into_iter().take(3).map(|(_, r, why)| (r.invoice.number.clone(), why)).collect()
}

proptest! {
    #[test]
    fn the_index_finds_what_scanning_every_invoice_finds(
        invoices in proptest::collection::vec((0usize..6, 1i64..6, 0i64..6, 1u32..28), 0..40),
        counterparty in 0usize..8,
        paid in 1i64..7,
        known in proptest::collection::vec(0i64..7, 0..3),
    ) {
        let names = ["Maple & Finch", "Maple Studio BV", "Finch Maple", "Quarry Design", "Harbour Lights Ltd", "Van Van Maple"];
        let mut open: Vec<InvoiceRow> = invoices
            .iter()
            .enumerate()
            .map(|(n, (c, amount, part, day))| {
                let amount = Decimal::from(amount * 10);
                let open = (amount - Decimal::from(part * 10)).max(Decimal::from(5));
                let mut row = open_row(&format!("INV-{n}"), names[*c], amount, open, &format!("2026-10-{day:02}"));
                row.invoice.customer_id = CustomerId(*c as i64);
                row
            })
            .collect();
        // In the book's order, which ranks equals: oldest due date first, then by number.
        open.sort_by(|a, b| (a.invoice.due, &a.invoice.number).cmp(&(b.invoice.due, &b.invoice.number)));
        let theirs = ["MAPLE AND FINCH BV", "maple", "Quarry", "van maple", "nobody", "Finch", "Harbour Maple Finch", ""][counterparty];
        let text = format!("date;amount;counterparty;communication\n2026-11-12;{};{theirs};thanks\n", paid * 10);
        let p = parse_statement("b.csv", text.as_bytes(), &[], today()).unwrap();
        let line = &p.records[0];
        // Customers who paid from the line's account before (6: one with no open invoice).
        let known: Vec<CustomerId> = known.into_iter().map(CustomerId).collect();
        let got: Vec<(String, &str)> =
            closest(line, &index_of(&open), &known).unwrap().into_iter().map(|c| (c.number, c.why)).collect();
        prop_assert_eq!(got, closest_by_scanning(line, &open, &known));
    }

    #[test]
    fn never_panics_on_arbitrary_statements(s in "[a-zA-Z0-9,;\"\t\n .€+/-]{0,300}") {
        let text = format!("date;amount;counterparty;communication\n{s}");
        let _ = parse_statement("x.csv", text.as_bytes(), &[], today());
    }
}
