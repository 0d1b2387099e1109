"""warroom's domain and persistence: records, the SQLite store, time parsing and export. No UI here.

Plain Python: it never imports Textual or Rich (a `lint-imports` contract), so the CLI and the
exports run without them. Where to change:

- a table or a field: the next step in migrations.py (literal SQL, released steps never edited),
  the read record in records.py, its columns in rows.py, the input model in models.py, the reads in
  reads_records.py (a record and its lists) or reads.py (review, search, post-mortems), and the
  writes in writes.py or store.py (a long family of queries in a query module they hand their
  connection to: tests/test_store_split.py lists them);
- the export: export_md.py (Markdown), export_json.py, export_html.py, export_confluence.py; what
  counts as missing from a post-mortem: quality.py;
- the quick-entry line and its slash commands: quickentry.py; times typed by people: timeparse.py.
"""
