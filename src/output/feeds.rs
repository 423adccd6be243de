//! Files for machines beside the pages: `sitemap.xml`, `robots.txt` and the Atom
//! feed `feed.xml`.
//!
//! Sitemap and feed need absolute URLs, so without a `base_url` they are skipped
//! with one note. Dates come from front matter only, never the clock, so two
//! builds of the same content write the same bytes.
//!
//! The sitemap lists every page. The preview server keeps its `<url>`
//! elements in a [`SitemapMemo`] by what each is made of (its path, last
//! modified day and alternates), so a new model serializes only the entries
//! of what changed and copies the rest; a build makes them all, the same way.

use std::fmt::Write as _;
use std::sync::Arc;

use quick_xml::events::{BytesStart, Event};
use rustc_hash::FxHashMap as HashMap;

use crate::render::PageSink;
use crate::site::generated::{FEED, ROBOTS, SITEMAP};
use crate::site::urls::Target;
use crate::site::{ArticleId, LangId, Site};

/// How many articles the feed holds.
const FEED_ENTRIES: usize = 20;

/// Writes the three files; returns notes for the user (not problems).
/// `memo` holds the sitemap's entries of the last run (see the module docs).
pub fn write(
    site: &Site,
    sink: &dyn PageSink,
    memo: &mut SitemapMemo,
) -> (Vec<String>, Vec<std::io::Error>) {
    let mut notes = Vec::new();
    let mut errors = Vec::new();
    let mut put = |path: &str, text: String| {
        if let Err(e) = sink.write(path, text.as_bytes()) {
            errors.push(e);
        }
    };
    put(ROBOTS, robots_txt(site));
    match site.config.origin_and_path() {
        Some(origin) => {
            put(SITEMAP, sitemap_xml(site, &origin, memo));
            // A feed per language: `feed.xml`, `de/feed.xml`.
            for language in 0..site.languages.len().max(1) {
                let prefix = site
                    .languages
                    .get(language)
                    .map_or("", |l| &l.config.prefix);
                put(
                    &format!("{prefix}{FEED}"),
                    feed_xml(site, &origin, language),
                );
            }
        }
        None => {
            notes.push(
                "sitemap.xml and feed.xml were skipped: they need absolute URLs; set base_url in kbgen.yaml or pass --base-url"
                    .to_string(),
            );
            // Left out of the pages as canonical links are (`render::languages`).
            if site.is_multilingual() {
                notes.push(
                    "hreflang links were left out of the pages: search engines need absolute URLs there; set base_url in kbgen.yaml or pass --base-url"
                        .to_string(),
                );
            }
        }
    }
    (notes, errors)
}

fn robots_txt(site: &Site) -> String {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    if let Some(origin) = site.config.origin_and_path() {
        let _ = writeln!(text, "\nSitemap: {origin}/{SITEMAP}");
    }
    text
}

/// Each article's last change (`updated`, else `date`): its instant and
/// day, in one list, so the sitemap's sections and terms find their newest
/// article without reaching into every article again.
struct LastChanges(Vec<Option<(jiff::Timestamp, jiff::civil::Date)>>);

impl LastChanges {
    fn of(site: &Site) -> LastChanges {
        let dates = site.articles.iter().map(|article| {
            let date = article.source.last_updated()?;
            Some((date.instant, date.day))
        });
        LastChanges(dates.collect())
    }

    /// The day of the newest among `articles` (the last of equal instants).
    fn newest(&self, articles: impl Iterator<Item = ArticleId>) -> Option<jiff::civil::Date> {
        (articles.filter_map(|id| self.0[id]))
            .max_by_key(|(instant, _)| *instant)
            .map(|(_, day)| day)
    }
}

/// The sitemap's `<url>` elements of the last run, by output path, each
/// with what it was made of.
#[derive(Default)]
pub struct SitemapMemo {
    /// The origin the entries were made with.
    origin: String,
    /// Counts the runs, so the entries a run did not use can be told.
    run: u64,
    by_path: HashMap<String, KeptUrl>,
}

