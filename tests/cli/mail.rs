//! Letters by email through a real SMTP server on 127.0.0.1 (Debian's python3-aiosmtpd):
//! the message as received, the step recorded once, and a refusal that changes nothing.
//! Without python3-aiosmtpd these tests say so and skip, unless `SETTLE_REQUIRE_E2E=1` (CI).

use std::path::Path;

use base64::Engine as _;

use super::support::{Book, mail_book, settle};
use crate::support::smtp::Smtp;

/// The header block of a message, unfolded, as (lower-case name, value) pairs; and its body.
fn parse(message: &str) -> (Vec<(String, String)>, String) {
    let message = message.replace("\r\n", "\n");
    let (head, body) = message.split_once("\n\n").unwrap();
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            headers.last_mut().unwrap().1.push_str(line.trim_start());
            continue;
        }
        let (name, value) = line.split_once(':').unwrap();
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    (headers, body.to_string())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    let all: Vec<&str> = headers.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str()).collect();
    assert_eq!(all.len(), 1, "one {name} header: {headers:?}");
    all[0]
}

/// The parts of a multipart message: each part's headers and raw body.
fn parts(headers: &[(String, String)], body: &str) -> Vec<(Vec<(String, String)>, String)> {
    let ct = header(headers, "content-type");
    assert!(ct.starts_with("multipart/mixed;"), "{ct}");
    let boundary = ct.split("boundary=").nth(1).unwrap().trim_matches('"').to_string();
    let body = body.replace("\r\n", "\n");
    let mut out = Vec::new();
    for chunk in body.split(&format!("--{boundary}")).skip(1) {
        if chunk.starts_with("--") {
            break;
        }
        out.push(parse(chunk.strip_prefix('\n').unwrap()));
    }
    out
}

/// The body decoded from its transfer encoding.
fn decoded(headers: &[(String, String)], body: &str) -> String {
    let encoding =
        headers.iter().find(|(n, _)| n == "content-transfer-encoding").map(|(_, v)| v.to_ascii_lowercase());
    match encoding.as_deref() {
        Some("base64") => {
            let compact: String = body.split_whitespace().collect();
            String::from_utf8_lossy(&base64::engine::general_purpose::STANDARD.decode(compact).unwrap())
                .into_owned()
        }
        Some("quoted-printable") => {
            let joined = body.replace("=\n", "");
            let bytes = joined.as_bytes();
            let mut out = Vec::new();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'=' && i + 2 < bytes.len() {
                    out.push(u8::from_str_radix(&joined[i + 1..i + 3], 16).unwrap());
                    i += 3;
                } else {
                    out.push(bytes[i]);
                    i += 1;
                }
            }
            String::from_utf8(out).unwrap()
        }
        _ => body.to_string(),
    }
}

/// The letter as `settle letter` prints it: its subject and body.
fn letter_text(book: &Book) -> (String, String) {
    let text = book.ok(&["letter", "F-2026-017"]);
    let (subject, body) = text.split_once("\n\n").unwrap();
    (subject.strip_prefix("Onderwerp: ").unwrap().to_string(), body.to_string())
}

