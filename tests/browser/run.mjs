// Browser checks of the default theme, run by tests/it/browser.rs (and so by .ci/run).
//
//   node run.mjs --out DIR [--screenshots] NAME=SITE_DIR...
//
// For each built site: serves it on a loopback port, loads one page of every type in headless
// Chromium in light and dark colour schemes, injects axe-core and fails on any WCAG 2.2 AA
// violation, fails on any request that leaves the loopback server, checks the sector filter
// and the full-text search by keyboard (on the reference site: a phrase ranks first, and a
// Russian word finds the translated session in another inflected form), and that with
// JavaScript disabled every session is reached by plain links and every link resolves, and
// that the embeddable timeline, framed by a page of another origin, takes the height of its
// content. Then runs the Nu HTML Checker over every HTML file. Screenshots of
// the timeline and a session page at 375 and 1280 px go to DIR. Exits non-zero on failure.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const VNU = require.resolve("vnu-jar/build/dist/vnu.jar");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

const args = process.argv.slice(2);
let out = "target/screenshots";
let shots = false;
const sites = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--out") out = args[++i];
  else if (args[i] === "--screenshots") shots = true;
  else {
    const [name, dir] = args[i].split("=");
    sites.push({ name, dir: path.resolve(dir) });
  }
}
const failures = [];
const fail = (msg) => {
  failures.push(msg);
  console.error("FAIL " + msg);
};

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".json": "application/json", ".xml": "application/xml", ".svg": "image/svg+xml",
  ".png": "image/png", ".jpg": "image/jpeg", ".ics": "text/calendar", ".csv": "text/csv",
};

function serve(dir) {
  const server = http.createServer((req, res) => {
    let p = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (p.endsWith("/")) p += "index.html";
    const file = path.join(dir, p);
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404, { "content-type": TYPES[".html"] });
      res.end(fs.existsSync(path.join(dir, "404.html")) ? fs.readFileSync(path.join(dir, "404.html")) : "");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "text/plain; charset=utf-8" });
    res.end(fs.readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

function walk(dir, acc = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, acc);
    else acc.push(p);
  }
  return acc;
}

/** One page of every type the site has: path below the root. */
function pagesOf(dir) {
  const has = (p) => fs.existsSync(path.join(dir, p));
  const first = (sub) => {
    if (!has(sub)) return null;
    const names = fs.readdirSync(path.join(dir, sub), { withFileTypes: true })
      .filter((e) => e.isDirectory() && has(`${sub}/${e.name}/index.html`))
      .map((e) => e.name)
      .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
    return names;
  };
  const sessions = first("sessions") || [];
  const pages = ["", "sectors/", "commitments/", "data/", "404.html"];
  if (has("print/index.html")) pages.push("print/");
  if (has("changes/index.html")) pages.push("changes/");
  const years = first("years") || [];
  if (years.length) {
    pages.push(`years/${years[0]}/`);
    if (has(`years/${years[0]}/print/index.html`)) pages.push(`years/${years[0]}/print/`);
  }
  const pick = (list, n) => list.filter((_, i) => i === 0 || i === n || i === list.length - 1);
  for (const s of pick(sessions, 4)) pages.push(`sessions/${s}/`);
  for (const s of (first("sectors") || []).slice(0, 1)) pages.push(`sectors/${s}/`);
  for (const s of (first("commitments") || []).slice(0, 1)) pages.push(`commitments/${s}/`);
  if (has("embed/index.html")) pages.push("embed/");
  for (const s of (first("embed/sectors") || []).slice(0, 1)) pages.push(`embed/sectors/${s}/`);
  // Each further language (ru/, hi/, …): the same page types, translated sessions and
  // untranslated ones (shown in the original language) alike.
  const languages = fs.readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^[a-z]{2,3}$/.test(e.name) && has(`${e.name}/index.html`))
    .map((e) => e.name);
  for (const lang of languages) {
    for (const p of pages.filter((p) => !p.includes("print/"))) {
      if (has(`${lang}/${p}` + (p === "" || p.endsWith("/") ? "index.html" : ""))) pages.push(`${lang}/${p}`);
    }
  }
  return [...new Set(pages)];
}

async function newPage(browser, origin) {
  const page = await browser.newPage();
  page.on("request", (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith("data:")) fail(`external request to ${u} from ${page.url()}`);
  });
  page.on("pageerror", (e) => fail(`script error on ${page.url()}: ${e.message}`));
  return page;
}

