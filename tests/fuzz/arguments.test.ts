// Property-based fuzzing of fit / evaluate / predict and the batch-level methods: generated x, y and options —
// wrong shapes, ragged nested arrays, other dtypes, NaN, 1e308, huge batch sizes, options of the wrong type,
// unknown options. Each call must either do its work (a result of the right form) or be refused with densa's own
// Error naming the method; a refused call must leave the weights bit for bit. Memory: a model keeps caches (batch
// buffers, a trainer) that a call may create before it refuses — the kernels' own NaN scan of predict runs after
// the copy into wasm — so a leak shows as blocks piling up over the run, and the run ends with the model disposed
// and every block of wasm memory back to what it was before the model existed.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import { globalGenerator } from "../../ts/engine/random.js";
import { callbacks, init, layers, Sequential, Tensor, tensor } from "../../ts/index.js";
import { notOwnError } from "./own-error.js";

const ARGUMENT_SEED = Number(process.env.DENSA_FUZZ_SEED ?? 20261207);
const ARGUMENT_RUNS = Number(process.env.DENSA_FUZZ_RUNS ?? 1200);

const FEATURES = 3;
const CLASSES = 4;

const unit = fc.double({ min: -1, max: 1, noNaN: true });
const hostileNumber = fc.constantFrom(NaN, Infinity, -Infinity, 1e308, -1e308, 3.5e38, 2 ** 31, -1);
const hostileThing = fc.constantFrom<unknown>(
  null,
  undefined,
  0,
  "x",
  "1",
  {},
  [],
  [[]],
  [[[1, 2, 3]]],
  true,
  NaN,
  () => 1,
);

const rowsOf = (count: number, width: fc.Arbitrary<number>) =>
  fc.array(
    fc
      .array(unit, { minLength: 0, maxLength: 0 })
      .chain(() => width)
      .chain((w) => fc.array(unit, { minLength: w, maxLength: w })),
    { minLength: count, maxLength: count },
  );

/** x for `count` samples: mostly well-formed, else every way it can be wrong. */
const xFor = (count: number): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 6, arbitrary: rowsOf(count, fc.constant(FEATURES)) },
    { weight: 1, arbitrary: rowsOf(count, fc.integer({ min: 0, max: 5 })) },
    { weight: 1, arbitrary: fc.array(fc.array(unit, { maxLength: 4 }), { minLength: 1, maxLength: 5 }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(rowsOf(count, fc.constant(FEATURES)), fc.nat(), fc.nat(), fc.oneof(hostileNumber, hostileThing))
        .map(([rows, i, j, bad]) => {
          (rows[i % rows.length] as unknown[])[j % FEATURES] = bad;
          return rows;
        }),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom("Float32Array", "Float64Array", "Int32Array", "Uint8Array", "BigInt64Array", "Tensor", "Tensor3")
        .map((kind) => {
          const size = count * FEATURES;
          if (kind === "Tensor") return tensor(new Float32Array(size), [count, FEATURES]);
          if (kind === "Tensor3") return tensor(new Float32Array(size), [count, 1, FEATURES]);
          if (kind === "BigInt64Array") return new BigInt64Array(size);
          return new (globalThis as unknown as Record<string, new (n: number) => unknown>)[kind](size);
        }),
    },
    { weight: 1, arbitrary: hostileThing },
  );

/** y (sparse labels) for `count` samples. */
const yFor = (count: number): fc.Arbitrary<unknown> =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.array(fc.integer({ min: 0, max: CLASSES - 1 }), { minLength: count, maxLength: count }),
    },
    { weight: 1, arbitrary: fc.array(fc.integer({ min: 0, max: CLASSES - 1 }), { minLength: 0, maxLength: 7 }) },
    {
      weight: 1,
      arbitrary: fc.array(fc.constantFrom(CLASSES, -1, 0.5, NaN, 2 ** 31, 1e308), {
        minLength: count,
        maxLength: count,
      }),
    },
    { weight: 1, arbitrary: rowsOf(count, fc.constant(CLASSES)) },
    { weight: 1, arbitrary: hostileThing },
  );

const sampleWeightFor = (count: number) =>
  fc.oneof(
    fc.array(fc.double({ min: 0, max: 2, noNaN: true }), { minLength: count, maxLength: count }),
    fc.array(fc.oneof(unit, hostileNumber), { maxLength: 7 }),
    hostileThing,
  );

