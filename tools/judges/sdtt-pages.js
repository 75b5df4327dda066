// Runs structured-data-testing-tool's own checks on many built pages in one Node process (its command line
// takes one page per run, a second each). Usage: node sdtt-pages.js Google,SocialMedia page.html...
// Prints one JSON line per page: the tool's passed, failed and warning tests, and the schemas it found.
const fs = require('fs')
const { structuredDataTest } = require('structured-data-testing-tool')
const presets = require('structured-data-testing-tool/presets')

const [names, ...files] = process.argv.slice(2)
const chosen = names.split(',').map(name => {
  if (!presets[name]) throw new Error(`no preset ${name}`)
  return presets[name]
})
const describe = test => `${(test.groups || [test.group]).join(' > ')} > ${test.description || test.test}`

;(async () => {
  for (const file of files) {
    let result
    try {
      result = await structuredDataTest(fs.readFileSync(file), { presets: chosen })
    } catch (err) {
      if (err.type !== 'VALIDATION_FAILED') throw err
      result = err.res
    }
    console.log(JSON.stringify({
      file,
      passed: result.passed.map(describe),
      failed: result.failed.map(describe),
      warnings: result.warnings.map(describe),
      schemas: result.schemas,
    }))
  }
})().catch(err => { console.error(err); process.exit(2) })
