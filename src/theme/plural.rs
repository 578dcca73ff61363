//! Plural forms of interface strings: the `plural` filter picks the form of a string that
//! fits a number in the page's language, by the CLDR plural rules (`intl_pluralrules`).
//! English has two forms (1 session, 2 sessions); Russian three (1 сессия, 2 сессии,
//! 5 сессий); a language without rules uses its `other` form.

use std::sync::Arc;

use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
use tera::Tera;

use super::Table;

/// The cardinal plural rules of `lang`, if CLDR has them.
fn rules(lang: &str) -> Option<PluralRules> {
    let id = lang.parse::<unic_langid::LanguageIdentifier>().ok()?;
    PluralRules::create(id, PluralRuleType::CARDINAL).ok()
}

/// The CLDR category of `n` in `lang`: `one`, `few`, `many`, … or `other` where the
/// language has no rules.
pub fn category(lang: &str, n: u64) -> &'static str {
    category_by(rules(lang).as_ref(), n)
}

fn category_by(rules: Option<&PluralRules>, n: u64) -> &'static str {
    let Some(rules) = rules else {
        return "other";
    };
    match rules.select(n) {
        Ok(PluralCategory::ZERO) => "zero",
        Ok(PluralCategory::ONE) => "one",
        Ok(PluralCategory::TWO) => "two",
        Ok(PluralCategory::FEW) => "few",
        Ok(PluralCategory::MANY) => "many",
        _ => "other",
    }
}

/// The form of string `key` for `n`: its form of `n`'s category, else its `other` form
/// (which is `key` itself).
pub fn form<'t>(table: &'t Table, lang: &str, key: &str, n: u64) -> Option<&'t str> {
    form_by(table, rules(lang).as_ref(), key, n)
}

fn form_by<'t>(
    table: &'t Table,
    rules: Option<&PluralRules>,
    key: &str,
    n: u64,
) -> Option<&'t str> {
    let exact = table.get(&format!("{key}.{}", category_by(rules, n)));
    exact.or_else(|| table.get(key)).map(String::as_str)
}

/// `{{ n | plural(key="session_count") }}`: the form of `t.session_count` for `n`.
pub(super) fn register(tera: &mut Tera, table: Arc<Table>, lang: &str) {
    let rules = rules(lang);
    tera.register_filter(
        "plural",
        move |n: u64, kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<String> {
            let key: String = kwargs.must_get("key")?;
            form_by(&table, rules.as_ref(), &key, n)
                .map(str::to_owned)
                .ok_or_else(|| tera::Error::message(format!("no interface string `{key}`")))
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_has_its_categories() {
        let en: Vec<_> = [0, 1, 2, 5, 21].map(|n| category("en", n)).to_vec();
        assert_eq!(en, ["other", "one", "other", "other", "other"]);
        let ru: Vec<_> = [0, 1, 2, 5, 11, 21, 22, 25]
            .map(|n| category("ru", n))
            .to_vec();
        assert_eq!(
            ru,
            ["many", "one", "few", "many", "many", "one", "few", "many"]
        );
        let hi: Vec<_> = [0, 1, 2].map(|n| category("hi", n)).to_vec();
        assert_eq!(hi, ["one", "one", "other"]);
        assert_eq!(category("not a language", 1), "other");
    }

    #[test]
    fn a_missing_form_falls_back_to_other() {
        let table: Table = [("s", "sessions"), ("s.one", "session")]
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .into();
        assert_eq!(form(&table, "en", "s", 1), Some("session"));
        assert_eq!(form(&table, "en", "s", 3), Some("sessions"));
        assert_eq!(form(&table, "ru", "s", 3), Some("sessions"));
        assert_eq!(form(&table, "en", "nothing", 3), None);
    }
}
