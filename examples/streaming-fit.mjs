// Streaming fit: the training data comes from an async generator, batch by batch, and never exists as one
// array; Keras's generator form of fit. Here the stream is endless (fresh samples of three interleaved
// spirals, a classic toy problem), so fit needs stepsPerEpoch to know where an epoch ends. The same shape of
// code reads batches from a file, a database cursor or the network.
//
//   npm run build && node examples/streaming-fit.mjs
import { init, layers, optimizers, Sequential, setRandomSeed, tensor } from "densa";
import { percent } from "./report.mjs";
import { makeSpirals, seededFloats } from "./synthetic.mjs";

await init();
setRandomSeed(11);

const ARMS = 3;
const BATCH = 64;

/** Endless batches of [x, y]: x is BATCH × 2 coordinates, y BATCH integer labels. */
async function* spiralBatches(seed) {
  const random = seededFloats(seed);
  for (;;) {
    // A real source would `await` its I/O here (a file read, a fetch); fit awaits every batch it takes.
    const batch = makeSpirals(BATCH, { arms: ARMS, random });
    yield [tensor(batch.x, [BATCH, 2]), batch.y];
  }
}

const model = new Sequential([
  new layers.Dense(64, { activation: "relu", inputShape: [2] }),
  new layers.Dense(64, { activation: "relu" }),
  new layers.Dense(ARMS, { activation: "softmax" }),
]);
model.compile({
  optimizer: new optimizers.Adam({ learningRate: 0.005 }),
  loss: "sparse_categorical_crossentropy",
  metrics: ["accuracy"],
});

// A fixed validation set, drawn once from its own seed.
const validation = makeSpirals(600, { arms: ARMS, random: seededFloats(2) });
const history = await model.fit(spiralBatches(1), {
  epochs: 12,
  stepsPerEpoch: 100, // 100 batches of 64 = 6,400 fresh samples an epoch
  validationData: [tensor(validation.x, [validation.count, 2]), validation.y],
  verbose: 2,
});
console.log(`Saw ${(history.epoch.length * 100 * BATCH).toLocaleString("en-US")} samples, none of them twice.`);

// The test set: fresh points from a third seed.
const test = makeSpirals(1000, { arms: ARMS, random: seededFloats(3) });
const scores = await model.evaluate(tensor(test.x, [test.count, 2]), test.y);
console.log(`Test accuracy: ${percent(scores.accuracy)} (loss ${scores.loss.toFixed(4)}, ${test.count} samples)`);
model.dispose();
