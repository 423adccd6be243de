// kbgen search: the header box, which suggests articles as you type (an ARIA
// combobox; Enter on the query still submits to the results page), and the
// /search/ page, which reads ?q= and stays the fallback without JavaScript.
// Focus the header box with "/".
//
// Both use one query layer over the pagefind index (pagefind stays the
// engine; nothing leaves this site):
//   - stop words of the site's language are left out, unless nothing else is
//     left; the word still being typed matches as a prefix, complete words
//     only as themselves (pagefind stems, so "copies" finds "copy");
//   - each word is searched on its own, so a page that lacks one word still
//     counts; pages that match more of the informative words rank higher,
//     and the results say which words were left out ("without: …");
//   - when few pages match every word, synonyms (built in, and the site's
//     `search.synonyms`) are searched too, below the reader's own words, and
//     a word that matches nothing is corrected to the closest word of the
//     index, from a vocabulary loaded only then;
//   - excerpts come from the body, not the title, with the matches marked.
// What the script says ("Searching…", "Did you mean …?") is in the page's
// language: kbgen fills in the theme strings (`search_*` in i18n/<code>.yaml).
(() => {
  "use strict";
  // The site's stop words, synonyms and sentences; `kbgen build` fills this line in.
  const WORDS = {};
  const base = document.documentElement.dataset.kbgenBase || "/";

  /**
   * The sentence `key` with each `{name}` replaced by `values[name]`: a list
   * of text and of values as given (nodes, `{ strong }`), for `append` or the
   * status line. A key with `_one`/`_other` forms is chosen by `values.count`
   * and the plural rules of the page's language.
   */
  const plurals = new Intl.PluralRules(document.documentElement.lang || "en");
  function sentence(key, values = {}) {
    const messages = WORDS.messages || {};
    const form = "count" in values ? `${key}_${plurals.select(values.count) === "one" ? "one" : "other"}` : key;
    const text = messages[form] ?? messages[`${key}_other`] ?? form;
    return text.split(/(\{[a-z]+\})/).filter(Boolean).map((part) => {
      const name = /^\{([a-z]+)\}$/.exec(part)?.[1];
      return name && name in values ? (typeof values[name] === "number" ? String(values[name]) : values[name]) : part;
    });
  }
  /** [`sentence`] as plain text. */
  const sentenceText = (key, values) => sentence(key, values).join("");

  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    const input = document.getElementById("search-page-input") || document.getElementById("site-search-input");
    if (!input) return;
    event.preventDefault();
    input.focus();
    input.select();
  });

  // ---------------------------------------------------------------- engine

  let engine = null;
  /** pagefind, imported on first use so it never delays the page. */
  function load() {
    engine ||= (async () => {
      const pagefind = await import(`${base}pagefind/pagefind.js`);
      await pagefind.options({
        baseUrl: base,
        // Words that extend the reader's word count for much less than the
        // word itself (`termSimilarity`), and keywords weigh like titles.
        ranking: { termSimilarity: 3, metaWeights: { title: 5, keywords: 5 } },
      });
      pagefind.init();
      return pagefind;
    })();
    return engine;
  }

  // ----------------------------------------------------------- query words

  // What pagefind removes from a query before it looks words up: dashes,
  // brackets, quotes and other punctuation (its `_` and the like stay).
  const PUNCTUATION = /[\p{Pd}\p{Pe}\p{Pf}\p{Pi}\p{Po}\p{Ps}]/gu;
  const KEEP = /[_‿⁀⁔︳︴﹍﹎﹏＿]/u;
  /** A word as pagefind looks it up: lower-case, no punctuation. */
  function term(word) {
    return word.toLowerCase().replace(PUNCTUATION, (c) => (KEEP.test(c) ? c : ""));
  }
  /** A phrase as terms. */
  const terms = (text) => text.split(/\s+/).map(term).filter(Boolean);

  const STOP = new Set((WORDS.stopWords || []).map(term).filter(Boolean));
  /**
   * A phrase as the synonym table looks it up: each word without a common
   * inflection ("deactivated", "deactivate" → "deactivat"), so a reader's
   * form of a word finds its group. Searching uses the group's own words,
   * which pagefind stems properly.
   */
  const lookupKey = (phrase) =>
    phrase
      .split(" ")
      .map((w) => (w.length > 4 ? w.replace(/(ing|ed|es|s|e)$/, "") : w))
      .join(" ");
  // Synonym lookup: phrase key → the other phrases of every group it is in.
  const SYNONYMS = new Map();
  let longestPhrase = 1;
  for (const group of WORDS.synonyms || []) {
    const phrases = group.map((p) => terms(p).join(" ")).filter(Boolean);
    for (const phrase of phrases) {
      const key = lookupKey(phrase);
      const others = SYNONYMS.get(key) || new Set();
      phrases.filter((p) => lookupKey(p) !== key).forEach((p) => others.add(p));
      SYNONYMS.set(key, others);
      longestPhrase = Math.max(longestPhrase, phrase.split(" ").length);
    }
  }

  /**
   * The concepts of a query: each a word or a known phrase the reader typed,
   * with the phrases to search for it. `typing`: the last word is still being
   * typed (no space after it), so it matches as a prefix.
   */
  function parse(text, typing) {
    const raw = text.trim().split(/\s+/).filter((w) => term(w));
    const words = raw.map(term);
    const open = typing && !/\s$/.test(text) && words.length > 0;
    const concepts = [];
    const stopped = [];
    for (let i = 0; i < words.length; ) {
      let size = Math.min(longestPhrase, words.length - i - (open ? 1 : 0));
      while (size > 1 && !SYNONYMS.has(lookupKey(words.slice(i, i + size).join(" ")))) size--;
      const phrase = words.slice(i, i + Math.max(size, 1)).join(" ");
      const last = open && i === words.length - 1;
      const known = SYNONYMS.has(lookupKey(phrase));
      if (size <= 1 && STOP.has(phrase) && !last && !known) {
        stopped.push(raw[i]);
        i += 1;
        continue;
      }
      const take = Math.max(size, 1);
      if (!concepts.some((c) => c.phrase === phrase)) {
        concepts.push({
          text: raw.slice(i, i + take).join(" "),
          phrase,
          typed: last,
          synonyms: last ? [] : [...(SYNONYMS.get(lookupKey(phrase)) || [])],
        });
      }
      i += take;
    }
    // A query of stop words only ("how to") is searched as it is.
    if (!concepts.length) {
      return { concepts: raw.map((w, i) => ({ text: w, phrase: words[i], typed: open && i === raw.length - 1, synonyms: [] })), stopped: [] };
    }
    return { concepts, stopped };
  }

  // ------------------------------------------------------------ searching

  /**
   * Pages for one phrase: page id → { score, result }. A complete phrase
   * counts only on pages holding it as written (pagefind's quoted search,
   * stems included), scored by pagefind's ranking; one being typed counts
   * wherever a word starts with it.
   */
  async function searchPhrase(pagefind, phrase, typed, filters) {
    const [ranked, exact] = await Promise.all([
      pagefind.search(phrase, { filters }),
      typed ? null : pagefind.search(`"${phrase}"`, { filters }),
    ]);
    const allowed = exact && new Set(exact.results.map((r) => r.id));
    const pages = new Map();
    for (const result of ranked?.results || []) {
      if (allowed && !allowed.has(result.id)) continue;
      pages.set(result.id, { score: result.score, result });
    }
    // A phrase can sit in a title or keywords only: pagefind's quoted search
    // finds it there while the ranked one may not rank it; keep such pages.
    for (const result of exact?.results || []) {
      if (!pages.has(result.id)) pages.set(result.id, { score: result.score * 0.5, result });
    }
    return pages;
  }

  // How much a synonym counts against the reader's own word, and how many of
  // a word's synonyms are searched (the first of its group): each may need
  // another chunk of the index.
  const SYNONYM_WEIGHT = 0.6;
  const MAX_SYNONYMS = 2;

  /** Searches `concept`'s phrases not searched yet; fills `concept.pages`. */
  async function searchConcept(pagefind, concept, filters, withSynonyms) {
    concept.pages ||= new Map();
    concept.searched ||= new Set();
    const phrases = [[concept.corrected || concept.phrase, 1]];
    if (withSynonyms) concept.synonyms.slice(0, MAX_SYNONYMS).forEach((s) => phrases.push([s, SYNONYM_WEIGHT]));
    await Promise.all(
      phrases
        .filter(([phrase]) => !concept.searched.has(phrase))
        .map(async ([phrase, weight]) => {
          concept.searched.add(phrase);
          const pages = await searchPhrase(pagefind, phrase, concept.typed, filters);
          for (const [id, page] of pages) {
            const score = page.score * weight;
            const known = concept.pages.get(id);
            if (!known || known.score < score) concept.pages.set(id, { score, result: page.result, phrase });
          }
        }),
    );
  }

  /**
   * Ranks the pages that match any concept: pagefind's scores summed over
   * the concepts a page matches, times the share of the query's information
   * it covers (squared), where a concept found on fewer of the candidate
   * pages carries more (an IDF over the candidates).
   */
  function rank(concepts) {
    const union = new Set();
    concepts.forEach((c) => c.pages.forEach((_, id) => union.add(id)));
    const weight = (c) => (c.pages.size ? Math.log(1 + union.size / c.pages.size) : 0);
    const total = concepts.reduce((sum, c) => sum + weight(c), 0) || 1;
    const ranked = [];
    for (const id of union) {
      const matched = concepts.filter((c) => c.pages.has(id));
      const score = matched.reduce((sum, c) => sum + c.pages.get(id).score, 0);
      const cover = matched.reduce((sum, c) => sum + weight(c), 0) / total;
      ranked.push({ id, matched, all: matched.length === concepts.length, score: score * cover * cover });
    }
    ranked.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    return ranked;
  }

  /**
   * Runs a query through the layer. Returns { hits, concepts, stopped,
   * corrected, missing }: hits best first, each { id, matched (concepts),
   * all (every concept matched), data() }.
   */
  async function query(text, { typing = false, filters = {} } = {}) {
    const { concepts, stopped } = parse(text, typing);
    if (!concepts.length) return { hits: [], concepts, stopped, corrected: false, missing: [] };
    const pagefind = await load();
    await Promise.all(concepts.map((c) => searchConcept(pagefind, c, filters, false)));
    let hits = rank(concepts);
    let corrected = false;
    // When no page has every word: the synonyms of each word (of only those
    // no page holds as written, when some page has them all), then, for a
    // word that still matches nothing, the closest word of the index.
    const absent = concepts.filter((c) => !c.pages.size);
    const widen = hits.some((h) => h.all) ? absent : concepts;
    if (widen.length) {
      await Promise.all(widen.map((c) => searchConcept(pagefind, c, filters, true)));
      const unknown = absent.filter((c) => !c.pages.size && !c.phrase.includes(" ") && c.phrase.length >= 4);
      if (unknown.length) {
        const vocabulary = await loadVocabulary();
        await Promise.all(
          unknown.map(async (c) => {
            const fix = closest(vocabulary, c.phrase);
            if (!fix) return;
            c.corrected = fix;
            await searchConcept(pagefind, c, filters, false);
            corrected ||= c.pages.size > 0;
          }),
        );
      }
      hits = rank(concepts);
    }
    const missing = concepts.filter((c) => !c.pages.size);
    for (const hit of hits) {
      const first = hit.matched[0].pages.get(hit.id);
      hit.data = () => first.result.data();
    }
    return { hits, concepts, stopped, corrected, missing };
  }

  // ------------------------------------------------------------- typos

  let vocabulary = null;
  /** The index's words, most frequent first (a gzip of lines, see the build). */
  function loadVocabulary() {
    vocabulary ||= (async () => {
      try {
        const response = await fetch(`${base}pagefind/${WORDS.vocabulary}`);
        if (!response.ok || typeof DecompressionStream === "undefined") return [];
        const text = await new Response(response.body.pipeThrough(new DecompressionStream("gzip"))).text();
        return text.split("\n");
      } catch {
        return [];
      }
    })();
    return vocabulary;
  }

  /**
   * The vocabulary word closest to `word` (Damerau–Levenshtein distance 1,
   * or 2 for words of 8 letters or more), the more frequent of equals.
   */
  function closest(words, word, limit = word.length >= 8 ? 2 : 1) {
    let best = null;
    let bestDistance = limit + 1;
    for (const candidate of words) {
      if (Math.abs(candidate.length - word.length) >= bestDistance) continue;
      const d = distance(word, candidate, bestDistance);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
        if (d === 1) break;
      }
    }
    return best;
  }

  /** Optimal-string-alignment distance, giving up at `limit`. */
  function distance(a, b, limit) {
    const rows = [[...Array(b.length + 1).keys()]];
    for (let i = 1; i <= a.length; i++) {
      const row = [i];
      let low = i;
      for (let j = 1; j <= b.length; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        let d = Math.min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
        row.push(d);
        low = Math.min(low, d);
      }
      if (low >= limit) return limit;
      rows.push(row);
    }
    return rows[a.length][b.length];
  }

  // ------------------------------------------------------------- excerpts

  const escape = (s) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

  /** The words of a fragment, as pagefind counts locations. */
  function fragmentWords(fragment) {
    const raw = fragment.raw_content || "";
    if (raw.includes("\u200B")) return raw.split("\u200B").map((w) => w.replace(/&lt;/g, "<").replace(/&gt;/g, ">"));
    return (fragment.content || "").split(/[^\S\uFEFF]+/);
  }

  /** How many words at the start are the title and keywords (never excerpted). */
  function headWords(fragment, words) {
    const head = [fragment.meta?.title, fragment.meta?.keywords].filter(Boolean).join(" ").split(/\s+/).filter(Boolean);
    const same = head.every((w, i) => term(words[i] || "") === term(w));
    return same ? head.length : 0;
  }

  /**
   * Whether `hit` is a page for what the reader is typing: one it matched by
   * a complete word, or whose words (title included) hold a word starting
   * with the word still being typed. For a word no indexed word starts with,
   * pagefind falls back to a shorter beginning of it ("onerror" → "one"),
   * which would offer pages that do not hold it at all.
   */
  function holdsTypedWord(fragment, hit) {
    if (hit.matched.some((c) => !c.typed)) return true;
    const phrases = hit.matched.map((c) => c.pages.get(hit.id).phrase || c.corrected || c.phrase);
    return fragmentWords(fragment).some((w) => matches(w, phrases, true));
  }

  /** Whether the page word `word` is a match for one of `phrases` (to mark it). */
  function matches(word, phrases, typed) {
    const t = term(word);
    if (!t) return false;
    return phrases.some((p) =>
      p.split(" ").some((q) => (typed ? t.startsWith(q) : t === q || (t.startsWith(q.slice(0, Math.max(3, q.length - 2))) && Math.abs(t.length - q.length) <= 3))),
    );
  }

  /**
   * The excerpt of `fragment` for a hit: about `length` words of the body
   * around the densest run of matches (the body's start when only the title
   * matches), HTML with the matches in <mark>; and the headings of the
   * sections that hold matches.
   */
  function excerptOf(fragment, hit, length) {
    const words = fragmentWords(fragment);
    const skip = headWords(fragment, words);
    const phrases = hit.matched.map((c) => c.pages.get(hit.id).phrase || c.corrected || c.phrase);
    const typed = hit.matched.some((c) => c.typed);
    const marked = new Set();
    for (let i = skip; i < words.length; i++) if (matches(words[i], phrases, typed)) marked.add(i);
    const spots = [...marked];
    let start = skip;
    let best = -1;
    for (const spot of spots) {
      const from = Math.max(skip, spot - 3);
      const count = spots.filter((s) => s >= from && s < from + length).length;
      if (count > best) {
        best = count;
        start = from;
      }
    }
    const end = Math.min(words.length, start + length);
    const html = words
      .slice(start, end)
      .map((w, i) => (marked.has(start + i) ? `<mark>${escape(w)}</mark>` : escape(w)))
      .join(" ");
    const excerpt = (start > skip ? "… " : "") + html + (end < words.length ? " …" : "");
    const anchors = (fragment.anchors || []).filter((a) => a.id && /^h[2-4]$/i.test(a.element)).sort((a, b) => a.location - b.location);
    const sections = anchors
      .map((a, i) => {
        const until = anchors[i + 1]?.location ?? Infinity;
        return { anchor: a, count: spots.filter((s) => s >= a.location && s < until).length };
      })
      .filter((s) => s.count > 0)
      .sort((a, b) => b.count - a.count)
      .slice(0, 3)
      .sort((a, b) => a.anchor.location - b.anchor.location)
      .map((s) => ({ title: s.anchor.text, url: `${fragment.url}#${s.anchor.id}` }));
    return { excerpt, sections };
  }

  /** "Results for …": the query as searched, typos corrected, with what was left out. */
  function describe(outcome) {
    const { hits, concepts } = outcome;
    const top = hits[0];
    const used = concepts.filter((c) => top?.matched.includes(c));
    const left = concepts.filter((c) => !top?.matched.includes(c)).map((c) => c.text);
    const words = used.map((c) => (c.corrected && c.pages.size ? c.corrected : c.text));
    return { words, left, relaxed: left.length > 0 && !top?.all, corrected: used.some((c) => c.corrected) };
  }

  // Shared with tests and the two views below.
  const layer = { parse, query, excerptOf, describe, closest, loadVocabulary, load };
  window.kbgenSearch = layer;

  header(layer);
  resultsPage(layer);

  // ------------------------------------------------------ header dropdown

  /**
   * The header box as a combobox (WAI-ARIA APG "combobox with listbox
   * popup"): suggestions after each keystroke, arrow keys to move, Enter to
   * open one (or, with none chosen, to submit to the results page), Escape to
   * close. The index loads on first focus, never before.
   */
  function header({ query, excerptOf }) {
    const input = document.getElementById("site-search-input");
    const form = input?.closest("form");
    if (!input || !form) return;
    const LIMIT = 6;
    const listbox = document.createElement("ul");
    listbox.id = "site-search-listbox";
    listbox.className = "site-search__listbox";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", sentenceText("search_suggestions"));
    listbox.hidden = true;
    const live = document.createElement("p");
    live.className = "visually-hidden";
    live.setAttribute("role", "status");
    form.append(listbox, live);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    let options = [];
    let active = -1;
    let generation = 0;
    let timer = null;

    const open = (yes) => {
      listbox.hidden = !yes;
      input.setAttribute("aria-expanded", String(yes));
      if (!yes) setActive(-1);
    };
    function setActive(index) {
      options.forEach((o, i) => o.element.setAttribute("aria-selected", String(i === index)));
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].element.id);
        options[index].element.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    const go = (url) => {
      open(false);
      location.href = url;
    };
    const resultsUrl = (text) => `${form.getAttribute("action")}?q=${encodeURIComponent(text.trim())}`;

    function option(id, url, parts) {
      const li = document.createElement("li");
      li.id = `site-search-option-${id}`;
      li.className = "site-search__option";
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.append(...parts);
      // Keep focus in the box; follow the option on click.
      li.addEventListener("mousedown", (event) => event.preventDefault());
      li.addEventListener("click", () => go(url));
      return { element: li, url };
    }

    async function suggest() {
      const text = input.value;
      const mine = ++generation;
      if (!text.trim()) {
        options = [];
        listbox.replaceChildren();
        open(false);
        live.textContent = "";
        return;
      }
      let outcome;
      try {
        outcome = await query(text, { typing: true });
      } catch (error) {
        console.error(error);
        return;
      }
      const candidates = outcome.hits.slice(0, LIMIT);
      const loaded = await Promise.all(candidates.map((h) => h.data()));
      if (mine !== generation) return;
      const kept = candidates.map((hit, i) => [hit, loaded[i]]).filter(([hit, fragment]) => holdsTypedWord(fragment, hit));
      const hits = kept.map(([hit]) => hit);
      const data = kept.map(([, fragment]) => fragment);
      options = data.map((fragment, i) => {
        const title = document.createElement("span");
        title.className = "site-search__option-title";
        title.textContent = fragment.meta?.title || fragment.url;
        const parts = [title];
        if (fragment.meta?.section) {
          const section = document.createElement("span");
          section.className = "site-search__option-section";
          section.textContent = fragment.meta.section;
          parts.push(section);
        }
        const excerpt = document.createElement("span");
        excerpt.className = "site-search__option-excerpt";
        excerpt.innerHTML = excerptOf(fragment, hits[i], 14).excerpt; // escaped, with <mark>
        parts.push(excerpt);
        return option(i, fragment.url, parts);
      });
      const all = document.createElement("span");
      all.className = "site-search__option-all";
      all.textContent = sentenceText("search_all_results", { query: text.trim() });
      options.push(option("all", resultsUrl(text), [all]));
      listbox.replaceChildren(...options.map((o) => o.element));
      setActive(-1);
      open(document.activeElement === input);
      live.textContent = hits.length
        ? sentenceText("search_suggestion_count", { count: hits.length })
        : sentenceText("search_no_suggestions");
    }

    input.addEventListener("focus", () => {
      load().catch(() => {});
      if (options.length && input.value.trim()) open(true);
    });
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(suggest, 60);
    });
    input.addEventListener("keydown", (event) => {
      const shown = !listbox.hidden && options.length > 0;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!options.length) return;
        event.preventDefault();
        if (!shown) open(true);
        const step = event.key === "ArrowDown" ? 1 : -1;
        const next = active + step;
        setActive(next < -1 ? options.length - 1 : next >= options.length ? -1 : next);
      } else if (event.key === "Enter") {
        if (shown && active >= 0) {
          event.preventDefault();
          go(options[active].url);
        }
      } else if (event.key === "Escape") {
        if (shown) {
          event.preventDefault();
          open(false);
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
        }
      } else if (event.key === "Tab") {
        open(false);
      }
    });
    input.addEventListener("blur", () => open(false));
  }

  // --------------------------------------------------------- results page

  function resultsPage({ query, excerptOf, describe, loadVocabulary, closest }) {
    const page = document.querySelector("[data-search-page]");
    if (!page) return;
    const input = page.querySelector("input[type=search]");
    const status = page.querySelector("[data-search-status]");
    const list = page.querySelector("[data-search-results]");
    const more = page.querySelector("[data-search-more]");
    const filterBox = page.querySelector("[data-search-filters]");
    const empty = page.querySelector("[data-search-empty]");
    const PAGE_SIZE = 10;
    let hits = [];
    let concepts = [];
    let shown = 0;
    let generation = 0;
    const selected = new Set();

    const initial = new URLSearchParams(location.search).get("q") || "";
    input.value = initial;

    async function showFilters() {
      const pagefind = await load();
      const filters = await pagefind.filters();
      const categories = Object.entries(filters.category || {}).sort((a, b) => a[0].localeCompare(b[0]));
      if (categories.length < 2) return;
      const group = document.createElement("fieldset");
      group.className = "search-filters";
      const legend = document.createElement("legend");
      legend.textContent = sentenceText("search_category_filter");
      group.append(legend);
      for (const [name, count] of categories) {
        const label = document.createElement("label");
        label.className = "search-filters__option";
        const box = document.createElement("input");
        box.type = "checkbox";
        box.value = name;
        box.addEventListener("change", () => {
          box.checked ? selected.add(name) : selected.delete(name);
          run(input.value, false);
        });
        const text = document.createElement("span");
        text.textContent = `${name} (${count})`;
        label.append(box, text);
        group.append(label);
      }
      filterBox.replaceChildren(group);
      filterBox.hidden = false;
    }

    /** A status line: plain text with the searched words in <strong>. */
    function say(parts) {
      status.replaceChildren(
        ...parts.map((p) => {
          if (typeof p === "string") return document.createTextNode(p);
          if (p instanceof Node) return p;
          const strong = document.createElement("strong");
          strong.textContent = p.strong;
          return strong;
        }),
      );
    }

    async function run(text, typing) {
      const mine = ++generation;
      page.dataset.searchState = "searching";
      const words = text.trim();
      const url = new URL(location.href);
      words ? url.searchParams.set("q", words) : url.searchParams.delete("q");
      history.replaceState(null, "", url);
      list.replaceChildren();
      if (empty) empty.hidden = true;
      if (!words) {
        say(sentence("search_prompt"));
        more.hidden = true;
        page.dataset.searchState = "done";
        return;
      }
      say(sentence("search_searching"));
      const filters = selected.size ? { category: { any: [...selected] } } : {};
      const outcome = await query(text, { typing, filters });
      if (mine !== generation) return;
      hits = outcome.hits;
      concepts = outcome.concepts;
      shown = 0;
      if (!hits.length) {
        await showEmpty(words, outcome, mine);
        more.hidden = true;
        page.dataset.searchState = "done";
        return;
      }
      const { words: used, left, relaxed, corrected } = describe(outcome);
      const full = hits.filter((h) => h.all).length;
      if (!relaxed && !corrected) {
        say(sentence("search_match_count", { count: full, query: words }));
      } else {
        const key = corrected
          ? (relaxed ? "search_corrected_without" : "search_corrected")
          : (relaxed ? "search_results_for_without" : "search_results_for");
        say(sentence(key, { query: { strong: used.join(" ") }, left: left.join(", ") }));
      }
      await showMore(mine);
      if (mine === generation) page.dataset.searchState = "done";
    }

    /** No article shares a word with the query: say so, and offer a way on. */
    async function showEmpty(words, outcome, mine) {
      say(sentence("search_no_match", { query: words }));
      if (!empty) return;
      const suggestions = empty.querySelector("[data-search-suggestions]");
      suggestions.replaceChildren();
      const vocabulary = outcome.concepts.length ? await loadVocabulary() : [];
      const fixes = outcome.missing.map((c) => closest(vocabulary, c.phrase, 3)).filter(Boolean);
      if (mine !== generation) return;
      if (fixes.length) {
        const suggestion = fixes.join(" ");
        const link = document.createElement("a");
        link.href = `?q=${encodeURIComponent(suggestion)}`;
        link.textContent = suggestion;
        suggestions.append(...sentence("search_did_you_mean", { suggestion: link }));
      }
      suggestions.hidden = !fixes.length;
      empty.hidden = false;
    }

    async function showMore(mine) {
      const batch = hits.slice(shown, shown + PAGE_SIZE);
      const data = await Promise.all(batch.map((h) => h.data()));
      if (mine !== generation) return;
      data.forEach((fragment, i) => list.append(render(fragment, batch[i])));
      shown += batch.length;
      more.hidden = shown >= hits.length;
    }

    function render(fragment, hit) {
      const li = document.createElement("li");
      li.className = "search-result";
      const link = document.createElement("a");
      link.className = "search-result__link";
      link.href = fragment.url;
      link.textContent = fragment.meta?.title || fragment.url;
      const heading = document.createElement("h2");
      heading.className = "search-result__title";
      heading.append(link);
      li.append(heading);
      if (fragment.meta?.section) {
        const section = document.createElement("p");
        section.className = "search-result__section";
        section.textContent = fragment.meta.section;
        li.append(section);
      }
      const { excerpt, sections } = excerptOf(fragment, hit, 26);
      const p = document.createElement("p");
      p.className = "search-result__excerpt";
      p.innerHTML = excerpt; // escaped words, with <mark>
      li.append(p);
      if (!hit.all) {
        const missing = document.createElement("p");
        missing.className = "search-result__missing";
        const absent = concepts.filter((c) => !hit.matched.includes(c)).map((c) => c.text);
        missing.textContent = sentenceText("search_missing_words", { words: absent.join(", ") });
        li.append(missing);
      }
      if (sections.length) {
        const sub = document.createElement("ul");
        sub.className = "search-result__headings";
        for (const s of sections) {
          const entry = document.createElement("li");
          const a = document.createElement("a");
          a.href = s.url;
          a.textContent = s.title;
          entry.append(a);
          sub.append(entry);
        }
        li.append(sub);
      }
      return li;
    }

    let timer = null;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => run(input.value, true), 120);
    });
    page.querySelector("form").addEventListener("submit", (event) => {
      event.preventDefault();
      run(input.value, false);
    });
    more.addEventListener("click", () => showMore(generation));

    // Arrow keys move between the results; Enter follows the focused one.
    page.addEventListener("keydown", (event) => {
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
      const links = [...list.querySelectorAll(".search-result__link")];
      if (!links.length) return;
      const at = links.indexOf(document.activeElement);
      let next;
      if (event.key === "ArrowDown") next = at < 0 ? 0 : Math.min(at + 1, links.length - 1);
      else next = at <= 0 ? -1 : at - 1;
      event.preventDefault();
      next < 0 ? input.focus() : links[next].focus();
    });

    showFilters().catch(() => {});
    run(initial, false).catch((error) => {
      say(sentence("search_unavailable"));
      page.dataset.searchState = "error";
      console.error(error);
    });
    if (!initial) input.focus();
  }
})();
