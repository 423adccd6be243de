//! Taxonomies: a page per term (`/category/billing/`) and an index of terms.
//!
//! A term's display name comes from `kbgen.yaml`, else from the section with the
//! same slug (so `category: jira-cloud` shows as the section's title), else the
//! term as first written.

use std::collections::HashMap;

use rayon::prelude::*;

use super::urls::{Target, UrlTable};
use super::LangId;
use super::{Article, Section, Taxonomy, Term, TermRef};
use crate::config::{Config, Language, TaxonomyConfig};
use crate::content::naming::slugify;
use crate::diagnostics::Diagnostic;

pub(super) fn build(
    config: &Config,
    languages: &[Language],
    sections: &[Section],
    articles: &mut [Article],
    urls: &mut UrlTable,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Taxonomy> {
    let mut taxonomies = Vec::new();
    for (language, settings) in languages.iter().enumerate() {
        let place = Place {
            language,
            settings,
            sections,
        };
        build_language(config, place, articles, urls, problems, &mut taxonomies);
    }
    warn_unknown_taxonomies(config, articles, problems);
    taxonomies
}

/// Which language's taxonomies [`build_language`] makes.
#[derive(Clone, Copy)]
struct Place<'a> {
    language: LangId,
    settings: &'a Language,
    sections: &'a [Section],
}

/// The terms an article names under taxonomy `name`: its own, or, for a
/// translation that names none under it, its source article's (so German
/// articles land in the German pages of the same categories), with whether
/// they are its own.
fn written_terms<'a>(
    articles: &'a [Article],
    id: usize,
    name: &str,
) -> Option<(&'a Vec<String>, bool)> {
    let article = &articles[id];
    let front = &article.source.front;
    if !front.taxonomy.contains_key(name) && article.language != 0 {
        let source = article.translations.first().copied().flatten()?;
        return articles[source]
            .source
            .front
            .taxonomy
            .get(name)
            .map(|t| (t, false));
    }
    front.taxonomy.get(name).map(|t| (t, true))
}

/// The settings of taxonomy `name` in a language: its own titles over the
/// default language's.
fn settings_in(config: &Config, place: Place<'_>, name: &str) -> TaxonomyConfig {
    let mut settings = config
        .taxonomies
        .get(name)
        .cloned()
        .flatten()
        .unwrap_or_default();
    if place.language == 0 {
        return settings;
    }
    if let Some(own) = place.settings.taxonomies.get(name) {
        if own.title.is_some() {
            settings.title = own.title.clone();
        }
        for (term, own) in &own.terms {
            settings.terms.insert(term.clone(), own.clone());
        }
    }
    settings
}

