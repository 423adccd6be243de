//! A catalogue of bad inputs: one tiny site per mistake, with the exact
//! headline (`path:line:col: severity[code]: message`) kbgen must report for it.
//!
//! Every build runs on its own thread with a time limit, so a panic or a hang
//! fails only its own case, with the panic message. Inputs that could take the
//! whole process down (a stack overflow aborts, it does not unwind) run the
//! `kbgen` binary in a child process instead.
//!
//! A case marked `#[ignore = "bug: …"]` asserts what kbgen *should* say; it
//! documents a known defect and passes once the defect is fixed
//! (`cargo test --test bad_inputs -- --ignored`).
//!
//! Fixtures with special bytes (invalid UTF-8, BOM, CRLF, lone CR, tabs) and
//! special files (FIFOs, symlinks, folders named like files) are written by the
//! tests themselves, so no checkout or editor can alter them.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::TestSite;
use kbgen::build::{
    build_site, build_to_folder, check_site, BuildOptions, BuildOutcome, SetupError,
};
use kbgen::diagnostics::Diagnostic;
use kbgen::output::MemorySink;

// ---------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------

/// Front matter that draws no warnings (besides the `lint/file-name` rule,
/// which the helpers filter out): lines 2 to 4 of the file; the closing `---`
/// is line 5 and a body starts on line 6.
const FINE: &str = "title: Fine\ndescription: Fine.\ntaxonomy: {category: x}";

/// How long a build of a tiny fixture may take before it counts as hung.
const LIMIT: Duration = Duration::from_secs(30);

/// What one build gave: its outcome and the files it wrote.
struct Run {
    outcome: Result<BuildOutcome, SetupError>,
    files: BTreeMap<String, Vec<u8>>,
}

impl Run {
    fn report(&self) -> &[Diagnostic] {
        match &self.outcome {
            Ok(outcome) => &outcome.report.diagnostics,
            Err(SetupError::Config(d)) => panic!("unexpected setup error: {}", d.headline()),
        }
    }

    /// Headlines of every error, in report order.
    fn errors(&self) -> Vec<String> {
        self.report()
            .iter()
            .filter(|d| d.is_error())
            .map(Diagnostic::headline)
            .collect()
    }

    /// Headlines of every warning that is not a lint finding.
    fn warnings(&self) -> Vec<String> {
        self.report()
            .iter()
            .filter(|d| !d.is_error() && !d.code.starts_with("lint"))
            .map(Diagnostic::headline)
            .collect()
    }

    /// The help of the diagnostic whose headline is `headline`.
    fn help(&self, headline: &str) -> Option<String> {
        self.report()
            .iter()
            .find(|d| d.headline() == headline)
            .unwrap_or_else(|| panic!("no diagnostic `{headline}`"))
            .help
            .clone()
    }

    /// The headline of the configuration error that stopped the build.
    fn setup_error(&self) -> String {
        match &self.outcome {
            Err(SetupError::Config(d)) => d.headline(),
            Ok(outcome) => panic!(
                "expected a setup error; the build ran and reported {:?}",
                outcome
                    .report
                    .diagnostics
                    .iter()
                    .filter(|d| !d.code.starts_with("lint"))
                    .map(Diagnostic::headline)
                    .collect::<Vec<_>>()
            ),
        }
    }

    fn setup_help(&self) -> Option<String> {
        match &self.outcome {
            Err(SetupError::Config(d)) => d.help.clone(),
            Ok(_) => panic!("expected a setup error"),
        }
    }

    fn text(&self, path: &str) -> String {
        String::from_utf8_lossy(&self.files[path]).into_owned()
    }
}

fn options(site: &TestSite) -> BuildOptions {
    BuildOptions {
        root: site.root().to_path_buf(),
        ..BuildOptions::default()
    }
}

/// Builds `site` with default options into memory.
fn run(site: &TestSite) -> Run {
    run_with(options(site))
}

/// Builds, and checks the property that holds for the whole catalogue:
/// `check` reports exactly what `build` reports.
fn run_with(options: BuildOptions) -> Run {
    let built = try_run_with(options.clone(), LIMIT)
        .unwrap_or_else(|| panic!("the build hung (no result after {LIMIT:?})"));
    let checked = check_site(&options);
    assert_eq!(
        headlines_of(&checked),
        headlines_of(&built.outcome),
        "`check` and `build` must report the same problems"
    );
    built
}

/// Every headline of an outcome (setup error or report), sorted.
fn headlines_of(outcome: &Result<BuildOutcome, SetupError>) -> Vec<String> {
    let mut headlines: Vec<String> = match outcome {
        Ok(outcome) => outcome
            .report
            .diagnostics
            .iter()
            .map(Diagnostic::headline)
            .collect(),
        Err(SetupError::Config(d)) => vec![d.headline()],
    };
    headlines.sort();
    headlines
}

/// Builds on a separate thread: a panic fails the test with the panic's
/// message; `None` when the build did not finish within `limit` (the thread is
/// left behind).
fn try_run_with(options: BuildOptions, limit: Duration) -> Option<Run> {
    let (send, receive) = mpsc::channel();
    let worker = std::thread::Builder::new()
        .name("kbgen-build".into())
        .spawn(move || {
            let sink = MemorySink::default();
            let outcome = build_site(&options, &sink);
            let _ = send.send((outcome, sink.into_files()));
        })
        .expect("spawn the build thread");
    match receive.recv_timeout(limit) {
        Ok((outcome, files)) => Some(Run { outcome, files }),
        Err(mpsc::RecvTimeoutError::Timeout) => None,
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let payload = worker
                .join()
                .expect_err("the build thread ended without a result");
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "(no message)".to_string());
            panic!("the build panicked: {message}")
        }
    }
}

/// Runs `kbgen build --root <site>` as a child process, for inputs that might
/// abort the process. Returns the exit code (`None`: killed by a signal, or
/// killed here after `limit`) and stderr.
fn run_binary(site: &TestSite, limit: Duration) -> (Option<i32>, String) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .arg("build")
        .arg("--root")
        .arg(site.root())
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start kbgen");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for kbgen") {
            break Some(status);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        use std::io::Read;
        let _ = pipe.read_to_string(&mut stderr);
    }
    (status.and_then(|s| s.code()), stderr)
}

/// A site with one article, `content/a.md`.
fn one_article(front: &str, body: &str) -> TestSite {
    TestSite::new().article("content/a.md", front, body)
}

/// A site whose only article, `content/a.md`, has `FINE` front matter and
/// this body (which starts on line 6).
fn body(body: &str) -> TestSite {
    one_article(FINE, body)
}

/// `FINE` front matter plus more lines (the first one is line 5).
fn fine_and(more: &str) -> String {
    format!("{FINE}\n{more}")
}

/// A site with a good article and this `kbgen.yaml`.
fn config(yaml: impl AsRef<[u8]>) -> TestSite {
    body("Text.\n").file("kbgen.yaml", yaml)
}

const NONE: [&str; 0] = [];

#[cfg(unix)]
fn symlink(site: &TestSite, link: &str, target: impl AsRef<Path>) {
    let link = site.path(link);
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, link).unwrap();
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// A folder outside the site with one file in it, and the file's real path.
fn outside_file(name: &str, contents: &str) -> (tempfile::TempDir, PathBuf) {
    let outside = tempfile::tempdir().unwrap();
    let file = outside.path().join(name);
    std::fs::write(&file, contents).unwrap();
    let real = file.canonicalize().unwrap();
    (outside, real)
}

