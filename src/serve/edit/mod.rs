//! `pactline serve --edit`: an editor for the notes under `/_edit/`, a thin layer over the
//! engine the dev server already runs. It lists the notes with the problems `check` finds,
//! shows one note's whole text with its diagnostics and its page rendered from the unsaved
//! text ([`crate::engine::Engine::preview`]), writes new sessions (the same note as
//! `pactline new`, see [`crate::scaffold`]) and commitment reviews into the text, and saves
//! atomically below `content/` only. After a save the watcher rebuilds the site as after any
//! editor's save. Every page is a plain HTML form from the embedded default theme's
//! `edit/` templates; `edit.js` only adds checking as one types.
//!
//! The parts: [`guard`] (token, Host and Origin), [`files`] (paths and saves), [`yaml`]
//! (lossless front-matter edits), [`forms`] (what the forms send), `note` and `new`
//! (the pages).

pub mod files;
pub mod forms;
pub mod guard;
mod new;
mod note;
pub mod yaml;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Serialize;

use crate::engine::Engine;
use crate::theme::Theme;
pub use guard::Guard;

/// The languages of the editor's interface, the first the default.
pub const LANGUAGES: [&str; 3] = ["en", "ru", "hi"];

const LANG_COOKIE: &str = "pactline_edit_lang";
const SCRIPT: &str = include_str!("edit.js");
const STYLE: &str = include_str!("edit.css");

/// What the editor's handlers share.
pub struct Editor {
    pub root: PathBuf,
    /// The dev server's own engine: the editor checks and renders with its cached inputs.
    pub engine: Arc<Mutex<Engine>>,
    theme: Theme,
}

/// Why the editor cannot start.
#[derive(Debug, thiserror::Error)]
pub enum EditorError {
    #[error(transparent)]
    Random(#[from] guard::NoRandom),
    #[error("the editor's templates do not load: {0}")]
    Templates(String),
}

impl Editor {
    pub fn new(root: PathBuf, engine: Arc<Mutex<Engine>>) -> Result<Editor, EditorError> {
        let theme = Theme::embedded().map_err(|d| {
            EditorError::Templates(
                d.0.iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })?;
        Ok(Editor {
            root,
            engine,
            theme,
        })
    }

    /// Runs `f` with the engine, off the async threads (a check builds the whole model).
    async fn with_engine<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&Editor, &mut Engine) -> T + Send + 'static,
    ) -> Option<T> {
        let editor = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut engine = super::lock(&editor.engine);
            f(&editor, &mut engine)
        })
        .await
        .ok()
    }

    /// The site's title, for the pages' titles.
    fn site_title(&self) -> String {
        crate::content::parse_file::<crate::content::schema::RawIndex>(
            &self.root,
            std::path::Path::new("content/_index.md"),
        )
        .map(|index| index.front.title)
        .unwrap_or_default()
    }

    /// Renders `template` in `lang` with `view` and the values every page has.
    fn page(
        &self,
        lang: &str,
        template: &str,
        status: StatusCode,
        view: serde_json::Value,
    ) -> Response {
        let languages: Vec<Language> = LANGUAGES
            .iter()
            .map(|code| Language {
                code,
                name: self
                    .theme
                    .string(code, "language_name")
                    .unwrap_or_else(|| code.to_string()),
            })
            .collect();
        let mut ctx = match tera::Context::from_serialize(&view) {
            Ok(ctx) => ctx,
            Err(e) => return failed(&e),
        };
        ctx.insert("lang", lang);
        ctx.insert("languages", &languages);
        ctx.insert("site_title", &self.site_title());
        match self.theme.for_language(lang).render(template, &ctx) {
            Ok(html) => html_response(status, html),
            Err(e) => failed(&e),
        }
    }

    /// A page that only says something (a refusal, say).
    fn message(&self, lang: &str, status: StatusCode, kind: &str, text: String) -> Response {
        let view = serde_json::json!({ "message": { "kind": kind, "text": text } });
        self.page(lang, "edit/base.html", status, view)
    }

    /// The interface string `key` in `lang`, English where it is missing.
    fn string(&self, lang: &str, key: &str) -> String {
        (self.theme.string(lang, key))
            .or_else(|| self.theme.string("en", key))
            .unwrap_or_else(|| key.to_string())
    }
}

