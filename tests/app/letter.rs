//! The letter overlay (`l`): the letter of the invoice's step previewed, saved beside the book
//! and recorded once; the formal notice's tracking number; the agency dossier; refusals.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use chrono::NaiveDate;
use ratatui::crossterm::event::KeyCode;
use rust_decimal::Decimal;
use settle::app::keys::Context;
use settle::app::letter::LetterView;
use settle::app::letter::WRAP;
use settle::app::{App, Effect, Message, Overlay, Resources, Tab, dispatch, perform, update};
use settle::domain::event::{Channel, EventKind};
use settle::domain::invoice::{InvoiceId, NewPayment, PaymentKind};
use settle::letters::LetterKind;
use settle::service::demo::{DemoOptions, write_demo};
use settle::store::Store;

use crate::support::*;

/// The demo book in a database file in a temporary directory, and the app on it (so letters
/// and dossiers can be saved beside it).
fn demo_on_disk() -> (App, Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    let mut store = Store::open(&db).unwrap();
    write_demo(&mut store, &DemoOptions { customers: 12, invoices: 120, seed: 42, busy: true }, today())
        .unwrap();
    store.record_app_run(NaiveDate::from_ymd_opt(2026, 11, 16).unwrap()).unwrap();
    let resources = Resources { database: Some(db), ..Resources::shipped().unwrap() };
    let app = App::start_with(&store, today(), resources).unwrap();
    (app, store, dir)
}

/// Moves down Today to the first line whose letter (`l`) is a `kind`, and shows it. (Today's
/// agenda names the first step not taken; the letter is the latest one due, which may skip
/// earlier ones, so lines are found by their letter.)
fn show(app: &mut App, store: &mut Store, kind: LetterKind) -> InvoiceId {
    for _ in 0..40 {
        typ(app, store, "l");
        if let Some(Overlay::Letter(v)) = &app.overlay
            && v.letter.kind == kind
        {
            return v.invoice;
        }
        esc(app, store);
        press(app, store, code(KeyCode::Down));
    }
    panic!("no {kind} letter on Today");
}

fn letter(app: &App) -> &LetterView {
    match &app.overlay {
        Some(Overlay::Letter(v)) => v,
        other => panic!("no letter on screen: {other:?}, status {:?}", app.status),
    }
}

