import { ContractError } from '../../../../shared/errors'

/** A sentence for the user from anything a call can throw. */
export function errorMessage(err: unknown): string {
  if (err instanceof ContractError) return err.message
  if (err instanceof Error) return err.message || err.name
  return String(err)
}

/** True when the error is a contract error with this code. */
export function hasCode(err: unknown, code: ContractError['code']): boolean {
  return err instanceof ContractError && err.code === code
}
