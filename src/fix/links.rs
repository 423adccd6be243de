//! Link forms, for the commands that rewrite links (`fix site-links`, `mv`):
//! where a link's destination sits in the file, which of the forms an author
//! may use it is written in (`@/` content path, site URL, relative `.md` path,
//! relative URL), and a new destination written in the same form.
//!
//! The rule kept here: a rewritten link keeps its form, its `?query` and its
//! `#anchor`, so a move changes where a link points and nothing else.

use std::ops::Range;

use crate::content::scan::LinkRef;

/// The ways a link to an article, section or file can be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `@/section/file.md`: a path from `content/`.
    ContentPath,
    /// `/section/slug/`: the page's URL on the site.
    SiteUrl,
    /// `../other/file.md`: a file path relative to the Markdown file.
    RelativeFile,
    /// `../slug/` or `img/x.png`: relative to the page's URL or the file.
    RelativeUrl,
}

/// A destination as written, split into the part that names the target and
/// the `?query#anchor` that follows it (kept verbatim).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dest<'a> {
    pub path: &'a str,
    pub suffix: &'a str,
    pub form: Form,
}

impl<'a> Dest<'a> {
    /// Reads `written`; `None` for an external URL or a same-page `#anchor`.
    pub fn parse(written: &'a str) -> Option<Dest<'a>> {
        let written = written.trim();
        let end = written.find(['?', '#']).unwrap_or(written.len());
        let (path, suffix) = written.split_at(end);
        if path.is_empty() || path.starts_with("//") || has_scheme(path) {
            return None;
        }
        let form = if path.starts_with("@/") {
            Form::ContentPath
        } else if path.starts_with('/') {
            Form::SiteUrl
        } else if path.ends_with(".md") {
            Form::RelativeFile
        } else {
            Form::RelativeUrl
        };
        Some(Dest { path, suffix, form })
    }
}

fn has_scheme(path: &str) -> bool {
    path.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// The byte range of `link`'s destination in the file's normalized text:
/// the attribute value of a raw-HTML link, the `(dest)` of an inline link, or
/// the definition of a reference link. `None` when the destination is not
/// written there as the scan read it (an entity or escape inside it).
pub fn dest_range(text: &str, link: &LinkRef) -> Option<Range<usize>> {
    let dest = link.dest.as_str();
    if dest.is_empty() {
        return None;
    }
    let from = link.offset.min(text.len());
    if link.raw_html {
        return text[from..]
            .starts_with(dest)
            .then(|| from..from + dest.len());
    }
    // An inline link: `](dest` or `](<dest`, in the link's paragraph (link
    // text never spans a blank line).
    let paragraph_end = text[from..].find("\n\n").map_or(text.len(), |i| from + i);
    let window = &text[from..paragraph_end];
    for opener in ["](", "](<"] {
        if let Some(i) = window.find(&format!("{opener}{dest}")) {
            let start = from + i + opener.len();
            return Some(start..start + dest.len());
        }
    }
    // A reference link: its definition `[label]: dest` anywhere in the file.
    for opener in ["]: ", "]:", "]: <"] {
        if let Some(i) = text.find(&format!("{opener}{dest}")) {
            let start = i + opener.len();
            return Some(start..start + dest.len());
        }
    }
    None
}

pub use crate::site::urls::relative_path;

/// Where a link's target is after a change, in every form's terms.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    /// Its file under `content/` (`a/b.md`, `a/_index.md`, `a/img/x.png`).
    pub content_path: &'a str,
    /// Its page or file path on the site, without the base path (`a/b/`).
    pub site_path: &'a str,
}

/// Where the file holding a link is, after a change.
#[derive(Debug, Clone, Copy)]
pub struct Holder<'a> {
    /// Its file under `content/`.
    pub content_path: &'a str,
    /// Its page's path on the site (`a/b/`).
    pub page_path: &'a str,
}

/// A destination to write: the path of its target as the file system names it
/// (not escaped; a file name may hold a space, `#`, `?` or `%`), and the
/// `?query#anchor` kept as the author wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDest<'a> {
    pub path: String,
    pub suffix: &'a str,
}