fn count(store: &Store, id: InvoiceId, kind: EventKind) -> usize {
    store.timeline(id).unwrap().iter().filter(|e| e.kind == kind).count()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn status(app: &App) -> String {
    app.status.as_ref().map(|s| s.text.clone()).unwrap_or_default()
}

#[test]
fn l_previews_the_letter_of_the_step_and_esc_writes_nothing() {
    let (mut app, mut store) = demo();
    let id = show(&mut app, &mut store, LetterKind::Reminder);
    esc(&mut app, &mut store);
    let before = store.timeline(id).unwrap();

    // From the Today line: `l` asks the store for the letter, as an effect.
    let fx = update(&mut app, Message::Key(code(KeyCode::Char('l'))));
    assert_eq!(fx, vec![Effect::PreviewLetter(id)]);
    for e in fx {
        let answer = perform(&mut store, &app, e);
        dispatch(&mut app, &mut store, answer);
    }
    let v = letter(&app);
    assert_eq!((v.invoice, v.letter.kind, v.channel), (id, LetterKind::Reminder, Channel::Email));
    assert_eq!(app.context(), Context::Letter);
    assert!(v.letter.body.contains(&v.number), "the letter names its invoice");
    let words = |t: &str| t.split_whitespace().map(str::to_string).collect::<Vec<_>>();
    assert_eq!(words(&v.lines.join("\n")), words(&v.letter.text()), "the whole letter, wrapped");
    assert!(v.lines.iter().all(|l| l.chars().count() <= WRAP));
    assert_eq!(v.shown_path, "not saved: this book is in memory");
    assert!(v.about.starts_with("Reminder: due since"), "{}", v.about);

    // Scrolling: a line, a page, the end and back to the top.
    press(&mut app, &mut store, code(KeyCode::Down));
    assert_eq!(letter(&app).scroll, 1);
    press(&mut app, &mut store, code(KeyCode::PageDown));
    assert!(letter(&app).scroll > 1);
    press(&mut app, &mut store, code(KeyCode::End));
    let end = letter(&app).scroll;
    press(&mut app, &mut store, code(KeyCode::Down));
    assert_eq!(letter(&app).scroll, end, "scrolling stops at the end");
    press(&mut app, &mut store, code(KeyCode::PageUp));
    press(&mut app, &mut store, code(KeyCode::Home));
    assert_eq!(letter(&app).scroll, 0);

    esc(&mut app, &mut store);
    assert!(app.overlay.is_none());
    assert_eq!(store.timeline(id).unwrap(), before, "Esc writes nothing");

    // From the Invoice screen: the same letter; Esc closes the letter, not the screen.
    enter(&mut app, &mut store);
    assert_eq!(app.tab, Tab::Invoice);
    typ(&mut app, &mut store, "l");
    assert_eq!((letter(&app).invoice, letter(&app).letter.kind), (id, LetterKind::Reminder));
    esc(&mut app, &mut store);
    assert_eq!(app.context(), Context::Invoice);
    assert_eq!(store.timeline(id).unwrap(), before);
}

#[test]
fn s_saves_the_letter_privately_and_records_the_step_once() {
    let (mut app, mut store, dir) = demo_on_disk();
    let id = show(&mut app, &mut store, LetterKind::Reminder);
    // From the Invoice screen, which stays on this invoice after the step is recorded.
    esc(&mut app, &mut store);
    enter(&mut app, &mut store);
    typ(&mut app, &mut store, "l");
    let seen = letter(&app).clone();
    let file = format!("letters/{}-reminder-2026-11-23.txt", seen.number);
    assert_eq!(seen.shown_path, file);
    assert_eq!(count(&store, id, EventKind::ReminderSent), 0);

    typ(&mut app, &mut store, "s");
    assert_eq!(status(&app), format!("Saved {file} (and its PDF) and recorded the reminder as sent today."));
    assert!(app.overlay.is_none(), "the letter closes once sent");
    let path = dir.path().join(&file);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), seen.letter.text());
    let pdf = std::fs::read(path.with_extension("pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "the PDF is written beside the text");
    assert_eq!(mode(&path), 0o600, "the letter is readable by you only");
    assert_eq!(mode(&path.with_extension("pdf")), 0o600, "its PDF too");
    assert_eq!(mode(&dir.path().join("letters")), 0o700);
    assert_eq!(count(&store, id, EventKind::ReminderSent), 1);
    let sent = store.timeline(id).unwrap().into_iter().find(|e| e.kind == EventKind::ReminderSent).unwrap();
    assert_eq!((sent.on, sent.channel), (today(), Some(Channel::Email)));

    // `l` again on that invoice: the reminder is done and is not offered again.
    assert_eq!(app.invoice.as_ref().map(|i| i.id), Some(id));
    typ(&mut app, &mut store, "l");
    if let Some(Overlay::Letter(v)) = &app.overlay {
        assert_ne!(v.letter.kind, LetterKind::Reminder);
    }
    esc(&mut app, &mut store);

    // A preview still showing the reminder (another window, a stale screen): `s` is refused,
    // clearly, and neither the timeline nor the saved file changes.
    app.overlay = Some(Overlay::Letter(Box::new(seen)));
    typ(&mut app, &mut store, "s");
    let v = letter(&app);
    let why = v.error.clone().unwrap_or_default();
    assert!(why.contains("already recorded on 2026-11-23") && why.contains("never recorded twice"), "{why}");
    assert_eq!(count(&store, id, EventKind::ReminderSent), 1);
    assert_eq!(std::fs::read_dir(dir.path().join("letters")).unwrap().count(), 1, "no stray temporary file");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), letter(&app).letter.text());
    typ(&mut app, &mut store, "m");
    assert_eq!(count(&store, id, EventKind::ReminderSent), 1, "m is refused too");
    esc(&mut app, &mut store);
    assert!(app.overlay.is_none());
}

