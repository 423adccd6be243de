//! The Markdown body of a page, converted line by line: block constructs (see
//! [`super::notices`]) become callouts and code fences; inline template syntax
//! (Hugo `{{< ref >}}`, Liquid `{% link %}`, `{{ site.baseurl }}`) becomes
//! `@/` links or plain paths; relative links are rewritten to where pages and
//! assets now are. Code fences and code spans are copied as written.
//!
//! What cannot be converted stays in the text, and is a finding at its line
//! and column in the source file. Text kbgen would read as a shortcode call
//! (`{{ name(...) }}`, `{% name(...) %}`, `{% end %}`) is written in the
//! escape form `{{/* name(...) */}}`, which renders as it was written.

use std::collections::HashMap;
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use super::links::PageIndex;
use super::notices::{self, Block, BlockKind, Line};
use super::plan::PlannedPage;
use super::{inline, Tool};
use crate::diagnostics::Diagnostic;

/// What converting a page's body needs to know.
pub struct Context<'a> {
    pub tool: Tool,
    pub page: &'a PlannedPage,
    pub index: &'a PageIndex,
    /// The source file, as findings name it.
    pub shown: &'a Path,
    /// The source tool runs the page's template syntax (Twig, Liquid); when
    /// it does not (Grav's default `process: {twig: false}`, Jekyll's
    /// `render_with_liquid: false`) that syntax is text in both sites, so
    /// it is kept without a finding.
    pub templates: bool,
    /// The site's settings (callout classes, variables).
    pub settings: &'a super::plan::SiteSettings,
    /// The source site's root folder.
    pub source_root: &'a Path,
    /// The files that became snippets.
    pub snippets: &'a super::snippets::SnippetIndex,
    /// For a snippet, the first page that includes it (its source path).
    pub included_from: Option<&'a str>,
}

/// Converts `body`, whose first line is line `first_line` of the source file.
pub fn convert(body: &str, first_line: usize, context: &Context<'_>) -> (String, Vec<Diagnostic>) {
    let lines: Vec<Line> = body
        .split_inclusive('\n')
        .enumerate()
        .map(|(i, text)| Line {
            text: text.to_string(),
            line: first_line + i,
            column: 0,
        })
        .collect();
    let mut converter = BodyConverter {
        context,
        out: String::new(),
        findings: Vec::new(),
        open_escaped: 0,
        in_raw: false,
        partials: HashMap::new(),
    };
    converter.block(&lines, "");
    (converter.out, converter.findings)
}

pub struct BodyConverter<'a, 'c> {
    context: &'a Context<'c>,
    out: String,
    findings: Vec<Diagnostic>,
    /// Body shortcodes whose opening tag was escaped and whose `{% end %}`
    /// must be too.
    open_escaped: usize,
    /// Inside Liquid's `{% raw %}` (or Twig's `{% verbatim %}`): template
    /// syntax is text by the author's intent, so it is not reported.
    pub in_raw: bool,
    /// Docusaurus: the partials this page imports, by component name → the
    /// snippet each became.
    partials: HashMap<String, String>,
}

impl BodyConverter<'_, '_> {
    /// Converts `lines`, writing each at `indent`.
    fn block(&mut self, lines: &[Line], indent: &str) {
        let mut fence: Option<(char, usize)> = None;
        let mut i = 0;
        while i < lines.len() {
            let line = &lines[i];
            let trimmed = line.text.trim_start();
            if let Some((mark, length)) = fence {
                self.code_line(indent, &line.text);
                let run = trimmed.chars().take_while(|c| *c == mark).count();
                if run >= length && trimmed[run * mark.len_utf8()..].trim().is_empty() {
                    fence = None;
                }
                i += 1;
                continue;
            }
            if let Some(opened) = fence_opening(trimmed) {
                fence = Some(opened);
                self.code_line(indent, &line.text);
                i += 1;
                continue;
            }
            if let Some((text, consumed)) = super::snippets::convert_lines(lines, i, self) {
                for written in text.split_inclusive('\n') {
                    self.out.push_str(indent);
                    self.out.push_str(written);
                }
                i += consumed.max(1);
                continue;
            }
            if let Some(found) =
                notices::block_at(lines, i, self.context.tool, &self.context.settings.callouts)
            {
                let consumed = found.consumed.max(1);
                self.emit_block(found, line, indent);
                i += consumed;
                continue;
            }
            let converted = match super::headings::with_kbgen_id(&line.text) {
                Some(text) => inline::convert_line(
                    &Line {
                        text,
                        ..line.clone()
                    },
                    self,
                ),
                None => inline::convert_line(line, self),
            };
            self.out.push_str(indent);
            self.out.push_str(&converted);
            if self.html_line_ends_its_block(line, lines.get(i + 1)) {
                self.out.push('\n');
            }
            i += 1;
        }
    }

