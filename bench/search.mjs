// Benchmark of the search's transfer: serves a built site, runs one-word searches in
// headless Chromium and prints the bytes fetched for each (the script, the index files and
// the result entries; not the page itself). Needs `npm ci` in tests/browser.
//
//   node bench/search.mjs SITE_DIR WORD...
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(new URL("../tests/browser/package.json", import.meta.url));
const puppeteer = require("puppeteer-core");
const [dir, ...words] = process.argv.slice(2);
const server = http.createServer((req, res) => {
  let p = decodeURIComponent(new URL(req.url, "http://x").pathname);
  if (p.endsWith("/")) p += "index.html";
  const file = path.join(dir, p);
  if (!file.startsWith(path.resolve(dir)) || !fs.existsSync(file)) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200).end(fs.readFileSync(file));
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
for (const word of words) {
  const page = await browser.newPage();
  const sizes = new Map();
  page.on("response", async (r) => {
    const url = r.url();
    if (url.endsWith(".js") || url.includes("/search/")) {
      try { sizes.set(url, (await r.buffer()).length); } catch { /* redirects have no body */ }
    }
  });
  await page.goto(origin + "/", { waitUntil: "load" });
  const t = Date.now();
  await page.$eval("#finder-q", (q, w) => { q.value = w; q.dispatchEvent(new Event("input")); }, word);
  await page.waitForFunction(() => document.querySelector(".finder-status").textContent, { timeout: 30000 });
  await new Promise((r) => setTimeout(r, 500));
  const found = await page.$eval(".finder-status", (s) => s.textContent);
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  console.log(`"${word}": ${(total / 1024).toFixed(1)} KB in ${sizes.size} files, ` +
    `${Date.now() - t} ms to results; ${found}`);
  await page.close();
}
await browser.close();
server.close();