#[test]
fn a_formal_notice_by_post_asks_for_its_tracking_number() {
    let (mut app, mut store, dir) = demo_on_disk();
    let id = show(&mut app, &mut store, LetterKind::FormalNotice);
    let v = letter(&app);
    assert_eq!((v.letter.kind, v.channel), (LetterKind::FormalNotice, Channel::Letter));
    assert!(v.needs_tracking());
    let number = v.number.clone();

    // s asks for the number first; nothing is written yet.
    let fx = update(&mut app, Message::Key(code(KeyCode::Char('s'))));
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(app.context(), Context::LetterTracking);
    enter(&mut app, &mut store);
    assert_eq!(app.context(), Context::LetterTracking, "an empty number is refused");
    assert!(letter(&app).error.as_deref().unwrap_or_default().contains("tracking number"));
    esc(&mut app, &mut store);
    assert_eq!(app.context(), Context::Letter, "Esc goes back to the letter");
    assert_eq!(count(&store, id, EventKind::FormalNoticeSent), 0);

    // m: recorded with its number, without a file.
    typ(&mut app, &mut store, "m");
    assert_eq!(app.context(), Context::LetterTracking);
    typ(&mut app, &mut store, "RR123456785BE");
    enter(&mut app, &mut store);
    assert_eq!(
        status(&app),
        format!("Recorded the formal notice on {number} as sent today (no file saved).")
    );
    assert!(app.overlay.is_none());
    assert_eq!(count(&store, id, EventKind::FormalNoticeSent), 1);
    let mail = store.registered_mail(id).unwrap().unwrap();
    assert_eq!((mail.tracking.as_str(), mail.sent), ("RR123456785BE", today()));
    assert!(!dir.path().join("letters").exists(), "m saves no file");
}

#[test]
fn the_agency_letter_offers_the_dossier() {
    let (mut app, mut store, dir) = demo_on_disk();
    let id = show(&mut app, &mut store, LetterKind::AgencyCover);
    let before = store.timeline(id).unwrap();
    assert_eq!(letter(&app).letter.kind, LetterKind::AgencyCover);
    assert_eq!(app.context(), Context::AgencyLetter);
    let number = letter(&app).number.clone();

    typ(&mut app, &mut store, "x");
    let folder = format!("dossiers/{number}-2026-11-23");
    let said = status(&app);
    assert!(said.starts_with(&format!("Wrote the dossier to {folder}/ (JSON and text; claim €")), "{said}");
    assert!(matches!(app.overlay, Some(Overlay::Letter(_))), "the letter stays open to be sent");
    let out = dir.path().join(&folder);
    assert_eq!(mode(&out), 0o700);
    assert_eq!(mode(&dir.path().join("dossiers")), 0o700);
    for f in ["dossier.json", "dossier.md"] {
        assert_eq!(mode(&out.join(f)), 0o600, "{f}");
    }
    let json = std::fs::read_to_string(out.join("dossier.json")).unwrap();
    let d: settle::export::dossier::Dossier = serde_json::from_str(&json).unwrap();
    assert_eq!((d.invoice.number.as_str(), d.as_of), (number.as_str(), today()));
    assert_eq!(store.timeline(id).unwrap(), before, "exporting records nothing");

    // Other letters have no dossier key.
    esc(&mut app, &mut store);
    show(&mut app, &mut store, LetterKind::Reminder);
    typ(&mut app, &mut store, "x");
    assert_eq!(app.context(), Context::Letter);
    assert!(status(&app).is_empty());
}

#[test]
fn a_paid_reminded_invoice_offers_the_thank_you() {
    let (mut app, mut store) = demo();
    let id = show(&mut app, &mut store, LetterKind::Reminder);
    esc(&mut app, &mut store);
    enter(&mut app, &mut store);
    // The reminder goes out (without a file: this book is in memory)…
    typ(&mut app, &mut store, "ls");
    assert!(letter(&app).error.as_deref().unwrap_or_default().contains("in memory"), "s needs a file");
    typ(&mut app, &mut store, "m");
    assert_eq!(count(&store, id, EventKind::ReminderSent), 1);
    // …and the customer pays in full.
    let open = store.invoice(id).unwrap().invoice.open;
    let payment = NewPayment {
        invoice: id,
        on: today(),
        amount: open,
        kind: PaymentKind::Payment,
        method: Some("transfer".into()),
        note: String::new(),
    };
    store.add_payment(&payment).unwrap();
    press(&mut app, &mut store, ctrl('r'));
    assert_eq!(app.invoice.as_ref().map(|i| i.open), Some(Decimal::ZERO));

    // Paid after its due date: the interest and the €40 survive the principal (law of
    // 2 August 2002), so the letter is first the claim for them…
    typ(&mut app, &mut store, "l");
    let v = letter(&app);
    assert_eq!(v.letter.kind, LetterKind::Claim);
    assert!(v.about.contains("w waives them"), "{}", v.about);
    esc(&mut app, &mut store);
    // …which `w` waives, the form's save confirming it; then the thank-you.
    typ(&mut app, &mut store, "w");
    enter(&mut app, &mut store);
    enter(&mut app, &mut store);
    assert_eq!(count(&store, id, EventKind::ClaimWaived), 1, "{:?}", app.status);
    typ(&mut app, &mut store, "l");
    let v = letter(&app);
    assert_eq!(v.letter.kind, LetterKind::ThankYou);
    assert_eq!(v.about, "Paid in full after a reminder: time to say thank you.");
    typ(&mut app, &mut store, "m");
    assert_eq!(count(&store, id, EventKind::ThankYouSent), 1);

    // Thanked: no letter left, said in the status line.
    typ(&mut app, &mut store, "l");
    assert!(app.overlay.is_none());
    let s = app.status.clone().unwrap();
    assert!(s.error && s.text.contains("settled and needs no letter") && !s.text.contains("--"), "{s:?}");
}

