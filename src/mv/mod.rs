//! `kbgen mv OLD NEW`: moves an article (a file or a page bundle) or a whole
//! section, gives every moved article its old URL as an alias (and drops an
//! alias that is its new URL, so a move can be undone by the move back), and
//! rewrites every link to what moved, in the form each link was written in.
//!
//! The rule it keeps: the whole move happens or nothing does. [`plan`] decides
//! every change in memory, writes the planned site to a temporary copy and
//! checks it as `kbgen check` would; a move that would add an error (a broken
//! link, a URL taken twice) is refused before anything is touched. [`apply`]
//! then carries the plan out (see [`apply`] for how it stays all-or-nothing).

mod apply;
mod paths;
mod rewrite;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::fix::edit::{self, Edit};
use crate::fix::yaml;

pub use apply::apply;
use paths::TempSite;
use rewrite::{Moved, NewPlace};

/// Why a move was not planned. Nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum MoveError {
    /// The paths given cannot be moved (exit code 2).
    #[error("{0}")]
    Usage(String),
    /// The move would break the site: the problems the planned site has that
    /// the current one has not.
    #[error("{reason}")]
    Refused {
        reason: String,
        problems: Vec<Diagnostic>,
    },
    /// A file could not be read, copied or written.
    #[error("{path}: {message}")]
    Io { path: PathBuf, message: String },
}

/// Every change of a move, decided and checked, not yet made.
#[derive(Debug)]
pub struct Plan {
    pub root: PathBuf,
    /// The one rename: the article's file or folder, or the section's folder,
    /// as paths under the root (`content/a/x.md`).
    pub from: PathBuf,
    pub to: PathBuf,
    /// Whether `from` is a folder (a section or a page bundle).
    pub folder: bool,
    /// The moved article's translations, renamed after `from` (`x.de.md` to
    /// `y.de.md`), as paths under the root; empty for a folder, whose
    /// translations move inside it.
    pub translations: Vec<(PathBuf, PathBuf)>,
    /// Every file the rename moves, where it is and where it will be, under
    /// the root, in path order: `from` and `to` themselves, or each file of
    /// the folder.
    pub renamed: Vec<(PathBuf, PathBuf)>,
    /// Files whose text changes, at the place they will have after the rename.
    pub files: Vec<PlannedFile>,
    /// The aliases the move adds (each moved article's old URL) and drops
    /// (an alias that is the article's new URL, when it moves back).
    pub aliases: Vec<AliasChange>,
    /// Links the move could not rewrite, as warnings at their place.
    pub warnings: Vec<Diagnostic>,
}

/// An alias a move adds or drops, in the article's file (as it is named
/// after the move).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AliasChange {
    Added(PathBuf, String),
    Dropped(PathBuf, String),
}

/// One file's new text.
#[derive(Debug)]
pub struct PlannedFile {
    /// Where it is now and where it will be, under the root.
    pub before: PathBuf,
    pub after: PathBuf,
    /// The new text as it is saved (BOM and line ends of the file).
    pub saved: String,
    /// The file as it is now, to put back if the move fails half-way.
    pub original: String,
    /// How many links in it were rewritten.
    pub links: usize,
}

impl Plan {
    /// The change as a unified diff in the form of `git diff` (which
    /// `git apply` and `patch -p1` read): each moved file that keeps its text
    /// as a rename, then each file whose text changes, a moved one as a rename
    /// with its edits.
    pub fn diff(&self) -> String {
        let mut out = String::new();
        for (before, after) in &self.renamed {
            if !self.files.iter().any(|f| f.before == *before) {
                out.push_str(&edit::unified_diff(
                    &edit::shown(before),
                    &edit::shown(after),
                    "",
                    "",
                ));
            }
        }
        for file in &self.files {
            out.push_str(&edit::unified_diff(
                &edit::shown(&file.before),
                &edit::shown(&file.after),
                &file.original,
                &file.saved,
            ));
        }
        out
    }
}

