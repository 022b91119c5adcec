// TypeScript consumers of the io API: "densa/infer" resolves to its declarations through the `types`
// condition, and the save / load signatures type-check as documented, under NodeNext and Bundler resolution,
// with the package's own .d.ts files checked too (skipLibCheck off).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { createConsumer, projectRoot } from "./servers.js";

const PROGRAM = `import { init, loadModel, tensor, type InferenceModel, type Tensor } from "densa/infer";
import { Sequential, layers, loadModel as loadTrainable, type ModelArtifacts, type SaveResult } from "densa";

await init();
const model: InferenceModel = await loadModel("https://example.com/model.json", { requestInit: { credentials: "omit" } });
const output: Tensor = model.predict(tensor([[1, 2, 3, 4]]));
const fromFiles: InferenceModel = await loadModel({ modelJson: "{}", weights: [new ArrayBuffer(4), new Uint8Array(4)] });

const trainable = new Sequential([new layers.Dense(1, { inputShape: [4] })]);
const artifacts: ModelArtifacts = await trainable.save({ includeOptimizer: false });
const written: SaveResult = await trainable.save("file://./model");
const stored: string = await trainable.save({ save: async (_artifacts: ModelArtifacts) => "stored" });
const again: Sequential = await loadTrainable(artifacts, { compile: false });
export { output, fromFiles, written, stored, again };
`;

const workDir = mkdtempSync(join(tmpdir(), "densa-edge-types-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

test.each(["NodeNext", "Bundler"])(
  "io API types under %s resolution",
  (resolution) => {
    if (!existsSync(join(projectRoot, "dist/types/ts/infer.d.ts")))
      throw new Error("dist/types is missing: run `npm run build` first");
    if (!existsSync(join(workDir, "package.json"))) createConsumer(workDir);
    writeFileSync(join(workDir, "consumer.ts"), PROGRAM);
    const compilerOptions = {
      module: resolution === "NodeNext" ? "NodeNext" : "ESNext",
      moduleResolution: resolution,
      target: "ES2022",
      lib: ["ES2022", "DOM"],
      types: [],
      strict: true,
      noEmit: true,
      skipLibCheck: false,
    };
    writeFileSync(
      join(workDir, `tsconfig.${resolution}.json`),
      JSON.stringify({ compilerOptions, files: ["consumer.ts"] }),
    );
    let listed = "";
    try {
      listed = execFileSync(
        process.execPath,
        [join(projectRoot, "node_modules/typescript/bin/tsc"), "-p", `tsconfig.${resolution}.json`, "--listFiles"],
        { cwd: workDir, encoding: "utf8" },
      );
    } catch (error) {
      throw new Error(
        `tsc (${resolution}): ${(error as { stdout?: string }).stdout
          ?.split("\n")
          .filter((line) => line.includes("error TS"))
          .join("\n")}`,
      );
    }
    // NOTE: tsc lists the package's files by their real path (node_modules/densa is a link to this checkout).
    const files = listed
      .split("\n")
      .map((file) => file.replace(/.*\/node_modules\/densa\//, "").replace(projectRoot, ""));
    expect(files).toContain("dist/types/ts/infer.d.ts");
    expect(files).toContain("dist/types/ts/index.d.ts");
  },
  20_000,
);
