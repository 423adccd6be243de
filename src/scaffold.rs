//! `kbgen new` and `kbgen init`: files a writer starts from.
//!
//! Both refuse to overwrite anything, and both print where the result will be
//! served, so the next step is obvious.

use std::fs;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::naming;

/// What `new` wrote: the file and the URL it will have.
#[derive(Debug)]
pub struct NewArticle {
    pub path: PathBuf,
    pub url: String,
}

/// Writes `content/<section>/<slug>.md` under `root` with the article skeleton.
/// `spec` is `section/slug` (sections may nest); an existing folder whose slug
/// matches a part (`desktop-client` → `Desktop Client/`) is reused.
pub fn new_article(root: &Path, spec: &str, title: Option<&str>) -> Result<NewArticle, String> {
    let parts: Vec<&str> = spec
        .trim_matches('/')
        .split('/')
        .filter(|p| !p.is_empty())
        .collect();
    let Some((slug_part, section_parts)) = parts.split_last() else {
        return Err("give the article as <section>/<slug>, e.g. billing/refund-failed".to_string());
    };
    if section_parts.is_empty() {
        return Err(format!(
            "put the article in a section: <section>/{slug_part}"
        ));
    }
    let name = slug_part.trim_end_matches(".md");
    if let Some(translation) = translation_spec(root, name)? {
        return new_translation(root, section_parts, translation);
    }
    let slug = naming::slugify(name);
    if slug.is_empty() {
        return Err(format!(
            "`{slug_part}` gives an empty slug; use letters or digits"
        ));
    }
    let (folder, url_path) = section_folder(root, section_parts)?;
    let path = folder.join(format!("{slug}.md"));
    if path.exists() {
        return Err(format!(
            "{} already exists; kbgen new never overwrites",
            path.display()
        ));
    }
    let section_slug = url_path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let title = title.map_or_else(|| naming::title_from_name(&slug), str::to_string);
    // The file is named as asked; when the title's slug differs, `slug:` says
    // the URL is intended (so `lint/file-name` has nothing to report).
    let own_slug = (naming::slugify(&title) != slug).then_some(slug.as_str());
    fs::create_dir_all(&folder).map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    fs::write(&path, skeleton(&title, own_slug, &section_slug))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let base_path = Config::load(root)
        .map(|c| c.base_path())
        .unwrap_or_else(|_| "/".to_string());
    Ok(NewArticle {
        path,
        url: format!("{base_path}{url_path}{slug}/"),
    })
}

/// `cards.de` asked of `kbgen new`: the source's name and the language.
struct Translation {
    name: String,
    code: String,
    prefix: String,
}

/// Whether `name` (`cards.de`) asks for a translation: its suffix is one of
/// the site's languages (matched as file names are, see
/// [`crate::content::file_language`]). A suffix shaped like a language the
/// site does not have, or the default language's, is an error; any other
/// dot (`release.v2`) is part of an article's name.
fn translation_spec(root: &Path, name: &str) -> Result<Option<Translation>, String> {
    use crate::content::file_language::{self, Codes, FileLanguage};
    let config = Config::load(root).unwrap_or_default();
    let codes = Codes::of(&config);
    let file = format!("{name}.md");
    let named = file_language::parse(&file, &codes);
    let base = named.without.trim_end_matches(".md").to_string();
    match named.language {
        FileLanguage::None => Ok(None),
        FileLanguage::Other(code) => {
            let prefix = (config.site_languages().into_iter())
                .find(|l| l.code == code)
                .map(|l| l.prefix)
                .unwrap_or_default();
            Ok(Some(Translation {
                name: base,
                code: code.to_string(),
                prefix,
            }))
        }
        FileLanguage::Default => Err(format!(
            "`{}` is the default language, which needs no suffix: ask for `{base}`",
            named.written
        )),
        FileLanguage::Unknown if !codes.is_multilingual() => Err(format!(
            "`{}` looks like a language code, but this site has one language; list its languages under `languages:` in kbgen.yaml to translate, or name the article `{base}-{}`",
            named.written, named.written
        )),
        FileLanguage::Unknown => Err(format!(
            "`{}` is not a language of this site (languages: {}); add it under `languages:` in kbgen.yaml first, or name the article `{base}-{}`",
            named.written,
            codes.all().collect::<Vec<_>>().join(", "),
            named.written
        )),
    }
}

