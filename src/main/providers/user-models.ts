import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { ContractError } from '../../shared/errors'
import { ModelCatalog, UserModelEntrySchema } from './catalog'

export const USER_MODELS_FILE = 'models.json'

const UserModelsFileSchema = z.strictObject({ models: z.array(UserModelEntrySchema) })

/**
 * The catalog with the user's additions and overrides from `<dataDir>/models.json`
 * (`{"models": [{"id": "my-model", "contextWindow": 65536, "providers": {"ollama": "my:7b"}}]}`).
 * A missing file is no overrides; a malformed one is a clear error, never silently ignored.
 */
export function loadCatalog(dataDir: string): ModelCatalog {
  const file = join(dataDir, USER_MODELS_FILE)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new ModelCatalog()
    throw new ContractError('io_error', `Cannot read ${file}: ${(err as Error).message}`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new ContractError(
      'invalid_params',
      `${file} is not valid JSON: ${(err as Error).message}`,
    )
  }
  const parsed = UserModelsFileSchema.safeParse(json)
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`)
      .join('; ')
    throw new ContractError('invalid_params', `${file} is invalid: ${issues}`)
  }
  try {
    return new ModelCatalog(parsed.data.models)
  } catch (err) {
    throw new ContractError('invalid_params', `${file} is invalid: ${(err as Error).message}`)
  }
}
