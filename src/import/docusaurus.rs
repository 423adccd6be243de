//! Docusaurus: the `docs/` folder (or `website/docs/`), served under `/docs/`,
//! so pages go to `content/docs/` and keep their URLs. Number prefixes
//! (`01-intro.md`) become kbgen's `01.intro.md`; `_category_.json` gives a
//! folder's title and position, and a generated index's URL
//! (`/docs/category/<label>`) is kept as the section's alias; `index.md`,
//! `README.md` and a page named as its folder are the folder's intro;
//! `_`-prefixed files are partials, not pages; `static/` is copied.
//! Translations are the pages of
//! `i18n/<locale>/docusaurus-plugin-content-docs/current/`, in the locales
//! of the configuration's `i18n`.

use std::path::Path;

use serde_json::Value;

use super::hugo::{copy_folder, not_a_site, read_config};
use super::plan::{self, Plan, PlannedPage};
use super::translations::PlannedLanguage;
use super::tree::{self, Tree};
use crate::diagnostics::Diagnostic;

/// Lays out a Docusaurus site.
pub fn plan(root: &Path) -> Result<Plan, Diagnostic> {
    let site = if root.join("docs").is_dir() {
        String::new()
    } else if root.join("website/docs").is_dir() {
        "website".to_string()
    } else {
        return Err(not_a_site(root, "Docusaurus", "docs/"));
    };
    let docs = plan::join(&site, "docs");
    let mut plan = Plan {
        title: site_title(&root.join(&site)),
        content_root: docs.clone(),
        ..Plan::default()
    };
    let layout = docs_tree(root, &docs, None);
    tree::plan_tree(&layout, &mut plan);
    let config = config_text(&root.join(&site));
    if let Some(config) = &config {
        i18n_settings(config, &mut plan);
    }
    translations(root, &site, &mut plan);
    plan.copies.retain(|c| !is_category_file(&c.source));
    categories(root, &docs, &mut plan);
    copy_folder(root, &plan::join(&site, "static"), "static", &mut plan);
    Ok(plan)
}

fn is_category_file(path: &str) -> bool {
    let name = plan::file_name(path);
    name == "_category_.json" || name == "_category_.yml" || name == "_category_.yaml"
}

/// `_category_.json`: the label and position of a folder, on its intro page,
/// or on a section page made for it.
fn categories(root: &Path, docs: &str, plan: &mut Plan) {
    let files = plan::files_under(root, docs, &mut plan.findings);
    for file in files.iter().filter(|f| is_category_file(f)) {
        let Some(settings) = read_config(&root.join(file)) else {
            plan.findings.push(
                Diagnostic::warning(
                    "import/front-matter",
                    root.join(file),
                    "the category file does not parse; its label and position are not used",
                )
                .at(1, 1),
            );
            continue;
        };
        let label = settings
            .get("label")
            .and_then(Value::as_str)
            .map(str::to_string);
        let position = settings
            .get("position")
            .and_then(Value::as_f64)
            .map(|p| p.round() as i64);
        let folder = plan::parent(file);
        let relative = folder
            .strip_prefix(docs)
            .unwrap_or(folder)
            .trim_start_matches('/');
        let renamed: Vec<String> = relative
            .split('/')
            .filter(|s| !s.is_empty())
            .map(number_prefix_to_order)
            .collect();
        let target = plan::join("docs", &plan::join(&renamed.join("/"), "_index.md"));
        let folder_name = plan::file_name(relative);
        let generated_index = generated_index_url(&settings, label.as_deref(), folder_name);
        match plan.pages.iter_mut().find(|p| p.target == target) {
            Some(page) => {
                page.title = page.title.take().or(label);
                page.weight = page.weight.or(position);
            }
            None => plan.pages.push(PlannedPage {
                source: file.clone(),
                target,
                section: true,
                title: label,
                weight: position,
                synthetic: true,
                old_url: generated_index,
                ..PlannedPage::default()
            }),
        }
    }
}

