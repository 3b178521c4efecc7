#!/usr/bin/env node
// Runs every package's tests in one node:test run, so there is one summary.
// Node 20 neither expands globs nor finds .ts test files by itself, so the file list is built here.
// Fails when a test fails and when no test file (or no test) was found.
import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { spawn } from 'node:child_process'

const root = new URL('..', import.meta.url).pathname
const only = process.argv.slice(2)

function collect(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue
    const p = join(dir, name)
    if (statSync(p).isDirectory()) collect(p, out)
    else if (/\.test\.(ts|mjs|js)$/.test(name)) out.push(relative(root, p))
  }
  return out
}

const files = []
for (const pkg of readdirSync(join(root, 'packages'))) {
  const t = join(root, 'packages', pkg, 'test')
  try { statSync(t) } catch { continue }
  collect(t, files)
}
// Slow suites (*.slow.test.ts: timing and complexity guards) run only when asked for by name: `npm run test:slow`.
const selected = files.filter((f) => (only.length ? only.some((o) => f.includes(o)) : true) && (!f.includes('.slow.test.') || only.some((o) => o.includes('slow'))))
if (selected.length === 0) {
  console.error('run-tests: no test files found')
  process.exit(1)
}
console.log(`run-tests: ${selected.length} test files`)
const args = ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...selected]
const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] })
let tail = ''
child.stdout.on('data', (d) => { process.stdout.write(d); tail = (tail + d.toString()).slice(-4000) })
child.on('close', (code) => {
  const m = /ℹ tests (\d+)/.exec(tail)
  const ran = m ? Number(m[1]) : 0
  const pass = Number(/ℹ pass (\d+)/.exec(tail)?.[1] ?? 0)
  const fail = Number(/ℹ fail (\d+)/.exec(tail)?.[1] ?? 0)
  const skip = Number(/ℹ skipped (\d+)/.exec(tail)?.[1] ?? 0)
  console.log(`${pass} passed, ${fail} failed, ${skip} skipped`)
  if (ran === 0) { console.error('run-tests: zero tests ran'); process.exit(1) }
  process.exit(code ?? 1)
})
