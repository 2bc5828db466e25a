//! CSV import profiles: the `--map` choices that read one bank's CSV export, by name. The
//! user's are saved with `--save-profile NAME` in `profiles.toml` beside `config.toml`
//! (settle writes that file whole; `config.toml` stays the user's own). settle ships
//! profiles for the exports whose column layouts are publicly described. A profile also
//! keeps the headers of the export it reads, so a file with those headers is read by it
//! with no option at all.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::normalize_name;

/// A named set of `--map FIELD=COLUMN` choices and the headers that recognise the export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    #[serde(skip)]
    pub name: String,
    pub map: Vec<String>,
    /// Headers every file this profile reads has (all of them, compared without case,
    /// accents or punctuation).
    #[serde(default)]
    pub headers: Vec<String>,
}

struct Shipped {
    name: &'static str,
    bank: &'static str,
    headers: &'static [&'static str],
    map: &'static [&'static str],
}

/// The banks' CSV exports settle knows. Each header list is what identifies the export; the
/// map names only what settle's own column names would read wrongly or not at all.
const SHIPPED: &[Shipped] = &[
    Shipped {
        name: "kbc",
        bank: "KBC / CBC (Belgium)",
        headers: &["Rekeningnummer", "Afschriftnummer", "Datum", "Valuta", "Bedrag", "Naam tegenpartij"],
        // "Valuta" is the value date, not the currency ("Munt" is); "credit" and "debet"
        // repeat "Bedrag"; "Naam" is the account holder, not the counterparty.
        map: &[
            "value_date=Valuta",
            "amount=Bedrag",
            "currency=Munt",
            "counterparty=Naam tegenpartij",
            "counterparty_iban=rekeningnummer tegenpartij",
        ],
    },
    Shipped {
        name: "bnp-fortis",
        bank: "BNP Paribas Fortis (Belgium, Dutch headers)",
        headers: &[
            "Volgnummer",
            "Uitvoeringsdatum",
            "Valutadatum",
            "Bedrag",
            "Valuta rekening",
            "Tegenpartij",
        ],
        // "Tegenpartij" is the counterparty's account; its name is "Naam van de tegenpartij".
        map: &[
            "currency=Valuta rekening",
            "counterparty=Naam van de tegenpartij",
            "counterparty_iban=Tegenpartij",
        ],
    },
    Shipped {
        name: "ing-nl",
        bank: "ING (Netherlands)",
        headers: &["Datum", "Naam / Omschrijving", "Rekening", "Tegenrekening", "Af Bij", "Bedrag (EUR)"],
        // Amounts are unsigned: "Af Bij" says which way the money went.
        map: &["counterparty=Naam / Omschrijving", "amount=Bedrag (EUR)", "communication=Mededelingen"],
    },
    Shipped {
        name: "rabobank",
        bank: "Rabobank (Netherlands)",
        headers: &["IBAN/BBAN", "Munt", "Volgnr", "Datum", "Rentedatum", "Bedrag", "Tegenrekening IBAN/BBAN"],
        map: &[
            "communication=Omschrijving-1",
            "communication=Omschrijving-2",
            "communication=Omschrijving-3",
            "communication=Betalingskenmerk",
        ],
    },
];

/// The shipped profiles, with the bank each is for.
pub fn shipped() -> Vec<(Profile, &'static str)> {
    SHIPPED
        .iter()
        .map(|s| {
            (
                Profile {
                    name: s.name.to_string(),
                    map: s.map.iter().map(|m| m.to_string()).collect(),
                    headers: s.headers.iter().map(|h| h.to_string()).collect(),
                },
                s.bank,
            )
        })
        .collect()
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct File {
    #[serde(default)]
    profile: std::collections::BTreeMap<String, Profile>,
}

/// The user's saved profiles and where they are kept.
#[derive(Debug, Clone, Default)]
pub struct Profiles {
    pub path: Option<PathBuf>,
    pub saved: Vec<Profile>,
}

/// The file profiles are saved in, beside the configuration file.
pub fn path_beside(config: &Path) -> PathBuf {
    config.with_file_name("profiles.toml")
}

/// Whether a name can name a profile: 1 to 32 lower-case letters, digits, `-` or `_`.
pub fn check_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 32
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(format!("'{name}' cannot name a profile: use 1 to 32 lower-case letters, digits, - or _"))
    }
}

