//! The output table: every file the build writes, and what claims it.
//!
//! Pages, the redirect pages of `aliases`, generated files (sitemap, feed, the
//! 404 page, ...), the theme's and the site's static files and the assets beside
//! articles all end up as files under the output folder, so collisions are
//! decided here, on those files, not on URLs: `/x`, `/x/` and `/x/index.html`
//! are one file, and a file `x` cannot live beside a folder `x/`. Claims are
//! made in a fixed order (pages, generated files, theme, static files, assets,
//! aliases) and a claim that finds its file taken is an error at the place of
//! that claim, naming the owner. Two overrides are intended and documented: a
//! site's static file replaces the theme's file of the same name, and
//! `static/_redirects` is merged into the generated `_redirects`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::urls::Target;
use super::{generated, Article, ArticleId, Asset, Section};

/// What writes a file of the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Owner {
    Page(Target),
    /// Sitemap, feed, robots.txt, 404 page, `_redirects`, the search index.
    Generated,
    /// A file of the embedded theme's `static/`.
    Theme,
    /// A file of the site's `static/`, at the same output path.
    Static,
    /// An asset, by its index in the site's assets.
    Asset(usize),
    /// A redirect page for an alias of the article.
    Alias(ArticleId),
    /// A name of `output.keep`, carried over from the previous output.
    Kept,
}

/// A claim that found its place taken: by whom, and the contested path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Taken {
    pub owner: Owner,
    /// The output path both want: the same file, or a file one of them needs
    /// as a folder.
    pub at: String,
}

/// Output path → owner. A key ending in `/` reserves a whole folder.
#[derive(Debug, Default)]
pub(super) struct OutputTable {
    files: BTreeMap<String, Owner>,
}

impl OutputTable {
    /// Claims `file` (a whole folder when it ends with `/`); what was there
    /// when the place is taken.
    pub fn claim(&mut self, file: &str, owner: Owner) -> Result<(), Taken> {
        if let Some(taken) = self.taken(file) {
            return Err(taken);
        }
        self.files.insert(file.to_string(), owner);
        Ok(())
    }

    /// Claims `file` over `replaceable` owners, for the intended overrides.
    pub fn claim_over(
        &mut self,
        file: &str,
        owner: Owner,
        replaceable: impl Fn(Owner) -> bool,
    ) -> Result<(), Taken> {
        if self.files.get(file).is_some_and(|o| replaceable(*o)) {
            self.files.insert(file.to_string(), owner);
            return Ok(());
        }
        self.claim(file, owner)
    }

    fn taken(&self, file: &str) -> Option<Taken> {
        let found = |at: &str| {
            self.files.get(at).map(|owner| Taken {
                owner: *owner,
                at: at.to_string(),
            })
        };
        if let Some(taken) = found(file) {
            return Some(taken);
        }
        // A folder on the way that is a file, or a reserved folder.
        for (i, _) in file.match_indices('/') {
            if let Some(taken) = found(&file[..i]).or_else(|| found(&file[..=i])) {
                return Some(taken);
            }
        }
        // A file below this one, which needs it as a folder.
        let folder = if file.ends_with('/') {
            file.to_string()
        } else {
            format!("{file}/")
        };
        self.files
            .range(folder.clone()..)
            .next()
            .filter(|(path, _)| path.starts_with(&folder))
            .map(|(path, owner)| Taken {
                owner: *owner,
                at: path.clone(),
            })
    }
}

/// What the output table needs to claim files and to name owners.
pub(super) struct Claimants<'a> {
    pub sections: &'a [Section],
    pub articles: &'a [Article],
    pub assets: &'a [Asset],
    pub static_files: &'a BTreeMap<String, PathBuf>,
    pub search: bool,
    /// `output.keep`: names carried over from the previous output.
    pub kept: &'a [String],
}

