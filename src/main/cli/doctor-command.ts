import type { Method, MethodInput, MethodOutput } from '../../shared/contract'
import type { DoctorCheck } from '../../shared/contract'
import type { CliIo } from './cli'

type Call = <M extends Method>(m: M, p: MethodInput<M>) => Promise<MethodOutput<M>>

const MARK: Record<DoctorCheck['status'], string> = {
  ok: 'ok  ',
  info: 'info',
  warn: 'warn',
  fail: 'FAIL',
}

/** `paddock doctor [--json]`: every check in one line, a problem's fix under it; 1 when one fails. */
export async function runDoctorCommand(json: boolean, call: Call, io: CliIo): Promise<number> {
  const report = await call('host.doctor', {})
  if (json) io.out(`${JSON.stringify(report)}\n`)
  else {
    const width = Math.max(...report.checks.map((c) => c.title.length))
    for (const c of report.checks) {
      io.out(`${MARK[c.status]}  ${c.title.padEnd(width)}  ${c.detail}\n`)
      if (c.fix && c.status !== 'ok') io.out(`      ${' '.repeat(width)}  fix: ${c.fix}\n`)
    }
  }
  return report.checks.some((c) => c.status === 'fail') ? 1 : 0
}
