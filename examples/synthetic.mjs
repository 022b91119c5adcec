// Seeded synthetic data sets for the examples: two moons (binary) and spirals (multi-class). Plain JS, same
// numbers in every runtime for a given seed (the generator is datasets.mjs's integer-only mulberry32).
import { seededIntegers } from "./datasets.mjs";

/** Uniform floats in [0, 1) and standard normal floats (Box–Muller) from one seeded stream. */
export function seededFloats(seed) {
  const nextInt = seededIntegers(seed);
  const uniform = () => nextInt(2 ** 32) / 2 ** 32;
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

/**
 * Two interleaving half circles, as scikit-learn's make_moons: class 0 on the upper arc around (0, 0),
 * class 1 on the lower arc around (1, 0.5); Gaussian noise of standard deviation `noise`. Classes alternate.
 */
export function makeMoons(count, { noise = 0.1, seed = 0 } = {}) {
  const { uniform, normal } = seededFloats(seed);
  const x = new Float32Array(count * 2);
  const y = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % 2;
    const angle = Math.PI * uniform();
    x[2 * i] = (label === 0 ? Math.cos(angle) : 1 - Math.cos(angle)) + noise * normal();
    x[2 * i + 1] = (label === 0 ? Math.sin(angle) : 0.5 - Math.sin(angle)) + noise * normal();
    y[i] = label;
  }
  return { x, y, count, features: 2 };
}

/**
 * `arms` interleaved spiral arms, one class each (CS231n's classic toy problem): a point at radius r in [0, 1]
 * on arm k sits at angle 4r + 2πk/arms, plus Gaussian noise on the angle. Returns `count` points, labels 0..arms-1.
 */
export function makeSpirals(count, { arms = 3, noise = 0.2, random = seededFloats(0) } = {}) {
  const x = new Float32Array(count * 2);
  const y = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = Math.floor(random.uniform() * arms);
    const radius = random.uniform();
    const angle = 4 * radius + (2 * Math.PI * label) / arms + noise * random.normal();
    x[2 * i] = radius * Math.sin(angle);
    x[2 * i + 1] = radius * Math.cos(angle);
    y[i] = label;
  }
  return { x, y, count, features: 2 };
}
