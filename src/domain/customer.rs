//! Customers and how they are treated.

use super::str_enum;
use super::text::{Lines, check_optional, check_text};

str_enum!(
    /// The language letters and scripts are written in.
    Language { En => "en", Nl => "nl", Fr => "fr", De => "de" }
);

str_enum!(
    /// Drives the collection scenario: a trusted customer gets a call before a written reminder.
    Profile { Trusted => "trusted", Standard => "standard", New => "new" }
);

str_enum!(
    /// Business or consumer: the law on late interest and costs differs.
    CustomerKind { Business => "business", Consumer => "consumer" }
);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CustomerId(pub i64);

/// The first name in a person's name, for "Beste Jan,"; empty when the name starts with a
/// title ("Mr.", "Dhr.", "Mme"), which leaves a letter to its formal opening.
pub fn first_name(name: &str) -> String {
    let first = name.split_whitespace().next().unwrap_or("");
    let titles = ["mr", "mrs", "ms", "dr", "dhr", "mevr", "mw", "m", "mme", "mlle", "prof"];
    if first.ends_with('.') || titles.contains(&first.to_lowercase().as_str()) {
        String::new()
    } else {
        first.to_string()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    pub id: CustomerId,
    pub name: String,
    pub contact: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub vat: Option<String>,
    pub language: Language,
    pub profile: Profile,
    pub kind: CustomerKind,
    pub terms_days: u32,
    pub archived: bool,
    /// The postal address, one line per line of the envelope.
    pub address: Option<String>,
}

impl Customer {
    /// The customer's own fields, as they would be entered again (an edit starts from these).
    pub fn to_new(&self) -> NewCustomer {
        NewCustomer {
            name: self.name.clone(),
            contact: self.contact.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            vat: self.vat.clone(),
            language: self.language,
            profile: self.profile,
            kind: self.kind,
            terms_days: self.terms_days,
            address: self.address.clone(),
        }
    }
}

/// What it takes to create a customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCustomer {
    pub name: String,
    pub contact: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub vat: Option<String>,
    pub language: Language,
    pub profile: Profile,
    pub kind: CustomerKind,
    pub terms_days: u32,
    /// The postal address, one line per line of the envelope.
    pub address: Option<String>,
}

/// A postal address as typed on one line (the command line's `--address`, the app's form):
/// lines separated by new lines or " | ", each trimmed, blank lines dropped; `None` when
/// nothing is left. Stored with one line per line of the envelope.
pub fn parse_address(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.split(['\n', '|']).map(str::trim).filter(|l| !l.is_empty()).collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// A stored postal address on one line, as [`parse_address`] reads it back: "Dok Noord 7 | 9000 Gent".
pub fn address_line(address: Option<&str>) -> String {
    address.map(|a| a.lines().collect::<Vec<_>>().join(" | ")).unwrap_or_default()
}

/// The longest postal address taken in, in characters (a few lines of an envelope).
pub const MAX_ADDRESS_CHARS: usize = 500;

impl NewCustomer {
    pub fn named(name: impl Into<String>) -> Self {
        NewCustomer {
            name: name.into(),
            contact: None,
            email: None,
            phone: None,
            vat: None,
            language: Language::En,
            profile: Profile::Standard,
            kind: CustomerKind::Business,
            terms_days: 30,
            address: None,
        }
    }

    /// Checks what the database cannot: a name that is not blank, a plausible email, and no
    /// character a terminal would obey in any text.
    pub fn validate(&self) -> Result<(), String> {
        if self.name.trim().is_empty() {
            return Err("the customer name is empty".into());
        }
        check_text("customer name", &self.name, Lines::One).map_err(|e| e.to_string())?;
        for (field, value) in [
            ("contact", &self.contact),
            ("email", &self.email),
            ("phone", &self.phone),
            ("VAT number", &self.vat),
        ] {
            check_optional(field, value.as_deref(), Lines::One).map_err(|e| e.to_string())?;
        }
        check_optional("address", self.address.as_deref(), Lines::Many).map_err(|e| e.to_string())?;
        use super::limits::{MAX_EMAIL_CHARS, check_length, identifier, name};
        check_length("the address", self.address.as_deref().unwrap_or_default(), MAX_ADDRESS_CHARS)?;
        name("the customer name", &self.name)?;
        name("the contact's name", self.contact.as_deref().unwrap_or_default())?;
        check_length("the email address", self.email.as_deref().unwrap_or_default(), MAX_EMAIL_CHARS)?;
        identifier("the phone number", self.phone.as_deref().unwrap_or_default())?;
        identifier("the VAT number", self.vat.as_deref().unwrap_or_default())?;
        if let Some(email) = &self.email
            && !(email.contains('@') && !email.starts_with('@') && !email.ends_with('@'))
        {
            return Err(format!("'{email}' is not an email address"));
        }
        if self.terms_days > 365 {
            return Err(format!("payment terms of {} days are longer than a year", self.terms_days));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_and_errors_list_the_choices() {
        assert_eq!("Trusted".parse::<Profile>(), Ok(Profile::Trusted));
        let err = "vip".parse::<Profile>().unwrap_err().to_string();
        assert_eq!(err, "unknown profile 'vip' (expected one of: trusted, standard, new)");
        assert_eq!("nl".parse::<Language>(), Ok(Language::Nl));
    }

    #[test]
    fn validation() {
        assert!(NewCustomer::named("Acme").validate().is_ok());
        assert!(NewCustomer::named("  ").validate().is_err());
        let mut c = NewCustomer::named("Acme");
        c.email = Some("nope".into());
        assert!(c.validate().is_err());
    }
}

/// A dated relationship note on a customer, optionally about one invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub id: i64,
    pub customer: CustomerId,
    pub invoice: Option<super::invoice::InvoiceId>,
    pub on: chrono::NaiveDate,
    pub body: String,
}
