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

/// Results for the articles of a load, in their order, each with the
/// article it was found in. Where the next load has the same article at the
/// same place (the load hands out the same `Arc` for a file it did not read
/// again, and a patched load keeps every other article in its place), the
/// result is reused without a lookup by name: a run that changed one
/// article of 10,000 compares 10,000 pointers and finds one result.
#[derive(Debug)]
pub struct ArticleList<T> {
    entries: Vec<(Arc<SourceArticle>, T)>,
}

impl<T> Default for ArticleList<T> {
    fn default() -> Self {
        ArticleList {
            entries: Vec::new(),
        }
    }
}

impl<T: Clone + Send + Sync> ArticleList<T> {
    /// Brings the list to `articles`: a result kept for the same article is
    /// reused, any other found with `find` (in parallel). The results then
    /// are [`ArticleList::values`], in the order of `articles`.
    pub fn update(
        &mut self,
        articles: &[Arc<SourceArticle>],
        find: impl Fn(&Arc<SourceArticle>) -> T + Sync,
    ) {
        use rayon::prelude::*;
        if self.entries.len() == articles.len() {
            let stale: Vec<usize> = (0..articles.len())
                .filter(|&i| !Arc::ptr_eq(&self.entries[i].0, &articles[i]))
                .collect();
            let found: Vec<T> = if stale.len() > 1 {
                stale.par_iter().map(|&i| find(&articles[i])).collect()
            } else {
                stale.iter().map(|&i| find(&articles[i])).collect()
            };
            for (i, value) in stale.into_iter().zip(found) {
                self.entries[i] = (Arc::clone(&articles[i]), value);
            }
            return;
        }
        // Articles came or went: the others are found by their file.
        let kept: HashMap<&str, &(Arc<SourceArticle>, T)> = (self.entries.iter())
            .map(|entry| (entry.0.content_path.as_str(), entry))
            .collect();
        let entries = articles
            .par_iter()
            .map(|article| match kept.get(article.content_path.as_str()) {
                Some((seen, value)) if Arc::ptr_eq(seen, article) => {
                    (Arc::clone(article), value.clone())
                }
                _ => (Arc::clone(article), find(article)),
            })
            .collect();
        drop(kept);
        self.entries = entries;
    }

    /// The results, in the order of the last [`ArticleList::update`].
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.entries.iter().map(|(_, value)| value)
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }
}
