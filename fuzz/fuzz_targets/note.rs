//! Fuzz target `note`: the load of one session note from arbitrary bytes — UTF-8 check,
//! front matter split, YAML parse into `RawSession`, and Markdown render of the body with
//! both raw-HTML settings. Any panic, hang or runaway allocation is a bug, and so is a link
//! or image in the HTML whose target could run code: with raw HTML escaped, every `href`
//! and `src` the renderer writes must be one that `is_safe_target` accepts.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use pactline::content::markdown::{self, BodyPosition};
use pactline::content::schema::{RawHtml, RawSession};

fuzz_target!(|data: &[u8]| {
    let parsed = pactline::content::parse_bytes::<RawSession>(Path::new("n.md"), data);
    // Render the body even when the front matter is rejected, so Markdown is fuzzed too.
    let body = match &parsed {
        Ok(p) => p.body.clone(),
        Err(_) => String::from_utf8_lossy(data).into_owned(),
    };
    if let Ok(p) = &parsed {
        let _ = p.locate("sectors", "x");
    }
    let resolve = |p: &str| (p == "sessions/1.md").then(|| "/sessions/1/".to_string());
    for raw in [RawHtml::Passthrough, RawHtml::Escape] {
        let out = markdown::render(&body, BodyPosition { first_line: 1 }, raw, &resolve);
        if raw == RawHtml::Escape {
            for target in attributes(&out.html) {
                assert!(markdown::is_safe_target(&target), "unsafe target {target:?} in {:?}", out.html);
            }
        }
    }
});

/// The values of the `href` and `src` attributes of the tags in `html` (with raw HTML
/// escaped, every `<` begins a tag the renderer wrote), with the entities it writes decoded.
fn attributes(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in html.match_indices('<') {
        let tag = &html[at..];
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        for key in [" href=\"", " src=\""] {
            if let Some(start) = tag.find(key) {
                let rest = &tag[start + key.len()..];
                let value = &rest[..rest.find('"').unwrap_or(rest.len())];
                out.push(
                    value
                        .replace("&quot;", "\"")
                        .replace("&lt;", "<")
                        .replace("&gt;", ">")
                        .replace("&#39;", "'")
                        .replace("&amp;", "&"),
                );
            }
        }
    }
    out
}