#[test]
fn no_letter_is_a_message_not_a_crash() {
    let (mut app, mut store) = demo();
    // A line whose next step is a phone call: no letter until the call is made.
    let mut said = Vec::new();
    for _ in 0..10 {
        typ(&mut app, &mut store, "l");
        match &app.overlay {
            Some(_) => esc(&mut app, &mut store),
            None => said.push(app.status.clone().unwrap()),
        }
        press(&mut app, &mut store, code(KeyCode::Down));
    }
    let call = said.iter().find(|s| s.text.contains("phone call")).expect("a call comes first somewhere");
    assert!(call.error && call.text.starts_with("No letter: ") && !call.text.contains("--"), "{call:?}");
    // Nowhere to point at: the other tabs have no `l`.
    typ(&mut app, &mut store, "2l");
    assert!(app.overlay.is_none());
}

#[test]
fn snapshot_of_the_letter() {
    let (mut app, mut store, _dir) = demo_on_disk();
    show(&mut app, &mut store, LetterKind::Reminder);
    insta::assert_snapshot!("letter_reminder_100x30", render(&app, 100, 30).backend());
}

/// `e` hands the letter to `$EDITOR` (the runner does; here the edit is given back as the
/// runner would); the edited text is what `s` saves, and an edit that breaks the subject line
/// is refused, keeping the letter as it was.
#[test]
fn e_edits_the_letter_and_s_saves_the_edited_text() {
    let (mut app, mut store, dir) = demo_on_disk();
    let id = show(&mut app, &mut store, LetterKind::Reminder);
    let original = letter(&app).letter.clone();
    typ(&mut app, &mut store, "e");
    assert_eq!(app.editor.take(), Some(original.text()), "the runner gets the letter's text");
    // Unchanged: said so.
    dispatch(&mut app, &mut store, Message::LetterEdited(Ok(original.text())));
    assert_eq!(letter(&app).error.as_deref(), Some("The letter was not changed."));
    // The subject line gone: refused, the letter kept.
    let broken = original.text().split_once('\n').unwrap().1.to_string();
    dispatch(&mut app, &mut store, Message::LetterEdited(Ok(broken)));
    let why = letter(&app).error.clone().unwrap_or_default();
    assert!(why.contains("the first line must stay the subject"), "{why}");
    assert_eq!(letter(&app).letter, original);
    // An editor that failed: said, nothing changed.
    dispatch(
        &mut app,
        &mut store,
        Message::LetterEdited(Err("the editor (vi) ended with exit status: 1".into())),
    );
    assert!(letter(&app).error.as_deref().unwrap_or_default().contains("exit status: 1"));
    // A real edit: a new subject and a line added; the preview shows it and `s` saves it.
    let text = original.text().replacen(&original.subject, "Our invoice, a friendly reminder", 1)
        + "PS: I am away next week; my colleague Bram answers.\n";
    dispatch(&mut app, &mut store, Message::LetterEdited(Ok(text.clone())));
    let v = letter(&app);
    assert_eq!(v.error, None);
    assert_eq!(v.letter.subject, "Our invoice, a friendly reminder");
    assert_eq!(v.letter.text(), text);
    assert!(v.lines.iter().any(|l| l.contains("my colleague Bram")));
    assert!(v.notes.iter().any(|n| n.contains("Edited in your editor")));
    let file = format!("letters/{}-reminder-2026-11-23.txt", v.number);
    typ(&mut app, &mut store, "s");
    assert_eq!(status(&app), format!("Saved {file} (and its PDF) and recorded the reminder as sent today."));
    assert_eq!(std::fs::read_to_string(dir.path().join(&file)).unwrap(), text);
    assert_eq!(count(&store, id, EventKind::ReminderSent), 1);
}