/// One `<url>` element and its inputs besides its path and the origin.
struct KeptUrl {
    /// The last run that used it.
    run: u64,
    modified: Option<jiff::civil::Date>,
    alternates: Vec<(String, String)>,
    xml: Arc<[u8]>,
}

impl KeptUrl {
    fn is_of(&self, modified: Option<jiff::civil::Date>, alternates: &[(&str, String)]) -> bool {
        self.modified == modified
            && self.alternates.len() == alternates.len()
            && (self.alternates.iter().zip(alternates)).all(
                |((code, path), (other_code, other_path))| code == other_code && path == other_path,
            )
    }
}

fn sitemap_xml(site: &Site, origin: &str, memo: &mut SitemapMemo) -> String {
    let changes = LastChanges::of(site);
    let mut entries: Vec<(&str, Option<jiff::civil::Date>, Target)> = Vec::new();
    for (id, article) in site.articles.iter().enumerate() {
        let modified = changes.0[id].map(|(_, day)| day);
        entries.push((&article.path, modified, Target::Article(id)));
    }
    for (id, section) in site.sections.iter().enumerate() {
        let modified = changes.newest(section.subtree.clone());
        entries.push((&section.path, modified, Target::Section(id)));
    }
    for (t, taxonomy) in site.taxonomies.iter().enumerate() {
        let all = taxonomy
            .terms
            .iter()
            .flat_map(|t| t.articles.iter().copied());
        let modified = changes.newest(all);
        entries.push((&taxonomy.path, modified, Target::TaxonomyIndex(t)));
        for (i, term) in taxonomy.terms.iter().enumerate() {
            let modified = changes.newest(term.articles.iter().copied());
            entries.push((&term.path, modified, Target::Term(t, i)));
        }
    }
    entries.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    if memo.origin != origin {
        memo.by_path.clear();
        memo.origin = origin.to_string();
    }
    // Each entry's element: the last run's when made of the same, else new.
    memo.run += 1;
    let run = memo.run;
    let mut used = 0;
    let mut urls = Vec::with_capacity(entries.len());
    for (path, modified, target) in entries {
        let alternates = alternates(site, target);
        let make = |alternates: Vec<(&str, String)>| {
            let xml = url_element(origin, path, modified, &alternates);
            let alternates = (alternates.into_iter())
                .map(|(code, path)| (code.to_string(), path))
                .collect();
            KeptUrl {
                run: 0,
                modified,
                alternates,
                xml: Arc::from(xml),
            }
        };
        let kept = match memo.by_path.get_mut(path) {
            Some(kept) if kept.is_of(modified, &alternates) => kept,
            Some(kept) => {
                *kept = make(alternates);
                kept
            }
            None => memo
                .by_path
                .entry(path.to_string())
                .or_insert(make(alternates)),
        };
        if kept.run != run {
            kept.run = run;
            used += 1;
        }
        urls.push(Arc::clone(&kept.xml));
    }
    if memo.by_path.len() > used {
        memo.by_path.retain(|_, kept| kept.run == run);
    }
    let mut xml = XmlDocument::new();
    let urlset = xml
        .writer
        .create_element("urlset")
        .with_attribute(("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9"));
    // Google's form of hreflang in a sitemap: every URL lists the same page
    // in each language, itself included, and x-default.
    let urlset = match site.is_multilingual() {
        true => urlset.with_attribute(("xmlns:xhtml", "http://www.w3.org/1999/xhtml")),
        false => urlset,
    };
    let written = urlset
        .write_inner_content(|w| {
            // Serialized as they would be here (see `url_element`).
            for url in &urls {
                w.get_mut().extend_from_slice(url);
            }
            Ok(())
        })
        .map(|_| ());
    xml.finish(written)
}

