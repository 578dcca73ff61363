//! The new-session form: what `pactline new` writes (the next ordinal, the open
//! commitments listed for review), with the co-chairs of each partner, sectors from the
//! site's vocabulary and sources filled in. The note is created, never replacing a file,
//! and opened in the editor.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};

use super::files::{self, FileError};
use super::forms::{self, Fields};
use super::note::href;
use super::{Editor, request_lang};
use crate::scaffold::{self, NextSession, SessionFields};

/// The form's values for `next`, as given so far.
fn view(next: &NextSession, fields: &SessionFields) -> Value {
    let chairs: Vec<Value> = (next.partners.iter())
        .map(|p| {
            let given = fields.co_chairs.iter().find(|c| &c.partner == p);
            json!({
                "name": given.map_or("", |c| c.name.as_str()),
                "role": given.map_or("", |c| c.role.as_str()),
            })
        })
        .collect();
    let sources: Vec<Value> = (0..forms::SOURCE_ROWS)
        .map(|i| {
            let s = fields.sources.get(i);
            json!({
                "title": s.map_or("", |s| s.title.as_str()),
                "url": s.map_or("", |s| s.url.as_str()),
                "publisher": s.map_or("", |s| s.publisher.as_str()),
            })
        })
        .collect();
    json!({
        "next": {
            "ordinal": next.ordinal,
            "file": next.file.to_string_lossy().replace('\\', "/"),
            "partners": next.partners,
            "sectors": next.sectors,
        },
        "fields": {
            "date": fields.date.clone().unwrap_or_default(),
            "city": fields.city.clone().unwrap_or_default(),
            "venue": fields.venue.clone().unwrap_or_default(),
            "chairs": chairs,
            "sectors": fields.sectors,
            "sources": sources,
        },
    })
}

async fn next_session(editor: &Arc<Editor>) -> Result<NextSession, String> {
    let root = editor.root.clone();
    match tokio::task::spawn_blocking(move || scaffold::next_session(&root)).await {
        Ok(Ok(next)) => Ok(next),
        Ok(Err(e)) => Err(e.to_string()),
        Err(e) => Err(e.to_string()),
    }
}

/// `GET /_edit/new`.
pub async fn form(State(editor): State<Arc<Editor>>, headers: HeaderMap) -> Response {
    let lang = request_lang(&headers);
    match next_session(&editor).await {
        Ok(next) => {
            let v = view(&next, &SessionFields::default());
            editor.page(lang, "edit/new.html", StatusCode::OK, v)
        }
        Err(e) => editor.message(lang, StatusCode::INTERNAL_SERVER_ERROR, "error", e),
    }
}

/// `POST /_edit/new`: writes the note and opens it; on a problem, the form again with
/// what was typed.
pub async fn create(
    State(editor): State<Arc<Editor>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let lang = request_lang(&headers);
    let next = match next_session(&editor).await {
        Ok(next) => next,
        Err(e) => return editor.message(lang, StatusCode::INTERNAL_SERVER_ERROR, "error", e),
    };
    let f = Fields::parse(&body);
    let slugs: Vec<String> = next.sectors.iter().map(|(slug, _)| slug.clone()).collect();
    let fields = forms::session_fields(&f, &next.partners, &slugs);
    let again = |status, text: String| {
        let mut v = view(&next, &fields);
        v["message"] = json!({ "kind": "error", "text": text });
        editor.page(lang, "edit/new.html", status, v)
    };
    let text = match scaffold::session_note(&next, &fields) {
        Ok(text) => text,
        Err(e) => {
            let why = format!("{} {e}", editor.string(lang, "edit_invalid"));
            return again(StatusCode::UNPROCESSABLE_ENTITY, why);
        }
    };
    let file = next.file.to_string_lossy().replace('\\', "/");
    let saved =
        files::note_path(&editor.root, &file).and_then(|note| files::save(&note, "", &text));
    match saved {
        Ok(_) => super::redirect(&href(&file)),
        Err(FileError::Conflict { .. }) => {
            again(StatusCode::CONFLICT, editor.string(lang, "edit_exists"))
        }
        Err(e) => again(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}
