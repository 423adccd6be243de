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
    /// Entries of the same articles stay as they are, so a run that changed
    /// one article of 10,000 replaces one entry rather than all of them.
    pub fn keep<'a>(
        &mut self,
        articles: impl Iterator<Item = &'a Arc<SourceArticle>>,
        values: &[T],
    ) {
        let mut current: Vec<&'a str> = Vec::with_capacity(values.len());
        for (article, value) in articles.zip(values) {
            current.push(&article.content_path);
            match self.by_file.get_mut(&article.content_path) {
                Some((seen, _)) if Arc::ptr_eq(seen, article) => {}
                Some(entry) => *entry = (Arc::clone(article), value.clone()),
                None => {
                    let entry = (Arc::clone(article), value.clone());
                    self.by_file.insert(article.content_path.clone(), entry);
                }
            }
        }
        // Every article has its entry now; any more are of files gone.
        if self.by_file.len() > current.len() {
            let current: rustc_hash::FxHashSet<&str> = current.into_iter().collect();
            self.by_file
                .retain(|file, _| current.contains(file.as_str()));
        }
    }

    pub fn clear(&mut self) {
        self.by_file.clear();
    }
}
