// densa, through its public API only, from the built package (`npm run build` writes dist/densa.js).
// Adapter interface (the same in every file of bench/peers/): see bench/README.md.
import { init, Sequential, layers, tensor } from "../../dist/densa.js";

export async function load() {
  await init();
  return {
    name: "densa",
    notes: "fit(): Adam (Keras default learning rate 1e-3), categorical cross-entropy, batch 32, no shuffle",
    async activate() {},
    async createClassifier({ inputs, hidden, classes }) {
      const model = new Sequential([
        new layers.Dense(hidden[0], { activation: "relu", inputShape: [inputs] }),
        ...hidden.slice(1).map((units) => new layers.Dense(units, { activation: "relu" })),
        new layers.Dense(classes, { activation: "softmax" }),
      ]);
      model.compile({ optimizer: "adam", loss: "categorical_crossentropy" });
      return {
        async train(x, y, count, batchSize) {
          await model.fit(tensor(x, [count, inputs]), tensor(y, [count, classes]), {
            epochs: 1,
            batchSize,
            shuffle: false,
            verbose: 0,
          });
        },
        predict(x, count) {
          return model.predict(tensor(x, [count, inputs])).data;
        },
        dispose() {
          model.dispose();
        },
      };
    },
  };
}
