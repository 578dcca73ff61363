//! The text of a session as a reader sees it on its page, field by field, and the excerpt
//! a search result shows. Bodies come as our own rendered HTML; this turns them back into
//! text.

use crate::timeline::Session;

/// Roughly how many characters of text an excerpt shows.
pub const EXCERPT_CHARS: usize = 160;

/// Every searchable text of `s`, one field per entry; phrases never run across fields.
pub fn fields(s: &Session) -> Vec<&str> {
    let mut out: Vec<&str> = vec![&s.title];
    out.extend(s.summary.as_deref());
    out.extend(
        [&s.venue, &s.city, &s.country]
            .into_iter()
            .flatten()
            .map(|x| x.as_str()),
    );
    for c in &s.co_chairs {
        out.push(&c.name);
        out.extend(c.role.as_deref());
        out.extend(c.partner.as_deref());
    }
    out.extend(s.sectors.iter().map(|x| x.name.as_str()));
    out.extend(s.agreements().iter().map(|a| a.title.as_str()));
    for x in &s.disagreements {
        out.push(&x.point);
        out.extend(x.readings.iter().map(|r| r.text.as_str()));
    }
    for m in &s.commitments {
        out.push(&m.title);
        out.extend(m.note.as_deref());
    }
    out
}

/// The text of rendered HTML: tags dropped, entities decoded. Block tags and line breaks
/// become a space so that words on either side stay apart; inline tags do not, so that a
/// word split by emphasis stays one word.
pub fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let bytes = html.as_bytes();
    let mut copied = 0;
    let mut i = 0;
    // Bytes, not chars: `<` and `&` are ASCII and never inside a multi-byte character.
    loop {
        i = next_markup(bytes, i);
        if i >= bytes.len() {
            break;
        }
        let b = bytes[i];
        out.push_str(&html[copied..i]);
        let rest = &html[i..];
        let used = if b == b'<' {
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            if !is_inline_tag(&rest[..end]) {
                out.push(' ');
            }
            end
        } else {
            let (decoded, used) = entity(rest);
            match decoded {
                Some(c) => out.push(c),
                None => out.push('&'),
            }
            used
        };
        i += used;
        copied = i;
    }
    out.push_str(&html[copied..]);
    out
}

/// The index of the next `<` or `&` from `i` on, or the length. Eight bytes at a time:
/// this is most of the reading of every body.
fn next_markup(b: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    while let Some(chunk) = b.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let found = has_zero(x ^ (ONES * u64::from(b'<'))) | has_zero(x ^ (ONES * u64::from(b'&')));
        if found != 0 {
            // The lowest flagged byte is always a true match.
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < b.len() && b[i] != b'<' && b[i] != b'&' {
        i += 1;
    }
    i
}

/// Tags that sit inside a word's run of text without ending the word.
fn is_inline_tag(tag: &str) -> bool {
    let name = tag
        .trim_start_matches(['<', '/'])
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("");
    matches!(
        name,
        "a" | "abbr"
            | "b"
            | "code"
            | "del"
            | "em"
            | "i"
            | "mark"
            | "s"
            | "small"
            | "span"
            | "strong"
            | "u"
    )
}

/// Decodes the entity at the start of `s` (which starts with `&`): its text and how many
/// bytes it took. An unknown or malformed entity is a literal `&` (one byte).
fn entity(s: &str) -> (Option<char>, usize) {
    // Entities are short: looking further for a `;` would make stray `&`s quadratic.
    let window = &s.as_bytes()[1..s.len().min(12)];
    let Some(end) = window.iter().position(|&b| b == b';').map(|e| e + 1) else {
        return (None, 1);
    };
    let name = &s[1..end];
    let text = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" | "#39" => Some('\''),
        "nbsp" => Some(' '),
        _ => numeric(name),
    };
    match text {
        Some(c) => (Some(c), end + 1),
        None => (None, 1),
    }
}

fn numeric(name: &str) -> Option<char> {
    let digits = name.strip_prefix('#')?;
    let code = match digits.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => digits.parse().ok()?,
    };
    char::from_u32(code)
}