/// The sitemap's `<url>` element of the page at `path`, as the document's
/// writer would write it inside `<urlset>`: a writer's output depends only
/// on its indentation level and whether a tag came last, which are the same
/// after any start tag at the top and after each `</url>`, so the elements
/// can be made apart and put in one after the other.
fn url_element(
    origin: &str,
    path: &str,
    modified: Option<jiff::civil::Date>,
    alternates: &[(&str, String)],
) -> Vec<u8> {
    let mut writer = quick_xml::Writer::new_with_indent(Vec::new(), b' ', 2);
    // Writing into a Vec cannot fail.
    let _ = writer.write_event(Event::Start(BytesStart::new("urlset")));
    let start = writer.get_ref().len();
    let written = writer.create_element("url").write_inner_content(|w| {
        text_element(w, "loc", &format!("{origin}/{path}"))?;
        if let Some(day) = modified {
            text_element(w, "lastmod", &day.to_string())?;
        }
        for (code, path) in alternates {
            w.create_element("xhtml:link")
                .with_attributes([
                    ("rel", "alternate"),
                    ("hreflang", code),
                    ("href", &format!("{origin}/{path}")),
                ])
                .write_empty()?;
        }
        Ok(())
    });
    debug_assert!(written.is_ok());
    let mut xml = writer.into_inner();
    xml.drain(..start);
    xml
}

/// The same page in each language (code, output path), then `x-default`:
/// the page's hreflang alternates (`site::alternates`), as its HTML lists them.
fn alternates(site: &Site, target: Target) -> Vec<(&str, String)> {
    let alternates = site.hreflang_alternates(target);
    let mut found: Vec<(&str, String)> = (alternates.pages.into_iter())
        .map(|(l, path)| (site.languages[l].config.code.as_str(), path))
        .collect();
    if let Some(default) = alternates.x_default {
        found.push(("x-default", default));
    }
    found
}

