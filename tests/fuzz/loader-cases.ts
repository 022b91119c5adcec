// The loader fuzz cases: a base model from model-corpus.ts in one source form, mutated, loaded by one entry.
// loaders.test.ts runs thousands of them; regressions.test.ts keeps the ones that once failed.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { getEngine } from "../../ts/engine/engine.js";
import { loadModel, type ModelSource, tensor } from "../../ts/index.js";
import { loadModel as loadForInference } from "../../ts/infer.js";
import { type BaseModel, baseModels } from "./model-corpus.js";
import {
  type ByteMutation,
  byteMutation,
  mutateBytes,
  mutateText,
  mutateTree,
  type TextMutation,
  type TreeMutation,
  textMutation,
  treeMutation,
} from "./mutations.js";
import { notOwnError } from "./own-error.js";

/** Fixed, so that a run means the same every time; a failure prints its seed and path for a regression case. */
export const LOADER_SEED = Number(process.env.DENSA_FUZZ_SEED ?? 20261206);
export const LOADER_RUNS = Number(process.env.DENSA_FUZZ_RUNS ?? 2400);

export type SourceForm = "artifacts" | "modelJson" | "modelJsonText" | "handler" | "file";

export interface LoaderCase {
  base: number;
  form: SourceForm;
  entry: "densa" | "infer";
  compile: boolean;
  tree: TreeMutation[];
  text: TextMutation | null;
  bytes: ByteMutation | null;
  /** Where to cut the weight bytes into two shards (modelJson forms), or -1 for one. */
  split: number;
}

let bases: BaseModel[] = [];
let folder = "";
let fileCount = 0;

/** Builds the base models and a scratch folder for file:// cases; returns the clean-up. */
export async function prepareLoaderCases(): Promise<{ bases: BaseModel[]; cleanUp: () => void }> {
  bases = await baseModels();
  folder = mkdtempSync(join(tmpdir(), "densa-fuzz-"));
  for (let i = 0; i < 8; i++) mkdirSync(join(folder, String(i)));
  return { bases, cleanUp: () => rmSync(folder, { force: true, recursive: true }) };
}

/** The source a case describes: the base model in the case's form, mutated. */
export function sourceOf(spec: LoaderCase): ModelSource {
  const base = bases[spec.base % bases.length];
  const weights = spec.bytes ? mutateBytes(base.weights, spec.bytes) : base.weights;
  const json = structuredClone(base.modelJson) as unknown as Record<string, unknown>;
  if (spec.form === "artifacts" || spec.form === "handler") {
    const { weightsManifest, ...rest } = json as { weightsManifest: { weights: unknown[] }[] };
    const artifacts: Record<string, unknown> = {
      ...rest,
      weightSpecs: weightsManifest[0].weights,
      weightData: weights.slice().buffer,
    };
    mutateTree(artifacts, spec.tree);
    return spec.form === "artifacts" ? artifacts : { load: async () => artifacts };
  }
  mutateTree(json, spec.tree);
  const shards =
    spec.split < 0
      ? [weights]
      : [weights.subarray(0, spec.split % (weights.length + 1)), weights.subarray(spec.split % (weights.length + 1))];
  if (spec.form === "modelJson") return { modelJson: json as never, weights: shards };
  let text = JSON.stringify(json) ?? "";
  if (spec.text) text = mutateText(text, spec.text);
  if (spec.form === "modelJsonText") return { modelJson: text, weights: shards };
  const directory = join(folder, String(fileCount++ % 8));
  writeFileSync(join(directory, "model.json"), text);
  writeFileSync(join(directory, base.modelJson.weightsManifest![0].paths[0]), weights);
  return `file://${directory}/model.json`;
}

export const loaderCase: fc.Arbitrary<LoaderCase> = fc.record({
  base: fc.nat(),
  form: fc.constantFrom<SourceForm>("artifacts", "modelJson", "modelJsonText", "handler", "file"),
  entry: fc.constantFrom("densa" as const, "infer" as const),
  compile: fc.boolean(),
  tree: fc.array(treeMutation, { maxLength: 3 }),
  text: fc.option(textMutation, { freq: 3 }),
  bytes: fc.option(byteMutation, { freq: 3 }),
  split: fc.oneof(fc.constant(-1), fc.nat()),
});

/** Runs one case; returns what went wrong, or null. */
export async function runLoaderCase(spec: LoaderCase): Promise<string | null> {
  const allocator = getEngine().allocator;
  const before = { bytes: allocator.bytesInUse, blocks: allocator.liveBlocks };
  const base = bases[spec.base % bases.length];
  let problem: string | null = null;
  try {
    const source = sourceOf(spec);
    const model =
      spec.entry === "densa" ? await loadModel(source, { compile: spec.compile }) : await loadForInference(source);
    try {
      const inputShape = model.inputShape as number[];
      const samples = 2;
      const size = inputShape.reduce((product, dim) => product * dim, 1);
      const output = model.predict(tensor(new Float32Array(samples * size).fill(0.5), [samples, ...inputShape]));
      const expected = [samples, ...(model.outputShape as number[])];
      if (output.shape.join() !== expected.join())
        problem = `predict gave shape [${output.shape}] for a model whose output shape is [${expected}]`;
      // A model that still reads as the intact file must predict as the intact file's shape says.
      if (
        inputShape.join() === base.inputShape.join() &&
        spec.tree.length === 0 &&
        output.shape.slice(1).join() !== base.outputShape.join()
      ) {
        problem = `the intact ${base.label} predicted shape [${output.shape}]`;
      }
    } finally {
      model.dispose();
    }
  } catch (error) {
    problem = notOwnError(error, "loadModel");
  }
  if (problem === null && (allocator.bytesInUse !== before.bytes || allocator.liveBlocks !== before.blocks)) {
    problem = `wasm memory not back to baseline: ${allocator.bytesInUse - before.bytes} bytes in ${allocator.liveBlocks - before.blocks} blocks left`;
  }
  return problem;
}
