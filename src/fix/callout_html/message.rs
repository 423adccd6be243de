//! Reading a callout box: the box parsed as a browser parses it (html5ever,
//! through scraper: implied end tags, character references decoded in text and
//! attributes), its title found, and its message read into the [`Block`]s and
//! [`Inline`]s that Markdown can say. Whatever Markdown cannot say as the
//! reader sees it is a refusal: a reason, in words, and the box stays.
//!
//! Refused: elements Markdown has no syntax for (tables, forms, `<u>`,
//! `<kbd>`, headings inside the message…), formatting inside `<code>`, an
//! `id` or an `<a>` without `href` (links may point at them), hidden text
//! (`hidden`, `display: none`, screen-reader-only classes), a `style` on
//! anything but a layout `<div>`, an `<img>` sized or styled by attributes,
//! list numbering Markdown cannot write, and shortcode braces (`{{`, `{%`),
//! which the callout's body would read as calls.

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use scraper::node::Element;
use scraper::{Html, Node};

/// A box read: its title, its message, and the parsed box for comparing what
/// the reader sees before and after.
pub struct Message {
    pub title: Option<String>,
    pub blocks: Vec<Block>,
    pub document: Html,
    /// The box's outer element.
    pub root: NodeId,
    /// The title's element, which the message leaves out.
    pub title_node: Option<NodeId>,
}

/// A paragraph or a list of the message.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(Vec<Inline>),
    List(List),
}

#[derive(Debug, Clone, PartialEq)]
pub struct List {
    pub ordered: bool,
    /// The first item's number (1 for a bullet list).
    pub start: u64,
    /// Each item's blocks.
    pub items: Vec<Vec<Block>>,
}

/// Text and what Markdown writes inline. Text is as the parser decoded it,
/// its white space not yet collapsed.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Strong(Vec<Inline>),
    Em(Vec<Inline>),
    Code(String),
    Link {
        href: String,
        title: Option<String>,
        children: Vec<Inline>,
    },
    Image {
        src: String,
        alt: String,
        title: Option<String>,
    },
    Break,
}

/// Reads the box `html`, whose outer element is its first element.
pub fn read(html: &str) -> Result<Message, String> {
    let document = Html::parse_fragment(html);
    let root = document
        .root_element()
        .children()
        .find(|n| n.value().is_element())
        .ok_or("it holds no element")?;
    let (title, title_node) = find_title(root)?;
    let reader = Reader { skip: title_node };
    reader.refuse_shortcode_braces(root)?;
    let blocks = reader.blocks(root)?;
    let root = root.id();
    Ok(Message {
        title,
        blocks,
        document,
        root,
        title_node,
    })
}

/// A URL as a browser reads an attribute value: tabs and line ends removed,
/// leading and trailing spaces and control characters trimmed (WHATWG URL).
pub fn url(raw: &str) -> String {
    raw.chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .trim_matches(|c: char| c <= ' ')
        .to_string()
}

/// `text` with each run of HTML white space as one space, trimmed.
pub fn collapse(text: &str) -> String {
    text.split(is_html_space)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// HTML's white space (not U+00A0, which a browser shows and keeps).
pub fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}')
}

/// The title: the first bold, heading or `*title*`/`*heading*`-classed
/// element inside the box with text in it, when no text or image comes before
/// it, it sits in layout elements only (not in a list or a link), and a
/// space or a line end follows it.
fn find_title(root: NodeRef<'_, Node>) -> Result<(Option<String>, Option<NodeId>), String> {
    for node in root.descendants().skip(1) {
        match node.value() {
            Node::Text(text) if !text.chars().all(is_html_space) => break,
            Node::Element(el) if el.name() == "img" => break,
            Node::Element(el) if is_title_shaped(el) && in_layout_only(node, root) => {
                let text = collapse(&text_of(node));
                if text.is_empty() {
                    continue;
                }
                if !ends_a_line_or_word(node, root) {
                    break;
                }
                check_attributes(el)?;
                for inner in node.descendants().skip(1) {
                    if let Node::Element(el) = inner.value() {
                        if !matches!(el.name(), "span" | "b" | "strong" | "i" | "em" | "br") {
                            return Err(format!(
                                "its title holds <{}>, which a callout title cannot show",
                                el.name()
                            ));
                        }
                        check_attributes(el)?;
                    }
                }
                if text.contains("{{") || text.contains("{%") {
                    return Err("its title holds shortcode braces (`{{` or `{%`)".to_string());
                }
                return Ok((Some(text), Some(node.id())));
            }
            _ => {}
        }
    }
    Ok((None, None))
}

/// Whether only layout elements stand between `node` and the box: a bold
/// word at the start of a list item or a link is no title.
fn in_layout_only(node: NodeRef<'_, Node>, root: NodeRef<'_, Node>) -> bool {
    node.ancestors()
        .take_while(|a| a.id() != root.id())
        .all(|a| {
            a.value()
                .as_element()
                .is_some_and(|el| matches!(el.name(), "div" | "p" | "section" | "article" | "span"))
        })
}

