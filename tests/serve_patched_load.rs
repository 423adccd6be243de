//! The preview's quick load: when the watcher names only edits of article
//! files, the last load is patched rather than made again. Each test here
//! edits a small site in a way that changes more than the article itself
//! (a draft published or hidden again, a translation of a draft, broken
//! front matter and its fix, a file left out and back in, snippets an
//! article stops including, a static file added in the same batch) and
//! checks after every step that the served site and the report are what a
//! fresh build gives, with drafts left out and with drafts built.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use kbgen::build::preview::Preview;
use kbgen::build::{build_site, BuildOptions, Changes, Drafts};
use kbgen::diagnostics::Diagnostic;
use kbgen::output::MemorySink;

mod common;
use common::served;

/// A site on disk with a preview of it kept up to date, for both ways of
/// building drafts, and what each preview's last run reported.
struct Previewed {
    dir: tempfile::TempDir,
    previews: Vec<(Drafts, Preview, Vec<Diagnostic>)>,
}

impl Previewed {
    /// `files` (path under the root, text) written, and previews built.
    fn new(files: &[(&str, &str)]) -> Previewed {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            write(dir.path(), path, text);
        }
        let previews = [Drafts::Skip, Drafts::Include]
            .into_iter()
            .map(|drafts| {
                let mut preview = Preview::new(options(dir.path(), drafts));
                let run = preview.rebuild(&Changes::everything());
                (drafts, preview, run.report.diagnostics)
            })
            .collect();
        let site = Previewed { dir, previews };
        site.assert_fresh("the first build", &[]);
        site
    }

    /// Writes `files` under `content/` and tells the previews the watcher
    /// named them (`everything` adds a change outside `content/`); then
    /// checks them against a fresh build.
    fn edit(&mut self, files: &[(&str, &str)], everything: bool, step: &str) {
        for (path, text) in files {
            write(self.dir.path(), &format!("content/{path}"), text);
        }
        let changes = Changes {
            content: files.iter().map(|(path, _)| path.to_string()).collect(),
            everything,
            ..Changes::default()
        };
        let mut before = Vec::new();
        for (_, preview, report) in &mut self.previews {
            before.push(served(preview));
            *report = preview.rebuild(&changes).report.diagnostics;
        }
        self.assert_fresh(step, &before);
    }

    /// Every preview reports what a fresh build reports and serves what it
    /// writes, or, when the files do not build, still serves `before`.
    fn assert_fresh(&self, step: &str, before: &[BTreeMap<String, Vec<u8>>]) {
        let root = self.dir.path();
        for (i, (drafts, preview, report)) in self.previews.iter().enumerate() {
            let (expected, files) = fresh(root, *drafts);
            assert_eq!(*report, expected, "{step} ({drafts:?}): the reports differ");
            let served = served(preview);
            let Some(files) = files else {
                assert!(
                    served == before[i],
                    "{step} ({drafts:?}): a failed run published"
                );
                continue;
            };
            let paths: Vec<_> = served.keys().collect();
            let expected_paths: Vec<_> = files.keys().collect();
            assert_eq!(paths, expected_paths, "{step} ({drafts:?}): other files");
            for (path, bytes) in &files {
                assert!(
                    served[path] == *bytes,
                    "{step} ({drafts:?}): {path} differs from a fresh build's:\n{}",
                    String::from_utf8_lossy(&served[path])
                );
            }
        }
    }
}

/// An article of section `a` with `front` (lines of YAML) and `body`.
fn article(title: &str, front: &str, body: &str) -> String {
    format!("---\ntitle: {title}\ndescription: About {title}.\n{front}---\n{body}\n")
}

fn write(root: &Path, path: &str, text: &str) {
    let target = root.join(path);
    fs::create_dir_all(target.parent().unwrap()).unwrap();
    fs::write(target, text).unwrap();
}

fn options(root: &Path, drafts: Drafts) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        drafts,
        ..BuildOptions::default()
    }
}

fn fresh(root: &Path, drafts: Drafts) -> (Vec<Diagnostic>, Option<BTreeMap<String, Vec<u8>>>) {
    let sink = MemorySink::default();
    let outcome = build_site(&options(root, drafts), &sink).expect("the configuration loads");
    let files = (!outcome.report.has_errors()).then(|| sink.into_files());
    (outcome.report.diagnostics, files)
}

const CONFIG: &str = "title: Patched\nbase_url: https://help.example.com/\n";
const GERMAN: &str = "title: Patched\nbase_url: https://help.example.com/\nlanguages:\n  - code: en\n  - code: de\n    name: Deutsch\n";

/// Three articles in section `a`, one in `b`, with `config`.
fn small_site(config: &str) -> Vec<(String, String)> {
    let mut files = vec![
        ("kbgen.yaml".to_string(), config.to_string()),
        (
            "content/a/_index.md".to_string(),
            "---\ntitle: Section A\n---\nThe intro.\n".to_string(),
        ),
    ];
    for (path, title) in [
        ("a/one.md", "One"),
        ("a/two.md", "Two"),
        ("a/three.md", "Three"),
        ("b/four.md", "Four"),
    ] {
        files.push((
            format!("content/{path}"),
            article(title, "", &format!("## Steps\n\nThe text of {title}.")),
        ));
    }
    files
}

