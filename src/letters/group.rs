//! One letter per customer: a customer's invoices at the same letter step today, in one
//! letter (a statement) instead of one letter each. Today folds them into one line
//! ([`crate::domain::agenda::fold_by_customer`]); `l` on that line and
//! `settle letter --customer NAME` both call [`compose`].
//!
//! The letter lists the invoices in a table (number, issue date, due date, amount open and,
//! in a formal notice, the interest and costs each may claim), asks their total, and
//! repeats per invoice what the law asks of a consumer's first reminder and the computation
//! of each claim: every figure comes from the invoice's own letter context
//! ([`super::context::build`]) and its checks ([`super::send::letter_for`],
//! [`super::mentions::lacking`]), never from a second copy of a rule. A group of one is the
//! single letter, byte for byte.
//!
//! Only the letter steps group (nudge, reminder, firm reminder, formal notice): a call is
//! made per customer but confirmed per agreement, and each invoice goes to an agency with
//! its own dossier.

use crate::domain::format;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};
use rust_decimal::Decimal;

use super::context::{self, Ask, LetterContext};
use super::format::Fmt;
use super::send::{default_channel, letter_for, record_all, safe_name};
use super::{Letter, LetterError, LetterKind, Letters};
use crate::config::Config;
use crate::domain::customer::{CustomerId, Language};
use crate::domain::event::Channel;
use crate::domain::interest::round_cents;
use crate::domain::invoice::InvoiceId;
use crate::domain::ladder::State;
use crate::domain::money::Currency;
use crate::domain::policy::Step;
use crate::service::CaseFile;
use crate::store::Store;

/// The steps whose letters may be grouped per customer.
pub const GROUPABLE: [Step; 4] = [Step::Nudge, Step::Reminder, Step::FirmReminder, Step::FormalNotice];

/// Whether `kind` is the letter of a step that may be grouped.
pub fn groupable(kind: LetterKind) -> bool {
    kind.step().is_some_and(|s| GROUPABLE.contains(&s))
}

/// The most characters of the EPC code's unstructured remittance (EPC069-12, "Remittance
/// Information (Unstructured)": at most 140 characters).
pub const REMITTANCE_CHARS: usize = 140;

/// A customer's letter about one or more invoices, ready to show, save, print or send.
#[derive(Debug, Clone)]
pub struct Grouped {
    pub letter: Letter,
    /// The invoices, in the letter's order, with their numbers.
    pub invoices: Vec<(InvoiceId, String)>,
    /// Per invoice: whether the letter is its consumer's first reminder and carries every
    /// mention the law requires (sending it then starts the consumer's 14 days).
    pub compliant: Vec<bool>,
    /// What the letter asks in total: the sum of what each invoice's own letter asks.
    pub total: Decimal,
    pub currency: Currency,
    /// What the PDF and the email are laid out from: the first invoice's context asking the
    /// total, with the invoice numbers as the payment's remittance.
    pub layout: LetterContext,
}

