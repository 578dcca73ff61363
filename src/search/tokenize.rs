//! Words as the search index and its browser client (`search.js`) both see them: UAX #29
//! word segmentation, lowercasing, stop words and Snowball stems, plus the two names a
//! stem is filed under (its vocabulary key and its postings bucket). Every rule here has a
//! twin in the client, which must find the same words in a query.

use std::borrow::Cow;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_segmentation::UnicodeSegmentation;

/// How many characters of a stem name its vocabulary file.
pub const KEY_CHARS: usize = 3;

/// Common English words left out of the index. Kept short: words that are also names or
/// abbreviations in the notes ("may", "it", "us") stay searchable.
pub const ENGLISH_STOP_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "before", "being", "between", "both", "but", "by", "can", "could", "did", "do", "does", "each",
    "for", "from", "had", "has", "have", "he", "her", "here", "his", "how", "i", "if", "in",
    "into", "is", "its", "it's", "of", "on", "once", "only", "or", "other", "our", "over", "she",
    "should", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there",
    "these", "they", "this", "those", "through", "to", "too", "very", "was", "we", "were", "what",
    "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you",
    "your",
];

/// Common Russian words left out of the index (after the Snowball list).
pub const RUSSIAN_STOP_WORDS: &[&str] = &[
    "а",
    "без",
    "бы",
    "был",
    "была",
    "были",
    "было",
    "быть",
    "в",
    "вам",
    "вас",
    "ведь",
    "во",
    "вот",
    "все",
    "всё",
    "вы",
    "где",
    "да",
    "даже",
    "для",
    "до",
    "его",
    "ее",
    "её",
    "ей",
    "если",
    "есть",
    "еще",
    "ещё",
    "же",
    "за",
    "здесь",
    "и",
    "из",
    "или",
    "им",
    "их",
    "к",
    "как",
    "когда",
    "кто",
    "ли",
    "между",
    "меня",
    "мне",
    "мы",
    "на",
    "над",
    "не",
    "него",
    "нее",
    "неё",
    "нет",
    "ни",
    "них",
    "но",
    "о",
    "об",
    "он",
    "она",
    "они",
    "оно",
    "от",
    "по",
    "под",
    "при",
    "с",
    "со",
    "так",
    "также",
    "там",
    "то",
    "того",
    "тоже",
    "только",
    "том",
    "у",
    "уже",
    "чем",
    "что",
    "чтобы",
    "эта",
    "эти",
    "это",
    "этого",
    "этой",
    "этом",
    "этот",
];

/// The language-dependent half of tokenizing: which stemmer and which stop words.
pub struct Tokenizer {
    stemmer: Option<(Stemmer, &'static str)>,
    stop_words: &'static [&'static str],
}

impl Tokenizer {
    /// English and Russian are stemmed; every other language is indexed word for word
    /// (Hindi among them: no Snowball stemmer exists for it).
    pub fn new(lang: &str) -> Tokenizer {
        let (stemmer, stop_words) = match primary(lang) {
            "en" => (
                Some((Stemmer::create(Algorithm::English), "english")),
                ENGLISH_STOP_WORDS,
            ),
            "ru" => (
                Some((Stemmer::create(Algorithm::Russian), "russian")),
                RUSSIAN_STOP_WORDS,
            ),
            _ => (None, &[][..]),
        };
        Tokenizer {
            stemmer,
            stop_words,
        }
    }

    /// The Snowball algorithm's name, as `meta.json` gives it.
    pub fn stemmer_name(&self) -> Option<&'static str> {
        self.stemmer.as_ref().map(|(_, name)| *name)
    }

    pub fn stop_words(&self) -> &'static [&'static str] {
        self.stop_words
    }

    /// `word` must be normalized (lowercased, `’` read as `'`). The lists are short enough that a
    /// scan costs less than hashing, and this runs once per distinct word only.
    pub fn is_stop_word(&self, word: &str) -> bool {
        self.stop_words.contains(&word)
    }

    /// The stem of a normalized word that is not a stop word.
    pub fn stem<'a>(&self, word: &'a str) -> Cow<'a, str> {
        match &self.stemmer {
            Some((stemmer, _)) => match stemmer.stem(word) {
                // A stemmer may strip a word to nothing ("'s"); the word then stands for itself.
                stem if stem.is_empty() => Cow::Borrowed(word),
                stem => stem,
            },
            None => Cow::Borrowed(word),
        }
    }

    /// The stems of `text` in order, stop words left out: what a query looks for.
    pub fn terms(&self, text: &str) -> Vec<String> {
        let mut buf = String::new();
        let mut out = Vec::new();
        for_each_word(text, |word| {
            normalize(word, &mut buf);
            if !self.is_stop_word(&buf) {
                out.push(self.stem(&buf).into_owned());
            }
        });
        out
    }
}

