//! The agenda's lines from phone calls and agreements: broken promises and missed
//! instalments (chase them: escalation resumes), promises and instalments due (check the
//! bank), claimed payments to check, and call-backs due.

use crate::domain::format;
use chrono::NaiveDate;

use super::days;
use crate::domain::invoice::InvoiceId;
use crate::domain::money::Money;

/// What a call line asks for, most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CallNoteKind {
    /// A promise or an instalment was missed.
    Broken,
    /// A promise or an instalment falls due today or is within its grace.
    Due,
    /// The customer said they paid: check it before insisting.
    CheckClaimedPayment,
    /// A call-back (or the next contact about a dispute) is due.
    CallBack,
}

/// One call line, on an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallNote {
    pub invoice: InvoiceId,
    pub kind: CallNoteKind,
    /// An instalment plan rather than a single promise.
    pub plan: bool,
    /// The agreed day (for `Broken`, the day that was missed), or the call-back day.
    pub date: NaiveDate,
    /// What was agreed and is still missing.
    pub amount: Option<Money>,
}

impl CallNote {
    /// "Broken promise: Acme BV" (chase it), "Promise due: Acme BV" (check the bank).
    pub fn what(&self, customer: &str) -> String {
        match self.kind {
            CallNoteKind::Broken if self.plan => format!("Missed instalment: {customer}"),
            CallNoteKind::Broken => format!("Broken promise: {customer}"),
            CallNoteKind::Due if self.plan => format!("Instalment due: {customer}"),
            CallNoteKind::Due => format!("Promise due: {customer}"),
            CallNoteKind::CheckClaimedPayment => format!("Check {customer}'s claimed payment"),
            CallNoteKind::CallBack => format!("Call {customer} back"),
        }
    }

    /// "€800.00 promised for Fri 4 Dec (3 days ago), not received; escalation resumes" (a
    /// broken one says escalation resumes only when it does: `resumes`).
    pub fn why(&self, today: NaiveDate, resumes: bool) -> String {
        let when = |d: NaiveDate, on: &str| match (d - today).num_days() {
            0 => "today".to_string(),
            -1 => "yesterday".to_string(),
            n if n < 0 => format!("{on}{} ({} ago)", format::weekday(d), days(-n)),
            _ => format!("{on}{}", format::weekday(d)),
        };
        let agreed = match (self.plan, self.amount) {
            (true, Some(m)) => format!("instalment of {m} due {}", when(self.date, "on ")),
            (true, None) => format!("instalment due {}", when(self.date, "on ")),
            (false, Some(m)) => format!("{m} promised for {}", when(self.date, "")),
            (false, None) => format!("payment promised for {}", when(self.date, "")),
        };
        match self.kind {
            CallNoteKind::Broken if resumes => format!("{agreed}, not received; escalation resumes"),
            CallNoteKind::Broken => format!("{agreed}, not received"),
            CallNoteKind::Due => agreed,
            CallNoteKind::CheckClaimedPayment => {
                format!("they said they paid; check by {} before insisting", when(self.date, ""))
            }
            CallNoteKind::CallBack => format!("call-back agreed for {}", when(self.date, "")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Currency;
    use rust_decimal::dec;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn note(kind: CallNoteKind, plan: bool, date: &str) -> CallNote {
        CallNote {
            invoice: InvoiceId(1),
            kind,
            plan,
            date: d(date),
            amount: Some(Money::new(dec!(800), Currency::EUR)),
        }
    }

    #[test]
    fn each_kind_says_what_to_do_and_why() {
        let today = d("2026-12-07");
        let cases = [
            (
                note(CallNoteKind::Broken, false, "2026-12-04"),
                "Broken promise: Acme BV",
                "€800.00 promised for Fri 4 Dec (3 days ago), not received; escalation resumes",
            ),
            (
                note(CallNoteKind::Broken, true, "2026-12-04"),
                "Missed instalment: Acme BV",
                "instalment of €800.00 due on Fri 4 Dec (3 days ago), not received; escalation resumes",
            ),
            (
                note(CallNoteKind::Due, false, "2026-12-07"),
                "Promise due: Acme BV",
                "€800.00 promised for today",
            ),
            (
                note(CallNoteKind::Due, true, "2026-12-06"),
                "Instalment due: Acme BV",
                "instalment of €800.00 due yesterday",
            ),
            (
                CallNote { amount: None, ..note(CallNoteKind::CallBack, false, "2026-12-07") },
                "Call Acme BV back",
                "call-back agreed for today",
            ),
        ];
        for (n, what, why) in cases {
            assert_eq!((n.what("Acme BV"), n.why(today, true)), (what.to_string(), why.to_string()));
        }
    }
}
