//! The key map: one table per context. The update looks keys up here, and the footer and
//! the help screen are generated from the same tables, so no key is ever described twice.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::Tab;
use crate::domain::call::CallOutcome;

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Back,
    Tab(Tab),
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    Open,
    Filter,
    Help,
    Add,
    Reload,
    Undo,
    SortLeft,
    SortRight,
    SortFlip,
    StepDone,
    Payment,
    Note,
    Dispute,
    LoadDemo,
    /// The letter for the invoice's step (`l`).
    Letter,
    /// Waive the interest and costs still claimable (`w`).
    Waive,
    /// Write off or credit part or all of an invoice (`o`).
    Reduce,
    /// The jump to any invoice or customer (`:`, Ctrl-P).
    Jump,
    // In the letter overlay.
    SaveLetter,
    MarkSent,
    EmailLetter,
    ExportDossier,
    // In the add menu.
    AddCustomer,
    AddInvoice,
    // In forms.
    NextField,
    PrevField,
    NextOrSave,
    Save,
    ChoiceNext,
    ChoicePrev,
    // In the filter line.
    Apply,
    // Call mode.
    Call,
    ToggleReached,
    SetReached(bool),
    Outcome(CallOutcome),
    SaveFile,
    // Importing a bank statement.
    Import,
    /// Assign the selected line to its n-th candidate (0-based).
    Assign(usize),
    SetAside,
    Skip,
    /// Receivables: show the next currency.
    NextCurrency,
    /// Ctrl-Z: suspend to the shell.
    Suspend,
    /// Today: show a customer's group's invoices (→) or fold them back (←).
    Unfold,
    Fold,
    /// Correct what is selected (`e`): the form of `a`, prefilled.
    Edit,
    /// Copy the selected payment reference or email to the clipboard (`y`).
    Copy,
    /// Tab: the selection goes to the screen's other panel.
    NextPanel,
    /// Delete what is selected (`x`), once confirmed.
    Delete,
    /// The answer to a question: yes.
    Yes,
}

/// A key, with or without Ctrl.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

const fn ch(c: char) -> Key {
    Key { code: KeyCode::Char(c), ctrl: false }
}

const fn code(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

const fn ctrl(c: char) -> Key {
    Key { code: KeyCode::Char(c), ctrl: true }
}

impl Key {
    pub fn matches(&self, ev: &KeyEvent) -> bool {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let same_code = match (self.code, ev.code) {
            // Terminals report Shift-Tab as BackTab.
            (KeyCode::BackTab, KeyCode::BackTab) => true,
            // Ctrl-R arrives as 'r' or 'R'; a plain letter is exactly itself (g ≠ G).
            (KeyCode::Char(a), KeyCode::Char(b)) => a == b || (ctrl && a == b.to_ascii_lowercase()),
            (a, b) => a == b,
        };
        same_code && ctrl == self.ctrl
    }

    /// How the key is written in the footer and the help.
    pub fn name(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            other => format!("{other:?}"),
        };
        if self.ctrl { format!("Ctrl-{}", base.to_uppercase()) } else { base }
    }
}

/// A group of keys described together: "j/k move".
#[derive(Debug)]
pub struct Binding {
    pub keys: &'static [(Key, Action)],
    /// The word in the footer.
    pub hint: &'static str,
    /// The line in the help.
    pub help: &'static str,
    pub in_footer: bool,
}

impl Binding {
    /// "j/k": the first two keys, for the footer.
    pub fn short_keys(&self) -> String {
        self.keys.iter().take(2).map(|(k, _)| k.name()).collect::<Vec<_>>().join("/")
    }

    /// "j k ↓ ↑": every key, for the help.
    pub fn all_keys(&self) -> String {
        self.keys.iter().map(|(k, _)| k.name()).collect::<Vec<_>>().join(" ")
    }
}

use Action as A;

macro_rules! binding {
    ($name:ident, [$(($key:expr, $action:expr)),+], $hint:literal, $help:literal, $footer:literal) => {
        pub static $name: Binding =
            Binding { keys: &[$(($key, $action)),+], hint: $hint, help: $help, in_footer: $footer };
    };
}

