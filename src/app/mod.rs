//! The app's state and update (the Elm architecture): key presses and loaded data come in as
//! [`Message`]s, [`update`] changes the [`App`] and returns [`Effect`]s (loads and writes) for
//! the runner to perform. Nothing here draws; `ui` draws an `&App`.

pub mod call;
pub mod cursor;
pub mod customers;
pub mod detail;
pub mod effects;
pub mod filter;
pub mod form;
pub mod hint;
pub mod import;
pub mod jump;
pub mod keys;
pub mod letter;
pub mod receivables;
pub mod resources;
pub mod screen_data;
pub mod today;
mod update;

use chrono::NaiveDate;
use ratatui::crossterm::event::KeyEvent;

pub use effects::{Effect, SlowJob, Write, dispatch, dispatch_deferring, perform};
pub use update::update;

use customers::CustomersView;
use detail::{CustomerDetail, InvoiceDetail};
use form::kinds::AppForm;
use keys::{Binding, Context};
use receivables::ReceivablesView;
pub use resources::Resources;
use screen_data::{FIRST_LOOK_FROM, Pending, ScreenData};
use today::TodayView;

use crate::domain::dates::add_days;
use crate::domain::policy::Policy;
use crate::store::{Result, Store};

/// At most this many currencies get a line of figures in the header.
pub const HEADER_CURRENCIES: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Today,
    Receivables,
    Customers,
    Invoice,
}

impl Tab {
    pub const ALL: [Tab; 4] = [Tab::Today, Tab::Receivables, Tab::Customers, Tab::Invoice];

    pub fn title(&self) -> &'static str {
        match self {
            Tab::Today => "Today",
            Tab::Receivables => "Receivables",
            Tab::Customers => "Customers",
            Tab::Invoice => "Invoice",
        }
    }
}

#[derive(Debug)]
pub enum Message {
    Key(KeyEvent),
    /// Text pasted into the terminal (bracketed paste): it goes into the field being typed
    /// in, never taken as keys.
    Paste(String),
    /// The mouse: the wheel scrolls the list, a left click selects a row or a tab.
    Mouse(ratatui::crossterm::event::MouseEvent),
    /// Another process changed the database.
    Changed,
    Loaded(Box<ScreenData>),
    /// The whole book, loaded on another connection after a first look: taken only while
    /// the app still shows that first look (a reload since is newer).
    WholeBook(Box<ScreenData>),
    InvoiceLoaded(Box<InvoiceDetail>),
    CustomerLoaded(Box<CustomerDetail>),
    ForecastLoaded(Box<crate::domain::forecast::Forecast>),
    /// A write finished: what was done, or why it was refused.
    Written(Result<String, hint::Failure>),
    /// An email composed and checked, ready to go (on another thread): nothing written yet.
    EmailReady(Box<letter::Delivery>),
    /// The server accepted the email: now it is recorded.
    EmailDelivered(Box<letter::Delivery>),
    /// The letter for an invoice's step, or why there is none.
    LetterLoaded(Result<Box<letter::LetterView>, hint::Failure>),
    /// The letter's text as it came back from `$EDITOR`, or why the editor failed.
    LetterEdited(Result<String, String>),
    /// The agency dossier was written (where), or why not.
    DossierWritten(Result<String, hint::Failure>),
    Failed(hint::Failure),
    /// Call mode is ready to open on this call.
    CallReady(Box<crate::service::calls::CallSetup>),
    /// A call was saved, or why not.
    CallSaved(std::result::Result<Box<crate::service::calls::CallLogged>, call::CallRefused>),
    /// A text (the confirmation email) was saved to this file, or why not.
    FileSaved(std::result::Result<std::path::PathBuf, String>),
    /// A bank statement was read and matched in a dry run, or why not.
    StatementRead(std::result::Result<Box<import::Review>, hint::Failure>),
    /// Tab in the statement's path: the completed path and the names that fit.
    PathCompleted(String, Vec<String>),
    /// Every invoice and customer the jump can reach, read.
    JumpLoaded(std::sync::Arc<jump::Targets>),
}

/// What covers the screen: the help, the add menu, a form.
#[derive(Debug, Clone)]
pub enum Overlay {
    Help,
    Menu,
    Form(Box<AppForm>),
    /// A letter previewed before it is sent (`l`).
    Letter(Box<letter::LetterView>),
    /// Call mode: the script and the call form.
    Call(Box<call::CallMode>),
    /// The confirmation email after a call.
    Confirm(Box<call::ConfirmView>),
    /// Importing a bank statement (`i`).
    Import(Box<import::ImportView>),
    /// The jump to any invoice or customer (`:`).
    Jump(Box<jump::JumpView>),
    /// A yes/no question before a deletion (`x`).
    Ask(Box<Ask>),
}

