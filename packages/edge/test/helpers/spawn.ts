/** Starts a runtime as a child process, keeps everything it logs, and waits for the URL it prints. */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'

export interface Running {
  url: string
  child: ChildProcess
  /** Everything the process wrote to stdout and stderr so far. */
  logs(): string
  stop(): Promise<void>
}

export async function startPrinting(cmd: string, args: string[], opts: SpawnOptions & { urlPattern?: RegExp; timeoutMs?: number; keepLogs?: boolean } = {}): Promise<Running> {
  const child = spawn(cmd, args, { ...opts, stdio: opts.stdio ?? ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let found = false
  // A benchmark drops what is logged once the URL is known (keepLogs: false); a test keeps it all to scan it.
  const keep = (d: Buffer) => {
    if (!found || opts.keepLogs !== false) out += d
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const pattern = opts.urlPattern ?? /(http:\/\/127\.0\.0\.1:\d+)/
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${cmd} printed no URL in time; output:\n${out.slice(-2000)}`)), opts.timeoutMs ?? 30000)
    const check = () => {
      const m = pattern.exec(out)
      if (m && !found) {
        found = true
        clearTimeout(timer)
        resolve(m[1]!)
      }
    }
    child.stdout?.on('data', check)
    child.stderr?.on('data', check)
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${cmd} exited with ${code} before printing a URL; output:\n${out.slice(-2000)}`))
    })
  })
  return { url, child, logs: () => out, stop: () => stop(child) }
}

export function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const t = setTimeout(() => child.kill('SIGKILL'), 5000)
    child.once('exit', () => {
      clearTimeout(t)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

/** Polls until the URL answers (a runtime that prints nothing when ready). */
export async function waitFor(url: string, timeoutMs = 30000): Promise<void> {
  const until = Date.now() + timeoutMs
  for (;;) {
    try {
      await fetch(url)
      return
    } catch (e) {
      if (Date.now() > until) throw e
      await new Promise((r) => setTimeout(r, 50))
    }
  }
}
