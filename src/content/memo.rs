//! Results worked out per article, kept while the article is the same: the
//! load hands out the same `Arc<SourceArticle>` for a file it did not read
//! again, so an article that is `Arc::ptr_eq` to the one a result was found
//! in gives the same result (lint findings, checks against the templates).
//! Holding the `Arc` keeps its address from being reused by another article.

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use super::SourceArticle;

/// Results by article file, each with the article it was found in.
#[derive(Debug)]
pub struct ArticleMemo<T> {
    by_file: HashMap<String, (Arc<SourceArticle>, T)>,
}

impl<T> Default for ArticleMemo<T> {
    fn default() -> Self {
        ArticleMemo {
            by_file: HashMap::default(),
        }
    }
}

impl<T: Clone> ArticleMemo<T> {
    /// The result kept for `article`, if it is the article it was found in.
    pub fn get(&self, article: &Arc<SourceArticle>) -> Option<&T> {
        match self.by_file.get(&article.content_path) {
            Some((seen, value)) if Arc::ptr_eq(seen, article) => Some(value),
            _ => None,
        }
    }

    /// Keeps `values[i]` for the `i`th of `articles`, and nothing else.
    pub fn keep<'a>(
        &mut self,
        articles: impl Iterator<Item = &'a Arc<SourceArticle>>,
        values: &[T],
    ) {
        self.by_file = articles
            .zip(values)
            .map(|(a, v)| (a.content_path.clone(), (Arc::clone(a), v.clone())))
            .collect();
    }

    pub fn clear(&mut self) {
        self.by_file.clear();
    }
}