binding!(
    MOVE,
    [(ch('j'), A::Down), (ch('k'), A::Up), (code(KeyCode::Down), A::Down), (code(KeyCode::Up), A::Up)],
    "move",
    "Move down / up",
    true
);
binding!(
    PAGE,
    [
        (code(KeyCode::PageDown), A::PageDown),
        (code(KeyCode::PageUp), A::PageUp),
        (code(KeyCode::Home), A::Home),
        (code(KeyCode::End), A::End),
        (ch('g'), A::Home),
        (ch('G'), A::End)
    ],
    "page",
    "Page down / up, go to the first / last line",
    false
);
binding!(OPEN_INVOICE, [(code(KeyCode::Enter), A::Open)], "open", "Open the selected invoice", true);
binding!(
    OPEN_TODAY,
    [(code(KeyCode::Enter), A::Open)],
    "open",
    "Open the invoice; on a customer's line, show its invoices",
    true
);
binding!(
    FOLD,
    [(code(KeyCode::Right), A::Unfold), (code(KeyCode::Left), A::Fold)],
    "unfold/fold",
    "Show a customer's invoices under its line / fold them back",
    true
);
binding!(
    STEP_TODAY,
    [(ch('s'), A::StepDone)],
    "step done",
    "Step done (asks the channel); on a customer's line, on each of its invoices",
    false
);
binding!(OPEN_CUSTOMER, [(code(KeyCode::Enter), A::Open)], "open", "Open the selected customer", true);
binding!(FILTER, [(ch('/'), A::Filter)], "filter", "Filter the list (Esc clears the filter)", true);
binding!(
    SORT,
    [(ch('<'), A::SortLeft), (ch('>'), A::SortRight), (ch('s'), A::SortFlip)],
    "sort",
    "Sort by the column to the left / right; s reverses the order",
    true
);
binding!(
    CURRENCY,
    [(ch('$'), A::NextCurrency)],
    "currency",
    "Show the next currency (a book can hold several)",
    false
);
binding!(ADD, [(ch('a'), A::Add)], "add", "Add a customer, an invoice, a payment or a note", true);
binding!(
    STEP,
    [(ch('s'), A::StepDone)],
    "step done",
    "Record the current step as done (asks the channel)",
    true
);
binding!(PAYMENT, [(ch('p'), A::Payment)], "payment", "Record a payment", true);
binding!(NOTE, [(ch('n'), A::Note)], "note", "Add a relationship note", true);
binding!(DISPUTE, [(ch('d'), A::Dispute)], "dispute", "Open or resolve a dispute", true);
binding!(DEMO, [(ch('d'), A::LoadDemo)], "demo data", "Load a demo book (40 customers, 400 invoices)", true);
binding!(HELP, [(ch('?'), A::Help)], "help", "Show every key of this screen", true);
binding!(
    TABS,
    [
        (ch('1'), A::Tab(Tab::Today)),
        (ch('2'), A::Tab(Tab::Receivables)),
        (ch('3'), A::Tab(Tab::Customers)),
        (ch('4'), A::Tab(Tab::Invoice))
    ],
    "tabs",
    "Go to Today, Receivables, Customers, Invoice",
    false
);
binding!(EDIT_CUSTOMER, [(ch('e'), A::Edit)], "edit", "Edit the selected customer", false);
binding!(COPY_EMAIL, [(ch('y'), A::Copy)], "copy", "Copy the email address to the clipboard", false);
binding!(
    PANEL_CUSTOMER,
    [(code(KeyCode::Tab), A::NextPanel), (code(KeyCode::BackTab), A::NextPanel)],
    "panel",
    "Move between the invoices and the notes",
    false
);
binding!(
    PANEL_INVOICE,
    [(code(KeyCode::Tab), A::NextPanel), (code(KeyCode::BackTab), A::NextPanel)],
    "panel",
    "Move between the invoice and its timeline",
    false
);
binding!(COPY_REFERENCE, [(ch('y'), A::Copy)], "copy", "Copy the payment reference to the clipboard", false);
binding!(
    EDIT_IN_CUSTOMER,
    [(ch('e'), A::Edit)],
    "edit",
    "Edit the customer, or the note selected (j past invoices)",
    false
);
binding!(
    EDIT_IN_INVOICE,
    [(ch('e'), A::Edit)],
    "edit",
    "Edit the invoice, or the timeline line selected (j)",
    false
);
binding!(DELETE_NOTE, [(ch('x'), A::Delete)], "delete", "Delete the note selected (asks first)", false);
binding!(
    DELETE_ENTRY,
    [(ch('x'), A::Delete)],
    "delete",
    "Delete the timeline line selected (asks first)",
    false
);
binding!(ASK_YES, [(ch('y'), A::Yes)], "yes", "Yes: do it (u undoes it)", true);
binding!(ASK_NO, [(ch('n'), A::Back), (code(KeyCode::Esc), A::Back)], "no", "No: change nothing", true);
binding!(RELOAD, [(ctrl('r'), A::Reload)], "reload", "Reload from the database", false);
// One meaning per key, everywhere: q quits, Esc goes back (as in lazygit).
binding!(UNDO, [(ch('u'), A::Undo)], "undo", "Undo the last change (`settle log` lists them)", false);
binding!(QUIT, [(ch('q'), A::Quit)], "quit", "Quit settle", true);
binding!(BACK, [(code(KeyCode::Esc), A::Back)], "back", "Go back", true);
binding!(CTRL_C, [(ctrl('c'), A::Quit)], "quit", "Quit settle at once", false);
binding!(SUSPEND, [(ctrl('z'), A::Suspend)], "suspend", "Suspend to the shell (fg comes back)", false);
binding!(CLEAR_FILTER, [(code(KeyCode::Esc), A::Back)], "clear filter", "Clear the filter", true);
binding!(CLOSE, [(code(KeyCode::Esc), A::Back), (ch('?'), A::Back)], "close", "Close the help", true);
binding!(
    HELP_SCROLL,
    [
        (ch('j'), A::Down),
        (ch('k'), A::Up),
        (code(KeyCode::Down), A::Down),
        (code(KeyCode::Up), A::Up),
        (code(KeyCode::PageDown), A::PageDown),
        (code(KeyCode::PageUp), A::PageUp)
    ],
    "scroll",
    "Scroll the help (on a small screen)",
    true
);

