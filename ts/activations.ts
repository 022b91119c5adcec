import { getEngine } from "./engine/engine.js";

/**
 * Activation names as Keras (snake_case) and tfjs (camelCase) write them, mapped to densa's canonical name,
 * the kernel kind (an ACTIVATION_* global exported by assembly/activations.ts) and its parameter.
 */
interface ActivationSpec {
  kernelName: string;
  /** elu's alpha, leaky_relu's negative slope, hard_sigmoid's slope. */
  alpha: number;
}

const SPECS: Record<string, ActivationSpec> = {
  linear: { kernelName: "LINEAR", alpha: 0 },
  relu: { kernelName: "RELU", alpha: 0 },
  sigmoid: { kernelName: "SIGMOID", alpha: 0 },
  tanh: { kernelName: "TANH", alpha: 0 },
  softmax: { kernelName: "SOFTMAX", alpha: 0 },
  log_softmax: { kernelName: "LOG_SOFTMAX", alpha: 0 },
  elu: { kernelName: "ELU", alpha: 1 },
  selu: { kernelName: "SELU", alpha: 0 },
  softplus: { kernelName: "SOFTPLUS", alpha: 0 },
  softsign: { kernelName: "SOFTSIGN", alpha: 0 },
  swish: { kernelName: "SWISH", alpha: 0 },
  gelu: { kernelName: "GELU", alpha: 0 },
  gelu_new: { kernelName: "GELU_TANH", alpha: 0 },
  // NOTE: Keras 3's leaky_relu activation defaults to a 0.2 slope (the LeakyReLU layer to 0.3).
  leaky_relu: { kernelName: "LEAKY_RELU", alpha: 0.2 },
  relu6: { kernelName: "RELU6", alpha: 0 },
  // NOTE: tfjs and Keras 2 define hard_sigmoid as clip(0.2·x + 0.5, 0, 1); Keras 3 uses relu6(x + 3) / 6.
  // densa saves and loads the tfjs format, so the name means the tfjs function; models move with their values.
  hard_sigmoid: { kernelName: "HARD_SIGMOID", alpha: 0.2 },
  mish: { kernelName: "MISH", alpha: 0 },
  exponential: { kernelName: "EXPONENTIAL", alpha: 0 },
};

const ALIASES: Record<string, string> = {
  silu: "swish",
  logSoftmax: "log_softmax",
  leakyRelu: "leaky_relu",
  hardSigmoid: "hard_sigmoid",
  geluNew: "gelu_new",
};

export type ActivationName = keyof typeof SPECS | keyof typeof ALIASES;

export const ACTIVATION_NAMES: readonly string[] = Object.keys(SPECS);

export interface ResolvedActivation {
  /** Canonical (Keras snake_case) name, as saved in configs. */
  name: string;
  kind: number;
  alpha: number;
  /** Whether the backward pass reads the pre-activation input (else the output is enough). */
  needsInput: boolean;
  /** Row-wise kinds (softmax, log_softmax) need whole rows. */
  rowWise: boolean;
}

/** Canonical name for an identifier, or a clear error listing the valid ones. Needs no engine. */
export function canonicalActivationName(identifier: unknown, argument: string): string {
  if (identifier === undefined || identifier === null) return "linear";
  if (typeof identifier === "string") {
    const name = (Object.hasOwn(ALIASES, identifier) ? ALIASES[identifier] : undefined) ?? identifier;
    // NOTE: own keys only, so that "constructor" or "__proto__" from a file is an unknown name, not Object's.
    if (Object.hasOwn(SPECS, name)) return name;
  }
  throw new Error(
    `${argument}: unknown activation ${JSON.stringify(identifier)}; expected one of ${[...ACTIVATION_NAMES, ...Object.keys(ALIASES)].join(", ")}`,
  );
}

/** Kernel kind and parameters for a canonical name (after init()). */
export function resolveActivation(name: string): ResolvedActivation {
  const spec = SPECS[canonicalActivationName(name, "activation")];
  const kernels = getEngine().kernels as unknown as Record<string, WebAssembly.Global | undefined>;
  const global = kernels[`ACTIVATION_${spec.kernelName}`];
  if (!global) throw new Error(`activation: the kernels have no ACTIVATION_${spec.kernelName}`);
  const kind = global.value as number;
  return {
    name: canonicalActivationName(name, "activation"),
    kind,
    alpha: spec.alpha,
    needsInput: getEngine().kernels.activationBackwardNeedsInputFor(kind, spec.alpha) !== 0,
    rowWise: spec.kernelName === "SOFTMAX" || spec.kernelName === "LOG_SOFTMAX",
  };
}
