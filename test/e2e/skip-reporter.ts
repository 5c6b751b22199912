import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter'

/** Prints every skipped test with its reason, so a skip is never silent. */
export default class SkipReporter implements Reporter {
  private readonly skipped: string[] = []

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status !== 'skipped') return
    const reason = test.annotations.find((a) => a.type === 'skip')?.description ?? 'no reason given'
    this.skipped.push(`skipped: ${test.titlePath().slice(1).join(' › ')} — ${reason}`)
  }

  onEnd(_result: FullResult): void {
    for (const line of this.skipped) process.stdout.write(`${line}\n`)
  }

  printsToStdio(): boolean {
    return true
  }
}
