// The well-formed models the loader fuzz test starts from, as model.json objects plus their weight bytes:
// densa-saved models (with and without optimizer state), the same weights quantized as tensorflowjs_converter
// writes them (uint8 / uint16 with scale and min, float16), and a Keras model converted by tfjs.
import {
  layers,
  type ModelArtifacts,
  type ModelJson,
  optimizers,
  Sequential,
  tensor,
  type WeightSpec,
} from "../../ts/index.js";
import { housing } from "../helpers/keras-housing.js";
import { seededRandom } from "../helpers/model-fixtures.js";

export interface BaseModel {
  label: string;
  modelJson: ModelJson;
  weights: Uint8Array;
  /** Per-sample input shape and output shape of the intact model. */
  inputShape: number[];
  outputShape: number[];
}

function modelJsonOf(artifacts: ModelArtifacts): BaseModel["modelJson"] {
  const { weightSpecs = [], weightData: _data, ...rest } = artifacts;
  return {
    modelTopology: rest.modelTopology ?? {},
    ...rest,
    weightsManifest: [{ paths: ["weights.bin"], weights: weightSpecs }],
  } as ModelJson;
}

async function densaModels(): Promise<BaseModel[]> {
  const next = seededRandom(11);
  const classifier = new Sequential(
    [
      new layers.Dense(5, { activation: "relu", inputShape: [3], kernelInitializer: "glorotUniform" }),
      new layers.Dropout(0.25),
      new layers.Dense(4, { activation: "softmax" }),
    ],
    { name: "fuzz_classifier" },
  );
  classifier.compile({
    optimizer: new optimizers.Adam({ learningRate: 0.01 }),
    loss: "sparse_categorical_crossentropy",
    metrics: ["accuracy"],
  });
  const x = tensor(
    Float32Array.from({ length: 24 }, () => next() * 2 - 1),
    [8, 3],
  );
  classifier.trainOnBatch(x, [0, 1, 2, 3, 0, 1, 2, 3]);
  const withOptimizer = await classifier.save({ includeOptimizer: true });
  const plain = await classifier.save();
  classifier.dispose();

  const regressor = new Sequential(
    [
      new layers.Flatten({ inputShape: [2, 3] }),
      new layers.Normalization({ mean: [0, 1, 2, 3, 4, 5], variance: [1, 2, 3, 4, 5, 6] }),
      new layers.Dense(3, { useBias: false }),
      new layers.Activation("tanh"),
      new layers.Dense(2),
    ],
    { name: "fuzz_regressor" },
  );
  regressor.compile({ optimizer: "sgd", loss: "mse", metrics: ["mae"] });
  const regressorArtifacts = await regressor.save();
  regressor.dispose();

  const bytes = (artifacts: ModelArtifacts) => new Uint8Array(artifacts.weightData as ArrayBuffer);
  return [
    {
      label: "densa classifier + optimizer",
      modelJson: modelJsonOf(withOptimizer),
      weights: bytes(withOptimizer),
      inputShape: [3],
      outputShape: [4],
    },
    {
      label: "densa classifier",
      modelJson: modelJsonOf(plain),
      weights: bytes(plain),
      inputShape: [3],
      outputShape: [4],
    },
    {
      label: "densa regressor",
      modelJson: modelJsonOf(regressorArtifacts),
      weights: bytes(regressorArtifacts),
      inputShape: [2, 3],
      outputShape: [2],
    },
  ];
}

/** The same model with every float32 weight stored as `dtype` (the stored bytes are arbitrary but of the right size). */
function quantized(base: BaseModel, dtype: "uint8" | "uint16" | "float16", seed: number): BaseModel {
  const next = seededRandom(seed);
  const json = structuredClone(base.modelJson);
  const specs = json.weightsManifest![0].weights as WeightSpec[];
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const spec of specs) {
    const size = spec.shape.reduce((product, dim) => product * dim, 1);
    const stored = base.weights.slice(offset, offset + size * 4);
    offset += size * 4;
    if (spec.dtype !== "float32") {
      parts.push(stored);
      continue;
    }
    const width = dtype === "uint8" ? 1 : 2;
    parts.push(Uint8Array.from({ length: size * width }, () => Math.floor(next() * 256)));
    spec.quantization = dtype === "float16" ? { dtype } : { dtype, scale: 0.01, min: -1, original_dtype: "float32" };
  }
  const weights = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  parts.reduce((at, part) => (weights.set(part, at), at + part.length), 0);
  return { ...base, label: `${base.label} as ${dtype}`, modelJson: json, weights };
}

function kerasHousing(): BaseModel | null {
  if (!housing) return null;
  return {
    label: "Keras housing (tensorflowjs_converter)",
    modelJson: JSON.parse(housing.modelJsonText),
    weights: housing.shard,
    inputShape: [4],
    outputShape: [1],
  };
}

export async function baseModels(): Promise<BaseModel[]> {
  const own = await densaModels();
  return [
    ...own,
    quantized(own[1], "uint8", 1),
    quantized(own[1], "uint16", 2),
    quantized(own[2], "float16", 3),
    kerasHousing(),
  ].filter((model): model is BaseModel => model !== null);
}
