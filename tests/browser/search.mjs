// The real-browser end-to-end test of the example help center, run by
// tests/browser.rs:
//
//   node tests/browser/search.mjs <base-url> <artifacts-dir>
//
// Drives Debian's headless Chromium (/usr/bin/chromium, or $KBGEN_CHROMIUM)
// over the DevTools protocol with playwright-core: no browser download. It
// searches from the header box, follows the first result, checks the "no
// results" page and the arrow keys, the header box's suggestions as you type
// (an ARIA combobox), relaxed matching, a synonym and a typo, saves phone-
// and desktop-width screenshots, runs axe-core on the home page, articles, a
// results list and the open suggestions (light and dark colour schemes,
// desktop and phone widths), and runs the search-quality harness
// (quality.mjs) on queries/skylark.json, failing below its floors. Exits
// non-zero with a readable list of what failed.

import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { chromium } from "playwright-core";
import { formatSummary, loadQueries, runQueries, summarize } from "./quality.mjs";

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve("axe-core/axe.min.js");

const [baseArg, artifactsArg] = process.argv.slice(2);
if (!baseArg || !artifactsArg) {
  console.error("usage: node search.mjs <base-url> <artifacts-dir>");
  process.exit(2);
}
const BASE = new URL(baseArg);
const ARTIFACTS = path.resolve(artifactsArg);
mkdirSync(ARTIFACTS, { recursive: true });

const CHROMIUM = process.env.KBGEN_CHROMIUM || "/usr/bin/chromium";
// Without the background-networking flags Chromium keeps calling home, which
// this closed network does not allow.
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const DESKTOP = { viewport: { width: 1280, height: 800 } };
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

// Symptom queries whose right answer is unambiguous in content/.
const CLOCK_SKEW = {
  query: "assertion is not yet valid",
  path: "/integrations/azure-ad/saml-clock-skew/",
  title: 'SSO sign-in fails with "Assertion is not yet valid" (clock skew)',
};
const RATE_LIMIT = {
  query: "429",
  path: "/api-and-cli/rate-limit-429/",
  title: "API requests fail with 429 Too Many Requests",
};
const NONSENSE = "zqxvbnrtw";
// An article and the first three letters of its title, for the suggestions.
const WEBHOOK = {
  typed: "Web",
  path: "/api-and-cli/webhook-signature-mismatch/",
  title: 'Webhook deliveries rejected with "signature mismatch"',
};
// The floors of the search-quality harness on queries/skylark.json, a little
// under what the query layer measured when they were set (57 queries: top-1
// 56, top-3 57, MRR 0.99, no zero-result page; the plain pagefind search
// before it: 38, 39, 0.67 and 17).
const QUALITY_FLOOR = { top1: 0.9, top3: 0.95, mrr: 0.9, zero: 0 };
// Where the scenario starts: an unrelated article.
const START = "/desktop-client/conflicted-copies/";

const failures = [];
const notes = [];

function fail(message) {
  failures.push(message);
  console.log(`  FAIL ${message}`);
}

function check(condition, message) {
  if (condition) console.log(`  ok   ${message}`);
  else fail(message);
  return condition;
}

