import {
  activationForward, activationBackward, ACTIVATION_RELU, ACTIVATION_SIGMOID, ACTIVATION_SOFTMAX, ACTIVATION_TANH,
} from "../activations";

const N = 11; // two SIMD vectors and a 3-element tail

function ptr(a: StaticArray<f32>): usize {
  return changetype<usize>(a);
}

function inputs(): StaticArray<f32> {
  const x = new StaticArray<f32>(N);
  for (let i = 0; i < N; i++) x[i] = <f32>(i - 5) * 1.3;
  return x;
}

describe("activationForward", () => {
  it("relu equals max(x, 0) from a scalar loop, in place too", () => {
    const x = inputs();
    const y = new StaticArray<f32>(N);
    activationForward(ACTIVATION_RELU, 1, N, ptr(x), ptr(y), 0);
    for (let i = 0; i < N; i++) expect(y[i]).toBe(x[i] > 0 ? x[i] : 0);
    activationForward(ACTIVATION_RELU, 1, N, ptr(x), ptr(x), 0);
    for (let i = 0; i < N; i++) expect(x[i]).toBe(y[i]);
  });

  it("sigmoid matches 1/(1 + exp(-x)) computed in f64", () => {
    const x = inputs();
    const y = new StaticArray<f32>(N);
    activationForward(ACTIVATION_SIGMOID, 1, N, ptr(x), ptr(y), 0);
    for (let i = 0; i < N; i++) {
      const want = 1 / (1 + Math.exp(-<f64>x[i]));
      expect(Math.abs(<f64>y[i] - want)).toBeLessThan(3e-7 * want);
    }
  });

  it("softmax rows are positive and sum to 1", () => {
    const rows = 3, cols = 5;
    const x = new StaticArray<f32>(rows * cols);
    for (let i = 0; i < rows * cols; i++) x[i] = <f32>((i * 7) % 11) - 5;
    const y = new StaticArray<f32>(rows * cols);
    activationForward(ACTIVATION_SOFTMAX, rows, cols, ptr(x), ptr(y), 0);
    for (let r = 0; r < rows; r++) {
      let sum: f64 = 0;
      for (let c = 0; c < cols; c++) {
        expect(y[r * cols + c]).toBeGreaterThan(0);
        sum += y[r * cols + c];
      }
      expect(Math.abs(sum - 1)).toBeLessThan(1e-6);
    }
  });
});

describe("activationBackward", () => {
  it("tanh and relu gradients match scalar formulas on y", () => {
    const x = inputs();
    const y = new StaticArray<f32>(N);
    const dy = new StaticArray<f32>(N);
    const dz = new StaticArray<f32>(N);
    for (let i = 0; i < N; i++) dy[i] = <f32>(i % 3) - 1;
    activationForward(ACTIVATION_TANH, 1, N, ptr(x), ptr(y), 0);
    activationBackward(ACTIVATION_TANH, 1, N, 0, ptr(y), ptr(dy), ptr(dz), 0);
    for (let i = 0; i < N; i++) expect(dz[i]).toBe(dy[i] * ((1 - y[i]) * (1 + y[i])));
    activationForward(ACTIVATION_RELU, 1, N, ptr(x), ptr(y), 0);
    activationBackward(ACTIVATION_RELU, 1, N, 0, ptr(y), ptr(dy), ptr(dz), 0);
    for (let i = 0; i < N; i++) expect(dz[i]).toBe(y[i] > 0 ? dy[i] : 0);
  });
});
