// summary()'s "Optimizer params" line, as Keras 3 prints it (keras/src/utils/summary_utils.py): only once the
// model is compiled and its optimizer built (after a training step), counting optimizer.variables — the
// iteration count (int64), the learning rate (unless a schedule), every slot — in "Total params" too. The
// references are Keras's own: its summary_utils_test (Input(2) → Dense(3), adam: Total 29, Optimizer 20) and a
// Keras 3 printout of a Dense(5) head on 1280 features ("Trainable params: 6,405 (25.02 KB)", "Optimizer params:
// 12,812 (50.05 KB)").
import { beforeAll, describe, expect, test } from "vitest";
import { Input, init, layers, Model, optimizers, Sequential, tensor } from "../../ts/index.js";
import { uniformTensor } from "../helpers/finite-differences.js";

beforeAll(() => init());

function summaryOf(model: { summary(printFn: (line: string) => void): void }): string {
  const lines: string[] = [];
  model.summary((line) => lines.push(line));
  return lines.join("\n");
}

describe("Optimizer params", () => {
  test("Keras's summary_utils_test: Input(2) → Dense(3) with adam, after fit: Total 29, Optimizer 20", async () => {
    const input = Input({ shape: [2] });
    const model = new Model({ inputs: input, outputs: new layers.Dense(3).apply(input) });
    model.compile({ optimizer: "adam", loss: "mse", metrics: ["mse"] });
    expect(summaryOf(model)).not.toContain("Optimizer params");
    await model.fit(uniformTensor([4, 2], 1), uniformTensor([4, 3], 2), { epochs: 1, verbose: 0 });
    const text = summaryOf(model);
    expect(text).toContain(" Total params: 29 (120.00 B)");
    expect(text).toContain(" Trainable params: 9 (36.00 B)");
    expect(text).toContain(" Non-trainable params: 0 (0.00 B)");
    // iterations is an int64 (8 bytes), the learning rate and 2 × 9 slots float32: 8 + 19 × 4 bytes.
    expect(text.split("\n").at(-1)).toBe(" Optimizer params: 20 (84.00 B)");
    model.dispose();
  });

  test("a Keras 3 printout: a Dense(5) on 1280 features gives 6,405 trainable and 12,812 optimizer params (50.05 KB)", () => {
    const model = new Sequential([new layers.Dense(5, { inputShape: [1280] })]);
    model.compile({ optimizer: new optimizers.Adam(), loss: "mse" });
    model.trainOnBatch(uniformTensor([2, 1280], 3), uniformTensor([2, 5], 4));
    const text = summaryOf(model);
    expect(text).toContain(" Trainable params: 6,405 (25.02 KB)");
    expect(text).toContain(" Optimizer params: 12,812 (50.05 KB)");
    expect(text).toContain(" Total params: 19,217 (75.07 KB)");
    model.dispose();
  });

  test("SGD without momentum keeps iterations and the learning rate; a schedule is no variable; non-trainable weights get no slots", () => {
    const build = () => {
      const model = new Sequential([
        new layers.Dense(4, { inputShape: [3], name: "frozen" }),
        new layers.Dense(2, { name: "head" }),
      ]);
      model.getLayer("frozen").trainable = false;
      return model;
    };
    const x = tensor([[1, 2, 3]]);
    const y = tensor([[0, 1]]);
    const sgd = build();
    sgd.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: "mse" });
    sgd.trainOnBatch(x, y);
    expect(summaryOf(sgd)).toContain(" Optimizer params: 2 (12.00 B)");
    expect(summaryOf(sgd)).toContain(" Total params: 28 (116.00 B)");
    sgd.dispose();
    const scheduled = build();
    const schedule = new optimizers.schedules.ExponentialDecay({
      initialLearningRate: 0.1,
      decaySteps: 10,
      decayRate: 0.9,
    });
    scheduled.compile({ optimizer: new optimizers.RMSprop({ learningRate: schedule, momentum: 0.5 }), loss: "mse" });
    scheduled.trainOnBatch(x, y);
    // iterations + rms and momentum of the head's 10 weights (the frozen layer's 16 have none).
    expect(summaryOf(scheduled)).toContain(" Optimizer params: 21 (88.00 B)");
    scheduled.dispose();
  });
});
