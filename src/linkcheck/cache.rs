//! The link cache, `.pactline-cache/links.json` in the site's root: what each address
//! answered and when, so that checking again within a day asks the servers only about
//! addresses that are new or that failed. Only lasting answers are kept (see
//! [`Outcome::is_lasting`]). The file is the command's own and may be deleted at any time;
//! one that cannot be read is treated as empty. The time is the wall clock's: it decides
//! only what is asked again, never what a build writes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::http::Outcome;

/// How long an answer is trusted.
pub const LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// The cache folder below the site's root, and the file in it.
pub const FOLDER: &str = ".pactline-cache";
const FILE: &str = "links.json";

/// Bumped when the file's meaning changes, so that an older file is ignored.
const VERSION: u32 = 1;

/// A cache file larger than this is not read: a site's links take far less.
const MAX_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// When it was checked, in seconds since 1970 (UTC).
    pub checked: u64,
    #[serde(flatten)]
    pub outcome: Outcome,
}

impl Entry {
    fn is_fresh(&self, now: u64) -> bool {
        now.checked_sub(self.checked)
            .is_some_and(|age| age < LIFETIME.as_secs())
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct File {
    version: u32,
    links: BTreeMap<String, Entry>,
}

/// The answers known, by address.
#[derive(Debug, Default)]
pub struct Cache {
    links: BTreeMap<String, Entry>,
}

/// Where a site's link cache is.
pub fn path(root: &Path) -> PathBuf {
    root.join(FOLDER).join(FILE)
}

/// Seconds since 1970 at `t`; 0 for a clock set before then.
pub fn seconds_since_epoch(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

impl Cache {
    /// Reads the cache at `path`; empty when there is none, or it is too large, unreadable,
    /// not this version's or not valid.
    pub fn load(path: &Path) -> Cache {
        let fits = std::fs::metadata(path).is_ok_and(|m| m.len() <= MAX_BYTES);
        let file = (fits.then(|| std::fs::read(path).ok()).flatten())
            .and_then(|bytes| serde_json::from_slice::<File>(&bytes).ok())
            .filter(|f| f.version == VERSION);
        Cache {
            links: file.map(|f| f.links).unwrap_or_default(),
        }
    }

    /// The answer `url` gave less than [`LIFETIME`] before `now` (seconds since 1970). An
    /// entry from the future (a clock set back) is not trusted.
    pub fn get(&self, url: &str, now: u64) -> Option<&Outcome> {
        let entry = self.links.get(url)?;
        entry.is_fresh(now).then_some(&entry.outcome)
    }

    /// Keeps what `url` answered at `now`, when the answer is a lasting one; forgets any
    /// earlier answer otherwise, so that the address is asked again next time.
    pub fn record(&mut self, url: &str, outcome: &Outcome, now: u64) {
        if outcome.is_lasting() {
            let entry = Entry {
                checked: now,
                outcome: outcome.clone(),
            };
            self.links.insert(url.to_string(), entry);
        } else {
            self.links.remove(url);
        }
    }

    /// Writes the entries still fresh at `now` to `path`, through a temporary file renamed
    /// over it, so that two runs at once leave one whole file or the other.
    pub fn save(mut self, path: &Path, now: u64) -> std::io::Result<()> {
        self.links.retain(|_, entry| entry.is_fresh(now));
        let file = File {
            version: VERSION,
            links: self.links,
        };
        let mut bytes = serde_json::to_vec_pretty(&file).map_err(std::io::Error::other)?;
        bytes.push(b'\n');
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let temp = path.with_extension(format!("json.{}.tmp", std::process::id()));
        std::fs::write(&temp, &bytes)?;
        std::fs::rename(&temp, path).inspect_err(|_| {
            let _ = std::fs::remove_file(&temp);
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: u64 = 24 * 60 * 60;

    #[test]
    fn answers_last_a_day_and_failures_are_not_kept() {
        let mut cache = Cache::default();
        let t = 1_700_000_000;
        cache.record("https://a/", &Outcome::Ok, t);
        let failed = Outcome::Failed {
            reason: "no answer".into(),
        };
        cache.record("https://b/", &failed, t);
        assert_eq!(cache.get("https://a/", t + DAY - 1), Some(&Outcome::Ok));
        assert_eq!(cache.get("https://a/", t + DAY), None);
        assert_eq!(cache.get("https://a/", t - 60), None, "from the future");
        assert_eq!(cache.get("https://b/", t), None);
        // A failure after a success forgets the success.
        cache.record("https://a/", &failed, t + 1);
        assert_eq!(cache.get("https://a/", t + 2), None);
    }

    #[test]
    fn the_file_round_trips_and_drops_what_has_expired() {
        let dir = tempfile::tempdir().unwrap();
        let path = path(dir.path());
        let t = 1_700_000_000;
        let mut cache = Cache::load(&path);
        let moved = Outcome::Moved {
            to: "https://new/".into(),
        };
        cache.record("https://old/", &moved, t);
        cache.record("https://stale/", &Outcome::Ok, t - DAY);
        cache.save(&path, t).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("stale"), "{text}");
        let cache = Cache::load(&path);
        assert_eq!(cache.get("https://old/", t + 10), Some(&moved));
        std::fs::write(&path, "{not json").unwrap();
        assert_eq!(Cache::load(&path).get("https://old/", t), None);
        std::fs::write(&path, text.replace("\"version\": 1", "\"version\": 99")).unwrap();
        assert_eq!(Cache::load(&path).get("https://old/", t), None);
    }
}
