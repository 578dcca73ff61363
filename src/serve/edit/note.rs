//! One note in the editor: its whole text in a form, the diagnostics `check` finds in it,
//! its session page rendered from the text as it stands in the form, the commitments to
//! review, and its translations or original beside it. Checking, reviewing and saving are
//! the same form sent to different actions, so nothing typed is lost between them; the
//! live check (`/_edit/note/live`) answers the script with the same parts as fragments.

use std::path::Path;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Value, json};

use super::files::{self, FileError, NotePath};
use super::forms::{self, Fields};
use super::{Editor, request_lang, yaml};
use crate::content::{self, NoteKind};
use crate::diagnostics::{Diagnostic, Severity};
use crate::engine::Engine;
use crate::scaffold;

/// The editor's address of the note `file` (relative to the root).
pub fn href(file: &str) -> String {
    let q: String = url::form_urlencoded::byte_serialize(file.as_bytes()).collect();
    format!("/_edit/note?file={q}")
}

/// A note as the form holds it.
struct Draft {
    note: NotePath,
    text: String,
    /// The version the text was loaded from; empty for a note not on disk.
    base: String,
}

/// A diagnostic as the page lists it.
#[derive(Serialize)]
struct Shown {
    severity: &'static str,
    code: &'static str,
    name: &'static str,
    message: String,
    line: Option<usize>,
    column: Option<usize>,
    help: Option<String>,
}

impl From<&Diagnostic> for Shown {
    fn from(d: &Diagnostic) -> Shown {
        Shown {
            severity: match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "note",
            },
            code: d.code.id,
            name: d.code.name,
            message: d.message.clone(),
            line: d.span.map(|s| s.line),
            column: d.span.map(|s| s.column),
            help: d.help.clone(),
        }
    }
}

/// A commitment row of the review form.
#[derive(Serialize)]
struct Row {
    id: String,
    title: String,
    status: String,
    /// The status and note this note gives it already, if any.
    chosen: String,
    note: String,
}

/// The diagnostics and preview of `draft`.
fn checked(engine: &mut Engine, draft: &Draft) -> Value {
    let preview = engine.preview(&draft.note.rel, &draft.text);
    let shown: Vec<Shown> = preview.diagnostics.0.iter().map(Shown::from).collect();
    let page = preview
        .page
        .map(|p| String::from_utf8_lossy(&p).into_owned());
    json!({
        "diagnostics": shown,
        "errors_elsewhere": preview.errors_elsewhere,
        "preview": page,
        "wip": preview.diagnostics.has_errors(),
    })
}

/// Everything the note page shows for `draft`.
fn view(editor: &Editor, engine: &mut Engine, draft: &Draft) -> Value {
    let mut v = checked(engine, draft);
    let file = rel_string(&draft.note.rel);
    let kind = content::note_kind(&content::content_rel(&draft.note.rel));
    v["file"] = file.clone().into();
    v["base"] = draft.base.clone().into();
    v["text"] = draft.text.clone().into();
    v["is_translation"] = (kind == NoteKind::Translation).into();
    v["related"] = json!(related(&editor.root, &draft.note));
    if kind == NoteKind::Session {
        v["review"] = json!(review_rows(&editor.root, &draft.text));
        v["statuses"] = json!(forms::STATUSES);
    }
    v
}

fn rel_string(rel: &Path) -> String {
    rel.to_string_lossy().replace('\\', "/")
}

/// The open commitments, and those the note mentions, with what the note says of them.
fn review_rows(root: &Path, text: &str) -> Vec<Row> {
    let Ok(next) = scaffold::next_session(root) else {
        return Vec::new();
    };
    let mentioned = mentions(text);
    let said = |id: &str| mentioned.iter().find(|(m, _, _)| m == id);
    let mut rows: Vec<Row> = (next.open.iter().cloned())
        .map(|c| {
            let (chosen, note) = said(&c.id)
                .map(|(_, s, n)| (s.clone(), n.clone()))
                .unwrap_or_default();
            Row {
                id: c.id,
                title: c.title,
                status: c.status,
                chosen,
                note,
            }
        })
        .collect();
    for (id, status, note) in &mentioned {
        if !rows.iter().any(|r| &r.id == id) {
            let title = (next.titles.iter()).find(|(known, _)| known == id);
            rows.push(Row {
                id: id.clone(),
                title: title.map_or_else(|| id.clone(), |(_, t)| t.clone()),
                status: status.clone(),
                chosen: status.clone(),
                note: note.clone(),
            });
        }
    }
    rows
}

