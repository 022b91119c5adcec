// Expected lines follow Keras 3's Progbar (keras/src/utils/progbar.py) as driven by ProgbarLogger:
// "%{digits}d/%d" counts, a 20-wide ━ bar, ETA or elapsed seconds, step time without the first step,
// metrics as " - name: .4f" (".4e" for |v| <= 1e-3), redraws at most every 50 ms.
import { describe, expect, it } from "vitest";
import type { Logs, TrainingParams } from "../../ts/callbacks/callback.js";
import { ProgressBar } from "../../ts/callbacks/progress-bar.js";
import { consoleOutput, StringOutput } from "../../ts/utils/output.js";
import { formatEta, formatStepTime } from "../../ts/utils/progbar.js";

const BAR = "━";

/** A progress bar on a fake clock; `at(ms)` moves time. */
function setup(params: TrainingParams, tty: boolean, colors = false) {
  let now = 0;
  const output = new StringOutput(tty);
  const bar = new ProgressBar({ output, now: () => now, colors });
  bar.setParams(params);
  return { bar, output, at: (ms: number) => void (now = ms) };
}

/** One epoch of 3 batches: first batch at 10 ms, the rest by 14 ms (2 ms/step after the first). */
function epoch(s: ReturnType<typeof setup>, index: number, batchLogs: Logs[], epochLogs: Logs, offset = 0) {
  s.at(offset);
  s.bar.onEpochBegin(index, {});
  const times = [10, 12, 14];
  batchLogs.forEach((logs, b) => {
    s.at(offset + times[b]);
    s.bar.onBatchEnd(b, logs);
  });
  s.at(offset + 14);
  s.bar.onEpochEnd(index, epochLogs);
}

const batches = [
  { loss: 0.6931, accuracy: 0.5 },
  { loss: 0.6, accuracy: 0.6 },
  { loss: 0.5, accuracy: 0.75 },
];
const withVal = { loss: 0.5, accuracy: 0.75, val_loss: 0.55, val_accuracy: 0.7 };

