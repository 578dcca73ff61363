//! Words as the search index and its browser client (`search.js`) both see them: UAX #29
//! word segmentation, lowercasing, stop words and Snowball stems, plus the two names a
//! stem is filed under (its vocabulary key and its postings bucket). Every rule here has a
//! twin in the client, which must find the same words in a query.

use std::borrow::Cow;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_segmentation::UnicodeSegmentation;

use super::stop_words::{ENGLISH_STOP_WORDS, RUSSIAN_STOP_WORDS};

/// How many characters of a stem name its vocabulary file.
pub const KEY_CHARS: usize = 3;

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
    if text.is_ascii() {
        ascii_words(text, &mut f);
        return;
    }
    let b = text.as_bytes();
    let mut start = 0;
    while start < b.len() {
        let Some(k) = first_non_ascii(&b[start..]) else {
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

/// The index of the first byte of `b` that is not ASCII, sixteen bytes at a time.
fn first_non_ascii(b: &[u8]) -> Option<usize> {
    const HIGH: u128 = u128::from_le_bytes([0x80; 16]);
    let mut chunks = b.chunks_exact(16);
    for (i, chunk) in chunks.by_ref().enumerate() {
        let mut bytes = [0; 16];
        bytes.copy_from_slice(chunk);
        let high = u128::from_le_bytes(bytes) & HIGH;
        if high != 0 {
            return Some(16 * i + high.trailing_zeros() as usize / 8);
        }
    }
    let done = b.len() - chunks.remainder().len();
    (chunks.remainder().iter().position(|c| !c.is_ascii())).map(|k| done + k)
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
///
/// A byte-at-a-time scanner mispredicts a branch at every word's start and end, and that
/// is most of its cost. This one marks the word bytes of 64 bytes at a time in a bit mask
/// without branching, then steps from word to word by counting zeros.
fn ascii_words<'a>(s: &'a str, f: &mut impl FnMut(&'a str)) {
    let b = s.as_bytes();
    let mut word_start: Option<usize> = None;
    for (block, chunk) in b.chunks(64).enumerate() {
        let base = block * 64;
        let mask = word_mask(chunk);
        // Bits below `pos` are done with.
        let mut pos = 0;
        while pos < chunk.len() {
            let ahead = !0u64 << pos;
            match word_start {
                Some(start) => {
                    let ends = !mask & ahead & low_bits(chunk.len());
                    if ends == 0 {
                        break;
                    }
                    let end = ends.trailing_zeros() as usize;
                    pos = end + 1;
                    let at = base + end;
                    if at + 1 < b.len()
                        && mid_joins(class(b[at - 1]), class(b[at]), class(b[at + 1]))
                    {
                        continue;
                    }
                    emit(s, start, at, f);
                    word_start = None;
                }
                None => {
                    let starts = mask & ahead;
                    if starts == 0 {
                        break;
                    }
                    let at = starts.trailing_zeros() as usize;
                    word_start = Some(base + at);
                    pos = at + 1;
                }
            }
        }
    }
    if let Some(start) = word_start {
        emit(s, start, b.len(), f);
    }
}

/// Bit `j` set where `chunk[j]` (ASCII, at most 64 bytes) is a letter, digit or `_`: the
/// bytes that always join one another.
fn word_mask(chunk: &[u8]) -> u64 {
    let mut mask = 0;
    for (i, group) in chunk.chunks(8).enumerate() {
        let mut bytes = [0u8; 8];
        bytes[..group.len()].copy_from_slice(group);
        mask |= u64::from(word_bytes(u64::from_le_bytes(bytes))) << (8 * i);
    }
    mask
}

/// [`word_mask`] of eight ASCII bytes, all at once: a byte compares with a bound by
/// adding to it and reading its high bit, which no carry can reach below 0x80.
fn word_bytes(x: u64) -> u8 {
    const EACH: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = EACH * 0x80;
    let at_least = |x: u64, low: u8| x + EACH * u64::from(0x80 - low);
    let lower = x | (EACH * 0x20);
    let letter = at_least(lower, b'a') & !at_least(lower, b'z' + 1);
    let digit = at_least(x, b'0') & !at_least(x, b'9' + 1);
    let diff = x ^ (EACH * u64::from(b'_'));
    // High bit set where `diff` has a non-zero byte.
    let nonzero = ((diff & !HIGH) + !HIGH) | diff;
    let underscore = !nonzero;
    let flags = (letter | digit | underscore) & HIGH;
    // Gathers the eight high bits into the top byte, the first byte's lowest.
    (flags.wrapping_mul(0x0002_0408_1020_4081) >> 56) as u8
}

/// The lowest `n` bits set, for `n` up to 64.
fn low_bits(n: usize) -> u64 {
    if n >= 64 { !0 } else { (1 << n) - 1 }
}

/// Passes `s[start..end]` on unless it is only `_`s, which make no word. Mid characters
/// join letters or digits only, so a word that does not start with `_` has one.
fn emit<'a>(s: &'a str, start: usize, end: usize, f: &mut impl FnMut(&'a str)) {
    let word = &s[start..end];
    if word.as_bytes()[0] != b'_' || word.bytes().any(|c| c != b'_') {
        f(word);
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
        let alphabet = "aZ09_:.',; \n\t\"-!é’\u{301}\u{a0}жЖपवं्\u{200d}😀🇮🇳ß_ΣΑ";
        random_strings(alphabet, 12)
    }

    /// Random strings of up to `max` characters of `alphabet`.
    fn random_strings(alphabet: &str, max: u64) -> impl Iterator<Item = String> {
        let alphabet: Vec<char> = alphabet.chars().collect();
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        (0..20_000).map(move |_| {
            let mut next = || {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed
            };
            let len = (next() % max) as usize;
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
        // Long ASCII strings cross the 64-byte blocks of the ASCII scanner.
        let long = random_strings("aaaaZ09__:.',; \n", 300).take(2000);
        for text in fixed
            .iter()
            .map(|s| s.to_string())
            .chain(samples())
            .chain(long)
        {
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
