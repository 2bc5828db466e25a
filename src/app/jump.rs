//! The jump (`:` or Ctrl-P, from any screen): type part of an invoice number, a customer's
//! name or a payment reference, fuzzy matched (nucleo, as in the Helix editor), best first;
//! Enter opens the invoice's or the customer's screen.
//!
//! Every invoice and customer is read once into [`Targets`] (one lean pass, kept until the
//! book changes): a keystroke matches in memory and never runs SQL. Typing on narrows the
//! last matches instead of scanning the book again.

use std::fmt;
use std::sync::Arc;

use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use ratatui::crossterm::event::KeyEvent;
use ratatui_textarea::TextArea;

use super::cursor::Cursor;
use super::effects::Effect;
use super::keys::{Action, Context, lookup};
use super::screen_data::ScreenData;
use super::{App, Overlay};
use crate::domain::customer::CustomerId;
use crate::domain::invoice::InvoiceId;
use crate::domain::money::{Currency, Money};
use crate::store::{Result, Store};

/// At most this many matches are kept, best first (a screen shows fewer).
pub const MAX_HITS: usize = 100;

/// Where a match leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Invoice(InvoiceId),
    Customer(CustomerId),
}

/// What a match is, as the list says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Open,
    /// Settled: "paid", "credited", "written off"…
    Settled(&'static str),
    Customer,
    Archived,
}

#[derive(Debug, Clone, Copy)]
struct Item {
    /// The haystack in `Targets::text`: the number or name first (`shown` bytes), then the
    /// payment reference if any.
    start: usize,
    len: u32,
    shown: u32,
    id: i64,
    customer: CustomerId,
    open_cents: i64,
    currency: Currency,
    state: State,
}

/// Every invoice and customer, as the jump matches them.
#[derive(Default)]
pub struct Targets {
    text: String,
    items: Vec<Item>,
}

impl fmt::Debug for Targets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Targets({} to jump to)", self.items.len())
    }
}

impl Targets {
    /// Every customer of the book (archived ones marked) and every invoice, with how each
    /// settled invoice was settled.
    pub fn load(store: &Store, book: &ScreenData) -> Result<Targets> {
        let mut t = Targets::default();
        for c in &book.customers {
            let state = if c.customer.archived { State::Archived } else { State::Customer };
            t.push(&c.customer.name, None, c.customer.id.0, c.customer.id, 0, book.currency, state);
        }
        let reduced = store.reduced_otherwise()?;
        let mut currency = (String::new(), book.currency);
        store.each_invoice_brief(|r| {
            if currency.0 != r.currency {
                currency = (r.currency.to_string(), r.currency.parse().unwrap_or(book.currency));
            }
            let state = if r.open_cents > 0 {
                State::Open
            } else {
                State::Settled(reduced.get(&r.id).map_or("paid", |how| how.how()))
            };
            t.push(r.number, r.reference, r.id.0, r.customer, r.open_cents, currency.1, state);
        })?;
        Ok(t)
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        shown: &str,
        reference: Option<&str>,
        id: i64,
        customer: CustomerId,
        open_cents: i64,
        currency: Currency,
        state: State,
    ) {
        let start = self.text.len();
        self.text.push_str(shown);
        if let Some(r) = reference {
            self.text.push(' ');
            self.text.push_str(r);
        }
        let len = u32::try_from(self.text.len() - start).unwrap_or(u32::MAX);
        let shown = u32::try_from(shown.len()).unwrap_or(u32::MAX);
        self.items.push(Item { start, len, shown, id, customer, open_cents, currency, state });
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    fn haystack(&self, i: &Item) -> &str {
        self.text.get(i.start..i.start + i.len as usize).unwrap_or("")
    }

    /// Among equal scores: customers first, then open invoices, then the newest.
    fn rank(&self, at: u32) -> (u8, u8, std::cmp::Reverse<i64>) {
        let i = &self.items[at as usize];
        let kind = u8::from(!matches!(i.state, State::Customer | State::Archived));
        (kind, u8::from(!matches!(i.state, State::Open)), std::cmp::Reverse(i.id))
    }
}

/// One match, ready to draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit<'a> {
    pub target: Target,
    /// The invoice number or the customer's name.
    pub name: &'a str,
    /// The payment reference, if the invoice has one.
    pub reference: Option<&'a str>,
    pub customer: CustomerId,
    pub state: State,
    /// What is open, for an open invoice.
    pub open: Option<Money>,
}

