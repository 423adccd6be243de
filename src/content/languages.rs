//! Translations as files: `oauth-401.de.md` beside `oauth-401.md`,
//! `_index.de.md` beside `_index.md`, `index.de.md` in a page bundle (the
//! naming Zola, Hugo and Grav use), for the language codes of `languages:`.
//!
//! The loader gives every language other than the default its own copy of
//! the section tree, holding only the sections that have something in that
//! language (a translated article below them, or a translated
//! `_index.<code>.md`): a German section page lists German articles only. A
//! site without `languages:` passes no codes and is loaded exactly as before.

use super::file_language::{self, Codes, FileLanguage};
use super::walk::{self, Listing};
use super::{SectionId, SourceSection};
use crate::diagnostics::Diagnostic;

/// The language code a file name carries before `.md`, when it is one of
/// the site's languages other than the default, as configured: `a/x.de.md`
/// → `de`, `a/x.DE.md` → `de` (see [`file_language`] for the rule). A name
/// that is only the code (`de.md`) is an article named after it.
pub fn language_of<'c>(file: &str, codes: &'c Codes) -> Option<&'c str> {
    match file_language::parse(file, codes).language {
        FileLanguage::Other(code) => Some(code),
        _ => None,
    }
}

/// The file a translation translates: `a/x.de.md` → `a/x.md` (the suffix
/// matched as [`language_of`] matches it, `a/x.DE.md` too).
pub fn source_file(file: &str, code: &str) -> String {
    let without = file.strip_suffix(".md").and_then(|s| {
        let (stem, suffix) = s.rsplit_once('.')?;
        suffix
            .replace('_', "-")
            .eq_ignore_ascii_case(code)
            .then_some(stem)
    });
    match without {
        Some(stem) => format!("{stem}.md"),
        None => file.to_string(),
    }
}

/// The revision of a source article a translation records in
/// `translated_from:` (see `kbgen translations mark`): 12 hex digits of a
/// hash (XXH3, a fixed algorithm, so the same on every machine and kbgen
/// version) of its title and body as readers see them, snippets included.
/// An edit to the text changes it; one to other front matter (a tag, a
/// date) does not, as it asks nothing of the translators.
pub fn revision(source: &super::SourceArticle) -> String {
    let mut text = String::with_capacity(source.source.text.len());
    text.push_str(&source.front.title);
    text.push('\n');
    text.push_str(source.source.body());
    let hash = xxhash_rust::xxh3::xxh3_64(text.as_bytes());
    format!("{hash:016x}")[..12].to_string()
}

/// `text` (a file as read, any line ends) with `translated_from: <revision>`
/// in its front matter: the existing top-level line's value replaced, else
/// a line added at the end of the front matter (a front matter made when
/// the file has none). Nothing else of the file changes.
pub fn mark_text(text: &str, revision: &str) -> String {
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let line = format!("translated_from: {revision}");
    let body_start = text.strip_prefix('\u{feff}').map_or(0, |_| 3);
    let rest = &text[body_start..];
    if !(rest.starts_with("---\n") || rest.starts_with("---\r\n")) {
        return format!(
            "{}---{newline}{line}{newline}---{newline}{rest}",
            &text[..body_start]
        );
    }
    let mut offset = body_start + rest.find('\n').map_or(rest.len(), |i| i + 1);
    while offset < text.len() {
        let end = text[offset..]
            .find('\n')
            .map_or(text.len(), |i| offset + i + 1);
        let current = text[offset..end].trim_end_matches(['\r', '\n']);
        if current.trim_end() == "---" {
            return format!("{}{line}{newline}{}", &text[..offset], &text[offset..]);
        }
        if current.starts_with("translated_from:") {
            let line_end = offset + current.len();
            return format!("{}{line}{}", &text[..offset], &text[line_end..]);
        }
        offset = end;
    }
    // An unclosed front matter is the loader's error to report; leave it.
    text.to_string()
}