// ---------------------------------------------------------------------------
// Front matter
// ---------------------------------------------------------------------------

/// Headlines of the `lint/missing-title` findings.
fn missing_titles(run: &Run) -> Vec<String> {
    run.report()
        .iter()
        .filter(|d| d.code == "lint/missing-title")
        .map(Diagnostic::headline)
        .collect()
}

#[test]
fn missing_front_matter() {
    let site = TestSite::new().file("content/a.md", "# Reset your password\n\nText.\n");
    let run = run(&site);
    assert_eq!(run.errors(), NONE);
    assert_eq!(
        missing_titles(&run),
        ["content/a.md:1:1: warning[lint/missing-title]: the article sets no `title`; it is titled \"Reset your password\" from its first heading"]
    );
}

#[test]
fn front_matter_not_closed() {
    let site = TestSite::new().file("content/a.md", "---\ntitle: A\n\nText.\n");
    assert_eq!(
        run(&site).errors(),
        ["content/a.md:1:1: error[front-matter]: front matter is not closed: no `---` line after the opening one"]
    );
}

#[test]
fn toml_front_matter() {
    let site = TestSite::new().file("content/a.md", "+++\ntitle = \"A\"\n+++\nText.\n");
    assert_eq!(
        run(&site).errors(),
        ["content/a.md:1:1: error[front-matter]: TOML front matter (`+++`) is not supported: kbgen reads YAML front matter"]
    );
}

#[test]
fn empty_file() {
    let site = TestSite::new().file("content/a.md", "");
    assert_eq!(
        run(&site).errors(),
        ["content/a.md: error[front-matter]: the file is empty"]
    );
}

#[test]
fn file_of_blank_lines() {
    let site = TestSite::new().file("content/a.md", "\n  \n\t\n");
    assert_eq!(
        run(&site).errors(),
        ["content/a.md: error[front-matter]: the file is empty"]
    );
}

const TITLED_BY_FILE_NAME: &str = "content/a.md:1:1: warning[lint/missing-title]: the article sets no `title`; it is titled \"A\" from its file name";

#[test]
fn missing_title() {
    let run = run(&one_article("description: D", "Text.\n"));
    assert_eq!(run.errors(), NONE);
    assert_eq!(missing_titles(&run), [TITLED_BY_FILE_NAME]);
}

#[test]
fn empty_front_matter() {
    let run = run(&TestSite::new().file("content/a.md", "---\n---\nText.\n"));
    assert_eq!(run.errors(), NONE);
    assert_eq!(missing_titles(&run), [TITLED_BY_FILE_NAME]);
}

#[test]
fn blank_title() {
    let run = run(&one_article("title: \"  \"\ndescription: D", "Text.\n"));
    assert_eq!(run.errors(), NONE);
    assert_eq!(missing_titles(&run), [TITLED_BY_FILE_NAME]);
}

#[test]
fn title_is_a_list() {
    let run = run(&one_article(
        "title: [Reset, password]\ndescription: D",
        "Text.\n",
    ));
    let headline =
        "content/a.md:2:8: error[yaml]: title: invalid type: sequence, expected a string";
    assert_eq!(run.errors(), [headline]);
    assert!(run.help(headline).unwrap().contains("not a list"));
}

#[test]
fn title_is_a_mapping() {
    let run = run(&one_article(
        "title:\n  Error: denied\ndescription: D",
        "Text.\n",
    ));
    let headline = "content/a.md:3:3: error[yaml]: title: invalid type: map, expected a string";
    assert_eq!(run.errors(), [headline]);
    assert!(run.help(headline).unwrap().contains("quote it"));
}

#[test]
fn front_matter_with_no_body() {
    let run = run(&one_article(FINE, ""));
    assert_eq!(run.errors(), NONE);
    assert_eq!(
        run.warnings(),
        ["content/a.md:6:1: warning[front-matter]: the article has no body below its front matter"]
    );
}

#[test]
fn typo_key_tittle_beside_title() {
    let run = run(&one_article(&fine_and("tittle: Other"), "Text.\n"));
    assert_eq!(run.errors(), NONE);
    let headline = "content/a.md:5:1: warning[front-matter]: unknown front-matter key `tittle`";
    assert_eq!(run.warnings(), [headline]);
    assert_eq!(
        run.help(headline).as_deref(),
        Some("did you mean `title`? (unknown keys reach templates as `page.extra.tittle`)")
    );
}

#[test]
fn typo_key_tittle_instead_of_title() {
    let run = run(&one_article(
        "tittle: Reset your password\ndescription: D",
        "Text.\n",
    ));
    assert_eq!(run.errors(), NONE);
    assert_eq!(missing_titles(&run), [TITLED_BY_FILE_NAME]);
    assert_eq!(
        run.warnings(),
        ["content/a.md:2:1: warning[front-matter]: unknown front-matter key `tittle`"]
    );
}

#[test]
fn bad_date() {
    let run = run(&one_article(&fine_and("date: 14/03/2026"), "Text.\n"));
    let headline = "content/a.md:5:1: error[front-matter]: `date: 14/03/2026` is not a date";
    assert_eq!(run.errors(), [headline]);
    assert_eq!(
        run.help(headline).as_deref(),
        Some("write YYYY-MM-DD, or RFC 3339 such as 2026-03-14T09:30:00Z")
    );
}

#[test]
fn impossible_updated_date() {
    let site = one_article(&fine_and("updated: 2026-02-30"), "Text.\n");
    assert_eq!(
        run(&site).errors(),
        ["content/a.md:5:1: error[front-matter]: `updated: 2026-02-30` is not a date"]
    );
}

#[test]
fn weight_is_a_word() {
    let site = one_article(&fine_and("weight: ten"), "Text.\n");
    assert_eq!(
        run(&site).errors(),
        ["content/a.md:5:9: error[yaml]: weight: invalid type: string \"ten\", expected i64"]
    );
}

#[test]
fn draft_is_yes() {
    let site = one_article(&fine_and("draft: yes"), "Text.\n");
    assert_eq!(
        run(&site).errors(),
        ["content/a.md:5:8: error[yaml]: draft: invalid type: string \"yes\", expected a boolean"]
    );
}

#[test]
fn duplicate_key() {
    let site = one_article(&fine_and("title: Again"), "Text.\n");
    assert_eq!(
        run(&site).errors(),
        ["content/a.md:5:1: error[yaml]: duplicate field `title`"]
    );
}

#[test]
fn related_is_not_a_list() {
    let site = one_article(&fine_and("related: b.md"), "Text.\n");
    assert_eq!(
        run(&site).errors(),
        ["content/a.md:5:10: error[yaml]: related: invalid type: string \"b.md\", expected a sequence"]
    );
}

#[test]
fn front_matter_is_a_list() {
    let site = TestSite::new().file("content/a.md", "---\n- title: A\n---\nText.\n");
    assert_eq!(
        run(&site).errors(),
        ["content/a.md:2:1: error[yaml]: front matter must be `key: value` lines, found a list"]
    );
}

#[test]
fn taxonomy_term_is_a_mapping() {
    let site = one_article(
        "title: A\ndescription: D\ntaxonomy:\n  category: {name: billing}",
        "Text.\n",
    );
    assert_eq!(
        run(&site).errors(),
        ["content/a.md:5:13: error[yaml]: taxonomy.category: expected a term or a list of terms"]
    );
}

