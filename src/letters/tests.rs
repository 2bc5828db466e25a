use super::*;
use crate::config::Config;
use crate::domain::customer::{CustomerKind, NewCustomer, Profile};
use crate::domain::event::Channel;
use crate::domain::invoice::{NewInvoice, NewPayment, PaymentKind};
use crate::domain::money::{Currency, Money};
use crate::domain::ogm::Ogm;
use crate::service::CaseFile;
use crate::store::Store;
use chrono::NaiveDate;
use rust_decimal::dec;
use send::{letter_for, save_and_mark};

/// The letter of `kind` for the case, in `lang` (else the customer's), by `channel`.
fn write(
    case: &CaseFile,
    config: &Config,
    letters: &Letters,
    kind: LetterKind,
    lang: Option<Language>,
    channel: Channel,
) -> Letter {
    letter_for(case, config, letters, kind, lang, channel, None).unwrap()
}

/// The case of invoice `number` on `day`.
fn case_on(store: &Store, config: &Config, number: &str, day: &str) -> CaseFile {
    CaseFile::by_number(store, config, number, d(day)).unwrap()
}

/// Asserts that `text` says each of `wants` and none of `nevers`.
fn says(text: &str, wants: &[&str], nevers: &[&str]) {
    for want in wants {
        assert!(text.contains(want), "missing {want:?} in\n{text}");
    }
    for never in nevers {
        assert!(!text.contains(never), "{never:?} in\n{text}");
    }
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn every_shipped_template_in_every_language_loads_and_renders() {
    let letters = Letters::shipped().unwrap();
    letters.verify().unwrap();
    for lang in ["en", "nl", "fr"] {
        for kind in LetterKind::ALL {
            let (file, used) = letters.template_for(*kind, lang.parse().unwrap()).unwrap();
            assert_eq!(file, format!("assets/letters/{lang}/{kind}.txt"));
            assert_eq!(used.as_str(), lang);
            for full in [true, false] {
                let l = letters.render(*kind, used, &samples::sample(full)).unwrap();
                assert!(!l.subject.is_empty() && !l.body.contains("{{") && !l.body.contains("{%"), "{file}");
                // No blank where a field should be, no stray "none".
                assert!(!l.body.contains(" none") && !l.body.contains("  \n"), "{file}:\n{}", l.body);
            }
        }
    }
    // German has no shipped templates: English is used.
    assert_eq!(letters.template_for(LetterKind::Reminder, Language::De).unwrap().1, Language::En);
}

#[test]
fn the_known_fields_are_what_templates_may_name() {
    let known = known_fields();
    for f in ["invoice.number", "me.iban", "claim.interest_lines", "consumer.max_costs", "call.instalments"] {
        assert!(known.contains(f), "{f}");
    }
    assert!(!known.contains("invoice.numbr"));
}

fn user_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn a_user_template_overrides_the_shipped_one_and_a_bad_one_is_refused_at_load() {
    let good = user_dir(&[(
        "en/reminder.txt",
        "Subject: Hi {{ customer.greeting }}\n\nPlease pay {{ invoice.open }}.\n",
    )]);
    let letters = Letters::load(Some(good.path())).unwrap();
    let l = letters.render(LetterKind::Reminder, Language::En, &samples::sample(true)).unwrap();
    assert_eq!((l.subject.as_str(), l.body.as_str()), ("Hi Jan Sample", "Please pay €1,000.00.\n"));
    assert!(l.template.ends_with("en/reminder.txt") && !l.template.starts_with("assets"));

    let cases: &[(&str, &str, &str)] = &[
        (
            "nl/reminder.txt",
            "Subject: x\n\nBeste,\n\n{{ invoice.numbr }}\n",
            "reminder.txt:5: unknown field 'invoice.numbr'",
        ),
        ("fr/nudge.txt", "Subject: x\n\n{{ client.name }}\n", "nudge.txt:3: unknown field 'client.name'"),
        (
            "en/thank_you.txt",
            "Subject: x\n\n{% for l in claim.interest_lines %}{{ l.rat }}{% endfor %}\n",
            "thank_you.txt",
        ),
        ("en/nudge.txt", "Subject: x\n\n{% if %}\n", "nudge.txt:3: syntax error"),
        (
            "en/nudge.txt",
            "Dear {{ customer.name }}\n",
            "nudge.txt:1: the first line must be the subject: 'Subject: …'",
        ),
        ("en/remindr.txt", "Subject: x\n", "remindr.txt: not a letter name: unknown letterkind 'remindr'"),
        ("xx/reminder.txt", "Subject: x\n", "xx: not a letter language folder"),
    ];
    for (name, text, want) in cases {
        let dir = user_dir(&[(name, text)]);
        let e = Letters::load(Some(dir.path())).unwrap_err().to_string();
        assert!(e.contains(want), "{name}: {e}");
    }
}

/// A book with two customers, so a letter can be checked for the other one's data.
fn book() -> (Store, Config) {
    let store = Store::open_in_memory().unwrap();
    let mut a = NewCustomer::named("Bakkerij Peeters BV");
    a.contact = Some("Sofie Peeters".into());
    a.language = Language::Nl;
    a.profile = Profile::Standard;
    let a = store.add_customer(&a).unwrap();
    let mut b = NewCustomer::named("Atelier Dubois SRL");
    b.contact = Some("Claire Dubois".into());
    b.email = Some("claire@dubois.example".into());
    b.language = Language::Fr;
    b.kind = CustomerKind::Consumer;
    let b = store.add_customer(&b).unwrap();
    for (number, customer, amount) in [("2024-100", a, dec!(1000)), ("2024-200", b, dec!(777.77))] {
        store
            .add_invoice(&NewInvoice {
                number: number.into(),
                customer_id: customer,
                issued: d("2024-11-15"),
                due: d("2024-12-15"),
                amount: Money::new(amount, Currency::EUR),
                description: "Menu design".into(),
                reference: Some(Ogm::generate(100).unwrap().into()),
            })
            .unwrap();
    }
    let id = store.invoice_by_number("2024-100").unwrap().unwrap().invoice.id;
    store
        .add_payment(&NewPayment {
            invoice: id,
            on: d("2025-02-10"),
            amount: dec!(400),
            kind: PaymentKind::Payment,
            method: None,
            note: String::new(),
        })
        .unwrap();
    let config = Config::from_text(
        std::path::Path::new("/tmp/settle-test/config.toml"),
        "[me]\nname = \"An Peeters\"\ncompany = \"Peeters Ontwerp\"\niban = \"BE68 5390 0754 7034\"\n",
    )
    .unwrap();
    (store, config)
}

#[test]
fn the_formal_notice_shows_the_claim_line_by_line_and_nothing_of_other_customers() {
    let (store, config) = book();
    let letters = Letters::shipped().unwrap();
    let case = case_on(&store, &config, "2024-100", "2025-03-31");
    let l = write(&case, &config, &letters, LetterKind::FormalNotice, Some(Language::En), Channel::Letter);
    says(
        &l.body,
        &[
            "16 December 2024 to 31 December 2024: 16 days x €1,000.00 x 12.5 % / 365 = €5.48",
            "1 January 2025 to 10 February 2025: 41 days x €1,000.00 x 11.5 % / 365 = €12.92",
            "11 February 2025 to 31 March 2025: 49 days x €600.00 x 11.5 % / 365 = €9.26",
            "Interest in total: €27.66",
            "Fixed compensation for recovery costs: €40.00",
            "Total due: €667.66",
            "law of 2 August 2002",
        ],
        &[],
    );
    // In every language, for every letter: not a trace of the other customer.
    for lang in [Language::En, Language::Nl, Language::Fr] {
        for kind in [
            LetterKind::Reminder,
            LetterKind::FirmReminder,
            LetterKind::FormalNotice,
            LetterKind::AgencyCover,
        ] {
            let text = write(&case, &config, &letters, kind, Some(lang), Channel::Email).text();
            for other in ["Dubois", "Claire", "claire@", "2024-200", "777"] {
                assert!(!text.contains(other), "{lang} {kind} shows {other}:\n{text}");
            }
        }
    }
}

/// The consumer invoice 2024-200 (€777.77 due 15 Dec 2024, a French-speaking consumer) with
/// a config for `jurisdiction` and these extra lines.
fn consumer_book(jurisdiction: &str, extra: &str) -> (Store, Config) {
    let (store, _) = book();
    let config = Config::from_text(
        std::path::Path::new("/tmp/settle-test/config.toml"),
        &format!(
            "jurisdiction = \"{jurisdiction}\"\n[me]\nname = \"An Peeters\"\ncompany = \"Peeters Ontwerp\"\n\
             iban = \"BE68 5390 0754 7034\"\naddress = \"Kerkstraat 1\\n9000 Gent\"\nvat = \"BE0123456749\"\n{extra}"
        ),
    )
    .unwrap();
    (store, config)
}

#[test]
fn a_belgian_consumer_first_reminder_carries_every_mention_and_only_then_starts_the_14_days() {
    let letters = Letters::shipped().unwrap();
    // Without [me] address and enterprise number the letter lacks mentions of art. XIX.2 of
    // the Code of Economic Law: it is not a first reminder in law, and starts nothing.
    let (store, config) = book();
    let case = case_on(&store, &config, "2024-200", "2025-03-31");
    let l = write(&case, &config, &letters, LetterKind::Reminder, None, Channel::Email);
    let lacks = l.lacks.clone().unwrap();
    assert!(
        lacks.iter().any(|m| m.contains("address")) && lacks.iter().any(|m| m.contains("enterprise")),
        "{lacks:?}"
    );
    save_and_mark(&store, &case, &l, None, Channel::Email, None).unwrap();
    let later = case_on(&store, &config, "2024-200", "2025-06-30");
    assert!(!later.claim.lawful && later.claim_facts().first_reminder.is_none());

    // With every mention, and no clause in the terms: free, the creditor's name, address and
    // enterprise number (read from the VAT number BE0123456749), the description, the due
    // date, the 14 days (emailed 31 March: 1–14 April) and the exact interest: the legal
    // rate, 4.5 % in 2025 (law of 5 May 1865), 777.77 × 4.5 % / 365 = 0.0959 → €0.10 a day.
    // No damages without a damages clause.
    let (store, config) = consumer_book("BE", "");
    let case = case_on(&store, &config, "2024-200", "2025-03-31");
    let l = write(&case, &config, &letters, LetterKind::Reminder, None, Channel::Email);
    says(
        &l.body,
        &[
            "Ce premier rappel est gratuit",
            "Peeters Ontwerp, Kerkstraat 1, 9000 Gent, numéro d'entreprise 0123.456.749",
            "pour Menu design, échue le 15 décembre 2024",
            "jusqu'au 14 avril 2025 inclus",
            "des intérêts au taux d'intérêt légal, actuellement 4,5 % l'an (0,10 € par jour sur 777,77 €)",
        ],
        &[],
    );
    assert!(!l.body.contains("indemnité") && !l.body.contains("au maximum"), "{}", l.body);
    assert_eq!(l.lacks, Some(vec![]));
    save_and_mark(&store, &case, &l, None, Channel::Email, None).unwrap();
    // Charges from 15 April: on 30 June, 77 days × 777.77 × 4.5 % / 365 = 7.383… → €7.38.
    let later = case_on(&store, &config, "2024-200", "2025-06-30");
    assert_eq!(later.claim.charges_from, Some(d("2025-04-15")));
    assert_eq!((later.claim.interest_total(), later.claim.compensation_total()), (dec!(7.38), dec!(0)));

    // With both clauses: the exact damages (65 + 5 % × 277.77 = 78.89) and the contractual
    // interest at the commercial rate, the cap of art. XIX.4 (11.5 % in the first half of
    // 2025: 777.77 × 11.5 % / 365 = 0.245 → €0.25 a day). Never "at most", never "statutory".
    let (store, config) =
        consumer_book("BE", "[terms]\nconsumer_interest_clause = true\nconsumer_damages_clause = true\n");
    let case = case_on(&store, &config, "2024-200", "2025-03-31");
    let l = write(&case, &config, &letters, LetterKind::Reminder, None, Channel::Email);
    assert!(
        l.body.contains("une indemnité de 78,89 €, comme le prévoient nos conditions, et des intérêts prévus par nos conditions, actuellement 11,5 % l'an (0,25 € par jour sur 777,77 €)"),
        "{}",
        l.body
    );
    let en = write(&case, &config, &letters, LetterKind::Reminder, Some(Language::En), Channel::Email);
    assert!(!en.body.contains("at most") && !en.body.contains("statutory"), "{}", en.body);
    // A formal notice sent as first contact: no charges, and no threat of agency costs.
    let notice = write(&case, &config, &letters, LetterKind::FormalNotice, None, Channel::Letter);
    assert!(notice.lacks.is_none());
    assert!(!notice.body.contains("Intérêts de retard"), "{}", notice.body);
    assert!(notice.body.contains("payer 777,77 €"), "{}", notice.body);
    assert!(!notice.body.contains("coût"), "{}", notice.body);
    // Sent as first contact, it starts nothing: months later, still no charges.
    save_and_mark(&store, &case, &notice, None, Channel::Letter, Some("RR 1 BE")).unwrap();
    let later = case_on(&store, &config, "2024-200", "2025-09-30");
    assert!(!later.claim.lawful && later.claim.charges_from.is_none(), "{:?}", later.claim);
    // Later, once charges are lawful: the contractual interest is not called statutory and
    // the damages are not "the legal maximum".
    save_and_mark(&store, &case, &l, None, Channel::Email, None).unwrap();
    let later = case_on(&store, &config, "2024-200", "2025-06-30");
    let notice =
        write(&later, &config, &letters, LetterKind::FormalNotice, Some(Language::En), Channel::Letter);
    says(
        &notice.body,
        &[
            "under our terms, within the limits of article XIX.4",
            "Interest under our terms",
            "Damages under our terms",
        ],
        &[],
    );
    says(&notice.body, &[], &["statutory", "legal maximum", "add to its cost"]);
}

#[test]
fn a_firm_reminder_as_first_letter_to_a_consumer_gives_one_deadline_of_14_days() {
    let letters = Letters::shipped().unwrap();
    // firm_term_days = 7, but no consumer letter gives fewer than 14 days: Belgium, emailed
    // on 31 March 2025 → one date, 14 April.
    let (store, config) = consumer_book("BE", "[letters]\nfirm_term_days = 7\n");
    let case = case_on(&store, &config, "2024-200", "2025-03-31");
    let l = write(&case, &config, &letters, LetterKind::FirmReminder, Some(Language::En), Channel::Email);
    assert!(l.subject.ends_with("please pay by 14 April 2025"), "{}", l.subject);
    assert!(
        l.body.contains("by 14 April 2025 at the latest") && l.body.contains("until 14 April 2025 included")
    );
    assert!(!l.body.contains("7 April"), "{}", l.body);
    // The Netherlands: 14 days from the day after receipt, and no fixed date at all
    // (HR 25 November 2016, ECLI:NL:HR:2016:2704).
    let (store, config) = consumer_book("NL", "[letters]\nfirm_term_days = 7\n");
    let case = case_on(&store, &config, "2024-200", "2025-03-31");
    let l = write(&case, &config, &letters, LetterKind::FirmReminder, Some(Language::Nl), Channel::Email);
    assert!(
        !l.subject.contains("uiterlijk") && !l.body.contains("uiterlijk op"),
        "{}\n{}",
        l.subject,
        l.body
    );
    assert!(l.body.contains("binnen 14 dagen na de dag waarop u deze brief ontvangt"), "{}", l.body);
}

#[test]
fn the_dutch_fourteen_day_letter_states_the_exact_costs_and_the_notice_the_consumer_rate() {
    let letters = Letters::shipped().unwrap();
    let (store, config) = consumer_book("NL", "");
    let case = case_on(&store, &config, "2024-200", "2025-03-31");
    // WIK on 777.77: 15 % = 116.6655 → €116.67, exactly (art. 6:96 lid 6 BW); the legal rate
    // of art. 6:119 BW (6 % in the first half of 2025: 777.77 × 6 % / 365 = 0.128 → €0.13).
    let l = write(&case, &config, &letters, LetterKind::Reminder, Some(Language::Nl), Channel::Email);
    says(
        &l.body,
        &[
            "Deze aanmaning is kosteloos",
            "binnen 14 dagen na de dag waarop u deze brief ontvangt",
            "incassokosten van € 116,67",
            "de wettelijke rente van artikel 6:119",
            "nu 6 % per jaar (€ 0,13 per dag over € 777,77)",
        ],
        &[],
    );
    assert!(!l.body.contains("uiterlijk op") && !l.body.contains("ten hoogste"), "{}", l.body);
    assert_eq!(l.lacks, Some(vec![]));
    save_and_mark(&store, &case, &l, None, Channel::Email, None).unwrap();
    // The formal notice once the costs fell due (15 April): the consumer's legal rate, never
    // the commercial one, and "wettelijke rente", not the Belgian "nalatigheidsinterest".
    let later = case_on(&store, &config, "2024-200", "2025-06-30");
    let n = write(&later, &config, &letters, LetterKind::FormalNotice, Some(Language::Nl), Channel::Letter);
    says(
        &n.body,
        &[
            "Wettelijke rente, per dag",
            "artikelen 6:96 en 6:119 van het Burgerlijk Wetboek",
            "nu 6 % per jaar",
        ],
        &[],
    );
    says(&n.body, &[], &["10,15", "11,15", "nalatigheidsinterest", "handelsrente", "verhoogt"]);
}

#[test]
fn save_and_mark_writes_a_private_file_and_records_the_step_once() {
    let (store, config) = book();
    let letters = Letters::shipped().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("letters/2024-100-reminder.txt");
    let early = case_on(&store, &config, "2024-100", "2024-12-15");
    let e =
        letter_for(&early, &config, &letters, LetterKind::Reminder, None, Channel::Email, None).unwrap_err();
    assert!(e.to_string().contains("not due until 2024-12-15"), "{e}");
    assert!(letter_for(&early, &config, &letters, LetterKind::Nudge, None, Channel::Email, None).is_ok());
    let case = case_on(&store, &config, "2024-100", "2025-01-10");
    // The firm reminder's day has passed, but no reminder was ever sent: the first letter is
    // the reminder.
    assert_eq!(send::default_kind(&case).unwrap(), LetterKind::Reminder);
    let l = write(&case, &config, &letters, LetterKind::Reminder, None, Channel::Email);
    let saved = save_and_mark(&store, &case, &l, Some(&path), Channel::Email, None).unwrap();
    assert!(saved.event.is_some());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), l.text());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let again = save_and_mark(&store, &case, &l, Some(&dir.path().join("again.txt")), Channel::Email, None);
    assert!(again.unwrap_err().to_string().contains("already recorded"));
    assert!(!dir.path().join("again.txt").exists(), "nothing written when the step is refused");
    assert_eq!(std::fs::read_dir(dir.path().join("letters")).unwrap().count(), 1, "no temporary file left");
    // The formal notice by post asks for its tracking number.
    let n = write(&case, &config, &letters, LetterKind::FormalNotice, None, Channel::Letter);
    let e = save_and_mark(&store, &case, &n, None, Channel::Letter, None).unwrap_err();
    assert!(e.to_string().contains("tracking number") && plain_words(&e.to_string()), "{e}");
    let field = e.downcast_ref::<crate::domain::input::FieldError>().map(|f| f.field);
    assert_eq!(field, Some(crate::domain::input::Input::Tracking));
    save_and_mark(&store, &case, &n, None, Channel::Letter, Some("RR 123 BE")).unwrap();
    assert_eq!(store.registered_mail(case.invoice.id).unwrap().unwrap().tracking, "RR 123 BE");
}

