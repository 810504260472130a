"""Stakeholders and ties as spreadsheets, one module per step.

`reading` (a CSV or XLSX file → tables of cells) → `rows` (tables → clean records and row
errors, no database) → `plan` (records against the city's map → what would change) →
`apply` (a checked plan → bulk writes in the caller's transaction); `workflow` strings the
steps together for the web and the CLI (with the server-side preview draft); `export`
writes the map back out as tables or network files.
"""
