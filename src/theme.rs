//! Themes: Tera templates, static files and interface strings. The default theme is
//! compiled into the binary; a site's `themes/<name>/` overrides it file by file, so a
//! site without a themes/ folder still builds and a site can replace one template only.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use serde_json::Value;
use tera::Tera;

use crate::diagnostics::{self as d, Diagnostic, Diagnostics, Span};

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Where a theme file comes from.
#[derive(Debug, Clone)]
pub enum Origin {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

/// A template's source and where it came from, for error messages.
#[derive(Debug, Clone)]
struct TemplateSource {
    text: String,
    /// Shown in diagnostics: a site file, or `<embedded>/templates/x.html`.
    file: PathBuf,
    /// The default theme's own template (or a site's copy of it, unchanged).
    embedded: bool,
}

/// A loaded theme: compiled templates per language, static files and strings.
#[derive(Clone)]
pub struct Theme {
    tera: Tera,
    sources: BTreeMap<String, TemplateSource>,
    /// Static files by output path.
    pub static_files: BTreeMap<String, Origin>,
    /// Interface strings by language, then key.
    strings: BTreeMap<String, BTreeMap<String, String>>,
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
        let mut sources = BTreeMap::new();
        let mut static_files = BTreeMap::new();
        let mut i18n: BTreeMap<String, (String, PathBuf)> = BTreeMap::new();
        for (path, bytes) in embedded_files() {
            let rel = path.to_string_lossy().replace('\\', "/");
            let text = || String::from_utf8_lossy(bytes).into_owned();
            let shown = PathBuf::from("<embedded theme>").join(&path);
            if let Some(t) = rel.strip_prefix("templates/") {
                sources.insert(
                    t.to_string(),
                    TemplateSource {
                        text: text(),
                        file: shown,
                        embedded: true,
                    },
                );
            } else if let Some(s) = rel.strip_prefix("static/") {
                static_files.insert(s.to_string(), Origin::Embedded(bytes));
            } else if let Some(l) = rel
                .strip_prefix("i18n/")
                .and_then(|l| l.strip_suffix(".yaml"))
            {
                i18n.insert(l.to_string(), (text(), shown));
            }
        }
        for (rel, path) in site_files(&theme_dir.join("templates")) {
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    let file = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
                    // An ejected template left as shipped is still the default's.
                    let embedded = sources
                        .get(&rel)
                        .is_some_and(|s: &TemplateSource| s.embedded && s.text == text);
                    sources.insert(
                        rel,
                        TemplateSource {
                            text,
                            file,
                            embedded,
                        },
                    );
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
                let file = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
                i18n.insert(lang.to_string(), (text, file));
            }
        }
        for dir in [theme_dir.join("static"), root.join("static")] {
            for (rel, path) in site_files(&dir) {
                static_files.insert(rel, Origin::Disk(path));
            }
        }
        let strings = parse_strings(&i18n, &mut diags);
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape_html);
        let raw: Vec<(&str, &str)> = sources
            .iter()
            .map(|(k, v)| (k.as_str(), v.text.as_str()))
            .collect();
        if let Err(e) = tera.add_raw_templates(raw) {
            diags.push(template_diagnostic(&sources, &e));
        }
        if diags.has_errors() {
            return Err(diags);
        }
        Ok(Theme {
            tera,
            sources,
            static_files,
            strings,
        })
    }

    /// Whether every template in `names` is the default theme's own (no site changes it).
    pub fn uses_default_templates(&self, names: &[&str]) -> bool {
        names
            .iter()
            .all(|n| self.sources.get(*n).is_some_and(|s| s.embedded))
    }

    /// The interface strings of `lang` as the templates' `t()` finds them.
    pub fn strings_for(&self, lang: &str) -> Strings<'_> {
        let fallback = self.strings.get("en");
        Strings {
            table: self.strings.get(lang).or(fallback),
            fallback,
        }
    }

    /// A Tera instance whose `t()` function and `date` filters speak `lang`.
    pub fn for_language(&self, lang: &str) -> Tera {
        let mut tera = self.tera.clone();
        let table = self
            .strings
            .get(lang)
            .or_else(|| self.strings.get("en"))
            .cloned()
            .unwrap_or_default();
        let fallback = self.strings.get("en").cloned().unwrap_or_default();
        let lookup = move |key: &str| table.get(key).or_else(|| fallback.get(key)).cloned();
        let l2 = lookup.clone();
        tera.register_function(
            "t",
            move |args: &std::collections::HashMap<String, Value>| {
                let key = args
                    .get("key")
                    .and_then(Value::as_str)
                    .ok_or("t() needs key=\"…\"")?;
                l2(key).map(Value::String).ok_or_else(|| {
                    format!("no interface string `{key}` in the theme's i18n").into()
                })
            },
        );
        tera.register_filter(
            "long_date",
            move |v: &Value, _: &std::collections::HashMap<String, Value>| {
                let s = v.as_str().ok_or("long_date expects a YYYY-MM-DD date")?;
                let date =
                    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| e.to_string())?;
                Ok(Value::String(long_date(date, &lookup)))
            },
        );
        tera
    }

    /// A digest of everything that shapes rendered pages: the templates, the interface
    /// strings and which static files exist (not their bytes: no page embeds them, so an
    /// edited stylesheet leaves every page as it was).
    pub fn digest(&self) -> u64 {
        use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
        let templates: Vec<(&String, &String)> =
            self.sources.iter().map(|(k, v)| (k, &v.text)).collect();
        let statics: Vec<&String> = self.static_files.keys().collect();
        BuildHasherDefault::<DefaultHasher>::default().hash_one((templates, &self.strings, statics))
    }

    /// The interface string `key` in `lang`, without falling back to another language.
    pub fn string(&self, lang: &str, key: &str) -> Option<String> {
        self.strings.get(lang)?.get(key).cloned()
    }

    /// The languages the theme has interface strings for.
    pub fn string_languages(&self) -> impl Iterator<Item = &str> {
        self.strings.keys().map(String::as_str)
    }

    /// Turns a Tera error into a diagnostic naming the template, line and variable.
    pub fn render_error(&self, e: &tera::Error) -> Diagnostic {
        template_diagnostic(&self.sources, e)
    }
}

