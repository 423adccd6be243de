//! Names to URL slugs: `Hardware Support` → `hardware-support`, `01.Basics` →
//! `basics` with order 1. Slugs are lower-case ASCII, so they can never contain a
//! path separator or `..`.

/// Splits a leading `NN.` order prefix off a file or folder name.
pub fn split_order_prefix(name: &str) -> (Option<u32>, &str) {
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && digits <= 9 && name[digits..].starts_with('.') && name.len() > digits + 1 {
        let order = name[..digits].parse().ok();
        (order, name[digits + 1..].trim_start())
    } else {
        (None, name)
    }
}

/// A URL slug: lower-case ASCII letters, digits and single `-`. Used for
/// file and folder names, titles (the `lint/file-name` rule and `kbgen new`),
/// terms and suggestions alike. Apostrophes join their word, as in GitHub's
/// heading ids (`can't` → `cant`, not `can-t`), and marks such as `®` and `™`
/// are dropped rather than spelled out as letters (`Acme®` → `acme`, not
/// `acme-r`); everything else is transliterated to ASCII (`slug`, with
/// deunicode).
pub fn slugify(name: &str) -> String {
    let joined: String = name
        .chars()
        .filter(|c| {
            !matches!(
                c,
                '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '®' | '™' | '©' | '℠'
            )
        })
        .collect();
    slug::slugify(joined)
}

/// A readable title for a folder without `_index.md`: `getting-started` →
/// `Getting started`, `Desktop Client` stays as it is.
pub fn title_from_name(name: &str) -> String {
    let spaced = name.replace(['-', '_'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Whether two texts are the same words but for case and spacing
/// (`Billing` and `billing`, `Two  Factor` and `two factor`), as a reader
/// would take them.
pub fn same_words(a: &str, b: &str) -> bool {
    let fold = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    fold(a) == fold(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_prefixes() {
        assert_eq!(split_order_prefix("01.Basics"), (Some(1), "Basics"));
        assert_eq!(split_order_prefix("10. Setup"), (Some(10), "Setup"));
        assert_eq!(split_order_prefix("2fa-setup"), (None, "2fa-setup"));
        assert_eq!(split_order_prefix("3."), (None, "3."));
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Hardware Support"), "hardware-support");
        assert_eq!(slugify("../../etc"), "etc");
        assert_eq!(slugify("If you can't sign in"), "if-you-cant-sign-in");
        assert_eq!(slugify("Why doesn’t it sync?"), "why-doesnt-it-sync");
        assert_eq!(slugify("Acme® Cloud™ setup"), "acme-cloud-setup");
        assert_eq!(slugify("Office 365 v2.1"), "office-365-v2-1");
        assert_eq!(title_from_name("getting-started"), "Getting started");
    }
}
