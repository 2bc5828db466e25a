use chrono::NaiveDate;
use rust_decimal::dec;

use super::*;
use crate::domain::agreement::{Agreement, AgreementId, AgreementKind, Instalment, NewAgreement, Schedule};
use crate::domain::call::{Call, CallId, CallOutcome};
use crate::domain::customer::{Customer, CustomerId, CustomerKind, Note, Profile};
use crate::domain::invoice::{Invoice, InvoiceId};
use crate::domain::money::{Currency, Money};
use crate::domain::policy::Policy;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const TODAY: &str = "2026-11-23";

fn customer(lang: Language, profile: Profile) -> Customer {
    Customer {
        id: CustomerId(1),
        name: "Bakkerij Peeters".into(),
        contact: Some("Jan Peeters".into()),
        email: Some("jan@peeters.be".into()),
        phone: None,
        vat: None,
        language: lang,
        profile,
        kind: CustomerKind::Business,
        terms_days: 30,
        archived: false,
        address: None,
    }
}

fn invoice() -> Invoice {
    Invoice {
        id: InvoiceId(1),
        number: "2026-041".into(),
        customer_id: CustomerId(1),
        issued: d("2026-10-02"),
        due: d("2026-11-01"),
        amount: Money::new(dec!(1250.00), Currency::EUR),
        description: String::new(),
        reference: Some("+++090/9337/55493+++".parse().unwrap()),
        open: dec!(1000.00),
        disputed: false,
        written_off: false,
    }
}

fn facts(lang: Language, profile: Profile, step: Step) -> ScriptFacts {
    ScriptFacts {
        customer: customer(lang, profile),
        invoice: invoice(),
        step,
        reminded_on: Some(d("2026-11-04")),
        notice_on: None,
    }
}

fn lib() -> ScriptLibrary {
    ScriptLibrary::shipped().unwrap()
}

#[test]
fn every_step_profile_and_language_renders_the_five_sections() {
    let lib = lib();
    for lang in LANGUAGES {
        for profile in Profile::ALL {
            for step in Step::ALL {
                let what = format!("{lang}/{profile}/{step}");
                let panel = script_panel(&lib, &facts(lang, *profile, *step), &[], None, d(TODAY)).unwrap();
                let kinds: Vec<SectionKind> = panel.sections.iter().map(|s| s.kind).collect();
                assert_eq!(kinds, SectionKind::ALL.to_vec(), "{what}");
                assert!(panel.sections.iter().all(|s| !s.lines.is_empty()), "{what}: an empty section");
                let replies = &panel.sections[3].lines;
                assert_eq!(replies.iter().filter(|l| l.kind == LineKind::Reply).count(), 4, "{what}");
                let all: String =
                    panel.sections.iter().flat_map(|s| &s.lines).map(|l| l.text.as_str()).collect();
                assert!(all.contains("Jan Peeters") && all.contains("2026-041"), "{what}: {all}");
                assert!(!all.contains("{{") && !all.contains("{%") && !all.contains("  "), "{what}: {all}");
                let closing: String = panel.sections[4].lines.iter().map(|l| l.text.to_lowercase()).collect();
                assert!(closing.contains("mail"), "{what}: the closing promises an email: {closing}");
            }
        }
    }
}

#[test]
fn the_script_speaks_the_customers_language_and_fills_the_figures() {
    let lib = lib();
    let text = |lang, step| {
        let f = facts(lang, Profile::Standard, step);
        lib.script_text(step, lang, &ScriptContext::new(&f, lang, d(TODAY))).unwrap()
    };
    let nl = text(Language::Nl, Step::Call);
    assert!(nl.contains("factuur 2026-041 van 2 oktober 2026, voor € 1.250,00"), "{nl}");
    assert!(nl.contains("22 dagen geleden"), "{nl}");
    assert!(nl.contains("3 × € 333,33 (de laatste € 333,34)"), "{nl}");
    let fr = text(Language::Fr, Step::FirmReminder);
    assert!(fr.contains("Malgré notre rappel du 4 novembre 2026"), "{fr}");
    let en = text(Language::En, Step::Nudge);
    assert!(en.contains("It falls due on 1 November 2026"), "{en}");
    assert_ne!(text(Language::En, Step::Nudge), text(Language::En, Step::Agency));
}

