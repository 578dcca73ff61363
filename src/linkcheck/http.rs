//! Asking a web server whether an address still answers: one address at a time, HEAD first
//! (GET when the server will not answer HEAD), following redirects by hand so that a
//! permanent move is seen, within one time budget per address. No body is ever read.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use url::Url;

/// Redirects followed before an address is given up on (a loop ends here too).
pub const MAX_REDIRECTS: usize = 10;

/// A redirect target longer than this is not followed: no page needs one, and it would
/// only fill the report.
const MAX_LOCATION: usize = 2048;

/// What checking an address found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "kebab-case")]
pub enum Outcome {
    /// It answered 2xx, perhaps after temporary redirects.
    Ok,
    /// It answered after a permanent redirect (301 or 308): `to` is the address the last
    /// of the leading permanent redirects named, which the link should now give.
    Moved { to: String },
    /// It answered 4xx or 5xx; `at` is the address that did, when redirects led there.
    Status {
        code: u16,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<String>,
    },
    /// No answer: a timeout, a refused connection, an unknown host, a TLS failure, a
    /// redirect that cannot be followed, or an address that is not one.
    Failed { reason: String },
}

impl Outcome {
    /// Whether the answer is one a server gives for good, so that it may be trusted for a
    /// day: success, a permanent move, or "not found" / "gone". Anything else (a server
    /// error, a refusal such as 403 or 429, no answer at all) may be a passing state and is
    /// asked again on every run.
    pub fn is_lasting(&self) -> bool {
        match self {
            Outcome::Ok | Outcome::Moved { .. } => true,
            Outcome::Status { code, .. } => matches!(code, 404 | 410),
            Outcome::Failed { .. } => false,
        }
    }
}

/// One HTTP exchange's answer.
struct Answer {
    status: u16,
    location: Option<String>,
}

/// Statuses some servers give to HEAD alone: the address is asked again with GET.
fn head_refused(status: u16) -> bool {
    matches!(status, 400 | 403 | 405 | 406 | 501)
}

/// An HTTP client for checking links.
pub struct Client {
    agent: ureq::Agent,
    /// The whole time one address may take, redirects included.
    timeout: Duration,
}

impl Client {
    pub fn new(timeout: Duration) -> Client {
        let config = ureq::Agent::config_builder()
            // Statuses and redirects are read here, not turned into errors or followed.
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(concat!("pactline-link-check/", env!("CARGO_PKG_VERSION")))
            .timeout_connect(Some(timeout))
            .build();
        Client {
            agent: ureq::Agent::new_with_config(config),
            timeout,
        }
    }

    /// Checks `url` (http or https, no fragment), following up to [`MAX_REDIRECTS`].
    pub fn check(&self, url: &Url) -> Outcome {
        let deadline = Instant::now() + self.timeout;
        let mut at = url.clone();
        // The target of the last permanent redirect while every redirect so far was one.
        let mut moved: Option<Url> = None;
        let mut only_permanent = true;
        for _ in 0..=MAX_REDIRECTS {
            let answer = match self.ask(&at, deadline) {
                Ok(answer) => answer,
                Err(reason) => return Outcome::Failed { reason },
            };
            let (status, location) = (answer.status, answer.location);
            match (status, location) {
                (301 | 302 | 303 | 307 | 308, Some(location)) => {
                    at = match redirect_target(&at, &location) {
                        Ok(next) => next,
                        Err(reason) => return Outcome::Failed { reason },
                    };
                    only_permanent &= matches!(status, 301 | 308);
                    if only_permanent {
                        moved = Some(at.clone());
                    }
                }
                (301 | 302 | 303 | 307 | 308, None) => {
                    return Outcome::Failed {
                        reason: format!("HTTP {status} redirect without a Location"),
                    };
                }
                (400..=599, _) => {
                    let redirected = at != *url;
                    return Outcome::Status {
                        code: status,
                        at: redirected.then(|| at.to_string()),
                    };
                }
                _ => {
                    return match moved {
                        Some(to) => Outcome::Moved { to: to.to_string() },
                        None => Outcome::Ok,
                    };
                }
            }
        }
        Outcome::Failed {
            reason: format!("more than {MAX_REDIRECTS} redirects"),
        }
    }

