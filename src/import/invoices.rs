//! Applying invoices, credit notes and customers. Invoice numbers (credit note numbers,
//! customer names) are the keys: a row already in the book as it is changes nothing; a row
//! whose fields differ is refused unless `--update`.

use super::apply::{
    Change, CustomerIndex, Fail, Options, Outcome, differs, in_transaction, money_text, row_fail,
};
use super::model::{CreditRecord, CustomerRecord, Due, InvoiceRecord};
use super::ubl::Document;
use crate::domain::customer::NewCustomer;
use crate::domain::dates::add_days;
use crate::domain::invoice::{InvoiceId, PaymentKind};
use crate::domain::money::{Currency, Money, from_cents, to_cents};
use crate::store::{BookWriter, BulkInvoice, InvoiceUpdate, NewCreditNote, Reduction, Store, StoreError};
use std::path::{Path, PathBuf};

/// Imports invoices, then credit notes (which may reduce those invoices), in one transaction.
pub fn import_invoices(
    store: &mut Store,
    invoices: &[InvoiceRecord],
    credits: &[CreditRecord],
    opts: Options,
) -> anyhow::Result<Outcome> {
    let pdfs = store.path().map(pdf_folder);
    in_transaction(store, opts, |w, out, problems| {
        let mut idx = CustomerIndex::load(w)?;
        let book = w.book_currency()?;
        for rec in invoices {
            match apply_invoice(w, &mut idx, book, rec, opts, out).and_then(|id| {
                out.warnings.extend(rec.warnings.iter().cloned());
                match (id, &rec.pdf) {
                    (Some(id), Some(pdf)) => keep_pdf(w, id, rec, pdf, pdfs.as_deref(), opts, out),
                    _ => Ok(()),
                }
            }) {
                Ok(()) => {}
                Err(Fail::Problem(p)) => problems.push(p),
                Err(Fail::Store(e)) => return Err(e),
            }
        }
        for rec in credits {
            match apply_credit(w, &mut idx, rec, out) {
                Ok(()) => {}
                Err(Fail::Problem(p)) => problems.push(p),
                Err(Fail::Store(e)) => return Err(e),
            }
        }
        Ok(())
    })
}

/// Splits UBL documents into invoices and credit notes for [`import_invoices`].
pub fn import_documents(store: &mut Store, docs: Vec<Document>, opts: Options) -> anyhow::Result<Outcome> {
    let (mut invoices, mut credits) = (Vec::new(), Vec::new());
    for doc in docs {
        match doc {
            Document::Invoice(i) => invoices.push(i),
            Document::CreditNote(c) => credits.push(c),
        }
    }
    import_invoices(store, &invoices, &credits, opts)
}

/// The private folder beside the book where imported invoices' PDFs are kept:
/// `book-invoice-pdfs/` beside `book.db`.
pub fn pdf_folder(db: &Path) -> PathBuf {
    let stem = db.file_stem().map_or_else(|| "book".into(), |s| s.to_string_lossy());
    db.with_file_name(format!("{stem}-invoice-pdfs"))
}

/// A file name from an invoice number: letters, digits, `-`, `_` and `.` kept, anything else
/// (a `/`, a space) made `_`; never hidden, never empty.
fn pdf_name(number: &str) -> String {
    let name: String = number
        .trim()
        .chars()
        .take(100)
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' })
        .collect();
    let name = name.trim_start_matches('.');
    if name.is_empty() { "invoice".into() } else { name.to_string() }
}

