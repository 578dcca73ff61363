//! Integration tests: each builds a small fixture site from tests/fixtures/ into a
//! temporary folder and checks the result through parsed HTML.

mod build;
mod check;
mod hostile;
mod reference;
mod support;
