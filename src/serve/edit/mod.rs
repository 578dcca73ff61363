//! `pactline serve --edit`.
pub mod yaml;