/// No Debug output, no empty option and no command-line option in what a user reads.
pub(crate) fn plain_words(message: &str) -> bool {
    ["{", "}", "Some(", "None", "--", "settle "].iter().all(|bad| !message.contains(bad))
}

#[test]
fn why_no_letter_names_no_option() {
    use super::send::NoLetter;
    let number = || "A-1".to_string();
    let on = d("2026-12-01");
    let all = [
        NoLetter::Settled { number: number() },
        NoLetter::Waiting { number: number(), what: "promise to pay", until: on },
        NoLetter::Disputed { number: number(), since: on },
        NoLetter::Exhausted { number: number() },
        NoLetter::CallFirst { number: number(), on },
        NoLetter::NotPaid { number: number() },
        NoLetter::AlreadyPaid { number: number() },
        NoLetter::NotDue { number: number(), due: on },
        NoLetter::DisputedAgency { number: number() },
        NoLetter::PrincipalOpen { number: number() },
        NoLetter::NothingToClaim { number: number(), why: "waived".into() },
        NoLetter::ClaimPending { number: number(), on },
    ];
    for no in all {
        assert!(plain_words(&no.to_string()), "{no}");
        assert!(no.to_string().contains("A-1"), "{no}");
    }
}

#[test]
fn why_no_grouped_letter_names_no_option() {
    use super::group::NoGroupLetter;
    use crate::domain::policy::Step;
    let name = || "Acme NV".to_string();
    let number = || "A-1".to_string();
    let mut all = vec![
        NoGroupLetter::NoInvoice,
        NoGroupLetter::OtherCustomer { number: number(), theirs: "Jan".into(), name: name() },
        NoGroupLetter::OtherCurrency {
            number: number(),
            its: "USD".parse::<Currency>().unwrap(),
            others: Currency::EUR,
        },
        NoGroupLetter::SeveralSteps {
            name: name(),
            steps: vec!["reminder (A-1)".into(), "nudge (A-2)".into()],
        },
        NoGroupLetter::StepCurrencies {
            name: name(),
            step: Step::Reminder,
            currencies: vec![Currency::EUR, "USD".parse::<Currency>().unwrap()],
        },
    ];
    for kind in LetterKind::ALL {
        all.push(NoGroupLetter::PerInvoice { kind: *kind });
    }
    for step in [None].into_iter().chain(Step::ALL.iter().copied().map(Some)) {
        all.push(NoGroupLetter::NoneAt { name: name(), step });
        for at in [None].into_iter().chain(Step::ALL.iter().copied().map(Some)) {
            if let Some(step) = step {
                all.push(NoGroupLetter::OtherStep { number: number(), at, step });
            }
        }
    }
    for no in all {
        assert!(plain_words(&no.to_string()), "{no}");
        assert!(!no.to_string().contains('_'), "{no}");
    }
}