const url = (p) => new URL(p.replace(/^\//, ""), BASE).href;
const sitePath = (href) => {
  const u = new URL(href);
  return "/" + u.pathname.slice(BASE.pathname.length) + u.search;
};

// The whole run is bounded: a hung browser must not hang `cargo test`.
const deadline = setTimeout(() => {
  console.error("browser test: gave up after 280 s");
  process.exit(1);
}, 280_000);
deadline.unref();

/** A page that records script errors, console errors and failed requests. */
async function openPage(browser, options, label) {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  const page = await context.newPage();
  page.on("pageerror", (error) => fail(`${label}: script error on ${sitePath(page.url())}: ${error.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error") fail(`${label}: console error on ${sitePath(page.url())}: ${msg.text()}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400 && response.url().startsWith(BASE.origin)) {
      fail(`${label}: HTTP ${response.status()} for ${sitePath(response.url())}`);
    }
  });
  page.on("requestfailed", (request) => {
    // ERR_ABORTED: the page navigated away before, say, the favicon arrived.
    if (request.failure()?.errorText === "net::ERR_ABORTED") return;
    fail(`${label}: request failed: ${request.url()} (${request.failure()?.errorText})`);
  });
  return { context, page };
}

/** Waits until the search page has finished: results shown or "no results". */
async function waitForSearch(page) {
  await page.waitForFunction(() => /^(done|error)$/.test(document.querySelector("[data-search-page]")?.dataset.searchState || ""));
  return (await page.locator("[data-search-status]").textContent()).trim();
}

/** Types `query` into the header box (focused with "/") and submits it. */
async function searchFromHeader(page, query) {
  await page.locator("body").press("/");
  const focused = await page.evaluate(() => document.activeElement?.id);
  check(focused === "site-search-input", `"/" focuses the header search box (focused: ${focused || "nothing"})`);
  await page.keyboard.type(query);
  await Promise.all([page.waitForURL((u) => u.pathname.endsWith("/search/")), page.keyboard.press("Enter")]);
  const status = await waitForSearch(page);
  console.log(`  ...  "${query}": ${status}`);
  return status;
}

async function resultList(page) {
  return page.$$eval(".search-result", (items) =>
    items.map((li) => ({
      title: li.querySelector(".search-result__link")?.textContent.trim(),
      href: li.querySelector(".search-result__link")?.getAttribute("href"),
      section: li.querySelector(".search-result__section")?.textContent.trim() || null,
      excerpt: li.querySelector(".search-result__excerpt")?.innerHTML || "",
    })),
  );
}

/** The header-box scenario for one symptom query, ending on the article. */
async function findArticle(page, expected, label) {
  console.log(`- ${label}: search for "${expected.query}" from ${START}`);
  await page.goto(url(START));
  const status = await searchFromHeader(page, expected.query);
  const query = new URL(page.url()).searchParams.get("q");
  check(query === expected.query, `the search page got ?q=${JSON.stringify(expected.query)} (got ${JSON.stringify(query)})`);
  check(/^\d+ articles? match/.test(status), `results are announced ("${status}")`);
  const results = await resultList(page);
  results.slice(0, 5).forEach((r, i) => console.log(`       ${i + 1}. ${r.title}  [${r.section}]  ${r.href}`));
  const first = results[0];
  if (!check(first !== undefined, "there is at least one result")) return;
  check(first.title === expected.title, `the first result is "${expected.title}" (got "${first.title}")`);
  check(first.section !== null && first.section.length > 0, `the first result names its section ("${first.section}")`);
  check(/<mark>/.test(first.excerpt), "the first result's excerpt marks the match with <mark>");
  await Promise.all([page.waitForURL((u) => u.pathname.endsWith(expected.path)), page.locator(".search-result__link").first().click()]);
  check(new URL(page.url()).pathname === new URL(url(expected.path)).pathname, `following it lands on ${expected.path} (at ${sitePath(page.url())})`);
  const h1 = (await page.locator("main h1").first().textContent())?.trim();
  check(h1 === expected.title, `the article's h1 is "${expected.title}" (got "${h1}")`);
}

async function noResults(page) {
  console.log(`- desktop: a query with no match ("${NONSENSE}")`);
  await page.goto(url(START));
  const status = await searchFromHeader(page, NONSENSE);
  check(status.startsWith("No articles match"), `a friendly "no results" message is shown ("${status}")`);
  check(status.includes(NONSENSE), "the message repeats the query");
  check((await page.locator(".search-result").count()) === 0, "no result items are listed");
  check(await page.locator("[data-search-status]").isVisible(), "the message is visible");
  const empty = page.locator("[data-search-empty]");
  check(await empty.isVisible(), "the empty page offers a way on");
  const sections = await empty.locator(".search-empty__sections a").count();
  check(sections >= 2, `it links to the sections (${sections})`);
  const home = empty.locator("a", { hasText: "home page" });
  check((await home.count()) === 1 && new URL(await home.getAttribute("href"), BASE).pathname === BASE.pathname, '"home page" is a link to the home page');
  await page.screenshot({ path: path.join(ARTIFACTS, "search-no-results-desktop.png"), fullPage: true });
}

async function arrowKeys(page) {
  console.log("- desktop: arrow keys on the results page");
  await page.goto(url(`/search/?q=${encodeURIComponent("sign in")}`));
  await waitForSearch(page);
  const links = await page.locator(".search-result__link").count();
  if (!check(links >= 2, `"sign in" lists at least two results (${links})`)) return;
  await page.locator("#search-page-input").focus();
  const active = () =>
    page.evaluate(() => {
      const el = document.activeElement;
      if (el?.id) return `#${el.id}`;
      const all = [...document.querySelectorAll(".search-result__link")];
      return all.includes(el) ? `result ${all.indexOf(el) + 1}` : el?.tagName;
    });
  await page.keyboard.press("ArrowDown");
  check((await active()) === "result 1", `ArrowDown from the search input focuses the first result (${await active()})`);
  await page.keyboard.press("ArrowDown");
  check((await active()) === "result 2", `ArrowDown again focuses the second result (${await active()})`);
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowUp");
  check((await active()) === "#search-page-input", `ArrowUp from the first result returns to the input (${await active()})`);
  await page.locator("body").click({ position: { x: 5, y: 300 } });
  await page.locator("body").press("/");
  check((await active()) === "#search-page-input", `"/" on the search page focuses its own box (${await active()})`);
}

/** The results page for `query`: its status line and results. */
async function resultsFor(page, query) {
  await page.goto(url(`/search/?q=${encodeURIComponent(query)}`));
  const status = await waitForSearch(page);
  const results = await resultList(page);
  console.log(`  ...  "${query}": ${status}`);
  results.slice(0, 3).forEach((r, i) => console.log(`       ${i + 1}. ${r.title}  ${r.href}`));
  return { status, results, first: results[0] };
}

/** Relaxed matching, a synonym, a typo, and excerpts from the body. */
async function queryLayer(page) {
  console.log("- desktop: the query layer");
  {
    const { status, first } = await resultsFor(page, "why are there two versions of my spreadsheet");
    check(first?.href.endsWith("/desktop-client/conflicted-copies/"), "a query with a word no article has still finds the article with the others");
    check(/^Results for two versions \(without: spreadsheet\)/.test(status), `it says which word was left out ("${status}")`);
    check(/Missing: spreadsheet/.test(await page.locator(".search-result__missing").first().textContent()), "the result says what it lacks");
  }
  {
    const { first } = await resultsFor(page, "webhook deactivated");
    check(first?.href.endsWith("/api-and-cli/webhook-signature-mismatch/"), 'a synonym: "deactivated" finds the article that says "disables"');
    check(/<mark>disables<\/mark>/i.test(first?.excerpt || ""), `the synonym is marked in the excerpt (${first?.excerpt})`);
  }
  {
    const { status, first } = await resultsFor(page, "conflcted copy");
    check(first?.href.endsWith("/desktop-client/conflicted-copies/"), 'a typo: "conflcted copy" finds the conflicted-copies article');
    check(status.startsWith("Showing results for conflicted copy"), `it says what it searched for ("${status}")`);
  }
  {
    const { first } = await resultsFor(page, "clock skew");
    const title = CLOCK_SKEW.title.split(" ").slice(0, 4).join(" ");
    check(first && !first.excerpt.replace(/<[^>]+>/g, "").startsWith(title.slice(0, 20)), `the excerpt comes from the body, not the title (${first?.excerpt})`);
    check(/<mark>/.test(first?.excerpt || ""), "and marks the match");
  }
  {
    const { first } = await resultsFor(page, "w32tm");
    check(first?.href.endsWith(CLOCK_SKEW.path), "a front-matter keyword finds its article");
  }
  {
    // The webhook article has "signature" but never "sign".
    const { results } = await resultsFor(page, "sign");
    check(results.length > 0 && !results.some((r) => r.href.endsWith(WEBHOOK.path)), 'a complete word ("sign") is not matched as the start of longer ones ("signature")');
  }
}

/**
 * The header box's suggestions: nothing loads before the box is used; three
 * letters of a title list the article; the arrow keys, Enter and Escape work
 * as in the ARIA combobox pattern; Enter on the query still submits.
 */
async function suggestions(page) {
  console.log(`- desktop: suggestions while typing "${WEBHOOK.typed}" in the header box`);
  const loaded = [];
  page.on("request", (r) => {
    if (new URL(r.url()).pathname.includes("/pagefind/")) loaded.push(r.url());
  });
  await page.goto(url(START));
  await page.waitForLoadState("load");
  check(loaded.length === 0, `no part of the index loads with the page (${loaded.length} requests)`);
  const input = page.locator("#site-search-input");
  await page.locator("body").press("/");
  await page.keyboard.type(WEBHOOK.typed);
  const listbox = page.locator("#site-search-listbox");
  await listbox.locator("[role=option]").first().waitFor();
  const options = await listbox.locator(".site-search__option-title").allTextContents();
  console.log(`       suggestions: ${options.join(" | ")}`);
  check(options.includes(WEBHOOK.title), `typing "${WEBHOOK.typed}" suggests "${WEBHOOK.title}"`);
  check((await input.getAttribute("role")) === "combobox", "the box is a combobox");
  check((await input.getAttribute("aria-expanded")) === "true", "aria-expanded is true while suggestions show");
  check((await input.getAttribute("aria-controls")) === "site-search-listbox", "aria-controls names the listbox");
  check((await listbox.getAttribute("role")) === "listbox", "the suggestions are a listbox");
  const excerpt = await listbox.locator(".site-search__option-excerpt").first().innerHTML();
  check(/<mark>/.test(excerpt), "a suggestion's excerpt marks the match");
  check((await listbox.locator(".site-search__option-section").count()) > 0, "suggestions name their section");
  await page.keyboard.press("ArrowDown");
  const active = await input.getAttribute("aria-activedescendant");
  check(active !== null && (await page.locator(`#${active}`).getAttribute("aria-selected")) === "true", `ArrowDown selects the first suggestion (${active})`);
  await page.keyboard.press("Escape");
  check((await input.getAttribute("aria-expanded")) === "false" && (await listbox.isHidden()), "Escape closes the suggestions");
  check((await input.inputValue()) === WEBHOOK.typed, "and keeps what was typed");
  // Choose the article with the keys.
  await page.keyboard.type("hook");
  await listbox.locator("[role=option]").first().waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll(".site-search__option-title")].some((t) => /^Webhook/.test(t.textContent)));
  const titles = await listbox.locator(".site-search__option-title").allTextContents();
  for (let i = 0; i <= titles.indexOf(WEBHOOK.title); i++) await page.keyboard.press("ArrowDown");
  await Promise.all([page.waitForURL((u) => u.pathname.endsWith(WEBHOOK.path)), page.keyboard.press("Enter")]);
  check(new URL(page.url()).pathname.endsWith(WEBHOOK.path), `Enter on a suggestion opens it (at ${sitePath(page.url())})`);
  // A word no page holds offers no page: pagefind alone falls back to a
  // shorter beginning of it ("onerror" → "one") and would suggest those.
  await page.locator("body").press("/");
  await page.keyboard.type("onerror");
  await page.waitForFunction(() => /onerror/.test(document.querySelector(".site-search__option-all")?.textContent || ""));
  const unrelated = await listbox.locator(".site-search__option-title").allTextContents();
  check(unrelated.length === 0, `a word no page holds suggests no page (${unrelated.join(" | ") || "none"})`);
  await input.fill("");
  // Enter on the query itself goes to the results page.
  await page.keyboard.type("signature");
  await listbox.locator("[role=option]").first().waitFor();
  await Promise.all([page.waitForURL((u) => u.pathname.endsWith("/search/")), page.keyboard.press("Enter")]);
  check(new URL(page.url()).searchParams.get("q") === "signature", "Enter on the query submits to the results page");
  await waitForSearch(page);
}

