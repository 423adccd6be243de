//! Files for machines beside the pages: `sitemap.xml`, `robots.txt` and the Atom
//! feed `feed.xml`.
//!
//! Sitemap and feed need absolute URLs, so without a `base_url` they are skipped
//! with one note. Dates come from front matter only, never the clock, so two
//! builds of the same content write the same bytes.

use std::fmt::Write as _;

use crate::render::PageSink;
use crate::site::generated::{FEED, ROBOTS, SITEMAP};
use crate::site::{ArticleId, Site};

/// How many articles the feed holds.
const FEED_ENTRIES: usize = 20;

/// Writes the three files; returns notes for the user (not problems).
pub fn write(site: &Site, sink: &dyn PageSink) -> (Vec<String>, Vec<std::io::Error>) {
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
            put(SITEMAP, sitemap_xml(site, &origin));
            put(FEED, feed_xml(site, &origin));
        }
        None => notes.push(
            "sitemap.xml and feed.xml were skipped: they need absolute URLs; set base_url in kbgen.yaml or pass --base-url"
                .to_string(),
        ),
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

/// The newest `updated`/`date` among some articles, as `YYYY-MM-DD`.
fn last_modified(site: &Site, articles: impl Iterator<Item = ArticleId>) -> Option<String> {
    articles
        .filter_map(|id| {
            let front = &site.articles[id].source.front;
            front.last_updated()
        })
        .max_by_key(|d| d.instant)
        .map(|d| d.iso_day())
}

fn sitemap_xml(site: &Site, origin: &str) -> String {
    let mut entries: Vec<(String, Option<String>)> = Vec::new();
    for (id, article) in site.articles.iter().enumerate() {
        entries.push((
            article.path.clone(),
            last_modified(site, std::iter::once(id)),
        ));
    }
    for section in &site.sections {
        entries.push((
            section.path.clone(),
            last_modified(site, section.subtree.clone()),
        ));
    }
    for taxonomy in &site.taxonomies {
        let all = taxonomy
            .terms
            .iter()
            .flat_map(|t| t.articles.iter().copied());
        entries.push((taxonomy.path.clone(), last_modified(site, all)));
        for term in &taxonomy.terms {
            entries.push((
                term.path.clone(),
                last_modified(site, term.articles.iter().copied()),
            ));
        }
    }
    entries.sort();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, modified) in entries {
        let _ = write!(
            xml,
            "  <url>\n    <loc>{}</loc>\n",
            escape_xml(&format!("{origin}/{path}"))
        );
        if let Some(day) = modified {
            let _ = writeln!(xml, "    <lastmod>{day}</lastmod>");
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

fn feed_xml(site: &Site, origin: &str) -> String {
    let dated: Vec<(jiff::Timestamp, ArticleId)> =
        crate::site::most_recent(&site.articles, FEED_ENTRIES)
            .into_iter()
            .filter_map(|id| {
                let front = &site.articles[id].source.front;
                front.last_updated().map(|d| (d.instant, id))
            })
            .collect();
    let config = &site.config;
    // With no dated article, the feed's date is the Unix epoch: stable, and
    // older than any entry a later build adds.
    let updated = dated.first().map_or_else(
        || jiff::Timestamp::UNIX_EPOCH.to_string(),
        |(t, _)| t.to_string(),
    );
    let mut xml = String::new();
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n  <title>{title}</title>\n",
        lang = escape_xml(&config.language),
        title = escape_xml(&config.title),
    );
    if let Some(description) = &config.description {
        let _ = writeln!(xml, "  <subtitle>{}</subtitle>", escape_xml(description));
    }
    let _ = write!(
        xml,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{origin}/{FEED}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{origin}/\"/>\n  <id>{origin}/</id>\n  <updated>{updated}</updated>\n  <author><name>{title}</name></author>\n  <generator>kbgen</generator>\n",
        origin = escape_xml(origin),
        title = escape_xml(&config.title),
    );
    for (instant, id) in dated {
        let article = &site.articles[id];
        let front = &article.source.front;
        let link = escape_xml(&format!("{origin}/{}", article.path));
        let _ = write!(
            xml,
            "  <entry>\n    <title>{}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>\n    <id>{link}</id>\n    <updated>{instant}</updated>\n",
            escape_xml(&front.title)
        );
        if let Some(date) = &front.date {
            let _ = writeln!(xml, "    <published>{}</published>", date.instant);
        }
        if let Some(description) = &front.description {
            let _ = writeln!(xml, "    <summary>{}</summary>", escape_xml(description));
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

/// Text for XML content and attribute values.
pub fn escape_xml(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
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
