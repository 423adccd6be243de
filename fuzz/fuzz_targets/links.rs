//! Link resolution: `UrlTable::resolve` and `join_relative` on arbitrary
//! references, against a small table like a real site's that the input can extend.
//!
//! The input is text, one instruction a line (see `fuzz/README.md`):
//! `P path` page, `C content.md` content path, `A content=>output` asset,
//! `F output` file, `L path` alias, `D content=>page` draft,
//! `@ from|page|base` sets where the following references are written;
//! any other line is a reference, resolved from the current place and from a
//! few fixed ones, with base paths `/` and `/help/`.
//!
//! Checks that nothing panics; that a `File` is a file that was registered, a
//! `Page`/`Alias` target one that was registered and a `Draft` a registered
//! draft page; that a registered page is found by its path; and that
//! `join_relative` of a clean folder (no `.`/`..` parts) never returns a path
//! with `.` or `..` parts, empty parts or a leading slash.
#![no_main]

use std::collections::HashSet;

use kbgen::site::urls::{join_relative, Resolution, Target, UrlTable};
use libfuzzer_sys::fuzz_target;

#[derive(Default)]
struct Known {
    targets: HashSet<Target>,
    articles: HashSet<usize>,
    files: HashSet<String>,
    drafts: HashSet<String>,
}

impl Known {
    fn page(&mut self, table: &mut UrlTable, path: &str, target: Target) {
        if table.insert_page(path, target).is_ok() {
            assert_eq!(table.page(path), Some(target));
        }
        self.target(target);
    }

    fn target(&mut self, target: Target) {
        self.targets.insert(target);
        if let Target::Article(id) = target {
            self.articles.insert(id);
        }
    }

    fn content(&mut self, table: &mut UrlTable, content_path: &str, target: Target) {
        table.insert_content_path(content_path, target);
        self.target(target);
    }

    fn asset(&mut self, table: &mut UrlTable, content_path: &str, output: &str) {
        table.insert_asset(content_path, output.to_string());
        self.files.insert(output.to_string());
    }

    fn file(&mut self, table: &mut UrlTable, output: &str) {
        table.insert_file(output);
        self.files.insert(output.to_string());
    }

    fn alias(&mut self, table: &mut UrlTable, path: &str, article: usize) {
        table.insert_alias(path, article);
        self.articles.insert(article);
    }

    fn draft(&mut self, table: &mut UrlTable, content_path: &str, page: &str) {
        table.insert_draft(content_path, page);
        self.drafts.insert(page.to_string());
    }

    fn check(&self, resolution: &Resolution, reference: &str) {
        match resolution {
            Resolution::External | Resolution::SamePage(_) | Resolution::Broken { .. } => {}
            Resolution::Page(target, _) => assert!(
                self.targets.contains(target),
                "{reference:?} resolved to {target:?}, which was never registered"
            ),
            Resolution::Alias(article, _) => assert!(
                self.articles.contains(article),
                "{reference:?} resolved to alias of {article}, which was never registered"
            ),
            Resolution::File(path) => assert!(
                self.files.contains(path),
                "{reference:?} resolved to file {path:?}, which was never registered"
            ),
            Resolution::Draft(page) => assert!(
                self.drafts.contains(page),
                "{reference:?} resolved to draft {page:?}, which was never registered"
            ),
        }
    }
}

