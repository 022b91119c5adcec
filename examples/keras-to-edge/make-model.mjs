// Writes model/model.keras: a small churn-style classifier (12 features → 1 probability), trained by densa on
// seeded synthetic data and saved in Keras 3's own format — a stand-in for the model.keras of your notebook.
// Run with `node make-model.mjs` after `npm run build` in the repository root.
import { init, layers, Sequential, setRandomSeed, tensor } from "../../dist/densa.js";

await init();
setRandomSeed(2024);
const rows = 512;
const features = 12;
const x = new Float32Array(rows * features).map((_, i) => ((i * 37) % 101) / 50 - 1);
const y = new Float32Array(rows).map((_, r) =>
  x[r * features] + 0.5 * x[r * features + 3] - x[r * features + 7] > 0 ? 1 : 0,
);
const model = new Sequential(
  [
    new layers.Dense(16, { activation: "relu", inputShape: [features] }),
    new layers.Dropout(0.1),
    new layers.Dense(1, { activation: "sigmoid" }),
  ],
  { name: "churn" },
);
model.compile({ optimizer: "adam", loss: "binary_crossentropy", metrics: ["accuracy"] });
await model.fit(tensor(x, [rows, features]), tensor(y, [rows, 1]), { epochs: 20, batchSize: 32, seed: 1, verbose: 0 });
await model.save(new URL("./model/model.keras", import.meta.url).href);
console.log("wrote model/model.keras");
