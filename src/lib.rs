//! pactline: a static-site generator for partnership timelines. Markdown session notes go
//! through one pipeline, load -> model -> render -> write, and come out as a static site.

// A Diagnostic is returned only on the error path, where its size costs nothing worth
// boxing for.
#![allow(clippy::result_large_err)]

pub mod cli;
pub mod content;
pub mod diagnostics;
pub mod engine;
pub mod history;
pub mod linkcheck;
pub mod output;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod theme;
pub mod timeline;
pub mod verify;
pub mod views;