#[derive(Serialize)]
struct Language {
    code: &'static str,
    name: String,
}

fn failed(e: &tera::Error) -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("the editor's page failed to render: {e}\n"),
    )
        .into_response()
}

fn html_response(status: StatusCode, html: String) -> Response {
    let mut res = (status, html).into_response();
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// The interface language of a request: the editor's cookie, else the first of
/// `Accept-Language` the editor speaks, else English.
pub fn request_lang(headers: &HeaderMap) -> &'static str {
    let get = |h| headers.get(h).and_then(|v: &HeaderValue| v.to_str().ok());
    let from_cookie = (get(header::COOKIE).into_iter())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == LANG_COOKIE)
        .and_then(|(_, v)| LANGUAGES.iter().find(|l| **l == v));
    if let Some(lang) = from_cookie {
        return lang;
    }
    let accepted = (get(header::ACCEPT_LANGUAGE).into_iter())
        .flat_map(|v| v.split(','))
        .map(|tag| {
            tag.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .find_map(|tag| {
            let primary = tag.split('-').next().unwrap_or("").to_string();
            LANGUAGES.iter().find(|l| **l == primary)
        });
    accepted.copied().unwrap_or(LANGUAGES[0])
}

/// The editor's routes, each behind [`guard::check`].
pub fn router(editor: Arc<Editor>, guard: Arc<Guard>) -> Router {
    Router::new()
        .route("/_edit", get(|| async { redirect("/_edit/") }))
        .route("/_edit/", get(list))
        .route("/_edit/lang", get(choose_lang))
        .route(
            "/_edit/edit.js",
            get(|| async { asset("text/javascript", SCRIPT) }),
        )
        .route(
            "/_edit/edit.css",
            get(|| async { asset("text/css", STYLE) }),
        )
        .route("/_edit/note", get(note::open))
        .route("/_edit/note/check", post(note::check))
        .route("/_edit/note/live", post(note::live))
        .route("/_edit/note/review", post(note::review))
        .route("/_edit/note/save", post(note::save))
        .route("/_edit/new", get(new::form).post(new::create))
        .with_state(editor)
        .layer(middleware::from_fn_with_state(guard, guard::check))
}

fn redirect(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}

fn asset(mime: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, format!("{mime}; charset=utf-8")),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

/// Keeps the chosen interface language in a cookie and goes back to the list.
async fn choose_lang(RawQuery(query): RawQuery) -> Response {
    let fields = forms::Fields::parse(query.unwrap_or_default().as_bytes());
    let Some(lang) = LANGUAGES.iter().find(|l| **l == fields.get("to")) else {
        return (StatusCode::BAD_REQUEST, "unknown language\n").into_response();
    };
    let cookie = format!("{LANG_COOKIE}={lang}; Path=/_edit; SameSite=Strict");
    let mut res = redirect("/_edit/");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

/// The list of notes with their problems.
async fn list(State(editor): State<Arc<Editor>>, headers: HeaderMap) -> Response {
    let lang = request_lang(&headers);
    let Some(notes) = editor
        .with_engine(|_, engine| engine.notes_overview())
        .await
    else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "the check failed\n").into_response();
    };
    let notes: Vec<serde_json::Value> = notes
        .into_iter()
        .map(|n| {
            let href = note::href(&n.file);
            let mut v = serde_json::to_value(n).unwrap_or_default();
            v["href"] = href.into();
            v
        })
        .collect();
    editor.page(
        lang,
        "edit/list.html",
        StatusCode::OK,
        serde_json::json!({ "notes": notes }),
    )
}
