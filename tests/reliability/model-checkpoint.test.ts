// ModelCheckpoint against Keras 3's rules: the filepath is filled as Python's str.format fills it (python3 is the
// reference), saves happen at the epochs / batches Keras's logic picks (a plain re-statement of that logic over
// the run's own history is the reference), and what is saved loads back to the model's weights at that moment.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { fillTemplate } from "../../ts/callbacks/filepath-template.js";
import {
  callbacks,
  init,
  layers,
  loadModel,
  type ModelArtifacts,
  optimizers,
  Sequential,
  setRandomSeed,
} from "../../ts/index.js";
import { toyClassification, weightBits } from "../helpers/model-fixtures.js";

const { x, y } = toyClassification(80, 4, 3, 5);
let folder: string;
beforeAll(async () => {
  await init();
  folder = mkdtempSync(join(tmpdir(), "densa-checkpoint-"));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function newModel(): Sequential {
  setRandomSeed(3);
  const model = new Sequential([
    new layers.Dense(6, { activation: "relu", inputShape: [4] }),
    new layers.Dense(3, { activation: "softmax" }),
  ]);
  model.compile({
    optimizer: new optimizers.Adam({ learningRate: 0.02 }),
    loss: "sparse_categorical_crossentropy",
    metrics: ["accuracy"],
  });
  return model;
}

/** A save handler that keeps what it is given. */
function recorder() {
  const saved: ModelArtifacts[] = [];
  return { saved, handler: { save: (artifacts: ModelArtifacts) => void saved.push(artifacts) } };
}

function python3(): string | null {
  try {
    execFileSync("python3", ["-c", "pass"]);
    return "python3";
  } catch {
    return null;
  }
}

describe("filepath: Python's str.format", () => {
  const templates = [
    "ckpt/{epoch:02d}-{val_loss:.2f}.keras",
    "{epoch}",
    "{epoch:>5d}|{epoch:<4d}|{epoch:^7d}|{epoch:+d}",
    "{loss}",
    "{loss:.3e}-{loss:.4g}-{loss:g}-{loss:.1%}",
    "{big:,.2f}_{big:_.1f}_{big:.3g}",
    "{tiny:g}-{tiny:.2e}-{tiny}",
    "{neg:08.3f}|{neg:=+9.2f}|{neg:*^12.1f}",
    "{{literal}}-{epoch:03}",
    "{accuracy:.0f}-{accuracy:E}-{accuracy:G}",
  ];
  const values = {
    epoch: 7,
    loss: 0.123456789,
    big: 1234567.891,
    tiny: 0.0000123456,
    neg: -3.14159,
    accuracy: 0.5,
    val_loss: 0.015,
  };
  test.skipIf(python3() === null)("every template gives what Python gives (run python3 to see)", () => {
    const expected = JSON.parse(
      execFileSync("python3", [
        "-c",
        `
import json, sys
args = json.loads(sys.argv[1])
values = {k: (int(v) if k == "epoch" else float(v)) for k, v in args["values"].items()}
print(json.dumps([t.format(**values) for t in args["templates"]]))`,
        JSON.stringify({ templates, values }),
      ]).toString(),
    );
    const typed = Object.fromEntries(
      Object.entries(values).map(([key, value]) => [key, { value, integer: key === "epoch" }]),
    );
    expect(templates.map((template) => fillTemplate(template, typed, "ModelCheckpoint"))).toEqual(expected);
  });

  test("a missing key, 'd' for a float and an unmatched brace are errors, as in Python", () => {
    const logs = { loss: { value: 0.5, integer: false }, epoch: { value: 1, integer: true } };
    expect(() => fillTemplate("{val_loss:.2f}", logs, "ModelCheckpoint")).toThrow(
      /ModelCheckpoint: failed to format filepath "\{val_loss:.2f\}": no value for "val_loss" \(there are loss, epoch\)/,
    );
    expect(() => fillTemplate("{loss:d}", logs, "ModelCheckpoint")).toThrow(
      /unknown format code 'd' for a float value/,
    );
    expect(() => fillTemplate("ckpt-{epoch", logs, "ModelCheckpoint")).toThrow(/unmatched brace/);
  });
});

describe("when it saves", () => {
  test("every epoch to a handler: what is saved is the model of that epoch, with the optimizer's state", async () => {
    const model = newModel();
    const { saved, handler } = recorder();
    const bitsAtEpochEnd: Uint32Array[] = [];
    const snapshot = new callbacks.LambdaCallback({ onEpochEnd: () => void bitsAtEpochEnd.push(weightBits(model)) });
    await model.fit(x, y, {
      epochs: 3,
      batchSize: 16,
      seed: 1,
      verbose: 0,
      callbacks: [new callbacks.ModelCheckpoint(handler), snapshot],
    });
    expect(saved).toHaveLength(3);
    for (const [epoch, artifacts] of saved.entries()) {
      expect(artifacts.weightSpecs!.some((spec) => spec.group === "optimizer")).toBe(true);
      const loaded = await loadModel(artifacts);
      expect(Buffer.from(weightBits(loaded).buffer).equals(Buffer.from(bitsAtEpochEnd[epoch].buffer))).toBe(true);
      loaded.dispose();
    }
    model.dispose();
  });

  for (const [monitor, mode, threshold] of [
    ["val_loss", "auto", undefined],
    ["val_accuracy", "auto", undefined],
    ["val_loss", "max", undefined],
    ["loss", "min", 0.9],
  ] as const) {
    test(`saveBestOnly on ${monitor}, mode ${mode}${threshold === undefined ? "" : `, initialValueThreshold ${threshold}`}: the epochs Keras's rule picks`, async () => {
      const model = newModel();
      const { saved, handler } = recorder();
      const savedEpochs: number[] = [];
      let epochNow = 0;
      const wrapped = { save: (artifacts: ModelArtifacts) => (savedEpochs.push(epochNow), handler.save(artifacts)) };
      const clock = new callbacks.LambdaCallback({ onEpochBegin: (epoch: number) => void (epochNow = epoch) });
      const history = await model.fit(x, y, {
        epochs: 8,
        batchSize: 16,
        seed: 2,
        verbose: 0,
        validationSplit: 0.25,
        callbacks: [
          clock,
          new callbacks.ModelCheckpoint(wrapped, {
            monitor,
            mode,
            saveBestOnly: true,
            initialValueThreshold: threshold,
          }),
        ],
      });
      // Keras: with no best yet anything improves; then strictly below (min) or above (max) the best.
      const direction = mode === "max" || (mode === "auto" && monitor.endsWith("accuracy")) ? "max" : "min";
      let best: number | undefined = threshold;
      const expected: number[] = [];
      history.history[monitor].forEach((value, epoch) => {
        if (best === undefined || (direction === "max" ? value > best : value < best)) {
          best = value;
          expected.push(epoch);
        }
      });
      expect(savedEpochs).toEqual(expected);
      expect(saved).toHaveLength(expected.length);
      model.dispose();
    });
  }

  test("saveFreq in batches, counted across epochs, with {epoch} and {batch} in the path", async () => {
    const model = newModel();
    const directory = join(folder, "by-batch");
    // 80 samples, batch 16: 5 batches an epoch, 3 epochs; every 4 batches → after batches 4, 8, 12 of the run.
    await model.fit(x, y, {
      epochs: 3,
      batchSize: 16,
      seed: 1,
      verbose: 0,
      callbacks: [
        new callbacks.ModelCheckpoint(`file://${directory}/e{epoch}-b{batch:02d}`, {
          saveFreq: 4,
          saveWeightsOnly: true,
        }),
      ],
    });
    const expected: string[] = [];
    for (let step = 1; step <= 15; step++)
      if (step % 4 === 0) expected.push(`e${Math.ceil(step / 5)}-b${String(((step - 1) % 5) + 1).padStart(2, "0")}`);
    expect(readdirSync(directory).sort()).toEqual(expected.sort());
    model.dispose();
  });

  test("file:// folders: the model loads back; saveWeightsOnly leaves out the optimizer; no temporary files remain", async () => {
    const model = newModel();
    const full = join(folder, "full");
    const weightsOnly = join(folder, "weights-only");
    await model.fit(x, y, {
      epochs: 2,
      batchSize: 16,
      seed: 1,
      verbose: 0,
      callbacks: [
        new callbacks.ModelCheckpoint(`file://${full}/{epoch}`),
        new callbacks.ModelCheckpoint(`${weightsOnly}/{epoch}`, { saveWeightsOnly: true }),
      ],
    });
    for (const epoch of ["1", "2"]) {
      expect(readdirSync(join(full, epoch)).sort()).toEqual(["model.json", "weights.bin"]);
      expect(readdirSync(join(weightsOnly, epoch)).sort()).toEqual(["model.json", "weights.bin"]);
    }
    const fullJson = JSON.parse(readFileSync(join(full, "2", "model.json"), "utf8"));
    const onlyJson = JSON.parse(readFileSync(join(weightsOnly, "2", "model.json"), "utf8"));
    expect(fullJson.weightsManifest[0].weights.some((spec: { group?: string }) => spec.group === "optimizer")).toBe(
      true,
    );
    expect(onlyJson.weightsManifest[0].weights.some((spec: { group?: string }) => spec.group === "optimizer")).toBe(
      false,
    );
    const loaded = await loadModel(`file://${full}/2`);
    expect(Buffer.from(weightBits(loaded).buffer).equals(Buffer.from(weightBits(model).buffer))).toBe(true);
    loaded.dispose();
    model.dispose();
  });
});

describe("refusals", () => {
  test("options, and a monitor whose direction is unknown with saveBestOnly", async () => {
    expect(() => new callbacks.ModelCheckpoint("")).toThrow(/ModelCheckpoint: filepath must be a non-empty path/);
    expect(() => new callbacks.ModelCheckpoint("x", { saveFreq: -1 })).toThrow(/ModelCheckpoint: saveFreq/);
    expect(() => new callbacks.ModelCheckpoint("x", { mode: "up" as never })).toThrow(/ModelCheckpoint: unknown mode/);
    expect(() => new callbacks.ModelCheckpoint("x", { save_best_only: true } as never)).toThrow(
      /did you mean "saveBestOnly"/,
    );
    const model = newModel();
    const fit = model.fit(x, y, {
      epochs: 1,
      verbose: 0,
      callbacks: [new callbacks.ModelCheckpoint(recorder().handler, { monitor: "wobble", saveBestOnly: true })],
    });
    await expect(fit).rejects.toThrow(
      /ModelCheckpoint: cannot tell whether monitor "wobble" should be minimized or maximized/,
    );
    model.dispose();
  });

  test("a .keras path writes Keras files each epoch that reopen with the weights and optimizer of that epoch; a .weights.h5 path writes weights", async () => {
    const model = newModel();
    const bits: Uint32Array[] = [];
    const iterations: number[] = [];
    const snapshot = new callbacks.LambdaCallback({
      onEpochEnd: () => void (bits.push(weightBits(model)), iterations.push(model.optimizer!.iterations)),
    });
    const keras = join(folder, "keras-ckpt", "model-{epoch:02d}.keras");
    const weights = join(folder, "keras-ckpt", "weights-{epoch}.weights.h5");
    await model.fit(x, y, {
      epochs: 3,
      batchSize: 16,
      verbose: 0,
      callbacks: [
        new callbacks.ModelCheckpoint(keras),
        new callbacks.ModelCheckpoint(weights, { saveWeightsOnly: true }),
        snapshot,
      ],
    });
    expect(readdirSync(join(folder, "keras-ckpt")).sort()).toEqual([
      "model-01.keras",
      "model-02.keras",
      "model-03.keras",
      "weights-1.weights.h5",
      "weights-2.weights.h5",
      "weights-3.weights.h5",
    ]);
    for (let epoch = 1; epoch <= 3; epoch++) {
      const bytes = new Uint8Array(readFileSync(join(folder, "keras-ckpt", `model-0${epoch}.keras`)));
      expect(Array.from(bytes.subarray(0, 4))).toEqual([0x50, 0x4b, 0x03, 0x04]);
      const reopened = await loadModel(bytes);
      expect(weightBits(reopened)).toEqual(bits[epoch - 1]);
      expect(reopened.optimizer!.iterations).toBe(iterations[epoch - 1]);
      const fresh = newModel();
      await fresh.loadWeights(new Uint8Array(readFileSync(join(folder, "keras-ckpt", `weights-${epoch}.weights.h5`))));
      expect(weightBits(fresh)).toEqual(bits[epoch - 1]);
      reopened.dispose();
      fresh.dispose();
    }
    model.dispose();
  });
});
