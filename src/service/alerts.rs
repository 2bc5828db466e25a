//! The alerts `settle check` tells: the alert rules on the open invoices, each standing where
//! the ladder's one answer puts it.

use chrono::NaiveDate;

use super::LadderBook;
use crate::config::Config;
use crate::domain::alerts::{Alert, AlertRules, evaluate};
use crate::store::{Result, Store};

/// Every alert as of `today`, told or not, most urgent first.
pub fn alerts(store: &Store, config: &Config, today: NaiveDate) -> Result<Vec<Alert>> {
    let rules = AlertRules {
        nudge_window_days: config.notify.due_soon_days,
        grace_days: config.agreements.grace_days,
    };
    let book = LadderBook::load(store, config, today)?;
    let facts = store.alert_facts(today, &|id, customer, due| book.standing(config, id, customer, due))?;
    Ok(evaluate(&facts, &rules, today))
}
