//! What a page read of the site, recorded while its view is built, so the
//! preview server can tell which pages an edit may have changed without
//! building every page's view again.
//!
//! The view functions ([`super::pages`]) call [`read`] each time they take
//! something from an article, section, taxonomy term, taxonomy or the list
//! of recent articles; [`recording`] collects those reads for one page. Each
//! such part of the site has a stable key (its kind and content path or
//! name, not its index, which shifts when articles come and go) and a
//! fingerprint: a hash of every field of it a view can read. A page whose
//! recorded parts all kept their fingerprints would build the same view, so
//! it is neither built nor rendered; any other page is built, and rendered
//! if its view hash changed. The site view every page sees, the templates and
//! the configuration are not parts: a change to them renders every page.

use std::cell::RefCell;
use std::collections::HashMap;

use rustc_hash::{FxHashMap, FxHashSet};
use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed, Xxh3};

use crate::site::urls::Target;
use crate::site::{ArticleId, Site, TaxonomyId};

/// A part of the site a view reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Everything of an article a page or its body reads.
    Article(ArticleId),
    /// What a link to an article shows: title, description, URL, the date
    /// it was last updated and its section (as lists of articles show it).
    ArticleLink(ArticleId),
    /// A section's lists: sub-sections, own articles, all articles below.
    Section(crate::content::SectionId),
    /// What a link to a section shows: title, description, URL; and the
    /// same section in the other languages (for the language switcher).
    SectionLink(crate::content::SectionId),
    /// A term's articles.
    Term(TaxonomyId, usize),
    /// What a link to a term shows: title, description, URL; and the same
    /// term in the other languages.
    TermLink(TaxonomyId, usize),
    /// A taxonomy's terms, with how many articles each has.
    Taxonomy(TaxonomyId),
    /// What a link to a taxonomy shows: name, title, URL; and the same
    /// taxonomy in the other languages.
    TaxonomyLink(TaxonomyId),
    /// A home page's list of recently updated articles (by language).
    Recent(crate::site::LangId),
}

thread_local! {
    static READS: RefCell<Option<Vec<Part>>> = const { RefCell::new(None) };
}

/// Notes that the view being built reads `part` (nothing happens outside
/// [`recording`]).
pub fn read(part: Part) {
    READS.with(|reads| {
        if let Some(reads) = reads.borrow_mut().as_mut() {
            reads.push(part);
        }
    });
}

/// Runs `build` (a view function) and returns its result with the parts it
/// read.
pub fn recording<T>(build: impl FnOnce() -> T) -> (T, Vec<Part>) {
    /// Puts back what was being recorded before, even if `build` panics.
    struct Restore(Option<Vec<Part>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let outer = self.0.take();
            READS.with(|reads| *reads.borrow_mut() = outer);
        }
    }
    let outer = READS.with(|reads| reads.borrow_mut().replace(Vec::new()));
    let restore = Restore(outer);
    let value = build();
    let parts = READS.with(|reads| reads.borrow_mut().take());
    drop(restore);
    (value, parts.unwrap_or_default())
}

/// Every part's key and fingerprint in one site.
#[derive(Debug, Clone, Default)]
pub struct Fingerprints {
    articles: Vec<u64>,
    sections: Vec<u64>,
    terms: Vec<Vec<u64>>,
    taxonomies: Vec<u64>,
    /// Each language's output prefix, the key of its recent list.
    recent_keys: Vec<String>,

    /// Key → fingerprint.
    /// Keys are hashes already: a fast hasher is enough.
    by_key: FxHashMap<u64, u64>,
    /// Each article's map of link targets with its hash, by article id: a
    /// map the next model still holds (the same `Arc`, for the article of the
    /// same key) is not hashed again.
    target_prints: Vec<(std::sync::Arc<HashMap<String, String>>, u64)>,
}