#[test]
fn send_mails_the_letter_and_records_the_step_once() {
    let Some(server) = Smtp::start("send", None) else { return };
    let book = mail_book("boekhouding@janssens.be", server.port, "");
    let (subject, body) = letter_text(&book);
    let check = book.ok(&["config", "check"]);
    assert!(
        check.contains(&format!(
            "Email: letters go from Ann Peeters <billing@peeters-design.be> through 127.0.0.1:{} (unencrypted, on this machine).",
            server.port
        )),
        "{check}"
    );
    let out = book.ok(&["letter", "F-2026-017", "--send"]);
    assert!(out.contains("Sent the reminder for invoice F-2026-017 to boekhouding@janssens.be"), "{out}");
    let got = server.wait_for(1);
    assert_eq!(got.len(), 1, "one message received");
    let (headers, raw_body) = parse(&got[0]);
    assert_eq!(header(&headers, "to"), "\"Bakkerij Janssens\" <boekhouding@janssens.be>");
    assert_eq!(header(&headers, "from"), "\"Ann Peeters\" <billing@peeters-design.be>");
    assert_eq!(header(&headers, "reply-to"), "\"Ann Peeters\" <ann@peeters-design.be>");
    assert_eq!(header(&headers, "subject"), subject);
    let id = header(&headers, "message-id");
    assert!(id.starts_with("<settle.F-2026-017.reminder.") && id.ends_with("@peeters-design.be>"), "{id}");
    assert!(out.contains(&format!("Message-ID {id}")), "{out}");
    let date = header(&headers, "date");
    assert!(chrono::DateTime::parse_from_rfc2822(date).is_ok(), "Date: {date}");
    assert_eq!(header(&headers, "mime-version"), "1.0");
    assert_eq!(header(&headers, "content-language"), "nl");
    let parts = parts(&headers, &raw_body);
    assert_eq!(parts.len(), 2, "the text and the PDF");
    let (text_headers, text) = &parts[0];
    assert_eq!(header(text_headers, "content-type").to_ascii_lowercase(), "text/plain; charset=utf-8");
    assert_eq!(decoded(text_headers, text).replace("\r\n", "\n").trim_end(), body.trim_end());
    let (pdf_headers, pdf) = &parts[1];
    assert_eq!(header(pdf_headers, "content-type"), "application/pdf");
    assert_eq!(
        header(pdf_headers, "content-disposition"),
        "attachment; filename=\"F-2026-017-reminder.pdf\""
    );
    assert!(decoded(pdf_headers, pdf).starts_with("%PDF-"), "a PDF is attached");
    // Recorded once, by email, with the Message-ID.
    let recorded = book.scalar(&format!(
        "SELECT group_concat(kind || ' ' || channel, ';') FROM events WHERE instr(detail, '{}') > 0",
        &id[1..id.len() - 1]
    ));
    assert_eq!(recorded, "reminder_sent email", "one event, the reminder by email, carries the Message-ID");
    // Again: the step is already recorded, so nothing is sent and nothing changes.
    let before = book.dump();
    book.fails(&["letter", "F-2026-017", "--step", "reminder", "--send"]);
    assert_eq!(book.dump(), before);
    assert_eq!(server.received().len(), 1, "no second message");
}

#[test]
fn an_email_carries_the_invoice_pdf_beside_the_letter_and_a_lost_one_stops_it() {
    let Some(server) = Smtp::start("invoice-pdf", None) else { return };
    let book = mail_book("boekhouding@janssens.be", server.port, "");
    let dir = book.db.parent().unwrap();
    // Checked when given: a missing file, a text file, and a real PDF.
    let before = book.dump();
    let err = book.fails(&["invoice", "edit", "F-2026-017", "--pdf", dir.join("gone.pdf").to_str().unwrap()]);
    assert!(err.contains("--pdf") && err.contains("gone.pdf: no such file"), "{err}");
    let text = dir.join("notes.pdf");
    std::fs::write(&text, "not a pdf at all").unwrap();
    let err = book.fails(&["invoice", "edit", "F-2026-017", "--pdf", text.to_str().unwrap()]);
    assert!(err.contains("--pdf") && err.contains("notes.pdf: not a PDF"), "{err}");
    let err = book.fails(&[
        "invoice",
        "add",
        "F-2026-018",
        "--customer",
        "Bakkerij Janssens",
        "--issued",
        "2026-10-01",
        "--amount",
        "5",
        "--pdf",
        text.to_str().unwrap(),
    ]);
    assert!(err.contains("not a PDF"), "{err}");
    assert_eq!(book.dump(), before, "a bad --pdf changes nothing");
    let invoice_pdf = dir.join("F-2026-017 (invoice).pdf");
    let bytes = b"%PDF-1.4\n% the invoice itself\n%%EOF\n";
    std::fs::write(&invoice_pdf, bytes).unwrap();
    book.ok(&["invoice", "edit", "F-2026-017", "--pdf", invoice_pdf.to_str().unwrap()]);
    assert_eq!(
        book.scalar("SELECT pdf FROM invoices"),
        invoice_pdf.canonicalize().unwrap().to_str().unwrap()
    );

    book.ok(&["letter", "F-2026-017", "--send"]);
    let got = server.wait_for(1);
    assert_eq!(got.len(), 1);
    let (headers, body) = parse(&got[0]);
    let parts = parts(&headers, &body);
    assert_eq!(parts.len(), 3, "the text, the letter's PDF and the invoice's");
    let (letter_headers, letter) = &parts[1];
    assert_eq!(header(letter_headers, "content-type"), "application/pdf");
    assert_eq!(
        header(letter_headers, "content-disposition"),
        "attachment; filename=\"F-2026-017-reminder.pdf\""
    );
    assert!(decoded(letter_headers, letter).starts_with("%PDF-"));
    let (invoice_headers, invoice) = &parts[2];
    assert_eq!(header(invoice_headers, "content-type"), "application/pdf");
    assert_eq!(header(invoice_headers, "content-disposition"), "attachment; filename=\"F-2026-017.pdf\"");
    assert_eq!(
        decoded(invoice_headers, invoice).replace("\r\n", "\n").trim_end(),
        std::str::from_utf8(bytes).unwrap().trim_end(),
        "the invoice's own PDF"
    );

    // The file gone: the next email is refused, naming the file, and nothing changes.
    std::fs::remove_file(&invoice_pdf).unwrap();
    let before = book.dump();
    let err = book.fails(&["letter", "F-2026-017", "--step", "firm_reminder", "--send"]);
    assert!(err.contains("the PDF of invoice F-2026-017 cannot be attached"), "{err}");
    assert!(err.contains("F-2026-017 (invoice).pdf: no such file"), "{err}");
    assert_eq!(book.dump(), before);
    assert_eq!(server.received().len(), 1, "nothing more was sent");
    // Replaced by something that is not a PDF: refused too.
    std::fs::write(&invoice_pdf, "<html>").unwrap();
    let eml = dir.join("x.eml");
    let err =
        book.fails(&["letter", "F-2026-017", "--step", "firm_reminder", "--eml", eml.to_str().unwrap()]);
    assert!(err.contains("not a PDF"), "{err}");
    assert!(!eml.exists());
    // Forgotten with an empty --pdf: letters go again without it.
    book.ok(&["invoice", "edit", "F-2026-017", "--pdf", ""]);
    assert_eq!(book.scalar("SELECT coalesce(pdf, 'none') FROM invoices"), "none");
}