fn previewed(files: &[(String, String)]) -> Previewed {
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    Previewed::new(&files)
}

/// A body with a warning of the article's own: a link cut at its space.
const WARNED: &str = "## Steps\n\nSee [there](other page) for more.";

#[test]
fn an_article_turning_draft_and_back_leaves_the_lists_and_problems_as_a_fresh_build() {
    let mut site = previewed(&small_site(CONFIG));
    let draft = article("One", "draft: true\n", "## Steps\n\nNot yet.");
    site.edit(&[("a/one.md", &draft)], false, "one.md made a draft");
    // A draft edited as a draft: its problems are reported only where
    // drafts are built.
    let warned = article("One", "draft: true\n", WARNED);
    site.edit(&[("a/one.md", &warned)], false, "a warning in the draft");
    let text = article("One", "draft: true\n", "## Steps\n\nStill not.");
    site.edit(
        &[("a/one.md", &text)],
        false,
        "the warning gone from the draft",
    );
    let published = article("One", "", WARNED);
    site.edit(
        &[("a/one.md", &published)],
        false,
        "one.md published, with its warning",
    );
    let fixed = article("One", "", "## Steps\n\nFixed.");
    site.edit(&[("a/one.md", &fixed)], false, "its warning fixed");
    // Two at once: one turns draft, the other has only new text.
    let two = article("Two", "", "## Steps\n\nNew text of two.");
    site.edit(
        &[("a/one.md", &draft), ("a/two.md", &two)],
        false,
        "a batch with a draft",
    );
}

#[test]
fn a_translation_of_a_draft_stays_a_draft_through_its_own_edits() {
    let mut files = small_site(GERMAN);
    files.push((
        "content/a/one.de.md".to_string(),
        article("Eins", "", "## Schritte\n\nDer Text."),
    ));
    let mut site = previewed(&files);
    let draft = article("One", "draft: true\n", "## Steps\n\nNot yet.");
    site.edit(&[("a/one.md", &draft)], false, "the source made a draft");
    let german = article("Eins", "", "## Schritte\n\nNeuer Text.");
    site.edit(&[("a/one.de.md", &german)], false, "the translation's text");
    let german_draft = article("Eins", "draft: true\n", "## Schritte\n\nEntwurf.");
    site.edit(
        &[("a/one.de.md", &german_draft)],
        false,
        "the translation a draft itself",
    );
    site.edit(&[("a/one.de.md", &german)], false, "and not any more");
    let published = article("One", "", "## Steps\n\nOut now.");
    site.edit(&[("a/one.md", &published)], false, "the source published");
    site.edit(
        &[("a/one.de.md", &german_draft)],
        false,
        "the translation alone a draft",
    );
    let german_text = article("Eins", "draft: true\n", "## Schritte\n\nNoch ein Entwurf.");
    site.edit(
        &[("a/one.de.md", &german_text)],
        false,
        "the draft translation's text",
    );
}

#[test]
fn broken_front_matter_and_an_unreadable_file_then_their_fixes() {
    let mut site = previewed(&small_site(CONFIG));
    let broken = "---\ntitle: [One\n---\n## Steps\n\nText.\n";
    site.edit(&[("a/one.md", broken)], false, "broken front matter");
    let fixed = article("One", "", "## Steps\n\nBack.");
    site.edit(&[("a/one.md", &fixed)], false, "its fix");
    site.edit(&[("a/two.md", "")], false, "an empty file");
    let two = article("Two", "", "## Steps\n\nWritten again.");
    site.edit(&[("a/two.md", &two)], false, "written again");
    let unclosed = "---\ntitle: Three\n## Steps\n";
    site.edit(
        &[("a/three.md", unclosed)],
        false,
        "front matter never closed",
    );
    let three = article("Three", "", "## Steps\n\nClosed.");
    site.edit(&[("a/three.md", &three)], false, "closed");
    let typo = article("Three", "tittle: Typo\n", "## Steps\n\nClosed.");
    site.edit(
        &[("a/three.md", &typo)],
        false,
        "a front matter key with a typo",
    );
    site.edit(&[("a/three.md", &three)], false, "the typo fixed");
}