#[test]
fn bad_yaml_in_a_section_index() {
    let site = body("Text.\n")
        .file(
            "content/billing/_index.md",
            "---\ntitle: Billing: invoices\n---\n",
        )
        .article("content/billing/refunds.md", FINE, "Text.\n");
    assert_eq!(
        run(&site).errors(),
        ["content/billing/_index.md:2:15: error[yaml]: mapping values are not allowed in this context"]
    );
}

// ---------------------------------------------------------------------------
// YAML
// ---------------------------------------------------------------------------

#[test]
fn unquoted_colon_in_title() {
    let run = run(&one_article(
        "title: Error: access denied\ndescription: D",
        "Text.\n",
    ));
    let headline = "content/a.md:2:13: error[yaml]: mapping values are not allowed in this context";
    assert_eq!(run.errors(), [headline]);
    assert_eq!(
        run.help(headline).as_deref(),
        Some("a value that contains `: ` must be quoted, e.g. title: \"Error: access denied\"")
    );
}

fn tab_indented_front_matter() -> TestSite {
    one_article(
        "title: A\ndescription: D\ntaxonomy:\n\tcategory: x",
        "Text.\n",
    )
}

#[test]
fn tab_indentation() {
    assert_eq!(
        run(&tab_indented_front_matter()).errors(),
        ["content/a.md:5:1: error[yaml]: found character that cannot start any token"]
    );
}

#[test]
fn tab_indentation_gets_the_tab_help() {
    let run = run(&tab_indented_front_matter());
    assert_eq!(
        run.help("content/a.md:5:1: error[yaml]: found character that cannot start any token")
            .as_deref(),
        Some("YAML indents with spaces; replace the tab with spaces")
    );
}

#[test]
fn unclosed_bracket() {
    let run = run(&one_article(
        "title: A\ndescription: D\naliases: [/old/a/, /old/b/",
        "Text.\n",
    ));
    let headline = "content/a.md:5:1: error[yaml]: did not find expected ',' or ']'";
    assert_eq!(run.errors(), [headline]);
    assert_eq!(
        run.help(headline).as_deref(),
        Some("while parsing a flow sequence that starts at line 4, column 10")
    );
}

fn unclosed_quote_site() -> TestSite {
    one_article("title: \"Reset your password\ndescription: D", "Text.\n")
}

#[test]
fn unclosed_quote() {
    // The stream ends at the closing `---` (line 4); the help says why.
    assert_eq!(
        run(&unclosed_quote_site()).errors(),
        ["content/a.md:4:1: error[yaml]: found unexpected end of stream"]
    );
}

#[test]
fn unclosed_quote_help_says_where_it_opened() {
    let run = run(&unclosed_quote_site());
    let help = run
        .help("content/a.md:4:1: error[yaml]: found unexpected end of stream")
        .unwrap();
    assert!(help.contains("line 2, column 8"), "{help}");
}

#[test]
fn bad_indentation() {
    let run = run(&one_article(
        "title: A\ndescription: D\ntaxonomy:\n  category: x\n tag: y",
        "Text.\n",
    ));
    let headline = "content/a.md:6:2: error[yaml]: did not find expected key";
    assert_eq!(run.errors(), [headline]);
    assert_eq!(
        run.help(headline).as_deref(),
        Some("check this line's indentation: keys of one block start in the same column")
    );
}

#[test]
fn yaml_alias_bomb() {
    let mut front = String::from("title: A\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        let refs = vec![format!("*a{p}"); 10].join(", ");
        front.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let site = one_article(front.trim_end(), "Text.\n");
    assert_eq!(
        run(&site).errors(),
        ["content/a.md:2:1: error[yaml]: repetition limit exceeded"]
    );
}

#[test]
fn deeply_nested_yaml() {
    let front = format!("title: A\nx: {}{}", "[".repeat(5000), "]".repeat(5000));
    let site = one_article(&front, "Text.\n");
    assert_eq!(
        run(&site).errors(),
        ["content/a.md:3:68: error[yaml]: `[` and `{` are nested more than 64 levels deep"]
    );
}

// ---------------------------------------------------------------------------
// Encodings and positions
// ---------------------------------------------------------------------------

#[test]
fn invalid_utf8_byte() {
    let site = TestSite::new().file("content/a.md", b"---\ntitle: Caf\xe9\n---\nText.\n");
    let run = run(&site);
    let headline = "content/a.md:2:11: error[encoding]: the file is not valid UTF-8: bad byte 0xE9";
    assert_eq!(run.errors(), [headline]);
    assert_eq!(
        run.help(headline).as_deref(),
        Some("save the file as UTF-8")
    );
}

#[test]
fn utf16_file() {
    let mut bytes = vec![0xff, 0xfe];
    for unit in "---\ntitle: A\n---\nText.\n".encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    let site = TestSite::new().file("content/a.md", bytes);
    assert_eq!(
        run(&site).errors(),
        ["content/a.md:1:1: error[encoding]: the file is not valid UTF-8: bad byte 0xFF"]
    );
}

#[test]
fn crlf_file_reports_the_lf_position() {
    let site = TestSite::new().file(
        "content/a.md",
        "---\r\ntitle: Error: access denied\r\ndescription: D\r\n---\r\nText.\r\n",
    );
    assert_eq!(
        run(&site).errors(),
        ["content/a.md:2:13: error[yaml]: mapping values are not allowed in this context"]
    );
}

#[test]
fn crlf_file_with_a_shortcode_error() {
    let site = TestSite::new().file(
        "content/a.md",
        "---\r\ntitle: A\r\ndescription: D\r\n---\r\nText.\r\n\r\nPress {{ kbd(key=) }}.\r\n",
    );
    assert_eq!(
        run(&site).errors(),
        ["content/a.md:7:18: error[shortcode]: expected a value in shortcode arguments, found `)`"]
    );
}

#[test]
fn bom_does_not_shift_the_column() {
    let site = TestSite::new().file(
        "content/a.md",
        "\u{feff}---\ndate: soon\ntitle: A\ndescription: D\n---\nText.\n",
    );
    assert_eq!(
        run(&site).errors(),
        ["content/a.md:2:1: error[front-matter]: `date: soon` is not a date"]
    );
}

#[test]
fn bom_file_with_an_error_on_the_first_line() {
    let site = TestSite::new().file("content/a.md", "\u{feff}+++\ntitle = \"A\"\n+++\n");
    assert_eq!(
        run(&site).errors(),
        ["content/a.md:1:1: error[front-matter]: TOML front matter (`+++`) is not supported: kbgen reads YAML front matter"]
    );
}

#[test]
fn bom_and_crlf_together() {
    let site = TestSite::new().file(
        "content/a.md",
        "\u{feff}---\r\ntitle: A\r\ndescription: D\r\n---\r\n{{ kbd(key=) }}\r\n",
    );
    assert_eq!(
        run(&site).errors(),
        ["content/a.md:5:12: error[shortcode]: expected a value in shortcode arguments, found `)`"]
    );
}

#[test]
fn tab_before_the_error_counts_as_one_column() {
    // "Press" (5) + tab (1) + "{{ kbd(key=" (11): the `)` is column 18.
    let site = body("Press\t{{ kbd(key=) }}\n");
    assert_eq!(
        run(&site).errors(),
        ["content/a.md:6:18: error[shortcode]: expected a value in shortcode arguments, found `)`"]
    );
}

#[test]
fn multibyte_characters_before_the_error_count_as_one_column() {
    // "Café ✓ 👍 " (9 characters, 15 bytes) + "{{ kbd(key=" (11): column 21.
    let site = body("Café ✓ 👍 {{ kbd(key=) }}\n");
    assert_eq!(
        run(&site).errors(),
        ["content/a.md:6:21: error[shortcode]: expected a value in shortcode arguments, found `)`"]
    );
}

#[test]
fn lone_cr_line_ends() {
    let site = TestSite::new().file(
        "content/a.md",
        "---\rtitle: A\rdescription: D\rtaxonomy: {category: x}\r---\rText.\r",
    );
    assert_eq!(run(&site).errors(), NONE);
}

#[cfg(unix)]
#[test]
fn file_name_that_is_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let site = body("Text.\n");
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
    std::fs::write(
        site.path("content").join(name),
        "---\ntitle: Cafe\ndescription: D\n---\nText.\n",
    )
    .unwrap();
    assert_eq!(
        run(&site).errors(),
        ["content/caf\u{fffd}.md: error[path]: the file name is not valid UTF-8; rename the file"]
    );
}

