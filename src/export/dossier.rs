//! The collection dossier: what an agency or bailiff asks for, as JSON (machine-readable,
//! exact figures) and Markdown (readable), both from the same case file the app shows.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::domain::claim::Claim;
use crate::domain::customer::{CustomerKind, Language, Profile};
use crate::domain::event::{Channel, EventKind};
use crate::domain::interest::round_cents;
use crate::domain::invoice::{InvoiceStatus, PaymentKind};
use crate::domain::ladder::{Dated, DoneStep, State};
use crate::domain::money::{Currency, Money};
use crate::domain::policy::Step;
use crate::service::CaseFile;

pub const FORMAT: &str = "settle-dossier/1";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dossier {
    pub format: String,
    pub as_of: NaiveDate,
    pub creditor: Creditor,
    pub debtor: Debtor,
    pub invoice: DossierInvoice,
    pub payments: Vec<DossierPayment>,
    /// Amount less every payment, credit and write-off.
    pub open: Decimal,
    /// Interest and costs as of `as_of`, line by line (exact amounts; totals in cents).
    pub claim: Claim,
    pub registered_mail: Option<DossierMail>,
    pub tracker: DossierTracker,
    /// Reminders, calls, agreements, disputes, payments and notes, oldest first.
    pub timeline: Vec<DossierEvent>,
    /// The customer's general relationship notes (not tied to another invoice), oldest first.
    pub notes: Vec<DossierNote>,
}

