//! `pactline check --links`: asks the web server of every address a reader of the site can
//! follow off it whether the address still answers, and reports dead links (PL1010) and
//! permanent moves (PL1011) as warnings where each address is written. A front end of its
//! own over the notes as read, beside `check`: it renders nothing, and `build` and `serve`
//! never call it, so that what they write never depends on the network.
//!
//! Each address is asked once however often it is written (`collect`), over a few
//! threads at a time (`pool`), with a time budget per address (`http`); lasting answers
//! are kept for a day in the site's cache folder (`cache`).

mod cache;
mod collect;
mod http;
mod pool;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use url::Url;

pub use cache::{FOLDER as CACHE_FOLDER, LIFETIME as CACHE_LIFETIME};
use collect::Use;
use http::Outcome;

use crate::diagnostics::{self as d, Diagnostic, Diagnostics};

/// How long one address may take, redirects included, unless `PACTLINE_LINK_TIMEOUT` says.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// The environment variable that sets the time allowed per address, in seconds (`2.5`).
pub const TIMEOUT_VAR: &str = "PACTLINE_LINK_TIMEOUT";
/// The environment variable that turns the cache off (`off`) for one run.
pub const CACHE_VAR: &str = "PACTLINE_LINK_CACHE";

/// What `check --links` checks, and how.
#[derive(Debug, Clone)]
pub struct LinkOptions {
    /// The site's root: the folder holding content/.
    pub root: PathBuf,
    /// Check the links of draft notes too.
    pub drafts: bool,
    pub timeout: Duration,
    /// Read answers from the cache and keep new ones in it.
    pub use_cache: bool,
}

impl LinkOptions {
    /// Options for the site at `root`, the timeout and the cache as the environment sets
    /// them ([`TIMEOUT_VAR`], [`CACHE_VAR`]); a value that means nothing is refused.
    pub fn from_env(root: &Path, drafts: bool) -> Result<LinkOptions, String> {
        let var = |name| std::env::var(name).ok();
        Ok(LinkOptions {
            root: root.to_path_buf(),
            drafts,
            timeout: parse_timeout(var(TIMEOUT_VAR).as_deref())?,
            use_cache: parse_cache(var(CACHE_VAR).as_deref())?,
        })
    }
}

fn parse_timeout(value: Option<&str>) -> Result<Duration, String> {
    let Some(value) = value else {
        return Ok(DEFAULT_TIMEOUT);
    };
    (value.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0 && *s <= 3600.0)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| {
            format!("{TIMEOUT_VAR}={value}: give the seconds allowed per link, e.g. 10 or 2.5")
        })
}

fn parse_cache(value: Option<&str>) -> Result<bool, String> {
    match value.map(str::trim) {
        None | Some("" | "on") => Ok(true),
        Some("off") => Ok(false),
        Some(other) => Err(format!("{CACHE_VAR}={other}: write `off` or `on`")),
    }
}

/// What a link check found.
#[derive(Debug, Default)]
pub struct LinkReport {
    /// A warning at each place a dead or moved address is written.
    pub diags: Diagnostics,
    /// Distinct addresses found.
    pub addresses: usize,
    /// Of those, answered from the cache.
    pub from_cache: usize,
    /// Why the cache could not be written, when it could not.
    pub cache_error: Option<String>,
}

/// Checks every web address of the site at `opts.root`. Notes that cannot be read are
/// `check`'s to report; their addresses are not checked.
pub fn check(opts: &LinkOptions) -> LinkReport {
    let (content, _) = crate::engine::read_content(&opts.root);
    let targets = collect::by_target(collect::collect(&content, opts.drafts));
    let now = cache::seconds_since_epoch(SystemTime::now());
    let cache_path = cache::path(&opts.root);
    let mut cache = match opts.use_cache {
        true => cache::Cache::load(&cache_path),
        false => cache::Cache::default(),
    };
    let mut report = LinkReport {
        addresses: targets.len(),
        ..LinkReport::default()
    };
    let mut known: BTreeMap<&str, Outcome> = BTreeMap::new();
    let mut jobs = Vec::new();
    for (key, target) in &targets {
        let Ok(url) = &target.url else { continue };
        match cache.get(key, now) {
            Some(outcome) => {
                known.insert(key, outcome.clone());
                report.from_cache += 1;
            }
            None => jobs.push(pool::Job {
                host: url.host_str().unwrap_or_default().to_string(),
                item: (key.as_str(), url),
            }),
        }
    }
    let client = http::Client::new(opts.timeout);
    let answers = pool::run(&jobs, &|(_, url): &(&str, &Url)| client.check(url));
    for (job, outcome) in jobs.iter().zip(answers) {
        cache.record(job.item.0, &outcome, now);
        known.insert(job.item.0, outcome);
    }
    if opts.use_cache && !jobs.is_empty() {
        report.cache_error = (cache.save(&cache_path, now).err())
            .map(|e| format!("cannot write {}: {e}", cache_path.display()));
    }
    for (key, target) in &targets {
        let found = match (&target.url, known.get(key.as_str())) {
            (Err(reason), _) => Err(reason.as_str()),
            (Ok(_), Some(outcome)) => Ok(outcome),
            // Every address was answered, from the cache or by its server.
            (Ok(_), None) => continue,
        };
        report
            .diags
            .extend(target.uses.iter().filter_map(|u| warning(u, found)));
    }
    report
}