binding!(MENU_CUSTOMER, [(ch('c'), A::AddCustomer)], "customer", "Add a customer", true);
binding!(MENU_INVOICE, [(ch('i'), A::AddInvoice)], "invoice", "Add an invoice", true);
binding!(MENU_PAYMENT, [(ch('p'), A::Payment)], "payment", "Record a payment on the invoice in view", true);
binding!(MENU_NOTE, [(ch('n'), A::Note)], "note", "Add a note on the customer in view", true);
binding!(CANCEL, [(code(KeyCode::Esc), A::Back)], "cancel", "Cancel", true);

binding!(
    FORM_NEXT,
    [(code(KeyCode::Enter), A::NextOrSave)],
    "next/save",
    "Next field; saves on the last one",
    true
);
binding!(
    FORM_FIELDS,
    [
        (code(KeyCode::Tab), A::NextField),
        (code(KeyCode::BackTab), A::PrevField),
        (code(KeyCode::Down), A::NextField),
        (code(KeyCode::Up), A::PrevField)
    ],
    "field",
    "Next / previous field",
    true
);
binding!(FORM_SAVE, [(ctrl('s'), A::Save)], "save", "Save now", true);
binding!(
    FORM_CHOICE,
    [(code(KeyCode::Right), A::ChoiceNext), (code(KeyCode::Left), A::ChoicePrev), (ch(' '), A::ChoiceNext)],
    "choose",
    "Next / previous choice",
    true
);
binding!(
    FORM_EDIT,
    [(ctrl('a'), A::Home), (ctrl('e'), A::End)],
    "edit",
    "Start / end of the field (and the usual readline keys: Ctrl-W, Ctrl-U…)",
    false
);

binding!(
    FILTER_APPLY,
    [(code(KeyCode::Enter), A::Apply)],
    "keep",
    "Keep the filter and go back to the list",
    true
);

