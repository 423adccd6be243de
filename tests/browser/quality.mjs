// The search-quality harness: runs a set of reader queries, each written for
// one article, through a built site's results page (/search/?q=…) in the real
// browser, and reports where the expected article came: top-1, top-3, mean
// reciprocal rank (MRR, 1/rank, 0 when absent) and how many queries showed no
// result at all, overall and per kind of query. It also counts the requests
// each search made under pagefind/ from a fresh page load: for the engine and
// the index (pagefind's script, worker, WebAssembly and metadata, index and
// filter chunks, kbgen's vocabulary) and, apart, one fragment per result
// shown, so changes to the query layer can be held to "no more requests than
// before" for the same results.
//
// Used by tests/browser/search.mjs on the example help center (with floors),
// and on its own against any served kbgen site:
//
//   node tests/browser/quality.mjs <base-url> <queries.json> [--json out.json] [--verbose]
//
// A query set is JSON: { "queries": [{ "kind", "query", "expect" }] }, where
// `expect` is the site path of the article that answers the query.

import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const CHROMIUM = process.env.KBGEN_CHROMIUM || "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Reads a query set file. */
export function loadQueries(file) {
  const set = JSON.parse(readFileSync(file, "utf8"));
  if (!Array.isArray(set.queries) || !set.queries.every((q) => q.kind && q.query && q.expect)) {
    throw new Error(`${file}: expected { "queries": [{ "kind", "query", "expect" }] }`);
  }
  return set.queries;
}

/** Waits until the results page has finished one search; returns the status text. */
export async function waitForSearch(page) {
  await page.waitForFunction(() => {
    const root = document.querySelector("[data-search-page]");
    if (root?.dataset.searchState === "done" || root?.dataset.searchState === "error") return true;
    if (root?.dataset.searchState) return false;
    // The results page before kbgen marked its state: judge by the status line.
    const status = document.querySelector("[data-search-status]")?.textContent || "";
    if (/not available/.test(status)) return true;
    if (/^No articles match/.test(status)) return true;
    return /match/.test(status) && document.querySelector(".search-result__link") !== null;
  });
  return ((await page.locator("[data-search-status]").textContent()) || "").trim();
}

/** The site path of `href` (absolute or not) under `base`. */
function sitePath(href, base) {
  const u = new URL(href, base);
  const prefix = new URL(base).pathname;
  const p = u.pathname.startsWith(prefix) ? u.pathname.slice(prefix.length) : u.pathname;
  return "/" + p.replace(/^\/+/, "");
}

const normalize = (p) => (p.endsWith("/") ? p : `${p}/`);

/**
 * Runs every query on a fresh load of the results page. Returns one row per
 * query: its rank of the expected article (0 when absent), the result count,
 * the first titles, the status line and the pagefind requests made.
 */
export async function runQueries(browser, base, queries, { verbose = false } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  let requests = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.includes("/pagefind/")) requests.push(request.url());
  });
  const rows = [];
  for (const q of queries) {
    requests = [];
    await page.goto(new URL(`search/?q=${encodeURIComponent(q.query)}`, base).href);
    const status = await waitForSearch(page);
    // Results that are still loading their excerpts do not change the order.
    const results = await page.$$eval(".search-result", (items) =>
      items.map((li) => ({
        href: li.querySelector(".search-result__link")?.getAttribute("href") || "",
        title: li.querySelector(".search-result__link")?.textContent.trim() || "",
      })),
    );
    const paths = results.map((r) => normalize(sitePath(r.href, base)));
    const rank = paths.indexOf(normalize(q.expect)) + 1;
    const fragments = requests.filter((r) => r.includes("/fragment/")).length;
    const row = {
      ...q,
      rank,
      count: results.length,
      status,
      top: results.slice(0, 3).map((r) => r.title),
      requests: requests.length - fragments,
      fragments,
    };
    rows.push(row);
    if (verbose) {
      const mark = rank === 1 ? "1st" : rank ? `#${rank}` : results.length ? "miss" : "ZERO";
      console.log(`  ${mark.padEnd(4)} [${q.kind}] ${JSON.stringify(q.query)}: ${status}`);
      if (rank !== 1) results.slice(0, 3).forEach((r, i) => console.log(`         ${i + 1}. ${r.title}`));
    }
  }
  await context.close();
  return rows;
}

/** top-1, top-3, MRR and zero-result counts, overall and per kind. */
export function summarize(rows) {
  const of = (list) => ({
    queries: list.length,
    top1: list.filter((r) => r.rank === 1).length,
    top3: list.filter((r) => r.rank >= 1 && r.rank <= 3).length,
    mrr: list.length ? list.reduce((sum, r) => sum + (r.rank ? 1 / r.rank : 0), 0) / list.length : 0,
    zero: list.filter((r) => r.count === 0).length,
    requests: list.reduce((sum, r) => sum + r.requests, 0),
    maxRequests: Math.max(0, ...list.map((r) => r.requests)),
    fragments: list.reduce((sum, r) => sum + r.fragments, 0),
    shown: list.reduce((sum, r) => sum + Math.min(r.count, 10), 0),
  });
  const kinds = [...new Set(rows.map((r) => r.kind))];
  return { all: of(rows), kinds: Object.fromEntries(kinds.map((k) => [k, of(rows.filter((r) => r.kind === k))])) };
}

/** The summary as a few aligned lines. */
export function formatSummary(summary) {
  const line = (name, s) =>
    `${name.padEnd(11)} ${String(s.queries).padStart(3)} queries  top-1 ${s.top1}/${s.queries} (${pct(s.top1, s.queries)})  ` +
    `top-3 ${s.top3}/${s.queries} (${pct(s.top3, s.queries)})  MRR ${s.mrr.toFixed(3)}  zero-result ${s.zero}  ` +
    `index requests ${(s.requests / Math.max(1, s.queries)).toFixed(1)}/search (max ${s.maxRequests}), ` +
    `fragments ${(s.fragments / Math.max(1, s.queries)).toFixed(1)}/search for ${(s.shown / Math.max(1, s.queries)).toFixed(1)} results`;
  return [line("all", summary.all), ...Object.entries(summary.kinds).map(([k, s]) => line(k, s))].join("\n");
}

const pct = (n, d) => `${d ? Math.round((100 * n) / d) : 0}%`;

async function main() {
  const args = process.argv.slice(2);
  const flag = (name) => {
    const at = args.indexOf(name);
    if (at < 0) return undefined;
    const [, value] = args.splice(at, 2);
    return value;
  };
  const verboseAt = args.indexOf("--verbose");
  const verbose = verboseAt >= 0;
  if (verbose) args.splice(verboseAt, 1);
  const jsonOut = flag("--json");
  const [base, file] = args;
  if (!base || !file) {
    console.error("usage: node quality.mjs <base-url> <queries.json> [--json out.json] [--verbose]");
    process.exit(2);
  }
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  try {
    const rows = await runQueries(browser, base.endsWith("/") ? base : `${base}/`, loadQueries(file), { verbose });
    const summary = summarize(rows);
    console.log(formatSummary(summary));
    if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ summary, rows }, null, 2));
  } finally {
    await browser.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
