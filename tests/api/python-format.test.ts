// Expected strings are Python 3's own output for the same values (f"{x:.4f}", f"{x:.4e}", repr(x), f"{n:,}").
import { describe, expect, it } from "vitest";
import {
  formatExponential,
  formatFixed,
  formatFloatRepr,
  formatMemorySize,
  formatThousands,
  roundHalfEven,
} from "../../ts/utils/python-format.js";

describe("formatFixed (Python f'{x:.Nf}')", () => {
  it("matches Python, including ties rounded half-to-even on the exact binary value", () => {
    const cases: [number, number, string][] = [
      [0.27109998, 4, "0.2711"],
      [0.03125, 4, "0.0312"], // exact tie, JS toFixed gives 0.0313
      [0.09375, 4, "0.0938"], // exact tie with odd kept digit → up
      [2.5, 0, "2"],
      [3.5, 0, "4"],
      [0.5, 0, "0"],
      [1.5, 0, "2"],
      [-0.5, 0, "-0"],
      [-1e-7, 4, "-0.0000"],
      [-0, 2, "-0.00"],
      [1.005, 2, "1.00"], // 1.005 is really 1.00499999999999989...
      [0.125, 2, "0.12"],
      [34.25, 2, "34.25"],
      [123456.789, 1, "123456.8"],
      [1e21, 2, "1000000000000000000000.00"],
      [NaN, 4, "nan"],
      [Infinity, 4, "inf"],
      [-Infinity, 0, "-inf"],
    ];
    for (const [value, digits, expected] of cases) expect(formatFixed(value, digits), `${value}`).toBe(expected);
  });
});

describe("formatExponential (Python f'{x:.Ne}')", () => {
  it("matches Python", () => {
    const cases: [number, number, string][] = [
      [0.0001, 4, "1.0000e-04"],
      [0.00012345678, 4, "1.2346e-04"],
      [123456, 4, "1.2346e+05"],
      [0, 4, "0.0000e+00"],
      [-2.5e-10, 4, "-2.5000e-10"],
      [1.03125, 4, "1.0312e+00"], // tie → even
      [1.09375, 4, "1.0938e+00"],
      [6.02e23, 2, "6.02e+23"],
      [1e-300, 1, "1.0e-300"],
      [NaN, 4, "nan"],
    ];
    for (const [value, digits, expected] of cases) expect(formatExponential(value, digits), `${value}`).toBe(expected);
  });
});

describe("formatFloatRepr (Python repr(float))", () => {
  it("matches Python", () => {
    const cases: [number, string][] = [
      [0.1, "0.1"],
      [1, "1.0"],
      [100, "100.0"],
      [-3, "-3.0"],
      [1e-5, "1e-05"],
      [1.5e-5, "1.5e-05"],
      [0.0001, "0.0001"],
      [0.00012, "0.00012"],
      [1e15, "1000000000000000.0"],
      [1234567890123456, "1234567890123456.0"],
      [1e16, "1e+16"],
      [123456789012345680, "1.2345678901234568e+17"],
      [Math.fround(0.001), "0.0010000000474974513"],
      [0, "0.0"],
      [-0, "-0.0"],
      [NaN, "nan"],
      [-Infinity, "-inf"],
      [5e-324, "5e-324"],
      [1.7976931348623157e308, "1.7976931348623157e+308"],
    ];
    for (const [value, expected] of cases) expect(formatFloatRepr(value), `${value}`).toBe(expected);
  });
});

describe("integers and sizes", () => {
  it("formatThousands (f'{n:,}')", () => {
    expect([0, 7, 999, 1000, 8769, 1234567, -1234].map(formatThousands)).toEqual([
      "0",
      "7",
      "999",
      "1,000",
      "8,769",
      "1,234,567",
      "-1,234",
    ]);
  });

  it("formatMemorySize (Keras's readable_memory_size)", () => {
    expect(formatMemorySize(0)).toBe("0.00 B");
    expect(formatMemorySize(1023)).toBe("1023.00 B");
    expect(formatMemorySize(1024)).toBe("1.00 KB");
    expect(formatMemorySize(8769 * 4)).toBe("34.25 KB");
    expect(formatMemorySize(641 * 4)).toBe("2.50 KB");
    expect(formatMemorySize(3 * 1024 * 1024)).toBe("3.00 MB");
  });

  it("roundHalfEven (np.round)", () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6].map((v) => roundHalfEven(v) + 0)).toEqual([0, 2, 2, 0, -2, 2, 3]);
  });
});
