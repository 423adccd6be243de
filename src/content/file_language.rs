//! The language a file's name says it is in: `x.de.md`, `_index.pt-BR.md`,
//! a bundle's `index.ja.md`, `x.en.md` in the default language; and the
//! names that only look like a translation into a language the site does
//! not have.
//!
//! Codes match without regard to case (BCP 47, RFC 5646 §2.1.1): `x.DE.md`
//! is German. `x.pt_BR.md` is read as `pt-BR`, with a warning, since `_` is
//! the POSIX locale form, not BCP 47. A suffix *looks like* a language code
//! when it has the shape of a BCP 47 tag as help centers write them: a
//! language that ISO 639-1 lists (two letters, `fr`) or a three-letter one
//! from [`THREE_LETTER_LANGUAGES`] (or any three letters followed by a
//! script or region, `yue-HK`), then an optional script (`Hans`) and region
//! (`BR`, `419`). `release.v2.md`, `notes.2024.md`, `setup.old.md` and
//! `guide.api.md` are not caught; `setup.ts.md` is (`ts` is Tsonga), which
//! is only ever a warning.

/// The languages a file name may carry, as the loader tells them apart.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Codes {
    /// The default language's code (as settled in `kbgen.yaml`).
    pub default: String,
    /// The other languages' codes, in the order of `languages:`; empty for
    /// a site in one language.
    pub others: Vec<String>,
}

impl Codes {
    /// The codes of `config`'s languages.
    pub fn of(config: &crate::config::Config) -> Codes {
        Codes {
            default: config.language.clone(),
            others: config.translation_codes(),
        }
    }

    pub fn is_multilingual(&self) -> bool {
        !self.others.is_empty()
    }

    /// Every code of the site, the default first.
    pub fn all(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.default.as_str()).chain(self.others.iter().map(String::as_str))
    }
}

/// What a file's name says of its language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileLanguage<'c> {
    /// No language in the name (`x.md`, `release.v2.md`).
    None,
    /// The default language written out (`x.en.md`): the source article
    /// `x.md` itself. Only on a multilingual site.
    Default,
    /// A translation, with the code as configured (`x.DE.md` → `de`).
    Other(&'c str),
    /// A suffix shaped like a language code that is none of the site's
    /// (`x.fr.md` on an English and German site), or any such suffix on a
    /// site in one language.
    Unknown,
}

/// A file name taken apart by [`parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named<'a, 'c> {
    pub language: FileLanguage<'c>,
    /// The suffix as written (`pt_BR`); empty for [`FileLanguage::None`].
    pub written: &'a str,
    /// The path without the suffix (`a/x.md` for `a/x.de.md`), the name
    /// the source article has; the path itself for [`FileLanguage::None`].
    pub without: String,
}

impl Named<'_, '_> {
    /// Whether the suffix matched a code only once `_` was read as `-`.
    pub fn is_misspelled(&self) -> bool {
        self.written.contains('_')
            && matches!(
                self.language,
                FileLanguage::Default | FileLanguage::Other(_)
            )
    }
}

/// What `file` (a slash path ending in `.md`) says of its language. A name
/// that is only a code (`de.md`, `.de.md`) is an article named after it.
pub fn parse<'a, 'c>(file: &'a str, codes: &'c Codes) -> Named<'a, 'c> {
    let none = || Named {
        language: FileLanguage::None,
        written: "",
        without: file.to_string(),
    };
    let Some(stem) = file.strip_suffix(".md") else {
        return none();
    };
    let name_start = stem.rfind('/').map_or(0, |i| i + 1);
    let Some((before, written)) = stem[name_start..].rsplit_once('.') else {
        return none();
    };
    if before.is_empty() {
        return none();
    }
    let without = format!("{}{before}.md", &stem[..name_start]);
    let tag = written.replace('_', "-");
    let language = if !codes.is_multilingual() {
        if looks_like_language_code(&tag) {
            FileLanguage::Unknown
        } else {
            return none();
        }
    } else if codes.default.eq_ignore_ascii_case(&tag) {
        FileLanguage::Default
    } else if let Some(code) = codes.others.iter().find(|c| c.eq_ignore_ascii_case(&tag)) {
        FileLanguage::Other(code)
    } else if looks_like_language_code(&tag) {
        FileLanguage::Unknown
    } else {
        return none();
    };
    Named {
        language,
        written,
        without,
    }
}

/// Whether `tag` (with `-`) has the shape of a language tag as help
/// centers write them; see the module docs for the rule.
pub fn looks_like_language_code(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or("").to_ascii_lowercase();
    let rest: Vec<&str> = parts.collect();
    let is_script = |p: &str| p.len() == 4 && p.bytes().all(|b| b.is_ascii_alphabetic());
    let is_region = |p: &str| {
        (p.len() == 2 && p.bytes().all(|b| b.is_ascii_alphabetic()))
            || (p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit()))
    };
    let subtags_fit = match rest.as_slice() {
        [] => true,
        [one] => is_script(one) || is_region(one),
        [script, region] => is_script(script) && is_region(region),
        _ => false,
    };
    let known = match language.len() {
        2 => ISO_639_1.binary_search(&language.as_str()).is_ok(),
        3 => {
            language.bytes().all(|b| b.is_ascii_alphabetic())
                && (!rest.is_empty() || THREE_LETTER_LANGUAGES.contains(&language.as_str()))
        }
        _ => false,
    };
    known && subtags_fit
}