/// One language's interface strings: its own table (English's when the theme has none),
/// then English for keys it leaves out.
#[derive(Clone, Copy)]
pub struct Strings<'a> {
    table: Option<&'a BTreeMap<String, String>>,
    fallback: Option<&'a BTreeMap<String, String>>,
}

impl<'a> Strings<'a> {
    pub fn get(&self, key: &str) -> Option<&'a str> {
        (self.table.and_then(|t| t.get(key)))
            .or_else(|| self.fallback.and_then(|t| t.get(key)))
            .map(String::as_str)
    }
}

/// Escapes text for HTML text and attribute values. Unlike Tera's default it leaves `/`
/// alone, so URLs stay readable in the output.
pub fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    escape_into(&mut out, input);
    out
}

/// [`escape_html`] appending to `out`.
pub fn escape_into(out: &mut String, input: &str) {
    let mut start = 0;
    // Copy runs of plain text whole; only the five special bytes are replaced.
    for (i, b) in input.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&input[start..i]);
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(&input[start..]);
}

/// "6 August 2025", month names from the interface strings (`month_1` … `month_12`).
pub fn long_date(date: chrono::NaiveDate, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    use chrono::Datelike;
    const MONTHS: [&str; 12] = [
        "month_1", "month_2", "month_3", "month_4", "month_5", "month_6", "month_7", "month_8",
        "month_9", "month_10", "month_11", "month_12",
    ];
    let month =
        lookup(MONTHS[date.month0() as usize]).unwrap_or_else(|| date.format("%B").to_string());
    let pattern = lookup("date_pattern");
    let mut rest = pattern.as_deref().unwrap_or("{day} {month} {year}");
    // One pass over the pattern: timeline pages print thousands of dates.
    let mut out = String::with_capacity(rest.len() + month.len() + 8);
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let tail = &rest[open..];
        if let Some(after) = tail.strip_prefix("{day}") {
            out.push_str(&date.day().to_string());
            rest = after;
        } else if let Some(after) = tail.strip_prefix("{month}") {
            out.push_str(&month);
            rest = after;
        } else if let Some(after) = tail.strip_prefix("{year}") {
            out.push_str(&date.year().to_string());
            rest = after;
        } else {
            out.push('{');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

fn parse_strings(
    files: &BTreeMap<String, (String, PathBuf)>,
    diags: &mut Diagnostics,
) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for (lang, (text, file)) in files {
        match serde_yaml::from_str::<BTreeMap<String, String>>(text) {
            Ok(map) => {
                out.insert(lang.clone(), map);
            }
            Err(e) => diags.push(
                Diagnostic::error(d::YAML_SYNTAX, format!("invalid interface strings: {e}"))
                    .in_file(file)
                    .at(e.location().map(|l| Span::at(l.line(), l.column(), 1)))
                    .help("write one `key: text` per line"),
            ),
        }
    }
    out
}

fn error_chain(e: &tera::Error) -> Vec<String> {
    let mut out = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        out.push(s.to_string());
        source = s.source();
    }
    out
}