impl NewDest<'_> {
    /// For the body of a Markdown file or a raw-HTML attribute: see [`in_body`].
    pub fn in_body(&self) -> String {
        in_body(&self.path, self.suffix)
    }

    /// For a front-matter `related:` entry: see [`in_yaml`].
    pub fn in_yaml(&self) -> String {
        in_yaml(&self.path, self.suffix)
    }
}

/// `dest` written again in its own form, pointing at `target` from `holder`;
/// `base_path` is the path of `base_url` (`/` or `/help/`), kept when the
/// original site URL carried it. The path is not escaped yet: write it with
/// [`NewDest::in_body`] or [`NewDest::in_yaml`].
pub fn rewrite<'a>(
    dest: &Dest<'a>,
    target: Place<'_>,
    holder: Holder<'_>,
    base_path: &str,
) -> NewDest<'a> {
    let path = match dest.form {
        Form::ContentPath => format!("@/{}", target.content_path),
        Form::SiteUrl => {
            let base = base_path.trim_end_matches('/');
            let prefix = if !base.is_empty() && dest.path.starts_with(&format!("{base}/")) {
                base
            } else {
                ""
            };
            let mut url = format!("{prefix}/{}", target.site_path);
            if dest.path.ends_with("index.html") && url.ends_with('/') {
                url.push_str("index.html");
            } else if !dest.path.ends_with('/') && url.len() > 1 {
                url = url.trim_end_matches('/').to_string();
            }
            url
        }
        Form::RelativeFile => {
            let dir = crate::site::parent_dir(holder.content_path);
            let path = relative_path(dir, target.content_path);
            dot_prefixed(dest.path, path)
        }
        Form::RelativeUrl => {
            let is_page = target.site_path.ends_with('/') || target.site_path.is_empty();
            let path = if is_page {
                relative_path(holder.page_path, target.site_path)
            } else {
                relative_path(
                    crate::site::parent_dir(holder.content_path),
                    target.content_path,
                )
            };
            let path = if is_page && !dest.path.ends_with('/') && path.len() > 1 {
                // The author's `../x` stays without the slash, as a site URL does.
                path.trim_end_matches('/').to_string()
            } else {
                path
            };
            dot_prefixed(dest.path, path)
        }
    };
    NewDest {
        path,
        suffix: dest.suffix,
    }
}

/// Keeps an author's `./` in front of a relative path.
fn dot_prefixed(original: &str, path: String) -> String {
    if original.starts_with("./") && !path.starts_with('.') {
        format!("./{path}")
    } else {
        path
    }
}

