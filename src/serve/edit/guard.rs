//! Who may use the editor. Every request below `/_edit/` must carry the server's random
//! token: once in the address the terminal prints (`?token=…`), which is then kept in an
//! HttpOnly, SameSite=Strict cookie; must name the server's own address in `Host` (no DNS
//! rebinding); and, when it changes anything (POST), must come from the editor's own origin
//! (`Origin`, or for browsers that send none, `Sec-Fetch-Site` or `Referer`).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The editor's secret and the address it answers on.
#[derive(Clone)]
pub struct Guard {
    token: String,
    /// The address the server listens on; its port names the cookie.
    addr: SocketAddr,
}

/// Why the random source failed.
#[derive(Debug, thiserror::Error)]
#[error("cannot read the system's random source for the editor's token: {0}")]
pub struct NoRandom(getrandom::Error);

impl Guard {
    /// A guard with a fresh random token (128 bits, hex).
    pub fn new(addr: SocketAddr) -> Result<Guard, NoRandom> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(NoRandom)?;
        let token = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Ok(Guard { token, addr })
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    /// The cookie's name: one per port, so that two servers on one machine keep theirs.
    fn cookie_name(&self) -> String {
        format!("pactline_edit_{}", self.addr.port())
    }

    /// The host names (with port) requests may name: the bound address, and `localhost`
    /// when it is a loopback address. Bound to every interface, any name with the port.
    fn host_ok(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        let port = self.addr.port();
        let ip = self.addr.ip();
        if ip.is_unspecified() {
            return host
                .rsplit_once(':')
                .is_some_and(|(_, p)| p == port.to_string());
        }
        let own = match ip {
            std::net::IpAddr::V6(v6) => format!("[{v6}]:{port}"),
            v4 => format!("{v4}:{port}"),
        };
        host == own || (ip.is_loopback() && host == format!("localhost:{port}"))
    }

    fn token_ok(&self, given: &str) -> bool {
        constant_time_eq(given.as_bytes(), self.token.as_bytes())
    }

    /// The token of the request's cookie, if it carries ours.
    fn cookie_ok(&self, headers: &HeaderMap) -> bool {
        let name = self.cookie_name();
        (headers.get_all(header::COOKIE).iter())
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .any(|(k, v)| k == name && self.token_ok(v))
    }

    /// Whether a POST comes from a page of the editor itself.
    fn same_origin(&self, headers: &HeaderMap, host: &str) -> bool {
        let own = format!("http://{host}");
        let get = |h: &str| headers.get(h).and_then(|v: &HeaderValue| v.to_str().ok());
        match get("origin") {
            Some(origin) => origin.eq_ignore_ascii_case(&own),
            None => {
                get("sec-fetch-site") == Some("same-origin")
                    || get("referer").is_some_and(|r| r.starts_with(&format!("{own}/")))
            }
        }
    }

    /// `Set-Cookie` for a browser that came with the token in the address.
    fn set_cookie(&self) -> String {
        format!(
            "{}={}; Path=/_edit; HttpOnly; SameSite=Strict",
            self.cookie_name(),
            self.token
        )
    }
}

/// Compares without stopping at the first difference, so the time taken tells nothing of
/// how much of a guess was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The `token` parameter of a query string.
fn query_token(query: &str) -> Option<String> {
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.into_owned())
}

/// The query string without its `token` parameter.
fn without_token(query: &str) -> String {
    let kept: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| k != "token")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(kept)
        .finish()
}

fn refuse(status: StatusCode, why: &str) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        format!("{why}\n"),
    )
        .into_response()
}

/// The dev server's policy, and no framing by another site (a page that framed the editor
/// could trick a click on its buttons).
const EDITOR_CSP: &str = concat!(crate::serve::http::csp!(), "; frame-ancestors 'self'");

/// The editor's own headers: the pages name their origin to the editor (browsers send
/// `Origin: null` with a form under the dev server's `no-referrer`, which the Origin check
/// must refuse), and may be framed by the editor alone.
fn same_origin_referrer(mut res: Response) -> Response {
    let headers = res.headers_mut();
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(EDITOR_CSP),
    );
    headers.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("SAMEORIGIN"),
    );
    res
}

/// The middleware in front of every editor route.
pub async fn check(State(guard): State<Arc<Guard>>, req: Request, next: Next) -> Response {
    let headers = req.headers();
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return refuse(StatusCode::MISDIRECTED_REQUEST, "refused: no Host header");
    };
    if !guard.host_ok(host) {
        return refuse(
            StatusCode::MISDIRECTED_REQUEST,
            "refused: the editor answers only to the address printed in the terminal",
        );
    }
    let host = host.to_string();
    if req.method() != Method::GET && req.method() != Method::HEAD {
        if !guard.same_origin(headers, &host) {
            return refuse(
                StatusCode::FORBIDDEN,
                "refused: a change to the notes must come from the editor's own page",
            );
        }
        if !guard.cookie_ok(headers) {
            return refuse(StatusCode::FORBIDDEN, "refused: no editor token");
        }
        return same_origin_referrer(next.run(req).await);
    }
    if guard.cookie_ok(headers) {
        return same_origin_referrer(next.run(req).await);
    }
    let query = req.uri().query().unwrap_or("");
    match query_token(query) {
        Some(token) if guard.token_ok(&token) => {
            // Take the token out of the address bar (and so of the history) once it is kept.
            let rest = without_token(query);
            let to = match rest.is_empty() {
                true => req.uri().path().to_string(),
                false => format!("{}?{rest}", req.uri().path()),
            };
            let cookie = guard.set_cookie();
            (
                StatusCode::SEE_OTHER,
                [
                    (header::LOCATION, to),
                    (header::SET_COOKIE, cookie),
                    (header::CACHE_CONTROL, "no-store".to_string()),
                ],
            )
                .into_response()
        }
        _ => refuse(
            StatusCode::FORBIDDEN,
            "refused: open the editor through the address `pactline serve --edit` printed, with its token",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_editor_s_policy_is_the_server_s_with_no_foreign_frames() {
        let expected = format!("{}; frame-ancestors 'self'", crate::serve::http::CSP);
        assert_eq!(EDITOR_CSP, expected);
    }

    #[test]
    fn tokens_are_compared_whole() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(!constant_time_eq(b"", b"a"));
    }

    #[test]
    fn only_the_bound_address_is_a_host() {
        let g = Guard::new("127.0.0.1:4000".parse().unwrap()).unwrap();
        assert_eq!(g.token().len(), 32);
        assert!(g.host_ok("127.0.0.1:4000"));
        assert!(g.host_ok("LOCALHOST:4000"));
        for bad in [
            "127.0.0.1:4001",
            "evil.example:4000",
            "127.0.0.1",
            "[::1]:4000",
        ] {
            assert!(!g.host_ok(bad), "{bad}");
        }
        let v6 = Guard::new("[::1]:4000".parse().unwrap()).unwrap();
        assert!(v6.host_ok("[::1]:4000"));
    }

    #[test]
    fn the_token_leaves_the_address() {
        assert_eq!(query_token("a=1&token=xyz"), Some("xyz".into()));
        assert_eq!(without_token("a=1&token=xyz&b=2"), "a=1&b=2");
        assert_eq!(without_token("token=xyz"), "");
    }
}