/// The jump overlay: the typed query and its matches.
#[derive(Debug, Clone)]
pub struct JumpView {
    pub input: TextArea<'static>,
    /// None while the targets load.
    targets: Option<Arc<Targets>>,
    /// The query `matched` answers, words joined by one space.
    query: String,
    /// Every target matching `query` (for narrowing as the user types on).
    matched: Vec<u32>,
    /// The best matches, best first: indices into the targets.
    hits: Vec<u32>,
    pub cursor: Cursor,
}

impl JumpView {
    pub fn new(targets: Option<Arc<Targets>>) -> JumpView {
        JumpView {
            input: TextArea::default(),
            targets,
            query: String::new(),
            matched: Vec::new(),
            hits: Vec::new(),
            cursor: Cursor::new(0),
        }
    }

    pub fn loading(&self) -> bool {
        self.targets.is_none()
    }

    /// How many targets match the query (the list shows the best [`MAX_HITS`]).
    pub fn total(&self) -> usize {
        self.matched.len()
    }

    /// How many invoices and customers can be jumped to.
    pub fn reachable(&self) -> usize {
        self.targets.as_ref().map_or(0, |t| t.len())
    }

    pub fn query(&self) -> String {
        self.input.lines().join(" ")
    }

    pub fn hits(&self) -> impl Iterator<Item = Hit<'_>> {
        self.hits.iter().filter_map(|at| self.hit(*at))
    }

    pub fn hit_count(&self) -> usize {
        self.hits.len()
    }

    fn hit(&self, at: u32) -> Option<Hit<'_>> {
        let t = self.targets.as_deref()?;
        let i = t.items.get(at as usize)?;
        let hay = t.haystack(i);
        let name = hay.get(..i.shown as usize).unwrap_or(hay);
        let reference = hay.get(i.shown as usize + 1..).filter(|r| !r.is_empty());
        let target = match i.state {
            State::Customer | State::Archived => Target::Customer(CustomerId(i.id)),
            _ => Target::Invoice(InvoiceId(i.id)),
        };
        let open = (i.state == State::Open).then(|| Money::from_cents(i.open_cents, i.currency));
        Some(Hit { target, name, reference, customer: i.customer, state: i.state, open })
    }

    /// The chosen match.
    pub fn selected(&self) -> Option<Target> {
        self.hits.get(self.cursor.selected()).and_then(|at| self.hit(*at)).map(|h| h.target)
    }

    fn set_targets(&mut self, targets: Arc<Targets>) {
        self.targets = Some(targets);
        self.query.clear();
        self.search();
    }

    /// Matches the typed query: every word must match (fuzzy, case and accents aside), the
    /// scores add up. A query that extends the last one only looks at the last matches.
    pub fn search(&mut self) {
        let Some(t) = self.targets.clone() else { return };
        let text = self.query();
        let words: Vec<&str> = text.split_whitespace().collect();
        let query = words.join(" ");
        let narrow = !self.query.is_empty() && query.starts_with(&self.query);
        self.cursor = Cursor::new(0);
        if words.is_empty() {
            self.query.clear();
            self.matched.clear();
            self.hits.clear();
            return;
        }
        let atoms: Vec<Atom> = words
            .iter()
            .map(|w| Atom::new(w, CaseMatching::Ignore, Normalization::Smart, AtomKind::Fuzzy, false))
            .collect();
        // ASCII words are matched byte by byte first (a subsequence, case aside: what the
        // fuzzy matcher accepts); other text, and the ranking, go through the matcher.
        let ascii: Option<Vec<&[u8]>> =
            words.iter().all(|w| w.is_ascii()).then(|| words.iter().map(|w| w.as_bytes()).collect());
        let mut matcher = Matcher::new(Config::DEFAULT);
        let mut buf = Vec::new();
        let mut score = |at: u32| {
            let hay = Utf32Str::new(t.haystack(&t.items[at as usize]), &mut buf);
            let mut total = 0u32;
            for a in &atoms {
                total += u32::from(a.score(hay, &mut matcher)?);
            }
            Some(total)
        };
        let pool: Vec<u32> = if narrow {
            std::mem::take(&mut self.matched)
        } else {
            (0..u32::try_from(t.items.len()).unwrap_or(u32::MAX)).collect()
        };
        // Each match with how tight it is: the sum of the words' narrowest spans in it (a
        // non-ASCII one, matched by the matcher, counts as tight).
        let mut matched = Vec::new();
        let mut spans: Vec<u32> = Vec::new();
        for at in pool {
            let hay = t.haystack(&t.items[at as usize]);
            let span = match &ascii {
                Some(ws) if hay.is_ascii() => {
                    ws.iter().map(|w| span(w, hay.as_bytes())).sum::<Option<usize>>().map(|s| s as u32)
                }
                _ => score(at).map(|_| 0),
            };
            if let Some(s) = span {
                matched.push(at);
                spans.push(s);
            }
        }
        // Ranked by the matcher's score; when a word or two match too much of the book to
        // score it all, the tightest matches are ranked (the words typed as they stand first).
        let mut shortlist: Vec<(u32, u32)> = spans.into_iter().zip(matched.iter().copied()).collect();
        if shortlist.len() > SCORE_ALL {
            let tight =
                |a: &(u32, u32), b: &(u32, u32)| a.0.cmp(&b.0).then_with(|| t.rank(a.1).cmp(&t.rank(b.1)));
            shortlist.select_nth_unstable_by(SCORE_ALL, tight);
            shortlist.truncate(SCORE_ALL);
        }
        let mut scored: Vec<(u32, u32)> =
            shortlist.into_iter().filter_map(|(_, at)| score(at).map(|s| (s, at))).collect();
        self.matched = matched;
        let best = |a: &(u32, u32), b: &(u32, u32)| b.0.cmp(&a.0).then_with(|| t.rank(a.1).cmp(&t.rank(b.1)));
        if scored.len() > MAX_HITS {
            scored.select_nth_unstable_by(MAX_HITS, best);
            scored.truncate(MAX_HITS);
        }
        scored.sort_unstable_by(best);
        self.hits = scored.into_iter().map(|(_, at)| at).collect();
        self.query = query;
        self.cursor = Cursor::new(self.hits.len());
    }
}

