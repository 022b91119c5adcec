// Functional training app of densa-functional-train.mjs with named imports (`import { Dense } from "densa"`):
// what esbuild can tree-shake, since it keeps a re-exported namespace whole.
import { BatchNormalization, Concatenate, Dense, Embedding, Flatten, Input, init, Model, tensor } from "densa";

await init();
const count = 256;
const features = Input({ shape: [8], name: "features" });
const city = Input({ shape: [1], name: "city" });
const cityVec = new Flatten().apply(new Embedding(50, 4).apply(city));
const joined = new Concatenate().apply([features, cityVec]);
const hidden = new BatchNormalization().apply(new Dense(32, { activation: "relu" }).apply(joined));
const churn = new Dense(1, { activation: "sigmoid", name: "churn" }).apply(hidden);
const model = new Model({ inputs: [features, city], outputs: churn, name: "wide_deep" });
model.compile({ optimizer: "adam", loss: "binary_crossentropy", metrics: ["accuracy"] });
const xNum = tensor(new Float32Array(count * 8).map(Math.random), [count, 8]);
const xCity = tensor(
  new Float32Array(count).map(() => Math.floor(Math.random() * 50)),
  [count, 1],
);
const y = tensor(
  new Float32Array(count).map(() => (Math.random() > 0.5 ? 1 : 0)),
  [count, 1],
);
await model.fit({ features: xNum, city: xCity }, y, { epochs: 1, batchSize: 32 });
console.log(model.predict([xNum, xCity]).data);