impl Grouped {
    /// The invoice numbers, as a sentence names them: "F-1, F-2 and F-3".
    pub fn numbers(&self) -> String {
        let numbers: Vec<&str> = self.invoices.iter().map(|(_, n)| n.as_str()).collect();
        match numbers.split_last() {
            Some((last, [])) => (*last).to_string(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
            None => String::new(),
        }
    }

    /// What errors name: "invoice F-1" or "invoices F-1 and F-2".
    fn what(&self) -> String {
        if self.invoices.len() == 1 {
            format!("invoice {}", self.numbers())
        } else {
            format!("invoices {}", self.numbers())
        }
    }
}

/// The words of a grouped letter in one language.
struct Words {
    dear: fn(&str) -> String,
    /// The formal notice's greeting, by full name.
    dear_formal: fn(&str) -> String,
    sir: &'static str,
    heads: [&'static str; 7],
    total: &'static str,
    subject: fn(Step, usize, &str) -> String,
    intro: fn(Step) -> &'static str,
    /// The request: step, the total, " to IBAN" (or empty), the term (date or days).
    ask: fn(Step, &str, &str, &Term) -> String,
    /// " to <iban>" in this language.
    to_iban: fn(&str) -> String,
    claims: &'static str,
    closing: fn(Step) -> &'static str,
    regards: fn(Step, bool) -> &'static str,
    see_letter: &'static str,
    registered: &'static str,
}

/// The payment term of the letter: a date, or a number of days from receipt.
struct Term {
    date: String,
    days: u32,
}

fn words(lang: Language) -> Words {
    match lang {
        Language::En => Words {
            dear: |n| format!("Dear {n},"),
            dear_formal: |n| format!("Dear {n},"),
            sir: "Dear Sir or Madam,",
            heads: ["Invoice", "Date", "Due date", "Open", "Interest", "Costs", "To pay"],
            total: "Total",
            subject: |step, n, date| match step {
                Step::Nudge => format!("{n} invoices fall due soon"),
                Step::FirmReminder if !date.is_empty() => {
                    format!("Reminder: {n} open invoices, please pay by {date}")
                }
                Step::FormalNotice => format!("Formal notice of default: {n} invoices"),
                _ => format!("Reminder: {n} open invoices"),
            },
            intro: |step| match step {
                Step::Nudge => {
                    "A friendly note: the invoices below fall due soon. I mention it only so that they do not slip through."
                }
                Step::FirmReminder => {
                    "The invoices below are still unpaid, although their due dates have passed."
                }
                Step::FormalNotice => "The invoices below have fallen due and are still unpaid.",
                _ => {
                    "According to my records, the invoices below are still open. They may simply have slipped through; that happens to all of us."
                }
            },
            ask: |step, total, iban, term| match step {
                Step::Nudge => {
                    format!(
                        "Thank you for transferring {total}{iban} by the due dates, each invoice with its reference:"
                    )
                }
                Step::FirmReminder if term.date.is_empty() => format!(
                    "I ask you to pay {total} within {} days from the day after you receive this letter{iban}, each invoice with its reference:",
                    term.days
                ),
                Step::FirmReminder => format!(
                    "I ask you to pay {total} by {} at the latest{iban}, each invoice with its reference:",
                    term.date
                ),
                Step::FormalNotice => format!(
                    "I hereby give you formal notice to pay {total} within {} days of receiving this letter{iban}, each invoice with its reference:",
                    term.days
                ),
                _ => format!("Could you transfer {total}{iban}, each invoice with its reference?"),
            },
            to_iban: |iban| format!(" to {iban}"),
            claims: "How the interest and costs of each invoice are computed:",
            closing: |step| match step {
                Step::Nudge => "If you have already paid, thank you, and please disregard this message.",
                Step::FirmReminder => {
                    "If there is a reason these invoices have not been paid, a question about the work or a tight month, please call or write me before that date. An instalment plan is possible, and I would much rather agree on one than let this drag on."
                }
                Step::FormalNotice => {
                    "If payment has not reached me by then, I will hand this claim to a collection agency without further notice. If you believe an amount is not owed, tell me in writing before that date."
                }
                _ => {
                    "If you have already paid, thank you, and please disregard this reminder. And if something is holding the payment up, tell me: we will find a solution together."
                }
            },
            regards: |step, named| match step {
                Step::FormalNotice if named => "Yours sincerely,",
                Step::FormalNotice => "Yours faithfully,",
                _ => "Kind regards,",
            },
            see_letter: "see letter",
            registered: "By registered mail",
        },
        Language::Nl => Words {
            dear: |n| format!("Beste {n},"),
            dear_formal: |n| format!("Geachte {n},"),
            sir: "Geachte heer, mevrouw,",
            heads: ["Factuur", "Datum", "Vervaldag", "Open", "Rente", "Kosten", "Te betalen"],
            total: "Totaal",
            subject: |step, n, date| match step {
                Step::Nudge => format!("{n} facturen vervallen binnenkort"),
                Step::FirmReminder if !date.is_empty() => {
                    format!("Herinnering: {n} openstaande facturen, graag betaald uiterlijk op {date}")
                }
                Step::FormalNotice => format!("Ingebrekestelling: {n} facturen"),
                _ => format!("Herinnering: {n} openstaande facturen"),
            },
            intro: |step| match step {
                Step::Nudge => {
                    "Een vriendelijk bericht: de facturen hieronder vervallen binnenkort. Ik meld het alleen, zodat ze niet aan de aandacht ontsnappen."
                }
                Step::FirmReminder => {
                    "De facturen hieronder zijn nog niet betaald, hoewel hun vervaldag voorbij is."
                }
                Step::FormalNotice => "De facturen hieronder zijn vervallen en nog altijd niet betaald.",
                _ => {
                    "Volgens mijn gegevens staan de facturen hieronder nog open. Misschien zijn ze gewoon aan de aandacht ontsnapt; dat overkomt ons allemaal."
                }
            },
            ask: |step, total, iban, term| match step {
                Step::Nudge => format!(
                    "Wilt u {total}{iban} overschrijven tegen de vervaldagen, elke factuur met haar mededeling:"
                ),
                Step::FirmReminder if term.date.is_empty() => format!(
                    "Ik vraag u {total} te betalen binnen {} dagen vanaf de dag na ontvangst van deze brief{iban}, elke factuur met haar mededeling:",
                    term.days
                ),
                Step::FirmReminder => format!(
                    "Ik vraag u {total} te betalen uiterlijk op {}{iban}, elke factuur met haar mededeling:",
                    term.date
                ),
                Step::FormalNotice => format!(
                    "Hierbij stel ik u in gebreke om {total} te betalen binnen {} dagen na ontvangst van deze brief{iban}, elke factuur met haar mededeling:",
                    term.days
                ),
                _ => format!("Wilt u {total} overschrijven{iban}, elke factuur met haar mededeling?"),
            },
            to_iban: |iban| format!(" op {iban}"),
            claims: "Hoe de rente en de kosten van elke factuur berekend zijn:",
            closing: |step| match step {
                Step::Nudge => "Hebt u al betaald, dan dank ik u en mag u dit bericht vergeten.",
                Step::FirmReminder => {
                    "Is er een reden waarom deze facturen niet betaald zijn, een vraag over het werk of een krappe maand, bel of schrijf me dan voor die datum. Een afbetalingsplan is mogelijk, en ik spreek er veel liever een af dan dit te laten aanslepen."
                }
                Step::FormalNotice => {
                    "Is de betaling dan niet binnen, dan geef ik deze vordering zonder verdere aankondiging uit handen aan een incassobureau. Meent u dat een bedrag niet verschuldigd is, laat het me dan voor die datum schriftelijk weten."
                }
                _ => {
                    "Hebt u intussen al betaald, dan dank ik u en mag u deze herinnering vergeten. En als er iets is dat de betaling tegenhoudt, zeg het me gerust: samen vinden we een oplossing."
                }
            },
            regards: |_, _| "Met vriendelijke groeten,",
            see_letter: "zie brief",
            registered: "Aangetekend",
        },
        Language::Fr => Words {
            dear: |n| format!("Bonjour {n},"),
            dear_formal: |_| "Madame, Monsieur,".to_string(),
            sir: "Madame, Monsieur,",
            heads: ["Facture", "Date", "Échéance", "Solde", "Intérêts", "Frais", "À payer"],
            total: "Total",
            subject: |step, n, date| match step {
                Step::Nudge => format!("{n} factures arrivent à échéance"),
                Step::FirmReminder if !date.is_empty() => {
                    format!("Rappel : {n} factures impayées, à régler au plus tard le {date}")
                }
                Step::FormalNotice => format!("Mise en demeure : {n} factures"),
                _ => format!("Rappel : {n} factures impayées"),
            },
            intro: |step| match step {
                Step::Nudge => {
                    "Un petit mot amical : les factures ci-dessous arrivent bientôt à échéance. Je vous le signale simplement pour qu'elles ne vous échappent pas."
                }
                Step::FirmReminder => {
                    "Les factures ci-dessous restent impayées, bien que leur échéance soit passée."
                }
                Step::FormalNotice => "Les factures ci-dessous sont échues et restent impayées.",
                _ => {
                    "Sauf erreur de ma part, les factures ci-dessous ne sont pas encore réglées. Elles vous ont peut-être simplement échappé ; cela arrive à tout le monde."
                }
            },
            ask: |step, total, iban, term| match step {
                Step::Nudge => {
                    format!(
                        "Merci de virer {total}{iban} à leurs échéances, chaque facture avec sa communication :"
                    )
                }
                Step::FirmReminder if term.date.is_empty() => format!(
                    "Je vous demande de payer {total} dans les {} jours à compter du lendemain de la réception de ce courrier{iban}, chaque facture avec sa communication :",
                    term.days
                ),
                Step::FirmReminder => format!(
                    "Je vous demande de payer {total} au plus tard le {}{iban}, chaque facture avec sa communication :",
                    term.date
                ),
                Step::FormalNotice => format!(
                    "Par la présente, je vous mets en demeure de payer {total} dans les {} jours de la réception de ce courrier{iban}, chaque facture avec sa communication :",
                    term.days
                ),
                _ => format!("Pourriez-vous virer {total}{iban}, chaque facture avec sa communication ?"),
            },
            to_iban: |iban| format!(" sur le compte {iban}"),
            claims: "Le calcul des intérêts et des frais de chaque facture :",
            closing: |step| match step {
                Step::Nudge => "Si vous avez déjà payé, merci, et ne tenez pas compte de ce message.",
                Step::FirmReminder => {
                    "S'il y a une raison à ce retard, une question sur le travail ou un mois difficile, appelez-moi ou écrivez-moi avant cette date. Un plan de paiement est possible, et je préfère de loin en convenir que de laisser traîner les choses."
                }
                Step::FormalNotice => {
                    "À défaut de paiement dans ce délai, je confierai cette créance à une société de recouvrement sans autre avis. Si vous estimez qu'un montant n'est pas dû, faites-le-moi savoir par écrit avant cette date."
                }
                _ => {
                    "Si vous avez déjà payé, merci, et ne tenez pas compte de ce rappel. Et si quelque chose bloque le paiement, dites-le-moi : nous trouverons une solution ensemble."
                }
            },
            regards: |step, _| match step {
                Step::FormalNotice => "Veuillez agréer, Madame, Monsieur, mes salutations distinguées.",
                _ => "Bien cordialement,",
            },
            see_letter: "voir lettre",
            registered: "Par recommandé",
        },
        Language::De => Words {
            dear: |n| format!("Guten Tag {n},"),
            dear_formal: |_| "Sehr geehrte Damen und Herren,".to_string(),
            sir: "Sehr geehrte Damen und Herren,",
            heads: ["Rechnung", "Datum", "Fällig", "Offen", "Zinsen", "Kosten", "Zu zahlen"],
            total: "Summe",
            subject: |step, n, date| match step {
                Step::Nudge => format!("{n} Rechnungen werden bald fällig"),
                Step::FirmReminder if !date.is_empty() => {
                    format!("Mahnung: {n} offene Rechnungen, bitte zahlen bis {date}")
                }
                Step::FormalNotice => format!("Inverzugsetzung: {n} Rechnungen"),
                _ => format!("Zahlungserinnerung: {n} offene Rechnungen"),
            },
            intro: |step| match step {
                Step::Nudge => "Ein freundlicher Hinweis: Die folgenden Rechnungen werden bald fällig.",
                Step::FirmReminder => "Die folgenden Rechnungen sind trotz Fälligkeit noch nicht bezahlt.",
                Step::FormalNotice => "Die folgenden Rechnungen sind fällig und noch immer nicht bezahlt.",
                _ => {
                    "Nach meinen Unterlagen sind die folgenden Rechnungen noch offen. Vielleicht sind sie einfach untergegangen; das passiert jedem."
                }
            },
            ask: |step, total, iban, term| match step {
                Step::Nudge => format!(
                    "Bitte überweisen Sie {total}{iban} zu den Fälligkeitsdaten, jede Rechnung mit ihrem Verwendungszweck:"
                ),
                Step::FirmReminder if term.date.is_empty() => format!(
                    "Ich bitte Sie, {total} innerhalb von {} Tagen ab dem Tag nach Erhalt dieses Schreibens zu zahlen{iban}, jede Rechnung mit ihrem Verwendungszweck:",
                    term.days
                ),
                Step::FirmReminder => format!(
                    "Ich bitte Sie, {total} spätestens bis {} zu zahlen{iban}, jede Rechnung mit ihrem Verwendungszweck:",
                    term.date
                ),
                Step::FormalNotice => format!(
                    "Hiermit setze ich Sie in Verzug und fordere Sie auf, {total} innerhalb von {} Tagen nach Erhalt dieses Schreibens zu zahlen{iban}, jede Rechnung mit ihrem Verwendungszweck:",
                    term.days
                ),
                _ => {
                    format!("Könnten Sie {total}{iban} überweisen, jede Rechnung mit ihrem Verwendungszweck?")
                }
            },
            to_iban: |iban| format!(" auf {iban}"),
            claims: "Die Berechnung der Zinsen und Kosten je Rechnung:",
            closing: |step| match step {
                Step::Nudge => {
                    "Falls Sie bereits bezahlt haben, vielen Dank; dann ist diese Nachricht gegenstandslos."
                }
                Step::FirmReminder => {
                    "Wenn es einen Grund für die Verzögerung gibt, rufen Sie mich bitte vor diesem Datum an oder schreiben Sie mir. Eine Ratenzahlung ist möglich."
                }
                Step::FormalNotice => {
                    "Geht die Zahlung bis dahin nicht ein, übergebe ich die Forderung ohne weitere Ankündigung einem Inkassobüro. Wenn Sie meinen, dass ein Betrag nicht geschuldet ist, teilen Sie es mir bitte vor diesem Datum schriftlich mit."
                }
                _ => {
                    "Falls Sie bereits bezahlt haben, vielen Dank; dann ist diese Erinnerung gegenstandslos. Und wenn etwas die Zahlung aufhält, sagen Sie es mir: Wir finden gemeinsam eine Lösung."
                }
            },
            regards: |_, _| "Mit freundlichen Grüßen,",
            see_letter: "siehe Schreiben",
            registered: "Per Einschreiben",
        },
    }
}

/// Rows as a table: columns padded to their widest cell, the first three left-aligned and
/// the amounts right-aligned, indented by two spaces.
fn table(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let width: Vec<usize> = (0..cols)
        .map(|c| rows.iter().filter_map(|r| r.get(c)).map(|s| s.chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(
                |(c, s)| {
                    if c < 3 { format!("{s:<w$}", w = width[c]) } else { format!("{s:>w$}", w = width[c]) }
                },
            )
            .collect();
        out.push_str("  ");
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// The remittance the EPC code carries for several invoices. One structured reference
/// cannot name several invoices, so the code carries the unstructured remittance instead
/// (EPC069-12, "Quick Response Code: Guidelines to Enable Data Capture for the Initiation of
/// a SEPA Credit Transfer", data element table: "Remittance Information (Unstructured)",
/// at most 140 characters): the invoice numbers, or when they do not fit, "see letter" in
/// the letter's language.
pub fn remittance(numbers: &[&str], see_letter: &str) -> String {
    let all = numbers.join(", ");
    if all.chars().count() <= REMITTANCE_CHARS { all } else { see_letter.to_string() }
}

/// The letter for the customer's `cases` at `kind`, in the customer's language (or `lang`),
/// sent by `channel`. One case: the single letter ([`letter_for`]), byte for byte. Several:
/// one statement listing them, refused unless they are the same customer's, in one
/// currency, each at `kind`'s step today, and `kind` a letter step that groups.
pub fn compose(
    cases: &[CaseFile],
    config: &Config,
    letters: &Letters,
    kind: LetterKind,
    lang: Option<Language>,
    channel: Channel,
) -> Result<Grouped> {
    let Some(first) = cases.first() else { return Err(NoGroupLetter::NoInvoice.into()) };
    let asked = |ctx: &LetterContext| ctx.asks.as_ref().map_or(Decimal::ZERO, |a| round_cents(a.amount));
    if let [case] = cases {
        let letter = letter_for(case, config, letters, kind, lang, channel, None)?;
        let call = context::last_call(case);
        let layout = context::build(case, config, kind, letter.lang, channel, &call);
        return Ok(Grouped {
            compliant: vec![letter.lacks.as_ref().is_some_and(Vec::is_empty)],
            invoices: vec![(case.invoice.id, case.invoice.number.clone())],
            total: asked(&layout),
            currency: case.invoice.amount.currency,
            layout,
            letter,
        });
    }
    let name = &first.customer.name;
    let Some(step) = kind.step().filter(|s| GROUPABLE.contains(s)) else {
        return Err(NoGroupLetter::PerInvoice { kind }.into());
    };
    let currency = first.invoice.amount.currency;
    for case in cases {
        let number = &case.invoice.number;
        if case.customer.id != first.customer.id {
            let (number, theirs, name) = (number.clone(), case.customer.name.clone(), name.clone());
            return Err(NoGroupLetter::OtherCustomer { number, theirs, name }.into());
        }
        if case.invoice.amount.currency != currency {
            let (number, its) = (number.clone(), case.invoice.amount.currency);
            return Err(NoGroupLetter::OtherCurrency { number, its, others: currency }.into());
        }
        let at = case.standing.step_to_take.filter(|_| case.standing.state == State::Open).map(|t| t.step);
        if at != Some(step) {
            return Err(NoGroupLetter::OtherStep { number: number.clone(), at, step }.into());
        }
        // The single letter's refusals hold for each (paid, not due yet…).
        letter_for(case, config, letters, kind, lang, channel, None)?;
    }
    let wanted = lang.unwrap_or(first.customer.language);
    let (_, used) = letters.template_for(kind, wanted).ok_or(LetterError::Missing { kind, lang: wanted })?;
    let contexts: Vec<LetterContext> = cases
        .iter()
        .map(|case| context::build(case, config, kind, used, channel, &context::last_call(case)))
        .collect();
    let w = words(used);
    let f = Fmt { lang: used, currency };
    let head = &contexts[0];
    let charges = step == Step::FormalNotice && cases.iter().any(|c| c.claim.lawful);

    let mut rows: Vec<Vec<String>> = Vec::new();
    let heads = if charges { &w.heads[..] } else { &w.heads[..4] };
    rows.push(heads.iter().map(|h| h.to_string()).collect());
    let (mut open, mut interest, mut costs, mut total) =
        (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for (case, ctx) in cases.iter().zip(&contexts) {
        let claim = &case.claim;
        let mut row = vec![
            case.invoice.number.clone(),
            format::numeric_date(case.invoice.issued, used),
            format::numeric_date(case.invoice.due, used),
            f.money(claim.open),
        ];
        open += claim.open;
        total += asked(ctx);
        if charges {
            let (i, c) = if claim.lawful {
                (claim.interest_open(), claim.compensation_open())
            } else {
                (Decimal::ZERO, Decimal::ZERO)
            };
            interest += round_cents(i);
            costs += round_cents(c);
            row.extend([f.money(round_cents(i)), f.money(round_cents(c)), f.money(asked(ctx))]);
        }
        rows.push(row);
    }
    let mut last = vec![w.total.to_string(), String::new(), String::new(), f.money(open)];
    if charges {
        last.extend([f.money(interest), f.money(costs), f.money(total)]);
    }
    rows.push(last);

    let term = Term { date: head.term.date.clone(), days: head.term.days };
    let n = cases.len();
    let subject = (w.subject)(step, n, &term.date);
    let mut body = String::new();
    if step == Step::FormalNotice {
        body.push_str(&format!("{}\n\n", w.registered));
    }
    let first_name = &head.customer.first_name;
    let person = if step == Step::FormalNotice { &head.customer.full_name } else { first_name };
    let greet = if step == Step::FormalNotice { w.dear_formal } else { w.dear };
    body.push_str(&if person.trim().is_empty() { w.sir.to_string() } else { greet(person) });
    body.push_str("\n\n");
    body.push_str((w.intro)(step));
    body.push_str("\n\n");
    body.push_str(&table(&rows));
    body.push('\n');
    let iban = if head.me.iban.trim().is_empty() { String::new() } else { (w.to_iban)(&head.me.iban) };
    body.push_str(&(w.ask)(step, &f.money(total), &iban, &term));
    body.push('\n');
    // Each invoice with its reference (the number alone when it is its own reference).
    let refs: Vec<Vec<String>> = contexts
        .iter()
        .map(|c| {
            let mut row = vec![c.invoice.number.clone()];
            if c.invoice.reference != c.invoice.number {
                row.push(c.invoice.reference.clone());
            }
            row
        })
        .collect();
    body.push_str(&table(&refs));
    // What the law asks of a consumer's first reminder, for each invoice it is one for.
    for ctx in contexts.iter().filter(|c| c.consumer.first_reminder) {
        body.push('\n');
        body.push_str(letters.render_part("_consumer", used, ctx)?.trim_end());
        body.push('\n');
    }
    // Each claim's computation, as the single formal notice gives it.
    if charges {
        body.push('\n');
        body.push_str(w.claims);
        body.push('\n');
        for ctx in contexts.iter().filter(|c| c.claim.lawful) {
            body.push('\n');
            body.push_str(letters.render_part("_claim", used, ctx)?.trim_end());
            body.push('\n');
        }
    }
    body.push('\n');
    body.push_str((w.closing)(step));
    body.push_str("\n\n");
    body.push_str((w.regards)(step, !person.trim().is_empty()));
    body.push_str("\n\n");
    for line in [&head.me.name, &head.me.company, &head.me.phone] {
        if !line.trim().is_empty() {
            body.push_str(line);
            body.push('\n');
        }
    }
    let compliant_of = |ctx: &LetterContext| super::mentions::lacking(ctx, &body, used);
    let mut lacks: Option<Vec<String>> = None;
    let mut compliant = Vec::with_capacity(n);
    for ctx in &contexts {
        if !ctx.consumer.first_reminder {
            compliant.push(false);
            continue;
        }
        let missing = compliant_of(ctx);
        compliant.push(missing.is_empty());
        lacks
            .get_or_insert_with(Vec::new)
            .extend(missing.into_iter().map(|m| format!("{m} (invoice {})", ctx.invoice.number)));
    }
    let numbers: Vec<&str> = cases.iter().map(|c| c.invoice.number.as_str()).collect();
    let mut layout = head.clone();
    layout.invoice.number = format!("{}+{}", numbers[0], n - 1);
    layout.asks = (total > Decimal::ZERO).then(|| Ask {
        amount: total,
        currency,
        reference: None,
        number: remittance(&numbers, w.see_letter),
    });
    let letter = Letter {
        kind,
        lang: used,
        subject,
        body,
        template: format!("settle's letter for several invoices ({used})"),
        lacks,
    };
    Ok(Grouped {
        letter,
        invoices: cases.iter().map(|c| (c.invoice.id, c.invoice.number.clone())).collect(),
        compliant,
        total,
        currency,
        layout,
    })
}

/// A step in words: "firm reminder".
fn words_of(step: Step) -> String {
    step.as_str().replace('_', " ")
}

/// Why there is no letter for several invoices at once. Each front-end adds its own hint
/// ([`NoGroupLetter::cli_hint`] names the command line's options; the app has keys instead).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoGroupLetter {
    #[error("no invoice to write to")]
    NoInvoice,
    #[error(
        "a {} is written per invoice, never for several at once: only the nudge, reminder, firm reminder and formal notice are grouped",
        kind.as_str().replace('_', " ")
    )]
    PerInvoice { kind: LetterKind },
    #[error("invoice {number} is {theirs}'s, not {name}'s: one letter goes to one customer")]
    OtherCustomer { number: String, theirs: String, name: String },
    #[error(
        "invoice {number} is in {its}, the others in {others}: one letter asks one total; write their letters per invoice"
    )]
    OtherCurrency { number: String, its: Currency, others: Currency },
    #[error(
        "invoice {number} is at {} today, not the {}: it gets its own letter",
        at.map_or_else(|| "no step due".to_string(), |s| format!("the {} step", words_of(s))),
        words_of(*step)
    )]
    OtherStep { number: String, at: Option<Step>, step: Step },
    #[error(
        "{name} has no invoice at {} today",
        step.map_or_else(
            || "a letter step (nudge, reminder, firm reminder or formal notice)".to_string(),
            |s| format!("the {} step", words_of(s))
        )
    )]
    NoneAt { name: String, step: Option<Step> },
    /// The steps with their invoices, in words: "reminder (2026-001, 2026-004)".
    #[error("{name}'s invoices are at several letter steps today: {}", steps.join(", "))]
    SeveralSteps { name: String, steps: Vec<String> },
    #[error(
        "{name}'s invoices at the {} step are in {}: one letter asks one total; write their letters per invoice",
        words_of(*step),
        currencies.iter().map(Currency::to_string).collect::<Vec<_>>().join(" and ")
    )]
    StepCurrencies { name: String, step: Step, currencies: Vec<Currency> },
}

