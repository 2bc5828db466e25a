//! Privacy: what settle writes for one customer holds that customer's data only, and files
//! it writes are readable by the user alone. On a demo book with notes and calls on every
//! customer, each letter and each agency dossier is checked against every other customer's
//! name, email, phone and VAT number, and the private notes of other customers.

use std::path::Path;

use settle::store::Store;

use crate::support::mode;
use crate::support::settle_on;

const TODAY: &str = "2026-11-23";

fn settle(dir: &Path, args: &[&str]) -> String {
    match try_settle(dir, args) {
        Ok(out) => out,
        Err(e) => panic!("settle {args:?}: {e}"),
    }
}

fn try_settle(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = settle_on(&dir.join("book.db"), Some(&dir.join("config.toml")), TODAY, args).output().unwrap();
    if out.status.success() {
        Ok(String::from_utf8(out.stdout).unwrap())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

#[test]
fn letters_and_dossiers_hold_one_customers_data_and_are_private() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.toml"), "[me]\nname = \"An Peeters\"\n").unwrap();
    settle(dir.path(), &["demo", "--busy", "--customers", "12", "--invoices", "150", "--seed", "42"]);
    let store = Store::open(&dir.path().join("book.db")).unwrap();
    let customers = store.customers().unwrap();
    // A private note on every customer, and a logged call on one open invoice each.
    let mut open = Vec::new();
    for c in &customers {
        store
            .add_note(
                c.id,
                None,
                chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
                &format!("secret-{}", c.id.0),
            )
            .unwrap();
        let invoices = store.customer_open_invoices(c.id).unwrap();
        if let Some(first) = invoices.first() {
            settle(
                dir.path(),
                &[
                    "call",
                    "log",
                    &first.invoice.number,
                    "--outcome",
                    "callback",
                    "--callback",
                    "+3",
                    "--note",
                    &format!("call-secret-{}", c.id.0),
                ],
            );
        }
        open.extend(invoices.into_iter().take(2).map(|r| (c.clone(), r.invoice.number)));
    }
    assert!(open.len() >= 12, "enough open invoices to check: {}", open.len());

    let mut checked = 0;
    for (customer, number) in &open {
        // The letter of its step; before the due date, the nudge.
        let letter = try_settle(dir.path(), &["letter", number])
            .unwrap_or_else(|_| settle(dir.path(), &["letter", number, "--step", "nudge"]));
        let out = dir.path().join(format!("dossier-{number}"));
        settle(dir.path(), &["export", "dossier", number, "--out", out.to_str().unwrap()]);
        assert_eq!(mode(&out), 0o700, "the dossier folder is private");
        let mut texts = vec![("letter".to_string(), letter)];
        for entry in std::fs::read_dir(&out).unwrap() {
            let path = entry.unwrap().path();
            assert_eq!(mode(&path), 0o600, "{} is private", path.display());
            texts.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
        }
        let dossier = &texts[1].1;
        assert!(
            dossier.contains(&format!("secret-{}", customer.id.0)),
            "the dossier holds the customer's own notes"
        );
        for other in customers.iter().filter(|o| o.id != customer.id) {
            let mut theirs =
                vec![format!("secret-{}\n", other.id.0), format!("call-secret-{}\n", other.id.0)];
            // A name is only theirs if it is not part of this customer's own name.
            if !customer.name.contains(&other.name) {
                theirs.push(other.name.clone());
            }
            theirs.extend([&other.email, &other.phone, &other.vat].into_iter().flatten().cloned());
            for (what, text) in &texts {
                let text = text.replace('"', "\n");
                for secret in &theirs {
                    assert!(
                        !text.contains(secret.as_str()),
                        "{what} for {number} ({}) holds {secret:?} of {}",
                        customer.name,
                        other.name
                    );
                }
            }
        }
        checked += 1;
    }
    assert_eq!(checked, open.len());
}
