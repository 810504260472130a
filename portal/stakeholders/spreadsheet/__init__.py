"""Stakeholders and ties as files, one module per step.

`reading` (a CSV, XLSX, or via `networkfiles` a GraphML/GEXF file → tables of cells; headers
and sheet names in every language via `headers`) → `rows` (tables → records as written and
row errors, no database) → `mapping` (the file's values → the portal's keys with the city's
remembered answers; A→B + B→A merged) → `plan` (records against the city's map → what would
change) → `apply` (a checked plan → bulk writes in the caller's transaction); `workflow`
strings the steps together for the web and the CLI (with the server-side preview draft),
`preview` shapes the row-by-row preview; `export` and `template_files` write files.
"""