/// The cases of the customer's invoices at a letter step today (only at `kind`'s, if
/// given), oldest due first, with the letter they share. Refused, naming the customer, when
/// none is, when `kind` is not a letter that groups, or when they stand at several steps
/// and `kind` does not choose.
pub fn cases_for_customer(
    store: &Store,
    config: &Config,
    customer: CustomerId,
    kind: Option<LetterKind>,
    today: chrono::NaiveDate,
) -> Result<(Vec<CaseFile>, LetterKind)> {
    let name = store.customer(customer)?.name;
    if let Some(k) = kind.filter(|k| !groupable(*k)) {
        return Err(NoGroupLetter::PerInvoice { kind: k }.into());
    }
    let step = kind.and_then(|k| k.step());
    let mut cases = Vec::new();
    for row in store.customer_invoices(customer)? {
        if row.invoice.open.is_zero() {
            continue;
        }
        let case = CaseFile::load(store, config, row.invoice.id, today)?;
        let at = case.standing.step_to_take.filter(|_| case.standing.state == State::Open).map(|t| t.step);
        if at.is_some_and(|s| GROUPABLE.contains(&s) && step.is_none_or(|want| want == s)) {
            cases.push(case);
        }
    }
    let steps: Vec<Step> = {
        let mut s: Vec<Step> = cases.iter().filter_map(|c| c.standing.step_to_take.map(|t| t.step)).collect();
        s.sort_by_key(|s| GROUPABLE.iter().position(|g| g == s));
        s.dedup();
        s
    };
    let chosen = match steps.as_slice() {
        [] => return Err(NoGroupLetter::NoneAt { name, step }.into()),
        [one] => *one,
        several => {
            let names: Vec<String> = several
                .iter()
                .map(|s| {
                    let numbers: Vec<&str> = cases
                        .iter()
                        .filter(|c| c.standing.step_to_take.map(|t| t.step) == Some(*s))
                        .map(|c| c.invoice.number.as_str())
                        .collect();
                    format!("{} ({})", words_of(*s), numbers.join(", "))
                })
                .collect();
            return Err(NoGroupLetter::SeveralSteps { name, steps: names }.into());
        }
    };
    cases.sort_by(|a, b| {
        a.invoice.due.cmp(&b.invoice.due).then_with(|| a.invoice.number.cmp(&b.invoice.number))
    });
    let currencies: Vec<Currency> = {
        let mut c: Vec<Currency> = cases.iter().map(|c| c.invoice.amount.currency).collect();
        c.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        c.dedup();
        c
    };
    if currencies.len() > 1 {
        return Err(NoGroupLetter::StepCurrencies { name, step: chosen, currencies }.into());
    }
    Ok((cases, LetterKind::for_step(chosen)))
}