/// A customer without an email address: the app says which of its keys adds one (the
/// command line names `settle customer edit … --email` instead), and nothing is sent.
#[test]
fn capital_e_to_a_customer_without_email_names_the_apps_key() {
    let (mut app, mut store, _dir) = demo_on_disk();
    let id = show(&mut app, &mut store, LetterKind::Reminder);
    let customer = store.invoice(id).unwrap().invoice.customer_id;
    let mut c = store.customer(customer).unwrap().to_new();
    c.email = None;
    store.edit_customer(customer, &c).unwrap();
    // Nothing listens on port 1: were the email composed, sending would fail loudly.
    let text = "[me]\nname = \"Ann\"\nemail = \"ann@example.be\"\n[smtp]\nhost = \"127.0.0.1\"\nport = 1\nfrom = \"ann@example.be\"\nsecurity = \"none\"\n";
    app.resources.config = settle::config::Config::from_text(Path::new("config.toml"), text).unwrap();
    typ(&mut app, &mut store, "E");
    let why = letter(&app).error.clone().unwrap_or_default();
    assert!(why.ends_with("has no email address: add one with e on the Customers tab."), "{why}");
    assert!(!why.contains("--") && !why.contains("settle "), "{why}");
    assert_eq!(count(&store, id, EventKind::ReminderSent), 0);
}

#[test]
fn capital_e_sends_the_letter_by_email_and_records_it_once() {
    let Some(server) = crate::support::smtp::Smtp::start("app", None) else { return };
    let (mut app, mut store, _dir) = demo_on_disk();
    let id = show(&mut app, &mut store, LetterKind::Reminder);
    let seen = letter(&app).clone();
    // Without [smtp]: said in the letter, nothing recorded, nothing sent.
    typ(&mut app, &mut store, "E");
    let why = letter(&app).error.clone().unwrap_or_default();
    assert!(why.contains("no [smtp] table") && why.contains("save the letter with s"), "{why}");
    assert!(!why.contains("--"), "{why}");
    assert_eq!(count(&store, id, EventKind::ReminderSent), 0);
    // `E` is an effect: update only asks for it.
    let fx = update(&mut app, Message::Key(code(KeyCode::Char('E'))));
    assert!(matches!(fx.as_slice(), [Effect::EmailLetter(_)]), "{fx:?}");
    app.overlay = Some(Overlay::Letter(Box::new(seen.clone())));

    let text = format!(
        "[me]\nname = \"Ann Peeters\"\nemail = \"ann@peeters-design.be\"\n[smtp]\nhost = \"127.0.0.1\"\nport = {}\nfrom = \"ann@peeters-design.be\"\nsecurity = \"none\"\n",
        server.port
    );
    app.resources.config = settle::config::Config::from_text(Path::new("config.toml"), &text).unwrap();
    // The preview says where E sends it once [smtp] is set.
    assert!(!letter(&app).notes.iter().any(|n| n.starts_with("E emails")), "{:?}", letter(&app).notes);
    esc(&mut app, &mut store);
    typ(&mut app, &mut store, "l");
    assert_eq!(letter(&app).invoice, id);
    let note = letter(&app).notes.iter().find(|n| n.starts_with("E emails it to ")).cloned();
    let note = note.unwrap_or_else(|| panic!("no email note: {:?}", letter(&app).notes));
    assert!(note.ends_with(".example."), "{note}");
    typ(&mut app, &mut store, "E");
    let got = server.wait_for(1);
    assert_eq!(got.len(), 1, "status: {}", status(&app));
    let to = store.timeline(id).unwrap();
    let sent: Vec<_> = to.iter().filter(|e| e.kind == EventKind::ReminderSent).collect();
    assert_eq!(sent.len(), 1);
    assert_eq!((sent[0].on, sent[0].channel), (today(), Some(Channel::Email)));
    let detail = sent[0].detail.clone();
    let id_header = got[0]
        .lines()
        .find_map(|l| l.strip_prefix("Message-ID: "))
        .expect("a Message-ID header")
        .trim()
        .to_string();
    assert!(detail.contains(&format!("Message-ID {id_header}")), "{detail} / {id_header}");
    assert!(
        status(&app).starts_with("Sent the reminder to ")
            && status(&app).ends_with("and recorded it as sent today."),
        "{}",
        status(&app)
    );
    assert!(app.overlay.is_none(), "the letter closes once sent");

    // The stale preview again: refused before anything is sent.
    app.overlay = Some(Overlay::Letter(Box::new(seen)));
    typ(&mut app, &mut store, "E");
    assert!(letter(&app).error.clone().unwrap_or_default().contains("already recorded"));
    assert_eq!(count(&store, id, EventKind::ReminderSent), 1);
    assert_eq!(server.received().len(), 1, "no second message");
}