/// The Message-ID header of a received message, with its angle brackets.
fn message_id(message: &str) -> String {
    let (headers, _) = parse(message);
    header(&headers, "message-id").to_string()
}

#[test]
fn the_confirmation_of_an_agreement_and_the_thank_you_go_by_email_and_stay_on_the_timeline() {
    let Some(server) = Smtp::start("confirmations", None) else { return };
    let book = mail_book("boekhouding@janssens.be", server.port, "");
    let invoice_pdf = book.db.with_file_name("invoice.pdf");
    std::fs::write(&invoice_pdf, "%PDF-1.4\n%%EOF\n").unwrap();
    book.ok(&["invoice", "edit", "F-2026-017", "--pdf", invoice_pdf.to_str().unwrap()]);
    let out = book.ok(&[
        "call",
        "log",
        "F-2026-017",
        "--outcome",
        "promise",
        "--promise-date",
        "2026-12-04",
        "--amount",
        "1210",
    ]);
    assert!(out.contains("Agreement 1:"), "{out}");
    // The confirmation as printed is the one emailed (signed with the name under [me]).
    let printed = book.ok(&["agreement", "email", "1", "--from", "Ann Peeters"]);
    let (subject_line, body) = printed.split_once("\n\n").unwrap();
    let subject = subject_line.strip_prefix("Onderwerp: ").unwrap();
    // --eml writes it without sending or recording.
    let before = book.dump();
    let eml = book.db.with_file_name("confirm.eml");
    book.ok(&["agreement", "email", "1", "--eml", eml.to_str().unwrap()]);
    assert_eq!(book.dump(), before);
    assert!(server.received().is_empty());
    let (headers, _) = parse(&std::fs::read_to_string(&eml).unwrap());
    assert_eq!(header(&headers, "subject"), subject);
    // --send: received with its PDF and the invoice's, and kept on the timeline.
    let out = book.ok(&["agreement", "email", "1", "--send"]);
    assert!(out.contains("Sent the confirmation of agreement 1 for invoice F-2026-017 to boekhouding@janssens.be (kept on the timeline)"), "{out}");
    let got = server.wait_for(1);
    assert_eq!(got.len(), 1);
    let (headers, raw) = parse(&got[0]);
    assert_eq!(header(&headers, "subject"), subject);
    let id = header(&headers, "message-id").to_string();
    assert!(id.starts_with("<settle.F-2026-017.call_confirmation."), "{id}");
    let parts = parts(&headers, &raw);
    assert_eq!(parts.len(), 3, "text, the confirmation's PDF, the invoice's PDF");
    assert_eq!(decoded(&parts[0].0, &parts[0].1).replace("\r\n", "\n").trim_end(), body.trim_end());
    let disposition = header(&parts[1].0, "content-disposition");
    assert!(
        disposition.starts_with("attachment;")
            && disposition.contains("\"F-2026-017-call_confirmation.pdf\""),
        "{disposition}"
    );
    assert_eq!(header(&parts[1].0, "content-type"), "application/pdf");
    assert_eq!(header(&parts[2].0, "content-disposition"), "attachment; filename=\"F-2026-017.pdf\"");
    let kept = book.scalar(&format!(
        "SELECT group_concat(kind || ' ' || channel, ';') FROM events WHERE instr(detail, '{}') > 0",
        &id[1..id.len() - 1]
    ));
    assert_eq!(kept, "confirmation_sent email");
    // A refused recipient: nothing kept.
    book.ok(&["customer", "edit", "Bakkerij Janssens", "--email", "refused@janssens.be"]);
    let before = book.dump();
    let err = book.fails(&["agreement", "email", "1", "--send"]);
    assert!(err.contains("not sent") && err.contains("no such mailbox"), "{err}");
    assert_eq!(book.dump(), before);
    book.ok(&["customer", "edit", "Bakkerij Janssens", "--email", "boekhouding@janssens.be"]);

    // Paid: the thank-you goes by email, once.
    book.ok(&["payment", "add", "F-2026-017", "--amount", "1210", "--date", "2026-11-23"]);
    book.ok(&["letter", "F-2026-017", "--step", "thank_you", "--send"]);
    let got = server.wait_for(2);
    assert_eq!(got.len(), 2);
    let id = message_id(&got[1]);
    assert!(id.starts_with("<settle.F-2026-017.thank_you."), "{id}");
    let kept = book.scalar(&format!(
        "SELECT group_concat(kind || ' ' || channel, ';') FROM events WHERE instr(detail, '{}') > 0",
        &id[1..id.len() - 1]
    ));
    assert_eq!(kept, "thank_you_sent email");
    let before = book.dump();
    book.fails(&["letter", "F-2026-017", "--step", "thank_you", "--send"]);
    assert_eq!(book.dump(), before);
    assert_eq!(server.received().len(), 2, "a thank-you is sent once");
}

