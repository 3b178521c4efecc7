#!/usr/bin/env node
// The JavaScript runtimes the tests run the library and the edge handler in, each installed from the npm registry
// (their binaries ship inside the packages) into .runtimes/<name>/, outside the workspace's node_modules, so that
// `npm ci` stays small and `npm start` never waits for them.
//
//   node scripts/runtimes.mjs            installs every runtime that is missing, prints where each one is
//   node scripts/runtimes.mjs bun deno   only those
//   node scripts/runtimes.mjs --for-tests  what `npm test` runs first: installs what is missing, quietly when nothing
//                                          is; an install that fails is an error with CI=true, and otherwise a warning
//                                          (those tests then skip, each naming the command above)
//
// From a test: `import { runtimePath } from '<root>/scripts/runtimes.mjs'`; `runtimePath('bun')` returns the binary's
// absolute path when it is installed, otherwise null (the test then reports the missing prerequisite with the command
// above). `installRuntime(name)` installs it and returns the path.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

/** name → npm package, pinned version, binary inside node_modules/.bin */
export const RUNTIMES = {
  bun: { pkg: 'bun', version: '1.4.5', bin: 'bun' },
  deno: { pkg: 'deno', version: '2.9.6', bin: 'deno' },
  workerd: { pkg: 'workerd', version: '1.20261117.1', bin: 'workerd' },
  'edge-runtime': { pkg: 'edge-runtime', version: '4.0.1', bin: 'edge-runtime' },
  node22: { pkg: 'node', version: '22.23.3', bin: 'node' },
  node24: { pkg: 'node', version: '24.21.0', bin: 'node' },
  // V8 6.8: ES2017 with BigInt but no globalThis, the conformance suite's old engine (older mini-programs and WebViews).
  node10: { pkg: 'node', version: '10.24.1', bin: 'node' },
}

/** Folder a runtime is installed in. */
export function runtimeDir(name) {
  return join(root, '.runtimes', `${name}-${RUNTIMES[name].version}`)
}

/** Absolute path of the runtime's binary, or null when it is not installed. */
export function runtimePath(name) {
  const r = RUNTIMES[name]
  if (!r) throw new TypeError(`unknown runtime ${JSON.stringify(name)}; known: ${Object.keys(RUNTIMES).join(', ')}`)
  const p = join(runtimeDir(name), 'node_modules', '.bin', r.bin)
  return existsSync(p) ? p : null
}

/** Installs the runtime if it is missing; returns the binary's absolute path. */
export function installRuntime(name) {
  const have = runtimePath(name)
  if (have) return have
  const r = RUNTIMES[name]
  const dir = runtimeDir(name)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n')
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `${r.pkg}@${r.version}`], {
    cwd: dir,
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  const p = runtimePath(name)
  if (!p) throw new Error(`installing ${r.pkg}@${r.version} gave no ${r.bin} binary in ${dir}`)
  return p
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv[2] === '--for-tests') {
  const ci = process.env.CI === 'true' || process.env.CI === '1'
  for (const n of Object.keys(RUNTIMES).filter((x) => runtimePath(x) === null)) {
    try {
      console.log(`installed ${n} ${RUNTIMES[n].version}: ${installRuntime(n)}`)
    } catch (e) {
      if (ci) throw e
      console.error(`runtimes: could not install ${n} (${e instanceof Error ? e.message.split('\n')[0] : e}); its tests will skip`)
    }
  }
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(RUNTIMES)
  for (const n of names) {
    if (!RUNTIMES[n]) {
      console.error(`runtimes: unknown runtime ${JSON.stringify(n)}; known: ${Object.keys(RUNTIMES).join(', ')}`)
      process.exit(2)
    }
  }
  for (const n of names) {
    const had = runtimePath(n)
    const p = installRuntime(n)
    console.log(`${had ? 'have' : 'installed'} ${n} ${RUNTIMES[n].version}: ${p}`)
  }
}
