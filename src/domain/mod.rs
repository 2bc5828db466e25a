//! The pure domain: types and rules, no I/O and no clock ("today" is always a parameter).

pub mod agenda;
pub mod aging;
pub mod agreement;
pub mod alerts;
pub mod behaviour;
pub mod call;
pub mod call_form;
pub mod claim;
pub mod costs;
pub mod customer;
pub mod dates;
pub mod dso;
pub mod event;
pub mod forecast;
pub mod format;
pub mod idmap;
pub mod input;
pub mod interest;
pub mod invoice;
pub mod ladder;
pub mod limits;
pub mod money;
pub mod numbers;
pub mod ogm;
pub mod pause;
pub mod policy;
pub mod reference;
pub mod rungs;
pub mod template;
pub mod text;

/// A string-backed enum: stable snake_case names for the database, the command line and
/// JSON, a `FromStr` that lists the accepted names in its error, and `ALL` in order.
macro_rules! str_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(&self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::domain::UnknownName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                // The stored name as it is (every row read from the book) needs no copy.
                match s {
                    $($text => return Ok($name::$variant),)+
                    _ => {}
                }
                let t = s.trim().to_ascii_lowercase().replace('-', "_");
                match t.as_str() {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::domain::UnknownName {
                        what: stringify!($name),
                        given: s.trim().to_string(),
                        expected: &[$($text),+],
                    }),
                }
            }
        }
    };
}
pub(crate) use str_enum;

/// A name that is not one of an enum's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {} '{given}' (expected one of: {})", what.to_ascii_lowercase(), expected.join(", "))]
pub struct UnknownName {
    pub what: &'static str,
    pub given: String,
    pub expected: &'static [&'static str],
}
