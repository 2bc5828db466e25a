//! The EPC QR code's payload: the SEPA "scan to pay" code banking apps read (European
//! Payments Council, EPC069-12 "Quick Response Code: Guidelines to Enable Data Capture for
//! the Initiation of a SEPA Credit Transfer"). Pure: no I/O.
//!
//! The payload is one element per line, in this order: the service tag `BCD`, the version
//! `002` (the BIC may then be left empty inside the EEA), the character set `1` (UTF-8), the
//! identification `SCT`, the beneficiary's BIC, name (at most 70 characters) and IBAN, the
//! amount `EUR<amount>` (0.01 to 999999999.99, at most two decimals), the purpose code (left
//! empty), then the remittance information, which is EITHER structured (line 10: an ISO 11649
//! "RF" creditor reference, at most 35 characters) OR unstructured (line 11: free text, at
//! most 140 characters), never both (EPC069-12 §3.4, data element table: "Remittance
//! Information (Structured) … Creditor Reference (ISO 11649 RF Creditor Reference may be
//! used)" / "Remittance Information (Unstructured)"). A Belgian structured communication
//! (OGM, `+++123/4567/89012+++`) is not an ISO 11649 reference, so it goes in the
//! unstructured line, where Belgian banks read it as the structured communication. The
//! guideline's code is EUR only (SEPA credit transfers are in euro): an invoice in another
//! currency gets no code. QR error correction level M, at most version 13 (331 bytes).

use rust_decimal::Decimal;

use crate::domain::money::Currency;
use crate::domain::reference::PayRef;

/// A credit transfer to encode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer<'a> {
    pub bic: &'a str,
    pub name: &'a str,
    pub iban: &'a str,
    pub amount: Decimal,
    pub currency: Currency,
    pub reference: Option<PayRef>,
    /// What to write in the unstructured remittance when there is no reference (the
    /// invoice's number).
    pub fallback: &'a str,
}

/// Why a transfer cannot be a code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EpcError {
    #[error("the EPC QR code is for euro transfers only, not {0}")]
    NotEuro(String),
    #[error("the amount {0} is outside what the EPC QR code carries (0.01 to 999999999.99)")]
    Amount(Decimal),
    #[error("no IBAN: set iban under [me]")]
    NoIban,
    #[error("the IBAN '{0}' is longer than 34 characters")]
    LongIban(String),
    #[error("no beneficiary name: set name or company under [me]")]
    NoName,
    #[error("the payload is {0} bytes, more than the 331 an EPC QR code may hold")]
    TooLong(usize),
}

/// The most bytes of a payload (QR version 13 at error level M).
pub const MAX_BYTES: usize = 331;

/// One line of text: control characters (a line break would shift every later element)
/// become spaces, runs of spaces one.
fn one_line(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn at_most(s: &str, chars: usize) -> String {
    s.chars().take(chars).collect()
}

/// The EPC069-12 payload of `t`.
pub fn payload(t: &Transfer) -> Result<String, EpcError> {
    if t.currency != Currency::EUR {
        return Err(EpcError::NotEuro(t.currency.as_str().to_string()));
    }
    let amount = t.amount.round_dp(2);
    if amount < Decimal::new(1, 2) || amount > Decimal::new(99_999_999_999, 2) {
        return Err(EpcError::Amount(t.amount));
    }
    let iban: String =
        t.iban.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_uppercase();
    if iban.is_empty() {
        return Err(EpcError::NoIban);
    }
    if iban.len() > 34 {
        return Err(EpcError::LongIban(iban));
    }
    let name = at_most(&one_line(t.name), 70);
    if name.is_empty() {
        return Err(EpcError::NoName);
    }
    let bic: String = t.bic.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_uppercase();
    let bic = if matches!(bic.len(), 8 | 11) { bic } else { String::new() };
    let (structured, unstructured) = match t.reference {
        // ISO 11649: the structured line, without the spaces it is printed with.
        Some(PayRef::Rf(rf)) => (rf.as_str().to_string(), String::new()),
        // The Belgian OGM: the unstructured line (see the module's note).
        Some(PayRef::Ogm(ogm)) => (String::new(), ogm.to_string()),
        None => (String::new(), at_most(&one_line(t.fallback), 140)),
    };
    let lines = [
        "BCD".to_string(),
        "002".into(),
        "1".into(),
        "SCT".into(),
        bic,
        name,
        iban,
        format!("EUR{amount:.2}"),
        String::new(),
        structured,
        unstructured,
    ];
    // The last element present ends the payload: no trailing empty lines.
    let last = lines.iter().rposition(|l| !l.is_empty()).unwrap_or(0);
    let text = lines[..=last].join("\n");
    if text.len() > MAX_BYTES {
        return Err(EpcError::TooLong(text.len()));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn transfer(reference: Option<PayRef>) -> Transfer<'static> {
        Transfer {
            bic: "gkcc bebb",
            name: "Peeters\nOntwerp",
            iban: "BE68 5390 0754 7034",
            amount: dec!(1234.5),
            currency: Currency::EUR,
            reference,
            fallback: "F2026-031",
        }
    }

    #[test]
    fn an_ogm_goes_in_the_unstructured_line() {
        let ogm = "+++000/0000/00202+++".parse().unwrap();
        assert_eq!(
            payload(&transfer(Some(PayRef::Ogm(ogm)))).unwrap(),
            "BCD\n002\n1\nSCT\nGKCCBEBB\nPeeters Ontwerp\nBE68539007547034\nEUR1234.50\n\n\n+++000/0000/00202+++"
        );
    }

    #[test]
    fn an_rf_reference_goes_in_the_structured_line_and_ends_the_payload() {
        let rf = "RF18 5390 0754 7034".parse().unwrap();
        assert_eq!(
            payload(&transfer(Some(PayRef::Rf(rf)))).unwrap(),
            "BCD\n002\n1\nSCT\nGKCCBEBB\nPeeters Ontwerp\nBE68539007547034\nEUR1234.50\n\nRF18539007547034"
        );
    }

    #[test]
    fn without_a_reference_the_invoice_number_is_the_remittance_and_the_bic_may_be_empty() {
        let t = Transfer { bic: "", amount: dec!(0.01), ..transfer(None) };
        assert_eq!(
            payload(&t).unwrap(),
            "BCD\n002\n1\nSCT\n\nPeeters Ontwerp\nBE68539007547034\nEUR0.01\n\n\nF2026-031"
        );
    }

    #[test]
    fn other_currencies_and_amounts_out_of_range_get_no_code() {
        let usd = Transfer { currency: "USD".parse().unwrap(), ..transfer(None) };
        assert_eq!(payload(&usd), Err(EpcError::NotEuro("USD".into())));
        for amount in [dec!(0), dec!(-5), dec!(0.004), dec!(1000000000)] {
            assert_eq!(payload(&Transfer { amount, ..transfer(None) }), Err(EpcError::Amount(amount)));
        }
        assert_eq!(payload(&Transfer { iban: " ", ..transfer(None) }), Err(EpcError::NoIban));
        assert_eq!(payload(&Transfer { name: "\n", ..transfer(None) }), Err(EpcError::NoName));
    }
}
