"""Every finding code: its severity under the standard and under each profile, and its meaning.

The one table of codes, in the order the catalogue lists them (`misti-data checks`, docs/cli.md).
A line `# NAME` (one line) starts the codes NAME raises, and only NAME may raise them (a code two
raise, with one meaning, is listed under each, the same row twice): a check family
(checks/NAME.py or checks/NAME/, `@check("NAME")`, which asserts it as it runs), `tables` the
table reader (misti_data.tables, reported by checks/tables.py), `diff` the diff.
tests/test_codes_owned.py finds the codes each module raises and holds them to this table.
registry.py reads the table and checks it. Plain data: it imports nothing.
"""

# One row a code. `standard`: the severity the Data Package standard gives it (MUST: error,
# SHOULD: warning; -: not reported without a profile). Then a column per profile
# (misti_data.profiles): the severity that profile raises the code to (-: it leaves it).
TABLE = """
code                      | standard | misti-data | meaning
# descriptor (resource-error, schema-error, field-error: the table reader raises them too)
package-error             | error    | -          | The descriptor is not a valid Data Package (e.g. it has no `resources`).
resource-error            | error    | -          | A resource descriptor is not valid.
schema-error              | error    | -          | A Table Schema is not valid or cannot be read.
version-not-semver        | warning  | error      | The package `version` is not a semantic version (MAJOR.MINOR.PATCH), as the spec says it should be.
version-missing           | -        | error      | The package has no `version`.
metadata-missing          | warning  | error      | The package has no `name` or no `licenses`, which the spec says it should have.
sources-missing           | -        | error      | The package has no `sources`.
profile-error             | error    | -          | misti_data.profile names a profile misti-data does not know.
duplicate-resource        | error    | -          | Two resources share a name.
field-error               | error    | -          | A field descriptor in a Table Schema is not valid.
# safety
outside-path              | error    | -          | A resource path leaves the package folder; it was not read (see --allow-outside).
remote-path               | error    | -          | A resource path is a URL; it was not read (see --allow-remote).
invalid-path              | error    | -          | A resource path holds a character no file name can (a NUL); it was not read.
special-file              | error    | -          | A resource path names a named pipe, socket or device, not a regular file; it was not opened (it could block forever).
# tables: what the table reader finds (frictionless's codes; the first three also as frictionless reports them of a resource it opens)
resource-error            | error    | -          | A resource descriptor is not valid.
schema-error              | error    | -          | A Table Schema is not valid or cannot be read.
field-error               | error    | -          | A field descriptor in a Table Schema is not valid.
scheme-error              | error    | -          | The resource's file cannot be opened.
format-error              | error    | -          | The resource's file is not in its declared format.
encoding-error            | error    | -          | The file is not in its declared encoding.
compression-error         | error    | -          | The file cannot be decompressed as its `compression` says.
utf-8-bom                 | warning  | -          | The file starts with a UTF-8 byte-order mark, which some readers keep in the first column's name.
source-error              | error    | -          | The resource's data cannot be read.
hash-count                | error    | -          | The file's hash differs from the descriptor's `hash`.
byte-count                | error    | -          | The file's size differs from the descriptor's `bytes`.
row-count                 | error    | -          | The table's row count differs from the descriptor's `rows`.
blank-header              | error    | -          | The file has no header row.
blank-label               | error    | -          | A header cell is empty.
duplicate-label           | error    | -          | Two header cells have the same label.
extra-label               | error    | -          | The header has a column the schema does not declare.
missing-label             | error    | -          | The header lacks a column the schema declares.
incorrect-label           | error    | -          | A header label differs from the schema's field name.
unmatched-header          | error    | -          | With `fieldsMatch: partial`, no header label is a field of the schema.
malformed-quote           | error    | -          | A quoted cell never closes, or closes before more text: the rows after it may be misread.
blank-row                 | error    | -          | A row is entirely empty.
extra-cell                | error    | -          | A row has more cells than the header.
missing-cell              | error    | -          | A row has fewer cells than the header.
type-error                | error    | -          | A cell cannot be read as its field's type or format.
constraint-error          | error    | -          | A cell breaks a field constraint (required, minimum, maximum, pattern, enum, length).
unsupported-feature       | warning  | -          | The package uses a feature of the standard that misti-data does not check; the warning names it.
# formulas
formula-cell              | warning  | -          | A text cell starts with =, +, - or @ and reads as a spreadsheet formula (CSV injection); a spreadsheet that opens the CSV may run it.
# keys
unique-error              | error    | -          | A value repeats in a field declared unique.
primary-key               | error    | -          | A primary key value repeats or is empty.
foreign-key               | error    | -          | A foreign key value has no match in the referenced resource.
# provenance
source-missing            | error    | -          | A local source's file is not in the package.
source-hash-mismatch      | error    | -          | A local source's file does not match the sha256 in the sources table.
citation-incomplete       | error    | -          | A cited source lacks a URL, outlet or title.
quote-missing             | error    | -          | A row from a local source has no quote.
quote-not-found           | error    | -          | A quote does not occur verbatim in its source file.
quote-on-cited-source     | error    | -          | A row from a cited source has a quote; cited rows keep the quote empty.
value-not-in-quote        | error    | -          | The value cannot be read back from its quote.
qualifier-mismatch        | error    | -          | The qualifier differs from how the quote states the figure.
rounding-mismatch         | error    | -          | rounded_to differs from how far the quote rounds the figure (556 million: 1000000; every digit printed: empty).
text-not-in-quote         | error    | -          | A text cell does not occur in its quote.
unknown-source            | error    | -          | A row names a source the sources table does not list.
# revisions
unexplained-revision      | error    | -          | A published value changed without a matching row (old value, new value, reason) in the revisions table.
# vintages
vintages-config-error     | error    | -          | misti_data.vintages names a resource or column the package does not have.
not-latest-vintage        | error    | -          | An observation is not the latest figure the vintages table holds for its period, or is missing.
# domain
rule-config-error         | error    | -          | misti_data.indicators names a resource or column the package does not have.
percent-out-of-range      | error    | -          | A value in a percent unit is outside 0–100.
count-not-whole           | error    | -          | A value in a count unit is negative or not a whole number.
part-exceeds-total        | error    | -          | A part is larger than its total (of_indicator) at the same area and period_end.
period-mismatch           | error    | -          | period_end does not fall in the row's period.
period-after-publication  | error    | -          | period_end is after its source's publication date (or, without one, its event date).
qualifier-not-round       | warning  | -          | 'approximately' on a figure with more than 3 significant digits.
stock-flow-identity       | error    | -          | Exact year-end figures break stock(y) = stock(y−1) + inflow(y) − outflow(y).
stock-change-vs-flows     | warning  | -          | A stock's change on last year lies outside what the year's reported flows allow.
stock-jump                | warning  | -          | A stock's change on last year is far outside the series' earlier changes.
provinces-exceed-national | error    | -          | Provincial figures sum to more than the national figure.
# diff: sides it could not compare
diff-unreadable           | error    | -          | A resource's file cannot be read for the diff; its rows were not compared.
diff-ragged-row           | error    | -          | A row has more cells than the header; the resource's rows were not compared.
diff-missing-key-column   | error    | -          | A key column (primary key or --key) is missing from one side; rows were compared as a multiset.
diff-duplicate-key        | error    | -          | Two rows share a key (primary key or --key); rows were compared as a multiset.
"""