fn build_language(
    config: &Config,
    place: Place<'_>,
    articles: &mut [Article],
    urls: &mut UrlTable,
    problems: &mut Vec<Diagnostic>,
    taxonomies: &mut Vec<Taxonomy>,
) {
    let (language, sections) = (place.language, place.sections);
    let prefix = &place.settings.prefix;
    let section_titles: HashMap<&str, &str> = sections
        .iter()
        .filter(|s| s.language == language && s.source.parent.is_some())
        .rev()
        .map(|s| (s.source.slug.as_str(), s.source.title.as_str()))
        .collect();
    for name in config.taxonomies.keys() {
        let settings = settings_in(config, place, name);
        let taxonomy_id = taxonomies.len();
        let mut terms: Vec<Term> = Vec::new();
        let mut by_slug: rustc_hash::FxHashMap<String, usize> = Default::default();
        let mut memberships: Vec<(usize, usize)> = Vec::new();
        // The file that first wrote each term, for messages.
        let mut first_article: Vec<std::path::PathBuf> = Vec::new();
        // Slugs first, in parallel: the one costly step per term name.
        let shared = &*articles;
        let slugs: Vec<Vec<String>> = (0..shared.len())
            .into_par_iter()
            .map(|id| match written_terms(shared, id, name) {
                Some((written, _)) if shared[id].language == language => {
                    written.iter().map(|term| slugify(term)).collect()
                }
                _ => Vec::new(),
            })
            .collect();
        for ((article_id, article), slugs) in shared.iter().enumerate().zip(slugs) {
            if article.language != language {
                continue;
            }
            let Some((written, own)) = written_terms(shared, article_id, name) else {
                continue;
            };
            if own && article.language != 0 {
                problems.extend(terms_unlike_source(shared, article_id, name, &slugs));
            }
            let article_start = memberships.len();
            for (term_name, slug) in written.iter().zip(slugs) {
                if slug.is_empty() {
                    // An inherited term's problem is its source article's.
                    if !own {
                        continue;
                    }
                    problems.push(term_problem(
                        article,
                        name,
                        term_name,
                        format!("{name} `{term_name}` has no letter or digit to make its URL from"),
                        "write the term with letters or digits (`C#` → `csharp`)",
                    ));
                    continue;
                }
                if let Some(&existing) = by_slug.get(&slug) {
                    let first = &terms[existing];
                    if own
                        && first.written != *term_name
                        && !crate::content::naming::same_words(&first.written, term_name)
                    {
                        problems.push(term_problem(
                            article,
                            name,
                            term_name,
                            format!(
                                "{name} `{term_name}` and {name} `{}` (in {}) would share the URL /{}",
                                first.written,
                                first_article[existing].display(),
                                first.path
                            ),
                            "terms are told apart by their URL slug, which keeps only letters and digits: rename one (`C#` → `CSharp`), or write both the same way to merge them",
                        ));
                    }
                }
                // Most memberships are of a term met before: its slug is
                // looked up, and copied only for a new term.
                let known = by_slug.get(&slug).copied();
                let index = known.unwrap_or_else(|| {
                    first_article.push(article.source.source.path.clone());
                    let configured = settings
                        .terms
                        .get(term_name.as_str())
                        .or(settings.terms.get(&slug));
                    terms.push(Term {
                        title: configured
                            .and_then(|c| c.title.clone())
                            .or_else(|| section_titles.get(slug.as_str()).map(|t| t.to_string()))
                            .unwrap_or_else(|| term_name.clone()),
                        description: configured.and_then(|c| c.description.clone()),
                        path: format!("{prefix}{name}/{slug}/"),
                        written: term_name.clone(),
                        slug: slug.clone(),
                        articles: Vec::new(),
                    });
                    by_slug.insert(slug, terms.len() - 1);
                    terms.len() - 1
                });
                // An article names each term once (duplicates in its own list only).
                if !memberships[article_start..].contains(&(article_id, index)) {
                    memberships.push((article_id, index));
                }
            }
        }
        // Terms are listed by title; memberships are renumbered to match.
        let mut order: Vec<usize> = (0..terms.len()).collect();
        order.sort_by_cached_key(|&i| (terms[i].title.to_lowercase(), terms[i].slug.clone()));
        let mut new_index = vec![0; terms.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old] = new;
        }
        let mut sorted: Vec<Option<Term>> = terms.into_iter().map(Some).collect();
        let mut terms: Vec<Term> = order.iter().filter_map(|&old| sorted[old].take()).collect();
        for (article_id, old) in memberships {
            let term = new_index[old];
            terms[term].articles.push(article_id);
            articles[article_id].terms.push(TermRef {
                taxonomy: taxonomy_id,
                term,
            });
        }
        let taxonomy = Taxonomy {
            name: name.clone(),
            title: settings
                .title
                .clone()
                .unwrap_or_else(|| crate::content::naming::title_from_name(name)),
            path: format!("{prefix}{name}/"),
            terms,
            language,
        };
        // A taxonomy no article uses gets no page and no link: a footer link
        // to "Nothing here yet" helps no reader.
        if taxonomy.terms.is_empty() {
            continue;
        }
        register(urls, &taxonomy, taxonomy_id, sections, articles, problems);
        taxonomies.push(taxonomy);
    }
}

