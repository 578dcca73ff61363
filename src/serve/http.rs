//! The HTTP side of `serve`: answers requests from the in-memory build only (nothing on
//! disk is ever read), with the right MIME type, `index.html` for folders, the site's
//! 404 page, and a refusal of any path that tries to climb out (`..`, `%2e%2e`, `\`).
//! Also the Server-Sent Events stream that the live-reload script listens to, and the
//! guard every request passes: only the preview's own host names are answered (a page on
//! another origin cannot read the preview through DNS rebinding), and every answer carries
//! `nosniff`, a Content-Security-Policy and a Referrer-Policy.

use std::convert::Infallible;
use std::sync::{Arc, OnceLock, RwLock};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::{broadcast, watch};
use tokio_stream::wrappers::{BroadcastStream, WatchStream};
use tokio_stream::{Stream, StreamExt};

use super::reload::{self, EVENTS_PATH, Event, SCRIPT_PATH};
use crate::engine::{Addresses, Files};

/// The last good build as the handlers see it.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub files: Files,
    /// Every file of the build; those not in `files` are rendered when first asked for,
    /// through [`Shared::render`].
    pub addresses: Arc<Addresses>,
}

impl Snapshot {
    fn has(&self, key: &str) -> bool {
        self.files.contains_key(key) || self.addresses.contains(key)
    }
}

/// Renders a pending file of the current build.
pub type Render = Box<dyn Fn(&str) -> Rendered + Send + Sync>;

/// What rendering a pending file gave.
pub enum Rendered {
    File(Arc<[u8]>),
    /// The build has no such file after all (a file of the search index, say).
    Missing,
    /// It cannot be rendered now.
    Unavailable,
}

/// What the handlers share: the current build, the current error, the event channel.
pub struct Shared {
    /// The last good build; `None` until the site has built once.
    pub build: RwLock<Option<Arc<Snapshot>>>,
    /// Renders pending files; set once the builder exists.
    pub render: OnceLock<Render>,
    /// The overlay event while the site does not build.
    pub error: RwLock<Option<Event>>,
    pub events: broadcast::Sender<Event>,
    /// Set on Ctrl-C: ends the event streams, which would otherwise hold shutdown open.
    pub shutdown: watch::Sender<bool>,
    /// The host names requests may name; `None` answers any (`--bind 0.0.0.0`).
    pub hosts: Option<Vec<String>>,
}

impl Shared {
    pub fn new(hosts: Option<Vec<String>>) -> Arc<Shared> {
        let (events, _) = broadcast::channel(64);
        let (shutdown, _) = watch::channel(false);
        Arc::new(Shared {
            build: RwLock::new(None),
            render: OnceLock::new(),
            error: RwLock::new(None),
            events,
            shutdown,
            hosts,
        })
    }

    fn build(&self) -> Option<Arc<Snapshot>> {
        self.build.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn error(&self) -> Option<Event> {
        self.error.read().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// The host names a server bound to `bind` answers to: its own address and the loopback
/// names; `None` (any) when it listens on every interface.
pub fn allowed_hosts(bind: std::net::IpAddr) -> Option<Vec<String>> {
    if bind.is_unspecified() {
        return None;
    }
    let own = match bind {
        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    let names = ["localhost", "127.0.0.1", "[::1]"].map(String::from);
    Some(names.into_iter().chain([own]).collect())
}

/// The host name of a `Host` header, without its port.
fn host_name(value: &str) -> &str {
    match value.rsplit_once(':') {
        // `[::1]:1111`, `127.0.0.1:1111`; `[::1]` alone has its colons inside brackets.
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) && !port.is_empty() => name,
        _ => value,
    }
}

/// The router: the event stream, the live-reload script, and every other GET answered
/// from the build; each request through `guard`.
/// `extra` adds routes of their own (the editor of `serve --edit`), behind the same guard.
pub fn router(state: Arc<Shared>, extra: Option<Router>) -> Router {
    let mut app = Router::new()
        .route(EVENTS_PATH, get(events))
        .route(SCRIPT_PATH, get(reload_script))
        .fallback(file)
        .with_state(state.clone());
    if let Some(extra) = extra {
        app = app.merge(extra);
    }
    app.layer(middleware::from_fn_with_state(state, guard))
}

/// The policy's text, a literal so that the editor's stricter policy extends it in place.
macro_rules! csp {
    () => {
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data: https: http:; media-src 'self' https: http:; object-src 'none'; \
    base-uri 'self'; form-action 'self'"
    };
}
pub(crate) use csp;

/// What every page of the preview may load: its own scripts only, its own styles and the
/// inline `style` attributes the theme writes, and images or media from anywhere (notes may
/// show them), as the published site would.
pub const CSP: &str = csp!();

/// Refuses requests for other host names (421) and adds the security headers.
async fn guard(State(state): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    if let Some(hosts) = &state.hosts
        && !host_allowed(req.headers(), hosts)
    {
        return (
            StatusCode::MISDIRECTED_REQUEST,
            "this preview answers only to its own address (see `pactline serve --bind`)\n",
        )
            .into_response();
    }
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // The editor sets its own policies (see `edit::guard`): it may not be framed by
    // another site, and its forms must name their origin.
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(CSP));
    headers
        .entry(header::REFERRER_POLICY)
        .or_insert(HeaderValue::from_static("no-referrer"));
    res
}

fn host_allowed(headers: &HeaderMap, hosts: &[String]) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        // HTTP/1.0 without `Host`: no browser sends that, so no page can rebind it.
        return true;
    };
    let name = host_name(host).to_ascii_lowercase();
    hosts.contains(&name)
}