#[test]
fn a_refused_recipient_changes_nothing() {
    let Some(server) = Smtp::start("refused", None) else { return };
    let book = mail_book("refused@janssens.be", server.port, "");
    let before = book.dump();
    let err = book.fails(&["letter", "F-2026-017", "--send"]);
    assert!(err.contains("not sent") && err.contains("refused") && err.contains("no such mailbox"), "{err}");
    assert!(err.contains("nothing was recorded"), "{err}");
    assert_eq!(book.dump(), before);
    assert!(server.received().is_empty());
}

#[test]
fn a_wrong_password_changes_nothing_and_the_right_one_sends() {
    let Some(server) = Smtp::start("auth", Some(("ann", "s3cret"))) else { return };
    let book = mail_book(
        "boekhouding@janssens.be",
        server.port,
        "user = \"ann\"\npassword_command = \"echo wrong\"\n",
    );
    let before = book.dump();
    let err = book.fails(&["letter", "F-2026-017", "--send"]);
    assert!(err.contains("not sent") && err.contains("nothing was recorded"), "{err}");
    assert_eq!(book.dump(), before);
    assert!(server.received().is_empty());
    let config = book.path("config.toml");
    let text = std::fs::read_to_string(&config).unwrap().replace("echo wrong", "printf '  s3cret\\n'");
    std::fs::write(&config, text).unwrap();
    book.ok(&["letter", "F-2026-017", "--send"]);
    assert_eq!(server.wait_for(1).len(), 1);
    assert_ne!(book.dump(), before);
}