/// Selects the first folded Today line whose invoices share a letter step; their ids.
fn select_letter_group(app: &mut App) -> Vec<InvoiceId> {
    let row = app
        .today_view
        .rows
        .iter()
        .position(|r| {
            app.book.group(*r).is_some()
                && app.book.items_of(*r)[0]
                    .step
                    .is_some_and(|s| settle::letters::group::GROUPABLE.contains(&s))
        })
        .expect("the busy demo has a customer with several invoices at one letter step");
    app.today_view.cursor.select(row);
    let line = app.today_view.rows[row];
    app.book.items_of(line).iter().map(|i| i.invoice.id).collect()
}

#[test]
fn l_on_a_customers_line_shows_one_letter_for_all_its_invoices_and_s_then_u_records_and_undoes_it() {
    // The demo book, and a customer with three invoices at the reminder step today.
    let (_, store, dir) = demo_on_disk();
    drop(store);
    let db = dir.path().join("book.db");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "").unwrap();
    let run = |args: &[&str]| {
        let mut argv = vec!["settle", "--db", db.to_str().unwrap(), "--config", config.to_str().unwrap()];
        argv.extend_from_slice(args);
        let cli = <settle::cli::Cli as clap::Parser>::try_parse_from(&argv).unwrap();
        settle::cli::commands::run(cli, today()).unwrap();
    };
    run(&["customer", "add", "Grouped Letters BV", "--contact", "Els Maes"]);
    for (n, amount) in [("GL-1", "1200"), ("GL-2", "80.50"), ("GL-3", "455")] {
        run(&[
            "invoice",
            "add",
            n,
            "--customer",
            "Grouped Letters BV",
            "--issued",
            "2026-09-01",
            "--due",
            "2026-10-01",
            "--amount",
            amount,
        ]);
    }
    let mut store = Store::open(&db).unwrap();
    let resources = Resources { database: Some(db.clone()), ..Resources::shipped().unwrap() };
    let mut app = App::start_with(&store, today(), resources).unwrap();
    let ids = select_letter_group(&mut app);
    typ(&mut app, &mut store, "l");
    let v = letter(&app).clone();
    assert_eq!(v.group, ids, "the letter is about every invoice of the line");
    let kind = v.letter.kind;
    let step = kind.step().unwrap();
    let numbers: Vec<String> = ids.iter().map(|id| store.invoice(*id).unwrap().invoice.number).collect();
    // Every invoice is in the letter's table, and the title names them.
    for n in &numbers {
        assert!(v.lines.iter().any(|l| l.contains(n.as_str())), "{n} missing: {:?}", v.lines);
        assert!(v.number.contains(n.as_str()), "{}", v.number);
    }
    let s = screen_words(&app, 200, 60);
    assert!(s.contains(&format!("One letter for {} invoices", ids.len())), "{s}");
    let before: Vec<usize> = ids.iter().map(|id| count(&store, *id, step.event_kind())).collect();
    assert!(before.iter().all(|c| *c == 0), "{before:?}");
    // s: saved beside the book (text and PDF) and recorded on each invoice, in one change.
    typ(&mut app, &mut store, "s");
    if letter_needs_tracking(&app) {
        typ(&mut app, &mut store, "RR123456789BE");
        enter(&mut app, &mut store);
    }
    assert!(app.overlay.is_none(), "{:?} {:?}", app.overlay, app.status);
    let said = status(&app);
    assert!(said.contains(&format!("on {} invoices", ids.len())), "{said}");
    for id in &ids {
        assert_eq!(count(&store, *id, step.event_kind()), 1, "{said}");
    }
    let saved = v.path.clone().unwrap();
    assert!(saved.starts_with(dir.path()));
    assert_eq!(mode(&saved), 0o600);
    assert_eq!(std::fs::read_to_string(&saved).unwrap(), v.letter.text());
    assert!(saved.with_extension("pdf").exists());
    // One u takes the step back on all of them.
    typ(&mut app, &mut store, "u");
    for id in &ids {
        assert_eq!(count(&store, *id, step.event_kind()), 0, "{}", status(&app));
    }
}