// ---------------------------------------------------------------------------
// Configuration (`kbgen.yaml`): setup errors, the build does not start
// ---------------------------------------------------------------------------

/// The list of known keys grows with every setting, so the cases below check
/// the headline up to it.
const UNKNOWN_TITEL: &str =
    "error[config]: unknown field `titel`, expected one of `title`, `description`, `base_url`, ";

#[test]
fn config_unknown_key_with_suggestion() {
    let run = run(&config("titel: Docs\n"));
    let headline = run.setup_error();
    assert!(
        headline.starts_with(&format!("kbgen.yaml:1:1: {UNKNOWN_TITEL}")),
        "{headline}"
    );
    assert_eq!(run.setup_help().as_deref(), Some("did you mean `title`?"));
}

#[test]
fn config_unknown_nested_key() {
    let run = run(&config("related:\n  limt: 3\n"));
    assert_eq!(
        run.setup_error(),
        "kbgen.yaml:2:3: error[config]: related: unknown field `limt`, expected `limit` or `category_limit`"
    );
    assert_eq!(run.setup_help().as_deref(), Some("did you mean `limit`?"));
}

#[test]
fn config_wrong_type() {
    assert_eq!(
        run(&config("related:\n  limit: many\n")).setup_error(),
        "kbgen.yaml:2:10: error[config]: related.limit: expected a whole number, found \"many\""
    );
}

#[test]
fn config_negative_limit() {
    assert_eq!(
        run(&config("related:\n  limit: -1\n")).setup_error(),
        "kbgen.yaml:2:10: error[config]: related.limit: expected a whole number, found -1"
    );
}

#[test]
fn config_with_crlf_and_an_error() {
    assert_eq!(
        run(&config("title: Docs\r\nrelated:\r\n  limit: many\r\n")).setup_error(),
        "kbgen.yaml:3:10: error[config]: related.limit: expected a whole number, found \"many\""
    );
}

#[test]
fn config_with_bom_and_an_error() {
    // The BOM is not a column: the `:` after "Docs" is column 12 of line 1.
    assert_eq!(
        run(&config("\u{feff}title: Docs: Help\n")).setup_error(),
        "kbgen.yaml:1:12: error[config]: mapping values are not allowed in this context"
    );
}

#[test]
fn config_bad_base_url() {
    assert_eq!(
        run(&config("title: Docs\nbase_url: help.example.com\n")).setup_error(),
        "kbgen.yaml:2:11: error[config]: base_url `help.example.com` must start with http:// or https://"
    );
}

#[test]
fn command_line_bad_base_url() {
    let site = body("Text.\n");
    let run = run_with(BuildOptions {
        base_url: Some("help.example.com".into()),
        ..options(&site)
    });
    assert_eq!(
        run.setup_error(),
        "--base-url: error[config]: base_url `help.example.com` must start with http:// or https://"
    );
}

#[test]
fn config_unknown_highlight_theme() {
    let headline = run(&config("highlight:\n  light: Solarized\n")).setup_error();
    assert!(
        headline.starts_with(
            "kbgen.yaml:2:10: error[config]: unknown highlight theme `Solarized`; known themes: "
        ),
        "{headline}"
    );
    assert!(headline.contains("Solarized (light)"), "{headline}");
}

#[test]
fn config_bad_taxonomy_name() {
    assert_eq!(
        run(&config("taxonomies:\n  Product Area:\n")).setup_error(),
        "kbgen.yaml:2:3: error[config]: taxonomy name `Product Area` must be lower-case letters, digits and `-`"
    );
}

#[test]
fn config_yaml_syntax_error() {
    assert_eq!(
        run(&config("title: Docs: Help\n")).setup_error(),
        "kbgen.yaml:1:12: error[config]: mapping values are not allowed in this context"
    );
}

#[test]
fn config_tab_indentation() {
    assert_eq!(
        run(&config("related:\n\tlimit: 3\n")).setup_error(),
        "kbgen.yaml:2:1: error[config]: a tab indents this line; YAML indents with spaces only"
    );
}

#[test]
fn config_is_a_list() {
    assert_eq!(
        run(&config("- title: Docs\n")).setup_error(),
        "kbgen.yaml:1:1: error[config]: expected `key: value` lines, found a list"
    );
}

#[test]
fn config_bad_lint_level() {
    assert_eq!(
        run(&config("lint:\n  title-length: loud\n")).setup_error(),
        "kbgen.yaml:2:17: error[config]: lint.title-length: expected `off`, `warn`, `error` or a number, found `loud`"
    );
}

#[test]
fn config_bad_broken_links_value() {
    assert_eq!(
        run(&config("links:\n  broken: maybe\n")).setup_error(),
        "kbgen.yaml:2:11: error[config]: links.broken: unknown variant `maybe`, expected `error` or `warn`"
    );
}

#[test]
fn config_not_utf8() {
    assert_eq!(
        run(&config(b"title: Caf\xe9\n")).setup_error(),
        "kbgen.yaml:1:11: error[config]: the file is not valid UTF-8: bad byte 0xE9"
    );
}

#[cfg(target_os = "linux")] // the OS's own message
#[test]
fn config_is_a_directory() {
    let site = body("Text.\n");
    std::fs::create_dir(site.path("kbgen.yaml")).unwrap();
    assert_eq!(
        run(&site).setup_error(),
        "kbgen.yaml: error[config]: cannot read: Is a directory (os error 21)"
    );
}

#[cfg(unix)]
#[test]
fn config_is_a_fifo() {
    let site = body("Text.\n");
    let fifo = site.path("kbgen.yaml");
    mkfifo(&fifo);
    let Some(run) = try_run_with(options(&site), Duration::from_secs(5)) else {
        // Open the other end, so the blocked build thread can finish.
        let _ = std::fs::OpenOptions::new().write(true).open(&fifo);
        panic!("the build hung on a FIFO named kbgen.yaml");
    };
    assert_eq!(
        run.setup_error(),
        "kbgen.yaml: error[config]: not a regular file (a FIFO, socket or device)"
    );
}

#[test]
fn a_search_folder_takes_the_search_page_url() {
    let run = run(&TestSite::new().article("content/search/tips.md", FINE, "Text.\n"));
    assert_eq!(
        run.errors(),
        ["content/search: error[url-collision]: this page and the built-in search page both want the URL /search/"]
    );
}