    /// Asks `url` with HEAD, and again with GET when HEAD is refused.
    fn ask(&self, url: &Url, deadline: Instant) -> Result<Answer, String> {
        let head = self.exchange(url, Method::Head, deadline)?;
        if head_refused(head.status) {
            return self.exchange(url, Method::Get, deadline);
        }
        Ok(head)
    }

    /// One request, given what is left of the address's time. The body of a GET answer is
    /// dropped unread: the status says all that is needed.
    fn exchange(&self, url: &Url, method: Method, deadline: Instant) -> Result<Answer, String> {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(self.timed_out());
        }
        let request = match method {
            Method::Head => self.agent.head(url.as_str()),
            Method::Get => self.agent.get(url.as_str()),
        };
        let response = (request.config().timeout_global(Some(left)).build())
            .call()
            .map_err(|e| self.reason(&e))?;
        let location = (response.headers().get("location"))
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        Ok(Answer {
            status: response.status().as_u16(),
            location,
        })
    }

    /// Why a request got no answer, in a few words.
    fn reason(&self, e: &ureq::Error) -> String {
        match e {
            ureq::Error::Timeout(_) => self.timed_out(),
            ureq::Error::HostNotFound => "host not found".to_string(),
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
                "connection refused".to_string()
            }
            ureq::Error::Io(io) => format!("cannot connect: {io}"),
            ureq::Error::Tls(_) | ureq::Error::Rustls(_) => format!("TLS error: {e}"),
            ureq::Error::Protocol(_) => format!("not a valid HTTP answer: {e}"),
            _ => e.to_string(),
        }
    }

    fn timed_out(&self) -> String {
        format!("no answer within {}", seconds(self.timeout))
    }
}

#[derive(Clone, Copy)]
enum Method {
    Head,
    Get,
}

/// `1 s`, `0.5 s`, `10 s`.
pub fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0} s")
    } else {
        format!("{s} s")
    }
}

/// The address a redirect from `base` names in `location` (which may be relative), if it is
/// one to follow: http or https, and of a sensible length.
fn redirect_target(base: &Url, location: &str) -> Result<Url, String> {
    if location.len() > MAX_LOCATION {
        return Err(format!(
            "redirects to an address longer than {MAX_LOCATION} characters"
        ));
    }
    let mut next = base
        .join(location)
        .map_err(|e| format!("redirects to an address that is not one ({e})"))?;
    if !matches!(next.scheme(), "http" | "https") {
        return Err(format!(
            "redirects to a `{}:` address, which is not checked",
            next.scheme()
        ));
    }
    next.set_fragment(None);
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_targets_are_resolved_and_only_web_ones_followed() {
        let base = Url::parse("https://a.example/x/y?q=1").unwrap();
        let t = |l: &str| redirect_target(&base, l).map(|u| u.to_string());
        assert_eq!(t("/z").unwrap(), "https://a.example/z");
        assert_eq!(t("z#f").unwrap(), "https://a.example/x/z");
        assert_eq!(t("//b.example/").unwrap(), "https://b.example/");
        assert_eq!(t("http://c.example").unwrap(), "http://c.example/");
        assert!(t("ftp://c.example/").unwrap_err().contains("`ftp:`"));
        assert!(t("javascript:alert(1)").is_err());
        assert!(t(&format!("/{}", "a".repeat(MAX_LOCATION))).is_err());
    }

    #[test]
    fn only_lasting_answers_are_kept() {
        let status = |code| Outcome::Status { code, at: None };
        assert!(Outcome::Ok.is_lasting());
        assert!(Outcome::Moved { to: "x".into() }.is_lasting());
        assert!(status(404).is_lasting() && status(410).is_lasting());
        assert!(!status(500).is_lasting() && !status(429).is_lasting());
        let failed = Outcome::Failed { reason: "x".into() };
        assert!(!failed.is_lasting());
    }

    #[test]
    fn durations_read_plainly() {
        assert_eq!(seconds(Duration::from_secs(10)), "10 s");
        assert_eq!(seconds(Duration::from_millis(1500)), "1.5 s");
    }
}
