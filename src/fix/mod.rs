//! `kbgen fix`: finds the parts of articles that authors keep by hand and
//! kbgen now makes itself, and turns them into what kbgen reads: a trailing
//! "Related articles" list into front-matter `related:`, raw-HTML callout boxes
//! into the `callout` shortcode, `&nbsp;` spacer paragraphs into nothing, site
//! URLs into `@/` references. Each rule is a module that returns edits; this
//! module runs the rules that `kbgen.yaml` leaves on and gathers their edits.
//!
//! The shared pieces ([`edit`], [`yaml`], [`links`]) are used by `kbgen mv` too.

pub mod edit;
pub mod links;
pub mod yaml;

use std::path::Path;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::site::{Site, SiteOptions};

/// Loads `root` into the site model, drafts included, as `check` sees it.
/// Content problems come back beside the model; a broken `kbgen.yaml` is the
/// error.
pub fn load_site(root: &Path) -> Result<(Site, Vec<Diagnostic>), Diagnostic> {
    let config = Config::load(root)?;
    let options = crate::content::LoadOptions { drafts: true };
    let (content, mut problems) = crate::content::load(root, options);
    let site_options = SiteOptions {
        links_into_drafts_are_errors: false,
        search: config.search,
    };
    let (site, more) = crate::site::build(config, content, site_options);
    problems.extend(more);
    Ok((site, problems))
}
