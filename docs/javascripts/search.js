// The search page (docs/search.md) over the Pagefind index that `python -m generator build` writes into
// site/pagefind/ (README: Search). A query fetches only the fragments of the index it needs, and a result's
// excerpt only when it is shown. `?q=` runs a search, and the address follows the query, so a search can be
// linked and the back button returns to it.
// Fetched at once, awaited by the first search: the listeners below are attached before it arrives, so that
// words typed meanwhile are searched too (awaiting it first lost them, and a test typing fast saw no results).
const loading = load(new URL("../pagefind/", import.meta.url))
const form = document.querySelector(".site-search")
const input = document.querySelector("#search-query")
const status = document.querySelector("#search-status")
const list = document.querySelector("#search-results")
const more = document.querySelector("#search-more")
const PAGE = 10
let shown = [], next = 0, current = 0

// A big site's index is in parts (generator/search_index.py), listed in parts.json: each is merged into the
// first, and a query searches them all, its results in one list, best first.
async function load(index) {
  const [pagefind, parts] = await Promise.all([import(new URL("pagefind.js", index)),
    fetch(new URL("parts.json", index)).then((answer) => answer.json())])
  await Promise.all(parts.map((part) => pagefind.mergeIndex(new URL(part, index).href)))
  return pagefind
}

async function run(query) {
  const ticket = ++current
  const url = new URL(location.href)
  if (query) url.searchParams.set("q", query); else url.searchParams.delete("q")
  history.replaceState(null, "", url)
  list.replaceChildren()
  more.hidden = true
  if (!query.trim()) { status.textContent = ""; return }
  status.textContent = "Searching…"
  const search = await (await loading).search(query)
  if (ticket !== current) return  // a newer query was typed meanwhile
  shown = search.results
  next = 0
  await showMore(ticket)
  if (ticket !== current) return
  // said once the first results are on the page, so that the count and the list arrive together
  status.textContent = shown.length === 0 ? `No page has all of: ${query}`
    : `${shown.length} ${shown.length === 1 ? "page" : "pages"} for: ${query}`
}

async function showMore(ticket) {
  const batch = await Promise.all(shown.slice(next, next + PAGE).map((result) => result.data()))
  if (ticket !== current) return
  next += batch.length
  for (const data of batch) list.append(item(data))
  more.hidden = next >= shown.length
}

function item(data) {
  const li = document.createElement("li")
  const link = document.createElement("a")
  link.href = data.url
  link.textContent = data.meta.title || data.url
  const excerpt = document.createElement("p")
  excerpt.append(...marked(data.excerpt))
  li.append(link, excerpt)
  return li
}

// The excerpt is text with <mark> around the words found: read it in an inert document and keep only text and
// marks, so that nothing in a page's words can become markup here.
function marked(html) {
  const body = new DOMParser().parseFromString(html, "text/html").body
  return [...body.childNodes].map((node) => {
    if (node.nodeName !== "MARK") return document.createTextNode(node.textContent)
    const mark = document.createElement("mark")
    mark.textContent = node.textContent
    return mark
  })
}

let typing
input.addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(() => run(input.value), 250) })
form.addEventListener("submit", (event) => { event.preventDefault(); clearTimeout(typing); run(input.value) })
more.addEventListener("click", () => showMore(current))
more.hidden = true
const asked = new URLSearchParams(location.search).get("q")
if (asked) input.value = asked  // else keep what may have been typed before this ran
input.focus()
if (input.value) run(input.value)