/// Keeps an e-invoice's PDF as the invoice's own, when the book knows none yet: written as a
/// new private file (never over another) in [`pdf_folder`], its path recorded in the import's
/// transaction. A dry run writes nothing; a book without a file (in memory) keeps none.
fn keep_pdf(
    w: &BookWriter<'_>,
    id: InvoiceId,
    rec: &InvoiceRecord,
    pdf: &[u8],
    folder: Option<&Path>,
    opts: Options,
    out: &mut Outcome,
) -> Result<(), Fail> {
    let Some(folder) = folder else { return Ok(()) };
    if w.invoice_has_pdf(id)? {
        return Ok(());
    }
    let number = rec.number.trim().to_string();
    let base = pdf_name(&number);
    let fail = |path: &Path, e: std::io::Error| {
        Fail::Problem(
            rec.origin
                .problem(format!("its embedded PDF could not be kept in {}: {e}", path.display()))
                .field("cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject"),
        )
    };
    for n in 1..=100 {
        let name = if n == 1 { format!("{base}.pdf") } else { format!("{base}-{n}.pdf") };
        let path = folder.join(name);
        if opts.dry_run {
            if path.symlink_metadata().is_ok() {
                continue;
            }
            out.push(Change::InvoicePdf { number, path });
            return Ok(());
        }
        let mut file = match crate::platform::files::create_private(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(fail(&path, e)),
        };
        out.written.push(path.clone());
        std::io::Write::write_all(&mut file, pdf)
            .and_then(|()| file.sync_all())
            .map_err(|e| fail(&path, e))?;
        w.set_invoice_pdf(id, &path).map_err(|e| row_fail(&rec.origin, e))?;
        out.push(Change::InvoicePdf { number, path });
        return Ok(());
    }
    Err(Fail::Problem(rec.origin.problem(format!(
        "its embedded PDF could not be kept: {} already holds 100 files named after invoice {number}",
        folder.display()
    ))))
}

/// Adds or checks (or, with `--update`, changes) one invoice; its id, unless it was refused.
fn apply_invoice(
    w: &BookWriter<'_>,
    idx: &mut CustomerIndex,
    book: Currency,
    rec: &InvoiceRecord,
    opts: Options,
    out: &mut Outcome,
) -> Result<Option<InvoiceId>, Fail> {
    let row = |e: StoreError| row_fail(&rec.origin, e);
    let customer = idx.resolve(w, &rec.customer, out).map_err(row)?;
    let due = match rec.due {
        Due::On(d) => d,
        Due::DaysAfterIssue(n) => add_days(rec.issued, i64::from(n)),
        Due::CustomerTerms => add_days(rec.issued, i64::from(customer.terms_days)),
    };
    let currency = rec.currency.unwrap_or(book);
    let cents = to_cents(rec.amount).map_err(|e| Fail::Problem(rec.origin.problem(e.to_string())))?;
    let Some(kept) = w.kept_invoice(&rec.number)? else {
        let id = w
            .add_invoice(&BulkInvoice {
                number: rec.number.trim().to_string(),
                customer: customer.id,
                issued: rec.issued,
                due,
                amount_cents: cents,
                currency,
                description: rec.description.clone().unwrap_or_default(),
                reference: rec.reference,
                payments: Vec::new(),
                steps: Vec::new(),
                notes: Vec::new(),
                disputed_since: None,
                after_payment: Vec::new(),
            })
            .map_err(row)?;
        out.push(Change::NewInvoice {
            number: rec.number.trim().to_string(),
            customer: customer.name,
            amount: Money::new(rec.amount, currency),
            due,
        });
        return Ok(Some(id));
    };
    let mut next = InvoiceUpdate {
        customer_id: kept.customer_id,
        issued: kept.issued,
        due: kept.due,
        amount_cents: kept.amount_cents,
        currency: kept.currency,
        description: kept.description.clone(),
        reference: kept.reference,
    };
    let mut what = Vec::new();
    if customer.id != kept.customer_id {
        what.push(differs("customer", &kept.customer, &customer.name));
        next.customer_id = customer.id;
    }
    if rec.issued != kept.issued {
        what.push(differs("issued", kept.issued, rec.issued));
        next.issued = rec.issued;
    }
    if rec.due != Due::CustomerTerms && due != kept.due {
        what.push(differs("due", kept.due, due));
        next.due = due;
    }
    if cents != kept.amount_cents {
        what.push(differs("amount", money_text(kept.amount_cents), money_text(cents)));
        next.amount_cents = cents;
    }
    if rec.currency.is_some() && currency != kept.currency {
        what.push(differs("currency", kept.currency, currency));
        next.currency = currency;
    }
    if let Some(d) = rec.description.as_ref().filter(|d| **d != kept.description) {
        what.push(differs("description", format!("{:?}", kept.description), format!("{d:?}")));
        next.description = d.clone();
    }
    if let Some(r) = rec.reference.filter(|r| Some(*r) != kept.reference) {
        what.push(differs("reference", kept.reference.map_or("none".into(), |k| k.to_string()), r));
        next.reference = Some(r);
    }
    if what.is_empty() {
        out.unchanged += 1;
    } else if !opts.update {
        return Err(Fail::Problem(
            rec.origin
                .problem(format!(
                    "invoice {} is already in the book with other values ({})",
                    kept.number,
                    what.join("; ")
                ))
                .need(crate::import::Need::Update),
        ));
    } else {
        w.update_invoice(kept.id, &next).map_err(|e| row_fail(&rec.origin, e)).map_err(|f| match f {
            Fail::Problem(p) => Fail::Problem(p.field("amount").value(money_text(cents))),
            other => other,
        })?;
        out.push(Change::UpdatedInvoice { number: kept.number, what });
    }
    Ok(Some(kept.id))
}

