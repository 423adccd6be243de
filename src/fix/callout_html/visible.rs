//! What the reader sees of a message, as a value to compare: each character
//! shown, with whether it is bold, italic, code or a link (and where to), the
//! images, the line breaks, and where blocks and list items start. White space
//! is collapsed as a browser collapses it, and what a browser does not show
//! (space at a line's edge, a line break or empty block at a block's edge) is
//! left out, so a `<div>` and a Markdown paragraph compare equal.
//!
//! The rule uses it to check its own work: the box's message and the
//! Markdown written for it (rendered by pulldown-cmark with kbgen's options)
//! must give the same value, or the box stays as it was.

use ego_tree::{NodeId, NodeRef};
use scraper::{Html, Node};

use super::message::{is_html_space, url, Message};

/// Formatting that changes how a character reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Style {
    strong: bool,
    em: bool,
    code: bool,
    link: Option<String>,
}

/// One thing the reader sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    Char(char, Style),
    Space,
    Break,
    Block,
    ListStart {
        ordered: bool,
        start: u64,
    },
    ListEnd,
    Item,
    Image {
        src: String,
        alt: String,
        link: Option<String>,
    },
}

/// The box's message: the box without its title.
pub fn of_box(message: &Message) -> Vec<Seen> {
    let mut seen = Vec::new();
    if let Some(root) = message.document.tree.get(message.root) {
        walk(root, &Style::default(), message.title_node, &mut seen);
    }
    normalize(seen)
}

/// `markdown` rendered as kbgen's Markdown renderer reads it.
pub fn of_markdown(markdown: &str) -> Vec<Seen> {
    let parser = pulldown_cmark::Parser::new_ext(markdown, crate::content::scan::parser_options());
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    let document = Html::parse_fragment(&html);
    let mut seen = Vec::new();
    walk(*document.root_element(), &Style::default(), None, &mut seen);
    normalize(seen)
}

fn walk(node: NodeRef<'_, Node>, style: &Style, skip: Option<NodeId>, seen: &mut Vec<Seen>) {
    for child in node.children().filter(|c| Some(c.id()) != skip) {
        let el = match child.value() {
            Node::Text(text) => {
                seen.extend(text.chars().map(|c| match c {
                    c if is_html_space(c) => Seen::Space,
                    c => Seen::Char(c, style.clone()),
                }));
                continue;
            }
            Node::Element(el) => el,
            _ => continue,
        };
        let mut inner = style.clone();
        match el.name() {
            "br" => seen.push(Seen::Break),
            "img" => seen.push(Seen::Image {
                src: link_target(el.attr("src").unwrap_or_default()),
                alt: super::message::collapse(el.attr("alt").unwrap_or_default()),
                link: style.link.clone(),
            }),
            "ul" | "ol" => {
                let ordered = el.name() == "ol";
                let start = el
                    .attr("start")
                    .filter(|_| ordered)
                    .and_then(|s| s.trim().parse().ok())
                    .unwrap_or(1);
                seen.push(Seen::ListStart { ordered, start });
                walk(child, style, skip, seen);
                seen.push(Seen::ListEnd);
            }
            "li" => {
                seen.push(Seen::Item);
                walk(child, style, skip, seen);
            }
            "b" | "strong" | "i" | "em" | "code" | "tt" | "a" | "span" | "wbr" => {
                match el.name() {
                    "b" | "strong" => inner.strong = true,
                    "i" | "em" => inner.em = true,
                    "code" | "tt" => inner.code = true,
                    "a" => inner.link = Some(link_target(el.attr("href").unwrap_or_default())),
                    _ => {}
                }
                walk(child, &inner, skip, seen);
            }
            _ => {
                seen.push(Seen::Block);
                walk(child, style, skip, seen);
                seen.push(Seen::Block);
            }
        }
    }
}

/// A link as a browser follows it: trimmed, percent-escapes decoded (the
/// Markdown renderer escapes what the HTML may have written plainly).
fn link_target(raw: &str) -> String {
    percent_encoding::percent_decode_str(&url(raw))
        .decode_utf8_lossy()
        .into_owned()
}

/// Leaves out what a browser does not show, until nothing more goes.
fn normalize(mut seen: Vec<Seen>) -> Vec<Seen> {
    loop {
        let before = seen.len();
        let mut kept: Vec<Seen> = Vec::with_capacity(seen.len());
        for (index, item) in seen.iter().enumerate() {
            let previous = kept.last();
            let next = seen.get(index + 1);
            let edge = |s: Option<&Seen>, breaks: bool| match s {
                None => true,
                Some(Seen::Block | Seen::ListStart { .. } | Seen::ListEnd | Seen::Item) => true,
                Some(Seen::Break) => breaks,
                _ => false,
            };
            let list_edge = |s: Option<&Seen>| {
                matches!(
                    s,
                    None | Some(Seen::ListStart { .. } | Seen::ListEnd | Seen::Item)
                )
            };
            let hidden = match item {
                Seen::Space => {
                    matches!(previous, Some(Seen::Space))
                        || edge(previous, true)
                        || edge(next, true)
                }
                Seen::Break => edge(previous, false) || edge(next, false),
                Seen::Block => edge(previous, false) || list_edge(next),
                _ => false,
            };
            if !hidden {
                kept.push(item.clone());
            }
        }
        seen = kept;
        if seen.len() == before {
            return seen;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_div_and_a_paragraph_read_the_same_and_escapes_do_not_show() {
        let message = super::super::message::read(
            "<div class=\"note\"><b>T</b><br>\n  2*3 &amp; <code>x &lt; y</code>\n<div>next</div></div>",
        )
        .unwrap();
        assert_eq!(of_box(&message), of_markdown("2\\*3 \\& `x < y`\n\nnext"));
        assert_ne!(of_box(&message), of_markdown("2*3 & `x &lt; y`\n\nnext"));
        assert_ne!(of_box(&message), of_markdown("2\\*3 \\& `x < y` next"));
    }
}
