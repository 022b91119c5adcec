import { describe, expect, it } from "vitest";
import { tensor } from "../../ts/tensor.js";
import { DatasetAdapter, type DatasetBatch, isDataset } from "../../ts/training/dataset-adapter.js";

function batch(start: number, n: number, features = 2): [number[][], number[]] {
  const x = Array.from({ length: n }, (_, i) => Array.from({ length: features }, (_, k) => start + i + k / 10));
  return [x, Array.from({ length: n }, (_, i) => start + i)];
}

async function runEpoch(adapter: DatasetAdapter): Promise<DatasetBatch[]> {
  adapter.beginEpoch();
  const out: DatasetBatch[] = [];
  for (let b = await adapter.next(); b; b = await adapter.next()) out.push(b);
  return out;
}

describe("isDataset", () => {
  it("accepts iterables / async iterables of batches, not data", () => {
    function* gen() {
      yield batch(0, 2);
    }
    async function* agen() {
      yield batch(0, 2);
    }
    expect(isDataset(gen())).toBe(true);
    expect(isDataset(agen())).toBe(true);
    expect(isDataset(new Set([batch(0, 1)]))).toBe(true);
    expect(isDataset([[1, 2]])).toBe(false);
    expect(isDataset([[1, 2]], { allowArrays: true })).toBe(true);
    expect(isDataset(new Float32Array(3))).toBe(false);
    expect(isDataset(tensor([1, 2]))).toBe(false);
    expect(isDataset("abc")).toBe(false);
  });
});

describe("DatasetAdapter", () => {
  it("reads a sync generator of [x, y] batches and converts them", async () => {
    function* gen() {
      yield batch(0, 3);
      yield batch(3, 2);
    }
    const adapter = new DatasetAdapter(gen());
    const batches = await runEpoch(adapter);
    expect(batches.map((b) => b.x.shape)).toEqual([
      [3, 2],
      [2, 2],
    ]);
    expect(Array.from(batches[1].y!.data)).toEqual([3, 4]);
    expect(adapter.steps).toBe(2); // learned from the first full pass
    expect(adapter.ranOutOfData).toBe(false);
    // a generator is one-shot: the next epoch is empty and reports running out of data
    expect(await runEpoch(adapter)).toEqual([]);
    expect(adapter.ranOutOfData).toBe(true);
  });

  it("reads an async generator of { x, y, sampleWeight } batches", async () => {
    async function* gen() {
      for (let i = 0; i < 3; i++) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        const [x, y] = batch(i * 2, 2);
        yield { x: tensor(x), y, sampleWeight: [1, 0.5] };
      }
    }
    const batches = await runEpoch(new DatasetAdapter(gen()));
    expect(batches).toHaveLength(3);
    expect(Array.from(batches[2].x.data)).toEqual([4, 4.1, 5, 5.1].map(Math.fround));
    expect(Array.from(batches[0].sampleWeight!.data)).toEqual([1, 0.5]);
  });

  it("restarts a re-iterable source (an array of batches) every epoch", async () => {
    const adapter = new DatasetAdapter([batch(0, 2), batch(2, 2)]);
    expect(adapter.steps).toBe(2);
    expect((await runEpoch(adapter)).length).toBe(2);
    expect((await runEpoch(adapter)).length).toBe(2);
    expect(adapter.ranOutOfData).toBe(false);
  });

  it("with stepsPerEpoch continues one endless iterator across epochs", async () => {
    let produced = 0;
    function* endless() {
      for (;;) yield batch(produced++, 1);
    }
    const adapter = new DatasetAdapter(endless(), { stepsPerEpoch: 3 });
    const first = await runEpoch(adapter);
    const second = await runEpoch(adapter);
    expect(first.map((b) => b.y!.data[0])).toEqual([0, 1, 2]);
    expect(second.map((b) => b.y!.data[0])).toEqual([3, 4, 5]);
    expect(adapter.steps).toBe(3);
  });

  it("with stepsPerEpoch, a source that ends early cuts the epoch short and reports it", async () => {
    function* five() {
      for (let i = 0; i < 5; i++) yield batch(i, 1);
    }
    const adapter = new DatasetAdapter(five(), { stepsPerEpoch: 3 });
    expect((await runEpoch(adapter)).length).toBe(3);
    expect(adapter.ranOutOfData).toBe(false);
    expect((await runEpoch(adapter)).length).toBe(2);
    expect(adapter.ranOutOfData).toBe(true);
  });

  it("close() lets a generator run its finally block", async () => {
    let closed = false;
    function* gen() {
      try {
        for (;;) yield batch(0, 1);
      } finally {
        closed = true;
      }
    }
    const adapter = new DatasetAdapter(gen(), { stepsPerEpoch: 1 });
    await runEpoch(adapter);
    await adapter.close();
    expect(closed).toBe(true);
  });

  it("explains malformed batches", async () => {
    const bad = async (source: unknown, message: string, options = {}) => {
      const adapter = new DatasetAdapter(source, options);
      await expect(runEpoch(adapter)).rejects.toThrow(message);
    };
    await bad(
      [[1, 2, 3, 4]],
      "fit: dataset batch 0 must be [x, y], [x, y, sampleWeight] or { x, y }, got an array of length 4",
    );
    await bad([5], "fit: dataset batch 0 must be [x, y], [x, y, sampleWeight] or { x, y }, got 5");
    await bad([{ x: [[1]] }], "fit: dataset batch 0 has no y; expected [x, y] or { x, y }");
    await bad([[[[1], [2]], [1]]], "fit: dataset batch 0 x has 2 samples but y has 1");
    await bad([[[[1, NaN]], [1]]], "fit: dataset batch 0 x[0][1] is NaN; expected a finite number");
    await bad(
      [batch(0, 2, 3), batch(2, 2, 4)],
      "fit: dataset batch 1 x has per-sample shape [4] but earlier batches had [3]",
    );
    await bad([[[[1]], [1], [1, 2]]], "fit: dataset batch 0 sampleWeight has 2 entries but x has 1 samples");
    expect(() => new DatasetAdapter(42)).toThrow(
      "fit: expected a data set (an iterable or async iterable of batches), got 42",
    );
    expect(() => new DatasetAdapter([])).toThrow("fit: the data set is an empty array; expected at least one batch");
    expect(() => new DatasetAdapter([batch(0, 1)], { stepsPerEpoch: 0 })).toThrow(
      "fit: stepsPerEpoch must be a positive integer, got 0",
    );
  });

  it("predict-style batches may carry x alone", async () => {
    const adapter = new DatasetAdapter([tensor([[1, 2]]), [[[3, 4]]], { x: [[5, 6]] }], {
      fn: "predict",
      requireTargets: false,
    });
    const batches = await runEpoch(adapter);
    expect(batches.map((b) => Array.from(b.x.data))).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(batches.every((b) => b.y === undefined)).toBe(true);
  });
});
