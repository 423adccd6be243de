//! A search for stale pages in the preview server: generated sequences of
//! edits to a small site (text, title, tags, category, related, dates, rename,
//! delete, add, section intros, a template, the configuration, a broken edit
//! then its fix, several files in one batch, and a snippet some articles
//! include: its text, its heading and links, an article starting or
//! stopping to include it; in a German-and-English site, a translation
//! added, removed, edited, marked up to date with its source, or left
//! without a source by a rename). After each batch the served
//! bytes of every file must equal a fresh build's, or, when the files on disk
//! do not build, the last good site must still be served.
//!
//! Seeds are fixed, so a failure names a sequence that replays. CI runs
//! `SEQUENCES` sequences of `STEPS` batches; `KBGEN_DIFF_SEQUENCES=N` runs more.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use kbgen::build::preview::Preview;
use kbgen::build::{build_site, BuildOptions, Changes};
use kbgen::diagnostics::Diagnostic;
use kbgen::output::MemorySink;

mod common;
use common::{served, Random};

const SEQUENCES: u64 = 30;
const STEPS: usize = 12;

/// One article as the sequence knows it, written as front matter and body.
#[derive(Clone, Debug)]
struct Article {
    /// Under `content/`.
    path: String,
    title: String,
    description: String,
    category: Option<String>,
    tags: Vec<String>,
    related: Vec<String>,
    date: String,
    weight: Option<i64>,
    body: String,
    /// The body's heading, which links can point at (`#steps`).
    heading: &'static str,
    /// A link in the body to another article's heading.
    link: Option<String>,
    /// A call to a shortcode no template defines (a broken edit).
    broken: bool,
    /// A link to an anchor the article does not have, after the body: a
    /// warning (only where broken links are) that text edits move.
    dangling: bool,
    /// A link to a tag's page by its URL (only where broken links are
    /// warnings): it breaks and heals as tag edits remove and add the term.
    tag_link: Option<&'static str>,
    /// A taxonomy kbgen.yaml does not configure: a warning in the front
    /// matter, below the description, that front-matter edits move.
    audience: bool,
    /// Whether the body ends with the snippet `box.md`, given the title.
    include: bool,
}

impl Article {
    fn text(&self) -> String {
        // A description of two lines moves what follows it down a line.
        let description = match self.description.split_once('\n') {
            Some((first, second)) => format!(">-\n  {first}\n  {second}"),
            None => format!("\"{}\"", self.description),
        };
        let mut front = format!(
            "title: \"{}\"\ndescription: {description}\ndate: {}\n",
            self.title, self.date
        );
        if let Some(weight) = self.weight {
            front += &format!("weight: {weight}\n");
        }
        if self.category.is_some() || !self.tags.is_empty() || self.audience {
            front += "taxonomy:\n";
            if self.audience {
                front += "  audience: admins\n";
            }
            if let Some(category) = &self.category {
                front += &format!("  category: {category}\n");
            }
            if !self.tags.is_empty() {
                front += &format!("  tag: [{}]\n", self.tags.join(", "));
            }
        }
        if !self.related.is_empty() {
            front += "related:\n";
            for r in &self.related {
                front += &format!("  - \"@/{r}\"\n");
            }
        }
        let broken = if self.broken {
            "\n\n{{ nosuch() }}\n"
        } else {
            ""
        };
        let link = match &self.link {
            Some(target) => format!(" See [the steps](@/{target}#steps)."),
            None => String::new(),
        };
        let dangling = if self.dangling {
            " And [nowhere](#nowhere)."
        } else {
            ""
        };
        let tag_link = match self.tag_link {
            Some(tag) => format!(" Tagged [{tag}](/tag/{tag}/)."),
            None => String::new(),
        };
        let include = if self.include {
            format!(
                "\n{{{{ include(path=\"box.md\", topic=\"{}\") }}}}\n",
                self.title
            )
        } else {
            String::new()
        };
        format!(
            "---\n{front}---\n## {}\n\n{}{link}{dangling}{tag_link}\n\nWhere: {{{{ where() }}}}\n{broken}{include}",
            self.heading, self.body
        )
    }
}

