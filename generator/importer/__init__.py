"""`alertgen import`: existing rule files (and their promtool tests) as spec modules."""
