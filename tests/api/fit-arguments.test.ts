import { describe, expect, it } from "vitest";
import { tensor } from "../../ts/tensor.js";
import { parseCallArguments } from "../../ts/training/call-arguments.js";

describe("parseCallArguments", () => {
  const x = [
    [1, 2],
    [3, 4],
  ];
  const y = [0, 1];

  it("fit(x, y, options)", () => {
    expect(parseCallArguments("fit", x, y, { epochs: 2 })).toEqual({ kind: "arrays", x, y, options: { epochs: 2 } });
    const tx = tensor(x);
    expect(parseCallArguments("fit", tx, tensor(y), undefined)).toMatchObject({ kind: "arrays", x: tx });
  });

  it("fit(dataset, options) for generators and arrays of batches", () => {
    function* gen() {
      yield [x, y];
    }
    const g = gen();
    const parsed = parseCallArguments("fit", g, { epochs: 2 }, undefined);
    expect(parsed.kind).toBe("dataset");
    expect(parsed.kind === "dataset" && parsed.dataset).toBe(g);
    expect(parsed.options).toEqual({ epochs: 2 });
    const batches = [
      [x, y],
      [tensor(x), new Float32Array(y)],
    ];
    expect(parseCallArguments("fit", batches, undefined, undefined).kind).toBe("dataset");
    expect(parseCallArguments("fit", [{ x, y }], { epochs: 1 }, undefined).kind).toBe("dataset");
  });

  it("explains a missing y and misplaced arguments", () => {
    expect(() => parseCallArguments("fit", x, { epochs: 2 }, undefined)).toThrow(
      "fit: y is missing; call fit(x, y, options) with targets, or pass a data set of [x, y] batches as fit(dataset, options)",
    );
    expect(() => parseCallArguments("evaluate", x, undefined, undefined)).toThrow("evaluate: y is missing");
    function* gen() {
      yield [x, y];
    }
    expect(() => parseCallArguments("fit", gen(), y, undefined)).toThrow(
      "fit: x is a data set, so the next argument must be the options object (targets come inside each batch); got an array of length 2",
    );
    expect(() => parseCallArguments("fit", gen(), {}, { epochs: 1 })).toThrow("got an object as a third argument");
  });
});
