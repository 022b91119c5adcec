// Headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core. The page is bundled with esbuild
// for the browser condition and served from 127.0.0.1 with a strict Content-Security-Policy: scripts from
// the page's origin only and 'wasm-unsafe-eval', so any eval / new Function in the package fails the test.
// The page is cross-origin isolated (COOP/COEP headers), so init({ threads }) can start Web Workers on shared
// memory; the CSP lets workers come from blob: URLs, which is where densa's thread script lives.

import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { chromium as playwrightChromium } from "playwright-core";
import { CHROMIUM_EXECUTABLE, CHROMIUM_LAUNCH_ARGS } from "../../helpers/chromium.mjs";
import { bundle } from "../harness/bundle.mjs";

const EXECUTABLE = CHROMIUM_EXECUTABLE;
const LAUNCH_ARGS = CHROMIUM_LAUNCH_ARGS;
const CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; worker-src 'self' blob:";
const ISOLATION = { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" };

export const chromium = {
  name: "chromium",
  expectedEntry: "dist/densa.js",
  async run({ consumerDir, timeoutMs }) {
    const pageDir = join(consumerDir, "page");
    const built = await bundle({
      entry: join(consumerDir, "app/page.mjs"),
      outfile: join(pageDir, "page.js"),
      platform: "browser",
      conditions: ["browser"],
    });
    writeFileSync(join(pageDir, "index.html"), PAGE);
    const server = await serve(pageDir);
    const browser = await playwrightChromium.launch({
      executablePath: EXECUTABLE,
      args: LAUNCH_ARGS,
      timeout: timeoutMs,
    });
    try {
      const page = await browser.newPage();
      const pageFailed = new Promise((_, reject) => {
        page.on("pageerror", (error) => reject(new Error(`page error: ${error.message}`)));
        page.on("console", (message) => {
          if (message.type() === "error") reject(new Error(`console error: ${message.text()}`));
        });
      });
      pageFailed.catch(() => {}); // raced below; keep a late rejection from going unhandled
      await page.goto(`http://127.0.0.1:${server.address().port}/`, { timeout: timeoutMs });
      const reported = page.waitForFunction(() => window.densaResult, null, { timeout: timeoutMs });
      const report = await (await Promise.race([reported, pageFailed])).jsonValue();
      // NOTE: the chunks that init({ threads, relaxedSimd }) imports on demand come from the same entry.
      return { ...report, entry: built.entries.filter((file) => !file.includes("-chunk-")).join(", ") };
    } finally {
      await browser.close();
      server.close();
      server.closeAllConnections();
    }
  },
};

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>densa smoke test</title>
<script type="module" src="page.js"></script>
<pre id="result"></pre>
`;

const FILES = { "/": ["index.html", "text/html"], "/page.js": ["page.js", "text/javascript"] };

/** A static server for the page in `dir` on a free port of 127.0.0.1 (204 for anything else, e.g. favicon). */
function serve(dir) {
  const server = createServer((request, response) => {
    const file = FILES[request.url];
    if (!file) {
      response.writeHead(204).end();
      return;
    }
    const [name, type] = file;
    response.writeHead(200, { "content-type": `${type}; charset=utf-8`, "content-security-policy": CSP, ...ISOLATION });
    response.end(readFileSync(join(dir, name)));
  });
  return new Promise((resolve, reject) => {
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}
