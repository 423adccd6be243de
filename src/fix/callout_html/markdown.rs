//! Writing a message read from HTML as CommonMark (with the extensions kbgen
//! turns on: tables, strikethrough, footnotes, task lists, definition lists,
//! heading attributes) so that it renders to the same text.
//!
//! Text is escaped: a backslash before each ASCII punctuation character that
//! can open inline syntax anywhere (`\ * _ [ ] < > & | ~` and a backtick),
//! and, at the start of a line, before what would open a block (`- + = # > :`,
//! and the `.` or `)` after leading digits, an ordered list's marker). A `!`
//! that would stand before a link's `[` is escaped too. A no-break space is
//! written `&nbsp;` and other invisible characters as numeric references, so
//! the author can see them. White space is collapsed as HTML collapses it;
//! spaces at the edges of bold, italics and links move outside them, where
//! CommonMark still reads the delimiters.
//!
//! Code becomes a code span whose fence is one backtick longer than the
//! longest run of backticks inside, padded with a space when the code starts
//! or ends with a backtick or with spaces on both sides (CommonMark strips one
//! of each). A line break is a backslash at the end of the line.

use super::message::{is_html_space, Block, Inline, List};

/// How bold and italics are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Emphasis {
    /// `**bold**`, `*italics*`.
    Delimiters,
    /// `<strong>bold</strong>`, `<em>italics</em>`: for where the delimiters
    /// would not be read as emphasis.
    Tags,
}

/// The message's blocks as Markdown, without a final line end; empty when it
/// shows nothing.
pub fn write(blocks: &[Block], emphasis: Emphasis) -> String {
    blocks_lines(blocks, emphasis, true).join("\n")
}

/// The lines of `blocks`, a blank line between two blocks. In a list item a
/// list that may interrupt a paragraph follows it on the next line, so short
/// nested lists stay tight.
fn blocks_lines(blocks: &[Block], emphasis: Emphasis, top: bool) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    // The marker of the list just written: two lists in a row need different
    // markers, or CommonMark reads them as one.
    let mut previous_marker: Option<char> = None;
    let mut previous_paragraph = false;
    for block in blocks {
        let (written, marker) = match block {
            Block::Paragraph(inlines) => (paragraph_lines(inlines, emphasis), None),
            Block::List(list) => {
                let marker = match (list.ordered, previous_marker) {
                    (false, Some('-')) => '*',
                    (false, _) => '-',
                    (true, Some('.')) => ')',
                    (true, _) => '.',
                };
                (list_lines(list, marker, emphasis), Some(marker))
            }
        };
        if written.is_empty() {
            continue;
        }
        // CommonMark: a list interrupts a paragraph when it starts at 1 and
        // its first item is not empty.
        let interrupts = matches!(block, Block::List(l) if !l.ordered || l.start == 1)
            && written[0].contains(' ');
        if !lines.is_empty() && (top || !(previous_paragraph && interrupts)) {
            lines.push(String::new());
        }
        lines.extend(written);
        previous_marker = marker;
        previous_paragraph = marker.is_none();
    }
    lines
}

fn list_lines(list: &List, marker: char, emphasis: Emphasis) -> Vec<String> {
    let mut lines = Vec::new();
    for (index, item) in list.items.iter().enumerate() {
        let mark = if list.ordered {
            format!("{}{marker}", list.start + index as u64)
        } else {
            marker.to_string()
        };
        let indent = " ".repeat(mark.len() + 1);
        let written = blocks_lines(item, emphasis, false);
        if written.is_empty() {
            lines.push(mark);
            continue;
        }
        for (n, line) in written.into_iter().enumerate() {
            lines.push(match n {
                0 => format!("{mark} {line}"),
                _ if line.is_empty() => line,
                _ => format!("{indent}{line}"),
            });
        }
    }
    lines
}

fn paragraph_lines(inlines: &[Inline], emphasis: Emphasis) -> Vec<String> {
    let mut line = Line::new(emphasis);
    line.inlines(inlines);
    if line.out.is_empty() {
        return Vec::new();
    }
    line.out.split('\n').map(str::to_string).collect()
}

/// A mark whose opening is written when the first thing it holds is.
#[derive(Clone, Copy)]
enum Mark<'a> {
    Strong,
    Em,
    Link(&'a str, Option<&'a str>),
}

