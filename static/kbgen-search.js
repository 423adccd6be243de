// kbgen search: the header box (focus it with "/") and the /search/ page,
// which reads ?q= and shows results from the pagefind index as you type.
// Results show the title, the section and an excerpt with the match marked;
// arrow keys move between results. No network beyond this site.
(() => {
  "use strict";
  const base = document.documentElement.dataset.kbgenBase || "/";

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

  const page = document.querySelector("[data-search-page]");
  if (!page) return;
  const input = page.querySelector("input[type=search]");
  const status = page.querySelector("[data-search-status]");
  const list = page.querySelector("[data-search-results]");
  const more = page.querySelector("[data-search-more]");
  const filterBox = page.querySelector("[data-search-filters]");
  const PAGE_SIZE = 10;
  let pagefind = null;
  let results = [];
  let shown = 0;
  let generation = 0;
  const selected = new Set();

  const query = new URLSearchParams(location.search).get("q") || "";
  input.value = query;

  async function load() {
    if (!pagefind) {
      pagefind = await import(`${base}pagefind/pagefind.js`);
      await pagefind.options({ baseUrl: base, excerptLength: 26 });
      pagefind.init();
    }
    return pagefind;
  }

  async function showFilters() {
    const engine = await load();
    const filters = await engine.filters();
    const categories = Object.entries(filters.category || {}).sort((a, b) => a[0].localeCompare(b[0]));
    if (categories.length < 2) return;
    const group = document.createElement("fieldset");
    group.className = "search-filters";
    const legend = document.createElement("legend");
    legend.textContent = "Category";
    group.append(legend);
    for (const [name, count] of categories) {
      const label = document.createElement("label");
      label.className = "search-filters__option";
      const box = document.createElement("input");
      box.type = "checkbox";
      box.value = name;
      box.addEventListener("change", () => {
        box.checked ? selected.add(name) : selected.delete(name);
        run(input.value);
      });
      const text = document.createElement("span");
      text.textContent = `${name} (${count})`;
      label.append(box, text);
      group.append(label);
    }
    filterBox.replaceChildren(group);
    filterBox.hidden = false;
  }

  async function run(text) {
    const mine = ++generation;
    const words = text.trim();
    const url = new URL(location.href);
    words ? url.searchParams.set("q", words) : url.searchParams.delete("q");
    history.replaceState(null, "", url);
    if (!words) {
      list.replaceChildren();
      status.textContent = "Type a few words: an error message, a setting, a symptom.";
      more.hidden = true;
      return;
    }
    status.textContent = "Searching…";
    const engine = await load();
    const filters = selected.size ? { category: { any: [...selected] } } : {};
    const search = await engine.search(words, { filters });
    if (mine !== generation) return;
    results = search.results;
    shown = 0;
    list.replaceChildren();
    if (!results.length) {
      status.textContent = `No articles match “${words}”. Try fewer or different words, or browse the sections from the home page.`;
      more.hidden = true;
      return;
    }
    status.textContent = results.length === 1 ? `1 article matches “${words}”.` : `${results.length} articles match “${words}”.`;
    await showMore(mine);
  }

  async function showMore(mine) {
    const batch = results.slice(shown, shown + PAGE_SIZE);
    const data = await Promise.all(batch.map((r) => r.data()));
    if (mine !== generation) return;
    for (const item of data) list.append(render(item));
    shown += batch.length;
    more.hidden = shown >= results.length;
  }

  function render(item) {
    const li = document.createElement("li");
    li.className = "search-result";
    const link = document.createElement("a");
    link.className = "search-result__link";
    link.href = item.url;
    link.textContent = item.meta.title || item.url;
    const heading = document.createElement("h2");
    heading.className = "search-result__title";
    heading.append(link);
    li.append(heading);
    if (item.meta.section) {
      const section = document.createElement("p");
      section.className = "search-result__section";
      section.textContent = item.meta.section;
      li.append(section);
    }
    const excerpt = document.createElement("p");
    excerpt.className = "search-result__excerpt";
    excerpt.innerHTML = item.excerpt; // pagefind escapes the text and adds <mark>
    li.append(excerpt);
    const headings = (item.sub_results || []).filter((s) => s.url !== item.url && s.title !== item.meta.title).slice(0, 3);
    if (headings.length) {
      const sub = document.createElement("ul");
      sub.className = "search-result__headings";
      for (const s of headings) {
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
    timer = setTimeout(() => run(input.value), 120);
  });
  page.querySelector("form").addEventListener("submit", (event) => {
    event.preventDefault();
    run(input.value);
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
  run(query).catch((error) => {
    status.textContent = "Search is not available: the index could not be loaded.";
    console.error(error);
  });
  if (!query) input.focus();
})();