impl Fingerprints {
    /// Keys and fingerprints of every part of `site`; what `before` (the
    /// last render's) hashed of an unchanged part is taken from it.
    pub fn of(site: &Site, before: &Fingerprints) -> Fingerprints {
        let article_key = |id: ArticleId| key("a", &site.articles[id].source.content_path);
        // A section of another language has the folder of the default's.
        let section_key = |id: usize| {
            let source = &site.sections[id].source;
            match &source.language {
                Some(code) => key("s", &format!("{}\0{code}", source.content_path)),
                None => key("s", &source.content_path),
            }
        };
        let article_keys: Vec<u64> = (0..site.articles.len())
            .into_par_iter()
            .map(article_key)
            .collect();
        let section_keys: Vec<u64> = (0..site.sections.len()).map(section_key).collect();
        let target_prints: Vec<(std::sync::Arc<HashMap<String, String>>, u64)> =
            (0..site.articles.len())
                .into_par_iter()
                .map(|id| {
                    let targets = &site.articles[id].link_targets;
                    let kept = (before.articles.get(id) == Some(&article_keys[id]))
                        .then(|| before.target_prints.get(id))
                        .flatten()
                        .filter(|(was, _)| std::sync::Arc::ptr_eq(was, targets));
                    let print = kept.map_or_else(|| targets_print(targets), |(_, print)| *print);
                    (std::sync::Arc::clone(targets), print)
                })
                .collect();
        // A term's key stands for its taxonomy and slug (its path).
        let term_keys: Vec<Vec<u64>> = (site.taxonomies.iter())
            .map(|taxonomy| {
                (taxonomy.terms.iter())
                    .map(|term| key("t", &format!("{}\0{}", taxonomy.path, term.slug)))
                    .collect()
            })
            .collect();
        let known = Known {
            articles: &article_keys,
            sections: &section_keys,
            terms: &term_keys,
            targets: &target_prints,
        };
        let articles: Vec<[(u64, u64); 2]> = (0..site.articles.len())
            .into_par_iter()
            .map(|id| {
                let key = article_keys[id];
                [
                    (key, article_fingerprint(site, id, &known)),
                    (link_key(key), article_link_print(site, id, &known)),
                ]
            })
            .collect();
        let sections: Vec<(u64, u64)> = (0..site.sections.len())
            .into_par_iter()
            .map(|id| (section_keys[id], section_fingerprint(site, id, &known)))
            .collect();
        let section_links: Vec<(u64, u64)> = (0..site.sections.len())
            .map(|id| {
                let source = &site.sections[id].source;
                let print = hash_of(&(&source.title, &source.description, &site.sections[id].path));
                let print = with_translations(site, Target::Section(id), print);
                (link_key(section_key(id)), print)
            })
            .collect();
        let terms: usize = site.taxonomies.iter().map(|t| t.terms.len() + 1).sum();
        let parts = 2 * articles.len() + 2 * sections.len() + 2 * terms + 1;
        let mut fingerprints = Fingerprints {
            articles: article_keys,
            sections: section_keys,
            target_prints,
            by_key: FxHashMap::with_capacity_and_hasher(parts, Default::default()),
            recent_keys: (site.languages.iter())
                .map(|l| l.config.prefix.clone())
                .collect(),
            ..Fingerprints::default()
        };
        fingerprints.by_key.extend(articles.into_iter().flatten());
        fingerprints.by_key.extend(sections);
        fingerprints.by_key.extend(section_links);
        for (t, taxonomy) in site.taxonomies.iter().enumerate() {
            let mut keys = Vec::with_capacity(taxonomy.terms.len());
            let mut whole = Xxh3::new();
            (&taxonomy.name, &taxonomy.title, &taxonomy.path).hash(&mut whole);
            for (i, term) in taxonomy.terms.iter().enumerate() {
                let term_key = term_keys[t][i];
                let mut hasher = Xxh3::new();
                (&term.title, &term.description, &term.path).hash(&mut hasher);
                (
                    &term.title,
                    &term.description,
                    &term.path,
                    term.articles.len(),
                )
                    .hash(&mut whole);
                for &a in &term.articles {
                    fingerprints.articles[a].hash(&mut hasher);
                }
                fingerprints.by_key.insert(term_key, hasher.finish());
                let link = hash_of(&(&term.title, &term.description, &term.path));
                let link = with_translations(site, Target::Term(t, i), link);
                fingerprints.by_key.insert(link_key(term_key), link);
                keys.push(term_key);
            }
            let taxonomy_key = key("x", &taxonomy.path);
            fingerprints.by_key.insert(taxonomy_key, whole.finish());
            let link = hash_of(&(&taxonomy.name, &taxonomy.title, &taxonomy.path));
            let link = with_translations(site, Target::TaxonomyIndex(t), link);
            fingerprints.by_key.insert(link_key(taxonomy_key), link);
            fingerprints.taxonomies.push(taxonomy_key);
            fingerprints.terms.push(keys);
        }
        for language in &site.languages {
            let mut recent = Xxh3::new();
            for &a in &language.recent {
                fingerprints.articles[a].hash(&mut recent);
            }
            let code = &language.config.prefix;
            fingerprints.by_key.insert(key("r", code), recent.finish());
        }
        fingerprints
    }