fn template_diagnostic(sources: &BTreeMap<String, TemplateSource>, e: &tera::Error) -> Diagnostic {
    let chain = error_chain(e);
    let full = chain.join(": ");
    let name = sources
        .keys()
        .find(|n| full.contains(&format!("'{n}'")))
        .cloned();
    let mut diag = Diagnostic::error(
        d::TEMPLATE,
        chain.last().cloned().unwrap_or_default().trim().to_string(),
    );
    if chain.len() > 1 {
        diag.message = format!("{}: {}", chain[0], chain[1..].join(": ").trim());
    }
    diag.help = Some(
        "fix the template; variables a template receives are listed in the README".to_string(),
    );
    let Some(name) = name else { return diag };
    let src = &sources[&name];
    diag = diag.in_file(&src.file);
    // Parse errors carry " --> line:col"; render errors name a variable in backticks.
    if let Some(pos) = full.split("--> ").nth(1) {
        let mut nums = pos
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty());
        if let (Some(Ok(l)), Some(Ok(c))) =
            (nums.next().map(str::parse), nums.next().map(str::parse))
        {
            return diag.at(Some(Span::at(l, c, 1)));
        }
    }
    if let Some(var) = full.split('`').nth(1) {
        let head = var.split(['.', '[', ' ', '|']).next().unwrap_or(var);
        for (i, line) in src.text.lines().enumerate() {
            if let Some(byte) = line.find(var).or_else(|| line.find(head)) {
                let column = line[..byte].chars().count() + 1;
                return diag.at(Some(Span::at(i + 1, column, var.chars().count())));
            }
        }
    }
    diag
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The interface string tables that ship with the default theme.
    fn shipped_tables() -> BTreeMap<String, BTreeMap<String, String>> {
        let mut files = BTreeMap::new();
        for (path, bytes) in embedded_files() {
            let rel = path.to_string_lossy().replace('\\', "/");
            if let Some(l) = rel
                .strip_prefix("i18n/")
                .and_then(|l| l.strip_suffix(".yaml"))
            {
                let text = String::from_utf8_lossy(bytes).into_owned();
                files.insert(l.to_string(), (text, path.clone()));
            }
        }
        let mut diags = Diagnostics::default();
        let tables = parse_strings(&files, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        tables
    }

    #[test]
    fn every_language_has_every_interface_string() {
        let tables = shipped_tables();
        let en: Vec<&String> = tables["en"].keys().collect();
        for lang in ["ru", "hi"] {
            let keys: Vec<&String> = tables[lang].keys().collect();
            assert_eq!(
                keys, en,
                "{lang}.yaml must have exactly the keys of en.yaml"
            );
        }
    }

    #[test]
    fn dates_in_each_shipped_language() {
        let tables = shipped_tables();
        let d = chrono::NaiveDate::from_ymd_opt(2025, 8, 6).unwrap();
        let date = |lang: &str| long_date(d, &|k| tables[lang].get(k).cloned());
        assert_eq!(date("en"), "6 August 2025");
        assert_eq!(date("ru"), "6 августа 2025 г.");
        assert_eq!(date("hi"), "6 अगस्त 2025");
    }

    #[test]
    fn escapes_the_five_special_characters() {
        assert_eq!(
            escape_html(r#"a<b>&"c"'d'/е"#),
            "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;/е"
        );
        assert_eq!(escape_html(""), "");
    }

    #[test]
    fn long_dates_follow_the_pattern() {
        let d = chrono::NaiveDate::from_ymd_opt(2025, 8, 6).unwrap();
        assert_eq!(long_date(d, &|_| None), "6 August 2025");
        let ru = |k: &str| match k {
            "month_8" => Some("августа".to_string()),
            "date_pattern" => Some("{day} {month} {year} г.".to_string()),
            _ => None,
        };
        assert_eq!(long_date(d, &ru), "6 августа 2025 г.");
    }
}
