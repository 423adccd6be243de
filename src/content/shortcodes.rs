//! Finding shortcode calls in Markdown source, before Markdown is parsed.
//!
//! Syntax (Zola's): `{{ name(key="v", n=3, on=true, list=[1, 2]) }}` inline, and
//! `{% name(key="v") %}` … `{% end %}` with a Markdown body. A call is recognized
//! only as `{{`/`{%`, a name of `[A-Za-z0-9_]`, then `(`: text that merely holds
//! `{{` (Jinja, Liquid, Hugo's `{{< >}}`, `{{Value}}` placeholders) is left as
//! written. Calls inside code spans, code blocks and raw `<pre>`/`<code>` HTML are
//! never seen, because the scanner skips the protected ranges the loader's
//! pulldown-cmark pass reports.
//!
//! A tag written in Zola's escaped form, `{{/* name(args) */}}` or
//! `{%/* name(args) */%}` (`{%/* end */%}` too), is no call: it is recorded as an
//! escape and shown as the tag it spells, `{{ name(args) }}`, so prose can show
//! a call. Its content is not read, and it gives no diagnostic.

use std::ops::Range;

use serde::Serialize;

/// How deep body shortcodes may nest: rendering recurses once per level.
pub const MAX_NESTING: usize = 32;

/// How deep `[` lists may nest in a call's arguments: reading a value recurses
/// once per level, so a line of `[` must stop here, not at the end of the stack.
pub const MAX_ARGUMENT_NESTING: usize = 32;

/// An argument value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ArgValue {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Array(Vec<ArgValue>),
}

/// One call, with byte ranges in the file's normalized text.
#[derive(Debug, Clone, PartialEq)]
pub struct ShortcodeCall {
    pub name: String,
    pub args: Vec<(String, ArgValue)>,
    /// From the opening `{{`/`{%` to the closing `}}` or `{% end %}`.
    pub range: Range<usize>,
    /// The Markdown between the tags, for `{% %}` calls.
    pub body: Option<Range<usize>>,
    /// Calls inside the body.
    pub children: Vec<ShortcodeCall>,
    /// Escaped tags (`{{/* … */}}`) in the body, outside its nested calls.
    pub escapes: Vec<Range<usize>>,
}

impl ShortcodeCall {
    /// This call and every call nested in it, depth first.
    pub fn walk(&self) -> Vec<&ShortcodeCall> {
        let mut all = vec![self];
        for child in &self.children {
            all.extend(child.walk());
        }
        all
    }
}

/// What text a call stands for where only text fits (a heading's id and its
/// table-of-contents entry): its text arguments, in order, joined by spaces
/// (`kbd(key="F5")` → `F5`). Loading cannot run templates, so this is the one
/// rule both the loader and the renderer apply.
pub fn call_text(call: &ShortcodeCall) -> String {
    fn push(value: &ArgValue, words: &mut Vec<String>) {
        match value {
            ArgValue::Str(text) => words.push(text.clone()),
            ArgValue::Array(items) => items.iter().for_each(|item| push(item, words)),
            ArgValue::Int(_) | ArgValue::Float(_) | ArgValue::Bool(_) => {}
        }
    }
    let mut words = Vec::new();
    for (_, value) in &call.args {
        push(value, &mut words);
    }
    words.join(" ")
}

/// A malformed call, at a byte offset of the file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortcodeError {
    pub offset: usize,
    pub message: String,
    pub help: Option<String>,
}

/// The shortcode tags of a page, as [`find_tags`] reads them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tags {
    /// The top-level calls, each with its nested calls.
    pub calls: Vec<ShortcodeCall>,
    /// Escaped tags at the top level (outside any body), in order.
    pub escapes: Vec<Range<usize>>,
    pub errors: Vec<ShortcodeError>,
}

/// Finds the calls in `text[start..]`, skipping the `protected` ranges (sorted).
/// Escaped tags are skipped too; [`find_tags`] returns them as well.
pub fn find(
    text: &str,
    start: usize,
    protected: &[Range<usize>],
) -> (Vec<ShortcodeCall>, Vec<ShortcodeError>) {
    let tags = find_tags(text, start, protected);
    (tags.calls, tags.errors)
}

