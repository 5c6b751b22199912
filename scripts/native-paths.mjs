// Where the Electron-ABI build of better-sqlite3 lives. Must match electronBindingPath() in
// src/main/sessions/native-binding.ts (a unit test checks that they agree).
import { join } from 'node:path'

export function electronSqlitePath(appRoot, { modules, platform, arch }) {
  return join(
    appRoot,
    'native',
    `better-sqlite3-electron-abi${modules}-${platform}-${arch}`,
    'better_sqlite3.node',
  )
}
