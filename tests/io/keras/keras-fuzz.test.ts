// Property test: thousands of mutated .keras and .h5 files per run (seeded, a few seconds). Each either opens or
// is refused with a plain Error naming a problem — never a TypeError / RangeError from reading past a buffer,
// never a hang, and a refused load leaves no wasm memory behind.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import { getEngine } from "../../../ts/engine/engine.js";
import { Input, init, layers, loadModel, Model, Sequential, tensor } from "../../../ts/index.js";
import { artifactsFromKerasBytes } from "../../../ts/io/keras/keras-artifacts.js";
import { ZipArchive } from "../../../ts/io/zip/zip-reader.js";
import { writeZip } from "../../../ts/io/zip/zip-writer.js";
import { haveKerasFiles, KERAS_FILES_DIR } from "./fixtures.js";

let keras: Uint8Array;
let legacy: Uint8Array | null = null;
let functional: Uint8Array;

beforeAll(async () => {
  await init();
  const model = new Sequential(
    [
      new layers.Normalization({ inputShape: [3] } as never),
      new layers.Dense(4, { activation: "relu" }),
      new layers.Dense(2, { activation: "softmax" }),
    ],
    { name: "fuzzed" },
  );
  model.compile({ optimizer: "adam", loss: "categorical_crossentropy", metrics: ["accuracy"] });
  keras = haveKerasFiles
    ? new Uint8Array(readFileSync(`${KERAS_FILES_DIR}k3_admission_regression.keras`))
    : await model.toKeras();
  if (haveKerasFiles) legacy = new Uint8Array(readFileSync(`${KERAS_FILES_DIR}h5_k211_iris_activation.h5`));
  model.dispose();
  // A Functional model densa saves: two inputs, a merge, a shared tensor feeding two layers, Adam's state.
  const a = Input({ shape: [3] });
  const b = Input({ shape: [2] });
  const left = new layers.Dense(4, { activation: "relu" }).apply(a);
  const joined = new layers.Concatenate().apply([left, new layers.Dense(4).apply(b)]);
  const out = new layers.Dense(1).apply(new layers.Add().apply([new layers.Dense(4).apply(joined), left]));
  const graph = new Model({ inputs: [b, a], outputs: out });
  graph.compile({ optimizer: "adam", loss: "mse" });
  await graph.trainOnBatch(
    [tensor(new Float32Array(8).fill(0.5), [4, 2]), tensor(new Float32Array(12).fill(0.25), [4, 3])],
    tensor(new Float32Array(4).fill(1), [4, 1]),
  );
  functional = await graph.toKeras();
  graph.dispose();
});

/** One edit: flip a byte, overwrite 1–8 bytes with an extreme value, cut the file, or insert bytes. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) }),
  fc.record({
    kind: fc.constant("stamp" as const),
    at: fc.nat(),
    width: fc.constantFrom(1, 2, 4, 8),
    value: fc.constantFrom(0, 1, 0x7f, 0xff, 0x10000, 0x7fffffff, 0xffffffff),
  }),
  fc.record({ kind: fc.constant("cut" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), count: fc.integer({ min: 1, max: 16 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(bytes: Uint8Array, edits: readonly Mutation[]): Uint8Array {
  let out = bytes.slice();
  for (const edit of edits) {
    const at = out.length ? edit.at % out.length : 0;
    if (edit.kind === "flip") out[at] ^= edit.bits;
    else if (edit.kind === "stamp")
      for (let i = 0; i < edit.width && at + i < out.length; i++)
        out[at + i] = i < 4 ? (edit.value >>> (8 * i)) & 0xff : 0xff * Number(edit.value === 0xffffffff);
    else if (edit.kind === "cut") out = out.slice(0, at);
    else {
      const grown = new Uint8Array(out.length + edit.count);
      grown.set(out.subarray(0, at));
      grown.fill(0xa5, at, at + edit.count);
      grown.set(out.subarray(at), at + edit.count);
      out = grown;
    }
  }
  return out;
}

/** Opens or refuses cleanly; returns the error's class name if it was an unexpected kind. */
function openOrRefuse(bytes: Uint8Array): string | null {
  try {
    artifactsFromKerasBytes(bytes, "fuzz");
    return null;
  } catch (error) {
    if (!(error instanceof Error) || error instanceof TypeError || error instanceof RangeError || !error.message) {
      return `${(error as Error)?.constructor?.name}: ${(error as Error)?.message}`;
    }
    return null;
  }
}