/// The URL Docusaurus gives a category's generated index page: its
/// `link.slug`, else `/category/<label in kebab case>`, under `/docs`.
fn generated_index_url(settings: &Value, label: Option<&str>, folder: &str) -> Option<String> {
    let link = settings.get("link")?;
    if link.get("type").and_then(Value::as_str) != Some("generated-index") {
        return None;
    }
    let slug = match link.get("slug").and_then(Value::as_str) {
        Some(slug) => slug.trim_matches('/').to_string(),
        None => format!(
            "category/{}",
            crate::content::naming::slugify(label.unwrap_or(folder))
        ),
    };
    Some(format!("/docs/{slug}/"))
}

/// `01-intro` → `01.intro`, as kbgen reads order prefixes.
fn number_prefix_to_order(name: &str) -> String {
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &name[digits..];
    let stripped = strip_number_prefix(name);
    if digits > 0 && stripped.len() < rest.len() {
        format!("{}.{stripped}", &name[..digits])
    } else {
        name.to_string()
    }
}

/// `01-intro` → `intro`: Docusaurus drops number prefixes from URLs.
fn strip_number_prefix(name: &str) -> &str {
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    let rest = name[digits..].trim_start_matches([' ', '-', '_', '.']);
    if digits > 0 && rest.len() < name.len() - digits && !rest.is_empty() {
        rest
    } else {
        name
    }
}

/// `i18n/<locale>/docusaurus-plugin-content-docs/current/` mirrors `docs/`:
/// each of its pages translates the page at the same path. Other Markdown
/// under `i18n/` (translated blog posts, pages, older versions) is not
/// imported, as their default-language files are not: each is a finding.
fn translations(root: &Path, site: &str, plan: &mut Plan) {
    let i18n = plan::join(site, "i18n");
    let Ok(entries) = std::fs::read_dir(root.join(&i18n)) else {
        return;
    };
    let mut locales: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.'))
        .collect();
    locales.sort();
    for locale in &locales {
        let docs = plan::join(
            &i18n,
            &format!("{locale}/docusaurus-plugin-content-docs/current"),
        );
        let copies = plan.copies.len();
        let layout = docs_tree(root, &docs, Some(locale));
        if root.join(&docs).is_dir() {
            tree::plan_tree(&layout, plan);
            let default_docs = plan.content_root.clone();
            plan.translation_roots.push((docs.clone(), default_docs));
        }
        // Images of a translation go beside it, unless the default
        // language's file of that name is there already.
        let taken: std::collections::HashSet<String> = plan.copies[..copies]
            .iter()
            .map(|c| c.target.clone())
            .collect();
        let mut index = 0;
        plan.copies.retain(|c| {
            index += 1;
            index <= copies || !taken.contains(&c.target)
        });
        let others = plan::files_under(root, &plan::join(&i18n, locale), &mut plan.findings);
        for file in others
            .iter()
            .filter(|f| plan::is_markdown(f) && !f.starts_with(&format!("{docs}/")))
        {
            plan.left_out += 1;
            plan.findings.push(
                Diagnostic::warning(
                    "import/translation",
                    root.join(file),
                    "a translated page outside the current docs (a blog post, a page or an older version), which the import does not bring over: not imported",
                )
                .at(1, 1),
            );
        }
    }
}

/// The `i18n` settings of the site configuration: `defaultLocale`,
/// `locales`, and each locale's `label` under `localeConfigs`.
fn i18n_settings(config: &str, plan: &mut Plan) {
    let Some(i18n) = js_object(config, "i18n") else {
        return;
    };
    plan.default_language = js_string(i18n, "defaultLocale");
    let configs = js_object(i18n, "localeConfigs");
    for locale in js_strings(i18n, "locales") {
        let own = configs.and_then(|c| js_object(c, &locale));
        plan.languages.push(PlannedLanguage {
            name: own.and_then(|o| js_string(o, "label")),
            code: locale,
            ..PlannedLanguage::default()
        });
    }
}

/// The text of `docusaurus.config.js` (or `.ts`, `.mjs`).
fn config_text(site: &Path) -> Option<String> {
    [
        "docusaurus.config.js",
        "docusaurus.config.ts",
        "docusaurus.config.mjs",
    ]
    .iter()
    .find_map(|name| std::fs::read_to_string(site.join(name)).ok())
}

