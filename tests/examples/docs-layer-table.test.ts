// docs/API.md's layer tables against the layers themselves: every default written `option = value` is what a
// layer built without that option reports in getConfig(), and every option getConfig() reports is in the row.
// So a default changed in ts/layers/ or an option added there without its docs fails here. And README.md's
// cheat sheet: a row for each layer of issue 9, and each layer its densa column builds is built as written.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { init, layers, regularizers } from "../../ts/index.js";
import type { Layer } from "../../ts/layers/layer.js";
import { projectRoot } from "./run-example.js";

beforeAll(async () => {
  await init();
});

const api = readFileSync(`${projectRoot}docs/API.md`, "utf8");
const readme = readFileSync(`${projectRoot}README.md`, "utf8");
const section = api.slice(api.indexOf("\n## Layers\n"), api.indexOf("Layer members: `built`"));

/** The main argument of the layers that need one; the rest are built with no arguments. */
const REQUIRED: Record<string, () => Layer> = {
  Dense: () => new layers.Dense(3),
  Dropout: () => new layers.Dropout(0.5),
  Activation: () => new layers.Activation("relu"),
  Embedding: () => new layers.Embedding(10, 3),
  Reshape: () => new layers.Reshape([2, 2]),
  Permute: () => new layers.Permute([2, 1]),
  RepeatVector: () => new layers.RepeatVector(2),
  Rescaling: () => new layers.Rescaling(2),
  GaussianNoise: () => new layers.GaussianNoise(0.1),
  GaussianDropout: () => new layers.GaussianDropout(0.1),
  AlphaDropout: () => new layers.AlphaDropout(0.1),
  Dot: () => new layers.Dot({ axes: 1 }),
};
/** Options every layer has (LayerArgs), listed once above the tables rather than in each row. */
const COMMON = new Set(["name", "trainable", "dtype", "batchInputShape"]);

interface Row {
  classNames: string[];
  text: string;
  options: string;
}

function rows(): Row[] {
  return section
    .split("\n")
    .filter((line) => line.startsWith("| `new layers."))
    .map((line) => {
      const cells = line.split(" | ");
      return {
        classNames: [...cells[0].matchAll(/new layers\.(\w+)\(/g)].map((m) => m[1]),
        text: line,
        options: cells[1],
      };
    });
}

/** The `option = value` defaults of a row, values parsed as JSON (numbers, true / false / null, "strings"). */
function defaultsOf(options: string): [string, unknown][] {
  return [...options.matchAll(/`(\w+) = ([^`]+)`/g)].map((m) => [m[1], JSON.parse(m[2])]);
}

/** An initializer's name as the docs write it ("glorotUniform", "zeros") against its config's class name. */
const normalizedName = (name: string) => name.replace(/_/g, "").toLowerCase();

const ISSUE_9_LAYERS = [
  "BatchNormalization",
  "LayerNormalization",
  "Embedding",
  "Concatenate",
  "Add",
  "Subtract",
  "Multiply",
  "Average",
  "Maximum",
  "Minimum",
  "Dot",
  "Reshape",
  "Permute",
  "RepeatVector",
  "GaussianNoise",
  "GaussianDropout",
  "AlphaDropout",
  "ActivityRegularization",
  "Rescaling",
  "UnitNormalization",
  "Identity",
  "ReLU",
  "LeakyReLU",
  "PReLU",
  "ELU",
  "Softmax",
];

describe("docs/API.md's layer tables", () => {
  const table = rows();

  it("have a row for every layer class densa exports, and every layer of issue 9", () => {
    const documented = new Set(table.flatMap((row) => row.classNames));
    for (const name of ISSUE_9_LAYERS) expect(documented, name).toContain(name);
    const exported = Object.entries(layers)
      .filter(([name, value]) => typeof value === "function" && /^[A-Z]/.test(name) && name !== "Input")
      .map(([name]) => name);
    // NOTE: the base class, the InputLayer (its own line, without options) and SymbolicTensor are not layers with options.
    for (const name of exported.filter((name) => !["Layer", "InputLayer", "SymbolicTensor"].includes(name)))
      expect(documented, name).toContain(name);
  });

  it.each(table.flatMap((row) => row.classNames.map((className) => [className, row] as const)))(
    "%s: defaults and options as its getConfig()",
    (className, row) => {
      const layer = REQUIRED[className]?.() ?? new (layers as unknown as Record<string, new () => Layer>)[className]();
      try {
        const config = layer.getConfig() as Record<string, unknown>;
        const defaults = defaultsOf(row.options);
        for (const [option, value] of defaults) {
          expect(Object.keys(config), `${className}: the docs give a default for ${option}`).toContain(option);
          const actual = config[option];
          if (typeof value === "string" && actual !== null && typeof actual === "object") {
            expect(normalizedName((actual as { className: string }).className), `${className}.${option}`).toBe(
              normalizedName(value),
            );
          } else {
            expect(actual, `${className}.${option}`).toEqual(value);
          }
        }
        for (const option of Object.keys(config).filter((key) => !COMMON.has(key))) {
          expect(row.text, `${className}: option ${option} is not in its row`).toMatch(new RegExp(`\\b${option}\\b`));
        }
      } finally {
        layer.dispose();
      }
    },
  );
});

describe("README.md's Keras → densa cheat sheet", () => {
  const sheet = readme.slice(readme.indexOf("## Keras → densa cheat sheet"), readme.indexOf("\n## Examples"));
  const sheetRows = sheet.split("\n").filter((line) => line.startsWith("| `"));
  /** The densa column's layer constructions, without their `.apply(…)`. */
  const constructions = sheetRows.flatMap((line) =>
    [...line.split(" | ")[1].matchAll(/new layers\.(\w+)\((?:[^()`]|\([^()`]*\))*\)/g)].map(
      (m) => [m[1], m[0]] as const,
    ),
  );

  it("has a row of its own for every layer of issue 9", () => {
    for (const name of ISSUE_9_LAYERS) {
      expect(
        sheetRows.some((line) => line.startsWith(`| \`layers.${name}(`)),
        name,
      ).toBe(true);
    }
  });

  it.each(constructions)("%s: the densa column builds as written (%s)", (className, expression) => {
    // NOTE: Function, not eval in the test's scope: the expression sees the two namespaces the sheet imports alone.
    const layer = new Function("layers", "regularizers", `return ${expression};`)(layers, regularizers) as Layer;
    try {
      expect(layer.className).toBe(className);
    } finally {
      layer.dispose();
    }
  });
});