binding!(LETTER, [(ch('l'), A::Letter)], "letter", "The letter for the step: preview, save, mark sent", true);
binding!(
    LETTER_TODAY,
    [(ch('l'), A::Letter)],
    "letter",
    "The letter for the step; on a customer's line, one letter for all its invoices",
    true
);
binding!(WAIVE, [(ch('w'), A::Waive)], "waive", "Waive the claimable interest and costs", false);
binding!(
    REDUCE,
    [(ch('o'), A::Reduce)],
    "write off",
    "Write off or credit what is open (how much, why)",
    false
);
binding!(
    JUMP,
    [(ch(':'), A::Jump), (ctrl('p'), A::Jump)],
    "jump",
    "Jump to any invoice or customer by number or name",
    false
);
binding!(JUMP_OPEN, [(code(KeyCode::Enter), A::Open)], "open", "Open the chosen invoice or customer", true);
binding!(
    JUMP_MOVE,
    [(code(KeyCode::Down), A::Down), (code(KeyCode::Up), A::Up)],
    "choose",
    "Choose among the matches, best first",
    true
);
binding!(JUMP_CLOSE, [(code(KeyCode::Esc), A::Back)], "close", "Close the jump; stay where you were", true);
binding!(
    LETTER_SAVE,
    [(ch('s'), A::SaveLetter)],
    "save+mark",
    "Save the letter beside the book and record the step as sent today",
    true
);
binding!(
    LETTER_MARK,
    [(ch('m'), A::MarkSent)],
    "mark sent",
    "Record the step as sent today without saving a file",
    true
);
binding!(
    LETTER_EMAIL,
    [(ch('E'), A::EmailLetter)],
    "email",
    "Send the letter to the customer's email over [smtp] and record the step as sent today",
    true
);
binding!(
    LETTER_EDIT,
    [(ch('e'), A::Edit)],
    "edit",
    "Edit the letter in $VISUAL or $EDITOR before it is saved",
    true
);
binding!(
    LETTER_DOSSIER,
    [(ch('x'), A::ExportDossier)],
    "dossier",
    "Export the agency dossier (JSON and text) beside the book",
    true
);
binding!(
    LETTER_SCROLL,
    [
        (code(KeyCode::Down), A::Down),
        (code(KeyCode::Up), A::Up),
        (ch('j'), A::Down),
        (ch('k'), A::Up),
        (code(KeyCode::PageDown), A::PageDown),
        (code(KeyCode::PageUp), A::PageUp),
        (code(KeyCode::Home), A::Home),
        (code(KeyCode::End), A::End)
    ],
    "scroll",
    "Scroll the letter (line, page, top, end)",
    true
);
binding!(
    LETTER_CLOSE,
    [(code(KeyCode::Esc), A::Back)],
    "close",
    "Close the letter; nothing is written",
    true
);
binding!(
    TRACKING_APPLY,
    [(code(KeyCode::Enter), A::Apply)],
    "record",
    "Record the formal notice with this registered-mail tracking number",
    true
);
binding!(
    TRACKING_CANCEL,
    [(code(KeyCode::Esc), A::Back)],
    "back",
    "Back to the letter; nothing is written",
    true
);

// Call mode: `c` opens it; in it, one key per outcome, Space or y/n for "reached".
binding!(CALL, [(ch('c'), A::Call)], "call", "Call mode: the call script and the call form", true);
binding!(
    OUTCOME_PROMISE,
    [(ch('p'), A::Outcome(CallOutcome::Promise))],
    "promise",
    "Outcome: promise to pay",
    true
);
binding!(OUTCOME_PLAN, [(ch('l'), A::Outcome(CallOutcome::Plan))], "plan", "Outcome: instalment plan", true);
binding!(OUTCOME_DISPUTE, [(ch('d'), A::Outcome(CallOutcome::Dispute))], "dispute", "Outcome: dispute", true);
binding!(
    OUTCOME_PAID,
    [(ch('a'), A::Outcome(CallOutcome::AlreadyPaid))],
    "paid",
    "Outcome: says already paid",
    true
);
binding!(
    OUTCOME_CALLBACK,
    [(ch('b'), A::Outcome(CallOutcome::Callback))],
    "call back",
    "Outcome: call back",
    true
);
binding!(
    OUTCOME_NO_ANSWER,
    [(ch('n'), A::Outcome(CallOutcome::NoAnswer))],
    "no answer",
    "Outcome: no answer",
    true
);
binding!(OUTCOME_REFUSED, [(ch('r'), A::Outcome(CallOutcome::Refused))], "refused", "Outcome: refused", true);
/// The outcome keys, in the order of the form.
pub const OUTCOMES: [&Binding; 7] = [
    &OUTCOME_PROMISE,
    &OUTCOME_PLAN,
    &OUTCOME_DISPUTE,
    &OUTCOME_PAID,
    &OUTCOME_CALLBACK,
    &OUTCOME_NO_ANSWER,
    &OUTCOME_REFUSED,
];
binding!(
    REACHED,
    [(ch(' '), A::ToggleReached), (ch('y'), A::SetReached(true)), (ch('n'), A::SetReached(false))],
    "reached?",
    "Reached or not: Space toggles, y yes, n no",
    true
);
binding!(
    SCRIPT_SCROLL,
    [(code(KeyCode::PageDown), A::PageDown), (code(KeyCode::PageUp), A::PageUp)],
    "script",
    "Scroll the call script down / up",
    true
);
binding!(CALL_CANCEL, [(code(KeyCode::Esc), A::Back)], "cancel", "Cancel the call: nothing is saved", true);
binding!(SAVE_FILE, [(ch('s'), A::SaveFile)], "save to file", "Save the email to a private file", true);
binding!(
    MAIL_EMAIL,
    [(ch('E'), A::EmailLetter)],
    "email",
    "Send the confirmation to the customer's email over [smtp]; it is kept on the timeline",
    true
);
binding!(
    CLOSE_MAIL,
    [(code(KeyCode::Esc), A::Back), (ch('q'), A::Back)],
    "close",
    "Close the confirmation email",
    true
);
binding!(
    MAIL_SCROLL,
    [(code(KeyCode::PageDown), A::PageDown), (code(KeyCode::PageUp), A::PageUp)],
    "scroll",
    "Scroll the email down / up",
    false
);