const edits = fc.array(mutation, { minLength: 1, maxLength: 4 });

describe("mutated Keras files", () => {
  test("mutated .keras archives (zip level)", () => {
    fc.assert(
      fc.property(edits, (list) => openOrRefuse(mutate(keras, list)) === null),
      { numRuns: 1500, seed: 101 },
    );
  });

  test("mutated model.weights.h5 inside a well-formed archive (HDF5 level)", () => {
    const zip = ZipArchive.open(keras, "base");
    const entries = [...zip.entries.keys()].map((name) => ({ name, data: zip.read(name)! }));
    const weights = entries.find((entry) => entry.name === "model.weights.h5")!;
    fc.assert(
      fc.property(
        edits,
        (list) =>
          openOrRefuse(
            writeZip(
              entries.map((entry) =>
                entry === weights ? { name: entry.name, data: mutate(entry.data, list) } : entry,
              ),
            ),
          ) === null,
      ),
      { numRuns: 1000, seed: 202 },
    );
  });

  test("mutated config.json of a Functional archive (graph order, inbound nodes, input and output refs)", () => {
    const zip = ZipArchive.open(functional, "base");
    const entries = [...zip.entries.keys()].map((name) => ({ name, data: zip.read(name)! }));
    const config = entries.find((entry) => entry.name === "config.json")!;
    fc.assert(
      fc.property(
        edits,
        (list) =>
          openOrRefuse(
            writeZip(
              entries.map((entry) => (entry === config ? { name: entry.name, data: mutate(entry.data, list) } : entry)),
            ),
          ) === null,
      ),
      { numRuns: 1000, seed: 505 },
    );
  });

  test("any order of a Functional config's layers list loads the same weights (Keras places them by graph order)", async () => {
    const zip = ZipArchive.open(functional, "base");
    const entries = [...zip.entries.keys()].map((name) => ({ name, data: zip.read(name)! }));
    const config = JSON.parse(new TextDecoder().decode(zip.read("config.json")!));
    const count = config.config.layers.length;
    const reference = await loadModel(functional);
    const byName = (model: Model) =>
      Object.fromEntries(
        model.layers.flatMap((layer) => layer.weights.map((v) => [v.name, Array.from(v.read().data)])),
      );
    const expected = byName(reference);
    reference.dispose();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { minLength: count, maxLength: count }), async (keys) => {
        const order = config.config.layers
          .map((layer: unknown, i: number) => ({ layer, key: keys[i] * count + i }))
          .sort((x: { key: number }, y: { key: number }) => x.key - y.key);
        const shuffled = {
          ...config,
          config: { ...config.config, layers: order.map((entry: { layer: unknown }) => entry.layer) },
        };
        const bytes = writeZip(
          entries.map((entry) =>
            entry.name === "config.json"
              ? { name: entry.name, data: new TextEncoder().encode(JSON.stringify(shuffled)) }
              : entry,
          ),
        );
        const model = await loadModel(bytes);
        const same = JSON.stringify(byName(model)) === JSON.stringify(expected);
        model.dispose();
        return same;
      }),
      { numRuns: 60, seed: 606 },
    );
  });

  test.skipIf(!haveKerasFiles)("mutated legacy .h5 files", () => {
    fc.assert(
      fc.property(edits, (list) => openOrRefuse(mutate(legacy!, list)) === null),
      { numRuns: 1500, seed: 303 },
    );
  });

  test("loading mutated files through loadModel leaks no wasm memory", async () => {
    const allocator = getEngine().allocator;
    const before = { bytes: allocator.bytesInUse, blocks: allocator.liveBlocks };
    await fc.assert(
      fc.asyncProperty(edits, async (list) => {
        for (const base of [keras, functional]) {
          try {
            (await loadModel(mutate(base, list))).dispose();
          } catch {
            // refused: fine, as long as nothing stays allocated
          }
        }
        return allocator.bytesInUse === before.bytes && allocator.liveBlocks === before.blocks;
      }),
      { numRuns: 200, seed: 404 },
    );
  });
});
