//! Peppol BIS Billing 3.0 (UBL 2.1) `Invoice` and `CreditNote` documents, read with
//! quick-xml: number, dates or payment terms, the buyer, the payable amount, the structured
//! reference and, for a credit note, the invoice it corrects. A file that is not UBL or
//! misses a required element is refused with the element's name.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;

use chrono::NaiveDate;
use quick_xml::events::Event;
use quick_xml::reader::NsReader;
use rust_decimal::Decimal;

use super::model::{CreditRecord, CustomerRef, Due, InvoiceRecord, Origin};
use super::{At, ImportError, Problem};
use crate::domain::money::{Currency, MAX_AMOUNT, MoneyError, to_cents};
use crate::domain::reference::PayRef;
use crate::domain::text::{Lines, check_text};

const INVOICE_NS: &str = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
const CREDIT_NOTE_NS: &str = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Document {
    Invoice(InvoiceRecord),
    CreditNote(CreditRecord),
}

impl Document {
    pub fn number(&self) -> &str {
        match self {
            Document::Invoice(i) => &i.number,
            Document::CreditNote(c) => &c.number,
        }
    }

    pub fn origin(&self) -> &Origin {
        match self {
            Document::Invoice(i) => &i.origin,
            Document::CreditNote(c) => &c.origin,
        }
    }
}

/// The texts (and a few attributes) of one document, by path of local names below the
/// root, first occurrence only: `LegalMonetaryTotal/PayableAmount`,
/// `LegalMonetaryTotal/PayableAmount@currencyID`.
struct Texts {
    root: &'static str,
    values: HashMap<String, String>,
    /// Every embedded document, in file order.
    attachments: Vec<Attachment>,
}

/// Where a document embeds another (the invoice as a PDF, a timesheet): EN 16931 BG-24.
const ATTACHMENT: &str = "AdditionalDocumentReference/Attachment/EmbeddedDocumentBinaryObject";

/// One embedded document: its `mimeCode`, its base64 text as written, and its line.
struct Attachment {
    mime: Option<String>,
    base64: String,
    line: u64,
}

impl Texts {
    fn get(&self, path: &str) -> Option<&str> {
        self.values.get(path).map(|s| s.trim()).filter(|s| !s.is_empty())
    }
}

const ATTRIBUTES: &[(&str, &str)] = &[("LegalMonetaryTotal/PayableAmount", "currencyID")];

/// The deepest nesting of elements read. A Peppol invoice goes about 8 levels deep; a file
/// nested thousands of levels deep is refused at once instead of costing time and memory
/// at every level.
pub const MAX_DEPTH: usize = 64;

pub(crate) fn line_of(text: &str, offset: u64) -> u64 {
    let end = usize::try_from(offset).unwrap_or(usize::MAX).min(text.len());
    1 + text.as_bytes()[..end].iter().filter(|b| **b == b'\n').count() as u64
}

/// Whether XML 1.0 allows a character in a document (its `Char` production): no C0
/// control but tab, line feed and carriage return, and neither U+FFFE nor U+FFFF.
pub(crate) fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{fffd}' | '\u{10000}'..)
}

/// Why an entity or character reference was refused: at the event just read, or at the
/// reader's error position.
pub(crate) enum GeneralRefError {
    Here(String),
    Syntax(String),
}

/// The character an entity (`&amp;`) or character reference (`&#x41;`) stands for.
pub(crate) fn general_ref(r: &quick_xml::events::BytesRef<'_>) -> Result<char, GeneralRefError> {
    let c = match r.resolve_char_ref() {
        Ok(Some(c)) => c,
        Ok(None) => match r.as_ref() {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            other => {
                return Err(GeneralRefError::Here(format!("not well-formed XML: unknown entity &{other};")));
            }
        },
        Err(e) => return Err(GeneralRefError::Here(format!("not well-formed XML: {e}"))),
    };
    if !xml_char(c) {
        return Err(GeneralRefError::Syntax(format!(
            "&{}; stands for U+{:04X}, a character XML 1.0 forbids",
            r.as_ref(),
            u32::from(c)
        )));
    }
    Ok(c)
}

