// Bundle size of a small browser app per library (bench/apps/*.mjs): esbuild --bundle --splitting --minify
// --format=esm --platform=browser through its JS API, then gzip -9 (node:zlib); densa's apps also with Rollup
// (what Vite's production build runs), each output file minified by esbuild as Vite does (sizeOfAppRollup). Code an app loads with import()
// only when it needs it (densa's Keras file readers) lands in chunks of its own: `jsGzip` is what the page
// loads at start, `lazyGzip` what it fetches on first use; an app that uses them pays both. WebAssembly a library fetches at run time
// (instead of inlining it, as densa does) is gzipped and added, because the browser downloads it too.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import { rollup } from "rollup";

const root = new URL("../", import.meta.url);
/** The built package's browser entries, by the specifier an app imports. */
const densaBundles = { densa: new URL("dist/densa.js", root), "densa/infer": new URL("dist/densa-infer.js", root) };
// NOTE: a browser without cross-origin isolation (no SharedArrayBuffer) but with SIMD — every current one by
// default — loads this variant of the three .wasm files tfjs-backend-wasm ships.
const tfjsWasm = new URL("node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm", root);

/**
 * densa's training apps in both styles: as Keras users write them (`layers.Dense`, the namespace) and with
 * named imports (`import { Dense } from "densa"`). NOTE: esbuild keeps a re-exported namespace whole (esbuild
 * issue 1420), so the namespace style carries every layer class there; Rollup (Vite) and webpack shake it.
 */
export const trainingApps = [
  { name: "Sequential", namespace: "densa-train.mjs", named: "densa-train-named.mjs" },
  { name: "Functional", namespace: "densa-functional-train.mjs", named: "densa-functional-train-named.mjs" },
];

/** The apps to size: a predict-only app and a training app per library, plus files they fetch. */
export const bundleTargets = [
  {
    name: "densa",
    predict: "densa-predict.mjs",
    train: "densa-train.mjs",
    kerasPredict: "densa-keras-predict.mjs",
    fetched: [],
  },
  { name: "tfjs-wasm", predict: "tfjs-predict.mjs", train: "tfjs-train.mjs", fetched: [tfjsWasm] },
  {
    name: "tfjs-wasm (core+layers only)",
    predict: "tfjs-slim-predict.mjs",
    train: "tfjs-slim-train.mjs",
    fetched: [tfjsWasm],
  },
  { name: "brain.js", predict: "brain-predict.mjs", train: "brain-train.mjs", fetched: [] },
];

/** Resolves "densa" and "densa/infer" to the built package's browser entries, as a bundler would. */
const densaResolver = {
  name: "densa-package",
  setup(build) {
    build.onResolve({ filter: /^densa(\/infer)?$/ }, (args) => {
      const bundle = densaBundles[args.path];
      if (!existsSync(bundle)) {
        return { errors: [{ text: `${bundle.pathname.split("/").slice(-2).join("/")} missing (npm run build)` }] };
      }
      return { path: decodeURIComponent(bundle.pathname) };
    });
  },
};

const gzipLength = (bytes) => gzipSync(bytes, { level: 9 }).length;

/**
 * { jsBytes, jsGzip, fetchedGzip, totalGzip, lazyGzip, lazyByImport, startCode } of one app, or { failure };
 * `startCode` is the minified code the page loads at start (tests look for what must not be in it). `lazyByImport`
 * says what each import() target costs when it loads: its file and the chunks it imports that the page does not
 * have yet, by the name of the library file it comes from (e.g. "densa-infer-keras-artifacts": the Keras readers).
 */
