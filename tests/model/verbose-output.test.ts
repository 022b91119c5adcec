// fit's verbose levels, read from what actually reaches process.stdout (as Keras's ProgbarLogger):
//   0 → nothing; 1 → "Epoch k/N" + a bar per epoch (redrawn with "\r" only on a terminal);
//   2 → "Epoch k/N" + one line per epoch: "4/4 - 0s - 12us/step - accuracy: 0.3400 - loss: 1.0986 - val_…".
// The numbers printed are the History's, in Keras's format (keras/src/utils/progbar.py): f"{v:.4f}" when
// |v| > 1e-3, else f"{v:.4e}" — so an accuracy of exactly 0 prints "0.0000e+00". The rule is written again
// here (kerasNumber), independently of densa's ts/utils/python-format.ts.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type History, init, layers, optimizers, Sequential, setRandomSeed, tensor } from "../../ts/index.js";
import { toyClassification } from "../helpers/model-fixtures.js";

/**
 * Keras's progress-bar number: .4f above 1e-3 in magnitude, else .4e with a signed two-digit exponent. Python
 * rounds an exact binary tie to even (f"{0.03125:.4f}" is "0.0312"); toFixed / toExponential round it up, so a
 * tie — the exact decimal expansion is the kept digits then a 5 and only zeros — is truncated when the kept
 * digit is even.
 */
function kerasNumber(value: number): string {
  const fixed = Math.abs(value) > 1e-3;
  const round = (digits: number) => (fixed ? Math.abs(value).toFixed(digits) : Math.abs(value).toExponential(digits));
  let text = round(4);
  const exact = round(60);
  const mantissa = exact.split("e")[0];
  const cut = mantissa.indexOf(".") + 5;
  if (/^50*$/.test(mantissa.slice(cut)) && Number(mantissa[cut - 1]) % 2 === 0) {
    text = mantissa.slice(0, cut) + (fixed ? "" : "e" + exact.split("e")[1]);
  }
  if (!fixed) text = text.replace(/e([+-])(\d)$/, "e$10$2");
  return (value < 0 ? "-" : "") + text;
}

beforeAll(async () => {
  await init();
});

const data = toyClassification(50, 4, 3, 2);
const originalTTY = Object.getOwnPropertyDescriptor(process.stdout, "isTTY");

afterEach(() => {
  vi.restoreAllMocks();
  if (originalTTY) Object.defineProperty(process.stdout, "isTTY", originalTTY);
  else delete (process.stdout as { isTTY?: boolean }).isTTY;
});

/** A seeded softmax classifier of the 4 features. */
function classifier(): Sequential {
  setRandomSeed(7);
  const model = new Sequential([new layers.Dense(3, { activation: "softmax", inputShape: [4] })]);
  model.compile({ optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"] });
  return model;
}

/** Runs fit with stdout captured (as a terminal or not); returns what was written and the History. */
async function captured(
  options: Record<string, unknown>,
  isTTY = false,
  model = classifier(),
  labels: ArrayLike<number> = data.y,
): Promise<{ text: string; history: History }> {
  Object.defineProperty(process.stdout, "isTTY", { value: isTTY, configurable: true, writable: true });
  let text = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  });
  try {
    const history = await model.fit(data.x, Array.from(labels), { epochs: 3, batchSize: 16, seed: 1, ...options });
    return { text, history };
  } finally {
    vi.restoreAllMocks();
    model.dispose();
  }
}

const STEP_TIME = String.raw`\d+(?:\.\d+)?(?:us|ms|s)/step`;
const NUMBER = String.raw`\d+\.\d{4}(?:e[+-]\d+)?`;

describe("Keras's progress-bar number format (the test's own rule)", () => {
  it("gives what Python prints", () => {
    // Python 3: f"{0.5:.4f}", f"{0.03125:.4f}", f"{0.00015:.4e}", f"{0.0:.4e}", f"{1e-3:.4e}", f"{0.0010001:.4f}", f"{-2.5e-7:.4e}", f"{1234.56785:.4f}".
    const cases: [number, string][] = [
      [0.5, "0.5000"],
      [0.03125, "0.0312"],
      [0.00015, "1.5000e-04"],
      [0, "0.0000e+00"],
      [1e-3, "1.0000e-03"],
      [0.0010001, "0.0010"],
      [-2.5e-7, "-2.5000e-07"],
      [1234.56785, "1234.5678"],
    ];
    for (const [value, python] of cases) expect(kerasNumber(value), String(value)).toBe(python);
  });

  it("an epoch accuracy of exactly 0 prints in exponent form", async () => {
    // NOTE: one class only in the labels and a model that can never predict it: accuracy is 0 every epoch.
    const model = new Sequential([new layers.Dense(3, { activation: "softmax", inputShape: [4] })]);
    model.setWeights([tensor(new Float32Array(12), [4, 3]), tensor([10, 0, -10], [3])]);
    model.compile({
      optimizer: new optimizers.SGD({ learningRate: 0 }),
      loss: "sparse_categorical_crossentropy",
      metrics: ["accuracy"],
    });
    const { text, history } = await captured(
      { verbose: 2, epochs: 2, batchSize: 50 },
      false,
      model,
      new Array(50).fill(2),
    );
    expect(history.history.accuracy).toEqual([0, 0]);
    expect(text).toContain("accuracy: 0.0000e+00 - loss: ");
  });
});

