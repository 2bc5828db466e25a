//! The output wall: every byte the commands print passes [`Sanitised`], which masks the
//! characters a terminal would obey (see [`crate::domain::text::sanitise`]). Input refuses
//! them already; this catches what is left: a book written by an older settle, a bank line
//! that was not imported, an error that quotes what was typed.

use std::io::{self, Write};

use crate::domain::text::{PLACEHOLDER, has_unsafe, sanitise};

/// A writer that passes text on through [`sanitise`]. It takes bytes in pieces of any size:
/// a UTF-8 character (or a CRLF) cut between two writes is held until the next one, and bytes
/// that are not UTF-8 become [`PLACEHOLDER`] as well.
pub struct Sanitised<W: Write> {
    inner: W,
    /// The start of a character (or a CR) whose end has not come yet: at most 3 bytes.
    pending: Vec<u8>,
}

impl<W: Write> Sanitised<W> {
    pub fn new(inner: W) -> Sanitised<W> {
        Sanitised { inner, pending: Vec::new() }
    }

    fn write_text(&mut self, text: &str) -> io::Result<()> {
        self.inner.write_all(sanitise(text).as_bytes())
    }

    /// Ends the output: passes on whatever is held back and flushes, reporting what the
    /// drop would have to swallow (a full disk, a closed pipe).
    pub fn finish(&mut self) -> io::Result<()> {
        self.finish_pending()?;
        self.inner.flush()
    }

    /// Passes on whatever is held back as if the output ended here.
    fn finish_pending(&mut self) -> io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        self.pending.clear();
        let mut buf = [0u8; 4];
        self.inner.write_all(PLACEHOLDER.encode_utf8(&mut buf).as_bytes())
    }
}

impl<W: Write> Write for Sanitised<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // Most writes are whole text with nothing to mask: passed on as they are.
        if self.pending.is_empty()
            && buf.last() != Some(&b'\r')
            && std::str::from_utf8(buf).is_ok_and(|text| !has_unsafe(text))
        {
            self.inner.write_all(buf)?;
            return Ok(buf.len());
        }
        let mut bytes = std::mem::take(&mut self.pending);
        bytes.extend_from_slice(buf);
        let mut rest: &[u8] = &bytes;
        loop {
            match std::str::from_utf8(rest) {
                Ok(text) => {
                    // A CR at the very end may be the start of a CRLF: wait for the next byte.
                    let (text, cr) = match text.strip_suffix('\r') {
                        Some(t) => (t, true),
                        None => (text, false),
                    };
                    self.write_text(text)?;
                    if cr {
                        self.pending.push(b'\r');
                    }
                    break;
                }
                Err(e) => {
                    let (good, bad) = rest.split_at(e.valid_up_to());
                    // `good` is valid UTF-8 by the error's own account.
                    self.write_text(std::str::from_utf8(good).unwrap_or_default())?;
                    match e.error_len() {
                        Some(n) => {
                            let mut b = [0u8; 4];
                            self.inner.write_all(PLACEHOLDER.encode_utf8(&mut b).as_bytes())?;
                            rest = &bad[n..];
                        }
                        None => {
                            // The start of a character cut off by the end of this write.
                            self.pending.extend_from_slice(bad);
                            break;
                        }
                    }
                }
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Drop for Sanitised<W> {
    fn drop(&mut self) {
        // Nothing more is coming: what is held back was a cut character or a lone CR.
        let _ = self.finish_pending();
        let _ = self.inner.flush();
    }
}

/// Standard error through the wall, for messages written outside a command's output.
pub fn stderr() -> Sanitised<io::Stderr> {
    Sanitised::new(io::stderr())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(pieces: &[&[u8]]) -> String {
        let mut out = Vec::new();
        {
            let mut w = Sanitised::new(&mut out);
            for p in pieces {
                w.write_all(p).unwrap();
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn masks_escapes_and_keeps_text_cut_anywhere() {
        assert_eq!(through(&[b"Acme\n"]), "Acme\n");
        assert_eq!(through(&[b"a\x1b]52;c;aGk=\x07b"]), "a\u{fffd}]52;c;aGk=\u{fffd}b");
        let euro = "€".as_bytes();
        assert_eq!(through(&[&euro[..1], &euro[1..2], &euro[2..], b"5"]), "€5");
        assert_eq!(through(&[b"x\r", b"\ny"]), "x\ny");
        assert_eq!(through(&[b"x\r", b"y"]), "x\u{fffd}y");
        assert_eq!(through(&[b"end\r"]), "end\u{fffd}");
        assert_eq!(through(&[b"\xc2\x9b1m"]), "\u{fffd}1m");
        assert_eq!(through(&[b"\x9b1m\xff"]), "\u{fffd}1m\u{fffd}");
        assert_eq!(through(&[&euro[..2]]), "\u{fffd}");
        assert_eq!(through(&["\u{202e}txt".as_bytes()]), "\u{fffd}txt");
    }
}
