// BackupAndRestore in one process: a fit that dies in the middle of an epoch (a callback throws, as a crash
// would end it) and a new model that fits again with the same arguments end with the same weight bits as one
// uninterrupted fit — with dropout, shuffling, stepsPerEpoch, and without fit's seed. The kill of a real process
// is in kill-and-resume.test.ts.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BACKUP_FILE } from "../../ts/callbacks/backup-and-restore.js";
import { callbacks, init, layers, optimizers, Sequential, setRandomSeed } from "../../ts/index.js";
import { toyClassification, weightBits } from "../helpers/model-fixtures.js";

const { x, y } = toyClassification(60, 4, 3, 31);
let folder: string;
beforeAll(async () => {
  await init();
  folder = mkdtempSync(join(tmpdir(), "densa-backup-"));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function newModel(initSeed: number): Sequential {
  setRandomSeed(initSeed);
  const model = new Sequential([
    new layers.Dense(8, { activation: "relu", inputShape: [4] }),
    new layers.Dropout(0.3),
    new layers.Dense(3, { activation: "softmax" }),
  ]);
  model.compile({
    optimizer: new optimizers.Adam({ learningRate: 0.01 }),
    loss: "sparse_categorical_crossentropy",
    metrics: ["accuracy"],
  });
  return model;
}

/** Throws at the end of batch `batch` of epoch `epoch`: the process "dies" there. */
class CrashAt extends callbacks.Callback {
  private epoch = 0;
  constructor(private readonly at: { epoch: number; batch: number }) {
    super();
  }
  override onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }
  override onBatchEnd(batch: number): void {
    if (this.epoch === this.at.epoch && batch === this.at.batch) throw new Error("crash");
  }
}

interface Run {
  fit: Record<string, unknown>;
  backup: { saveFreq?: "epoch" | number };
  crash: { epoch: number; batch: number };
  /** setRandomSeed before the resumed model is built (another seed: the backup must bring everything back). */
  resumeInitSeed: number;
}

async function reference(fitOptions: Record<string, unknown>): Promise<Uint32Array> {
  const model = newModel(7);
  await model.fit(x, y, { verbose: 0, ...fitOptions });
  const bits = weightBits(model);
  model.dispose();
  return bits;
}

async function interruptedThenResumed(run: Run, name: string): Promise<Uint32Array> {
  const backupDir = join(folder, name);
  const first = newModel(7);
  const crashed = first.fit(x, y, {
    verbose: 0,
    ...run.fit,
    callbacks: [new callbacks.BackupAndRestore({ backupDir, ...run.backup }), new CrashAt(run.crash)],
  });
  await expect(crashed).rejects.toThrow("crash");
  first.dispose();
  expect(existsSync(join(backupDir, BACKUP_FILE))).toBe(true);
  const second = newModel(run.resumeInitSeed);
  await second.fit(x, y, {
    verbose: 0,
    ...run.fit,
    callbacks: [new callbacks.BackupAndRestore({ backupDir, ...run.backup })],
  });
  const bits = weightBits(second);
  second.dispose();
  expect(existsSync(backupDir)).toBe(false); // deleteCheckpoint: true
  return bits;
}

describe("BackupAndRestore: an interrupted fit resumes to the same bits", () => {
  const cases: [string, Run][] = [
    [
      "every 3 batches, killed in the middle of epoch 2",
      {
        fit: { epochs: 4, batchSize: 8, seed: 5 },
        backup: { saveFreq: 3 },
        crash: { epoch: 2, batch: 4 },
        resumeInitSeed: 7,
      },
    ],
    [
      "every epoch, killed in the middle of epoch 3",
      { fit: { epochs: 4, batchSize: 8, seed: 5 }, backup: {}, crash: { epoch: 3, batch: 5 }, resumeInitSeed: 7 },
    ],
    [
      "every batch, a resumed model built from another seed",
      {
        fit: { epochs: 3, batchSize: 16, seed: 9 },
        backup: { saveFreq: 1 },
        crash: { epoch: 1, batch: 2 },
        resumeInitSeed: 1234,
      },
    ],
    [
      "no fit seed: the shuffle seed and the global dropout generator come from the backup",
      { fit: { epochs: 3, batchSize: 8 }, backup: { saveFreq: 2 }, crash: { epoch: 1, batch: 6 }, resumeInitSeed: 99 },
    ],
    [
      "backed up after the epoch's last batch, killed before its end",
      {
        fit: { epochs: 3, batchSize: 8, seed: 4 },
        backup: { saveFreq: 8 },
        crash: { epoch: 1, batch: 7 },
        resumeInitSeed: 7,
      },
    ],
    [
      'stepsPerEpoch across passes, shuffle "batch"',
      {
        fit: { epochs: 5, batchSize: 8, stepsPerEpoch: 5, shuffle: "batch", seed: 3 },
        backup: { saveFreq: 4 },
        crash: { epoch: 3, batch: 1 },
        resumeInitSeed: 7,
      },
    ],
  ];
  for (const [name, run] of cases) {
    test(name, async () => {
      const expected = await reference(run.fit);
      const resumed = await interruptedThenResumed(run, name.replace(/\W+/g, "-"));
      expect(Buffer.from(resumed.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
    });
  }

  test("a resume without any backup is a plain fit, and deleteCheckpoint: false keeps the backup", async () => {
    const backupDir = join(folder, "kept");
    const model = newModel(7);
    await model.fit(x, y, {
      verbose: 0,
      epochs: 2,
      batchSize: 8,
      seed: 5,
      callbacks: [new callbacks.BackupAndRestore({ backupDir, deleteCheckpoint: false })],
    });
    expect(
      Buffer.from(weightBits(model).buffer).equals(
        Buffer.from((await reference({ epochs: 2, batchSize: 8, seed: 5 })).buffer),
      ),
    ).toBe(true);
    model.dispose();
    expect(readdirSync(backupDir)).toEqual([BACKUP_FILE]); // no temporary file left behind
  });

  test("a damaged backup is refused by name before training", async () => {
    const backupDir = join(folder, "damaged");
    const model = newModel(7);
    await model.fit(x, y, {
      verbose: 0,
      epochs: 1,
      batchSize: 8,
      seed: 5,
      callbacks: [new callbacks.BackupAndRestore({ backupDir, deleteCheckpoint: false })],
    });
    const whole = readFileSync(join(backupDir, BACKUP_FILE));
    writeFileSync(join(backupDir, BACKUP_FILE), whole.subarray(0, whole.length - 10));
    await expect(
      model.fit(x, y, { verbose: 0, epochs: 2, callbacks: [new callbacks.BackupAndRestore({ backupDir })] }),
    ).rejects.toThrow(
      /BackupAndRestore: .*latest\.backup: the weight data has \d+ bytes but the manifest describes \d+/,
    );
    writeFileSync(join(backupDir, BACKUP_FILE), "not a backup");
    await expect(
      model.fit(x, y, { verbose: 0, epochs: 2, callbacks: [new callbacks.BackupAndRestore({ backupDir })] }),
    ).rejects.toThrow(/BackupAndRestore: .*latest\.backup is not a densa backup \(no DENSABK1 header\)/);
    model.dispose();
  });

  test("options are checked as Keras's", () => {
    expect(() => new callbacks.BackupAndRestore({ backupDir: "" })).toThrow(
      /BackupAndRestore: backupDir must be a non-empty folder path/,
    );
    expect(() => new callbacks.BackupAndRestore({ backupDir: "x", saveFreq: 0 })).toThrow(/BackupAndRestore: saveFreq/);
    expect(() => new callbacks.BackupAndRestore({ backupDir: "x", saveFreq: "batch" as never })).toThrow(
      /saveFreq must be "epoch" or a positive integer/,
    );
    expect(() => new callbacks.BackupAndRestore({ backupDir: "x", save_freq: 1 } as never)).toThrow(
      /did you mean "saveFreq"/,
    );
  });
});