fn read_texts(file: &Arc<str>, text: &str) -> Result<Texts, Problem> {
    if let Some((i, c)) = text.char_indices().find(|(_, c)| !xml_char(*c)) {
        return Err(Problem::new(
            file,
            At::Line(line_of(text, i as u64)),
            format!("not well-formed XML: it holds U+{:04X}, a character XML 1.0 forbids", u32::from(c)),
        ));
    }
    let mut reader = NsReader::from_str(text);
    reader.config_mut().expand_empty_elements = true;
    let mut stack: Vec<String> = Vec::new();
    let mut root: Option<&'static str> = None;
    let mut current = String::new();
    let mut values: HashMap<String, String> = HashMap::new();
    let mut attachments: Vec<Attachment> = Vec::new();
    // The reader's own errors are at its error position; ours (an unknown entity, a bad
    // character reference, too deep) are in the event just read, which ends at its buffer
    // position.
    let syntax = |reader: &NsReader<&[u8]>, e: &dyn std::fmt::Display| {
        Problem::new(
            file,
            At::Line(line_of(text, reader.error_position())),
            format!("not well-formed XML: {e}"),
        )
    };
    let here = |reader: &NsReader<&[u8]>, message: String| {
        Problem::new(file, At::Line(line_of(text, reader.buffer_position())), message)
    };
    loop {
        let (ns, event) = match super::next_event(&mut reader) {
            Ok(found) => found,
            Err(e) => return Err(syntax(&reader, &e)),
        };
        match event {
            Event::Start(e) => {
                let local = e.local_name().as_ref().to_string();
                if stack.is_empty() {
                    if root.is_some() {
                        return Err(Problem::new(file, At::File, "more than one root element"));
                    }
                    root = Some(match (local.as_str(), ns.as_deref()) {
                        ("Invoice", Some(INVOICE_NS)) => "Invoice",
                        ("CreditNote", Some(CREDIT_NOTE_NS)) => "CreditNote",
                        _ => {
                            return Err(Problem::new(
                                file,
                                At::File,
                                format!(
                                    "not a UBL Invoice or CreditNote: the root element is <{}>{}",
                                    e.name().as_ref(),
                                    ns.map(|n| format!(" in namespace {n}")).unwrap_or_default()
                                ),
                            ));
                        }
                    });
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(here(
                        &reader,
                        format!(
                            "too deep: elements nested more than {MAX_DEPTH} levels (the depth \
                             limit); a UBL e-invoice goes about 8 levels deep"
                        ),
                    ));
                }
                stack.push(local);
                let path = stack[1..].join("/");
                if path == ATTACHMENT {
                    let mime = e
                        .try_get_attribute("mimeCode")
                        .ok()
                        .flatten()
                        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok())
                        .map(|v| v.trim().to_string());
                    let line = line_of(text, reader.buffer_position());
                    attachments.push(Attachment { mime, base64: String::new(), line });
                }
                for (p, attr) in ATTRIBUTES {
                    if *p == path
                        && let Ok(Some(a)) = e.try_get_attribute(attr)
                        && let Ok(v) = a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    {
                        values.entry(format!("{path}@{attr}")).or_insert_with(|| v.into_owned());
                    }
                }
                current.clear();
            }
            Event::End(_) => {
                let path = stack.get(1..).map(|s| s.join("/")).unwrap_or_default();
                if path == ATTACHMENT {
                    if let Some(a) = attachments.last_mut() {
                        a.base64 = std::mem::take(&mut current);
                    }
                } else if stack.len() > 1 {
                    values.entry(path).or_insert_with(|| current.clone());
                }
                stack.pop();
                current.clear();
            }
            Event::Text(t) => current.push_str(&t.xml10_content()),
            Event::CData(t) => current.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let c = match general_ref(&r) {
                    Ok(c) => c,
                    Err(GeneralRefError::Here(m)) => return Err(here(&reader, m)),
                    Err(GeneralRefError::Syntax(m)) => return Err(syntax(&reader, &m)),
                };
                current.push(c);
            }
            Event::Eof => break,
            _ => {}
        }
        if root.is_some() && stack.is_empty() {
            break;
        }
    }
    match (root, stack.last()) {
        (None, _) => Err(Problem::new(file, At::File, "not XML: no root element (is this a UBL e-invoice?)")),
        (Some(_), Some(open)) => Err(Problem::new(
            file,
            At::Line(line_of(text, text.len() as u64)),
            format!("the document ends inside <{open}>: the file is truncated"),
        )),
        (Some(root), None) => Ok(Texts { root, values, attachments }),
    }
}