const BILLING_REFERENCE: &str = "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID";

fn apply_credit(
    w: &BookWriter<'_>,
    idx: &mut CustomerIndex,
    rec: &CreditRecord,
    out: &mut Outcome,
) -> Result<(), Fail> {
    let row = |e: StoreError| row_fail(&rec.origin, e);
    let problem = |m: String| Fail::Problem(rec.origin.problem(m));
    let customer = idx.resolve(w, &rec.customer, out).map_err(row)?;
    let cents = to_cents(rec.amount).map_err(|e| problem(e.to_string()))?;
    if let Some(kept) = w.kept_credit_note(&rec.number)? {
        if kept.amount_cents == cents && kept.currency == rec.currency && kept.issued == rec.issued {
            out.unchanged += 1;
            return Ok(());
        }
        return Err(problem(format!(
            "credit note {} was already imported with other values (amount {} {}, issued {}); a credit note is never changed",
            rec.number,
            money_text(kept.amount_cents),
            kept.currency,
            kept.issued
        )));
    }
    let targets = match &rec.invoice {
        Some(number) => {
            let inv = w.kept_invoice(number)?.ok_or_else(|| {
                Fail::Problem(
                    rec.origin
                        .problem("no such invoice in the book: import the invoice first")
                        .field(BILLING_REFERENCE)
                        .value(number.clone()),
                )
            })?;
            if inv.currency != rec.currency {
                return Err(problem(format!(
                    "the credit note is in {} but invoice {} is in {}",
                    rec.currency, inv.number, inv.currency
                )));
            }
            if rec.issued < inv.issued {
                return Err(problem(format!(
                    "the credit note ({}) is dated before invoice {} ({})",
                    rec.issued, inv.number, inv.issued
                )));
            }
            vec![inv]
        }
        // No invoice named: reduce the customer's oldest open invoices, as a bookkeeper would.
        None => w
            .open_invoices_of(customer.id, rec.currency)?
            .into_iter()
            .filter(|i| i.issued <= rec.issued)
            .collect(),
    };
    let note = format!("credit note {}", rec.number);
    let mut left = cents;
    for inv in targets {
        let take = left.min(inv.open_cents);
        if take <= 0 {
            continue;
        }
        w.add_reduction(&Reduction {
            invoice: inv.id,
            on: rec.issued,
            cents: take,
            kind: PaymentKind::Credit,
            method: None,
            note: &note,
        })
        .map_err(row)?;
        out.push(Change::Credit {
            note: rec.number.clone(),
            invoice: inv.number,
            amount: Money::from_cents(take, rec.currency),
        });
        left -= take;
    }
    if left > 0 {
        out.push(Change::UnappliedCredit {
            note: rec.number.clone(),
            customer: customer.name.clone(),
            amount: Money::new(from_cents(left), rec.currency),
        });
    }
    w.add_credit_note(&NewCreditNote {
        number: &rec.number,
        customer_id: customer.id,
        issued: rec.issued,
        amount_cents: cents,
        currency: rec.currency,
        invoice_number: rec.invoice.as_deref(),
        unapplied_cents: left,
    })
    .map_err(row)?;
    Ok(())
}

