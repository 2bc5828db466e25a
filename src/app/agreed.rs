//! What phone agreements and calls add to the book: per invoice, whether a promise or plan
//! pauses its ladder (or broke and resumed it), and the Today lines they ask for.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::agenda::{CallNote, CallNoteKind};
use crate::domain::agreement::{Agreement, AgreementKind, AgreementStatus};
use crate::domain::invoice::InvoiceId;
use crate::domain::pause::{EscalationFact, agreement_fact};
use crate::store::{CallAgendaKind, Result, Store};

#[derive(Debug, Clone, Default)]
pub struct Agreed {
    pub facts: HashMap<InvoiceId, EscalationFact>,
    pub calls: Vec<CallNote>,
}

impl Agreed {
    /// The agreements still running and the call lines as of `today`.
    pub fn load(store: &Store, today: NaiveDate, grace_days: u32) -> Result<Agreed> {
        let running = store.running_agreements()?;
        let mut per: HashMap<InvoiceId, Vec<Agreement>> = HashMap::new();
        for (a, _) in &running {
            per.entry(a.invoice).or_default().push(a.clone());
        }
        let facts = per
            .iter()
            .filter_map(|(id, list)| Some((*id, agreement_fact(list, today, grace_days, false)?)))
            .collect();
        let calls = store
            .call_agenda_of(&running, today, grace_days)?
            .into_iter()
            .filter_map(|c| {
                Some(CallNote {
                    invoice: c.invoice?,
                    kind: match c.kind {
                        CallAgendaKind::Broken => CallNoteKind::Broken,
                        CallAgendaKind::Due => CallNoteKind::Due,
                        CallAgendaKind::CheckClaimedPayment => CallNoteKind::CheckClaimedPayment,
                        CallAgendaKind::CallBack => CallNoteKind::CallBack,
                    },
                    plan: matches!(c.agreement, Some((_, AgreementKind::Plan))),
                    // A broken agreement is told by the day that was missed.
                    date: match c.status {
                        Some(AgreementStatus::Broken { missed_due, .. }) => missed_due,
                        _ => c.date,
                    },
                    amount: c.amount,
                })
            })
            .collect();
        Ok(Agreed { facts, calls })
    }

    /// Whether the agenda needs this invoice whatever its due date.
    pub fn concerns(&self, id: InvoiceId) -> bool {
        self.facts.contains_key(&id) || self.calls.iter().any(|c| c.invoice == id)
    }
}
