//! Shortcodes and GitHub alerts: syntax, built-ins, overrides, code contexts
//! where they must stay literal, and every error at its line and column.

mod common;
use common::TestSite;

fn page_with(body: &str) -> common::Built {
    TestSite::new()
        .article("content/s/a.md", "title: A", body)
        .build_ok()
}

const URL: &str = "/s/a/";

#[test]
fn callout_with_a_list_a_link_and_code_in_its_body() {
    let built = page_with(
        "{% callout(type=\"warning\", title=\"Back up first\") %}\nBefore you start:\n\n- copy [the config](https://example.org/c)\n\n```bash\ncp a b\n```\n{% end %}\n",
    );
    assert_eq!(
        built.attrs(URL, ".article-body > div.callout", "class"),
        ["callout callout--warning"]
    );
    assert_eq!(built.attrs(URL, ".callout", "role"), ["note"]);
    assert_eq!(built.texts(URL, ".callout__title"), ["Back up first"]);
    assert_eq!(built.texts(URL, ".callout__body li a"), ["the config"]);
    assert_eq!(
        built.attrs(URL, ".callout__body pre", "data-lang"),
        ["bash"]
    );
    assert_eq!(built.texts(URL, ".callout__icon").len(), 1);
}

#[test]
fn callout_defaults_and_options() {
    let built = page_with("{% callout() %}\nA\n{% end %}\n\n{% callout(type=\"success\", icon=false) %}\nB\n{% end %}\n");
    assert_eq!(
        built.attrs(URL, "div.callout", "class"),
        ["callout callout--info", "callout callout--success"]
    );
    assert_eq!(built.texts(URL, ".callout__icon").len(), 1);
    assert!(built.texts(URL, ".callout__title").is_empty());
}

#[test]
fn every_github_alert_renders_like_the_callout() {
    let built = page_with(
        "> [!NOTE]\n> n\n\n> [!TIP]\n> t\n\n> [!IMPORTANT]\n> i\n\n> [!WARNING]\n> w\n\n> [!CAUTION]\n> c\n",
    );
    assert_eq!(
        built.attrs(URL, "div.callout", "class"),
        [
            "callout callout--info",
            "callout callout--tip",
            "callout callout--info",
            "callout callout--warning",
            "callout callout--danger"
        ]
    );
    assert_eq!(
        built.texts(URL, ".callout__title"),
        ["Note", "Tip", "Important", "Warning", "Caution"]
    );
    assert!(built.texts(URL, "blockquote").is_empty());
}

#[test]
fn inline_shortcodes_stay_in_their_sentence() {
    let built = page_with(
        "Press {{ kbd(keys=[\"Ctrl\", 'S']) }} in {{ ui(path=\"Settings > Security\") }}.\n",
    );
    assert_eq!(
        built.texts(URL, ".article-body p"),
        ["Press Ctrl+S in Settings › then Security."]
    );
    assert_eq!(built.texts(URL, "kbd.kbd-combo > kbd"), ["Ctrl", "S"]);
    assert_eq!(built.texts(URL, ".ui-path__step"), ["Settings", "Security"]);
}

#[test]
fn argument_strings_are_never_markdown_and_escapes_work() {
    let built = TestSite::new()
        .article("content/s/a.md", "title: A", "{{ say(text=\"*b* and \\\"q\\\"\", n=2, f=1.5, on=true, list=[1, 'x']) }}\n")
        .file(
            "templates/shortcodes/say.html",
            "<span class=\"say\">{{ text }}|{{ n }}|{{ f }}|{{ on }}|{{ list | join(sep=\",\") }}</span>",
        )
        .build_ok();
    assert_eq!(built.texts(URL, ".say"), ["*b* and \"q\"|2|1.5|true|1,x"]);
    assert!(built.texts(URL, ".article-body em").is_empty());
}

#[test]
fn nested_shortcodes_render_inside_out() {
    let built = page_with(
        "{% callout(title=\"Outer\") %}\nPress {{ kbd(key=\"Esc\") }}.\n\n{% callout(type=\"tip\", title=\"Inner\") %}\ninner text\n{% end %}\n{% end %}\n",
    );
    assert_eq!(
        built.texts(URL, ".callout .callout .callout__title"),
        ["Inner"]
    );
    assert_eq!(built.texts(URL, ".callout__body > p > kbd"), ["Esc"]);
}

#[test]
fn user_shortcodes_see_arguments_body_and_page() {
    let built = TestSite::new()
        .article("content/guides/a.md", "title: Guide A", "{% steps(count=2) %}\n1. one\n2. two\n{% end %}\n")
        .file(
            "templates/shortcodes/steps.html",
            "<section class=\"steps\" data-count=\"{{ count }}\" data-page=\"{{ page.title }}|{{ page.url }}|{{ page.section }}\">{{ body | safe }}</section>",
        )
        .build_ok();
    let url = "/guides/a/";
    assert_eq!(built.attrs(url, ".steps", "data-count"), ["2"]);
    assert_eq!(
        built.attrs(url, ".steps", "data-page"),
        ["Guide A|/guides/a/|Guides"]
    );
    assert_eq!(built.texts(url, ".steps ol li"), ["one", "two"]);
}

