//! Payment references an invoice may carry and a bank line may quote: the Belgian structured
//! communication ([`Ogm`]) and the ISO 11649 creditor reference ([`Rf`], `RF18 5390 0754
//! 7034`), both checked by their mod-97 rules; and what a bank communication holds of them,
//! including a reference whose check digits are wrong (mistyped), which is said as such.

use std::fmt;
use std::str::FromStr;

use super::ogm::{Ogm, OgmError};

/// The longest creditor reference: `RF`, two check digits and up to 21 characters.
const RF_MAX: usize = 25;

/// An ISO 11649 creditor reference, kept upper case without spaces (Copy, like [`Ogm`]).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rf {
    len: u8,
    chars: [u8; RF_MAX],
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RfError {
    #[error("'{0}' is not a creditor reference: RF, two check digits and 1 to 21 letters or digits")]
    Shape(String),
    #[error("'{0}' fails its check digits")]
    Check(String),
}

/// The ISO 7064 mod-97 remainder of letters and digits, letters counted A = 10 … Z = 35.
fn mod97(chars: impl Iterator<Item = u8>) -> u32 {
    let mut r: u32 = 0;
    for c in chars {
        let v = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            _ => 0,
        };
        r = if v >= 10 { (r * 100 + v) % 97 } else { (r * 10 + v) % 97 };
    }
    r
}

impl Rf {
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.chars[..usize::from(self.len)]).unwrap_or("")
    }

    /// The reference for a creditor's own text (an invoice number's letters and digits).
    pub fn generate(body: &str) -> Result<Rf, RfError> {
        let body: String =
            body.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_uppercase();
        if body.is_empty() || body.len() > RF_MAX - 4 {
            return Err(RfError::Shape(body));
        }
        let check = 98 - mod97(body.bytes().chain(*b"RF00"));
        format!("RF{check:02}{body}").parse()
    }

    /// Finds a creditor reference in free text, printed in groups of four or not: a valid
    /// one, or else one whose check digits fail.
    pub fn scan(text: &str) -> Option<Result<Rf, RfError>> {
        let upper = text.to_ascii_uppercase();
        let b = upper.as_bytes();
        let mut first_bad = None;
        for start in 0..b.len().saturating_sub(4) {
            let at_word = start == 0 || !b[start - 1].is_ascii_alphanumeric();
            let shaped = at_word
                && b[start..].starts_with(b"RF")
                && b[start + 2].is_ascii_digit()
                && b.get(start + 3).is_some_and(u8::is_ascii_digit);
            if !shaped {
                continue;
            }
            // Collect letters and digits, allowing one space after each group of four.
            let mut body = Vec::new();
            let mut bounds = Vec::new();
            let mut group = 0;
            let mut i = start;
            while i < b.len() && body.len() < RF_MAX {
                let c = b[i];
                if c.is_ascii_alphanumeric() {
                    body.push(c);
                    group += 1;
                } else if c == b' ' && group == 4 && b.get(i + 1).is_some_and(u8::is_ascii_alphanumeric) {
                    bounds.push(body.len());
                    group = 0;
                } else {
                    break;
                }
                i += 1;
            }
            bounds.push(body.len());
            // The longest run that checks; else the longest as a mistyped reference.
            for end in bounds.iter().rev() {
                if let Ok(rf) = std::str::from_utf8(&body[..*end]).unwrap_or("").parse::<Rf>() {
                    return Some(Ok(rf));
                }
            }
            if first_bad.is_none() && body.len() >= 5 {
                first_bad = Some(Err(RfError::Check(String::from_utf8_lossy(&body).into_owned())));
            }
        }
        first_bad
    }
}

impl FromStr for Rf {
    type Err = RfError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let compact: String = s.chars().filter(|c| *c != ' ').collect::<String>().to_ascii_uppercase();
        let shape_ok = compact.len() >= 5
            && compact.len() <= RF_MAX
            && compact.starts_with("RF")
            && compact.bytes().all(|c| c.is_ascii_alphanumeric())
            && compact.as_bytes()[2..4].iter().all(u8::is_ascii_digit);
        if !shape_ok {
            return Err(RfError::Shape(s.trim().to_string()));
        }
        let bytes = compact.as_bytes();
        if mod97(bytes[4..].iter().chain(&bytes[..4]).copied()) != 1 {
            return Err(RfError::Check(s.trim().to_string()));
        }
        let mut chars = [0u8; RF_MAX];
        chars[..bytes.len()].copy_from_slice(bytes);
        Ok(Rf { len: bytes.len() as u8, chars })
    }
}

impl fmt::Display for Rf {
    /// In groups of four, as printed on invoices: `RF18 5390 0754 7034`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, chunk) in self.as_str().as_bytes().chunks(4).enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            f.write_str(std::str::from_utf8(chunk).unwrap_or(""))?;
        }
        Ok(())
    }
}

impl fmt::Debug for Rf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Rf({})", self.as_str())
    }
}