#[test]
fn eml_writes_the_message_without_sending_or_recording() {
    let book = Book::configured("[me]\nname = \"Ann Peeters\"\nemail = \"ann@peeters-design.be\"\n");
    book.ok(&["customer", "add", "Café Zoë", "--email", "zoe@cafe.be", "--lang", "fr"]);
    book.issue("F-9", "Café Zoë", "2026-10-01", "100");
    let before = book.dump();
    let eml = book.db.with_file_name("reminder.eml");
    book.ok(&["letter", "F-9", "--eml", eml.to_str().unwrap()]);
    assert_eq!(book.dump(), before, "--eml records nothing");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&eml).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let (headers, body) = parse(&std::fs::read_to_string(&eml).unwrap());
    // Without [smtp], the sender is [me].
    assert_eq!(header(&headers, "from"), "\"Ann Peeters\" <ann@peeters-design.be>");
    assert_eq!(header(&headers, "reply-to"), "\"Ann Peeters\" <ann@peeters-design.be>");
    assert!(header(&headers, "to").ends_with("<zoe@cafe.be>"), "{headers:?}");
    assert!(header(&headers, "to").starts_with("=?utf-8?"), "a UTF-8 name is encoded: {headers:?}");
    assert!(header(&headers, "message-id").starts_with("<settle.F-9.reminder."));
    assert!(chrono::DateTime::parse_from_rfc2822(header(&headers, "date")).is_ok());
    assert_eq!(header(&headers, "mime-version"), "1.0");
    assert_eq!(header(&headers, "content-language"), "fr");
    let parts = parts(&headers, &body);
    assert_eq!(header(&parts[0].0, "content-type").to_ascii_lowercase(), "text/plain; charset=utf-8");
    assert_eq!(header(&parts[1].0, "content-type"), "application/pdf");
    let text = decoded(&parts[0].0, &parts[0].1);
    assert!(text.contains("F-9") && text.contains("échue") && text.contains("100,00 €"), "{text}");
}

#[test]
fn mailto_prints_an_encoded_url_and_a_customer_without_email_is_told() {
    let book = Book::new();
    book.ok(&["customer", "add", "Mail Less"]);
    book.issue("F-1", "Mail Less", "2026-10-01", "100");
    book.ok(&["customer", "add", "Has Mail", "--email", "a.b@c.be"]);
    book.issue("F-2", "Has Mail", "2026-10-01", "100");
    let before = book.dump();
    let err = book.fails(&["letter", "F-1", "--mailto"]);
    // The library says what is missing; the command line says which command gives it.
    assert!(
        err.contains("Mail Less has no email address: add one with `settle customer edit \"Mail Less\" --email ADDRESS`"),
        "{err}"
    );
    assert!(!err.contains("Customers tab"), "{err}");
    let err = book.fails(&["letter", "F-1", "--eml", book.db.with_file_name("x.eml").to_str().unwrap()]);
    assert!(err.contains("has no email address"), "{err}");
    let url = book.ok(&["letter", "F-2", "--mailto"]);
    let url = url.trim();
    assert!(url.starts_with("mailto:a.b@c.be?subject="), "{url}");
    assert!(url.contains("&body="), "{url}");
    assert!(!url.contains(' ') && !url.contains('\n'), "{url}");
    assert!(url.contains("%0D%0A"), "line breaks as CRLF: {url}");
    assert_eq!(book.dump(), before);
    // No [smtp]: --send says what to add.
    let err = book.fails(&["letter", "F-2", "--send"]);
    assert!(err.contains("no [smtp] table") && err.contains("or use --eml / --mailto"), "{err}");
    assert_eq!(book.dump(), before);
    let _ = settle;
}

#[test]
fn no_server_or_no_tls_changes_nothing_and_says_why() {
    // Nothing listens on this port: the connection fails.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let book = mail_book("boekhouding@janssens.be", port, "");
    let before = book.dump();
    let err = book.fails(&["letter", "F-2026-017", "--send"]);
    assert!(err.contains(&format!("not sent: could not deliver through 127.0.0.1:{port}")), "{err}");
    assert!(err.contains("nothing was recorded"), "{err}");
    assert_eq!(book.dump(), before);
    // A server that offers no STARTTLS, with security = "starttls": refused, not sent in clear.
    let Some(server) = Smtp::start("starttls", None) else { return };
    let config = book.path("config.toml");
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace(&format!("port = {port}"), &format!("port = {}", server.port))
        .replace("security = \"none\"", "security = \"starttls\"");
    std::fs::write(&config, text).unwrap();
    let err = book.fails(&["letter", "F-2026-017", "--send"]);
    assert!(err.contains("not sent") && err.contains("nothing was recorded"), "{err}");
    assert_eq!(book.dump(), before);
    assert!(server.received().is_empty(), "nothing went out unencrypted");
}

