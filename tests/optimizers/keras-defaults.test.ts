// Keras 3's optimizer defaults and configs (keras/src/optimizers/*.py signatures, camelCase here), optimizers
// by name ("adam", class names, { className, config }), and the checks on the base options.
import { describe, expect, test } from "vitest";
import {
  Adadelta,
  Adagrad,
  Adam,
  Adamax,
  AdamW,
  Nadam,
  RMSprop,
  resolveOptimizer,
  SGD,
} from "../../ts/optimizers/index.js";
import { ExponentialDecay } from "../../ts/optimizers/schedules.js";

const base = { weightDecay: null, clipnorm: null, globalClipnorm: null, clipvalue: null };

describe("defaults as Keras 3", () => {
  test.each([
    ["SGD", () => new SGD(), { name: "SGD", learningRate: 0.01, ...base, momentum: 0, nesterov: false }],
    [
      "Adam",
      () => new Adam(),
      { name: "adam", learningRate: 0.001, ...base, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false },
    ],
    [
      "AdamW",
      () => new AdamW(),
      {
        name: "adamw",
        learningRate: 0.001,
        ...base,
        weightDecay: 0.004,
        beta1: 0.9,
        beta2: 0.999,
        epsilon: 1e-7,
        amsgrad: false,
      },
    ],
    [
      "RMSprop",
      () => new RMSprop(),
      { name: "rmsprop", learningRate: 0.001, ...base, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false },
    ],
    [
      "Adagrad",
      () => new Adagrad(),
      { name: "adagrad", learningRate: 0.001, ...base, initialAccumulatorValue: 0.1, epsilon: 1e-7 },
    ],
    ["Adadelta", () => new Adadelta(), { name: "adadelta", learningRate: 0.001, ...base, rho: 0.95, epsilon: 1e-7 }],
    [
      "Adamax",
      () => new Adamax(),
      { name: "adamax", learningRate: 0.001, ...base, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
    ],
    [
      "Nadam",
      () => new Nadam(),
      { name: "nadam", learningRate: 0.001, ...base, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
    ],
  ])("%s", (className, make, config) => {
    const optimizer = make();
    expect(optimizer.className).toBe(className);
    expect(optimizer.getConfig()).toEqual(config);
    expect(optimizer.learningRate).toBe(config.learningRate);
    expect(optimizer.iterations).toBe(0);
  });

  test("every option given is kept", () => {
    expect(new SGD({ learningRate: 0.5, momentum: 0.3, nesterov: true, name: "s" }).getConfig()).toMatchObject({
      name: "s",
      learningRate: 0.5,
      momentum: 0.3,
      nesterov: true,
    });
    expect(new Adam({ beta1: 0.5, beta2: 0.6, epsilon: 0.1, amsgrad: true }).getConfig()).toMatchObject({
      beta1: 0.5,
      beta2: 0.6,
      epsilon: 0.1,
      amsgrad: true,
    });
    expect(new AdamW({ weightDecay: 0.1, beta1: 0.5 }).getConfig()).toMatchObject({ weightDecay: 0.1, beta1: 0.5 });
    expect(new RMSprop({ rho: 0.5, momentum: 0.2, epsilon: 0.1, centered: true }).getConfig()).toMatchObject({
      rho: 0.5,
      momentum: 0.2,
      epsilon: 0.1,
      centered: true,
    });
    expect(new Adagrad({ initialAccumulatorValue: 0.5, epsilon: 0.1 }).getConfig()).toMatchObject({
      initialAccumulatorValue: 0.5,
      epsilon: 0.1,
    });
    expect(new Adadelta({ rho: 0.5, epsilon: 0.1 }).getConfig()).toMatchObject({ rho: 0.5, epsilon: 0.1 });
    expect(new Adamax({ beta1: 0.5, beta2: 0.6, epsilon: 0.1 }).getConfig()).toMatchObject({
      beta1: 0.5,
      beta2: 0.6,
      epsilon: 0.1,
    });
    expect(new Nadam({ beta1: 0.5, beta2: 0.6, epsilon: 0.1 }).getConfig()).toMatchObject({
      beta1: 0.5,
      beta2: 0.6,
      epsilon: 0.1,
    });
  });

  test("a schedule is saved in Keras's serialized form", () => {
    const schedule = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    expect((new Adam({ learningRate: schedule }).getConfig() as Record<string, unknown>).learningRate).toEqual({
      module: "keras.optimizers.schedules",
      class_name: "ExponentialDecay",
      config: {
        initial_learning_rate: 0.1,
        decay_steps: 10,
        decay_rate: 0.5,
        staircase: false,
        name: "ExponentialDecay",
      },
      registered_name: null,
    });
  });
});

describe("resolveOptimizer", () => {
  test.each([
    ["sgd", SGD],
    ["SGD", SGD],
    ["adam", Adam],
    ["Adam", Adam],
    ["adamw", AdamW],
    ["AdamW", AdamW],
    ["rmsprop", RMSprop],
    ["RMSprop", RMSprop],
    ["adagrad", Adagrad],
    ["adadelta", Adadelta],
    ["adamax", Adamax],
    ["nadam", Nadam],
    ["Nadam", Nadam],
  ] as const)("%s", (name, Class) => {
    expect(resolveOptimizer(name, "optimizer")).toBeInstanceOf(Class);
    expect(resolveOptimizer({ className: name }, "optimizer")).toBeInstanceOf(Class);
  });

  test("a { className, config } builds with the config; instances pass through", () => {
    const optimizer = resolveOptimizer(
      { className: "Adam", config: { learningRate: 0.25, beta1: 0.5 } },
      "optimizer",
    ) as Adam;
    expect([optimizer.learningRate, optimizer.beta1]).toEqual([0.25, 0.5]);
    expect((resolveOptimizer({ className: "SGD", config: { momentum: 0.5 } }, "optimizer") as SGD).momentum).toBe(0.5);
    const instance = new Nadam();
    expect(resolveOptimizer(instance, "optimizer")).toBe(instance);
  });

  test("unknown names list the known ones, naming the argument", () => {
    expect(() => resolveOptimizer("adamm", "compile: optimizer")).toThrow(
      'compile: optimizer: unknown optimizer "adamm"; expected one of sgd, adam, adamw, rmsprop, adagrad, adadelta, adamax, nadam or an optimizers.* instance',
    );
    expect(() => resolveOptimizer({ className: "Ftrl" }, "optimizer")).toThrow(
      'optimizer: unknown optimizer {"className":"Ftrl"}',
    );
    expect(() => resolveOptimizer(3 as never, "optimizer")).toThrow("optimizer: unknown optimizer 3");
    expect(() => resolveOptimizer(null as never, "optimizer")).toThrow("optimizer: unknown optimizer null");
  });
});

describe("base options", () => {
  test.each([
    [() => new Adam({ name: "" }), 'Adam: name must be a non-empty string, got string ""'],
    [() => new SGD({ name: 3 as never }), "SGD: name must be a non-empty string, got 3"],
    [() => new RMSprop({ learning_rate: 0.1 } as never), "RMSprop"],
    [() => new Adagrad({ beta1: 0.9 } as never), "Adagrad"],
    [() => new Adadelta({ rho: 1.5 }), "Adadelta: rho must be a finite number in [0, 1], got 1.5"],
    [() => new Adamax({ epsilon: -1 }), "Adamax: epsilon must be a finite number >= 0, got -1"],
    [() => new Nadam({ beta2: 1 }), "Nadam: beta2 must be a finite number in [0, 1), got 1"],
    [() => new RMSprop({ centered: 1 as never }), "RMSprop: centered must be true or false, got 1"],
    [() => new Adadelta({ epsilon: -1 }), "Adadelta: epsilon must be a finite number >= 0, got -1"],
    [() => new Adadelta({ beta1: 0.9 } as never), "Adadelta: unknown option"],
    [() => new Adagrad({ epsilon: -1 }), "Adagrad: epsilon must be a finite number >= 0, got -1"],
    [() => new Adamax({ beta1: 1 }), "Adamax: beta1 must be a finite number in [0, 1), got 1"],
    [() => new Adamax({ rho: 0.9 } as never), "Adamax: unknown option"],
    [() => new Nadam({ epsilon: -1 }), "Nadam: epsilon must be a finite number >= 0, got -1"],
    [() => new Nadam({ beta1: -0.5 }), "Nadam: beta1 must be a finite number in [0, 1), got -0.5"],
    [() => new Nadam({ amsgrad: true } as never), "Nadam: unknown option"],
    [() => new RMSprop({ momentum: 1.5 }), "RMSprop: momentum must be a finite number in [0, 1], got 1.5"],
    [() => new RMSprop({ epsilon: -1 }), "RMSprop: epsilon must be a finite number >= 0, got -1"],
    [() => new RMSprop({ rho: 2 }), "RMSprop: rho must be a finite number in [0, 1], got 2"],
  ])("%#", (make, message) => {
    expect(make).toThrow(message);
  });
});