/// How the grouped letter usually goes: as its step's single letter does.
pub fn channel(kind: LetterKind) -> Channel {
    default_channel(kind)
}

/// Where a grouped letter is kept: `letters/<customer>-<kind>-<date>.txt` beside the
/// database (a single letter: where [`super::send::default_path`] keeps it).
pub fn default_path(database: &Path, cases: &[CaseFile], kind: LetterKind) -> Option<PathBuf> {
    let first = cases.first()?;
    if cases.len() == 1 {
        return Some(super::send::default_path(database, first, kind));
    }
    let safe = safe_name(&first.customer.name);
    Some(super::send::beside(database).join("letters").join(format!("{safe}-{kind}-{}.txt", first.today)))
}

/// Writes the grouped letter as an A4 PDF to `path` (readable by you only): the single
/// letter's layout, the invoices as the body's table, the EPC code asking the total.
pub fn write_pdf(path: &Path, grouped: &Grouped) -> Result<()> {
    let bytes = super::pdf::render(&grouped.layout, &grouped.letter)?;
    crate::platform::files::write_private_with(path, |f| f.write_all(&bytes))
        .map_err(|e| anyhow!("{}: {e}", path.display()))
}

/// Saves the grouped letter to `path` (if any) and records its step on every invoice it
/// lists, in one transaction (one undo takes it back); see [`super::send::save_and_mark`].
pub fn save_and_mark(
    store: &Store,
    grouped: &Grouped,
    today: chrono::NaiveDate,
    path: Option<&Path>,
    channel: Channel,
    tracking: Option<&str>,
) -> Result<(Option<PathBuf>, Vec<i64>)> {
    record_all(
        store,
        &items(grouped),
        &grouped.what(),
        today,
        &grouped.letter,
        path,
        channel,
        tracking,
        None,
        || Ok(()),
    )
}

