/**
 * Bundles the built library + the conformance suite + its data into one file for a runtime, with esbuild. The
 * library comes in through its package exports (`usersig`, `usersig/legacy`, `usersig/compat`), so what is tested
 * is what is published; platform "neutral", so a Node built-in anywhere in it fails the bundle.
 */
import { build } from 'esbuild'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { suiteData } from './_data.js'

const here = dirname(fileURLToPath(import.meta.url))
const dist = join(here, '..', '..', 'dist')

/** Printed before the report's JSON by every runtime that reports on its standard output. */
export const REPORT_MARKER = 'USERSIG-CONFORMANCE '

export interface BundleOptions {
  /** 'esm' exports `conformance`; 'iife' defines the global `UserSigConformance` with it. */
  format: 'esm' | 'iife'
  /** esbuild target (default es2020). */
  target?: string
}

let cachedData: string | undefined

/** The bundle's source text. */
export async function bundleSuite(o: BundleOptions): Promise<string> {
  if (!existsSync(join(dist, 'index.js'))) throw new Error('packages/usersig/dist is missing: run `npm run build -w packages/usersig` first (npm test does)')
  cachedData ??= JSON.stringify(suiteData())
  const data = cachedData
  const out = await build({
    entryPoints: [join(here, 'entry.ts')],
    bundle: true,
    format: o.format,
    ...(o.format === 'iife' ? { globalName: 'UserSigConformance' } : {}),
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: o.target ?? 'es2020',
    write: false,
    logLevel: 'silent',
    plugins: [{
      name: 'conformance-data',
      setup(b) {
        b.onResolve({ filter: /^conformance:data$/ }, () => ({ path: 'data', namespace: 'conformance' }))
        b.onLoad({ filter: /.*/, namespace: 'conformance' }, () => ({ contents: data, loader: 'json' }))
      },
    }],
  })
  return out.outputFiles[0]!.text
}

/** A fresh temporary folder holding `files`; `remove()` deletes it. */
export function scratchDir(files: Record<string, string>): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'usersig-conformance-'))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** An ES module that runs the ESM bundle next to it and prints the report (Node, Bun, Deno). */
export const ESM_RUNNER = `import { conformance } from './conformance.mjs'\nconsole.log(${JSON.stringify(REPORT_MARKER)} + JSON.stringify(conformance()))\n`
