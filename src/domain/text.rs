//! Text that comes in (names, numbers, references, notes) and text that goes out to a
//! terminal or a spreadsheet.
//!
//! A terminal obeys what it is sent: ESC starts a command (OSC 52 writes the clipboard, OSC 0
//! the window title, CSI moves the cursor), the C1 characters are 8-bit forms of the same, CR
//! and backspace overwrite what was printed, and the bidirectional overrides and zero-width
//! characters make a line read otherwise than it is stored. So settle refuses these characters
//! at every input ([`check_text`]) and masks any that are left (a book written by an older
//! settle, a bank line that was not imported) on every output ([`sanitise`]).
//!
//! A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula; settle's CSV
//! files quote such text cells ([`spreadsheet_cell`]) and its importers read them back
//! ([`from_spreadsheet_cell`]).

use std::borrow::Cow;

/// Whether a text field may hold line breaks (a note may; a name may not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    One,
    Many,
}

/// What replaces an unsafe character on output: visible, one column wide, and inert.
pub const PLACEHOLDER: char = '\u{fffd}';

/// The characters no text may carry to a terminal: the C0 controls but tab and line feed,
/// DEL, the C1 controls, the bidirectional embeddings, overrides and isolates
/// (U+202A–U+202E, U+2066–U+2069), the zero-width characters and direction marks
/// (U+200B–U+200F) and the zero-width no-break space (U+FEFF).
pub fn is_unsafe(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{8}'
            | '\u{b}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{feff}'
    )
}

/// Whether a text field refuses a character: every unsafe one, a tab, and a line feed unless
/// the field holds several lines.
pub fn refused(c: char, lines: Lines) -> bool {
    is_unsafe(c) || c == '\t' || (c == '\n' && lines == Lines::One)
}

/// A character a field refused, where, and which field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {}", self.reason())]
pub struct TextError {
    pub field: String,
    pub found: char,
    /// 1-based, in characters.
    pub position: usize,
}

impl TextError {
    /// The refusal without the field's name (for a message placed beside the field).
    pub fn reason(&self) -> String {
        format!(
            "{} (U+{:04X}) at character {} is not allowed: settle refuses control, \
             bidirectional-override and zero-width characters in text",
            describe(self.found),
            u32::from(self.found),
            self.position
        )
    }
}

fn describe(c: char) -> &'static str {
    match c {
        '\n' => "a line break",
        '\t' => "a tab",
        '\u{1b}' => "an escape character",
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => "a control character",
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => "a bidirectional override",
        '\u{200e}' | '\u{200f}' => "an invisible direction mark",
        _ => "a zero-width character",
    }
}

/// The one check of every text settle takes in, whatever the way in (the command line, the
/// app's forms, CSV and JSON files, bank statements, e-invoices): `field` names the field in
/// the refusal.
pub fn check_text(field: &str, value: &str, lines: Lines) -> Result<(), TextError> {
    match value.chars().enumerate().find(|(_, c)| refused(*c, lines)) {
        None => Ok(()),
        Some((i, c)) => Err(TextError { field: field.to_string(), found: c, position: i + 1 }),
    }
}

/// [`check_text`] of an optional field.
pub fn check_optional(field: &str, value: Option<&str>, lines: Lines) -> Result<(), TextError> {
    value.map_or(Ok(()), |v| check_text(field, v, lines))
}

/// The one sanitiser of text written to a terminal: every unsafe character becomes
/// [`PLACEHOLDER`], except the CR of a CRLF line end, which is dropped. Text with nothing
/// unsafe comes back as it is, without a copy.
pub fn sanitise(text: &str) -> Cow<'_, str> {
    if !has_unsafe(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            continue;
        }
        out.push(if is_unsafe(c) { PLACEHOLDER } else { c });
    }
    Cow::Owned(out)
}

