//! The field mapping of an import: a page's front matter, read into one JSON
//! map, taken key by key into kbgen's fields (`published: false` → `draft:
//! true`, `tags` → `taxonomy.tag`, `sidebar_position` → `weight`, old URLs
//! and redirects noted for the URL settling). What no rule takes is kept
//! under `extra`; a value that cannot be mapped (a date in no known format)
//! is kept there too, and is a finding at its key's line.

use serde_json::{Map, Value};

use super::body::Context;
use super::dates::iso_date;
use super::front::{ConvertedPage, FrontOut};
use super::Tool;
use crate::diagnostics::Diagnostic;

/// Maps a raw front-matter map onto kbgen's fields.
pub struct Fields<'a, 'c> {
    pub raw: Map<String, Value>,
    pub front_text: &'a str,
    pub context: &'a Context<'c>,
    pub findings: &'a mut Vec<Diagnostic>,
}

impl Fields<'_, '_> {
    pub fn map_into(&mut self, out: &mut ConvertedPage) {
        let page = self.context.page;
        let tool = self.context.tool;
        let f = &mut out.front;
        f.title = self.take_text(&["title"]);
        f.description = self.take_text(&["description", "summary", "excerpt"]);
        if let Some(slug) = self.take_text(&["slug"]) {
            if slug.contains('/') {
                let base = if tool == Tool::Docusaurus && slug.starts_with('/') {
                    format!("{}/docs", page.old_url_prefix)
                } else {
                    page.old_url_prefix.clone()
                };
                out.old_urls.push(format!("{base}{slug}"));
            } else {
                f.slug = Some(slug);
            }
        }
        if tool == Tool::Docusaurus {
            self.docusaurus_id(out);
        }
        for key in ["url", "permalink"] {
            if let Some(url) = self.take_text(&[key]) {
                self.old_url(key, url, out);
            }
        }
        let f = &mut out.front;
        if let Some(Value::Object(mut routes)) = self.raw.remove("routes") {
            for key in ["default", "canonical"] {
                if let Some(Value::String(url)) = routes.remove(key) {
                    out.old_urls.push(url);
                }
            }
            out.old_urls.extend(strings(routes.remove("aliases")));
            if !routes.is_empty() {
                f.extra.insert("routes".into(), Value::Object(routes));
            }
        }
        for key in ["aliases", "redirect_from"] {
            let section_url =
                super::plan::parent(page.old_url.as_deref().unwrap_or("")).to_string();
            for alias in strings(self.raw.remove(key)) {
                let alias = if alias.starts_with('/') || tool != Tool::Hugo {
                    alias
                } else {
                    format!("{section_url}/{alias}")
                };
                out.old_urls.push(alias);
            }
        }
        for key in ["redirect_to", "redirect"] {
            if let Some(target) = strings(self.raw.remove(key)).into_iter().next() {
                out.redirect_line = self.line_of(key);
                out.redirect = Some(target);
            }
        }
        let f = &mut out.front;
        f.draft =
            self.take_bool("draft") == Some(true) || self.take_bool("published") == Some(false);
        out.left_out = self.headless();
        out.leaves_out_below = self.cascades_headless();
        let f = &mut out.front;
        f.date = self
            .take_date(&["date", "publishDate", "pubDate", "created"], f)
            .or(page.date.clone());
        f.updated = self.take_date(&["updated", "lastmod", "last_modified_at", "modified"], f);
        f.weight = self
            .take_weight(&["weight", "sidebar_position", "nav_order", "order"])
            .or(page.weight);
        self.take_taxonomy(f);
        if let Some(Value::Object(extra)) = self.raw.remove("extra") {
            f.extra.extend(extra);
        }
        let rest = std::mem::take(&mut self.raw);
        f.extra.extend(rest);
    }

    /// Docusaurus serves a doc at its `id` in place of its file name (unless
    /// a `slug` says otherwise): the id becomes the slug, so the URL stays.
    fn docusaurus_id(&mut self, out: &mut ConvertedPage) {
        let Some(Value::String(id)) = self.raw.get("id") else {
            return;
        };
        let page = self.context.page;
        let is_folder_page =
            out.section || super::translations::source_target(page).ends_with("/index.md");
        if id.contains('/') || is_folder_page || out.front.slug.is_some() {
            return;
        }
        let file_url = page.old_url.as_deref().unwrap_or("").trim_end_matches('/');
        let file_segment = super::plan::file_name(file_url);
        if id != file_segment {
            out.front.slug = Some(id.clone());
            if let Some(old) = &page.old_url {
                let dir = super::plan::parent(old.trim_end_matches('/'));
                out.old_urls.retain(|u| u != old);
                out.old_urls.push(format!("{dir}/{id}/"));
            }
        }
        self.raw.remove("id");
    }

    /// `url`/`permalink`: a path is an old URL; one with placeholders
    /// (`/:year/:title/`) cannot be worked out here, and is a finding.
    fn old_url(&mut self, key: &str, url: String, out: &mut ConvertedPage) {
        if url.contains(':') && !url.contains("://") {
            self.findings.push(
                Diagnostic::warning(
                    "import/front-matter",
                    self.context.shown,
                    format!("`{key}: {url}` has placeholders; the old URL is not kept as an alias"),
                )
                .at(self.line_of(key), 1),
            );
            out.front.extra.insert(key.to_string(), Value::String(url));
        } else if self.context.tool == Tool::Jekyll
            && !self.context.page.old_url_prefix.is_empty()
            && !url.starts_with(&format!("{}/", self.context.page.old_url_prefix))
        {
            // jekyll-polyglot serves a translation's `permalink` under its
            // language's folder.
            out.old_urls
                .push(format!("{}{url}", self.context.page.old_url_prefix));
        } else {
            out.old_urls.push(url);
        }
    }

