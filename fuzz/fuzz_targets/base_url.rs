//! Fuzz target `base_url`: `base_url_problem` on arbitrary text. It must not panic, and a
//! URL it accepts must be an `http` or `https` address with a host and no empty path
//! segment, query, fragment, space or control character.

#![no_main]

use libfuzzer_sys::fuzz_target;
use pactline::timeline::addresses::base_url_problem;

fuzz_target!(|data: &[u8]| {
    let Ok(url) = std::str::from_utf8(data) else {
        return;
    };
    if base_url_problem(url).is_some() {
        return;
    }
    let lower = url.to_ascii_lowercase();
    let rest = (lower.strip_prefix("https://"))
        .or_else(|| lower.strip_prefix("http://"))
        .expect("an accepted base_url is http or https");
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    assert!(!host.is_empty(), "{url:?}");
    assert!(!path.contains("//"), "{url:?}");
    assert!(!url.contains(['?', '#', ' ', '\\']), "{url:?}");
    assert!(!url.chars().any(char::is_control), "{url:?}");
});
