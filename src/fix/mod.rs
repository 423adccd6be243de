//! `kbgen fix`: finds the parts of articles that authors keep by hand and
//! kbgen now makes itself, and turns them into what kbgen reads: a trailing
//! "Related articles" list into front-matter `related:` ([`related_list`]),
//! raw-HTML callout boxes into the `callout` shortcode ([`callout_html`]),
//! `&nbsp;` spacer paragraphs into nothing ([`spacers`]), site URLs into `@/`
//! references ([`site_links`]). Each rule returns edits of one article's text;
//! this module runs the rules `kbgen.yaml` leaves on, one after the other on
//! the text the previous one left, and gathers what they changed.
//!
//! The shared pieces ([`edit`], [`yaml`], [`links`]) are used by `kbgen mv` too.

pub mod callout_html;
pub mod edit;
pub mod links;
pub mod related_list;
pub mod site_links;
pub mod spacers;
pub mod yaml;

use std::path::{Path, PathBuf};

use crate::config::{Config, FixConfig, FixRule};
use crate::diagnostics::Diagnostic;
use crate::site::{ArticleId, Site, SiteOptions};
use edit::{Edit, SourceFile};

/// A fix rule, by the name `kbgen.yaml` and the messages use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    RelatedList,
    CalloutHtml,
    Spacers,
    SiteLinks,
}

impl Rule {
    /// Every rule, in the order they run.
    pub const ALL: [Rule; 4] = [
        Rule::RelatedList,
        Rule::CalloutHtml,
        Rule::Spacers,
        Rule::SiteLinks,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Rule::RelatedList => "related-list",
            Rule::CalloutHtml => "callout-html",
            Rule::Spacers => "spacers",
            Rule::SiteLinks => "site-links",
        }
    }

    fn setting(self, config: &FixConfig) -> FixRule {
        match self {
            Rule::RelatedList => config.related_list,
            Rule::CalloutHtml => config.callout_html,
            Rule::Spacers => config.spacers,
            Rule::SiteLinks => config.site_links,
        }
    }

    fn run(self, article: &ArticleText<'_>) -> Outcome {
        match self {
            Rule::RelatedList => related_list::fix(article),
            Rule::CalloutHtml => callout_html::fix(article),
            Rule::Spacers => spacers::fix(article),
            Rule::SiteLinks => site_links::fix(article),
        }
    }
}

/// One change a rule made, or one hand-kept part it left alone, at its place
/// (`path:line:col`) in the text the rule read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: Rule,
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// Changed (true) or left alone and reported (false).
    pub fixed: bool,
}

impl Finding {
    /// `content/a.md:3:1: related-list: …`, with `(left alone)` for a part
    /// the rule did not change.
    pub fn headline(&self) -> String {
        let kept = if self.fixed { "" } else { " (left alone)" };
        format!(
            "{}:{}:{}: {}{kept}: {}",
            edit::shown(&self.path),
            self.line,
            self.column,
            self.rule.name(),
            self.message
        )
    }
}

/// An article as one rule sees it: its current text and its place in the site.
pub struct ArticleText<'a> {
    pub site: &'a Site,
    pub id: ArticleId,
    /// The text as the previous rules left it (normalized).
    pub text: &'a str,
    /// Where the Markdown body starts in `text`.
    pub body_start: usize,
    /// The file, as messages show it (`content/a/b.md`).
    pub path: &'a Path,
}

impl ArticleText<'_> {
    /// A finding of `rule` at byte `offset` of the text.
    pub fn finding(&self, rule: Rule, offset: usize, message: String, fixed: bool) -> Finding {
        let (line, column) = crate::diagnostics::line_col(self.text, offset);
        Finding {
            rule,
            path: self.path.to_path_buf(),
            line,
            column,
            message,
            fixed,
        }
    }

    /// The article's content path (`a/b.md`) and page path (`a/b/`).
    pub fn places(&self) -> (&str, &str) {
        let article = &self.site.articles[self.id];
        (&article.source.content_path, &article.path)
    }
}

/// What one rule does to one article.
#[derive(Debug, Default)]
pub struct Outcome {
    pub edits: Vec<Edit>,
    pub findings: Vec<Finding>,
}

/// A file `fix` changes.
#[derive(Debug)]
pub struct FixedFile {
    /// As messages show it (`content/a.md`); under the site root.
    pub path: PathBuf,
    /// The file as it is on disk, for the diff.
    pub original: String,
    /// The new text as it is saved (BOM and line ends of the file).
    pub saved: String,
}

