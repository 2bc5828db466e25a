//! Today: the filter reads the lines as they read (what to do and why), its counts follow
//! it, an empty result says so, and going back to the top shows the first section's title.

use ratatui::crossterm::event::KeyCode;

use crate::support::*;

#[test]
fn the_filter_searches_what_to_do_and_why() {
    let (mut app, mut store) = demo();
    typ(&mut app, &mut store, "/remind\n");
    let shown: Vec<usize> =
        app.today_view.rows.iter().copied().filter(|r| app.book.item(*r).is_some()).collect();
    assert!(!shown.is_empty(), "\"remind\" finds the reminders");
    for r in &shown {
        let t = app.book.item_text(*r).unwrap();
        let text = format!("{} {}", t.what, t.why).to_lowercase();
        let name = app.book.customer_name(app.book.item(*r).unwrap().invoice.customer_id).to_lowercase();
        assert!(text.contains("remind") || name.contains("remind"), "{text}");
    }
    // The section counts are those of the lines shown.
    let s = screen(&app, 120, 40);
    let count: usize = s
        .lines()
        .map(|l| l.trim_start_matches('│').trim_end_matches('│').trim_end())
        .filter(|l| !l.starts_with("  "))
        .filter_map(|l| l.rsplit_once(" ("))
        .filter_map(|(_, n)| n.strip_suffix(')')?.parse::<usize>().ok())
        .sum();
    assert_eq!(count, shown.len(), "{s}");
    // "late" is in the why of the overdue lines.
    esc(&mut app, &mut store);
    typ(&mut app, &mut store, "/days late\n");
    let s = screen(&app, 120, 40);
    assert!(s.contains("days late") && !s.contains("Nothing matches"), "{s}");
}

#[test]
fn an_empty_result_says_so() {
    let (mut app, mut store) = demo();
    typ(&mut app, &mut store, "/zzzz");
    for (w, h) in [(80, 24), (120, 40)] {
        let s = screen(&app, w, h);
        assert!(s.contains("Nothing matches 'zzzz'"), "{s}");
    }
}

#[test]
fn home_shows_the_first_section_title_again() {
    let (mut app, mut store) = demo();
    let first_title = screen(&app, 80, 15).lines().nth(3).unwrap().to_string();
    assert!(first_title.contains('('), "{first_title}");
    for key in [KeyCode::End, KeyCode::Home, KeyCode::End, KeyCode::PageUp, KeyCode::PageUp, KeyCode::PageUp]
    {
        press(&mut app, &mut store, code(key));
        let s = screen(&app, 80, 15);
        if key == KeyCode::End {
            assert_ne!(s.lines().nth(3).unwrap(), first_title, "End scrolls down:\n{s}");
        }
    }
    let s = screen(&app, 80, 15);
    assert_eq!(s.lines().nth(3).unwrap(), first_title, "PgUp back to the top:\n{s}");
    press(&mut app, &mut store, code(KeyCode::End));
    screen(&app, 80, 15);
    typ(&mut app, &mut store, "g");
    let s = screen(&app, 80, 15);
    assert_eq!(s.lines().nth(3).unwrap(), first_title, "g back to the top:\n{s}");
}

/// A claim line on Today and its invoice's screen name the same interest and costs.
#[test]
fn the_invoice_screen_shows_the_claim_today_proposes() {
    let (mut app, mut store) = demo();
    let mut tries = 0;
    while app
        .today_view
        .selected(&app.book)
        .is_none_or(|i| i.kind != settle::domain::agenda::SectionKind::Claims)
    {
        press(&mut app, &mut store, code(KeyCode::Char('j')));
        tries += 1;
        assert!(tries < 200, "the demo has a claim line");
    }
    let item = app.today_view.selected(&app.book).unwrap();
    let amount = item.invoice.open.to_string();
    enter(&mut app, &mut store);
    let screen = screen(&app, 140, 40);
    assert!(
        screen.contains(&format!("Claimable {amount} in interest and costs; l claims, w waives")),
        "{amount}\n{screen}"
    );
}