/// Finds the calls and the escaped tags in `text[start..]`, skipping the
/// `protected` ranges (sorted).
pub fn find_tags(text: &str, start: usize, protected: &[Range<usize>]) -> Tags {
    let mut scanner = Scanner {
        text,
        top: Vec::new(),
        top_escapes: Vec::new(),
        open: Vec::new(),
        errors: Vec::new(),
        too_deep: 0,
    };
    let mut pos = start;
    while let Some(found) = text[pos..].find('{') {
        let at = pos + found;
        if let Some(skip_to) = protected.iter().find(|r| r.contains(&at)).map(|r| r.end) {
            pos = skip_to.max(at + 1);
            continue;
        }
        if let Some(end) = escape_end(text, at).filter(|&end| !overlaps(protected, at..end)) {
            scanner.escape(at..end);
            pos = end;
            continue;
        }
        pos = match text.as_bytes().get(at + 1) {
            Some(b'{') => scanner.inline_call(at).unwrap_or(at + 2),
            Some(b'%') => scanner.body_tag(at).unwrap_or(at + 2),
            _ => at + 1,
        };
    }
    scanner.finish()
}

/// Where the escaped tag opening at `at` ends: `{{/*` … `*/}}` or `{%/*` …
/// `*/%}`, closed on the same line (a tag stays on one line).
pub fn escape_end(text: &str, at: usize) -> Option<usize> {
    let rest = text.get(at..)?;
    let close = if rest.starts_with("{{/*") {
        "*/}}"
    } else if rest.starts_with("{%/*") {
        "*/%}"
    } else {
        return None;
    };
    let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
    line[4..].find(close).map(|i| at + 4 + i + close.len())
}

/// The tag an escaped tag stands for: `{{/* kbd(key="A") */}}` → `{{
/// kbd(key="A") }}`, `{%/* end */%}` → `{% end %}`. Anything else is returned
/// as it is.
pub fn unescape(tag: &str) -> String {
    let inner = tag.get(4..tag.len().saturating_sub(4)).unwrap_or_default();
    if tag.starts_with("{{/*") && tag.ends_with("*/}}") {
        format!("{{{{{inner}}}}}")
    } else if tag.starts_with("{%/*") && tag.ends_with("*/%}") {
        format!("{{%{inner}%}}")
    } else {
        tag.to_string()
    }
}

/// The opening tag of `call` in the escaped form, for a help line saying how to
/// show the call as text: `{{ parent() }}` → `{{/* parent() */}}`.
pub fn escaped_form(text: &str, call: &ShortcodeCall) -> String {
    let tag_end = call.body.as_ref().map_or(call.range.end, |body| body.start);
    let tag = text.get(call.range.start..tag_end).unwrap_or_default();
    let inner = tag.get(2..tag.len().saturating_sub(2)).unwrap_or_default();
    if call.body.is_some() {
        format!("{{%/*{inner}*/%}}")
    } else {
        format!("{{{{/*{inner}*/}}}}")
    }
}

fn overlaps(protected: &[Range<usize>], range: Range<usize>) -> bool {
    protected
        .iter()
        .any(|p| p.start < range.end && range.start < p.end)
}

struct OpenCall {
    call: ShortcodeCall,
    tag_end: usize,
}

struct Scanner<'a> {
    text: &'a str,
    top: Vec<ShortcodeCall>,
    top_escapes: Vec<Range<usize>>,
    open: Vec<OpenCall>,
    errors: Vec<ShortcodeError>,
    /// Calls opened past [`MAX_NESTING`] and not yet closed.
    too_deep: usize,
}

