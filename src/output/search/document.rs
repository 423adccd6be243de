//! What pagefind reads of a page, and the words the typo vocabulary takes
//! from it.
//!
//! A rendered article is cut down to the one element marked
//! `data-pagefind-body` (see [`index_document`]), with the article's
//! front-matter `keywords:` added after its title, at the title's weight. The
//! same document gives the page's words for the vocabulary
//! ([`document_words`]): the text pagefind indexes, so every word the reader's
//! typo is corrected to is one the index holds.

/// The weight pagefind gives a page's title in kbgen's article template
/// (`data-pagefind-weight` on the `<h1>`), which keywords share.
const TITLE_WEIGHT: &str = "10";

/// The part of a page pagefind reads: the `<html>` tag (its `lang`), the
/// `<title>`, and the one element marked `data-pagefind-body`, whose content
/// is all pagefind indexes when a site marks one (its meta, filters, weights
/// and headings are inside it in kbgen's templates). Parsing this instead of
/// the whole page (navigation, related lists, footer) halves pagefind's work.
///
/// `keywords` (front matter) go in right after the element that gives the
/// title (`data-pagefind-meta="title"`), or first in the body when there is
/// none, as a paragraph of the title's weight that is also the `keywords`
/// meta field: readers' words that the article does not use find it as its
/// title does, and the search script knows how many words to skip so
/// excerpts come from the body. `None` when the page has no such single
/// element or it cannot be cut out cleanly; the whole page is indexed then.
pub fn index_document(html: &str, keywords: &[String]) -> Option<String> {
    let marker = html.find(" data-pagefind-body")?;
    if html[marker + 1..].contains(" data-pagefind-body") {
        return None;
    }
    let start = html[..marker].rfind('<')?;
    let name = tag_name(&html[start + 1..]);
    let end = element_end(html, start, name)?;
    let root_start = html.find("<html")?;
    let root_end = root_start + html[root_start..].find('>')? + 1;
    let title = html
        .find("<title>")
        .and_then(|t| Some(&html[t..t + html[t..].find("</title>")? + "</title>".len()]))
        .unwrap_or("");
    let body = &html[start..end];
    let body = match keywords_paragraph(keywords) {
        None => body.to_string(),
        Some(paragraph) => {
            let at = title_end(body).or_else(|| Some(body.find('>')? + 1))?;
            format!("{}{paragraph}{}", &body[..at], &body[at..])
        }
    };
    Some(format!(
        "{}<head>{title}</head><body>{}</body></html>",
        &html[root_start..root_end],
        without_code_spans(&body)
    ))
}

/// The element name at the start of `tag` (after its `<`).
fn tag_name(tag: &str) -> &str {
    let len = tag
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(tag.len());
    &tag[..len]
}

/// `keywords` as the paragraph [`index_document`] adds, or `None` for none.
fn keywords_paragraph(keywords: &[String]) -> Option<String> {
    if keywords.is_empty() {
        return None;
    }
    let text = keywords.join(", ");
    Some(format!(
        "<p data-pagefind-weight=\"{TITLE_WEIGHT}\" data-pagefind-meta=\"keywords\">{}</p>",
        escape_text(&text)
    ))
}

/// Where the element carrying `data-pagefind-meta="title"` in `body` ends.
fn title_end(body: &str) -> Option<usize> {
    let marker = body.find("data-pagefind-meta=\"title\"")?;
    let start = body[..marker].rfind('<')?;
    element_end(body, start, tag_name(&body[start + 1..]))
}

fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `html` without the highlighting `<span class="…">` tags inside `<pre>`
/// blocks: they hold a third of an article's elements and none of its words.
/// The text pagefind reads is the same (spans are inline, so no word is split
/// or joined).
fn without_code_spans(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(pre) = rest.find("<pre") {
        let Some(pre_end) = rest[pre..].find("</pre>").map(|e| pre + e) else {
            break;
        };
        out.push_str(&rest[..pre]);
        let mut code = &rest[pre..pre_end];
        let next_tag = |code: &str| match (code.find("<span class=\""), code.find("</span>")) {
            (Some(open), Some(close)) => Some(open.min(close)),
            (open, close) => open.or(close),
        };
        while let Some(tag) = next_tag(code) {
            out.push_str(&code[..tag]);
            let Some(tag_end) = code[tag..].find('>') else {
                break;
            };
            code = &code[tag + tag_end + 1..];
        }
        out.push_str(code);
        rest = &rest[pre_end..];
    }
    out.push_str(rest);
    out
}

/// Where the element `<name …>` opening at `start` ends (after its closing
/// tag), counting nested elements of the same name.
fn element_end(html: &str, start: usize, name: &str) -> Option<usize> {
    if name.is_empty() {
        return None;
    }
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let mut depth = 0usize;
    let mut at = start;
    loop {
        let next_open = html[at..].find(&open).map(|i| at + i);
        let next_close = html[at..].find(&close).map(|i| at + i)?;
        match next_open {
            Some(o) if o < next_close => {
                let after = html[o + open.len()..].chars().next();
                if matches!(after, Some(c) if c == '>' || c.is_ascii_whitespace()) {
                    depth += 1;
                }
                at = o + open.len();
            }
            _ => {
                depth = depth.checked_sub(1)?;
                at = next_close + close.len();
                if depth == 0 {
                    return Some(at);
                }
            }
        }
    }
}

/// The shortest and longest word (in characters) the vocabulary keeps:
/// shorter words are too close to too many others to correct a typo to, and
/// longer ones are identifiers and pasted strings, not words readers type.
pub const WORD_CHARS: std::ops::RangeInclusive<usize> = 3..=24;

/// The distinct words of `document`'s body text as pagefind indexes it
/// (elements marked `data-pagefind-ignore` left out), lower-case, sorted:
/// runs of letters, so `sign-in` gives `sign` and `in`, and a run outside
/// [`WORD_CHARS`] is left out. Character references are decoded first.
pub fn document_words(document: &str) -> Vec<String> {
    let body = document
        .find("<body>")
        .map_or(document, |at| &document[at..]);
    // One pass over the text, lower-casing into one buffer: a page has a
    // thousand words and a few dozen to a few hundred distinct ones, and
    // only those are allocated.
    let mut words: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut word = String::new();
    let mut letters = 0;
    let mut end_word = |word: &mut String, letters: &mut usize| {
        if WORD_CHARS.contains(letters) && !words.contains(word.as_str()) {
            words.insert(word.clone());
        }
        word.clear();
        *letters = 0;
    };
    for_each_text(body, |run| {
        for c in decode_references(run).chars() {
            if c.is_ascii_alphabetic() {
                word.push(c.to_ascii_lowercase());
                letters += 1;
            } else if c.is_alphabetic() {
                word.extend(c.to_lowercase());
                letters += 1;
            } else if letters > 0 {
                end_word(&mut word, &mut letters);
            }
        }
        end_word(&mut word, &mut letters);
    });
    let mut words: Vec<String> = words.into_iter().collect();
    words.sort_unstable();
    words
}

/// Calls `visit` with each run of text between tags in `html`, skipping
/// elements marked `data-pagefind-ignore` (and comments).
fn for_each_text(html: &str, mut visit: impl FnMut(&str)) {
    let mut at = 0;
    while at < html.len() {
        let Some(lt) = html[at..].find('<').map(|i| at + i) else {
            visit(&html[at..]);
            return;
        };
        visit(&html[at..lt]);
        if html[lt..].starts_with("<!--") {
            at = html[lt..].find("-->").map_or(html.len(), |i| lt + i + 3);
            continue;
        }
        let Some(gt) = html[lt..].find('>').map(|i| lt + i + 1) else {
            return;
        };
        let tag = &html[lt..gt];
        at = if tag.contains(" data-pagefind-ignore") && !tag.ends_with("/>") {
            element_end(html, lt, tag_name(&tag[1..])).unwrap_or(gt)
        } else {
            gt
        };
    }
}