/// Sorts the files of a walk by what their names say of their language
/// (see [`file_language`]): a bundle's `index.<code>.md` is an article (the
/// walk took it for an asset of the bundle), `_index.<code>.md` a section
/// index, `x.<default>.md` the source article `x.md`. Returns the problems:
///
/// - a suffix shaped like a language code the site does not have: a
///   warning; on a multilingual site, when the page without the suffix
///   exists (`x.md` beside `x.fr.md`), the file is left out (it is a
///   translation into a language the site lacks, and publishing it as the
///   default language would be wrong); else (`socket.io.md`, `program.cs.md`,
///   and every such file on a site in one language) it stays the article
///   it always was;
/// - a code written with `_` (`pt_BR`): a warning, read as `pt-BR`;
/// - two files for one page in one language (`x.md` and `x.en.md`,
///   `x.de.md` and `x.DE.md`): an error at the second, which is left out.
pub fn sort_languages(listing: &mut Listing, codes: &Codes) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let bundle_dirs = &listing.bundle_dirs;
    let (bundle_indexes, assets): (Vec<String>, Vec<String>) =
        std::mem::take(&mut listing.asset_files)
            .into_iter()
            .partition(|file| {
                let named = file_language::parse(file, codes);
                named.language != FileLanguage::None
                    && named.without.rsplit('/').next() == Some("index.md")
                    && bundle_dirs.contains(walk::parent_of(file))
                    && (codes.is_multilingual() || named.language != FileLanguage::Unknown)
            });
    listing.asset_files = assets;
    let mut pages: Vec<String> = std::mem::take(&mut listing.article_files);
    pages.extend(std::mem::take(&mut listing.section_files));
    pages.extend(bundle_indexes);
    pages.sort();
    // Files without a suffix claim their page first, so `x.md` is kept over
    // `x.en.md` whatever the order of the names.
    let mut claimed: std::collections::HashMap<(String, &str), String> = Default::default();
    for file in &pages {
        if file_language::parse(file, codes).language == FileLanguage::None {
            claimed.insert((file.clone(), codes.default.as_str()), file.clone());
        }
    }
    let shown = |file: &str| format!("content/{file}");
    // Only a multilingual site asks whether a suffixed file has its page.
    let existing: std::collections::HashSet<String> = if codes.is_multilingual() {
        pages.iter().cloned().collect()
    } else {
        Default::default()
    };
    // A page bundle's or a section's index always has its page: the folder.
    let has_source = |named: &file_language::Named| {
        matches!(file_name(&named.without), "index.md" | "_index.md")
            || existing.contains(&named.without)
            || existing.contains(&in_folder(
                &named.without,
                &renamed(&named.without, &codes.default),
            ))
    };
    for file in pages {
        let named = file_language::parse(&file, codes);
        let code = match named.language {
            FileLanguage::None => None,
            FileLanguage::Default => Some(codes.default.as_str()),
            FileLanguage::Other(code) => Some(code),
            FileLanguage::Unknown => {
                let translation = codes.is_multilingual() && has_source(&named);
                problems.push(unknown_language(&file, &named, codes, translation));
                if translation {
                    continue;
                }
                None
            }
        };
        if let Some(code) = code {
            if named.is_misspelled() {
                problems.push(
                    Diagnostic::warning(
                        "i18n/file-language",
                        shown(&file),
                        format!("`{}` is read as the language `{code}`: BCP 47 joins subtags with `-`, not `_`", named.written),
                    )
                    .with_help(format!("rename the file to `{}`", renamed(&named.without, code))),
                );
            }
            let key = (named.without.clone(), code);
            if let Some(first) = claimed.get(&key) {
                let language = if code == codes.default {
                    "default language"
                } else {
                    "language"
                };
                problems.push(
                    Diagnostic::error(
                        "i18n/file-language",
                        shown(&file),
                        format!("{} is already this page in the {language} `{code}`, so this file is left out", shown(first)),
                    )
                    .with_help(format!("keep one of the two files (`{}` and `{}` name the same page)", file_name(first), file_name(&file))),
                );
                continue;
            }
            claimed.insert(key, file.clone());
        }
        let name = file_name(&named.without);
        if name == "_index.md" {
            listing.section_files.push(file);
        } else {
            listing.article_files.push(file);
        }
    }
    problems
}

