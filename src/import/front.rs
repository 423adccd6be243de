//! One page converted: its front-matter block found and read (YAML `---`,
//! TOML `+++`, JSON `{`) into one JSON map, mapped onto kbgen's fields (see
//! [`super::fields`]), a title found when the page has none (its first `#
//! H1`, else its file name), then its body converted; and the page written
//! back as kbgen reads it, front matter in YAML.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::{Map, Value};

use super::body::{self, Context};
use super::fields::Fields;
use super::plan::PlannedPage;
use super::Tool;
use crate::diagnostics::Diagnostic;

/// kbgen's front-matter fields, as the import writes them.
#[derive(Debug, Clone, Default)]
pub struct FrontOut {
    pub title: Option<String>,
    pub description: Option<String>,
    pub slug: Option<String>,
    pub date: Option<String>,
    pub updated: Option<String>,
    pub weight: Option<i64>,
    pub draft: bool,
    pub aliases: Vec<String>,
    pub taxonomy: BTreeMap<String, Vec<String>>,
    pub extra: Map<String, Value>,
}

/// A converted page, before its aliases are settled.
#[derive(Debug, Clone, Default)]
pub struct ConvertedPage {
    pub target: String,
    pub section: bool,
    pub front: FrontOut,
    pub body: String,
    pub findings: Vec<Diagnostic>,
    /// A redirect-only page: where it sends readers.
    pub redirect: Option<String>,
    pub redirect_line: usize,
    /// URLs the source served the page at (aliases wanted).
    pub old_urls: Vec<String>,
    /// The source file, as findings name it.
    pub shown: PathBuf,
    /// A page the source never renders (a headless bundle): not written.
    pub left_out: bool,
    /// A section whose pages the source never renders (Hugo's `cascade:
    /// {_build: {render: never}}`): every page below it is left out too.
    pub leaves_out_below: bool,
    /// A translation: its BCP 47 code, and the target of its source page.
    pub language: Option<String>,
    pub translates: Option<String>,
}

impl ConvertedPage {
    /// A page whose file could not be read: an article that says so.
    pub fn unreadable(page: &PlannedPage, finding: Diagnostic) -> ConvertedPage {
        let name = super::plan::file_name(&page.source);
        ConvertedPage {
            front: FrontOut {
                title: Some(page.title.clone().unwrap_or_else(|| name.to_string())),
                ..FrontOut::default()
            },
            body: format!("The import could not read `{}`.\n", page.source),
            shown: finding.path.clone(),
            findings: vec![finding],
            ..ConvertedPage::planned(page)
        }
    }

    /// A section page from a settings file: its title and weight.
    pub fn synthetic(page: &PlannedPage, shown: PathBuf) -> ConvertedPage {
        ConvertedPage {
            section: true,
            front: FrontOut {
                title: page.title.clone(),
                weight: page.weight,
                ..FrontOut::default()
            },
            shown,
            ..ConvertedPage::planned(page)
        }
    }

    /// What a page takes from its plan: target, old URLs, language.
    fn planned(page: &PlannedPage) -> ConvertedPage {
        ConvertedPage {
            target: page.target.clone(),
            section: page.section,
            old_urls: page
                .old_url
                .iter()
                .chain(&page.more_old_urls)
                .cloned()
                .collect(),
            language: page.language.clone(),
            translates: page.translates.clone(),
            ..ConvertedPage::default()
        }
    }