/// Calls `f` with each word of `text`, exactly as `UnicodeSegmentation::unicode_words`
/// finds them. Most text is ASCII, and ASCII words are found by a small table-driven
/// scanner several times faster than the general one, which handles the rest.
pub fn for_each_word<'a>(text: &'a str, mut f: impl FnMut(&'a str)) {
    let b = text.as_bytes();
    let mut start = 0;
    while start < b.len() {
        let Some(k) = b[start..].iter().position(|c| !c.is_ascii()) else {
            ascii_words(&text[start..], &mut f);
            return;
        };
        let k = start + k;
        // A word never spans ASCII whitespace: before the last run of it ahead of `k`, the
        // ASCII scanner suffices. The whole run goes to the general one, as spaces join
        // one another and a mark after them joins the spaces.
        let mut cut =
            (b[start..k].iter().rposition(u8::is_ascii_whitespace)).map_or(start, |p| start + p);
        while cut > start && b[cut - 1].is_ascii_whitespace() {
            cut -= 1;
        }
        ascii_words(&text[start..cut], &mut f);
        // A word boundary is certain after whitespace followed by ASCII (a non-ASCII mark
        // could attach to the whitespace instead).
        let end = (k..b.len())
            .find(|&i| b[i].is_ascii_whitespace() && b.get(i + 1).is_none_or(u8::is_ascii))
            .unwrap_or(b.len());
        text[cut..end].unicode_words().for_each(&mut f);
        start = end;
    }
}

/// UAX #29 word classes of ASCII characters, as far as words are concerned.
const OTHER: u8 = 0;
const LETTER: u8 = 1;
const DIGIT: u8 = 2;
/// `_` (ExtendNumLet): joins letters and digits but is not a word by itself.
const JOINER: u8 = 3;
/// `:` (MidLetter): inside a word between letters.
const MID_LETTER: u8 = 4;
/// `.` and `'` (MidNumLet, Single_Quote): between letters or between digits.
const MID_BOTH: u8 = 5;
/// `,` and `;` (MidNum): between digits.
const MID_NUM: u8 = 6;

static CLASSES: [u8; 128] = ascii_classes();

const fn ascii_classes() -> [u8; 128] {
    let mut t = [OTHER; 128];
    let mut i = 0;
    while i < 128 {
        t[i] = match i as u8 {
            b'a'..=b'z' | b'A'..=b'Z' => LETTER,
            b'0'..=b'9' => DIGIT,
            b'_' => JOINER,
            b':' => MID_LETTER,
            b'.' | b'\'' => MID_BOTH,
            b',' | b';' => MID_NUM,
            _ => OTHER,
        };
        i += 1;
    }
    t
}

fn class(b: u8) -> u8 {
    CLASSES[usize::from(b & 0x7f)]
}

/// Whether `mid` between `before` and `after` keeps a word together (rules WB6, WB7,
/// WB11, WB12).
fn mid_joins(before: u8, mid: u8, after: u8) -> bool {
    match mid {
        MID_LETTER => before == LETTER && after == LETTER,
        MID_BOTH => before == after && (before == LETTER || before == DIGIT),
        MID_NUM => before == DIGIT && after == DIGIT,
        _ => false,
    }
}

/// The words of ASCII `s`: runs of letters, digits and `_` (which all join one another),
/// held together across single mid characters, with at least one letter or digit.
fn ascii_words<'a>(s: &'a str, f: &mut impl FnMut(&'a str)) {
    let b = s.as_bytes();
    let in_word = |c: u8| matches!(c, LETTER | DIGIT | JOINER);
    let mut i = 0;
    while i < b.len() {
        if !in_word(class(b[i])) {
            i += 1;
            continue;
        }
        let start = i;
        let mut alnum = false;
        loop {
            while i < b.len() && in_word(class(b[i])) {
                alnum |= class(b[i]) != JOINER;
                i += 1;
            }
            if i + 1 < b.len() && mid_joins(class(b[i - 1]), class(b[i]), class(b[i + 1])) {
                i += 1;
                continue;
            }
            break;
        }
        if alnum {
            f(&s[start..i]);
        }
    }
}

/// "en-GB" -> "en".
fn primary(lang: &str) -> &str {
    lang.split(['-', '_']).next().unwrap_or(lang)
}

