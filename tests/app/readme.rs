//! The README's key table names every key the help screens list (they come from the same
//! key tables as the footer and the keys that work), and binds no key the app does not know.

use ratatui::crossterm::event::KeyCode;
use settle::app::keys::{Context, bindings};

const README: &str = include_str!("../../README.md");

fn key_table() -> &'static str {
    let start = README.find("| Where | Keys |").expect("the README has a key table");
    let rest = &README[start..];
    &rest[..rest.find("\n\n").unwrap_or(rest.len())]
}

/// Whether the table mentions a key: a letter in backticks (`1`–`4` covers the digits),
/// arrows as "arrows" or "←/→", the rest by name (Enter, Esc, Ctrl-S, PgUp…).
fn mentions(table: &str, code: KeyCode, name: &str) -> bool {
    match code {
        KeyCode::Char(' ') => table.contains("Space"),
        KeyCode::Char(c) if c.is_ascii_digit() => {
            table.contains("`1`–`4`") || table.contains(&format!("`{c}`"))
        }
        KeyCode::Char(_) if name.starts_with("Ctrl-") => table.contains(name),
        KeyCode::Char(c) => table.contains(&format!("`{c}`")),
        KeyCode::Up | KeyCode::Down => table.contains("arrows"),
        KeyCode::Left | KeyCode::Right => table.contains("←/→") || table.contains("arrows"),
        _ => table.contains(name),
    }
}

#[test]
fn the_readme_key_table_names_every_key_of_the_help() {
    let table = key_table();
    let mut missing = Vec::new();
    for ctx in Context::ALL {
        for (top, filtered) in [(true, false), (false, false), (true, true)] {
            for b in bindings(ctx, top, filtered) {
                for (k, _) in b.keys {
                    if !mentions(table, k.code, &k.name()) {
                        missing.push(format!("{ctx:?}: {} ({})", k.name(), b.help));
                    }
                }
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "keys the README's key table does not name:\n{}", missing.join("\n"));
}

#[test]
fn the_readme_key_table_names_no_unknown_key() {
    let table = key_table();
    let known: Vec<String> = Context::ALL
        .iter()
        .flat_map(|ctx| bindings(*ctx, false, true).into_iter().chain(bindings(*ctx, true, false)))
        .flat_map(|b| b.keys.iter().map(|(k, _)| k.name()))
        .collect();
    // Every single character in backticks is a key somewhere (`1`–`4` aside).
    let mut unknown = Vec::new();
    for part in table.split('`').skip(1).step_by(2) {
        if part.chars().count() == 1
            && !part.chars().all(|c| c.is_ascii_digit())
            && !known.iter().any(|k| k == part)
        {
            unknown.push(part.to_string());
        }
    }
    assert!(unknown.is_empty(), "the README's key table names keys the app does not bind: {unknown:?}");
}
