//! Shortcodes as Tera templates: `templates/shortcodes/NAME.html`, the site's
//! own first, then the theme's built-ins (`callout`, `kbd`, `ui`).
//!
//! `include` is built in too, but expanded by the loader (`content::include`)
//! before any template runs; it only counts here as a known name.
//!
//! A template sees its arguments as variables, `body` (the rendered HTML of a
//! body shortcode, empty for inline calls), `page` (`title`, `url`,
//! `section`) and `strings` (the theme strings of the page's language).
//! Unknown names are reported once per call, before rendering, with the
//! closest known name.

use std::collections::BTreeSet;

use serde::Serialize;

use super::Templates;
use crate::content::include::INCLUDE;
use crate::content::shortcodes::{ArgValue, ShortcodeCall};
use crate::content::SourceText;
use crate::diagnostics::Diagnostic;
use crate::markdown::ShortcodeRenderer;

/// What a shortcode template sees as `page`.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct ShortcodePage {
    pub title: String,
    pub url: String,
    pub section: String,
}

/// Renders shortcodes of one page with the build's templates.
pub struct TeraShortcodes<'a> {
    pub templates: &'a Templates,
    pub page: &'a ShortcodePage,
    /// The strings of the page's language, `strings` in shortcode templates.
    pub strings: &'a super::strings::StringTable,
}

fn template_name(name: &str) -> String {
    format!("shortcodes/{name}.html")
}

impl ShortcodeRenderer for TeraShortcodes<'_> {
    fn render(
        &self,
        name: &str,
        args: &[(String, ArgValue)],
        body: Option<&str>,
    ) -> Result<String, String> {
        let template = template_name(name);
        if !self.templates.contains(&template) {
            // Reported before rendering by `check_names`.
            return Ok(String::new());
        }
        let mut context = tera::Context::new();
        for (key, value) in args {
            context.insert(key.clone(), value);
        }
        context.insert("body", body.unwrap_or(""));
        context.insert("page", self.page);
        context.insert("strings", self.strings);
        self.templates
            .tera()
            .render(&template, &context)
            .map_err(|e| {
                let d = self.templates.diagnostic(&e);
                format!(
                    "shortcode `{name}` failed: {} (in {}:{}:{})",
                    d.message,
                    d.path.display(),
                    d.line,
                    d.column
                )
            })
    }

    fn alert_title(&self, kind: &str) -> String {
        self.strings.get(&format!("alert_{kind}")).to_string()
    }
}

/// The names of all shortcodes, sorted: those the templates define and the
/// built-in `include`, which the loader expands (`content::include`).
pub fn known_names(templates: &Templates) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = templates
        .names()
        .filter_map(|n| {
            n.strip_prefix("theme/")
                .unwrap_or(n)
                .strip_prefix("shortcodes/")
        })
        .filter_map(|n| n.strip_suffix(".html"))
        .map(str::to_string)
        .collect();
    names.insert(INCLUDE.to_string());
    names
}

/// A warning when the site defines a shortcode named `include`: the
/// built-in one puts snippets in before templates run, so the template is
/// never used.
pub fn include_template_warning(templates: &Templates) -> Option<Diagnostic> {
    let name = template_name(INCLUDE);
    templates.contains(&name).then(|| {
        Diagnostic::warning(
            "template",
            format!("templates/{name}"),
            "this template is never used: `include` is kbgen's built-in shortcode for snippets",
        )
        .with_help("rename the template (and its calls) to use it as a shortcode of its own")
    })
}

/// An error for every call to a shortcode that has no template, and for
/// every argument its template does not declare (see
/// [`super::shortcode_args`]).
pub fn check_names(
    source: &SourceText,
    known: &BTreeSet<String>,
    templates: &Templates,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for call in source.scan.shortcodes.iter().flat_map(ShortcodeCall::walk) {
        if known.contains(&call.name) {
            if let Some(specs) = templates.shortcode_args(&call.name) {
                problems.extend(super::shortcode_args::check_call(source, call, specs));
            }
            continue;
        }
        if templates.is_broken(&template_name(&call.name)) {
            let error = Diagnostic::error(
                "shortcode",
                &source.path,
                format!(
                    "shortcode `{}` cannot be used: templates/shortcodes/{}.html has an error",
                    call.name, call.name
                ),
            );
            problems.push(source.place(error, call.range.start));
            continue;
        }
        let closest = known
            .iter()
            .map(|k| (strsim::levenshtein(k, &call.name), k))
            .filter(|(distance, _)| *distance <= 2)
            .min();
        let list = known
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let help = match closest {
            Some((_, name)) => format!("did you mean `{name}`? Known shortcodes: {list}"),
            None => format!(
                "known shortcodes: {list}; add templates/shortcodes/{}.html to define it, or write `{}` to show the call as text",
                call.name,
                crate::content::shortcodes::escaped_form(&source.text, call)
            ),
        };
        let error = Diagnostic::error(
            "shortcode",
            &source.path,
            format!("unknown shortcode `{}`", call.name),
        );
        problems.push(source.place(error, call.range.start).with_help(help));
    }
    problems
}
