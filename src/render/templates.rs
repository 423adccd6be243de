//! The Tera instance of a build: the embedded theme under the `theme/` prefix,
//! the site's own `templates/` over it.
//!
//! A template name resolves to the site's file first and to the theme's second,
//! also inside `extends` and `include`, so a site overrides one file without
//! copying the theme. Templates are parsed once per build.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tera::{ErrorKind, Tera};
use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;
use crate::theme;

const THEME_PREFIX: &str = "theme/";

pub struct Templates {
    tera: Tera,
    /// Template name → the file to show in diagnostics.
    files: HashMap<String, PathBuf>,
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
        let mut templates = Templates { tera, files };
        for (name, path, source) in site_templates(root, &mut problems) {
            templates.files.insert(name.clone(), path);
            if let Err(e) = templates.tera.add_raw_template(&name, &source) {
                problems.push(template_error(&e, &templates.files));
            }
        }
        (templates, problems)
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
    let mut found = Vec::new();
    for entry in WalkDir::new(&dir).sort_by_file_name() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                problems.push(Diagnostic::error(
                    "io",
                    "templates",
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(&dir) else {
            continue;
        };
        let name = relative.to_string_lossy().replace('\\', "/");
        if crate::content::walk::is_ignored_name(&entry.file_name().to_string_lossy()) {
            continue;
        }
        let display = Path::new("templates").join(relative);
        match std::fs::read_to_string(entry.path()) {
            Ok(source) => found.push((name, display, source)),
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
    let file_of = |name: &str| {
        files
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(format!("templates/{name}")))
    };
    match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let span = report.span();
            Diagnostic::error(
                "template",
                file_of(report.filename()),
                report.message().to_string(),
            )
            .at(span.start_line.max(1), span.start_col + 1)
        }
        ErrorKind::MissingParent { current, .. }
        | ErrorKind::CircularExtend { tpl: current, .. } => {
            Diagnostic::error("template", file_of(current), error.to_string())
        }
        _ => Diagnostic::error("template", "templates", error.to_string()),
    }
}
