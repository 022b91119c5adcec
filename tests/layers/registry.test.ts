// The layer registry on its own, without the "densa" entry (whose layer modules register their classes as they
// load): what densa/infer sees, and a bundle that keeps only the classes an app uses. Dense and InputLayer are always there; any other class is built only once loadLayerClasses
// has fetched its family's module, as loadModel does for the classes a file names.
import { describe, expect, test } from "vitest";
import { classNamesIn, LAYER_CLASSES, layerFromConfig, loadLayerClasses } from "../../ts/layers/registry.js";

describe("layer registry", () => {
  test("Dense and InputLayer build without loading; BatchNormalization only after its family is loaded", async () => {
    expect(layerFromConfig({ className: "Dense", config: { units: 3 } }, "here").className).toBe("Dense");
    expect(layerFromConfig({ className: "InputLayer", config: { batchInputShape: [null, 2] } }, "here").className).toBe(
      "InputLayer",
    );
    expect(() => layerFromConfig({ className: "BatchNormalization", config: {} }, "here: layer 1")).toThrow(
      "here: layer 1: layer class BatchNormalization is not loaded: use loadModel, or registerLayerClasses({ BatchNormalization }) to keep it in the bundle",
    );
    await loadLayerClasses(["BatchNormalization", "Dense", "NoSuchLayer"]);
    const layer = layerFromConfig({ className: "BatchNormalization", config: { momentum: 0.9 } }, "here");
    expect([layer.className, layer.getConfig().momentum]).toEqual(["BatchNormalization", 0.9]);
    // The family came whole: LayerNormalization is in the same module (Keras's normalization layers).
    expect(layerFromConfig({ className: "LayerNormalization", config: {} }, "here").className).toBe(
      "LayerNormalization",
    );
    expect(() => layerFromConfig({ className: "Concatenate", config: {} }, "here")).toThrow(
      /Concatenate is not loaded/,
    );
  });

  test("every class of the registry loads and builds from its family", async () => {
    await loadLayerClasses(Object.keys(LAYER_CLASSES));
    const args: Record<string, Record<string, unknown>> = {
      Dense: { units: 2 },
      InputLayer: { batchInputShape: [null, 2] },
      Embedding: { inputDim: 4, outputDim: 2 },
      Reshape: { targetShape: [2] },
      Permute: { dims: [1] },
      RepeatVector: { n: 2 },
      Rescaling: { scale: 2 },
      GaussianNoise: { stddev: 0.1 },
      GaussianDropout: { rate: 0.1 },
      AlphaDropout: { rate: 0.1 },
      Dropout: { rate: 0.1 },
      Activation: { activation: "relu" },
      Dot: { axes: 1 },
    };
    for (const className of Object.keys(LAYER_CLASSES)) {
      expect(layerFromConfig({ className, config: args[className] ?? {} }, "here").className).toBe(className);
    }
  });

  test("unknown names are refused by name, own keys only", () => {
    for (const className of ["LSTM", "constructor", "__proto__", "toString"]) {
      expect(() => layerFromConfig({ className, config: {} }, "here")).toThrow(
        `here: densa cannot run layer class "${className}"; supported classes are Dense, `,
      );
    }
  });

  test("classNamesIn finds every class a config names, in Keras's and tfjs's spelling, nested and deep", () => {
    const nested = {
      class_name: "Functional",
      config: {
        layers: [
          { class_name: "InputLayer", config: {} },
          { className: "Dense", config: { kernel_initializer: { class_name: "GlorotUniform", config: {} } } },
          { class_name: "Sequential", config: { layers: [{ class_name: "BatchNormalization", config: {} }] } },
        ],
      },
    };
    expect([...classNamesIn(nested)].sort()).toEqual([
      "BatchNormalization",
      "Dense",
      "Functional",
      "GlorotUniform",
      "InputLayer",
      "Sequential",
    ]);
    // NOTE: a config nested 100,000 deep (a hostile file) is walked without recursion.
    let deep: Record<string, unknown> = { class_name: "Softmax" };
    for (let i = 0; i < 100_000; i++) deep = { config: deep };
    expect([...classNamesIn(deep)]).toEqual(["Softmax"]);
    expect([...classNamesIn(null)]).toEqual([]);
    expect([...classNamesIn({ class_name: 7, className: ["Dense"] })]).toEqual([]); // names are strings
  });
});
