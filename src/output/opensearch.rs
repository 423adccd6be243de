//! `opensearch.xml`: an OpenSearch 1.1 description of the site's search, so
//! a browser offers to search the help center from its address bar. Pages
//! announce it with `<link rel="search">` (`site.opensearch_url`). A
//! multilingual site has one per language (`/de/opensearch.xml`, searching
//! `/de/search/`, named in German), which that language's pages link.
//!
//! Its URL template must be absolute, so the file needs `base_url`, and a
//! site with search; it is written with quick-xml's writer, never by
//! pasting strings.

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

use crate::config::Language;
use crate::render::strings::{StringTable, StringTables};
use crate::site::generated::OPENSEARCH;
use crate::site::{Site, SEARCH_PAGE};

/// The OpenSearch namespace (specification 1.1, draft 6).
const NAMESPACE: &str = "http://a9.com/-/spec/opensearch/1.1/";

/// How many characters `ShortName` may hold (the specification's limit).
const SHORT_NAME_CHARS: usize = 16;

/// Whether the build writes `opensearch.xml`: asked for, the site has
/// search, and `base_url` is set.
pub fn enabled(site: &Site) -> bool {
    site.config.opensearch && site.options.search && site.config.base_url.is_some()
}

/// Each language's description and its output path, when [`enabled`];
/// `Description` is the language's `opensearch_description` string.
pub fn descriptions(site: &Site, strings: &StringTables) -> Vec<(String, String)> {
    if !enabled(site) {
        return Vec::new();
    }
    (site.languages.iter())
        .filter_map(|language| {
            let language = &language.config;
            let path = format!("{}{OPENSEARCH}", language.prefix);
            let xml = description(site, language, strings.get(&language.code), &path)?;
            Some((path, xml))
        })
        .collect()
}

/// The description of the search in `language`, the file at `path`.
fn description(
    site: &Site,
    language: &Language,
    strings: &StringTable,
    path: &str,
) -> Option<String> {
    let search = site.permalink(&format!("{}{SEARCH_PAGE}", language.prefix))?;
    let itself = site.permalink(path)?;
    let icon = site.permalink("favicon.svg")?;
    let title = language.title.trim();
    let short = short_name(title);
    let long = strings.fill("opensearch_description", &[("title", title)]);
    // Named only in a multilingual site, so a site in one language keeps
    // the description it always had.
    let code = site.is_multilingual().then_some(language.code.as_str());
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    let written: quick_xml::Result<()> = (|| {
        writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        writer
            .create_element("OpenSearchDescription")
            .with_attribute(("xmlns", NAMESPACE))
            .write_inner_content(|w| {
                let text = |w: &mut Writer<Vec<u8>>, name: &str, value: &str| {
                    w.create_element(name)
                        .write_text_content(BytesText::new(value))
                        .map(|_| ())
                };
                text(w, "ShortName", short.trim_end())?;
                text(w, "Description", &long)?;
                if let Some(code) = code {
                    text(w, "Language", code)?;
                }
                text(w, "InputEncoding", "UTF-8")?;
                w.create_element("Image")
                    .with_attributes([("width", "16"), ("height", "16"), ("type", "image/svg+xml")])
                    .write_text_content(BytesText::new(&icon))?;
                let template = format!("{search}?q={{searchTerms}}");
                w.create_element("Url")
                    .with_attributes([
                        ("type", "text/html"),
                        ("method", "get"),
                        ("template", &template),
                    ])
                    .write_empty()?;
                w.create_element("Url")
                    .with_attributes([
                        ("type", "application/opensearchdescription+xml"),
                        ("rel", "self"),
                        ("template", &itself),
                    ])
                    .write_empty()?;
                Ok(())
            })?;
        Ok(())
    })();
    written.ok()?;
    let mut xml = String::from_utf8(writer.into_inner()).ok()?;
    xml.push('\n');
    Some(xml)
}

/// The title cut to `ShortName`'s 16 characters, at a space when one is
/// within them (`Skylark Sync Help Center` → `Skylark Sync`).
fn short_name(title: &str) -> String {
    if title.chars().count() <= SHORT_NAME_CHARS {
        return title.to_string();
    }
    let cut: String = title.chars().take(SHORT_NAME_CHARS + 1).collect();
    match cut.rfind(' ') {
        Some(space) if space > 0 => cut[..space].trim_end().to_string(),
        _ => title.chars().take(SHORT_NAME_CHARS).collect(),
    }
}