/// The excerpt of a session: the start of its summary, or else of its body's text, cut at
/// a word boundary. Only as much of the body is turned into text as the excerpt needs.
pub fn session_excerpt(summary: Option<&str>, body_html: &str) -> String {
    if summary.is_some_and(|s| !s.trim().is_empty()) {
        return excerpt(summary, "");
    }
    let mut take = 8 * EXCERPT_CHARS;
    while take < body_html.len() {
        let cut = (0..=take)
            .rev()
            .find(|&i| body_html.is_char_boundary(i))
            .unwrap_or(0);
        let text = strip_html(&body_html[..cut]);
        // The last run of text may be a cut word or entity: only words followed by
        // whitespace are known whole. An excerpt that ends before them (with `…`) is the
        // excerpt of the whole body.
        let whole = text.trim_end_matches(|c: char| !c.is_whitespace());
        let e = excerpt(None, whole);
        if e.ends_with('…') {
            return e;
        }
        take *= 4;
    }
    excerpt(None, &strip_html(body_html))
}

/// A page's description: `text` as it is when it is short, otherwise cut as an excerpt
/// is, since search engines and link previews show only the first sentence or two.
pub fn brief(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().count() <= EXCERPT_CHARS {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(excerpt(Some(text), ""))
    }
}

/// The start of the summary, or else of the body text, cut at a word boundary.
pub fn excerpt(summary: Option<&str>, body_text: &str) -> String {
    let text = summary
        .filter(|s| !s.trim().is_empty())
        .unwrap_or(body_text);
    let mut words = text.split_whitespace();
    let mut out = String::new();
    let mut chars = 0;
    for word in words.by_ref() {
        let n = word.chars().count();
        // The first word is kept whole however long, so no excerpt is empty for it.
        if chars > 0 && chars + 1 + n > EXCERPT_CHARS {
            out.push('…');
            return out;
        }
        if chars > 0 {
            out.push(' ');
            chars += 1;
        }
        out.push_str(word);
        chars += n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_text() {
        let html = "<h2 id=\"x\">Wind&nbsp;tunnel</h2>\n<p>A <em>modern</em>ised &amp; \
                    &lt;new&gt; &#39;site&#x27; &quot;q&quot; &bogus; &#xZZ; &</p><p>Next</p>";
        assert_eq!(
            strip_html(html),
            " Wind tunnel \n A modernised & <new> 'site' \"q\" &bogus; &#xZZ; &  Next "
        );
    }

    #[test]
    fn excerpts_end_at_a_word() {
        let long = "word ".repeat(100);
        let e = excerpt(None, &long);
        assert!(e.ends_with("word…"), "{e}");
        assert!(e.chars().count() <= EXCERPT_CHARS + 1);
        assert_eq!(excerpt(Some("Short summary."), &long), "Short summary.");
        assert_eq!(excerpt(Some("  "), "Body  text"), "Body text");
        assert_eq!(excerpt(None, ""), "");
    }

    #[test]
    fn a_session_excerpt_reads_only_what_it_needs_and_the_same() {
        use crate::content::markdown::{BodyPosition, render};
        use crate::content::schema::RawHtml;
        let body_html = |markdown: &str| {
            let position = BodyPosition { first_line: 1 };
            render(markdown, position, RawHtml::Escape, &|_| None).html
        };
        // Bodies as the build renders them: emphasis inside a word, entities, links and
        // paragraph breaks, in pseudo-random order so that the HTML is cut at every kind
        // of place and the excerpt ends at every kind of word.
        // Links with long addresses make text sparse in the HTML, so that some cuts land
        // near where the excerpt ends.
        let far = format!("[l](https://e.x/{})", "p".repeat(200));
        let words = ["ab", "&&", "*wor*ding", &far, "abcdefghij", "\n\n"];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for n in (0..400).step_by(7) {
            let markdown: String = (0..n)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    words[(seed % words.len() as u64) as usize].to_owned() + " "
                })
                .collect();
            for shift in 0..12 {
                let html = body_html(&format!("{}{}", "x".repeat(shift), markdown));
                let whole = excerpt(None, &strip_html(&html));
                assert_eq!(session_excerpt(None, &html), whole, "{n} {shift}");
            }
        }
        // The first cut falling inside an entity of the word at which the excerpt ends:
        // cut short, `&amp;&am` reads as three characters where the whole has two.
        for links in 4..7 {
            for path in 240..262 {
                for before in 60..80 {
                    let lead = format!("[l](https://e.x/{}) ", "p".repeat(path)).repeat(links);
                    let markdown = format!("{lead}ab {} &&&& and the rest", "a ".repeat(before));
                    let html = body_html(&markdown);
                    let whole = excerpt(None, &strip_html(&html));
                    assert_eq!(
                        session_excerpt(None, &html),
                        whole,
                        "{links} {path} {before}"
                    );
                }
            }
        }
        let body = body_html("Body");
        assert_eq!(session_excerpt(Some("Sum."), &body), "Sum.");
        assert_eq!(session_excerpt(Some(" "), &body), "Body");
    }
}
