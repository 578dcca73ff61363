//! `--relative-urls`: rewrites every root-relative link of a page into a path relative to
//! the page, ending in `index.html`, so the output works opened straight from disk.

use lol_html::{RewriteStrSettings, element, rewrite_str};

/// Elements and attributes that carry a URL.
const URL_ATTRS: &[(&str, &str)] = &[
    ("a[href]", "href"),
    ("link[href]", "href"),
    ("img[src]", "src"),
    ("script[src]", "src"),
    ("source[src]", "src"),
    ("form[action]", "action"),
];

/// Relative form of `url` as seen from the page at `page_path` (`sessions/11/`,
/// `404.html`); `root` is the site's path prefix. Other URLs are returned unchanged.
pub fn relative_url(url: &str, page_path: &str, root: &str) -> Option<String> {
    if url.starts_with("//") {
        return None;
    }
    let target = url.strip_prefix(root)?;
    let (path, fragment) = match target.find(['#', '?']) {
        Some(i) => target.split_at(i),
        None => (target, ""),
    };
    let depth = page_path
        .rsplit_once('/')
        .map_or(0, |(dir, _)| dir.split('/').count());
    let mut out = "../".repeat(depth);
    out.push_str(path);
    if path.is_empty() || path.ends_with('/') {
        out.push_str("index.html");
    }
    out.push_str(fragment);
    Some(out)
}

/// Rewrites the links of one HTML page.
pub fn relativize(
    html: &str,
    page_path: &str,
    root: &str,
) -> Result<String, lol_html::errors::RewritingError> {
    let mut settings = RewriteStrSettings::new();
    for (selector, attr) in URL_ATTRS {
        settings = settings.append_element_content_handler(element!(selector, move |el| {
            if let Some(rel) = el
                .get_attribute(attr)
                .and_then(|v| relative_url(&v, page_path, root))
            {
                el.set_attribute(attr, &rel)?;
            }
            Ok(())
        }));
    }
    settings =
        settings.append_element_content_handler(element!("meta[http-equiv=refresh]", move |el| {
            if let Some(content) = el.get_attribute("content")
                && let Some((delay, url)) = content.split_once("url=")
                && let Some(rel) = relative_url(url, page_path, root)
            {
                el.set_attribute("content", &format!("{delay}url={rel}"))?;
            }
            Ok(())
        }));
    rewrite_str(html, settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_become_relative_files() {
        assert_eq!(
            relative_url("/", "sessions/11/", "/").unwrap(),
            "../../index.html"
        );
        assert_eq!(
            relative_url("/sessions/5/#outcome", "sessions/11/", "/").unwrap(),
            "../../sessions/5/index.html#outcome"
        );
        assert_eq!(relative_url("/style.css", "", "/").unwrap(), "style.css");
        assert_eq!(
            relative_url("/wg/sectors/", "404.html", "/wg/").unwrap(),
            "sectors/index.html"
        );
        assert_eq!(relative_url("https://example.org/", "", "/"), None);
        assert_eq!(relative_url("//cdn.example/x", "", "/"), None);
        assert_eq!(relative_url("#main", "", "/"), None);
    }

    #[test]
    fn pages_are_rewritten() {
        let html = r#"<a href="/sessions/1/">1</a><link rel="stylesheet" href="/style.css"><meta http-equiv="refresh" content="0; url=/sessions/1/"><a href="https://x.org/">x</a>"#;
        let out = relativize(html, "old/first/", "/").unwrap();
        assert!(
            out.contains(r#"href="../../sessions/1/index.html""#),
            "{out}"
        );
        assert!(out.contains(r#"href="../../style.css""#), "{out}");
        assert!(
            out.contains(r#"content="0; url=../../sessions/1/index.html""#),
            "{out}"
        );
        assert!(out.contains(r#"href="https://x.org/""#), "{out}");
    }
}
