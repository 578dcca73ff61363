//! What can still be read of a note that cannot be loaded: its ordinal and the ids of the
//! commitments it names. The checks across notes use it to leave alone what depends on the
//! note (a gap where it stands, a commitment it introduces) rather than report knock-on
//! errors of the one that stopped it.

/// The ordinal and commitment ids written in a note, as far as they can be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Glimpse {
    pub ordinal: Option<u32>,
    /// Every `id:` written in the front matter.
    pub ids: Vec<String>,
}

/// Reads `session:` and every `id:` from a note's text, whether or not it is valid YAML:
/// as YAML when it parses, otherwise line by line.
pub fn glimpse(text: &str) -> Glimpse {
    let front = front_matter(text);
    // What the front matter's own parse refuses as too costly is only read line by line.
    let parsable = front.len() <= super::frontmatter::MAX_FRONT_MATTER_BYTES
        && super::frontmatter::too_deep(front).is_none();
    if parsable && let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(front) {
        let ordinal = (value.get("session"))
            .and_then(serde_yaml::Value::as_u64)
            .and_then(|n| u32::try_from(n).ok());
        let ids = (value.get("commitments").and_then(|c| c.as_sequence()))
            .map(|list| {
                (list.iter())
                    .filter_map(|m| m.get("id")?.as_str().map(|s| s.trim().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        return Glimpse { ordinal, ids };
    }
    let mut found = Glimpse::default();
    for line in front.lines() {
        if let Some(n) = line.strip_prefix("session:") {
            found.ordinal = plain(n).parse().ok();
        }
        let mut rest = line;
        while let Some(at) = rest.find("id:") {
            let starts = rest[..at].ends_with([' ', '{', ',', '-']) || at == 0;
            rest = &rest[at + 3..];
            let id = plain(rest.split([',', '}']).next().unwrap_or(""));
            if starts && !id.is_empty() {
                found.ids.push(id.to_string());
            }
        }
    }
    found
}

/// The front matter of `text`: between the first two `---` lines (all of it when there
/// is no closing line).
fn front_matter(text: &str) -> &str {
    let Some(rest) = text.trim_start_matches('\u{feff}').strip_prefix("---") else {
        return "";
    };
    let end = rest.find("\n---").unwrap_or(rest.len());
    &rest[..end]
}

/// A plain or quoted scalar without its comment and quotes.
fn plain(value: &str) -> &str {
    let value = value.split(" #").next().unwrap_or("").trim();
    value.trim_matches(['"', '\''])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_ordinal_and_ids_of_valid_and_broken_notes() {
        let ok = "---\nsession: 3\ncty: x\ncommitments:\n  - { id: a, title: A }\n  - id: b\n---\n";
        assert_eq!(
            glimpse(ok),
            Glimpse {
                ordinal: Some(3),
                ids: vec!["a".into(), "b".into()]
            }
        );
        let broken = "---\nsession: 4 # late\ncity: \"x\ncommitments:\n  - { id: \"a\", status: agreed }\n---\n";
        assert_eq!(
            glimpse(broken),
            Glimpse {
                ordinal: Some(4),
                ids: vec!["a".into()]
            }
        );
        assert_eq!(glimpse("no front matter"), Glimpse::default());
    }
}
