//! Themes: Tera 2 templates, static files and interface strings. The default theme is
//! built into the binary; a site's `themes/<name>/` overrides it file by file, so a site
//! without a themes/ folder still builds and a site can replace one template only. Every
//! HTML page comes from a template: [`Theme::for_language`] gives the templates with the
//! site-wide values of one language in Tera's global context, and each page adds its view
//! (see `crate::views`).

mod languages;
pub mod plural;
mod report;
mod strings;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use include_dir::{Dir, include_dir};
use tera::Tera;

use crate::diagnostics::{self as d, Diagnostic, Diagnostics};
pub use languages::{endonym, english_table};
pub use strings::{Table, escape_html, long_date};

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Where a theme file comes from.
#[derive(Debug, Clone)]
pub enum Origin {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

/// A loaded theme: parsed templates, static files and interface strings.
#[derive(Clone)]
pub struct Theme {
    tera: Tera,
    /// Each template's source, by name: what the theme's digest covers.
    sources: BTreeMap<String, String>,
    /// The file each template was read from, for diagnostics: a site file, or
    /// `<embedded theme>/templates/x.html`.
    files: BTreeMap<String, PathBuf>,
    /// Static files by output path.
    pub static_files: BTreeMap<String, Origin>,
    /// Interface strings by language, then key.
    strings: BTreeMap<String, Table>,
}

impl std::fmt::Debug for Theme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Theme")
            .field("templates", &self.sources.keys())
            .finish()
    }
}

/// The embedded default theme's files, for `pactline init --theme`.
pub fn embedded_files() -> Vec<(PathBuf, &'static [u8])> {
    let mut out = Vec::new();
    collect_embedded(&DEFAULT_THEME, &mut out);
    out.sort();
    out
}

fn collect_embedded(dir: &'static Dir<'static>, out: &mut Vec<(PathBuf, &'static [u8])>) {
    for f in dir.files() {
        out.push((f.path().to_path_buf(), f.contents()));
    }
    for sub in dir.dirs() {
        collect_embedded(sub, out);
    }
}

fn site_files(dir: &Path) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut out: Vec<(String, PathBuf)> = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| !crate::content::is_ignored_name(&e.file_name().to_string_lossy()))
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).ok()?;
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            Some((rel, e.path().to_path_buf()))
        })
        .collect();
    out.sort();
    out
}

impl Theme {
    /// Loads theme `name` for the site at `root`: the embedded default overlaid with
    /// `themes/<name>/` and the site's own `static/`.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostics> {
        let mut diags = Diagnostics::default();
        let theme_dir = root.join("themes").join(name);
        if name != "default" && !theme_dir.is_dir() {
            return Err(
                Diagnostic::error(d::TEMPLATE, format!("theme `{name}` not found"))
                    .in_file("content/_index.md")
                    .help(format!(
                        "create themes/{name}/ or remove `theme:` to use the default theme"
                    ))
                    .into(),
            );
        }
        let mut files = Files::default();
        files.embedded();
        files.site(root, &theme_dir, &mut diags);
        Theme::compile(files, diags)
    }

    /// The embedded default theme alone, whatever a site overrides: the editor of
    /// `serve --edit` renders with it, so that a site's own templates and strings cannot
    /// break the editor.
    pub fn embedded() -> Result<Theme, Diagnostics> {
        let mut files = Files::default();
        files.embedded();
        Theme::compile(files, Diagnostics::default())
    }

    fn compile(files: Files, mut diags: Diagnostics) -> Result<Theme, Diagnostics> {
        let strings = strings::parse(&files.i18n, &mut diags);
        let mut tera = Tera::default();
        tera.autoescape_on([".html", ".xml"]);
        tera.set_escape_fn(escape_html);
        let raw = files.sources.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        // The templates are checked with English dates; `for_language` sets each language's.
        let english = Arc::new(strings::complete(&strings, "en"));
        register_long_date(&mut tera, english.clone());
        plural::register(&mut tera, english, "en");
        if let Err(e) = tera.add_raw_templates(raw) {
            diags.extend(report::diagnostics(&files.shown, &e));
        }
        if diags.has_errors() {
            return Err(diags);
        }
        Ok(Theme {
            tera,
            sources: files.sources,
            files: files.shown,
            static_files: files.statics,
            strings,
        })
    }

    /// The templates for pages in `lang`: the interface strings are the global `t` (the
    /// language's own, completed from English), and the `long_date` filter spells dates
    /// in that language. The caller adds the other site-wide values to the global context.
    pub fn for_language(&self, lang: &str) -> Tera {
        let mut tera = self.tera.clone();
        let table = Arc::new(strings::complete(&self.strings, lang));
        tera.global_context().insert("t", &*table);
        register_long_date(&mut tera, table.clone());
        plural::register(&mut tera, table, lang);
        tera
    }

    /// A digest of everything that shapes rendered pages: the templates, the interface
    /// strings and which static files exist (not their bytes: no page embeds them, so an
    /// edited stylesheet leaves every page as it was).
    pub fn digest(&self) -> u64 {
        use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
        let statics: Vec<&String> = self.static_files.keys().collect();
        BuildHasherDefault::<DefaultHasher>::default().hash_one((
            &self.sources,
            &self.strings,
            statics,
        ))
    }

    /// The interface string `key` in `lang`, without falling back to another language.
    pub fn string(&self, lang: &str, key: &str) -> Option<String> {
        self.strings.get(lang)?.get(key).cloned()
    }

    /// The languages the theme has interface strings for.
    pub fn string_languages(&self) -> impl Iterator<Item = &str> {
        self.strings.keys().map(String::as_str)
    }

    /// Turns a Tera error into a diagnostic naming the template's file, line and column,
    /// and where it was called from.
    pub fn render_error(&self, e: &tera::Error) -> Diagnostic {
        let mut found = report::diagnostics(&self.files, e);
        found.swap_remove(0)
    }
}