/// At most this many matches are scored and ranked per key (about 2 ms).
const SCORE_ALL: usize = 5_000;

/// If `needle` occurs in `hay` in order (ASCII case aside), the width of a narrow window
/// holding it: the first place it ends, then the last place it starts before that.
fn span(needle: &[u8], hay: &[u8]) -> Option<usize> {
    let Some((first, rest)) = needle.split_first() else { return Some(0) };
    let mut end = hay.iter().position(|h| h.eq_ignore_ascii_case(first))?;
    for n in rest {
        end += 1 + hay.get(end + 1..)?.iter().position(|h| h.eq_ignore_ascii_case(n))?;
    }
    let mut start = end;
    for n in needle.iter().rev().skip(1) {
        start = hay.get(..start)?.iter().rposition(|h| h.eq_ignore_ascii_case(n))?;
    }
    Some(end - start + 1)
}

/// `:` or Ctrl-P: the jump opens at once on targets already read, else it asks for them.
pub fn start(app: &mut App) -> Vec<Effect> {
    app.overlay = Some(Overlay::Jump(Box::new(JumpView::new(app.jump_targets.clone()))));
    if app.jump_targets.is_some() { Vec::new() } else { vec![Effect::LoadJump] }
}

/// The targets were read: kept until the book changes.
pub fn loaded(app: &mut App, targets: Arc<Targets>) -> Vec<Effect> {
    app.jump_targets = Some(targets.clone());
    if let Some(Overlay::Jump(v)) = &mut app.overlay {
        v.set_targets(targets);
    }
    Vec::new()
}

