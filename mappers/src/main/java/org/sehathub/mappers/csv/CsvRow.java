package org.sehathub.mappers.csv;

import java.util.Map;

/**
 * One data row, its cells bound to header names.
 *
 * @param line the physical line the row starts on (the header is line 1)
 * @param cells raw cell text by normalized header name; columns the row lacks are absent
 */
record CsvRow(int line, Map<String, String> cells) {

    /** The cell, stripped of surrounding whitespace; empty string when absent or blank. */
    String get(String column) {
        String value = cells.get(column);
        return value == null ? "" : value.strip();
    }

    boolean has(String column) {
        return !get(column).isEmpty();
    }

    /** The cell exactly as written (for the formula check, which looks at leading tabs). */
    String raw(String column) {
        return cells.get(column);
    }

    boolean isBlank() {
        return cells.values().stream().allMatch(v -> v == null || v.isBlank());
    }
}
