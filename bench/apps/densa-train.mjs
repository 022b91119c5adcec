// Training app: build, compile and fit the benchmark MLP, then predict.
import { init, layers, Sequential, tensor } from "densa";

await init();
const count = 256;
const model = new Sequential([
  new layers.Dense(128, { activation: "relu", inputShape: [784] }),
  new layers.Dense(64, { activation: "relu" }),
  new layers.Dense(10, { activation: "softmax" }),
]);
model.compile({ optimizer: "adam", loss: "categorical_crossentropy" });
const x = tensor(new Float32Array(count * 784).map(Math.random), [count, 784]);
const y = tensor(
  new Float32Array(count * 10).map((_, i) => (i % 10 === 3 ? 1 : 0)),
  [count, 10],
);
await model.fit(x, y, { epochs: 1, batchSize: 32 });
console.log(model.predict(tensor(new Float32Array(784), [1, 784])).data);
