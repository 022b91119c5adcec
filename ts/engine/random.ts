import { checkSeed } from "../utils/options.js";
import { getEngine } from "./engine.js";

/**
 * A seeded generator whose state lives in wasm memory, so that the same seed gives the same bits in every
 * runtime. Unseeded users share the process-wide generator (`globalGenerator()`).
 */
export class RandomGenerator {
  readonly statePtr: number;

  constructor(seed: number) {
    const engine = getEngine();
    this.statePtr = engine.alloc(engine.kernels.RANDOM_STATE_BYTES.value);
    this.reseed(seed);
  }

  reseed(seed: number): void {
    checkSeed("RandomGenerator", seed);
    // NOTE: split the seed into two 32-bit halves so that seeds up to 2^53 stay distinct.
    const low = seed >>> 0;
    const high = Math.floor(seed / 4294967296) >>> 0;
    getEngine().kernels.randomSeed(this.statePtr, low, high);
  }

  /** A copy of the generator's state (for BackupAndRestore: dropout continues where it was). */
  saveState(): Uint8Array {
    const engine = getEngine();
    return engine.u8.slice(this.statePtr, this.statePtr + engine.kernels.RANDOM_STATE_BYTES.value);
  }

  /** Puts back a state saveState gave. */
  restoreState(state: Uint8Array): void {
    const engine = getEngine();
    const size = engine.kernels.RANDOM_STATE_BYTES.value;
    if (!(state instanceof Uint8Array) || state.length !== size) {
      throw new Error(
        `RandomGenerator: restoreState needs the ${size} bytes saveState gives, got ${state?.length ?? String(state)}`,
      );
    }
    engine.u8.set(state, this.statePtr);
  }

  dispose(): void {
    getEngine().free(this.statePtr);
  }
}

let shared: RandomGenerator | undefined;

/** The process-wide generator for unseeded initializers and dropout; see setRandomSeed. */
export function globalGenerator(): RandomGenerator {
  shared ??= new RandomGenerator(entropySeed());
  return shared;
}

/** Keras's keras.utils.set_random_seed: makes every unseeded random draw after it reproducible. */
export function setRandomSeed(seed: number): void {
  checkSeed("setRandomSeed", seed);
  if (shared) shared.reseed(seed);
  else shared = new RandomGenerator(seed);
}

/**
 * Takes the process-wide generator's state out of the loaded engine (and frees its block there), for init()
 * switching kernel builds; restoreGlobalGeneratorState puts it into the new one, so draws continue unchanged.
 */
export function takeGlobalGeneratorState(): Uint8Array | undefined {
  if (!shared) return undefined;
  const engine = getEngine();
  const state = engine.u8.slice(shared.statePtr, shared.statePtr + engine.kernels.RANDOM_STATE_BYTES.value);
  shared.dispose();
  shared = undefined;
  return state;
}

export function restoreGlobalGeneratorState(state: Uint8Array | undefined): void {
  if (!state) return;
  const generator = new RandomGenerator(0);
  getEngine().u8.set(state, generator.statePtr);
  shared = generator;
}

/** Blocks the process-wide generator holds in the loaded engine (0 or 1). */
export function globalGeneratorBlocks(): number {
  return shared ? 1 : 0;
}

function entropySeed(): number {
  const cryptoApi = (globalThis as { crypto?: { getRandomValues?: (array: Uint32Array) => Uint32Array } }).crypto;
  if (cryptoApi?.getRandomValues) {
    const words = cryptoApi.getRandomValues(new Uint32Array(2));
    return words[0] + (words[1] & 0x1fffff) * 4294967296;
  }
  return Date.now();
}
