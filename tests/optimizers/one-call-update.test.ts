// The optimizer over a memory plan's block: neighbouring variables updated in one kernel call give, bit for bit,
// a plain scalar float32 Adam run element by element (every operation rounded to float32 with Math.fround, in
// the kernel's order, as Keras 3's adam.py writes it); Keras's exclude_from_weight_decay leaves chosen weights
// undecayed.
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import { Variable } from "../../ts/layers/variable.js";
import { Adam, AdamW, SGD } from "../../ts/optimizers/index.js";
import { MemoryPlan } from "../../ts/training/memory-plan.js";
import { bitsOf } from "../helpers/model-fixtures.js";
import { scalarAdamF32 } from "../helpers/reference-math.js";
import { uniformArray } from "../helpers/seeded.js";
import { loadEngine } from "../helpers/wasm.js";

beforeAll(loadEngine);
const live: Variable[] = [];
afterEach(() => {
  for (const variable of live.splice(0)) variable.dispose();
});

/** Weights of sizes 5, 7 and 3 (not multiples of 4 or 16: SIMD body, scalar tail and padding all occur). */
function plannedWeights(names: readonly string[]): Variable[] {
  const sizes = [5, 7, 3];
  const variables = names.map((name, i) => new Variable(name, [sizes[i]], true));
  live.push(...variables);
  variables.forEach((variable, i) => variable.write(uniformArray(variable.size, 10 + i)));
  new MemoryPlan(variables);
  return variables;
}

const f = Math.fround;

function countAdamCalls(body: () => void): number {
  // NOTE: the kernels are the wasm instance's exports (not configurable): the engine's binding is swapped, as bench/step-profile.mjs does.
  const engine = getEngine() as unknown as { kernels: Record<string, unknown> };
  const plain = engine.kernels;
  const original = plain["adamUpdate"] as (...args: unknown[]) => unknown;
  let calls = 0;
  engine.kernels = { ...plain, ["adamUpdate"]: (...args: unknown[]) => (calls++, original(...args)) };
  try {
    body();
    return calls;
  } finally {
    engine.kernels = plain;
  }
}

describe("one kernel call over a planned block", () => {
  test.each([
    ["Adam", false],
    ["AdamW with bias excluded from weight decay", true],
  ])("%s: bit-identical to a scalar float32 reference over 4 steps", (_, excludeBias) => {
    const variables = plannedWeights(["dense/kernel", "dense/bias", "out/kernel"]);
    const lr = f(0.01);
    const weightDecay = excludeBias ? f(0.1) : 0;
    const optimizer = excludeBias ? new AdamW({ learningRate: lr, weightDecay }) : new Adam({ learningRate: lr });
    if (excludeBias) optimizer.excludeFromWeightDecay({ varNames: ["bias$"] });
    const states = variables.map((variable) => Array.from(variable.read().data, (w) => ({ w, m: 0, v: 0 })));
    let calls = 0;
    for (let t = 1; t <= 4; t++) {
      const grads = variables.map((variable, i) => uniformArray(variable.size, 100 * t + i));
      variables.forEach((variable, i) => getEngine().write(variable.grad, grads[i]));
      calls += countAdamCalls(() => optimizer.applyGradients(variables));
      variables.forEach((variable, i) => {
        const decay = excludeBias && variable.name.endsWith("bias") ? 0 : weightDecay;
        states[i].forEach((state, j) => scalarAdamF32(state, grads[i][j], t, { learningRate: lr, weightDecay: decay }));
      });
    }
    // Adam: one call a step; with the bias excluded: kernel | bias | kernel are three runs.
    expect(calls).toBe(excludeBias ? 12 : 4);
    variables.forEach((variable, i) => {
      expect(Array.from(bitsOf(variable.read().data))).toEqual(
        Array.from(bitsOf(Float32Array.from(states[i], (state) => state.w))),
      );
    });
    optimizer.dispose();
  });

  test("the padding between planned weights stays zero through updates", () => {
    const variables = plannedWeights(["a", "b", "c"]);
    const optimizer = new SGD({ learningRate: 0.1, momentum: 0.9, weightDecay: 0.5 });
    for (let t = 0; t < 3; t++) {
      variables.forEach((variable, i) => getEngine().write(variable.grad, uniformArray(variable.size, 7 * t + i)));
      optimizer.applyGradients(variables);
    }
    const block = variables[0].block;
    const values = getEngine().read(block.ptr, block.size);
    const used = new Set(
      variables.flatMap((variable) => Array.from({ length: variable.size }, (_, k) => variable.offset + k)),
    );
    const padding = Array.from(values).filter((_, index) => !used.has(index));
    expect(padding.length).toBe(3 * 16 - 15);
    expect(padding.every((value) => value === 0)).toBe(true);
    optimizer.dispose();
  });
});