/// The snippet `content/_snippets/box.md`: a heading, text naming the
/// including article's topic, and a link, which may point at another
/// article's `#steps` (and break when that heading is renamed) or be
/// broken outright.
#[derive(Clone, Debug)]
struct Snippet {
    heading: String,
    text: String,
    link: Option<String>,
    broken: bool,
}

impl Snippet {
    fn text(&self) -> String {
        let link = match &self.link {
            // Relative to the snippet's folder.
            Some(target) => format!(" See [the steps](../{target}#steps)."),
            None => String::new(),
        };
        let broken = if self.broken { " {{ nosuch() }}" } else { "" };
        format!(
            "## {}\n\nAbout {{{{ topic }}}}: {}{link}{broken}\n",
            self.heading, self.text
        )
    }
}

const SECTIONS: [&str; 3] = ["billing", "accounts", "desktop"];
const WORDS: [&str; 12] = [
    "refund", "invoice", "password", "sync", "proxy", "token", "export", "storage", "login",
    "plan", "device", "error",
];

/// A German translation of an article, beside it as `x.de.md`.
#[derive(Clone, Debug)]
struct Translation {
    title: String,
    body: String,
    /// `translated_from:`, a revision of the source (real or stale).
    translated_from: Option<String>,
    /// A link to another article by its file, which goes to that article's
    /// translation when it has one.
    link: Option<String>,
}

impl Translation {
    fn text(&self) -> String {
        let from = match &self.translated_from {
            Some(revision) => format!("translated_from: {revision}\n"),
            None => String::new(),
        };
        let link = match &self.link {
            Some(target) => format!(" Siehe [dort](@/{target})."),
            None => String::new(),
        };
        format!(
            "---\ntitle: \"{}\"\n{from}---\n## Schritte\n\n{}{link}\n",
            self.title, self.body
        )
    }
}

/// `a/x.md` → `a/x.de.md`.
fn german_path(path: &str) -> String {
    format!("{}.de.md", path.trim_end_matches(".md"))
}

/// The site on disk and what the sequence knows of it.
struct Site {
    root: std::path::PathBuf,
    articles: Vec<Article>,
    /// Whether kbgen.yaml lists English and German.
    german: bool,
    /// Source article path → its German translation (a translation whose
    /// source was renamed or deleted stays, without a source).
    translations: BTreeMap<String, Translation>,
    /// Section → title of its `_index.md`, when it has one.
    intros: BTreeMap<String, String>,
    snippet: Snippet,
    next_id: usize,
    /// A sequence number for generated text.
    serial: usize,
    /// `links.broken` in kbgen.yaml: `error` or `warn`.
    broken_links: &'static str,
}

impl Site {
    fn create(root: &Path, random: &mut Random) -> Site {
        // Half the sequences make broken links warnings: their sites still
        // publish, and every later edit must move the warnings with the text.
        let broken_links = random.pick(&["error", "warn"]);
        let german = random.chance(50);
        write(
            root,
            "kbgen.yaml",
            &format!("title: Differential\nbase_url: https://help.example.com/docs/\nlinks:\n  broken: {broken_links}\nrelated:\n  limit: 3\n  category_limit: 3\nlint:\n  file-name: off\n  missing-description: off\n{}", languages(german)),
        );
        write(
            root,
            "templates/shortcodes/where.html",
            "<span class=\"where\">{{ page.section }}|{{ page.url }}|{{ page.title }}</span>",
        );
        let mut site = Site {
            root: root.to_path_buf(),
            broken_links,
            german,
            translations: BTreeMap::new(),
            articles: Vec::new(),
            intros: BTreeMap::new(),
            snippet: Snippet {
                heading: "Need more help?".to_string(),
                text: "ask support.".to_string(),
                link: None,
                broken: false,
            },
            next_id: 0,
            serial: 0,
        };
        for _ in 0..24 {
            let article = site.new_article(random);
            site.articles.push(article);
        }
        for section in SECTIONS.iter().take(2) {
            site.intros
                .insert(section.to_string(), format!("All about {section}"));
        }
        if german {
            for i in (0..site.articles.len()).step_by(3) {
                let translation = site.new_translation(random);
                site.translations
                    .insert(site.articles[i].path.clone(), translation);
            }
        }
        site.write_all();
        site
    }

