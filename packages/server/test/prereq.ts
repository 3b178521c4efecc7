/** scripts/prereq.mjs with its type: a test prerequisite's path, or why the test is skipped (and CI fails). */
// @ts-expect-error: a plain .mjs script, shared by every package, without a declaration file
import { prereq as untyped } from '../../../scripts/prereq.mjs'

export const prereq: (name: 'redis-server' | 'redis-cli' | 'haproxy' | 'chromium') => { path: string | null; skip: string | false } = untyped