async fn reload_script() -> Response {
    let body = Bytes::from(reload::script_source());
    bytes_response(StatusCode::OK, "reload.js", body)
}

async fn events(
    State(state): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    let first = state.error();
    let rx = state.events.subscribe();
    let live = BroadcastStream::new(rx).filter_map(Result::ok);
    // Ends the stream on shutdown, so that open pages do not keep the server alive.
    let stop = WatchStream::new(state.shutdown.subscribe())
        .filter(|stopping| *stopping)
        .map(|_| None);
    let stream = tokio_stream::iter(first)
        .chain(live)
        .map(Some)
        .merge(stop)
        .take_while(Option::is_some)
        .filter_map(|e| e)
        .map(|e| Ok(SseEvent::default().event(e.name()).data(e.data())));
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Why a request path is refused or where it points.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A key of the build (`sessions/11/index.html`).
    File(String),
    /// A folder asked for without its trailing slash: redirect to `…/`.
    Folder(String),
    /// The path tries to leave the site or is not a path at all.
    Refused,
}

/// Maps a raw request path to a key of the build (`has` tells which keys exist), refusing
/// traversal in any spelling.
pub fn resolve(raw: &str, has: impl Fn(&str) -> bool) -> Target {
    if raw.contains('\\') || raw.to_ascii_lowercase().contains("%5c") {
        return Target::Refused;
    }
    let Ok(path) = percent_encoding::percent_decode_str(raw).decode_utf8() else {
        return Target::Refused;
    };
    let Some(path) = path.strip_prefix('/') else {
        return Target::Refused;
    };
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len() - 1;
    let bad = segments.iter().enumerate().any(|(i, s)| {
        *s == ".."
            || *s == "."
            || s.contains('\\')
            || s.contains('\0')
            || (s.is_empty() && i != last)
    });
    if bad {
        return Target::Refused;
    }
    if path.is_empty() || path.ends_with('/') {
        return Target::File(format!("{path}index.html"));
    }
    if !has(path) && has(&format!("{path}/index.html")) {
        return Target::Folder(format!("/{path}/"));
    }
    Target::File(path.to_string())
}

async fn file(State(state): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
        )
            .into_response();
    }
    let Some(build) = state.build() else {
        return html(
            StatusCode::SERVICE_UNAVAILABLE,
            reload::waiting_page().into_bytes(),
        );
    };
    match resolve(uri.path(), |k| build.has(k)) {
        Target::Refused => {
            (StatusCode::BAD_REQUEST, "refused: path leaves the site\n").into_response()
        }
        Target::Folder(to) => {
            (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, to)]).into_response()
        }
        Target::File(key) if build.has(&key) => answer(state, &build, key, StatusCode::OK).await,
        // The site's own 404 page, rendered like any other page.
        Target::File(_) if build.has(NOT_FOUND) => {
            answer(state, &build, NOT_FOUND.into(), StatusCode::NOT_FOUND).await
        }
        Target::File(_) => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

const NOT_FOUND: &str = "404.html";

