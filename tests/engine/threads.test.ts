// init({ threads }): seeded training leaves the same bits for 1, 2 and 3 threads (the default build, then the
// shared build), with kernels split at their normal thresholds and with every kernel forced to split; the split
// products equal a plain float32 scalar triple loop bit for bit; the count can change; bad options are refused.
import { afterEach, describe, expect, it, vi } from "vitest";
import { getEngine, loadedEngine } from "../../ts/engine/engine.js";
import { PARALLEL_MIN_WORK } from "../../ts/engine/threads/parallel-kernels.js";
import { POOL_BACKOFF_MS } from "../../ts/engine/threads/thread-pool.js";
import * as densa from "../../ts/index.js";
import { init, layers, optimizers, Sequential, setRandomSeed, tensor } from "../../ts/index.js";
import { currentKernelVariant } from "../../ts/init.js";
import { seededRandom } from "../helpers/model-fixtures.js";

const normalThresholds = { ...PARALLEL_MIN_WORK };
const normalBackoff = { ...POOL_BACKOFF_MS };
/**
 * Splits every kernel, however small, over all threads: edge tiles, 1-row blocks and short slices included; and
 * the pool never leaves kernels to the calling thread alone (which it does on a busy machine).
 */
function forceSplits(): void {
  PARALLEL_MIN_WORK.productMacs = 1;
  PARALLEL_MIN_WORK.elements = 4;
  Object.assign(POOL_BACKOFF_MS, { first: 0, max: 0 });
}
afterEach(() => {
  Object.assign(PARALLEL_MIN_WORK, normalThresholds);
  Object.assign(POOL_BACKOFF_MS, normalBackoff);
});

/** FNV-1a over the bytes of every weight after a seeded fit (odd sizes: 301 → 150 → 70 → 10, batch 50). */
async function trainedWeightsHash(optimizer: () => optimizers.Optimizer): Promise<string> {
  const samples = 200,
    features = 301;
  const next = seededRandom(5);
  const x = tensor(
    Float32Array.from({ length: samples * features }, () => next() * 2 - 1),
    [samples, features],
  );
  const y = Array.from({ length: samples }, (_, i) => (i * 7 + (i >> 3)) % 10);
  setRandomSeed(1234);
  const model = new Sequential([
    new layers.Dense(150, { activation: "relu", inputShape: [features] }),
    new layers.Dropout(0.2),
    new layers.Dense(70, { activation: "tanh" }),
    new layers.Dense(10, { activation: "softmax" }),
  ]);
  try {
    model.compile({ optimizer: optimizer(), loss: "sparse_categorical_crossentropy" });
    const history = await model.fit(x, y, { epochs: 3, batchSize: 50, shuffle: true, seed: 9, verbose: 0 });
    expect(history.history.loss.every(Number.isFinite)).toBe(true);
    let hash = 0x811c9dc5;
    for (const weight of model.getWeights()) {
      for (const byte of new Uint8Array(weight.data.buffer, weight.data.byteOffset, weight.data.byteLength)) {
        hash = Math.imul(hash ^ byte, 0x01000193);
      }
    }
    // Predictions through the split forward pass, too.
    const predicted = model.predict(x, { batchSize: 64 }).data;
    for (const byte of new Uint8Array(predicted.buffer, predicted.byteOffset, predicted.byteLength)) {
      hash = Math.imul(hash ^ byte, 0x01000193);
    }
    return (hash >>> 0).toString(16);
  } finally {
    model.dispose();
  }
}

describe("seeded training with threads", () => {
  const adam = () => new optimizers.Adam({ learningRate: 0.01 });
  const sgd = () => new optimizers.SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true });

  it("gives the same weights for 1 (default build), 2 and 3 threads", async () => {
    await init();
    expect(densa.threads).toBe(1);
    const reference = [await trainedWeightsHash(adam), await trainedWeightsHash(sgd)];
    for (const count of [2, 3]) {
      const info = await init({ threads: count });
      expect(info.threads).toBe(count);
      expect(densa.threads).toBe(count);
      expect([await trainedWeightsHash(adam), await trainedWeightsHash(sgd)], `${count} threads`).toEqual(reference);
      forceSplits();
      expect([await trainedWeightsHash(adam), await trainedWeightsHash(sgd)], `${count} threads, all split`).toEqual(
        reference,
      );
      Object.assign(PARALLEL_MIN_WORK, normalThresholds);
      Object.assign(POOL_BACKOFF_MS, normalBackoff);
    }
    // One thread on the shared build: the pool's own single-thread path.
    await init({ threads: 1 });
    expect(densa.threads).toBe(1);
    forceSplits();
    expect([await trainedWeightsHash(adam), await trainedWeightsHash(sgd)]).toEqual(reference);
  });
});