impl Scanner<'_> {
    /// An escaped tag belongs to the body it is written in.
    fn escape(&mut self, range: Range<usize>) {
        match self.open.last_mut() {
            Some(parent) => parent.call.escapes.push(range),
            None => self.top_escapes.push(range),
        }
    }

    /// `{{ name(args) }}` at `at`; returns where scanning goes on, or `None`
    /// when this is not a call at all.
    fn inline_call(&mut self, at: usize) -> Option<usize> {
        let mut cursor = Cursor::new(self.text, at + 2);
        let name = cursor.call_name()?;
        match cursor
            .args()
            .and_then(|args| cursor.close("}}").map(|()| args))
        {
            Ok(args) => {
                self.push(ShortcodeCall {
                    name,
                    args,
                    range: at..cursor.pos,
                    body: None,
                    children: Vec::new(),
                    escapes: Vec::new(),
                });
                Some(cursor.pos)
            }
            Err(error) => {
                self.errors.push(error);
                Some(cursor.pos.max(at + 2))
            }
        }
    }

    /// `{% name(args) %}` or `{% end %}` at `at`.
    fn body_tag(&mut self, at: usize) -> Option<usize> {
        let mut cursor = Cursor::new(self.text, at + 2);
        if cursor.end_tag() {
            return Some(self.close_body(at, cursor.pos));
        }
        let mut cursor = Cursor::new(self.text, at + 2);
        let name = cursor.call_name()?;
        match cursor
            .args()
            .and_then(|args| cursor.close("%}").map(|()| args))
        {
            Ok(_) if self.open.len() >= MAX_NESTING => {
                // Reported once; the `{% end %}` of each such call is skipped too.
                if self.too_deep == 0 {
                    self.errors.push(ShortcodeError {
                        offset: at,
                        message: format!("shortcodes are nested more than {MAX_NESTING} deep"),
                        help: Some("close the bodies you opened with `{% end %}`".to_string()),
                    });
                }
                self.too_deep += 1;
                Some(cursor.pos)
            }
            Ok(args) => {
                self.open.push(OpenCall {
                    call: ShortcodeCall {
                        name,
                        args,
                        range: at..at,
                        body: None,
                        children: Vec::new(),
                        escapes: Vec::new(),
                    },
                    tag_end: cursor.pos,
                });
                Some(cursor.pos)
            }
            Err(error) => {
                self.errors.push(error);
                Some(cursor.pos.max(at + 2))
            }
        }
    }

    fn close_body(&mut self, at: usize, end: usize) -> usize {
        if self.too_deep > 0 {
            self.too_deep -= 1;
            return end;
        }
        match self.open.pop() {
            Some(OpenCall { mut call, tag_end }) => {
                call.body = Some(tag_end..at);
                call.range = call.range.start..end;
                self.push(call);
            }
            None => self.errors.push(ShortcodeError {
                offset: at,
                message: "`{% end %}` without an opening shortcode".to_string(),
                help: Some(
                    "remove it, or open a body shortcode such as `{% callout() %}` before it"
                        .to_string(),
                ),
            }),
        }
        end
    }

    fn push(&mut self, call: ShortcodeCall) {
        match self.open.last_mut() {
            Some(parent) => parent.call.children.push(call),
            None => self.top.push(call),
        }
    }

    fn finish(mut self) -> Tags {
        for open in std::mem::take(&mut self.open) {
            self.errors.push(ShortcodeError {
                offset: open.call.range.start,
                message: format!("`{{% {}(...) %}}` has no `{{% end %}}`", open.call.name),
                help: Some("close the body with a line `{% end %}`".to_string()),
            });
        }
        self.errors.sort_by_key(|e| e.offset);
        Tags {
            calls: self.top,
            escapes: self.top_escapes,
            errors: self.errors,
        }
    }
}