/// `path` (a file or URL path, not escaped) and `suffix` (its `?query#anchor`,
/// kept as written) as a destination for the body of a Markdown file or a
/// raw-HTML attribute. Each character of `path` that would end the
/// destination or change how it reads is percent-escaped: white space,
/// quotes, `( ) < > [ ] { }`, `\`, `` ` ``, `|`, `^`, `&` (a Markdown character
/// reference), `%` itself, `#` and `?` (the resolver splits a destination at
/// the first of them, so in a file name they would start an anchor or a
/// query), and control characters. The resolver decodes them.
pub fn in_body(path: &str, suffix: &str) -> String {
    let mut out = String::with_capacity(path.len() + suffix.len());
    for c in path.chars() {
        let escaped = c.is_whitespace()
            || c.is_control()
            || matches!(
                c,
                '"' | '\''
                    | '('
                    | ')'
                    | '<'
                    | '>'
                    | '['
                    | ']'
                    | '{'
                    | '}'
                    | '\\'
                    | '`'
                    | '|'
                    | '^'
                    | '&'
                    | '%'
                    | '#'
                    | '?'
            );
        if escaped {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    out.push_str(suffix);
    out
}

/// `path` and `suffix` as a front-matter `related:` entry: only what the
/// resolver would read otherwise is percent-escaped (`#`, `?`, control
/// characters, and a `%` that with the two characters after it reads as an
/// escape); a space, or `50%.md`, stays as authors write it there.
pub fn in_yaml(path: &str, suffix: &str) -> String {
    let mut out = String::with_capacity(path.len() + suffix.len());
    for (i, c) in path.char_indices() {
        let reads_as_escape = c == '%'
            && path
                .get(i + 1..i + 3)
                .is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()));
        if c.is_control() || matches!(c, '#' | '?') || reads_as_escape {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    out.push_str(suffix);
    out
}

/// `c` as `%XX` escapes of its UTF-8 bytes.
fn push_escaped(out: &mut String, c: char) {
    let mut bytes = [0; 4];
    for byte in c.encode_utf8(&mut bytes).bytes() {
        out.push_str(&format!("%{byte:02X}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_destination_in_a_body_escapes_what_would_end_or_change_it() {
        assert_eq!(
            in_body("@/Desktop Client/a.md", ""),
            "@/Desktop%20Client/a.md"
        );
        assert_eq!(
            in_body("../s/a \"q\" (1) & 100%.md", "?x=1&y=%20#p q"),
            "../s/a%20%22q%22%20%281%29%20%26%20100%25.md?x=1&y=%20#p q"
        );
        assert_eq!(in_body("é/ü.md", ""), "é/ü.md");
    }

    #[test]
    fn a_file_name_holding_an_anchor_or_query_sign_is_escaped_before_its_suffix() {
        assert_eq!(
            in_body("@/s one/café #1 50%?.md", "#top"),
            "@/s%20one/café%20%231%2050%25%3F.md#top"
        );
        assert_eq!(
            in_yaml("../s one/café #1 50%?.md", "#top"),
            "../s one/café %231 50%%3F.md#top"
        );
        assert_eq!(in_yaml("a%20b%2.md", ""), "a%2520b%2.md");
    }

    #[test]
    fn relative_paths_climb_and_descend() {
        assert_eq!(relative_path("a", "b/x.md"), "../b/x.md");
        assert_eq!(relative_path("a/b", "a/x.md"), "../x.md");
        assert_eq!(relative_path("a", "a/x.md"), "x.md");
        assert_eq!(relative_path("", "a/x.md"), "a/x.md");
        assert_eq!(relative_path("a/b/", "a/c/"), "../c/");
    }

    #[test]
    fn a_rewrite_keeps_the_form_the_query_and_the_anchor() {
        let target = Place {
            content_path: "new/x.md",
            site_path: "new/x/",
        };
        let holder = Holder {
            content_path: "old/y.md",
            page_path: "old/y/",
        };
        let cases = [
            ("@/old/x.md#fix", "@/new/x.md#fix"),
            ("/old/x/", "/new/x/"),
            ("/old/x?a=1", "/new/x?a=1"),
            ("/help/old/x/", "/help/new/x/"),
            ("./x.md", "../new/x.md"),
            ("x.md#a", "../new/x.md#a"),
            ("../x/", "../../new/x/"),
            ("../x", "../../new/x"),
        ];
        for (written, expected) in cases {
            let dest = Dest::parse(written).unwrap();
            assert_eq!(
                rewrite(&dest, target, holder, "/help/").in_body(),
                expected,
                "{written}"
            );
        }
        assert!(Dest::parse("https://x.org/a").is_none());
        assert!(Dest::parse("#top").is_none());
    }

    #[test]
    fn finds_the_destination_of_inline_reference_and_html_links() {
        let text = "See [a](/x/y/) and [b][r].\n\n[r]: ../z.md\n<a href=\"/q/\">q</a>";
        let link = |dest: &str, offset: usize, raw_html: bool| LinkRef {
            dest: dest.into(),
            offset,
            is_image: false,
            raw_html,
            defined_at: None,
        };
        let r = dest_range(text, &link("/x/y/", 4, false)).unwrap();
        assert_eq!(&text[r], "/x/y/");
        let r = dest_range(text, &link("../z.md", 19, false)).unwrap();
        assert_eq!(r.start, text.find("../z.md").unwrap());
        let at = text.find("/q/").unwrap();
        assert_eq!(dest_range(text, &link("/q/", at, true)), Some(at..at + 3));
    }
}