/// One paragraph being written.
struct Line<'a> {
    out: String,
    emphasis: Emphasis,
    at_line_start: bool,
    /// Only digits so far on this line: a `.` or `)` now would be a list's.
    leading_digits: bool,
    pending_space: bool,
    pending_breaks: usize,
    /// Marks opened with nothing shown in them yet.
    pending_marks: Vec<Mark<'a>>,
    /// How many bold and italic marks are open.
    strong_depth: usize,
    em_depth: usize,
}

impl<'a> Line<'a> {
    fn new(emphasis: Emphasis) -> Self {
        Line {
            out: String::new(),
            emphasis,
            at_line_start: true,
            leading_digits: false,
            pending_space: false,
            pending_breaks: 0,
            pending_marks: Vec::new(),
            strong_depth: 0,
            em_depth: 0,
        }
    }

    fn inlines(&mut self, inlines: &'a [Inline]) {
        for inline in inlines {
            self.inline(inline);
        }
    }

    fn inline(&mut self, inline: &'a Inline) {
        match inline {
            Inline::Text(text) => self.text(text),
            Inline::Strong(children) => self.marked(Mark::Strong, children),
            Inline::Em(children) => self.marked(Mark::Em, children),
            Inline::Link {
                href,
                title,
                children,
            } => self.marked(Mark::Link(href, title.as_deref()), children),
            Inline::Code(code) if !code.is_empty() => {
                self.before_content();
                // Two code spans in a row would join their fences into one
                // run of backticks: the second is written with HTML tags,
                // around text that Markdown still reads, so escaped.
                if ends_with_unescaped(&self.out, '`') {
                    self.out.push_str("<code>");
                    for c in code.chars() {
                        push_escaped(&mut self.out, if c == '\n' { ' ' } else { c });
                    }
                    self.out.push_str("</code>");
                } else {
                    self.out.push_str(&code_span(code));
                }
                self.after_content();
            }
            Inline::Code(_) => {}
            Inline::Image { src, alt, title } => {
                self.before_content();
                self.out.push_str("![");
                self.out.push_str(&escaped(alt));
                self.out.push_str("](");
                self.out.push_str(&destination(src, title.as_deref()));
                self.out.push(')');
                self.after_content();
            }
            // A line break at the start or the end of a paragraph shows
            // nothing in HTML; it is written when text follows it.
            Inline::Break if self.out.is_empty() => {}
            Inline::Break => {
                self.pending_breaks += 1;
                self.pending_space = false;
            }
        }
    }

    /// `children` inside `mark`; a mark around nothing shown is left out,
    /// and so is bold in bold or italics in italics, which look the same and
    /// whose delimiters would join (`*` `*` is `**`).
    fn marked(&mut self, mark: Mark<'a>, children: &'a [Inline]) {
        let nested = match mark {
            Mark::Strong => &mut self.strong_depth,
            Mark::Em => &mut self.em_depth,
            Mark::Link(..) => &mut 0,
        };
        if *nested > 0 {
            self.inlines(children);
            return;
        }
        *nested += 1;
        self.marked_once(mark, children);
        match mark {
            Mark::Strong => self.strong_depth -= 1,
            Mark::Em => self.em_depth -= 1,
            Mark::Link(..) => {}
        }
    }

    fn marked_once(&mut self, mark: Mark<'a>, children: &'a [Inline]) {
        let depth = self.pending_marks.len();
        self.pending_marks.push(mark);
        self.inlines(children);
        if self.pending_marks.len() > depth {
            self.pending_marks.truncate(depth);
            return;
        }
        let close = match (mark, self.emphasis) {
            (Mark::Strong, Emphasis::Delimiters) => "**".to_string(),
            (Mark::Strong, Emphasis::Tags) => "</strong>".to_string(),
            (Mark::Em, Emphasis::Delimiters) => "*".to_string(),
            (Mark::Em, Emphasis::Tags) => "</em>".to_string(),
            (Mark::Link(href, title), _) => format!("]({})", destination(href, title)),
        };
        self.out.push_str(&close);
    }

    fn text(&mut self, text: &str) {
        for c in text.chars() {
            if is_html_space(c) {
                self.pending_space = true;
                continue;
            }
            self.before_content();
            self.push_char(c);
        }
    }