/// What [`send_and_mark`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub to: String,
    pub message_id: String,
    /// The step events recorded, one per invoice.
    pub events: Vec<i64>,
}

/// Composes the grouped letter's email (its PDF and the invoices' own attached) and checks,
/// before anything goes out, that `[smtp]` is set and that its step is recorded on none of
/// its invoices yet: as [`super::mail::prepare`] does for one invoice. Nothing is written.
pub fn prepare(
    store: &Store,
    config: &Config,
    cases: &[CaseFile],
    grouped: &Grouped,
) -> Result<super::mail::Outgoing> {
    let Some(case) = cases.first() else { return Err(NoGroupLetter::NoInvoice.into()) };
    let smtp = super::mail::smtp(config)?;
    let email = super::mail::compose_for(config, cases, &grouped.letter, &grouped.layout)?;
    let items = items(grouped);
    super::send::check_sendable_all(
        store,
        &items,
        &grouped.what(),
        case.today,
        &grouped.letter,
        Channel::Email,
    )?;
    Ok(super::mail::Outgoing::new(email, smtp))
}

/// Each invoice of the grouped letter with whether it is its consumer's compliant first
/// reminder.
fn items(grouped: &Grouped) -> Vec<(InvoiceId, bool)> {
    grouped.invoices.iter().map(|(id, _)| *id).zip(grouped.compliant.iter().copied()).collect()
}

