// Training app of densa-train.mjs with named imports (`import { Dense } from "densa"`, as Keras users write
// `from keras.layers import Dense`): what esbuild can tree-shake, since it keeps a re-exported namespace whole.
import { Dense, init, Sequential, tensor } from "densa";

await init();
const count = 256;
const model = new Sequential([
  new Dense(128, { activation: "relu", inputShape: [784] }),
  new Dense(64, { activation: "relu" }),
  new Dense(10, { activation: "softmax" }),
]);
model.compile({ optimizer: "adam", loss: "categorical_crossentropy" });
const x = tensor(new Float32Array(count * 784).map(Math.random), [count, 784]);
const y = tensor(
  new Float32Array(count * 10).map((_, i) => (i % 10 === 3 ? 1 : 0)),
  [count, 10],
);
await model.fit(x, y, { epochs: 1, batchSize: 32 });
console.log(model.predict(tensor(new Float32Array(784), [1, 784])).data);
