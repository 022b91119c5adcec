// Keeps the tests meaning the same every run: no test file or helper reads unseeded randomness (Math.random,
// crypto's getRandomValues / randomUUID / randomBytes), and no vitest file reads the clock (Date.now,
// performance.now, process.hrtime), so no verdict can depend on either. Seeded data comes from
// tests/helpers/seeded.ts; densa's own generator is reseeded before every test (tests/helpers/seed-every-test.ts);
// fit's yielding is driven by a fake clock (setYieldClock). The runtime harness (tests/runtimes) may time its
// child processes for its log, never for a verdict, so only the randomness rule applies there.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const testsRoot = fileURLToPath(new URL("./", import.meta.url));
const SELF = "hygiene.test.ts";

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (name === "node_modules" || name === "artifacts") return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|mjs|js)$/.test(name) && name !== SELF ? [path] : [];
  });
}

/** Lines of `files` that match `pattern`, outside comments. */
function offenders(files: string[], pattern: RegExp): string[] {
  return files.flatMap((file) =>
    readFileSync(file, "utf8")
      .split("\n")
      .flatMap((line, index) => {
        const code = line.replace(/\/\/.*$/, "").replace(/^\s*\*.*$/, "");
        return pattern.test(code) ? [`${relative(testsRoot, file)}:${index + 1}: ${line.trim()}`] : [];
      }),
  );
}

describe("test hygiene", () => {
  const files = sourceFiles(testsRoot);

  it("finds the test files (the scan itself works)", () => {
    expect(files.length).toBeGreaterThan(80);
    expect(offenders([fileURLToPath(new URL("./helpers/seeded.ts", import.meta.url))], /seededFloats/)).not.toEqual([]);
  });

  it("no unseeded randomness anywhere under tests/", () => {
    expect(offenders(files, /Math\.random\s*\(|getRandomValues|randomUUID|randomBytes/)).toEqual([]);
  });

  it("no clock reads in the vitest files and their helpers", () => {
    const vitestFiles = files.filter((file) => !relative(testsRoot, file).startsWith("runtimes"));
    expect(offenders(vitestFiles, /Date\.now\s*\(|performance\.now\s*\(|process\.hrtime|new Date\(\)/)).toEqual([]);
  });
});