/// How the required and optional elements are named in messages.
fn element(path: &str) -> String {
    path.split('/')
        .enumerate()
        .map(|(i, part)| {
            let last = i == path.split('/').count() - 1;
            let aggregate = !last
                || matches!(
                    part,
                    "AccountingCustomerParty" | "Party" | "LegalMonetaryTotal" | "PaymentMeans"
                );
            format!("{}:{part}", if aggregate { "cac" } else { "cbc" })
        })
        .collect::<Vec<_>>()
        .join("/")
}

const BUYER: &str = "AccountingCustomerParty/Party";
const ADDRESS: &str = "AccountingCustomerParty/Party/PostalAddress";

/// The buyer's postal address as an envelope has it (EN 16931 BG-8: street, additional
/// street, address line, then post code and city, then the country code), one line each;
/// `None` when the document gives none of them.
fn postal_address(t: &Texts) -> Option<String> {
    let part = |p: &str| t.get(&format!("{ADDRESS}/{p}")).map(squash);
    let city = [part("PostalZone"), part("CityName")].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let lines: Vec<String> = [
        part("StreetName"),
        part("AdditionalStreetName"),
        part("AddressLine/Line"),
        Some(city).filter(|c| !c.is_empty()),
        part("Country/IdentificationCode"),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// Parses one UBL document. Every problem of the document is reported at once.
pub fn parse_document(file: &str, bytes: &[u8]) -> Result<Document, Vec<Problem>> {
    let file: Arc<str> = Arc::from(file);
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() as u64;
        vec![Problem::new(&file, At::Line(line), "not UTF-8 text: UBL e-invoices are UTF-8 XML")]
    })?;
    if !text.trim_start().starts_with('<') {
        return Err(vec![Problem::new(
            &file,
            At::File,
            "not XML: a UBL e-invoice is an XML document starting with <",
        )]);
    }
    let t = read_texts(&file, text).map_err(|p| vec![p])?;
    let mut problems = Vec::new();
    let origin = Origin { file: file.clone(), at: At::File };
    let missing =
        |path: &str| Problem::new(&file, At::File, format!("missing the required element {}", element(path)));
    let bad = |path: &str, value: &str, message: String| {
        Problem::new(&file, At::File, message).field(element(path)).value(value)
    };
    let number = t.get("ID").map(str::to_string);
    match &number {
        None => problems.push(missing("ID")),
        Some(n) => {
            if let Err(e) = crate::domain::limits::identifier("the number", n) {
                problems.push(Problem::new(&file, At::File, e).field(element("ID")));
            }
        }
    }
    let date = |path: &str, problems: &mut Vec<Problem>| -> Option<NaiveDate> {
        let v = t.get(path)?;
        let day = NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map_err(|_| problems.push(bad(path, v, "not a date of the form 2026-12-05".into())))
            .ok()?;
        crate::domain::dates::in_range(day, v)
            .map_err(|_| problems.push(bad(path, v, crate::domain::dates::OUT_OF_RANGE.into())))
            .ok()
    };
    let issued = date("IssueDate", &mut problems);
    if t.get("IssueDate").is_none() {
        problems.push(missing("IssueDate"));
    }
    let currency = match t.get("DocumentCurrencyCode") {
        None => {
            problems.push(missing("DocumentCurrencyCode"));
            None
        }
        Some(c) => Currency::from_str(c)
            .map_err(|e| problems.push(bad("DocumentCurrencyCode", c, e.to_string())))
            .ok(),
    };
    let payable = "LegalMonetaryTotal/PayableAmount";
    let amount = match t.get(payable) {
        None => {
            problems.push(missing(payable));
            None
        }
        Some(v) => match Decimal::from_str(v) {
            Err(_) => {
                problems.push(bad(payable, v, "not an amount (write 1234.56)".into()));
                None
            }
            Ok(a) if to_cents(a).is_err() => {
                let why = match to_cents(a) {
                    Err(MoneyError::TooLarge(_)) => {
                        format!("too large: the largest amount settle books is {MAX_AMOUNT}")
                    }
                    _ => "more than two decimals".into(),
                };
                problems.push(bad(payable, v, why));
                None
            }
            Ok(a) if a <= Decimal::ZERO => {
                problems.push(bad(
                    payable,
                    v,
                    "nothing is payable: the amount must be more than zero".into(),
                ));
                None
            }
            Ok(a) => Some(a),
        },
    };
    if let (Some(c), Some(id)) = (currency, t.get(&format!("{payable}@currencyID")))
        && id != c.as_str()
    {
        problems.push(bad(payable, id, format!("its currency differs from the document's {c}")));
    }
    let name = t
        .get(&format!("{BUYER}/PartyName/Name"))
        .or_else(|| t.get(&format!("{BUYER}/PartyLegalEntity/RegistrationName")));
    if let Some(Err(e)) = name.map(|n| crate::domain::limits::name("the buyer's name", n)) {
        problems.push(Problem::new(&file, At::File, e));
    }
    if name.is_none() {
        problems.push(Problem::new(
            &file,
            At::File,
            format!(
                "missing the buyer's name: {} (or {})",
                element(&format!("{BUYER}/PartyName/Name")),
                element(&format!("{BUYER}/PartyLegalEntity/RegistrationName"))
            ),
        ));
    }
    let customer = CustomerRef {
        name: name.unwrap_or_default().to_string(),
        vat: t.get(&format!("{BUYER}/PartyTaxScheme/CompanyID")).map(str::to_string),
        endpoint: t.get(&format!("{BUYER}/EndpointID")).map(str::to_string),
        contact: t.get(&format!("{BUYER}/Contact/Name")).map(str::to_string),
        email: t.get(&format!("{BUYER}/Contact/ElectronicMail")).map(str::to_string),
        phone: t.get(&format!("{BUYER}/Contact/Telephone")).map(str::to_string),
        address: postal_address(&t),
    };
    if let Some(Err(e)) = customer.address.as_deref().map(|a| {
        crate::domain::limits::check_length(
            "the buyer's postal address",
            a,
            crate::domain::customer::MAX_ADDRESS_CHARS,
        )
    }) {
        problems.push(Problem::new(&file, At::File, e));
    }
    // Text the book keeps: refused with a character a terminal would obey (XML allows DEL,
    // the C1 controls and the bidirectional and zero-width characters).
    for path in [
        "ID".to_string(),
        format!("{BUYER}/PartyName/Name"),
        format!("{BUYER}/PartyLegalEntity/RegistrationName"),
        format!("{BUYER}/PartyTaxScheme/CompanyID"),
        format!("{BUYER}/EndpointID"),
        format!("{BUYER}/Contact/Name"),
        format!("{BUYER}/Contact/ElectronicMail"),
        format!("{BUYER}/Contact/Telephone"),
        format!("{ADDRESS}/StreetName"),
        format!("{ADDRESS}/AdditionalStreetName"),
        format!("{ADDRESS}/AddressLine/Line"),
        format!("{ADDRESS}/PostalZone"),
        format!("{ADDRESS}/CityName"),
        format!("{ADDRESS}/Country/IdentificationCode"),
        "BillingReference/InvoiceDocumentReference/ID".to_string(),
        "PaymentMeans/PaymentID".to_string(),
        "Note".to_string(),
        "InvoiceLine/Item/Name".to_string(),
    ] {
        let Some(v) = t.get(&path) else { continue };
        // A description is kept with its white space squashed: its tabs and line breaks go.
        let kept = match path.as_str() {
            "Note" | "InvoiceLine/Item/Name" => squash(v),
            _ => v.to_string(),
        };
        if let Err(e) = check_text(&path, &kept, Lines::One) {
            problems.push(bad(&path, v, e.reason()));
        }
    }
    if t.root == "CreditNote" {
        return match (number, issued, amount, currency) {
            (Some(number), Some(issued), Some(amount), Some(currency)) if problems.is_empty() => {
                Ok(Document::CreditNote(CreditRecord {
                    origin,
                    number,
                    customer,
                    issued,
                    amount,
                    currency,
                    invoice: t.get("BillingReference/InvoiceDocumentReference/ID").map(str::to_string),
                }))
            }
            _ => Err(problems),
        };
    }
    let due = match (date("DueDate", &mut problems), date("PaymentMeans/PaymentDueDate", &mut problems)) {
        (Some(d), _) | (None, Some(d)) => Due::On(d),
        (None, None) => {
            t.get("PaymentTerms/Note").and_then(terms_days).map_or(Due::CustomerTerms, Due::DaysAfterIssue)
        }
    };
    if let (Due::On(d), Some(i)) = (due, issued)
        && d < i
    {
        problems.push(bad("DueDate", &d.to_string(), format!("the due date is before the issue date {i}")));
    }
    let description = t.get("Note").or_else(|| t.get("InvoiceLine/Item/Name")).map(squash);
    let (pdf, warnings) = embedded_pdf(&file, &t.attachments);
    match (number, issued, amount, currency) {
        (Some(number), Some(issued), Some(amount), Some(currency)) if problems.is_empty() => {
            Ok(Document::Invoice(InvoiceRecord {
                origin,
                number,
                customer,
                issued,
                due,
                amount,
                currency: Some(currency),
                description,
                reference: t.get("PaymentMeans/PaymentID").and_then(|r| r.parse::<PayRef>().ok()),
                pdf,
                warnings,
            }))
        }
        _ => Err(problems),
    }
}

