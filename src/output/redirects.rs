//! Redirects for `aliases`: a small page at each old URL (meta refresh, a
//! canonical link, and a plain link for readers without automatic redirects)
//! and one line per alias in `_redirects`, the format Netlify and Cloudflare
//! Pages read. Lines of a site's own `static/_redirects` come first. A
//! redirect page is in the language of the article it leads to. A
//! multilingual site's `_redirects` ends with one line per other language
//! that answers a missing page under `/de/` with `/de/404.html`, Netlify's
//! way to a 404 page per language (Cloudflare Pages finds the nearest
//! `404.html` by itself).

use std::fmt::Write as _;

use percent_encoding::{utf8_percent_encode, AsciiSet};

use super::feeds::escape_xml;
use crate::render::strings::{StringTable, StringTables};
use crate::render::PageSink;
use crate::site::generated::{NOT_FOUND, REDIRECTS};
use crate::site::Site;

/// What a path in a `_redirects` line (split at white space) must escape.
const URL_PATH: &AsciiSet = crate::site::PATH_SEGMENT;

/// Writes the redirect pages, in the words of their article's language,
/// and `_redirects`.
pub fn write(
    site: &Site,
    strings: &StringTables,
    sink: &dyn PageSink,
) -> Vec<(String, std::io::Error)> {
    let mut errors = Vec::new();
    for redirect in &site.redirects {
        let file = redirect.file();
        let article = &site.articles[redirect.article];
        let strings = strings.get(&site.languages[article.language].config.code);
        let html = redirect_page(site, strings, &article.path, &article.source.front.title);
        if let Err(e) = sink.write(&file, html.as_bytes()) {
            errors.push((file, e));
        }
    }
    let mut lines = match site.static_files.get(REDIRECTS) {
        Some(own) => std::fs::read_to_string(own).unwrap_or_default(),
        None => String::new(),
    };
    if !lines.is_empty() && !lines.ends_with('\n') {
        lines.push('\n');
    }
    for redirect in &site.redirects {
        let to = &site.articles[redirect.article].path;
        let from = utf8_percent_encode(&redirect.path, URL_PATH);
        let _ = writeln!(
            lines,
            "{} {} 301",
            site.url(&from.to_string()),
            site.url(to)
        );
    }
    // Last: Netlify takes the first rule that matches, and serves a file
    // that exists before any rule without `!`.
    for language in site.languages.iter().skip(1) {
        let prefix = utf8_percent_encode(&language.config.prefix, URL_PATH).to_string();
        let base = &site.base_path;
        let _ = writeln!(lines, "{base}{prefix}* {base}{prefix}{NOT_FOUND} 404");
    }
    if !lines.is_empty() {
        if let Err(e) = sink.write(REDIRECTS, lines.as_bytes()) {
            errors.push((REDIRECTS.to_string(), e));
        }
    }
    errors
}

fn redirect_page(site: &Site, strings: &StringTable, path: &str, title: &str) -> String {
    let url = escape_xml(&site.url(path));
    let canonical = escape_xml(&site.permalink(path).unwrap_or_else(|| site.url(path)));
    let title = escape_xml(title);
    // The strings are text: escaped first, then the placeholders get markup.
    let heading = escape_xml(strings.get("moved_title")).replace("{title}", &title);
    let link = format!("<a href=\"{url}\">{title}</a>");
    let moved = escape_xml(strings.get("moved_to")).replace("{link}", &link);
    let dir = if strings.is_rtl() { " dir=\"rtl\"" } else { "" };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"{dir}>\n<head>\n<meta charset=\"utf-8\">\n<title>{heading}</title>\n<meta http-equiv=\"refresh\" content=\"0; url={url}\">\n<link rel=\"canonical\" href=\"{canonical}\">\n<meta name=\"robots\" content=\"noindex\">\n</head>\n<body>\n<p>{moved}</p>\n</body>\n</html>\n",
        lang = escape_xml(strings.language()),
    )
}
