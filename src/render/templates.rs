//! The Tera instance of a build: the embedded theme under the `theme/` prefix,
//! the site's own `templates/` over it.
//!
//! A template name resolves to the site's file first and to the theme's second,
//! also inside `extends` and `include`, so a site overrides one file without
//! copying the theme. Templates are parsed once per build.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tera::{ErrorKind, Tera};

use crate::diagnostics::Diagnostic;
use crate::theme;

const THEME_PREFIX: &str = "theme/";

pub struct Templates {
    tera: Tera,
    /// Template name → the file to show in diagnostics.
    files: HashMap<String, PathBuf>,
    /// Site templates that failed to load (reported already).
    broken: std::collections::HashSet<String>,
    /// The arguments each shortcode template declares (`{#- args: … -#}`).
    shortcode_args: super::shortcode_args::ArgSchemas,
}

impl Templates {
    /// Loads the theme and the site's `templates/` folder under `root`. Each
    /// broken site template is reported; the theme's version is used instead.
    pub fn load(root: &Path) -> (Templates, Vec<Diagnostic>) {
        let mut tera = Tera::new();
        let mut files = HashMap::new();
        let mut problems = Vec::new();
        if let Err(e) = tera.set_fallback_prefixes([THEME_PREFIX]) {
            problems.push(Diagnostic::error("template", "templates", e.to_string()));
        }
        let theme = theme::TEMPLATES
            .iter()
            .map(|(name, source)| (format!("{THEME_PREFIX}{name}"), *source));
        for (name, _) in theme::TEMPLATES {
            files.insert(
                format!("{THEME_PREFIX}{name}"),
                PathBuf::from(format!("templates/{name} (built-in theme)")),
            );
        }
        if let Err(e) = tera.add_raw_templates(theme) {
            problems.push(template_error(&e, &files));
        }
        let mut templates = Templates {
            tera,
            files,
            broken: Default::default(),
            shortcode_args: Default::default(),
        };
        for (name, source) in theme::TEMPLATES {
            templates.declare_shortcode_args(name, source);
        }
        for (name, path, source) in site_templates(root, &mut problems) {
            templates.declare_shortcode_args(&name, &source);
            templates.files.insert(name.clone(), path);
            if let Err(e) = templates.tera.add_raw_template(&name, &source) {
                problems.extend(template_errors(&e, &templates.files));
                templates.broken.insert(name);
            }
        }
        (templates, problems)
    }

    /// Records what a shortcode template declares; a site's template replaces
    /// the theme's declaration, or removes it when it declares nothing.
    fn declare_shortcode_args(&mut self, name: &str, source: &str) {
        let Some(shortcode) = name
            .strip_prefix("shortcodes/")
            .and_then(|n| n.strip_suffix(".html"))
        else {
            return;
        };
        match super::shortcode_args::parse_declaration(source) {
            Some(specs) => self.shortcode_args.insert(shortcode.to_string(), specs),
            None => self.shortcode_args.remove(shortcode),
        };
    }

    /// The arguments a shortcode declares, if its template declares them.
    pub fn shortcode_args(&self, shortcode: &str) -> Option<&[super::shortcode_args::ArgSpec]> {
        self.shortcode_args.get(shortcode).map(Vec::as_slice)
    }

    pub fn tera(&self) -> &Tera {
        &self.tera
    }

    pub fn global_context(&mut self) -> &mut tera::Context {
        self.tera.global_context()
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.tera.get_template_names()
    }

    /// Whether a site template of this name failed to load.
    pub fn is_broken(&self, name: &str) -> bool {
        self.broken.contains(name)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// A Tera error as a diagnostic at the template file and line.
    pub fn diagnostic(&self, error: &tera::Error) -> Diagnostic {
        template_error(error, &self.files)
    }
}

/// The site's templates: `templates/**`, sorted by name.
fn site_templates(root: &Path, problems: &mut Vec<Diagnostic>) -> Vec<(String, PathBuf, String)> {
    let dir = root.join("templates");
    if !dir.is_dir() {
        return Vec::new();
    }
    let display_root = Path::new("templates");
    let (entries, found_problems) = crate::content::walk::walk_folder(&dir, display_root);
    problems.extend(found_problems);
    let mut found = Vec::new();
    for (name, is_dir) in entries {
        if is_dir {
            continue;
        }
        let display = display_root.join(&name);
        match std::fs::read(dir.join(&name)) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(source) => found.push((name, display, source)),
                Err(e) => problems.push(Diagnostic::error(
                    "encoding",
                    display,
                    format!(
                        "the file is not valid UTF-8 (first bad byte at offset {})",
                        e.utf8_error().valid_up_to()
                    ),
                )),
            },
            Err(e) => problems.push(Diagnostic::error(
                "io",
                display,
                format!("cannot read: {e}"),
            )),
        }
    }
    found
}

fn template_error(error: &tera::Error, files: &HashMap<String, PathBuf>) -> Diagnostic {
    template_errors(error, files)
        .into_iter()
        .next()
        .unwrap_or_else(|| Diagnostic::error("template", "templates", error.to_string()))
}

/// A Tera error as diagnostics at their template file, line and column. Tera
/// reports some checks (unknown filters, tests, functions and includes) as one
/// text of `error: …` blocks, each with a `--> name:line:col` line; those are
/// taken apart.
fn template_errors(error: &tera::Error, files: &HashMap<String, PathBuf>) -> Vec<Diagnostic> {
    let file_of = |name: &str| {
        files
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(format!("templates/{name}")))
    };
    match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let span = report.span();
            vec![Diagnostic::error(
                "template",
                file_of(report.filename()),
                report.message().to_string(),
            )
            .at(span.start_line.max(1), span.start_col + 1)]
        }
        ErrorKind::MissingParent { current, .. }
        | ErrorKind::CircularExtend { tpl: current, .. } => {
            vec![Diagnostic::error(
                "template",
                file_of(current),
                error.to_string(),
            )]
        }
        ErrorKind::Msg(text) => {
            let blocks = report_blocks(text);
            if blocks.is_empty() {
                return vec![Diagnostic::error("template", "templates", text.clone())];
            }
            blocks
                .into_iter()
                .map(|(message, name, line, column)| {
                    Diagnostic::error("template", file_of(&name), message).at(line, column)
                })
                .collect()
        }
        _ => vec![Diagnostic::error(
            "template",
            "templates",
            error.to_string(),
        )],
    }
}

/// `error: Unknown filter `x`` … ` --> article.html:1:21` blocks of a report.
fn report_blocks(text: &str) -> Vec<(String, String, usize, usize)> {
    let mut blocks = Vec::new();
    let mut message: Option<String> = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("error: ") {
            message = Some(rest.trim().to_string());
        } else if let Some(place) = line.trim_start().strip_prefix("--> ") {
            let mut parts = place.trim().rsplitn(3, ':');
            let (Some(column), Some(line), Some(name)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            if let (Some(message), Ok(line), Ok(column)) =
                (message.take(), line.parse(), column.parse())
            {
                blocks.push((message, name.to_string(), line, column));
            }
        }
    }
    blocks
}