    /// Parsedown (Grav), kramdown (Jekyll) and Python-Markdown (MkDocs) end an HTML block with the
    /// line its element closes on, so a Markdown line right after it is read
    /// as Markdown; CommonMark runs the block on to the next blank line, and
    /// would show that Markdown (a heading, a list, a code fence) as raw
    /// text. The same goes for a closing tag alone on its line, and for an
    /// element whose content is Markdown (`<div markdown="1">`). A blank line
    /// keeps the source's reading.
    fn html_line_ends_its_block(&self, line: &Line, next: Option<&Line>) -> bool {
        if !matches!(self.context.tool, Tool::Grav | Tool::Jekyll | Tool::Mkdocs) {
            return false;
        }
        let Some(next) = next.map(|n| n.text.trim()) else {
            return false;
        };
        if next.is_empty() || next.starts_with('<') {
            return false;
        }
        let text = line.text.trim();
        let indented = line.text.len() - line.text.trim_start().len() > 3;
        if indented || !text.ends_with('>') {
            return false;
        }
        // A closing tag alone, or an opening tag whose content is Markdown
        // (`markdown="1"`): the lines after it are Markdown in the source.
        if CLOSING_TAG.is_match(text) || MARKDOWN_INSIDE.is_match(text) {
            return true;
        }
        let Some(caps) = OPENING_TAG.captures(text) else {
            return false;
        };
        let name = caps[1].to_ascii_lowercase();
        let closes = text.to_ascii_lowercase().ends_with(&format!("</{name}>"));
        let void = caps[0].ends_with("/>") || VOID_ELEMENTS.contains(&name.as_str());
        // A line that opens with an inline element is a paragraph in every
        // reading, unless it is that one tag alone (an HTML block in CommonMark).
        if TEXT_ELEMENTS.contains(&name.as_str()) && caps[0].len() != text.len() {
            return false;
        }
        line.text.len() - line.text.trim_start().len() <= 3
            && text.ends_with('>')
            && (closes || void)
    }

    fn code_line(&mut self, indent: &str, text: &str) {
        self.out.push_str(indent);
        if matches!(self.context.tool, Tool::Jekyll | Tool::Grav) {
            self.out.push_str(&inline::strip_liquid_raw(text));
        } else {
            self.out.push_str(text);
        }
    }

    fn emit_block(&mut self, block: Block, line: &Line, indent: &str) {
        if let Some((kind, message)) = &block.note {
            self.finding(kind, line, 1 + block.indent.len(), message.clone());
        }
        let indent = format!("{indent}{}", block.indent);
        match block.kind {
            BlockKind::Callout { kind, title, body } => {
                let title = title
                    .map(|t| {
                        format!(
                            ", title=\"{}\"",
                            t.replace('\\', "\\\\").replace('"', "\\\"")
                        )
                    })
                    .unwrap_or_default();
                self.out.push_str(&format!(
                    "{indent}{{% callout(type=\"{kind}\"{title}) %}}\n"
                ));
                self.block(&body, &indent);
                if !self.out.ends_with('\n') {
                    self.out.push('\n');
                }
                self.out.push_str(&format!("{indent}{{% end %}}\n"));
            }
            BlockKind::Tab { title, body } => {
                let title = inline::convert_line(&title, self);
                self.out.push_str(&format!("{indent}{title}\n"));
                self.block(&body, &indent);
                if !self.out.ends_with('\n') {
                    self.out.push('\n');
                }
                self.out.push('\n');
            }
            BlockKind::Wrapper => self.out.push('\n'),
            BlockKind::Code { language, body } => {
                let body: Vec<String> = body
                    .iter()
                    .map(|l| super::inline::strip_liquid_raw(l))
                    .collect();
                let longest = body
                    .iter()
                    .map(|l| l.trim_start().chars().take_while(|c| *c == '`').count())
                    .max()
                    .unwrap_or(0);
                let ticks = "`".repeat(longest.max(2) + 1);
                self.out.push_str(&format!("{indent}{ticks}{language}\n"));
                for text in body {
                    let text = text.strip_prefix(indent.as_str()).unwrap_or(&text);
                    self.out.push_str(&format!("{indent}{text}"));
                    if !text.ends_with('\n') {
                        self.out.push('\n');
                    }
                }
                self.out.push_str(&format!("{indent}{ticks}\n"));
            }
        }
    }

    /// A finding at `column` (1-based, in the line as the block sees it).
    pub fn finding(&mut self, kind: &'static str, line: &Line, column: usize, message: String) {
        self.findings.push(
            Diagnostic::warning(kind, self.context.shown, message)
                .at(line.line, line.column + column),
        );
    }

    pub fn context(&self) -> &Context<'_> {
        self.context
    }

    pub fn open_escaped(&mut self) -> &mut usize {
        &mut self.open_escaped
    }

    pub fn partials(&mut self) -> &mut HashMap<String, String> {
        &mut self.partials
    }
}

/// The first tag of a line that starts with one: its name.
static OPENING_TAG: LazyLock<Regex> =
    // ok: a constant pattern, compiled by every test run
    LazyLock::new(|| Regex::new(r"^<([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>").expect("regex"));

static CLOSING_TAG: LazyLock<Regex> =
    // ok: a constant pattern, compiled by every test run
    LazyLock::new(|| Regex::new(r"^</[A-Za-z][A-Za-z0-9-]*\s*>$").expect("regex"));

static MARKDOWN_INSIDE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^<[A-Za-z][^<>]*\smarkdown(?:\s*=\s*["']?(?:1|block|span)["']?)?[\s>/][^<>]*$"#)
        // ok: a constant pattern, compiled by every test run
        .expect("regex")
});

const TEXT_ELEMENTS: [&str; 24] = [
    "a", "abbr", "b", "big", "cite", "code", "del", "dfn", "em", "font", "i", "img", "ins", "kbd",
    "label", "mark", "q", "s", "small", "span", "strong", "sub", "sup", "u",
];

const VOID_ELEMENTS: [&str; 8] = ["br", "hr", "img", "input", "meta", "link", "source", "wbr"];

/// A code fence's mark and length, for a line that opens one.
fn fence_opening(trimmed: &str) -> Option<(char, usize)> {
    let mark = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let run = trimmed.chars().take_while(|c| *c == mark).count();
    if run < 3 || (mark == '`' && trimmed[run..].contains('`')) {
        return None;
    }
    Some((mark, run))
}