/// Imports customers in one transaction, matched by name.
pub fn import_customers(
    store: &mut Store,
    records: &[CustomerRecord],
    opts: Options,
) -> anyhow::Result<Outcome> {
    in_transaction(store, opts, |w, out, problems| {
        let mut idx = CustomerIndex::load(w)?;
        for rec in records {
            match apply_customer(w, &mut idx, rec, opts, out) {
                Ok(()) => {}
                Err(Fail::Problem(p)) => problems.push(p),
                Err(Fail::Store(e)) => return Err(e),
            }
        }
        Ok(())
    })
}

fn apply_customer(
    w: &BookWriter<'_>,
    idx: &mut CustomerIndex,
    rec: &CustomerRecord,
    opts: Options,
    out: &mut Outcome,
) -> Result<(), Fail> {
    let origin = rec.origin.clone().unwrap_or(super::model::Origin { file: "".into(), at: super::At::File });
    let kept = idx.by_name(&rec.name).cloned();
    let old = match &kept {
        Some(k) => w.customer_record(k.id)?,
        None => NewCustomer::named(rec.name.trim()),
    };
    let mut new = old.clone();
    if let Some(v) = &rec.contact {
        new.contact.clone_from(v);
    }
    if let Some(v) = &rec.email {
        new.email.clone_from(v);
    }
    if let Some(v) = &rec.phone {
        new.phone.clone_from(v);
    }
    if let Some(v) = &rec.vat {
        new.vat.clone_from(v);
    }
    new.language = rec.language.unwrap_or(new.language);
    new.profile = rec.profile.unwrap_or(new.profile);
    new.kind = rec.kind.unwrap_or(new.kind);
    new.terms_days = rec.terms_days.unwrap_or(new.terms_days);
    if let Some(v) = &rec.address {
        new.address.clone_from(v);
    }
    let Some(kept) = kept else {
        let id = w.add_customer(&new).map_err(|e| row_fail(&origin, e))?;
        if rec.archived == Some(true) {
            w.set_customer_archived(id, true)?;
        }
        idx.insert(crate::store::CustomerKey {
            id,
            name: new.name.clone(),
            vat: new.vat.clone(),
            terms_days: new.terms_days,
        });
        out.push(Change::NewCustomer { name: new.name });
        return Ok(());
    };
    let opt = |o: &Option<String>| o.clone().unwrap_or_else(|| "none".into());
    let mut what = Vec::new();
    for (field, a, b) in [
        ("contact", &old.contact, &new.contact),
        ("email", &old.email, &new.email),
        ("phone", &old.phone, &new.phone),
        ("vat", &old.vat, &new.vat),
        ("address", &old.address, &new.address),
    ] {
        if a != b {
            what.push(differs(field, opt(a), opt(b)));
        }
    }
    if old.language != new.language {
        what.push(differs("language", old.language, new.language));
    }
    if old.profile != new.profile {
        what.push(differs("profile", old.profile, new.profile));
    }
    if old.kind != new.kind {
        what.push(differs("kind", old.kind, new.kind));
    }
    if old.terms_days != new.terms_days {
        what.push(differs("terms", old.terms_days, new.terms_days));
    }
    let was_archived = w.customer_archived(kept.id)?;
    let archived = rec.archived.unwrap_or(was_archived);
    if archived != was_archived {
        let yes_no = |b: bool| if b { "yes" } else { "no" };
        what.push(differs("archived", yes_no(was_archived), yes_no(archived)));
    }
    if what.is_empty() {
        out.unchanged += 1;
    } else if !opts.update {
        return Err(Fail::Problem(
            origin
                .problem(format!(
                    "customer {} is already in the book with other values ({})",
                    kept.name,
                    what.join("; ")
                ))
                .need(crate::import::Need::Update),
        ));
    } else {
        w.update_customer(kept.id, &new).map_err(|e| row_fail(&origin, e))?;
        if archived != was_archived {
            w.set_customer_archived(kept.id, archived)?;
        }
        out.push(Change::UpdatedCustomer { name: kept.name, what });
    }
    Ok(())
}
