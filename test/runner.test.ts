/**
 * scripts/run-tests.mjs, run as a subprocess on fixture test files (test/fixtures/runner/): the closing line counts
 * exactly, every skip is listed with its reason, a missing prerequisite prints its install command, and the exit code
 * is non-zero on a failure, on zero tests, and with CI=true on any skip or todo; a todo is never counted as passed.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { childEnv } from './_helpers.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const fixtures = fileURLToPath(new URL('./fixtures/runner', import.meta.url))

function run(filters: string[], env: Record<string, string> = {}): { code: number | null; out: string; last: string } {
  const r = spawnSync(process.execPath, ['scripts/run-tests.mjs', '--dir', fixtures, ...filters], {
    cwd: root,
    encoding: 'utf8',
    env: childEnv({ CI: '', ...env }),
    timeout: 60_000,
  })
  const lines = r.stdout.trimEnd().split('\n')
  return { code: r.status, out: r.stdout + r.stderr, last: lines[lines.length - 1] ?? '' }
}

test('a pass, a failure and skips: exact counts, every skip listed, exit 1', () => {
  const r = run(['pass.test', 'fail.test', 'skip.test'])
  assert.equal(r.last, '1 passed, 1 failed, 2 skipped')
  assert.equal(r.code, 1)
  assert.match(r.out, /fixture fails: fixture failure/)
  assert.match(r.out, /fixture skipped for a tool: missing prerequisite: fixture-tool/)
  assert.match(r.out, /fixture suite skipped \(whole suite\): fixture suite reason/)
  assert.match(r.out, /^missing prerequisite: fixture-tool \(install: apt-get install fixture-tool\)$/m)
})

test('passes and skips only: exit 0 locally, exit 1 with CI=true', () => {
  const local = run(['pass.test', 'skip.test'])
  assert.equal(local.last, '1 passed, 0 failed, 2 skipped')
  assert.equal(local.code, 0)
  const ci = run(['pass.test', 'skip.test'], { CI: 'true' })
  assert.equal(ci.last, '1 passed, 0 failed, 2 skipped')
  assert.equal(ci.code, 1)
  assert.match(ci.out, /CI=true: 2 skipped/)
})

test('all passing: exit 0, also with CI=true', () => {
  for (const env of [{}, { CI: 'true' }]) {
    const r = run(['pass.test'], env)
    assert.equal(r.last, '1 passed, 0 failed, 0 skipped')
    assert.equal(r.code, 0)
  }
})

test('a todo is listed with its reason and never counted as passed; with CI=true it fails the run', () => {
  const local = run(['pass.test', 'todo.test'])
  assert.equal(local.last, '1 passed, 0 failed, 0 skipped, 2 todo')
  assert.equal(local.code, 0)
  assert.match(local.out, /fixture todo option: fixture target not met/)
  assert.match(local.out, /fixture todo from inside: fixture measured over its target/)
  const ci = run(['pass.test', 'todo.test'], { CI: 'true' })
  assert.equal(ci.last, '1 passed, 0 failed, 0 skipped, 2 todo')
  assert.equal(ci.code, 1)
  assert.match(ci.out, /CI=true: 2 todo/)
})

test('zero tests ran: exit 1', () => {
  const r = run(['empty.test'])
  assert.equal(r.last, '0 passed, 0 failed, 0 skipped')
  assert.equal(r.code, 1)
  assert.match(r.out, /zero tests ran/)
})

test('no test file matched: exit 1', () => {
  const r = run(['no-such-file'])
  assert.equal(r.code, 1)
  assert.match(r.out, /no test files found/)
})

test('a file that throws while loading counts as a failure', () => {
  const r = run(['pass.test', 'load-error.test'])
  assert.equal(r.last, '1 passed, 1 failed, 0 skipped')
  assert.equal(r.code, 1)
})

test('a test file that ran no test fails the run even beside passing ones', () => {
  const r = run(['pass.test', 'empty.test'])
  assert.equal(r.last, '1 passed, 0 failed, 0 skipped')
  assert.equal(r.code, 1)
  assert.match(r.out, /empty\.test\.mjs ran no test/)
})
