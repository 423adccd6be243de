//! Taxonomy terms across the whole import. kbgen gives a term the URL of its
//! slug, so two spellings with one slug (`billing pix`, `billing-pix`) are one
//! term, and kbgen refuses a site that writes both; the source tools merged
//! them silently (Docusaurus and Hugo by their own slug of the term). So each
//! term is written as the first page (in import order) spelled it, and each
//! page whose spelling changed says so; a term with no letter or digit (no
//! URL to give it) is not kept, and is a finding.

use std::collections::HashMap;

use super::front::ConvertedPage;
use crate::content::naming::slugify;
use crate::diagnostics::Diagnostic;

/// Writes every term of `pages` as its first spelling; returns the findings.
pub fn settle_terms(pages: &mut [ConvertedPage]) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    let mut first: HashMap<(String, String), String> = HashMap::new();
    for page in pages.iter_mut().filter(|p| p.redirect.is_none()) {
        for (name, terms) in page.front.taxonomy.iter_mut() {
            let mut kept: Vec<String> = Vec::new();
            for term in terms.drain(..) {
                let slug = slugify(&term);
                if slug.is_empty() {
                    findings.push(term_finding(
                        &page.shown,
                        format!("the {name} `{term}` has no letter or digit to make its URL from; not kept"),
                    ));
                    continue;
                }
                let spelling = first
                    .entry((name.clone(), slug))
                    .or_insert_with(|| term.clone())
                    .clone();
                if spelling != term {
                    findings.push(term_finding(
                        &page.shown,
                        format!("the {name} `{term}` is written `{spelling}`, as another page spells it: kbgen gives both one URL"),
                    ));
                }
                if !kept.contains(&spelling) {
                    kept.push(spelling);
                }
            }
            *terms = kept;
        }
        page.front.taxonomy.retain(|_, terms| !terms.is_empty());
    }
    findings
}

fn term_finding(shown: &std::path::Path, message: String) -> Diagnostic {
    Diagnostic::warning("import/taxonomy", shown, message).at(1, 1)
}
