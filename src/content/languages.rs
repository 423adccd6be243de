//! Translations as files: `oauth-401.de.md` beside `oauth-401.md`,
//! `_index.de.md` beside `_index.md`, `index.de.md` in a page bundle (the
//! naming Zola, Hugo and Grav use), for the language codes of `languages:`.
//!
//! The loader gives every language other than the default its own copy of
//! the section tree, holding only the sections that have something in that
//! language (a translated article below them, or a translated
//! `_index.<code>.md`): a German section page lists German articles only. A
//! site without `languages:` passes no codes and is loaded exactly as before.

use super::walk::{self, Listing};
use super::{SectionId, SourceSection};

/// The language code a file name carries before `.md`, when it is one of
/// `codes`: `a/x.de.md` → `de`. A name that is only the code (`de.md`) is an
/// article named after it, not a translation.
pub fn language_of<'c>(file: &str, codes: &'c [String]) -> Option<&'c str> {
    let name = file.rsplit('/').next().unwrap_or(file);
    let stem = name.strip_suffix(".md")?;
    let (before, code) = stem.rsplit_once('.')?;
    if before.is_empty() {
        return None;
    }
    codes.iter().find(|c| *c == code).map(String::as_str)
}

/// The file a translation translates: `a/x.de.md` → `a/x.md`.
pub fn source_file(file: &str, code: &str) -> String {
    let without = file
        .strip_suffix(".md")
        .and_then(|s| s.strip_suffix(code))
        .and_then(|s| s.strip_suffix('.'));
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

/// Sorts the translated files of a walk where they belong: a bundle's
/// `index.<code>.md` is an article (the walk took it for an asset of the
/// bundle), `_index.<code>.md` a section index.
pub fn classify_translations(listing: &mut Listing, codes: &[String]) {
    if codes.is_empty() {
        return;
    }
    let is_index = |file: &str, name: &str| {
        let file_name = file.rsplit('/').next().unwrap_or(file);
        language_of(file, codes).is_some_and(|code| file_name == format!("{name}.{code}.md"))
    };
    let bundle_indexes: Vec<String> = (listing.asset_files.iter())
        .filter(|f| is_index(f, "index") && listing.bundle_dirs.contains(walk::parent_of(f)))
        .cloned()
        .collect();
    listing.asset_files.retain(|f| !bundle_indexes.contains(f));
    listing.article_files.extend(bundle_indexes);
    let (section_indexes, articles): (Vec<String>, Vec<String>) =
        std::mem::take(&mut listing.article_files)
            .into_iter()
            .partition(|f| is_index(f, "_index"));
    listing.article_files = articles;
    listing.article_files.sort();
    listing.section_files.extend(section_indexes);
    listing.section_files.sort();
}

/// Adds to `sections` (the default language's tree) a copy for each of
/// `codes`, of the sections that hold something in that language: the
/// root, and the folders (with their parents) of `files`, the translated
/// articles and section indexes. Returns, per code, the copy of each
/// default section (`None` where there is none).
pub fn add_language_trees(
    sections: &mut Vec<SourceSection>,
    codes: &[String],
    files: &[(String, String)],
) -> Vec<Vec<Option<SectionId>>> {
    let defaults = sections.len();
    let mut maps = Vec::with_capacity(codes.len());
    for code in codes {
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

    fn codes() -> Vec<String> {
        vec!["de".to_string(), "pt-BR".to_string()]
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
        assert_eq!(source_file("a/x.de.md", "de"), "a/x.md");
        assert_eq!(source_file("a/x/index.pt-BR.md", "pt-BR"), "a/x/index.md");
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