describe("excludeFromWeightDecay", () => {
  test("varList: the listed variable gets no decay (same bits as Adam without decay on it)", () => {
    const [kernel, bias] = plannedWeights(["k", "b", "unused"]).slice(0, 2);
    const decayed = new AdamW({ learningRate: 0.01, weightDecay: 0.5 });
    decayed.excludeFromWeightDecay({ varList: [bias] });
    const reference = plannedWeights(["k2", "b2", "unused2"]).slice(0, 2);
    const plain = new Adam({ learningRate: 0.01 });
    getEngine().write(reference[1].ptr, bias.read().data);
    getEngine().write(reference[0].ptr, kernel.read().data);
    for (const [variables, optimizer] of [
      [[kernel, bias], decayed],
      [reference, plain],
    ] as const) {
      variables.forEach((variable, i) => getEngine().write(variable.grad, uniformArray(variable.size, 50 + i)));
      optimizer.applyGradients(variables);
    }
    expect(Array.from(bitsOf(bias.read().data))).toEqual(Array.from(bitsOf(reference[1].read().data)));
    expect(Array.from(bitsOf(kernel.read().data))).not.toEqual(Array.from(bitsOf(reference[0].read().data)));
    decayed.dispose();
    plain.dispose();
  });

  test("bad arguments are Errors naming the argument", () => {
    const optimizer = new AdamW();
    expect(() => optimizer.excludeFromWeightDecay({ varNames: "bias" as never })).toThrow(
      /varNames must be an array of strings, got/,
    );
    expect(() => optimizer.excludeFromWeightDecay({ varList: 3 as never })).toThrow(
      /varList must be an array of weights/,
    );
    expect(() => optimizer.excludeFromWeightDecay({ names: [] } as never)).toThrow(/names/);
  });
});

describe("Adam flushes moments below its thresholds, as the scalar reference does", () => {
  test.each([
    ["subnormal moments (3·2⁻¹⁴⁹): 0 after one step", 3 * 1.401298464324817e-45],
    ["moments just above the first moment's threshold (1e-34): flushed within the run", 1e-34],
    ["ordinary moments: kept", 1e-3],
  ])("%s", (_, moment) => {
    const [variable] = plannedWeights(["dead/kernel"]);
    const optimizer = new Adam({ learningRate: 0.01 });
    const size = variable.size;
    optimizer.setWeights(
      [variable],
      [
        { name: "iter", shape: [], values: Int32Array.of(63) },
        { name: "dead/kernel/m", shape: [size], values: new Float32Array(size).fill(moment) },
        { name: "dead/kernel/v", shape: [size], values: new Float32Array(size).fill(1e-6) },
      ],
    );
    const states = Array.from(variable.read().data, (w) => ({ w, m: Math.fround(moment), v: Math.fround(1e-6) }));
    for (let t = 64; t <= 100; t++) {
      getEngine().write(variable.grad, new Float32Array(size));
      optimizer.applyGradients([variable]);
      states.forEach((state) => scalarAdamF32(state, 0, t, { learningRate: 0.01 }));
    }
    // 5 floats: one group of four and a scalar tail.
    expect(Array.from(bitsOf(variable.read().data))).toEqual(
      Array.from(bitsOf(Float32Array.from(states, (state) => state.w))),
    );
    const [, m] = optimizer.getWeights([variable]);
    expect(Array.from(bitsOf(Float32Array.from(m.values)))).toEqual(
      Array.from(bitsOf(Float32Array.from(states, (state) => state.m))),
    );
    expect(states[0].m === 0).toBe(moment < 1e-3);
    optimizer.dispose();
  });
});