/// `text.chars().any(is_unsafe)`, read byte by byte (every byte of a large export passes
/// here): a C0 control but tab and line feed, DEL, or the lead byte of a C1 control (C2),
/// of U+200B–U+200F, U+202A–U+202E and U+2066–U+2069 (E2) or of U+FEFF (EF) followed by
/// the bytes that make it one of those.
pub fn has_unsafe(text: &str) -> bool {
    let b = text.as_bytes();
    // Sixteen bytes at a time while they are printable ASCII or line feeds (a test the
    // compiler turns into vector instructions); a closer look only where they are not.
    let plain = |c: u8| c.wrapping_sub(0x20) < 0x5f || c == b'\n';
    let mut i = 0;
    while i < b.len() {
        if let Some(chunk) = b.get(i..i + 16)
            && chunk.iter().fold(true, |ok, &c| ok & plain(c))
        {
            i += 16;
            continue;
        }
        match b[i] {
            b'\t' | b'\n' => {}
            0x00..=0x1f | 0x7f => return true,
            0xc2 if matches!(b.get(i + 1), Some(0x80..=0x9f)) => return true,
            0xe2 => match (b.get(i + 1), b.get(i + 2)) {
                (Some(0x80), Some(0x8b..=0x8f | 0xaa..=0xae)) | (Some(0x81), Some(0xa6..=0xa9)) => {
                    return true;
                }
                _ => {}
            },
            0xef if b.get(i + 1) == Some(&0xbb) && b.get(i + 2) == Some(&0xbf) => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

/// Whether a spreadsheet would take a cell starting with `c` for a formula (OWASP's list:
/// `=`, `+`, `-`, `@`, tab and CR).
fn starts_formula(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// Whether `text` is any number of `'` and then a formula character.
fn quoted_formula(text: &str) -> bool {
    text.trim_start_matches('\'').chars().next().is_some_and(starts_formula)
}

/// A text cell of a CSV file meant for spreadsheets: one `'` before a cell that a spreadsheet
/// would run as a formula (`=HYPERLINK(…)` is written `'=HYPERLINK(…)`). A cell that already
/// starts with quotes before such a character gets one more, so that
/// [`from_spreadsheet_cell`] gives every text back exactly. Amounts are not text cells: a
/// negative amount keeps its `-`.
pub fn spreadsheet_cell(text: &str) -> Cow<'_, str> {
    if quoted_formula(text) { Cow::Owned(format!("'{text}")) } else { Cow::Borrowed(text) }
}

/// The text of a cell written by [`spreadsheet_cell`]: the one `'` it added is taken off
/// again (only before quotes and a formula character, so other cells keep their quotes).
pub fn from_spreadsheet_cell(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if quoted_formula(rest) => rest,
        _ => cell,
    }
}

/// A name's place in a list as a reader expects it: case and the accents of Latin letters
/// ignored ("Bäckerei" sorts with "Backerei", before "Brouwerij"; "école" with "ecole").
pub fn sort_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        let base = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
            'æ' => "ae",
            'ç' | 'ć' | 'č' => "c",
            'ď' | 'đ' => "d",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' => "i",
            'ł' => "l",
            'ñ' | 'ń' | 'ň' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
            'œ' => "oe",
            'ř' => "r",
            'ś' | 'š' | 'ş' => "s",
            'ß' => "ss",
            'ť' | 'ţ' => "t",
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => "u",
            'ý' | 'ÿ' => "y",
            'ź' | 'ż' | 'ž' => "z",
            _ => {
                key.push(c);
                continue;
            }
        };
        key.push_str(base);
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_scan_finds_exactly_the_unsafe_characters() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let text = format!("ab{c}é");
            assert_eq!(has_unsafe(&text), is_unsafe(c), "U+{:04X}", u32::from(c));
            // Anywhere in a longer text, on either side of a sixteen-byte boundary (the
            // characters up to the last unsafe one, and the byte-order mark).
            if u32::from(c) > 0x2100 && c != '\u{feff}' {
                continue;
            }
            for at in [13, 15, 16, 17, 31] {
                let long = format!("{}{c}{}", &"x\n".repeat(40)[..at], "tail ".repeat(8));
                assert_eq!(has_unsafe(&long), is_unsafe(c), "U+{:04X} at {at}", u32::from(c));
            }
        }
    }

    #[test]
    fn refuses_controls_overrides_and_zero_width_naming_the_field() {
        assert_eq!(check_text("name", "Bakkerij Peeters", Lines::One), Ok(()));
        assert_eq!(check_text("name", "Ünïcode — ok €", Lines::One), Ok(()));
        let e = check_text("name", "Evil\u{1b}]52;c;aGk=\u{7}", Lines::One).unwrap_err();
        assert_eq!((e.found, e.position), ('\u{1b}', 5));
        assert!(e.to_string().starts_with("name: an escape character (U+001B) at character 5"), "{e}");
        for c in ['\u{0}', '\u{7f}', '\u{9b}', '\u{202e}', '\u{2066}', '\u{200b}', '\u{feff}', '\t', '\r'] {
            assert!(check_text("note", &format!("a{c}b"), Lines::Many).is_err(), "{c:?}");
        }
        assert!(check_text("name", "two\nlines", Lines::One).is_err());
        assert_eq!(check_text("note", "two\nlines", Lines::Many), Ok(()));
        assert_eq!(check_optional("email", None, Lines::One), Ok(()));
    }

    #[test]
    fn sanitise_masks_what_a_terminal_would_obey() {
        assert!(matches!(sanitise("plain\ttext\n"), Cow::Borrowed(_)));
        assert_eq!(sanitise("a\u{1b}]0;x\u{7}b"), "a\u{fffd}]0;x\u{fffd}b");
        assert_eq!(sanitise("gpj.exe\u{202e}"), "gpj.exe\u{fffd}");
        assert_eq!(sanitise("line\r\nnext\rover"), "line\nnext\u{fffd}over");
        assert_eq!(sanitise("\u{9b}31m"), "\u{fffd}31m");
    }

    #[test]
    fn spreadsheet_cells_are_neutralised_and_read_back() {
        assert_eq!(spreadsheet_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_cell("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
        assert_eq!(spreadsheet_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_cell("-2+3"), "'-2+3");
        assert_eq!(spreadsheet_cell("Acme"), "Acme");
        assert_eq!(spreadsheet_cell("O'Neil"), "O'Neil");
        assert_eq!(spreadsheet_cell("'=x"), "''=x");
        for text in
            ["=1+1", "'=1+1", "''@x", "'", "''", "'quoted'", "", "Acme", "-", "\t=", "+32 2 555 12 12"]
        {
            assert_eq!(from_spreadsheet_cell(&spreadsheet_cell(text)), text, "{text:?}");
        }
        assert_eq!(from_spreadsheet_cell("'quoted'"), "'quoted'");
    }

    #[test]
    fn names_sort_as_a_reader_expects() {
        let mut names = vec!["Brouwerij", "Bäckerei", "bakker", "École", "Dubois"];
        names.sort_by_key(|n| super::sort_key(n));
        assert_eq!(names, ["Bäckerei", "bakker", "Brouwerij", "Dubois", "École"]);
        assert_eq!(super::sort_key("Straße ÆØ"), "strasse aeo");
    }
}