/// The folder under `content/` of the section `section_parts` names (each
/// part matched to an existing folder when one has its name, number
/// prefix aside) and its URL path (`billing/cards/`); `.` and `..` are
/// refused.
fn section_folder(root: &Path, section_parts: &[&str]) -> Result<(PathBuf, String), String> {
    let mut folder = root.join("content");
    let mut url_path = String::new();
    for part in section_parts {
        if *part == "." || *part == ".." {
            return Err("the section path may not contain `.` or `..`".to_string());
        }
        let name = existing_folder(&folder, part).unwrap_or_else(|| part.to_string());
        url_path.push_str(&naming::slugify(naming::split_order_prefix(&name).1));
        url_path.push('/');
        folder.push(name);
    }
    Ok((folder, url_path))
}

/// Writes `<source>.<code>.md` beside its source article (or `index.<code>.md`
/// in its bundle), starting from the source's title and headings: the
/// translator writes over them. The source must exist.
fn new_translation(
    root: &Path,
    section_parts: &[&str],
    translation: Translation,
) -> Result<NewArticle, String> {
    let (folder, url_path) = section_folder(root, section_parts)?;
    let Translation { name, code, prefix } = translation;
    let (source, path) = match folder.join(&name).join("index.md") {
        bundle if bundle.is_file() => (bundle, folder.join(&name).join(format!("index.{code}.md"))),
        _ => (
            folder.join(format!("{name}.md")),
            folder.join(format!("{name}.{code}.md")),
        ),
    };
    let text = fs::read_to_string(&source).map_err(|_| {
        format!(
            "there is no source article {} to translate; write it first (`kbgen new {}/{name}`)",
            source.display(),
            section_parts.join("/")
        )
    })?;
    if path.exists() {
        return Err(format!(
            "{} already exists; kbgen new never overwrites",
            path.display()
        ));
    }
    fs::write(&path, translation_skeleton(&text, &source))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let base_path = Config::load(root)
        .map(|c| c.base_path())
        .unwrap_or_else(|_| "/".to_string());
    Ok(NewArticle {
        path,
        url: format!("{base_path}{prefix}{url_path}{}/", naming::slugify(&name)),
    })
}

/// The start of a translation of `text`: the source's title, an empty
/// description, and its headings (outside code blocks) to write under.
fn translation_skeleton(text: &str, source: &Path) -> String {
    let text = crate::diagnostics::normalize_line_ends(text);
    let title = crate::content::front_matter::split(&text, source)
        .ok()
        .and_then(|split| crate::content::front_matter::parse(&text, split, source).ok())
        .map(|front| front.title)
        .filter(|title| !title.is_empty())
        .unwrap_or_default();
    let title = title.replace('\\', "\\\\").replace('"', "\\\"");
    let mut headings = String::new();
    let mut in_fence = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
        } else if !in_fence && (trimmed.starts_with("## ") || trimmed.starts_with("### ")) {
            headings.push_str(&format!("\n{trimmed}\n"));
        }
    }
    format!("---\ntitle: \"{title}\"\ndescription: \"\"\n---\n{headings}")
}

/// A folder in `parent` named `part`, or whose slug is `part`'s slug.
fn existing_folder(parent: &Path, part: &str) -> Option<String> {
    let wanted = naming::slugify(naming::split_order_prefix(part).1);
    let mut names: Vec<String> = fs::read_dir(parent)
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
        .into_iter()
        .find(|name| name == part || naming::slugify(naming::split_order_prefix(name).1) == wanted)
}

fn skeleton(title: &str, slug: Option<&str>, category: &str) -> String {
    let today = jiff::Zoned::now().date();
    let title = title.replace('\\', "\\\\").replace('"', "\\\"");
    let slug = slug.map_or_else(String::new, |slug| format!("slug: {slug}\n"));
    format!(
        "---\ntitle: \"{title}\"\n{slug}description: \"\"\ndate: {today}\ntaxonomy:\n  category: {category}\n  tag: []\nrelated: []\n---\n\n## Problem\n\nWhat the reader sees: the message, the screen, the symptom.\n\n## Diagnosis\n\nHow to confirm this is the problem.\n\n## Cause\n\nWhy it happens.\n\n## Solution\n\n1. The first step.\n2. The next one.\n"
    )
}

/// What `init` writes besides the site itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct InitOptions {
    /// Also copy the embedded theme (templates and static files) out, to customise.
    pub theme: bool,
    /// Write into a folder that is not empty (never over an existing file).
    pub force: bool,
}

