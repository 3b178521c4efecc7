// A node:test reporter that counts from the test events themselves, for scripts/run-tests.mjs.
// It writes one JSON line per finished test to its destination; the runner reads that file and prints the summary.
//
// What counts (the same rules whatever the Node version):
// - every finished test that is not a suite: passed, failed, skipped, or todo (a `todo` test is never counted as passed:
//   it marks work not done, and the runner lists it);
// - a skipped suite counts as one skipped entry, so a whole skipped browser suite is never invisible;
// - a suite or a test file that fails on its own (a hook, an error at load time) counts as one failure; a parent that
//   failed only because a child failed does not count again;
// - a test file that ran no test at all is reported by node:test as a passing "test" named after the file: that is
//   written as `empty`, never as a pass (the runner fails the run on it).
export default async function* usersigReporter(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue
    const d = event.data
    const suite = d.details?.type === 'suite'
    const failureType = d.details?.error?.failureType
    let status
    if (d.skip !== undefined && d.skip !== false) status = 'skipped'
    else if (d.todo !== undefined && d.todo !== false && !suite) status = 'todo'
    else if (event.type === 'test:pass') status = suite ? null : d.file && d.name === d.file && d.nesting === 0 ? 'empty' : 'passed'
    else status = failureType === 'subtestsFailed' ? null : 'failed'
    if (!status) continue
    const row = { status, name: d.name, file: d.file ?? null, suite }
    if (status === 'skipped') row.reason = typeof d.skip === 'string' ? d.skip : ''
    if (status === 'todo') row.reason = typeof d.todo === 'string' ? d.todo : ''
    if (status === 'failed') row.error = String(d.details?.error?.cause?.message ?? d.details?.error?.message ?? '').split('\n')[0].slice(0, 300)
    yield JSON.stringify(row) + '\n'
  }
}