/// Records the grouped letter the server accepted on every invoice it lists, in one
/// transaction, with the Message-ID.
pub fn record_delivered(
    out: &super::mail::Outgoing,
    store: &Store,
    cases: &[CaseFile],
    grouped: &Grouped,
) -> Result<Sent> {
    record_with(out, store, cases, grouped, || Ok(()))
}

fn record_with(
    out: &super::mail::Outgoing,
    store: &Store,
    cases: &[CaseFile],
    grouped: &Grouped,
    deliver: impl FnOnce() -> Result<()>,
) -> Result<Sent> {
    let Some(case) = cases.first() else { return Err(NoGroupLetter::NoInvoice.into()) };
    let note = format!("Message-ID <{}>", out.email.message_id);
    let (_, events) = record_all(
        store,
        &items(grouped),
        &grouped.what(),
        case.today,
        &grouped.letter,
        None,
        Channel::Email,
        None,
        Some(&note),
        deliver,
    )?;
    Ok(Sent { to: out.email.to.clone(), message_id: out.email.message_id.clone(), events })
}

/// Emails the grouped letter to the customer over `[smtp]` (its PDF attached) and records its
/// step on every invoice it lists, in one transaction opened once the server accepted the
/// message (none is open while it goes): as [`super::mail::send_and_mark`] does for one
/// invoice.
pub fn send_and_mark(store: &Store, config: &Config, cases: &[CaseFile], grouped: &Grouped) -> Result<Sent> {
    let out = prepare(store, config, cases, grouped)?;
    record_with(&out, store, cases, grouped, || out.deliver())
}

