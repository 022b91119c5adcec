// TypeScript consumers: the README's example must type-check against the shipped declarations under the
// two resolutions people use (NodeNext for Node, Bundler for Vite/esbuild/wrangler). skipLibCheck is off so
// the package's own .d.ts files are checked too (a declaration pointing at a file missing from `files`
// fails here, not in a user's editor).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run, tail } from "../harness/process.mjs";
import { entryFile } from "../harness/report.mjs";

const PROGRAM = `import { init, tensor, ops, Tensor } from "densa";

await init();
const product: Tensor = ops.matMul(tensor([[1, 2], [3, 4]]), tensor([[5, 6], [7, 8]]));
const rows = product.toArray();
const shape: readonly number[] = product.shape;
export { rows, shape };
`;

// A CommonJS project (no top-level await) resolves `require` to the .d.cts twins.
const CJS_PROGRAM = `import { init, tensor, ops, Tensor } from "densa";

export async function main(): Promise<number[][]> {
  await init();
  const product: Tensor = ops.matMul(tensor([[1, 2], [3, 4]]), tensor([[5, 6], [7, 8]]));
  return product.toArray() as number[][];
}
`;

const RESOLUTIONS = [
  { module: "NodeNext", moduleResolution: "NodeNext", program: PROGRAM, file: "consumer.ts", index: "index.d.ts" },
  { module: "ESNext", moduleResolution: "Bundler", program: PROGRAM, file: "consumer.ts", index: "index.d.ts" },
  { module: "Node16", moduleResolution: "Node16", program: CJS_PROGRAM, file: "consumer.cts", index: "index.d.cts" },
];

export const types = {
  name: "types",
  expectedEntry: "dist/types/ts/index.d.ts",
  summary: `tsc ${RESOLUTIONS.map((resolution) => resolution.moduleResolution).join(" + ")}`,
  async run({ projectRoot, consumerDir, timeoutMs }) {
    const dir = join(consumerDir, "types");
    mkdirSync(dir);
    const tsc = join(projectRoot, "node_modules/typescript/bin/tsc");
    const entries = new Set();
    for (const { program, file, index: indexFile, ...resolution } of RESOLUTIONS) {
      writeFileSync(join(dir, file), program);
      const compilerOptions = {
        ...resolution,
        target: "ES2022",
        lib: ["ES2022", "DOM"],
        types: [],
        strict: true,
        noEmit: true,
        skipLibCheck: false,
      };
      const config = `tsconfig.${resolution.moduleResolution}.json`;
      writeFileSync(join(dir, config), JSON.stringify({ compilerOptions, files: [file] }));
      const result = await run(process.execPath, [tsc, "-p", config, "--listFiles"], { cwd: dir, timeoutMs });
      if (result.timedOut) throw new Error(`tsc (${resolution.moduleResolution}) timed out after ${timeoutMs} ms`);
      if (result.code !== 0) {
        const errors = result.stdout
          .split("\n")
          .filter((line) => line.includes("error TS"))
          .join("\n");
        throw new Error(`tsc (${resolution.moduleResolution}): ${tail(errors || result.stderr || result.stdout)}`);
      }
      const index = result.stdout
        .split("\n")
        .find((listed) => listed.endsWith(`node_modules/densa/dist/types/ts/${indexFile}`));
      if (!index)
        throw new Error(`tsc (${resolution.moduleResolution}) did not resolve "densa" to dist/types/ts/${indexFile}`);
      if (indexFile === "index.d.ts") entries.add(entryFile(index));
    }
    return { entry: [...entries].join(", ") };
  },
  judge(report, expectedEntry) {
    return report.entry === expectedEntry
      ? []
      : [`"densa" types resolved to ${report.entry}, expected ${expectedEntry}`];
  },
};