/// A position in the text while reading one tag.
struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str, pos: usize) -> Self {
        Cursor { text, pos }
    }

    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    /// Skips spaces and tabs; a tag stays on one line.
    fn skip_spaces(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.pos += 1;
        }
    }

    fn error(&self, message: impl Into<String>) -> ShortcodeError {
        ShortcodeError {
            offset: self.pos,
            message: message.into(),
            help: None,
        }
    }

    fn ident(&mut self) -> Option<String> {
        let len = self
            .rest()
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        if len == 0 {
            return None;
        }
        let ident = self.rest()[..len].to_string();
        self.pos += len;
        Some(ident)
    }

    /// The name and the `(` after it, or `None` when this is not a call.
    fn call_name(&mut self) -> Option<String> {
        self.skip_spaces();
        let name = self.ident()?;
        if self.peek() != Some('(') {
            return None;
        }
        self.pos += 1;
        Some(name)
    }

    /// `end %}` after `{%`.
    fn end_tag(&mut self) -> bool {
        self.skip_spaces();
        if self.ident().as_deref() != Some("end") {
            return false;
        }
        self.skip_spaces();
        if self.rest().starts_with("%}") {
            self.pos += 2;
            true
        } else {
            false
        }
    }

    /// `key=value, …)`, the `(` already read.
    fn args(&mut self) -> Result<Vec<(String, ArgValue)>, ShortcodeError> {
        let mut args: Vec<(String, ArgValue)> = Vec::new();
        loop {
            self.skip_spaces();
            if self.peek() == Some(')') {
                self.pos += 1;
                return Ok(args);
            }
            let key_at = self.pos;
            let Some(key) = self.ident() else {
                return Err(self.unexpected("an argument name or `)`"));
            };
            self.skip_spaces();
            if self.peek() != Some('=') {
                return Err(self.unexpected(&format!("`=` after `{key}`")));
            }
            self.pos += 1;
            self.skip_spaces();
            let value = self.value(0)?;
            if args.iter().any(|(k, _)| *k == key) {
                return Err(ShortcodeError {
                    offset: key_at,
                    ..self.error(format!("argument `{key}` is given twice"))
                });
            }
            args.push((key, value));
            self.skip_spaces();
            match self.peek() {
                Some(',') => self.pos += 1,
                Some(')') => {}
                _ => return Err(self.unexpected("`,` or `)`")),
            }
        }
    }

    fn unexpected(&self, wanted: &str) -> ShortcodeError {
        let found = match self.peek() {
            None | Some('\n') => "the end of the line".to_string(),
            Some(c) => format!("`{c}`"),
        };
        ShortcodeError {
            offset: self.pos,
            message: format!("expected {wanted} in shortcode arguments, found {found}"),
            help: Some("arguments look like `key=\"text\", n=3, on=true, list=[\"a\", \"b\"]`, all on the tag's line".to_string()),
        }
    }

    /// A value inside `depth` open lists.
    fn value(&mut self, depth: usize) -> Result<ArgValue, ShortcodeError> {
        match self.peek() {
            Some(quote @ ('"' | '\'')) => self.string(quote).map(ArgValue::Str),
            Some('[') => self.list(depth + 1).map(ArgValue::Array),
            Some(c) if c == '-' || c.is_ascii_digit() => self.number(),
            Some(c) if c.is_ascii_alphabetic() => {
                let word_at = self.pos;
                match self.ident().as_deref() {
                    Some("true") => Ok(ArgValue::Bool(true)),
                    Some("false") => Ok(ArgValue::Bool(false)),
                    _ => Err(ShortcodeError {
                        offset: word_at,
                        message: "a bare word is not a value".to_string(),
                        help: Some("put text in quotes: key=\"text\"".to_string()),
                    }),
                }
            }
            _ => Err(self.unexpected("a value")),
        }
    }

    /// `[value, …]`, the list being the `depth`th one open.
    fn list(&mut self, depth: usize) -> Result<Vec<ArgValue>, ShortcodeError> {
        if depth > MAX_ARGUMENT_NESTING {
            return Err(ShortcodeError {
                offset: self.pos,
                message: format!(
                    "lists in shortcode arguments are nested more than {MAX_ARGUMENT_NESTING} deep"
                ),
                help: Some("a value is text, a number, true, false or a list of those".to_string()),
            });
        }
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_spaces();
            if self.peek() == Some(']') {
                self.pos += 1;
                return Ok(items);
            }
            items.push(self.value(depth)?);
            self.skip_spaces();
            match self.peek() {
                Some(',') => self.pos += 1,
                Some(']') => {}
                _ => return Err(self.unexpected("`,` or `]`")),
            }
        }
    }

    fn string(&mut self, quote: char) -> Result<String, ShortcodeError> {
        let start = self.pos;
        self.pos += 1;
        let mut value = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, 'n')) => value.push('\n'),
                    Some((_, escaped)) => value.push(escaped),
                    None => break,
                },
                '\n' => break,
                c if c == quote => {
                    self.pos += i + 1;
                    return Ok(value);
                }
                c => value.push(c),
            }
        }
        Err(ShortcodeError {
            offset: start,
            message: "unclosed string in shortcode arguments".to_string(),
            help: Some(format!("close it with {quote} on the same line")),
        })
    }

    fn number(&mut self) -> Result<ArgValue, ShortcodeError> {
        let len = self
            .rest()
            .char_indices()
            .take_while(|(i, c)| c.is_ascii_digit() || *c == '.' || (*i == 0 && *c == '-'))
            .count();
        let literal = &self.rest()[..len];
        let value = if literal.contains('.') {
            literal.parse().map(ArgValue::Float).ok()
        } else {
            literal.parse().map(ArgValue::Int).ok()
        };
        match value {
            Some(value) => {
                self.pos += len;
                Ok(value)
            }
            None => Err(self.error(format!("`{literal}` is not a number"))),
        }
    }

    /// Spaces, then `close` (`}}` or `%}`).
    fn close(&mut self, close: &str) -> Result<(), ShortcodeError> {
        self.skip_spaces();
        if self.rest().starts_with(close) {
            self.pos += close.len();
            Ok(())
        } else {
            Err(self.unexpected(&format!("`{close}`")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calls(text: &str) -> Vec<ShortcodeCall> {
        let (calls, errors) = find(text, 0, &[]);
        assert!(errors.is_empty(), "{errors:?}");
        calls
    }

    #[test]
    fn inline_call_with_every_kind_of_argument() {
        let text =
            r#"Press {{ kbd(keys=["Ctrl", 'S'], n=3, x=-1.5, on=true, q="say \"hi\"") }} now"#;
        let found = calls(text);
        assert_eq!(found.len(), 1);
        let call = &found[0];
        assert_eq!(call.name, "kbd");
        assert_eq!(&text[call.range.clone()], &text[6..text.len() - 4]);
        assert_eq!(
            call.args,
            vec![
                (
                    "keys".into(),
                    ArgValue::Array(vec![
                        ArgValue::Str("Ctrl".into()),
                        ArgValue::Str("S".into())
                    ])
                ),
                ("n".into(), ArgValue::Int(3)),
                ("x".into(), ArgValue::Float(-1.5)),
                ("on".into(), ArgValue::Bool(true)),
                ("q".into(), ArgValue::Str("say \"hi\"".into())),
            ]
        );
    }

    #[test]
    fn body_calls_nest() {
        let text = "{% callout(type=\"tip\") %}\nOuter {{ kbd(key=\"A\") }}\n{% callout() %}\ninner\n{% end %}\n{% end %}\n";
        let found = calls(text);
        assert_eq!(found.len(), 1);
        let outer = &found[0];
        assert_eq!(outer.range, 0..text.len() - 1);
        assert_eq!(outer.children.len(), 2);
        assert_eq!(outer.children[1].name, "callout");
        let body = outer.children[1].body.clone().unwrap();
        assert_eq!(&text[body], "\ninner\n");
    }

    #[test]
    fn text_that_only_looks_like_templates_is_left_alone() {
        for text in [
            "{{ user.name }} and {{Value1}} and {{< youtube id >}} and {% if x %}{% endif %}",
            "{{ }} {%%} {{(}} {%",
            "Jinja: {% for item in items %}",
        ] {
            let (found, errors) = find(text, 0, &[]);
            assert!(
                found.is_empty() && errors.is_empty(),
                "{text}: {found:?} {errors:?}"
            );
        }
    }

    #[test]
    fn escaped_tags_are_not_read_and_belong_to_their_body() {
        let text =
            "{{/* x(key=) */}} {% callout() %}\n{%/* end */%} {{/* {{ kbd() }} */}}\n{% end %}\n";
        let tags = find_tags(text, 0, &[]);
        assert!(tags.errors.is_empty(), "{:?}", tags.errors);
        assert_eq!(tags.escapes, [Range { start: 0, end: 17 }]);
        assert_eq!(tags.calls.len(), 1);
        let escapes: Vec<&str> = tags.calls[0]
            .escapes
            .iter()
            .map(|r| &text[r.clone()])
            .collect();
        assert_eq!(escapes, ["{%/* end */%}", "{{/* {{ kbd() }} */}}"]);
        assert!(tags.calls[0].children.is_empty());
    }

    #[test]
    fn unescaping_gives_the_tag_and_the_help_gives_the_escape() {
        assert_eq!(unescape("{{/* kbd(key=\"A\") */}}"), "{{ kbd(key=\"A\") }}");
        assert_eq!(unescape("{%/* end */%}"), "{% end %}");
        assert_eq!(unescape("{%/*x()*/%}"), "{%x()%}");
        let text = "{{ parent() }} {% box(a=1) %}\nx\n{% end %}";
        let found = calls(text);
        assert_eq!(escaped_form(text, &found[0]), "{{/* parent() */}}");
        assert_eq!(escaped_form(text, &found[1]), "{%/* box(a=1) */%}");
        // An escape must close on its line, and not inside code.
        assert_eq!(escape_end("{{/* a\n */}}", 0), None);
        let tags = find_tags("{{/* `a */}}` b", 0, &[Range { start: 5, end: 13 }]);
        assert!(tags.escapes.is_empty());
    }

    #[test]
    fn protected_ranges_are_skipped() {
        let text = "`{{ kbd(key=\"A\") }}` {{ kbd(key=\"B\") }}";
        let (found, _) = find(text, 0, &[Range { start: 0, end: 20 }]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].args[0].1, ArgValue::Str("B".into()));
    }

    #[test]
    fn errors_have_offsets() {
        let text = "a {{ x(key=) }}\n{% end %}\n{% box() %}\n";
        let (_, errors) = find(text, 0, &[]);
        let offsets: Vec<usize> = errors.iter().map(|e| e.offset).collect();
        assert_eq!(offsets, [11, 16, 26]);
        assert!(
            errors[0].message.contains("expected a value"),
            "{}",
            errors[0].message
        );
        assert!(errors[1].message.contains("without an opening"));
        assert!(errors[2].message.contains("has no `{% end %}`"));
    }

    #[test]
    fn unclosed_strings_and_bare_words() {
        let (_, errors) = find("{{ x(a=\"open) }}", 0, &[]);
        assert!(errors[0].message.contains("unclosed string"));
        let (_, errors) = find("{{ x(a=word) }}", 0, &[]);
        assert!(errors[0].message.contains("bare word"));
    }

    #[test]
    fn lists_nested_too_deep_are_an_error_at_the_first_list_too_deep() {
        let text = format!("{{{{ kbd(keys={}", "[".repeat(100_000));
        let (found, errors) = find(&text, 0, &[]);
        assert!(found.is_empty());
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(
            errors[0].offset,
            "{{ kbd(keys=".len() + MAX_ARGUMENT_NESTING
        );
        assert!(errors[0].message.contains("nested more than 32 deep"));
    }

    #[test]
    fn lists_nested_to_the_limit_are_read() {
        let depth = MAX_ARGUMENT_NESTING;
        let text = format!(
            "{{{{ kbd(keys={}1{}) }}}}",
            "[".repeat(depth),
            "]".repeat(depth)
        );
        assert_eq!(calls(&text).len(), 1);
    }
}
