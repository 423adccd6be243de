//! Code highlighting with syntect, as CSS classes rather than inline styles.
//!
//! The syntax set (syntect's plus two-face's extra syntaxes: TOML, TypeScript,
//! Dockerfile, PowerShell, INI, …) is loaded once per process and shared by every
//! rendering thread; fence languages are looked up through [`languages`]' alias
//! table. Colours live in one stylesheet with a light theme and a dark
//! one switched by `prefers-color-scheme`, so pages carry no colours of their own.
//! Spans carry only the class names a stylesheet rule can select on (see
//! [`ScopeClasses`]), which keeps highlighted blocks about half the size of
//! syntect's own HTML, and parsing (syntect's, the costliest step of a build)
//! runs once per distinct block — once per build, or once ever with the
//! persistent cache of [`super::highlight_cache`].

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};

use pulldown_cmark_escape::{escape_href, escape_html_body_text};
use syntect::highlighting::{Color, Theme};
use syntect::html::{css_for_theme_with_class_style, ClassStyle};
use syntect::parsing::{BasicScopeStackOp, ParseState, Scope, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;
use two_face::theme::{EmbeddedLazyThemeSet, EmbeddedThemeName};

use super::highlight_cache::{self, Block};
use super::languages;
use crate::config::HighlightConfig;

const CLASS_PREFIX: &str = "hl-";
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed {
    prefix: CLASS_PREFIX,
};

pub struct Highlighter {
    syntaxes: &'static SyntaxSet,
    light: Theme,
    dark: Theme,
    classes: ScopeClasses,
    /// Blocks already highlighted, by a hash of language and code: help
    /// centers repeat the same command or config snippet across articles,
    /// and the persistent cache brings back those of the last build.
    done: Mutex<HashMap<u64, Block>>,
    /// The stylesheet, made on first use: it depends on the two themes only,
    /// so a highlighter reused across builds (serve, fuzzing) makes it once.
    stylesheet: std::sync::OnceLock<String>,
}

impl Highlighter {
    /// Loads the syntaxes and the two configured themes; an unknown theme name is
    /// an error that lists the known ones.
    /// An error names the setting (`light` or `dark`) and says what is wrong.
    pub fn new(config: &HighlightConfig) -> Result<Highlighter, (&'static str, String)> {
        let mut highlighter = Highlighter::without_syntaxes(config)?;
        highlighter.syntaxes = languages::syntaxes();
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
        let classes = ScopeClasses::for_themes(&[&light, &dark]);
        static NONE: std::sync::LazyLock<SyntaxSet> = std::sync::LazyLock::new(SyntaxSet::new);
        Ok(Highlighter {
            syntaxes: &NONE,
            light,
            dark,
            classes,
            done: Mutex::new(HashMap::new()),
            stylesheet: std::sync::OnceLock::new(),
        })
    }

    /// A code block as HTML. An unknown or missing language gives plain text.
    pub fn highlight(&self, language: Option<&str>, code: &str) -> String {
        let key = {
            let mut hasher = std::hash::DefaultHasher::new();
            (language, code).hash(&mut hasher);
            hasher.finish()
        };
        let check = highlight_cache::check_hash(language, code);
        if let Ok(mut done) = self.done.lock() {
            if let Some(block) = done.get_mut(&key).filter(|b| b.check == check) {
                block.used = true;
                return block.html.to_string();
            }
        }
        let html = self.highlight_block(language, code);
        if let Ok(mut done) = self.done.lock() {
            let block = Block {
                check,
                html: Arc::from(html.as_str()),
                used: true,
                stored: false,
            };
            done.insert(key, block);
        }
        html
    }

    /// Takes in the blocks the site's persistent cache holds (see
    /// [`highlight_cache`]).
    pub fn load_cache(&self, root: &Path) {
        if self.syntaxes.syntaxes().is_empty() {
            return;
        }
        let stored = highlight_cache::load(root, self.fingerprint());
        if let Ok(mut done) = self.done.lock() {
            for (key, block) in stored {
                done.entry(key).or_insert(block);
            }
        }
    }

    /// Writes the blocks this build used to the site's persistent cache.
    pub fn save_cache(&self, root: &Path) -> std::io::Result<()> {
        if self.syntaxes.syntaxes().is_empty() {
            return Ok(());
        }
        match self.done.lock() {
            Ok(done) => highlight_cache::save(root, self.fingerprint(), &done),
            Err(_) => Ok(()),
        }
    }

    /// A hash of everything a block's HTML depends on besides the block:
    /// kbgen's version, the syntaxes and the selectors the classes keep.
    fn fingerprint(&self) -> u64 {
        let mut hasher = std::hash::DefaultHasher::new();
        env!("CARGO_PKG_VERSION").hash(&mut hasher);
        for syntax in self.syntaxes.syntaxes() {
            (&syntax.name, syntax.scope.build_string()).hash(&mut hasher);
            (&syntax.file_extensions, syntax.hidden).hash(&mut hasher);
        }
        languages::ALIASES.hash(&mut hasher);
        self.classes.selectors.hash(&mut hasher);
        hasher.finish()
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

    /// The code as `<span>`s, one per scope that a theme rule can select (see
    /// [`ScopeClasses`]); `None` when syntect cannot parse it.
    fn highlight_lines(&self, language: &str, code: &str) -> Option<String> {
        let syntax = languages::find(self.syntaxes, language)?;
        let mut state = ParseState::new(syntax);
        let mut stack = ScopeStack::new();
        let mut spans = Spans::with_capacity(code.len() * 2);
        for line in LinesWithEndings::from(code) {
            let ops = state.parse_line(line, self.syntaxes).ok()?;
            let mut at = 0;
            for (i, op) in &ops {
                if *i > at {
                    spans.text(&line[at..*i]);
                    at = *i;
                }
                stack
                    .apply_with_hook(op, |basic, _| match basic {
                        BasicScopeStackOp::Push(scope) => spans.open(&self.classes.of(scope)),
                        BasicScopeStackOp::Pop => spans.close(),
                    })
                    .ok()?;
            }
            spans.text(&line[at..]);
        }
        Some(spans.finish())
    }

    /// The stylesheet for highlighted code: each theme inside its own
    /// `prefers-color-scheme` media query, so no light-only rule leaks into dark
    /// mode (a token the dark theme does not colour takes the text colour).
    pub fn stylesheet(&self) -> &str {
        self.stylesheet.get_or_init(|| self.make_stylesheet())
    }

    fn make_stylesheet(&self) -> String {
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

/// The class names of a scope, keeping only the atoms that some rule of the
/// stylesheet can select on: the stylesheet's compound selectors (one per
/// theme scope, as `.hl-keyword.hl-operator`) match an element when all their
/// classes are present, so the atoms of each selector scope contained in this
/// one are kept and the rest dropped. `keyword.operator.assignment.rust`
/// becomes `hl-keyword hl-operator` when the themes style `keyword.operator`
/// and nothing more specific. Every rule still matches exactly the elements it
/// matched before, and a scope no rule selects gets no `<span>` at all, which
/// makes highlighted blocks much smaller (less to write, parse and index).
struct ScopeClasses {
    /// The atoms of every scope the themes' selectors name.
    selectors: Vec<Vec<String>>,
    /// Class attribute value by scope; an empty one means "no span".
    known: RwLock<HashMap<Scope, Arc<str>>>,
}

impl ScopeClasses {
    fn for_themes(themes: &[&Theme]) -> ScopeClasses {
        let selectors: HashSet<Vec<String>> = themes
            .iter()
            .flat_map(|theme| &theme.scopes)
            .flat_map(|item| &item.scope.selectors)
            .flat_map(|selector| selector.extract_scopes())
            .map(|scope| {
                scope
                    .build_string()
                    .split('.')
                    .map(str::to_string)
                    .collect()
            })
            .collect();
        let mut selectors: Vec<Vec<String>> = selectors.into_iter().collect();
        selectors.sort();
        ScopeClasses {
            selectors,
            known: RwLock::new(HashMap::new()),
        }
    }

    fn of(&self, scope: Scope) -> Arc<str> {
        if let Some(known) = self.known.read().ok().and_then(|k| k.get(&scope).cloned()) {
            return known;
        }
        let name = scope.build_string();
        let atoms: Vec<&str> = name.split('.').collect();
        let selected: HashSet<&str> = self
            .selectors
            .iter()
            .filter(|selector| selector.iter().all(|a| atoms.contains(&a.as_str())))
            .flatten()
            .map(String::as_str)
            .collect();
        let mut classes = String::new();
        for atom in atoms.iter().filter(|a| selected.contains(*a)) {
            if !classes.is_empty() {
                classes.push(' ');
            }
            classes.push_str(CLASS_PREFIX);
            classes.push_str(atom);
        }
        let classes: Arc<str> = Arc::from(classes);
        if let Ok(mut known) = self.known.write() {
            known.insert(scope, classes.clone());
        }
        classes
    }
}

/// Highlighted HTML being written: spans stay open across lines, as scopes do,
/// and a span closed before any text inside it is taken back out.
struct Spans {
    html: String,
    /// Per open scope: where its `<span …>` starts and ends, if it has one.
    open: Vec<Option<(usize, usize)>>,
}

impl Spans {
    fn with_capacity(capacity: usize) -> Spans {
        Spans {
            html: String::with_capacity(capacity),
            open: Vec::new(),
        }
    }

    fn text(&mut self, text: &str) {
        let _ = escape_html_body_text(&mut self.html, text);
    }

    fn open(&mut self, classes: &str) {
        if classes.is_empty() {
            self.open.push(None);
            return;
        }
        let start = self.html.len();
        self.html.push_str("<span class=\"");
        self.html.push_str(classes);
        self.html.push_str("\">");
        self.open.push(Some((start, self.html.len())));
    }

    fn close(&mut self) {
        match self.open.pop() {
            Some(Some((start, end))) if end == self.html.len() => self.html.truncate(start),
            Some(Some(_)) => self.html.push_str("</span>"),
            _ => {}
        }
    }

    fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.close();
        }
        self.html
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
        let highlighter = Highlighter::new(&HighlightConfig::default()).unwrap();
        let css = highlighter.stylesheet();
        assert!(css.contains("@media not all and (prefers-color-scheme: dark) {"));
        assert_eq!(css.matches("@media").count(), 2);
    }

    #[test]
    fn slim_classes_match_exactly_the_rules_full_classes_match() {
        let highlighter = Highlighter::new(&HighlightConfig::default()).unwrap();
        let classes = &highlighter.classes;
        for name in [
            "source.shell.bash",
            "variable.function.shell",
            "keyword.operator.assignment.rust",
            "string.quoted.double.json",
            "punctuation.definition.string.begin.json",
            "comment.line.double-slash.rust",
            "variable.other.readwrite.js",
        ] {
            let full: Vec<&str> = name.split('.').collect();
            let slim = classes.of(Scope::new(name).unwrap());
            let kept: Vec<&str> = slim
                .split(' ')
                .filter_map(|c| c.strip_prefix(CLASS_PREFIX))
                .collect();
            for selector in &classes.selectors {
                let in_full = selector.iter().all(|a| full.contains(&a.as_str()));
                let in_slim = selector.iter().all(|a| kept.contains(&a.as_str()));
                assert_eq!(in_full, in_slim, "{name} → {slim}: {selector:?}");
            }
        }
    }

    #[test]
    fn highlighted_spans_are_balanced_and_never_empty() {
        let highlighter = Highlighter::new(&HighlightConfig::default()).unwrap();
        let html = highlighter.highlight(
            Some("rust"),
            "/* a comment\n spanning lines */\nfn main() {\n    let x = \"s\";\n}\n",
        );
        assert_eq!(
            html.matches("<span").count(),
            html.matches("</span>").count()
        );
        assert!(!html.contains("\"></span>"), "{html}");
        assert!(html.contains("<span class=\"hl-comment"), "{html}");
        assert!(html.contains("spanning lines"), "{html}");
    }
}