/// A configured code an unknown one was likely meant as: one with the same
/// language (`pt` → `pt-BR`, `de-AT` → `de`). A code a letter away is no
/// guess (`fr` is French, not a typo of `ar`).
pub fn closest_code<'c>(written: &str, codes: &'c Codes) -> Option<&'c str> {
    let tag = written.replace('_', "-");
    let language = tag.split('-').next().unwrap_or("");
    codes.all().find(|code| {
        code.split('-')
            .next()
            .unwrap_or("")
            .eq_ignore_ascii_case(language)
    })
}

/// The two-letter language codes of ISO 639-1, sorted (the current list,
/// without the withdrawn `sh`, `iw`, `in`, `ji` and `mo`).
const ISO_639_1: &[&str] = &[
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bi",
    "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de",
    "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy",
    "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz", "ia",
    "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj", "kk",
    "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln", "lo",
    "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb", "nd",
    "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl",
    "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl",
    "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk",
    "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa",
    "wo", "xh", "yi", "yo", "za", "zh", "zu",
];

/// Three-letter languages (ISO 639-2/3) that sites are translated into and
/// that have no two-letter code. Any other three letters alone (`api`,
/// `old`, `faq`) are not taken for a language.
pub const THREE_LETTER_LANGUAGES: &[&str] = &[
    "ast", "bal", "ceb", "chr", "ckb", "cmn", "dsb", "fil", "fur", "gsw", "hak", "haw", "hsb",
    "kab", "kok", "lij", "lzh", "mai", "mni", "nan", "nds", "nso", "pap", "sah", "sat", "scn",
    "szl", "tzm", "vec", "wuu", "yue", "zgh",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn codes() -> Codes {
        Codes {
            default: "en".to_string(),
            others: vec!["de".to_string(), "pt-BR".to_string()],
        }
    }

    #[test]
    fn the_iso_list_is_sorted() {
        assert!(ISO_639_1.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn codes_match_without_regard_to_case_and_underscores_are_misspellings() {
        let codes = codes();
        let de = parse("a/x.DE.md", &codes);
        assert_eq!(de.language, FileLanguage::Other("de"));
        assert_eq!(de.without, "a/x.md");
        assert!(!de.is_misspelled());
        let pt = parse("a/x.pt_br.md", &codes);
        assert_eq!(pt.language, FileLanguage::Other("pt-BR"));
        assert!(pt.is_misspelled());
        assert_eq!(
            parse("x.pt-br.md", &codes).language,
            FileLanguage::Other("pt-BR")
        );
        let en = parse("a/x.en.md", &codes);
        assert_eq!(
            (en.language, en.without.as_str()),
            (FileLanguage::Default, "a/x.md")
        );
    }

    #[test]
    fn only_names_shaped_like_a_language_are_unknown_languages() {
        let codes = codes();
        for unknown in [
            "x.fr.md",
            "x.fr-CA.md",
            "x.zh-Hant.md",
            "x.es-419.md",
            "x.yue-HK.md",
            "x.ts.md",
            "_index.ja.md",
            "b/index.ast.md",
        ] {
            assert_eq!(
                parse(unknown, &codes).language,
                FileLanguage::Unknown,
                "{unknown}"
            );
        }
        for plain in [
            "release.v2.md",
            "notes.2024.md",
            "setup.old.md",
            "guide.api.md",
            "x.md",
            "de.md",
            ".de.md",
            "a.b.c.md",
            "x.js.md",
            "x.en-xyz1.md",
        ] {
            assert_eq!(parse(plain, &codes).language, FileLanguage::None, "{plain}");
        }
    }

    #[test]
    fn a_site_in_one_language_has_no_translations_but_notices_them() {
        let one = Codes {
            default: "en".to_string(),
            others: Vec::new(),
        };
        assert_eq!(parse("x.de.md", &one).language, FileLanguage::Unknown);
        assert_eq!(parse("x.en.md", &one).language, FileLanguage::Unknown);
        assert_eq!(parse("x.v2.md", &one).language, FileLanguage::None);
    }

    #[test]
    fn the_closest_code_shares_the_language() {
        let codes = codes();
        assert_eq!(closest_code("pt", &codes), Some("pt-BR"));
        assert_eq!(closest_code("de_AT", &codes), Some("de"));
        assert_eq!(closest_code("ja", &codes), None);
        assert_eq!(closest_code("dr", &codes), None);
    }
}