#[test]
fn config_unclosed_quote_points_at_the_quote() {
    let run = run(&body("Text.\n").file("kbgen.yaml", "description: D\ntitle: \"Help\n"));
    assert_eq!(
        run.setup_error(),
        "kbgen.yaml:2:8: error[config]: a quote or bracket opened here is never closed"
    );
    assert!(run.setup_help().unwrap().contains("close it"));
}

#[test]
fn config_duplicate_key_points_at_the_second_one() {
    let run = run(&body("Text.\n").file("kbgen.yaml", "title: X\ndescription: D\ntitle: Y\n"));
    assert_eq!(
        run.setup_error(),
        "kbgen.yaml:3:1: error[config]: duplicate field `title`"
    );
}

#[test]
fn a_config_named_kbgen_yml_is_not_ignored_in_silence() {
    let run = run(&body("Text.\n").file("kbgen.yml", "title: Docs\n"));
    assert_eq!(
        run.setup_error(),
        "kbgen.yml: error[config]: found `kbgen.yml`, but kbgen reads its configuration from `kbgen.yaml`; this file is ignored"
    );
    assert_eq!(
        run.setup_help().as_deref(),
        Some("rename it to `kbgen.yaml`")
    );
}

#[test]
fn a_typo_in_a_taxonomy_name_suggests_the_configured_one() {
    let run = run(&one_article(
        "title: Fine\ndescription: Fine.\ntaxonomy:\n  categroy: billing",
        "Text.\n",
    ));
    let headline = "content/a.md:5:3: warning[front-matter]: taxonomy `categroy` is not configured, so its terms get no pages";
    assert_eq!(run.warnings(), [headline]);
    assert_eq!(
        run.help(headline).as_deref(),
        Some("did you mean `category`? (or add `categroy:` under `taxonomies:` in kbgen.yaml)")
    );
}

// ---------------------------------------------------------------------------
// Output folder (`build_to_folder`): setup errors
// ---------------------------------------------------------------------------

fn output_error(site: &TestSite, output: &Path) -> String {
    match build_to_folder(&options(site), output, Default::default()) {
        Err(SetupError::Config(d)) => d.headline(),
        Ok(_) => panic!("building into {} must be refused", output.display()),
    }
}

#[test]
fn output_is_the_site_root() {
    let site = body("Text.\n");
    let root = site.root().canonicalize().unwrap();
    assert_eq!(
        output_error(&site, site.root()),
        format!(
            "{}: error[config]: the output folder {} is the site root or holds it",
            site.root().display(),
            root.display()
        )
    );
    assert!(site.path("content/a.md").exists());
}

#[test]
fn output_inside_content() {
    let site = body("Text.\n");
    let root = site.root().canonicalize().unwrap();
    assert_eq!(
        output_error(&site, &site.path("content/public")),
        format!(
            "content/public: error[config]: the output folder {} lies inside content/, which kbgen reads",
            root.join("content/public").display()
        )
    );
}

#[cfg(unix)]
#[test]
fn output_symlinked_into_content() {
    let site = body("Text.\n");
    symlink(&site, "public", site.path("content"));
    let root = site.root().canonicalize().unwrap();
    assert_eq!(
        output_error(&site, &site.path("public")),
        format!(
            "public: error[config]: the output folder {} lies inside content/, which kbgen reads",
            root.join("content").display()
        )
    );
    assert!(site.path("content/a.md").exists());
}

// ---------------------------------------------------------------------------
// Shortcodes
// ---------------------------------------------------------------------------

#[test]
fn unknown_shortcode() {
    let run = run(&body("Press {{ kdb(key=\"A\") }}.\n"));
    let headline = "content/a.md:6:7: error[shortcode]: unknown shortcode `kdb`";
    assert_eq!(run.errors(), [headline]);
    assert_eq!(
        run.help(headline).as_deref(),
        Some("did you mean `kbd`? Known shortcodes: `callout`, `include`, `kbd`, `ui`")
    );
}

#[test]
fn shortcode_body_without_end() {
    assert_eq!(
        run(&body("Text.\n\n{% callout(type=\"tip\") %}\nA tip.\n")).errors(),
        ["content/a.md:8:1: error[shortcode]: `{% callout(...) %}` has no `{% end %}`"]
    );
}

#[test]
fn stray_end_tag() {
    assert_eq!(
        run(&body("Text.\n{% end %}\n")).errors(),
        ["content/a.md:7:1: error[shortcode]: `{% end %}` without an opening shortcode"]
    );
}

#[test]
fn shortcode_argument_is_a_bare_word() {
    assert_eq!(
        run(&body("Press {{ kbd(key=Enter) }}.\n")).errors(),
        ["content/a.md:6:18: error[shortcode]: a bare word is not a value"]
    );
}

#[test]
fn shortcode_arguments_without_comma() {
    assert_eq!(
        run(&body("{{ kbd(key=\"A\" n=2) }}\n")).errors(),
        ["content/a.md:6:16: error[shortcode]: expected `,` or `)` in shortcode arguments, found `n`"]
    );
}

#[test]
fn shortcode_argument_given_twice() {
    assert_eq!(
        run(&body("{{ kbd(key=\"A\", key=\"B\") }}\n")).errors(),
        ["content/a.md:6:17: error[shortcode]: argument `key` is given twice"]
    );
}

#[test]
fn shortcode_unclosed_string() {
    assert_eq!(
        run(&body("Press {{ kbd(key=\"Enter) }}.\n")).errors(),
        ["content/a.md:6:18: error[shortcode]: unclosed string in shortcode arguments"]
    );
}

#[test]
fn shortcode_bad_number() {
    assert_eq!(
        run(&body("{{ kbd(key=\"A\", n=1.2.3) }}\n")).errors(),
        ["content/a.md:6:19: error[shortcode]: `1.2.3` is not a number"]
    );
}

#[test]
fn shortcode_number_too_big() {
    assert_eq!(
        run(&body("{{ kbd(key=\"A\", n=99999999999999999999) }}\n")).errors(),
        ["content/a.md:6:19: error[shortcode]: `99999999999999999999` is not a number"]
    );
}

#[test]
fn shortcode_tag_over_two_lines() {
    assert_eq!(
        run(&body("{{ kbd(key=\"A\",\n  n=2) }}\n")).errors(),
        ["content/a.md:6:16: error[shortcode]: expected an argument name or `)` in shortcode arguments, found the end of the line"]
    );
}

#[test]
fn template_error_inside_a_shortcode() {
    let site = body("Text.\n\n{{ boom(n=1) }}\n")
        .file("templates/shortcodes/boom.html", "<b>\n{{ missing }}</b>\n");
    assert_eq!(
        run(&site).errors(),
        ["content/a.md:8:1: error[shortcode]: shortcode `boom` failed: Variable `missing` is not defined. Available variables: body, n, page, site, strings (in templates/shortcodes/boom.html:2:4)"]
    );
}

#[test]
fn runtime_error_inside_a_shortcode() {
    let site = body("{{ ratio(n=0) }}\n").file("templates/shortcodes/ratio.html", "{{ 100 / n }}");
    assert_eq!(
        run(&site).errors(),
        ["content/a.md:6:1: error[shortcode]: shortcode `ratio` failed: Cannot divide by 0 (in templates/shortcodes/ratio.html:1:10)"]
    );
}

#[test]
fn builtin_shortcode_without_its_argument() {
    assert_eq!(
        run(&body("Press {{ kbd() }}.\n")).errors(),
        ["content/a.md:6:7: error[shortcode]: shortcode `kbd` failed: Variable `key` is not defined. Available variables: body, page, site, strings (in templates/shortcodes/kbd.html (built-in theme):6:9)"]
    );
}

