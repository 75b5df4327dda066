// Copy buttons on claim pages. They are hidden in the page and shown here, so that without JavaScript a reader
// sees the plain link and the snippet's text, and no button that does nothing.
// data-copy: an address to copy; data-copy-from: a selector whose content is copied as HTML and as plain text.
for (const button of document.querySelectorAll("button[data-copy], button[data-copy-from]")) {
  const label = button.textContent
  button.hidden = false
  button.setAttribute("aria-live", "polite")
  button.addEventListener("click", async () => {
    try {
      if (button.dataset.copy) {
        await navigator.clipboard.writeText(new URL(button.dataset.copy, location.href).href)
      } else {
        const source = document.querySelector(button.dataset.copyFrom)
        const html = source.innerHTML.trim(), text = source.innerText.trim()
        if (window.ClipboardItem) {
          await navigator.clipboard.write([new ClipboardItem({
            "text/html": new Blob([html], { type: "text/html" }),
            "text/plain": new Blob([text], { type: "text/plain" }),
          })])
        } else {
          await navigator.clipboard.writeText(text)
        }
      }
      button.textContent = "Copied"
    } catch (error) {
      button.textContent = "Could not copy: select it and copy by hand"
    }
    setTimeout(() => { button.textContent = label }, 3000)
  })
}