/// Plans moving `old` to `new` in the site at `root`. `new` may be an existing
/// section folder, to move `old` into it under its own name.
pub fn plan(root: &Path, old: &Path, new: &Path) -> Result<Plan, MoveError> {
    let moving = paths::resolve(root, old, new)?;
    let (site, _) = crate::fix::load_site(root).map_err(config_error)?;
    let moving = paths::with_translations(root, moving, &site.config.translation_codes())?;
    let temp = TempSite::copy(root)?;
    temp.rename(&moving)?;
    let (new_site, _) = crate::fix::load_site(temp.root()).map_err(config_error)?;
    let moved = Moved::new(&site, &new_site, &moving);

    let mut files = Vec::new();
    let mut warnings = Vec::new();
    let mut aliases = Vec::new();
    for holder in rewrite::holders(&site) {
        let new_cp = moving.map(&holder.content_path);
        let snippet = crate::content::snippets::is_snippet_file(&holder.content_path);
        let new_page = match moved.page_path_of(&new_cp) {
            Some(page) => page,
            None if snippet => holder.page_path.clone(),
            None => continue,
        };
        let place = NewPlace {
            content_path: &new_cp,
            page_path: &new_page,
        };
        let (mut edits, mut links, mut unwritten) =
            rewrite::link_edits(&site, &moved, &holder, place);
        warnings.append(&mut unwritten);
        let includes = rewrite::include_edits(&holder, &moving);
        links += includes.len();
        edits.extend(includes);
        edits.sort_by_key(|e| e.range.start);
        if let Some(old_url) = holder
            .article_path
            .as_ref()
            .filter(|_| new_cp != holder.content_path)
        {
            let text = &holder.text.text;
            let page_of = |e: &yaml::Entry| crate::site::alias_path(&e.value, &site.base_path);
            let present = yaml::find_list(text, "aliases").is_some_and(|l| {
                l.entries
                    .iter()
                    .any(|e| page_of(e).as_ref() == Some(old_url))
            });
            let added = (!present && new_page != *old_url).then(|| format!("/{old_url}"));
            // An alias that is the new URL (a move back) would be the page
            // itself: it goes.
            let is_new_url = |e: &yaml::Entry| page_of(e).as_ref() == Some(&new_page);
            let list = yaml::find_list(text, "aliases");
            let dropped: Vec<String> = list
                .iter()
                .flat_map(|l| &l.entries)
                .filter(|e| is_new_url(e))
                .map(|e| e.value.clone())
                .collect();
            edits.extend(yaml::edit_list(
                text,
                "aliases",
                is_new_url,
                added.as_slice(),
            ));
            let file = content_file(&new_cp);
            aliases.extend(added.map(|alias| AliasChange::Added(file.clone(), alias)));
            aliases.extend(
                dropped
                    .into_iter()
                    .map(|a| AliasChange::Dropped(file.clone(), a)),
            );
        }
        if edits.is_empty() {
            continue;
        }
        files.push(planned_file(root, &holder, &new_cp, &edits, links)?);
    }
    let (from, to) = (content_file(&moving.old), content_file(&moving.new));
    let translations: Vec<(PathBuf, PathBuf)> = (moving.translations.iter())
        .map(|(old, new)| (content_file(old), content_file(new)))
        .collect();
    let mut renamed = paths::renamed_files(root, &from, &to)?;
    renamed.extend(translations.iter().cloned());
    let plan = Plan {
        renamed,
        root: root.to_path_buf(),
        from,
        to,
        folder: moving.folder,
        translations,
        files,
        aliases,
        warnings,
    };
    temp.write_planned(&plan)?;
    verify(root, &temp)?;
    Ok(plan)
}

fn planned_file(
    root: &Path,
    holder: &rewrite::Holder<'_>,
    new_cp: &str,
    edits: &[Edit],
    links: usize,
) -> Result<PlannedFile, MoveError> {
    let before = content_file(&holder.content_path);
    let original = std::fs::read_to_string(root.join(&before)).map_err(|e| MoveError::Io {
        path: before.clone(),
        message: format!("cannot read: {e}"),
    })?;
    let file = edit::SourceFile::from_raw(&before, &original);
    if file.text != holder.text.text {
        return Err(MoveError::Usage(format!(
            "{} changed while the move was planned; run it again",
            before.display()
        )));
    }
    let new_text = edit::apply(&file.text, edits);
    Ok(PlannedFile {
        before,
        after: content_file(new_cp),
        saved: file.saved_form(&new_text),
        original,
        links,
    })
}

/// `content/<content path>`.
fn content_file(content_path: &str) -> PathBuf {
    Path::new("content").join(content_path)
}

fn config_error(diagnostic: Diagnostic) -> MoveError {
    MoveError::Usage(diagnostic.headline())
}

/// Checks the planned site in the temporary copy as `kbgen check` would, and
/// refuses the move when it has an error the current site has not.
fn verify(root: &Path, temp: &TempSite) -> Result<(), MoveError> {
    let errors = |root: &Path| -> Result<Vec<Diagnostic>, MoveError> {
        let options = crate::build::BuildOptions {
            root: root.to_path_buf(),
            drafts: crate::build::Drafts::Check,
            ..Default::default()
        };
        let outcome = crate::build::check_site(&options)
            .map_err(|crate::build::SetupError::Config(d)| config_error(d))?;
        Ok(outcome
            .report
            .diagnostics
            .into_iter()
            .filter(Diagnostic::is_error)
            .collect())
    };
    let before = errors(root)?;
    let after = errors(temp.root())?;
    let mut known: HashMap<(&str, &str), usize> = HashMap::new();
    for d in &before {
        *known.entry((d.code, d.message.as_str())).or_default() += 1;
    }
    let new_problems: Vec<Diagnostic> = after
        .iter()
        .filter(|d| {
            let seen = known.entry((d.code, d.message.as_str())).or_default();
            if *seen > 0 {
                *seen -= 1;
                false
            } else {
                true
            }
        })
        .cloned()
        .collect();
    if !new_problems.is_empty() {
        return Err(MoveError::Refused {
            reason: format!(
                "the site would not build after this move ({}); nothing was changed",
                crate::diagnostics::plural(new_problems.len().max(1), "new error")
            ),
            problems: new_problems,
        });
    }
    Ok(())
}