/// The commitments `text`'s front matter mentions: id, status, note.
fn mentions(text: &str) -> Vec<(String, String, String)> {
    let text = content::frontmatter::normalize(text);
    let Ok(split) = content::frontmatter::split(Path::new("note.md"), &text) else {
        return Vec::new();
    };
    let Ok(front) = serde_yaml::from_str::<serde_yaml::Value>(split.front_matter) else {
        return Vec::new();
    };
    let field = |item: &serde_yaml::Value, key: &str| {
        item.get(key)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    (front
        .get("commitments")
        .and_then(|c| c.as_sequence())
        .into_iter())
    .flatten()
    .filter(|item| item.get("id").is_some())
    .map(|item| {
        (
            field(item, "id"),
            field(item, "status"),
            field(item, "note"),
        )
    })
    .collect()
}

/// A note's translations (for an original) or its original (for a translation), with
/// their text, to read beside it.
fn related(root: &Path, note: &NotePath) -> Vec<Value> {
    let Some(name) = note
        .rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
    else {
        return Vec::new();
    };
    let dir = note.rel.parent().unwrap_or(Path::new(""));
    let original_stem = match content::translation_language(&note.rel) {
        Some(lang) => name
            .trim_end_matches(".md")
            .trim_end_matches(&format!(".{lang}"))
            .to_string(),
        None => name.trim_end_matches(".md").to_string(),
    };
    let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
        return Vec::new();
    };
    let mut out: Vec<(String, Value)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let other = e.file_name().to_string_lossy().into_owned();
            let rel = dir.join(&other);
            let lang = content::translation_language(&rel);
            let stem = other.strip_suffix(".md")?;
            let same = match &lang {
                Some(l) => stem.strip_suffix(&format!(".{l}")) == Some(&original_stem),
                None => stem == original_stem,
            };
            if !same || other == name {
                return None;
            }
            let path = files::note_path(root, &rel_string(&rel)).ok()?;
            let (text, _) = files::load(&path).ok()??;
            let file = rel_string(&rel);
            let v = json!({ "file": file, "href": href(&file), "lang": lang.unwrap_or_default(), "text": text });
            Some((file, v))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.into_iter().map(|(_, v)| v).collect()
}

/// The draft a form sent, or the response refusing it.
fn draft(editor: &Editor, lang: &str, f: &Fields) -> Result<Draft, Response> {
    match files::note_path(&editor.root, f.get("file")) {
        Ok(note) => Ok(Draft {
            note,
            // Browsers send a textarea's lines with CRLF.
            text: f.get("text").replace("\r\n", "\n"),
            base: f.get("base").to_string(),
        }),
        Err(_) => Err(refused(editor, lang)),
    }
}

fn refused(editor: &Editor, lang: &str) -> Response {
    let text = editor.string(lang, "edit_outside");
    editor.message(lang, StatusCode::FORBIDDEN, "error", text)
}

/// Renders the note page for `draft`, with `extra` values (a message, the disk version).
async fn respond(
    editor: Arc<Editor>,
    lang: &'static str,
    draft: Draft,
    status: StatusCode,
    extra: Value,
) -> Response {
    let built = editor.with_engine(move |editor, engine| {
        let mut v = view(editor, engine, &draft);
        if let (Some(v), Value::Object(extra)) = (v.as_object_mut(), extra) {
            v.extend(extra);
        }
        v
    });
    match built.await {
        Some(v) => editor.page(lang, "edit/note.html", status, v),
        None => (StatusCode::INTERNAL_SERVER_ERROR, "the check failed\n").into_response(),
    }
}

/// `GET /_edit/note?file=…`: the note as it is on disk.
pub async fn open(
    State(editor): State<Arc<Editor>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let lang = request_lang(&headers);
    let f = Fields::parse(q.unwrap_or_default().as_bytes());
    let Ok(note) = files::note_path(&editor.root, f.get("file")) else {
        return refused(&editor, lang);
    };
    let (text, base) = match files::load(&note) {
        Ok(Some(found)) => found,
        Ok(None) => {
            let text = format!(
                "{}: {}",
                editor.string(lang, "edit_invalid"),
                rel_string(&note.rel)
            );
            return editor.message(lang, StatusCode::NOT_FOUND, "error", text);
        }
        Err(e) => {
            return editor.message(
                lang,
                StatusCode::INTERNAL_SERVER_ERROR,
                "error",
                e.to_string(),
            );
        }
    };
    let extra = match f.get("saved") {
        "1" => json!({ "message": { "kind": "ok", "text": editor.string(lang, "edit_saved") } }),
        _ => json!({}),
    };
    respond(
        editor,
        lang,
        Draft { note, text, base },
        StatusCode::OK,
        extra,
    )
    .await
}