#[test]
fn a_site_can_override_the_built_in_callout() {
    let built = TestSite::new()
        .article(
            "content/s/a.md",
            "title: A",
            "{% callout(type=\"tip\") %}\nHi\n{% end %}\n\n> [!NOTE]\n> Yo\n",
        )
        .file(
            "templates/shortcodes/callout.html",
            "<aside class=\"my-box my-box--{{ type }}\">{{ body | safe }}</aside>",
        )
        .build_ok();
    assert_eq!(
        built.attrs(URL, "aside.my-box", "class"),
        ["my-box my-box--tip", "my-box my-box--info"]
    );
}

#[test]
fn shortcodes_in_code_stay_literal() {
    let body = "Inline `{{ kbd(key=\"A\") }}` code.\n\n```jinja\n{% callout() %}\nx\n{% end %}\n```\n\n    {{ kbd(key=\"B\") }}\n\n<pre>{{ kbd(key=\"C\") }}</pre>\n\nAnd <code>{{ kbd(key=\"D\") }}</code> too.\n";
    let built = page_with(body);
    let page = built.text("s/a/index.html");
    assert!(
        built.texts(URL, ".article-body kbd").is_empty(),
        "a shortcode was expanded"
    );
    assert!(built.texts(URL, ".callout").is_empty());
    assert_eq!(
        built.texts(URL, ".article-body p > code"),
        ["{{ kbd(key=\"A\") }}", "{{ kbd(key=\"D\") }}"]
    );
    assert_eq!(
        built.texts(URL, "pre[data-lang=jinja] code"),
        ["{% callout() %} x {% end %}"]
    );
    assert!(page.contains("<pre>{{ kbd(key=\"C\") }}</pre>"));
    assert_eq!(built.texts(URL, "pre.hl-code code").len(), 2);
}

#[test]
fn prose_with_template_syntax_is_left_exactly_as_written() {
    let prose = "Write {{ user.name }} in Twig, {% if x %}yes{% endif %} in Jinja, {{< youtube abc >}} in Hugo and {{Value1}} in forms; {{ }} and {% %} too.";
    let built = page_with(&format!("{prose}\n"));
    assert_eq!(built.texts(URL, ".article-body p"), [prose]);
}

#[test]
fn every_shortcode_error_is_reported_at_its_line_and_column() {
    let body = "Intro.\n\n{{ kbdd(key=\"A\") }}\n\n{{ kbd(key=) }}\n\n{% end %}\n\n{{ kbd(key=\"x) }}\n\n{% callout() %}\nnever closed\n";
    let built = TestSite::new()
        .article("content/s/a.md", "title: A", body)
        .build();
    let lines: Vec<String> = built.errors().iter().map(|d| d.headline()).collect();
    assert_eq!(
        lines,
        [
            "content/s/a.md:6:1: error[shortcode]: unknown shortcode `kbdd`",
            "content/s/a.md:8:12: error[shortcode]: expected a value in shortcode arguments, found `)`",
            "content/s/a.md:10:1: error[shortcode]: `{% end %}` without an opening shortcode",
            "content/s/a.md:12:12: error[shortcode]: unclosed string in shortcode arguments",
            "content/s/a.md:14:1: error[shortcode]: `{% callout(...) %}` has no `{% end %}`",
        ]
    );
    assert_eq!(
        built.errors()[0].help.as_deref(),
        Some("did you mean `kbd`? Known shortcodes: `callout`, `include`, `kbd`, `ui`")
    );
}

#[test]
fn a_failing_shortcode_template_is_reported_at_the_call_with_its_message() {
    let built = TestSite::new()
        .article(
            "content/s/a.md",
            "title: A",
            "Hello\n\n{{ badge(label=\"x\") }}\n",
        )
        .file("templates/shortcodes/badge.html", "<b>{{ colour }}</b>")
        .build();
    let errors = built.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!((errors[0].line, errors[0].column), (6, 1));
    assert!(
        errors[0].message.starts_with("shortcode `badge` failed:"),
        "{}",
        errors[0].message
    );
    assert!(
        errors[0]
            .message
            .contains("templates/shortcodes/badge.html:1:"),
        "{}",
        errors[0].message
    );
}

#[test]
fn a_zola_body_filter_gets_a_clear_unknown_filter_error() {
    let built = TestSite::new()
        .article(
            "content/s/a.md",
            "title: A",
            "{% note() %}\n*hi*\n{% end %}\n",
        )
        .file(
            "templates/shortcodes/note.html",
            "<div>{{ body | markdown | safe }}</div>",
        )
        .build();
    let messages: Vec<String> = built.errors().iter().map(|d| d.message.clone()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("Unknown filter `markdown`")),
        "{messages:?}"
    );
}

