// One cold start, run in a fresh Node process by run.mjs: `node bench/cold-start.mjs <adapter URL> <options JSON>`.
// Measures from before the adapter's import (which imports the library) to the first prediction's values.
// NOTE: no static imports here, so nothing is loaded before the clock starts but Node itself.
const startedAt = performance.now();
const [adapterUrl, optionsJson] = process.argv.slice(2);
const { load } = await import(adapterUrl);
const adapter = await load(JSON.parse(optionsJson));
const model = await adapter.createClassifier({ inputs: 784, hidden: [128, 64], classes: 10 });
const output = await model.predict(new Float32Array(784).fill(0.5), 1);
const firstPredictionMs = performance.now() - startedAt;
process.stdout.write(JSON.stringify({ firstPredictionMs, nodeBootMs: startedAt, outputs: output.length }));