// Importing a bank statement: `i` on Today and Receivables.
binding!(
    IMPORT,
    [(ch('i'), A::Import)],
    "import",
    "Import a bank statement: a dry run first, then confirm",
    true
);
binding!(
    IMPORT_READ,
    [(code(KeyCode::Enter), A::Apply)],
    "read",
    "Read the file and show what it would record",
    true
);
binding!(IMPORT_COMPLETE, [(code(KeyCode::Tab), A::NextField)], "complete", "Complete the path", true);
binding!(IMPORT_CANCEL, [(code(KeyCode::Esc), A::Back)], "cancel", "Close; nothing is written", true);
binding!(
    IMPORT_MOVE,
    [(ch('j'), A::Down), (ch('k'), A::Up), (code(KeyCode::Down), A::Down), (code(KeyCode::Up), A::Up)],
    "move",
    "Move between the lines that matched nothing",
    true
);
binding!(
    IMPORT_ASSIGN,
    [(ch('1'), A::Assign(0)), (ch('2'), A::Assign(1)), (ch('3'), A::Assign(2))],
    "assign",
    "Record the line on its first, second or third candidate",
    true
);
binding!(
    IMPORT_SKIP,
    [(ch('s'), A::Skip)],
    "skip",
    "Leave the line for later (it is proposed again next time)",
    true
);
binding!(
    IMPORT_ASIDE,
    [(ch('x'), A::SetAside)],
    "set aside",
    "Not a customer's payment: remember the line and never propose it again",
    true
);
binding!(
    IMPORT_CONFIRM,
    [(code(KeyCode::Enter), A::Save)],
    "write all",
    "Record every matched and assigned line, in one transaction",
    true
);

/// The call-mode contexts' bindings (`None` for other contexts).
fn call_bindings(ctx: Context) -> Option<Vec<&'static Binding>> {
    let common: [&'static Binding; 5] = [&FORM_SAVE, &CALL_CANCEL, &FORM_NEXT, &FORM_FIELDS, &SCRIPT_SCROLL];
    Some(match ctx {
        Context::CallText => common.into_iter().chain([&CTRL_C]).collect(),
        Context::CallReached => [&REACHED].into_iter().chain(common).chain([&CTRL_C]).collect(),
        Context::CallOutcome => OUTCOMES.into_iter().chain(common).chain([&CTRL_C]).collect(),
        Context::Confirmation => vec![&SAVE_FILE, &MAIL_EMAIL, &CLOSE_MAIL, &MAIL_SCROLL, &CTRL_C],
        _ => return None,
    })
}

/// Where the keyboard is: each context has its own table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Welcome,
    Today,
    Receivables,
    Customers,
    Customer,
    Invoice,
    NoInvoice,
    Help,
    Menu,
    FormText,
    FormChoice,
    FilterInput,
    /// The letter overlay.
    Letter,
    /// The letter overlay, on the agency's cover letter (the dossier goes with it).
    AgencyLetter,
    /// Typing a formal notice's registered-mail tracking number.
    LetterTracking,
    /// Call mode, on a text field.
    CallText,
    /// Call mode, on "reached".
    CallReached,
    /// Call mode, on the outcome.
    CallOutcome,
    /// The confirmation email after a call.
    Confirmation,
    /// Typing the path of a bank statement.
    ImportPath,
    /// The dry run of a bank statement.
    ImportReview,
    /// A yes/no question before a deletion.
    Ask,
    /// The jump to an invoice or a customer (`:`).
    Jump,
}

impl Context {
    /// Every context, in the order above.
    pub const ALL: [Context; 23] = [
        Context::Welcome,
        Context::Today,
        Context::Receivables,
        Context::Customers,
        Context::Customer,
        Context::Invoice,
        Context::NoInvoice,
        Context::Help,
        Context::Menu,
        Context::FormText,
        Context::FormChoice,
        Context::FilterInput,
        Context::Letter,
        Context::AgencyLetter,
        Context::LetterTracking,
        Context::CallText,
        Context::CallReached,
        Context::CallOutcome,
        Context::Confirmation,
        Context::ImportPath,
        Context::ImportReview,
        Context::Ask,
        Context::Jump,
    ];
}

