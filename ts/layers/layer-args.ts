// What every layer's constructor takes (Keras's base Layer kwargs) and what every layer's getConfig holds, with
// the checks of both; the layer classes add their own options on top.
import { describeValue } from "../utils/describe.js";

/** Options every layer takes (Keras's base Layer kwargs, in camelCase). */
export interface LayerArgs {
  name?: string;
  trainable?: boolean;
  /** Shape of one sample, without the batch axis: `[8]` for 8 features. */
  inputShape?: readonly number[];
  /** Keras's batch_input_shape: `[null, 8]`. */
  batchInputShape?: readonly (number | null)[];
  batchSize?: number;
  dtype?: string;
}

/** Options every layer accepts (LayerArgs). */
export const LAYER_OPTIONS: readonly string[] = [
  "name",
  "trainable",
  "inputShape",
  "batchInputShape",
  "batchSize",
  "dtype",
];

/** A layer's serialisable description, in tfjs's camelCase form (io converts to Keras's snake_case). */
export interface LayerConfig {
  name: string;
  trainable: boolean;
  dtype: "float32";
  batchInputShape?: (number | null)[];
  [key: string]: unknown;
}

/** The options object of a layer constructor's first argument; anything else is an error naming what came. */
export function checkArgsObject<T>(className: string, value: T, expected: string): T {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`${className}: expected ${expected}, got ${describeValue(value)}`);
  }
  return value;
}

export function resolveBatchInputShape(args: LayerArgs, className: string): (number | null)[] | null {
  if (args.batchInputShape !== undefined) {
    const shape = args.batchInputShape;
    if (!Array.isArray(shape) || shape.length < 2 || !shape.slice(1).every(isPositiveInteger)) {
      throw new Error(
        `${className}: batchInputShape must be [batch or null, ...positive integers], got ${JSON.stringify(shape)}`,
      );
    }
    return [...shape];
  }
  if (args.inputShape !== undefined) {
    const shape = args.inputShape;
    if (!Array.isArray(shape) || shape.length === 0 || !shape.every(isPositiveInteger)) {
      throw new Error(`${className}: inputShape must be an array of positive integers, got ${JSON.stringify(shape)}`);
    }
    return [args.batchSize ?? null, ...shape];
  }
  return null;
}

function isPositiveInteger(value: unknown): boolean {
  return typeof value === "number" && Number.isInteger(value) && value > 0;
}
