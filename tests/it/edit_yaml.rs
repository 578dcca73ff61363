//! The forms of `pactline serve --edit` write YAML into notes with a lossless editor: on
//! every fixture note, an edit that changes nothing gives the same bytes, and a review keeps
//! every comment, key and value the form did not change, in the order they were written.

use std::path::PathBuf;

use pactline::serve::edit::yaml::{self, Review};

use crate::support::fixtures;

/// Every session note of every fixture, below `tests/fixtures/*/content/sessions/`.
fn fixture_notes() -> Vec<PathBuf> {
    let mut notes: Vec<PathBuf> = walkdir::WalkDir::new(fixtures())
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "md")
                && p.components().any(|c| c.as_os_str() == "sessions")
        })
        .collect();
    notes.sort();
    assert!(notes.len() > 20, "{notes:?}");
    notes
}

/// Whether `inner`'s lines appear in `outer` in the same order.
fn lines_kept_in_order(inner: &str, outer: &str) -> bool {
    let mut rest = outer.lines();
    inner.lines().all(|line| rest.any(|l| l == line))
}

#[test]
fn form_edits_keep_every_fixture_note_s_comments_and_key_order() {
    let mut edited = 0;
    for path in fixture_notes() {
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text.replace("\r\n", "\n");
        let shown = path.strip_prefix(fixtures()).unwrap().display().to_string();
        let front = front_matter(&text);
        let parses = front
            .as_ref()
            .is_some_and(|f| serde_yaml::from_str::<serde_yaml::Mapping>(f).is_ok());
        // Nothing changed: byte for byte the same note.
        let same = yaml::edit_front_matter(&text, |_| Ok(()));
        if !parses {
            assert!(same.is_err(), "{shown}: a broken block is not edited");
            continue;
        }
        assert_eq!(same.as_deref(), Ok(text.as_str()), "{shown}");
        // A review appended: every line of the note is still there, in order, and the
        // model reads the same values plus the review.
        let review = Review {
            id: "round-trip".into(),
            status: "agreed".into(),
            note: "Checked: \"quoted\", # not a comment".into(),
        };
        let out = yaml::apply_reviews(&text, std::slice::from_ref(&review)).unwrap();
        assert!(
            lines_kept_in_order(&text, &out),
            "{shown}:\n{text}\n---- became\n{out}"
        );
        let before: serde_yaml::Mapping = serde_yaml::from_str(&front.unwrap()).unwrap();
        let after: serde_yaml::Mapping = serde_yaml::from_str(&front_matter(&out).unwrap())
            .unwrap_or_else(|e| panic!("{shown}: {e}\n{out}"));
        let keys = |m: &serde_yaml::Mapping| m.keys().cloned().collect::<Vec<_>>();
        let mut expected_keys = keys(&before);
        let commitments = serde_yaml::Value::from("commitments");
        if !expected_keys.contains(&commitments) {
            expected_keys.push(commitments.clone());
        }
        assert_eq!(keys(&after), expected_keys, "{shown}: key order");
        for (k, v) in &before {
            if k != &commitments {
                assert_eq!(after.get(k), Some(v), "{shown}: {k:?}");
            }
        }
        let list = after[&commitments].as_sequence().unwrap();
        let last = list.last().unwrap();
        assert_eq!(last["id"], "round-trip", "{shown}");
        assert_eq!(last["note"], review.note.as_str(), "{shown}");
        // A review of a commitment the note mentions changes that item only.
        if let Some(first) = before
            .get(&commitments)
            .and_then(|c| c.as_sequence())
            .and_then(|c| c.first())
            && let Some(id) = first.get("id").and_then(|i| i.as_str())
        {
            let change = Review {
                id: id.to_string(),
                status: "completed".into(),
                note: "Reviewed.".into(),
            };
            let out = yaml::apply_reviews(&text, &[change]).unwrap();
            let (changed, kept): (Vec<&str>, Vec<&str>) =
                text.lines().partition(|l| !out.lines().any(|o| o == *l));
            assert!(changed.len() <= 2, "{shown}: {changed:?}\n{out}");
            assert!(
                changed
                    .iter()
                    .all(|l| l.contains("status") || l.contains("note") || l.contains(id)),
                "{shown}: {changed:?}"
            );
            assert!(
                lines_kept_in_order(&kept.join("\n"), &out),
                "{shown}:\n{out}"
            );
            let after: serde_yaml::Mapping =
                serde_yaml::from_str(&front_matter(&out).unwrap()).unwrap();
            assert_eq!(after[&commitments][0]["status"], "completed", "{shown}");
        }
        edited += 1;
    }
    assert!(edited > 15, "{edited}");
}

fn front_matter(text: &str) -> Option<String> {
    let rest = text.strip_prefix("---\n")?;
    let end = rest
        .find("\n---\n")
        .map(|i| i + 1)
        .or_else(|| rest.strip_suffix("\n---").map(|r| r.len() + 1))?;
    Some(rest[..end].to_string())
}