/// An invoice's payment reference: a Belgian structured communication or a creditor
/// reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PayRef {
    Ogm(Ogm),
    Rf(Rf),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefError {
    #[error(transparent)]
    Ogm(#[from] OgmError),
    #[error(transparent)]
    Rf(#[from] RfError),
}

impl RefError {
    /// Whether the reference has the right shape but wrong check digits (mistyped).
    pub fn is_check(&self) -> bool {
        matches!(self, RefError::Ogm(OgmError::Check(..)) | RefError::Rf(RfError::Check(_)))
    }
}

impl From<Ogm> for PayRef {
    fn from(o: Ogm) -> PayRef {
        PayRef::Ogm(o)
    }
}

impl FromStr for PayRef {
    type Err = RefError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.trim_start().get(..2).is_some_and(|p| p.eq_ignore_ascii_case("RF")) {
            Ok(PayRef::Rf(s.parse()?))
        } else {
            Ok(PayRef::Ogm(s.parse()?))
        }
    }
}

impl fmt::Display for PayRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PayRef::Ogm(o) => o.fmt(f),
            PayRef::Rf(r) => r.fmt(f),
        }
    }
}

/// What a bank line's communication says of payment references.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Quoted {
    /// Every valid reference, in order, without repeats.
    pub valid: Vec<PayRef>,
    /// The first reference-shaped text whose check digits fail, and why.
    pub mistyped: Option<RefError>,
}

/// The references in free text. A bare twelve-digit number that fails the OGM check is
/// not counted as a mistyped reference (it may be anything); one written `+++…+++`,
/// `***…***` or `ddd/dddd/ddddd` is.
pub fn scan(text: &str) -> Quoted {
    let mut q = Quoted::default();
    match Ogm::scan(text) {
        Some(Ok(o)) => q.valid.push(PayRef::Ogm(o)),
        Some(Err(e)) => q.mistyped = Some(e.into()),
        None => {}
    }
    match Rf::scan(text) {
        Some(Ok(r)) => {
            // The digits of a creditor reference may pass for an OGM of their own.
            q.valid.retain(|v| !matches!(v, PayRef::Ogm(o) if r.as_str().contains(&o.digits())));
            q.valid.push(PayRef::Rf(r));
        }
        Some(Err(e)) if q.mistyped.is_none() => q.mistyped = Some(e.into()),
        _ => {}
    }
    q
}

/// A structured reference given as such (a CODA type 101 communication, a CAMT.053
/// `CdtrRefInf/Ref`, an MT940 `/CREF/`): every error counts, including the shape.
pub fn structured(text: &str) -> Result<PayRef, RefError> {
    let t = text.trim();
    match t.parse::<PayRef>() {
        Ok(r) => Ok(r),
        // "101" followed by the twelve digits, as CODA writes it.
        Err(e) => match t.strip_prefix("101").map(str::trim).map(str::parse::<Ogm>) {
            Some(Ok(o)) => Ok(PayRef::Ogm(o)),
            Some(Err(e2)) => Err(e2.into()),
            None => Err(e),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn creditor_references_check_by_mod_97() {
        let rf: Rf = "RF18 5390 0754 7034".parse().unwrap();
        assert_eq!(rf.as_str(), "RF18539007547034");
        assert_eq!(rf.to_string(), "RF18 5390 0754 7034");
        assert_eq!("rf18539007547034".parse::<Rf>().unwrap(), rf);
        assert!(matches!("RF19 5390 0754 7034".parse::<Rf>(), Err(RfError::Check(_))));
        assert!(matches!("RF18".parse::<Rf>(), Err(RfError::Shape(_))));
        assert_eq!(Rf::generate("539007547034").unwrap(), rf);
        assert_eq!(Rf::generate("F2026-031").unwrap().as_str().get(4..), Some("F2026031"));
    }

    #[test]
    fn references_found_in_free_text() {
        let q = scan("Payment RF18 5390 0754 7034 thanks");
        assert_eq!(q.valid, [PayRef::Rf("RF18539007547034".parse().unwrap())]);
        let q = scan("invoice +++000/0000/00203+++");
        assert!(q.valid.is_empty());
        assert!(matches!(q.mistyped, Some(RefError::Ogm(OgmError::Check(_, 2)))), "{q:?}");
        let q = scan("ref RF19 5390 0754 7034");
        assert!(q.mistyped.as_ref().is_some_and(RefError::is_check), "{q:?}");
        // A bare number is no mistyped reference.
        assert_eq!(scan("account 123456789012"), Quoted::default());
        assert_eq!(scan("+++000/0000/00202+++").valid.len(), 1);
    }

    #[test]
    fn structured_fields_say_what_is_wrong() {
        assert!(structured("101000000000202").is_ok());
        assert!(structured("+++000/0000/00202+++").is_ok());
        assert!(structured("000000000203").is_err_and(|e| e.is_check()));
        assert!(structured("RF18539007547034").is_ok());
        assert!(structured("hello").is_err_and(|e| !e.is_check()));
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,60}") {
            let _ = scan(&s);
            let _ = structured(&s);
            let _ = s.parse::<PayRef>();
        }

        #[test]
        fn generated_references_round_trip(body in "[A-Z0-9]{1,21}") {
            let rf = Rf::generate(&body).unwrap();
            prop_assert_eq!(rf.to_string().parse::<Rf>().unwrap(), rf);
            prop_assert_eq!(rf.to_string().parse::<PayRef>().unwrap(), PayRef::Rf(rf));
        }
    }
}
