import { getEngine } from "../engine/engine.js";

/**
 * Runs `use` with new float32 blocks of the given lengths, then frees every block that was allocated — also
 * when a later allocation fails (out of memory) or `use` throws, so that a failure leaks nothing.
 */
export function withScratchBlocks<Result>(
  lengths: readonly number[],
  use: (blocks: readonly number[]) => Result,
): Result {
  const engine = getEngine();
  const blocks: number[] = [];
  try {
    for (const length of lengths) blocks.push(engine.allocF32(length));
    return use(blocks);
  } finally {
    for (const block of blocks) engine.free(block);
  }
}
