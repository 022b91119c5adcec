// What densa/infer as built (dist/densa-infer.js and .cjs) loads on first use rather than at start: the forward
// kernels of the layers beyond Dense (a second WebAssembly module in the first one's memory) and the Functional
// API's code. Each must arrive while models are loaded and predict bit for bit as "densa" does.
import { readFileSync } from "node:fs";
import { inflateRawSync } from "node:zlib";
import { beforeAll, describe, expect, test } from "vitest";
import { Input, init, layers, Model, Sequential } from "../../ts/index.js";
import { bundledSource, dist, type InferModule, inferEntries } from "../helpers/infer-dist.js";
import { randomArray } from "../helpers/wasm.js";

let esm: InferModule;
let cjs: InferModule;

beforeAll(async () => {
  await init();
  ({ esm, cjs } = await inferEntries());
});

/** The kernels densa/infer starts with: a model of Dense layers (build/densa-infer-core.wasm). */
const CORE_EXPORTS = [
  "memory",
  "heapBase",
  "activationForward",
  "activationBackwardNeedsInputFor",
  "denseForward",
  "firstNonFinite",
];

/** The forward kernels of the other layers (build/densa-infer-layers.wasm), loaded with the first of them. */
const LAYER_EXPORTS = [
  "memory",
  "subtractDivideColumns",
  // the merge layers' forwards (Functional models)
  "multiplyElementwise",
  "addElementwise",
  "subtractElementwise",
  "scaleElementwise",
  "extremumElementwise",
  "copyBlocks",
  "rowDot",
  "scaleRows",
  "rowL2Normalize",
  // the single-input layers of issue 9
  "batchNormCoefficients",
  "batchNormForward",
  "layerNormForward",
  "embeddingGather",
  "permuteCopy",
  "repeatRows",
  "scaleShift",
  "reluForward",
  "preluForward",
  "expandByIndex",
  "unitNormForward",
];

const kernelNames = (module: WebAssembly.Module) =>
  WebAssembly.Module.exports(module)
    .map((entry) => entry.name)
    .filter((name) => !name.startsWith("ACTIVATION_"))
    .sort();
const inlinedModule = (source: string) =>
  inflateRawSync(Buffer.from(/wasmDeflated = "([0-9A-Za-z+/=]+)"/.exec(source)![1], "base64"));
const built = (name: string) => readFileSync(new URL(`../../build/${name}.wasm`, import.meta.url));