impl Profiles {
    /// Reads the saved profiles at `path` (none when the file does not exist).
    pub fn load(path: &Path) -> Result<Profiles, String> {
        if !path.exists() {
            return Ok(Profiles { path: Some(path.to_path_buf()), saved: Vec::new() });
        }
        let bytes = crate::platform::files::read_input(path).map_err(|e| e.to_string())?;
        let text = String::from_utf8(bytes).map_err(|_| format!("{}: not UTF-8 text", path.display()))?;
        let file: File = toml::from_str(&text).map_err(|e| format!("{}: {}", path.display(), e.message()))?;
        let mut saved = Vec::new();
        for (name, mut p) in file.profile {
            check_name(&name).map_err(|e| format!("{}: {e}", path.display()))?;
            p.name = name;
            saved.push(p);
        }
        Ok(Profiles { path: Some(path.to_path_buf()), saved })
    }

    /// A profile by name: the user's own first, then the shipped ones.
    pub fn find(&self, name: &str) -> Option<Profile> {
        self.saved
            .iter()
            .find(|p| p.name == name)
            .cloned()
            .or_else(|| shipped().into_iter().map(|(p, _)| p).find(|p| p.name == name))
    }

    /// The profile whose headers the file has (the user's first), if one does.
    pub fn detect(&self, headers: &[String]) -> Option<Profile> {
        let have: Vec<String> = headers.iter().map(|h| normalize_name(h)).collect();
        let fits = |p: &Profile| {
            !p.headers.is_empty() && p.headers.iter().all(|h| have.contains(&normalize_name(h)))
        };
        self.saved
            .iter()
            .find(|p| fits(p))
            .cloned()
            .or_else(|| shipped().into_iter().map(|(p, _)| p).find(fits))
    }

    /// Every profile's name, for a message.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.saved.iter().map(|p| p.name.clone()).collect();
        names.extend(shipped().into_iter().map(|(p, _)| p.name));
        names
    }

    /// Saves (or replaces) a profile and writes the file whole, readable by the user only.
    pub fn save(&mut self, profile: Profile) -> Result<PathBuf, String> {
        check_name(&profile.name)?;
        let path = self.path.clone().ok_or("no place to save profiles (no configuration file path)")?;
        self.saved.retain(|p| p.name != profile.name);
        self.saved.push(profile);
        let file = File { profile: self.saved.iter().map(|p| (p.name.clone(), p.clone())).collect() };
        let body = toml::to_string(&file).map_err(|e| e.to_string())?;
        let text = format!(
            "# settle's CSV import profiles: settle import payments FILE --map … --save-profile NAME\n\
             # writes them; --profile NAME reads a file by one, and a file with a profile's headers\n\
             # is read by it with no option.\n\n{body}"
        );
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        crate::platform::files::write_private(&path, &text)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_profiles_are_found_by_their_headers() {
        let p = Profiles::default();
        let kbc: Vec<String> = "Rekeningnummer;Rubrieknaam;Naam;Munt;Afschriftnummer;Datum;Omschrijving;Valuta;Bedrag;Saldo;credit;debet;rekeningnummer tegenpartij;BIC tegenpartij;Naam tegenpartij;Adres tegenpartij;gestructureerde mededeling;Vrije mededeling"
            .split(';')
            .map(str::to_string)
            .collect();
        assert_eq!(p.detect(&kbc).map(|p| p.name), Some("kbc".into()));
        assert_eq!(p.detect(&["date".into(), "amount".into()]), None);
        assert!(p.find("rabobank").is_some());
        for (s, _) in shipped() {
            assert!(check_name(&s.name).is_ok());
        }
    }

    #[test]
    fn saved_profiles_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_beside(&dir.path().join("config.toml"));
        let mut p = Profiles::load(&path).unwrap();
        p.save(Profile {
            name: "mybank".into(),
            map: vec!["amount=Som".into()],
            headers: vec!["Som".into(), "Dag".into()],
        })
        .unwrap();
        let back = Profiles::load(&path).unwrap();
        assert_eq!(back.find("mybank").unwrap().map, ["amount=Som"]);
        assert_eq!(back.detect(&["dag".into(), "SOM".into(), "x".into()]).unwrap().name, "mybank");
        assert!(p.save(Profile { name: "Bad Name".into(), map: vec![], headers: vec![] }).is_err());
    }
}
