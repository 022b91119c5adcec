// Seeded random numbers with the same bits in every runtime (no Math.random in kernels), one concept a file:
//   random-core.ts         the generator: four xoshiro128** streams in SIMD lanes, state layout (internal)
//   random-uniform.ts      seeding, raw bits, uniform floats, dropout masks
//   random-normal.ts       normal and truncated normal
//   random-permutation.ts  unbiased shuffles
//   random-orthogonal.ts   QR for the Orthogonal initializer
export * from "./random-uniform";
export * from "./random-normal";
export * from "./random-permutation";
export * from "./random-orthogonal";