async function axe(page, label) {
  await page.addScriptTag({ path: AXE });
  // The print page of a large site repeats one template hundreds of times, and axe's
  // contrast rule takes most of a minute over it: check its first 30 sessions (the Nu HTML
  // Checker still reads all of it).
  const result = await page.evaluate(
    (tags) => window.axe.run(
      { include: [document], exclude: [".print-session:nth-of-type(n+31)"] },
      { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] },
    ),
    TAGS,
  );
  for (const v of result.violations) {
    const where = v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " " + (n.failureSummary || "").replace(/\s+/g, " ")).join(" | ");
    fail(`axe ${label}: ${v.id} (${v.impact}) ${v.help}: ${where}`);
  }
}

async function checkAxe(browser, origin, name, dir) {
  const page = await newPage(browser, origin);
  await page.setViewport({ width: 1280, height: 900 });
  for (const scheme of ["light", "dark"]) {
    await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
    for (const p of pagesOf(dir)) {
      const t = Date.now();
      const res = await page.goto(origin + "/" + p, { waitUntil: "load" });
      if (!res || (res.status() !== 200 && p !== "404.html")) fail(`${name} /${p}: HTTP ${res && res.status()}`);
      await axe(page, `${name} /${p} ${scheme}`);
      if (process.env.VERBOSE) console.log(`    axe /${p} ${scheme} ${Date.now() - t} ms`);
    }
  }
  await page.close();
}

// The sessions the search results list, by ordinal, in order.
async function results(page) {
  return page.$$eval("#finder-results a", (as) =>
    as.map((a) => (a.getAttribute("href").match(/sessions\/(\d+)\/$/) || [])[1]).filter(Boolean));
}

// Waits until the results answer what was typed or chosen (the script waits 150 ms first).
async function settle(page) {
  await page.waitForFunction(() => {
    const s = document.querySelector(".finder-status");
    return s && s.textContent;
  }, { timeout: 10000 });
  await new Promise((r) => setTimeout(r, 400));
}

async function checkKeyboard(browser, origin, name, sessions) {
  const page = await newPage(browser, origin);
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(origin + "/", { waitUntil: "load" });
  if (await page.$eval("#finder", (f) => f.hidden)) fail(`${name}: the finder stays hidden with JavaScript`);
  // Keyboard only: tab from the top of the page to the sector list.
  let focused = "";
  for (let i = 0; i < 40 && focused !== "finder-sector"; i++) {
    await page.keyboard.press("Tab");
    focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
  }
  if (focused !== "finder-sector") return fail(`${name}: the sector filter is not reachable by Tab`);
  await page.keyboard.press("ArrowDown");
  const slug = await page.$eval("#finder-sector", (s) => s.value);
  if (!slug) return fail(`${name}: ArrowDown does not choose a sector`);
  await settle(page);
  const withSector = sessions.filter((e) => e.sectors.includes(slug)).map((e) => String(e.ordinal));
  const listed = await results(page);
  const newest = [...withSector].reverse().slice(0, 20);
  if (listed.join() !== newest.join()) fail(`${name}: sector ${slug} lists ${listed} instead of ${newest}`);
  if (!page.url().includes("sector=" + encodeURIComponent(slug))) fail(`${name}: sector not in the URL ${page.url()}`);
  const status = await page.$eval(".finder-status", (s) => s.textContent);
  if (!status.includes(String(withSector.length))) fail(`${name}: status says "${status}"`);
  // With a sector chosen, a search lists only that sector's sessions.
  // Past the year and status lists, when the page has them.
  for (let i = 0; i < 3 && focused !== "finder-q"; i++) {
    await page.keyboard.press("Tab");
    focused = await page.evaluate(() => document.activeElement.id);
  }
  if (focused !== "finder-q") return fail(`${name}: Tab from the sector list does not reach the search`);
  const target = sessions.find((e) => e.sectors.includes(slug) && e.word);
  if (target) {
    await page.keyboard.type(target.word);
    await settle(page);
    const found = await results(page);
    // Twenty results show; a common word may rank the target lower (recall and ranking are
    // checked on the reference site).
    if (!found.includes(String(target.ordinal)) && found.length < 20) fail(`${name}: searching "${target.word}" in ${slug} does not find session ${target.ordinal} (${found})`);
    if (!found.length) fail(`${name}: searching "${target.word}" in ${slug} lists nothing`);
    if (found.some((o) => !withSector.includes(o))) fail(`${name}: searching in ${slug} lists sessions of other sectors (${found})`);
    if (!page.url().includes("q=" + encodeURIComponent(target.word))) fail(`${name}: search not in the URL ${page.url()}`);
  }
  // A year chosen instead lists that year's sessions only.
  const years = await page.$$eval("#finder-year option", (os) => os.map((o) => o.value).filter(Boolean));
  if (years.length) {
    await page.$eval("#finder-q", (q) => { q.value = ""; });
    await page.select("#finder-sector", "");
    await page.select("#finder-year", years[0]);
    await settle(page);
    const inYear = sessions.filter((e) => e.year === years[0]).map((e) => String(e.ordinal));
    const listed = await results(page);
    if (!listed.length || listed.some((o) => !inYear.includes(o))) fail(`${name}: year ${years[0]} lists ${listed}, not only ${inYear}`);
  }
  // The state in the URL is restored on load.
  await page.goto(`${origin}/?sector=${slug}`, { waitUntil: "load" });
  await settle(page);
  const restored = await results(page);
  if (restored.join() !== newest.join()) fail(`${name}: ?sector=${slug} restores ${restored}`);
  if ((await page.$eval("#finder-sector", (s) => s.value)) !== slug) fail(`${name}: ?sector= not shown in the control`);
  await page.close();
  return sessions.length;
}