    /// The stable keys of `parts`, sorted, without repeats.
    pub fn keys(&self, parts: &[Part]) -> Box<[u64]> {
        let mut keys: Vec<u64> = parts
            .iter()
            .map(|part| match *part {
                Part::Article(id) => self.articles[id],
                Part::ArticleLink(id) => link_key(self.articles[id]),
                Part::Section(id) => self.sections[id],
                Part::Term(t, i) => self.terms[t][i],
                Part::Taxonomy(t) => self.taxonomies[t],
                Part::SectionLink(id) => link_key(self.sections[id]),
                Part::TermLink(t, i) => link_key(self.terms[t][i]),
                Part::TaxonomyLink(t) => link_key(self.taxonomies[t]),
                Part::Recent(l) => key("r", &self.recent_keys[l]),
            })
            .collect();
        keys.sort_unstable();
        keys.dedup();
        keys.into_boxed_slice()
    }

    /// The keys whose fingerprint here differs from `before`'s, with the
    /// keys of parts that are new or gone: a page that read none of them
    /// would build the same view.
    pub fn changed_since(&self, before: &Fingerprints) -> FxHashSet<u64> {
        let mut changed: FxHashSet<u64> = self
            .by_key
            .iter()
            .filter(|(key, print)| before.by_key.get(key) != Some(print))
            .map(|(key, _)| *key)
            .collect();
        changed.extend(
            before
                .by_key
                .keys()
                .filter(|key| !self.by_key.contains_key(key)),
        );
        changed
    }
}

/// The key of a part's link, from the part's own key.
fn link_key(key: u64) -> u64 {
    key.rotate_left(17) ^ 0x6c69_6e6b
}

fn hash_of<T: Hash>(value: &T) -> u64 {
    let mut hasher = Xxh3::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// The key of the part of `kind` named `name`: a one-shot hash seeded by
/// the kind (no allocation; keys are compared within one session only).
fn key(kind: &str, name: &str) -> u64 {
    xxh3_64_with_seed(name.as_bytes(), xxh3_64(kind.as_bytes()))
}

/// What [`Fingerprints::of`] knows before it hashes articles: the keys of
/// articles and sections by id (an article names the others it refers to
/// by their keys, which stand for their content paths), and each article's
/// hash of its link targets.
struct Known<'a> {
    articles: &'a [u64],
    sections: &'a [u64],
    /// By taxonomy and term.
    terms: &'a [Vec<u64>],
    targets: &'a [(std::sync::Arc<HashMap<String, String>>, u64)],
}

/// Everything of an article a view or its body can read: its file (front
/// matter and body, by their hash), where it is, its terms, related
/// articles, backlinks and where its links point. Other articles and
/// sections enter by their keys; what a view shows of them is read (and
/// recorded) as parts of their own. Its own content path is in its key.
fn article_fingerprint(site: &Site, id: ArticleId, known: &Known<'_>) -> u64 {
    let article = &site.articles[id];
    let text = |s: &str| xxh3_64(s.as_bytes());
    let mut print = Mix::default();
    print.add(article.source.source.text_hash);
    print.add(known.articles[id]);
    print.add(text(&article.source.slug));
    // Dates and author from git (`dates: git`) change with a commit, not the file.
    print.add(article.source.history.as_ref().map_or(0, hash_of));
    print.add(text(&article.path));
    print.add(known.sections[article.source.section]);
    for term in &article.terms {
        print.add(known.terms[term.taxonomy][term.term]);
    }
    // Each list as its length and its articles' keys.
    for list in [&article.related, &article.backlinks] {
        print.add(list.len() as u64);
        list.iter().for_each(|&a| print.add(known.articles[a]));
    }
    print.add(known.targets[id].1);
    for (language, translation) in article.translations.iter().enumerate() {
        if let Some(t) = translation {
            print.add(language as u64);
            print.add(known.articles[*t]);
        }
    }
    print.0
}

