import { describe, expect, it } from "vitest";
import { toFloatData } from "../../ts/data/convert.js";
import { BatchIndexer, gatherRows, seededPermutation } from "../../ts/training/batch-indexer.js";
import { splitValidation, validationSplitIndex } from "../../ts/training/validation-split.js";
import { SeededRandom } from "../../ts/utils/random.js";

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("validationSplit", () => {
  it("holds out the LAST floor-complement samples, as Keras (split_at = floor(n * (1 - s)))", () => {
    for (const [n, s] of [
      [10, 0.2],
      [7, 0.3],
      [100, 0.25],
      [3, 0.5],
      [11, 0.1],
    ] as const) {
      const splitAt = Math.floor(n * (1 - s));
      const x = toFloatData(
        range(n).map((i) => [i, -i]),
        "fit",
        "x",
      );
      const y = toFloatData(range(n), "fit", "y");
      const { train, validation } = splitValidation({ x, y }, s);
      expect(train.x.shape).toEqual([splitAt, 2]);
      expect(validation.x.shape).toEqual([n - splitAt, 2]);
      expect(Array.from(validation.y.data)).toEqual(range(n).slice(splitAt));
      expect(Array.from(train.x.data)).toEqual(range(splitAt).flatMap((i) => [i, -i]));
      expect(validation.x.data.buffer).toBe(x.data.buffer); // slices, not copies
    }
  });

  it("splits sample weights the same way", () => {
    const x = toFloatData(
      range(5).map((i) => [i]),
      "fit",
      "x",
    );
    const w = toFloatData([1, 2, 3, 4, 5], "fit", "sampleWeight");
    const { train, validation } = splitValidation({ x, y: x, sampleWeight: w }, 0.4);
    expect(Array.from(train.sampleWeight!.data)).toEqual([1, 2, 3]);
    expect(Array.from(validation.sampleWeight!.data)).toEqual([4, 5]);
  });

  it("refuses splits that leave a side empty, and out-of-range values", () => {
    expect(validationSplitIndex(5, 0.1)).toBe(4); // floor(4.5): one validation sample
    expect(() => validationSplitIndex(5, 1e-17)).toThrow(
      "fit: validationSplit 1e-17 of 5 samples leaves no validation samples",
    );
    expect(() => validationSplitIndex(1, 0.5)).toThrow(
      "fit: validationSplit 0.5 of 1 samples leaves no training samples",
    );
    expect(() => validationSplitIndex(10, 1)).toThrow("fit: validationSplit must be a number in [0, 1), got 1");
    expect(() => validationSplitIndex(10, -0.1)).toThrow("fit: validationSplit must be a number in [0, 1), got -0.1");
    expect(() => validationSplitIndex(10, "0.2" as never)).toThrow(
      'fit: validationSplit must be a number in [0, 1), got string "0.2"',
    );
  });
});

