export { MODES } from '../policy/modes'
export type { Mode } from '../policy/modes'