/// The `long_date` filter: `2025-08-06` as "6 August 2025", in the language of `table`.
fn register_long_date(tera: &mut Tera, table: Arc<Table>) {
    tera.register_filter(
        "long_date",
        move |value: &str, _: tera::Kwargs, _: &tera::State| -> tera::TeraResult<String> {
            let date = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|e| {
                tera::Error::message(format!("long_date expects a YYYY-MM-DD date: {e}"))
            })?;
            Ok(long_date(date, &table))
        },
    );
}

/// The files of a theme being loaded: the embedded default's, then the site's over them.
#[derive(Default)]
struct Files {
    sources: BTreeMap<String, String>,
    shown: BTreeMap<String, PathBuf>,
    statics: BTreeMap<String, Origin>,
    /// Interface strings: language -> (YAML text, file shown in diagnostics).
    i18n: BTreeMap<String, (String, PathBuf)>,
}

impl Files {
    fn embedded(&mut self) {
        for (path, bytes) in embedded_files() {
            let rel = path.to_string_lossy().replace('\\', "/");
            let text = || String::from_utf8_lossy(bytes).into_owned();
            let shown = PathBuf::from("<embedded theme>").join(&path);
            if let Some(t) = rel.strip_prefix("templates/") {
                self.sources.insert(t.to_string(), text());
                self.shown.insert(t.to_string(), shown);
            } else if let Some(s) = rel.strip_prefix("static/") {
                self.statics.insert(s.to_string(), Origin::Embedded(bytes));
            } else if let Some(l) =
                (rel.strip_prefix("i18n/")).and_then(|l| l.strip_suffix(".yaml"))
            {
                self.i18n.insert(l.to_string(), (text(), shown));
            }
        }
    }

    /// Overlays the site's theme folder and its own `static/`.
    fn site(&mut self, root: &Path, theme_dir: &Path, diags: &mut Diagnostics) {
        let shown = |path: &Path| path.strip_prefix(root).unwrap_or(path).to_path_buf();
        for (rel, path) in site_files(&theme_dir.join("templates")) {
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    self.shown.insert(rel.clone(), shown(&path));
                    self.sources.insert(rel, text);
                }
                Err(e) => diags.push(
                    Diagnostic::error(d::IO, format!("cannot read template: {e}")).in_file(&path),
                ),
            }
        }
        for (rel, path) in site_files(&theme_dir.join("i18n")) {
            if let (Some(lang), Ok(text)) =
                (rel.strip_suffix(".yaml"), std::fs::read_to_string(&path))
            {
                self.i18n.insert(lang.to_string(), (text, shown(&path)));
            }
        }
        for dir in [theme_dir.join("static"), root.join("static")] {
            for (rel, path) in site_files(&dir) {
                if !crate::content::is_publishable_name(&rel) {
                    let file = path.strip_prefix(root).unwrap_or(&path);
                    diags.push(crate::content::unpublishable_name(file));
                    continue;
                }
                self.statics.insert(rel, Origin::Disk(path));
            }
        }
    }
}
