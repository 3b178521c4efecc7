/** Types for scripts/prereq.mjs, for the TypeScript tests that import it. */
export interface Prereq {
  /** absolute path of the binary, or null when it is missing */
  path: string | null
  /** the skip reason for node:test (`missing prerequisite: <name> (install: <command>)`), or false when present */
  skip: string | false
}
export function prereq(name: string): Prereq
export function installHint(name: string): string
