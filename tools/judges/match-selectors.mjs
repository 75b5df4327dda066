// Resolves W3C Web Annotation selectors with Apache Annotator's own matchers (@apache-annotator/selector), the
// reference implementation of TextQuoteSelector and TextPositionSelector. Usage:
//   node match-selectors.mjs capture.txt annotations.jsonld
// Prints one JSON line per annotation: its id and, for each selector, every [start, end] it matches in the text.
import { readFileSync } from 'node:fs'
import { textQuoteSelectorMatcher, textPositionSelectorMatcher } from '@apache-annotator/selector'

const [textFile, annotationFile] = process.argv.slice(2)
const text = readFileSync(textFile, 'utf-8')
const page = JSON.parse(readFileSync(annotationFile, 'utf-8'))

// The whole text as one chunk: the matchers walk chunks, and a plain text file is one.
const chunk = { data: text }
const chunker = () => ({
  currentChunk: chunk,
  nextChunk: () => null,
  previousChunk: () => null,
  precedesCurrentChunk: () => false,
})
const matchers = { TextQuoteSelector: textQuoteSelectorMatcher, TextPositionSelector: textPositionSelectorMatcher }
// Python and the W3C count code points; JavaScript strings count UTF-16 units: report code points.
const codePoints = index => [...text.slice(0, index)].length

for (const annotation of page.items) {
  const found = {}
  for (const selector of annotation.target.selector) {
    found[selector.type] = []
    for await (const match of matchers[selector.type](selector)(chunker())) {
      found[selector.type].push([codePoints(match.startIndex), codePoints(match.endIndex)])
    }
  }
  console.log(JSON.stringify({ id: annotation.id, found }))
}