/// `POST /_edit/note/check`: the page again for the text as sent, nothing written.
pub async fn check(State(editor): State<Arc<Editor>>, headers: HeaderMap, body: Bytes) -> Response {
    let lang = request_lang(&headers);
    let f = Fields::parse(&body);
    match draft(&editor, lang, &f) {
        Ok(d) => respond(editor, lang, d, StatusCode::OK, json!({})).await,
        Err(refusal) => refusal,
    }
}

/// `POST /_edit/note/live`: the problems list (HTML, from the same template) and the
/// preview, as JSON, for the script.
pub async fn live(State(editor): State<Arc<Editor>>, headers: HeaderMap, body: Bytes) -> Response {
    let lang = request_lang(&headers);
    let f = Fields::parse(&body);
    let Ok(d) = draft(&editor, lang, &f) else {
        return (StatusCode::FORBIDDEN, "refused\n").into_response();
    };
    let Some(v) = editor
        .with_engine(move |_, engine| checked(engine, &d))
        .await
    else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "the check failed\n").into_response();
    };
    let problems = editor.page(lang, "edit/problems.html", StatusCode::OK, v.clone());
    let Ok(problems) = axum::body::to_bytes(problems.into_body(), usize::MAX).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "the check failed\n").into_response();
    };
    let out = json!({
        "problems": String::from_utf8_lossy(&problems),
        "preview": v["preview"],
        "wip": v["wip"],
    });
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/json; charset=utf-8",
            ),
            (axum::http::header::CACHE_CONTROL, "no-store"),
        ],
        out.to_string(),
    )
        .into_response()
}

/// `POST /_edit/note/review`: the reviews chosen written into the text (not saved).
pub async fn review(
    State(editor): State<Arc<Editor>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let lang = request_lang(&headers);
    let f = Fields::parse(&body);
    let mut d = match draft(&editor, lang, &f) {
        Ok(d) => d,
        Err(refusal) => return refusal,
    };
    let extra = match yaml::apply_reviews(&d.text, &forms::reviews(&f)) {
        Ok(text) => {
            d.text = text;
            json!({})
        }
        Err(e) => {
            let text = format!("{} {e}", editor.string(lang, "edit_invalid"));
            json!({ "message": { "kind": "error", "text": text } })
        }
    };
    respond(editor, lang, d, StatusCode::OK, extra).await
}

/// `POST /_edit/note/save`: writes the text if the file is still the version it was based
/// on; otherwise shows both versions and writes nothing.
pub async fn save(State(editor): State<Arc<Editor>>, headers: HeaderMap, body: Bytes) -> Response {
    let lang = request_lang(&headers);
    let f = Fields::parse(&body);
    let mut d = match draft(&editor, lang, &f) {
        Ok(d) => d,
        Err(refusal) => return refusal,
    };
    match files::save(&d.note, &d.base, &d.text) {
        Ok(_) => {
            let to = format!("{}&saved=1", href(&rel_string(&d.note.rel)));
            super::redirect(&to)
        }
        Err(FileError::Conflict { on_disk }) => {
            // The next save, if the author makes it, knowingly replaces what is on disk.
            d.base = on_disk
                .as_deref()
                .map(|t| files::version(t.as_bytes()))
                .unwrap_or_default();
            let extra = json!({
                "message": { "kind": "error", "text": editor.string(lang, "edit_conflict") },
                "disk": { "removed": on_disk.is_none(), "text": on_disk.unwrap_or_default() },
            });
            respond(editor, lang, d, StatusCode::CONFLICT, extra).await
        }
        Err(FileError::Outside(_)) => refused(&editor, lang),
        Err(e) => editor.message(
            lang,
            StatusCode::INTERNAL_SERVER_ERROR,
            "error",
            e.to_string(),
        ),
    }
}
