// brain.js 1.6.1 NeuralNetwork, configured as close to the others as it allows. It differs in ways it cannot
// be configured out of:
// - it trains one sample at a time (online updates, no mini-batches), so "batch 32" does not apply;
// - one activation for every layer: relu hidden layers, but also a relu output (no softmax);
// - its output error is target − output (squared-error gradient), not categorical cross-entropy;
// - its Adam ("praxis: adam") takes two Math.pow per weight per sample for the bias corrections;
// - it checks its training error on every iteration (errorCheckInterval 1), which costs an MSE over 10 outputs.
// Inputs must be plain arrays (brain.js tells arrays from lookup objects with Array.isArray).
import brain from "brain.js";

export async function load() {
  const trainOptions = { iterations: 1, errorThresh: 1e-9, praxis: "adam", learningRate: 1e-3, log: false };
  return {
    name: "brain.js",
    notes: "brain.js 1.6.1 NeuralNetwork, relu everywhere, praxis adam lr 1e-3, per-sample updates",
    async activate() {},
    async createClassifier({ inputs, hidden, classes }) {
      const net = new brain.NeuralNetwork({ hiddenLayers: hidden, activation: "relu" });
      // brain.js sizes its layers from the first training data: one sample builds the network.
      net.train([{ input: new Array(inputs).fill(0), output: new Array(classes).fill(0) }], trainOptions);
      return {
        train(x, y, count) {
          const samples = [];
          for (let i = 0; i < count; i++) {
            samples.push({
              input: Array.from(x.subarray(i * inputs, (i + 1) * inputs)),
              output: Array.from(y.subarray(i * classes, (i + 1) * classes)),
            });
          }
          net.train(samples, trainOptions);
        },
        predict(x, count) {
          const out = new Float32Array(count * classes);
          for (let i = 0; i < count; i++) out.set(net.run(x.subarray(i * inputs, (i + 1) * inputs)), i * classes);
          return out;
        },
        dispose() {},
      };
    },
  };
}