#[test]
fn a_long_invoice_number_makes_a_short_distinct_file_name() {
    assert_eq!(send::safe_name("2026/041 b"), "2026_041_b");
    let a = format!("{}A", "x".repeat(299));
    let b = format!("{}B", "x".repeat(299));
    let (sa, sb) = (send::safe_name(&a), send::safe_name(&b));
    assert_ne!(sa, sb);
    assert_eq!(sa, send::safe_name(&a), "the same number keeps its name");
    for s in [&sa, &sb, &send::safe_name(&"é".repeat(300))] {
        assert!(s.len() <= send::SAFE_NAME_BYTES, "{s}");
        assert!(s.starts_with("xxx") || s.starts_with("ééé"), "{s}");
    }
}

#[test]
fn greetings_sign_offs_and_words_read_as_a_native_writer_would() {
    let letters = Letters::shipped().unwrap();
    let (store, config) = book();
    let case = case_on(&store, &config, "2024-100", "2025-03-31");
    let nl = |kind| write(&case, &config, &letters, kind, Some(Language::Nl), Channel::Email);
    // A Flemish reminder: first name and "Met vriendelijke groeten"; the formal notice: the
    // whole name and "Hoogachtend", never "Beste Sofie Peeters … Hoogachtend".
    let r = nl(LetterKind::Reminder);
    assert!(
        r.body.starts_with("Beste Sofie,\n") && r.body.contains("Met vriendelijke groeten,"),
        "{}",
        r.body
    );
    let n = nl(LetterKind::FormalNotice);
    assert!(n.body.contains("Geachte Sofie Peeters,") && n.body.contains("Hoogachtend,"), "{}", n.body);
    assert!(!n.body.contains("Beste Sofie"), "{}", n.body);
    // The subject line in the letter's language.
    assert!(r.text().starts_with("Onderwerp: Herinnering: factuur 2024-100"));
    // The fixed €40 on one line, no empty heading before it.
    assert!(n.body.contains("Forfaitaire vergoeding voor invorderingskosten: € 40,00\n"), "{}", n.body);
    // French: no "Bonjour" in a second (firm) reminder.
    let fr = write(&case, &config, &letters, LetterKind::FirmReminder, Some(Language::Fr), Channel::Email);
    assert!(fr.body.starts_with("Madame, Monsieur,") && !fr.body.contains("Bonjour"), "{}", fr.body);
    assert!(fr.text().starts_with("Objet : "));
    // Dutch law in Dutch words: "wettelijke handelsrente", compounded, "Met vriendelijke groet".
    let nl_config = Config::from_text(
        std::path::Path::new("/tmp/settle-test/config.toml"),
        "jurisdiction = \"NL\"\n[me]\nname = \"An Peeters\"\n",
    )
    .unwrap();
    let case = CaseFile::by_number(&store, &nl_config, "2024-100", d("2026-03-31")).unwrap();
    let n = letter_for(
        &case,
        &nl_config,
        &letters,
        LetterKind::FormalNotice,
        Some(Language::Nl),
        Channel::Letter,
        None,
    )
    .unwrap();
    assert!(
        n.body.contains("Wettelijke handelsrente, per dag")
            && n.body.contains("jaarlijks bij de hoofdsom gevoegd")
    );
    assert!(!n.body.to_lowercase().contains("nalatigheidsinterest"), "{}", n.body);
    let r = letter_for(
        &case,
        &nl_config,
        &letters,
        LetterKind::Reminder,
        Some(Language::Nl),
        Channel::Email,
        None,
    )
    .unwrap();
    assert!(r.body.contains("Met vriendelijke groet,\n"), "{}", r.body);
}