/// The invoice's own PDF: the first attachment with `mimeCode="application/pdf"` that
/// decodes (base64) to a PDF of at most 20 MiB, the bound `--pdf` has. One that does not is
/// skipped with a warning naming the file and element, and the invoice is imported without
/// it: the official Peppol examples themselves embed a text under that MIME type, and the
/// debt does not depend on its picture (`settle invoice edit --pdf` can give it later).
fn embedded_pdf(file: &Arc<str>, attachments: &[Attachment]) -> (Option<Vec<u8>>, Vec<Problem>) {
    use crate::platform::files::{MAX_PDF_BYTES, is_pdf};
    use base64::Engine as _;
    let mut warnings = Vec::new();
    for a in attachments {
        if !a.mime.as_deref().is_some_and(|m| m.eq_ignore_ascii_case("application/pdf")) {
            continue;
        }
        let skipped = |why: &str| {
            Problem::new(
                file,
                At::Line(a.line),
                format!("the embedded PDF is skipped ({why}); the invoice is imported without it"),
            )
            .field(element(ATTACHMENT))
        };
        // Base64 in XML may be wrapped over lines.
        let compact: String = a.base64.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        if compact.len() as u64 / 4 * 3 > MAX_PDF_BYTES + 3 {
            warnings.push(skipped(&format!(
                "larger than {} MiB, the most settle attaches",
                MAX_PDF_BYTES / 1024 / 1024
            )));
            continue;
        }
        let bytes = match base64::engine::general_purpose::STANDARD.decode(compact.as_bytes()) {
            Ok(b) => b,
            Err(e) => {
                warnings.push(skipped(&format!("not base64: {e}")));
                continue;
            }
        };
        if bytes.len() as u64 > MAX_PDF_BYTES {
            warnings.push(skipped(&format!(
                "larger than {} MiB, the most settle attaches",
                MAX_PDF_BYTES / 1024 / 1024
            )));
        } else if !is_pdf(&bytes) {
            warnings.push(skipped("not a PDF: it does not start with %PDF-"));
        } else {
            return (Some(bytes), Vec::new());
        }
    }
    (None, warnings)
}