/// An error at the place the article writes `term` under `taxonomy:`.
/// A translation that names other terms under `name` than its source
/// article: terms are shared by every language (the German page of a
/// category is the same category, titled through `kbgen.yaml`), so a term
/// written in German makes a second, German-only term. A warning at the
/// first term that differs, naming the source's terms and where titles
/// translate.
fn terms_unlike_source(
    articles: &[Article],
    id: usize,
    name: &str,
    slugs: &[String],
) -> Option<Diagnostic> {
    let article = &articles[id];
    let source = article.translations.first().copied().flatten()?;
    let source_terms: Vec<&String> = (articles[source].source.front.taxonomy.get(name))
        .map(|terms| terms.iter().collect())
        .unwrap_or_default();
    let source_slugs: Vec<String> = source_terms.iter().map(|t| slugify(t)).collect();
    let written = article.source.front.taxonomy.get(name)?;
    let (unlike, _) = (written.iter().zip(slugs)).find(|(_, slug)| !source_slugs.contains(slug))?;
    let listed: Vec<String> = source_terms.iter().map(|t| format!("`{t}`")).collect();
    let source_file = articles[source].source.source.path.display();
    let (theirs, fix) = match listed.is_empty() {
        true => (format!("{source_file} names no {name}"), format!("remove `{name}:` here (or add the term to {source_file})")),
        false => (
            format!("{source_file} names {}", listed.join(", ")),
            format!("write the source's terms here, or remove `{name}:` to take them; a term's title in this language goes in kbgen.yaml, under the language's `taxonomies: {{ {name}: {{ terms: {{ {}: {{ title: ... }} }} }} }}`", source_slugs[0]),
        ),
    };
    let mut problem = term_problem(
        article,
        name,
        unlike,
        format!("{name} `{unlike}` is not one of its source article's terms ({theirs}): terms are shared by all languages, so this makes a separate term"),
        &fix,
    );
    problem.severity = crate::diagnostics::Severity::Warning;
    Some(problem)
}

fn term_problem(
    article: &Article,
    taxonomy: &str,
    term: &str,
    message: String,
    help: &str,
) -> Diagnostic {
    let source = &article.source;
    let after_taxonomy = super::files::front_matter_entry(source, "taxonomy", taxonomy);
    let front_matter = &source.source.text[..source.source.body_start];
    let offset = front_matter[after_taxonomy..]
        .find(term)
        .map_or(after_taxonomy, |i| after_taxonomy + i);
    Diagnostic::error("taxonomy", &source.source.path, message)
        .at_offset(&source.source.text, offset)
        .with_help(help)
}

fn register(
    urls: &mut UrlTable,
    taxonomy: &Taxonomy,
    id: usize,
    sections: &[Section],
    articles: &[Article],
    problems: &mut Vec<Diagnostic>,
) {
    let mut claim = |path: &str, target: Target| match urls.insert_page(path, target) {
        Err(Target::Section(section)) => {
            let folder = &sections[section].source.content_path;
            problems.push(
                Diagnostic::error(
                    "url-collision",
                    crate::config::CONFIG_FILE,
                    format!(
                        "the taxonomy page /{path} collides with the section in content/{folder}"
                    ),
                )
                .with_help(
                    "rename the folder (or its `slug`), or rename the taxonomy in kbgen.yaml",
                ),
            );
        }
        Err(Target::Article(article)) => problems.push(
            Diagnostic::error(
                "url-collision",
                &articles[article].source.source.path,
                format!("this page and the taxonomy page /{path} both want the URL /{path}"),
            )
            .with_help("give the article another `slug`, or rename the taxonomy in kbgen.yaml"),
        ),
        _ => {}
    };
    claim(&taxonomy.path, Target::TaxonomyIndex(id));
    for (i, term) in taxonomy.terms.iter().enumerate() {
        claim(&term.path, Target::Term(id, i));
    }
}

fn warn_unknown_taxonomies(config: &Config, articles: &[Article], problems: &mut Vec<Diagnostic>) {
    for article in articles {
        for name in article.source.front.taxonomy.keys() {
            if config.taxonomies.contains_key(name) {
                continue;
            }
            // A typo of a configured taxonomy (`categroy`) is the likelier mistake.
            let known: Vec<&str> = config.taxonomies.keys().map(String::as_str).collect();
            let closest = crate::diagnostics::closest_name(name, &known);
            let help = match closest {
                Some(known) => format!(
                    "did you mean `{known}`? (or add `{name}:` under `taxonomies:` in kbgen.yaml)"
                ),
                None => format!("add `{name}:` under `taxonomies:` in kbgen.yaml"),
            };
            let source = &article.source;
            let offset = super::files::front_matter_entry(source, "taxonomy", name);
            problems.push(
                Diagnostic::warning(
                    "front-matter",
                    &source.source.path,
                    format!("taxonomy `{name}` is not configured, so its terms get no pages"),
                )
                .at_offset(&source.source.text, offset)
                .with_help(help),
            );
        }
    }
}
