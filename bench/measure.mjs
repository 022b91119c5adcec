// The timing loops of bench/run.mjs. Every loop interleaves the libraries (round-robin, starting one further
// each round) so that noise from other processes on this shared machine falls on all of them alike, and
// reports medians.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export function median(values) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** `entries` in the order of this round: rotated by `round`, so no library is always first or last. */
function rotated(entries, round) {
  return entries.map((_, i) => entries[(i + round) % entries.length]);
}

/** Whether a call returned a promise. Only those get awaited: awaiting a plain value would add a microtask
 * hop to the timing of a synchronous predict. */
function isThenable(value) {
  return value !== null && typeof value?.then === "function";
}

/** Runs `step` for every live entry, recording an entry's failure instead of stopping the others. */
async function forEachLive(entries, round, step) {
  for (const entry of rotated(entries, round)) {
    if (entry.failure) continue;
    try {
      await entry.adapter.activate();
      await step(entry);
    } catch (error) {
      entry.failure = `${error?.message ?? error}`.split("\n")[0];
      console.error(`  ${entry.name}: failed (${entry.failure}); left out from here on`);
    }
  }
}

/**
 * Training throughput: one `fit` epoch (batch `batchSize`, no shuffle) over the first `entry.trainSamples`
 * samples, timed in wall-clock and in process CPU time (user + system, which excludes waiting for a core).
 * One warm-up epoch first (JIT, buffer allocation), then `rounds` timed epochs.
 */
export async function measureTraining(entries, data, { rounds, batchSize }) {
  const runs = new Map(entries.map((entry) => [entry.name, { wall: [], cpu: [] }]));
  const trainOnce = async (entry) => {
    const count = entry.trainSamples;
    const x = data.x.subarray(0, count * data.features);
    const y = data.y.subarray(0, count * data.classes);
    const cpuBefore = process.cpuUsage();
    const start = performance.now();
    const done = entry.model.train(x, y, count, batchSize);
    if (isThenable(done)) await done;
    const wallSeconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    return { wall: count / wallSeconds, cpu: count / ((cpu.user + cpu.system) / 1e6) };
  };
  await forEachLive(entries, 0, trainOnce);
  for (let round = 0; round < rounds; round++) {
    console.error(`  training round ${round + 1}/${rounds}`);
    await forEachLive(entries, round, async (entry) => {
      const rates = await trainOnce(entry);
      runs.get(entry.name).wall.push(rates.wall);
      runs.get(entry.name).cpu.push(rates.cpu);
    });
  }
  return new Map(
    [...runs].map(([name, { wall, cpu }]) => [
      name,
      { samplesPerSecond: median(wall), cpuSamplesPerSecond: median(cpu), runs: wall.length },
    ]),
  );
}

/**
 * Inference: latency of `predict` on one sample (each call timed on its own; median of all calls) and
 * throughput at batch 256 (median time of a call → samples/s). Every call gets the next rows of the data, and
 * the timed span is Float32Array in → Float32Array of probabilities out (input tensor made, output read).
 */
export async function measureInference(entries, data, { rounds, singleCalls, batchCalls, batch = 256 }) {
  const single = new Map(entries.map((entry) => [entry.name, []]));
  const batched = new Map(entries.map((entry) => [entry.name, []]));
  const rows = (start, count) => {
    const first = start % (data.count - count);
    return data.x.subarray(first * data.features, (first + count) * data.features);
  };
  let cursor = 0;
  const predictTimed = async (entry, count) => {
    const x = rows(cursor, count);
    cursor += count;
    const start = performance.now();
    let output = entry.model.predict(x, count);
    if (isThenable(output)) output = await output;
    const elapsed = performance.now() - start;
    if (output.length !== count * data.classes) {
      throw new Error(`predict returned ${output.length} values for ${count} samples of ${data.classes} classes`);
    }
    return elapsed;
  };
  await forEachLive(entries, 0, async (entry) => {
    for (let i = 0; i < 20; i++) await predictTimed(entry, 1);
    for (let i = 0; i < 2; i++) await predictTimed(entry, batch);
  });
  for (let round = 0; round < rounds; round++) {
    await forEachLive(entries, round, async (entry) => {
      for (let i = 0; i < singleCalls; i++) single.get(entry.name).push(await predictTimed(entry, 1));
      for (let i = 0; i < batchCalls; i++) batched.get(entry.name).push(await predictTimed(entry, batch));
    });
  }
  return new Map(
    entries.map(({ name }) => [
      name,
      {
        latencyMicroseconds: median(single.get(name)) * 1000,
        calls: single.get(name).length,
        batch,
        batchSamplesPerSecond: batch / (median(batched.get(name)) / 1000),
        batchCalls: batched.get(name).length,
      },
    ]),
  );
}

const coldStartScript = fileURLToPath(new URL("./cold-start.mjs", import.meta.url));

/**
 * Cold start: `rounds` fresh Node processes per library, each running bench/cold-start.mjs, which times
 * import of the adapter (and so of the library) → init → build the model → first prediction on one sample.
 * Node's own boot is not in that number; the whole process (spawn → exit) is reported beside it.
 */
export function measureColdStart(peers, { rounds }) {
  const runs = new Map(peers.map((peer) => [peer.name, { firstPrediction: [], process: [], failure: undefined }]));
  for (let round = 0; round < rounds; round++) {
    console.error(`  cold start round ${round + 1}/${rounds}`);
    for (const peer of rotated(peers, round)) {
      const record = runs.get(peer.name);
      if (record.failure) continue;
      const start = performance.now();
      const child = spawnSync(process.execPath, [coldStartScript, peer.moduleUrl, JSON.stringify(peer.options)], {
        encoding: "utf8",
        timeout: 60_000,
      });
      const processMs = performance.now() - start;
      try {
        if (child.status !== 0) throw new Error(child.stderr.trim().split("\n").slice(-3).join(" | ") || "exit");
        const { firstPredictionMs } = JSON.parse(child.stdout);
        record.firstPrediction.push(firstPredictionMs);
        record.process.push(processMs);
      } catch (error) {
        record.failure = `${error?.message ?? error}`.slice(0, 300);
        console.error(`  ${peer.name}: cold start failed (${record.failure})`);
      }
    }
  }
  return new Map(
    [...runs].map(([name, record]) => [
      name,
      {
        firstPredictionMs: median(record.firstPrediction),
        processMs: median(record.process),
        runs: record.firstPrediction.length,
        failure: record.failure,
      },
    ]),
  );
}
