/** The conformance suite in Node: this one (20, in process) and Node 22 and 24 (installed by scripts/runtimes.mjs). */
import test from 'node:test'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { prereq } from '../../../../scripts/prereq.mjs'
import { bundleSuite, ESM_RUNNER, scratchDir } from './_bundle.js'
import { expectConformance, runForReport } from './_report.js'
import type { RuntimeReport } from './entry.js'

test(`Node ${process.versions.node} (this process)`, async () => {
  const started = Date.now()
  const tmp = scratchDir({ 'conformance.mjs': await bundleSuite({ format: 'esm' }) })
  try {
    const m = (await import(pathToFileURL(join(tmp.dir, 'conformance.mjs')).href)) as { conformance(): RuntimeReport }
    expectConformance(`node ${process.versions.node}`, m.conformance(), started)
  } finally {
    tmp.remove()
  }
})

for (const name of ['node22', 'node24'] as const) {
  const bin = prereq(name)
  test(name, { skip: bin.skip }, async () => {
    const started = Date.now()
    const tmp = scratchDir({ 'conformance.mjs': await bundleSuite({ format: 'esm' }), 'run.mjs': ESM_RUNNER })
    try {
      expectConformance(name, await runForReport(name, bin.path!, ['run.mjs'], tmp.dir), started)
    } finally {
      tmp.remove()
    }
  })
}
