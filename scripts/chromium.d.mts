// Types of chromium.mjs, for playwright.config.ts and the e2e set-up.
export function systemChromium(env?: NodeJS.ProcessEnv): string | undefined
export function managedChromium(): Promise<string | undefined>
export function noChromiumHint(env?: NodeJS.ProcessEnv): string
