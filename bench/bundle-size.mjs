// Bundle size of a small browser app per library (bench/apps/*.mjs): esbuild --bundle --splitting --minify
// --format=esm --platform=browser through its JS API, then gzip -9 (node:zlib). Code an app loads with import()
// only when it needs it (densa's Keras file readers) lands in chunks of its own: `jsGzip` is what the page
// loads at start, `lazyGzip` what it fetches on first use; an app that uses them pays both. WebAssembly a library fetches at run time
// (instead of inlining it, as densa does) is gzipped and added, because the browser downloads it too.
import { existsSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";

const root = new URL("../", import.meta.url);
/** The built package's browser entries, by the specifier an app imports. */
const densaBundles = { densa: new URL("dist/densa.js", root), "densa/infer": new URL("dist/densa-infer.js", root) };
// NOTE: a browser without cross-origin isolation (no SharedArrayBuffer) but with SIMD — every current one by
// default — loads this variant of the three .wasm files tfjs-backend-wasm ships.
const tfjsWasm = new URL("node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm", root);

/** The apps to size: a predict-only app and a training app per library, plus files they fetch. */
export const bundleTargets = [
  { name: "densa", predict: "densa-predict.mjs", train: "densa-train.mjs", kerasPredict: "densa-keras-predict.mjs", fetched: [] },
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

/** { jsBytes, jsGzip, lazyGzip, fetchedGzip, totalGzip } of one app, or { failure }. */
export async function sizeOfApp(appFile, fetched) {
  try {
    const result = await esbuild.build({
      entryPoints: [decodeURIComponent(new URL(`apps/${appFile}`, import.meta.url).pathname)],
      bundle: true,
      splitting: true,
      minify: true,
      format: "esm",
      platform: "browser",
      outdir: "/virtual-out",
      write: false,
      metafile: true,
      logLevel: "silent",
      plugins: [densaResolver],
    });
    // What loads at start: the entry and every chunk it imports statically, transitively; the rest is lazy.
    const outputs = result.metafile.outputs;
    const entryKey = Object.keys(outputs).find((key) => outputs[key].entryPoint);
    const initial = new Set([entryKey]);
    for (const key of initial) for (const imported of outputs[key].imports) if (imported.kind === "import-statement") initial.add(imported.path);
    const baseName = (path) => path.slice(path.lastIndexOf("/") + 1);
    const contents = new Map(result.outputFiles.map((file) => [baseName(file.path), file.contents]));
    for (const key of Object.keys(outputs)) contents.set(key, contents.get(baseName(key)));
    const sizeOf = (keys) => keys.reduce((sum, key) => sum + gzipLength(contents.get(key)), 0);
    const jsBytes = [...initial].reduce((sum, key) => sum + contents.get(key).length, 0);
    const fetchedGzip = fetched.reduce((sum, file) => sum + gzipLength(readFileSync(file)), 0);
    const jsGzip = sizeOf([...initial]);
    const lazyGzip = sizeOf(Object.keys(outputs).filter((key) => !initial.has(key)));
    return { jsBytes, jsGzip, lazyGzip, fetchedGzip, totalGzip: jsGzip + fetchedGzip };
  } catch (error) {
    return { failure: error?.errors?.[0]?.text ?? `${error}`.split("\n")[0] };
  }
}

export async function measureBundles(names) {
  const sizes = new Map();
  for (const target of bundleTargets) {
    if (names && !names.some((name) => target.name.startsWith(name))) continue;
    sizes.set(target.name, {
      predict: await sizeOfApp(target.predict, target.fetched),
      train: await sizeOfApp(target.train, target.fetched),
      ...(target.kerasPredict ? { kerasPredict: await sizeOfApp(target.kerasPredict, target.fetched) } : {}),
    });
  }
  return sizes;
}
