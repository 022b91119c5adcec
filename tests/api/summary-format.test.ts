// Expected tables were produced by Keras 3's print_summary code path (summary_utils.py: rich.table.Table with
// widths int(p * line_length) at [0.45, 0.80, 1.0], show_lines=True, captured without colour) on rich 13.
import { describe, expect, it } from "vitest";
import {
  formatOutputShape,
  formatSummary,
  type SummaryRow,
  summaryLineLength,
} from "../../ts/models/summary-format.js";

const rows: SummaryRow[] = [
  { name: "dense", type: "Dense", outputShape: [null, 64], params: 576 },
  { name: "dropout", type: "Dropout", outputShape: [null, 64], params: 0 },
  { name: "dense_1", type: "Dense", outputShape: [null, 1], params: 65 },
];
const totals = { total: 641, trainable: 641, nonTrainable: 0 };

describe("formatSummary", () => {
  it("lays out Keras's table at the default width without a terminal (76)", () => {
    const expected = [
      'Model: "classifier"',
      "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓",
      "┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃",
      "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩",
      "│ dense (Dense)                   │ (None, 64)             │           576 │",
      "├─────────────────────────────────┼────────────────────────┼───────────────┤",
      "│ dropout (Dropout)               │ (None, 64)             │             0 │",
      "├─────────────────────────────────┼────────────────────────┼───────────────┤",
      "│ dense_1 (Dense)                 │ (None, 1)              │            65 │",
      "└─────────────────────────────────┴────────────────────────┴───────────────┘",
      " Total params: 641 (2.50 KB)",
      " Trainable params: 641 (2.50 KB)",
      " Non-trainable params: 0 (0.00 B)",
    ].join("\n");
    expect(formatSummary("classifier", rows, totals)).toBe(expected);
    expect(formatSummary("classifier", rows, totals, { lineLength: 76 })).toBe(expected);
  });

  it("at Keras's widest default (88) and a narrow width", () => {
    const wide = [
      'Model: "classifier"',
      "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┓",
      "┃ Layer (type)                         ┃ Output Shape                ┃         Param # ┃",
      "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━┩",
      "│ dense (Dense)                        │ (None, 64)                  │             576 │",
      "├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤",
      "│ dropout (Dropout)                    │ (None, 64)                  │               0 │",
      "├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤",
      "│ dense_1 (Dense)                      │ (None, 1)                   │              65 │",
      "└──────────────────────────────────────┴─────────────────────────────┴─────────────────┘",
      " Total params: 641 (2.50 KB)",
      " Trainable params: 641 (2.50 KB)",
      " Non-trainable params: 0 (0.00 B)",
    ].join("\n");
    expect(formatSummary("classifier", rows, totals, { lineLength: 88 })).toBe(wide);
    const narrow = [
      'Model: "classifier"',
      "┏━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━┓",
      "┃ Layer (type)             ┃ Output Shape      ┃   Param # ┃",
      "┡━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━┩",
      "│ dense (Dense)            │ (None, 64)        │       576 │",
      "├──────────────────────────┼───────────────────┼───────────┤",
      "│ dropout (Dropout)        │ (None, 64)        │         0 │",
      "├──────────────────────────┼───────────────────┼───────────┤",
      "│ dense_1 (Dense)          │ (None, 1)         │        65 │",
      "└──────────────────────────┴───────────────────┴───────────┘",
      " Total params: 641 (2.50 KB)",
      " Trainable params: 641 (2.50 KB)",
      " Non-trainable params: 0 (0.00 B)",
    ].join("\n");
    expect(formatSummary("classifier", rows, totals, { lineLength: 60 })).toBe(narrow);
  });

  it("wraps long cells at spaces, cuts long words with an ellipsis, shows unbuilt layers and unknown shapes", () => {
    const expected = [
      'Model: "m"',
      "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓",
      "┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃",
      "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩",
      "│ a_really_long_layer_name_that_… │ (None, 12345, 67890,   │     1,234,567 │",
      "│ (Dense)                         │ 11111)                 │               │",
      "├─────────────────────────────────┼────────────────────────┼───────────────┤",
      "│ b (Dense)                       │ ?                      │   0 (unbuilt) │",
      "└─────────────────────────────────┴────────────────────────┴───────────────┘",
      " Total params: 641 (2.50 KB)",
      " Trainable params: 641 (2.50 KB)",
      " Non-trainable params: 0 (0.00 B)",
    ].join("\n");
    const long: SummaryRow[] = [
      {
        name: "a_really_long_layer_name_that_does_not_fit",
        type: "Dense",
        outputShape: [null, 12345, 67890, 11111],
        params: 1234567,
      },
      { name: "b", type: "Dense", outputShape: null, params: 0, built: false },
    ];
    expect(formatSummary("m", long, totals, { lineLength: 76 })).toBe(expected);
  });

  it("an empty model, sizes and the optimizer line", () => {
    const empty = formatSummary("empty", [], { total: 0, trainable: 0, nonTrainable: 0 }, { lineLength: 76 }).split(
      "\n",
    );
    expect(empty.slice(0, 6).join("\n")).toBe(
      [
        'Model: "empty"',
        "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓",
        "┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃",
        "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩",
        "└─────────────────────────────────┴────────────────────────┴───────────────┘",
        " Total params: 0 (0.00 B)",
      ].join("\n"),
    );
    const text = formatSummary("big", rows, { total: 8769 * 3, trainable: 8769, nonTrainable: 0, optimizer: 8769 * 2 });
    expect(text.split("\n").slice(-4)).toEqual([
      " Total params: 26,307 (102.76 KB)",
      " Trainable params: 8,769 (34.25 KB)",
      " Non-trainable params: 0 (0.00 B)",
      " Optimizer params: 17,538 (68.51 KB)",
    ]);
  });

  it("shapes and widths", () => {
    expect(formatOutputShape([null, 64])).toBe("(None, 64)");
    expect(formatOutputShape([null])).toBe("(None)");
    expect(formatOutputShape(null)).toBe("?");
    expect(summaryLineLength()).toBe(76);
    expect(summaryLineLength(200)).toBe(88);
    expect(summaryLineLength(70)).toBe(66);
    expect(() => formatSummary("m", rows, totals, { lineLength: 8 })).toThrow(
      "summary: lineLength 8 is too narrow to print the summary",
    );
  });
});