describe("densa/infer on demand", () => {
  test("inlines the forward-only kernels in two parts: the Dense path at start, the other layers' in a chunk", () => {
    const start = bundledSource("densa-infer.js");
    const core = inlinedModule(start);
    expect(core.equals(built("densa-infer-core"))).toBe(true);
    expect(kernelNames(new WebAssembly.Module(core))).toEqual([...CORE_EXPORTS].sort());
    expect(core.byteLength).toBeLessThan(built("densa").byteLength / 2);
    expect(start.match(/wasmDeflated = /g)).toHaveLength(1);

    const layers = inlinedModule(
      readFileSync(new URL("chunks/densa-infer-densa-infer-layers-wasm-inline.js", dist), "utf8"),
    );
    expect(layers.equals(built("densa-infer-layers"))).toBe(true);
    const layersModule = new WebAssembly.Module(layers);
    expect(kernelNames(layersModule)).toEqual([...LAYER_EXPORTS].sort());
    // It works in the core's memory; the whole module (the Workers bundle's) is the two together.
    expect(WebAssembly.Module.imports(layersModule)).toEqual([{ module: "env", name: "memory", kind: "memory" }]);
    const whole = built("densa-infer");
    expect(readFileSync(new URL("densa-infer.wasm", dist)).equals(whole)).toBe(true);
    expect(kernelNames(new WebAssembly.Module(whole))).toEqual(
      [...new Set([...CORE_EXPORTS, ...LAYER_EXPORTS])].sort(),
    );
  });

  test("the layers' kernels leave the core's static memory alone (asconfig.json: their memoryBase is below it)", () => {
    const asconfig = JSON.parse(readFileSync(new URL("../../asconfig.json", import.meta.url), "utf8"));
    const coreStatic: number = asconfig.targets["infer-core"].memoryBase;
    const core = new WebAssembly.Instance(new WebAssembly.Module(built("densa-infer-core")), {});
    const { memory, heapBase } = core.exports as { memory: WebAssembly.Memory; heapBase: () => number };
    const end = heapBase();
    expect(coreStatic).toBeLessThan(end);
    const bytes = new Uint8Array(memory.buffer);
    bytes.fill(0xa5, coreStatic, end);
    const layers = new WebAssembly.Instance(new WebAssembly.Module(built("densa-infer-layers")), { env: { memory } });
    // Permute (the one kernel with static data) of 2 samples [2, 3, 2] → [2, 2, 3] (out[a, b, c] = x[a, c, b]),
    // its plan and data above heapBase; the reference is the plain loop.
    new Int32Array(memory.buffer, end, 6).set([2, 2, 3, 6, 1, 2]); // outShape, then x's strides along those axes
    new Float32Array(memory.buffer, end + 64, 24).forEach((_, i, x) => {
      x[i] = i;
    });
    (layers.exports.permuteCopy as (...args: number[]) => void)(2, 3, 12, end, end + 12, end + 64, end + 256);
    const expected: number[] = [];
    for (let r = 0; r < 2; r++)
      for (let a = 0; a < 2; a++)
        for (let b = 0; b < 2; b++) for (let c = 0; c < 3; c++) expected.push(r * 12 + a * 6 + c * 2 + b);
    expect([...new Float32Array(memory.buffer, end + 256, 24)]).toEqual(expected);
    expect(bytes.subarray(coreStatic, end).every((byte) => byte === 0xa5)).toBe(true);
  });

  // NOTE: first in this file to load a layer beyond Dense, so the layers' kernels arrive while a model is loaded.
  test("adds the other layers' kernels to a running engine: models loaded before and after predict as densa does", async () => {
    const dense = new Sequential([new layers.Dense(5, { inputShape: [6], activation: "tanh" }), new layers.Dense(3)]);
    // Permute's kernel keeps static data (its odometer) in the memory below the Dense kernel's (the zeros a Dense
    // without bias starts from): both must hold.
    const mixed = new Sequential([
      new layers.Embedding(9, 4, { inputShape: [6] }),
      new layers.Permute([2, 1]),
      new layers.Flatten(),
      new layers.Dense(7, { activation: "relu", biasInitializer: "randomNormal" }),
      new layers.Dense(3, { useBias: false }),
    ]);
    const x = Float32Array.from(randomArray(11 * 6, 8, 0, 9), Math.floor);
    const rows = [...Array(11)].map((_, i) => [...x.subarray(i * 6, i * 6 + 6)]);
    const [denseArtifacts, mixedArtifacts] = [await dense.save(), await mixed.save()];
    for (const entry of [esm, cjs]) {
      const first = await entry.loadModel(denseArtifacts);
      const before = first.predict(entry.tensor(x, [11, 6])).data;
      expect(before).toEqual(dense.predict(rows).data);
      const second = await entry.loadModel(mixedArtifacts);
      expect(second.predict(entry.tensor(x, [11, 6])).data).toEqual(mixed.predict(rows).data);
      expect(second.predict(entry.tensor(x.slice(0, 6), [1, 6])).data).toEqual(mixed.predict([rows[0]]).data);
      expect(first.predict(entry.tensor(x, [11, 6])).data).toEqual(before);
      first.dispose();
      second.dispose();
    }
    dense.dispose();
    mixed.dispose();
  });

  test("loads a Functional model (its code arrives with it) and one nested in a Sequential, as densa has them", async () => {
    const a = Input({ shape: [3], name: "a" });
    const b = Input({ shape: [2], name: "b" });
    const joined = new layers.Concatenate().apply([new layers.Dense(4, { activation: "relu" }).apply(a), b]);
    const functional = new Model({ inputs: [a, b], outputs: new layers.Dense(2).apply(joined) });
    const inner = Input({ shape: [3] });
    const nestedPart = new Model({ inputs: inner, outputs: new layers.Dense(3, { activation: "tanh" }).apply(inner) });
    const outer = new Sequential([new layers.Dense(3, { inputShape: [3] }), nestedPart, new layers.Dense(1)]);
    const xa = randomArray(5 * 3, 9, -1, 1);
    const xb = randomArray(5 * 2, 10, -1, 1);
    const rowsOf = (x: Float32Array, width: number) =>
      [...Array(5)].map((_, i) => [...x.subarray(i * width, i * width + width)]);
    const [functionalArtifacts, outerArtifacts] = [await functional.save(), await outer.save()];
    const lines = (model: { summary(print: (line: string) => void): void }) => {
      const printed: string[] = [];
      model.summary((line) => printed.push(line));
      return printed;
    };
    for (const entry of [esm, cjs]) {
      const loaded = await entry.loadModel(functionalArtifacts);
      const out = loaded.predict<InstanceType<typeof entry.Tensor>>([
        entry.tensor(xa, [5, 3]),
        entry.tensor(xb, [5, 2]),
      ]);
      expect(out.data).toEqual(functional.predict([rowsOf(xa, 3), rowsOf(xb, 2)]).data);
      expect(loaded.getConfig()).toEqual(functional.getConfig());
      expect(lines(loaded)).toEqual(lines(functional));
      const nested = await entry.loadModel(outerArtifacts);
      expect(nested.predict(entry.tensor(xa, [5, 3])).data).toEqual(outer.predict(rowsOf(xa, 3)).data);
      expect(lines(nested)).toEqual(lines(outer));
      loaded.dispose();
      nested.dispose();
    }
    functional.dispose();
    outer.dispose();
  });
});
