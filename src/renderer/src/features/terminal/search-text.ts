/** What the search addon reports: the active match (0-based; -1 past its highlight limit) and how many. */
export interface SearchResults {
  index: number
  count: number
}

/** "3 of 12", "No results", or nothing before a search. */
export function resultsText(text: string, results: SearchResults | null): string {
  if (text === '' || results === null) return ''
  if (results.count === 0) return 'No results'
  // The search addon reports -1 when there are more matches than it highlights.
  if (results.index < 0) return `${results.count}+ matches`
  return `${results.index + 1} of ${results.count}`
}
