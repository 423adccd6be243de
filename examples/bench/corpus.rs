//! The benchmark corpus: N deterministic articles in N/200 sections, each
//! about 8 KB of Markdown with front matter (3 tags, 4 related references), 3
//! links to other articles, a callout shortcode, a 10–15 line code block in one
//! of ten languages (every block distinct, so no cache can make highlighting
//! free), a table and an image. With more than one language, every article,
//! section index and link is there again in each other language (`x.de.md`,
//! `_index.de.md`), with its own text and code, the way a fully translated
//! help center is. Shared by the `bench` example and the test that keeps it
//! working (`tests/benchmark.rs`).

use std::fmt::Write as _;
use std::path::Path;

/// A small, seeded generator so the corpus is the same everywhere.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "sync",
    "client",
    "token",
    "folder",
    "account",
    "policy",
    "upload",
    "proxy",
    "certificate",
    "admin",
    "console",
    "webhook",
    "signature",
    "quota",
    "storage",
    "device",
    "session",
    "login",
    "password",
    "team",
    "conflict",
    "version",
    "restore",
    "share",
    "link",
    "permission",
    "group",
    "directory",
    "network",
    "retry",
];

const LANGUAGES: &[&str] = &[
    "rust",
    "python",
    "bash",
    "json",
    "yaml",
    "toml",
    "typescript",
    "powershell",
    "ini",
    "go",
];

fn section_of(i: usize) -> usize {
    i / 200
}

pub fn article_path(i: usize) -> String {
    format!("section-{:03}/article-{i:05}.md", section_of(i))
}

fn sentence(rng: &mut Lcg, words: usize) -> String {
    let mut s = String::new();
    for w in 0..words {
        if w > 0 {
            s.push(' ');
        }
        s.push_str(WORDS[rng.below(WORDS.len())]);
    }
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect::<String>() + ".",
        None => s,
    }
}

fn code_block(rng: &mut Lcg, i: usize) -> String {
    let language = LANGUAGES[i % LANGUAGES.len()];
    let lines = 10 + rng.below(6);
    let mut code = format!("```{language}\n");
    for l in 0..lines {
        let name = WORDS[rng.below(WORDS.len())];
        let _ = match language {
            "rust" => writeln!(code, "let {name}_{i}_{l} = compute({i}, {l}); // step {l}"),
            "python" => writeln!(code, "{name}_{i}_{l} = compute({i}, {l})  # step {l}"),
            "bash" => writeln!(
                code,
                "skylark {name} --id {i} --step {l} | tee -a log-{i}.txt"
            ),
            "json" => writeln!(code, "{{\"{name}\": {i}, \"step\": {l}, \"ok\": true}}"),
            "yaml" => writeln!(code, "{name}_{l}: {{ id: {i}, step: {l} }}"),
            "toml" => writeln!(code, "{name}_{l} = {{ id = {i}, step = {l} }}"),
            "typescript" => writeln!(code, "const {name}{i}_{l}: number = compute({i}, {l});"),
            "powershell" => writeln!(code, "Set-Item -Path \"HKCU:\\{name}\\{i}\" -Value {l}"),
            "ini" => writeln!(code, "{name}_{i}_{l} = {l}"),
            _ => writeln!(code, "{name}{i}x{l} := compute({i}, {l}) // step {l}"),
        };
    }
    code.push_str("```\n");
    code
}

/// The language codes of a corpus in `languages` languages (English first).
pub const LANGUAGE_CODES: &[&str] = &["en", "de", "fr", "es", "ja"];

