// `npm run demo`: the whole densa workflow on real data in a few seconds. An MLP learns the UCI handwritten
// digits (8×8 pixel images, 10 classes): summary, Keras's progress bar, held-out accuracy, a confusion matrix,
// the learning curve in the terminal and as an SVG file, and the saved model.
//
// Outputs go to out/ (git-ignored), or to the folder in the DENSA_OUT_DIR environment variable.
import { mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { loadDigits, trainTestSplit } from "./datasets.mjs";
import { ensureBuilt } from "./ensure-build.mjs";
import { commonMistakes, confusionMatrix, formatConfusionMatrix, percent } from "./report.mjs";

ensureBuilt(); // a fresh clone has no dist/ yet
// Imported by the package's own name, as an application would (Node resolves a package's self-reference).
const densa = await import("densa");
const { init, Sequential, layers, tensor, setRandomSeed, learningCurveText, learningCurveSvg } = densa;

const outDir = process.env.DENSA_OUT_DIR ?? fileURLToPath(new URL("../out/", import.meta.url));
const shown = (path) => relative(process.cwd(), path) || ".";

await init();
setRandomSeed(42); // the same weights, the same shuffles, the same numbers on every run and runtime

// Data: 1797 images, 75 % to train on (of which fit holds back the last 10 % to validate each epoch),
// 25 % kept aside as the test set. Pixels are scaled to [0, 1].
const digits = loadDigits();
const { train, test } = trainTestSplit(digits, { testFraction: 0.25, seed: 0 });
const xTrain = tensor(train.x, [train.count, digits.features]);
const xTest = tensor(test.x, [test.count, digits.features]);
console.log("densa demo: a multilayer perceptron learns handwritten digits (UCI optical digits, 8×8 pixels)\n");
console.log(
  `${digits.count} images: ${train.count} to train on (10 % of them validate each epoch), ${test.count} held out for the test.\n`,
);

const model = new Sequential(
  [
    new layers.Dense(128, { activation: "relu", inputShape: [digits.features] }),
    new layers.Dense(digits.classes, { activation: "softmax" }),
  ],
  { name: "digits_mlp" },
);
model.summary();
model.compile({ optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"] });

console.log();
const started = performance.now();
const history = await model.fit(xTrain, train.y, {
  epochs: 30,
  batchSize: 32,
  validationSplit: 0.1,
  verbose: 1,
  seed: 1,
});
const seconds = (performance.now() - started) / 1000;
console.log(`\nTrained ${history.epoch.length} epochs in ${seconds.toFixed(2)} s.`);

// Held-out test: images the model never saw, neither in training nor in validation.
const scores = await model.evaluate(xTest, test.y, { batchSize: 256 });
const predicted = model.predict(xTest).argMax(-1).data; // class with the highest probability, per image
console.log(`\nTest accuracy: ${percent(scores.accuracy)} (loss ${scores.loss.toFixed(4)}, ${test.count} images)\n`);

const counts = confusionMatrix(test.y, predicted, digits.classes);
console.log("Confusion matrix (rows: true digit, columns: predicted digit):\n");
console.log(formatConfusionMatrix(counts, digits.classNames));
const mistakes = commonMistakes(counts, digits.classNames);
if (mistakes.length > 0) {
  console.log(
    `\nMost frequent mistakes: ${mistakes.map(({ count, from, to }) => `${from} read as ${to} (${count}×)`).join(", ")}`,
  );
}

console.log("\nLearning curve:\n");
console.log(learningCurveText(history, { width: 72, height: 12 }));

mkdirSync(outDir, { recursive: true });
const svgPath = join(outDir, "digits-learning-curve.svg");
writeFileSync(svgPath, learningCurveSvg(history));
console.log(`\nWrote ${shown(svgPath)} (open it in a browser).`);

// NOTE: model.save("file://…") writes model.json + a weights file in the TensorFlow.js Layers format.
const modelDir = join(outDir, "digits-model");
await model.save(`file://${modelDir}`);
const files = readdirSync(modelDir).map(
  (name) => `${name} (${statSync(join(modelDir, name)).size.toLocaleString("en-US")} bytes)`,
);
console.log(`Saved the model to ${shown(modelDir)}: ${files.join(", ")}.`);
const again = await densa.loadModel(`file://${join(modelDir, "model.json")}`);
const same = again
  .predict(xTest)
  .argMax(-1)
  .data.every((label, i) => label === predicted[i]);
console.log(`Loaded it back with loadModel: ${same ? "the same predictions" : "DIFFERENT predictions (a bug!)"}.`);
if (!same) process.exitCode = 1;
again.dispose();
model.dispose();
