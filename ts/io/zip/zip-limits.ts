/**
 * What a zip may claim before densa refuses to open it. A `.keras` file holds three entries (metadata.json,
 * config.json, model.weights.h5) plus optional assets; the limits leave room for large models while keeping a
 * hostile archive (a zip bomb, a central directory of millions of entries) from exhausting memory or time.
 */
export interface ZipLimits {
  /** Most entries in the central directory. Default 1,000. */
  maxEntries: number;
  /** Largest uncompressed entry, in bytes. Default 2 GiB − 1 (the largest ArrayBuffer every runtime allows). */
  maxEntryBytes: number;
  /** Largest sum of the uncompressed sizes of all entries read. Default 2 GiB − 1. */
  maxTotalBytes: number;
  /**
   * Largest uncompressed / compressed ratio of a deflated entry bigger than 1 MiB. Default 200: real weights
   * compress 1.1–3×, even all-zero tensors of a re-zipped model stay far below deflate's ~1,000× ceiling.
   */
  maxCompressionRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 1000,
  maxEntryBytes: 2 ** 31 - 1,
  maxTotalBytes: 2 ** 31 - 1,
  maxCompressionRatio: 200,
};

/** Entries up to this size are not held to maxCompressionRatio (small JSON files compress very well). */
export const RATIO_EXEMPT_BYTES = 1 << 20;
