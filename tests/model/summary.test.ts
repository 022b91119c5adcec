// model.summary() against the text Keras 3 prints for the same Sequential model, written here from Keras's
// print_summary rules (keras/src/utils/summary_utils.py): a rich table at line_length min(88, columns − 4) —
// 76 off a terminal, where Python's terminal size falls back to 80 columns — with columns asked at
// int(p · 76) for p in [0.45, 0.80, 1.0] (34, 26, 16 characters) plus a space of padding each side, which
// rich's ratio_reduce shrinks to fit 76 − 4 borders: 33, 24 and 15 (taking 3, 4, 3 off; halves round to even);
// one row per layer, "name (Class)", "(None, units)", the count with thousands separators; then Total /
// Trainable / Non-trainable params, each with readable_memory_size of 4 bytes a float32 weight ("{:.2f} B",
// then KB above 1024). An untrained model: Keras adds "Optimizer params" only once the optimizer is built.
import { beforeAll, describe, expect, it } from "vitest";
import { init, layers, Sequential } from "../../ts/index.js";

beforeAll(() => init());

function printed(model: Sequential): string {
  const lines: string[] = [];
  model.summary((line) => lines.push(line));
  return lines.join("\n");
}

describe("summary() prints Keras's table", () => {
  it("a classifier with a frozen layer and a Dropout: non-trainable weights in their own line, sizes in bytes", () => {
    const model = new Sequential(
      [
        new layers.Dense(8, { activation: "relu", inputShape: [4], name: "hidden" }),
        new layers.Dense(8, { name: "frozen", trainable: false }),
        new layers.Dropout(0.5, { name: "dropout" }),
        new layers.Dense(3, { activation: "softmax", name: "scores" }),
      ],
      { name: "classifier" },
    );
    // Params: 4·8 + 8 = 40, 8·8 + 8 = 72 (frozen), 0, 8·3 + 3 = 27; total 139 = 556 bytes.
    expect(printed(model)).toBe(
      [
        'Model: "classifier"',
        "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓",
        "┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃",
        "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩",
        "│ hidden (Dense)                  │ (None, 8)              │            40 │",
        "├─────────────────────────────────┼────────────────────────┼───────────────┤",
        "│ frozen (Dense)                  │ (None, 8)              │            72 │",
        "├─────────────────────────────────┼────────────────────────┼───────────────┤",
        "│ dropout (Dropout)               │ (None, 8)              │             0 │",
        "├─────────────────────────────────┼────────────────────────┼───────────────┤",
        "│ scores (Dense)                  │ (None, 3)              │            27 │",
        "└─────────────────────────────────┴────────────────────────┴───────────────┘",
        " Total params: 139 (556.00 B)",
        " Trainable params: 67 (268.00 B)",
        " Non-trainable params: 72 (288.00 B)",
      ].join("\n"),
    );
    model.dispose();
  });

  it("thousands separators and KB: 20 → 300 → 10", () => {
    const model = new Sequential(
      [
        new layers.Dense(300, { activation: "relu", inputShape: [20], name: "wide" }),
        new layers.Dense(10, { name: "out" }),
      ],
      { name: "wide_model" },
    );
    // 20·300 + 300 = 6,300 and 300·10 + 10 = 3,010; 9,310 weights = 37,240 bytes = 36.37 KB.
    expect(printed(model)).toBe(
      [
        'Model: "wide_model"',
        "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓",
        "┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃",
        "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩",
        "│ wide (Dense)                    │ (None, 300)            │         6,300 │",
        "├─────────────────────────────────┼────────────────────────┼───────────────┤",
        "│ out (Dense)                     │ (None, 10)             │         3,010 │",
        "└─────────────────────────────────┴────────────────────────┴───────────────┘",
        " Total params: 9,310 (36.37 KB)",
        " Trainable params: 9,310 (36.37 KB)",
        " Non-trainable params: 0 (0.00 B)",
      ].join("\n"),
    );
    model.dispose();
  });
});