/// What a link to an article shows (see [`Part::ArticleLink`]): a body
/// edit leaves it as it was, so the pages that list the article are not
/// built again.
fn article_link_print(site: &Site, id: ArticleId, known: &Known<'_>) -> u64 {
    let article = &site.articles[id];
    let front = &article.source.front;
    let text = |s: &str| xxh3_64(s.as_bytes());
    let mut print = Mix::default();
    print.add(text(&front.title));
    print.add(front.description.as_deref().map_or(0, |d| text(d) ^ 1));
    print.add(text(&article.path));
    print.add(article.source.last_updated().map_or(0, date_print));
    print.add(known.sections[article.source.section]);
    print.0
}

/// A front-matter date as one number: its day and its instant (a
/// streaming hasher per article costs more than the rest of its print).
fn date_print(date: &crate::content::front_matter::Date) -> u64 {
    let day = &date.day;
    let mut print = Mix(1);
    print.add(((day.year() as u64) << 16) | ((day.month() as u64) << 8) | day.day() as u64);
    print.add(date.instant.as_second() as u64);
    print.add(u64::from(date.instant.subsec_nanosecond().unsigned_abs()));
    print.0
}

/// `print` with the paths of `target` in the site's other languages (what
/// its language switcher and hreflang links show); `print` itself in a
/// site with one language.
fn with_translations(site: &Site, target: Target, print: u64) -> u64 {
    if !site.is_multilingual() {
        return print;
    }
    let mut mixed = Mix(print);
    for language in 0..site.languages.len() {
        let path = site
            .translation_of(target, language)
            .map(|t| site.target_path(t));
        mixed.add(hash_of(&path));
    }
    mixed.0
}

/// Hashes combined in order, each step a multiply-rotate of the running
/// value with the next hash. The inputs are hashes already (one-shot XXH3 of
/// each string, keys), so this only needs to keep order, which it does at a
/// fraction of a streaming hasher's cost per small input.
#[derive(Default)]
struct Mix(u64);

impl Mix {
    fn add(&mut self, hash: u64) {
        self.0 = (self.0.rotate_left(23) ^ hash).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// An order-free hash of a map of link targets (no sorting, no allocation).
/// One-shot hashes of each string: a streaming hasher per pair cost more
/// than the rest of a body edit's fingerprints at 10,000 articles.
fn targets_print(targets: &HashMap<String, String>) -> u64 {
    targets
        .iter()
        .map(|(from, to)| xxh3_64(from.as_bytes()).rotate_left(21) ^ xxh3_64(to.as_bytes()))
        .fold(0, u64::wrapping_add)
}

/// Everything of a section a view or its intro can read: its own fields and
/// intro, where it is, its parent, and the lists of its sub-sections, own
/// articles and all articles below it, in order.
fn section_fingerprint(site: &Site, id: crate::content::SectionId, known: &Known<'_>) -> u64 {
    let section = &site.sections[id];
    let source = &section.source;
    let mut hasher = Xxh3::new();
    (
        &source.content_path,
        &source.slug,
        &source.title,
        &source.description,
    )
        .hash(&mut hasher);
    source
        .parent
        .map(|p| &site.sections[p].source.content_path)
        .hash(&mut hasher);
    source
        .index
        .as_ref()
        .map(|i| (i.text_hash, &i.path))
        .hash(&mut hasher);
    section.path.hash(&mut hasher);
    for &child in &section.children {
        known.sections[child].hash(&mut hasher);
    }
    // Its lists as their articles' keys, in order (the home page's holds
    // every article).
    let mut lists = Mix::default();
    for range in [section.articles.clone(), section.subtree.clone()] {
        lists.add(range.len() as u64);
        range.for_each(|a| lists.add(known.articles[a]));
    }
    lists.0.hash(&mut hasher);
    targets_print(&section.link_targets).hash(&mut hasher);
    hasher.finish()
}