    fn new_translation(&mut self, random: &mut Random) -> Translation {
        let other = self.articles[random.below(self.articles.len())]
            .path
            .clone();
        Translation {
            title: format!("Wie man {} {}", random.pick(&WORDS), self.serial),
            body: format!("Deutscher Text {}.", self.serial),
            translated_from: None,
            link: random.chance(50).then_some(other),
        }
    }

    fn new_article(&mut self, random: &mut Random) -> Article {
        let id = self.next_id;
        self.next_id += 1;
        let section = random.pick(&SECTIONS);
        Article {
            path: format!("{section}/article-{id}.md"),
            title: format!("How to {} {id}", random.pick(&WORDS)),
            description: format!("About {}.", random.pick(&WORDS)),
            category: Some(random.pick(&["money", "people", "apps"]).to_string()),
            tags: vec![random.pick(&WORDS).to_string()],
            related: Vec::new(),
            date: format!("2026-0{}-1{}", 1 + random.below(9), random.below(10)),
            weight: None,
            body: format!("Text {id} about {}.", random.pick(&WORDS)),
            heading: "Steps",
            link: None,
            broken: false,
            dangling: self.broken_links == "warn" && random.chance(50),
            tag_link: (self.broken_links == "warn" && random.chance(30))
                .then(|| random.pick(&WORDS)),
            include: random.below(3) == 0,
            audience: random.chance(25),
        }
    }

    /// Writes every file whose text changed; returns their content paths.
    fn write_all(&self) -> Vec<String> {
        let mut written = Vec::new();
        for article in &self.articles {
            if write(
                &self.root,
                &format!("content/{}", article.path),
                &article.text(),
            ) {
                written.push(article.path.clone());
            }
        }
        for (section, title) in &self.intros {
            let path = format!("{section}/_index.md");
            if write(&self.root, &format!("content/{path}"), &intro(title)) {
                written.push(path);
            }
        }
        let path = "_snippets/box.md";
        if write(&self.root, &format!("content/{path}"), &self.snippet.text()) {
            written.push(path.to_string());
        }
        for (source, translation) in &self.translations {
            let path = german_path(source);
            if write(&self.root, &format!("content/{path}"), &translation.text()) {
                written.push(path);
            }
        }
        written
    }

    /// The German translation edits: add or remove one, edit its text,
    /// mark it with its source's revision now (or a stale one).
    fn translation_edit(
        &mut self,
        random: &mut Random,
        i: usize,
        kind: usize,
    ) -> (&'static str, Vec<String>) {
        let source = self.articles[i].path.clone();
        let serial = self.serial;
        if !self.translations.contains_key(&source) {
            let translation = self.new_translation(random);
            self.translations.insert(source, translation);
            return ("a translation added", Vec::new());
        }
        match kind {
            24 => {
                self.translations.remove(&source);
                let path = german_path(&source);
                let _ = fs::remove_file(self.root.join("content").join(&path));
                ("a translation removed", vec![path])
            }
            25 => {
                let translation = self.translations.get_mut(&source).unwrap();
                translation.body = format!("Neuer Text {serial}.");
                translation.title += &format!(" {serial}");
                ("a translation edited", Vec::new())
            }
            _ => {
                // The source's revision as `kbgen translations mark` writes
                // it, or a stale one, or none.
                let revision = match random.below(3) {
                    0 => None,
                    1 => Some("0123456789ab".to_string()),
                    _ => {
                        let (loaded, _) = kbgen::fix::load_site(&self.root).unwrap();
                        match loaded.urls.content_path_target(&source) {
                            Some(kbgen::site::urls::Target::Article(id)) => Some(
                                kbgen::content::languages::revision(&loaded.articles[id].source),
                            ),
                            _ => None,
                        }
                    }
                };
                self.translations.get_mut(&source).unwrap().translated_from = revision;
                ("a translation marked", Vec::new())
            }
        }
    }

