//! Invoice numbers kept by position in one string: a hundred thousand small strings cost
//! several times their text (the agenda's lines, the bank import's open invoices).

/// Invoice numbers by position, in one string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Numbers {
    text: String,
    ends: Vec<u32>,
}

impl Numbers {
    pub fn push(&mut self, number: &str) {
        self.text.push_str(number);
        self.ends.push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
    }

    /// How many numbers are kept.
    pub fn len(&self) -> u32 {
        u32::try_from(self.ends.len()).unwrap_or(u32::MAX)
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Appends `other`'s numbers after these.
    pub fn extend(&mut self, other: &Numbers) {
        let base = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        self.text.push_str(&other.text);
        self.ends.extend(other.ends.iter().map(|e| e.saturating_add(base)));
    }

    /// The `i`-th number ("" past the end).
    pub fn get(&self, i: usize) -> &str {
        let start = match i.checked_sub(1) {
            Some(p) => self.ends.get(p).copied(),
            None => Some(0),
        };
        match (start, self.ends.get(i)) {
            (Some(a), Some(b)) => self.text.get(a as usize..*b as usize).unwrap_or(""),
            _ => "",
        }
    }
}
