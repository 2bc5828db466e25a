//! Desktop notifications (notify-rust over the D-Bus session bus), degrading gracefully.
//!
//! No desktop session is normal (a server, SSH, CI): without a bus the call fails in about
//! a millisecond, with a bus but no notification server it fails with `ServiceUnknown` (or a
//! failed activation, e.g. dunst without a display). zbus has no timeout of its own, and a
//! bus socket that accepts but never answers would block `show()` forever, so [`send`] runs
//! the calls on a worker thread and gives up after a timeout. Each message's failure is
//! returned as a [`NotifyError`] for the caller to fall back on printing that message's
//! alerts; none is fatal, and one failed message does not keep the others from being shown.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use crate::domain::alerts::{Alert, Urgency};
use crate::domain::invoice::InvoiceId;

/// The application name the notification server shows (and dunst rules can match).
pub const APP_NAME: &str = "settle";

/// How long to wait for the session bus and the notification server together.
pub const TIMEOUT: Duration = Duration::from_secs(4);

/// More invoices than this at once become one summary notification.
pub const MAX_SEPARATE: usize = 5;

/// One desktop notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub title: String,
    pub body: String,
    pub urgency: Urgency,
}

/// The notifications for a batch of new alerts: one per invoice (an invoice that is overdue
/// and has its reminder due on the same day gets one notification, not two), or a single
/// summary when more than [`MAX_SEPARATE`] invoices need attention.
pub fn messages(alerts: &[Alert]) -> Vec<Message> {
    batches(alerts).into_iter().map(|(m, _)| m).collect()
}

/// [`messages`], each with the positions in `alerts` of the alerts it tells.
pub fn batches(alerts: &[Alert]) -> Vec<(Message, Vec<usize>)> {
    let told: Result<_, std::convert::Infallible> =
        batches_of(alerts.len(), |i| alerts[i].invoice, |i| alerts[i].urgency, |i| Ok(alerts[i].clone()));
    match told {
        Ok(b) => b,
        Err(never) => match never {},
    }
}

/// [`batches`] of `count` alerts known by position: `invoice` and `urgency` of each, and
/// `alert` to put one into words, asked only for the alerts a message names (a first run on
/// a large book has hundreds of thousands of alerts and one summary naming five invoices).
pub fn batches_of<E>(
    count: usize,
    invoice: impl Fn(usize) -> InvoiceId,
    urgency: impl Fn(usize) -> Urgency,
    mut alert: impl FnMut(usize) -> Result<Alert, E>,
) -> Result<Vec<(Message, Vec<usize>)>, E> {
    // The first invoices, in the order of their first alert: one more than can be told apart.
    let mut first: Vec<InvoiceId> = Vec::new();
    for i in 0..count {
        let id = invoice(i);
        if !first.contains(&id) {
            first.push(id);
            if first.len() > MAX_SEPARATE {
                break;
            }
        }
    }
    let group_of = |i: usize| first.iter().position(|id| *id == invoice(i)).filter(|g| *g < MAX_SEPARATE);
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); first.len().min(MAX_SEPARATE)];
    for i in 0..count {
        if let Some(g) = group_of(i) {
            groups[g].push(i);
        }
    }
    let top = |g: &[usize]| g.iter().map(|&i| urgency(i)).max().unwrap_or(Urgency::Normal);
    if first.len() > MAX_SEPARATE {
        let mut invoices: Vec<InvoiceId> = (0..count).map(&invoice).collect();
        invoices.sort_unstable();
        invoices.dedup();
        let mut lines = Vec::with_capacity(MAX_SEPARATE + 1);
        for g in &groups {
            let alerts = g.iter().map(|&i| alert(i)).collect::<Result<Vec<Alert>, E>>()?;
            let what: Vec<&str> = alerts.iter().map(|a| a.title.as_str()).collect();
            let first = &alerts[0];
            lines.push(format!("{} — {}: {}", first.customer, first.number, what.join(", ")));
        }
        lines.push(format!("… and {} more: run `settle` to see them all.", invoices.len() - MAX_SEPARATE));
        let message = Message {
            title: format!("{} invoices need attention", invoices.len()),
            body: lines.join("\n"),
            urgency: (0..count).map(&urgency).max().unwrap_or(Urgency::Normal),
        };
        return Ok(vec![(message, (0..count).collect())]);
    }
    let mut out = Vec::with_capacity(groups.len());
    for g in groups {
        let alerts = g.iter().map(|&i| alert(i)).collect::<Result<Vec<Alert>, E>>()?;
        let titles: Vec<&str> = alerts.iter().map(|a| a.title.as_str()).collect();
        let mut lines: Vec<&str> = Vec::new();
        for line in alerts.iter().flat_map(|a| a.body.lines()) {
            if !lines.contains(&line) {
                lines.push(line);
            }
        }
        let message = Message { title: titles.join(" · "), body: lines.join("\n"), urgency: top(&g) };
        out.push((message, g));
    }
    Ok(out)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotifyError {
    #[error("no desktop session bus ({0})")]
    NoBus(String),
    #[error("no notification server on the session bus ({0})")]
    NoServer(String),
    #[error("the session bus did not answer within {} s", .0.as_secs())]
    Timeout(Duration),
    #[error("desktop notification failed ({0})")]
    Failed(String),
}