#[test]
fn shortcode_template_with_a_syntax_error() {
    let site =
        body("{{ bad() }}\n").file("templates/shortcodes/bad.html", "{% if %}x{% endif %}\n");
    assert_eq!(
        run(&site).errors(),
        [
            "content/a.md:6:1: error[shortcode]: shortcode `bad` cannot be used: templates/shortcodes/bad.html has an error",
            "templates/shortcodes/bad.html:1:7: error[template]: Found `%}` but expected one of: integer, float, string, bool, ident, `-`, `not`, `<`, `{`, `[` or `(`",
        ]
    );
}

#[test]
fn zola_shortcode_with_the_markdown_filter() {
    let site = body("{% note() %}\nA *note*.\n{% end %}\n").file(
        "templates/shortcodes/note.html",
        "<aside>{{ body | markdown | safe }}</aside>\n",
    );
    assert_eq!(
        run(&site).errors(),
        [
            "content/a.md:6:1: error[shortcode]: shortcode `note` cannot be used: templates/shortcodes/note.html has an error",
            "templates/shortcodes/note.html:1:18: error[template]: Unknown filter `markdown`",
        ]
    );
}

#[test]
fn shortcodes_nested_thousands_deep() {
    let depth = 3000;
    let site = body(&format!(
        "{}Text.\n{}",
        "{% callout() %}\n".repeat(depth),
        "{% end %}\n".repeat(depth)
    ));
    let (code, stderr) = run_binary(&site, Duration::from_secs(60));
    assert!(
        matches!(code, Some(0 | 1)),
        "kbgen crashed (exit {code:?}):\n{}",
        stderr.lines().take(5).collect::<Vec<_>>().join("\n")
    );
    assert!(!stderr.contains("overflow"), "{stderr}");
    assert_eq!(code, Some(1));
    // The 33rd level (line 6 + 32) is the first one too deep.
    assert!(
        stderr.contains("a.md:38:1: error[shortcode]: shortcodes are nested more than 32 deep"),
        "{stderr}"
    );
}

// ---------------------------------------------------------------------------
// Links and references
// ---------------------------------------------------------------------------

#[test]
fn broken_md_link() {
    assert_eq!(
        run(&body("See [the fix](missing.md).\n")).errors(),
        ["content/a.md:6:5: error[broken-link]: broken link: `missing.md` points to nothing this build writes"]
    );
}

#[test]
fn broken_anchor() {
    let site =
        body("See [setup](b.md#set-up).\n").article("content/b.md", FINE, "## Setup\n\nText.\n");
    let run = run(&site);
    let headline = "content/a.md:6:5: error[broken-link]: broken link `b.md#set-up`: `#set-up` is not an anchor of /b/";
    assert_eq!(run.errors(), [headline]);
    assert_eq!(
        run.help(headline).as_deref(),
        Some("did you mean `#setup`?")
    );
}

#[test]
fn broken_anchor_on_the_same_page() {
    assert_eq!(
        run(&body("## Install\n\nSee [above](#instal).\n")).errors(),
        ["content/a.md:8:5: error[broken-link]: broken link `#instal`: `#instal` is not an anchor of /a/"]
    );
}

#[test]
fn broken_image() {
    assert_eq!(
        run(&body("![Policies page](img/policies.png)\n")).errors(),
        ["content/a.md:6:1: error[broken-link]: broken image: `img/policies.png` points to nothing this build writes"]
    );
}

#[test]
fn broken_link_in_raw_html() {
    assert_eq!(
        run(&body("<p>See <a href=\"/nowhere/\">this</a>.</p>\n")).errors(),
        ["content/a.md:6:17: error[broken-link]: broken link: `/nowhere/` points to nothing this build writes"]
    );
}

#[test]
fn link_into_a_draft() {
    let site = body("See [the draft](b.md).\n").article(
        "content/b.md",
        &fine_and("draft: true"),
        "Text.\n",
    );
    assert_eq!(
        run(&site).errors(),
        ["content/a.md:6:5: error[broken-link]: broken link `b.md`: links to /b/, an article marked `draft: true`, which this build leaves out"]
    );
}

#[test]
fn broken_related_entry() {
    let site = one_article(&fine_and("related:\n  - ../missing.md"), "Text.\n");
    assert_eq!(
        run(&site).errors(),
        ["content/a.md:6:5: error[broken-link]: related article `../missing.md` does not match any article"]
    );
}

#[test]
fn related_entry_is_a_draft() {
    let site = one_article(&fine_and("related: [b.md]"), "Text.\n").article(
        "content/b.md",
        &fine_and("draft: true"),
        "Text.\n",
    );
    assert_eq!(
        run(&site).errors(),
        ["content/a.md:5:11: error[broken-link]: related article `b.md` is a draft (/b/) that this build leaves out"]
    );
}

#[test]
fn related_entry_is_not_an_article() {
    let site = one_article(&fine_and("related: [/]"), "Text.\n");
    assert_eq!(
        run(&site).errors(),
        ["content/a.md:5:11: error[broken-link]: related entry `/` is not an article"]
    );
}

#[test]
fn link_differs_only_in_case() {
    let site = body("See [invoices](/Billing/Invoices/).\n").article(
        "content/billing/invoices.md",
        FINE,
        "Text.\n",
    );
    let run = run(&site);
    let headline = "content/a.md:6:5: error[broken-link]: broken link: `/Billing/Invoices/` points to nothing this build writes";
    assert_eq!(run.errors(), [headline]);
    assert_eq!(
        run.help(headline).as_deref(),
        Some("paths are case-sensitive on the web server: did you mean `/billing/invoices/`?")
    );
}

#[test]
fn md_link_differs_only_in_case() {
    let site = body("See [invoices](billing/Invoices.md).\n").article(
        "content/billing/invoices.md",
        FINE,
        "Text.\n",
    );
    let run = run(&site);
    let headline = "content/a.md:6:5: error[broken-link]: broken link: `billing/Invoices.md` points to nothing this build writes";
    assert_eq!(run.errors(), [headline]);
    assert_eq!(
        run.help(headline).as_deref(),
        Some("did you mean `@/billing/invoices.md`?")
    );
}

// ---------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------

#[test]
fn syntax_error_in_a_site_template() {
    let site = body("Text.\n").file("templates/article.html", "<h1>{{ page.title }</h1>\n");
    assert_eq!(
        run(&site).errors(),
        ["templates/article.html:1:19: error[template]: Found `}` but expected }}."]
    );
}

#[test]
fn unclosed_block_in_a_site_template() {
    let site = body("Text.\n").file(
        "templates/article.html",
        "{% if page.title %}<h1>{{ page.title }}</h1>\n",
    );
    assert_eq!(
        run(&site).errors(),
        ["templates/article.html:2:1: error[template]: Unexpected end of input"]
    );
}

#[test]
fn undefined_variable_in_a_site_template() {
    let site = body("Text.\n").file("templates/article.html", "<h1>\n{{ page.titel }}</h1>\n");
    let errors = run(&site).errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with(
            "templates/article.html:2:9: error[template]: Field `titel` is not defined. Available fields: "
        ),
        "{errors:?}"
    );
}

#[test]
fn unknown_filter_in_a_site_template() {
    let site = body("Text.\n").file(
        "templates/article.html",
        "<h1>{{ page.title | upper_case }}</h1>\n",
    );
    assert_eq!(
        run(&site).errors(),
        ["templates/article.html:1:21: error[template]: Unknown filter `upper_case`"]
    );
}

