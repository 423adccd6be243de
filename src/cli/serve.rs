//! `kbgen serve` on the command line: binding, the first build's report, and
//! what each rebuild prints (errors, and every new warning once).

use std::process::ExitCode;

use super::report::{errln, MessageFormat, Printer};
use super::ServeArgs;

pub(super) fn run_serve(args: ServeArgs) -> ExitCode {
    let options = kbgen::serve::ServeOptions {
        root: args.root.clone(),
        bind: args.bind,
        port: args.port,
        drafts: args.site.drafts,
        search: !args.site.no_search,
        cache: !args.site.no_cache,
    };
    let listener = match kbgen::serve::bind(&options) {
        Ok(listener) => listener,
        Err(message) => {
            errln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let url = kbgen::serve::site_url(&listener);
    if !args.bind.is_loopback() {
        errln!(
            "warning: listening on {}: other machines on your network can read the preview",
            args.bind
        );
    }
    if args.port.is_none() && !url.ends_with(&format!(":{}/", kbgen::serve::DEFAULT_PORT)) {
        errln!(
            "note: port {} is busy, using the next free one",
            kbgen::serve::DEFAULT_PORT
        );
    }
    let printer = Printer::new(MessageFormat::Human, &args.root, false, false);
    let first_url = url.clone();
    let open = args.open;
    let first_done = std::sync::Mutex::new(false);
    // Whether a site was ever published: until then a failed rebuild has no
    // last good version to speak of.
    let ever_published = std::sync::atomic::AtomicBool::new(false);
    let warnings_shown = std::sync::Mutex::new(std::collections::HashSet::<String>::new());
    let report = move |rebuild: &kbgen::build::preview::Rebuild| {
        let mut done = first_done.lock().unwrap_or_else(|p| p.into_inner());
        let mut seen = warnings_shown.lock().unwrap_or_else(|p| p.into_inner());
        // Every error, and each warning once (the first time it appears), so
        // an edit shows what it caused without scrolling old news again.
        let shown: Vec<_> = rebuild
            .report
            .diagnostics
            .iter()
            .filter(|d| d.is_error() || seen.insert(d.headline()))
            .cloned()
            .collect();
        printer.diagnostics(&shown);
        let ms = rebuild.elapsed.as_secs_f64() * 1000.0;
        let had_site =
            ever_published.fetch_or(rebuild.published, std::sync::atomic::Ordering::Relaxed);
        if !*done {
            *done = true;
            if rebuild.published {
                errln!(
                    "kbgen: serving {} pages at {first_url} (built in {ms:.0} ms); Ctrl-C to stop",
                    rebuild.pages
                );
            } else {
                errln!(
                    "kbgen: waiting at {first_url}: fix the errors above and the site is built at once; Ctrl-C to stop"
                );
            }
            if open {
                open_browser(&first_url);
            }
        } else if rebuild.published {
            let warnings = rebuild.report.warning_count();
            let warnings = if warnings > 0 {
                format!(" ({})", kbgen::diagnostics::plural(warnings, "warning"))
            } else {
                String::new()
            };
            errln!(
                "kbgen: rebuilt {} of {} pages in {ms:.0} ms{warnings}",
                rebuild.rendered,
                rebuild.pages
            );
        } else if had_site {
            errln!(
                "kbgen: {} — still serving the last good version",
                rebuild.report.count_line().unwrap_or_default()
            );
        } else {
            errln!(
                "kbgen: {} — nothing built yet: fix the errors above and the site is built at once",
                rebuild.report.count_line().unwrap_or_default()
            );
        }
    };
    match kbgen::serve::run(options, listener, report) {
        Ok(()) => {
            errln!("kbgen: stopped");
            ExitCode::SUCCESS
        }
        Err(message) => {
            errln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        errln!("note: could not open a browser; visit {url}");
    }
}

/// `--bind`: an IP address, or a host name resolved to one (`localhost` →
/// 127.0.0.1; an IPv4 address is preferred when the name has both).
pub(super) fn parse_bind(text: &str) -> Result<std::net::IpAddr, String> {
    use std::net::ToSocketAddrs;
    if let Ok(ip) = text.parse() {
        return Ok(ip);
    }
    let addresses: Vec<std::net::IpAddr> = (text, 0)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve `{text}` ({e}); give an address such as 127.0.0.1"))?
        .map(|a| a.ip())
        .collect();
    addresses
        .iter()
        .find(|ip| ip.is_ipv4())
        .or(addresses.first())
        .copied()
        .ok_or_else(|| format!("`{text}` has no address; give one such as 127.0.0.1"))
}