/// Where the value of `key` starts in JavaScript object text (`key:`,
/// `'key':` or `"key":`), past the colon and spaces.
fn js_value_start(text: &str, key: &str) -> Option<usize> {
    let pattern = format!(r#"(?:^|[\s,{{])['"]?{}['"]?\s*:\s*"#, regex::escape(key));
    let found = regex::Regex::new(&pattern).ok()?.find(text)?;
    Some(found.end())
}

/// The `{...}` value of `key`, braces excluded, strings skipped when
/// counting them.
fn js_object<'t>(text: &'t str, key: &str) -> Option<&'t str> {
    let start = js_value_start(text, key)?;
    let rest = &text[start..];
    if !rest.starts_with('{') {
        return None;
    }
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in rest.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' | '`' => quote = Some(c),
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(&rest[1..i]);
                }
            }
            _ => {}
        }
    }
    None
}

/// The quoted string value of `key`.
fn js_string(text: &str, key: &str) -> Option<String> {
    let rest = &text[js_value_start(text, key)?..];
    let quote = rest
        .chars()
        .next()
        .filter(|c| matches!(c, '\'' | '"' | '`'))?;
    let end = rest[1..].find(quote)?;
    Some(rest[1..=end].to_string())
}

/// The quoted strings of the `[...]` value of `key`.
fn js_strings(text: &str, key: &str) -> Vec<String> {
    let Some(start) = js_value_start(text, key) else {
        return Vec::new();
    };
    let rest = &text[start..];
    let Some(list) = rest.strip_prefix('[').and_then(|r| r.split_once(']')) else {
        return Vec::new();
    };
    list.0
        .split(',')
        .map(|item| item.trim().trim_matches(['\'', '"', '`']).to_string())
        .filter(|item| !item.is_empty())
        .collect()
}

/// The `title` of `docusaurus.config.js` (or `.ts`).
fn site_title(site: &Path) -> Option<String> {
    let config = config_text(site)?;
    let at = config.find("title:")?;
    let rest = config[at + 6..].trim_start();
    let quote = rest
        .chars()
        .next()
        .filter(|c| matches!(c, '\'' | '"' | '`'))?;
    let end = rest[1..].find(quote)?;
    Some(rest[1..=end].to_string())
}

/// The layout of a Docusaurus docs folder (`docs/`, or a locale's copy of
/// it under `i18n/`): `index.md` and a file named like its folder are the
/// section's page, number prefixes give the order, pages live under
/// `/docs/`.
fn docs_tree<'a>(root: &'a Path, dir: &'a str, language: Option<&'a str>) -> Tree<'a> {
    Tree {
        root,
        dir,
        target_prefix: "docs",
        url_prefix: "/docs",
        index_is_section: true,
        same_name_is_section: true,
        rename: number_prefix_to_order,
        url_segment: |name| strip_number_prefix(name).to_string(),
        language,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_prefixes() {
        assert_eq!(number_prefix_to_order("01-intro.md"), "01.intro.md");
        assert_eq!(number_prefix_to_order("2fa.md"), "2fa.md");
        assert_eq!(strip_number_prefix("01-intro"), "intro");
    }

    #[test]
    fn i18n_settings_are_read_from_the_configuration() {
        let config = "module.exports = {\n  title: 'Acme',\n  i18n: {\n    defaultLocale: 'en',\n    locales: ['en', \"pt-BR\"],\n    localeConfigs: {\n      en: { label: 'English' },\n      'pt-BR': { label: 'Português (Brasil)', htmlLang: 'pt-BR' },\n    },\n  },\n};\n";
        let mut plan = Plan::default();
        i18n_settings(config, &mut plan);
        assert_eq!(plan.default_language.as_deref(), Some("en"));
        let names: Vec<_> = plan
            .languages
            .iter()
            .map(|l| (l.code.as_str(), l.name.as_deref()))
            .collect();
        assert_eq!(
            names,
            [
                ("en", Some("English")),
                ("pt-BR", Some("Português (Brasil)"))
            ]
        );
    }
}