#[test]
fn include_of_a_missing_template() {
    let site = body("Text.\n").file(
        "templates/article.html",
        "<h1>\n{% include \"nope.html\" %}</h1>\n",
    );
    assert_eq!(
        run(&site).errors(),
        ["templates/article.html:2:12: error[template]: Unknown template `nope.html`"]
    );
}

#[test]
fn template_extends_a_missing_parent() {
    let site = body("Text.\n").file("templates/article.html", "{% extends \"layout.html\" %}\n");
    assert_eq!(
        run(&site).errors(),
        ["templates/article.html: error[template]: Template 'article.html' is inheriting from 'layout.html', which doesn't exist or isn't loaded."]
    );
}

#[test]
fn template_extends_itself() {
    let site = body("Text.\n").file("templates/base.html", "{% extends \"base.html\" %}\n");
    assert_eq!(
        run(&site).errors(),
        ["templates/base.html: error[template]: Circular extend detected for template 'base.html'. Inheritance chain: `[\"base.html\"]`"]
    );
}

#[test]
fn template_names_a_missing_template() {
    let run = run(&one_article(&fine_and("template: landing.html"), "Text.\n"));
    let headline = "content/a.md:5:1: error[template]: `template: landing.html` names no template";
    assert_eq!(run.errors(), [headline]);
    assert_eq!(
        run.help(headline).as_deref(),
        Some("add templates/landing.html, or remove the `template` line to use article.html")
    );
}

#[test]
fn template_not_utf8() {
    let site = body("Text.\n").file("templates/article.html", b"<h1>Caf\xe9</h1>\n");
    assert_eq!(
        run(&site).errors(),
        ["templates/article.html: error[encoding]: the file is not valid UTF-8 (first bad byte at offset 7)"]
    );
}

// ---------------------------------------------------------------------------
// URL collisions
// ---------------------------------------------------------------------------

#[test]
fn two_files_one_url() {
    let site = body("Text.\n").article("content/A.md", FINE, "Text.\n");
    assert_eq!(
        run(&site).errors(),
        ["content/a.md: error[url-collision]: the article content/a.md and the article content/A.md both want the URL /a/"]
    );
}

#[test]
fn article_and_page_bundle_with_one_url() {
    let site = body("Text.\n")
        .article("content/b.md", FINE, "Text.\n")
        .article("content/b/index.md", FINE, "Text.\n");
    assert_eq!(
        run(&site).errors(),
        ["content/b/index.md: error[url-collision]: the article content/b/index.md and the article content/b.md both want the URL /b/"]
    );
}

#[test]
fn slug_takes_another_pages_url() {
    let site = body("Text.\n").article("content/b.md", &fine_and("slug: a"), "Text.\n");
    assert_eq!(
        run(&site).errors(),
        ["content/b.md:5:1: error[url-collision]: the article content/b.md and the article content/a.md both want the URL /a/"]
    );
}

#[test]
fn two_folders_one_url() {
    let site = body("Text.\n")
        .article("content/A B/a.md", FINE, "Text.\n")
        .article("content/a-b/b.md", FINE, "Text.\n");
    assert_eq!(
        run(&site).errors(),
        ["content/a-b: error[url-collision]: the section folder content/a-b/ and the section folder content/A B/ both want the URL /a-b/"]
    );
}

#[test]
fn article_and_section_with_one_url() {
    let site = TestSite::new()
        .article("content/billing.md", FINE, "Text.\n")
        .article("content/billing/invoices.md", FINE, "Text.\n");
    assert_eq!(
        run(&site).errors(),
        ["content/billing.md: error[url-collision]: the article content/billing.md and the section folder content/billing/ both want the URL /billing/"]
    );
}

#[test]
fn alias_takes_a_pages_url() {
    let site = body("Text.\n").article("content/b.md", &fine_and("aliases: [/a/]"), "Text.\n");
    assert_eq!(
        run(&site).errors(),
        ["content/b.md:5:11: error[alias]: alias `/a/` collides with the page of content/a.md at /a/"]
    );
}

#[test]
fn alias_takes_another_alias() {
    let site = one_article(&fine_and("aliases: [/old/]"), "Text.\n").article(
        "content/b.md",
        &fine_and("aliases:\n  - /old"),
        "Text.\n",
    );
    assert_eq!(
        run(&site).errors(),
        ["content/b.md:6:5: error[alias]: alias `/old` collides with an alias of content/a.md at /old/"]
    );
}

#[test]
fn alias_takes_the_404_page() {
    let site = one_article(&fine_and("aliases: [/404.html]"), "Text.\n");
    let run = run(&site);
    assert_eq!(
        run.errors(),
        ["content/a.md:5:11: error[alias]: alias `/404.html` collides with a file the build writes at /404.html"]
    );
    assert!(!run.text("404.html").contains("http-equiv=\"refresh\""));
}

#[test]
fn taxonomy_index_and_section_with_one_url() {
    let site = TestSite::new().article("content/category/a.md", FINE, "Text.\n");
    assert_eq!(
        run(&site).errors(),
        ["kbgen.yaml: error[url-collision]: the taxonomy page /category/ collides with the section in content/category"]
    );
}

#[test]
fn taxonomy_term_and_section_with_one_url() {
    let site = TestSite::new().article(
        "content/tag/oauth/a.md",
        "title: A\ndescription: D\ntaxonomy: {category: x, tag: oauth}",
        "Text.\n",
    );
    assert_eq!(
        run(&site).errors(),
        [
            "kbgen.yaml: error[url-collision]: the taxonomy page /tag/ collides with the section in content/tag",
            "kbgen.yaml: error[url-collision]: the taxonomy page /tag/oauth/ collides with the section in content/tag/oauth",
        ]
    );
}

#[test]
fn article_and_taxonomy_index_with_one_url() {
    let site = body("Text.\n").article("content/category.md", FINE, "Text.\n");
    assert_eq!(
        run(&site).errors(),
        ["content/category.md: error[url-collision]: this page and the taxonomy page /category/ both want the URL /category/"]
    );
}

#[test]
fn static_file_and_page_with_one_url() {
    let site = body("Text.\n").file("static/a/index.html", "<p>old</p>\n");
    assert_eq!(
        run(&site).errors(),
        ["static/a/index.html: error[url-collision]: this file and the page of content/a.md both want /a/index.html"]
    );
}

#[test]
fn asset_and_section_page_with_one_url() {
    let site = body("Text.\n")
        .article("content/guides/a.md", FINE, "Text.\n")
        .file("content/guides/index.html", "<p>old</p>\n");
    assert_eq!(
        run(&site).errors(),
        ["content/guides/index.html: error[url-collision]: this file and the section page content/guides both want /guides/index.html"]
    );
}

// ---------------------------------------------------------------------------
// Paths and the file system
// ---------------------------------------------------------------------------

#[test]
fn directory_named_like_a_markdown_file() {
    let site = body("Text.\n");
    std::fs::create_dir_all(site.path("content/x.md")).unwrap();
    let run = run(&site);
    assert_eq!(run.errors(), NONE);
    assert_eq!(
        run.warnings(),
        ["content/x.md: warning[path]: a folder named like a Markdown file is not an article"]
    );
}

