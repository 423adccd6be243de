//! Code highlighting with syntect, as CSS classes rather than inline styles.
//!
//! The syntax set (syntect's plus two-face's extra syntaxes: TOML, TypeScript,
//! Dockerfile, PowerShell, INI, …) is loaded once per build and shared by every
//! rendering thread. Colours live in one stylesheet with a light theme and a dark
//! one switched by `prefers-color-scheme`, so pages carry no colours of their own.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use pulldown_cmark_escape::{escape_href, escape_html_body_text};
use syntect::highlighting::{Color, Theme};
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;
use two_face::theme::{EmbeddedLazyThemeSet, EmbeddedThemeName};

use crate::config::HighlightConfig;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

pub struct Highlighter {
    syntaxes: SyntaxSet,
    light: Theme,
    dark: Theme,
    /// Blocks already highlighted, by a hash of language and code: help
    /// centers repeat the same command or config snippet across articles.
    done: Mutex<HashMap<u64, Arc<str>>>,
}

impl Highlighter {
    /// Loads the syntaxes and the two configured themes; an unknown theme name is
    /// an error that lists the known ones.
    /// An error names the setting (`light` or `dark`) and says what is wrong.
    pub fn new(config: &HighlightConfig) -> Result<Highlighter, (&'static str, String)> {
        let mut highlighter = Highlighter::without_syntaxes(config)?;
        highlighter.syntaxes = two_face::syntax::extra_newlines();
        Ok(highlighter)
    }

    /// A highlighter that knows no languages: every block is plain text. For
    /// `kbgen check`, which renders every page to find problems but whose
    /// output nobody reads — colouring code cannot fail, and is half the work.
    pub fn without_syntaxes(
        config: &HighlightConfig,
    ) -> Result<Highlighter, (&'static str, String)> {
        let themes = two_face::theme::extra();
        let mut light = find_theme(&themes, &config.light).map_err(|e| ("light", e))?;
        let mut dark = find_theme(&themes, &config.dark).map_err(|e| ("dark", e))?;
        ensure_contrast(&mut light);
        ensure_contrast(&mut dark);
        Ok(Highlighter {
            syntaxes: SyntaxSet::new(),
            light,
            dark,
            done: Mutex::new(HashMap::new()),
        })
    }

    /// A code block as HTML. An unknown or missing language gives plain text.
    pub fn highlight(&self, language: Option<&str>, code: &str) -> String {
        let key = {
            let mut hasher = std::hash::DefaultHasher::new();
            (language, code).hash(&mut hasher);
            hasher.finish()
        };
        if let Some(done) = self.done.lock().ok().and_then(|d| d.get(&key).cloned()) {
            return done.to_string();
        }
        let html = self.highlight_block(language, code);
        if let Ok(mut done) = self.done.lock() {
            done.insert(key, Arc::from(html.as_str()));
        }
        html
    }

    fn highlight_block(&self, language: Option<&str>, code: &str) -> String {
        let mut html = String::with_capacity(code.len() * 3 + 64);
        // tabindex: a block wider than the screen scrolls sideways, and a
        // keyboard must be able to reach it to scroll (WCAG 2.1.1).
        html.push_str("<pre class=\"hl-code\" tabindex=\"0\"");
        if let Some(language) = language {
            html.push_str(" data-lang=\"");
            let _ = escape_href(&mut html, language);
            html.push('"');
        }
        html.push_str("><code>");
        match language.and_then(|l| self.highlight_lines(l, code)) {
            Some(spans) => html.push_str(&spans),
            None => {
                let _ = escape_html_body_text(&mut html, code);
            }
        }
        html.push_str("</code></pre>\n");
        html
    }

    fn highlight_lines(&self, language: &str, code: &str) -> Option<String> {
        let syntax = self.syntaxes.find_syntax_by_token(language)?;
        let mut generator =
            ClassedHTMLGenerator::new_with_class_style(syntax, &self.syntaxes, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .ok()?;
        }
        Some(generator.finalize())
    }