/// The warning for one place an address is written, given what asking it found (or why it
/// is not an address); none for an address that answered.
fn warning(u: &Use, found: Result<&Outcome, &str>) -> Option<Diagnostic> {
    let url = &u.url;
    let d = match found {
        Ok(Outcome::Ok) => return None,
        Ok(Outcome::Moved { to }) => {
            let to = keep_fragment(to, url);
            Diagnostic::warning(d::MOVED_LINK, format!("`{url}` moved permanently to `{to}`"))
                .help(format!("link the new address, `{to}`: the old one works only as long as its site keeps the redirect"))
        }
        Ok(Outcome::Status { code, at }) => {
            let via = at.as_ref().map(|a| format!(" (redirected to `{a}`)"));
            let message = format!("dead link: HTTP {code} from `{url}`{}", via.unwrap_or_default());
            Diagnostic::warning(d::DEAD_LINK, message).help(status_help(*code))
        }
        Ok(Outcome::Failed { reason }) => {
            Diagnostic::warning(d::DEAD_LINK, format!("dead link: `{url}`: {reason}"))
                .help("the address could not be reached; if it opens in a browser, check again later (addresses that failed are asked again on every run)")
        }
        Err(reason) => Diagnostic::warning(d::DEAD_LINK, format!("dead link: `{url}` is {reason}"))
            .help("write the full address, e.g. https://example.org/page"),
    };
    Some(d.in_file(&u.file).at(u.span))
}

fn status_help(code: u16) -> &'static str {
    match code {
        404 | 410 => {
            "the page is not at this address: correct it, link an archived copy (`archived:` on a source), or remove the link"
        }
        400..=499 => {
            "the server refused the request; if the address opens in a browser, the server turns away programs and the link may be fine"
        }
        _ => {
            "the server failed to answer; it may be down for a while: check again later (addresses that failed are asked again on every run)"
        }
    }
}

/// `to`, with the fragment of the address as written (`#page=2`) when it has none: the
/// fragment is never sent, so a redirect cannot keep it.
fn keep_fragment(to: &str, written: &str) -> String {
    let fragment = Url::parse(written)
        .ok()
        .and_then(|u| u.fragment().map(str::to_string));
    match (Url::parse(to), fragment) {
        (Ok(mut to), Some(f)) if to.fragment().is_none() => {
            to.set_fragment(Some(&f));
            to.to_string()
        }
        _ => to.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_environment_sets_the_timeout_and_the_cache() {
        assert_eq!(parse_timeout(None), Ok(DEFAULT_TIMEOUT));
        assert_eq!(parse_timeout(Some("2.5")), Ok(Duration::from_millis(2500)));
        for bad in ["0", "-1", "NaN", "inf", "10s", "99999"] {
            assert!(parse_timeout(Some(bad)).is_err(), "{bad}");
        }
        assert_eq!(parse_cache(None), Ok(true));
        assert_eq!(parse_cache(Some("off")), Ok(false));
        assert!(parse_cache(Some("no")).is_err());
    }

    #[test]
    fn a_moved_link_keeps_its_fragment() {
        assert_eq!(
            keep_fragment("https://b.example/new", "http://a.example/old#page=2"),
            "https://b.example/new#page=2"
        );
        assert_eq!(
            keep_fragment("https://b.example/new#x", "http://a.example/old#y"),
            "https://b.example/new#x"
        );
    }

    #[test]
    fn each_outcome_gives_its_warning_at_the_use() {
        let u = Use {
            url: "https://a.example/x".into(),
            file: PathBuf::from("content/sessions/1.md"),
            span: Some(d::Span::at(4, 7, 19)),
        };
        assert!(warning(&u, Ok(&Outcome::Ok)).is_none());
        let moved = Outcome::Moved {
            to: "https://a.example/y".into(),
        };
        let w = warning(&u, Ok(&moved)).unwrap();
        assert_eq!((w.code, w.span), (d::MOVED_LINK, u.span));
        assert!(
            w.message
                .contains("moved permanently to `https://a.example/y`")
        );
        let gone = Outcome::Status {
            code: 404,
            at: None,
        };
        let w = warning(&u, Ok(&gone)).unwrap();
        assert_eq!(w.code, d::DEAD_LINK);
        assert!(
            w.message.starts_with("dead link: HTTP 404"),
            "{}",
            w.message
        );
        assert!(!w.is_error());
        let w = warning(&u, Err("not a valid address (empty host)")).unwrap();
        assert!(w.message.contains("not a valid address"), "{}", w.message);
    }
}