/// The bindings of a context, in footer order. `top`: nothing to go back to (Esc has no
/// meaning); `filtered`: Esc clears a filter. q quits wherever no text is being typed.
pub fn bindings(ctx: Context, top: bool, filtered: bool) -> Vec<&'static Binding> {
    if let Some(v) = call_bindings(ctx) {
        return v;
    }
    let leave = if top { &QUIT } else { &BACK };
    let mut v: Vec<&'static Binding> = match ctx {
        Context::Welcome => vec![&DEMO, &ADD, &HELP, leave],
        Context::Today => {
            vec![
                &MOVE,
                &OPEN_TODAY,
                &FILTER,
                &ADD,
                &HELP,
                leave,
                &FOLD,
                &STEP_TODAY,
                &PAGE,
                &TABS,
                &RELOAD,
                &UNDO,
            ]
        }
        Context::Receivables => {
            vec![&MOVE, &OPEN_CUSTOMER, &SORT, &FILTER, &ADD, &HELP, leave, &PAGE, &TABS, &RELOAD, &UNDO]
        }
        Context::Customers => {
            vec![
                &MOVE,
                &OPEN_CUSTOMER,
                &FILTER,
                &ADD,
                &HELP,
                leave,
                &PAGE,
                &TABS,
                &RELOAD,
                &UNDO,
                &EDIT_CUSTOMER,
                &COPY_EMAIL,
            ]
        }
        Context::Customer => {
            vec![
                &MOVE,
                &OPEN_INVOICE,
                &NOTE,
                &ADD,
                &HELP,
                leave,
                &PAGE,
                &TABS,
                &RELOAD,
                &UNDO,
                &EDIT_IN_CUSTOMER,
                &DELETE_NOTE,
                &COPY_EMAIL,
                &PANEL_CUSTOMER,
            ]
        }
        Context::Invoice => {
            vec![
                &STEP,
                &PAYMENT,
                &NOTE,
                &DISPUTE,
                &ADD,
                &HELP,
                leave,
                &MOVE,
                &PAGE,
                &TABS,
                &RELOAD,
                &UNDO,
                &EDIT_IN_INVOICE,
                &DELETE_ENTRY,
                &COPY_REFERENCE,
                &PANEL_INVOICE,
            ]
        }
        Context::Ask => return vec![&ASK_YES, &ASK_NO, &CTRL_C],
        Context::NoInvoice => vec![&ADD, &HELP, leave, &TABS],
        Context::Help => return vec![&CLOSE, &HELP_SCROLL, &QUIT, &CTRL_C],
        Context::Menu => {
            return vec![&MENU_CUSTOMER, &MENU_INVOICE, &MENU_PAYMENT, &MENU_NOTE, &CANCEL, &CTRL_C];
        }
        Context::FormText => return vec![&FORM_NEXT, &FORM_FIELDS, &FORM_SAVE, &CANCEL, &FORM_EDIT, &CTRL_C],
        Context::FormChoice => {
            return vec![&FORM_CHOICE, &FORM_NEXT, &FORM_FIELDS, &FORM_SAVE, &CANCEL, &CTRL_C];
        }
        Context::FilterInput => return vec![&FILTER_APPLY, &CLEAR_FILTER, &CTRL_C],
        Context::Letter => {
            return vec![
                &LETTER_SAVE,
                &LETTER_MARK,
                &LETTER_EMAIL,
                &LETTER_EDIT,
                &LETTER_SCROLL,
                &LETTER_CLOSE,
                &QUIT,
                &CTRL_C,
            ];
        }
        Context::AgencyLetter => {
            return vec![
                &LETTER_SAVE,
                &LETTER_MARK,
                &LETTER_EMAIL,
                &LETTER_EDIT,
                &LETTER_DOSSIER,
                &LETTER_SCROLL,
                &LETTER_CLOSE,
                &QUIT,
                &CTRL_C,
            ];
        }
        Context::LetterTracking => return vec![&TRACKING_APPLY, &TRACKING_CANCEL, &FORM_EDIT, &CTRL_C],
        Context::CallText | Context::CallReached | Context::CallOutcome | Context::Confirmation => Vec::new(),
        Context::ImportPath => {
            return vec![&IMPORT_READ, &IMPORT_COMPLETE, &IMPORT_CANCEL, &FORM_EDIT, &CTRL_C];
        }
        Context::Jump => return vec![&JUMP_OPEN, &JUMP_MOVE, &JUMP_CLOSE, &FORM_EDIT, &CTRL_C],
        Context::ImportReview => {
            return vec![
                &IMPORT_CONFIRM,
                &IMPORT_ASSIGN,
                &IMPORT_SKIP,
                &IMPORT_ASIDE,
                &IMPORT_MOVE,
                &IMPORT_CANCEL,
                &QUIT,
                &CTRL_C,
            ];
        }
    };
    if matches!(ctx, Context::Today | Context::Receivables) {
        // `i` imports a statement, shown just before "a add".
        let at = v.iter().position(|b| b.keys.iter().any(|(_, a)| *a == A::Add)).unwrap_or(v.len());
        v.insert(at, &IMPORT);
    }
    // `l` where an invoice is in view: after the step key on the Invoice screen, after
    // Enter on Today. (Kept out of the tables above so they stay as they are.)
    if matches!(ctx, Context::Invoice | Context::Today)
        && let Some(at) = v.iter().position(|b| matches!(b.keys.first(), Some((_, A::StepDone | A::Open))))
    {
        v.insert(at + 1, if ctx == Context::Today { &LETTER_TODAY } else { &LETTER });
        v.insert(at + 2, &WAIVE);
    }
    if ctx == Context::Invoice
        && let Some(at) = v.iter().position(|b| matches!(b.keys.first(), Some((_, A::Dispute))))
    {
        // `o` writes off or credits, after the dispute key.
        v.insert(at + 1, &REDUCE);
    }
    if matches!(
        ctx,
        Context::Today
            | Context::Receivables
            | Context::Customers
            | Context::Customer
            | Context::Invoice
            | Context::NoInvoice
    ) {
        // `:` jumps anywhere, after the tabs.
        // By action: a const's address is not stable.
        let at =
            v.iter().position(|b| matches!(b.keys.first(), Some((_, A::Tab(_))))).map_or(v.len(), |p| p + 1);
        v.insert(at, &JUMP);
    }
    if ctx == Context::Receivables {
        // `$` switches currency, after the sort keys.
        let at =
            v.iter().position(|b| b.keys.iter().any(|(_, a)| *a == A::SortFlip)).map_or(v.len(), |p| p + 1);
        v.insert(at, &CURRENCY);
    }
    if ctx == Context::Customers {
        // The list sorts as Receivables does, after Enter.
        let at = v.iter().position(|b| b.keys.iter().any(|(_, a)| *a == A::Open)).map_or(v.len(), |p| p + 1);
        v.insert(at, &SORT);
    }
    if !top && !matches!(ctx, Context::Welcome) {
        // Below the top, q still quits (Esc is the way back).
        let at = v.iter().position(|b| std::ptr::eq(*b, &BACK)).map_or(v.len(), |p| p + 1);
        v.insert(at, &QUIT);
    }
    if matches!(
        ctx,
        Context::Today | Context::Receivables | Context::Customers | Context::Customer | Context::Invoice
    ) {
        // `c` calls, shown just before "a add".
        let at = v.iter().position(|b| b.keys.iter().any(|(_, a)| *a == A::Add)).unwrap_or(v.len());
        v.insert(at, &CALL);
    }
    if filtered {
        v.insert(0, &CLEAR_FILTER);
    }
    v.push(&CTRL_C);
    if ctx != Context::Welcome {
        v.push(&SUSPEND);
    }
    v
}

