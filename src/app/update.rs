//! The update: a message changes the app and may ask for effects.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

use super::effects::{Effect, Write};
use super::filter::Change;
use super::form::Outcome;
use super::form::kinds;
use super::keys::{self, Action, Context};
use super::{App, Message, Overlay, Place, Status, Tab, call};
use crate::domain::customer::CustomerId;
use crate::domain::invoice::InvoiceId;
use crate::store::Entry;

pub fn update(app: &mut App, msg: Message) -> Vec<Effect> {
    let mut fx = handle(app, msg);
    // Receivables on screen without its forecast: ask for it, once per load of the book.
    if app.tab == Tab::Receivables && !app.book.empty && !app.receivables.forecast_asked {
        app.receivables.forecast_asked = true;
        fx.push(Effect::LoadForecast);
    }
    fx
}

fn handle(app: &mut App, msg: Message) -> Vec<Effect> {
    match msg {
        Message::Key(ev) => on_key(app, ev),
        Message::Paste(text) => on_paste(app, &text),
        Message::Mouse(ev) => on_mouse(app, ev),
        Message::Changed => {
            app.status =
                Some(Status { text: "The book changed in another program; reloaded.".into(), error: false });
            vec![Effect::Reload]
        }
        // A reload since the first look is newer than this.
        Message::WholeBook(book) if app.book.is_first_look() => handle(app, Message::Loaded(book)),
        Message::WholeBook(_) => Vec::new(),
        Message::Loaded(book) => {
            app.set_book(*book);
            app.jump_targets = None;
            app.receivables.forecast = None;
            app.receivables.forecast_asked = false;
            let mut fx = Vec::new();
            if let Some(d) = &app.customers.detail {
                fx.push(Effect::LoadCustomer(d.customer.id));
            }
            if let Some(i) = &app.invoice {
                fx.push(Effect::LoadInvoice(i.id));
            }
            fx
        }
        Message::ForecastLoaded(f) => {
            app.receivables.forecast = Some(f);
            Vec::new()
        }
        Message::InvoiceLoaded(d) => {
            let keep =
                app.invoice.as_ref().filter(|i| i.id == d.id).map(|i| (i.cursor.selected(), i.on_timeline));
            let mut d = *d;
            if let Some((at, on_timeline)) = keep {
                d.cursor.select(at);
                d.on_timeline = on_timeline && !d.timeline.is_empty();
            }
            app.invoice = Some(d);
            Vec::new()
        }
        Message::CustomerLoaded(d) => {
            let mut d = *d;
            if let Some(old) = app.customers.detail.as_ref().filter(|c| c.customer.id == d.customer.id) {
                d.keep_selection(old);
            }
            app.customers.detail = Some(d);
            Vec::new()
        }
        Message::Written(Ok(text)) => {
            if matches!(
                app.overlay,
                Some(Overlay::Form(_) | Overlay::Letter(_) | Overlay::Import(_) | Overlay::Confirm(_))
            ) {
                app.overlay = None;
            }
            app.status = Some(Status { text, error: false });
            vec![Effect::Reload]
        }
        Message::EmailReady(d) => {
            app.status = Some(Status { text: super::letter::sending_text(&d), error: false });
            vec![Effect::DeliverEmail(d)]
        }
        Message::EmailDelivered(d) => vec![Effect::RecordEmail(d)],
        Message::Written(Err(e)) => {
            let e = e.text();
            match &mut app.overlay {
                Some(Overlay::Form(f)) => f.error = Some(e),
                Some(Overlay::Letter(l)) => l.error = Some(e),
                Some(Overlay::Import(v)) => match &mut **v {
                    super::import::ImportView::Review(r) => r.error = Some(e),
                    super::import::ImportView::Path(p) => p.error = Some(e),
                },
                _ => app.status = Some(Status { text: e, error: true }),
            }
            Vec::new()
        }
        Message::LetterLoaded(Ok(view)) => {
            app.overlay = Some(Overlay::Letter(view));
            Vec::new()
        }
        Message::LetterLoaded(Err(e)) => {
            let e = e.text();
            match &mut app.overlay {
                // An edit refused: said in the letter still on screen.
                Some(Overlay::Letter(view)) => view.error = Some(e),
                _ => app.status = Some(Status { text: e, error: true }),
            }
            Vec::new()
        }
        Message::LetterEdited(result) => {
            let Some(Overlay::Letter(view)) = &mut app.overlay else { return Vec::new() };
            match result {
                Ok(text) if text == view.letter.text() => {
                    view.error = Some("The letter was not changed.".into())
                }
                Ok(text) => {
                    return vec![Effect::EditedLetter(Box::new(super::letter::EditedLetter {
                        invoice: view.invoice,
                        letter: view.letter.clone(),
                        channel: view.channel,
                        text,
                    }))];
                }
                Err(e) => view.error = Some(e),
            }
            Vec::new()
        }
        Message::DossierWritten(Ok(text)) => {
            app.status = Some(Status { text, error: false });
            Vec::new()
        }
        Message::DossierWritten(Err(e)) => {
            let e = e.text();
            match &mut app.overlay {
                Some(Overlay::Letter(l)) => l.error = Some(e),
                _ => app.status = Some(Status { text: e, error: true }),
            }
            Vec::new()
        }
        Message::Failed(e) => {
            if matches!(&app.overlay, Some(Overlay::Jump(v)) if v.loading()) {
                app.overlay = None;
            }
            app.status = Some(Status { text: e.text(), error: true });
            Vec::new()
        }
        Message::CallReady(setup) => call::ready(app, *setup),
        Message::CallSaved(result) => call::saved(app, result),
        Message::FileSaved(result) => call::file_saved(app, result),
        Message::StatementRead(result) => super::import::read(app, result),
        Message::PathCompleted(path, names) => super::import::completed(app, path, names),
        Message::JumpLoaded(targets) => super::jump::loaded(app, targets),
    }
}

