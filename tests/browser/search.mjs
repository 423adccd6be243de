// The real-browser end-to-end test of the example help center, run by
// tests/browser.rs:
//
//   node tests/browser/search.mjs <base-url> <artifacts-dir>
//
// Drives Debian's headless Chromium (/usr/bin/chromium, or $KBGEN_CHROMIUM)
// over the DevTools protocol with playwright-core: no browser download. It
// searches from the header box, follows the first result, checks the "no
// results" message and the arrow keys, saves phone- and desktop-width
// screenshots, and runs axe-core on the home page, articles and a results
// list (light and dark colour schemes, desktop and phone widths). Exits
// non-zero with a readable list of what failed.

import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { chromium } from "playwright-core";

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
  console.error("browser test: gave up after 240 s");
  process.exit(1);
}, 240_000);
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
  await page.waitForFunction(() => {
    const status = document.querySelector("[data-search-status]")?.textContent || "";
    if (/not available/.test(status)) return true;
    if (/^No articles match/.test(status)) return true;
    return /match/.test(status) && document.querySelector(".search-result__link") !== null;
  });
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
