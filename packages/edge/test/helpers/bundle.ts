/** Bundles a template the way its platform does: esbuild, ES module, the platform's export conditions. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

export type Platform = 'workerd' | 'edge-runtime'

const CONDITIONS: Record<Platform, string[]> = {
  workerd: ['workerd', 'worker', 'browser'],
  'edge-runtime': ['edge-light', 'worker', 'browser'],
}

export async function bundle(entry: string, outfile: string, platform: Platform, opts: { minify?: boolean; format?: 'esm' | 'iife' } = {}): Promise<Uint8Array> {
  const r = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: opts.format ?? 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: CONDITIONS[platform],
    mainFields: ['module', 'main'],
    minify: opts.minify ?? false,
    write: true,
    metafile: false,
    logLevel: 'silent',
  })
  if (r.errors.length) throw new Error(r.errors.map((e) => e.text).join('\n'))
  return readFileSync(outfile)
}

/** @usersig/edge bundled as a Worker project that depends on it would be (wrangler: esbuild, minified). */
export async function workerBundleSize(): Promise<{ raw: number; gzip: number; text: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'usersig-size-'))
  try {
    const out = await bundle(fileURLToPath(import.meta.resolve('@usersig/edge')), join(dir, 'out.js'), 'workerd', { minify: true })
    return { raw: out.byteLength, gzip: gzipSync(out, { level: 9 }).byteLength, text: Buffer.from(out).toString('utf8') }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
