// fit and evaluate around their callbacks: the batch is copied into wasm only after onBatchBegin; one fit / one
// evaluation at a time per model, and dispose() while they run; the compiled optimizer and loss before the model
// is built.
import { beforeAll, describe, expect, it } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import { callbacks, init, layers, optimizers, Sequential } from "../../ts/index.js";
import { rejection } from "../helpers/model-fixtures.js";

beforeAll(async () => {
  await init();
});

const x = Array.from({ length: 40 }, (_, i) => [(i % 7) / 7, (i % 5) / 5]);
const y = x.map(([a, b]) => [a - 2 * b]);
const weightsOf = (model: Sequential) => model.getWeights().map((weight) => Array.from(weight.data));

function model(name?: string) {
  const m = new Sequential(
    [
      new layers.Dense(3, { inputShape: [2], kernelInitializer: "ones" }),
      new layers.Dense(1, { kernelInitializer: "ones" }),
    ],
    { name },
  );
  m.compile({ optimizer: "sgd", loss: "mse" });
  return m;
}

describe("the batch enters wasm after onBatchBegin", () => {
  const fitOptions = { epochs: 2, batchSize: 8, verbose: 0, shuffle: false } as const;
  const hooks = (m: Sequential) => [
    new callbacks.LambdaCallback({
      onBatchBegin: async () => {
        await m.evaluate(
          [
            [100, 100],
            [50, -50],
          ],
          [[0], [1]],
          { verbose: 0 },
        );
        m.predict(Array.from({ length: 64 }, () => [9, 9])); // a larger batch: the layers' buffers grow
      },
    }),
  ];

  it("evaluate and predict inside an async onBatchBegin do not change what fit trains on (arrays)", async () => {
    const plain = model();
    await plain.fit(x, y, fitOptions);
    const busy = model();
    await busy.fit(x, y, { ...fitOptions, callbacks: hooks(busy) });
    expect(weightsOf(busy)).toEqual(weightsOf(plain));
    plain.dispose();
    busy.dispose();
  });

  it("… nor on a data set", async () => {
    const batches = [0, 8, 16, 24, 32].map((start) => [x.slice(start, start + 8), y.slice(start, start + 8)]);
    const plain = model();
    await plain.fit(batches, { epochs: 2, verbose: 0 });
    const busy = model();
    await busy.fit(batches, { epochs: 2, verbose: 0, callbacks: hooks(busy) });
    expect(weightsOf(busy)).toEqual(weightsOf(plain));
    plain.dispose();
    busy.dispose();
  });
});

