// Page script of tests/web/keras-browser.test.ts: saves and loads in every browser scheme and format with the
// built package (dist/densa.js), and reports predictions for the test to compare. Bundled by esbuild.
import { init, layers, loadModel, Sequential, tensor } from "../../../dist/densa.js";

const report = {};
const x = tensor(
  Float32Array.from({ length: 24 }, (_, i) => Math.fround((i % 7) / 3 - 1)),
  [4, 6],
);
const predict = (model) => Array.from(model.predict(x).data);

async function run() {
  await init();
  const model = new Sequential(
    [new layers.Dense(5, { activation: "relu", inputShape: [6] }), new layers.Dense(2, { activation: "softmax" })],
    { name: "page" },
  );
  model.compile({ optimizer: "adam", loss: "categorical_crossentropy" });
  await model.fit(
    x,
    tensor(
      Float32Array.from({ length: 8 }, (_, i) => (i % 2 === (i >> 1) % 2 ? 1 : 0)),
      [4, 2],
    ),
    { epochs: 2, batchSize: 2, seed: 1, verbose: 0 },
  );
  report.original = predict(model);
  for (const url of [
    "indexeddb://page-model",
    "indexeddb://page-model.keras",
    "localstorage://page-model",
    "localstorage://page-model.keras",
  ]) {
    await model.save(url);
    const again = await loadModel(url);
    report[url] = predict(again);
    again.dispose();
  }
  await model.saveWeights("indexeddb://page.weights.h5");
  const fresh = new Sequential([
    new layers.Dense(5, { activation: "relu", inputShape: [6] }),
    new layers.Dense(2, { activation: "softmax" }),
  ]);
  fresh.predict(x);
  await fresh.loadWeights("indexeddb://page.weights.h5");
  report["loadWeights indexeddb"] = predict(fresh);
  await model.save("downloads://page-model.keras");
  await model.save("downloads://page-tfjs");
  report.missing = await loadModel("indexeddb://nothing-here").then(
    () => "loaded?!",
    (error) => error.message,
  );
  report.downloadsLoad = await loadModel("downloads://page-model.keras").then(
    () => "loaded?!",
    (error) => error.message,
  );
  // A File, as from <input type=file>.
  const file = new File([await model.toKeras()], "churn.keras");
  const fromFile = await loadModel(file);
  report.file = predict(fromFile);
  fromFile.dispose();
}

run().then(
  () => {
    window.__report = report;
  },
  (error) => {
    window.__report = { error: `${error?.name}: ${error?.message}\n${error?.stack}` };
  },
);
