/**
 * Runs `work`, and gives a plain Error that comes out of it the loader's context in front (`loadModel: layer 2
 * (dense_1): …`), so that every refusal of a file names the function that refused it and the part of the file.
 * NOTE: only plain Errors — densa's own messages — are rewritten; a TypeError or RangeError is a bug in densa and
 * goes on unchanged, so that tests (the loader fuzzing) still see it for what it is.
 */
export function inContext<Result>(context: string, work: () => Result): Result {
  try {
    return work();
  } catch (error) {
    if (!(error instanceof Error) || error.constructor !== Error || error.message.startsWith(context)) throw error;
    const argument = context.slice(0, context.indexOf(":") + 1);
    const message = argument && error.message.startsWith(argument) ? error.message : `${context}: ${error.message}`;
    throw new Error(message, { cause: error });
  }
}
