// Bad model files: each is a clear Error, thrown before a model exists, and no wasm memory is left behind.
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import { init, layers, loadModel, type ModelArtifacts, type ModelSource, Sequential } from "../../ts/index.js";
import { loadModel as loadForInference } from "../../ts/infer.js";
import { housing } from "../helpers/keras-housing.js";
import { type StaticServer, serveFiles } from "./server.js";

const kerasJson = housing?.modelJsonText ?? "{}";
const kerasShard = housing?.shard ?? new Uint8Array(0);

/** A fresh copy of the Keras model.json to break. */
const kerasModel = () => JSON.parse(kerasJson);
const firstSpec = (json: any) => json.weightsManifest[0].weights[0];

let server: StaticServer;
beforeAll(async () => {
  await init();
  const twoShards = kerasModel();
  twoShards.weightsManifest[0].paths = ["shard-a.bin", "shard-b.bin"];
  server = await serveFiles({
    "/good/model.json": kerasJson,
    "/good/group1-shard1of1": kerasShard,
    "/malformed/model.json": kerasJson.slice(0, 200),
    "/no-shard/model.json": kerasJson,
    "/two-shards/model.json": JSON.stringify(twoShards),
    "/two-shards/shard-a.bin": kerasShard.subarray(0, 20000),
    "/not-a-model/model.json": JSON.stringify({ hello: "world" }),
  });
});
afterAll(() => server.close());

/** Expects `source` to be refused with `message`, by both entries, leaving every wasm block as it was. */
async function expectRefused(source: ModelSource | (() => ModelSource), message: RegExp, options = {}): Promise<void> {
  const allocator = getEngine().allocator;
  const bytes = allocator.bytesInUse;
  const blocks = allocator.liveBlocks;
  const make = typeof source === "function" ? source : () => source;
  await expect(loadModel(make(), options)).rejects.toThrow(message);
  await expect(loadForInference(make(), options)).rejects.toThrow(message);
  expect(allocator.bytesInUse).toBe(bytes);
  expect(allocator.liveBlocks).toBe(blocks);
}

