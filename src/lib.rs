//! kbgen turns a folder of Markdown help articles into a static help-center site.
//!
//! The modules follow the build pipeline, and data flows one way through them:
//! [`config`] → [`content`] (walk, front matter, one scanning pass over the Markdown)
//! → [`site`] (sections, URLs, taxonomies, related articles) → [`render`] (Markdown,
//! highlighting, Tera) → [`output`] (the folder that is swapped in, or memory).
//! Every stage reports problems as [`diagnostics::Diagnostic`] values with a place
//! in the file the author opened, and [`build`] ties the stages together.

pub mod build;

pub mod config;
pub mod content;
pub mod diagnostics;
pub mod fix;
pub mod import;
pub mod lint;
pub mod markdown;
pub mod mv;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod theme;
pub mod yaml_errors;
