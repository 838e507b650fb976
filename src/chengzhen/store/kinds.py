"""The kinds of indexed unit and how their search-index rows are numbered.

A ``docs`` rowid is kind (3 bits) | plan key (37 bits) | sequence in the
plan (16 bits): one block of rowids per kind, in ranking order (measures
first), so a query walks the index one kind at a time and stops when it has
enough.  Small numbers keep the index small: FTS5 stores the gap between the
rowids of consecutive hits, and a gap from one plan to the next spans the
sequence bits.  ``store/rows.py`` numbers the rows; ``query/search.py``
walks them.  A module of constants only, cheap to import on the query path.

The kinds: ``measure`` (a measure, paragraph, 专栏 or table: title, text and
责任单位 clause), ``section`` (a heading), ``annex`` (an annex row, or with no
item the annex's headings), ``title`` (the plan's title as its title lines
write it), ``target`` (a target, found by its indicator's name).
"""

KINDS = ("measure", "section", "annex", "title", "target")  # ranking order: measures first
KEY_BITS = 37
SEQ_BITS = 16
KIND_SHIFT = KEY_BITS + SEQ_BITS
KIND_RANGES = [(k << KIND_SHIFT, min((k + 1) << KIND_SHIFT, (1 << 63) - 1)) for k in range(len(KINDS))]
