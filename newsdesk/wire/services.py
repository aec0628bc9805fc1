def ingest_due_sources():
    return []
