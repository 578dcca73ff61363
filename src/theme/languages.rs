//! What the theme knows of languages besides its interface strings: each language's own
//! name for the language switcher, and which of a site's languages have no strings yet
//! (and the English table to start their translation from).

use crate::diagnostics::{self as d, Diagnostic};
use crate::timeline::Language;

use super::{DEFAULT_THEME, Theme};

/// Languages by their own name (CLDR's), for the switcher when neither the site nor the
/// theme names one.
const ENDONYMS: &[(&str, &str)] = &[
    ("am", "አማርኛ"),
    ("ar", "العربية"),
    ("bn", "বাংলা"),
    ("cs", "Čeština"),
    ("da", "Dansk"),
    ("de", "Deutsch"),
    ("el", "Ελληνικά"),
    ("en", "English"),
    ("es", "Español"),
    ("fa", "فارسی"),
    ("fi", "Suomi"),
    ("fr", "Français"),
    ("gu", "ગુજરાતી"),
    ("ha", "Hausa"),
    ("he", "עברית"),
    ("hi", "हिन्दी"),
    ("id", "Indonesia"),
    ("it", "Italiano"),
    ("ja", "日本語"),
    ("kk", "Қазақ тілі"),
    ("ko", "한국어"),
    ("mr", "मराठी"),
    ("ms", "Melayu"),
    ("nb", "Norsk bokmål"),
    ("nl", "Nederlands"),
    ("nn", "Norsk nynorsk"),
    ("no", "Norsk"),
    ("pl", "Polski"),
    ("pt", "Português"),
    ("ro", "Română"),
    ("ru", "Русский"),
    ("sv", "Svenska"),
    ("sw", "Kiswahili"),
    ("ta", "தமிழ்"),
    ("te", "తెలుగు"),
    ("th", "ไทย"),
    ("tr", "Türkçe"),
    ("uk", "Українська"),
    ("ur", "اردو"),
    ("uz", "Oʻzbekcha"),
    ("vi", "Tiếng Việt"),
    ("zh", "中文"),
];

/// The language's own name, if the table has it.
pub fn endonym(code: &str) -> Option<&'static str> {
    (ENDONYMS.binary_search_by(|(c, _)| c.cmp(&code)).ok()).map(|i| ENDONYMS[i].1)
}

impl Theme {
    /// The switcher's name of `language`: the site's, the theme's `language_name`, the
    /// language's own name, or at last its code.
    pub fn language_name(&self, language: &Language) -> String {
        (language.name.clone())
            .or_else(|| self.string(&language.code, "language_name"))
            .or_else(|| endonym(&language.code).map(str::to_owned))
            .unwrap_or_else(|| language.code.clone())
    }

    /// A warning for each of `languages` the theme has no interface strings for: its
    /// pages show English labels.
    pub fn missing_strings(&self, languages: &[Language]) -> Vec<Diagnostic> {
        (languages.iter())
            .filter(|l| !self.string_languages().any(|s| s == l.code))
            .map(|l| {
                Diagnostic::warning(
                    d::MISSING_STRINGS,
                    format!(
                        "the theme has no interface strings in `{}`: its pages show English labels",
                        l.code
                    ),
                )
                .in_file("content/_index.md")
                .help(format!(
                    "run `pactline strings {}` to write the English strings to translate into themes/default/i18n/{}.yaml",
                    l.code, l.code
                ))
            })
            .collect()
    }
}

/// The default theme's English interface strings, as shipped (with their comments and
/// plural forms): where a new language's translation starts.
pub fn english_table() -> &'static str {
    DEFAULT_THEME
        .get_file("i18n/en.yaml")
        .and_then(|f| f.contents_utf8())
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_and_names_languages_in_their_own_words() {
        assert!(ENDONYMS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(endonym("nb"), Some("Norsk bokmål"));
        assert_eq!(endonym("ru"), Some("Русский"));
        assert_eq!(endonym("xx"), None);
    }

    #[test]
    fn the_english_table_ships_with_the_binary() {
        assert!(english_table().contains("session_count:"));
    }
}
