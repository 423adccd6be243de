//! Help-center lint rules, run on the loaded content before the site model.
//!
//! Real help centers run such rules in CI with separate tools; here they come
//! with the build. Each rule has a code `lint/<rule>`, is a warning unless
//! `kbgen.yaml` says otherwise (`lint: { title-length: 60, file-name: off }`),
//! and points at the line it is about.

use crate::config::{Config, LintLevel, LintRule};
use crate::content::title::TitleSource;
use crate::content::{naming, Content, SourceArticle};
use crate::diagnostics::Diagnostic;

/// Every lint finding for the articles of `content`.
pub fn check(config: &Config, content: &Content) -> Vec<Diagnostic> {
    let has_categories = config.taxonomies.contains_key("category");
    content
        .articles
        .iter()
        .flat_map(|article| check_article(config, article, has_categories))
        .collect()
}

/// The lint findings of `kbgen.yaml` itself: a language of a multilingual
/// site without its own `description:` shows the default language's on its
/// home page and in its feed (`lint/missing-description`, at the entry's
/// `code:`).
pub fn check_config(config: &Config) -> Vec<Diagnostic> {
    let rule = config.lint.missing_description;
    if !config.is_multilingual() || rule.level == LintLevel::Off {
        return Vec::new();
    }
    let mut found = Vec::new();
    for (index, language) in config.languages.iter().enumerate() {
        // The default language's description is the site's.
        if language.description.is_some() || language.code == config.language {
            continue;
        }
        let message = match &config.description {
            Some(_) => format!("the language `{}` has no `description`: its home page shows the site's description, in the default language", language.code),
            None => format!("the language `{}` has no `description` for its home page", language.code),
        };
        let diagnostic = match rule.level {
            LintLevel::Error => Diagnostic::error(
                lint_code("missing-description"),
                crate::config::CONFIG_FILE,
                message,
            ),
            _ => Diagnostic::warning(
                lint_code("missing-description"),
                crate::config::CONFIG_FILE,
                message,
            ),
        };
        let diagnostic = match config.language_entry_place(index) {
            Some((line, column)) => diagnostic.at(line, column),
            None => diagnostic,
        };
        found.push(diagnostic.with_help("add `description:` to the entry, in its language (the `missing-description` lint rule in kbgen.yaml turns this off)"));
    }
    found
}

/// The lint findings of one article, as [`check`] would report them.
pub fn check_one(config: &Config, article: &SourceArticle) -> Vec<Diagnostic> {
    check_article(config, article, config.taxonomies.contains_key("category"))
}

fn check_article(
    config: &Config,
    article: &SourceArticle,
    has_categories: bool,
) -> Vec<Diagnostic> {
    if article.front.invalid {
        // Its values are defaults: findings about them would be noise beside
        // the front-matter error.
        return Vec::new();
    }
    let rules = &config.lint;
    let mut found = Findings {
        article,
        diagnostics: Vec::new(),
    };
    let front = &article.front;
    let title_line = key_offset(article, "title");

    check_missing_title(&mut found, rules.missing_title);
    if let Some(limit) = rules.title_length.limit {
        let length = front.title.chars().count();
        if length > limit {
            found.add(
                rules.title_length,
                "title-length",
                title_line,
                format!("the title is {length} characters long (limit {limit})"),
                "a short title reads better in results and tabs; move detail to `description`",
            );
        }
    }
    if front.description.is_none() {
        found.add(
            rules.missing_description,
            "missing-description",
            title_line,
            "the article has no `description`".to_string(),
            "one sentence saying what the article solves; it shows in lists and search results",
        );
    }
    // An article in a section folder is grouped by its section (its "More
    // in" list is the section's), so only one at the top of content/ with no
    // category belongs nowhere.
    let in_a_section = article.section != 0;
    if has_categories && !in_a_section && front.taxonomy.get("category").is_none_or(Vec::is_empty) {
        found.add(
            rules.missing_category,
            "missing-category",
            title_line,
            "the article is in no section folder and has no `category`".to_string(),
            "move it into a section folder, or add `taxonomy: { category: ... }`, so it is listed with its neighbours",
        );
    }
    found
        .diagnostics
        .extend(misplaced_taxonomy_keys(config, article));
    check_file_name(&mut found, rules.file_name);
    check_headings(&mut found, rules.heading_increment, rules.heading_length);
    for (offset, language) in crate::markdown::languages::unknown_languages(&article.source) {
        found.add(
            rules.code_language,
            "code-language",
            Some(offset),
            format!("no syntax reads code in `{language}`: it is shown as plain text"),
            "use a name GitHub knows (see the README's highlighting part), or `text`",
        );
    }
    for &offset in &article.source.scan.images_without_alt {
        found.add(rules.image_alt, "image-alt", Some(offset), "the image has no alt text".to_string(), "describe the image in the brackets: ![Policies page with OAuth switched on](img/x.png)");
    }
    found.diagnostics
}

/// Findings for one article.
struct Findings<'a> {
    article: &'a SourceArticle,
    diagnostics: Vec<Diagnostic>,
}

