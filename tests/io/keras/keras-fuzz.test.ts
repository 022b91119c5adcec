// Property test: thousands of mutated .keras and .h5 files per run (seeded, a few seconds). Each either opens or
// is refused with a plain Error naming a problem — never a TypeError / RangeError from reading past a buffer,
// never a hang, and a refused load leaves no wasm memory behind.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import { init, layers, loadModel, Sequential } from "../../../ts/index.js";
import { getEngine } from "../../../ts/engine/engine.js";
import { artifactsFromKerasBytes } from "../../../ts/io/keras/keras-artifacts.js";
import { ZipArchive } from "../../../ts/io/zip/zip-reader.js";
import { writeZip } from "../../../ts/io/zip/zip-writer.js";
import { haveKerasFiles, KERAS_FILES_DIR } from "./fixtures.js";

let keras: Uint8Array;
let legacy: Uint8Array | null = null;

beforeAll(async () => {
  await init();
  const model = new Sequential([new layers.Normalization({ inputShape: [3] } as never), new layers.Dense(4, { activation: "relu" }), new layers.Dense(2, { activation: "softmax" })], { name: "fuzzed" });
  model.compile({ optimizer: "adam", loss: "categorical_crossentropy", metrics: ["accuracy"] });
  keras = haveKerasFiles ? new Uint8Array(readFileSync(`${KERAS_FILES_DIR}k3_admission_regression.keras`)) : await model.toKeras();
  if (haveKerasFiles) legacy = new Uint8Array(readFileSync(`${KERAS_FILES_DIR}h5_k211_iris_activation.h5`));
  model.dispose();
});

/** One edit: flip a byte, overwrite 1–8 bytes with an extreme value, cut the file, or insert bytes. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant("stamp" as const), at: fc.nat(), width: fc.constantFrom(1, 2, 4, 8), value: fc.constantFrom(0, 1, 0x7f, 0xff, 0x10000, 0x7fffffff, 0xffffffff) }),
  fc.record({ kind: fc.constant("cut" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), count: fc.integer({ min: 1, max: 16 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(bytes: Uint8Array, edits: readonly Mutation[]): Uint8Array {
  let out = bytes.slice();
  for (const edit of edits) {
    const at = out.length ? edit.at % out.length : 0;
    if (edit.kind === "flip") out[at] ^= edit.bits;
    else if (edit.kind === "stamp") for (let i = 0; i < edit.width && at + i < out.length; i++) out[at + i] = i < 4 ? (edit.value >>> (8 * i)) & 0xff : 0xff * Number(edit.value === 0xffffffff);
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
    fc.assert(fc.property(edits, (list) => openOrRefuse(mutate(keras, list)) === null), { numRuns: 1500, seed: 101 });
  });

  test("mutated model.weights.h5 inside a well-formed archive (HDF5 level)", () => {
    const zip = ZipArchive.open(keras, "base");
    const entries = [...zip.entries.keys()].map((name) => ({ name, data: zip.read(name)! }));
    const weights = entries.find((entry) => entry.name === "model.weights.h5")!;
    fc.assert(
      fc.property(edits, (list) => openOrRefuse(writeZip(entries.map((entry) => (entry === weights ? { name: entry.name, data: mutate(entry.data, list) } : entry)))) === null),
      { numRuns: 1000, seed: 202 },
    );
  });

  test.skipIf(!haveKerasFiles)("mutated legacy .h5 files", () => {
    fc.assert(fc.property(edits, (list) => openOrRefuse(mutate(legacy!, list)) === null), { numRuns: 1500, seed: 303 });
  });

  test("loading mutated files through loadModel leaks no wasm memory", async () => {
    const allocator = getEngine().allocator;
    const before = { bytes: allocator.bytesInUse, blocks: allocator.liveBlocks };
    await fc.assert(
      fc.asyncProperty(edits, async (list) => {
        try {
          (await loadModel(mutate(keras, list))).dispose();
        } catch {
          // refused: fine, as long as nothing stays allocated
        }
        return allocator.bytesInUse === before.bytes && allocator.liveBlocks === before.blocks;
      }),
      { numRuns: 200, seed: 404 },
    );
  });
});
