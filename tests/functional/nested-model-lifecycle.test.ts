// A model nested in another: bad input (another shape, a cycle, changes to a nested model), its config and
// files, and dispose (the outer model frees it; measured with the engine allocator).
import { beforeAll, describe, expect, test } from "vitest";
import { Input, init, layers, loadModel, Model, Sequential } from "../../ts/index.js";
import type { Layer } from "../../ts/layers/layer.js";
import { uniformTensor } from "../helpers/finite-differences.js";
import { wasmUsage } from "../helpers/model-fixtures.js";
import { innerSequential, x8, y8 } from "../helpers/nested-fixtures.js";

beforeAll(() => init());

describe("bad input", () => {
  test("applying a built model to another shape names both shapes and changes nothing", () => {
    const inner = innerSequential("shaped");
    expect(() => inner.apply(Input({ shape: [5] }))).toThrow(
      /shaped\.apply: the model "shaped" is built for input shape \[4\].*shape \[5\]/,
    );
    expect(inner.inboundNodes).toHaveLength(0);
    expect(() => new Sequential([new layers.Dense(7, { inputShape: [2] }), inner])).toThrow(
      /"shaped" is built for input shape \[4\] but the model's output before it has shape \[7\]/,
    );
    expect(inner.predict(x8).shape).toEqual([8, 3]);
    inner.dispose();
  });

  test("a model nested in itself is refused (add itself, or add the model that holds it)", () => {
    const loop = innerSequential("loop");
    expect(() => loop.add(loop)).toThrow(/add: the model "loop" cannot be a layer of itself/);
    expect(loop.layers).toHaveLength(2);
    const outer = new Sequential([loop]);
    expect(() => loop.add(outer as never)).toThrow(/add: the model "loop" is a layer of the model/);
    expect(loop.layers).toHaveLength(2);
    outer.dispose();
  });

  test("a nested model's structure is fixed: add, pop and dispose on it are refused while the outer model holds it", () => {
    const inner = innerSequential("held");
    const outer = new Sequential([inner, new layers.Dense(1)], { name: "holder" });
    expect(() => inner.add(new layers.Dense(2))).toThrow(/add: the model "held" is a layer of the model "holder"/);
    expect(() => inner.pop()).toThrow(/pop: the model "held" is a layer of the model "holder"/);
    expect(() => inner.dispose()).toThrow(
      /dispose: the model "held" is a layer of the model "holder"; dispose "holder" instead/,
    );
    expect(inner.layers).toHaveLength(2);
    expect(outer.predict(x8).shape).toEqual([8, 1]);
    outer.dispose();
  });

  test("a model of several outputs cannot be a Sequential layer; a wrong input count cannot be applied", () => {
    const a = Input({ shape: [3] });
    const two = new Model({
      inputs: a,
      outputs: [new layers.Dense(1).apply(a), new layers.Dense(2).apply(a)],
      name: "two_out",
    });
    expect(() => new Sequential([two])).toThrow(/Sequential: the model "two_out" has 2 outputs/);
    const inner = innerSequential("single");
    expect(() => inner.apply([Input({ shape: [4] }), Input({ shape: [4] })])).toThrow(
      /takes 1 input tensor\(s\), got 2/,
    );
    expect(() => inner.apply("x" as never)).toThrow(/single\.apply: inputs must be the output of Input/);
    two.dispose();
    inner.dispose();
  });
});

describe("config and files", () => {
  test("getConfig nests the inner model's config (class Sequential, with its layers) and fromConfig rebuilds it as a model", () => {
    const inner = innerSequential("cfg_inner");
    const input = Input({ shape: [4], name: "cfg_x" });
    const joined = new layers.Concatenate({ name: "cfg_join" }).apply([inner.apply(input), inner.apply(input)]);
    const outer = new Model({
      inputs: input,
      outputs: new layers.Dense(1, { name: "cfg_head" }).apply(joined),
      name: "cfg_outer",
    });
    const config = outer.getConfig() as {
      layers: { className: string; name: string; config: { layers?: unknown[] }; inboundNodes: unknown[] }[];
    };
    const entry = config.layers.find((layer) => layer.name === "cfg_inner")!;
    expect(entry.className).toBe("Sequential");
    expect(entry.config.layers).toHaveLength(2);
    // Keras 2 / tfjs count the inner model's own call (its declared input) as node 0: the outer calls are 1 and 2.
    expect(config.layers.find((layer) => layer.name === "cfg_join")!.inboundNodes).toEqual([
      [
        ["cfg_inner", 1, 0, {}],
        ["cfg_inner", 2, 0, {}],
      ],
    ]);
    outer.dispose();
    const rebuilt = Model.fromConfig(config as never);
    expect(rebuilt.getLayer("cfg_inner")).toBeInstanceOf(Sequential);
    expect(rebuilt.getLayer("cfg_inner").inboundNodes).toHaveLength(2);
    expect(rebuilt.getConfig()).toEqual(config);
    rebuilt.dispose();
  });

  test("toKeras of a Sequential model holding a Sequential model: the inner weights land under the inner model's group and load back", async () => {
    const outer = new Sequential([innerSequential("k_inner"), new layers.Dense(1, { name: "k_head" })]);
    outer.setWeights(outer.getWeights().map((w, i) => uniformTensor([...w.shape], 60 + i)));
    const again = await loadModel(await outer.toKeras());
    expect(again.layers.map((layer) => [layer.name, layer.className])).toEqual([
      ["k_inner", "Sequential"],
      ["k_head", "Dense"],
    ]);
    expect(Array.from(again.predict(x8).data)).toEqual(Array.from(outer.predict(x8).data));
    again.dispose();
    outer.dispose();
  });
});

describe("dispose", () => {
  test("the outer model's dispose frees the inner model too: allocator back to where it was, the inner model reports it, no double free", async () => {
    const baseline = wasmUsage();
    const inner = new Sequential([
      new layers.Dense(6, { inputShape: [4], activation: "relu" }),
      new layers.BatchNormalization(),
      new layers.Dense(3),
    ]);
    const input = Input({ shape: [4] });
    const outer = new Model({ inputs: input, outputs: new layers.Dense(1).apply(inner.apply(input)) });
    outer.compile({ optimizer: "adam", loss: "mse" });
    await outer.fit(x8, y8, { epochs: 2, batchSize: 4, verbose: 0 });
    inner.predict(x8);
    expect(wasmUsage().bytesInUse).toBeGreaterThan(baseline.bytesInUse);
    outer.dispose();
    expect(wasmUsage().bytesInUse).toBe(baseline.bytesInUse);
    expect(wasmUsage().liveBlocks).toBe(baseline.liveBlocks);
    expect(inner.layers.every((layer: Layer) => layer.disposed)).toBe(true);
    expect(() => inner.predict(x8)).toThrow(/was disposed/);
    inner.dispose();
    outer.dispose();
    expect(wasmUsage().liveBlocks).toBe(baseline.liveBlocks);
  });

  test("build / fit / dispose cycles of a nested model hold no memory", async () => {
    const cycle = async () => {
      const inner = innerSequential("cycled");
      const outer = new Sequential([inner, new layers.Dense(1)]);
      outer.compile({ optimizer: "adam", loss: "mse" });
      await outer.fit(x8, y8, { epochs: 1, verbose: 0 });
      outer.dispose();
    };
    await cycle();
    const warm = wasmUsage();
    for (let i = 0; i < 20; i++) await cycle();
    expect(wasmUsage()).toEqual(warm);
  });
});