    /// Applies one random edit; returns the content paths it touched, or
    /// `None` for a change to templates or configuration.
    fn edit(&mut self, random: &mut Random) -> (String, Option<Vec<String>>) {
        self.serial += 1;
        let serial = self.serial;
        let i = random.below(self.articles.len());
        let kind = random.below(if self.german { 27 } else { 24 });
        let mut touched = vec![self.articles[i].path.clone()];
        let what = match kind {
            0 => {
                self.articles[i].body = format!("Edited text {serial}.");
                "text"
            }
            1 => {
                // Titles decide the order within a section: this one may
                // move the article.
                self.articles[i].title = format!("{} {serial}", random.pick(&WORDS));
                "title"
            }
            2 => {
                // This one most likely keeps its place.
                self.articles[i].title += &format!(" ({serial})");
                "title suffix"
            }
            3 => {
                let word = random.pick(&WORDS);
                self.articles[i].description = match random.chance(50) {
                    true => format!("Now about {word}."),
                    false => format!("Now about {word}\nand more."),
                };
                "description"
            }
            4 => {
                self.articles[i].tags = (0..random.below(3))
                    .map(|_| random.pick(&WORDS).to_string())
                    .collect();
                self.articles[i].tags.dedup();
                "tags"
            }
            5 => {
                self.articles[i].category = random
                    .pick(&[
                        None,
                        Some("money"),
                        Some("people"),
                        Some("apps"),
                        // Named like a section: titled by its intro.
                        Some("billing"),
                        Some("new"),
                    ])
                    .map(str::to_string);
                "category"
            }
            6 => {
                let other = self.articles[random.below(self.articles.len())]
                    .path
                    .clone();
                if other != self.articles[i].path {
                    self.articles[i].related = vec![other];
                } else {
                    self.articles[i].related.clear();
                }
                "related"
            }
            7 => {
                self.articles[i].date =
                    format!("2027-0{}-0{}", 1 + random.below(9), 1 + random.below(9));
                "date"
            }
            8 => {
                self.articles[i].weight = random.pick(&[None, Some(1), Some(5)]).to_owned();
                "weight"
            }
            9 => {
                let section = random.pick(&SECTIONS);
                let old = self.articles[i].path.clone();
                let new = format!("{section}/moved-{serial}.md");
                let _ = fs::remove_file(self.root.join("content").join(&old));
                // Its translation stays, named after no source now.
                for translation in self.translations.values_mut() {
                    if translation.link.as_ref() == Some(&old) {
                        translation.link = None;
                    }
                }
                for other in &mut self.articles {
                    other.related.retain(|r| *r != old);
                    if other.link.as_ref() == Some(&old) {
                        other.link = None;
                    }
                }
                if self.snippet.link.as_ref() == Some(&old) {
                    self.snippet.link = None;
                }
                self.articles[i].path = new;
                touched = vec![old];
                "rename"
            }
            10 if self.articles.len() > 3 => {
                let gone = self.articles.remove(i);
                let _ = fs::remove_file(self.root.join("content").join(&gone.path));
                for translation in self.translations.values_mut() {
                    if translation.link.as_ref() == Some(&gone.path) {
                        translation.link = None;
                    }
                }
                for other in &mut self.articles {
                    other.related.retain(|r| *r != gone.path);
                    if other.link.as_ref() == Some(&gone.path) {
                        other.link = None;
                    }
                }
                if self.snippet.link.as_ref() == Some(&gone.path) {
                    self.snippet.link = None;
                }
                touched = vec![gone.path];
                "delete"
            }
            11 => {
                let article = self.new_article(random);
                touched.clear();
                self.articles.push(article);
                "add"
            }
            12 => {
                let section = random.pick(&SECTIONS).to_string();
                let path = format!("{section}/_index.md");
                if self.intros.contains_key(&section) && random.below(3) == 0 {
                    self.intros.remove(&section);
                    let _ = fs::remove_file(self.root.join("content").join(&path));
                    touched = vec![path];
                } else {
                    // Sometimes with a slug: every URL in the section moves.
                    let slug = random.pick(&["", "", "moved", "elsewhere"]);
                    let title = format!("{} {serial}|{slug}", random.pick(&WORDS));
                    self.intros.insert(section, title);
                    touched.clear();
                }
                "section intro"
            }
            16 => {
                // A link to another article's `#steps`, or none.
                let other = self.articles[random.below(self.articles.len())]
                    .path
                    .clone();
                self.articles[i].link = (other != self.articles[i].path).then_some(other);
                "a link to an anchor"
            }
            17 => {
                // Links to `#steps` break while it is gone.
                self.articles[i].heading = match self.articles[i].heading {
                    "Steps" => "Procedure",
                    _ => "Steps",
                };
                "a heading renamed"
            }
            13 => {
                self.articles[i].broken = !self.articles[i].broken;
                "broken shortcode (or its fix)"
            }
            18 => {
                touched.clear();
                self.snippet.text = format!("snippet text {serial}.");
                "snippet text"
            }
            19 => {
                touched.clear();
                self.snippet.heading = format!("{} help {serial}", random.pick(&WORDS));
                let j = random.below(self.articles.len());
                self.snippet.link = random.chance(60).then(|| self.articles[j].path.clone());
                "snippet heading and link"
            }
            20 => {
                touched.clear();
                self.snippet.broken = !self.snippet.broken;
                "broken snippet (or its fix)"
            }
            21 => {
                self.articles[i].include = !self.articles[i].include;
                "include the snippet (or not)"
            }
            14 => {
                let template = format!(
                    "<b class=\"where\">{{{{ page.title }}}} in {{{{ page.section }}}} ({serial})</b>"
                );
                write(&self.root, "templates/shortcodes/where.html", &template);
                return ("shortcode template".to_string(), None);
            }
            24..=26 => {
                let (what, removed) = self.translation_edit(random, i, kind);
                touched = removed;
                what
            }
            15 => {
                let config = format!(
                    "title: Differential {serial}\nbase_url: https://help.example.com/{}/\nlinks:\n  broken: {}\nrelated:\n  limit: 3\n  category_limit: 3\nlint:\n  file-name: off\n  missing-description: off\n{}",
                    random.pick(&["docs", "help"]),
                    self.broken_links,
                    languages(self.german)
                );
                write(&self.root, "kbgen.yaml", &config);
                return ("configuration".to_string(), None);
            }
            _ => {
                // Several articles at once.
                let j = random.below(self.articles.len());
                self.articles[i].title = format!("Batch {serial}");
                self.articles[j].body = format!("Batch text {serial}.");
                self.articles[j].tags = vec!["batch".to_string()];
                "a batch of two"
            }
        };
        // What the watcher reports: files removed, and files written.
        touched.retain(|path| !self.root.join("content").join(path).exists());
        touched.extend(self.write_all());
        (what.to_string(), Some(touched))
    }
}

