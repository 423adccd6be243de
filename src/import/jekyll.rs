//! Jekyll: pages anywhere outside `_`-folders, collections (`_docs/`,
//! `_articles/`, any collection of `_config.yml`) written without their `_`,
//! posts (`_posts/2024-01-31-title.md`) as `posts/title.md` dated from their
//! name. Other files outside `_`-folders (`images/`, `assets/`) go to
//! `static/`, where their site-root URLs still resolve. Old URLs follow the
//! `permalink` style of `_config.yml` and are kept as aliases. A page with
//! `lang:` in another language is a translation of the page it shares a
//! `permalink` (jekyll-polyglot) or a `ref` with.

use std::path::Path;

use serde_json::Value;

use super::hugo::{read_config, text};
use super::plan::{self, Copy, Plan, PlannedPage};
use super::translations::PlannedLanguage;
use crate::diagnostics::Diagnostic;

const NOT_CONTENT: [&str; 8] = [
    "_site",
    "_includes",
    "_layouts",
    "_sass",
    "_data",
    "vendor",
    "node_modules",
    "_plugins",
];
const NOT_FILES: [&str; 6] = [
    "_config.yml",
    "Gemfile",
    "Gemfile.lock",
    "README.md",
    "LICENSE",
    "CNAME",
];

/// Lays out a Jekyll site.
pub fn plan(root: &Path) -> Result<Plan, Diagnostic> {
    let config = read_config(&root.join("_config.yml")).unwrap_or(Value::Null);
    if !root.join("_config.yml").exists() && !root.join("_posts").is_dir() {
        return Err(super::hugo::not_a_site(root, "Jekyll", "_config.yml"));
    }
    let pretty = text(&config, "permalink").is_some_and(|p| p == "pretty" || p.ends_with('/'));
    let collections = collection_names(&config);
    let excluded = strings(config.get("exclude"));
    let mut plan = Plan {
        settings: plan::SiteSettings {
            callouts: super::kramdown::declared_callouts(&config),
            variables: site_variables(root, &config),
            ..plan::SiteSettings::default()
        },
        title: text(&config, "title"),
        ..Plan::default()
    };
    let files = plan::files_under(root, "", &mut plan.findings);
    for file in files {
        let first = file.split('/').next().unwrap_or("");
        if NOT_CONTENT.contains(&first)
            || NOT_FILES.contains(&file.as_str())
            || excluded.iter().any(|e| file.starts_with(e.as_str()))
        {
            continue;
        }
        let collection = first.strip_prefix('_').filter(|name| {
            collections.contains(&name.to_string()) || *name == "posts" || file.contains("/_posts/")
        });
        if first.starts_with('_') && collection.is_none() {
            continue;
        }
        if !plan::is_markdown(&file) {
            not_a_page(root, &file, &mut plan);
            continue;
        }
        let page = if file.contains("_posts/") {
            post(&file, pretty)
        } else {
            page(&file, collection, pretty)
        };
        plan.pages.push(page);
    }
    match_languages(root, &config, &mut plan);
    Ok(plan)
}

/// Pages in another language, as jekyll-polyglot and hand-made setups mark
/// them: front matter `lang: de` on a page whose `permalink`, or whose
/// `ref` / `lang-ref` / `translation_key` / `translationKey`, or (without
/// a `permalink`) the URL its file gives it, or its file's name (a post in
/// `_posts/de/` named as one in `_posts/`), is a page's of
/// the default language (`default_lang`, else `lang`, of `_config.yml`)
/// translates that page; one that matches none stays an article at its
/// path, and is a finding. The languages are `languages:` of `_config.yml`.
fn match_languages(root: &Path, config: &Value, plan: &mut Plan) {
    let default = text(config, "default_lang")
        .or_else(|| text(config, "lang"))
        .unwrap_or_else(|| "en".to_string());
    let listed = strings(config.get("languages"));
    let fronts: Vec<Option<serde_json::Map<String, Value>>> = plan
        .pages
        .iter()
        .map(|page| {
            let text = std::fs::read_to_string(root.join(&page.source)).ok()?;
            super::front::read_front_matter(&text)
        })
        .collect();
    let lang_of = |front: &Option<serde_json::Map<String, Value>>| {
        front
            .as_ref()
            .and_then(|f| f.get("lang")?.as_str().map(str::to_string))
    };
    if listed.is_empty()
        && fronts
            .iter()
            .all(|f| lang_of(f).is_none_or(|l| l == default))
    {
        return;
    }
    const KEYS: [&str; 5] = [
        "permalink",
        "ref",
        "lang-ref",
        "translation_key",
        "translationKey",
    ];
    let key_of = |front: &Option<serde_json::Map<String, Value>>, key: &str| {
        let value = front.as_ref()?.get(key)?.as_str()?;
        Some(value.trim_end_matches('/').to_string())
    };
    // A page without a `permalink` is matched by the URL its file gives it
    // (a post in `_posts/de/` by its date and name, as polyglot does).
    let own_url = |page: &PlannedPage, front: &Option<serde_json::Map<String, Value>>| {
        let url = page.old_url.as_deref()?;
        key_of(front, "permalink")
            .is_none()
            .then(|| url.trim_end_matches('/').to_string())
    };
    let mut sources: std::collections::HashMap<(&str, String), String> = Default::default();
    for (page, front) in plan.pages.iter().zip(&fronts) {
        if lang_of(front).is_some_and(|l| l != default) || page.language.is_some() {
            continue;
        }
        for key in KEYS {
            if let Some(value) = key_of(front, key) {
                sources
                    .entry((key, value))
                    .or_insert_with(|| page.target.clone());
            }
        }
        if let Some(url) = own_url(page, front) {
            sources
                .entry(("url", url))
                .or_insert_with(|| page.target.clone());
        }
        sources
            .entry(("file", page.target.clone()))
            .or_insert_with(|| page.target.clone());
    }
    let mut findings = Vec::new();
    for (page, front) in plan.pages.iter_mut().zip(&fronts) {
        let Some(lang) = lang_of(front).filter(|l| *l != default) else {
            continue;
        };
        let source = KEYS
            .iter()
            .find_map(|key| sources.get(&(*key, key_of(front, key)?)))
            .or_else(|| sources.get(&("url", own_url(page, front)?)))
            .or_else(|| sources.get(&("file", page.target.clone())));
        match source {
            Some(target) => {
                if key_of(front, "permalink").is_some() {
                    // Served at its `permalink`, not at its file's path.
                    page.old_url = None;
                }
                page.target = target.clone();
                page.section = target.ends_with("_index.md");
                page.language = Some(lang);
            }
            None if page.language.is_none() => findings.push(
                Diagnostic::warning(
                    "import/translation",
                    root.join(&page.source),
                    format!("a `{lang}` page (front matter `lang:`) that shares no `permalink`, `ref` or URL with a page in `{default}`: imported as an article of its own, not as a translation"),
                )
                .at(1, 1),
            ),
            None => {}
        }
    }
    plan.findings.extend(findings);
    plan.default_language = Some(default);
    plan.languages = listed
        .into_iter()
        .map(|code| PlannedLanguage {
            code,
            ..PlannedLanguage::default()
        })
        .collect();
}