#[test]
fn a_partly_paid_invoice_is_called_about_what_is_still_open_in_words_for_anyone() {
    // €1,250.00 invoiced, €250.00 in: the call is about the €1,000.00 still open.
    let lib = lib();
    for (lang, want) in [
        (Language::En, "€250.00 has come in, thank you; €1,000.00 is still open"),
        (Language::Nl, "€ 250,00 is binnen, dank u; er staat nog € 1.000,00 open"),
        // French writes thousands with a narrow space: "1 000,00 €".
        (Language::Fr, "J'ai bien reçu 250,00 €, merci ; il reste 1\u{202f}000,00 € à régler"),
    ] {
        let f = facts(lang, Profile::Standard, Step::Call);
        let text = lib.script_text(Step::Call, lang, &ScriptContext::new(&f, lang, d(TODAY))).unwrap();
        assert!(text.contains(want), "{lang}: {text}");
        assert!(!text.contains("haven't seen the payment") && !text.contains("nog niet gezien"), "{text}");
    }
    // French scripts do not assume the speaker is a man (nor a woman).
    for step in Step::ALL {
        for profile in Profile::ALL {
            let f = facts(Language::Fr, *profile, *step);
            let text = lib
                .script_text(*step, Language::Fr, &ScriptContext::new(&f, Language::Fr, d(TODAY)))
                .unwrap();
            for gendered in ["content de", "contente", "désolé", "ravi", "heureux", "heureuse", "navré"] {
                assert!(!text.contains(gendered), "{step}/{profile}: {gendered:?} in {text}");
            }
        }
    }
}

#[test]
fn profiles_change_the_tone() {
    let lib = lib();
    let opening = |profile| {
        let p = script_panel(&lib, &facts(Language::En, profile, Step::Call), &[], None, d(TODAY)).unwrap();
        p.sections[0].lines[0].text.clone()
    };
    assert!(opening(Profile::Trusted).contains("good to hear you"));
    assert!(opening(Profile::New).starts_with("Good morning"));
}

#[test]
fn a_customer_in_german_gets_the_english_script_and_is_told_so() {
    let p = script_panel(&lib(), &facts(Language::De, Profile::Standard, Step::Call), &[], None, d(TODAY))
        .unwrap();
    assert_eq!((p.language, p.fallback_from), (Language::En, Some(Language::De)));
}

#[test]
fn the_panel_shows_the_newest_notes_and_the_last_call() {
    let note = |id, on: &str, body: &str| Note {
        id,
        customer: CustomerId(1),
        invoice: None,
        on: d(on),
        body: body.into(),
    };
    let notes = [
        note(1, "2026-01-10", "oldest"),
        note(2, "2026-11-02", "new accountant since November"),
        note(3, "2026-06-01", "prefers calls after 10:00"),
        note(4, "2026-09-15", "expanding to a second shop"),
    ];
    let call = Call {
        id: CallId(1),
        customer: CustomerId(1),
        invoice: Some(InvoiceId(1)),
        on: d("2026-11-16"),
        reached: false,
        with: None,
        outcome: CallOutcome::NoAnswer,
        follow_up: Some(d("2026-11-23")),
        claimed_paid_on: None,
        claimed_reference: None,
        note: "left a voicemail".into(),
    };
    let p = script_panel(
        &lib(),
        &facts(Language::En, Profile::Standard, Step::Call),
        &notes,
        Some(&call),
        d(TODAY),
    )
    .unwrap();
    let bodies: Vec<&str> = p.notes.iter().map(|(_, b)| b.as_str()).collect();
    assert_eq!(
        bodies,
        vec!["new accountant since November", "expanding to a second shop", "prefers calls after 10:00"]
    );
    assert_eq!(
        p.last_call.as_deref(),
        Some("Mon 16 Nov 2026, not reached: no answer, next contact Mon 23 Nov. left a voicemail")
    );
}

#[test]
fn the_step_is_where_the_invoice_stands() {
    use crate::domain::ladder::{DoneStep, Facts, LetterTerms, evaluate};
    let ladder = &Policy::default().standard; // reminder +3, call +10, firm +17
    let due = d("2026-11-01");
    let at = |done: &[Step], today: &str| {
        let done: Vec<DoneStep> =
            done.iter().map(|s| DoneStep { step: *s, on: due, channel: None }).collect();
        let f = Facts {
            ladder,
            due,
            open: true,
            done: &done,
            pauses: &[],
            attempts: &[],
            customer_reached: None,
            terms: LetterTerms::default(),
        };
        current_step(ladder, due, &evaluate(&f, d(today)), d(today))
    };
    assert_eq!(at(&[], "2026-10-28"), Step::Nudge);
    assert_eq!(at(&[], "2026-11-02"), Step::Reminder, "overdue, nothing due yet");
    assert_eq!(at(&[Step::Reminder], "2026-11-08"), Step::Reminder);
    assert_eq!(at(&[Step::Reminder], "2026-11-11"), Step::Call);
    assert_eq!(at(&[Step::Reminder, Step::Call], "2026-11-20"), Step::FirmReminder);
}

