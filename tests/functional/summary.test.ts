// model.summary() of Functional models in Keras 3's layout (keras/src/utils/summary_utils.py): a graph that is
// not a plain chain gets the fourth column "Connected to" (positions 0.3 / 0.6 / 0.7 / 1.0), each input as
// `layer[node][tensor]`, "-" for an Input; InputLayers are rows; a chain prints the three-column table.
import { beforeAll, describe, expect, it } from "vitest";
import { Input, init, layers, Model } from "../../ts/index.js";

beforeAll(() => init());

function lines(model: Model): string[] {
  const out: string[] = [];
  model.summary((line) => out.push(line));
  return out;
}

describe("Functional summary", () => {
  it("a two-input graph has Keras's Connected to column", () => {
    const a = Input({ shape: [3], name: "features" });
    const b = Input({ shape: [2], name: "extra" });
    const h = new layers.Dense(4, { name: "hidden" }).apply(a);
    const joined = new layers.Concatenate({ name: "joined" }).apply([h, b]);
    const model = new Model({
      inputs: [a, b],
      outputs: new layers.Dense(1, { name: "out" }).apply(joined),
      name: "wide",
    });
    const text = lines(model);
    expect(text[0]).toBe('Model: "wide"');
    // NOTE: at 76 columns rich gives "Param #" a 4-character cell: "Par…" over "#".
    expect(text[2]).toMatch(/^┃ Layer \(type\) +┃ Output Shape +┃ Par… ┃ Connected to +┃$/);
    const body = text.join("\n");
    // rich wraps a cell at its spaces: "features (InputLayer)" and the two connections take two lines.
    expect(body).toMatch(/│ features +│ \(None, 3\) +│ +0 │ - +│\n│ \(InputLayer\) +│ +│ +│ +│/);
    expect(body).toMatch(/│ hidden \(Dense\) +│ \(None, 4\) +│ +16 │ features\[0\]\[0\] +│/);
    expect(body).toMatch(
      /│ joined +│ \(None, 6\) +│ +0 │ hidden\[0\]\[0\], +│\n│ \(Concatenate\) +│ +│ +│ extra\[0\]\[0\] +│/,
    );
    expect(body).toMatch(/│ out \(Dense\) +│ \(None, 1\) +│ +7 │ joined\[0\]\[0\] +│/);
    expect(text.at(-3)).toBe(" Total params: 23 (92.00 B)");
    // Every line of the table is the same width (the default 76 here, as Keras's min(108, columns − 4) without a terminal).
    const table = text.slice(1, -3);
    expect(new Set(table.map((line) => line.length))).toEqual(new Set([76]));
    model.dispose();
  });

  it("a chain prints the plain three-column table, InputLayer included", () => {
    const x = Input({ shape: [3], name: "x" });
    const model = new Model({ inputs: x, outputs: new layers.Dense(2, { name: "d" }).apply(x) });
    const text = lines(model);
    expect(text[2]).toMatch(/^┃ Layer \(type\) +┃ Output Shape +┃ +Param # ┃$/);
    expect(text.join("\n")).toMatch(/│ x \(InputLayer\) +│ \(None, 3\) +│ +0 │/);
    model.dispose();
  });
});
