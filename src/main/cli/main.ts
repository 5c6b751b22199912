import { createInterface } from 'node:readline/promises'
import { runCli } from './cli'

const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true

void runCli(process.argv.slice(2), {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  cwd: process.cwd(),
  env: process.env,
  ...(interactive
    ? {
        ask: async (question: string): Promise<string> => {
          const rl = createInterface({ input: process.stdin, output: process.stderr })
          try {
            return await rl.question(question)
          } finally {
            rl.close()
          }
        },
      }
    : {}),
  onInterrupt: (abort) => {
    let interrupted = false
    process.on('SIGINT', () => {
      if (interrupted) process.exit(130)
      interrupted = true
      process.stderr.write('\nStopping… (Ctrl-C again to quit at once)\n')
      abort()
    })
  },
}).then((code) => {
  process.exitCode = code
})
