//! settle among the real programs around it: the app in a terminal (tmux), `settle check` on
//! a session bus with a notification server, a crash in the middle of a write, two writers at
//! once, letters printed as PDFs and read back (pdftotext, zbarimg). Without those programs a
//! test says why and skips, unless CI requires them (`SETTLE_REQUIRE_E2E=1`,
//! `SETTLE_REQUIRE_DBUS=1`).

mod call;
mod check_dbus;
mod crash;
mod keyring;
mod morning;
mod pdf_letters;
#[path = "../support/mod.rs"]
mod support;
mod terminal;
mod two_writers;