#[cfg(unix)]
#[test]
fn fifo_named_like_an_article() {
    let site = body("Text.\n");
    mkfifo(&site.path("content/b.md"));
    let run = run(&site);
    let headline =
        "content/b.md: error[path]: not a regular file or folder (a FIFO, socket or device)";
    assert_eq!(run.errors(), [headline]);
    assert_eq!(
        run.help(headline).as_deref(),
        Some("remove it from the site")
    );
}

#[cfg(unix)]
#[test]
fn fifo_in_static() {
    let site = body("Text.\n");
    mkfifo(&site.path("static/feed.xml"));
    assert_eq!(
        run(&site).errors(),
        ["static/feed.xml: error[path]: not a regular file or folder (a FIFO, socket or device)"]
    );
}

#[cfg(target_os = "linux")] // the OS's own message
#[test]
fn symlink_loop_inside_content() {
    let site = body("Text.\n");
    symlink(&site, "content/loop.md", "loop.md");
    symlink(&site, "content/sub/up", "..");
    assert_eq!(
        run(&site).errors(),
        [
            "content/loop.md: error[path]: cannot read: Too many levels of symbolic links (os error 40)",
            "content/sub/up: error[path]: symbolic link loop: it points back to content/",
        ]
    );
}

#[cfg(unix)]
#[test]
fn symlink_pointing_out_of_the_site() {
    let (_outside, secret) = outside_file("secret.md", "---\ntitle: Secret\n---\nsecret\n");
    let site = body("Text.\n");
    symlink(&site, "content/leak.md", &secret);
    symlink(&site, "content/img/leak.png", &secret);
    let run = run(&site);
    let headline = |path: &str| {
        format!(
            "{path}: error[path]: symbolic link points outside the site, to {}",
            secret.display()
        )
    };
    assert_eq!(
        run.errors(),
        [
            headline("content/img/leak.png"),
            headline("content/leak.md")
        ]
    );
    assert!(run
        .files
        .values()
        .all(|bytes| !String::from_utf8_lossy(bytes).contains("secret")));
}

#[cfg(unix)]
#[test]
fn symlink_in_static_pointing_out_of_the_site() {
    let (_outside, secret) = outside_file("secret.txt", "secret\n");
    let site = body("Text.\n");
    symlink(&site, "static/leak.txt", &secret);
    let run = run(&site);
    assert_eq!(
        run.errors(),
        [format!(
            "static/leak.txt: error[path]: symbolic link points outside the site, to {}",
            secret.display()
        )]
    );
    assert!(!run.files.contains_key("leak.txt"));
}

#[cfg(unix)]
#[test]
fn symlink_in_templates_pointing_out_of_the_site() {
    let (_outside, secret) = outside_file("article.html", "<p>{{ page.title }}</p>\n");
    let site = body("Text.\n");
    symlink(&site, "templates/article.html", &secret);
    assert_eq!(
        run(&site).errors(),
        [format!(
            "templates/article.html: error[path]: symbolic link points outside the site, to {}",
            secret.display()
        )]
    );
}

#[test]
fn slug_climbing_out_of_the_output() {
    let site = one_article(&fine_and("slug: ../../outside"), "Text.\n");
    let run = run(&site);
    assert_eq!(run.errors(), NONE);
    assert!(
        run.files.contains_key("outside/index.html"),
        "{:?}",
        run.files.keys()
    );
    assert!(run
        .files
        .keys()
        .all(|p| !p.split('/').any(|part| part == "..")));
}

#[test]
fn alias_climbing_out_of_the_output() {
    let site = one_article(&fine_and("aliases: [\"/../../outside/\"]"), "Text.\n");
    let run = run(&site);
    assert_eq!(
        run.errors(),
        ["content/a.md:5:12: error[alias]: alias `/../../outside/` is not a path of this site"]
    );
    assert!(run.files.keys().all(|p| !p.contains("outside")));
}

#[test]
fn alias_to_another_site() {
    let site = one_article(
        &fine_and("aliases: [\"https://old.example.com/a/\"]"),
        "Text.\n",
    );
    assert_eq!(
        run(&site).errors(),
        ["content/a.md:5:12: error[alias]: alias `https://old.example.com/a/` is not a path of this site"]
    );
}

#[test]
fn image_climbing_out_of_the_site() {
    let run = run(&body("![Secret](../../../../etc/hostname)\n"));
    assert_eq!(
        run.errors(),
        ["content/a.md:6:1: error[broken-link]: broken image: `../../../../etc/hostname` points to nothing this build writes"]
    );
    assert!(run.files.keys().all(|p| !p.contains("hostname")));
}

#[test]
fn link_climbing_out_of_content() {
    assert_eq!(
        run(&body("See [secret](@/../outside.md).\n")).errors(),
        ["content/a.md:6:5: error[broken-link]: broken link: `@/../outside.md` points to nothing this build writes"]
    );
}

#[test]
fn template_climbing_out_of_the_site() {
    let site = one_article(&fine_and("template: ../../../etc/passwd"), "Text.\n");
    assert_eq!(
        run(&site).errors(),
        ["content/a.md:5:1: error[template]: `template: ../../../etc/passwd` names no template"]
    );
}

#[test]
fn file_name_without_letters_or_digits() {
    let site = body("Text.\n").article("content/!!!.md", FINE, "Text.\n");
    assert_eq!(
        run(&site).errors(),
        ["content/!!!.md: error[path]: the file name `!!!.md` gives an empty URL slug: rename the file or set `slug`"]
    );
}

#[test]
fn folder_name_without_letters_or_digits() {
    let site = body("Text.\n").article("content/!!!/b.md", FINE, "Text.\n");
    assert_eq!(
        run(&site).errors(),
        ["content/!!!: error[path]: the folder name `!!!` gives an empty URL slug: rename the folder or set `slug` in its _index.md"]
    );
}

#[test]
fn empty_content_folder() {
    let site = TestSite::new();
    std::fs::create_dir(site.path("content")).unwrap();
    let run = run(&site);
    let headline = "content: error[content]: content/ holds no articles";
    assert_eq!(run.errors(), [headline]);
}

#[test]
fn missing_content_folder() {
    let site = TestSite::new().file("kbgen.yaml", "title: Docs\n");
    assert_eq!(
        run(&site).errors(),
        [format!(
            "content: error[content]: no content/ folder in {}",
            site.root().display()
        )]
    );
}

#[test]
fn content_is_a_file() {
    let site = TestSite::new().file("content", "---\ntitle: A\n---\n");
    assert_eq!(
        run(&site).errors(),
        [format!(
            "content: error[content]: no content/ folder in {}",
            site.root().display()
        )]
    );
}

#[test]
fn only_drafts() {
    let site = one_article(&fine_and("draft: true"), "Text.\n");
    assert_eq!(
        run(&site).errors(),
        ["content: error[content]: content/ holds no articles"]
    );
}

// ---------------------------------------------------------------------------
// Panics
// ---------------------------------------------------------------------------

/// The guard every per-file stage runs in: a panic (in kbgen or a library)
/// becomes an error on that file instead of taking the build down.
#[test]
fn panic_inside_a_file_becomes_an_error_on_that_file() {
    let result = kbgen::diagnostics::catch_panic(Path::new("content/a.md"), || -> () {
        panic!("index out of bounds: the len is 3 but the index is 7")
    });
    let diagnostic = result.expect_err("the panic must be caught");
    assert_eq!(
        diagnostic.headline(),
        "content/a.md: error[internal]: kbgen crashed on this file: index out of bounds: the len is 3 but the index is 7"
    );
}