/** The search-quality harness, with floors. */
async function quality(browser) {
  console.log("- search quality: queries/skylark.json");
  const queries = loadQueries(path.join(path.dirname(new URL(import.meta.url).pathname), "queries/skylark.json"));
  const rows = await runQueries(browser, BASE.href, queries);
  const summary = summarize(rows);
  console.log(formatSummary(summary).replace(/^/gm, "       "));
  for (const r of rows.filter((r) => r.rank !== 1)) console.log(`       ${r.rank ? `#${r.rank}` : "miss"} [${r.kind}] ${JSON.stringify(r.query)}: ${r.top.join(" | ")}`);
  const all = summary.all;
  check(all.top1 / all.queries >= QUALITY_FLOOR.top1, `top-1 ${all.top1}/${all.queries} is at least ${QUALITY_FLOOR.top1 * 100}%`);
  check(all.top3 / all.queries >= QUALITY_FLOOR.top3, `top-3 ${all.top3}/${all.queries} is at least ${QUALITY_FLOOR.top3 * 100}%`);
  check(all.mrr >= QUALITY_FLOOR.mrr, `MRR ${all.mrr.toFixed(3)} is at least ${QUALITY_FLOOR.mrr}`);
  check(all.zero <= QUALITY_FLOOR.zero, `${all.zero} zero-result pages (at most ${QUALITY_FLOOR.zero}): every query shares a word with its article`);
}

// Full-page shots at both widths, and the first screen at phone width (a
// full phone page is too tall to judge at a glance).
async function screenshots(browser) {
  console.log("- screenshots");
  const saved = [];
  const shoot = async (page, name, phone) => {
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
    saved.push(`${name}.png`);
    if (phone) {
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}-screen.png`) });
      saved.push(`${name}-screen.png`);
    }
  };
  for (const [width, options] of [["desktop", DESKTOP], ["phone", PHONE]]) {
    const { context, page } = await openPage(browser, options, `${width} screenshots`);
    await page.goto(url(CLOCK_SKEW.path));
    await shoot(page, `article-${width}`, width === "phone");
    await page.goto(url(`/search/?q=${encodeURIComponent("sign in")}`));
    await waitForSearch(page);
    await shoot(page, `search-${width}`, width === "phone");
    await page.goto(url(`/search/?q=${encodeURIComponent("why are there two versions of my spreadsheet")}`));
    await waitForSearch(page);
    await shoot(page, `search-relaxed-${width}`, false);
    await page.goto(url(START));
    await page.locator("#site-search-input").focus();
    await page.keyboard.type("prox");
    await page.locator("#site-search-listbox [role=option]").first().waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, `suggestions-${width}.png`) });
    saved.push(`suggestions-${width}.png`);
    await context.close();
  }
  console.log(`  ok   saved ${saved.join(", ")} in ${ARTIFACTS}`);
}

// axe-core on the home page, two articles (code blocks, a table, callouts)
// and a results list: desktop width in the light and the dark scheme, and
// phone width, where code blocks scroll sideways.
async function accessibility(browser) {
  const pages = [
    ["home", "/"],
    ["article", CLOCK_SKEW.path],
    ["article", RATE_LIMIT.path],
    ["results", `/search/?q=${encodeURIComponent("sign in")}`],
    ["no results", `/search/?q=${NONSENSE}`],
    ["suggestions", START],
  ];
  const setups = [
    ["desktop light", { ...DESKTOP, colorScheme: "light" }],
    ["desktop dark", { ...DESKTOP, colorScheme: "dark" }],
    ["phone light", { ...PHONE, colorScheme: "light" }],
  ];
  for (const [setup, options] of setups) {
    const { context, page } = await openPage(browser, options, `axe ${setup}`);
    for (const [name, p] of pages) {
      await page.goto(url(p));
      if (p.startsWith("/search/")) await waitForSearch(page);
      if (name === "suggestions") {
        await page.locator("#site-search-input").focus();
        await page.keyboard.type("sync");
        await page.locator("#site-search-listbox [role=option]").first().waitFor();
        await page.keyboard.press("ArrowDown");
      }
      await page.addScriptTag({ path: AXE_PATH });
      const violations = await page.evaluate(async () => {
        const result = await window.axe.run(document, { resultTypes: ["violations"] });
        return result.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          helpUrl: v.helpUrl,
          nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
        }));
      });
      const blocking = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      const other = violations.filter((v) => !blocking.includes(v));
      const where = `the ${name} page ${sitePath(page.url())} (${setup})`;
      check(blocking.length === 0, `axe: no serious or critical violations on ${where}`);
      for (const v of blocking) {
        console.log(`       ${v.impact}: ${v.id}: ${v.help} (${v.helpUrl})`);
        for (const n of v.nodes.slice(0, 8)) console.log(`         at ${n.target}\n            ${n.summary.replace(/\n/g, "\n            ")}`);
        if (v.nodes.length > 8) console.log(`         ... and ${v.nodes.length - 8} more`);
        failures[failures.length - 1] += `\n    ${v.impact} ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target).join(", ")}`;
      }
      for (const v of other) {
        const note = `axe ${v.impact} on ${where}: ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target).join(", ")}`;
        notes.push(note);
        console.log(`  note ${note}`);
      }
    }
    await context.close();
  }
}

/**
 * Search per language: the German results page and the header box of a
 * German page search German articles only, with German stop words and the
 * German vocabulary; the English ones never list a German page.
 */
async function languages(page) {
  console.log("- desktop: search per language (German section of the example)");
  await page.goto(url(`/de/search/?q=${encodeURIComponent("Token")}`));
  const announced = await waitForSearch(page);
  check(/^\d+ Artikel passen? zu „Token“\.$/.test(announced), `the German results page speaks German ("${announced}")`);
  const german = await resultList(page);
  german.slice(0, 3).forEach((r, i) => console.log(`       ${i + 1}. ${r.title}  ${r.href}`));
  check(german.length > 0, `"Token" finds German articles on /de/search/ (${german.length})`);
  check(german.every((r) => new URL(r.href, BASE).pathname.startsWith(`${BASE.pathname}de/`)), "every German result is a German page");
  await page.goto(url(`/search/?q=${encodeURIComponent("token")}`));
  await waitForSearch(page);
  const english = await resultList(page);
  check(english.length > 0 && !english.some((r) => new URL(r.href, BASE).pathname.startsWith(`${BASE.pathname}de/`)), `"token" on /search/ lists no German page (${english.length} results)`);
  {
    await page.goto(url(`/de/search/?q=${encodeURIComponent("Schonfrsit")}`));
    const status = await waitForSearch(page);
    const first = (await resultList(page))[0];
    check(status.startsWith("Ergebnisse für schonfrist werden angezeigt"), `a German typo is corrected from the German vocabulary ("${status}")`);
    check(first?.href.includes("/de/api-and-cli/"), `and finds the German article (${first?.href})`);
  }
  await page.goto(url("/de/api-and-cli/ratenlimit-429/"));
  await page.locator("body").press("/");
  await page.keyboard.type("Tok");
  const listbox = page.locator("#site-search-listbox");
  await listbox.locator("[role=option]").first().waitFor();
  const titles = await listbox.locator(".site-search__option-title").allTextContents();
  const all = await listbox.locator(".site-search__option-all").textContent();
  check(all === "Alle Ergebnisse für „Tok“", `the German header box offers "${all}"`);
  console.log(`       suggestions: ${titles.join(" | ")}`);
  const germanTitles = german.map((r) => r.title);
  check(titles.length > 0 && titles.every((t) => germanTitles.includes(t)), "the header box of a German page suggests German articles only");
  await page.screenshot({ path: path.join(ARTIFACTS, "search-german-suggestions-desktop.png") });
}

async function main() {
  console.log(`browser test: ${CHROMIUM} against ${BASE.href}`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  console.log(`  ...  Chromium ${browser.version()}`);
  try {
    {
      const { context, page } = await openPage(browser, DESKTOP, "desktop");
      await findArticle(page, CLOCK_SKEW, "desktop");
      await noResults(page);
      await arrowKeys(page);
      await queryLayer(page);
      await suggestions(page);
      await languages(page);
      await context.close();
    }
    {
      const { context, page } = await openPage(browser, PHONE, "phone");
      await findArticle(page, RATE_LIMIT, "phone");
      await context.close();
    }
    await screenshots(browser);
    console.log("- axe-core");
    await accessibility(browser);
    await quality(browser);
  } finally {
    await browser.close();
  }
}

try {
  await main();
} catch (error) {
  fail(`the scenario stopped: ${error.stack || error}`);
}

if (failures.length) {
  console.error(`\nbrowser test: ${failures.length} check(s) failed:`);
  for (const f of failures) console.error(`  - ${f}`);
  process.exit(1);
}
console.log(`\nbrowser test: all checks passed${notes.length ? ` (${notes.length} minor axe note(s) above)` : ""}`);