    /// The Markdown file kbgen reads.
    pub fn text(&self) -> String {
        let mut map = serde_yaml::Mapping::new();
        let mut put = |key: &str, value: serde_yaml::Value| {
            map.insert(serde_yaml::Value::String(key.to_string()), value);
        };
        let f = &self.front;
        let text = |s: &String| serde_yaml::Value::String(s.clone());
        if let Some(title) = &f.title {
            put("title", text(title));
        }
        if let Some(description) = &f.description {
            put("description", text(description));
        }
        if let Some(slug) = &f.slug {
            put("slug", text(slug));
        }
        if let Some(date) = &f.date {
            put("date", text(date));
        }
        if let Some(updated) = &f.updated {
            put("updated", text(updated));
        }
        if let Some(weight) = f.weight {
            put("weight", serde_yaml::Value::Number(weight.into()));
        }
        if f.draft {
            put("draft", serde_yaml::Value::Bool(true));
        }
        if !f.aliases.is_empty() {
            put("aliases", to_yaml(&f.aliases));
        }
        if !f.taxonomy.is_empty() {
            put("taxonomy", to_yaml(&f.taxonomy));
        }
        for (key, value) in &f.extra {
            put(&kept_key(key), to_yaml(value));
        }
        let yaml = serde_yaml::to_string(&map).unwrap_or_default();
        let yaml = if map_is_empty(&yaml) { "" } else { &yaml };
        format!("---\n{yaml}---\n{}", self.body)
    }
}

/// The key an unknown field is written under. kbgen hands every key it does
/// not know to templates as `page.extra.KEY`, so the key stays as it is;
/// one that kbgen knows with another meaning (Grav's `template`), or that
/// kbgen would take for a typo of one, is written as `source_KEY`.
fn kept_key(key: &str) -> String {
    // Hugo, Jekyll and Docusaurus pages give `keywords` the meaning kbgen
    // does (words to find the page by): it is kept as it is.
    if key == "keywords" {
        return key.to_string();
    }
    let clashes = crate::content::front_matter::KNOWN_KEYS
        .iter()
        .any(|known| {
            let distance = strsim::damerau_levenshtein(known, key);
            distance <= 2 && distance < known.len() / 2 + 1
        });
    if clashes {
        format!("source_{key}")
    } else {
        key.to_string()
    }
}

fn map_is_empty(yaml: &str) -> bool {
    yaml.trim() == "{}"
}

fn to_yaml<T: serde::Serialize>(value: &T) -> serde_yaml::Value {
    serde_yaml::to_value(value).unwrap_or(serde_yaml::Value::Null)
}

/// A page whose front matter is converted and whose body is not yet: the
/// body is converted once every page's old URLs and headings are known.
#[derive(Debug)]
pub struct FrontConverted {
    pub page: ConvertedPage,
    /// The body (its `# H1` blanked out when it became the title), the
    /// source line it starts on, and whether the source runs its template
    /// syntax; `None` for a page with no Markdown to convert.
    pub body: Option<(String, usize, bool)>,
}

impl FrontConverted {
    /// A page that needs no body conversion (unreadable, or synthetic).
    pub fn done(page: ConvertedPage) -> FrontConverted {
        FrontConverted { page, body: None }
    }
}

/// Converts one page's body, now that `context.index` knows every page.
pub fn convert_body(front: FrontConverted, context: &Context<'_>) -> ConvertedPage {
    let mut page = front.page;
    let Some((body_text, first_line, templates)) = front.body else {
        return page;
    };
    let context = &Context {
        templates,
        ..*context
    };
    let (body, body_findings) = body::convert(&body_text, first_line, context);
    // After a front-matter block that did not parse, kept as code.
    page.body.push_str(&body);
    page.findings.extend(body_findings);
    page
}