#[test]
fn the_readme_smtp_example_is_a_valid_config() {
    let readme = include_str!("../../README.md");
    let from = readme.find("### Sending letters by email").expect("the email section");
    let start = readme[from..].find("```toml\n").unwrap() + from + "```toml\n".len();
    let end = readme[start..].find("```").unwrap() + start;
    let c = settle::config::Config::from_text(Path::new("README.md"), &readme[start..end]).unwrap();
    let smtp = c.smtp.expect("an [smtp] table");
    assert_eq!((smtp.host.as_str(), smtp.port), ("smtp.example.be", 587));
    assert_eq!(smtp.security, settle::config::smtp::Security::Starttls);
    assert_eq!(smtp.password_command.as_deref(), Some("pass show mail/smtp"));
}

#[test]
fn send_mails_a_customers_one_letter_and_records_the_step_on_each_invoice() {
    let Some(server) = Smtp::start("group", None) else { return };
    let book = mail_book("boekhouding@janssens.be", server.port, "");
    book.issue("F-2026-018", "Bakkerij Janssens", "2026-10-02", "99.50");
    // The letter as printed is the letter as sent.
    let text = book.ok(&["letter", "--customer", "Bakkerij Janssens"]);
    assert!(text.starts_with("Onderwerp: Herinnering: 2 openstaande facturen"), "{text}");
    let out = book.ok(&["letter", "--customer", "Bakkerij Janssens", "--send"]);
    assert!(out.contains("invoices F-2026-017 and F-2026-018 to boekhouding@janssens.be"), "{out}");
    let got = server.wait_for(1);
    assert_eq!(got.len(), 1, "one message for both invoices");
    let (headers, raw_body) = parse(&got[0]);
    assert_eq!(header(&headers, "subject"), "Herinnering: 2 openstaande facturen");
    let parts = parts(&headers, &raw_body);
    let body = decoded(&parts[0].0, &parts[0].1).replace("\r\n", "\n");
    assert_eq!(body.trim_end(), text.split_once("\n\n").unwrap().1.trim_end());
    for want in ["F-2026-017", "F-2026-018", "€ 1.210,00", "€ 99,50", "€ 1.309,50"] {
        assert!(body.contains(want), "{want} missing: {body}");
    }
    assert!(decoded(&parts[1].0, &parts[1].1).starts_with("%PDF-"), "the letter's PDF is attached");
    // The reminder recorded on both invoices, by email, with the Message-ID, in one change.
    let id = header(&headers, "message-id");
    let recorded = book.scalar(&format!(
        "SELECT group_concat(i.number || ' ' || e.kind || ' ' || e.channel, ';') FROM events e \
         JOIN invoices i ON i.id = e.invoice_id WHERE instr(e.detail, '{}') > 0 ORDER BY i.number",
        &id[1..id.len() - 1]
    ));
    assert_eq!(recorded, "F-2026-017 reminder_sent email;F-2026-018 reminder_sent email");
    // Sent again: both are recorded already, so nothing is sent; one undo takes both back.
    let before = book.dump();
    book.fails(&["letter", "--customer", "Bakkerij Janssens", "--step", "reminder", "--send"]);
    assert_eq!(book.dump(), before);
    assert_eq!(server.received().len(), 1, "no second message");
    book.ok(&["undo"]);
    assert_eq!(book.scalar("SELECT CAST(count(*) AS TEXT) FROM events WHERE kind = 'reminder_sent'"), "0");
}

#[test]
fn a_customers_letter_to_a_refused_recipient_records_nothing() {
    let Some(server) = Smtp::start("group-refused", None) else { return };
    let book = mail_book("refused@janssens.be", server.port, "");
    book.issue("F-2026-018", "Bakkerij Janssens", "2026-10-02", "5");
    let before = book.dump();
    let err = book.fails(&["letter", "--customer", "Bakkerij Janssens", "--send"]);
    assert!(
        err.contains("invoices F-2026-017 and F-2026-018") && err.contains("nothing was recorded"),
        "{err}"
    );
    assert_eq!(book.dump(), before);
    assert!(server.received().is_empty());
}
