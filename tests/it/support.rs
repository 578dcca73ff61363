//! A small chained helper around a temporary copy of a fixture site.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use pactline::site::{self, BuildOptions, BuildReport, Error, LoadOptions};
use scraper::{Html, Selector};

/// A fixture site copied into a temporary folder, so tests may change it freely.
pub struct TestSite {
    _dir: Option<tempfile::TempDir>,
    pub root: PathBuf,
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

impl TestSite {
    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> TestSite {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        copy_tree(&fixtures().join(name), &root);
        TestSite {
            _dir: Some(dir),
            root,
        }
    }

    /// A copy of the repository's own site (content/ and themes/).
    pub fn reference() -> TestSite {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        copy_tree(&repo.join("content"), &root.join("content"));
        copy_tree(&repo.join("themes"), &root.join("themes"));
        TestSite {
            _dir: Some(dir),
            root,
        }
    }

    /// A site already at `root`, inside a folder some other value cleans up.
    pub fn at(root: PathBuf) -> TestSite {
        TestSite { _dir: None, root }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) -> &TestSite {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    pub fn remove(&self, rel: &str) -> &TestSite {
        std::fs::remove_file(self.path(rel)).unwrap();
        self
    }

    pub fn out(&self) -> PathBuf {
        self.root.join("public")
    }

    /// Builds into `public/` through the library.
    pub fn build(&self) -> Result<BuildReport, Error> {
        self.build_with(LoadOptions::default())
    }

    pub fn build_with(&self, load: LoadOptions) -> Result<BuildReport, Error> {
        site::build(&BuildOptions {
            root: self.root.clone(),
            output: self.out(),
            load,
            render: Default::default(),
        })
    }

    /// Builds and panics with the diagnostics if the build fails.
    pub fn built(&self) -> &TestSite {
        if let Err(e) = self.build() {
            match e {
                Error::Content(d) => panic!(
                    "build failed:\n{}",
                    d.0.iter()
                        .map(|d| d.to_string())
                        .collect::<Vec<_>>()
                        .join("\n")
                ),
                e => panic!("build failed: {e}"),
            }
        }
        self
    }

    /// Runs the pactline binary in the site's root.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_pactline"))
            .args(args)
            .current_dir(&self.root)
            .output()
            .unwrap()
    }

    /// A page of the output, parsed.
    pub fn html(&self, rel: &str) -> Html {
        let text =
            std::fs::read_to_string(self.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        Html::parse_document(&text)
    }
}

/// Every file below `dir` with its bytes, for before/after comparisons.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
    out
}

/// The trimmed, whitespace-collapsed text of every element matching `css`.
pub fn texts(doc: &Html, css: &str) -> Vec<String> {
    let sel = Selector::parse(css).unwrap();
    doc.select(&sel)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// The value of `attr` on every element matching `css`.
pub fn attrs(doc: &Html, css: &str, attr: &str) -> Vec<String> {
    let sel = Selector::parse(css).unwrap();
    doc.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// Runs `git` in `dir` as a fixed person at a fixed time, untouched by the machine's own
/// git configuration; returns its standard output.
pub fn git(dir: &Path, args: &[&str], date: &str) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Secretariat")
        .env("GIT_AUTHOR_EMAIL", "secretariat@example.org")
        .env("GIT_COMMITTER_NAME", "Secretariat")
        .env("GIT_COMMITTER_EMAIL", "secretariat@example.org")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Commits everything in `dir` with `message` at `date`; returns the commit's full id.
pub fn commit(dir: &Path, message: &str, date: &str) -> String {
    git(dir, &["add", "--all"], date);
    git(dir, &["commit", "--quiet", "-m", message], date);
    git(dir, &["rev-parse", "HEAD"], date)
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
