// Test prerequisites that do not come from `npm ci`: Debian packages (Chromium, Redis, haproxy) and the runtimes of
// scripts/runtimes.mjs. Every test that needs one asks here, so a missing one is reported the same way everywhere:
//
//   import { prereq } from '../../../scripts/prereq.mjs'
//   const redis = prereq('redis-server')           // { path, skip }: path or null, skip reason or false
//   test('…', { skip: redis.skip }, async () => { spawn(redis.path, …) })
//
// Locally a missing prerequisite skips the test with one line that says how to install it. With CI=true it throws
// when the test file loads, so the run fails: in CI nothing may be skipped for want of a tool.
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'
import { runtimePath, RUNTIMES } from './runtimes.mjs'

/** name → how to find it and how to install it */
const DEBIAN = {
  chromium: { bins: ['chromium', 'chromium-browser'], install: 'apt-get install chromium' },
  'redis-server': { bins: ['redis-server'], install: 'apt-get install redis-server' },
  'redis-cli': { bins: ['redis-cli'], install: 'apt-get install redis-tools' },
  haproxy: { bins: ['haproxy'], install: 'apt-get install haproxy' },
  // script(1) gives the CLI tests a pseudo-terminal
  script: { bins: ['script'], install: 'apt-get install bsdutils' },
}

function onPath(bin) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue
    const p = join(dir, bin)
    try {
      accessSync(p, constants.X_OK)
      return p
    } catch {}
  }
  return null
}

/** The command that installs a prerequisite. */
export function installHint(name) {
  if (DEBIAN[name]) return DEBIAN[name].install
  if (RUNTIMES[name]) return `node scripts/runtimes.mjs ${name}`
  throw new TypeError(`unknown prerequisite ${JSON.stringify(name)}`)
}

/**
 * Looks a prerequisite up. Returns `{ path, skip }`: the absolute path of its binary (or null) and a skip reason for
 * node:test (or false when it is there). With CI=true a missing prerequisite throws instead.
 */
export function prereq(name) {
  let path = null
  if (DEBIAN[name]) {
    for (const b of DEBIAN[name].bins) if ((path = onPath(b))) break
  } else if (RUNTIMES[name]) {
    path = runtimePath(name)
  } else {
    throw new TypeError(`unknown prerequisite ${JSON.stringify(name)}`)
  }
  if (path) return { path, skip: false }
  const reason = `missing prerequisite: ${name} (install: ${installHint(name)})`
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`${reason}; with CI=true a missing prerequisite fails the run`)
  return { path: null, skip: reason }
}