/// Text with its runs of white space (line breaks and tabs too) made one space.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Days of payment terms in a free-text note ("Payment within 30 days", "30 dagen netto",
/// "à 30 jours"), skipping sentences about early-payment discounts.
pub fn terms_days(note: &str) -> Option<u32> {
    const DISCOUNT: &[&str] = &["discount", "korting", "escompte", "remise", "skonto"];
    const DAY_WORDS: &[&str] = &["day", "days", "dag", "dagen", "jour", "jours", "tag", "tage", "tagen"];
    for sentence in note.split(['\n', '.', ';']) {
        let lower = sentence.to_lowercase();
        if DISCOUNT.iter().any(|w| lower.contains(w)) {
            continue;
        }
        let words: Vec<&str> =
            lower.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).collect();
        for pair in words.windows(2) {
            if let Ok(n) = pair[0].parse::<u32>()
                && DAY_WORDS.contains(&pair[1])
                && n <= 365
            {
                return Some(n);
            }
        }
    }
    None
}

/// Parses every document; two documents with the same number are a problem too.
pub fn parse_documents(files: &[(String, Vec<u8>)]) -> Result<Vec<Document>, ImportError> {
    let mut problems = Vec::new();
    let mut docs: Vec<Document> = Vec::new();
    for (name, bytes) in files {
        match parse_document(name, bytes) {
            Ok(doc) => {
                let kind = |d: &Document| matches!(d, Document::Invoice(_));
                if let Some(first) = docs.iter().find(|d| d.number() == doc.number() && kind(d) == kind(&doc))
                {
                    problems.push(
                        doc.origin()
                            .problem(format!("the same number is already in {}", first.origin().file))
                            .field("cbc:ID")
                            .value(doc.number()),
                    );
                } else {
                    docs.push(doc);
                }
            }
            Err(mut p) => problems.append(&mut p),
        }
    }
    if problems.is_empty() { Ok(docs) } else { Err(ImportError::new(problems)) }
}

#[cfg(test)]
mod tests;
