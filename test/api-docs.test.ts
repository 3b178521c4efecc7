/**
 * The API reference in docs/api/ is generated from the doc comments (scripts/api-docs.mjs): every required export has
 * a doc comment, and the pages match what the source generates now.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
// @ts-expect-error: a plain .mjs script without declarations
import { check, generate } from '../scripts/api-docs.mjs'

interface Checked { undocumented: string[]; notYet: string[]; stale: string[] }
interface Generated { pages: Map<string, string>; undocumented: Array<{ where: string; required: boolean }> }

test('every export of the core, every function, constant and class, and every option has a doc comment; docs/api/ is fresh', () => {
  const r = (check as () => Checked)()
  assert.deepEqual(r.undocumented, [], 'exports without a doc comment (add one, then run node scripts/api-docs.mjs)')
  assert.deepEqual(r.stale, [], 'docs/api/ is stale: run node scripts/api-docs.mjs')
})

test('the reference names every entry point and shows the doc comment, signature and options of an export', () => {
  const { pages } = (generate as () => Generated)()
  const core = pages.get('usersig.md')!
  for (const entry of ['`usersig`', '`usersig/legacy`', '`usersig/compat`', '`usersig/client`']) assert.ok(core.includes(`## ${entry}`), entry)
  assert.match(core, /### `decodedToJson`\n\n\*function\*\n\nThe JSON form of a decoded token/)
  assert.match(core, /```typescript\nfunction decodedToJson\(d: DecodedUserSig\): DecodedUserSigJson/)
  assert.match(core, /\| `clockTolerance\?` \| `number` \| Seconds of allowed clock skew/)
  assert.ok(pages.has('README.md') && pages.get('README.md')!.includes('(usersig-server.md)'))
})
