// Keras and TF.js formats in the browser's schemes — indexeddb://, localstorage://, downloads:// — in headless
// Chromium (Debian's /usr/bin/chromium via playwright-core), with the built package (dist/): each saved model
// loads back and predicts the same bits; downloads arrive as files that densa (in Node) opens to the same
// predictions; a File from an <input type=file> opens too. Skipped, saying so, without Chromium or dist/.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { init, loadModel, tensor } from "../../ts/index.js";
import { CHROMIUM_EXECUTABLE, CHROMIUM_LAUNCH_ARGS } from "../helpers/chromium.mjs";
import { type StaticServer, serveStatic } from "./static-server.js";

const hasChromium = existsSync(CHROMIUM_EXECUTABLE);
const built = existsSync(fileURLToPath(new URL("../../dist/densa.js", import.meta.url)));
if (!hasChromium || !built)
  console.warn(
    `SKIPPED tests/web/keras-browser.test.ts: ${!hasChromium ? `${CHROMIUM_EXECUTABLE} is missing` : "dist/ is missing (npm run build)"}`,
  );

describe.skipIf(!hasChromium || !built)("Keras and TF.js formats in browser storage (Chromium)", () => {
  let server: StaticServer;
  let browser: Browser;
  const root = mkdtempSync(join(tmpdir(), "densa-keras-page-"));
  let report: Record<string, unknown>;
  const downloads = new Map<string, Uint8Array>();

  beforeAll(async () => {
    await init();
    await esbuild.build({
      entryPoints: [fileURLToPath(new URL("./keras-page/app.mjs", import.meta.url))],
      bundle: true,
      format: "esm",
      outfile: join(root, "app.js"),
      logLevel: "silent",
    });
    writeFileSync(
      join(root, "index.html"),
      '<!doctype html><html><head><meta charset="utf-8"><script type="module" src="app.js"></script></head><body></body></html>',
    );
    server = await serveStatic(root);
    browser = await chromium.launch({
      executablePath: CHROMIUM_EXECUTABLE,
      args: CHROMIUM_LAUNCH_ARGS,
      headless: true,
      timeout: 30_000,
    });
    const page = await browser.newPage({ acceptDownloads: true });
    page.on("download", async (download) => {
      const path = join(root, `download-${download.suggestedFilename()}`);
      await download.saveAs(path);
      downloads.set(download.suggestedFilename(), new Uint8Array(readFileSync(path)));
    });
    await page.goto(server.url);
    await page.waitForFunction(() => (window as unknown as { __report?: unknown }).__report !== undefined, undefined, {
      timeout: 60_000,
    });
    report = await page.evaluate(() => (window as unknown as { __report: Record<string, unknown> }).__report);
    for (let i = 0; i < 50 && downloads.size < 3; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test("every scheme and format loads back the same predictions", () => {
    expect(report.error).toBeUndefined();
    for (const key of [
      "indexeddb://page-model",
      "indexeddb://page-model.keras",
      "localstorage://page-model",
      "localstorage://page-model.keras",
      "loadWeights indexeddb",
      "file",
    ]) {
      expect(report[key], key).toEqual(report.original);
    }
  });

  test("a missing name and loading from downloads:// are Errors that say so", () => {
    expect(report.missing).toMatch(/no model named "nothing-here" in indexeddb:\/\//);
    expect(report.downloadsLoad).toMatch(/downloads:\/\/ saves only/);
  });

  test("downloads arrive as files: page-model.keras, page-tfjs.json + page-tfjs.weights.bin, which densa opens in Node", async () => {
    expect([...downloads.keys()].sort()).toEqual(["page-model.keras", "page-tfjs.json", "page-tfjs.weights.bin"]);
    const x = tensor(
      Float32Array.from({ length: 24 }, (_, i) => Math.fround((i % 7) / 3 - 1)),
      [4, 6],
    );
    const keras = await loadModel(downloads.get("page-model.keras")!);
    expect(Array.from(keras.predict(x).data)).toEqual(report.original);
    const json = JSON.parse(new TextDecoder().decode(downloads.get("page-tfjs.json")!));
    const tfjs = await loadModel({ modelJson: json, weights: downloads.get("page-tfjs.weights.bin")! });
    expect(Array.from(tfjs.predict(x).data)).toEqual(report.original);
    keras.dispose();
    tfjs.dispose();
  });
});