/// Whether what follows `node` in the box starts a new line or word: a
/// title glued to the next word (`<b>Note</b>text`) reads as one word.
fn ends_a_line_or_word(node: NodeRef<'_, Node>, root: NodeRef<'_, Node>) -> bool {
    let mut after = false;
    for edge in root.traverse() {
        match edge {
            Edge::Close(n) if n.id() == node.id() => after = true,
            _ if !after => {}
            Edge::Open(n) => match n.value() {
                Node::Text(text) if text.is_empty() => {}
                Node::Text(text) => return text.starts_with(is_html_space),
                Node::Element(el) if !is_inline(el.name()) => return true,
                _ => {}
            },
            Edge::Close(n) => {
                if n.value()
                    .as_element()
                    .is_some_and(|el| !is_inline(el.name()))
                {
                    return true;
                }
            }
        }
    }
    true
}

/// The elements that flow in a line of text (and `<br>`, which ends one).
fn is_inline(name: &str) -> bool {
    matches!(
        name,
        "a" | "b" | "strong" | "i" | "em" | "code" | "tt" | "span" | "img" | "wbr"
    )
}

fn is_title_shaped(el: &Element) -> bool {
    let class = el.attr("class").unwrap_or_default().to_ascii_lowercase();
    matches!(el.name(), "b" | "strong" | "h2" | "h3" | "h4" | "h5" | "h6")
        || class.contains("title")
        || class.contains("heading")
}

/// The text of `node` and its descendants, as the parser decoded it.
fn text_of(node: NodeRef<'_, Node>) -> String {
    node.descendants()
        .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
        .collect()
}

/// Refuses what a callout body would not show as the box does; see the module
/// documentation.
fn check_attributes(el: &Element) -> Result<(), String> {
    let name = el.name();
    if let Some(id) = el
        .attr("id")
        .or_else(|| el.attr("name").filter(|_| name == "a"))
    {
        return Err(format!(
            "its message holds <{name}> with id `{id}`, which links may point at"
        ));
    }
    if el.attr("hidden").is_some() {
        return Err(format!("its message holds a hidden <{name}>"));
    }
    if let Some(style) = el.attr("style") {
        let style = style.to_ascii_lowercase().replace(' ', "");
        let hides = style.contains("display:none") || style.contains("visibility:hidden");
        if hides || name != "div" {
            return Err(format!(
                "its message holds <{name}> with a style, which Markdown cannot say"
            ));
        }
    }
    const HIDING: [&str; 6] = [
        "sr-only",
        "visually-hidden",
        "screen-reader-text",
        "hidden",
        "d-none",
        "invisible",
    ];
    let class = el.attr("class").unwrap_or_default().to_ascii_lowercase();
    if let Some(hiding) = class.split_whitespace().find(|c| HIDING.contains(c)) {
        return Err(format!(
            "its message holds <{name}> hidden by its class `{hiding}`"
        ));
    }
    Ok(())
}

/// Reads the message, leaving out the title's element.
struct Reader {
    skip: Option<NodeId>,
}

impl Reader {
    /// The children of `parent` as blocks: block elements break paragraphs,
    /// everything else is a paragraph's inline content.
    fn blocks(&self, parent: NodeRef<'_, Node>) -> Result<Vec<Block>, String> {
        let mut blocks = Vec::new();
        let mut line = Vec::new();
        for child in parent.children().filter(|c| Some(c.id()) != self.skip) {
            match child.value() {
                Node::Element(el) if matches!(el.name(), "div" | "p" | "section" | "article") => {
                    check_attributes(el)?;
                    end_paragraph(&mut line, &mut blocks);
                    blocks.extend(self.blocks(child)?);
                }
                Node::Element(el) if matches!(el.name(), "ul" | "ol") => {
                    end_paragraph(&mut line, &mut blocks);
                    blocks.push(Block::List(self.list(child)?));
                }
                _ => line.extend(self.inline(child)?),
            }
        }
        end_paragraph(&mut line, &mut blocks);
        Ok(blocks)
    }

    fn inlines(&self, parent: NodeRef<'_, Node>) -> Result<Vec<Inline>, String> {
        let mut inlines = Vec::new();
        for child in parent.children().filter(|c| Some(c.id()) != self.skip) {
            inlines.extend(self.inline(child)?);
        }
        Ok(inlines)
    }