/// The `languages:` of kbgen.yaml for a site in English and German.
fn languages(german: bool) -> &'static str {
    if german {
        "languages:\n  - code: en\n  - code: de\n    name: Deutsch\n"
    } else {
        ""
    }
}

/// A section's `_index.md`, from `title|slug` (the slug may be empty).
fn intro(title_and_slug: &str) -> String {
    let (title, slug) = title_and_slug
        .split_once('|')
        .unwrap_or((title_and_slug, ""));
    let slug = if slug.is_empty() {
        String::new()
    } else {
        format!("slug: {slug}\n")
    };
    format!("---\ntitle: \"{title}\"\n{slug}---\nThe intro. Where: {{{{ where() }}}}\n")
}

/// Writes `text` unless the file holds it already; returns whether it wrote.
fn write(root: &Path, path: &str, text: &str) -> bool {
    let target = root.join(path);
    fs::create_dir_all(target.parent().unwrap()).unwrap();
    let changed = fs::read_to_string(&target).ok().as_deref() != Some(text);
    if changed {
        fs::write(target, text).unwrap();
    }
    changed
}

fn options(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        ..BuildOptions::default()
    }
}

/// A fresh build's report, and its files unless the files on disk do not
/// build.
fn fresh(root: &Path) -> (Vec<Diagnostic>, Option<BTreeMap<String, Vec<u8>>>) {
    let sink = MemorySink::default();
    let outcome = build_site(&options(root), &sink).expect("the configuration loads");
    let files = (!outcome.report.has_errors()).then(|| sink.into_files());
    (outcome.report.diagnostics, files)
}

