//! The `search:` block of `kbgen.yaml`: whether to build the search index
//! and page, and the site's own synonym groups.

use serde::Deserialize;

/// The `search:` block: whether to build the search index and page (on by
/// default), and the site's own synonyms. `search: false` is short for
/// `search: { enabled: false }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchConfig {
    pub enabled: bool,
    /// Groups of words and phrases readers use for the same thing, searched
    /// together with the built-in groups of the site's language.
    pub synonyms: Vec<Vec<String>>,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            enabled: true,
            synonyms: Vec::new(),
        }
    }
}

/// The block form of `search:`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct SearchSettings {
    enabled: Option<bool>,
    synonyms: Vec<SynonymGroup>,
}

/// A synonym group as a list (`[log in, sign in]`) or one comma-separated
/// string (`"log in, sign in"`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum SynonymGroup {
    List(Vec<String>),
    Line(String),
}

impl<'de> Deserialize<'de> for SearchConfig {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = SearchConfig;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("`true`, `false` or a block with `enabled` and `synonyms`")
            }
            fn visit_bool<E: serde::de::Error>(self, enabled: bool) -> Result<SearchConfig, E> {
                Ok(SearchConfig {
                    enabled,
                    synonyms: Vec::new(),
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<SearchConfig, A::Error> {
                let settings =
                    SearchSettings::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                let synonyms = settings
                    .synonyms
                    .into_iter()
                    .map(|group| {
                        let words = match group {
                            SynonymGroup::List(words) => words,
                            SynonymGroup::Line(line) => {
                                line.split(',').map(str::to_string).collect()
                            }
                        };
                        words
                            .into_iter()
                            .map(|w| w.trim().to_string())
                            .filter(|w| !w.is_empty())
                            .collect()
                    })
                    .collect();
                Ok(SearchConfig {
                    enabled: settings.enabled.unwrap_or(true),
                    synonyms,
                })
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}