    fn inline(&self, node: NodeRef<'_, Node>) -> Result<Vec<Inline>, String> {
        let el = match node.value() {
            Node::Text(text) => return Ok(vec![Inline::Text(text.to_string())]),
            Node::Element(el) => el,
            // Comments, and what a fragment cannot hold, show nothing.
            _ => return Ok(Vec::new()),
        };
        check_attributes(el)?;
        let title = || el.attr("title").map(collapse);
        Ok(match el.name() {
            "b" | "strong" => vec![Inline::Strong(self.inlines(node)?)],
            "i" | "em" => vec![Inline::Em(self.inlines(node)?)],
            "span" => self.inlines(node)?,
            "code" | "tt" => vec![Inline::Code(code_text(node)?)],
            "a" => {
                let href = el
                    .attr("href")
                    .ok_or("its message holds an <a> without `href`, which links may point at")?;
                vec![Inline::Link {
                    href: url(href),
                    title: title(),
                    children: self.inlines(node)?,
                }]
            }
            "img" => {
                let allowed = ["src", "alt", "title", "loading", "decoding"];
                if let Some((attr, _)) = el.attrs().find(|(a, _)| !allowed.contains(a)) {
                    return Err(format!(
                        "its message holds an <img> with `{attr}`, which Markdown cannot say"
                    ));
                }
                vec![Inline::Image {
                    src: url(el.attr("src").unwrap_or_default()),
                    alt: collapse(el.attr("alt").unwrap_or_default()),
                    title: title(),
                }]
            }
            "br" => vec![Inline::Break],
            "wbr" => Vec::new(),
            name @ ("div" | "p" | "section" | "article" | "ul" | "ol" | "li") => {
                return Err(format!(
                    "its message holds a <{name}> inside a line of text, which Markdown cannot say"
                ))
            }
            other => {
                return Err(format!(
                    "its message holds <{other}>, which a callout body would change"
                ))
            }
        })
    }

    /// A `<ul>` or `<ol>`: its items, each read as blocks.
    fn list(&self, node: NodeRef<'_, Node>) -> Result<List, String> {
        let Some(el) = node.value().as_element() else {
            return Err("a list is not an element".to_string());
        };
        check_attributes(el)?;
        let ordered = el.name() == "ol";
        if let Some(attr) = ["type", "reversed"]
            .into_iter()
            .find(|a| el.attr(a).is_some())
        {
            return Err(format!(
                "its message holds a <{}> with `{attr}`, which Markdown cannot say",
                el.name()
            ));
        }
        // CommonMark writes a list's first number with at most nine digits.
        let start = match el.attr("start").filter(|_| ordered) {
            None => 1,
            Some(start) => start
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|n| *n <= 999_999_999)
                .ok_or_else(|| {
                    format!(
                        "its message holds an <ol start=\"{start}\">, which Markdown cannot number"
                    )
                })?,
        };
        let mut items = Vec::new();
        for child in node.children().filter(|c| Some(c.id()) != self.skip) {
            match child.value() {
                Node::Text(text) if text.chars().all(is_html_space) => {}
                Node::Comment(_) => {}
                Node::Element(li) if li.name() == "li" => {
                    check_attributes(li)?;
                    if li.attr("value").is_some() {
                        return Err(
                            "its message holds an <li value>, which Markdown cannot number"
                                .to_string(),
                        );
                    }
                    items.push(self.blocks(child)?);
                }
                _ => return Err("its message holds a list with more than items in it".to_string()),
            }
        }
        Ok(List {
            ordered,
            start,
            items,
        })
    }

    /// Refuses text or a link with `{{` or `{%` outside code: the callout's
    /// body would read a call there (and `{% end %}` would close the callout).
    fn refuse_shortcode_braces(&self, root: NodeRef<'_, Node>) -> Result<(), String> {
        let mut text = String::new();
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            if Some(node.id()) == self.skip {
                continue;
            }
            match node.value() {
                Node::Text(t) => text.push_str(t),
                Node::Element(el) if matches!(el.name(), "code" | "tt") => text.push(' '),
                Node::Element(el) => {
                    for (_, value) in el.attrs() {
                        if value.contains("{{") || value.contains("{%") {
                            return Err("its message holds shortcode braces (`{{` or `{%`)".into());
                        }
                    }
                    stack.extend(node.children().rev());
                }
                _ => {}
            }
        }
        if text.contains("{{") || text.contains("{%") {
            return Err("its message holds shortcode braces (`{{` or `{%`)".to_string());
        }
        Ok(())
    }
}

/// The text of a `<code>` element; formatting inside it has no Markdown.
fn code_text(node: NodeRef<'_, Node>) -> Result<String, String> {
    for inner in node.descendants().skip(1) {
        if let Node::Element(el) = inner.value() {
            return Err(format!(
                "its message holds <{}> inside <code>, which Markdown cannot say",
                el.name()
            ));
        }
    }
    Ok(text_of(node))
}

/// Ends the paragraph being read, unless it shows nothing.
fn end_paragraph(line: &mut Vec<Inline>, blocks: &mut Vec<Block>) {
    let shows = |i: &Inline| !matches!(i, Inline::Text(t) if t.chars().all(is_html_space));
    let inlines = std::mem::take(line);
    if inlines.iter().any(|i| shows(i) && *i != Inline::Break) {
        blocks.push(Block::Paragraph(inlines));
    }
}