/// Creates a new site in `dir`: configuration, a home page, one section with two
/// articles, and a `.gitignore` for the output. Returns the files written.
pub fn init_site(dir: &Path, options: InitOptions) -> Result<Vec<PathBuf>, String> {
    if dir.join("content").exists() {
        return Err(format!(
            "{} already has a content/ folder: it is a site already; add articles with `kbgen new <section>/<slug>`",
            dir.display()
        ));
    }
    let is_empty = fs::read_dir(dir).map_or(true, |mut entries| entries.next().is_none());
    if !is_empty && !options.force {
        return Err(format!(
            "{} is not empty; kbgen init starts new sites (use --force to add one here anyway)",
            dir.display()
        ));
    }
    for existing in ["content", "kbgen.yaml"] {
        if dir.join(existing).exists() {
            return Err(format!(
                "{} already has {existing}; kbgen init never overwrites a site",
                dir.display()
            ));
        }
    }
    let mut files: Vec<(String, Vec<u8>)> = SITE_FILES
        .iter()
        .map(|(name, text)| (name.to_string(), text.as_bytes().to_vec()))
        .collect();
    if options.theme {
        let templates = crate::theme::TEMPLATES
            .iter()
            .map(|(name, text)| (format!("templates/{name}"), text.as_bytes().to_vec()));
        let statics = crate::theme::STATIC_FILES
            .iter()
            .map(|(name, bytes)| (format!("static/{name}"), bytes.to_vec()));
        files.extend(templates.chain(statics));
    }
    let mut written = Vec::new();
    for (name, contents) in files {
        let path = dir.join(&name);
        if path.exists() {
            if name == ".gitignore" {
                continue;
            }
            return Err(format!(
                "{} already exists; kbgen init never overwrites",
                path.display()
            ));
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        fs::write(&path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// The files of a new site.
const SITE_FILES: [(&str, &str); 6] = [
        (
            "kbgen.yaml",
            "title: Help Center\ndescription: Answers to the questions our customers ask.\n# The address the site is published at (for canonical links, the sitemap and the feed):\n# base_url: https://help.example.com/\n",
        ),
        (
            "content/_index.md",
            "---\ntitle: Help Center\ndescription: Answers to the questions our customers ask.\n---\nFind an answer by topic below.\n",
        ),
        (
            "content/getting-started/_index.md",
            "---\ntitle: Getting started\ndescription: The first steps with our product.\nweight: 1\n---\n",
        ),
        (
            "content/getting-started/first-sign-in.md",
            "---\ntitle: First sign-in\ndescription: Sign in for the first time and set up your account.\ntaxonomy:\n  category: getting-started\n  tag: [account]\n---\n\n## Problem\n\nYou have an invitation and want to sign in for the first time.\n\n## Solution\n\n1. Open the invitation email and click **Accept**.\n2. Choose a password of at least 12 characters.\n\n{% callout(type=\"tip\", title=\"Write your articles here\") %}\nEach Markdown file under `content/` is an article; each folder is a section.\nRun `kbgen serve` and this page reloads as you edit.\n{% end %}\n",
        ),
        (
            "content/getting-started/reset-your-password.md",
            "---\ntitle: Reset your password\ndescription: Choose a new password when you forgot the old one.\ntaxonomy:\n  category: getting-started\n  tag: [account]\nrelated:\n  - first-sign-in.md\n---\n\n## Problem\n\nThe sign-in page says your password is wrong.\n\n## Solution\n\n1. Click **Forgot password** on the sign-in page.\n2. Open the email we send and choose a new password.\n\n> [!NOTE]\n> The link in the email works for one hour.\n",
        ),
        (".gitignore", "/public\n/.kbgen-cache\n"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_with_a_language_writes_a_translation_of_an_existing_article() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(
            root.join("kbgen.yaml"),
            "title: H\nlanguages:\n  - code: en\n  - code: de\n",
        )
        .unwrap();
        fs::create_dir_all(root.join("content/billing")).unwrap();
        fs::write(
            root.join("content/billing/cards.md"),
            "---\ntitle: Payment cards\n---\n## Add a card\n```sh\n## not a heading\n```\n",
        )
        .unwrap();
        let made = new_article(root, "billing/cards.de", None).unwrap();
        assert_eq!(made.path, root.join("content/billing/cards.de.md"));
        assert_eq!(made.url, "/de/billing/cards/");
        let text = fs::read_to_string(&made.path).unwrap();
        assert_eq!(
            text,
            "---\ntitle: \"Payment cards\"\ndescription: \"\"\n---\n\n## Add a card\n"
        );
        assert!(!root.join("content/billing/cards-de.md").exists());
        let err = new_article(root, "billing/cards.fr", None).unwrap_err();
        assert!(
            err.contains("`fr` is not a language of this site (languages: en, de)"),
            "{err}"
        );
        let err = new_article(root, "billing/missing.de", None).unwrap_err();
        assert!(err.contains("no source article"), "{err}");
        assert!(new_article(root, "billing/release.v2", None).is_ok());
    }

    #[test]
    fn new_reuses_a_matching_folder_and_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("content/02.Desktop Client")).unwrap();
        let made = new_article(
            dir.path(),
            "desktop-client/Sync Stuck",
            Some("Sync is stuck"),
        )
        .unwrap();
        assert_eq!(
            made.path,
            dir.path().join("content/02.Desktop Client/sync-stuck.md")
        );
        assert_eq!(made.url, "/desktop-client/sync-stuck/");
        let text = fs::read_to_string(&made.path).unwrap();
        assert!(text.starts_with("---\ntitle: \"Sync is stuck\"\n"));
        assert!(text.contains("  category: desktop-client\n"));
        for heading in ["## Problem", "## Diagnosis", "## Cause", "## Solution"] {
            assert!(text.contains(heading));
        }
        let again = new_article(dir.path(), "desktop-client/sync-stuck", None).unwrap_err();
        assert!(again.contains("never overwrites"), "{again}");
        assert!(new_article(dir.path(), "lonely", None).is_err());
        assert!(new_article(dir.path(), "../x/y", None).is_err());
    }

    #[test]
    fn init_makes_a_site_that_builds() {
        let dir = tempfile::tempdir().unwrap();
        let written = init_site(dir.path(), InitOptions::default()).unwrap();
        assert_eq!(written.len(), 6);
        let again = init_site(
            dir.path(),
            InitOptions {
                force: true,
                theme: false,
            },
        )
        .unwrap_err();
        assert!(again.contains("it is a site already"), "{again}");
        assert!(init_site(dir.path(), InitOptions::default())
            .unwrap_err()
            .contains("kbgen new"));
        let sink = crate::output::MemorySink::default();
        let options = crate::build::BuildOptions {
            root: dir.path().to_path_buf(),
            ..Default::default()
        };
        let outcome = crate::build::build_site(&options, &sink).unwrap();
        assert!(
            outcome.report.diagnostics.is_empty(),
            "{:?}",
            outcome.report.diagnostics
        );
        assert!(sink
            .into_files()
            .contains_key("getting-started/first-sign-in/index.html"));
        let checked = crate::build::check_site(&options).unwrap();
        assert!(
            checked.report.diagnostics.is_empty(),
            "{:?}",
            checked.report.diagnostics
        );
    }

    #[test]
    fn init_with_theme_copies_the_theme_out_and_still_builds() {
        let dir = tempfile::tempdir().unwrap();
        let written = init_site(
            dir.path(),
            InitOptions {
                theme: true,
                force: false,
            },
        )
        .unwrap();
        assert!(written.iter().any(|p| p.ends_with("templates/base.html")));
        assert!(dir.path().join("static/kbgen.css").is_file());
        let options = crate::build::BuildOptions {
            root: dir.path().to_path_buf(),
            ..Default::default()
        };
        let outcome =
            crate::build::build_site(&options, &crate::output::MemorySink::default()).unwrap();
        assert!(
            outcome.report.diagnostics.is_empty(),
            "{:?}",
            outcome.report.diagnostics
        );
    }

    #[test]
    fn a_new_article_in_a_new_site_builds_and_checks_without_errors() {
        let dir = tempfile::tempdir().unwrap();
        init_site(dir.path(), InitOptions::default()).unwrap();
        new_article(
            dir.path(),
            "getting-started/two-factor-codes",
            Some("Two-factor codes"),
        )
        .unwrap();
        let options = crate::build::BuildOptions {
            root: dir.path().to_path_buf(),
            ..Default::default()
        };
        let checked = crate::build::check_site(&options).unwrap();
        let errors: Vec<_> = checked
            .report
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn a_title_unlike_the_file_name_keeps_the_asked_url_without_a_lint_finding() {
        let dir = tempfile::tempdir().unwrap();
        init_site(dir.path(), InitOptions::default()).unwrap();
        let made = new_article(
            dir.path(),
            "getting-started/refund-failed",
            Some("Refund failed with error 402 \\ \"quoted\""),
        )
        .unwrap();
        assert!(made.url.ends_with("/getting-started/refund-failed/"));
        let text = fs::read_to_string(&made.path).unwrap();
        assert!(text.contains("\nslug: refund-failed\n"), "{text}");
        let options = crate::build::BuildOptions {
            root: dir.path().to_path_buf(),
            ..Default::default()
        };
        let checked = crate::build::check_site(&options).unwrap();
        let file_name: Vec<_> = checked
            .report
            .diagnostics
            .iter()
            .filter(|d| d.code == "lint/file-name" || d.is_error())
            .map(|d| d.headline())
            .collect();
        assert!(file_name.is_empty(), "{file_name:?}");
    }
}