    /// The stylesheet for highlighted code: each theme inside its own
    /// `prefers-color-scheme` media query, so no light-only rule leaks into dark
    /// mode (a token the dark theme does not colour takes the text colour).
    pub fn stylesheet(&self) -> String {
        let light = css_for_theme_with_class_style(&self.light, CLASS_STYLE).unwrap_or_default();
        let dark = css_for_theme_with_class_style(&self.dark, CLASS_STYLE).unwrap_or_default();
        let mut css = String::from(
            "/* Code colours, generated by kbgen from syntect themes (colours raised to 4.5:1 contrast). */\n",
        );
        for (query, rules) in [
            ("not all and (prefers-color-scheme: dark)", light),
            ("(prefers-color-scheme: dark)", dark),
        ] {
            let _ = writeln!(css, "@media {query} {{");
            for line in rules.lines() {
                let _ = writeln!(css, "  {line}");
            }
            css.push_str("}\n");
        }
        css
    }
}

/// Raises every colour of a theme to at least 4.5:1 contrast against the
/// theme's background (WCAG AA for text): many themes draw comments in a grey
/// that readers cannot make out.
fn ensure_contrast(theme: &mut Theme) {
    let Some(background) = theme.settings.background else {
        return;
    };
    if let Some(foreground) = theme.settings.foreground.as_mut() {
        *foreground = readable(*foreground, background);
    }
    for item in &mut theme.scopes {
        if let Some(foreground) = item.style.foreground.as_mut() {
            let behind = item.style.background.unwrap_or(background);
            *foreground = readable(*foreground, behind);
        }
    }
}

const MINIMUM_CONTRAST: f64 = 4.5;

/// `color`, moved toward black or white (away from `background`) until it
/// reaches the minimum contrast.
fn readable(color: Color, background: Color) -> Color {
    let background_luminance = luminance(background);
    let target = if background_luminance > 0.18 {
        0.0
    } else {
        255.0
    };
    let mut current = color;
    for step in 1..=20 {
        if contrast(luminance(current), background_luminance) >= MINIMUM_CONTRAST {
            break;
        }
        let mix = |channel: u8| {
            let channel = f64::from(channel);
            (channel + (target - channel) * f64::from(step) / 20.0).round() as u8
        };
        current = Color {
            r: mix(color.r),
            g: mix(color.g),
            b: mix(color.b),
            a: color.a,
        };
    }
    current
}

/// Relative luminance, as WCAG defines it.
fn luminance(color: Color) -> f64 {
    let linear = |channel: u8| {
        let c = f64::from(channel) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(color.r) + 0.7152 * linear(color.g) + 0.0722 * linear(color.b)
}

fn contrast(a: f64, b: f64) -> f64 {
    let (light, dark) = if a > b { (a, b) } else { (b, a) };
    (light + 0.05) / (dark + 0.05)
}

fn find_theme(themes: &EmbeddedLazyThemeSet, name: &str) -> Result<Theme, String> {
    let names = EmbeddedLazyThemeSet::theme_names();
    match names
        .iter()
        .find(|n| n.as_name().eq_ignore_ascii_case(name))
    {
        Some(found) => Ok(themes.get(*found).clone()),
        None => {
            let known: Vec<&str> = names
                .iter()
                .map(|n: &EmbeddedThemeName| n.as_name())
                .collect();
            Err(format!(
                "unknown highlight theme `{name}`; known themes: {}",
                known.join(", ")
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_theme_colour_reaches_aa_contrast() {
        let highlighter = Highlighter::new(&HighlightConfig::default()).unwrap();
        for theme in [&highlighter.light, &highlighter.dark] {
            let background = luminance(theme.settings.background.unwrap());
            for item in &theme.scopes {
                if let (Some(fg), None) = (item.style.foreground, item.style.background) {
                    let ratio = contrast(luminance(fg), background);
                    assert!(
                        ratio >= MINIMUM_CONTRAST - 0.05,
                        "{:?}: {ratio}",
                        theme.name
                    );
                }
            }
        }
    }

    #[test]
    fn identical_blocks_are_highlighted_once() {
        let highlighter = Highlighter::new(&HighlightConfig::default()).unwrap();
        let first = highlighter.highlight(Some("bash"), "skylark login\n");
        let again = highlighter.highlight(Some("bash"), "skylark login\n");
        highlighter.highlight(Some("python"), "skylark login\n");
        assert_eq!(first, again);
        assert_eq!(highlighter.done.lock().unwrap().len(), 2);
    }

    #[test]
    fn light_rules_never_apply_in_dark_mode() {
        let css = Highlighter::new(&HighlightConfig::default())
            .unwrap()
            .stylesheet();
        assert!(css.contains("@media not all and (prefers-color-scheme: dark) {"));
        assert_eq!(css.matches("@media").count(), 2);
    }
}
