//! The README's examples work as printed: every YAML block parses (the GitHub
//! Actions workflow among them), and every `kbgen.yaml` example is a
//! configuration kbgen accepts.

use kbgen::config::Config;

/// The text of every fenced block of `language` in the README.
fn blocks(language: &str) -> Vec<String> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("read README.md");
    let fence = format!("```{language}\n");
    let mut found = Vec::new();
    let mut rest = readme.as_str();
    while let Some(start) = rest.find(&fence) {
        let body = &rest[start + fence.len()..];
        let end = body.find("\n```").expect("an unclosed block in README.md");
        found.push(body[..end + 1].to_string());
        rest = &body[end..];
    }
    found
}

#[test]
fn every_yaml_block_of_the_readme_parses() {
    let yaml = blocks("yaml");
    assert!(yaml.len() >= 3, "found {} YAML blocks", yaml.len());
    for block in &yaml {
        if let Err(e) = serde_yaml::from_str::<serde_yaml::Value>(block) {
            panic!("a YAML block of README.md does not parse: {e}\n{block}");
        }
    }
}

#[test]
fn every_kbgen_yaml_example_is_accepted() {
    let configs: Vec<String> = blocks("yaml")
        .into_iter()
        .filter(|block| !block.contains("jobs:") && !block.starts_with("# i18n/"))
        .collect();
    assert!(!configs.is_empty());
    for block in &configs {
        if let Err(e) = Config::parse(block) {
            panic!(
                "a kbgen.yaml example in README.md is refused: {}\n{block}",
                e.headline()
            );
        }
    }
}

#[test]
fn the_workflow_pins_a_release_and_caches_the_binary() {
    let workflow = blocks("yaml")
        .into_iter()
        .find(|block| block.contains("jobs:"))
        .expect("the GitHub Actions example");
    let parsed: serde_yaml::Value = serde_yaml::from_str(&workflow).unwrap();
    let steps = &parsed["jobs"]["build"]["steps"];
    let runs: Vec<&str> = steps
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|step| step["run"].as_str())
        .collect();
    assert!(runs
        .iter()
        .any(|r| r.contains("--tag") && r.contains("cargo install")));
    assert!(runs
        .iter()
        .any(|r| r.starts_with("kbgen check --message-format github")));
    let cached: Vec<&str> = steps
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|step| step["with"]["path"].as_str())
        .collect();
    assert!(cached.contains(&"~/.cargo/bin/kbgen") && cached.contains(&".kbgen-cache"));
}

#[test]
fn the_example_help_center_builds_without_a_single_warning() {
    let options = kbgen::build::BuildOptions {
        root: env!("CARGO_MANIFEST_DIR").into(),
        ..Default::default()
    };
    let outcome = kbgen::build::build_site(&options, &kbgen::output::MemorySink::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let problems: Vec<String> = outcome
        .report
        .diagnostics
        .iter()
        .map(|d| d.headline())
        .collect();
    assert!(
        problems.is_empty(),
        "`cargo run --release -- build` must be clean, so a newcomer's first warning is their own: {problems:#?}"
    );
}
