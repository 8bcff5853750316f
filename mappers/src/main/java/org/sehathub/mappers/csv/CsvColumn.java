package org.sehathub.mappers.csv;

/**
 * One column of a CSV layout.
 *
 * @param name the header name (snake_case)
 * @param required whether every row must have a value
 * @param kind what the cell holds
 * @param mapsTo the FHIR element it ends up in (as written in docs/ingest/csv.md)
 */
public record CsvColumn(String name, boolean required, CellKind kind, String mapsTo) {

    static CsvColumn required(String name, CellKind kind, String mapsTo) {
        return new CsvColumn(name, true, kind, mapsTo);
    }

    static CsvColumn optional(String name, CellKind kind, String mapsTo) {
        return new CsvColumn(name, false, kind, mapsTo);
    }
}
