// Training app: only brain.js's NeuralNetwork module, configured as in bench/peers/brain.mjs.
import neuralNetworkModule from "brain.js/dist/neural-network.js";

const NeuralNetwork = neuralNetworkModule.default ?? neuralNetworkModule;
const net = new NeuralNetwork({ hiddenLayers: [128, 64], activation: "relu" });
const samples = Array.from({ length: 256 }, () => ({
  input: Array.from({ length: 784 }, Math.random),
  output: Array.from({ length: 10 }, (_, i) => (i === 3 ? 1 : 0)),
}));
net.train(samples, { iterations: 1, errorThresh: 1e-9, praxis: "adam", learningRate: 1e-3 });
console.log(net.run(new Float32Array(784)));
