//! How long the texts settle keeps as keys and names may be. Each is checked wherever it
//! comes in (the command line, the app's forms, every importer), so a value the letters and
//! dossiers could not use in a file name, or a screen could not show, never reaches the book.

/// Invoice and credit note numbers, registered-mail tracking numbers, payment references,
/// VAT and phone numbers. Real ones are under 30 characters; 64 leaves room and keeps a
/// file name made from one well under the 255 bytes file systems allow.
pub const MAX_IDENTIFIER_CHARS: usize = 64;

/// Customer and contact names. The longest company names in the Belgian register run to
/// about 150 characters.
pub const MAX_NAME_CHARS: usize = 200;

/// Email addresses (the longest SMTP allows).
pub const MAX_EMAIL_CHARS: usize = 254;

/// Refuses `value` (trimmed) when it has more than `max` characters; `what` names it in the
/// message ("the invoice number").
pub fn check_length(what: &str, value: &str, max: usize) -> Result<(), String> {
    let value = value.trim();
    // Bytes first: a value of at most `max` bytes cannot have more characters.
    if value.len() <= max {
        return Ok(());
    }
    match value.chars().count() {
        n if n > max => Err(format!("{what} is {n} characters long; at most {max} are allowed")),
        _ => Ok(()),
    }
}

/// An identifier: at most [`MAX_IDENTIFIER_CHARS`].
pub fn identifier(what: &str, value: &str) -> Result<(), String> {
    check_length(what, value, MAX_IDENTIFIER_CHARS)
}

/// A name: at most [`MAX_NAME_CHARS`].
pub fn name(what: &str, value: &str) -> Result<(), String> {
    check_length(what, value, MAX_NAME_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_count_characters_not_bytes() {
        assert!(identifier("the invoice number", &"é".repeat(64)).is_ok());
        assert!(identifier("the invoice number", &format!("  {}  ", "x".repeat(64))).is_ok());
        assert_eq!(
            identifier("the invoice number", &"x".repeat(300)),
            Err("the invoice number is 300 characters long; at most 64 are allowed".into())
        );
        assert!(name("the customer name", &"x".repeat(200)).is_ok());
        assert!(name("the customer name", &"x".repeat(201)).is_err());
    }
}