describe("one fit and one evaluation at a time", () => {
  it("a second fit while one runs is refused; the first trains as if alone", async () => {
    const alone = model();
    await alone.fit(x, y, { epochs: 3, verbose: 0, shuffle: false });
    const m = model("busy_model");
    const first = m.fit(x, y, { epochs: 3, verbose: 0, shuffle: false });
    const second = m.fit(x, y, { epochs: 3, verbose: 0 });
    expect(await rejection(second)).toBe(
      'fit: the model "busy_model" is training (a fit() call has not finished); call fit after that fit() resolves',
    );
    await first;
    expect(weightsOf(m)).toEqual(weightsOf(alone));
    // Done: fit works again.
    await m.fit(x, y, { verbose: 0 });
    alone.dispose();
    m.dispose();
  });

  it("inside fit's hooks: evaluate, predict and testOnBatch work; trainOnBatch, compile, add and pop are refused", async () => {
    const m = model("hooked");
    const seen: string[] = [];
    const attempt = (name: string, call: () => unknown) => {
      try {
        call();
        seen.push(`${name}: ok`);
      } catch (error) {
        seen.push(`${name}: ${(error as Error).message}`);
      }
    };
    await m.fit(x, y, {
      epochs: 1,
      batchSize: 40,
      verbose: 0,
      callbacks: [
        new callbacks.LambdaCallback({
          onBatchEnd: async () => {
            await m.evaluate(x, y, { verbose: 0 });
            attempt("predict", () => m.predict(x));
            attempt("testOnBatch", () => m.testOnBatch(x, y));
            attempt("trainOnBatch", () => m.trainOnBatch(x, y));
            attempt("compile", () => m.compile({ optimizer: "sgd", loss: "mse" }));
            attempt("add", () => m.add(new layers.Dense(1)));
            attempt("pop", () => m.pop());
          },
        }),
      ],
    });
    const refused = (fn: string) =>
      `${fn}: ${fn}: the model "hooked" is training (a fit() call has not finished); call ${fn} after that fit() resolves`;
    expect(seen).toEqual([
      "predict: ok",
      "testOnBatch: ok",
      refused("trainOnBatch"),
      refused("compile"),
      refused("add"),
      refused("pop"),
    ]);
    expect(m.layers.length).toBe(2);
    m.dispose();
  });

  it("an evaluate from a hook of fit's validation pass (or of another evaluate) is refused", async () => {
    const m = model("validating");
    const messages: string[] = [];
    const nested = new callbacks.LambdaCallback({
      onTestBatchEnd: async () => {
        messages.push(await rejection(m.evaluate(x, y, { verbose: 0 })));
      },
    });
    await m.fit(x, y, { epochs: 1, verbose: 0, validationData: [x, y], validationBatchSize: 40, callbacks: [nested] });
    await m.evaluate(x, y, { verbose: 0, batchSize: 40, callbacks: [nested] });
    const refused =
      'evaluate: the model "validating" is evaluating (an evaluate() call or fit\'s validation has not finished, and they share the compiled metrics); call evaluate after it resolves';
    expect(messages).toEqual([refused, refused]);
    m.dispose();
  });

  it("fit while an evaluate awaits a hook is refused", async () => {
    const m = model("evaluating");
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const evaluation = m.evaluate(x, y, {
      verbose: 0,
      callbacks: [new callbacks.LambdaCallback({ onTestBegin: () => gate })],
    });
    expect(await rejection(m.fit(x, y, { verbose: 0 }))).toContain('fit: the model "evaluating" is evaluating');
    expect(() => m.trainOnBatch(x, y)).toThrow('trainOnBatch: the model "evaluating" is evaluating');
    release();
    // The refused fit changed nothing: the held evaluation equals the float64 loss of the untouched model,
    // 3·(a + b) with all-ones kernels and zero biases, under MSE.
    const expected = x.reduce((sum, [a, b], i) => sum + (3 * (a + b) - y[i][0]) ** 2, 0) / x.length;
    expect(Math.abs((await evaluation).loss - expected)).toBeLessThan(1e-5 * expected);
    m.dispose();
  });

  it("dispose() inside a fit hook: fit stops with a clear error, no later hook runs, and the memory is freed after", async () => {
    const allocator = getEngine().allocator;
    const before = allocator.bytesInUse;
    const m = model("disposed_in_fit");
    const calls: string[] = [];
    const message = await rejection(
      m.fit(x, y, {
        epochs: 3,
        verbose: 0,
        callbacks: [
          new callbacks.LambdaCallback({
            onEpochEnd: (epoch) => {
              calls.push(`epochEnd ${epoch}`);
              if (epoch === 0) {
                m.dispose();
                expect(() => m.predict(x)).toThrow('predict: the model "disposed_in_fit" was disposed');
              }
            },
            onBatchBegin: (batch) => {
              calls.push(`batchBegin ${batch}`);
            },
            onTrainEnd: () => {
              calls.push("trainEnd");
            },
          }),
        ],
      }),
    );
    expect(message).toBe('fit: the model "disposed_in_fit" was disposed while fit was running; fit stopped there');
    expect(calls).toEqual(["batchBegin 0", "batchBegin 1", "epochEnd 0"]);
    expect(allocator.bytesInUse).toBe(before);
  });

  it("dispose() inside an evaluate hook stops evaluate the same way", async () => {
    const allocator = getEngine().allocator;
    const before = allocator.bytesInUse;
    const m = model("disposed_in_evaluate");
    const message = await rejection(
      m.evaluate(x, y, {
        verbose: 0,
        batchSize: 8,
        callbacks: [new callbacks.LambdaCallback({ onTestBatchEnd: () => m.dispose() })],
      }),
    );
    expect(message).toBe(
      'evaluate: the model "disposed_in_evaluate" was disposed while evaluate was running; evaluate stopped there',
    );
    expect(allocator.bytesInUse).toBe(before);
  });
});

describe("optimizer and loss right after compile", () => {
  it("are the compiled ones before the model is built, so LR callbacks work on fit(dataset) of an unbuilt model", async () => {
    const m = new Sequential([new layers.Dense(4), new layers.Dense(1)]);
    const adam = new optimizers.Adam({ learningRate: 0.1 });
    m.compile({ optimizer: adam, loss: "mse" });
    expect(m.built).toBe(false);
    expect(m.optimizer).toBe(adam);
    expect(m.loss?.lossName).toBe("mean_squared_error");
    const data = [
      [[[1, 2]], [[1]]],
      [[[3, 4]], [[2]]],
    ];
    const history = await m.fit(data, {
      epochs: 2,
      verbose: 0,
      callbacks: [
        new callbacks.LearningRateScheduler((epoch) => 0.1 / (epoch + 1)),
        new callbacks.ReduceLROnPlateau({ monitor: "loss" }),
      ],
    });
    expect(history.history.learning_rate.map((lr) => Math.fround(lr))).toEqual([Math.fround(0.1), Math.fround(0.05)]);
    m.dispose();
  });
});
