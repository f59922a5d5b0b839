"""Review and history: alerting behaviour compared between two revisions of the specs.

`snapshot` reduces a model to what the people paged notice, `compare` lists what changed between
two snapshots, `report` words it for a pull request, `gitrev` reads the specs of a revision.
"""
