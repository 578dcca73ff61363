//! The forms' changes to a note's front matter, made in place with a lossless YAML editor
//! (`yaml-edit`): comments, key order, quoting and layout of everything the form did not
//! change stay byte for byte. The model still reads notes with serde_yaml; this module only
//! writes.

use std::str::FromStr;

use yaml_edit::{Document, Mapping, Sequence, YamlNode};

use crate::content::frontmatter;

/// Why a form's change could not be made.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EditError {
    #[error("the note has no front matter block to change")]
    NoFrontMatter,
    #[error("the front matter is not valid YAML; fix it in the text first")]
    Syntax,
    #[error("the front matter is not a mapping of keys to values")]
    NotMapping,
    #[error("`commitments` is not a list")]
    NotList,
}

/// A commitment's review, as the form gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub id: String,
    pub status: String,
    pub note: String,
}

/// `text` (a whole note) with each review written into its `commitments` list: an item with
/// the same `id` gets the new `status` and `note`, other reviews are appended as new items,
/// and the list is added at the end of the front matter if the note has none.
pub fn apply_reviews(text: &str, reviews: &[Review]) -> Result<String, EditError> {
    edit_front_matter(text, |root| {
        let list = match root.get("commitments") {
            Some(YamlNode::Sequence(list)) => list,
            Some(_) => return Err(EditError::NotList),
            None => {
                root.set("commitments", Sequence::new());
                match root.get_sequence("commitments") {
                    Some(list) => list,
                    None => return Err(EditError::NotList),
                }
            }
        };
        for review in reviews {
            write_review(&list, review);
        }
        Ok(())
    })
}

/// Writes one review into `list`, in place when the commitment is already mentioned.
fn write_review(list: &Sequence, review: &Review) {
    let existing = list.values().find_map(|item| match item {
        YamlNode::Mapping(m) if scalar_text(m.get("id")).as_deref() == Some(&review.id) => Some(m),
        _ => None,
    });
    match existing {
        Some(item) => {
            item.set("status", review.status.as_str());
            if review.note.is_empty() {
                item.remove("note");
            } else {
                item.set("note", review.note.as_str());
            }
        }
        None => {
            let item = Mapping::new_flow();
            item.set("id", review.id.as_str());
            item.set("status", review.status.as_str());
            if !review.note.is_empty() {
                item.set("note", review.note.as_str());
            }
            list.push(item);
        }
    }
}

/// The text of a scalar node (unquoted), if `node` is one.
fn scalar_text(node: Option<YamlNode>) -> Option<String> {
    match node {
        Some(YamlNode::Scalar(s)) => Some(s.as_string()),
        _ => None,
    }
}

/// Parses the front matter of `text`, lets `change` edit its top-level mapping, and puts
/// the note back together with the body untouched.
pub fn edit_front_matter(
    text: &str,
    change: impl FnOnce(&Mapping) -> Result<(), EditError>,
) -> Result<String, EditError> {
    let text = frontmatter::normalize(text);
    let split = frontmatter::split(std::path::Path::new("note.md"), &text)
        .map_err(|_| EditError::NoFrontMatter)?;
    // serde_yaml is the judge of validity: the lossless parser recovers from errors, and
    // a form must not build on a misread block.
    if serde_yaml::from_str::<serde_yaml::Value>(split.front_matter).is_err() {
        return Err(EditError::Syntax);
    }
    let doc = Document::from_str(split.front_matter).map_err(|_| EditError::Syntax)?;
    let root = doc.as_mapping().ok_or(EditError::NotMapping)?;
    change(&root)?;
    let mut yaml = doc.to_string();
    if !yaml.is_empty() && !yaml.ends_with('\n') {
        yaml.push('\n');
    }
    Ok(format!("---\n{yaml}---\n{}", split.body))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The front matter of a note, as a YAML value.
    fn front_matter(note: &str) -> serde_yaml::Value {
        serde_yaml::from_str(note.split("---\n").nth(1).unwrap()).unwrap()
    }

    fn review(id: &str, status: &str, note: &str) -> Review {
        Review {
            id: id.into(),
            status: status.into(),
            note: note.into(),
        }
    }

    #[test]
    fn a_review_changes_only_the_item_it_names() {
        let note = "---\n# the ordinal\nsession: 3\ncommitments:\n  # kept\n  - { id: a, status: agreed }   # trailing\n  - { id: b, status: proposed, note: old }\nsources: []\n---\nBody\n";
        let out = apply_reviews(note, &[review("b", "completed", "done at last")]).unwrap();
        assert!(out.contains("# the ordinal\nsession: 3\n"));
        assert!(out.contains("  # kept\n  - { id: a, status: agreed }   # trailing\n"));
        assert!(out.ends_with("sources: []\n---\nBody\n"), "{out}");
        let v = front_matter(&out);
        assert_eq!(v["commitments"][1]["status"], "completed");
        assert_eq!(v["commitments"][1]["note"], "done at last");
    }

    #[test]
    fn a_review_of_an_unmentioned_commitment_is_appended() {
        let note = "---\nsession: 3\ncommitments:\n  - id: a\n    status: agreed\n---\nBody\n";
        let out = apply_reviews(note, &[review("c", "in-progress", "a note: with colon")]).unwrap();
        let v = front_matter(&out);
        assert_eq!(v["commitments"][1]["id"], "c");
        assert_eq!(v["commitments"][1]["note"], "a note: with colon");
        let none = "---\nsession: 3 # x\n---\nBody\n";
        let out = apply_reviews(none, &[review("c", "agreed", "")]).unwrap();
        let v = front_matter(&out);
        assert_eq!(v["commitments"][0]["status"], "agreed");
        assert!(out.starts_with("---\nsession: 3 # x\n"));
    }
}