describe.skipIf(!housing)("refused files", () => {
  test("the good files load (the baseline every case below breaks)", async () => {
    const model = await loadModel(`${server.url}/good/model.json`);
    expect(model.countParams()).toBe(8705);
    model.dispose();
  });

  test("malformed JSON", async () => {
    await expectRefused(`${server.url}/malformed/model.json`, /model\.json is not valid JSON/);
    await expectRefused({ modelJson: '{ "modelTopology": ', weights: kerasShard }, /modelJson is not valid JSON/);
    await expectRefused(
      { modelJson: { weightsManifest: [] } as never, weights: kerasShard },
      /modelJson must be a model.json object with a modelTopology/,
    );
    await expectRefused(`${server.url}/not-a-model/model.json`, /must be a model.json object with a modelTopology/);
    const badManifest = kerasModel();
    badManifest.weightsManifest = [{ paths: "group1-shard1of1", weights: [] }];
    await expectRefused({ modelJson: badManifest, weights: kerasShard }, /malformed weightsManifest/);
  });

  test("URLs that answer 404: model.json, and a shard", async () => {
    await expectRefused(
      `${server.url}/missing/model.json`,
      /fetching http:\/\/127\.0\.0\.1:\d+\/missing\/model\.json failed with HTTP 404/,
    );
    await expectRefused(`${server.url}/no-shard/model.json`, /no-shard\/group1-shard1of1 failed with HTTP 404/);
    await expectRefused(`${server.url}/two-shards/model.json`, /two-shards\/shard-b\.bin failed with HTTP 404/);
  });

  test("a server that does not answer", async () => {
    await expectRefused("http://127.0.0.1:9/model.json", /could not fetch http:\/\/127\.0\.0\.1:9\/model\.json/);
  });

  test("missing or short shards, and too many bytes", async () => {
    await expectRefused(
      { modelJson: kerasModel(), weights: [] },
      /the weight data has 0 bytes but the manifest describes 34820 \(a weight file is missing or short\)/,
    );
    await expectRefused(
      { modelJson: kerasModel(), weights: kerasShard.subarray(0, 34816) },
      /has 34816 bytes but the manifest describes 34820 \(a weight file is missing or short\)/,
    );
    await expectRefused(
      { modelJson: kerasModel(), weights: [kerasShard, new Uint8Array(4)] },
      /has 34824 bytes .* more than the manifest describes/,
    );
    await expectRefused(
      `file://${join(tmpdir(), "densa-no-such-dir", "model.json")}`,
      /could not read .*densa-no-such-dir/,
    );
    await expectRefused(
      { modelTopology: kerasModel().modelTopology, weightData: new ArrayBuffer(8) } as ModelArtifacts,
      /weightData but no weightSpecs/,
    );
  });

  test("shapes that disagree with the topology", async () => {
    const wrongShape = kerasModel();
    firstSpec(wrongShape).shape = [64, 4]; // same size, other shape
    await expectRefused(
      { modelJson: wrongShape, weights: kerasShard },
      /weight dense_16\/kernel has shape \[64, 4\] but the topology gives dense_16\/kernel the shape \[4, 64\]/,
    );
    const wrongUnits = kerasModel();
    wrongUnits.modelTopology.model_config.config.layers[3].config.units = 2;
    await expectRefused(
      { modelJson: wrongUnits, weights: kerasShard },
      /weight dense_19\/kernel has shape \[64, 1\] but the topology gives dense_19\/kernel the shape \[64, 2\]/,
    );
    const wrongInput = kerasModel();
    wrongInput.modelTopology.model_config.config.layers[0].config.batch_input_shape = [null, 5];
    await expectRefused(
      { modelJson: wrongInput, weights: kerasShard },
      /dense_16\/kernel has shape \[4, 64\] but the topology gives dense_16\/kernel the shape \[5, 64\]/,
    );
  });

  test("weights whose names match no weight of the model", async () => {
    const renamed = kerasModel();
    firstSpec(renamed).name = "conv_1/kernel";
    await expectRefused(
      { modelJson: renamed, weights: kerasShard },
      /the weights do not match the topology: no weight for dense_16\/kernel; weights the model does not have: conv_1\/kernel/,
    );
  });

  test("unknown layer classes, named", async () => {
    const conv = kerasModel();
    conv.modelTopology.model_config.config.layers[1].class_name = "Conv2D";
    await expectRefused(
      { modelJson: conv, weights: kerasShard },
      /layer 1: densa cannot run layer class "Conv2D"; supported classes are Dense, /,
    );
    const graph = { ...kerasModel(), format: "graph-model" };
    await expectRefused(
      { modelJson: graph, weights: kerasShard },
      /the file holds a "graph-model"; densa loads the Layers format \("layers-model"\)/,
    );
    const functional = kerasModel();
    functional.modelTopology.model_config.class_name = "Functional";
    // A Functional topology must say which layers are its inputs and outputs.
    await expectRefused(
      { modelJson: functional, weights: kerasShard },
      /input_layers must list \[layer name, node, tensor\] entries, got undefined/,
    );
  });

  test("unsupported dtypes", async () => {
    for (const dtype of ["string", "complex64", "bool", "float64"]) {
      const json = kerasModel();
      firstSpec(json).dtype = dtype;
      await expectRefused(
        { modelJson: json, weights: kerasShard },
        new RegExp(`weight "dense_16/kernel" has dtype "${dtype}"; densa reads float32 and int32 weights`),
      );
    }
    const int4 = kerasModel();
    firstSpec(int4).quantization = { dtype: "int4", scale: 1, min: 0 };
    await expectRefused(
      { modelJson: int4, weights: kerasShard },
      /weight "dense_16\/kernel" has quantization "int4" for float32/,
    );
    const noScale = kerasModel();
    firstSpec(noScale).quantization = { dtype: "uint8" };
    await expectRefused(
      { modelJson: noScale, weights: kerasShard },
      /quantized to uint8 but has no finite scale and min/,
    );
    const intKernel = kerasModel();
    firstSpec(intKernel).dtype = "int32";
    await expectRefused(
      { modelJson: intKernel, weights: kerasShard },
      /weight dense_16\/kernel has dtype int32; model weights must be float32/,
    );
    const float16Layer = kerasModel();
    float16Layer.modelTopology.model_config.config.layers[0].config.dtype = "float16";
    await expectRefused(
      { modelJson: float16Layer, weights: kerasShard },
      /computes in string "float16"; densa computes in float32 only/,
    );
  });

  test("bad layer configs", async () => {
    const units = kerasModel();
    units.modelTopology.model_config.config.layers[2].config.units = -3;
    await expectRefused({ modelJson: units, weights: kerasShard }, /Dense: units must be a positive integer, got -3/);
    const activation = kerasModel();
    activation.modelTopology.model_config.config.layers[2].config.activation = "gelu_fast";
    await expectRefused({ modelJson: activation, weights: kerasShard }, /unknown activation "gelu_fast"/);
    const noInputShape = kerasModel();
    delete noInputShape.modelTopology.model_config.config.layers[0].config.batch_input_shape;
    await expectRefused({ modelJson: noInputShape, weights: kerasShard }, /the model's input shape is unknown/);
    const duplicate = kerasModel();
    duplicate.modelTopology.model_config.config.layers[1].config.name = "dense_16";
    await expectRefused({ modelJson: duplicate, weights: kerasShard }, /layer names must be unique/);
  });

  test("a training config densa cannot use: refused by loadModel unless compile: false", async () => {
    const json = kerasModel();
    json.modelTopology.training_config.loss = "focal_loss";
    const allocator = getEngine().allocator;
    const bytes = allocator.bytesInUse;
    await expect(loadModel({ modelJson: json, weights: kerasShard })).rejects.toThrow(
      /unknown loss "focal_loss".*pass \{ compile: false \}/,
    );
    expect(allocator.bytesInUse).toBe(bytes);
    const uncompiled = await loadModel({ modelJson: json, weights: kerasShard }, { compile: false });
    expect(uncompiled.optimizer).toBeNull();
    uncompiled.dispose();
    const ema = kerasModel();
    ema.modelTopology.training_config.optimizer_config.config.use_ema = true;
    await expect(loadModel({ modelJson: ema, weights: kerasShard })).rejects.toThrow(
      /exponential moving average of the weights \(use_ema\)/,
    );
    expect(allocator.bytesInUse).toBe(bytes);
  });

  test("optimizer state that does not fit the optimizer", async () => {
    const model = new Sequential([new layers.Dense(3, { inputShape: [2] })]);
    model.compile({ optimizer: "adam", loss: "mse" });
    await model.fit([[1, 2]], [[1, 2, 3]], { verbose: 0 });
    const artifacts = await model.save({ includeOptimizer: true });
    const specs = artifacts.weightSpecs!;
    const renamed = {
      ...artifacts,
      weightSpecs: specs.map((spec) => (spec.name === "dense/bias/v" ? { ...spec, name: "dense/bias/w" } : spec)),
    };
    const allocator = getEngine().allocator;
    const bytes = allocator.bytesInUse;
    await expect(loadModel(renamed)).rejects.toThrow(
      /unknown state "dense\/bias\/w"; Adam keeps iter, dense\/kernel\/m/,
    );
    const partial = {
      ...artifacts,
      weightSpecs: specs.slice(0, -1),
      weightData: (artifacts.weightData as ArrayBuffer).slice(0, -12),
    };
    await expect(loadModel(partial)).rejects.toThrow(/the state has 3 of the 4 slots/);
    expect(allocator.bytesInUse).toBe(bytes);
    model.dispose();
  });

  test("bad arguments", async () => {
    await expectRefused(
      "./model.json",
      /expected an http\(s\):\/\/ or file:\/\/ URL of a model.json, got string "\.\/model\.json"/,
    );
    await expectRefused(
      42 as never,
      /expected a URL, model artifacts, \{ modelJson, weights \} or an object with load\(\), got 42/,
    );
    await expectRefused(
      { modelJson: kerasModel(), weights: "bytes" } as never,
      /weights must be an ArrayBuffer or a typed array, got string/,
    );
    await expect(loadModel(`${server.url}/good/model.json`, { strict: true } as never)).rejects.toThrow(
      /unknown option "strict"/,
    );
  });
});

describe.skipIf(!housing)("http", () => {
  test("weight paths are relative to model.json, several shards are read in order", async () => {
    const json = kerasModel();
    json.weightsManifest = [
      { paths: ["shards/a.bin", "../other/b.bin"], weights: json.weightsManifest[0].weights.slice(0, 4) },
      { paths: ["c"], weights: json.weightsManifest[0].weights.slice(4) },
    ];
    const firstGroup = 4 * (4 * 64 + 64 + 64 * 64 + 64);
    const files = await serveFiles({
      "/models/v1/model.json": JSON.stringify(json),
      "/models/v1/shards/a.bin": kerasShard.subarray(0, 1000),
      "/models/other/b.bin": kerasShard.subarray(1000, firstGroup),
      "/models/v1/c": kerasShard.subarray(firstGroup),
    });
    try {
      const model = await loadModel(`${files.url}/models/v1/model.json`);
      const reference = await loadModel({ modelJson: kerasModel(), weights: kerasShard });
      expect(model.getWeights()).toEqual(reference.getWeights());
      expect([...files.requests].sort()).toEqual([
        "/models/other/b.bin",
        "/models/v1/c",
        "/models/v1/model.json",
        "/models/v1/shards/a.bin",
      ]);
      model.dispose();
      reference.dispose();
    } finally {
      await files.close();
    }
  });

  test("options.fetch and requestInit are used", async () => {
    const seen: { url: string; init?: RequestInit }[] = [];
    const fetchSpy = (url: string, init?: RequestInit) => (seen.push({ url, init }), fetch(url, init));
    const model = await loadForInference(`${server.url}/good/model.json`, {
      fetch: fetchSpy,
      requestInit: { headers: { authorization: "Bearer x" } },
    });
    expect(seen.map((entry) => entry.url.replace(server.url, ""))).toEqual([
      "/good/model.json",
      "/good/group1-shard1of1",
    ]);
    expect(seen.every((entry) => (entry.init!.headers as Record<string, string>).authorization === "Bearer x")).toBe(
      true,
    );
    model.dispose();
  });
});
