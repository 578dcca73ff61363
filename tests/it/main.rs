//! Integration tests: each builds a small fixture site from tests/fixtures/ into a
//! temporary folder and checks the result through parsed HTML.

mod authoring;
mod browser;
mod build;
mod check;
mod commitments;
mod details;
mod dist;
mod edit;
mod edit_browser;
mod edit_yaml;
mod engine;
mod fields;
mod history;
mod hostile;
mod i18n;
mod links;
mod opendata;
mod paging;
mod pictures;
mod publishing;
mod records;
mod recovery;
mod reference;
mod serve;
mod serve_http;
mod snapshots;
mod support;
mod theme;
mod undated;
