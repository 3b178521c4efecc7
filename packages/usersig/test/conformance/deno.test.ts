/** The conformance suite in Deno, installed by scripts/runtimes.mjs; run with no permissions at all. */
import test from 'node:test'
import { prereq } from '../../../../scripts/prereq.mjs'
import { bundleSuite, ESM_RUNNER, scratchDir } from './_bundle.js'
import { expectConformance, runForReport } from './_report.js'

const deno = prereq('deno')

test('Deno', { skip: deno.skip }, async () => {
  const started = Date.now()
  const tmp = scratchDir({ 'conformance.mjs': await bundleSuite({ format: 'esm' }), 'run.mjs': ESM_RUNNER })
  try {
    expectConformance('deno', await runForReport('deno', deno.path!, ['run', '--no-prompt', '--no-config', '--no-lock', 'run.mjs'], tmp.dir), started)
  } finally {
    tmp.remove()
  }
})