const batchSize = fc.constantFrom<unknown>(1, 2, 32, 0, -1, 2 ** 31, 2 ** 53, 1e308, NaN, 1.5, "32", null);
// NOTE: verbose is always given and never a valid 1 / 2 / "auto", which would print progress bars.
const verbose = fc.constantFrom<unknown>(0, 0, 0, -1, 3, "loud", NaN, 1.5, true);
const count = fc.constantFrom<unknown>(1, 2, 0, -1, 2 ** 31, NaN, 1.5, "1", null);

// NOTE: epochs is kept small: a request for 2^31 epochs is not an error, only a long run.
const hostileFitOptions = (n: number) =>
  fc.record(
    {
      verbose,
      epochs: fc.constantFrom<unknown>(1, 2, 0, -1, NaN, 1.5, "2", null),
      batchSize,
      initialEpoch: fc.constantFrom<unknown>(0, 1, -1, 2 ** 31, NaN, "0"),
      shuffle: fc.constantFrom<unknown>(true, false, "batch", "yes", 1, null),
      validationSplit: fc.constantFrom<unknown>(0, 0.2, 0.5, 1, -0.1, NaN, "0.2"),
      validationData: fc.oneof(fc.tuple(xFor(2), yFor(2)), fc.record({ x: xFor(2), y: yFor(2) }), hostileThing),
      classWeight: fc.constantFrom<unknown>({ 0: 1, 1: 2 }, { 0: -1 }, { a: 1 }, { 0: NaN }, [1, 2], null, "x", {
        9: 1,
      }),
      sampleWeight: sampleWeightFor(n),
      stepsPerEpoch: count,
      validationSteps: count,
      validationBatchSize: batchSize,
      validationFreq: fc.constantFrom<unknown>(1, 2, [1], 0, [], "1", [0]),
      seed: fc.constantFrom<unknown>(1, 0, -1, 2 ** 53, NaN, 1.5, "1"),
      callbacks: fc.constantFrom<unknown>([], [{}], [null], "x", {}, "terminate"),
      batch_size: fc.constant(1),
      bogus: fc.constant(true),
    },
    { requiredKeys: ["verbose"] },
  );

/** Half the calls get options that are all valid (huge batch sizes included), so that the work path runs often. */
const validFitOptions = fc.record(
  {
    verbose: fc.constant(0),
    epochs: fc.constantFrom(1, 2),
    batchSize: fc.constantFrom(1, 2, 32, 2 ** 31, 2 ** 53),
    shuffle: fc.constantFrom(true, false, "batch"),
    seed: fc.nat(),
    validationSplit: fc.constantFrom(0, 0.5),
    stepsPerEpoch: fc.constantFrom(1, 2 ** 31),
  },
  { requiredKeys: ["verbose"] },
);
const fitOptions = (n: number) => fc.oneof(validFitOptions, hostileFitOptions(n));

const evaluateOptions = (n: number) =>
  fc.record(
    {
      verbose,
      batchSize,
      sampleWeight: sampleWeightFor(n),
      steps: count,
      callbacks: fc.constantFrom<unknown>([], [{}], "x"),
      bogus: fc.constant(1),
    },
    { requiredKeys: ["verbose"] },
  );
const predictOptions = fc.record({
  verbose,
  batchSize,
  steps: count,
  callbacks: fc.constantFrom<unknown>([], [{}], "x"),
  bogus: fc.constant(1),
});
const batchOptions = (n: number) =>
  fc.record({
    sampleWeight: sampleWeightFor(n),
    classWeight: fc.constantFrom<unknown>({ 0: 2 }, { 0: -1 }, "x"),
    bogus: fc.constant(1),
  });

type Method = "fit" | "evaluate" | "predict" | "trainOnBatch" | "testOnBatch" | "predictOnBatch";
interface Call {
  method: Method;
  x: unknown;
  y: unknown;
  options: Record<string, unknown> | undefined;
}

const call: fc.Arbitrary<Call> = fc.integer({ min: 1, max: 6 }).chain((n) =>
  fc.oneof(
    fc.record({ method: fc.constant<Method>("fit"), x: xFor(n), y: yFor(n), options: fitOptions(n) }),
    fc.record({ method: fc.constant<Method>("evaluate"), x: xFor(n), y: yFor(n), options: evaluateOptions(n) }),
    fc.record({
      method: fc.constant<Method>("predict"),
      x: xFor(n),
      y: fc.constant(undefined),
      options: fc.option(predictOptions, { nil: undefined }),
    }),
    fc.record({
      method: fc.constantFrom<Method>("trainOnBatch", "testOnBatch"),
      x: xFor(n),
      y: yFor(n),
      options: fc.option(batchOptions(n), { nil: undefined }),
    }),
    fc.record({
      method: fc.constant<Method>("predictOnBatch"),
      x: xFor(n),
      y: fc.constant(undefined),
      options: fc.constant(undefined),
    }),
  ),
);

