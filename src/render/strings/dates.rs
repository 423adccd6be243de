//! Dates as a language writes them: the table's `date_format` places the
//! day, the month's name, the month's number and the year
//! (`{day}. {month} {year}`), and the month names come from the locale data
//! of the C library's locales (glibc's `LC_TIME`, through the
//! `pure-rust-locales` crate), so a language a site adds gets its month
//! names without writing them.

use crate::content::front_matter::Date;
use pure_rust_locales::{locale_match, Locale};

/// The month names of English, the last fallback.
pub const ENGLISH_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The region whose locale holds a language's month names, where the
/// language's own code doubled (`de_DE`) is not a locale or not the usual
/// one (`ar_SA` names the months of the Islamic calendar).
const USUAL_REGION: &[(&str, &str)] = &[
    ("ar", "ar_EG"),
    ("cs", "cs_CZ"),
    ("da", "da_DK"),
    ("el", "el_GR"),
    ("en", "en_US"),
    ("he", "he_IL"),
    ("hi", "hi_IN"),
    ("ja", "ja_JP"),
    ("ko", "ko_KR"),
    ("nb", "nb_NO"),
    ("sv", "sv_SE"),
    ("uk", "uk_UA"),
    ("vi", "vi_VN"),
    ("zh", "zh_CN"),
    ("zh-hans", "zh_CN"),
    ("zh-hant", "zh_TW"),
];

/// The month names of a BCP 47 language code, from the first of these that
/// is a locale: the code with its region (`pt-BR` → `pt_BR`), the usual
/// region of the language (`zh-Hans` → `zh_CN`), the language doubled
/// (`nl` → `nl_NL`).
pub fn months(language: &str) -> Option<[&'static str; 12]> {
    let lower = language.to_ascii_lowercase();
    let mut subtags = language.split('-');
    let primary = subtags.next()?.to_ascii_lowercase();
    let region = subtags
        .find(|s| s.len() == 2 && s.chars().all(|c| c.is_ascii_alphabetic()))
        .map(|r| format!("{primary}_{}", r.to_ascii_uppercase()));
    let usual = |code: &str| {
        USUAL_REGION
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, l)| l.to_string())
    };
    let candidates = [
        region,
        usual(&lower),
        usual(&primary),
        Some(format!("{primary}_{}", primary.to_ascii_uppercase())),
    ];
    candidates
        .into_iter()
        .flatten()
        .find_map(|name| Locale::try_from(name.as_str()).ok())
        .and_then(|locale| locale_match!(locale => LC_TIME::MON).try_into().ok())
}

/// `format` with `{day}`, `{month}`, `{month_number}` and `{year}` filled
/// in; `{day}` and `{month_number}` have no leading zero.
pub fn format(format: &str, months: &[&str; 12], date: &Date) -> String {
    let day = date.day;
    let month = usize::try_from(day.month()).unwrap_or(1).clamp(1, 12);
    format
        .replace("{day}", &day.day().to_string())
        .replace("{month_number}", &month.to_string())
        .replace("{month}", months[month - 1])
        .replace("{year}", &day.strftime("%Y").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).expect("a date")
    }

    #[test]
    fn month_names_come_from_the_language_locale() {
        let march = |language: &str| months(language).map(|m| m[2]);
        assert_eq!(march("en"), Some("March"));
        assert_eq!(march("de"), Some("März"));
        assert_eq!(march("fr"), Some("mars"));
        assert_eq!(march("es"), Some("marzo"));
        assert_eq!(march("pt-BR"), Some("março"));
        assert_eq!(march("ar"), Some("مارس"));
        assert_eq!(march("nl"), Some("maart"));
        assert_eq!(march("zz"), None);
    }

    #[test]
    fn english_dates_read_as_before() {
        let day = date("2025-03-04");
        assert_eq!(
            format("{month} {day}, {year}", &ENGLISH_MONTHS, &day),
            day.human()
        );
        assert_eq!(
            format("{year}年{month_number}月{day}日", &ENGLISH_MONTHS, &day),
            "2025年3月4日"
        );
    }
}
