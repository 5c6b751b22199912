import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import ReactMarkdown from 'react-markdown'
import remarkGfm from 'remark-gfm'
import { describe, expect, it } from 'vitest'
import { markdownBlocks } from '../../src/renderer/src/features/transcript/markdown-blocks'

describe('markdownBlocks', () => {
  it('cuts at blank lines before a line at the margin, and joins back to the text', () => {
    const text = '# Title\n\nA paragraph\nstill it.\n\n- one\n- two\n\nThe end'
    const blocks = markdownBlocks(text)
    expect(blocks).toEqual(['# Title\n', 'A paragraph\nstill it.\n', '- one\n- two\n', 'The end'])
    expect(blocks.join('\n')).toBe(text)
  })

  it('keeps a fenced block whole, blank lines and all, and cuts after it', () => {
    const text = 'Look:\n\n```ts\nconst a = 1\n\nconst b = 2\n```\n\nDone.'
    expect(markdownBlocks(text)).toEqual([
      'Look:\n',
      '```ts\nconst a = 1\n\nconst b = 2\n```\n',
      'Done.',
    ])
  })

  it('keeps an unclosed fence (still streaming) in the last block', () => {
    const text = 'Start\n\n```\nline\n\nmore'
    expect(markdownBlocks(text)).toEqual(['Start\n', '```\nline\n\nmore'])
  })

  it('does not cut before an indented continuation', () => {
    const text = '- item\n\n  more of the item\n\n    code after a blank line'
    expect(markdownBlocks(text)).toEqual([text])
  })

  it('keeps a loose list whole (one list, not several), and cuts after it', () => {
    const text = '1. first\n\n2. second\n\n- not the same list\n\nAfter.'
    expect(markdownBlocks(text)).toEqual([
      '1. first\n\n2. second\n\n- not the same list\n',
      'After.',
    ])
  })

  it('keeps text with definitions or long HTML blocks whole', () => {
    for (const text of [
      'See [the docs][d].\n\nMore.\n\n[d]: https://example.com',
      'A note[^1].\n\nMore.\n\n[^1]: The note.',
      '<!--\n\nnot markdown\n-->\n\nAfter.',
    ])
      expect(markdownBlocks(text)).toEqual([text])
  })

  it('does not close a fence on a line with an info string or another fence character', () => {
    const text = '~~~\n```ts\n\nstill code\n~~~\n\nafter'
    expect(markdownBlocks(text)).toEqual(['~~~\n```ts\n\nstill code\n~~~\n', 'after'])
  })
})

describe('markdownBlocks renders as the whole text does', () => {
  // The whole text has a newline between its top-level elements; it renders as nothing.
  const html = (text: string): string =>
    renderToStaticMarkup(createElement(ReactMarkdown, { remarkPlugins: [remarkGfm] }, text))
      .replace(/^\n+|\n+$/g, '')
      .replace(/>\n+</g, '><')
  const samples = [
    '# Plan\n\nFirst **bold** and `code`.\n\n- a\n- b\n\n  continued\n\n1. one\n\n2. two\n\nEnd.',
    'Table:\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n> quote\n\n> another\n\n---\n\nText',
    '```ts\nconst a = 1\n\n\nconst b = 2\n```\n\n    indented code\n\n    more\n\nPara\n===\n\nAfter',
    '- [ ] task\n- [x] done\n\n* star list\n\n+ plus list\n\n~~gone~~ and https://example.com',
  ]
  it.each(samples)('%#', (text) => {
    expect(markdownBlocks(text).length).toBeGreaterThan(1)
    expect(markdownBlocks(text).map(html).join('')).toBe(html(text))
  })
})
