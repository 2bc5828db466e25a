//! Sample contexts every template is rendered against when it is loaded: one with every
//! field filled and every flag on, one with every flag off and every list empty.

use super::context::{
    AppliedLine, CallCtx, ClaimCtx, ConsumerCtx, Cust, Dated, HistoryCtx, Instalment, Inv, LetterContext,
    Line, Me, NoticeCtx, PaymentCtx, Term,
};

fn s(full: bool, text: &str) -> String {
    if full { text.to_string() } else { String::new() }
}

pub fn sample(full: bool) -> LetterContext {
    let line = || Line {
        from: "16 December 2024".into(),
        to: "31 December 2024".into(),
        days: 16,
        principal: "€1,000.00".into(),
        rate: "12.5 %".into(),
        amount: "€5.48".into(),
    };
    LetterContext {
        kind: "reminder".into(),
        lang: "en".into(),
        jurisdiction: "BE".into(),
        today: "23 November 2026".into(),
        me: Me {
            name: "An Peeters".into(),
            company: s(full, "Peeters Ontwerp"),
            sender: "Peeters Ontwerp".into(),
            address: s(full, "Kerkstraat 1\n9000 Gent"),
            iban: s(full, "BE68 5390 0754 7034"),
            bic: s(full, "GKCCBEBB"),
            vat: s(full, "BE0123456749"),
            enterprise: s(full, "0123.456.749"),
            email: s(full, "an@example.be"),
            phone: s(full, "+32 470 12 34 56"),
        },
        customer: Cust {
            name: "Sample Customer BV".into(),
            contact: s(full, "Jan Sample"),
            greeting: "Jan Sample".into(),
            first_name: s(full, "Jan"),
            full_name: s(full, "Jan Sample"),
            email: s(full, "jan@example.be"),
            phone: s(full, "+32 9 123 45 67"),
            vat: s(full, "BE0987654321"),
            address: s(full, "Kerkstraat 1\n9000 Gent"),
            consumer: full,
        },
        invoice: Inv {
            number: "2026-000001".into(),
            issued: "1 October 2026".into(),
            due: "31 October 2026".into(),
            amount: "€1,250.00".into(),
            paid: "€250.00".into(),
            open: "€1,000.00".into(),
            reference: "+++000/0000/00101+++".into(),
            description: s(full, "Website translation"),
            days_late: if full { 23 } else { 0 },
            partly_paid: full,
            imputed: full,
        },
        term: Term { days: 14, date: s(full, "7 December 2026"), from_receipt: !full },
        claim: ClaimCtx {
            lawful: full,
            charges_from: s(full, "1 November 2026"),
            as_of: "23 November 2026".into(),
            principal: "€1,000.00".into(),
            has_interest: full,
            interest: "€5.48".into(),
            interest_lines: if full { vec![line(), line()] } else { vec![] },
            interest_basis: s(full, "commercial"),
            compounded: full,
            capitalised: if full {
                vec![Dated { date: "16 December 2025".into(), amount: "€125.00".into() }]
            } else {
                vec![]
            },
            interest_paid: "€0.00".into(),
            interest_open: "€5.48".into(),
            rate: s(full, "10.5 %"),
            has_compensation: full,
            compensation: "€40.00".into(),
            compensation_paid: "€0.00".into(),
            compensation_open: "€40.00".into(),
            applied: if full {
                vec![AppliedLine {
                    date: "20 November 2026".into(),
                    amount: "€250.00".into(),
                    costs: "€40.00".into(),
                    interest: "€5.00".into(),
                    principal: "€205.00".into(),
                }]
            } else {
                vec![]
            },
            runs: full,
            has_principal: full,
            compensation_rule: s(full, "fixed_b2b"),
            compensation_lines: if full { vec!["€40.00".into()] } else { vec![] },
            compensation_floor: s(full, "€40.00"),
            compensation_cap: s(full, "€6,775.00"),
            total: "€1,045.48".into(),
        },
        consumer: ConsumerCtx {
            first_reminder: full,
            term_days: 14,
            term_end: s(full, "7 December 2026"),
            has_costs: full,
            costs: s(full, "€90.00"),
            max_costs: s(full, "€90.00"),
            interest_basis: "legal".into(),
            interest_rate: s(full, "4.5 %"),
            interest_per_day: s(full, "€0.12"),
        },
        call: CallCtx {
            date: s(full, "20 November 2026"),
            summary: s(full, "Spoke with Jan; the invoice was waiting for approval."),
            has_promise: full,
            promise_date: s(full, "30 November 2026"),
            promise_amount: s(full, "€1,000.00"),
            has_plan: full,
            instalments: if full {
                vec![
                    Instalment { date: "30 November 2026".into(), amount: "€500.00".into() },
                    Instalment { date: "31 December 2026".into(), amount: "€500.00".into() },
                ]
            } else {
                vec![]
            },
        },
        payment: PaymentCtx { date: s(full, "20 November 2026"), amount: s(full, "€1,000.00") },
        notice: NoticeCtx {
            sent: s(full, "10 December 2026"),
            tracking: s(full, "RR123456789BE"),
            received: s(full, "12 December 2026"),
        },
        history: HistoryCtx { reminders: if full { 2 } else { 0 }, called: full },
        asks: None,
    }
}
