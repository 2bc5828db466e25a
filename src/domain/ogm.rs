//! The Belgian structured payment reference ("OGM" / "communication structurée"):
//! `+++ddd/dddd/ddddd+++`, twelve digits whose last two are the first ten mod 97 (0 → 97).

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ogm(u64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OgmError {
    #[error("'{0}' is not a structured reference: it needs 12 digits (+++123/4567/89002+++)")]
    Shape(String),
    #[error("'{0}' fails its check digits (expected {1:02})")]
    Check(String, u64),
    #[error("{0} does not fit in the 10 digits of a structured reference")]
    TooLarge(u64),
}

fn check_digits(base: u64) -> u64 {
    match base % 97 {
        0 => 97,
        r => r,
    }
}

impl Ogm {
    /// The reference for a base number of at most ten digits (an invoice sequence number).
    pub fn generate(base: u64) -> Result<Ogm, OgmError> {
        if base >= 10_000_000_000 {
            return Err(OgmError::TooLarge(base));
        }
        Ok(Ogm(base * 100 + check_digits(base)))
    }

    /// The ten-digit base number the reference carries.
    pub fn base(&self) -> u64 {
        self.0 / 100
    }

    /// The twelve digits with no decoration, as banks print them in statements.
    pub fn digits(&self) -> String {
        format!("{:012}", self.0)
    }

    /// Finds a valid structured reference anywhere in free text (a bank communication).
    pub fn find_in(text: &str) -> Option<Ogm> {
        let digits: Vec<(usize, char)> = text.char_indices().collect();
        for start in 0..digits.len() {
            let mut found = String::new();
            for (_, c) in &digits[start..] {
                if c.is_ascii_digit() {
                    found.push(*c);
                    if found.len() == 12 {
                        break;
                    }
                } else if !matches!(c, '/' | ' ' | '+' | '*') {
                    break;
                }
            }
            if found.len() == 12
                && digits[start].1.is_ascii_digit()
                && let Ok(ogm) = found.parse()
            {
                return Some(ogm);
            }
        }
        None
    }
}

impl Ogm {
    /// A valid reference anywhere in free text, or else the first one written as a
    /// structured reference is written (`+++…+++`, `***…***` or `ddd/dddd/ddddd`) whose
    /// check digits fail: a mistyped reference, not a missing one.
    pub fn scan(text: &str) -> Option<Result<Ogm, OgmError>> {
        if let Some(ogm) = Ogm::find_in(text) {
            return Some(Ok(ogm));
        }
        for fence in ["+++", "***"] {
            let mut rest = text;
            while let Some(i) = rest.find(fence) {
                let after = &rest[i + 3..];
                if let Some(j) = after.find(fence) {
                    let inner = &after[..j];
                    if inner.chars().filter(char::is_ascii_digit).count() == 12
                        && inner.chars().all(|c| c.is_ascii_digit() || matches!(c, '/' | ' '))
                        && let Err(e) = format!("{fence}{inner}{fence}").parse::<Ogm>()
                    {
                        return Some(Err(e));
                    }
                }
                rest = after;
            }
        }
        let b = text.as_bytes();
        let digits =
            |from: usize, n: usize| b.get(from..from + n).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
        (0..b.len()).find_map(|i| {
            let shaped = (i == 0 || !b[i - 1].is_ascii_digit())
                && digits(i, 3)
                && b.get(i + 3) == Some(&b'/')
                && digits(i + 4, 4)
                && b.get(i + 8) == Some(&b'/')
                && digits(i + 9, 5)
                && !b.get(i + 14).is_some_and(u8::is_ascii_digit);
            if shaped { text.get(i..i + 14).and_then(|t| t.parse::<Ogm>().err()).map(Err) } else { None }
        })
    }
}

impl FromStr for Ogm {
    type Err = OgmError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim();
        let inner = trimmed
            .strip_prefix("+++")
            .and_then(|r| r.strip_suffix("+++"))
            .or_else(|| trimmed.strip_prefix("***").and_then(|r| r.strip_suffix("***")))
            .unwrap_or(trimmed);
        let digits: String = inner.chars().filter(|c| !matches!(c, '/' | ' ')).collect();
        if digits.len() != 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(OgmError::Shape(trimmed.to_string()));
        }
        let value: u64 = digits.parse().map_err(|_| OgmError::Shape(trimmed.to_string()))?;
        let expected = check_digits(value / 100);
        if value % 100 != expected {
            return Err(OgmError::Check(trimmed.to_string(), expected));
        }
        Ok(Ogm(value))
    }
}

impl fmt::Display for Ogm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.digits();
        write!(f, "+++{}/{}/{}+++", &d[0..3], &d[3..7], &d[7..12])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_references() {
        assert_eq!(Ogm::generate(2).unwrap().to_string(), "+++000/0000/00202+++");
        assert!("+++000/0000/00202+++".parse::<Ogm>().is_ok());
        assert!("000000000202".parse::<Ogm>().is_ok());
        // 97 divides 97 → check digits 97, not 00.
        assert_eq!(Ogm::generate(97).unwrap().to_string(), "+++000/0000/09797+++");
        assert!(matches!("+++000/0000/00203+++".parse::<Ogm>(), Err(OgmError::Check(_, 2))));
        assert!(matches!("+++000/0000/002+++".parse::<Ogm>(), Err(OgmError::Shape(_))));
        assert!(Ogm::generate(10_000_000_000).is_err());
    }

    #[test]
    fn found_in_bank_communications() {
        let ogm = Ogm::find_in("paid +++000/0000/00202+++ thanks").unwrap();
        assert_eq!(ogm.base(), 2);
        assert_eq!(Ogm::find_in("000/0000/00202").map(|o| o.base()), Some(2));
        assert!(Ogm::find_in("invoice F2026-031").is_none());
    }

    #[test]
    fn mistyped_references_are_told_apart_from_missing_ones() {
        assert!(matches!(Ogm::scan("pay +++000/0000/00203+++"), Some(Err(OgmError::Check(_, 2)))));
        assert!(matches!(Ogm::scan("pay ***000/0000/00203***"), Some(Err(OgmError::Check(_, 2)))));
        assert!(matches!(Ogm::scan("pay 000/0000/00203 thx"), Some(Err(OgmError::Check(_, 2)))));
        assert!(matches!(Ogm::scan("pay +++000/0000/00202+++"), Some(Ok(_))));
        assert_eq!(Ogm::scan("account 000000000203"), None);
        assert_eq!(Ogm::scan("invoice F2026-031"), None);
    }

    proptest! {
        #[test]
        fn round_trips(base in 0u64..10_000_000_000) {
            let ogm = Ogm::generate(base).unwrap();
            let back: Ogm = ogm.to_string().parse().unwrap();
            prop_assert_eq!(back, ogm);
            prop_assert_eq!(back.base(), base);
        }

        #[test]
        fn never_panics_on_text(s in "\\PC{0,40}") {
            let _ = s.parse::<Ogm>();
            let _ = Ogm::find_in(&s);
            let _ = Ogm::scan(&s);
        }
    }
}