// Searches `query` on the home page at `prefix` and returns the ordinals listed.
async function search(browser, origin, prefix, query) {
  const page = await newPage(browser, origin);
  await page.goto(`${origin}/${prefix}`, { waitUntil: "load" });
  await page.$eval("#finder-q", (q, text) => {
    q.value = text;
    q.dispatchEvent(new Event("input"));
  }, query);
  await settle(page);
  const found = await results(page);
  await page.close();
  return found;
}

async function checkReferenceSearch(browser, origin, name) {
  const phrase = await search(browser, origin, "", "wind tunnel");
  if (phrase[0] !== "11") fail(`${name}: "wind tunnel" lists ${phrase}, not session 11 first`);
  // The translation says «аэродинамическая труба»; another case of both words finds it.
  const ru = await search(browser, origin, "ru/", "аэродинамической трубы");
  if (!ru.includes("11")) fail(`${name}: /ru/ "аэродинамической трубы" lists ${ru}, not session 11`);
  const none = await search(browser, origin, "", "the of and");
  if (none.length) fail(`${name}: a query of stop words lists ${none}`);
  const hostile = await search(browser, origin, "", "(.*[".repeat(2500));
  if (hostile.length) fail(`${name}: a hostile query lists ${hostile}`);
}

// Every session page reached from the home page by following links in the HTML files,
// as a reader without JavaScript would.
function reachable(dir) {
  const seen = new Set();
  const queue = ["/"];
  while (queue.length) {
    const href = queue.shift().split("#")[0].split("?")[0];
    if (seen.has(href)) continue;
    seen.add(href);
    const file = path.join(dir, href.endsWith("/") ? href + "index.html" : href);
    if (!file.endsWith(".html") || !fs.existsSync(file)) continue;
    for (const m of fs.readFileSync(file, "utf8").matchAll(/href="(\/[^"]*)"/g)) {
      if (!m[1].startsWith("//") && !/^\/[a-z]{2,3}\//.test(m[1])) queue.push(m[1]);
    }
  }
  return seen;
}

async function checkNoScript(browser, origin, name, dir, sessions) {
  const page = await newPage(browser, origin);
  await page.setJavaScriptEnabled(false);
  await page.setViewport({ width: 1280, height: 900 });
  const links = new Set();
  for (const p of pagesOf(dir)) {
    await page.goto(origin + "/" + p, { waitUntil: "load" });
    if (p === "") {
      if (!(await page.$eval("#finder", (f) => f.hidden))) fail(`${name}: the finder shows without JavaScript`);
    }
    for (const h of await page.$$eval("a[href]", (as) => as.map((a) => a.href))) links.add(h.split("#")[0]);
  }
  const reached = reachable(dir);
  const missed = sessions.filter((s) => !reached.has(`/sessions/${s.ordinal}/`)).map((s) => s.ordinal);
  if (missed.length) fail(`${name}: without JavaScript, sessions ${missed.slice(0, 10)} are not reached from the home page`);
  for (const href of links) {
    if (!href.startsWith(origin)) continue;
    const r = await fetch(href);
    if (r.status !== 200) fail(`${name}: link ${href} answers ${r.status}`);
  }
  await page.close();
}