/// The warning for a file whose suffix looks like a language code the site
/// does not have; `translation`: it is left out as a translation (its page
/// without the suffix exists on a multilingual site), else it is published
/// as an article of its own.
fn unknown_language(
    file: &str,
    named: &file_language::Named,
    codes: &Codes,
    translation: bool,
) -> Diagnostic {
    let written = named.written;
    let as_article = {
        let stem = named.without.strip_suffix(".md").unwrap_or(&named.without);
        format!("{}-{written}.md", file_name(stem))
    };
    if codes.is_multilingual() && !translation {
        return Diagnostic::warning(
            "i18n/file-language",
            format!("content/{file}"),
            format!("`{written}` looks like a language code, but there is no `{}` for this file to translate and `{written}` is not a language of this site: the file is published as an article of its own", file_name(&named.without)),
        )
        .with_help(format!("to keep this an article and silence this, rename the file to `{as_article}`; if it is a translation, add its source and `- code: {}` under `languages:`", written.replace('_', "-")));
    }
    if !codes.is_multilingual() {
        return Diagnostic::warning(
            "i18n/file-language",
            format!("content/{file}"),
            format!("`{written}` looks like a language code, but this site has one language (`{}`): the file is published as an article of its own, not as a translation", codes.default),
        )
        .with_help(format!("to translate the site, list its languages under `languages:` in kbgen.yaml; to keep this an article, rename the file to `{as_article}`"));
    }
    let listed: Vec<&str> = codes.all().collect();
    let guess = match file_language::closest_code(written, codes) {
        Some(code) => format!(
            "did you mean `{code}` (`{}`)? Else ",
            renamed(&named.without, code)
        ),
        None => String::new(),
    };
    Diagnostic::warning(
        "i18n/file-language",
        format!("content/{file}"),
        format!(
            "`{written}` is not a language of this site (languages: {}), so this file is left out of the build",
            listed.join(", ")
        ),
    )
    .with_help(format!(
        "{guess}add `- code: {}` under `languages:` in kbgen.yaml, or rename the file (`{as_article}` for an article of its own)",
        written.replace('_', "-")
    ))
}

/// `name` in the folder of the content path `beside`.
fn in_folder(beside: &str, name: &str) -> String {
    match beside.rsplit_once('/') {
        Some((folder, _)) => format!("{folder}/{name}"),
        None => name.to_string(),
    }
}