let model: Sequential;
let blocksBeforeModel = 0;
let bytesBeforeModel = 0;
beforeAll(async () => {
  await init();
  globalGenerator();
  blocksBeforeModel = getEngine().allocator.liveBlocks;
  bytesBeforeModel = getEngine().allocator.bytesInUse;
  model = new Sequential([
    new layers.Dense(5, {
      activation: "relu",
      inputShape: [FEATURES],
      kernelInitializer: { className: "GlorotUniform", config: { seed: 1 } },
    }),
    new layers.Dropout(0.2, { seed: 2 }),
    new layers.Dense(CLASSES, {
      activation: "softmax",
      kernelInitializer: { className: "GlorotUniform", config: { seed: 3 } },
    }),
  ]);
  model.compile({ optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"] });
});
let disposed = false;
afterAll(() => {
  if (!disposed) model.dispose();
});

function weightBits(): number[] {
  return model
    .getWeights()
    .flatMap((weight) => Array.from(new Uint32Array(weight.data.buffer, weight.data.byteOffset, weight.size)));
}

/** Runs one call; returns what went wrong (or null) and whether the call was refused. */
async function runCall({ method, x, y, options }: Call): Promise<{ problem: string | null; refused: boolean }> {
  const weights = weightBits().join();
  if (options && options.callbacks === "terminate") options.callbacks = [new callbacks.TerminateOnNaN()];
  try {
    const result = await invoke(method, x, y, options);
    return { problem: checkResult(method, result), refused: false };
  } catch (error) {
    let problem = notOwnError(error, method);
    if (!problem && weightBits().join() !== weights)
      problem = `${method} refused (${(error as Error).message}) but changed the weights first`;
    return { problem, refused: true };
  }
}

function invoke(
  method: Method,
  x: unknown,
  y: unknown,
  options: Record<string, unknown> | undefined,
): Promise<unknown> | unknown {
  const untyped = model as unknown as Record<Method, (...args: unknown[]) => unknown>;
  if (method === "predict") return untyped.predict.call(model, x, options);
  if (method === "predictOnBatch") return untyped.predictOnBatch.call(model, x);
  return untyped[method].call(model, x, y, options);
}

function checkResult(method: Method, result: unknown): string | null {
  if (method === "predict" || method === "predictOnBatch") {
    if (!(result instanceof Tensor) || result.shape.length !== 2 || result.shape[1] !== CLASSES)
      return `${method} gave ${String(result)}`;
    return null;
  }
  if (method === "fit") {
    const history = (result as { history?: Record<string, number[]> }).history;
    return history && Array.isArray(history.loss) ? null : `fit gave no history: ${String(result)}`;
  }
  return typeof (result as { loss?: unknown }).loss === "number" ? null : `${method} gave ${JSON.stringify(result)}`;
}

describe("fit / evaluate / predict arguments under fuzzing", () => {
  test(`${ARGUMENT_RUNS} generated calls: the work done or densa's own Error, with weights and memory untouched`, async () => {
    const outcomes = { done: 0, refused: 0 };
    const allocator = getEngine().allocator;
    await fc.assert(
      fc.asyncProperty(call, async (generated) => {
        const { problem, refused } = await runCall(generated);
        if (problem !== null) throw new Error(problem);
        // The model's weights, optimizer slots, trainer and buffers are a few dozen blocks; more is a leak.
        const modelBlocks = allocator.liveBlocks - blocksBeforeModel;
        if (modelBlocks > 64)
          throw new Error(
            `the model holds ${modelBlocks} wasm blocks after ${JSON.stringify(generated.method)}: a leak`,
          );
        outcomes[refused ? "refused" : "done"]++;
      }),
      // NOTE: timeout catches a call that never settles (a hang); calls take milliseconds, so 10 s never flakes.
      { seed: ARGUMENT_SEED, numRuns: ARGUMENT_RUNS, endOnFailure: true, timeout: 10_000 },
    );
    expect(outcomes.done + outcomes.refused).toBe(ARGUMENT_RUNS);
    // The generators must reach both paths often: a fuzz run that only ever sees refusals tests little.
    expect(outcomes.done).toBeGreaterThan(ARGUMENT_RUNS / 10);
    expect(outcomes.refused).toBeGreaterThan(ARGUMENT_RUNS / 10);
    model.dispose();
    disposed = true;
    expect([allocator.bytesInUse, allocator.liveBlocks]).toEqual([bytesBeforeModel, blocksBeforeModel]);
    console.log(`argument fuzzing: ${outcomes.done} calls did their work, ${outcomes.refused} were refused`);
  });
});
