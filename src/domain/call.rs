//! Phone calls: who was reached, what came out of it, and what was agreed.

use chrono::NaiveDate;

use super::agreement::NewAgreement;
use super::customer::CustomerId;
use super::invoice::InvoiceId;
use super::str_enum;
use super::text::{Lines, TextError, check_optional, check_text};

str_enum!(
    /// What a call came to.
    CallOutcome {
        Promise => "promise",
        Plan => "plan",
        Dispute => "dispute",
        AlreadyPaid => "already_paid",
        Callback => "callback",
        NoAnswer => "no_answer",
        Refused => "refused",
    }
);

/// The one-key choice of an outcome in call mode, as data so the footer and the help screen
/// are generated from it. Keys avoid the ones every screen uses (`q`, `j`, `k`, `?`, `/`).
pub const OUTCOME_KEYS: &[(char, CallOutcome)] = &[
    ('p', CallOutcome::Promise),
    ('l', CallOutcome::Plan),
    ('d', CallOutcome::Dispute),
    ('a', CallOutcome::AlreadyPaid),
    ('b', CallOutcome::Callback),
    ('n', CallOutcome::NoAnswer),
    ('r', CallOutcome::Refused),
];

impl CallOutcome {
    /// The outcome chosen by a key in call mode.
    pub fn from_key(key: char) -> Option<CallOutcome> {
        OUTCOME_KEYS.iter().find(|(k, _)| *k == key.to_ascii_lowercase()).map(|(_, o)| *o)
    }

    /// The key that chooses this outcome.
    pub fn key(&self) -> char {
        OUTCOME_KEYS.iter().find(|(_, o)| o == self).map_or('?', |(k, _)| *k)
    }

    pub fn label(&self) -> &'static str {
        match self {
            CallOutcome::Promise => "Promise to pay",
            CallOutcome::Plan => "Instalment plan",
            CallOutcome::Dispute => "Dispute",
            CallOutcome::AlreadyPaid => "Says already paid",
            CallOutcome::Callback => "Call back",
            CallOutcome::NoAnswer => "No answer",
            CallOutcome::Refused => "Refused",
        }
    }

    /// Whether the outcome needs someone on the line (`Some(true)`), means nobody was
    /// (`Some(false)`), or fits both (`None`: a call-back can be asked for or planned after
    /// a voicemail).
    pub fn implies_reached(&self) -> Option<bool> {
        match self {
            CallOutcome::NoAnswer => Some(false),
            CallOutcome::Callback => None,
            _ => Some(true),
        }
    }

    /// Whether this outcome produces an agreement (a promise or a plan).
    pub fn makes_agreement(&self) -> bool {
        matches!(self, CallOutcome::Promise | CallOutcome::Plan)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CallId(pub i64);

/// A call as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub id: CallId,
    pub customer: CustomerId,
    pub invoice: Option<InvoiceId>,
    pub on: NaiveDate,
    pub reached: bool,
    /// The person spoken to.
    pub with: Option<String>,
    pub outcome: CallOutcome,
    /// The agreed next contact (a call-back, the check of a claimed payment, the next talk
    /// about a dispute).
    pub follow_up: Option<NaiveDate>,
    /// What the customer said about a payment already made.
    pub claimed_paid_on: Option<NaiveDate>,
    pub claimed_reference: Option<String>,
    pub note: String,
}

impl Call {
    /// The call as it would be recorded again, with the agreement it carries now: what its
    /// timeline line says is [`NewCall::summary`] of this.
    pub fn to_new(&self, agreement: Option<NewAgreement>) -> NewCall {
        NewCall {
            customer: self.customer,
            invoice: self.invoice,
            on: self.on,
            reached: self.reached,
            with: self.with.clone(),
            outcome: self.outcome,
            follow_up: self.follow_up,
            claimed_paid_on: self.claimed_paid_on,
            claimed_reference: self.claimed_reference.clone(),
            note: self.note.clone(),
            agreement,
        }
    }
}

