import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  type Dataset,
  loadDiabetes,
  loadDigits,
  loadIris,
  oneHot,
  seededIntegers,
  standardize,
  trainTestSplit,
} from "../examples/datasets.mjs";

function classCounts(labels: Int32Array, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const label of labels) counts[label]++;
  return counts;
}

function range(values: ArrayLike<number>): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < values.length; i++) {
    low = Math.min(low, values[i]);
    high = Math.max(high, values[i]);
  }
  return [low, high];
}

/** The first data line of a file in data/, parsed independently of the loaders. */
function firstRow(name: string, separator: RegExp | string): number[] {
  const bytes = readFileSync(new URL(`../data/${name}`, import.meta.url));
  const text = (name.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8");
  const lines = text.split("\n");
  const line = name === "iris.csv" ? lines[1] : lines[0];
  return line.trim().split(separator).map(Number);
}

describe("loaders", () => {
  it("loads digits: 1797 × 64 pixels in [0, 1], labels 0..9 with UCI's class counts", () => {
    const digits = loadDigits();
    expect(digits.count).toBe(1797);
    expect(digits.features).toBe(64);
    expect(digits.classes).toBe(10);
    expect(digits.x).toBeInstanceOf(Float32Array);
    expect(digits.y).toBeInstanceOf(Int32Array);
    expect(digits.x.length).toBe(1797 * 64);
    expect(digits.y.length).toBe(1797);
    expect(range(digits.x)).toEqual([0, 1]);
    // Every pixel is an integer 0..16 divided by 16.
    expect(digits.x.every((value) => Number.isInteger(value * 16))).toBe(true);
    // UCI's documented class distribution of optdigits.tes.
    expect(classCounts(digits.y, 10)).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
    const raw = firstRow("digits.csv.gz", ",");
    expect(Array.from(digits.x.subarray(0, 64))).toEqual(raw.slice(0, 64).map((pixel) => pixel / 16));
    expect(digits.y[0]).toBe(raw[64]);
  });

  it("loads iris: 150 × 4, three classes of 50, names from the header", () => {
    const iris = loadIris();
    expect(iris.count).toBe(150);
    expect(iris.features).toBe(4);
    expect(iris.classes).toBe(3);
    expect(iris.classNames).toEqual(["setosa", "versicolor", "virginica"]);
    expect(iris.x.length).toBe(600);
    expect(classCounts(iris.y, 3)).toEqual([50, 50, 50]);
    const [low, high] = range(iris.x);
    expect(low).toBeGreaterThan(0); // all measurements are positive lengths in cm
    expect(high).toBeLessThan(8);
    const raw = firstRow("iris.csv", ",");
    expect(Array.from(iris.x.subarray(0, 4))).toEqual(raw.slice(0, 4).map(Math.fround));
  });

  it("loads diabetes: 442 × 10 raw features and 442 float targets in 25..346", () => {
    const diabetes = loadDiabetes();
    expect(diabetes.count).toBe(442);
    expect(diabetes.features).toBe(10);
    expect(diabetes.y).toBeInstanceOf(Float32Array);
    expect(diabetes.x.length).toBe(4420);
    expect(diabetes.y.length).toBe(442);
    expect(range(diabetes.y)).toEqual([25, 346]);
    // Column 1 is sex, coded 1 or 2 in the raw data.
    const sex = new Set(Array.from({ length: 442 }, (_, i) => diabetes.x[i * 10 + 1]));
    expect([...sex].sort()).toEqual([1, 2]);
    expect(Array.from(diabetes.x.subarray(0, 10))).toEqual(
      firstRow("diabetes_data_raw.csv.gz", /\s+/).map(Math.fround),
    );
  });

  it("returns fresh arrays on every call", () => {
    const first = loadIris();
    first.x[0] = -1;
    expect(loadIris().x[0]).not.toBe(-1);
  });
});

/** Each test row's x and y equal the original row it says it came from. */
function expectRowsMatch(original: Dataset, part: Dataset): void {
  const { features } = original;
  const yWidth = original.y.length / original.count;
  part.indices!.forEach((row, i) => {
    expect(part.x.subarray(i * features, (i + 1) * features)).toEqual(
      original.x.subarray(row * features, (row + 1) * features),
    );
    expect(part.y.subarray(i * yWidth, (i + 1) * yWidth)).toEqual(
      original.y.subarray(row * yWidth, (row + 1) * yWidth),
    );
  });
}

describe("trainTestSplit", () => {
  it("splits 75/25 with every row in exactly one part, rows intact", () => {
    const digits = loadDigits();
    const { train, test } = trainTestSplit(digits, { seed: 0 });
    expect(test.count).toBe(Math.ceil(1797 * 0.25)); // 450, as scikit-learn rounds the test size up
    expect(train.count).toBe(1797 - 450);
    expect(train.x.length).toBe(train.count * 64);
    const seen = [...train.indices!, ...test.indices!].sort((a, b) => a - b);
    expect(seen).toEqual(Array.from({ length: 1797 }, (_, i) => i));
    expectRowsMatch(digits, train);
    expectRowsMatch(digits, test);
    expect(train.classes).toBe(10);
  });

  it("stratifies classifiers: each class's test share is within one row of its exact share", () => {
    for (const data of [loadDigits(), loadIris()]) {
      for (const seed of [0, 1, 42]) {
        const { test, train } = trainTestSplit(data, { seed, testFraction: 0.3 });
        const all = classCounts(data.y, data.classes);
        const inTest = classCounts(test.y, data.classes);
        const inTrain = classCounts(train.y, data.classes);
        all.forEach((count, label) => {
          expect(Math.abs(inTest[label] - (count * test.count) / data.count)).toBeLessThan(1);
          expect(inTest[label] + inTrain[label]).toBe(count);
        });
      }
    }
    // Iris: 50 per class and 38 test rows (ceil(0.25 × 150)) → 12 or 13 of each class.
    const { test } = trainTestSplit(loadIris(), { seed: 7 });
    expect(test.count).toBe(38);
    expect(classCounts(test.y, 3).every((count) => count === 12 || count === 13)).toBe(true);
  });

  it("mixes the classes in the train part", () => {
    const { train } = trainTestSplit(loadIris(), { seed: 3 });
    const firstBatch = new Set(train.y.subarray(0, 16));
    expect(firstBatch.size).toBeGreaterThan(1);
  });

  it("is deterministic per seed and differs between seeds", () => {
    const digits = loadDigits();
    const a = trainTestSplit(digits, { seed: 5 });
    const b = trainTestSplit(digits, { seed: 5 });
    const c = trainTestSplit(digits, { seed: 6 });
    expect(a.test.indices).toEqual(b.test.indices);
    expect(a.train.x).toEqual(b.train.x);
    expect(a.test.indices).not.toEqual(c.test.indices);
  });

  it("splits regression data without stratifying, targets following their rows", () => {
    const diabetes = loadDiabetes();
    const { train, test } = trainTestSplit(diabetes, { seed: 0, testFraction: 0.2 });
    expect(test.count).toBe(Math.ceil(442 * 0.2));
    expect(train.count + test.count).toBe(442);
    expect(test.y).toBeInstanceOf(Float32Array);
    expectRowsMatch(diabetes, test);
    expect(() => trainTestSplit(diabetes, { stratify: true })).toThrow(/stratify/);
  });

  it("can turn stratification off for classifiers", () => {
    const iris = loadIris();
    // Over many seeds an unstratified split must at some point leave a class off balance.
    const unbalanced = [0, 1, 2, 3, 4, 5, 6, 7].some((seed) => {
      const counts = classCounts(trainTestSplit(iris, { seed, stratify: false }).test.y, 3);
      return counts.some((count) => count < 12 || count > 13);
    });
    expect(unbalanced).toBe(true);
  });

  it("rejects test fractions outside (0, 1)", () => {
    expect(() => trainTestSplit(loadIris(), { testFraction: 0 })).toThrow(/testFraction/);
    expect(() => trainTestSplit(loadIris(), { testFraction: 1.5 })).toThrow(/testFraction/);
  });
});

describe("seededIntegers", () => {
  it("stays in range and covers it evenly", () => {
    const next = seededIntegers(123);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const value = next(10);
      expect(Number.isInteger(value) && value >= 0 && value < 10).toBe(true);
      counts[value]++;
    }
    for (const count of counts) expect(Math.abs(count - 1000)).toBeLessThan(120);
  });
});