/// The first difference between two sites, for the failure message.
fn first_difference(
    served: &BTreeMap<String, Vec<u8>>,
    fresh: &BTreeMap<String, Vec<u8>>,
) -> Option<String> {
    let paths: std::collections::BTreeSet<_> = served.keys().chain(fresh.keys()).collect();
    paths.into_iter().find_map(|path| {
        let (a, b) = (served.get(path), fresh.get(path));
        (a != b).then(|| match (a, b) {
            (Some(_), None) => format!("{path} is served but a fresh build has no such file"),
            (None, Some(_)) => format!("{path} is missing from the served site"),
            (Some(a), Some(b)) => format!(
                "{path} differs:\n--- served\n{}\n--- fresh\n{}",
                String::from_utf8_lossy(a),
                String::from_utf8_lossy(b)
            ),
            (None, None) => unreachable!(),
        })
    })
}

/// Runs one sequence; panics with its seed and steps on the first stale page.
fn run_sequence(seed: u64) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut random = Random::new(seed);
    let mut site = Site::create(root, &mut random);
    let mut preview = Preview::new(options(root));
    let first = preview.rebuild(&Changes::everything());
    assert!(
        first.published,
        "seed {seed}: the first build failed: {:?}",
        first.report
    );
    let mut history = Vec::new();
    let mut compared = 0;
    for _ in 0..STEPS {
        let before = served(&preview);
        let (what, touched) = site.edit(&mut random);
        history.push(what);
        let changes = match touched {
            Some(paths) => Changes {
                content: paths.into_iter().collect(),
                ..Changes::default()
            },
            None => Changes::everything(),
        };
        let step = preview.rebuild(&changes);
        let now = served(&preview);
        let (report, files) = fresh(root);
        // Every problem at the same place as a fresh build finds it, whatever
        // the preview reused.
        assert_eq!(
            step.report.diagnostics, report,
            "seed {seed}, after {history:?}: the report differs from a fresh build's"
        );
        match files {
            Some(expected) => {
                assert!(
                    step.published,
                    "seed {seed}, after {history:?}: a site that builds was not published: {:?}",
                    step.report
                );
                if let Some(difference) = first_difference(&now, &expected) {
                    panic!("seed {seed}, after {history:?}: {difference}");
                }
                compared += expected.len();
            }
            None => {
                assert!(
                    !step.published,
                    "seed {seed}, after {history:?}: a site with errors was published"
                );
                assert!(
                    now == before,
                    "seed {seed}, after {history:?}: a failed rebuild changed the served site"
                );
            }
        }
    }
    compared
}

#[test]
fn generated_edit_sequences_serve_what_a_fresh_build_writes() {
    let sequences = std::env::var("KBGEN_DIFF_SEQUENCES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(SEQUENCES);
    let started = std::time::Instant::now();
    let compared: usize = (1..=sequences).map(run_sequence).sum();
    eprintln!(
        "{sequences} sequences of {STEPS} batches, {compared} files compared, in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
