//! Live reload: the script injected into every page in serve mode, and the events the
//! server sends it over Server-Sent Events. `reload` reloads the page, `css` swaps the
//! stylesheets in place, `error` shows an overlay with the diagnostics, `ok` clears it.

use std::path::Path;

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Diagnostics};

/// Where the page listens for events.
pub const EVENTS_PATH: &str = "/__pactline/events";

/// Where the live-reload script is served: a file of the server's own, so that the
/// preview's Content-Security-Policy allows no inline script.
pub const SCRIPT_PATH: &str = "/__pactline/reload.js";

/// The element added before `</body>` of every page while serving.
pub fn script() -> String {
    format!("<script src=\"{SCRIPT_PATH}\"></script>")
}

/// The live-reload script itself, served at [`SCRIPT_PATH`].
pub fn script_source() -> String {
    SCRIPT.replace("EVENTS_PATH", EVENTS_PATH)
}

const SCRIPT: &str = r#"
(function () {
  var overlay = null;
  function hide() { if (overlay) { overlay.remove(); overlay = null; } }
  function show(data) {
    hide();
    overlay = document.createElement("div");
    overlay.id = "pactline-error-overlay";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
      "background:rgba(20,20,20,.92);color:#fff;font:14px/1.5 monospace;padding:2em;";
    var h = document.createElement("h2");
    h.textContent = "pactline: the site does not build (showing the last good build)";
    overlay.appendChild(h);
    data.diagnostics.forEach(function (d) {
      var p = document.createElement("pre");
      p.className = "pactline-diagnostic";
      p.style.whiteSpace = "pre-wrap";
      p.textContent = (d.location ? d.location + ": " : "") + d.code + ": " + d.message +
        (d.help ? "\n  help: " + d.help : "");
      overlay.appendChild(p);
    });
    document.body.appendChild(overlay);
  }
  function swapCss() {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (l) {
      var url = new URL(l.href);
      url.searchParams.set("pactline", Date.now());
      var copy = l.cloneNode();
      copy.href = url.href;
      copy.onload = function () { l.remove(); };
      l.after(copy);
    });
  }
  var source = new EventSource("EVENTS_PATH");
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("css", function () { hide(); swapCss(); });
  source.addEventListener("error", function (e) { if (e.data) { show(JSON.parse(e.data)); } });
  source.addEventListener("ok", hide);
})();
"#;

/// One message to the pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Pages changed: reload.
    Reload,
    /// Only stylesheets changed: swap them.
    Css,
    /// The site does not build; the payload is JSON for the overlay.
    Error(String),
    /// The site builds again but nothing in the output changed: clear the overlay.
    Ok,
}

impl Event {
    /// The SSE event name.
    pub fn name(&self) -> &'static str {
        match self {
            Event::Reload => "reload",
            Event::Css => "css",
            Event::Error(_) => "error",
            Event::Ok => "ok",
        }
    }

    /// The SSE data line.
    pub fn data(&self) -> &str {
        match self {
            Event::Error(json) => json,
            _ => "{}",
        }
    }

    /// The overlay event for these diagnostics (errors only).
    pub fn error(diags: &Diagnostics) -> Event {
        let list: Vec<OverlayItem> = diags.errors().map(OverlayItem::from).collect();
        let json = serde_json::json!({ "diagnostics": list });
        Event::Error(json.to_string())
    }
}

#[derive(Serialize)]
struct OverlayItem {
    location: String,
    code: String,
    message: String,
    help: Option<String>,
}

impl From<&Diagnostic> for OverlayItem {
    fn from(d: &Diagnostic) -> OverlayItem {
        OverlayItem {
            location: d.location(),
            code: format!("error[{}]", d.code.id),
            message: d.message.clone(),
            help: d.help.clone(),
        }
    }
}

/// A page shown while the site has never built: it only listens for the fix.
pub fn waiting_page() -> String {
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>pactline</title></head>\
         <body><p>The site does not build yet; fix the errors shown in the terminal.</p>{}</body></html>",
        script()
    )
}

/// A short label for the terminal (`content/sessions/11.md`).
pub fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{self as d, Span};

    #[test]
    fn error_event_carries_location_and_message() {
        let diag = Diagnostic::error(d::YAML_SYNTAX, "bad yaml")
            .in_file("content/sessions/01.md")
            .at(Some(Span::at(3, 7, 1)));
        let Event::Error(json) = Event::error(&diag.into()) else {
            panic!("not an error event");
        };
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            v["diagnostics"][0]["location"],
            "content/sessions/01.md:3:7"
        );
        assert_eq!(v["diagnostics"][0]["message"], "bad yaml");
    }

    #[test]
    fn script_points_at_the_event_stream() {
        assert!(script_source().contains(EVENTS_PATH));
        assert!(script().contains(SCRIPT_PATH));
    }
}