/// A key in the jump: Enter opens, arrows choose, Esc closes, anything else is typed.
pub fn key(app: &mut App, mut view: Box<JumpView>, ev: KeyEvent) -> Vec<Effect> {
    match lookup(Context::Jump, false, false, &ev) {
        Some(Action::Back) => return Vec::new(),
        Some(Action::Open) => {
            return match view.selected() {
                Some(Target::Invoice(id)) => super::update::open_invoice(app, id),
                Some(Target::Customer(id)) => super::update::open_customer(app, id),
                None => {
                    app.overlay = Some(Overlay::Jump(view));
                    Vec::new()
                }
            };
        }
        Some(a @ (Action::Up | Action::Down)) => {
            view.cursor.apply(a);
        }
        _ => {
            if super::form::edit_line(&mut view.input, ev) {
                view.search();
            }
        }
    }
    app.overlay = Some(Overlay::Jump(view));
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(n: u32) -> Arc<Targets> {
        let mut t = Targets::default();
        t.push("Bäckerei Müller", None, 1, CustomerId(1), 0, Currency::default(), State::Customer);
        t.push("Old Client BV", None, 2, CustomerId(2), 0, Currency::default(), State::Archived);
        for i in 1..=n {
            let number = format!("2025-{i:06}");
            let reference = format!("+++000/{:04}/{:05}+++", i / 10_000, i % 100_000);
            let state = if i % 3 == 0 { State::Open } else { State::Settled("paid") };
            t.push(&number, Some(&reference), i64::from(i), CustomerId(1), 100, Currency::default(), state);
        }
        Arc::new(t)
    }

    fn names(v: &JumpView) -> Vec<String> {
        v.hits().map(|h| h.name.to_string()).collect()
    }

    fn typed(t: &Arc<Targets>, text: &str) -> JumpView {
        let mut v = JumpView::new(Some(t.clone()));
        for c in text.chars() {
            v.input.insert_char(c);
            v.search();
        }
        v
    }

    #[test]
    fn a_subsequence_is_matched_case_aside_with_its_narrowest_span() {
        assert_eq!(span(b"bkr", b"Bakker"), Some(6));
        assert_eq!(span(b"", b"x"), Some(0));
        assert_eq!(span(b"rb", b"Bakker"), None);
        assert_eq!(span(b"26117", b"2026-000117"), Some(9));
        assert_eq!(span(b"117", b"2026-000117"), Some(3));
        assert_eq!(span(b"a", b"xxA"), Some(1));
    }

    #[test]
    fn the_best_match_comes_first_even_in_a_big_book() {
        let t = book(60_000);
        // 60,000 invoices match "2025" and more than can be scored: the number typed in full
        // still comes first.
        let v = typed(&t, "2025-042000");
        assert_eq!(names(&v).first().map(String::as_str), Some("2025-042000"));
        let v = typed(&t, "42000");
        assert_eq!(names(&v).first().map(String::as_str), Some("2025-042000"), "{:?}", names(&v));
        assert!(v.total() > v.hit_count());
        assert_eq!(v.hit_count(), MAX_HITS);
        // A fragment with gaps, matched by far more than can be scored.
        let v = typed(&t, "25-42000");
        assert!(v.total() > SCORE_ALL, "{}", v.total());
        assert_eq!(names(&v).first().map(String::as_str), Some("2025-042000"), "{:?}", names(&v));
        // Names: accents and case aside; archived customers too.
        let v = typed(&t, "backerei");
        assert_eq!(names(&v), ["Bäckerei Müller"]);
        let v = typed(&t, "old cli");
        assert_eq!(v.hits().next().map(|h| h.state), Some(State::Archived));
        // A payment reference, by its digits.
        let v = typed(&t, "0004/4200");
        assert!(names(&v).contains(&"2025-042000".to_string()), "{:?}", names(&v));
    }

    #[test]
    fn typing_on_narrows_and_deleting_widens() {
        let t = book(2_000);
        let mut v = typed(&t, "2025-0012");
        let narrow = v.total();
        v.input.delete_char();
        v.search();
        assert!(v.total() > narrow);
        let fresh = typed(&t, "2025-001");
        assert_eq!(v.total(), fresh.total(), "widening scans again");
        assert_eq!(names(&v), names(&fresh));
    }
}
