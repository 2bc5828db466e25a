//! `settle demo`: a deterministic, realistic book of Belgian, Dutch and French customers.
//!
//! The same seed and the same `today` always give the same book. Rows are generated and
//! written one at a time inside one transaction, so a million invoices need little memory.

use chrono::{Datelike, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::domain::customer::{CustomerId, CustomerKind, Language, NewCustomer, Profile};
use crate::domain::dates::add_days;
use crate::domain::event::Channel;
use crate::domain::invoice::PaymentKind;
use crate::domain::money::Currency;
use crate::domain::ogm::Ogm;
use crate::domain::policy::{Policy, Step, next_step};
use crate::store::{BulkInvoice, Store, StoreError};

mod calls;

/// The most customers a demo book holds: plenty to look around in, and a count the
/// generator's tables fit in memory for.
pub const MAX_CUSTOMERS: usize = 100_000;

/// The most invoices a demo book holds: ten times the largest book the benchmarks build.
pub const MAX_INVOICES: usize = 10_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoOptions {
    pub customers: usize,
    pub invoices: usize,
    pub seed: u64,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions { customers: 40, invoices: 400, seed: 42 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DemoSummary {
    pub customers: usize,
    pub invoices: usize,
    pub open: usize,
    pub payments: usize,
    /// Phone calls logged (promises, a plan, call-backs).
    pub calls: usize,
}

struct Trade {
    word: &'static str,
    lang: Language,
    form: &'static str,
    what: &'static str,
}

const TRADES: &[Trade] = &[
    Trade { word: "Bakkerij", lang: Language::Nl, form: "BV", what: "Bread and pastry supplies" },
    Trade { word: "Brouwerij", lang: Language::Nl, form: "NV", what: "Label design" },
    Trade { word: "Drukkerij", lang: Language::Nl, form: "BV", what: "Print layout" },
    Trade { word: "Architectenbureau", lang: Language::Nl, form: "BV", what: "3D renderings" },
    Trade { word: "Vertaalbureau", lang: Language::Nl, form: "VOF", what: "Website translation" },
    Trade { word: "Reclamebureau", lang: Language::Nl, form: "BV", what: "Campaign copywriting" },
    Trade { word: "Tuinaanleg", lang: Language::Nl, form: "CommV", what: "Brochure photography" },
    Trade { word: "Boulangerie", lang: Language::Fr, form: "SRL", what: "Logo and shop sign" },
    Trade { word: "Menuiserie", lang: Language::Fr, form: "SRL", what: "Product catalogue" },
    Trade { word: "Atelier", lang: Language::Fr, form: "SRL", what: "Webshop development" },
    Trade { word: "Librairie", lang: Language::Fr, form: "SA", what: "Newsletter templates" },
    Trade { word: "Imprimerie", lang: Language::Fr, form: "SA", what: "Prepress consulting" },
    Trade { word: "Traiteur", lang: Language::Fr, form: "SRL", what: "Menu design" },
    Trade { word: "Studio", lang: Language::En, form: "Ltd", what: "UX research" },
    Trade { word: "Consulting", lang: Language::En, form: "BV", what: "Data analysis" },
    Trade { word: "Bäckerei", lang: Language::De, form: "GmbH", what: "Website maintenance" },
];

const SURNAMES_NL: &[&str] = &[
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
    "Van den Berg",
    "De Vries",
    "Bakker",
    "Visser",
    "Vermeulen",
    "Hendrickx",
];
const SURNAMES_FR: &[&str] = &[
    "Dubois", "Lambert", "Dupont", "Martin", "Lejeune", "Leclercq", "Renard", "Simon", "Laurent", "Lefebvre",
    "Mathieu", "Denis",
];
const SURNAMES_EN: &[&str] = &["Harbour", "Maple", "Quarry", "Northgate", "Fairfield", "Ashdown"];
const SURNAMES_DE: &[&str] = &["Schmitz", "Krämer", "Hoffmann", "Weber"];
const CITIES: &[&str] = &[
    "Gent",
    "Antwerpen",
    "Leuven",
    "Brugge",
    "Hasselt",
    "Mechelen",
    "Liège",
    "Namur",
    "Bruxelles",
    "Charleroi",
    "Utrecht",
    "Eindhoven",
    "Rotterdam",
    "Maastricht",
    "Eupen",
    "Kortrijk",
];
const FIRST_NAMES: &[&str] = &[
    "An", "Pieter", "Sofie", "Jan", "Marie", "Luc", "Els", "Thomas", "Claire", "Koen", "Nathalie", "Bram",
    "Julie", "Wim", "Chloé", "Stefan",
];
const NOTES: &[&str] = &[
    "Prefers a call in the morning, before 10.",
    "Pays after the monthly board meeting (first Tuesday).",
    "Accountant handles payments; copy her on reminders.",
    "Long-standing customer, always pays in the end. Be patient.",
    "Asked for invoices by Peppol from now on.",
    "Cash is tight this quarter; open to an instalment plan.",
];

fn surnames(lang: Language) -> &'static [&'static str] {
    match lang {
        Language::Nl => SURNAMES_NL,
        Language::Fr => SURNAMES_FR,
        Language::En => SURNAMES_EN,
        Language::De => SURNAMES_DE,
    }
}

/// A unique, plausible company for customer number `i`.
fn company(i: usize, rng: &mut ChaCha8Rng) -> NewCustomer {
    let trade = &TRADES[i % TRADES.len()];
    let names = surnames(trade.lang);
    // (q·(T+1) + t) mod S walks every surname once per trade (T+1 = 17 is prime to each S),
    // so names stay unique while neighbours differ.
    let q = i / TRADES.len();
    let surname = names[(q * (TRADES.len() + 1) + i % TRADES.len()) % names.len()];
    let round = i / (TRADES.len() * names.len());
    let name = match round {
        0 => format!("{} {} {}", trade.word, surname, trade.form),
        r => {
            format!("{} {} {} ({})", trade.word, surname, trade.form, CITIES[(r - 1) % CITIES.len()])
                + &if r > CITIES.len() { format!(" {}", r / CITIES.len() + 1) } else { String::new() }
        }
    };
    let first = FIRST_NAMES[rng.random_range(0..FIRST_NAMES.len())];
    let domain: String = surname.to_lowercase().chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let profile = match rng.random_range(0..100) {
        0..25 => Profile::Trusted,
        25..80 => Profile::Standard,
        _ => Profile::New,
    };
    let dutch = matches!(CITIES[i % CITIES.len()], "Utrecht" | "Eindhoven" | "Rotterdam" | "Maastricht");
    NewCustomer {
        address: None,
        name,
        contact: Some(format!("{first} {surname}")),
        email: Some(format!("{}@{domain}{i}.example", first.to_lowercase())),
        phone: Some(format!(
            "+3{} {} {:02} {:02} {:02}",
            if dutch { 1 } else { 2 },
            rng.random_range(10..99),
            rng.random_range(0..100),
            rng.random_range(0..100),
            rng.random_range(0..100)
        )),
        vat: Some(if dutch {
            format!("NL{:09}B01", rng.random_range(0..1_000_000_000u32))
        } else {
            format!("BE0{:09}", rng.random_range(0..1_000_000_000u32))
        }),
        language: trade.lang,
        profile,
        kind: if rng.random_range(0..100) < 88 { CustomerKind::Business } else { CustomerKind::Consumer },
        terms_days: [14, 30, 30, 30, 45, 60][rng.random_range(0..6)],
    }
}

/// How late a customer usually pays, in days after the due date, by profile.
fn usual_delay(profile: Profile, rng: &mut ChaCha8Rng) -> i64 {
    match profile {
        Profile::Trusted => rng.random_range(-5..8),
        Profile::Standard => rng.random_range(0..25),
        Profile::New => rng.random_range(5..60),
    }
}

/// Fills an empty book with `opts` as of `today`, in one transaction.
pub fn write_demo(
    store: &mut Store,
    opts: &DemoOptions,
    today: NaiveDate,
) -> Result<DemoSummary, StoreError> {
    if opts.customers > MAX_CUSTOMERS || opts.invoices > MAX_INVOICES {
        return Err(StoreError::Invalid(format!(
            "a demo book has at most {MAX_CUSTOMERS} customers and {MAX_INVOICES} invoices, not {} and {}",
            opts.customers, opts.invoices
        )));
    }
    if !store.is_empty()? {
        return Err(StoreError::Conflict(
            "the database already holds customers or invoices; demo data goes into an empty book (use --db to pick a new file)".into(),
        ));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let policy = Policy::default();
    store.prepare_for_bulk_write()?;
    let writer = store.book_writer_unlogged()?;
    let mut summary = DemoSummary::default();
    let mut customers: Vec<(CustomerId, Profile, u32, i64)> = Vec::with_capacity(opts.customers);
    for i in 0..opts.customers.max(1) {
        let c = company(i, &mut rng);
        let id = writer.add_customer(&c)?;
        if rng.random_range(0..3) == 0 {
            let note = NOTES[rng.random_range(0..NOTES.len())];
            writer.add_note(id, add_days(today, -rng.random_range(1..200)), note)?;
        }
        customers.push((id, c.profile, c.terms_days, usual_delay(c.profile, &mut rng)));
    }
    summary.customers = customers.len();
    let mut candidates = Vec::new();
    // Spread the invoices over the last 18 months, oldest first, so numbers rise with dates.
    let span = 540i64;
    for n in 0..opts.invoices {
        let age = span - (n as i64 * span) / opts.invoices.max(1) as i64 + rng.random_range(0..3);
        let issued = add_days(today, -age.max(1));
        // A few customers get most of the work, as in real life.
        let pick = if rng.random_range(0..100) < 60 {
            rng.random_range(0..customers.len().div_ceil(5))
        } else {
            rng.random_range(0..customers.len())
        };
        let (customer, profile, terms, delay) = customers[pick];
        let due = add_days(issued, i64::from(terms));
        let amount_cents =
            rng.random_range(15_000..1_500_000i64) / 500 * 500 + [0, 0, 0, 50, 99][rng.random_range(0..5)];
        let trade = &TRADES[pick % TRADES.len()];
        let number = format!("{}-{:06}", issued.year(), n + 1);
        let mut payments = Vec::new();
        let roll = rng.random_range(0..100);
        let pay_day = add_days(due, delay + rng.random_range(-3..10));
        if roll < 8 && pay_day <= today {
            // Partly paid: a first instalment, the rest still open.
            let part = amount_cents * rng.random_range(30..70) / 100;
            payments.push((pay_day, part, PaymentKind::Payment));
        } else if roll < 96 && pay_day <= today {
            payments.push((pay_day.max(issued), amount_cents, PaymentKind::Payment));
        } else if roll < 97 && (today - due).num_days() > 200 {
            payments.push((add_days(due, 180), amount_cents, PaymentKind::WriteOff));
        }
        let open = amount_cents - payments.iter().map(|(_, c, _)| c).sum::<i64>();
        let mut steps = Vec::new();
        let mut disputed_since = None;
        if open > 0 {
            // Walk the ladder as a diligent freelancer would, with the odd step still to do.
            let ladder = policy.ladder(profile);
            while let Some(next) =
                next_step(ladder, due, &steps.iter().map(|(s, _, _)| *s).collect::<Vec<_>>(), today)
            {
                let done_on = add_days(next.date, rng.random_range(0..3));
                if done_on > today || rng.random_range(0..100) < 12 || next.step == Step::Agency {
                    break;
                }
                let channel = match next.step {
                    Step::Call => Channel::Phone,
                    Step::FormalNotice | Step::Agency => Channel::Letter,
                    _ => Channel::Email,
                };
                steps.push((next.step, done_on, channel));
            }
            if rng.random_range(0..100) < 3 && due < today {
                disputed_since = Some(add_days(due, rng.random_range(1..10)).min(today));
            }
        }
        summary.open += usize::from(open > 0);
        summary.payments += payments.len();
        let callable = open > 0 && disputed_since.is_none() && (today - due).num_days() >= 15;
        let id = writer.add_invoice(&BulkInvoice {
            number,
            customer,
            issued,
            due,
            amount_cents,
            currency: Currency::EUR,
            description: trade.what.to_string(),
            reference: Ogm::generate(n as u64 + 1).ok().map(Into::into),
            payments,
            steps,
            notes: Vec::new(),
            disputed_since,
        })?;
        summary.invoices += 1;
        // Every seventh callable invoice, from the newest back, gets one of the demo's calls.
        if callable {
            candidates.push(calls::Candidate { invoice: id, customer, open_cents: open });
        }
    }
    let picked: Vec<calls::Candidate> = candidates.iter().rev().step_by(7).copied().collect();
    summary.calls = calls::write_calls(&writer, &picked, today)?;
    writer.set_meta("demo_seed", &opts.seed.to_string())?;
    writer.commit()?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_beyond_the_bounds_are_refused_before_anything_is_allocated() {
        let mut store = Store::open_in_memory().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        for opts in [
            DemoOptions { customers: usize::MAX, ..DemoOptions::default() },
            DemoOptions { invoices: MAX_INVOICES + 1, ..DemoOptions::default() },
        ] {
            let err = write_demo(&mut store, &opts, today).unwrap_err();
            assert!(err.to_string().starts_with("a demo book has at most 100000 customers"), "{err}");
        }
        assert!(store.is_empty().unwrap());
    }
}