/// A question asked before a change that is not taken back by Esc: the change waits for `y`.
#[derive(Debug, Clone)]
pub struct Ask {
    pub question: String,
    pub write: effects::Write,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// Where the user was, for going back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Place {
    tab: Tab,
    detail_open: bool,
}

#[derive(Debug)]
pub struct App {
    pub today: NaiveDate,
    /// The day of the previous run ("passed due since").
    pub since: NaiveDate,
    pub policy: Policy,
    pub book: ScreenData,
    pub tab: Tab,
    pub today_view: TodayView,
    pub receivables: ReceivablesView,
    pub customers: CustomersView,
    pub invoice: Option<InvoiceDetail>,
    pub overlay: Option<Overlay>,
    pub status: Option<Status>,
    pub quit: bool,
    /// Ctrl-Z: the runner suspends the app (the shell's `fg` resumes it) and clears this.
    pub suspend: bool,
    /// `y`: text for the terminal's clipboard; the runner sends it (OSC 52) and clears this.
    pub clipboard: Option<String>,
    /// `e` on a letter: its text for `$EDITOR`; the runner hands the terminal to the editor,
    /// clears this and answers with [`Message::LetterEdited`].
    pub editor: Option<String>,
    /// How far the help is scrolled down (a small screen cannot show it whole).
    pub help_scroll: u16,
    /// The configuration, letter templates and call scripts.
    pub resources: Resources,
    /// What the jump reaches, once read (until the book changes).
    pub jump_targets: Option<std::sync::Arc<jump::Targets>>,
    history: Vec<Place>,
}

impl App {
    /// An app on a loaded book.
    pub fn new(today: NaiveDate, since: NaiveDate, resources: Resources, book: ScreenData) -> App {
        let mut app = App {
            today,
            since,
            policy: resources.config.policy.clone(),
            resources,
            book: ScreenData::default(),
            tab: Tab::Today,
            today_view: TodayView::default(),
            receivables: ReceivablesView::default(),
            customers: CustomersView::default(),
            invoice: None,
            overlay: None,
            status: None,
            quit: false,
            suspend: false,
            clipboard: None,
            editor: None,
            help_scroll: 0,
            jump_targets: None,
            history: Vec::new(),
        };
        app.set_book(book);
        app
    }

    /// Records today's run and loads the book: the app as it opens, on the shipped
    /// configuration, templates and scripts.
    pub fn start(store: &Store, today: NaiveDate) -> anyhow::Result<App> {
        App::start_with(store, today, Resources::shipped()?)
    }

    /// Records today's run and loads the book, with the user's configuration and templates.
    pub fn start_with(store: &Store, today: NaiveDate, resources: Resources) -> anyhow::Result<App> {
        // A read-only book can still be looked at: then "since" is simply yesterday.
        let since = store.record_app_run(today).ok().flatten().unwrap_or_else(|| add_days(today, -1));
        let book = ScreenData::load(store, &resources.config, today, since)?;
        Ok(App::new(today, since, resources, book))
    }

    /// Records today's run and loads what the first frame shows, as soon as possible
    /// ([`ScreenData::load_first`]): the rest comes with [`App::load_the_rest`], or, after a
    /// large book's first look, with the job [`App::whole_book_job`] gives.
    pub fn start_first_frame(store: &Store, today: NaiveDate, resources: Resources) -> anyhow::Result<App> {
        App::start_first_frame_from(store, today, resources, FIRST_LOOK_FROM)
    }

    /// [`App::start_first_frame`], a first look from `first_look_from` open invoices on.
    pub fn start_first_frame_from(
        store: &Store,
        today: NaiveDate,
        resources: Resources,
        first_look_from: i64,
    ) -> anyhow::Result<App> {
        let since = store.record_app_run(today).ok().flatten().unwrap_or_else(|| add_days(today, -1));
        let book = ScreenData::load_first(store, &resources.config, today, since, first_look_from)?;
        Ok(App::new(today, since, resources, book))
    }

    /// The work that loads the whole book after a first look (on its own connection, off
    /// the keyboard's path); its answer is [`Message::WholeBook`]. `None` when the app shows
    /// more than a first look.
    pub fn whole_book_job(&self) -> Option<SlowJob> {
        self.book.is_first_look().then(|| SlowJob::WholeBook {
            today: self.today,
            since: self.since,
            config: Box::new(self.resources.config.clone()),
        })
    }

