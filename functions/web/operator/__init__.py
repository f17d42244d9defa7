"""The operator's pages: the sheet viewer with its CSV and XLSX exports, and the local mail outbox."""
