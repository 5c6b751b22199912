/** IPC channel names of the contract transport (shared by main and preload). */
export const IPC = {
  call: 'paddock:call',
  subscribe: 'paddock:subscribe',
  unsubscribe: 'paddock:unsubscribe',
  event: 'paddock:event',
  replayed: 'paddock:replayed',
  openExternal: 'paddock:open-external',
} as const
