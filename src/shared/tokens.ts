/**
 * A token count in a sentence: "150k", "1M". A round number reads as itself (128,000 → 128k); a
 * window that is a power-of-two multiple (32,768; 131,072; 1,048,576) reads as the size people know
 * it by (32k, 128k, 1M), not 33k or 131k.
 */
export function shortTokens(n: number): string {
  const exact = (unit: number): boolean => n >= unit && n % unit === 0
  if (exact(1_000_000)) return `${n / 1_000_000}M`
  if (exact(1_048_576)) return `${n / 1_048_576}M`
  if (n >= 1_000_000) return `${Number((n / 1_000_000).toFixed(1))}M`
  if (exact(1_000)) return `${n / 1_000}k`
  if (exact(1_024)) return `${n / 1_024}k`
  if (n >= 1_000) return `${Math.round(n / 1_000)}k`
  return String(n)
}
