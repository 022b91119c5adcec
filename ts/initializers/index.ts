import { Constant, Identity, Ones, Zeros } from "./constant.js";
import { Initializer, type InitializerConfig } from "./initializer.js";
import {
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  LecunNormal,
  LecunUniform,
  Orthogonal,
  RandomNormal,
  RandomUniform,
  TruncatedNormal,
  VarianceScaling,
} from "./random.js";

export * from "./constant.js";
export { Initializer, type InitializerConfig } from "./initializer.js";
export * from "./random.js";

type Options = Record<string, unknown>;
type Factory = (options?: Options) => Initializer;

/** Factories by Keras class name; each name is also reachable in camelCase and snake_case. */
const FACTORIES: Record<string, Factory> = {
  Zeros: () => new Zeros(),
  Ones: () => new Ones(),
  Constant: (options) => new Constant(options),
  Identity: (options) => new Identity(options),
  RandomNormal: (options) => new RandomNormal(options),
  RandomUniform: (options) => new RandomUniform(options),
  TruncatedNormal: (options) => new TruncatedNormal(options),
  VarianceScaling: (options) => new VarianceScaling(options),
  GlorotUniform: (options) => new GlorotUniform(options),
  GlorotNormal: (options) => new GlorotNormal(options),
  HeUniform: (options) => new HeUniform(options),
  HeNormal: (options) => new HeNormal(options),
  LecunUniform: (options) => new LecunUniform(options),
  LecunNormal: (options) => new LecunNormal(options),
  Orthogonal: (options) => new Orthogonal(options),
};

const BY_NAME = new Map<string, Factory>();
for (const [className, factory] of Object.entries(FACTORIES)) {
  const camel = className[0].toLowerCase() + className.slice(1);
  const snake = camel.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  for (const name of [className, camel, snake]) BY_NAME.set(name, factory);
}

export type InitializerIdentifier = Initializer | string | InitializerConfig;

/** Resolves "glorotUniform", "glorot_uniform", { className, config } or an instance. */
export function resolveInitializer(identifier: InitializerIdentifier, argument: string): Initializer {
  if (identifier instanceof Initializer) return identifier;
  const name = typeof identifier === "string" ? identifier : identifier?.className;
  const factory = typeof name === "string" ? BY_NAME.get(name) : undefined;
  if (!factory) {
    const known = Object.keys(FACTORIES).map((className) => className[0].toLowerCase() + className.slice(1));
    throw new Error(
      `${argument}: unknown initializer ${JSON.stringify(identifier)}; expected one of ${known.join(", ")}`,
    );
  }
  const options = typeof identifier === "object" ? camelCaseKeys(identifier.config ?? {}) : {};
  return factory(options);
}

function camelCaseKeys(config: Options): Options {
  const out: Options = {};
  for (const [key, value] of Object.entries(config))
    out[key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = value;
  return out;
}

/** tfjs-style factories: initializers.glorotUniform({ seed: 1 }). */
type ConstructorOptions<T extends abstract new (...args: never[]) => unknown> = ConstructorParameters<T>[0];
export const zeros = () => new Zeros();
export const ones = () => new Ones();
export const constant = (options?: ConstructorOptions<typeof Constant>) => new Constant(options);
export const identity = (options?: ConstructorOptions<typeof Identity>) => new Identity(options);
export const randomNormal = (options?: ConstructorOptions<typeof RandomNormal>) => new RandomNormal(options);
export const randomUniform = (options?: ConstructorOptions<typeof RandomUniform>) => new RandomUniform(options);
export const truncatedNormal = (options?: ConstructorOptions<typeof TruncatedNormal>) => new TruncatedNormal(options);
export const varianceScaling = (options?: ConstructorOptions<typeof VarianceScaling>) => new VarianceScaling(options);
export const glorotUniform = (options?: { seed?: number }) => new GlorotUniform(options);
export const glorotNormal = (options?: { seed?: number }) => new GlorotNormal(options);
export const heUniform = (options?: { seed?: number }) => new HeUniform(options);
export const heNormal = (options?: { seed?: number }) => new HeNormal(options);
export const lecunUniform = (options?: { seed?: number }) => new LecunUniform(options);
export const lecunNormal = (options?: { seed?: number }) => new LecunNormal(options);
export const orthogonal = (options?: ConstructorOptions<typeof Orthogonal>) => new Orthogonal(options);
