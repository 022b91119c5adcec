// fit hands the event loop a turn between batches once ~16 ms of work has passed since the last turn, and not
// more often: a page stays responsive without a task hop per microsecond batch. Checked without the wall
// clock: fit's yielder reads a fake clock (setYieldClock) that each batch advances by a chosen amount in
// onBatchEnd, and a yield is observed as a macrotask turn — a setImmediate queued at the end of batch k has
// run by the start of batch k + 1 only if fit yielded in between.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { callbacks, init, layers, Sequential } from "../../ts/index.js";
import { setYieldClock } from "../../ts/utils/yield.js";
import { randomMatrix } from "../helpers/model-fixtures.js";

beforeAll(async () => {
  await init();
});

afterEach(() => setYieldClock(null));

/** Runs fit with every batch "taking" `batchMs` on the fake clock; returns, per batch, whether fit yielded after it. */
async function yieldsAfterEachBatch(
  batchMs: number,
  epochs: number,
  rows: number,
  batchSize: number,
): Promise<boolean[]> {
  let now = 0;
  setYieldClock(() => now);
  const yielded: boolean[] = [];
  let marker: { ran: boolean } | null = null;
  const probe = new callbacks.LambdaCallback({
    onBatchBegin: () => {
      if (marker) yielded.push(marker.ran);
    },
    onBatchEnd: () => {
      now += batchMs;
      const next = { ran: false };
      setImmediate(() => (next.ran = true));
      marker = next;
    },
  });
  const model = new Sequential([
    new layers.Dense(4, { activation: "relu", inputShape: [6] }),
    new layers.Dense(3, { activation: "softmax" }),
  ]);
  model.compile({ optimizer: "sgd", loss: "sparse_categorical_crossentropy" });
  const x = randomMatrix(rows, 6, 1);
  const y = Array.from({ length: rows }, (_, i) => i % 3);
  await model.fit(x, y, { epochs, batchSize, verbose: 0, shuffle: false, callbacks: [probe] });
  model.dispose();
  return yielded;
}

describe("fit and the event loop", () => {
  it("yields after the batch that completes 16 ms of work since the last turn, across epochs", async () => {
    // 3 epochs of 10 batches, 5 ms each: a turn after every 4th batch (20 ms ≥ 16), counted from the last turn.
    const yielded = await yieldsAfterEachBatch(5, 3, 40, 4);
    expect(yielded).toHaveLength(29);
    const expected = yielded.map((_, k) => (k + 1) % 4 === 0);
    expect(yielded).toEqual(expected);
  });

  it("yields after every batch when each takes longer than the interval", async () => {
    const yielded = await yieldsAfterEachBatch(17, 2, 12, 3);
    expect(yielded).toEqual(new Array(7).fill(true));
  });

  it("does not yield per batch on microsecond batches: 640 batches of 0.01 ms never reach the interval", async () => {
    const yielded = await yieldsAfterEachBatch(0.01, 40, 16, 1);
    expect(yielded).toHaveLength(639);
    expect(yielded.filter(Boolean)).toHaveLength(0);
  });
});
