// The README's promises: the two commands, the first-model snippet (run as written), and links that resolve.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { assertBuilt, projectRoot } from "./run-example.js";

const readme = readFileSync(`${projectRoot}README.md`, "utf8");
const packageJson = JSON.parse(readFileSync(`${projectRoot}package.json`, "utf8")) as {
  scripts: Record<string, string>;
};

describe("README.md", () => {
  it("gives the two commands for a fresh machine, and package.json backs them", () => {
    expect(readme).toContain("```sh\nnpm ci && npm run demo\n```");
    expect(readme).toContain("```sh\nnpm test\n```");
    expect(packageJson.scripts.demo).toBe("node examples/demo.mjs");
    // npm test lints (Biome), builds, then runs every suite (kernel specs, vitest, runtimes).
    expect(packageJson.scripts.lint).toBe("biome check .");
    expect(packageJson.scripts.test).toMatch(/^npm run lint && npm run build && /);
    for (const suite of ["test:kernels", "test:unit", "test:runtimes"])
      expect(packageJson.scripts.test).toContain(suite);
  });

  it("runs the first-model snippet as written, with the same output every run", () => {
    assertBuilt();
    const marker = readme.indexOf("<!-- readme-test: first-model");
    expect(marker).toBeGreaterThan(0);
    const block = /```js\n([\s\S]*?)```/.exec(readme.slice(marker))![1];
    expect(block, "the snippet draws no unseeded randomness").not.toMatch(/Math\.random|crypto/);
    // NOTE: --eval code resolves "densa" from the working directory: the package's self-reference, i.e. dist/.
    const runSnippet = () =>
      spawnSync(process.execPath, ["--input-type=module", "--eval", block], {
        cwd: projectRoot,
        encoding: "utf8",
        timeout: 30_000,
      });
    const run = runSnippet();
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    // NOTE: seeded weights and batch order on fixed data: a second run prints the same numbers, bit for bit.
    expect(runSnippet().stdout).toBe(run.stdout);
    const accuracy = Number(/val_accuracy: ([\d.]+)/.exec(run.stdout)?.[1]);
    // The circle covers π·0.64/4 ≈ 50 % of the square, so always answering one class scores about 0.5.
    expect(accuracy).toBeGreaterThan(0.9);
    const [[inside], [outside]] = JSON.parse(run.stdout.slice(run.stdout.indexOf("[")).replace(/\s+/g, ""));
    expect(inside).toBeGreaterThan(0.5);
    expect(outside).toBeLessThan(0.5);
  });

  it("links only to files that exist", () => {
    const targets = [...readme.matchAll(/\]\(([^)#]+)(#[^)]*)?\)/g)]
      .map((match) => match[1])
      .filter((target) => !/^[a-z]+:/.test(target));
    expect(targets.length).toBeGreaterThan(5);
    for (const target of targets) expect(existsSync(`${projectRoot}${target}`), target).toBe(true);
  });

  it("lists every runnable example, each of which has a test", () => {
    const helpers = new Set(["datasets.mjs", "ensure-build.mjs", "report.mjs", "synthetic.mjs"]);
    const examples = readdirSync(`${projectRoot}examples`).filter(
      (name) => name.endsWith(".mjs") && !helpers.has(name),
    );
    expect(examples.length).toBeGreaterThanOrEqual(5);
    for (const example of examples) {
      if (example !== "demo.mjs") expect(readme, example).toContain(`node examples/${example}`);
      expect(existsSync(`${projectRoot}tests/examples/${example.replace(/\.mjs$/, ".test.ts")}`), example).toBe(true);
    }
  });
});