async function screenshots(browser, origin, name, dir) {
  fs.mkdirSync(out, { recursive: true });
  const page = await newPage(browser, origin);
  for (const width of [375, 1280]) {
    await page.setViewport({ width, height: 900 });
    for (const scheme of ["light", "dark"]) {
      await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
      for (const [label, p] of [["timeline", ""], ["session", "sessions/11/"], ["pending-session", "sessions/1/"]]) {
        await page.goto(origin + "/" + p, { waitUntil: "load" });
        const file = path.join(out, `${name}-${label}-${width}-${scheme}.png`);
        await page.screenshot({ path: file, fullPage: true });
        if (label === "timeline") {
          // The start of the timeline itself, at full resolution, for review.
          const top = await page.$eval("#sessions", (h) => h.getBoundingClientRect().top + window.scrollY);
          const clip = { x: 0, y: Math.max(0, top - 16), width, height: 1100 };
          await page.screenshot({ path: file.replace("-timeline-", "-timeline-start-"), clip, captureBeyondViewport: true });
        }
      }
    }
  }
  // The print page on A4: nothing wider than the printable width, and a PDF for review.
  await page.emulateMediaType("print");
  await page.setViewport({ width: 680, height: 960 });
  const printPage = fs.existsSync(path.join(dir, "print/index.html")) ? "/print/"
    : "/" + pagesOf(dir).find((p) => p.endsWith("print/"));
  await page.goto(origin + printPage, { waitUntil: "load" });
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  if (w > 680) fail(`${name} ${printPage}: ${w} px wide on A4`);
  await page.screenshot({ path: path.join(out, `${name}-print-a4.png`), clip: { x: 0, y: 0, width: 680, height: 1900 } });
  await page.pdf({ path: path.join(out, `${name}-print.pdf`), preferCSSPageSize: true, printBackground: false });
  await page.close();
}

// The embeddable timeline framed by a page of another origin, as a news site would: the
// frame takes the height of its content, and follows it when the content grows; with
// `?sector=` it shows that sector's embed.
async function checkEmbed(browser, origin, name, index) {
  const host = http.createServer((req, res) => {
    const sector = new URL(req.url, "http://x").searchParams.get("sector");
    const src = `${origin}/embed/` + (sector ? `?sector=${encodeURIComponent(sector)}` : "");
    res.writeHead(200, { "content-type": TYPES[".html"] });
    res.end(`<!DOCTYPE html><html lang="en"><title>Host</title><p>An article.</p>` +
      `<iframe src="${src}" title="Timeline" style="width:100%;height:150px;border:0"></iframe>` +
      `<script src="${origin}/embed-parent.js" data-origin="${origin}"></script><p>After.</p>`);
  });
  await new Promise((ok) => host.listen(0, "127.0.0.1", ok));
  const hostOrigin = `http://127.0.0.1:${host.address().port}`;
  const page = await browser.newPage();
  page.on("request", (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith(hostOrigin)) fail(`${name} embed: request to ${r.url()}`);
  });
  const frameOf = () => page.frames().find((f) => f.url().includes("/embed/"));
  const heights = async () => {
    const frame = frameOf();
    const inner = await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
    const outer = await page.$eval("iframe", (f) => f.getBoundingClientRect().height);
    return { inner, outer };
  };
  const follows = async (what) => {
    for (let i = 0; i < 50; i++) {
      const h = await heights();
      if (Math.abs(h.inner - h.outer) <= 1 && h.outer > 150) return h;
      await new Promise((ok) => setTimeout(ok, 100));
    }
    const h = await heights();
    fail(`${name} embed ${what}: frame ${h.outer} px for content of ${h.inner} px`);
    return h;
  };
  await page.goto(hostOrigin + "/", { waitUntil: "networkidle0" });
  const before = await follows("on load");
  await frameOf().evaluate(() => {
    const p = document.createElement("p");
    p.style.height = "700px";
    p.textContent = "grown";
    document.querySelector("main").append(p);
  });
  const after = await follows("after its content grew");
  if (!(after.outer >= before.outer + 690)) fail(`${name} embed: ${before.outer} -> ${after.outer} px after growing`);
  const sectored = index.find((s) => s.sectors.length);
  if (sectored) {
    const slug = sectored.sectors[0];
    await page.goto(`${hostOrigin}/?sector=${slug}`, { waitUntil: "networkidle0" });
    const frame = frameOf();
    if (!frame.url().endsWith(`/embed/sectors/${slug}/`)) fail(`${name} embed ?sector=${slug}: at ${frame.url()}`);
    const shown = await frame.$$eval("ol.timeline > li", (l) => l.map((x) => x.dataset.sectors.split(" ")));
    if (!shown.length || shown.some((x) => !x.includes(slug))) fail(`${name} embed ?sector=${slug}: ${JSON.stringify(shown)}`);
    await follows("of one sector");
  }
  await page.close();
  host.close();
}

