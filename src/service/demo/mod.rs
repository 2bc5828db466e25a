//! `settle demo`: a deterministic, realistic book of Belgian, Dutch and French customers.
//!
//! The same seed and the same `today` always give the same book. Rows are generated and
//! written one at a time inside one transaction, so a million invoices need little memory.

use chrono::{Datelike, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::domain::customer::{CustomerId, CustomerKind, Language, NewCustomer, Profile};
use crate::domain::dates::add_days;
use crate::domain::event::{Channel, EventKind};
use crate::domain::invoice::PaymentKind;
use crate::domain::money::Currency;
use crate::domain::ogm::Ogm;
use crate::domain::policy::{Policy, Step, next_step};
use crate::service::steps::default_channel;
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
    /// A busy book instead of an ordinary one: customers who pay late, a freelancer who walked
    /// every unpaid invoice up the ladder, so every kind of step, letter and claim is on Today
    /// (for the tests, which look for each, and the benchmarks, which want much open).
    pub busy: bool,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions { customers: 40, invoices: 400, seed: 42, busy: false }
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
/// The post code of each city, in the order of [`CITIES`].
const POST_CODES: &[&str] = &[
    "9000", "2000", "3000", "8000", "3500", "2800", "4000", "5000", "1000", "6000", "3511", "5611", "3011",
    "6211", "4700", "8500",
];
/// Streets, in the city's language.
const STREETS_NL: &[&str] =
    &["Kerkstraat", "Stationsstraat", "Molenstraat", "Dorpsstraat", "Industrieweg", "Havenlaan"];
const STREETS_FR: &[&str] =
    &["Rue de la Station", "Rue du Moulin", "Avenue Louise", "Rue de l'Église", "Place du Marché"];
const STREETS_DE: &[&str] = &["Kirchstraße", "Bahnhofstraße", "Aachener Straße"];
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
    // The envelope: street and number, post code and city (drawn without the generator, so
    // the rest of the book does not change with it).
    let city = i % CITIES.len();
    let streets = match CITIES[city] {
        "Liège" | "Namur" | "Bruxelles" | "Charleroi" => STREETS_FR,
        "Eupen" => STREETS_DE,
        _ => STREETS_NL,
    };
    let street = streets[i / CITIES.len() % streets.len()];
    let address = format!(
        "{street} {}
{} {}",
        i % 97 + 1,
        POST_CODES[city],
        CITIES[city]
    );
    NewCustomer {
        address: Some(address),
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

/// How late a customer usually pays, in days after the due date, by profile: in an ordinary
/// book most pay on time or after the nudge or the first reminder.
fn usual_delay(profile: Profile, busy: bool, rng: &mut ChaCha8Rng) -> i64 {
    match (profile, busy) {
        (Profile::Trusted, false) => rng.random_range(-5..4),
        (Profile::Standard, false) => rng.random_range(-3..9),
        (Profile::New, false) => rng.random_range(0..15),
        (Profile::Trusted, true) => rng.random_range(-5..8),
        (Profile::Standard, true) => rng.random_range(0..25),
        (Profile::New, true) => rng.random_range(5..60),
    }
}

/// The book's serious cases, kept to what a freelancer's real book holds at one time: one
/// formal notice waiting to be sent and one agency handoff.
#[derive(Default)]
struct Cases {
    formal_notice: bool,
    agency: bool,
}

type History = (
    Vec<(NaiveDate, i64, PaymentKind)>,
    Vec<(Step, NaiveDate, Channel)>,
    Option<NaiveDate>,
    Vec<(EventKind, NaiveDate, String)>,
);

/// What happened to one invoice: the customer pays in full (most), a part (8 %) or nothing
/// (4 %); the freelancer walks the ladder until the money comes (a day or two late at times,
/// now and then a step behind). A customer who has not paid by the formal notice pays after
/// the last step taken, except the book's one formal notice due and one agency case; a
/// business that paid late had its interest and costs waived and one reminded was thanked,
/// except in the last week (this morning's work).
#[allow(clippy::too_many_arguments)]
fn history(
    rng: &mut ChaCha8Rng,
    policy: &Policy,
    cases: &mut Cases,
    (profile, kind): (Profile, CustomerKind),
    (issued, due): (NaiveDate, NaiveDate),
    amount_cents: i64,
    delay: i64,
    today: NaiveDate,
) -> History {
    let roll = rng.random_range(0..100);
    let pay_day = add_days(due, delay + rng.random_range(-3..6)).max(issued);
    let mut payments = Vec::new();
    if roll < 8 && pay_day <= today {
        // Partly paid: a first instalment, the rest still open.
        let part = amount_cents * rng.random_range(30..70) / 100;
        payments.push((pay_day, part, PaymentKind::Payment));
    } else if roll < 96 && pay_day <= today {
        payments.push((pay_day, amount_cents, PaymentKind::Payment));
    }
    let paid_on = (payments.iter().map(|p| p.1).sum::<i64>() == amount_cents).then_some(pay_day);
    let ladder = policy.ladder(profile);
    let mut steps: Vec<(Step, NaiveDate, Channel)> = Vec::new();
    let done = |steps: &[(Step, NaiveDate, Channel)]| steps.iter().map(|(s, _, _)| *s).collect::<Vec<_>>();
    while let Some(next) = next_step(ladder, due, &done(&steps), today) {
        let done_on = add_days(next.date, rng.random_range(0..3));
        let before_the_money = paid_on.is_none_or(|p| done_on < p);
        // The steps of the last two days are this morning's work, not done yet.
        if done_on > add_days(today, -2)
            || !before_the_money
            || next.step == Step::Agency
            || rng.random_range(0..100) < 20
        {
            break;
        }
        steps.push((next.step, done_on, default_channel(next.step)));
    }
    let mut paid_on = paid_on;
    let day_of = |step: Step| ladder.offset(step).map(|o| add_days(due, i64::from(o)));
    if paid_on.is_none() && day_of(Step::FormalNotice).is_some_and(|d| d <= today) {
        // Unpaid by the formal notice's day: every step before it was taken, on time.
        let upto = |last: Step| -> Vec<(Step, NaiveDate, Channel)> {
            let mut all = Vec::new();
            for (step, _) in ladder.steps() {
                let Some(on) = day_of(*step) else { continue };
                let channel = match step {
                    Step::Call => Channel::Phone,
                    Step::FormalNotice | Step::Agency => Channel::Letter,
                    _ => Channel::Email,
                };
                all.push((*step, on, channel));
                if *step == last {
                    break;
                }
            }
            all
        };
        let before_notice =
            ladder.steps().iter().map(|(s, _)| *s).take_while(|s| *s != Step::FormalNotice).last();
        // The cases are recent ones: a real book does not leave a claim lying for a year.
        let recent =
            |step: Step, days: i64| day_of(step).is_some_and(|d| d <= today && d > add_days(today, -days));
        if !cases.agency && recent(Step::Agency, 90) {
            cases.agency = true;
            steps = upto(Step::FormalNotice);
        } else if !cases.formal_notice
            && recent(Step::FormalNotice, 60)
            && let Some(before) = before_notice
        {
            cases.formal_notice = true;
            steps = upto(before);
        } else {
            // The rest came in a few days after the last step taken.
            let last = steps.last().map_or(due, |s| s.1);
            let on = add_days(last, rng.random_range(2..12)).min(today);
            let paid: i64 = payments.iter().map(|p| p.1).sum();
            payments.push((on, amount_cents - paid, PaymentKind::Payment));
            paid_on = Some(on);
        }
    }
    let open = amount_cents - payments.iter().map(|p| p.1).sum::<i64>();
    let disputed_since = (open > 0 && due < today && rng.random_range(0..100) < 3)
        .then(|| add_days(due, rng.random_range(1..10)).min(today));
    let mut after_payment = Vec::new();
    if let Some(paid) = paid_on.filter(|p| *p <= add_days(today, -7)) {
        let on = add_days(paid, rng.random_range(0..4)).min(today);
        if !steps.is_empty() {
            after_payment.push((EventKind::ThankYouSent, on, String::new()));
        }
        if paid > due && kind == CustomerKind::Business {
            after_payment.push((EventKind::ClaimWaived, on, "waived the interest and costs".to_string()));
        }
    }
    (payments, steps, disputed_since, after_payment)
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
        return Err(crate::store::Refusal::NotEmpty.into());
    }
    store.write_in_bulk(|store| write_rows(store, opts, today))
}

/// [`write_demo`] once checked: every row, in one transaction.
fn write_rows(store: &mut Store, opts: &DemoOptions, today: NaiveDate) -> Result<DemoSummary, StoreError> {
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let policy = Policy::default();
    // Nothing is looked up but by id and by invoice: the default page cache is enough once
    // the indexes read by day or customer are built at the end, each in one sort.
    let writer = store.book_writer_unlogged()?;
    let deferred = writer.defer_indexes(crate::store::Bulk::Book)?;
    let mut summary = DemoSummary::default();
    let mut customers: Vec<(CustomerId, Profile, CustomerKind, u32, i64)> =
        Vec::with_capacity(opts.customers);
    // The serious cases a real book has at most one of each at a time.
    let mut cases = Cases::default();
    for i in 0..opts.customers.max(1) {
        let c = company(i, &mut rng);
        let id = writer.add_customer(&c)?;
        if rng.random_range(0..3) == 0 {
            let note = NOTES[rng.random_range(0..NOTES.len())];
            writer.add_note(id, add_days(today, -rng.random_range(1..200)), note)?;
        }
        customers.push((id, c.profile, c.kind, c.terms_days, usual_delay(c.profile, opts.busy, &mut rng)));
    }
    summary.customers = customers.len();
    // The calls are about the newest callable invoices, every `step`-th from the newest
    // back: only the last few are kept as they come (a 1M book has 100,000 callable).
    let step = if opts.busy { 7 } else { 1 };
    let mut candidates = calls::Newest::keeping(step);
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
        let (customer, profile, kind, terms, delay) = customers[pick];
        let due = add_days(issued, i64::from(terms));
        let amount_cents =
            rng.random_range(15_000..1_500_000i64) / 500 * 500 + [0, 0, 0, 50, 99][rng.random_range(0..5)];
        let trade = &TRADES[pick % TRADES.len()];
        let number = format!("{}-{:06}", issued.year(), n + 1);
        let (payments, steps, disputed_since, after_payment) = if opts.busy {
            busy_history(&mut rng, &policy, profile, (issued, due), amount_cents, delay, today)
        } else {
            history(&mut rng, &policy, &mut cases, (profile, kind), (issued, due), amount_cents, delay, today)
        };
        let open = amount_cents - payments.iter().map(|(_, c, _)| c).sum::<i64>();
        summary.open += usize::from(open > 0);
        summary.payments += payments.len();
        let callable = open > 0
            && disputed_since.is_none()
            && (today - due).num_days() >= 15
            && (opts.busy || !steps.iter().any(|s| s.0 == Step::FormalNotice));
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
            after_payment,
        })?;
        summary.invoices += 1;
        // The callable invoices, from the newest back, get the demo's calls.
        if callable {
            candidates.push(calls::Candidate { invoice: id, customer, open_cents: open });
        }
    }
    let picked = candidates.picked();
    writer.build_indexes(deferred)?;
    summary.calls = calls::write_calls(&writer, &picked, today)?;
    writer.set_meta("demo_seed", &opts.seed.to_string())?;
    writer.commit()?;
    Ok(summary)
}