/// The file `key` of the build, rendering it first (off the async threads: it may be the
/// whole print page) when it is pending.
async fn answer(state: Arc<Shared>, build: &Snapshot, key: String, status: StatusCode) -> Response {
    if let Some(bytes) = build.files.get(&key) {
        return bytes_response(status, &key, shared(bytes));
    }
    let asked = key.clone();
    let worker = state.clone();
    let rendered = tokio::task::spawn_blocking(move || match worker.render.get() {
        Some(render) => render(&asked),
        None => Rendered::Unavailable,
    })
    .await;
    match rendered {
        Ok(Rendered::File(bytes)) => bytes_response(status, &key, shared(&bytes)),
        Ok(Rendered::Missing) if key != NOT_FOUND && build.has(NOT_FOUND) => {
            Box::pin(answer(
                state,
                build,
                NOT_FOUND.into(),
                StatusCode::NOT_FOUND,
            ))
            .await
        }
        Ok(Rendered::Missing) => (StatusCode::NOT_FOUND, "not found\n").into_response(),
        _ => html(
            StatusCode::SERVICE_UNAVAILABLE,
            reload::waiting_page().into_bytes(),
        ),
    }
}

fn html(status: StatusCode, body: Vec<u8>) -> Response {
    bytes_response(status, "index.html", Bytes::from(body))
}

/// A file of the build as a response body, shared with the build rather than copied.
fn shared(bytes: &Arc<[u8]>) -> Bytes {
    Bytes::from_owner(bytes.clone())
}

fn bytes_response(status: StatusCode, key: &str, body: Bytes) -> Response {
    let mime = mime_guess::from_path(key).first_or_octet_stream();
    let value = match mime.type_() {
        mime_guess::mime::TEXT => format!("{mime}; charset=utf-8"),
        _ if mime.subtype() == "javascript" || mime.subtype() == "json" => {
            format!("{mime}; charset=utf-8")
        }
        _ => mime.to_string(),
    };
    let mut res = Response::new(Body::from(body));
    *res.status_mut() = status;
    let headers = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&value) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Files {
        let mut f = Files::new();
        for k in ["index.html", "sessions/1/index.html", "style.css"] {
            f.insert(k.to_string(), Arc::from(&b"x"[..]));
        }
        f
    }

    #[test]
    fn paths_map_to_build_keys() {
        let f = files();
        let f = |k: &str| f.contains_key(k);
        assert_eq!(resolve("/", f), Target::File("index.html".into()));
        assert_eq!(
            resolve("/sessions/1/", f),
            Target::File("sessions/1/index.html".into())
        );
        assert_eq!(
            resolve("/sessions/1", f),
            Target::Folder("/sessions/1/".into())
        );
        assert_eq!(resolve("/style.css", f), Target::File("style.css".into()));
        assert_eq!(resolve("/missing", f), Target::File("missing".into()));
    }

    #[test]
    fn a_response_shares_the_build_s_bytes() {
        let file: Arc<[u8]> = Arc::from(vec![7u8; 1 << 20]);
        let body = shared(&file);
        assert_eq!(
            body.as_ptr(),
            file.as_ptr(),
            "the body is the build's own bytes"
        );
        assert_eq!(Arc::strong_count(&file), 2);
        drop(body);
        assert_eq!(
            Arc::strong_count(&file),
            1,
            "and lets them go with the response"
        );
    }

    #[test]
    fn only_the_preview_s_own_host_names_are_answered() {
        let hosts = allowed_hosts("127.0.0.1".parse().unwrap()).unwrap();
        let allowed = |host: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::HOST, HeaderValue::from_str(host).unwrap());
            host_allowed(&h, &hosts)
        };
        for ok in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST",
            "[::1]:1111",
            "[::1]",
        ] {
            assert!(allowed(ok), "{ok}");
        }
        for refused in [
            "evil.example:1111",
            "127.0.0.1.evil.example",
            "localhost.",
            "x",
        ] {
            assert!(!allowed(refused), "{refused}");
        }
        assert_eq!(allowed_hosts("0.0.0.0".parse().unwrap()), None);
        let lan = allowed_hosts("192.168.1.5".parse().unwrap()).unwrap();
        assert!(lan.contains(&"192.168.1.5".to_string()));
    }

    #[test]
    fn traversal_is_refused_in_every_spelling() {
        let f = files();
        let f = |k: &str| f.contains_key(k);
        for raw in [
            "/../etc/passwd",
            "/sessions/../../x",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2fetc",
            "/..%5cwindows",
            "/a\\b",
            "//etc/passwd",
            "/./index.html",
            "/%00",
            "/%ff",
        ] {
            assert_ne!(resolve(raw, f), Target::File("etc/passwd".into()), "{raw}");
            assert!(
                matches!(resolve(raw, f), Target::Refused),
                "{raw}: {:?}",
                resolve(raw, f)
            );
        }
    }
}