impl Findings<'_> {
    fn add(
        &mut self,
        rule: LintRule,
        name: &'static str,
        offset: Option<usize>,
        message: String,
        help: &str,
    ) {
        let diagnostic = match rule.level {
            LintLevel::Off => return,
            LintLevel::Warn => {
                Diagnostic::warning(lint_code(name), &self.article.source.path, message)
            }
            LintLevel::Error => {
                Diagnostic::error(lint_code(name), &self.article.source.path, message)
            }
        };
        let diagnostic = match offset {
            // A place in a snippet the article includes is reported there.
            Some(offset) => self.article.source.place(diagnostic, offset),
            None => diagnostic.at(1, 1),
        };
        self.diagnostics.push(diagnostic.with_help(help));
    }
}

/// A top-level `category:`, `categories:`, `tag:` or `tags:` (the form Jekyll
/// and Hugo use) is kept as `extra` and groups nothing: a warning at its line
/// saying where it belongs. Any configured taxonomy and its plural count.
fn misplaced_taxonomy_keys(config: &Config, article: &SourceArticle) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for key in article.front.extra.keys() {
        let singular = match key.strip_suffix("ies") {
            Some(stem) => format!("{stem}y"),
            None => key.strip_suffix('s').unwrap_or(key).to_string(),
        };
        let Some(name) = [key.as_str(), singular.as_str()]
            .into_iter()
            .find(|name| config.taxonomies.contains_key(*name))
        else {
            continue;
        };
        let diagnostic = Diagnostic::warning(
            "front-matter",
            &article.source.path,
            format!("`{key}:` at the top level is not read as a taxonomy, so it groups nothing"),
        )
        .with_help(format!(
            "move it under `taxonomy:` as `{name}:`, e.g.\ntaxonomy:\n  {name}: [...]"
        ));
        found.push(match key_offset(article, key) {
            Some(offset) => diagnostic.at_offset(&article.source.text, offset),
            None => diagnostic.at(1, 1),
        });
    }
    found
}

/// The stable code of a rule (codes are `&'static str` everywhere).
fn lint_code(name: &'static str) -> &'static str {
    match name {
        "title-length" => "lint/title-length",
        "missing-description" => "lint/missing-description",
        "missing-category" => "lint/missing-category",
        "file-name" => "lint/file-name",
        "heading-increment" => "lint/heading-increment",
        "heading-length" => "lint/heading-length",
        "image-alt" => "lint/image-alt",
        "code-language" => "lint/code-language",
        "missing-title" => "lint/missing-title",
        _ => "lint",
    }
}

fn key_offset(article: &SourceArticle, key: &str) -> Option<usize> {
    crate::content::front_matter::key_offset(&article.source.text, article.source.body_start, key)
}

/// An article without `title` was titled by its first heading or its file
/// name (see [`crate::content::title`]): reported at the top of the file,
/// where the front matter is or goes.
fn check_missing_title(found: &mut Findings<'_>, rule: LintRule) {
    let front = &found.article.front;
    let from = match front.title_from {
        TitleSource::FrontMatter => return,
        TitleSource::Heading => "its first heading",
        TitleSource::FileName => "its file name",
    };
    let message = format!(
        "the article sets no `title`; it is titled \"{}\" from {from}",
        front.title
    );
    let title = yaml_text(&front.title);
    let help = if found.article.source.text.starts_with("---") {
        format!("add `title: {title}` to the front matter")
    } else {
        format!("start the file with front matter that sets it:\n---\ntitle: {title}\n---")
    };
    found.add(rule, "missing-title", None, message, &help);
}

/// `text` as a YAML value: as it is when YAML reads it as that text, else in
/// double quotes (`Error: denied` → `"Error: denied"`).
fn yaml_text(text: &str) -> String {
    let plain = !text.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c))
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':');
    if plain {
        text.to_string()
    } else {
        format!("{text:?}")
    }
}

/// The file (or bundle folder) should be named after the title's slug, so URLs
/// say what the page is; an explicit `slug` counts as intended. A
/// translation is named after its source article, not its own title (its
/// name must stay `x.de.md`), so the rule judges only the source's name; an
/// `x.en.md` in the default language is judged as `x.md`.
fn check_file_name(found: &mut Findings<'_>, rule: LintRule) {
    let article = found.article;
    if article.front.slug.is_some() || article.language.is_some() {
        return;
    }
    let expected = naming::slugify(&article.front.title);
    if article.slug != expected {
        let message = format!(
            "the file name gives the URL slug `{}`, but the title's slug is `{expected}`",
            article.slug
        );
        let help = format!("rename the file to `{expected}.md`, or set `slug:` to keep the URL");
        found.add(
            rule,
            "file-name",
            key_offset(article, "title"),
            message,
            &help,
        );
    }
}

fn check_headings(found: &mut Findings<'_>, increment: LintRule, length: LintRule) {
    let headings = &found.article.source.scan.headings;
    for pair in headings.windows(2) {
        let (before, heading) = (&pair[0], &pair[1]);
        if heading.level > before.level + 1 {
            let message = format!(
                "heading level jumps from h{} to h{}",
                before.level, heading.level
            );
            let help = format!(
                "use h{} here, so the outline (and screen readers) follow",
                before.level + 1
            );
            found.add(
                increment,
                "heading-increment",
                Some(heading.offset),
                message,
                &help,
            );
        }
    }
    if let Some(limit) = length.limit {
        for heading in headings {
            let chars = heading.text.chars().count();
            if chars > limit {
                let message = format!("the heading is {chars} characters long (limit {limit})");
                found.add(
                    length,
                    "heading-length",
                    Some(heading.offset),
                    message,
                    "keep headings short: they become the table of contents",
                );
            }
        }
    }
}
