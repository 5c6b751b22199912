import { runCli } from './cli'

void runCli(process.argv.slice(2), {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  cwd: process.cwd(),
  env: process.env,
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
