// Each random initializer against the distribution its formula defines: seeded, 60,000 draws of a 300 × 200
// kernel (fan_in 300, fan_out 200), with bounds, mean, standard deviation and the mass within one parameter σ all
// derived here from Keras 3's definitions (keras/src/initializers/random_initializers.py):
// - VarianceScaling: variance = scale / fan; "uniform" draws from ±√(3·variance); "truncated_normal" draws a
//   normal of stddev √variance / 0.87962566103423978 cut at 2 of those stddevs, so that the variance after the
//   cut is the one asked for (0.8796… is the stddev of a unit normal truncated to [−2, 2]);
//   "untruncated_normal" a normal of stddev √variance.
// - TruncatedNormal(mean, stddev): a normal of that stddev cut at 2σ (its stddev is then 0.8796·σ).
// Tolerances: 6 standard errors of each estimate at 60,000 draws (mean σ/√N; stddev ≤ σ·√(1/(2N)) for these
// light-tailed shapes); a missing truncation correction moves the stddev by 12 %, some 80 standard errors.
import { beforeAll, describe, expect, it } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import { init, initializers } from "../../ts/index.js";
import type { Initializer } from "../../ts/initializers/initializer.js";
import { normalCdf } from "../helpers/reference-math.js";

beforeAll(() => init());

const FAN_IN = 300;
const FAN_OUT = 200;
const COUNT = FAN_IN * FAN_OUT;
const TRUNCATED_STDDEV = 0.87962566103423978;

function draw(initializer: Initializer): Float64Array {
  const engine = getEngine();
  const ptr = engine.allocF32(COUNT);
  try {
    initializer.fill(ptr, [FAN_IN, FAN_OUT]);
    return Float64Array.from(engine.read(ptr, COUNT));
  } finally {
    engine.free(ptr);
  }
}

interface Shape {
  /** Support [low, high]. */
  low: number;
  high: number;
  mean: number;
  stddev: number;
  /** Probability of landing within `center ± width`. */
  band: { center: number; width: number; mass: number };
}

const uniformShape = (low: number, high: number): Shape => ({
  low,
  high,
  mean: (low + high) / 2,
  stddev: (high - low) / Math.sqrt(12),
  band: { center: (low + high) / 2, width: (high - low) / 4, mass: 0.5 },
});
/** A normal of parameter σ cut at ±2σ. */
const truncatedShape = (mean: number, sigma: number): Shape => ({
  low: mean - 2 * sigma,
  high: mean + 2 * sigma,
  mean,
  stddev: TRUNCATED_STDDEV * sigma,
  band: { center: mean, width: sigma, mass: (normalCdf(1) - normalCdf(-1)) / (normalCdf(2) - normalCdf(-2)) },
});
const normalShape = (mean: number, sigma: number): Shape => ({
  low: -Infinity,
  high: Infinity,
  mean,
  stddev: sigma,
  band: { center: mean, width: sigma, mass: normalCdf(1) - normalCdf(-1) },
});

function expectDistribution(values: Float64Array, shape: Shape): void {
  let sum = 0,
    min = Infinity,
    max = -Infinity,
    inBand = 0;
  for (const value of values) {
    sum += value;
    min = Math.min(min, value);
    max = Math.max(max, value);
    if (Math.abs(value - shape.band.center) <= shape.band.width) inBand++;
  }
  const mean = sum / COUNT;
  let squares = 0;
  for (const value of values) squares += (value - mean) ** 2;
  const stddev = Math.sqrt(squares / (COUNT - 1));
  expect(min, "lowest draw").toBeGreaterThanOrEqual(Math.fround(shape.low));
  expect(max, "highest draw").toBeLessThanOrEqual(Math.fround(shape.high));
  if (Number.isFinite(shape.low)) {
    // NOTE: the draws reach the ends of the support (a support narrower than the formula's would fail here).
    const span = shape.high - shape.low;
    expect(min - shape.low, "lowest draw near the bound").toBeLessThan(0.01 * span);
    expect(shape.high - max, "highest draw near the bound").toBeLessThan(0.01 * span);
  }
  expect(Math.abs(mean - shape.mean), `mean ${mean}, expected ${shape.mean}`).toBeLessThan(
    (6 * shape.stddev) / Math.sqrt(COUNT),
  );
  expect(Math.abs(stddev - shape.stddev) / shape.stddev, `stddev ${stddev}, expected ${shape.stddev}`).toBeLessThan(
    6 * Math.sqrt(1 / (2 * COUNT)),
  );
  const mass = inBand / COUNT;
  expect(Math.abs(mass - shape.band.mass), `mass within the band ${mass}, expected ${shape.band.mass}`).toBeLessThan(
    6 * Math.sqrt((shape.band.mass * (1 - shape.band.mass)) / COUNT),
  );
}