/// A file that is not a Markdown page: one with front matter is a
/// finding (Liquid templates are not converted); anything else is copied to
/// `static/`.
fn not_a_page(root: &Path, file: &str, plan: &mut Plan) {
    // Jekyll runs every file with front matter through Liquid (`feed.xml`,
    // `sitemap.xml`), not only HTML.
    let is_template = std::fs::read(root.join(file))
        .is_ok_and(|bytes| bytes.starts_with(b"---\n") || bytes.starts_with(b"---\r\n"));
    if is_template {
        plan.findings.push(
            Diagnostic::warning(
                "import/not-markdown",
                root.join(file),
                "a file with front matter (a Liquid template) is not converted: not imported",
            )
            .at(1, 1),
        );
        plan.left_out += 1;
        return;
    }
    let target = plan::join("static", file.trim_start_matches('_'));
    plan.copies.push(Copy {
        source: file.to_string(),
        target,
    });
}

fn page(file: &str, collection: Option<&str>, pretty: bool) -> PlannedPage {
    let inside = match collection {
        Some(name) => plan::join(name, file.split_once('/').map_or("", |(_, rest)| rest)),
        None => file.to_string(),
    };
    let folder = plan::parent(&inside);
    let (stem, language) = plan::split_language(plan::file_name(&inside));
    let is_index = stem == "index";
    // A translation (`about.de.md`) is given its source page's target.
    let target = if stem == "index" {
        plan::join(folder, "_index.md")
    } else {
        plan::join(folder, &format!("{stem}.md"))
    };
    let old_url = match (is_index, pretty) {
        (true, _) => format!(
            "/{}",
            if folder.is_empty() {
                String::new()
            } else {
                format!("{folder}/")
            }
        ),
        (false, true) => format!("/{}/", plan::join(folder, &stem)),
        (false, false) => format!("/{}.html", plan::join(folder, &stem)),
    };
    PlannedPage {
        source: file.to_string(),
        target,
        section: is_index,
        old_url: Some(old_url),
        language,
        ..PlannedPage::default()
    }
}

/// `_posts/2024-01-31-refunds.md` → `posts/refunds.md`, dated 2024-01-31,
/// once at `/2024/01/31/refunds.html`.
fn post(file: &str, pretty: bool) -> PlannedPage {
    let name = plan::strip_markdown_extension(plan::file_name(file));
    let (date, title) = match (name.get(..10), name.get(11..)) {
        (Some(date), Some(title)) if jiff::civil::Date::strptime("%Y-%m-%d", date).is_ok() => {
            (Some(date.to_string()), title)
        }
        _ => (None, name),
    };
    let old_url = date.as_ref().map(|d| {
        let path = format!("/{}/{title}", d.replace('-', "/"));
        if pretty {
            format!("{path}/")
        } else {
            format!("{path}.html")
        }
    });
    PlannedPage {
        source: file.to_string(),
        target: format!("posts/{title}.md"),
        old_url,
        date,
        ..PlannedPage::default()
    }
}

/// Jekyll's `site`: the configuration, with each `_data/NAME.yml` (or
/// `.yaml`, `.json`) under `data.NAME`.
fn site_variables(root: &Path, config: &Value) -> Value {
    let mut site = match config {
        Value::Object(map) => map.clone(),
        _ => serde_json::Map::new(),
    };
    let mut data = serde_json::Map::new();
    let files = std::fs::read_dir(root.join("_data"))
        .into_iter()
        .flatten()
        .flatten();
    for file in files {
        let path = file.path();
        let Some(name) = path.file_stem().and_then(|n| n.to_str()) else {
            continue;
        };
        if let Some(value) = read_config(&path) {
            data.insert(name.to_string(), value);
        }
    }
    site.insert("data".to_string(), Value::Object(data));
    Value::Object(site)
}

/// The collections `_config.yml` declares (a map or a list of names).
fn collection_names(config: &Value) -> Vec<String> {
    match config.get("collections") {
        Some(Value::Object(map)) => map.keys().cloned().collect(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        _ => vec!["docs".to_string(), "articles".to_string()],
    }
}

fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}
