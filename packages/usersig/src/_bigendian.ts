/** Big-endian 32-bit words in bytes: the zlib trailer's Adler-32 (_deflate.ts; SHA-256 writes its own: see its store). */

/** Writes the low 32 bits of `v` big-endian to `out[o..o+4)`; returns o + 4. */
export function putU32BE(out: Uint8Array, o: number, v: number): number {
  out[o] = v >>> 24
  out[o + 1] = v >>> 16
  out[o + 2] = v >>> 8
  out[o + 3] = v
  return o + 4
}