describe("fit's verbose output", () => {
  it("verbose 0 writes nothing", async () => {
    const { text } = await captured({ verbose: 0, validationSplit: 0.2 });
    expect(text).toBe("");
  });

  it("verbose 2 writes Epoch k/N and one summary line per epoch with the History's values", async () => {
    const { text, history } = await captured({ verbose: 2, validationSplit: 0.2 });
    const lines = text.split("\n");
    expect(lines.pop()).toBe(""); // ends with a newline
    expect(lines).toHaveLength(6);
    expect(text).not.toContain("\r");
    expect(text).not.toContain("━");
    // 40 training samples in batches of 16: 3 steps.
    const line = new RegExp(
      String.raw`^3/3 - \d+s - ${STEP_TIME} - accuracy: (${NUMBER}) - loss: (${NUMBER}) - val_accuracy: (${NUMBER}) - val_loss: (${NUMBER})$`,
    );
    for (let epoch = 0; epoch < 3; epoch++) {
      expect(lines[2 * epoch]).toBe(`Epoch ${epoch + 1}/3`);
      const match = line.exec(lines[2 * epoch + 1]);
      expect(match, lines[2 * epoch + 1]).not.toBeNull();
      const [, accuracy, loss, valAccuracy, valLoss] = match!;
      expect(accuracy).toBe(kerasNumber(history.history.accuracy[epoch]));
      expect(loss).toBe(kerasNumber(history.history.loss[epoch]));
      expect(valAccuracy).toBe(kerasNumber(history.history.val_accuracy[epoch]));
      expect(valLoss).toBe(kerasNumber(history.history.val_loss[epoch]));
    }
  });

  it('verbose 1 (and "auto", the default) off a terminal writes each epoch\'s final bar once, without ANSI codes', async () => {
    for (const verbose of [1, "auto", undefined]) {
      const { text, history } = await captured(verbose === undefined ? {} : { verbose });
      const lines = text.split("\n");
      expect(lines.pop()).toBe("");
      expect(lines).toHaveLength(6);
      expect(text).not.toContain("\r");
      expect(text).not.toContain("\x1b[");
      for (let epoch = 0; epoch < 3; epoch++) {
        expect(lines[2 * epoch]).toBe(`Epoch ${epoch + 1}/3`);
        expect(lines[2 * epoch + 1]).toMatch(
          new RegExp(String.raw`^4/4 ━{20} \d+s ${STEP_TIME} - accuracy: ${NUMBER} - loss: ${NUMBER}$`),
        );
        expect(lines[2 * epoch + 1]).toContain(`loss: ${kerasNumber(history.history.loss[epoch])}`);
      }
    }
  });

  it("verbose 1 on a terminal redraws the bar in place with \\r and ends each epoch on a newline", async () => {
    const { text } = await captured({ verbose: 1 }, true);
    expect(text).toContain("\r");
    expect(text.match(/Epoch \d\/3\n/g)).toHaveLength(3);
    // Each epoch's last redraw shows the complete bar (4/4) before its newline.
    const epochs = text.split(/Epoch \d\/3\n/).slice(1);
    for (const epoch of epochs) {
      expect(epoch.endsWith("\n")).toBe(true);
      const lastDraw = epoch.slice(epoch.lastIndexOf("\r") + 1);
      // eslint-disable-next-line no-control-regex
      expect(lastDraw.replace(/\x1b\[[0-9;]*m/g, "")).toMatch(/^4\/4 ━{20} /);
    }
  });

  it('evaluate prints one bar by default (Keras\'s verbose "auto"), one line with 2, nothing with 0', async () => {
    Object.defineProperty(process.stdout, "isTTY", { value: false, configurable: true, writable: true });
    let text = "";
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      text += String(chunk);
      return true;
    });
    const model = classifier();
    try {
      const scores = await model.evaluate(data.x, data.y, { batchSize: 16 });
      const bar = text;
      text = "";
      await model.evaluate(data.x, data.y, { batchSize: 16, verbose: 2 });
      const line = text;
      text = "";
      await model.evaluate(data.x, data.y, { batchSize: 16, verbose: 0 });
      vi.restoreAllMocks();
      expect(bar).toMatch(
        new RegExp(String.raw`^4/4 ━{20} \d+s ${STEP_TIME} - accuracy: ${NUMBER} - loss: ${NUMBER}
$`),
      );
      expect(bar).toContain(`accuracy: ${kerasNumber(scores.accuracy)} - loss: ${kerasNumber(scores.loss)}`);
      expect(line).toMatch(
        new RegExp(String.raw`^4/4 - \d+s - ${STEP_TIME} - accuracy: ${NUMBER} - loss: ${NUMBER}
$`),
      );
      expect(text).toBe("");
    } finally {
      vi.restoreAllMocks();
      model.dispose();
    }
  });

  it("a single epoch prints no Epoch header (as Keras)", async () => {
    const { text } = await captured({ verbose: 2, epochs: 1 });
    expect(text).not.toContain("Epoch");
    expect(text.split("\n")).toHaveLength(2);
  });
});
