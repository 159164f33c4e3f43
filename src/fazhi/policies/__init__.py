"""Policy documents and lists (政策文件与清单) rendered from data files: `data` reads the
published records, `pages` writes the documents page, each list's page and the overview."""
