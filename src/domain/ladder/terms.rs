//! The payment term a letter gives: how many days, its last day, and the pause it makes on
//! the ladder. One rule for the letter that states the term and for the ladder that waits for
//! it, so the step after a letter never falls due before the day the letter says.

use chrono::NaiveDate;

use super::{Pause, PauseKind, notice_term};
use crate::domain::claim::{CONSUMER_TERM_DAYS, SentLetter, consumer_term};
use crate::domain::dates::add_days;
use crate::domain::event::Channel;
use crate::domain::interest::Jurisdiction;
use crate::domain::policy::Step;

/// The letters' terms for one customer: the configured days and whether the customer is a
/// private person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LetterTerms {
    pub jurisdiction: Jurisdiction,
    /// The firm reminder's term (and every letter's but the formal notice's).
    pub firm_days: u32,
    /// The formal notice's term, counted from its receipt.
    pub notice_days: u32,
    pub consumer: bool,
}

impl Default for LetterTerms {
    /// A business's, with the terms of DESIGN.md: 14 days after the firm reminder, 14 after
    /// the formal notice's receipt.
    fn default() -> Self {
        LetterTerms { jurisdiction: Jurisdiction::default(), firm_days: 14, notice_days: 14, consumer: false }
    }
}

impl LetterTerms {
    /// The days to pay a letter for `step` gives (`None`: a letter of no step, as a claim of
    /// interest and costs). No letter to a consumer gives fewer than the 14 days the law gives
    /// after a first reminder (Belgian Code of Economic Law art. XIX.2; Dutch Civil Code art.
    /// 6:96 lid 6), and a reminder to a consumer gives those 14 days.
    pub fn days(&self, step: Option<Step>) -> u32 {
        let least = if self.consumer { CONSUMER_TERM_DAYS as u32 } else { 1 };
        match step {
            Some(Step::FormalNotice) => self.notice_days,
            Some(Step::Reminder) if self.consumer => CONSUMER_TERM_DAYS as u32,
            _ => self.firm_days,
        }
        .max(least)
    }

    /// The last day to pay a letter for `step` gives, but the formal notice's (counted from
    /// its receipt: [`notice_term`]): for a consumer, counted as the law counts the 14 days
    /// (from the day after an email; from the third working day after posting, or in the
    /// Netherlands from the day after receipt: [`consumer_term`]); else from the day it is sent.
    pub fn last_day(&self, step: Option<Step>, letter: &SentLetter) -> NaiveDate {
        let days = i64::from(self.days(step));
        if self.consumer {
            add_days(consumer_term(self.jurisdiction, letter).starts, days - 1)
        } else {
            add_days(letter.sent, days)
        }
    }

    /// The pause taking `step` on `sent` makes, if its letter gives a term: the firm reminder,
    /// any reminder to a consumer, the formal notice (until its term after its receipt,
    /// presumed while none is recorded). A reminder to a business gives no term: the firm
    /// reminder follows on its own day. A consumer's letter sent by an unknown channel is
    /// counted as an email, the sooner.
    pub fn pause(
        &self,
        step: Step,
        sent: NaiveDate,
        channel: Option<Channel>,
        received: Option<NaiveDate>,
    ) -> Option<Pause> {
        if step == Step::FormalNotice {
            let days = self.days(Some(Step::FormalNotice));
            return Some(notice_term(self.jurisdiction, sent, channel, received, days));
        }
        if !(step == Step::FirmReminder || step == Step::Reminder && self.consumer) {
            return None;
        }
        let letter = SentLetter { sent, channel: channel.unwrap_or(Channel::Email), received: None };
        Some(Pause {
            kind: PauseKind::LetterTerm,
            since: sent,
            until: Some(self.last_day(Some(step), &letter)),
            ended: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn terms(jurisdiction: Jurisdiction, consumer: bool) -> LetterTerms {
        LetterTerms { jurisdiction, firm_days: 7, notice_days: 10, consumer }
    }

    #[test]
    fn a_business_gets_the_configured_days_from_the_day_sent() {
        let t = terms(Jurisdiction::Be, false);
        assert_eq!((t.days(Some(Step::Reminder)), t.days(Some(Step::FirmReminder))), (7, 7));
        assert_eq!(t.days(Some(Step::FormalNotice)), 10);
        // Sent Monday 7 December 2026 + 7 days = Monday 14 December.
        let p = t.pause(Step::FirmReminder, d("2026-12-07"), Some(Channel::Letter), None).unwrap();
        assert_eq!((p.kind, p.until), (PauseKind::LetterTerm, Some(d("2026-12-14"))));
        // A reminder to a business starts no term.
        assert_eq!(t.pause(Step::Reminder, d("2026-12-07"), None, None), None);
        assert_eq!(t.pause(Step::Call, d("2026-12-07"), None, None), None);
    }

    #[test]
    fn a_consumer_gets_at_least_fourteen_days_counted_as_the_law_counts_them() {
        let t = terms(Jurisdiction::Be, true);
        // 7 configured, 14 by law (art. XIX.2 CEL).
        assert_eq!((t.days(Some(Step::FirmReminder)), t.days(Some(Step::FormalNotice))), (14, 14));
        // Emailed Monday 7 December: the 14 days run from Tuesday 8 to Monday 21 December.
        let p = t.pause(Step::FirmReminder, d("2026-12-07"), Some(Channel::Email), None).unwrap();
        assert_eq!(p.until, Some(d("2026-12-21")));
        // Posted the same day: from the third working day after (Thursday 10) to Wednesday 23.
        let p = t.pause(Step::Reminder, d("2026-12-07"), Some(Channel::Letter), None).unwrap();
        assert_eq!(p.until, Some(d("2026-12-23")));
        // By no known channel: counted as an email.
        assert_eq!(
            t.pause(Step::Reminder, d("2026-12-07"), None, None).unwrap().until,
            Some(d("2026-12-21"))
        );
    }

    #[test]
    fn the_formal_notice_runs_from_its_receipt() {
        let t = terms(Jurisdiction::Be, false);
        // Posted Monday 7 December, presumed received on the third working day (Thursday 10),
        // + 10 days = Sunday 20 December; received on the 9th: the 19th.
        let p = t.pause(Step::FormalNotice, d("2026-12-07"), Some(Channel::Letter), None).unwrap();
        assert_eq!((p.kind, p.until), (PauseKind::NoticeTerm, Some(d("2026-12-20"))));
        let p = t.pause(Step::FormalNotice, d("2026-12-07"), Some(Channel::Letter), Some(d("2026-12-09")));
        assert_eq!(p.unwrap().until, Some(d("2026-12-19")));
    }
}
