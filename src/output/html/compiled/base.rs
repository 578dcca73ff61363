//! `base.html`: the document around every compiled page.

use super::{Shared, Title, W, some};
use crate::output::html::Alternate;

impl Shared<'_> {
    /// `base.html` around `content`.
    pub(super) fn base(
        &self,
        w: &mut W<'_>,
        page: (&str, &str, &crate::output::Page),
        title: Title<'_>,
        head: &str,
        content: impl FnOnce(&mut W<'_>) -> Option<()>,
        scripts: impl FnOnce(&mut W<'_>) -> Option<()>,
    ) -> Option<()> {
        let alternates = self.alternates(page.0);
        self.head_element(w, page, title, head, &alternates)?;
        self.site_header(w, page.0, &alternates)?;
        content(w)?;
        self.site_footer(w)?;
        scripts(w)?;
        w.raw("\n</body>\n</html>\n");
        Some(())
    }

    /// From the doctype to `</head>`.
    fn head_element(
        &self,
        w: &mut W<'_>,
        (path, page_title, kind): (&str, &str, &crate::output::Page),
        title: Title<'_>,
        head: &str,
        alternates: &[Alternate],
    ) -> Option<()> {
        let meta = &self.timeline.meta;
        let (description, og_type, jsonld) = self.metadata(kind);
        let url = format!("{}{path}", meta.base_url);
        w.raw("<!DOCTYPE html>\n<html lang=\"");
        w.text(&meta.language);
        w.raw("\"");
        if self.partners.iter().any(|p| p.color.is_some()) {
            w.raw(" style=\"");
            for p in self.partners.iter().filter(|p| p.color.is_some()) {
                w.raw("--partner-");
                w.num(p.n);
                w.raw(": ");
                w.text(p.color.as_deref().unwrap_or_default());
                w.raw(";");
            }
            w.raw("\"");
        }
        w.raw(">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"color-scheme\" content=\"light dark\">\n<title>");
        match title {
            Title::Page => {
                w.text(page_title);
                w.raw(" — ");
                w.text(&meta.title);
            }
            Title::Site => w.text(&meta.title),
            Title::Key(key) => {
                w.t(key)?;
                w.raw(" — ");
                w.text(&meta.title);
            }
        }
        w.raw("</title>\n<meta name=\"description\" content=\"");
        w.text(description);
        w.raw("\">\n<link rel=\"canonical\" href=\"");
        w.text(&url);
        w.raw("\">\n<meta property=\"og:title\" content=\"");
        w.text(page_title);
        w.raw("\">\n<meta property=\"og:description\" content=\"");
        w.text(description);
        w.raw("\">\n<meta property=\"og:url\" content=\"");
        w.text(&url);
        w.raw("\">\n<meta property=\"og:type\" content=\"");
        w.text(og_type);
        w.raw("\">\n<meta property=\"og:site_name\" content=\"");
        w.text(&meta.title);
        w.raw("\">\n<link rel=\"alternate\" type=\"application/atom+xml\" title=\"");
        w.text(&meta.title);
        w.raw("\" href=\"");
        w.text(&self.root);
        w.raw("feed.xml\">\n<link rel=\"alternate\" type=\"text/calendar\" title=\"");
        w.text(&meta.title);
        w.raw("\" href=\"");
        w.text(&self.root);
        w.raw("sessions.ics\">\n<link rel=\"alternate\" type=\"application/json\" title=\"");
        w.text(&meta.title);
        w.raw("\" href=\"");
        w.text(&self.site_root);
        w.raw("timeline.json\">\n");
        for l in alternates {
            w.raw("<link rel=\"alternate\" hreflang=\"");
            w.text(&l.code);
            w.raw("\" href=\"");
            w.text(&l.url);
            w.raw("\">\n");
        }
        w.raw("\n");
        if let Some(j) = jsonld.filter(|j| !j.is_empty()) {
            w.raw("<script type=\"application/ld+json\">");
            w.raw(&j);
            w.raw("</script>\n");
        }
        w.raw("<link rel=\"stylesheet\" href=\"");
        w.text(&self.site_root);
        w.raw("style.css\">\n");
        w.raw(head);
        w.raw("\n</head>\n");
        Some(())
    }

    /// The skip link and the header: site title, navigation and language switcher.
    fn site_header(&self, w: &mut W<'_>, path: &str, alternates: &[Alternate]) -> Option<()> {
        let meta = &self.timeline.meta;
        w.raw("<body>\n<a class=\"skip-link\" href=\"#main\">");
        w.t("skip_to_content")?;
        w.raw("</a>\n<header class=\"site-header\">\n  <p class=\"site-title\"><a href=\"");
        w.text(&self.root);
        w.raw("\">");
        w.text(&meta.title);
        w.raw("</a></p>\n  <nav aria-label=\"");
        w.t("nav_label")?;
        w.raw("\">\n    <ul>");
        // The timeline is current on the home page only; sectors and commitments on every
        // page below theirs.
        let items = [
            ("", path.is_empty(), "nav_timeline"),
            ("sectors/", path.starts_with("sectors/"), "nav_sectors"),
            (
                "commitments/",
                path.starts_with("commitments/"),
                "nav_commitments",
            ),
        ];
        for (below, current, key) in items {
            w.raw("\n      <li><a href=\"");
            w.text(&self.root);
            w.raw(below);
            w.raw("\"");
            if current {
                w.raw(" aria-current=\"page\"");
            }
            w.raw(">");
            w.t(key)?;
            w.raw("</a></li>");
        }
        w.raw("\n    </ul>\n  </nav>\n  ");
        if !alternates.is_empty() {
            w.raw("<nav class=\"languages\" aria-label=\"");
            w.t("language_switcher")?;
            w.raw("\">\n    <ul>");
            for l in alternates {
                w.raw("<li><a href=\"");
                w.text(&l.href);
                w.raw("\" hreflang=\"");
                w.text(&l.code);
                w.raw("\" lang=\"");
                w.text(&l.code);
                w.raw("\"");
                if l.current {
                    w.raw(" aria-current=\"true\"");
                }
                w.raw(">");
                w.text(&l.name);
                w.raw("</a></li>");
            }
            w.raw("</ul>\n  </nav>");
        }
        w.raw("\n</header>\n<main id=\"main\" tabindex=\"-1\">\n");
        Some(())
    }

    /// From the end of `<main>` to the end of the footer.
    fn site_footer(&self, w: &mut W<'_>) -> Option<()> {
        let meta = &self.timeline.meta;
        w.raw("\n</main>\n<footer class=\"site-footer\">\n  ");
        if let Some(parent) = some(&meta.parent) {
            w.raw("<p>");
            w.t("part_of")?;
            w.raw(": ");
            w.text(parent);
            w.raw("</p>");
        }
        w.raw("\n  <p><a href=\"");
        w.text(&self.root);
        w.raw("print/\">");
        w.t("print_link")?;
        w.raw("</a></p>\n  <p>");
        w.t("footer_generated")?;
        w.raw("</p>\n</footer>\n");
        Some(())
    }
}