describe("split products", () => {
  /** float32 triple loop in the kernels' order: init, then p = 0, 1, … with one rounding per · and +. */
  function reference(
    m: number,
    n: number,
    k: number,
    at: (i: number, p: number) => number,
    bt: (p: number, j: number) => number,
    init: (i: number, j: number) => number,
  ) {
    const c = new Float32Array(m * n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = Math.fround(init(i, j));
        for (let p = 0; p < k; p++) sum = Math.fround(sum + Math.fround(at(i, p) * bt(p, j)));
        c[i * n + j] = sum;
      }
    }
    return c;
  }

  it("equal the scalar reference bit for bit in every form, split over 3 threads", async () => {
    await init({ threads: 3 });
    forceSplits();
    const engine = getEngine();
    const next = seededRandom(77);
    const values = (count: number) => Float32Array.from({ length: count }, () => Math.fround(next() * 2 - 1));
    for (const [m, n, k] of [
      [1, 37, 19],
      [5, 3, 7],
      [13, 70, 33],
      [34, 17, 1],
      [9, 150, 301],
      [66, 40, 0],
    ]) {
      const a = values(m * k),
        b = values(k * n),
        bT = values(n * k),
        aT = values(k * m),
        start = values(m * n),
        bias = values(n);
      const ptr = (data: Float32Array) => {
        const at = engine.allocF32(Math.max(1, data.length));
        engine.write(at, data);
        return at;
      };
      const [pa, pb, pbT, paT, pBias, pc] = [ptr(a), ptr(b), ptr(bT), ptr(aT), ptr(bias), ptr(start)];
      const zero = () => 0;
      const cases: [string, () => void, Float32Array][] = [
        [
          "NN",
          () => engine.kernels.gemmNN(m, n, k, pa, pb, pc, 0),
          reference(
            m,
            n,
            k,
            (i, p) => a[i * k + p],
            (p, j) => b[p * n + j],
            zero,
          ),
        ],
        [
          "NN accumulate",
          () => engine.kernels.gemmNN(m, n, k, pa, pb, pc, 1),
          reference(
            m,
            n,
            k,
            (i, p) => a[i * k + p],
            (p, j) => b[p * n + j],
            (i, j) => start[i * n + j],
          ),
        ],
        [
          "NT",
          () => engine.kernels.gemmNT(m, n, k, pa, pbT, pc, 0),
          reference(
            m,
            n,
            k,
            (i, p) => a[i * k + p],
            (p, j) => bT[j * k + p],
            zero,
          ),
        ],
        [
          "TN",
          () => engine.kernels.gemmTN(m, n, k, paT, pb, pc, 0),
          reference(
            m,
            n,
            k,
            (i, p) => aT[p * m + i],
            (p, j) => b[p * n + j],
            zero,
          ),
        ],
        [
          "dense + bias",
          () => engine.kernels.denseForward(m, n, k, pa, pb, pBias, pc, pc, 0, 0),
          reference(
            m,
            n,
            k,
            (i, p) => a[i * k + p],
            (p, j) => b[p * n + j],
            (_, j) => bias[j],
          ),
        ],
      ];
      for (const [form, run, expected] of cases) {
        engine.write(pc, start);
        run();
        expect(engine.read(pc, m * n), `${form} ${m}×${n}×${k}`).toEqual(expected);
      }
      for (const at of [pa, pb, pbT, paT, pBias, pc]) engine.free(at);
    }
  });
});

describe("the pool", () => {
  it("runs parts on its workers, not only on the calling thread", async () => {
    await init({ threads: 2 });
    const engine = getEngine();
    const size = 256;
    const [a, b, c] = [engine.allocF32(size * size), engine.allocF32(size * size), engine.allocF32(size * size)];
    const before = currentKernelVariant()!.workerParts;
    // NOTE: the calling thread takes any part no worker has claimed yet, so on a busy machine a worker may miss
    // many tasks; one that runs none in 3,000 back-to-back products (seconds of work) is not working. Bounded by
    // a count, not the clock, so the test means the same on any machine.
    for (let product = 0; product < 3000 && currentKernelVariant()!.workerParts === before; product++) {
      engine.kernels.gemmNN(size, size, size, a, b, c, 0);
    }
    for (const ptr of [a, b, c]) engine.free(ptr);
    expect(currentKernelVariant()!.workerParts).toBeGreaterThan(before);
  });
});

describe("init({ threads })", () => {
  it("changes the count on the shared build, keeps it when unset, and says 1 where threads cannot run", async () => {
    expect((await init({ threads: 2 })).threads).toBe(2);
    const shared = loadedEngine();
    expect((await init({ threads: 3 })).threads).toBe(3);
    expect((await init()).threads).toBe(3); // unset: unchanged
    expect(loadedEngine()).toBe(shared); // the same build and memory: only the pool changed
    expect((await init({ threads: "auto" })).threads).toBeGreaterThanOrEqual(1);

    vi.stubGlobal("crossOriginIsolated", false); // what a page without COOP/COEP reports
    try {
      const info = await init({ threads: 4 });
      expect(info.threads).toBe(1);
      expect(densa.threads).toBe(1);
      expect(info.note).toMatch(/cross-origin isolated/);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("refuses bad options before changing anything", async () => {
    await init({ threads: 2 });
    expect(() => init({ threads: 0 })).toThrow(/init: threads must be a positive integer or "auto", got 0/);
    expect(() => init({ threads: 1.5 })).toThrow(/threads must be a positive integer/);
    expect(() => init({ threads: "all" as never })).toThrow(
      /threads must be a positive integer or "auto", got string "all"/,
    );
    expect(() => init({ relaxedSimd: 1 as never })).toThrow(/init: relaxedSimd must be true or false, got 1/);
    expect(() => init({ thread: 2 } as never)).toThrow(/did you mean "threads"/);
    expect(densa.threads).toBe(2);
  });
});
