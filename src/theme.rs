//! The default theme, embedded in the binary.
//!
//! The repository's own `templates/`, `static/` and `i18n/` are the theme; they are
//! compiled in here so `kbgen build` works in a folder that has only `content/`.
//! A site's own files of the same name win (see [`crate::render::templates`] and
//! [`crate::output`]).

macro_rules! embed_text {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/", $name)))),*]
    };
}

macro_rules! embed_bytes {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/static/", $name)) as &[u8])),*]
    };
}

/// Template name → source, for every file under `templates/`.
pub const TEMPLATES: &[(&str, &str)] = embed_text![
    "base.html",
    "index.html",
    "section.html",
    "article.html",
    "taxonomy.html",
    "term.html",
    "404.html",
    "search.html",
    "partials/article_list.html",
    "partials/language_links.html",
    "partials/language_switcher.html",
    "partials/translation_banner.html",
    "shortcodes/callout.html",
    "shortcodes/kbd.html",
    "shortcodes/ui.html",
];

macro_rules! embed_strings {
    ($($code:literal),* $(,)?) => {
        &[$(($code, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/i18n/", $code, ".yaml")))),*]
    };
}

/// Language code → YAML text, for every strings table under `i18n/`
/// (see [`crate::render::strings`]).
pub const STRINGS: &[(&str, &str)] =
    embed_strings!["en", "de", "fr", "es", "pt-BR", "ja", "zh-Hans", "ar"];

/// Output path → bytes, for every file under `static/`.
pub const STATIC_FILES: &[(&str, &[u8])] =
    embed_bytes!["kbgen.css", "kbgen-search.js", "favicon.svg"];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file of the repository's theme folders must be embedded, or the
    /// binary would ship a different theme than the repository shows.
    #[test]
    fn every_theme_file_is_embedded() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let names = |files: &[(&str, &str)]| files.iter().map(|(n, _)| n.to_string()).collect();
        let strings: Vec<String> = STRINGS.iter().map(|(c, _)| format!("{c}.yaml")).collect();
        let statics: Vec<String> = STATIC_FILES.iter().map(|(n, _)| n.to_string()).collect();
        for (folder, embedded) in [
            ("templates", names(TEMPLATES)),
            ("static", statics),
            ("i18n", strings),
        ] {
            for entry in walkdir::WalkDir::new(root.join(folder)) {
                let entry = entry.unwrap();
                if entry.file_type().is_file() {
                    let name = entry.path().strip_prefix(root.join(folder)).unwrap();
                    let name = name.to_string_lossy().replace('\\', "/");
                    assert!(embedded.contains(&name), "{folder}/{name} is not embedded");
                }
            }
        }
    }
}
