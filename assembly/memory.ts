// NOTE: the engine (ts/engine/allocator.ts) owns every byte from here up; kernels never allocate.
export function heapBase(): usize {
  return __heap_base;
}
