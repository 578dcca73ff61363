//! Fuzz target `index`: the load of `content/_index.md` from arbitrary bytes — front
//! matter split, YAML parse into `RawIndex`, and the home page's Markdown introduction
//! rendered with the raw-HTML setting the front matter asks for.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use pactline::content::markdown::{self, BodyPosition};
use pactline::content::schema::RawIndex;

fuzz_target!(|data: &[u8]| {
    if let Ok(p) = pactline::content::parse_bytes::<RawIndex>(Path::new("_index.md"), data) {
        let pos = BodyPosition {
            first_line: p.body_line,
        };
        let none = |_: &str| None;
        let _ = markdown::render(&p.body, pos, p.front.markdown.raw_html, &none);
    }
});
