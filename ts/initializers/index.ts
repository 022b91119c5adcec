import { Constant, Identity, Ones, Zeros } from "./constant.js";
import { Initializer, type InitializerConfig } from "./initializer.js";
import {
  GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal, LecunUniform,
  Orthogonal, RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling,
} from "./random.js";

export { Initializer, type InitializerConfig } from "./initializer.js";
export * from "./constant.js";
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
    throw new Error(`${argument}: unknown initializer ${JSON.stringify(identifier)}; expected one of ${known.join(", ")}`);
  }
  const options = typeof identifier === "object" ? camelCaseKeys(identifier.config ?? {}) : {};
  return factory(options);
}

function camelCaseKeys(config: Options): Options {
  const out: Options = {};
  for (const [key, value] of Object.entries(config)) out[key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = value;
  return out;
}

/** tfjs-style factories: initializers.glorotUniform({ seed: 1 }). */
export const initializers = {
  zeros: () => new Zeros(),
  ones: () => new Ones(),
  constant: (options?: ConstructorParameters<typeof Constant>[0]) => new Constant(options),
  identity: (options?: ConstructorParameters<typeof Identity>[0]) => new Identity(options),
  randomNormal: (options?: ConstructorParameters<typeof RandomNormal>[0]) => new RandomNormal(options),
  randomUniform: (options?: ConstructorParameters<typeof RandomUniform>[0]) => new RandomUniform(options),
  truncatedNormal: (options?: ConstructorParameters<typeof TruncatedNormal>[0]) => new TruncatedNormal(options),
  varianceScaling: (options?: ConstructorParameters<typeof VarianceScaling>[0]) => new VarianceScaling(options),
  glorotUniform: (options?: { seed?: number }) => new GlorotUniform(options),
  glorotNormal: (options?: { seed?: number }) => new GlorotNormal(options),
  heUniform: (options?: { seed?: number }) => new HeUniform(options),
  heNormal: (options?: { seed?: number }) => new HeNormal(options),
  lecunUniform: (options?: { seed?: number }) => new LecunUniform(options),
  lecunNormal: (options?: { seed?: number }) => new LecunNormal(options),
  orthogonal: (options?: ConstructorParameters<typeof Orthogonal>[0]) => new Orthogonal(options),
};
