// Vite-side: bundles digits and iris from data/ into the page as a virtual module, `virtual:densa-datasets`.
// The page stays static files only (no fetch of data/ at run time, no gzip in the browser): the loaders of
// examples/datasets.mjs read the files in Node at build time, and the values go into the bundle as base64
// bytes, which is exact and ~3× smaller than JSON numbers (digits are integers 0..16, iris has one decimal).
import { fileURLToPath } from "node:url";
import { loadDigits, loadIris } from "../datasets.mjs";

const MODULE_ID = "virtual:densa-datasets";
const RESOLVED_ID = "\0" + MODULE_ID;
const DATA_FILES = ["digits.csv.gz", "iris.csv"].map((name) =>
  fileURLToPath(new URL(`../../data/${name}`, import.meta.url)),
);

export function datasetsPlugin() {
  return {
    name: "densa-datasets",
    resolveId: (id) => (id === MODULE_ID ? RESOLVED_ID : undefined),
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      for (const file of DATA_FILES) this.addWatchFile(file);
      const digits = loadDigits(); // x is pixel / 16
      const iris = loadIris(); // x in cm
      const bundled = {
        digits: pack(digits, 16, "pixel values 0..16"),
        iris: pack(iris, 10, "measurements in mm"),
      };
      return `export default ${JSON.stringify(bundled)};\n`;
    },
  };
}

/**
 * One data set as { count, features, classes, classNames, featureNames, scale, x, y }: x holds the values
 * times `scale` as bytes (the page divides by `scale` again), y the labels; both base64. Throws if a value
 * does not survive the round trip, so a changed data file cannot silently lose precision.
 */
function pack(data, scale, what) {
  const bytes = Uint8Array.from(data.x, (value) => Math.round(value * scale));
  bytes.forEach((byte, i) => {
    if (Math.abs(byte / scale - data.x[i]) > 1e-5) {
      throw new Error(`datasets-plugin: value ${data.x[i]} at ${i} is not one of the ${what} 0..255`);
    }
  });
  const { count, features, classes, classNames, featureNames } = data;
  return {
    count,
    features,
    classes,
    classNames,
    featureNames,
    scale,
    x: Buffer.from(bytes).toString("base64"),
    y: Buffer.from(Uint8Array.from(data.y)).toString("base64"),
  };
}
