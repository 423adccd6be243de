//! The anchors a link may point at (heading ids, `{#id}` attributes and
//! raw HTML `id`s, collected per page the first time a link needs them),
//! the check of a link's `#anchor`, and the help for one that is not
//! there: the closest id, or, for a link that crosses languages, the
//! heading in the same place of the version it reaches.

use std::collections::HashSet;
use std::sync::OnceLock;

use super::{closest, Broken};
use crate::content::SourceText;
use crate::site::urls::Target;
use crate::site::{ArticleId, Site};

/// The ids each page can be linked to with `#anchor`.
pub(super) struct Anchors<'a> {
    site: &'a Site,
    /// Each page's set, made the first time a link points at it: most runs
    /// of the preview server check a few files, not every page's anchors.
    articles: Vec<OnceLock<HashSet<&'a str>>>,
    sections: Vec<OnceLock<HashSet<&'a str>>>,
}

/// The ids a page can be linked to with: its headings' and its raw HTML's.
pub(super) fn anchor_ids(source: &SourceText) -> impl Iterator<Item = &str> {
    let headings = source.scan.headings.iter().map(|h| h.id.as_str());
    headings.chain(source.scan.html_ids.iter().map(String::as_str))
}

impl<'a> Anchors<'a> {
    pub(super) fn collect(site: &'a Site) -> Self {
        Anchors {
            site,
            articles: (0..site.articles.len()).map(|_| OnceLock::new()).collect(),
            sections: (0..site.sections.len()).map(|_| OnceLock::new()).collect(),
        }
    }

    /// The anchors of a target, when kbgen knows them all.
    pub(super) fn of(&self, target: Target) -> Option<&HashSet<&'a str>> {
        let site = self.site;
        match target {
            Target::Article(id) => {
                let set = self.articles.get(id)?;
                Some(set.get_or_init(|| anchor_ids(&site.articles[id].source.source).collect()))
            }
            Target::Section(id) => {
                let set = self.sections.get(id)?;
                Some(
                    set.get_or_init(|| match site.sections[id].source.index.as_deref() {
                        Some(index) => anchor_ids(index).collect(),
                        None => HashSet::new(),
                    }),
                )
            }
            Target::TaxonomyIndex(_) | Target::Term(..) | Target::SearchPage => None,
        }
    }
}

pub(super) fn check_anchor(
    site: &Site,
    anchors: &Anchors<'_>,
    target: Target,
    anchor: &str,
) -> Result<(), Broken> {
    let Some(ids) = anchors.of(target) else {
        return Ok(());
    };
    // A browser decodes the fragment before it looks for the id (HTML's
    // "find a potential indicated element" tries the decoded form too).
    let decoded = percent_encoding::percent_decode_str(anchor).decode_utf8_lossy();
    if anchor.is_empty() || ids.contains(anchor) || ids.contains(decoded.as_ref()) {
        return Ok(());
    }
    let message = format!(
        "`#{anchor}` is not an anchor of /{}",
        site.target_path(target)
    );
    if let Some(help) = translated_heading(site, target, anchor) {
        return Err(Broken {
            message,
            help: Some(help),
        });
    }
    let closest = closest(ids.iter().copied(), anchor);
    Err(Broken {
        message,
        help: Some(match closest {
            Some(id) => format!("did you mean `#{id}`?"),
            None => "anchors are heading ids (`## Set up` → `#set-up`), `{#id}` attributes and `id=\"…\"` in raw HTML".to_string(),
        }),
    })
}

/// For an anchor of another language's version of the linked article: a
/// link written to the source file reaches the translation in the linking
/// article's language (`x.md#solution` from a German article goes to
/// `x.de.md`, whose headings are German), or the source when there is no
/// such translation (`x.md#lösung` from a Portuguese one). Names the
/// linked article's heading in the same place, as translations keep their
/// source's outline.
fn translated_heading(site: &Site, target: Target, anchor: &str) -> Option<String> {
    let Target::Article(id) = target else {
        return None;
    };
    let source = site.source_article(id)?;
    let headings = |id: ArticleId| &site.articles[id].source.source.scan.headings;
    let language_of = |id: ArticleId| &site.languages[site.articles[id].language].config.name;
    // The versions of the article: its source, then its translations.
    let versions = std::iter::once(source)
        .chain(site.articles[source].translations.iter().flatten().copied())
        .filter(|&other| other != id);
    let (other, index) = versions
        .filter_map(|other| Some((other, headings(other).iter().position(|h| h.id == anchor)?)))
        .next()?;
    let which = if id == source {
        "source".to_string()
    } else {
        format!("{} translation", language_of(id))
    };
    let version = if other == source {
        "its source".to_string()
    } else {
        format!("its {} translation", language_of(other))
    };
    let place = format!(
        "the link goes to the {which}, content/{}; `#{anchor}` is a heading of {version}",
        site.articles[id].source.content_path
    );
    Some(match headings(id).get(index) {
        Some(heading) => format!(
            "{place}, and the same heading there is `#{}`: did you mean it?",
            heading.id
        ),
        None => format!("{place}, which this one does not have"),
    })
}