    /// Writes what waits for the next thing shown: line breaks or a space,
    /// then the marks opened before it.
    fn before_content(&mut self) {
        if self.pending_breaks > 0 {
            for _ in 0..self.pending_breaks {
                self.out.push_str("\\\n");
            }
            self.pending_breaks = 0;
            self.at_line_start = true;
        } else if self.pending_space && !self.at_line_start {
            self.out.push(' ');
        }
        self.pending_space = false;
        for mark in std::mem::take(&mut self.pending_marks) {
            match (mark, self.emphasis) {
                (Mark::Strong, Emphasis::Delimiters) => self.out.push_str("**"),
                (Mark::Strong, Emphasis::Tags) => self.out.push_str("<strong>"),
                (Mark::Em, Emphasis::Delimiters) => self.out.push('*'),
                (Mark::Em, Emphasis::Tags) => self.out.push_str("<em>"),
                (Mark::Link(..), _) => {
                    // `!` then `[` would open an image.
                    if ends_with_unescaped(&self.out, '!') {
                        self.out.insert(self.out.len() - 1, '\\');
                    }
                    self.out.push('[');
                }
            }
        }
    }

    /// After code or an image, the line has started.
    fn after_content(&mut self) {
        self.at_line_start = false;
        self.leading_digits = false;
    }

    fn push_char(&mut self, c: char) {
        let line_start = std::mem::replace(&mut self.at_line_start, false);
        if line_start {
            self.leading_digits = c.is_ascii_digit();
            if matches!(c, '-' | '+' | '=' | '#' | '>' | ':' | '|') {
                self.out.push('\\');
                self.out.push(c);
                return;
            }
        } else if self.leading_digits && !c.is_ascii_digit() {
            self.leading_digits = false;
            if matches!(c, '.' | ')') {
                self.out.push('\\');
            }
        }
        push_escaped(&mut self.out, c);
    }
}

/// `c` in running text: escaped when Markdown could read it as syntax,
/// invisible characters as references.
fn push_escaped(out: &mut String, c: char) {
    match c {
        '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' => {
            out.push('\\');
            out.push(c);
        }
        '\u{a0}' => out.push_str("&nbsp;"),
        c if is_invisible(c) => out.push_str(&format!("&#x{:X};", u32::from(c))),
        c => out.push(c),
    }
}

/// Text inside `[ ]` (image descriptions): collapsed and escaped.
fn escaped(text: &str) -> String {
    let mut out = String::new();
    for (index, word) in text
        .split(is_html_space)
        .filter(|w| !w.is_empty())
        .enumerate()
    {
        if index > 0 {
            out.push(' ');
        }
        word.chars().for_each(|c| push_escaped(&mut out, c));
    }
    out
}

/// Characters a reader of the Markdown source would not see.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(u32::from(c), 0xAD | 0x2000..=0x200F | 0x2028..=0x202F | 0x205F..=0x206F | 0x3000 | 0xFEFF)
}

fn ends_with_unescaped(out: &str, c: char) -> bool {
    let Some(before) = out.strip_suffix(c) else {
        return false;
    };
    let backslashes = before.len() - before.trim_end_matches('\\').len();
    backslashes % 2 == 0
}

