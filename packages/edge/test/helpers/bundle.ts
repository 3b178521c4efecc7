/** Bundles a template the way its platform does: esbuild, ES module, the platform's export conditions. */
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
  const { readFileSync } = await import('node:fs')
  return readFileSync(outfile)
}