fn say(app: &mut App, text: &str) -> Vec<Effect> {
    app.status = Some(Status { text: text.into(), error: false });
    Vec::new()
}

/// Pasted text goes into the field being typed in, character by character as if typed, on
/// one line; anywhere else it is ignored (a pasted "2a" or "q" is not a command). At most a
/// page of text: a longer paste is cut.
fn on_paste(app: &mut App, text: &str) -> Vec<Effect> {
    const MAX_PASTE: usize = 4096;
    let typing = matches!(
        app.context(),
        Context::FormText
            | Context::FilterInput
            | Context::CallText
            | Context::LetterTracking
            | Context::ImportPath
            | Context::Jump
    );
    if !typing {
        return say(app, "Paste goes into a field: open a form or a filter first.");
    }
    let mut fx = Vec::new();
    let line = text.chars().map(|c| if c == '\n' || c == '\r' || c == '\t' { ' ' } else { c });
    for c in line.filter(|c| !crate::domain::text::is_unsafe(*c)).take(MAX_PASTE) {
        fx.extend(on_key(app, KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
    }
    fx
}

fn on_key(app: &mut App, ev: KeyEvent) -> Vec<Effect> {
    if ev.modifiers.contains(KeyModifiers::CONTROL) && matches!(ev.code, KeyCode::Char('c' | 'C')) {
        app.quit = true;
        return Vec::new();
    }
    app.status = None;
    match app.overlay.take() {
        Some(Overlay::Help) => {
            // As far down as the help has lines; the drawing stops at its last screenful.
            let most = u16::try_from(app.screen_bindings().len() * 2 + 2).unwrap_or(u16::MAX);
            let scroll = &mut app.help_scroll;
            match keys::lookup(Context::Help, false, false, &ev) {
                Some(Action::Back) => return Vec::new(),
                Some(Action::Quit) => app.quit = true,
                Some(Action::Down) => *scroll = scroll.saturating_add(1).min(most),
                Some(Action::Up) => *scroll = scroll.saturating_sub(1),
                Some(Action::PageDown) => *scroll = scroll.saturating_add(10).min(most),
                Some(Action::PageUp) => *scroll = scroll.saturating_sub(10),
                _ => {}
            }
            app.overlay = Some(Overlay::Help);
            return Vec::new();
        }
        Some(Overlay::Menu) => return menu_key(app, ev),
        Some(Overlay::Form(form)) => return form_key(app, form, ev),
        Some(Overlay::Letter(view)) => return super::letter::key(app, view, ev),
        Some(Overlay::Call(mode)) => return call::key(app, mode, ev),
        Some(Overlay::Confirm(view)) => return call::confirm_key(app, view, ev),
        Some(Overlay::Import(view)) => return super::import::key(app, *view, ev),
        Some(Overlay::Ask(ask)) => return ask_key(app, ask, ev),
        Some(Overlay::Jump(view)) => return super::jump::key(app, view, ev),
        None => {}
    }
    let ctx = app.context();
    if ctx == Context::FilterInput {
        return filter_key(app, ev);
    }
    let filtered = app.filter().is_some_and(|f| f.is_active());
    let Some(action) = keys::lookup(ctx, app.is_top(), filtered, &ev) else {
        return Vec::new();
    };
    match action {
        Action::Quit => app.quit = true,
        Action::Back => back(app),
        Action::Tab(t) => {
            app.history.clear();
            app.tab = t;
        }
        Action::Help => {
            app.help_scroll = 0;
            app.overlay = Some(Overlay::Help);
        }
        Action::Add => app.overlay = Some(Overlay::Menu),
        Action::Reload => return vec![Effect::Reload],
        Action::Undo => return vec![Effect::Write(Box::new(Write::Undo))],
        Action::LoadDemo => return vec![Effect::Write(Box::new(Write::Demo))],
        Action::Filter => {
            if let Some(f) = filter_mut(app) {
                f.start();
            }
        }
        Action::Open if app.today_view.selected_group(&app.book).is_some() && ctx == Context::Today => {
            app.today_view.unfold(&app.book);
        }
        Action::Open => return open(app),
        Action::Unfold => {
            app.today_view.unfold(&app.book);
        }
        Action::Fold => {
            app.today_view.fold(&app.book);
        }
        Action::StepDone if ctx == Context::Today => return today_step(app),
        Action::Letter if ctx == Context::Today && app.today_view.selected_group(&app.book).is_some() => {
            return super::letter::request_group(app);
        }
        Action::SortLeft | Action::SortRight | Action::SortFlip if app.tab == Tab::Customers => {
            app.customers.sort(action, &app.book)
        }
        Action::SortLeft | Action::SortRight | Action::SortFlip => app.receivables.sort(action, &app.book),
        Action::Suspend => app.suspend = true,
        Action::NextCurrency => {
            if !app.receivables.next_currency(&app.book) {
                return say(app, &format!("Only {} is open in this book.", app.book.currency));
            }
        }
        Action::StepDone | Action::Payment | Action::Dispute | Action::Reduce => {
            return invoice_action(app, action);
        }
        Action::Jump => return super::jump::start(app),
        Action::Note => return note(app),
        Action::Letter => return super::letter::request(app),
        Action::Waive => return waive(app),
        Action::Call => return call::start(app),
        Action::Import => return super::import::start(app),
        Action::Edit => return edit(app),
        Action::Copy => return copy(app),
        Action::NextPanel => next_panel(app),
        Action::Delete => return delete(app),
        _ => move_cursor(app, action),
    }
    Vec::new()
}

/// Wheel notches move the selection this many rows.
const WHEEL_ROWS: isize = 3;

/// The wheel scrolls the list on screen (or the help); a left click selects the row or the tab
/// under it. Over a form, a letter or call mode the mouse does nothing.
fn on_mouse(app: &mut App, ev: MouseEvent) -> Vec<Effect> {
    let rows = match ev.kind {
        MouseEventKind::ScrollDown => WHEEL_ROWS,
        MouseEventKind::ScrollUp => -WHEEL_ROWS,
        MouseEventKind::Down(MouseButton::Left) => 0,
        _ => return Vec::new(),
    };
    if matches!(app.overlay, Some(Overlay::Help)) {
        let most = u16::try_from(app.screen_bindings().len() * 2 + 2).unwrap_or(u16::MAX);
        app.help_scroll = app.help_scroll.saturating_add_signed(rows as i16).min(most);
        return Vec::new();
    }
    if app.overlay.is_some() || app.book.empty {
        return Vec::new();
    }
    if rows != 0 {
        match app.context() {
            Context::Today => app.today_view.scroll(rows, &app.book),
            Context::Receivables => app.receivables.cursor.scroll(rows),
            Context::Customers => app.customers.cursor.scroll(rows),
            Context::Customer => {
                if let Some(d) = &mut app.customers.detail {
                    d.scroll(rows);
                }
            }
            Context::Invoice => {
                if let Some(i) = &mut app.invoice {
                    i.cursor.scroll(rows);
                }
            }
            _ => {}
        }
        return Vec::new();
    }
    app.status = None;
    if let Some(tab) = app.tab_at(ev.column, ev.row) {
        app.history.clear();
        app.tab = tab;
        return Vec::new();
    }
    let y = ev.row;
    match app.context() {
        Context::Today => {
            if let Some(row) = app.today_view.cursor.row_at(y) {
                app.today_view.click(row, &app.book);
            }
        }
        Context::Receivables => {
            if let Some(row) = app.receivables.cursor.row_at(y) {
                app.receivables.cursor.select(row);
            }
        }
        Context::Customers => {
            if let Some(row) = app.customers.cursor.row_at(y) {
                app.customers.cursor.select(row);
            }
        }
        Context::Customer => {
            if let Some(d) = &mut app.customers.detail {
                d.click(y);
            }
        }
        Context::Invoice => {
            if let Some(i) = &mut app.invoice
                && let Some(row) = i.cursor.row_at(y)
            {
                i.cursor.select(row);
                i.on_timeline = true;
            }
        }
        _ => {}
    }
    Vec::new()
}

/// Tab: from the customer's invoices to its notes and back; from the invoice to its
/// timeline and back. The selection in each panel is kept.
fn next_panel(app: &mut App) {
    match app.context() {
        Context::Customer => {
            if let Some(d) = &mut app.customers.detail {
                d.note_at = match d.note_at {
                    None if !d.notes.is_empty() => Some(0),
                    _ => None,
                };
            }
        }
        Context::Invoice => {
            if let Some(i) = &mut app.invoice {
                i.on_timeline = !i.on_timeline && !i.timeline.is_empty();
            }
        }
        _ => {}
    }
}

fn move_cursor(app: &mut App, action: Action) {
    match app.context() {
        Context::Customer => {
            if let Some(d) = &mut app.customers.detail {
                move_in_customer(d, action);
            }
        }
        Context::Invoice => {
            if let Some(i) = &mut app.invoice {
                move_in_invoice(i, action);
            }
        }
        Context::Today => {
            app.today_view.apply(action, &app.book);
        }
        Context::Receivables => {
            app.receivables.cursor.apply(action);
        }
        Context::Customers => {
            app.customers.cursor.apply(action);
        }

        _ => {}
    }
}

/// On a customer, the selection runs down the open invoices, on into the paid and settled
/// ones, and on into the notes.
fn move_in_customer(d: &mut super::detail::CustomerDetail, action: Action) {
    let notes = d.notes.len();
    let settled = d.settled.len();
    if let Some(n) = d.note_at {
        d.note_at = match action {
            Action::Up if n == 0 => None,
            Action::Home => {
                d.in_settled = d.invoices.is_empty() && settled > 0;
                d.cursor.apply(action);
                d.settled_cursor.apply(action);
                None
            }
            Action::Up => Some(n - 1),
            Action::Down => Some((n + 1).min(notes.saturating_sub(1))),
            Action::End => Some(notes.saturating_sub(1)),
            Action::PageDown => Some((n + 10).min(notes.saturating_sub(1))),
            Action::PageUp => Some(n.saturating_sub(10)),
            _ => Some(n),
        };
        return;
    }
    if d.in_settled {
        let at = d.settled_cursor.selected();
        match action {
            Action::Up if at == 0 && !d.invoices.is_empty() => d.in_settled = false,
            Action::Home => {
                d.in_settled = d.invoices.is_empty();
                d.cursor.apply(action);
                d.settled_cursor.apply(action);
            }
            Action::Down if at + 1 >= settled && notes > 0 => d.note_at = Some(0),
            Action::End if notes > 0 => d.note_at = Some(notes - 1),
            _ => {
                d.settled_cursor.apply(action);
            }
        }
        return;
    }
    let last_invoice = d.cursor.selected() + 1 >= d.cursor.len();
    match action {
        Action::Down if last_invoice && settled > 0 => {
            d.in_settled = true;
            d.settled_cursor.select(0);
        }
        Action::Down if last_invoice && notes > 0 => d.note_at = Some(0),
        Action::End if notes > 0 => d.note_at = Some(notes - 1),
        _ => {
            d.cursor.apply(action);
        }
    }
}

/// On an invoice, the selection starts on the invoice itself; `j` goes down its timeline and
/// `k` from the newest line comes back to the invoice.
fn move_in_invoice(i: &mut super::detail::InvoiceDetail, action: Action) {
    if !i.on_timeline {
        if matches!(action, Action::Down | Action::PageDown | Action::End) && !i.timeline.is_empty() {
            i.on_timeline = true;
            if action != Action::Down {
                i.cursor.apply(action);
            }
        }
        return;
    }
    if matches!(action, Action::Up | Action::Home) && i.cursor.selected() == 0 {
        i.on_timeline = false;
        return;
    }
    i.cursor.apply(action);
}

/// `e`: the form of what is selected, prefilled (a customer, the invoice in view, a line of
/// its timeline, a note).
/// `y`: the text a freelancer pastes elsewhere (a payment reference into a reply, an email
/// address into the mail program), handed to the terminal's clipboard by the runner.
fn copy(app: &mut App) -> Vec<Effect> {
    let (what, text) = match app.context() {
        Context::Customers => match app.customers.selected(&app.book).and_then(|id| app.book.customer(id)) {
            Some(c) => ("email address", c.customer.email.clone()),
            None => return Vec::new(),
        },
        Context::Customer => match app.customer_detail() {
            Some(d) => ("email address", d.customer.email.clone()),
            None => return Vec::new(),
        },
        Context::Invoice => match &app.invoice {
            Some(inv) => match inv.invoice.reference {
                Some(r) => ("payment reference", Some(r.to_string())),
                None => ("invoice number", Some(inv.number.clone())),
            },
            None => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    match text.filter(|t| !t.trim().is_empty()) {
        Some(t) => {
            let said = say(app, &format!("Copied the {what} {t} to the clipboard."));
            app.clipboard = Some(t);
            said
        }
        None => say(app, &format!("No {what} to copy.")),
    }
}

fn edit(app: &mut App) -> Vec<Effect> {
    let form = match app.context() {
        Context::Customers => match app.customers.selected(&app.book).and_then(|id| app.book.customer(id)) {
            Some(c) => kinds::customer_form(Some(&c.customer)),
            None => return Vec::new(),
        },
        Context::Customer => {
            let Some(d) = app.customer_detail() else { return Vec::new() };
            match d.note_at.and_then(|n| Some((*d.note_ids.get(n)?, d.notes.get(n)?))) {
                Some((id, (date, body))) => {
                    kinds::edit_note(id, body, format!("{} · {date}", d.customer.name))
                }
                None => kinds::customer_form(Some(&d.customer)),
            }
        }
        Context::Invoice => {
            let Some(inv) = &app.invoice else { return Vec::new() };
            match inv.selected_entry() {
                None if !inv.on_timeline => {
                    kinds::edit_invoice(&inv.invoice, &inv.customer, inv.pdf.as_deref())
                }
                None => {
                    return say(app, "This line of the timeline is not edited: k goes back to the invoice.");
                }
                Some(Entry::Payment(id)) => match inv.payments.iter().find(|p| p.id == id) {
                    Some(p) => kinds::edit_payment(p, inv.open, inv.issued, app.today),
                    None => return Vec::new(),
                },
                Some(Entry::Note(id)) => match inv.notes.iter().find(|n| n.id == id) {
                    Some(n) => {
                        kinds::edit_note(id, &n.body, format!("{} · invoice {}", inv.customer, inv.number))
                    }
                    None => return Vec::new(),
                },
                Some(Entry::Call(id)) => match inv.calls.iter().find(|c| c.id == id) {
                    Some(c) => kinds::edit_call(c, app.today),
                    None => return Vec::new(),
                },
                Some(Entry::Agreement(id)) => match inv.agreement_rows.iter().find(|a| a.id == id) {
                    Some(a) => kinds::edit_agreement(a, inv.currency),
                    None => return Vec::new(),
                },
                Some(Entry::Step(..)) => {
                    return say(app, "A step is not edited: x deletes it, s records it again with its day.");
                }
            }
        }
        _ => return Vec::new(),
    };
    show_form(app, form);
    Vec::new()
}

/// `x`: asks before deleting what is selected (a note, a line of an invoice's timeline).
fn delete(app: &mut App) -> Vec<Effect> {
    let ask = match app.context() {
        Context::Customer => {
            let Some(d) = app.customer_detail() else { return Vec::new() };
            match d.note_at.and_then(|n| Some((*d.note_ids.get(n)?, d.notes.get(n)?))) {
                Some((id, (date, body))) => super::Ask {
                    question: format!("Delete the note of {date} on {}: \"{body}\"?", d.customer.name),
                    write: Write::Delete { entry: Entry::Note(id), invoice: None },
                },
                None => {
                    return say(
                        app,
                        "Select a note first (j past the invoices); a customer is deleted with `settle customer delete`.",
                    );
                }
            }
        }
        Context::Invoice => {
            let Some(inv) = &app.invoice else { return Vec::new() };
            let line = inv.timeline.get(inv.cursor.selected());
            match (inv.selected_entry(), line) {
                (Some(entry), Some(l)) => {
                    let also = match entry {
                        Entry::Call(id) if inv.agreement_rows.iter().any(|a| a.call == Some(id)) => {
                            ", with the promise or plan it made"
                        }
                        _ => "",
                    };
                    super::Ask {
                        question: format!("Delete \"{} · {} · {}\"{also}?", l.date, l.what, l.detail),
                        write: Write::Delete { entry, invoice: Some(inv.id) },
                    }
                }
                (None, _) if !inv.on_timeline => {
                    return say(
                        app,
                        "Select a line of the timeline first (j); an invoice is deleted with `settle invoice delete`.",
                    );
                }
                _ => return say(app, "This line of the timeline is not deleted on its own."),
            }
        }
        _ => return Vec::new(),
    };
    app.overlay = Some(Overlay::Ask(Box::new(ask)));
    Vec::new()
}

/// The answer to a question: `y` does it, `n` or Esc changes nothing.
fn ask_key(app: &mut App, ask: Box<super::Ask>, ev: KeyEvent) -> Vec<Effect> {
    match keys::lookup(Context::Ask, false, false, &ev) {
        Some(Action::Yes) => vec![Effect::Write(Box::new(ask.write))],
        Some(Action::Back) => say(app, "Nothing was deleted."),
        _ => {
            app.overlay = Some(Overlay::Ask(ask));
            Vec::new()
        }
    }
}

fn filter_mut(app: &mut App) -> Option<&mut super::filter::Filter> {
    match app.tab {
        Tab::Today => Some(&mut app.today_view.filter),
        Tab::Receivables => Some(&mut app.receivables.filter),
        Tab::Customers if app.customer_detail().is_none() => Some(&mut app.customers.filter),
        _ => None,
    }
}

fn rebuild_lists(app: &mut App) {
    app.today_view.rebuild(&app.book);
    app.receivables.rebuild(&app.book);
    app.customers.rebuild(&app.book);
}

fn filter_key(app: &mut App, ev: KeyEvent) -> Vec<Effect> {
    let change = filter_mut(app).map_or(Change::None, |f| f.handle(ev));
    if change != Change::None {
        rebuild_lists(app);
    }
    Vec::new()
}

/// Esc / q: clear a filter, else go back to where the user came from, else close the
/// customer detail.
fn back(app: &mut App) {
    if let Some(f) = filter_mut(app).filter(|f| f.is_active()) {
        f.clear();
        rebuild_lists(app);
    } else if let Some(p) = app.history.pop() {
        app.tab = p.tab;
        app.customers.detail_open = p.detail_open;
    } else {
        app.customers.detail_open = false;
    }
}

fn remember(app: &mut App) {
    app.history.push(Place { tab: app.tab, detail_open: app.customers.detail_open });
}

pub(super) fn open_invoice(app: &mut App, id: InvoiceId) -> Vec<Effect> {
    remember(app);
    app.tab = Tab::Invoice;
    if app.invoice.as_ref().is_some_and(|i| i.id != id) {
        app.invoice = None;
    }
    vec![Effect::LoadInvoice(id)]
}

pub(super) fn open_customer(app: &mut App, id: CustomerId) -> Vec<Effect> {
    remember(app);
    app.tab = Tab::Customers;
    app.customers.detail_open = true;
    app.customers.select(&app.book, id);
    if app.customers.detail.as_ref().is_some_and(|d| d.customer.id != id) {
        app.customers.detail = None;
    }
    vec![Effect::LoadCustomer(id)]
}

fn open(app: &mut App) -> Vec<Effect> {
    let target = match app.context() {
        Context::Today => app.today_view.selected(&app.book).map(|i| Err(i.invoice.id)),
        Context::Receivables => app.receivables.selected(&app.book).map(Ok),
        Context::Customers => app.customers.selected(&app.book).map(Ok),
        Context::Customer => app.customer_detail().and_then(|d| d.selected_invoice()).map(Err),
        _ => None,
    };
    match target {
        Some(Ok(customer)) => open_customer(app, customer),
        Some(Err(invoice)) => open_invoice(app, invoice),
        None => Vec::new(),
    }
}

/// `w`: waive the interest and costs of the claimable line on Today, or of the invoice in
/// view (the form's Save confirms it).
fn waive(app: &mut App) -> Vec<Effect> {
    let target = match app.tab {
        Tab::Today => match app.today_view.selected(&app.book) {
            Some(i) if i.kind == crate::domain::agenda::SectionKind::Claims => Some((
                i.invoice.id,
                app.book.number(i).to_string(),
                app.book.customer_name(i.invoice.customer_id).to_string(),
            )),
            Some(_) => {
                return say(app, "Only a line of interest and costs still claimable can be waived here.");
            }
            None => None,
        },
        Tab::Invoice => app.invoice.as_ref().map(|i| (i.id, i.number.clone(), i.customer.clone())),
        _ => None,
    };
    if let Some((id, number, customer)) = target {
        show_form(app, kinds::waive(id, &number, &customer, app.today));
    }
    Vec::new()
}

/// `s` on Today: the step of the line selected, on its invoice or on each invoice of a
/// customer's group (one form, one change).
fn today_step(app: &mut App) -> Vec<Effect> {
    let Some(line) = app.today_view.selected_line() else { return Vec::new() };
    let items = app.book.items_of(line);
    let Some(first) = items.first() else { return Vec::new() };
    let Some(step) = first.step else {
        return say(app, "No step to record on this line: Enter opens the invoice.");
    };
    let customer = app.book.customer_name(first.invoice.customer_id).to_string();
    let invoices: Vec<(InvoiceId, String)> =
        items.iter().map(|i| (i.invoice.id, app.book.number(i).to_string())).collect();
    let form = match invoices.as_slice() {
        [(id, number)] => kinds::step_on(*id, number, &customer, step, app.today),
        _ => kinds::group_step(invoices, &customer, step, app.today),
    };
    show_form(app, form);
    Vec::new()
}

/// `s`, `p`, `d`, `o` on the Invoice screen.
fn invoice_action(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(inv) = &app.invoice else { return Vec::new() };
    let form = match action {
        Action::StepDone => match (inv.current_step, &inv.waiting) {
            (Some(step), _) => kinds::step(inv, step, app.today),
            (None, Some(why)) => {
                let text =
                    format!("No step is due: {why}. Record an earlier letter with `settle step record`.");
                return say(app, &text);
            }
            (None, None) if inv.open.is_zero() => {
                return say(app, "This invoice is settled: no step to record.");
            }
            (None, None) => return say(app, "Every step of the ladder has been taken."),
        },
        Action::Payment if inv.open.is_zero() => return say(app, "This invoice is paid in full."),
        Action::Payment => kinds::payment(inv, app.today),
        Action::Reduce if inv.open.is_zero() => {
            return say(app, "This invoice is settled: nothing open to write off or credit.");
        }
        Action::Reduce => kinds::reduce(inv, app.today),
        _ if inv.open.is_zero() && !inv.disputed => {
            return say(app, "This invoice is settled: nothing to dispute.");
        }
        _ => kinds::dispute(inv, app.today),
    };
    show_form(app, form);
    Vec::new()
}

/// The customer (and invoice) a note or a new invoice is about, from what is on screen.
struct InView {
    customer: CustomerId,
    name: String,
    invoice: Option<(InvoiceId, String)>,
}

fn in_view(app: &App) -> Option<InView> {
    let customer = |c: CustomerId| InView {
        customer: c,
        name: app.book.customer(c).map(|l| l.customer.name.clone()).unwrap_or_default(),
        invoice: None,
    };
    match app.tab {
        Tab::Invoice => app.invoice.as_ref().map(|i| InView {
            customer: i.customer_id,
            name: i.customer.clone(),
            invoice: Some((i.id, i.number.clone())),
        }),
        // On a customer's group, the customer.
        Tab::Today => app.today_view.selected(&app.book).map(|i| InView {
            customer: i.invoice.customer_id,
            name: app.book.customer_name(i.invoice.customer_id).to_string(),
            invoice: app
                .today_view
                .selected_group(&app.book)
                .is_none()
                .then(|| (i.invoice.id, app.book.number(i).to_string())),
        }),
        Tab::Receivables => app.receivables.selected(&app.book).map(customer),
        Tab::Customers => app.customers.in_view(&app.book).map(customer),
    }
}

fn note(app: &mut App) -> Vec<Effect> {
    match in_view(app) {
        Some(v) => {
            let form = kinds::note(v.customer, v.invoice.as_ref().map(|(id, n)| (*id, n.as_str())), &v.name);
            show_form(app, form);
            Vec::new()
        }
        None => say(app, "Select a customer or an invoice first."),
    }
}

fn menu_key(app: &mut App, ev: KeyEvent) -> Vec<Effect> {
    match keys::lookup(Context::Menu, false, false, &ev) {
        Some(Action::AddCustomer) => show_form(app, kinds::customer()),
        Some(Action::AddInvoice) => {
            let customer = in_view(app).map(|v| v.name);
            show_form(app, kinds::invoice(customer.as_deref(), app.book.currency));
        }
        Some(Action::Payment) if app.tab == Tab::Invoice && app.invoice.is_some() => {
            return invoice_action(app, Action::Payment);
        }
        Some(Action::Payment) => return say(app, "Open an invoice first (Enter), then press p."),
        Some(Action::Note) => return note(app),
        Some(Action::Back) => {}
        _ => app.overlay = Some(Overlay::Menu),
    }
    Vec::new()
}

fn show_form(app: &mut App, mut form: kinds::AppForm) {
    form.check_all(app.today, &app.book);
    kinds::check_form(&mut form, app.today, &app.book);
    app.overlay = Some(Overlay::Form(Box::new(form)));
}

fn form_key(app: &mut App, mut form: Box<kinds::AppForm>, ev: KeyEvent) -> Vec<Effect> {
    let outcome = form.handle(ev, app.today, &app.book);
    kinds::check_form(&mut form, app.today, &app.book);
    let mut fx = Vec::new();
    match outcome {
        Outcome::Cancel => return fx,
        Outcome::Stay => {}
        Outcome::Submit if !form.is_valid() => {
            form.focus = form.fields.iter().position(|f| f.error.is_some()).unwrap_or(form.focus);
            form.error = Some("Fix the field marked in red; nothing was saved.".into());
        }
        Outcome::Submit => match kinds::to_write(&form, app.today, &app.book) {
            Some(w) => fx.push(Effect::Write(Box::new(w))),
            None => form.error = Some("A field is not valid; nothing was saved.".into()),
        },
    }
    app.overlay = Some(Overlay::Form(form));
    fx
}