/// The Atom feed of the articles in `language`.
fn feed_xml(site: &Site, origin: &str, language: LangId) -> String {
    let dated: Vec<(jiff::Timestamp, ArticleId)> =
        crate::site::most_recent_in(&site.articles, language, FEED_ENTRIES)
            .into_iter()
            .filter_map(|id| {
                let dated = site.articles[id].source.last_updated();
                dated.map(|d| (d.instant, id))
            })
            .collect();
    let settings = &site.languages[language].config;
    let prefix = &settings.prefix;
    // With no dated article, the feed's date is the Unix epoch: stable, and
    // older than any entry a later build adds.
    let updated = dated.first().map_or_else(
        || jiff::Timestamp::UNIX_EPOCH.to_string(),
        |(t, _)| t.to_string(),
    );
    let code = xml_text(&settings.code);
    let mut xml = XmlDocument::new();
    let feed = xml.writer.create_element("feed").with_attributes([
        ("xmlns", "http://www.w3.org/2005/Atom"),
        ("xml:lang", code.as_ref()),
    ]);
    let written = feed
        .write_inner_content(|w| {
            text_element(w, "title", &settings.title)?;
            if let Some(description) = &settings.description {
                text_element(w, "subtitle", description)?;
            }
            link_element(
                w,
                "self",
                "application/atom+xml",
                &format!("{origin}/{prefix}{FEED}"),
            )?;
            link_element(w, "alternate", "text/html", &format!("{origin}/{prefix}"))?;
            text_element(w, "id", &format!("{origin}/{prefix}"))?;
            text_element(w, "updated", &updated)?;
            w.create_element("author")
                .write_inner_content(|w| text_element(w, "name", &settings.title))?;
            text_element(w, "generator", "kbgen")?;
            for (instant, id) in &dated {
                let article = &site.articles[*id];
                let front = &article.source.front;
                let link = format!("{origin}/{}", article.path);
                w.create_element("entry").write_inner_content(|w| {
                    text_element(w, "title", &front.title)?;
                    link_element(w, "alternate", "text/html", &link)?;
                    text_element(w, "id", &link)?;
                    text_element(w, "updated", &instant.to_string())?;
                    if let Some(date) = article.source.date() {
                        text_element(w, "published", &date.instant.to_string())?;
                    }
                    if let Some(description) = &front.description {
                        text_element(w, "summary", description)?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })
        .map(|_| ());
    xml.finish(written)
}

/// An XML document written with quick-xml, indented by two spaces.
struct XmlDocument {
    writer: quick_xml::Writer<Vec<u8>>,
}

impl XmlDocument {
    fn new() -> XmlDocument {
        let mut writer = quick_xml::Writer::new_with_indent(Vec::new(), b' ', 2);
        let declaration = quick_xml::events::BytesDecl::new("1.0", Some("UTF-8"), None);
        // Writing into a Vec cannot fail.
        let _ = writer.write_event(quick_xml::events::Event::Decl(declaration));
        XmlDocument { writer }
    }

    /// The document's text; the writes went into memory, so `written` is
    /// always `Ok`.
    fn finish(self, written: std::io::Result<()>) -> String {
        debug_assert!(written.is_ok());
        let mut text = String::from_utf8(self.writer.into_inner()).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// `<name>text</name>`, the text escaped and stripped of characters XML
/// cannot hold.
fn text_element(w: &mut quick_xml::Writer<Vec<u8>>, name: &str, text: &str) -> std::io::Result<()> {
    let text = xml_text(text);
    w.create_element(name)
        .write_text_content(quick_xml::events::BytesText::new(&text))
        .map(|_| ())
}

/// An Atom `<link rel type href/>`.
fn link_element(
    w: &mut quick_xml::Writer<Vec<u8>>,
    rel: &str,
    kind: &str,
    href: &str,
) -> std::io::Result<()> {
    let href = xml_text(href);
    w.create_element("link")
        .with_attributes([("rel", rel), ("type", kind), ("href", href.as_ref())])
        .write_empty()
        .map(|_| ())
}

/// `text` with every character XML 1.0 forbids (C0 controls but tab and line
/// breaks, lone surrogates, U+FFFE, U+FFFF; XML 1.0 §2.2 `Char`) replaced by
/// U+FFFD, as an HTML parser would show it.
pub fn xml_text(text: &str) -> std::borrow::Cow<'_, str> {
    let allowed = |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..);
    if text.chars().all(allowed) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| if allowed(c) { c } else { '\u{FFFD}' })
            .collect(),
    )
}

/// Text for XML content and attribute values.
pub fn escape_xml(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in xml_text(text).chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sitemap's elements are made apart and put in one after the
    /// other; that must give the bytes one writer gives for the whole.
    #[test]
    fn url_elements_made_apart_read_as_one_writer_writes_them() {
        let day = "2026-03-04".parse().ok();
        type Url<'a> = (&'a str, Option<jiff::civil::Date>, Vec<(&'a str, String)>);
        let urls: [Url; 3] = [
            ("", None, Vec::new()),
            ("a/b/", day, Vec::new()),
            (
                "de/a/",
                day,
                vec![("en", "a/".to_string()), ("de", "de/a/".to_string())],
            ),
        ];
        let origin = "https://example.com";
        let mut whole = XmlDocument::new();
        let written = (whole.writer.create_element("urlset"))
            .with_attribute(("xmlns", "x"))
            .write_inner_content(|w| {
                for (path, modified, alternates) in &urls {
                    w.create_element("url").write_inner_content(|w| {
                        text_element(w, "loc", &format!("{origin}/{path}"))?;
                        if let Some(day) = modified {
                            text_element(w, "lastmod", &day.to_string())?;
                        }
                        for (code, path) in alternates {
                            w.create_element("xhtml:link")
                                .with_attributes([
                                    ("rel", "alternate"),
                                    ("hreflang", code),
                                    ("href", &format!("{origin}/{path}")),
                                ])
                                .write_empty()?;
                        }
                        Ok(())
                    })?;
                }
                Ok(())
            })
            .map(|_| ());
        let whole = whole.finish(written);
        let mut parts = XmlDocument::new();
        let written = (parts.writer.create_element("urlset"))
            .with_attribute(("xmlns", "x"))
            .write_inner_content(|w| {
                for (path, modified, alternates) in &urls {
                    let url = url_element(origin, path, *modified, alternates);
                    w.get_mut().extend_from_slice(&url);
                }
                Ok(())
            })
            .map(|_| ());
        assert_eq!(parts.finish(written), whole);
        assert!(whole.contains("\n  <url>\n    <loc>https://example.com/a/b/</loc>"));
    }
}