/// The busy book's invoice: the customer pays late or not at all, and every unpaid invoice
/// was walked up the ladder, the odd step still to do.
fn busy_history(
    rng: &mut ChaCha8Rng,
    policy: &Policy,
    profile: Profile,
    (issued, due): (NaiveDate, NaiveDate),
    amount_cents: i64,
    delay: i64,
    today: NaiveDate,
) -> History {
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
        let ladder = policy.ladder(profile);
        while let Some(next) =
            next_step(ladder, due, &steps.iter().map(|(s, _, _)| *s).collect::<Vec<_>>(), today)
        {
            let done_on = add_days(next.date, rng.random_range(0..3));
            if done_on > today || rng.random_range(0..100) < 12 || next.step == Step::Agency {
                break;
            }
            steps.push((next.step, done_on, default_channel(next.step)));
        }
        if rng.random_range(0..100) < 3 && due < today {
            disputed_since = Some(add_days(due, rng.random_range(1..10)).min(today));
        }
    }
    (payments, steps, disputed_since, Vec::new())
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

    /// The steps Today asks for on a fresh demo book, by step.
    fn steps_due(opts: &DemoOptions, today: NaiveDate) -> (usize, Vec<Step>) {
        let mut store = Store::open_in_memory().unwrap();
        write_demo(&mut store, opts, today).unwrap();
        let config = crate::config::Config::default();
        let agenda = crate::service::agenda::TodayAgenda::load(&store, &config, today, today).unwrap();
        let steps = agenda.agenda.sections.iter().flat_map(|s| &s.items).filter_map(|i| i.step).collect();
        (agenda.agenda.len(), steps)
    }

    #[test]
    fn the_ordinary_demo_is_a_freelancer_s_morning_and_the_busy_one_has_every_step() {
        let count = |steps: &[Step], step: Step| steps.iter().filter(|s| **s == step).count();
        for seed in [1, 7, 42] {
            for today in ["2026-11-23", "2026-12-06", "2027-03-01"] {
                let today: NaiveDate = today.parse().unwrap();
                let (lines, steps) = steps_due(&DemoOptions { seed, ..DemoOptions::default() }, today);
                let what = format!("seed {seed}, {today}: {lines} lines, {steps:?}");
                assert!(count(&steps, Step::Agency) <= 1, "{what}");
                assert!(count(&steps, Step::FormalNotice) <= 1, "{what}");
                assert!(lines <= 25, "a morning's work, not a collections nightmare: {what}");
            }
        }
        let today: NaiveDate = "2026-11-23".parse().unwrap();
        let (_, steps) = steps_due(&DemoOptions { busy: true, ..DemoOptions::default() }, today);
        assert!(count(&steps, Step::Agency) >= 5 && count(&steps, Step::FormalNotice) >= 2, "{steps:?}");
    }

    #[test]
    fn a_demo_book_has_every_index_back_its_log_on_and_nothing_to_undo() {
        let dir = tempfile::tempdir().unwrap();
        let indexes = |store: &Store| -> Vec<(String, String)> {
            let mut stmt = store
                .conn()
                .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
                .unwrap();
            stmt.query_map([], |r| Ok((r.get(0).unwrap(), r.get(1).unwrap())))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        let fresh = indexes(&Store::open(&dir.path().join("fresh.db")).unwrap());
        let mut store = Store::open(&dir.path().join("demo.db")).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let opts = DemoOptions { customers: 5, invoices: 60, ..DemoOptions::default() };
        write_demo(&mut store, &opts, today).unwrap();
        assert_eq!(indexes(&store), fresh);
        let mode: String = store.conn().pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
        assert_eq!(mode.to_lowercase(), "wal");
        let changes: i64 = store.conn().query_row("SELECT count(*) FROM changes", [], |r| r.get(0)).unwrap();
        assert_eq!(changes, 0);
        assert!(store.open_amount_mismatches().unwrap().is_empty());
    }
}