describe("BatchIndexer", () => {
  const epochOrder = (indexer: BatchIndexer, epoch: number) => {
    indexer.startEpoch(epoch);
    return Array.from(indexer.order);
  };

  it("cuts ceil(n / batchSize) batches, the last one partial", () => {
    const indexer = new BatchIndexer(10, 3);
    expect(indexer.numBatches).toBe(4);
    expect(range(4).map((b) => [indexer.batchStart(b), indexer.batchLength(b)])).toEqual([
      [0, 3],
      [3, 3],
      [6, 3],
      [9, 1],
    ]);
    expect(new BatchIndexer(5, 32).numBatches).toBe(1);
  });

  it("keeps samples in order without shuffle", () => {
    const indexer = new BatchIndexer(7, 2, { shuffle: false });
    expect(epochOrder(indexer, 0)).toEqual(range(7));
    expect(epochOrder(indexer, 1)).toEqual(range(7));
  });

  it("shuffles to a permutation, deterministic per seed, different per epoch and per seed", () => {
    const a = new BatchIndexer(101, 8, { shuffle: true, seed: 42 });
    const b = new BatchIndexer(101, 8, { shuffle: true, seed: 42 });
    const c = new BatchIndexer(101, 8, { shuffle: true, seed: 43 });
    const a0 = epochOrder(a, 0);
    expect([...a0].sort((p, q) => p - q)).toEqual(range(101));
    expect(a0).not.toEqual(range(101));
    expect(epochOrder(b, 0)).toEqual(a0);
    expect(epochOrder(c, 0)).not.toEqual(a0);
    const a1 = epochOrder(a, 1);
    expect([...a1].sort((p, q) => p - q)).toEqual(range(101));
    expect(a1).not.toEqual(a0);
    // an epoch's order depends only on (seed, epoch): resuming at epoch 1 reproduces it
    expect(epochOrder(new BatchIndexer(101, 8, { shuffle: true, seed: 42 }), 1)).toEqual(a1);
  });

  it("shuffle 'batch' keeps each batch's samples and mixes them within the batch", () => {
    const indexer = new BatchIndexer(20, 6, { shuffle: "batch", seed: 1 });
    const order = epochOrder(indexer, 0);
    for (let b = 0; b < indexer.numBatches; b++) {
      const start = indexer.batchStart(b);
      const members = order.slice(start, start + indexer.batchLength(b));
      expect([...members].sort((p, q) => p - q)).toEqual(range(indexer.batchLength(b)).map((i) => start + i));
    }
    expect(order).not.toEqual(range(20));
  });

  it("seeded shuffles are unbiased enough: each position sees each sample about equally often", () => {
    const n = 4;
    const counts = Array.from({ length: n }, () => new Array(n).fill(0));
    const permute = seededPermutation(7);
    const order = new Int32Array(n);
    const trials = 4000;
    for (let epoch = 0; epoch < trials; epoch++) {
      for (let i = 0; i < n; i++) order[i] = i;
      permute(order, 0, n, epoch);
      order.forEach((sample, position) => counts[position][sample]++);
    }
    for (const row of counts)
      for (const count of row) expect(Math.abs(count - trials / n)).toBeLessThan(trials / n / 5);
  });

  it("validates its arguments", () => {
    expect(() => new BatchIndexer(0, 2)).toThrow("BatchIndexer: numSamples must be a positive integer, got 0");
    expect(() => new BatchIndexer(5, 0)).toThrow("BatchIndexer: batchSize must be a positive integer, got 0");
  });
});

describe("gatherRows", () => {
  it("copies the rows of a batch in order into a target at an offset", () => {
    const source = Float32Array.from(range(12)); // 4 rows of 3
    const target = new Float32Array(8).fill(-1);
    gatherRows(source, 3, Int32Array.from([3, 0, 2, 1]), 1, 2, target, 1);
    expect(Array.from(target)).toEqual([-1, 0, 1, 2, 6, 7, 8, -1]);
    const labels = new Float32Array(3);
    gatherRows(Float32Array.from([10, 11, 12, 13]), 1, Int32Array.from([3, 1, 0]), 0, 3, labels);
    expect(Array.from(labels)).toEqual([13, 11, 10]);
  });

  it("matches a row-by-row reference for runs of consecutive rows, short and long rows", () => {
    // Orders with runs (1,2,3 and 7,8), single rows and a reversed pair; rows below and above the memcpy size.
    const order = Int32Array.from([5, 1, 2, 3, 9, 0, 7, 8, 4, 6]);
    for (const rowSize of [2, 63, 64, 100]) {
      const source = Float32Array.from(range(10 * rowSize), (v) => v * 0.5 - 3);
      for (const [start, count] of [
        [0, 10],
        [1, 3],
        [6, 2],
        [3, 5],
      ]) {
        const target = new Float32Array((count + 2) * rowSize).fill(-1);
        gatherRows(source, rowSize, order, start, count, target, rowSize);
        const expected = new Float32Array((count + 2) * rowSize).fill(-1);
        for (let i = 0; i < count; i++) {
          for (let k = 0; k < rowSize; k++) expected[(i + 1) * rowSize + k] = source[order[start + i] * rowSize + k];
        }
        expect(Array.from(target)).toEqual(Array.from(expected));
      }
    }
  });
});

describe("SeededRandom", () => {
  it("is reproducible and spreads over [0, bound)", () => {
    const a = new SeededRandom(123);
    const b = new SeededRandom(123);
    const seq = range(50).map(() => a.nextUint32());
    expect(range(50).map(() => b.nextUint32())).toEqual(seq);
    expect(new Set(seq).size).toBe(50);
    const r = new SeededRandom(5);
    const hits = new Array(10).fill(0);
    for (let i = 0; i < 10000; i++) hits[r.nextBelow(10)]++;
    for (const h of hits) expect(Math.abs(h - 1000)).toBeLessThan(150);
    // seeds above 2^32 use their high bits too
    expect(new SeededRandom(2 ** 32 + 1).nextUint32()).not.toBe(new SeededRandom(1).nextUint32());
  });
});