    /// Loads what only the other tabs show (after the first frame).
    pub fn load_the_rest(&mut self, store: &Store) -> anyhow::Result<()> {
        if self.book.pending() == Pending::Settled {
            self.book.load_the_rest(store, &self.resources.config)?;
            self.today_view.rebuild(&self.book);
            self.receivables.rebuild(&self.book);
            self.customers.rebuild(&self.book);
        }
        Ok(())
    }

    fn set_book(&mut self, book: ScreenData) {
        self.book = book;
        self.today_view.rebuild(&self.book);
        self.receivables.rebuild(&self.book);
        self.customers.rebuild(&self.book);
    }

    /// Where the keyboard is: an overlay, else the screen.
    pub fn context(&self) -> Context {
        match &self.overlay {
            Some(Overlay::Help) => Context::Help,
            Some(Overlay::Menu) => Context::Menu,
            Some(Overlay::Form(f)) => f.context(),
            Some(Overlay::Letter(l)) => l.context(),
            Some(Overlay::Call(c)) => c.context(),
            Some(Overlay::Confirm(_)) => Context::Confirmation,
            Some(Overlay::Import(v)) => v.context(),
            Some(Overlay::Ask(_)) => Context::Ask,
            Some(Overlay::Jump(_)) => Context::Jump,
            None => self.screen_context(),
        }
    }

    /// The screen under any overlay.
    pub fn screen_context(&self) -> Context {
        if self.book.empty {
            return Context::Welcome;
        }
        if self.filter().is_some_and(|f| f.editing) {
            return Context::FilterInput;
        }
        match self.tab {
            Tab::Today => Context::Today,
            Tab::Receivables => Context::Receivables,
            Tab::Customers if self.customer_detail().is_some() => Context::Customer,
            Tab::Customers => Context::Customers,
            Tab::Invoice if self.invoice.is_some() => Context::Invoice,
            Tab::Invoice => Context::NoInvoice,
        }
    }

    /// The filter of the list on screen, if it has one.
    pub fn filter(&self) -> Option<&filter::Filter> {
        match self.tab {
            Tab::Today => Some(&self.today_view.filter),
            Tab::Receivables => Some(&self.receivables.filter),
            Tab::Customers if self.customer_detail().is_none() => Some(&self.customers.filter),
            _ => None,
        }
    }

    /// The customer detail, when it is the screen.
    pub fn customer_detail(&self) -> Option<&CustomerDetail> {
        self.customers.detail.as_ref().filter(|_| self.customers.detail_open)
    }

    /// At the top, `q` quits; deeper down it goes back.
    pub fn is_top(&self) -> bool {
        self.history.is_empty() && self.customer_detail().is_none()
    }

    /// The header's rows: a line of figures per currency (at least one, at most
    /// [`HEADER_CURRENCIES`]), then the tabs.
    pub fn header_rows(&self) -> u16 {
        self.book.ledgers.len().clamp(1, HEADER_CURRENCIES) as u16 + 1
    }

    /// The tabs' titles as the header shows them: the active one marked ("▸2 Receivables"),
    /// the Invoice tab with its number.
    pub fn tab_titles(&self) -> Vec<String> {
        let active = Tab::ALL.iter().position(|t| *t == self.tab).filter(|_| !self.book.empty);
        Tab::ALL
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let extra = match (t, &self.invoice) {
                    (Tab::Invoice, Some(inv)) => format!(" {}", inv.number),
                    _ => String::new(),
                };
                let mark = if Some(i) == active { "▸" } else { "" };
                format!("{mark}{} {}{extra}", i + 1, t.title())
            })
            .collect()
    }

    /// The tab drawn at a screen cell, if any: each title has a space either side and one
    /// between tabs, as the header draws them.
    pub fn tab_at(&self, x: u16, y: u16) -> Option<Tab> {
        if y + 1 != self.header_rows() || self.book.empty {
            return None;
        }
        let mut left = 0usize;
        for (title, tab) in self.tab_titles().iter().zip(Tab::ALL) {
            let right = left + unicode_width::UnicodeWidthStr::width(title.as_str()) + 2;
            if (left..right).contains(&usize::from(x)) {
                return Some(tab);
            }
            left = right + 1;
        }
        None
    }

    /// The key bindings in force, for the footer.
    pub fn bindings(&self) -> Vec<&'static Binding> {
        keys::bindings(self.context(), self.is_top(), self.filter().is_some_and(|f| f.is_active()))
    }

    /// The key bindings of the screen under any overlay, for the help.
    pub fn screen_bindings(&self) -> Vec<&'static Binding> {
        keys::bindings(self.screen_context(), self.is_top(), self.filter().is_some_and(|f| f.is_active()))
    }
}
