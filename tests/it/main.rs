//! Integration tests: each builds a small fixture site from tests/fixtures/ into a
//! temporary folder and checks the result through parsed HTML.

mod browser;
mod build;
mod reference;
mod serve;
mod support;
