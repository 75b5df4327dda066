"""Static fact-check report site generator: sources + annotations -> Markdown pages -> MkDocs site."""
