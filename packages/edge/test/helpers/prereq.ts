/** scripts/prereq.mjs with its type: the runtimes a test needs, skipped locally when missing, required with CI=true. */
// @ts-expect-error: a plain .mjs script without declarations
import { prereq as untyped } from '../../../../scripts/prereq.mjs'

export const prereq: (name: 'workerd' | 'deno' | 'bun' | 'edge-runtime') => { path: string | null; skip: string | false } = untyped