/// Writes the grouped letter as an email to `path` without sending it (see
/// [`super::mail::write_eml`]).
pub fn write_eml(
    path: &Path,
    config: &Config,
    cases: &[CaseFile],
    grouped: &Grouped,
) -> Result<super::mail::Email> {
    let email = super::mail::compose_for(config, cases, &grouped.letter, &grouped.layout)?;
    let text = String::from_utf8(email.bytes()).map_err(|_| anyhow!("the email is not UTF-8"))?;
    super::send::write_private(path, &text)?;
    Ok(email)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_remittance_names_the_invoices_or_points_to_the_letter() {
        assert_eq!(remittance(&["F-1", "F-2"], "see letter"), "F-1, F-2");
        let long: Vec<String> = (0..20).map(|i| format!("F-2026-{i:04}")).collect();
        let refs: Vec<&str> = long.iter().map(String::as_str).collect();
        assert_eq!(remittance(&refs, "see letter"), "see letter");
        let fits: Vec<&str> = refs[..10].to_vec();
        let text = remittance(&fits, "see letter");
        assert!(text.chars().count() <= REMITTANCE_CHARS && text.contains("F-2026-0009"), "{text}");
    }

    #[test]
    fn a_table_aligns_its_columns_and_right_aligns_amounts() {
        let rows = vec![
            vec!["Invoice".into(), "Date".into(), "Due".into(), "Open".into()],
            vec!["F-1".into(), "01/10/2026".into(), "31/10/2026".into(), "€1,200.00".into()],
            vec!["Total".into(), String::new(), String::new(), "€12.00".into()],
        ];
        assert_eq!(
            table(&rows),
            "  Invoice  Date        Due              Open\n  F-1      01/10/2026  31/10/2026  €1,200.00\n  Total                               €12.00\n"
        );
    }
}
