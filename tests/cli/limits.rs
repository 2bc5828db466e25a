//! Sizes and ranges settle bounds at its input, each refused with a clear message before
//! anything is written.

use crate::support::*;

#[test]
fn demo_sizes_are_bounded() {
    let book = Book::new();
    for (args, wanted) in [
        (["--customers", "4294967295"], "a demo book has from 1 to 100000 customers, not 4294967295"),
        (["--customers", "0"], "a demo book has from 1 to 100000 customers, not 0"),
        (["--invoices", "18446744073709551615"], "a demo book has from 0 to 10000000 invoices"),
        (["--invoices", "1e9"], "a demo book has from 0 to 10000000 invoices, not 1e9"),
    ] {
        let start = std::time::Instant::now();
        let err = book.fails(&["demo", args[0], args[1]]);
        assert!(err.contains(wanted), "{args:?}: {err}");
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
    }
    assert!(!book.db.exists(), "refused before the database was even opened");
    let out = book.ok(&["demo", "--customers", "1", "--invoices", "0"]);
    assert!(out.contains("1 customers, 0 invoices"), "{out}");
}
