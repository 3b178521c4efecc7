/** The conformance suite in Bun (JavaScriptCore), installed by scripts/runtimes.mjs. */
import test from 'node:test'
import { prereq } from '../../../../scripts/prereq.mjs'
import { bundleSuite, ESM_RUNNER, scratchDir } from './_bundle.js'
import { expectConformance, runForReport } from './_report.js'

const bun = prereq('bun')

test('Bun', { skip: bun.skip }, async () => {
  const started = Date.now()
  const tmp = scratchDir({ 'conformance.mjs': await bundleSuite({ format: 'esm' }), 'run.mjs': ESM_RUNNER })
  try {
    expectConformance('bun', await runForReport('bun', bun.path!, ['run.mjs'], tmp.dir), started)
  } finally {
    tmp.remove()
  }
})