#[test]
fn an_edited_consumer_first_reminder_is_checked_again_for_its_mentions() {
    use super::send::edited;
    let letters = Letters::shipped().unwrap();
    let (store, config) = consumer_book("BE", "");
    let case = case_on(&store, &config, "2024-200", "2025-03-31");
    let l = write(&case, &config, &letters, LetterKind::Reminder, None, Channel::Email);
    assert_eq!(l.lacks, Some(vec![]));
    // Unchanged, it is the same letter.
    assert_eq!(edited(&case, &config, &l, Channel::Email, &l.text()).unwrap(), l);
    // The sentence that says the reminder is free (art. XIX.2 of the Code of Economic Law)
    // taken out: the edited letter lacks it, so it would not start the consumer's 14 days.
    let text = l.text().replace("Ce premier rappel est gratuit", "Ce rappel");
    let e = edited(&case, &config, &l, Channel::Email, &text).unwrap();
    assert_eq!(e.lacks, Some(vec!["that the reminder is free of charge".to_string()]));
    // A subject kept, a control character refused, the subject line required.
    assert!(edited(&case, &config, &l, Channel::Email, &format!("{text}\u{1b}[2J")).is_err());
    let no_subject = text.split_once('\n').unwrap().1;
    let err = edited(&case, &config, &l, Channel::Email, no_subject).unwrap_err().to_string();
    assert!(err.contains("first line must stay the subject"), "{err}");
    // A letter of another kind is not checked for mentions.
    assert!(
        edited(&case, &config, &Letter { lacks: None, ..l.clone() }, Channel::Email, &text)
            .unwrap()
            .lacks
            .is_none()
    );
}