export async function sizeOfApp(appFile, fetched) {
  // NOTE: splitting needs an output directory; nothing is written (write: false), it only names the chunks.
  const outdir = mkdtempSync(join(tmpdir(), "densa-bundle-size-"));
  try {
    const result = await esbuild.build({
      entryPoints: [decodeURIComponent(new URL(`apps/${appFile}`, import.meta.url).pathname)],
      bundle: true,
      splitting: true,
      outdir,
      metafile: true,
      minify: true,
      format: "esm",
      platform: "browser",
      write: false,
      logLevel: "silent",
      plugins: [densaResolver],
    });
    const outputs = result.metafile.outputs;
    const entry = Object.keys(outputs).find((key) => outputs[key].entryPoint?.endsWith(`apps/${appFile}`));
    const startup = staticClosure(outputs, entry);
    const gzipByName = new Map(
      result.outputFiles.map((file) => [file.path.slice(outdir.length + 1), gzipLength(file.contents)]),
    );
    let jsBytes = 0,
      jsGzip = 0,
      lazyGzip = 0,
      startCode = "";
    for (const file of result.outputFiles) {
      const name = file.path.slice(outdir.length + 1);
      if (startup.has(name)) {
        jsBytes += file.contents.length;
        jsGzip += gzipByName.get(name);
        startCode += file.text;
      } else lazyGzip += gzipByName.get(name);
    }
    const lazyByImport = {};
    for (const [key, output] of Object.entries(outputs)) {
      if (!output.entryPoint || key === entry || !key.endsWith(".js")) continue;
      const name = output.entryPoint
        .split("/")
        .pop()
        .replace(/\.[^.]+$/, "");
      lazyByImport[name] = [...staticClosure(outputs, key)]
        .filter((file) => !startup.has(file))
        .reduce((sum, file) => sum + gzipByName.get(file), 0);
    }
    const fetchedGzip = fetched.reduce((sum, file) => sum + gzipLength(readFileSync(file)), 0);
    return { jsBytes, jsGzip, fetchedGzip, totalGzip: jsGzip + fetchedGzip, lazyGzip, lazyByImport, startCode };
  } catch (error) {
    return { failure: error?.errors?.[0]?.text ?? `${error}`.split("\n")[0] };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * The "densa" package as Rollup sees it through @rollup/plugin-node-resolve: "densa" and "densa/infer" are the
 * built ESM entries, and package.json's "sideEffects": false holds for every file of dist/.
 * NOTE: a resolver of its own: the node-resolve plugin is not among the dev dependencies.
 */
const densaRollupResolver = {
  name: "densa-package",
  resolveId(source) {
    if (!(source in densaBundles)) return null;
    const bundle = densaBundles[source];
    if (!existsSync(bundle))
      throw new Error(`${bundle.pathname.split("/").slice(-2).join("/")} missing (npm run build)`);
    return { id: decodeURIComponent(bundle.pathname), moduleSideEffects: false };
  },
};
const distDirectory = decodeURIComponent(new URL("dist/", root).pathname);

/**
 * What `sizeOfApp` reports, for a Rollup build (output.format "es", import() chunks apart, as Vite builds an
 * app), each chunk minified with esbuild. `jsGzip` is the app's chunk and the chunks it imports statically.
 */
export async function sizeOfAppRollup(appFile, fetched) {
  try {
    const build = await rollup({
      input: decodeURIComponent(new URL(`apps/${appFile}`, import.meta.url).pathname),
      plugins: [densaRollupResolver],
      external: [/^node:/],
      // NOTE: files of dist/ are side-effect free as package.json says; the app itself is not.
      treeshake: { moduleSideEffects: (id) => !id.startsWith(distDirectory) },
      onwarn: () => {},
    });
    const { output } = await build.generate({ format: "es", chunkFileNames: "[name]-[hash].js" });
    await build.close();
    const gzipByName = new Map();
    for (const chunk of output) {
      if (chunk.type !== "chunk") continue;
      const { code } = await esbuild.transform(chunk.code, { minify: true, format: "esm", target: "es2022" });
      gzipByName.set(chunk.fileName, { code, bytes: Buffer.byteLength(code), gzip: gzipLength(Buffer.from(code)) });
    }
    const chunks = new Map(output.filter((item) => item.type === "chunk").map((chunk) => [chunk.fileName, chunk]));
    const closure = (from) => {
      const needed = new Set(),
        queue = [from];
      while (queue.length) {
        const name = queue.pop();
        if (needed.has(name)) continue;
        needed.add(name);
        queue.push(...chunks.get(name).imports.filter((file) => chunks.has(file)));
      }
      return needed;
    };
    const entry = [...chunks.values()].find((chunk) => chunk.isEntry).fileName;
    const startup = closure(entry);
    let jsBytes = 0,
      jsGzip = 0,
      lazyGzip = 0,
      startCode = "";
    for (const [name, size] of gzipByName) {
      if (startup.has(name)) {
        jsBytes += size.bytes;
        jsGzip += size.gzip;
        startCode += size.code;
      } else lazyGzip += size.gzip;
    }
    const fetchedGzip = fetched.reduce((sum, file) => sum + gzipLength(readFileSync(file)), 0);
    return { jsBytes, jsGzip, fetchedGzip, totalGzip: jsGzip + fetchedGzip, lazyGzip, startCode };
  } catch (error) {
    return { failure: `${error?.message ?? error}`.split("\n")[0] };
  }
}

/** The training apps of `trainingApps`, each in both styles and with both bundlers (start gzip, as jsGzip). */
export async function measureTrainingStyles() {
  const rows = [];
  for (const app of trainingApps) {
    for (const style of ["namespace", "named"]) {
      rows.push({
        app: app.name,
        style,
        file: app[style],
        esbuild: await sizeOfApp(app[style], []),
        rollup: await sizeOfAppRollup(app[style], []),
      });
    }
  }
  return rows;
}

/** Output files (relative names) of an output and of every chunk it imports statically, transitively. */
function staticClosure(outputs, from) {
  const byName = (path) => Object.keys(outputs).find((key) => key.endsWith(`/${path.split("/").pop()}`));
  // NOTE: every import() target is an entry point of esbuild's split build too; a page starts from the app's.
  const needed = new Set(),
    queue = [from];
  while (queue.length) {
    const key = queue.pop();
    if (!key || needed.has(key)) continue;
    needed.add(key);
    for (const imported of outputs[key].imports)
      if (imported.kind === "import-statement") queue.push(byName(imported.path));
  }
  return new Set([...needed].filter((key) => key.endsWith(".js")).map((key) => key.split("/").pop()));
}

export async function measureBundles(names) {
  const sizes = new Map();
  for (const target of bundleTargets) {
    if (names && !names.some((name) => target.name.startsWith(name))) continue;
    sizes.set(target.name, {
      predict: await sizeOfApp(target.predict, target.fetched),
      train: await sizeOfApp(target.train, target.fetched),
      ...(target.kerasPredict ? { kerasPredict: await sizeOfApp(target.kerasPredict, target.fetched) } : {}),
      ...(target.name === "densa" ? { trainingStyles: await measureTrainingStyles() } : {}),
    });
  }
  return sizes;
}