/// Converts one page's front matter, and finds its title.
pub fn convert_front(text: &str, context: &Context<'_>) -> FrontConverted {
    let page = context.page;
    let mut findings = Vec::new();
    let (raw, body_start, unread_block) = read_block(text, context, &mut findings);
    let front_text = &text[..body_start];
    let mut out = ConvertedPage {
        shown: context.shown.to_path_buf(),
        body: unread_block.unwrap_or_default(),
        ..ConvertedPage::planned(page)
    };
    let context = &Context {
        templates: templates_processed(&raw, context),
        ..*context
    };
    let mut fields = Fields {
        raw,
        front_text,
        context,
        findings: &mut findings,
    };
    fields.map_into(&mut out);
    let first_line = text[..body_start].matches('\n').count() + 1;
    let mut body_text = text[body_start..].to_string();
    if out.front.title.is_none() {
        if let Some(title) = take_h1(&mut body_text) {
            out.front.title = Some(title);
        }
    }
    if out.front.title.is_none() {
        out.front.title = page.title.clone();
    }
    if out.front.title.is_none() && !page.section {
        let (stem, _) = super::plan::split_language(super::plan::file_name(&page.source));
        // A Grav page file is named after its template (`docs.md`): the
        // folder names the page.
        let folder_names_it = context.tool == Tool::Grav;
        let name = match stem.as_str() {
            _ if folder_names_it => {
                super::plan::file_name(super::plan::parent(&page.source)).to_string()
            }
            "index" | "_index" | "README" | "readme" => {
                super::plan::file_name(super::plan::parent(&page.source)).to_string()
            }
            _ => stem,
        };
        let name = crate::content::naming::split_order_prefix(&name)
            .1
            .to_string();
        out.front.title = Some(crate::content::naming::title_from_name(&name));
    }
    if out.front.slug.is_none() {
        out.front.slug = page.slug.clone();
    }
    if let Some(variant) = &page.variant {
        out.front.draft = true;
        findings.push(
            Diagnostic::warning(
                "import/translation",
                context.shown,
                format!(
                    "a second page file for this folder (`{variant}` variant): kept as {}, a draft",
                    page.target
                ),
            )
            .at(1, 1),
        );
    }
    out.findings = findings;
    FrontConverted {
        page: out,
        body: Some((body_text, first_line, context.templates)),
    }
}

/// The front-matter block as JSON, where the body starts, and a block that
/// does not parse as the code block that keeps it at the top of the article
/// (and a finding).
fn read_block(
    text: &str,
    context: &Context<'_>,
    findings: &mut Vec<Diagnostic>,
) -> (Map<String, Value>, usize, Option<String>) {
    let Some((format, inner, end)) = find_block(text) else {
        return (Map::new(), 0, None);
    };
    let parsed: Result<Value, String> = match format {
        "yaml" => read_yaml(inner),
        "toml" => toml::from_str::<toml::Table>(inner)
            .map(|t| toml_to_json(toml::Value::Table(t)))
            .map_err(|e| e.to_string()),
        _ => serde_json::from_str::<Value>(inner).map_err(|e| e.to_string()),
    };
    match parsed {
        Ok(Value::Object(map)) => (map, end, None),
        Ok(Value::Null) => (Map::new(), end, None),
        Ok(_) | Err(_) => {
            let message = match parsed {
                Err(e) => e.lines().next().unwrap_or("").to_string(),
                Ok(_) => "not a map of keys to values".to_string(),
            };
            findings.push(
                Diagnostic::warning(
                    "import/front-matter",
                    context.shown,
                    format!("the {format} front matter does not parse ({message}); kept as a code block at the top of the article"),
                )
                .at(1, 1),
            );
            (Map::new(), end, Some(code_block(format, &text[..end])))
        }
    }
}