/// The action a key asks for in a context, if any. Earlier bindings win.
pub fn lookup(ctx: Context, top: bool, filtered: bool, ev: &KeyEvent) -> Option<Action> {
    bindings(ctx, top, filtered)
        .into_iter()
        .flat_map(|b| b.keys.iter())
        .find(|(k, _)| k.matches(ev))
        .map(|(_, a)| *a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEvent;

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn no_key_is_bound_twice_in_a_context() {
        for ctx in Context::ALL {
            for (top, filtered) in [(true, false), (false, false), (true, true), (false, true)] {
                let keys: Vec<Key> = bindings(ctx, top, filtered)
                    .iter()
                    .flat_map(|b| b.keys.iter().map(|(k, _)| *k))
                    .collect();
                for (i, k) in keys.iter().enumerate() {
                    // Esc may appear twice when a filter is active: clearing it comes first.
                    if filtered && k.code == KeyCode::Esc {
                        continue;
                    }
                    assert!(!keys[..i].contains(k), "{ctx:?} binds {} twice", k.name());
                }
            }
        }
    }

    #[test]
    fn lookups() {
        assert_eq!(lookup(Context::Today, true, false, &key('q')), Some(Action::Quit));
        assert_eq!(lookup(Context::Today, false, false, &key('q')), Some(Action::Quit), "q quits everywhere");
        assert_eq!(
            lookup(Context::Today, false, false, &KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
            Some(Action::Back)
        );
        assert_eq!(lookup(Context::Receivables, true, false, &key('s')), Some(Action::SortFlip));
        assert_eq!(lookup(Context::Invoice, true, false, &key('s')), Some(Action::StepDone));
        assert_eq!(lookup(Context::Today, true, false, &key('3')), Some(Action::Tab(Tab::Customers)));
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(lookup(Context::Invoice, false, false, &ctrl_c), Some(Action::Quit));
        assert_eq!(lookup(Context::Today, true, false, &key('x')), None);
        assert_eq!(lookup(Context::Today, true, false, &key('l')), Some(Action::Letter));
        assert_eq!(lookup(Context::Invoice, false, false, &key('l')), Some(Action::Letter));
        assert_eq!(lookup(Context::Customers, true, false, &key('l')), None);
        assert_eq!(lookup(Context::Letter, false, false, &key('s')), Some(Action::SaveLetter));
        assert_eq!(lookup(Context::Letter, false, false, &key('x')), None);
        assert_eq!(lookup(Context::Letter, false, false, &key('E')), Some(Action::EmailLetter));
        assert_eq!(lookup(Context::Letter, false, false, &key('e')), Some(Action::Edit));
        assert_eq!(lookup(Context::AgencyLetter, false, false, &key('x')), Some(Action::ExportDossier));
        // g/G go to the top and bottom; reload is Ctrl-R; c calls from Receivables too.
        assert_eq!(lookup(Context::Today, true, false, &key('g')), Some(Action::Home));
        assert_eq!(lookup(Context::Today, true, false, &key('G')), Some(Action::End));
        let ctrl_r = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL);
        assert_eq!(lookup(Context::Receivables, true, false, &ctrl_r), Some(Action::Reload));
        assert_eq!(lookup(Context::Receivables, true, false, &key('c')), Some(Action::Call));
        assert_eq!(lookup(Context::Letter, false, false, &key('q')), Some(Action::Quit));
        assert_eq!(lookup(Context::Today, true, false, &key('i')), Some(Action::Import));
        assert_eq!(lookup(Context::Receivables, true, false, &key('i')), Some(Action::Import));
        assert_eq!(lookup(Context::Customers, true, false, &key('i')), None);
        assert_eq!(lookup(Context::ImportReview, false, false, &key('2')), Some(Action::Assign(1)));
        assert_eq!(lookup(Context::ImportPath, false, false, &key('s')), None);
        assert_eq!(lookup(Context::Receivables, true, false, &key('$')), Some(Action::NextCurrency));
        assert_eq!(lookup(Context::Today, true, false, &key('$')), None);
        assert_eq!(lookup(Context::Customers, true, false, &key('>')), Some(Action::SortRight));
        assert_eq!(lookup(Context::Invoice, false, false, &key('o')), Some(Action::Reduce));
        assert_eq!(lookup(Context::Today, true, false, &key('o')), None);
        for ctx in
            [Context::Today, Context::Customers, Context::Customer, Context::Invoice, Context::NoInvoice]
        {
            assert_eq!(lookup(ctx, false, false, &key(':')), Some(Action::Jump), "{ctx:?}");
            let ctrl_p = KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL);
            assert_eq!(lookup(ctx, false, false, &ctrl_p), Some(Action::Jump), "{ctx:?}");
        }
        // Not while typing.
        assert_eq!(lookup(Context::FormText, false, false, &key(':')), None);
        assert_eq!(lookup(Context::FilterInput, false, false, &key(':')), None);
        assert_eq!(MOVE.short_keys(), "j/k");
        assert_eq!(MOVE.all_keys(), "j k ↓ ↑");
    }

    #[test]
    fn call_mode_keys() {
        assert_eq!(lookup(Context::Invoice, false, false, &key('c')), Some(Action::Call));
        assert_eq!(lookup(Context::Today, true, false, &key('c')), Some(Action::Call));
        assert_eq!(lookup(Context::CallReached, false, false, &key(' ')), Some(Action::ToggleReached));
        assert_eq!(lookup(Context::CallReached, false, false, &key('n')), Some(Action::SetReached(false)));
        // Letters are typed into text fields, never taken as commands.
        assert_eq!(lookup(Context::CallText, false, false, &key('p')), None);
        assert_eq!(lookup(Context::CallText, false, false, &key('q')), None);
        // The outcome keys are the domain's.
        for b in OUTCOMES {
            let (k, a) = b.keys[0];
            let KeyCode::Char(c) = k.code else { panic!("{} is not a letter", k.name()) };
            assert_eq!(a, Action::Outcome(CallOutcome::from_key(c).unwrap()));
            assert_eq!(lookup(Context::CallOutcome, false, false, &key(c)), Some(a));
        }
        assert_eq!(OUTCOMES.len(), CallOutcome::ALL.len());
    }
}