/// Everything `fix` found in a site.
#[derive(Debug, Default)]
pub struct FixReport {
    pub files: Vec<FixedFile>,
    pub findings: Vec<Finding>,
}

impl FixReport {
    /// Every change as a unified diff.
    pub fn diff(&self) -> String {
        self.files
            .iter()
            .map(|f| {
                let name = edit::shown(&f.path);
                edit::unified_diff(&name, &name, &f.original, &f.saved)
            })
            .collect()
    }

    /// Writes the changed files under `root`, each through a hidden file
    /// renamed over it, so a file is never left half-written.
    pub fn write(&self, root: &Path) -> Result<(), Diagnostic> {
        for file in &self.files {
            let path = root.join(&file.path);
            let hidden = path.with_file_name(format!(
                ".{}.kbgen-fix",
                path.file_name()
                    .map_or_else(Default::default, |n| n.to_string_lossy())
            ));
            let written =
                std::fs::write(&hidden, &file.saved).and_then(|()| std::fs::rename(&hidden, &path));
            if let Err(e) = written {
                let _ = std::fs::remove_file(&hidden);
                return Err(Diagnostic::error(
                    "io",
                    &file.path,
                    format!("cannot write: {e}"),
                ));
            }
        }
        Ok(())
    }
}

/// Runs the rules on the articles of the site at `root`; with `only`, on the
/// articles under those files or folders (read from the current folder, else
/// from `root`). A path of `only` that does not exist is an error: fixing the
/// whole site instead of a mistyped part would change what was not asked for.
pub fn fix_site(root: &Path, only: &[PathBuf]) -> Result<FixReport, Diagnostic> {
    let (site, _) = load_site(root)?;
    let mut paths = Vec::new();
    for path in only {
        let found = path
            .canonicalize()
            .or_else(|_| root.join(path).canonicalize());
        match found {
            Ok(real) => paths.push(real),
            Err(e) => {
                return Err(Diagnostic::error(
                    "io",
                    path,
                    format!("cannot fix what is not there: {e}"),
                ))
            }
        }
    }
    let only = paths;
    let mut report = FixReport::default();
    for (id, article) in site.articles.iter().enumerate() {
        let shown = &article.source.source.path;
        let file = root.join(shown);
        if !only.is_empty() {
            let Ok(real) = file.canonicalize() else {
                continue;
            };
            if !only.iter().any(|o| real.starts_with(o)) {
                continue;
            }
        }
        let source = SourceFile::read(&file)
            .map_err(|e| Diagnostic::error("io", shown, format!("cannot read: {e}")))?;
        let (new_text, mut findings) = fix_article(&site, id, shown, &source.text);
        report.findings.append(&mut findings);
        if new_text != source.text {
            report.files.push(FixedFile {
                path: shown.clone(),
                saved: source.saved_form(&new_text),
                original: source.raw,
            });
        }
    }
    Ok(report)
}

/// The rules, in order, on one article's text.
fn fix_article(site: &Site, id: ArticleId, path: &Path, text: &str) -> (String, Vec<Finding>) {
    let mut text = text.to_string();
    let mut findings = Vec::new();
    for rule in Rule::ALL {
        if rule.setting(&site.config.fix) == FixRule::Off {
            continue;
        }
        let Ok(split) = crate::content::front_matter::split(&text, path) else {
            break;
        };
        let article = ArticleText {
            site,
            id,
            text: &text,
            body_start: split.body_start,
            path,
        };
        let mut outcome = rule.run(&article);
        findings.append(&mut outcome.findings);
        if !outcome.edits.is_empty() {
            text = edit::apply(&text, &outcome.edits);
        }
    }
    (text, findings)
}

/// Loads `root` into the site model, drafts included, as `check` sees it.
/// Content problems come back beside the model; a broken `kbgen.yaml` is the
/// error.
pub fn load_site(root: &Path) -> Result<(Site, Vec<Diagnostic>), Diagnostic> {
    let config = Config::load(root)?;
    let options = crate::content::LoadOptions {
        drafts: true,
        languages: crate::content::file_language::Codes::of(&config),
    };
    let (content, mut problems) = crate::content::load(root, options);
    let site_options = SiteOptions {
        links_into_drafts_are_errors: false,
        search: config.search.enabled,
    };
    let (site, more) = crate::site::build(config, content, site_options);
    problems.extend(more);
    Ok((site, problems))
}
