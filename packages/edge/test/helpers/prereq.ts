/** scripts/prereq.mjs, narrowed to the runtimes the edge tests need: skipped locally when missing, required with CI=true. */
import { prereq as anyPrereq, type Prereq } from '../../../../scripts/prereq.mjs'

export const prereq: (name: 'workerd' | 'deno' | 'bun' | 'edge-runtime') => Prereq = anyPrereq