fn letter_needs_tracking(app: &App) -> bool {
    matches!(&app.overlay, Some(Overlay::Letter(v)) if v.tracking.is_some())
}

/// Performs one effect and runs its answer through the update, returning the effects that
/// answer asks for (what `dispatch` does one stage at a time).
fn stage(app: &mut App, store: &mut Store, effect: Effect) -> Vec<Effect> {
    let answer = perform(store, app, effect);
    update(app, answer)
}

#[test]
fn e_sends_off_the_keyboard_and_records_only_what_the_server_accepted() {
    let Some(server) = crate::support::smtp::Smtp::start("app-stages", None) else { return };
    let (mut app, mut store, dir) = demo_on_disk();
    let text = format!(
        "[me]\nname = \"Ann Peeters\"\nemail = \"ann@peeters-design.be\"\n[smtp]\nhost = \"127.0.0.1\"\nport = {}\nfrom = \"ann@peeters-design.be\"\nsecurity = \"none\"\n",
        server.port
    );
    app.resources.config = settle::config::Config::from_text(Path::new("config.toml"), &text).unwrap();
    let id = show(&mut app, &mut store, LetterKind::Reminder);
    let other = Store::open(&dir.path().join("book.db")).unwrap();
    let customer = store.invoice(id).unwrap().invoice.customer_id;
    let send = |app: &mut App, store: &mut Store| -> Effect {
        // E asks for the email; preparing it writes nothing and hands the sending on.
        let fx = update(app, Message::Key(code(KeyCode::Char('E'))));
        let [fx @ Effect::EmailLetter(_)] = <[Effect; 1]>::try_from(fx).unwrap() else { panic!("E") };
        let fx = stage(app, store, fx);
        assert!(status(app).starts_with("Sending the reminder to "), "{}", status(app));
        let [fx @ Effect::DeliverEmail(_)] = <[Effect; 1]>::try_from(fx).unwrap() else { panic!("deliver") };
        fx
    };

    // A refused recipient: said why, nothing recorded, nothing received.
    let email = store.customer(customer).unwrap().email.unwrap();
    let mut refused = settle::domain::customer::NewCustomer::named(store.customer(customer).unwrap().name);
    let c = store.customer(customer).unwrap();
    refused.email = Some(format!("refused-{email}"));
    refused.language = c.language;
    refused.kind = c.kind;
    refused.profile = c.profile;
    refused.terms_days = c.terms_days;
    store.edit_customer(customer, &refused).unwrap();
    let deliver = send(&mut app, &mut store);
    let before = store.timeline(id).unwrap();
    assert!(stage(&mut app, &mut store, deliver).is_empty());
    let why = letter(&app).error.clone().unwrap_or_default();
    assert!(
        why.contains("not sent") && why.contains("no such mailbox") && why.contains("nothing was recorded"),
        "{why}"
    );
    assert_eq!(store.timeline(id).unwrap(), before, "nothing recorded");
    assert!(server.received().is_empty());

    // An accepted one: no transaction is open while it goes (another connection writes
    // meanwhile), and the step is recorded once the server took it.
    refused.email = Some(email.clone());
    store.edit_customer(customer, &refused).unwrap();
    let deliver = send(&mut app, &mut store);
    other.add_note(customer, Some(id), today(), "written while the email waits").unwrap();
    assert_eq!(count(&store, id, EventKind::ReminderSent), 0, "not recorded before it is sent");
    let fx = stage(&mut app, &mut store, deliver);
    assert_eq!(server.wait_for(1).len(), 1);
    assert_eq!(count(&store, id, EventKind::ReminderSent), 0, "accepted, not yet recorded");
    let [fx @ Effect::RecordEmail(_)] = <[Effect; 1]>::try_from(fx).unwrap() else { panic!("record") };
    stage(&mut app, &mut store, fx);
    assert_eq!(count(&store, id, EventKind::ReminderSent), 1);
    assert_eq!(status(&app), format!("Sent the reminder to {email} and recorded it as sent today."));
    assert!(app.overlay.is_none());
}
