#!/usr/bin/env node
// Runs the tests in one node:test run, so there is one summary, and tells the whole truth about it.
//
//   node scripts/run-tests.mjs [--dir <test dir>]... [path substring]...
//
// Without --dir it runs every packages/*/test and the repo's own test/ (fixtures/ folders are data, never run).
// Node 20 neither expands globs nor finds .ts test files by itself, so the file list is built here.
// Counts come from scripts/test-reporter.mjs (test events, not the printed output). The last line is exactly
// `N passed, N failed, N skipped` (then `, N todo` when a test is marked todo: listed, never counted as passed). The exit
// code is non-zero when a test failed, when no test ran, and with CI=true when anything was skipped or left todo; also
// when a test file ran no test. A skip for a missing prerequisite (scripts/prereq.mjs) prints one line with its install command.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { isAbsolute, join, relative, resolve } from 'node:path'
import { spawn } from 'node:child_process'

const root = new URL('..', import.meta.url).pathname
// `--slow` runs only the slow suites (*.slow.test.ts: timing guards, huge inputs), which the normal run leaves out.
const slow = process.argv.includes('--slow')
const ci = process.env.CI === 'true' || process.env.CI === '1'

const dirs = []
const only = []
const argv = process.argv.slice(2).filter((a) => a !== '--slow')
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--dir') {
    const d = argv[++i]
    if (!d) fail('--dir needs a directory')
    dirs.push(isAbsolute(d) ? d : resolve(process.cwd(), d))
  } else only.push(argv[i])
}

function fail(message) {
  console.error(`run-tests: ${message}`)
  process.exit(1)
}

function collect(dir, out) {
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name === 'dist' || name === 'fixtures' || name.startsWith('.')) continue
    const p = join(dir, name)
    if (statSync(p).isDirectory()) collect(p, out)
    else if (/\.test\.(ts|mjs|js)$/.test(name)) out.push(relative(root, p))
  }
  return out
}

function exists(p) {
  try { return statSync(p).isDirectory() } catch { return false }
}

if (dirs.length === 0) {
  for (const pkg of readdirSync(join(root, 'packages')).sort()) dirs.push(join(root, 'packages', pkg, 'test'))
  dirs.push(join(root, 'test'))
}
const files = []
for (const d of dirs) if (exists(d)) collect(d, files)
const suite = files.filter((f) => /\.slow\.test\./.test(f) === slow)
const selected = only.length ? suite.filter((f) => only.some((o) => f.includes(o))) : suite
if (selected.length === 0) fail('no test files found')

console.log(`run-tests: ${selected.length} test files`)
const work = mkdtempSync(join(tmpdir(), 'run-tests-'))
const results = join(work, 'results.jsonl')
const args = [
  '--import', 'tsx', '--test', '--test-concurrency=2',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  `--test-reporter=${join(root, 'scripts', 'test-reporter.mjs')}`, `--test-reporter-destination=${results}`,
  ...selected,
]
const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] })
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
child.on('close', (code, signal) => {
  let rows = []
  try {
    rows = readFileSync(results, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
  } catch {}
  rmSync(work, { recursive: true, force: true })
  const by = (s) => rows.filter((r) => r.status === s)
  const passed = by('passed'), failed = by('failed'), skipped = by('skipped'), todo = by('todo'), empty = by('empty')
  const shown = (f) => (f.startsWith(root) ? relative(root, f) : f)
  const where = (r) => `${r.file ? shown(r.file) : '?'} › ${r.name}${r.suite ? ' (whole suite)' : ''}`

  if (failed.length) {
    console.log(`\nfailed (${failed.length}):`)
    for (const r of failed) console.log(`  ✖ ${where(r)}${r.error ? `: ${r.error}` : ''}`)
  }
  if (skipped.length) {
    console.log(`\nskipped (${skipped.length}):`)
    for (const r of skipped) console.log(`  ﹣ ${where(r)}: ${r.reason || 'no reason given'}`)
    const missing = [...new Set(skipped.map((r) => /^missing prerequisite: .*/.exec(r.reason ?? '')?.[0]).filter(Boolean))]
    if (missing.length) {
      console.log('')
      for (const m of missing) console.log(m)
    }
  }
  if (todo.length) {
    console.log(`\ntodo, not done (${todo.length}):`)
    for (const r of todo) console.log(`  … ${where(r)}: ${r.reason || 'no reason given'}`)
  }
  const problems = []
  if (code !== 0 && failed.length === 0) problems.push(`node --test exited with ${signal ?? code} although no test failed`)
  if (passed.length + failed.length + skipped.length + todo.length === 0) problems.push('zero tests ran')
  for (const r of empty) problems.push(`${shown(r.file)} ran no test`)
  if (ci && skipped.length) problems.push(`CI=true: ${skipped.length} skipped, and nothing may be skipped in CI`)
  if (ci && todo.length) problems.push(`CI=true: ${todo.length} todo, and nothing may be left todo in CI`)
  for (const p of problems) console.error(`run-tests: ${p}`)
  console.log(`\n${passed.length} passed, ${failed.length} failed, ${skipped.length} skipped${todo.length ? `, ${todo.length} todo` : ''}`)
  process.exit(failed.length || problems.length ? 1 : 0)
})