/// A table like the one a small site builds.
fn base_table(known: &mut Known) -> UrlTable {
    let mut t = UrlTable::default();
    known.page(&mut t, "", Target::Section(0));
    known.page(&mut t, "jira/", Target::Section(1));
    known.page(&mut t, "jira/oauth-401/", Target::Article(0));
    known.page(&mut t, "jira/other/", Target::Article(1));
    known.page(&mut t, "getting-started/first-steps/", Target::Article(2));
    known.page(&mut t, "tags/", Target::TaxonomyIndex(0));
    known.page(&mut t, "tags/sso/", Target::Term(0, 0));
    known.content(&mut t, "_index.md", Target::Section(0));
    known.content(&mut t, "Jira Cloud/_index.md", Target::Section(1));
    known.content(&mut t, "Jira Cloud/oauth-401.md", Target::Article(0));
    known.content(&mut t, "Jira Cloud/other.md", Target::Article(1));
    known.content(
        &mut t,
        "01.Getting Started/first-steps.md",
        Target::Article(2),
    );
    known.asset(&mut t, "Jira Cloud/img/a.png", "jira/img/a.png");
    known.file(&mut t, "images/x.png");
    known.file(&mut t, "sitemap.xml");
    known.alias(&mut t, "old/oauth/", 0);
    known.draft(&mut t, "Jira Cloud/wip.md", "jira/wip/");
    t
}

const PLACES: [(&str, &str); 3] = [
    ("Jira Cloud/other.md", "jira/other/"),
    (
        "01.Getting Started/first-steps.md",
        "getting-started/first-steps/",
    ),
    ("_index.md", ""),
];

const DIRS: [&str; 5] = [
    "",
    "Jira Cloud",
    "a/b/c",
    "jira/other/",
    "01.Getting Started",
];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut known = Known::default();
    let mut table = base_table(&mut known);
    let mut from = PLACES[0].0.to_string();
    let mut page = PLACES[0].1.to_string();
    let mut base = "/".to_string();
    let mut next_id = 10;
    for line in text.split('\n') {
        let two = |rest: &str| match rest.split_once("=>") {
            Some((a, b)) => (a.to_string(), b.to_string()),
            None => (rest.to_string(), format!("{rest}/")),
        };
        if let Some(rest) = line.strip_prefix("P ") {
            next_id += 1;
            known.page(&mut table, rest, Target::Article(next_id));
        } else if let Some(rest) = line.strip_prefix("C ") {
            next_id += 1;
            known.content(&mut table, rest, Target::Article(next_id));
        } else if let Some(rest) = line.strip_prefix("A ") {
            let (content, output) = two(rest);
            known.asset(&mut table, &content, &output);
        } else if let Some(rest) = line.strip_prefix("F ") {
            known.file(&mut table, rest);
        } else if let Some(rest) = line.strip_prefix("L ") {
            known.alias(&mut table, rest, next_id % 4);
        } else if let Some(rest) = line.strip_prefix("D ") {
            let (content, page) = two(rest);
            known.draft(&mut table, &content, &page);
        } else if let Some(rest) = line.strip_prefix("@ ") {
            let mut parts = rest.splitn(3, '|');
            from = parts.next().unwrap_or_default().to_string();
            page = parts.next().unwrap_or_default().to_string();
            base = parts.next().unwrap_or("/").to_string();
        } else {
            let resolution = table.resolve(&from, &page, line, &base);
            known.check(&resolution, line);
            for (from, page) in PLACES {
                for base in ["/", "/help/"] {
                    let resolution = table.resolve(from, page, line, base);
                    known.check(&resolution, line);
                }
            }
            for dir in DIRS {
                check_join(dir, line);
            }
            if is_clean(&from) {
                check_join(&from, line);
            }
        }
    }
});

/// No `.` or `..` parts: what content paths and page paths look like.
fn is_clean(dir: &str) -> bool {
    dir.split('/').all(|p| p != "." && p != "..")
}

fn check_join(dir: &str, relative: &str) {
    let Some(joined) = join_relative(dir, relative) else {
        return;
    };
    assert!(
        !joined.starts_with('/'),
        "join_relative({dir:?}, {relative:?}) = {joined:?}"
    );
    let parts = joined.strip_suffix('/').unwrap_or(&joined);
    if parts.is_empty() {
        return;
    }
    for part in parts.split('/') {
        assert!(
            !part.is_empty() && part != "." && part != "..",
            "join_relative({dir:?}, {relative:?}) = {joined:?}"
        );
    }
}
