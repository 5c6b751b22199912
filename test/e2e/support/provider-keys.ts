/** The key the fake LLM server accepts; it must rest nowhere but in secrets.json. */
export const PLANTED_KEY = 'sk-paddock-PLANTED-1234567890'
/** A key the fake LLM server refuses. */
export const WRONG_KEY = 'sk-paddock-WRONG-0000000000'