describe("oneHot", () => {
  it("puts a single 1 in each row at the label", () => {
    const labels = Int32Array.of(2, 0, 1, 2);
    const encoded = oneHot(labels, 3);
    expect(Array.from(encoded)).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it("rejects labels outside 0..classes-1", () => {
    expect(() => oneHot([0, 3], 3)).toThrow(/label 3 at row 1/);
    expect(() => oneHot([-1], 3)).toThrow(/label -1/);
  });
});

describe("standardize", () => {
  it("gives the train part zero mean and unit variance, and applies the same transform to test", () => {
    const { train, test } = trainTestSplit(loadIris(), { seed: 0 });
    const scaled = standardize(train, test);
    for (let j = 0; j < 4; j++) {
      let sum = 0;
      let squares = 0;
      for (let i = 0; i < train.count; i++) sum += scaled.train.x[i * 4 + j];
      for (let i = 0; i < train.count; i++) squares += scaled.train.x[i * 4 + j] ** 2;
      expect(Math.abs(sum / train.count)).toBeLessThan(1e-5);
      expect(squares / train.count).toBeCloseTo(1, 4);
      for (let i = 0; i < test.count; i++) {
        const expected = (test.x[i * 4 + j] - scaled.mean[j]) / scaled.std[j];
        expect(scaled.test.x[i * 4 + j]).toBeCloseTo(expected, 4);
      }
    }
    expect(scaled.train.y).toBe(train.y);
    expect(train.x[0]).not.toBe(scaled.train.x[0]); // the input is left as it was
  });

  it("only centres constant features", () => {
    const digits = loadDigits();
    const scaled = standardize(digits);
    // Pixel (0, 0) is blank in every digit.
    expect(digits.x.filter((_, i) => i % 64 === 0).every((value) => value === 0)).toBe(true);
    expect(scaled.std[0]).toBe(1);
    expect(scaled.train.x.filter((_, i) => i % 64 === 0).every((value) => value === 0)).toBe(true);
    expect(scaled.test).toBeUndefined();
  });
});
