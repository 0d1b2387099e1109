"""warroom's domain and persistence: records, the SQLite store, time parsing and export. No UI here."""