/// Where the invoice stands on its ladder, as every other surface says it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierTracker {
    /// Steps taken, oldest first.
    pub done: Vec<DoneStep>,
    /// open, paused, disputed or settled.
    pub status: String,
    /// While paused: why and until when.
    pub paused: Option<(String, NaiveDate)>,
    pub step_to_take: Option<Step>,
    pub skips: Vec<Step>,
    pub next: Option<Dated>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Creditor {
    pub name: String,
    pub company: String,
    pub address: String,
    pub vat: String,
    pub iban: String,
    pub bic: String,
    pub email: String,
    pub phone: String,
    pub jurisdiction: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Debtor {
    pub name: String,
    pub contact: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub vat: Option<String>,
    /// The postal address, a line per line of the envelope (an agency writes to it).
    #[serde(default)]
    pub address: Option<String>,
    pub language: Language,
    pub kind: CustomerKind,
    pub profile: Profile,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierInvoice {
    pub number: String,
    pub issued: NaiveDate,
    pub due: NaiveDate,
    pub currency: Currency,
    pub amount: Decimal,
    pub description: String,
    pub reference: Option<String>,
    pub status: InvoiceStatus,
    pub disputed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierPayment {
    pub on: NaiveDate,
    pub amount: Decimal,
    pub kind: PaymentKind,
    pub method: Option<String>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierMail {
    pub sent: NaiveDate,
    pub tracking: String,
    pub received: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierEvent {
    pub on: NaiveDate,
    pub kind: EventKind,
    pub what: String,
    pub channel: Option<Channel>,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierNote {
    pub on: NaiveDate,
    pub body: String,
}

impl Dossier {
    pub fn from_case(case: &CaseFile, config: &Config) -> Dossier {
        let me = &config.me;
        let c = &case.customer;
        let inv = &case.invoice;
        let mut notes: Vec<DossierNote> = case
            .notes
            .iter()
            .filter(|n| n.invoice.is_none())
            .map(|n| DossierNote { on: n.on, body: n.body.clone() })
            .collect();
        notes.reverse();
        Dossier {
            format: FORMAT.into(),
            as_of: case.today,
            creditor: Creditor {
                name: me.name.clone(),
                company: me.company.clone(),
                address: me.address.clone(),
                vat: me.vat.clone(),
                iban: me.iban.as_str().into(),
                bic: me.bic.clone(),
                email: me.email.clone(),
                phone: me.phone.clone(),
                jurisdiction: config.jurisdiction.as_str().into(),
            },
            debtor: Debtor {
                name: c.name.clone(),
                contact: c.contact.clone(),
                email: c.email.clone(),
                phone: c.phone.clone(),
                vat: c.vat.clone(),
                address: c.address.clone(),
                language: c.language,
                kind: c.kind,
                profile: c.profile,
            },
            invoice: DossierInvoice {
                number: inv.number.clone(),
                issued: inv.issued,
                due: inv.due,
                currency: inv.amount.currency,
                amount: inv.amount.amount,
                description: inv.description.clone(),
                reference: inv.reference.map(|r| r.to_string()),
                status: inv.status(),
                disputed: inv.disputed,
            },
            payments: case
                .payments
                .iter()
                .map(|p| DossierPayment {
                    on: p.on,
                    amount: p.amount,
                    kind: p.kind,
                    method: p.method.clone(),
                    note: p.note.clone(),
                })
                .collect(),
            open: inv.open,
            claim: case.claim.clone(),
            registered_mail: case.registered.as_ref().map(|r| DossierMail {
                sent: r.sent,
                tracking: r.tracking.clone(),
                received: r.received,
            }),
            tracker: {
                let st = &case.standing;
                let mut done: Vec<DoneStep> =
                    case.facts.done.iter().filter(|d| d.on <= case.today).copied().collect();
                done.sort_by_key(|d| d.on);
                DossierTracker {
                    done,
                    status: st.state.name().to_string(),
                    paused: match st.state {
                        State::Paused { kind, until, .. } => Some((kind.as_str().to_string(), until)),
                        _ => None,
                    },
                    step_to_take: st.step_to_take.map(|t| t.step),
                    skips: st.skips.iter().collect(),
                    next: st.next,
                }
            },
            timeline: case
                .timeline
                .iter()
                .map(|e| DossierEvent {
                    on: e.on,
                    kind: e.kind,
                    what: e.kind.label().into(),
                    channel: e.channel,
                    detail: e.detail.clone(),
                })
                .collect(),
            notes,
        }
    }

    pub fn to_json(&self) -> Result<String> {
        Ok(serde_json::to_string_pretty(self)? + "\n")
    }

    /// The readable version.
    pub fn to_markdown(&self) -> String {
        let money = |a: Decimal| Money::new(a, self.invoice.currency).to_string();
        let mut s = String::new();
        let _ = writeln!(s, "# Collection dossier: invoice {}\n", self.invoice.number);
        let _ = writeln!(s, "As of {}. Figures in {}.\n", self.as_of, self.invoice.currency);
        let cr = &self.creditor;
        let _ = writeln!(s, "## Creditor\n");
        for (k, v) in [
            ("Name", &cr.name),
            ("Company", &cr.company),
            ("Address", &cr.address.replace('\n', ", ")),
            ("VAT", &cr.vat),
            ("IBAN", &cr.iban),
            ("BIC", &cr.bic),
            ("Email", &cr.email),
            ("Phone", &cr.phone),
        ] {
            if !v.trim().is_empty() {
                let _ = writeln!(s, "- {k}: {v}");
            }
        }
        let db = &self.debtor;
        let _ = writeln!(s, "\n## Debtor\n\n- Name: {}", db.name);
        let address = db.address.as_ref().map(|a| a.replace('\n', ", "));
        for (k, v) in [
            ("Contact", &db.contact),
            ("Address", &address),
            ("Email", &db.email),
            ("Phone", &db.phone),
            ("VAT", &db.vat),
        ] {
            if let Some(v) = v.as_ref().filter(|v| !v.trim().is_empty()) {
                let _ = writeln!(s, "- {k}: {v}");
            }
        }
        let _ = writeln!(s, "- Kind: {}; language: {}", db.kind, db.language);
        let i = &self.invoice;
        let _ = writeln!(s, "\n## Invoice\n");
        let _ = writeln!(s, "- Number: {}\n- Issued: {}\n- Due: {}", i.number, i.issued, i.due);
        let _ = writeln!(s, "- Amount: {}", money(i.amount));
        if let Some(r) = &i.reference {
            let _ = writeln!(s, "- Structured reference: {r}");
        }
        if !i.description.is_empty() {
            let _ = writeln!(s, "- Description: {}", i.description);
        }
        let _ = writeln!(s, "- Status: {}{}", i.status, if i.disputed { " (disputed)" } else { "" });
        let _ = writeln!(s, "\n## Payments\n");
        if self.payments.is_empty() {
            let _ = writeln!(s, "None.");
        }
        for p in &self.payments {
            let _ = writeln!(
                s,
                "- {}: {} ({}{})",
                p.on,
                money(p.amount),
                p.kind,
                p.method.as_deref().map(|m| format!(", {m}")).unwrap_or_default()
            );
        }
        let _ = writeln!(s, "\nOpen amount: **{}**", money(self.open));
        claim_markdown(&mut s, &self.claim, &money);
        if let Some(m) = &self.registered_mail {
            let received = m.received.map_or("receipt not recorded".to_string(), |d| format!("received {d}"));
            let _ = writeln!(
                s,
                "\n## Formal notice\n\nSent by registered mail on {} (tracking {}), {received}.",
                m.sent, m.tracking
            );
        }
        let _ = writeln!(s, "\n## Timeline\n");
        if self.timeline.is_empty() {
            let _ = writeln!(s, "Nothing recorded.");
        }
        for e in &self.timeline {
            let channel = e.channel.map(|c| format!(" ({c})")).unwrap_or_default();
            let detail = if e.detail.is_empty() { String::new() } else { format!(": {}", e.detail) };
            let _ = writeln!(s, "- {} {}{channel}{detail}", e.on, e.what);
        }
        if !self.notes.is_empty() {
            let _ = writeln!(s, "\n## Notes on the customer\n");
            for n in &self.notes {
                let _ = writeln!(s, "- {}: {}", n.on, n.body);
            }
        }
        s
    }
}

fn claim_markdown(s: &mut String, c: &Claim, money: &dyn Fn(Decimal) -> String) {
    let _ = writeln!(s, "\n## Claim as of {}\n", c.as_of);
    if !c.lawful {
        let _ = writeln!(s, "No interest or costs are claimed (yet).");
    }
    if c.open != Decimal::ZERO || !c.applied.is_empty() {
        let _ = writeln!(s, "Principal still owed: {}.\n", money(c.open));
    }
    if let Some(i) = c.interest.as_ref().filter(|_| c.lawful) {
        let basis = match c.basis {
            Some(crate::domain::claim::InterestBasis::Contractual) => {
                "Interest under the terms (contractual)"
            }
            Some(crate::domain::claim::InterestBasis::Legal) => "Interest at the legal rate",
            _ => "Statutory (commercial) interest",
        };
        let how = if c.compounded { "compounded yearly" } else { "simple" };
        let _ = writeln!(s, "{basis}, {how}, per day (actual/365):\n");
        let _ =
            writeln!(s, "| from | to | days | principal | rate | interest |\n|---|---|---:|---:|---:|---:|");
        for l in &i.lines {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} % | {} |",
                l.from,
                l.to,
                l.days,
                money(l.principal),
                l.rate.normalize(),
                money(round_cents(l.amount))
            );
        }
        for cap in &i.capitalised {
            let _ = writeln!(
                s,
                "\nOn {} the year's interest, {}, was added to the base.",
                cap.on,
                money(cap.amount)
            );
        }
        let _ = writeln!(s, "\nInterest in total: {} (exact {}).", money(i.total), i.exact.round_dp(6));
    }
    if let Some(comp) = c.compensation.as_ref().filter(|_| c.lawful) {
        let _ = writeln!(s, "\nCompensation, {}: {}.", comp.rule.label(), money(comp.amount));
        if comp.rule == crate::domain::costs::CostRule::BeConsumer {
            let _ = writeln!(s, "- fixed part: {}", money(comp.fixed));
        }
        for l in &comp.lines {
            let _ = writeln!(
                s,
                "- {} % of {} = {}",
                l.rate.normalize(),
                money(l.base),
                money(round_cents(l.amount))
            );
        }
        if let Some(f) = comp.floor {
            let _ = writeln!(
                s,
                "- the scale gives {}; the minimum is {}",
                money(round_cents(comp.scale)),
                money(f)
            );
        }
        if let Some(c) = comp.cap {
            let _ = writeln!(
                s,
                "- the scale gives {}; the maximum is {}",
                money(round_cents(comp.scale)),
                money(c)
            );
        }
    }
    for a in &c.applied {
        let _ = writeln!(
            s,
            "\nPayment of {} on {}: {} to costs, {} to interest, {} to principal.",
            money(a.amount),
            a.on,
            money(a.costs),
            money(a.interest),
            money(a.principal)
        );
    }
    if !c.applied.is_empty() {
        let _ = writeln!(
            s,
            "\nStill owed: interest {}, costs {}.",
            money(c.interest_open()),
            money(c.compensation_open())
        );
    }
    let _ = writeln!(s, "\nTotal claimed: **{}**", money(c.total));
    for n in &c.notes {
        let _ = writeln!(s, "\n> Note: {n}");
    }
}

/// Where the app keeps an invoice's dossier: `dossiers/<invoice>-<date>/` beside the database.
pub fn default_dir(database: &Path, case: &CaseFile) -> PathBuf {
    crate::letters::send::beside(database).join("dossiers").join(format!(
        "{}-{}",
        crate::letters::send::safe_name(&case.invoice.number),
        case.today
    ))
}

/// What [`export`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    pub json: PathBuf,
    pub markdown: PathBuf,
    /// The total claimed as of the case's day.
    pub claim: Money,
}

/// Builds the dossier of a case and writes it into `dir` (its new directories 0700, its
/// files 0600): what `settle export dossier` and the app's agency letter both do.
pub fn export(case: &CaseFile, config: &Config, dir: &Path) -> Result<Exported> {
    let d = Dossier::from_case(case, config);
    let (json, markdown) = write(&d, dir)?;
    Ok(Exported { json, markdown, claim: Money::new(d.claim.total, case.invoice.amount.currency) })
}

/// Writes `dossier.json` and `dossier.md` into `dir` (created 0700; files 0600).
pub fn write(dossier: &Dossier, dir: &Path) -> Result<(PathBuf, PathBuf)> {
    let json = dir.join("dossier.json");
    let md = dir.join("dossier.md");
    crate::letters::send::write_private(&json, &dossier.to_json()?)?;
    crate::letters::send::write_private(&md, &dossier.to_markdown())?;
    Ok((json, md))
}