/// `text` with its character references decoded (HTML5's named ones and
/// numeric ones); a `&` that starts none is kept.
fn decode_references(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('&') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let entity = rest
            .find(';')
            .filter(|&end| end <= 10)
            .map(|end| &rest[..=end]);
        let decoded = entity.and_then(|e| {
            let name = e.strip_prefix('&')?.strip_suffix(';')?;
            match name.strip_prefix('#') {
                Some(number) => {
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    Some(char::from_u32(code)?.to_string().into())
                }
                None => {
                    quick_xml::escape::resolve_html5_entity(name).map(std::borrow::Cow::Borrowed)
                }
            }
        });
        match (entity, decoded) {
            (Some(entity), Some(c)) => {
                out.push_str(&c);
                rest = &rest[entity.len()..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>Reset · Help</title>\
        <meta name=\"x\"></head><body><nav><a href=\"/\">Home</a></nav><main>\
        <div class=\"layout\"><div data-pagefind-body><h1>Reset</h1><div><p>Run:</p>\
        <pre class=\"hl-code\"><code><span class=\"hl-variable\">sky</span> <span class=\"hl-meta\">\
        --user <span class=\"hl-string\">&lt;span&gt;</span></span>\n</code></pre></div></div>\
        <aside>Related</aside></div></main></body></html>";

    #[test]
    fn the_index_document_keeps_lang_title_and_body_without_code_spans() {
        assert_eq!(
            index_document(PAGE, &[]).unwrap(),
            "<html lang=\"en\"><head><title>Reset · Help</title></head><body>\
             <div data-pagefind-body><h1>Reset</h1><div><p>Run:</p>\
             <pre class=\"hl-code\"><code>sky --user &lt;span&gt;\n</code></pre></div></div>\
             </body></html>"
        );
    }

    #[test]
    fn pages_without_one_clear_body_are_indexed_whole() {
        assert_eq!(
            index_document("<html><body><p>x</p></body></html>", &[]),
            None
        );
        let two = PAGE.replace("<aside>", "<aside data-pagefind-body>");
        assert_eq!(index_document(&two, &[]), None);
        let unclosed = PAGE.replace("</div></div>\n        <aside>", "");
        assert_eq!(index_document(&unclosed.replace("</div>", ""), &[]), None);
    }

    #[test]
    fn keywords_follow_the_title_at_its_weight() {
        let page = PAGE.replace(
            "<h1>Reset</h1>",
            "<header><h1 data-pagefind-meta=\"title\">Reset</h1><p>Intro</p></header>",
        );
        let keywords = ["E_RESET".to_string(), "wipe <all>".to_string()];
        let document = index_document(&page, &keywords).unwrap();
        assert!(
            document.contains(
                "<h1 data-pagefind-meta=\"title\">Reset</h1><p data-pagefind-weight=\"10\" \
                 data-pagefind-meta=\"keywords\">E_RESET, wipe &lt;all&gt;</p><p>Intro</p>"
            ),
            "{document}"
        );
        // Without a title element, they come first in the body.
        let document = index_document(PAGE, &keywords).unwrap();
        assert!(
            document.contains("<div data-pagefind-body><p data-pagefind-weight=\"10\""),
            "{document}"
        );
    }

    #[test]
    fn document_words_are_the_indexed_text_in_letters() {
        let document = "<html><head><title>Not this</title></head><body><div data-pagefind-body>\
            <h1>Sign-in loops</h1><span data-pagefind-ignore>Ignored <b>words</b></span>\
            <p>Caf&eacute; and r&#233;sum&#xE9; &amp; Zürich: sso_required 401 a bb ccc \
            abcdefghijklmnopqrstuvwxyz</p><!-- comment --></div></body></html>";
        assert_eq!(
            document_words(document),
            ["and", "café", "ccc", "loops", "required", "résumé", "sign", "sso", "zürich"]
        );
    }
}