const fanAvg = (FAN_IN + FAN_OUT) / 2;
const cases: [string, () => Initializer, Shape][] = [
  [
    "RandomUniform(−0.3, 0.7)",
    () => new initializers.RandomUniform({ minval: -0.3, maxval: 0.7, seed: 1 }),
    uniformShape(-0.3, 0.7),
  ],
  [
    "RandomNormal(0.5, 0.2)",
    () => new initializers.RandomNormal({ mean: 0.5, stddev: 0.2, seed: 2 }),
    normalShape(0.5, 0.2),
  ],
  [
    "TruncatedNormal(0.1, 0.3)",
    () => new initializers.TruncatedNormal({ mean: 0.1, stddev: 0.3, seed: 3 }),
    truncatedShape(0.1, 0.3),
  ],
  [
    "GlorotUniform",
    () => new initializers.GlorotUniform({ seed: 4 }),
    uniformShape(-Math.sqrt(3 / fanAvg), Math.sqrt(3 / fanAvg)),
  ],
  [
    "HeUniform",
    () => new initializers.HeUniform({ seed: 5 }),
    uniformShape(-Math.sqrt(6 / FAN_IN), Math.sqrt(6 / FAN_IN)),
  ],
  [
    "LecunUniform",
    () => new initializers.LecunUniform({ seed: 6 }),
    uniformShape(-Math.sqrt(3 / FAN_IN), Math.sqrt(3 / FAN_IN)),
  ],
  [
    "GlorotNormal (truncated, corrected)",
    () => new initializers.GlorotNormal({ seed: 7 }),
    truncatedShape(0, Math.sqrt(1 / fanAvg) / TRUNCATED_STDDEV),
  ],
  [
    "HeNormal (truncated, corrected)",
    () => new initializers.HeNormal({ seed: 8 }),
    truncatedShape(0, Math.sqrt(2 / FAN_IN) / TRUNCATED_STDDEV),
  ],
  [
    "LecunNormal (truncated, corrected)",
    () => new initializers.LecunNormal({ seed: 9 }),
    truncatedShape(0, Math.sqrt(1 / FAN_IN) / TRUNCATED_STDDEV),
  ],
  [
    "VarianceScaling(scale 3, fan_out, truncated_normal)",
    () => new initializers.VarianceScaling({ scale: 3, mode: "fan_out", distribution: "truncated_normal", seed: 10 }),
    truncatedShape(0, Math.sqrt(3 / FAN_OUT) / TRUNCATED_STDDEV),
  ],
  [
    "VarianceScaling(scale 0.5, fan_avg, untruncated_normal)",
    () =>
      new initializers.VarianceScaling({ scale: 0.5, mode: "fan_avg", distribution: "untruncated_normal", seed: 11 }),
    normalShape(0, Math.sqrt(0.5 / fanAvg)),
  ],
  [
    "VarianceScaling(scale 2, fan_out, uniform)",
    () => new initializers.VarianceScaling({ scale: 2, mode: "fan_out", distribution: "uniform", seed: 12 }),
    uniformShape(-Math.sqrt(6 / FAN_OUT), Math.sqrt(6 / FAN_OUT)),
  ],
];

describe("random initializers draw from the distribution their formula defines", () => {
  for (const [name, make, shape] of cases) {
    it(name, () => expectDistribution(draw(make()), shape));
  }

  it("the variance-scaling normals have the variance asked for (scale / fan), after truncation", () => {
    const values = draw(new initializers.HeNormal({ seed: 13 }));
    let squares = 0;
    for (const value of values) squares += value * value;
    expect(squares / COUNT / (2 / FAN_IN)).toBeCloseTo(1, 1);
  });

  it("a seed gives the same draws every time; another seed others", () => {
    const a = draw(new initializers.GlorotNormal({ seed: 21 }));
    expect(draw(new initializers.GlorotNormal({ seed: 21 }))).toEqual(a);
    expect(draw(new initializers.GlorotNormal({ seed: 22 }))).not.toEqual(a);
  });
});
