// Predict-only app: only brain.js's NeuralNetwork module (the package index also pulls in gpu.js, recurrent
// networks and a Node stream class that a browser bundle cannot resolve without polyfills).
import neuralNetworkModule from "brain.js/dist/neural-network.js";

const NeuralNetwork = neuralNetworkModule.default ?? neuralNetworkModule;
const net = new NeuralNetwork();
net.fromJSON(await (await fetch(new URL("./model.json", location.href))).json());
console.log(net.run(new Float32Array(784)));
