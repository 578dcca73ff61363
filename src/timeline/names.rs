//! What pactline itself calls things the notes do not name: a session's ordinal and
//! default title in each language, and a sector's name from its slug.

/// "1st", "2nd", "11th", "23rd".
pub fn ordinal_suffix(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// A session's ordinal in `lang`: "11th", "11-я" (agreeing with the feminine «сессия»),
/// "11वां" (with the masculine सत्र; 1–4 and 6 in words: पहला, दूसरा, तीसरा, चौथा, छठा).
/// Other languages get the English form.
pub fn ordinal_text(n: u32, lang: &str) -> String {
    match lang {
        "ru" => format!("{n}-я"),
        "hi" => match n {
            1 => "पहला".to_string(),
            2 => "दूसरा".to_string(),
            3 => "तीसरा".to_string(),
            4 => "चौथा".to_string(),
            6 => "छठा".to_string(),
            _ => format!("{n}वां"),
        },
        _ => ordinal_suffix(n),
    }
}

/// The title of a session whose note gives none: "11th session", "11-я сессия", "11वां सत्र".
pub fn default_title(n: u32, lang: &str) -> String {
    let ordinal = ordinal_text(n, lang);
    match lang {
        "ru" => format!("{ordinal} сессия"),
        "hi" => format!("{ordinal} सत्र"),
        _ => format!("{ordinal} session"),
    }
}

/// "railway-transport" -> "Railway transport".
pub fn sector_name(slug: &str) -> String {
    let words = slug.replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals() {
        let got: Vec<_> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111]
            .map(ordinal_suffix)
            .to_vec();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd",
                "101st", "111th"
            ]
        );
    }

    #[test]
    fn sector_names() {
        assert_eq!(sector_name("railway-transport"), "Railway transport");
        assert_eq!(sector_name(""), "");
    }
}
