//! The order of sections and articles: weight, then the `NN.` prefix, then
//! title, then path, everywhere; sections depth-first, so every section's
//! articles (and its sub-sections') form one range of the site's article list.

use std::sync::Arc;

use super::Section;
use crate::content::{SectionId, SourceArticle, SourceSection};

/// Sets each section's output path and orders sub-sections; returns the
/// sections and their depth-first order.
pub(super) fn arrange_sections(sources: Vec<SourceSection>) -> (Vec<Section>, Vec<SectionId>) {
    let mut sections: Vec<Section> = Vec::with_capacity(sources.len());
    for source in sources {
        let path = match source.parent {
            // The home page of another language is its folder (`de/`).
            None => match &source.language {
                Some(code) => format!("{code}/"),
                None => String::new(),
            },
            Some(parent) => format!("{}{}/", sections[parent].path, source.slug),
        };
        sections.push(Section {
            source,
            path,
            children: Vec::new(),
            articles: 0..0,
            subtree: 0..0,
            link_targets: Default::default(),
            language: 0,
            translations: Vec::new(),
        });
    }
    for id in 1..sections.len() {
        if let Some(parent) = sections[id].source.parent {
            sections[parent].children.push(id);
        }
    }
    let keys: Vec<SortKey> = sections
        .iter()
        .map(|s| {
            SortKey::new(
                s.source.weight,
                s.source.order,
                &s.source.title,
                &s.source.content_path,
            )
        })
        .collect();
    for section in &mut sections {
        section.children.sort_by(|a, b| keys[*a].cmp(&keys[*b]));
    }
    let mut depth_first = Vec::with_capacity(sections.len());
    // The home pages: the default language's, then the others' in order.
    let mut stack: Vec<SectionId> = (0..sections.len())
        .filter(|&id| sections[id].source.parent.is_none())
        .rev()
        .collect();
    while let Some(id) = stack.pop() {
        depth_first.push(id);
        stack.extend(sections[id].children.iter().rev());
    }
    (sections, depth_first)
}

/// The order of siblings everywhere: weight, then `NN.` prefix, then title, then path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SortKey {
    weight: (bool, i64),
    order: (bool, u32),
    title: String,
    path: String,
}

impl SortKey {
    pub fn new(weight: Option<i64>, order: Option<u32>, title: &str, path: &str) -> Self {
        SortKey {
            weight: (weight.is_none(), weight.unwrap_or(0)),
            order: (order.is_none(), order.unwrap_or(0)),
            title: title.to_lowercase(),
            path: path.to_string(),
        }
    }
}

pub(super) fn order_articles(
    mut articles: Vec<Arc<SourceArticle>>,
    sections: &[Section],
    depth_first: &[SectionId],
) -> Vec<Arc<SourceArticle>> {
    let mut position = vec![0; sections.len()];
    for (i, id) in depth_first.iter().enumerate() {
        position[*id] = i;
    }
    articles.sort_by_cached_key(|a| {
        (
            position[a.section],
            SortKey::new(a.front.weight, a.order, &a.front.title, &a.content_path),
        )
    });
    articles
}

pub(super) fn assign_article_ranges(
    sections: &mut [Section],
    articles: &[Arc<SourceArticle>],
    depth_first: &[SectionId],
) {
    let mut start = 0;
    for &id in depth_first {
        let count = articles[start..]
            .iter()
            .take_while(|a| a.section == id)
            .count();
        sections[id].articles = start..start + count;
        start += count;
    }
    // A subtree ends where the last article of its last descendant ends.
    for &id in depth_first.iter().rev() {
        let own = sections[id].articles.clone();
        let end = sections[id]
            .children
            .iter()
            .map(|c| sections[*c].subtree.end)
            .max()
            .unwrap_or(own.end)
            .max(own.end);
        sections[id].subtree = own.start..end;
    }
}
