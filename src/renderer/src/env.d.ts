/// <reference types="vite/client" />

/** The app version, injected at build time (see electron.vite.config.ts). */
declare const __PADDOCK_VERSION__: string
