// Gradient clipping as Keras 3's base optimizer applies it before the update (clipnorm per variable,
// globalClipnorm over all variables together, clipvalue per element), seen through plain SGD with lr 1, where
// the weight moves by exactly the clipped gradient. References: Keras's formulas in float64
// (clip_by_norm: g·c / max(‖g‖, c); clip_by_global_norm: g·c / max(‖G‖, c); clip_by_value).
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { Adam, SGD } from "../../ts/optimizers/index.js";
import { disposeWeights, expectClose, step, values, weight } from "../helpers/optimizer-steps.js";
import { loadEngine } from "../helpers/wasm.js";

beforeAll(loadEngine);
afterEach(disposeWeights);

const norm = (g: readonly number[]) => Math.sqrt(g.reduce((sum, x) => sum + x * x, 0));
// One long gradient (norm 13, five elements: SIMD body and tail) and one short (norm 0.5).
const long = [3, -4, 12, 0, 0];
const short = [0.3, 0, -0.4];

/** One SGD(lr 1) step from zero weights; returns each weight's values, i.e. minus the gradient used. */
function usedGradients(options: ConstructorParameters<typeof SGD>[0], gradients: number[][]): number[][] {
  const optimizer = new SGD({ learningRate: 1, ...options });
  const weights = gradients.map((g, i) =>
    weight(
      `w${i}`,
      g.map(() => 0),
    ),
  );
  step(optimizer, weights, gradients);
  optimizer.dispose();
  return weights.map((w) => values(w).map((x) => -x));
}

describe("clipnorm: each gradient scaled to at most this L2 norm, on its own", () => {
  test("a long gradient is scaled down to the norm; a short one is left as it is", () => {
    const [a, b] = usedGradients({ clipnorm: 1 }, [long, short]);
    expectClose(
      a,
      long.map((g) => g / 13),
    );
    expect(norm(a)).toBeCloseTo(1, 6);
    expectClose(b, short);
  });

  test("a norm equal to the limit is unchanged; a zero gradient stays zero", () => {
    const [a, b] = usedGradients({ clipnorm: 13 }, [long, [0, 0]]);
    expectClose(a, long);
    expectClose(b, [0, 0]);
  });
});

describe("globalClipnorm: all gradients scaled together by c / max(‖G‖, c)", () => {
  test("above the limit every gradient shrinks by the same factor", () => {
    const total = Math.sqrt(13 * 13 + 0.5 * 0.5);
    const [a, b] = usedGradients({ globalClipnorm: 2 }, [long, short]);
    expectClose(
      a,
      long.map((g) => (g * 2) / total),
    );
    expectClose(
      b,
      short.map((g) => (g * 2) / total),
    );
    expect(Math.hypot(norm(a), norm(b))).toBeCloseTo(2, 5);
  });

  test("below the limit nothing changes (unlike clipnorm, the short gradient is judged with the long one)", () => {
    const [a, b] = usedGradients({ globalClipnorm: 14 }, [long, short]);
    expectClose(a, long);
    expectClose(b, short);
  });
});

describe("clipvalue: each element clipped to [-c, c]", () => {
  test("elements beyond ±c become ±c, the others stay", () => {
    const [a, b] = usedGradients({ clipvalue: 0.35 }, [long, short]);
    expectClose(a, [0.35, -0.35, 0.35, 0, 0]);
    expectClose(b, [0.3, 0, -0.35]);
  });
});

describe("clipping happens before the optimizer's own update", () => {
  test("Adam sees the clipped gradient (its first step is then lr·ĝ/(|ĝ| + ε/√(1−β2)))", () => {
    const optimizer = new Adam({ learningRate: 0.1, clipvalue: 1e-3, epsilon: 1e-3 });
    const w = weight("w", [0, 0]);
    step(optimizer, [w], [[5, -5]]);
    // With clipvalue 1e-3, |ĝ| = 1e-3 is comparable to ε/√(1−β2) ≈ 0.0316, so the step is far below lr.
    const move = (0.1 * 1e-3) / (1e-3 + 1e-3 / Math.sqrt(1 - 0.999));
    expectClose(values(w), [-move, move], 1e-5);
    optimizer.dispose();
  });

  test("without any clip option the gradient is used unchanged", () => {
    const [a] = usedGradients({}, [long]);
    expectClose(a, long);
  });
});

describe("clip options are checked", () => {
  test.each([
    [{ clipnorm: 0 }, "SGD: clipnorm must be a finite number > 0 (or null), got 0"],
    [{ clipvalue: -1 }, "SGD: clipvalue must be a finite number > 0 (or null), got -1"],
    [{ globalClipnorm: Infinity }, "SGD: globalClipnorm must be a finite number > 0 (or null), got Infinity"],
    [{ clipnorm: "1" }, 'SGD: clipnorm must be a finite number > 0 (or null), got string "1"'],
    [
      { clipnorm: 1, clipvalue: 1 },
      "SGD: set only one of clipnorm, clipvalue and globalClipnorm (as Keras), got several",
    ],
    [
      { globalClipnorm: 1, clipvalue: 1 },
      "SGD: set only one of clipnorm, clipvalue and globalClipnorm (as Keras), got several",
    ],
  ])("%o", (options, message) => {
    expect(() => new SGD(options as never)).toThrow(message);
  });

  test("null and undefined mean no clipping, and the config says which one is set", () => {
    const optimizer = new SGD({ clipnorm: null, clipvalue: 0.5 });
    expect(optimizer.getConfig()).toMatchObject({ clipnorm: null, clipvalue: 0.5, globalClipnorm: null });
    expect(new SGD({ globalClipnorm: 3 }).getConfig()).toMatchObject({
      clipnorm: null,
      clipvalue: null,
      globalClipnorm: 3,
    });
  });
});