    fn headless(&mut self) -> bool {
        let never = |v: Option<&Value>| match v {
            Some(Value::Object(build)) => build
                .get("render")
                .is_some_and(|r| r == "never" || r == false || r == "false"),
            _ => false,
        };
        let headless = self.raw.get("headless") == Some(&Value::Bool(true));
        headless
            || never(self.raw.get("_build"))
            || never(self.raw.get("build"))
            || self.cascades_headless()
    }

    /// A section whose `cascade` never renders its pages (Hugo's `_common`
    /// folders of shared snippets): every page below is left out too.
    fn cascades_headless(&self) -> bool {
        let cascade = self.raw.get("cascade");
        ["_build", "build"].iter().any(|key| {
            cascade
                .and_then(|c| c.get(key))
                .and_then(|b| b.get("render"))
                .is_some_and(|r| r == "never" || r == false || r == "false")
        })
    }

    fn take_text(&mut self, keys: &[&str]) -> Option<String> {
        for key in keys {
            match self.raw.get(*key) {
                Some(Value::String(s)) if !s.trim().is_empty() => {
                    let s = s.trim().to_string();
                    self.raw.remove(*key);
                    return Some(s);
                }
                Some(Value::Number(n)) => {
                    let s = n.to_string();
                    self.raw.remove(*key);
                    return Some(s);
                }
                Some(Value::Null) => {
                    self.raw.remove(*key);
                }
                Some(Value::String(_)) => {
                    self.raw.remove(*key);
                }
                _ => {}
            }
        }
        None
    }

    fn take_bool(&mut self, key: &str) -> Option<bool> {
        match self.raw.get(key) {
            Some(Value::Bool(b)) => {
                let b = *b;
                self.raw.remove(key);
                Some(b)
            }
            Some(Value::String(s)) if s == "true" || s == "false" => {
                let b = s == "true";
                self.raw.remove(key);
                Some(b)
            }
            _ => None,
        }
    }

    fn take_date(&mut self, keys: &[&str], f: &mut FrontOut) -> Option<String> {
        for key in keys {
            let Some(Value::String(written)) = self.raw.get(*key).cloned() else {
                continue;
            };
            self.raw.remove(*key);
            if let Some(iso) = iso_date(&written) {
                return Some(iso);
            }
            self.findings.push(
                Diagnostic::warning(
                    "import/date",
                    self.context.shown,
                    format!("`{key}: {written}` is in no date format the import knows; kept under `extra`"),
                )
                .at(self.line_of(key), 1),
            );
            f.extra.insert(key.to_string(), Value::String(written));
        }
        None
    }

    fn take_weight(&mut self, keys: &[&str]) -> Option<i64> {
        for key in keys {
            let weight = match self.raw.get(*key) {
                Some(Value::Number(n)) => {
                    n.as_i64().or_else(|| n.as_f64().map(|f| f.round() as i64))
                }
                Some(Value::String(s)) => s.trim().parse::<i64>().ok(),
                _ => None,
            };
            if let Some(weight) = weight {
                self.raw.remove(*key);
                return Some(weight);
            }
        }
        None
    }

    fn take_taxonomy(&mut self, f: &mut FrontOut) {
        for key in ["taxonomy", "taxonomies"] {
            if let Some(Value::Object(map)) = self.raw.remove(key) {
                for (name, terms) in map {
                    let name = match name.as_str() {
                        "categories" => "category".to_string(),
                        "tags" => "tag".to_string(),
                        _ => name,
                    };
                    f.taxonomy
                        .entry(name)
                        .or_default()
                        .extend(strings(Some(terms)));
                }
            }
        }
        for (key, name) in [
            ("category", "category"),
            ("categories", "category"),
            ("tags", "tag"),
            ("tag", "tag"),
        ] {
            if let Some(terms) = self.raw.remove(key) {
                let terms = match (terms, self.context.tool) {
                    // Jekyll reads one string as terms separated by spaces.
                    (Value::String(s), Tool::Jekyll) => {
                        s.split_whitespace().map(str::to_string).collect()
                    }
                    (terms, _) => strings(Some(terms)),
                };
                f.taxonomy
                    .entry(name.to_string())
                    .or_default()
                    .extend(terms);
            }
        }
        for terms in f.taxonomy.values_mut() {
            let mut seen = std::collections::HashSet::new();
            terms.retain(|t| !t.trim().is_empty() && seen.insert(t.clone()));
        }
        f.taxonomy.retain(|_, terms| !terms.is_empty());
    }

    /// The line of a top-level key in the front matter (1 when not found).
    fn line_of(&self, key: &str) -> usize {
        for (line, text) in (1..).zip(self.front_text.split('\n')) {
            let t = text.trim_start_matches('"');
            let after = t
                .strip_prefix(key)
                .map(|rest| rest.trim_start_matches('"').trim_start());
            if after.is_some_and(|rest| rest.starts_with([':', '='])) {
                return line;
            }
        }
        1
    }
}

/// A string or a list of strings (numbers written as text); anything else
/// gives nothing.
fn strings(value: Option<Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) if s.trim().is_empty() => Vec::new(),
        Some(Value::String(s)) => vec![s.trim().to_string()],
        Some(Value::Number(n)) => vec![n.to_string()],
        Some(Value::Array(items)) => items
            .into_iter()
            .flat_map(|item| match item {
                Value::String(s) => vec![s.trim().to_string()],
                Value::Number(n) => vec![n.to_string()],
                _ => Vec::new(),
            })
            .collect(),
        _ => Vec::new(),
    }
}
