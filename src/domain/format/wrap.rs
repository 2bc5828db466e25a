//! Word wrapping, counted in characters: the PDF's font is monospaced, and the screen's text
//! is the same width per character (wide characters are rare in a book; ratatui clips a row
//! that still overflows).

/// What a text's line breaks and spaces mean when it is wrapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// One paragraph: line breaks and runs of spaces are a space (a help text, a message).
    Words,
    /// The text's own lines stay, with their indent and inner spacing (a letter and its
    /// tables); a wrapped line goes on at its indent.
    Lines,
}

/// `text` in rows of at most `width` characters (at least one), broken at spaces where it
/// can: a word longer than a row is cut, and a currency sign stays with its amount
/// (`€ 1.665,00`, `1.665,00 €`). A paragraph is at least one row; a text without lines has
/// none.
pub fn wrap(text: &str, width: usize, flow: Flow) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    match flow {
        Flow::Words => wrap_line(&text.split_whitespace().collect::<Vec<_>>().join(" "), width, &mut out),
        Flow::Lines => text.lines().for_each(|line| wrap_line(line, width, &mut out)),
    }
    out
}

/// One line into rows, each starting at the line's indent.
fn wrap_line(line: &str, width: usize, out: &mut Vec<String>) {
    let line = line.trim_end();
    let body = line.trim_start_matches(' ');
    let indent = &line[..line.len() - body.len()];
    let indent_len = indent.chars().count();
    let before = out.len();
    let mut row = String::new();
    let mut row_len = 0;
    for (gap, word) in pieces(body) {
        let mut word = word;
        loop {
            let len = word.chars().count();
            let need = if row.is_empty() { indent_len + len } else { indent_len + row_len + gap.len() + len };
            if need <= width {
                if !row.is_empty() {
                    row.push_str(gap);
                    row_len += gap.len();
                }
                row.push_str(&word);
                row_len += len;
                break;
            }
            if !row.is_empty() {
                out.push(format!("{indent}{row}"));
                (row, row_len) = (String::new(), 0);
                continue;
            }
            // A word longer than the row: cut it.
            let room = width.saturating_sub(indent_len).max(1);
            let head: String = word.chars().take(room).collect();
            out.push(format!("{indent}{head}"));
            word = word.chars().skip(room).collect();
            if word.is_empty() {
                break;
            }
        }
    }
    if !row.is_empty() {
        out.push(format!("{indent}{row}"));
    } else if out.len() == before {
        out.push(String::new());
    }
}

/// A line's words, each with the spaces before it; a lone currency sign sticks to its amount,
/// before it ("€ 1.665,00") or after it ("1.665,00 €").
fn pieces(line: &str) -> Vec<(&str, String)> {
    let mut out: Vec<(&str, String)> = Vec::new();
    let mut glue = false;
    let mut rest = line;
    while !rest.is_empty() {
        let word_start = rest.len() - rest.trim_start_matches(' ').len();
        let gap = &rest[..word_start];
        let after = &rest[word_start..];
        let word_end = after.find(' ').unwrap_or(after.len());
        let word = &after[..word_end];
        rest = &after[word_end..];
        if word.is_empty() {
            break;
        }
        let sign = matches!(word, "€" | "$" | "£" | "CHF" | "EUR" | "USD" | "GBP");
        let after_amount =
            sign && out.last().is_some_and(|(_, last)| last.ends_with(|c: char| c.is_ascii_digit()));
        match out.last_mut() {
            Some((_, last)) if glue || after_amount => {
                last.push_str(gap);
                last.push_str(word);
            }
            _ => out.push((gap, word.to_string())),
        }
        glue = sign && !after_amount;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paragraph_wraps_on_words_and_cuts_long_ones() {
        let w = |t, n| wrap(t, n, Flow::Words);
        assert_eq!(w("one two three", 7), ["one two", "three"]);
        assert_eq!(w("one\ntwo   three", 7), ["one two", "three"]);
        assert_eq!(w("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(w("", 4), [""]);
        assert_eq!(w("x", 1), ["x"]);
        assert_eq!(w("xy", 0), ["x", "y"]);
    }

    #[test]
    fn a_letter_keeps_its_lines_indents_and_tables() {
        let w = |t, n| wrap(t, n, Flow::Lines);
        let text = "Dear Ann,\n\nThe invoice of 1 Oct is still open and I would like to settle it.\n  - one\nabcdefghij";
        let rows = w(text, 20);
        assert_eq!(
            rows,
            [
                "Dear Ann,",
                "",
                "The invoice of 1 Oct",
                "is still open and I",
                "would like to settle",
                "it.",
                "  - one",
                "abcdefghij",
            ]
        );
        assert!(rows.iter().all(|l| l.chars().count() <= 20));
        assert_eq!(w("abcdefghijkl", 5), ["abcde", "fghij", "kl"]);
        assert_eq!(w("aaa bbb ccc\n\nddddddd", 7), ["aaa bbb", "ccc", "", "ddddddd"]);
        assert_eq!(w("ééé ééé", 4), ["ééé", "ééé"]);
        assert_eq!(
            w("  2024-100    €1,000.00   \n", 30),
            ["  2024-100    €1,000.00"],
            "a table row stays aligned"
        );
        assert_eq!(
            w("  - a long point here", 12),
            ["  - a long", "  point here"],
            "a wrapped line keeps its indent"
        );
        assert_eq!(w("   \n", 5), [""]);
        assert_eq!(w("\n", 5), [""]);
        assert!(w("", 5).is_empty(), "no lines, no rows");
    }

    #[test]
    fn a_currency_sign_stays_with_its_amount() {
        assert_eq!(
            wrap("nog open: € 6.475,00 of meer", 14, Flow::Lines),
            ["nog open:", "€ 6.475,00 of", "meer"]
        );
        assert_eq!(wrap("reste 1.234,00 EUR à payer", 12, Flow::Words), ["reste", "1.234,00 EUR", "à payer"]);
        assert_eq!(wrap("open EUR 5", 6, Flow::Words), ["open", "EUR 5"]);
        assert_eq!(
            wrap("le total € est", 8, Flow::Words),
            ["le total", "€ est"],
            "a sign after a word is no amount"
        );
    }
}
