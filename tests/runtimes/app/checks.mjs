// The app under test: the checks every runtime runs against the built package.
// It takes the package's namespace as an argument instead of importing "densa" itself, so the same file
// serves ESM entries (`import * as densa from "densa"`) and the CJS entry (`require("densa")`).
// To test more of the public API, add an entry to `checks`; every runtime picks it up.

/** Each check gets the densa namespace and returns what it computed; `expected` is what it must equal. */
export const checks = [
  {
    // The README's example, worked by hand: [[1·5+2·7, 1·6+2·8], [3·5+4·7, 3·6+4·8]].
    name: "matMul 2x2",
    run: ({ tensor, ops }) => ops.matMul(tensor([[1, 2], [3, 4]]), tensor([[5, 6], [7, 8]])).toArray(),
    expected: () => [[19, 22], [43, 50]],
    tolerance: 0,
  },
  {
    // Sizes that are not multiples of 4, so a SIMD main loop and its scalar tail both run.
    name: "matMul 5x3·3x7",
    run: ({ tensor, ops }) => ops.matMul(tensor(grid(5, 3, 1)), tensor(grid(3, 7, 2))).toArray(),
    expected: () => referenceMatMul(grid(5, 3, 1), grid(3, 7, 2)),
    tolerance: 1e-5,
  },
];

/** Runs every check after `init()`; never throws, so a runtime can always report what happened. */
export async function runChecks(densa) {
  const results = [];
  try {
    await densa.init();
  } catch (error) {
    return { results: [{ name: "init", ok: false, error: describe(error) }] };
  }
  for (const check of checks) {
    try {
      const got = await check.run(densa);
      const expected = check.expected();
      results.push({ name: check.name, ok: matches(got, expected, check.tolerance), got, expected });
    } catch (error) {
      results.push({ name: check.name, ok: false, error: describe(error) });
    }
  }
  return { results };
}

/** Deterministic small values, positive and negative, in a rows×cols nested array. */
function grid(rows, cols, seed) {
  return Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => ((i * 7 + j * 3 + seed * 5) % 11) / 4 - 1.25),
  );
}

/** Plain float64 matrix product, the trusted reference. */
function referenceMatMul(a, b) {
  return a.map((row) => b[0].map((_, j) => row.reduce((sum, value, p) => sum + value * b[p][j], 0)));
}

/** Deep equality of nested number arrays, each number within `tolerance` relative to 1 + |expected|. */
function matches(got, expected, tolerance) {
  if (Array.isArray(expected)) {
    return Array.isArray(got) && got.length === expected.length && got.every((g, i) => matches(g, expected[i], tolerance));
  }
  return typeof got === "number" && Math.abs(got - expected) <= tolerance * (1 + Math.abs(expected));
}

function describe(error) {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
