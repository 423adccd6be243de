//! `dates: git`: articles' dates (and last author) from the repository the
//! site is in, applied to the loaded articles between loading and the site
//! model.
//!
//! Front matter wins: `updated:` and `date:` as written are kept, and git
//! fills in what they leave out ([`SourceArticle::date`],
//! [`SourceArticle::updated`]). A file edited but not committed keeps the
//! dates of its last commit: git dates say when a change was published, and
//! a preview must show what the build of the same commit will. A file git
//! does not know yet (new, not committed) has front matter's dates only.
//!
//! History is walked once per session ([`GitDates`]) and again only when
//! `HEAD` moves (a commit, a checkout) or the clone stops being shallow; an
//! edit to an article costs one look at `HEAD`. A shallow clone (the default
//! of CI checkouts) would date every file by the one commit it has, so it is
//! reported once, with the fix, and dates come from front matter.

use std::path::Path;
use std::sync::Arc;

use super::git_history::{History, Repository, Walk};
use super::memo::ArticleMemo;
use super::{Content, SourceArticle};
use crate::config::{Config, DatesFrom, CONFIG_FILE};
use crate::diagnostics::Diagnostic;

/// What a session keeps of git between runs (see the module docs).
#[derive(Default)]
pub struct GitDates {
    /// The last walk, with the `HEAD` it walked from.
    walked: Option<(super::git_history::Head, Arc<Known>)>,
    /// Each article with its dates, by the article as loaded: an article
    /// loaded again unchanged gets the same dated article (so results kept
    /// per article stay valid).
    dated: ArticleMemo<Arc<SourceArticle>>,
}

/// What the repository said.
#[derive(Debug)]
enum Known {
    History(History),
    NoRepository,
    Shallow,
    Unborn,
    Failed(String),
}

impl GitDates {
    /// Gives `content`'s articles their git history when `config` asks for
    /// it; returns what is worth telling (a shallow clone, no repository, a
    /// history that cannot be read), each once.
    pub fn apply(
        &mut self,
        root: &Path,
        config: &Config,
        content: &mut Content,
    ) -> Vec<Diagnostic> {
        if config.dates != DatesFrom::Git {
            self.walked = None;
            self.dated.clear();
            return Vec::new();
        }
        let known = self.known(root);
        let history = match &*known {
            Known::History(history) => history,
            other => return problem(config, other).into_iter().collect(),
        };
        let articles: Vec<Arc<SourceArticle>> = content
            .articles
            .iter()
            .map(|article| match self.dated.get(article) {
                Some(dated) => Arc::clone(dated),
                None => match history.files.get(&article.content_path) {
                    Some(found) => Arc::new(SourceArticle {
                        history: Some(Arc::clone(found)),
                        ..SourceArticle::clone(article)
                    }),
                    None => Arc::clone(article),
                },
            })
            .collect();
        self.dated.keep(content.articles.iter(), &articles);
        content.articles = articles;
        Vec::new()
    }

    /// The history of the repository around `root`: the last walk while
    /// `HEAD` is where it was, else a new one.
    fn known(&mut self, root: &Path) -> Arc<Known> {
        let repository = match Repository::discover(root) {
            Ok(Some(repository)) => repository,
            Ok(None) => return self.remember(None, Known::NoRepository),
            Err(e) => return self.remember(None, Known::Failed(e)),
        };
        let head = match repository.head() {
            Ok(head) => head,
            Err(e) => return self.remember(None, Known::Failed(e)),
        };
        if let Some((walked, known)) = &self.walked {
            if *walked == head {
                return Arc::clone(known);
            }
        }
        let known = match repository.walk() {
            Ok(Walk::History(history)) => Known::History(history),
            Ok(Walk::Shallow) => Known::Shallow,
            Ok(Walk::Unborn) => Known::Unborn,
            Err(e) => Known::Failed(e),
        };
        self.remember(Some(head), known)
    }

    fn remember(&mut self, head: Option<super::git_history::Head>, known: Known) -> Arc<Known> {
        let known = Arc::new(known);
        self.dated.clear();
        self.walked = head.map(|head| (head, Arc::clone(&known)));
        known
    }
}

/// The warning for a repository that gives no dates, placed at `dates:`.
fn problem(config: &Config, known: &Known) -> Option<Diagnostic> {
    let warning = |message: String, help: &str| {
        let warning = Diagnostic::warning("git", CONFIG_FILE, message).with_help(help);
        match config.place_of(&["dates"]) {
            Some((line, column)) => warning.at(line, column),
            None => warning,
        }
    };
    match known {
        Known::History(_) | Known::Unborn => None,
        Known::Shallow => Some(warning(
            "`dates: git`, but the repository is a shallow clone: it lacks the commits that wrote most articles, so dates come from front matter".into(),
            "fetch the whole history: `fetch-depth: 0` under `with:` of actions/checkout (GitHub Actions), `GIT_DEPTH: 0` (GitLab CI), or `git fetch --unshallow`",
        )),
        Known::NoRepository => Some(warning(
            "`dates: git`, but the site is not in a git repository: dates come from front matter".into(),
            "build from a clone of the repository, or set `dates: front-matter`",
        )),
        Known::Failed(e) => Some(warning(
            format!("`dates: git`, but the git history cannot be read ({e}): dates come from front matter"),
            "check that the clone is complete (`git fsck`); a partial clone needs its trees (`--filter=blob:none` is fine, `--filter=tree:0` is not)",
        )),
    }
}

/// `repo_url` as the forge's web pages start: without a trailing `/` or the
/// `.git` of a clone URL.
fn web_url(repo_url: &str) -> &str {
    let url = repo_url.trim_end_matches('/');
    url.strip_suffix(".git")
        .unwrap_or(url)
        .trim_end_matches('/')
}

/// Where edit and history links point, from `repo_url` and the repository
/// around `root`: its checked-out branch (unless `edit_branch` names one,
/// else `main`) and the site's folder in it (the top when there is no
/// repository, as in a build from an exported copy). A clone URL's `.git`
/// (`https://github.com/acme/help.git`, as people copy it) is dropped: the
/// forges' web pages have none.
pub fn forge(root: &Path, config: &Config) -> Option<crate::config::Forge> {
    let repo_url = config.repo_url.as_deref()?;
    let kind = config
        .repo_kind
        .or_else(|| crate::config::RepoKind::detect(repo_url))?;
    let repository = Repository::discover(root).ok().flatten();
    let branch = config
        .edit_branch
        .clone()
        .or_else(|| repository.as_ref().and_then(Repository::branch))
        .unwrap_or_else(|| "main".to_string());
    let site_folder = repository.map_or(String::new(), |r| r.site_folder());
    Some(crate::config::Forge {
        kind,
        repo_url: web_url(repo_url).to_string(),
        branch,
        site_folder,
    })
}