fn agreement(kind: AgreementKind, new: &NewAgreement) -> Agreement {
    Agreement {
        id: AgreementId(5),
        invoice: InvoiceId(1),
        call: None,
        kind,
        made_on: d(TODAY),
        total: new.total,
        confirmed_on: None,
        ended_on: None,
        instalments: new
            .instalments
            .iter()
            .enumerate()
            .map(|(n, (due, amount))| Instalment {
                seq: u32::try_from(n + 1).unwrap(),
                due: *due,
                amount: *amount,
                paid: vec![],
            })
            .collect(),
    }
}

#[test]
fn confirmations_in_every_language_list_what_was_agreed() {
    let lib = lib();
    let plan =
        NewAgreement::plan(dec!(1000), &Schedule::Every { count: 3, every_days: 30, first: d("2026-12-01") })
            .unwrap();
    let plan = agreement(AgreementKind::Plan, &plan);
    let promise =
        agreement(AgreementKind::Promise, &NewAgreement::promise(d("2026-12-05"), dec!(500)).unwrap());
    for (lang, expect_plan, expect_promise) in [
        (Language::En, "3. €333.34 by 30 January 2027", "you will pay €500.00 by 5 December 2026"),
        (
            Language::Nl,
            "3. € 333,34 uiterlijk op 30 januari 2027",
            "u betaalt € 500,00 uiterlijk op 5 december 2026",
        ),
        (
            Language::Fr,
            "3. 333,34 € au plus tard le 30 janvier 2027",
            "vous réglez 500,00 € au plus tard le 5 décembre 2026",
        ),
    ] {
        let c = customer(lang, Profile::Standard);
        let p = confirmation_for(&lib, &c, &invoice(), &plan, "Anna Claes").unwrap();
        let body = p.body.replace('\u{202f}', " ");
        assert!(p.subject.contains("2026-041") && p.subject.contains("2026"), "{lang}: {}", p.subject);
        assert!(body.contains(expect_plan), "{lang}: {body}");
        assert!(
            body.contains("+++090/9337/55493+++") && body.trim_end().ends_with("Anna Claes"),
            "{lang}: {body}"
        );
        let q = confirmation_for(&lib, &c, &invoice(), &promise, "").unwrap();
        assert!(q.body.replace('\u{202f}', " ").contains(expect_promise), "{lang}: {}", q.body);
        // The subject line in the email's language.
        assert!(q.to_text().starts_with(crate::domain::template::subject_prefix(q.language)));
    }
}

fn user_dir(name: &str, text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    dir
}

#[test]
fn a_user_template_overrides_the_shipped_one() {
    let dir = user_dir("scripts/en/call.txt", "## opening\nHi {{ contact }}!\n## closing\nBye.\n");
    let lib = ScriptLibrary::load(Some(dir.path())).unwrap();
    let p =
        script_panel(&lib, &facts(Language::En, Profile::Standard, Step::Call), &[], None, d(TODAY)).unwrap();
    assert_eq!(p.sections[0].lines[0].text, "Hi Jan Peeters!");
}

#[test]
fn an_unknown_field_is_refused_when_loading_with_its_file_and_line() {
    let dir = user_dir(
        "scripts/nl/call.txt",
        "{% extends \"base.txt\" %}\n{% block why %}\n## why\nDag {{ klant }}\n{% endblock %}\n",
    );
    let err = ScriptLibrary::load(Some(dir.path())).err().unwrap();
    let ScriptError::Template { file, line, message } = &err else { panic!("{err}") };
    assert!(file.ends_with("scripts/nl/call.txt"), "{file}");
    assert_eq!(*line, 4);
    assert!(message.starts_with("unknown field 'klant' (known: "), "{message}");
}

#[test]
fn a_syntax_error_and_a_bad_section_are_refused_with_the_file() {
    let dir = user_dir("confirmations/fr/agreement.txt", "Objet\n\n{% if kind %}\nsans fin\n");
    let err = ScriptLibrary::load(Some(dir.path())).err().unwrap().to_string();
    assert!(err.contains("confirmations/fr/agreement.txt, line "), "{err}");
    let dir = user_dir("scripts/en/agency.txt", "## opening\nHello\n## goodbye\nBye\n");
    let lib = ScriptLibrary::load(Some(dir.path())).unwrap();
    let err = script_panel(&lib, &facts(Language::En, Profile::New, Step::Agency), &[], None, d(TODAY))
        .unwrap_err()
        .to_string();
    assert!(err.contains("scripts/en/agency.txt") && err.contains("unknown section 'goodbye'"), "{err}");
}
