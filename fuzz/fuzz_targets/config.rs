//! `kbgen.yaml`: arbitrary bytes, as `Config::load` reads them (UTF-8 first),
//! through `Config::parse`, then every setting a build asks for by place
//! (`place_of`) and the derived values (`base_path`, `origin_and_path`).
//!
//! Checks that nothing panics, and that every diagnostic's line and column lie
//! in the file as an editor shows it (lines end at LF, CRLF and a lone CR; a
//! leading BOM is not a column), whatever BOMs, NEL, U+2028 or U+2029 it holds.
#![no_main]

use kbgen::config::Config;
use kbgen::diagnostics::Diagnostic;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Config::parse(text) {
        Ok(config) => {
            for keys in [
                &["base_url"][..],
                &["highlight", "light"],
                &["highlight", "dark"],
                &["output", "keep"],
                &["taxonomies", "category"],
            ] {
                if let Some((line, column)) = config.place_of(keys) {
                    check_place(
                        text,
                        &Diagnostic::error("config", "kbgen.yaml", "").at(line, column),
                    );
                }
            }
            let base = config.base_path();
            assert!(base.starts_with('/') && base.ends_with('/'), "{base:?}");
            let _ = config.origin_and_path();
        }
        Err(d) => check_place(text, &d),
    }
});

/// The shared promise of every diagnostic's place, as a panic for the fuzzer.
fn check_place(text: &str, d: &Diagnostic) {
    if let Err(broken) = kbgen::diagnostics::check_place(text, d) {
        panic!("{broken}");
    }
}
