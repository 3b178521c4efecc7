/** Helpers for the repo-level tests (runner, start, docs, packaging). */

/**
 * The environment for a child that runs its own `node --test` or `npm` command: without node:test's marker, which would
 * make a child test run report to this process instead of printing, and with the given overrides.
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra }
  delete env.NODE_TEST_CONTEXT
  return env
}
