// The real @tensorflow/tfjs (cpu backend) as the reference for interoperability tests, loaded once.
import type * as TfModule from "@tensorflow/tfjs";

let loaded: Promise<typeof TfModule> | undefined;

export function loadTfjs(): Promise<typeof TfModule> {
  loaded ??= (async () => {
    // NOTE: tfjs greets Node users on first use with a console message about tfjs-node; keep test output clean.
    const { log, warn } = console;
    console.log = console.warn = () => {};
    try {
      const tf = await import("@tensorflow/tfjs");
      await tf.setBackend("cpu");
      await tf.ready();
      tf.tensor([0]).dispose();
      return tf;
    } finally {
      Object.assign(console, { log, warn });
    }
  })();
  return loaded;
}

/** tfjs's predictions for `x` (rows × features) as a Float32Array. */
export function tfjsPredict(
  tf: typeof TfModule,
  model: TfModule.LayersModel,
  x: Float32Array,
  rows: number,
): Float32Array {
  const input = tf.tensor2d(x, [rows, x.length / rows]);
  const output = model.predict(input) as TfModule.Tensor;
  const values = output.dataSync() as Float32Array;
  input.dispose();
  output.dispose();
  return Float32Array.from(values);
}

/**
 * Checks |actual − expected| ≤ rel · max(|expected|, largest |expected| of the same sample) for every element and
 * names the first that fails. NOTE: relative to the sample's scale, because two float32 libraries summing in
 * another order differ by a few ulps of the terms; an output that cancels to near zero keeps that absolute
 * difference, which is no bigger but relatively huge.
 */
export function relativeMismatch(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rel: number,
  width = 1,
): string | null {
  if (actual.length !== expected.length) return `length ${actual.length} vs ${expected.length}`;
  for (let row = 0; row < expected.length; row += width) {
    let scale = 0;
    for (let i = row; i < row + width; i++) scale = Math.max(scale, Math.abs(expected[i]));
    for (let i = row; i < row + width; i++) {
      const bound = rel * Math.max(Math.abs(expected[i]), scale);
      if (!(Math.abs(actual[i] - expected[i]) <= bound))
        return `index ${i}: ${actual[i]} vs ${expected[i]} (bound ${bound})`;
    }
  }
  return null;
}

/** Captures what tfjs's save hands to an IOHandler (the model.json artifacts and weights, in memory). */
export async function saveWithTfjs(
  tf: typeof TfModule,
  model: TfModule.LayersModel,
  includeOptimizer = false,
): Promise<TfModule.io.ModelArtifacts> {
  let saved: TfModule.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: "JSON" } };
    }),
    { includeOptimizer },
  );
  return saved!;
}
