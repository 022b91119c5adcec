// Replaced by the harness (run-all.mjs, writeKerasFixtures) in the consumer's copy of this folder with the Keras
// fixture files' bytes, inputs and numpy outputs; empty here so that checks.mjs also imports in the repository.
export const kerasFixtures = [];
