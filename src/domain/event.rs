//! The timeline: every step taken on an invoice, append-only.

use chrono::NaiveDate;

use super::invoice::InvoiceId;
use super::str_enum;

str_enum!(
    /// What happened.
    EventKind {
        NudgeSent => "nudge_sent",
        ReminderSent => "reminder_sent",
        CallLogged => "call_logged",
        FirmReminderSent => "firm_reminder_sent",
        FormalNoticeSent => "formal_notice_sent",
        HandedToAgency => "handed_to_agency",
        DisputeOpened => "dispute_opened",
        DisputeResolved => "dispute_resolved",
        Note => "note",
        Payment => "payment",
        Credit => "credit",
        WrittenOff => "written_off",
        ThankYouSent => "thank_you_sent",
        AgreementMade => "agreement_made",
        AgreementConfirmed => "agreement_confirmed",
        NoticeReceived => "notice_received",
        CallAttempted => "call_attempted",
        FirstReminderCompliant => "first_reminder_compliant",
        ClaimSent => "claim_sent",
        ClaimWaived => "claim_waived",
        ClaimPaid => "claim_paid",
        ConfirmationSent => "confirmation_sent",
    }
);

str_enum!(
    /// How a step reached the customer.
    Channel { Email => "email", Letter => "letter", Phone => "phone", InPerson => "in_person" }
);

impl EventKind {
    /// The ladder step this event completes, if it is one.
    pub fn step(&self) -> Option<super::policy::Step> {
        use super::policy::Step;
        Some(match self {
            EventKind::NudgeSent => Step::Nudge,
            EventKind::ReminderSent => Step::Reminder,
            EventKind::CallLogged => Step::Call,
            EventKind::FirmReminderSent => Step::FirmReminder,
            EventKind::FormalNoticeSent => Step::FormalNotice,
            EventKind::HandedToAgency => Step::Agency,
            _ => return None,
        })
    }

    /// Whether this event may be recorded only once per invoice (a letter step, the
    /// thank-you): calls and notes repeat, letters never do.
    pub fn once_per_invoice(&self) -> bool {
        matches!(
            self,
            EventKind::NudgeSent
                | EventKind::ReminderSent
                | EventKind::FirmReminderSent
                | EventKind::FormalNoticeSent
                | EventKind::HandedToAgency
                | EventKind::ThankYouSent
                | EventKind::FirstReminderCompliant
                | EventKind::ClaimSent
                | EventKind::ClaimWaived
                | EventKind::ClaimPaid
        )
    }

    /// A short human label for timelines.
    pub fn label(&self) -> &'static str {
        match self {
            EventKind::NudgeSent => "Friendly nudge sent",
            EventKind::ReminderSent => "Reminder sent",
            EventKind::CallLogged => "Call logged",
            EventKind::FirmReminderSent => "Firm reminder sent",
            EventKind::FormalNoticeSent => "Formal notice sent",
            EventKind::HandedToAgency => "Handed to collection agency",
            EventKind::DisputeOpened => "Dispute opened",
            EventKind::DisputeResolved => "Dispute resolved",
            EventKind::Note => "Note",
            EventKind::Payment => "Payment received",
            EventKind::Credit => "Credit note",
            EventKind::WrittenOff => "Written off",
            EventKind::ThankYouSent => "Thank-you sent",
            EventKind::AgreementMade => "Agreement made",
            EventKind::AgreementConfirmed => "Agreement confirmed in writing",
            EventKind::NoticeReceived => "Formal notice received",
            EventKind::CallAttempted => "Call not answered",
            EventKind::FirstReminderCompliant => "First reminder with every mention the law requires",
            EventKind::ClaimSent => "Interest and costs claimed",
            EventKind::ClaimWaived => "Interest and costs waived",
            EventKind::ClaimPaid => "Interest and costs paid",
            EventKind::ConfirmationSent => "Confirmation of the call sent",
        }
    }
}

/// One line of a timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    pub id: i64,
    pub invoice: Option<InvoiceId>,
    pub on: NaiveDate,
    pub kind: EventKind,
    pub channel: Option<Channel>,
    pub detail: String,
}

/// A formal notice sent by registered mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredMail {
    pub event_id: i64,
    pub sent: NaiveDate,
    pub tracking: String,
    pub received: Option<NaiveDate>,
}