impl NotifyError {
    /// Whether there is no desktop to show anything on (rather than one message failing).
    pub fn no_desktop(&self) -> bool {
        !matches!(self, NotifyError::Failed(_))
    }
}

/// Shows the messages one by one, waiting at most `timeout` for all of them, and returns
/// one result per message, in order. One message that fails (the server refuses it, it
/// cannot be encoded) does not stop the next; once the bus or the server is found missing,
/// the rest are not tried. On a timeout the worker thread is left behind, blocked on the
/// socket, and every message it has not answered for counts as failed; it ends with the
/// process.
pub fn send(messages: Vec<Message>, timeout: Duration) -> Vec<Result<(), NotifyError>> {
    let count = messages.len();
    if count == 0 {
        return Vec::new();
    }
    let deadline = Instant::now() + timeout;
    let (done, outcome) = mpsc::channel();
    let spawned = std::thread::Builder::new().name("settle-notify".into()).spawn(move || {
        let mut missing: Option<NotifyError> = None;
        for m in &messages {
            let result = match &missing {
                Some(e) => Err(e.clone()),
                None => notification(m).show().map(drop).map_err(|e| classify(e.to_string())),
            };
            if let Err(e) = &result
                && e.no_desktop()
            {
                missing = Some(e.clone());
            }
            // The receiver may have given up waiting: nothing left to tell it then.
            if done.send(result).is_err() {
                return;
            }
        }
    });
    if let Err(e) = spawned {
        return vec![Err(NotifyError::Failed(e.to_string())); count];
    }
    let mut results = Vec::with_capacity(count);
    while results.len() < count {
        let left = deadline.saturating_duration_since(Instant::now());
        match outcome.recv_timeout(left) {
            Ok(result) => results.push(result),
            Err(RecvTimeoutError::Timeout) => {
                results.resize(count, Err(NotifyError::Timeout(timeout)));
            }
            Err(RecvTimeoutError::Disconnected) => {
                results.resize(count, Err(NotifyError::Failed("the notification thread stopped".into())));
            }
        }
    }
    results
}

fn classify(why: String) -> NotifyError {
    let why = why.lines().next().unwrap_or_default().trim().to_string();
    if why.contains("ServiceUnknown") || why.contains("Spawn") || why.contains("NameHasNoOwner") {
        NotifyError::NoServer(why)
    } else if why.contains("connect") || why.contains("No such file") || why.contains("Address") {
        NotifyError::NoBus(why)
    } else {
        NotifyError::Failed(why)
    }
}

fn notification(m: &Message) -> notify_rust::Notification {
    let mut n = notify_rust::Notification::new();
    n.appname(APP_NAME).summary(&m.title).body(&escape_markup(&m.body)).timeout(expiry(m.urgency));
    #[cfg(all(unix, not(target_os = "macos")))]
    n.urgency(match m.urgency {
        Urgency::Low => notify_rust::Urgency::Low,
        Urgency::Normal => notify_rust::Urgency::Normal,
        Urgency::Critical => notify_rust::Urgency::Critical,
    });
    n
}

/// Low-urgency notes fade quickly; critical ones stay until dismissed, as the
/// notification spec intends.
fn expiry(urgency: Urgency) -> notify_rust::Timeout {
    match urgency {
        Urgency::Low => notify_rust::Timeout::Milliseconds(15_000),
        Urgency::Normal => notify_rust::Timeout::Milliseconds(60_000),
        Urgency::Critical => notify_rust::Timeout::Never,
    }
}

/// The body may be read as markup by the server: a customer called "Smith & Sons" must not
/// break it.
fn escape_markup(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests;