// Horizontal overflow at the narrowest width is a layout bug.
async function checkOverflow(browser, origin, name, dir) {
  const page = await newPage(browser, origin);
  await page.setViewport({ width: 320, height: 800 });
  for (const p of pagesOf(dir)) {
    await page.goto(origin + "/" + p, { waitUntil: "load" });
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    if (w > 320) fail(`${name} /${p}: ${w} px wide at a 320 px viewport`);
  }
  await page.close();
}

function vnu(dir, name) {
  let json;
  try {
    json = execFileSync("java", ["-jar", VNU, "--errors-only", "--skip-non-html", "--format", "json", dir], {
      encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20,
    });
  } catch (e) {
    json = e.stderr || e.stdout;
    if (!json) return fail(`${name}: vnu did not run: ${e.message}`);
  }
  const start = json.indexOf("{");
  const messages = start >= 0 ? JSON.parse(json.slice(start)).messages : [];
  for (const m of messages.filter((m) => m.type === "error" || m.type === "non-document-error")) {
    fail(`vnu ${name} ${m.url.replace("file:" + dir, "")}:${m.lastLine}: ${m.message}`);
  }
  console.log(`vnu ${name}: ${walk(dir).filter((f) => f.endsWith(".html")).length} HTML files checked`);
}

const started = Date.now();
// A fresh profile for each run, removed afterwards.
const profile = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR || "/tmp"), "pactline-chromium-"));
const browser = await puppeteer.launch({
  executablePath: CHROMIUM,
  headless: true,
  userDataDir: profile,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
});
try {
  for (const { name, dir } of sites) {
    const server = await serve(dir);
    const origin = `http://127.0.0.1:${server.address().port}`;
    // Each session with its sectors and, when it has one, a long word of the start of its notes.
    const timeline = JSON.parse(fs.readFileSync(path.join(dir, "timeline.json"), "utf8"));
    const index = timeline.sessions.map((s) => ({
      ordinal: s.session,
      sectors: s.sectors.map((x) => x.slug),
      year: s.date ? s.date.slice(0, 4) : "undated",
      word: ((s.body_text || "").slice(0, 2000).match(/\b[a-z]{9,}\b/i) || [""])[0].toLowerCase(),
    }));
    let t = Date.now();
    const step = (what) => {
      console.log(`  ${name}: ${what} ${((Date.now() - t) / 1000).toFixed(1)} s`);
      t = Date.now();
    };
    await checkAxe(browser, origin, name, dir);
    step("axe-core, light and dark");
    const total = await checkKeyboard(browser, origin, name, index);
    step("keyboard filter and search");
    if (fs.existsSync(path.join(dir, "ru/search/meta.json")) && name === "reference") {
      await checkReferenceSearch(browser, origin, name);
      step("phrase, Russian and hostile searches");
    }
    await checkNoScript(browser, origin, name, dir, index);
    step("without JavaScript, links");
    await checkOverflow(browser, origin, name, dir);
    step("320 px");
    if (fs.existsSync(path.join(dir, "embed/index.html"))) {
      await checkEmbed(browser, origin, name, index);
      step("framed embed");
    }
    if (shots && name === sites[0].name) await screenshots(browser, origin, name, dir);
    step("screenshots");
    server.close();
    console.log(`browser ${name}: ${pagesOf(dir).length} page types, ${total} sessions`);
  }
} finally {
  await browser.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
for (const { name, dir } of sites) {
  const t = Date.now();
  vnu(dir, name);
  console.log(`  ${name}: vnu ${((Date.now() - t) / 1000).toFixed(1)} s`);
}
console.log(`browser checks: ${failures.length} failures in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failures.length ? 1 : 0);
