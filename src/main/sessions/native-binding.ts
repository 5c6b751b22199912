import { join } from 'node:path'

/**
 * better-sqlite3 is not N-API: its addon is built for one ABI. The checkout keeps npm's Node build
 * (tests, web host, CLI) in node_modules, and an Electron-ABI build beside it under `native/`, made by
 * `npm run native:electron` on a machine that can download Electron's headers. The app picks the
 * right one at runtime through better-sqlite3's `nativeBinding` option, so rebuilding for one runtime
 * never breaks the other.
 */
export interface BindingRuntime {
  /** `process.versions.electron`, when running inside Electron. */
  electron?: string
  /** `process.versions.modules`: the ABI number native addons must match. */
  modules: string
  platform: string
  arch: string
}

export type BindingChoice =
  | { kind: 'node' }
  | { kind: 'electron'; path: string }
  | { kind: 'missing'; path: string; message: string }

/** Path of the Electron-ABI addon for a runtime, relative to the app root. */
export function electronBindingPath(appRoot: string, rt: BindingRuntime): string {
  return join(
    appRoot,
    'native',
    `better-sqlite3-electron-abi${rt.modules}-${rt.platform}-${rt.arch}`,
    'better_sqlite3.node',
  )
}

export function chooseSqliteBinding(
  appRoot: string,
  rt: BindingRuntime,
  exists: (path: string) => boolean,
): BindingChoice {
  if (!rt.electron) return { kind: 'node' }
  const path = electronBindingPath(appRoot, rt)
  if (exists(path)) return { kind: 'electron', path }
  return {
    kind: 'missing',
    path,
    message:
      `The SQLite addon for Electron ${rt.electron} (ABI ${rt.modules}, ${rt.platform}-${rt.arch}) ` +
      `is not built: expected ${path}. Run "npm run native:electron" on a machine with network ` +
      `access to build it.`,
  }
}

export function currentRuntime(): BindingRuntime {
  return {
    electron: process.versions.electron,
    modules: process.versions.modules,
    platform: process.platform,
    arch: process.arch,
  }
}