/// What it takes to record a call (validated by the call form or the command line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCall {
    pub customer: CustomerId,
    pub invoice: Option<InvoiceId>,
    pub on: NaiveDate,
    pub reached: bool,
    pub with: Option<String>,
    pub outcome: CallOutcome,
    pub follow_up: Option<NaiveDate>,
    pub claimed_paid_on: Option<NaiveDate>,
    pub claimed_reference: Option<String>,
    pub note: String,
    /// The promise or plan, for the `promise` and `plan` outcomes.
    pub agreement: Option<NewAgreement>,
}

impl NewCall {
    /// The rules the database cannot check; the call form checks the same things field by
    /// field, this is the last line for every other caller.
    pub fn validate(&self) -> Result<(), String> {
        super::limits::name("the name of who you spoke with", self.with.as_deref().unwrap_or_default())?;
        super::limits::identifier(
            "the payment reference",
            self.claimed_reference.as_deref().unwrap_or_default(),
        )?;
        if let Some(r) = self.outcome.implies_reached()
            && r != self.reached
        {
            return Err(if r {
                format!("the outcome '{}' needs someone on the line: mark the call as reached", self.outcome)
            } else {
                "a call with no answer cannot have reached anyone".to_string()
            });
        }
        match (&self.agreement, self.outcome.makes_agreement()) {
            (None, true) => return Err(format!("the outcome '{}' needs its agreement", self.outcome)),
            (Some(_), false) => return Err(format!("the outcome '{}' makes no agreement", self.outcome)),
            _ => {}
        }
        if self.outcome.makes_agreement() && self.invoice.is_none() {
            return Err("a promise or a plan is made on an invoice: call from the invoice".into());
        }
        if self.outcome == CallOutcome::Callback && self.follow_up.is_none() {
            return Err("a call-back needs its date".into());
        }
        if self.outcome == CallOutcome::Dispute && self.note.trim().is_empty() {
            return Err("note what the customer disputes".into());
        }
        let text = |e: TextError| e.to_string();
        check_optional("the person spoken to", self.with.as_deref(), Lines::One).map_err(text)?;
        check_optional("payment reference", self.claimed_reference.as_deref(), Lines::One).map_err(text)?;
        check_text("note", &self.note, Lines::Many).map_err(text)?;
        if let Some(a) = &self.agreement {
            a.validate(self.on).map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    /// One line for the timeline: who, what, and what was agreed.
    pub fn summary(&self, currency_symbol: &str) -> String {
        let who = match (&self.reached, self.with.as_deref()) {
            (true, Some(w)) if !w.trim().is_empty() => format!("spoke with {}", w.trim()),
            (true, _) => "reached".to_string(),
            (false, _) => "not reached".to_string(),
        };
        let mut s = format!("{who}: {}", self.outcome.label().to_ascii_lowercase());
        if let Some(a) = &self.agreement {
            s.push_str(&format!(" ({})", a.describe(currency_symbol)));
        }
        if let Some(f) = self.follow_up {
            s.push_str(&format!("; next contact {f}"));
        }
        if !self.note.trim().is_empty() {
            s.push_str(&format!(". {}", self.note.trim()));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_outcome_has_one_distinct_key() {
        for o in CallOutcome::ALL {
            assert_eq!(CallOutcome::from_key(o.key()), Some(*o), "{o}");
        }
        let mut keys: Vec<char> = OUTCOME_KEYS.iter().map(|(k, _)| *k).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), CallOutcome::ALL.len());
        for reserved in ['q', 'j', 'k', '?', '/'] {
            assert_eq!(CallOutcome::from_key(reserved), None);
        }
    }

    #[test]
    fn outcomes_parse_from_their_names() {
        assert_eq!("already-paid".parse::<CallOutcome>(), Ok(CallOutcome::AlreadyPaid));
        assert!("maybe".parse::<CallOutcome>().unwrap_err().to_string().contains("no_answer"));
    }
}
