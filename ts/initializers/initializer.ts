import { getEngine } from "../engine/engine.js";
import { globalGenerator, RandomGenerator } from "../engine/random.js";
import { checkSeed } from "../utils/options.js";
import { shapeSize } from "../utils/shape.js";

export interface InitializerConfig {
  className: string;
  config: Record<string, unknown>;
}

/**
 * Fills a weight block in wasm memory. Random draws run in the kernels so that a seed gives the same bits in
 * every runtime. As in Keras 3, a seeded initializer gives the same values on every call; an unseeded one
 * draws from the process-wide generator (see setRandomSeed).
 */
export abstract class Initializer {
  abstract readonly className: string;
  abstract fill(ptr: number, shape: readonly number[]): void;
  getConfig(): InitializerConfig {
    return { className: this.className, config: {} };
  }
}

export abstract class RandomInitializer extends Initializer {
  readonly seed: number | null;

  constructor(seed: number | null | undefined, name: string) {
    super();
    if (seed !== undefined && seed !== null) checkSeed(name, seed);
    this.seed = seed ?? null;
  }

  /** Runs `draw` with this initializer's generator: a fresh one from the seed, or the shared one. */
  protected withGenerator(draw: (statePtr: number) => void): void {
    if (this.seed === null) {
      draw(globalGenerator().statePtr);
      return;
    }
    const generator = new RandomGenerator(this.seed);
    try {
      draw(generator.statePtr);
    } finally {
      generator.dispose();
    }
  }

  protected fillNormal(ptr: number, count: number, mean: number, stddev: number, truncated: boolean): void {
    const kernels = getEngine().kernels;
    this.withGenerator((state) =>
      truncated
        ? kernels.randomTruncatedNormal(state, ptr, count, mean, stddev)
        : kernels.randomNormal(state, ptr, count, mean, stddev),
    );
  }

  protected fillUniform(ptr: number, count: number, low: number, high: number): void {
    const kernels = getEngine().kernels;
    this.withGenerator((state) => kernels.randomUniform(state, ptr, count, low, high));
  }
}

/** Keras's compute_fans: [fanIn, fanOut] of a weight shape (a receptive field multiplies both). */
export function computeFans(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  if (shape.length === 2) return [shape[0], shape[1]];
  const receptiveField = shapeSize(shape.slice(0, -2));
  return [shape[shape.length - 2] * receptiveField, shape[shape.length - 1] * receptiveField];
}

export function checkFinite(value: unknown, argument: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new Error(`${argument} must be a finite number, got ${String(value)}`);
  }
  return value;
}