impl Claimants<'_> {
    /// A table holding every file but the redirect pages, which
    /// [`super::files::register_aliases`] claims. `pages` must be sorted.
    pub fn claim_files(
        &self,
        pages: &[(String, Target)],
        problems: &mut Vec<crate::diagnostics::Diagnostic>,
    ) -> OutputTable {
        // Pages come first and have distinct URLs, and pages that want one
        // URL were reported when the URLs were decided: their files go in
        // at once, without the folder checks, which cost as much as the rest
        // of the table at 10,000 pages.
        let page_files = pages.iter().flat_map(|(path, target)| {
            let page = (format!("{path}index.html"), Owner::Page(*target));
            // An article's Markdown copy (`output::llms`), reserved whether
            // or not kbgen.yaml asks for copies, so `check` finds what
            // `build` would.
            let copy = matches!(target, Target::Article(_))
                .then(|| (format!("{path}index.md"), Owner::Page(*target)));
            std::iter::once(page).chain(copy)
        });
        let mut table = OutputTable {
            files: page_files.collect(),
        };
        for name in generated::ALL {
            let _ = table.claim(name, Owner::Generated);
        }
        if self.search {
            let _ = table.claim(generated::SEARCH_INDEX_DIR, Owner::Generated);
        }
        for name in self.kept {
            let _ = table.claim(name, Owner::Kept);
        }
        for (name, _) in crate::theme::STATIC_FILES {
            let _ = table.claim(name, Owner::Theme);
        }
        for name in self.static_files.keys() {
            // A site's `_redirects` is merged into the generated one, and its
            // own `robots.txt` (a common wish: rules for crawlers) replaces
            // the generated one; every other generated file is kbgen's.
            // A hand-kept `llms.txt` replaces the generated one the same way.
            let yields = name == generated::REDIRECTS
                || name == generated::ROBOTS
                || name == generated::LLMS_TXT;
            let claimed = table.claim_over(name, Owner::Static, |owner| {
                // A site's own `CNAME` replaces the kept one.
                owner == Owner::Theme
                    || owner == Owner::Kept
                    || (yields && owner == Owner::Generated)
            });
            if let Err(taken) = claimed {
                problems.push(self.file_collision(PathBuf::from("static").join(name), &taken));
            }
        }
        for (id, asset) in self.assets.iter().enumerate() {
            if let Err(taken) = table.claim(&asset.path, Owner::Asset(id)) {
                problems.push(self.file_collision(asset.shown(), &taken));
            }
        }
        table
    }

    fn file_collision(&self, file: PathBuf, taken: &Taken) -> crate::diagnostics::Diagnostic {
        crate::diagnostics::Diagnostic::error(
            "url-collision",
            file,
            format!(
                "this file and {} both want /{}",
                self.describe(taken.owner, &taken.at),
                taken.at
            ),
        )
        .with_help("rename or remove the file")
    }

    /// The owner of `at`, for a message: `the page of content/a.md`.
    pub fn describe(&self, owner: Owner, at: &str) -> String {
        let article = |id: ArticleId| self.articles[id].source.source.path.display().to_string();
        match owner {
            Owner::Page(Target::Article(id)) => format!("the page of {}", article(id)),
            Owner::Page(Target::Section(0)) => "the home page".to_string(),
            Owner::Page(Target::Section(id)) => format!(
                "the section page content/{}",
                self.sections[id].source.content_path
            ),
            Owner::Page(Target::TaxonomyIndex(_) | Target::Term(..)) => {
                "a taxonomy page".to_string()
            }
            Owner::Page(Target::SearchPage) => "the search page".to_string(),
            Owner::Generated => "a file the build writes".to_string(),
            Owner::Theme => format!("the theme's static/{at}"),
            Owner::Static => format!("static/{at}"),
            Owner::Asset(id) => self.assets[id].shown().display().to_string(),
            Owner::Alias(id) => format!("an alias of {}", article(id)),
            Owner::Kept => {
                format!("`{at}`, which the build keeps from the previous output (output.keep)")
            }
        }
    }
}

/// An output path as the URL a reader would type: `a/index.html` → `/a/`.
pub(super) fn url_of(file: &str) -> String {
    match file.strip_suffix("index.html") {
        Some(folder) if folder.is_empty() || folder.ends_with('/') => format!("/{folder}"),
        _ => format!("/{file}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_file_one_owner_and_no_file_where_a_folder_must_be() {
        let mut table = OutputTable::default();
        table.claim("a/index.html", Owner::Alias(0)).unwrap();
        table.claim("sitemap.xml", Owner::Generated).unwrap();
        table.claim("pagefind/", Owner::Generated).unwrap();
        let taken = |owner, at: &str| {
            Err(Taken {
                owner,
                at: at.to_string(),
            })
        };
        assert_eq!(
            table.claim("a/index.html", Owner::Static),
            taken(Owner::Alias(0), "a/index.html")
        );
        assert_eq!(
            table.claim("sitemap.xml/index.html", Owner::Alias(1)),
            taken(Owner::Generated, "sitemap.xml")
        );
        assert_eq!(
            table.claim("a", Owner::Static),
            taken(Owner::Alias(0), "a/index.html")
        );
        assert_eq!(
            table.claim("pagefind/x.js", Owner::Static),
            taken(Owner::Generated, "pagefind/")
        );
        assert_eq!(
            table.claim("pagefind", Owner::Static),
            taken(Owner::Generated, "pagefind/")
        );
        assert!(table.claim("ab/index.html", Owner::Alias(1)).is_ok());
    }

    #[test]
    fn the_search_index_folder_is_the_one_output_writes() {
        assert_eq!(
            generated::SEARCH_INDEX_DIR,
            format!("{}/", crate::output::search::SEARCH_DIR)
        );
    }

    #[test]
    fn urls_of_output_files() {
        assert_eq!(url_of("index.html"), "/");
        assert_eq!(url_of("a/index.html"), "/a/");
        assert_eq!(url_of("a/xindex.html"), "/a/xindex.html");
        assert_eq!(url_of("404.html"), "/404.html");
    }
}