#[test]
fn a_file_whose_name_gives_no_slug_is_left_out_until_its_front_matter_gives_one() {
    let mut files = small_site(CONFIG);
    files.push((
        "content/b/!!!.md".to_string(),
        article("Marks", "slug: marks\n", "## Steps\n\nText."),
    ));
    let mut site = previewed(&files);
    let no_slug = article("Marks", "", "## Steps\n\nText.");
    site.edit(&[("b/!!!.md", &no_slug)], false, "its slug removed");
    let edited = article("Marks", "", "## Steps\n\nOther text.");
    site.edit(&[("b/!!!.md", &edited)], false, "edited without a slug");
    let draft = article("Marks", "draft: true\n", "## Steps\n\nOther text.");
    site.edit(&[("b/!!!.md", &draft)], false, "a draft without a slug");
    let slug = article("Marks", "slug: marks\n", "## Steps\n\nText.");
    site.edit(&[("b/!!!.md", &slug)], false, "its slug back");
}

#[test]
fn a_section_index_or_a_static_file_in_the_same_batch_as_an_article() {
    let mut site = previewed(&small_site(CONFIG));
    let one = article("One", "", "## Steps\n\nWith the section.");
    let index = "---\ntitle: Renamed A\nslug: renamed\n---\nAnother intro.\n";
    site.edit(
        &[("a/one.md", &one), ("a/_index.md", index)],
        false,
        "an article and its section's index",
    );
    // A static file appears (the watcher reports it as a change to
    // everything) while an article changes.
    write(site.dir.path(), "static/notes.txt", "Static notes.");
    let one = article("One", "", "## Steps\n\nSee [the notes](/notes.txt).");
    site.edit(
        &[("a/one.md", &one)],
        true,
        "a static file and a link to it",
    );
    let one = article(
        "One",
        "",
        "## Steps\n\nThe notes again: [notes](/notes.txt).",
    );
    site.edit(&[("a/one.md", &one)], false, "the article alone");
}

#[test]
fn an_article_that_stops_including_the_only_use_of_a_snippet() {
    let mut files = small_site(CONFIG);
    files.push((
        "content/_snippets/contact.md".to_string(),
        "Write to the help desk.\n".to_string(),
    ));
    let including = article("One", "", "## Steps\n\n{{ include(path=\"contact.md\") }}");
    files.push(("content/a/one.md".to_string(), including.clone()));
    let mut site = previewed(&files);
    let text = article(
        "One",
        "",
        "## Steps\n\n{{ include(path=\"contact.md\") }}\n\nMore.",
    );
    site.edit(&[("a/one.md", &text)], false, "text beside the include");
    let without = article("One", "", "## Steps\n\nNo snippet.");
    site.edit(&[("a/one.md", &without)], false, "the include removed");
    let two = article("Two", "", "## Steps\n\n{{ include(path=\"contact.md\") }}");
    site.edit(&[("a/two.md", &two)], false, "another article includes it");
    let missing = article("Two", "", "## Steps\n\n{{ include(path=\"contacts.md\") }}");
    site.edit(
        &[("a/two.md", &missing)],
        false,
        "a snippet that is not there",
    );
    site.edit(&[("a/two.md", &two)], false, "the name fixed");
}

#[test]
fn files_whose_names_carry_a_language_suffix() {
    let mut files = small_site(GERMAN);
    // Not a language of the site: an article of its own, named so.
    files.push((
        "content/b/socket.io.md".to_string(),
        article("Socket", "", "## Steps\n\nText."),
    ));
    // A bundle with its translation.
    files.push((
        "content/b/bundle/index.md".to_string(),
        article("Bundle", "", "## Steps\n\nText."),
    ));
    files.push((
        "content/b/bundle/index.de.md".to_string(),
        article("Bündel", "", "## Schritte\n\nText."),
    ));
    files.push((
        "content/a/two.de.md".to_string(),
        article("Zwei", "", "## Schritte\n\nText."),
    ));
    let mut site = previewed(&files);
    let socket = article("Socket", "slug: sockets\n", "## Steps\n\nNew text.");
    site.edit(&[("b/socket.io.md", &socket)], false, "the dotted name");
    let bundle = article("Bündel", "", "## Schritte\n\nNeuer Text.");
    site.edit(
        &[("b/bundle/index.de.md", &bundle)],
        false,
        "the bundle's translation",
    );
    let zwei = article("Zwei", "slug: zwo\n", "## Schritte\n\nNeu.");
    let two = article("Two", "", "## Steps\n\nNew.");
    site.edit(
        &[("a/two.de.md", &zwei), ("a/two.md", &two)],
        false,
        "an article and its translation",
    );
}

#[test]
fn lint_findings_follow_the_edited_article_only() {
    let mut site = previewed(&small_site(CONFIG));
    let skipped = article("One", "", "## Steps\n\n#### Too deep\n\nText.");
    site.edit(&[("a/one.md", &skipped)], false, "a heading level skipped");
    let undescribed = "---\ntitle: Two\n---\n## Steps\n\nText.\n";
    site.edit(
        &[("a/two.md", undescribed)],
        false,
        "a description removed from another",
    );
    let one = article("One", "", "## Steps\n\n### Right depth\n\nText.");
    site.edit(&[("a/one.md", &one)], false, "the heading fixed");
    let two = article("Two", "", "## Steps\n\nText.");
    site.edit(&[("a/two.md", &two)], false, "the description back");
}