/// A page's front matter as JSON, when it has one that parses.
pub(super) fn read_front_matter(text: &str) -> Option<Map<String, Value>> {
    let text = crate::diagnostics::normalize_line_ends(text);
    let (format, inner, _) = find_block(&text)?;
    let parsed = match format {
        "yaml" => read_yaml(inner).ok()?,
        "toml" => toml_to_json(toml::Value::Table(
            toml::from_str::<toml::Table>(inner).ok()?,
        )),
        _ => serde_json::from_str::<Value>(inner).ok()?,
    };
    match parsed {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

/// YAML front matter; one indented with tabs, which YAML forbids and Grav
/// reads anyway, is read with each leading tab as four spaces.
fn read_yaml(inner: &str) -> Result<Value, String> {
    let first = serde_yaml::from_str::<Value>(inner).map_err(|e| e.to_string());
    if first.is_ok() || !inner.contains('\t') {
        return first;
    }
    let untabbed: String = inner
        .split_inclusive('\n')
        .map(|line| {
            let tabs = line.len() - line.trim_start_matches('\t').len();
            format!("{}{}", "    ".repeat(tabs), &line[tabs..])
        })
        .collect();
    serde_yaml::from_str::<Value>(&untabbed).map_err(|_| first.err().unwrap_or_default())
}

/// `text` as a fenced code block of `language`.
fn code_block(language: &str, text: &str) -> String {
    let longest = text
        .lines()
        .map(|l| l.trim_start().chars().take_while(|c| *c == '`').count())
        .max()
        .unwrap_or(0);
    let ticks = "`".repeat(longest.max(2) + 1);
    let end = if text.ends_with('\n') { "" } else { "\n" };
    format!("{ticks}{language}\n{text}{end}{ticks}\n\n")
}

/// Whether the source tool runs the template syntax of this page: Grav's
/// `process: {twig: …}`, Jekyll's `render_with_liquid`, else the site's way.
fn templates_processed(raw: &Map<String, Value>, context: &Context<'_>) -> bool {
    let written = match context.tool {
        Tool::Grav => raw.get("process").and_then(|p| p.get("twig")),
        Tool::Jekyll => raw.get("render_with_liquid"),
        _ => None,
    };
    match written {
        Some(Value::Bool(processed)) => *processed,
        Some(Value::String(s)) => s == "true",
        _ => context.templates,
    }
}

/// (format, the text between the fences, offset after the closing fence).
pub(super) fn find_block(text: &str) -> Option<(&'static str, &str, usize)> {
    let first_end = text.find('\n')?;
    let first = text[..first_end].trim_end();
    let (format, closers): (&str, &[&str]) = match first {
        "---" => ("yaml", &["---", "..."]),
        "+++" => ("toml", &["+++"]),
        "{" => ("json", &["}"]),
        _ => return None,
    };
    let mut offset = first_end + 1;
    while offset <= text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let line = text[offset..end].trim_end();
        if closers.contains(&line) {
            let after = (end + 1).min(text.len());
            let inner = if format == "json" {
                &text[..end]
            } else {
                &text[first_end + 1..offset]
            };
            return Some((format, inner, after));
        }
        if end >= text.len() {
            break;
        }
        offset = end + 1;
    }
    None
}

fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(
            table
                .into_iter()
                .map(|(k, v)| (k, toml_to_json(v)))
                .collect(),
        ),
    }
}

/// A leading `# Title` (or a setext title) of `body`: returned and blanked
/// out, so the body keeps its line numbers.
fn take_h1(body: &mut String) -> Option<String> {
    let mut offset = 0;
    let lines: Vec<&str> = body.split_inclusive('\n').collect();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            offset += line.len();
            continue;
        }
        let title = if let Some(rest) = trimmed.strip_prefix("# ") {
            let rest = rest.trim().trim_end_matches('#').trim();
            let rest = match rest.rfind(" {#") {
                Some(at) if rest.ends_with('}') => rest[..at].trim(),
                _ => rest,
            };
            (rest.to_string(), line.len())
        } else if lines.get(i + 1).is_some_and(|next| {
            let next = next.trim();
            !next.is_empty() && next.chars().all(|c| c == '=')
        }) {
            (trimmed.to_string(), line.len() + lines[i + 1].len())
        } else {
            return None;
        };
        if title.0.is_empty() {
            return None;
        }
        let blank: String = body[offset..offset + title.1]
            .chars()
            .filter(|c| *c == '\n')
            .collect();
        body.replace_range(offset..offset + title.1, &blank);
        return Some(title.0);
    }
    None
}
