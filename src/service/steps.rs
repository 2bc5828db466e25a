//! Recording a ladder step done on its real day: the letters and calls a freelancer made
//! before settle kept the book, or anything recorded late. The same write as a letter marked
//! sent, so the ladder, Today and the letters' wording follow.

use chrono::NaiveDate;

use crate::domain::event::Channel;
use crate::domain::invoice::Invoice;
use crate::domain::policy::Step;
use crate::store::{Result, Store, StoreError};

/// How a step usually reaches the customer.
pub fn default_channel(step: Step) -> Channel {
    match step {
        Step::Call => Channel::Phone,
        Step::FormalNotice | Step::Agency => Channel::Letter,
        Step::Nudge | Step::Reminder | Step::FirmReminder => Channel::Email,
    }
}

/// Records `step` as done on `on` (not after `today`, not before the invoice was issued).
/// `compliant`: the reminder was a consumer's free first reminder carrying every mention
/// the law requires (Code of Economic Law art. XIX.2; the Dutch 14-day letter of art. 6:96
/// lid 6 BW), which starts the consumer's 14 days.
#[allow(clippy::too_many_arguments)]
pub fn record(
    store: &Store,
    invoice: &Invoice,
    step: Step,
    on: NaiveDate,
    channel: Option<Channel>,
    tracking: Option<&str>,
    compliant: bool,
    today: NaiveDate,
) -> Result<i64> {
    if compliant && !matches!(step, Step::Reminder | Step::FirmReminder) {
        let why = "only a reminder or a firm reminder can be a consumer's first reminder";
        return Err(crate::domain::input::FieldError::new(crate::domain::input::Input::Compliant, why).into());
    }
    if on > today {
        return Err(StoreError::Invalid(format!(
            "{on} is after today ({today}): record a step once it is done"
        )));
    }
    if on < invoice.issued {
        return Err(StoreError::Invalid(format!(
            "{on} is before invoice {} was issued ({})",
            invoice.number, invoice.issued
        )));
    }
    let channel = channel.unwrap_or_else(|| default_channel(step));
    let detail = format!(
        "recorded by hand: {} by {}",
        step.label().to_lowercase(),
        channel.as_str().replace('_', " ")
    );
    let also: &[crate::domain::event::EventKind] =
        if compliant { &[crate::domain::event::EventKind::FirstReminderCompliant] } else { &[] };
    store.record_sent_with(invoice.id, step.event_kind(), also, on, Some(channel), &detail, tracking, || {
        Ok(())
    })
}