/// Lowercases `word` into `out` and writes the typographic apostrophe as `'`, so that
/// "India’s" and "India's" are one word (the stemmer knows only the latter).
pub fn normalize(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        // Most words are ASCII; this skips the general case mapping for them.
        out.push_str(word);
        out.make_ascii_lowercase();
        return;
    }
    // `str::to_lowercase`, not per character: it lowercases a final sigma as JS does.
    for c in word.to_lowercase().chars() {
        out.push(if c == '\u{2019}' { '\'' } else { c });
    }
}

/// The vocabulary key of a stem: its first [`KEY_CHARS`] characters, or all of it.
pub fn vocab_key(stem: &str) -> &str {
    match stem.char_indices().nth(KEY_CHARS) {
        Some((end, _)) => &stem[..end],
        None => stem,
    }
}

/// File name (without `.json`) of a vocabulary key: the lowercase hex of its UTF-8 bytes,
/// safe on every file system and in every URL.
pub fn key_file_name(key: &str) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(key.len() * 2);
    for b in key.bytes() {
        // Writing to a String cannot fail.
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// 32-bit FNV-1a of `bytes`: picks a stem's postings bucket.
pub fn fnv1a(bytes: &[u8]) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for &b in bytes {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(lang: &str, text: &str) -> Vec<String> {
        Tokenizer::new(lang).terms(text)
    }

    #[test]
    fn english_inflections_share_a_stem() {
        assert_eq!(terms("en", "tunnels"), terms("en", "Tunnel"));
        assert_eq!(terms("en", "India’s"), terms("en", "India's"));
        assert_eq!(
            terms("en", "modernised modernising")[0],
            terms("en", "modernise")[0]
        );
    }

    #[test]
    fn russian_inflections_share_a_stem() {
        let stems = terms("ru", "туннель туннеля туннели туннелями");
        assert_eq!(stems.len(), 4);
        assert!(stems.iter().all(|s| *s == stems[0]), "{stems:?}");
        assert_eq!(terms("ru", "Сессия сессии"), ["сесс", "сесс"]);
    }

    #[test]
    fn hindi_is_segmented_not_stemmed() {
        assert_eq!(
            terms("hi", "पवन सुरंग, आधुनिकीकरण।"),
            ["पवन", "सुरंग", "आधुनिकीकरण"]
        );
        assert_eq!(Tokenizer::new("hi").stemmer_name(), None);
    }

    #[test]
    fn stop_words_are_dropped() {
        assert_eq!(terms("en", "The wind and the tunnel"), ["wind", "tunnel"]);
        assert_eq!(terms("ru", "и в туннеле"), ["туннел"]);
        assert!(terms("en", "of the and").is_empty());
    }

    #[test]
    fn stop_word_lists_are_normalized() {
        let mut buf = String::new();
        for w in ENGLISH_STOP_WORDS.iter().chain(RUSSIAN_STOP_WORDS) {
            normalize(w, &mut buf);
            assert_eq!(buf, *w);
            assert_eq!(w.unicode_words().count(), 1, "{w}");
        }
    }

    /// Strings of characters from every word class, some with context rules.
    fn samples() -> impl Iterator<Item = String> {
        let alphabet: Vec<char> = "aZ09_:.',; \n\t\"-!é’\u{301}\u{a0}жЖपवं्\u{200d}😀🇮🇳ß_ΣΑ"
            .chars()
            .collect();
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        (0..20_000).map(move |_| {
            let mut next = || {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed
            };
            let len = (next() % 12) as usize;
            (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect()
        })
    }

    #[test]
    fn words_are_the_unicode_words() {
        let fixed = [
            "U.S.A. 3.5x a:b 1:2 1,2 a,b _a_ __ can't 1'2 a''b 2.a",
            "Кто-то ’s x",
        ];
        for text in fixed.iter().map(|s| s.to_string()).chain(samples()) {
            let mut got = Vec::new();
            for_each_word(&text, |w| got.push(w));
            let want: Vec<&str> = text.unicode_words().collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn keys_and_buckets() {
        assert_eq!(vocab_key("tunnel"), "tun");
        assert_eq!(vocab_key("ad"), "ad");
        assert_eq!(vocab_key("туннел"), "тун");
        assert_eq!(key_file_name("tun"), "74756e");
        assert_eq!(key_file_name("тун"), "d182d183d0bd");
        // Reference values of FNV-1a 32.
        assert_eq!(fnv1a(b""), 0x811c_9dc5);
        assert_eq!(fnv1a(b"a"), 0xe40c_292c);
        assert_eq!(fnv1a(b"foobar"), 0xbf9c_f968);
    }
}
