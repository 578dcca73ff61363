//! A figure of the notes that may be approximate: `delegates: 80`, or `delegates: ~80` when
//! the sources say "about 80". Kept apart from the number so that no page or export can
//! show an approximate figure as an exact one.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

/// A count, exact or approximate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Count {
    pub value: u32,
    /// The sources give the figure as roughly this ("about 80", "around 80").
    pub approximate: bool,
}

/// As written in a note: `80`, or `~80` for an approximate figure.
impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.approximate {
            write!(f, "~{}", self.value)
        } else {
            write!(f, "{}", self.value)
        }
    }
}

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Count, D::Error> {
        d.deserialize_any(CountVisitor)
    }
}

struct CountVisitor;

impl Visitor<'_> for CountVisitor {
    type Value = Count;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a whole number such as 80, or ~80 for an approximate one")
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Count, E> {
        let value = u32::try_from(n).map_err(|_| E::custom("the number is too large"))?;
        Ok(Count {
            value,
            approximate: false,
        })
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Count, E> {
        let n = u64::try_from(n).map_err(|_| E::custom("a count cannot be negative"))?;
        self.visit_u64(n)
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Count, E> {
        let digits = s.trim().strip_prefix('~').map(str::trim_start);
        match digits.filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())) {
            Some(d) => {
                let value = d
                    .parse()
                    .map_err(|_| E::custom("the number is too large"))?;
                Ok(Count {
                    value,
                    approximate: true,
                })
            }
            None => Err(E::invalid_value(de::Unexpected::Str(s), &self)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml: &str) -> Result<Count, String> {
        serde_yaml::from_str(yaml).map_err(|e| e.to_string())
    }

    #[test]
    fn exact_and_approximate_counts() {
        let exact = Count {
            value: 80,
            approximate: false,
        };
        let about = Count {
            value: 80,
            approximate: true,
        };
        assert_eq!(parse("80"), Ok(exact));
        assert_eq!(parse("~80"), Ok(about));
        assert_eq!(parse("\"~ 80\""), Ok(about));
        assert_eq!(
            (exact.to_string(), about.to_string()),
            ("80".into(), "~80".into())
        );
        for bad in ["about 80", "~", "~8o", "-3", "~99999999999", "8.5", "~-1"] {
            let e = parse(bad).unwrap_err();
            assert!(
                e.contains("~80") || e.contains("too large") || e.contains("negative"),
                "{bad}: {e}"
            );
        }
    }
}