/// `a/x.md` with `code` → `x.<code>.md`.
fn renamed(without: &str, code: &str) -> String {
    let stem = without.strip_suffix(".md").unwrap_or(without);
    format!("{}.{code}.md", file_name(stem))
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Adds to `sections` (the default language's tree) a copy for each of
/// `codes`, of the sections that hold something in that language: the
/// root, and the folders (with their parents) of `files`, the translated
/// articles and section indexes. Returns, per code, the copy of each
/// default section (`None` where there is none).
pub fn add_language_trees(
    sections: &mut Vec<SourceSection>,
    codes: &Codes,
    files: &[(String, String)],
) -> Vec<Vec<Option<SectionId>>> {
    let defaults = sections.len();
    let mut maps = Vec::with_capacity(codes.others.len());
    for code in &codes.others {
        let mut wanted = vec![false; defaults];
        wanted[0] = true;
        for (file, _) in files.iter().filter(|(_, c)| c == code) {
            let mut id = super::section_id_of(&sections[..defaults], walk::parent_of(file));
            // A bundle's index belongs to the section around the bundle,
            // which section_id_of finds the same way.
            loop {
                wanted[id] = true;
                match sections[id].parent {
                    Some(parent) => id = parent,
                    None => break,
                }
            }
        }
        let mut map: Vec<Option<SectionId>> = vec![None; defaults];
        for id in (0..defaults).filter(|&id| wanted[id]) {
            let mut copy = sections[id].clone();
            copy.parent = copy.parent.and_then(|p| map[p]);
            copy.language = Some(code.clone());
            map[id] = Some(sections.len());
            sections.push(copy);
        }
        maps.push(map);
    }
    maps
}

/// A section without its own `_index.<code>.md` takes what the default
/// language's `_index.md` says of it (title, slug, order, description), so
/// its URL mirrors the default's; its intro is not shown in a language it
/// was not written in.
pub fn inherit_section_indexes(sections: &mut [SourceSection], trees: &[Vec<Option<SectionId>>]) {
    for map in trees {
        for (default, copy) in map.iter().enumerate() {
            let Some(copy) = *copy else { continue };
            // A home page without its own index takes the language's
            // `title` and `description` from kbgen.yaml instead.
            if sections[copy].index.is_some() || sections[copy].parent.is_none() {
                continue;
            }
            let source = sections[default].clone();
            let section = &mut sections[copy];
            section.title = source.title;
            section.slug = source.slug;
            section.weight = source.weight;
            section.description = source.description;
            section.extra = source.extra;
        }
    }
}

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
    fn a_translation_carries_its_code_before_md() {
        let codes = codes();
        assert_eq!(language_of("a/x.de.md", &codes), Some("de"));
        assert_eq!(language_of("a/x.pt-BR.md", &codes), Some("pt-BR"));
        assert_eq!(language_of("a/_index.de.md", &codes), Some("de"));
        assert_eq!(language_of("a/x.fr.md", &codes), None);
        assert_eq!(language_of("a/x.md", &codes), None);
        assert_eq!(language_of("a/de.md", &codes), None);
        assert_eq!(language_of("a/.de.md", &codes), None);
        assert_eq!(language_of("a/x.DE.md", &codes), Some("de"));
        assert_eq!(language_of("a/x.en.md", &codes), None);
        assert_eq!(source_file("a/x.de.md", "de"), "a/x.md");
        assert_eq!(source_file("a/x.pt_br.md", "pt-BR"), "a/x.md");
        assert_eq!(source_file("a/x/index.pt-BR.md", "pt-BR"), "a/x/index.md");
    }

    fn listing(articles: &[&str], assets: &[&str], bundles: &[&str]) -> Listing {
        Listing {
            article_files: articles.iter().map(|s| s.to_string()).collect(),
            asset_files: assets.iter().map(|s| s.to_string()).collect(),
            bundle_dirs: bundles.iter().map(|s| s.to_string()).collect(),
            ..Listing::default()
        }
    }

    #[test]
    fn files_are_sorted_by_the_language_their_names_carry() {
        let mut listing = listing(
            &[
                "a/_index.de.md",
                "a/x.md",
                "a/x.en.md",
                "a/y.en.md",
                "a/x.fr.md",
                "a/x.pt_BR.md",
                "a/x.DE.md",
                "a/x.de.md",
            ],
            &["b/r/index.DE.md", "b/r/index.fr.md", "b/r/pic.png"],
            &["b/r"],
        );
        listing.section_files = vec!["a/_index.md".to_string()];
        let problems = sort_languages(&mut listing, &codes());
        assert_eq!(listing.section_files, ["a/_index.de.md", "a/_index.md"]);
        assert_eq!(
            listing.article_files,
            [
                "a/x.DE.md",
                "a/x.md",
                "a/x.pt_BR.md",
                "a/y.en.md",
                "b/r/index.DE.md"
            ]
        );
        assert_eq!(listing.asset_files, ["b/r/pic.png"]);
        let said: Vec<String> = problems
            .iter()
            .map(|p| format!("{} {}", p.path.display(), p.message))
            .collect();
        assert_eq!(said.len(), 5, "{said:#?}");
        assert!(
            said[0].starts_with("content/a/x.de.md content/a/x.DE.md is already"),
            "{said:#?}"
        );
        assert!(
            said[1].starts_with(
                "content/a/x.en.md content/a/x.md is already this page in the default language"
            ),
            "{said:#?}"
        );
        assert!(
            said[2].starts_with(
                "content/a/x.fr.md `fr` is not a language of this site (languages: en, de, pt-BR)"
            ),
            "{said:#?}"
        );
        assert!(
            said[3].contains("`pt_BR` is read as the language `pt-BR`"),
            "{said:#?}"
        );
        assert!(
            said[4].starts_with("content/b/r/index.fr.md `fr` is not"),
            "{said:#?}"
        );
        assert!(problems[1].is_error() && !problems[2].is_error());
    }

    #[test]
    fn a_site_in_one_language_keeps_its_files_and_hears_of_the_suffixes() {
        let mut listing = listing(
            &["a/x.de.md", "a/release.v2.md"],
            &["b/r/index.de.md"],
            &["b/r"],
        );
        let one = Codes {
            default: "en".to_string(),
            others: Vec::new(),
        };
        let problems = sort_languages(&mut listing, &one);
        assert_eq!(listing.article_files, ["a/release.v2.md", "a/x.de.md"]);
        assert_eq!(listing.asset_files, ["b/r/index.de.md"]);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("this site has one language"));
        assert!(problems[0]
            .help
            .as_deref()
            .unwrap_or("")
            .contains("`x-de.md`"));
    }

    #[test]
    fn marking_writes_one_line_and_keeps_the_rest() {
        let text = "---\ntitle: Hallo\ntags: [a]\n---\nText\n";
        let marked = mark_text(text, "abc123");
        assert_eq!(
            marked,
            "---\ntitle: Hallo\ntags: [a]\ntranslated_from: abc123\n---\nText\n"
        );
        let again = mark_text(&marked, "def456");
        assert_eq!(
            again,
            "---\ntitle: Hallo\ntags: [a]\ntranslated_from: def456\n---\nText\n"
        );
        let crlf = mark_text("---\r\ntitle: X\r\n---\r\nBody\r\n", "1");
        assert_eq!(
            crlf,
            "---\r\ntitle: X\r\ntranslated_from: 1\r\n---\r\nBody\r\n"
        );
        assert_eq!(
            mark_text("# Hallo\n", "1"),
            "---\ntranslated_from: 1\n---\n# Hallo\n"
        );
    }
}