/// `code` as a code span, whitespace kept but line ends as spaces.
fn code_span(code: &str) -> String {
    let code = code.replace(['\n', '\r'], " ");
    let longest = code
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or_default();
    let fence = "`".repeat(longest + 1);
    let stripped =
        code.starts_with(' ') && code.ends_with(' ') && !code.trim_matches(' ').is_empty();
    let pad = if code.starts_with('`') || code.ends_with('`') || stripped {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{code}{pad}{fence}")
}

/// A link or image destination and its title, as written inside `( )`:
/// in `< >` when it is empty or holds a space, a parenthesis or `< >`;
/// backslashes and what reads as a character reference escaped.
fn destination(url: &str, title: Option<&str>) -> String {
    let angled = url.is_empty()
        || url
            .chars()
            .any(|c| matches!(c, ' ' | '(' | ')' | '<' | '>') || c.is_control());
    let mut out = String::new();
    if angled {
        out.push('<');
    }
    for (at, c) in url.char_indices() {
        match c {
            '\\' => out.push_str("\\\\"),
            '<' | '>' if angled => {
                out.push('\\');
                out.push(c);
            }
            '&' if is_reference(&url[at..]) => out.push_str("\\&"),
            c => out.push(c),
        }
    }
    if angled {
        out.push('>');
    }
    if let Some(title) = title.filter(|t| !t.is_empty()) {
        out.push_str(" \"");
        for (at, c) in title.char_indices() {
            match c {
                '\\' | '"' => {
                    out.push('\\');
                    out.push(c);
                }
                '&' if is_reference(&title[at..]) => out.push_str("\\&"),
                c => out.push(c),
            }
        }
        out.push('"');
    }
    out
}

/// Whether `text`, which starts with `&`, starts with what Markdown reads as a
/// character reference (`&name;`, `&#123;`, `&#x1F;`).
fn is_reference(text: &str) -> bool {
    let rest = &text[1..];
    let Some(end) = rest.find(';') else {
        return false;
    };
    let name = &rest[..end];
    let digits = |s: &str, hex: bool| {
        !s.is_empty()
            && s.chars().all(|c| {
                if hex {
                    c.is_ascii_hexdigit()
                } else {
                    c.is_ascii_digit()
                }
            })
    };
    match name.strip_prefix('#') {
        Some(number) => match number.strip_prefix(['x', 'X']) {
            Some(hex) => digits(hex, true),
            None => digits(number, false),
        },
        None => {
            name.starts_with(|c: char| c.is_ascii_alphabetic())
                && name.chars().all(|c| c.is_ascii_alphanumeric())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> String {
        write(
            &[Block::Paragraph(vec![Inline::Text(s.to_string())])],
            Emphasis::Delimiters,
        )
    }

    #[test]
    fn punctuation_that_opens_syntax_is_escaped() {
        assert_eq!(text("2*3*4"), "2\\*3\\*4");
        assert_eq!(text("C:\\temp\\_x_"), "C:\\\\temp\\\\\\_x\\_");
        assert_eq!(
            text("a <b> & [c] | ~d~ `e`"),
            "a \\<b\\> \\& \\[c\\] \\| \\~d\\~ \\`e\\`"
        );
        assert_eq!(text("- item"), "\\- item");
        assert_eq!(text("1986. A year"), "1986\\. A year");
        assert_eq!(text("3) x and 4. y"), "3\\) x and 4. y");
        assert_eq!(text("# x"), "\\# x");
        assert_eq!(text("a\u{a0}b\u{200b}"), "a&nbsp;b&#x200B;");
    }

    #[test]
    fn code_spans_take_a_longer_fence_and_pad_backticks() {
        assert_eq!(code_span("x &lt; y"), "`x &lt; y`");
        assert_eq!(code_span("a ``b`` c"), "```a ``b`` c```");
        assert_eq!(code_span("`tick"), "`` `tick ``");
        assert_eq!(code_span(" both "), "`  both  `");
        assert_eq!(code_span("  "), "`  `");
    }

    #[test]
    fn spaces_move_out_of_emphasis_and_empty_marks_go() {
        let inlines = vec![
            Inline::Strong(vec![Inline::Text("Note: ".into())]),
            Inline::Text("do ".into()),
            Inline::Em(vec![Inline::Text(" this".into())]),
            Inline::Em(Vec::new()),
            Inline::Text("!".into()),
            Inline::Link {
                href: "a b".into(),
                title: None,
                children: vec![Inline::Text("x".into())],
            },
        ];
        assert_eq!(
            write(&[Block::Paragraph(inlines)], Emphasis::Delimiters),
            "**Note:** do *this*\\![x](<a b>)"
        );
    }

    #[test]
    fn lists_nest_and_two_lists_in_a_row_take_different_markers() {
        let item = |s: &str| vec![Block::Paragraph(vec![Inline::Text(s.into())])];
        let inner = List {
            ordered: true,
            start: 3,
            items: vec![item("c")],
        };
        let outer = List {
            ordered: false,
            start: 1,
            items: vec![
                item("a"),
                vec![
                    Block::Paragraph(vec![Inline::Text("b".into())]),
                    Block::List(inner),
                ],
            ],
        };
        let next = List {
            ordered: false,
            start: 1,
            items: vec![item("- d")],
        };
        assert_eq!(
            write(
                &[Block::List(outer), Block::List(next)],
                Emphasis::Delimiters
            ),
            "- a\n- b\n\n  3. c\n\n* \\- d"
        );
    }
}