describe("ProgressBar", () => {
  it("verbose 1 on a terminal: Epoch line, bar redrawn in place, final line with val_ metrics", () => {
    const s = setup({ epochs: 2, steps: 3, verbose: 1 }, true);
    s.bar.onTrainBegin({});
    epoch(s, 0, batches, withVal);
    const first = `1/3 ${BAR.repeat(20)} 0s 10ms/step - accuracy: 0.5000 - loss: 0.6931`;
    const final = `3/3 ${BAR.repeat(20)} 0s 2ms/step - accuracy: 0.7500 - loss: 0.5000 - val_accuracy: 0.7000 - val_loss: 0.5500`;
    expect(s.output.text).toBe(`Epoch 1/2\n\r${first}\r${final}\n`);
  });

  it("pads a shorter redraw with spaces to cover the previous line", () => {
    const s = setup({ epochs: 1, steps: 3, verbose: 1 }, true);
    s.bar.onTrainBegin({});
    epoch(s, 0, batches, { loss: 0.5, accuracy: 0.75 });
    const first = `1/3 ${BAR.repeat(20)} 0s 10ms/step - accuracy: 0.5000 - loss: 0.6931`;
    const final = `3/3 ${BAR.repeat(20)} 0s 2ms/step - accuracy: 0.7500 - loss: 0.5000`;
    expect(final.length).toBe(first.length - 1);
    // epochs = 1: no "Epoch 1/1" line, as Keras
    expect(s.output.text).toBe(`\r${first}\r${final} \n`);
  });

  it("the first draw shows a partial bar: floor(20 * 1/3) = 6 done", () => {
    const s = setup({ epochs: 1, steps: 3, verbose: 1 }, true, true);
    s.bar.onEpochBegin(0, {});
    s.at(10);
    s.bar.onBatchEnd(0, { loss: 0.5 });
    expect(s.output.text).toBe(
      `\r\x1b[1m1/3\x1b[0m \x1b[32m${BAR.repeat(6)}\x1b[0m\x1b[37m${BAR.repeat(14)}\x1b[0m \x1b[1m0s\x1b[0m 10ms/step - loss: 0.5000`,
    );
  });

  it("redraws at most every 50 ms", () => {
    const s = setup({ epochs: 1, steps: 100, verbose: 1 }, true);
    s.bar.onEpochBegin(0, {});
    for (let b = 0; b < 40; b++) {
      s.at(10 + b * 5); // 5 ms per batch
      s.bar.onBatchEnd(b, { loss: 1 });
    }
    // draws at 10 ms, then each time 50 ms have passed: 60, 110, 160
    expect(s.output.text.split("\r").length - 1).toBe(4);
  });

  it("shows the ETA as m:ss and the step time in s", () => {
    const s = setup({ epochs: 1, steps: 100, verbose: 1 }, true);
    s.bar.onEpochBegin(0, {});
    s.at(2000);
    s.bar.onBatchEnd(0, { loss: 0.0005 });
    expect(s.output.text).toBe(`\r  1/100 ${BAR.repeat(20)} 3:18 2s/step - loss: 5.0000e-04`);
  });

  it("verbose 1 without a terminal (pipes, browsers): one final line per epoch, no ANSI", () => {
    const s = setup({ epochs: 2, steps: 3, verbose: 1 }, false);
    s.bar.onTrainBegin({});
    epoch(s, 0, batches, withVal);
    epoch(s, 1, batches, withVal, 100);
    const final = `3/3 ${BAR.repeat(20)} 0s 2ms/step - accuracy: 0.7500 - loss: 0.5000 - val_accuracy: 0.7000 - val_loss: 0.5500\n`;
    expect(s.output.text).toBe(`Epoch 1/2\n${final}Epoch 2/2\n${final}`);
  });

  it("verbose 2: Keras's one line per epoch (step time = elapsed / steps)", () => {
    const s = setup({ epochs: 2, steps: 3, verbose: 2 }, true);
    s.bar.onTrainBegin({});
    epoch(s, 0, batches, withVal);
    expect(s.output.text).toBe(
      "Epoch 1/2\n3/3 - 0s - 5ms/step - accuracy: 0.7500 - loss: 0.5000 - val_accuracy: 0.7000 - val_loss: 0.5500\n",
    );
  });

  it("orders keys as Keras's logs: training metrics sorted, val_ metrics sorted, then keys callbacks added", () => {
    const expected =
      " - accuracy: 0.7500 - loss: 0.5000 - val_accuracy: 0.7000 - val_loss: 0.5500 - learning_rate: 1.0000e-03\n";
    // logs built in any order; learning_rate added last by a callback
    const epochLogs = { val_loss: 0.55, loss: 0.5, val_accuracy: 0.7, accuracy: 0.75, learning_rate: 0.001 };
    for (const verbose of [1, 2] as const) {
      const s = setup({ epochs: 1, steps: 3, verbose }, false);
      epoch(s, 0, batches, epochLogs);
      expect(s.output.text.endsWith(expected)).toBe(true);
    }
    // without batch logs, the val_ twins still mark loss and accuracy as training metrics
    const bare = setup({ epochs: 1, steps: 3, verbose: 2 }, false);
    bare.bar.onEpochBegin(0, {});
    bare.bar.onEpochEnd(0, epochLogs);
    expect(bare.output.text.endsWith(expected)).toBe(true);
  });

  it("unknown length: counts up, then the first full pass sets the target", () => {
    const s = setup({ epochs: 1, steps: undefined, verbose: 1 }, true);
    epoch(s, 0, batches, { loss: 0.5, accuracy: 0.75 });
    const first = `      1/Unknown 0s 10ms/step - accuracy: 0.5000 - loss: 0.6931`;
    const final = `3/3 ${BAR.repeat(20)} 0s 2ms/step - accuracy: 0.7500 - loss: 0.5000`;
    expect(final.length).toBeGreaterThan(first.length); // so no padding
    expect(s.output.text).toBe(`\r${first}\r${final}\n`);
  });

  it("evaluate on its own gets a bar; validation inside fit stays silent", () => {
    const s = setup({ epochs: 1, steps: 2, verbose: 1 }, false);
    s.bar.onTestBegin({});
    s.at(10);
    s.bar.onTestBatchEnd(0, { loss: 1 });
    s.at(12);
    s.bar.onTestBatchEnd(1, { loss: 0.9 });
    s.bar.onTestEnd({ loss: 0.95 });
    expect(s.output.text).toBe(`2/2 ${BAR.repeat(20)} 0s 2ms/step - loss: 0.9500\n`);

    const inFit = setup({ epochs: 1, steps: 2, verbose: 1 }, false);
    inFit.bar.onTrainBegin({});
    inFit.bar.onTestBegin({});
    inFit.bar.onTestBatchEnd(0, { loss: 1 });
    inFit.bar.onTestEnd({ loss: 1 });
    expect(inFit.output.text).toBe("");
  });

  it("predict shows the bar without metrics", () => {
    const s = setup({ epochs: 1, steps: 2, verbose: 1 }, false);
    s.bar.onPredictBegin({});
    s.at(5);
    s.bar.onPredictBatchEnd(0, {});
    s.at(6);
    s.bar.onPredictBatchEnd(1, {});
    s.bar.onPredictEnd({});
    expect(s.output.text).toBe(`2/2 ${BAR.repeat(20)} 0s 1ms/step\n`);
  });

  it("verbose 'auto' means 1", () => {
    const s = setup({ epochs: 1, steps: 3, verbose: "auto" }, false);
    epoch(s, 0, batches, { loss: 0.5 });
    expect(s.output.text).toContain("3/3 ");
  });
});

describe("progbar formatting helpers", () => {
  it("formatEta truncates to whole seconds like Python's %d", () => {
    expect([0.4, 7.9, 60, 60.5, 125, 3600, 3723.9].map(formatEta)).toEqual([
      "0s",
      "7s",
      "60s",
      "1:00",
      "2:05",
      "60:00",
      "1:02:03",
    ]);
  });

  it("formatStepTime picks s, ms or us", () => {
    expect(formatStepTime(0, "step")).toBe(" 0s/step");
    expect(formatStepTime(1.5, "step")).toBe(" 2s/step");
    expect(formatStepTime(0.0125, "step")).toBe(" 12ms/step");
    expect(formatStepTime(0.0005, "step")).toBe(" 500us/step");
  });
});

describe("consoleOutput", () => {
  it("logs complete lines; a carriage-return redraw keeps only the last state", () => {
    const lines: string[] = [];
    const out = consoleOutput((line) => lines.push(line));
    out.write("Epoch 1/2\n");
    out.write("\r1/3 partial");
    out.write("\r3/3 done\n");
    out.write("tail without newline");
    expect(lines).toEqual(["Epoch 1/2", "3/3 done"]);
  });
});
