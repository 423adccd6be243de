//! YAML parser errors in a writer's words, for `kbgen.yaml` and front matter
//! alike: serde_yaml's message without its own place, placed instead by a byte
//! offset (YAML breaks lines where editors do not), and rewritten where the
//! parser's words say little ("found character that cannot start any token"
//! for a tab indent, "invalid type: string \"many\", expected usize").

/// A YAML error found in `yaml` (the text given to the parser): its message in
/// words a writer knows, without serde_yaml's trailing " at line X column Y",
/// and the byte offset in `yaml` it points at, for [`Diagnostic::at_offset`].
///
/// YAML's own line and column are not used as they are: YAML ends lines at
/// U+0085, U+2028 and U+2029 too, which editors (and kbgen) do not.
pub fn yaml_problem(error: &serde_yaml::Error, yaml: &str) -> (String, usize) {
    let message = yaml_message(error);
    // The reader refuses a character before there is any line: its place is
    // a byte position in the message ("... at position 8"), or 0.
    if let Some(rest) = message.strip_prefix("control characters are not allowed") {
        let offset = rest
            .strip_prefix(" at position ")
            .and_then(|n| n.trim().parse::<usize>().ok())
            .unwrap_or(0)
            .min(yaml.len());
        let found = yaml
            .get(offset..)
            .and_then(|rest| rest.chars().next())
            .map_or(String::new(), |c| format!(" (U+{:04X})", u32::from(c)));
        return (
            format!("a control character{found} is not allowed in YAML"),
            offset,
        );
    }
    let offset = error.location().map_or(0, |loc| {
        crate::diagnostics::yaml_offset(yaml, loc.line(), loc.column())
    });
    (message, offset)
}

/// A parser message about `kbgen.yaml` in a writer's words, at the place to
/// fix: a tab indent, an unclosed quote (where it opened, not past the end
/// of the file), a value of the wrong type ("expected a whole number, found
/// \"many\"").
pub fn plain_config_words(message: &str, yaml: &str, offset: usize) -> (String, usize) {
    let offset = offset.min(yaml.len());
    if let Some(second) = duplicate_key_offset(message, yaml) {
        return (message.to_string(), second);
    }
    if message.contains("tab character")
        || (message.contains("cannot start any token") && yaml[offset..].starts_with('\t'))
    {
        return (TAB_INDENT.to_string(), offset);
    }
    if message.contains("unexpected end of stream") {
        return (
            UNCLOSED.to_string(),
            last_unclosed_quote(yaml).unwrap_or(offset),
        );
    }
    (plain_type_words(message), offset)
}

/// For serde's "duplicate field `title`": the line where the key comes the
/// second time, which is the one to remove (serde points at the mapping).
pub fn duplicate_key_offset(message: &str, yaml: &str) -> Option<usize> {
    let field = message
        .split_once("duplicate field `")?
        .1
        .split('`')
        .next()?;
    let line_starts = std::iter::once(0).chain(yaml.match_indices('\n').map(|(i, _)| i + 1));
    line_starts
        .map(|start| start + (yaml[start..].len() - yaml[start..].trim_start_matches(' ').len()))
        .filter(|&key| {
            yaml[key..]
                .strip_prefix(field)
                .is_some_and(|rest| rest.trim_start_matches([' ', '\t']).starts_with(':'))
        })
        .nth(1)
}

const TAB_INDENT: &str = "a tab indents this line; YAML indents with spaces only";
const UNCLOSED: &str = "a quote or bracket opened here is never closed";

/// Help for a YAML error that [`yaml_problem`] rewrote, when it has one.
pub fn yaml_problem_help(message: &str) -> Option<&'static str> {
    if message.starts_with("a control character") {
        return Some(
            "remove the character (it often comes with text pasted from another program), \
             or write it as an escape in a double-quoted string, such as \"\\t\"",
        );
    }
    None
}

/// Help for a `kbgen.yaml` message that [`plain_config_words`] rewrote.
pub fn plain_config_help(message: &str) -> Option<&'static str> {
    match message {
        TAB_INDENT => Some("replace the tab with spaces (two per level, as the lines above)"),
        UNCLOSED => Some("close it on the same line (`title: \"Reset\"`), or remove it"),
        _ => None,
    }
}

/// The start of the last line whose quotes do not pair up: where an unclosed
/// string began.
fn last_unclosed_quote(yaml: &str) -> Option<usize> {
    let mut start = 0;
    let mut found = None;
    for line in yaml.split_inclusive('\n') {
        for quote in ['"', '\''] {
            if line.matches(quote).count() % 2 == 1 {
                found = line.find(quote).map(|i| start + i);
            }
        }
        start += line.len();
    }
    found
}

/// serde's "invalid type: string \"many\", expected usize" in a writer's
/// words: "expected a whole number, found \"many\"".
fn plain_type_words(message: &str) -> String {
    let Some((field, rest)) = message
        .split_once("invalid type: ")
        .or_else(|| message.split_once("invalid value: "))
    else {
        return message.to_string();
    };
    let Some((found, expected)) = rest.split_once(", expected ") else {
        return message.to_string();
    };
    let found = match found {
        "sequence" => "a list".to_string(),
        "map" => "`key: value` lines".to_string(),
        "unit value" => "nothing".to_string(),
        other => other
            .trim_start_matches("string ")
            .trim_start_matches("integer ")
            .trim_start_matches("floating point ")
            .trim_start_matches("boolean ")
            .replace('`', "")
            .to_string(),
    };
    let expected = match expected {
        "usize" | "u8" | "u16" | "u32" | "u64" | "i32" | "i64" => "a whole number",
        "f32" | "f64" => "a number",
        "a boolean" | "bool" => "`true` or `false`",
        "a sequence" => "a list",
        "a map" => "`key: value` lines",
        "a string" => "text",
        other if other.starts_with("struct ") => "`key: value` lines",
        other => other,
    };
    format!("{field}expected {expected}, found {found}")
}

/// serde_yaml's message without its trailing " at line X column Y" (or " at
/// position N"), which the diagnostic already shows as its place.
pub fn yaml_message(error: &serde_yaml::Error) -> String {
    let message = error.to_string();
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    }
}