/// Article `i` of `n`; `variant` > 0 makes the translation into the
/// variant-th language, with its own title, words and code.
fn article(rng: &mut Lcg, i: usize, n: usize, variant: usize) -> String {
    let section = section_of(i);
    let title_prefix = match variant {
        0 => String::new(),
        v => format!("[{}] ", LANGUAGE_CODES[v]),
    };
    let tags: Vec<String> = (0..3).map(|_| format!("t{}", rng.below(60))).collect();
    // Terms are shared by every language: a translation names none of its
    // own and is filed under its source's (the tags above are still drawn,
    // so the rest of the text is as before).
    let tag_line = match variant {
        0 => format!("  tag: [{}]\n", tags.join(", ")),
        _ => String::new(),
    };
    let related: Vec<String> = (0..4)
        .map(|_| format!("  - \"@/{}\"", article_path(rng.below(n))))
        .collect();
    let mut body = String::new();
    let _ = writeln!(
        body,
        "---\ntitle: \"{title_prefix}Article {i}: {} {} problem\"\ndescription: {}\ndate: 2026-{:02}-{:02}\ntaxonomy:\n  category: section-{section:03}\n{tag_line}related:\n{}\n---\n",
        WORDS[i % WORDS.len()],
        WORDS[(i / 7) % WORDS.len()],
        sentence(rng, 12),
        i % 12 + 1,
        i % 28 + 1,
        related.join("\n")
    );
    body.push_str("## Problem\n\n");
    for _ in 0..6 {
        body.push_str(&sentence(rng, 18));
        body.push(' ');
    }
    body.push_str("\n\n## Background\n\n");
    for _ in 0..12 {
        body.push_str(&sentence(rng, 18));
        body.push(' ');
    }
    body.push_str("\n\n## Diagnosis\n\n");
    for _ in 0..3 {
        let other = rng.below(n);
        let target = article_path(other);
        let own_section = format!("section-{:03}/", section);
        let link = match target.strip_prefix(&own_section) {
            Some(same) => same.to_string(),
            None => format!("../{target}"),
        };
        let _ = write!(
            body,
            "{} See [article {other}]({link}). ",
            sentence(rng, 14)
        );
    }
    body.push_str("\n\n");
    body.push_str(&code_block(rng, i + variant * n));
    body.push_str("\n| Setting | Value | Notes |\n|---|---|---|\n");
    for r in 0..4 {
        let _ = writeln!(
            body,
            "| {} | {} | {} |",
            WORDS[rng.below(WORDS.len())],
            r * i % 97,
            sentence(rng, 5)
        );
    }
    let _ = write!(
        body,
        "\n![The {0} settings dialog](img/dialog.png)\n\n## Cause\n\n",
        WORDS[i % WORDS.len()]
    );
    for _ in 0..8 {
        body.push_str(&sentence(rng, 20));
        body.push(' ');
    }
    body.push_str("\n\n## Solution\n\n");
    for step in 1..=5 {
        let _ = writeln!(body, "{step}. {}", sentence(rng, 16));
    }
    let _ = write!(
        body,
        "\n{{% callout(type=\"tip\", title=\"Still stuck?\") %}}\n{}\n{{% end %}}\n\n",
        sentence(rng, 20)
    );
    for _ in 0..10 {
        body.push_str(&sentence(rng, 22));
        body.push(' ');
    }
    body.push('\n');
    body
}

/// Writes the corpus of `n` articles in `languages` languages (1 to 5; and
/// kbgen.yaml) under `root`; returns the bytes of Markdown written.
pub fn generate(root: &Path, n: usize, languages: usize) -> std::io::Result<u64> {
    let languages = languages.clamp(1, LANGUAGE_CODES.len());
    let mut config = String::from(
        "title: Benchmark Help Center\nbase_url: https://help.example.com/\nlint:\n  file-name: off\n",
    );
    if languages > 1 {
        config.push_str("languages:\n");
        for code in &LANGUAGE_CODES[..languages] {
            config.push_str(&format!(
                "  - code: {code}\n    description: The help center in `{code}`.\n"
            ));
        }
    }
    std::fs::write(root.join("kbgen.yaml"), config)?;
    // A translation's file name: `x.md` → `x.de.md`.
    let named = |file: &str, variant: usize| match variant {
        0 => file.to_string(),
        v => format!("{}.{}.md", file.trim_end_matches(".md"), LANGUAGE_CODES[v]),
    };
    for s in 0..n.div_ceil(200) {
        let dir = root.join(format!("content/section-{s:03}"));
        std::fs::create_dir_all(dir.join("img"))?;
        for variant in 0..languages {
            std::fs::write(
                dir.join(named("_index.md", variant)),
                format!("---\ntitle: Section {s}\ndescription: Articles of section {s}.\n---\n"),
            )?;
        }
        std::fs::write(dir.join("img/dialog.png"), b"\x89PNG\r\n\x1a\n")?;
    }
    let mut bytes = 0;
    for variant in 0..languages {
        // The default language's corpus is the same whatever `languages` is.
        let mut rng = Lcg(42 + variant as u64);
        for i in 0..n {
            let text = article(&mut rng, i, n, variant);
            bytes += text.len() as u64;
            let file = named(&article_path(i), variant);
            std::fs::write(root.join("content").join(file), text)?;
        }
    }
    Ok(bytes)
}
