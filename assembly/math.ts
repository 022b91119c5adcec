// STUB: being written; see the engine issue.
export {};