#[test]
fn arguments_are_checked_against_what_the_template_declares() {
    let built = TestSite::new()
        .article(
            "content/s/a.md",
            "title: A",
            "{% callout(type=\"note\", titel=\"Hi\") %}\nBody\n{% end %}\n\n{% callout(type=\"warnign\") %}\nB\n{% end %}\n",
        )
        .build();
    let problems: Vec<(String, Option<String>)> = built
        .errors()
        .iter()
        .map(|d| (d.headline(), d.help.clone()))
        .collect();
    assert_eq!(
        problems,
        [
            (
                "content/s/a.md:4:12: error[shortcode]: `type=\"note\"` is not a value `callout` knows for `type`".to_string(),
                Some("it takes: info, tip, warning, danger, success".to_string())
            ),
            (
                "content/s/a.md:4:25: error[shortcode]: shortcode `callout` has no argument `titel`".to_string(),
                Some("did you mean `title`? `callout` takes: type, title, icon".to_string())
            ),
            (
                "content/s/a.md:8:12: error[shortcode]: `type=\"warnign\"` is not a value `callout` knows for `type`".to_string(),
                Some("did you mean `warning`? It takes: info, tip, warning, danger, success".to_string())
            ),
        ]
    );
}

#[test]
fn a_site_shortcode_that_declares_nothing_takes_any_argument() {
    let built = TestSite::new()
        .file(
            "templates/shortcodes/badge.html",
            "<span class=\"badge\">{{ label }}{{ colour | default(value=\"\") }}</span>",
        )
        .file(
            "templates/shortcodes/callout.html",
            "{#- args: kind -#}<aside>{{ kind }}{{ body | safe }}</aside>",
        )
        .article(
            "content/s/a.md",
            "title: A",
            "{{ badge(label=\"New\", colour=\"red\") }}\n\n{% callout(kind=\"x\") %}\nB\n{% end %}\n",
        )
        .build();
    assert!(built.errors().is_empty(), "{:?}", built.errors());
}

#[test]
fn escaped_tags_show_the_call_they_spell_as_text() {
    let body = "Write {{/* kbd(key=\"*Ctrl*\") */}} for a key, and\n{%/* callout(type=\"tip\") */%} … {%/* end */%} for a box.\n\n## Using {{/* ui(path=\"A > B\") */}}\n\n{% callout() %}\nInside: {{/* kbd(key=\"<b>\") */}}\n{% end %}\n";
    let built = page_with(body);
    assert_eq!(
        built.texts(URL, ".article-body > p"),
        ["Write {{ kbd(key=\"*Ctrl*\") }} for a key, and {% callout(type=\"tip\") %} … {% end %} for a box."]
    );
    assert!(built
        .texts(URL, ".article-body em, .article-body kbd")
        .is_empty());
    let heading = built.texts(URL, ".article-body h2");
    assert!(
        heading[0].starts_with("Using {{ ui(path=\"A > B\") }}"),
        "{heading:?}"
    );
    assert_eq!(
        built.texts(URL, ".toc a"),
        ["Using {{ ui(path=\"A > B\") }}"]
    );
    assert_eq!(
        built.texts(URL, ".callout__body p"),
        ["Inside: {{ kbd(key=\"<b>\") }}"]
    );
    // HTML-escaped as any text: the `<b>` is text, not an element.
    let page = built.text("s/a/index.html");
    assert!(page.contains("{{ kbd(key=\"&lt;b&gt;\") }}"), "{page}");
}

#[test]
fn escaped_tags_in_code_stay_as_written() {
    let body = "Inline `{{/* kbd(key=\"A\") */}}` code.\n\n```text\n{%/* callout() */%}\n```\n";
    let built = page_with(body);
    assert_eq!(
        built.texts(URL, ".article-body p > code"),
        ["{{/* kbd(key=\"A\") */}}"]
    );
    assert_eq!(built.texts(URL, "pre code"), ["{%/* callout() */%}"]);
}

#[test]
fn an_unclosed_escape_is_text_without_a_diagnostic() {
    let prose = "Half {{/* kbd(key=\"A\") }} and {%/* end %} stay as written.";
    let built = page_with(&format!("{prose}\n"));
    assert_eq!(built.texts(URL, ".article-body p"), [prose]);
    let shortcode_problems: Vec<_> = built
        .report
        .diagnostics
        .iter()
        .filter(|d| d.code == "shortcode")
        .collect();
    assert!(shortcode_problems.is_empty(), "{shortcode_problems:?}");
}

#[test]
fn an_unknown_template_call_in_prose_is_an_error_whose_help_names_the_escape() {
    let built = TestSite::new()
        .article(
            "content/s/a.md",
            "title: A",
            "In Twig, {{ parent() }} keeps the block.\n",
        )
        .build();
    let errors = built.errors();
    assert_eq!(
        errors.iter().map(|d| d.headline()).collect::<Vec<_>>(),
        ["content/s/a.md:4:10: error[shortcode]: unknown shortcode `parent`"]
    );
    assert_eq!(
        errors[0].help.as_deref(),
        Some("known shortcodes: `callout`, `include`, `kbd`, `ui`; add templates/shortcodes/parent.html to define it, or write `{{/* parent() */}}` to show the call as text")
    );
}
