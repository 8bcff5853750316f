package org.sehathub.mappers.csv;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Refuses cells that a spreadsheet would run as a formula (CSV/formula injection, OWASP): a cell
 * whose first non-blank character is {@code =}, {@code +}, {@code -} or {@code @}, or that starts
 * with a tab or carriage return. The hub never opens these files in a spreadsheet, but the files
 * and our error reports go back to clinic staff who do.
 *
 * <p>Exceptions, because the value is not text there: a {@link CellKind#PHONE} cell may start with
 * {@code +} (international format, {@code +92 300 1234567}); a {@link CellKind#RESULT_VALUE} or
 * {@link CellKind#REFERENCE_RANGE} cell may start with {@code +} or {@code -} when the whole cell
 * is a number or a numeric range ({@code -2.5}, {@code -3 - 3}). Every other column, including
 * codes and identifiers, is text for this rule.
 */
final class FormulaInjectionGuard {

    private static final Pattern NUMBER = Pattern.compile("(?:<=|>=|<|>)?\\s*[+-]?\\d+(?:\\.\\d+)?");
    private static final Pattern NUMERIC_RANGE =
            Pattern.compile("[+-]?\\d+(?:\\.\\d+)?\\s*(?:-|–|to)\\s*[+-]?\\d+(?:\\.\\d+)?");

    private FormulaInjectionGuard() {}

    /** The reason the cell is refused, or empty when it is acceptable. */
    static Optional<String> check(CellKind kind, String rawCell) {
        if (rawCell == null || rawCell.isEmpty()) {
            return Optional.empty();
        }
        char first = rawCell.charAt(0);
        if (first == '\t' || first == '\r') {
            return Optional.of("the cell starts with a tab or carriage return, which spreadsheets can run as a formula;"
                    + " formula injection is refused");
        }
        String value = rawCell.strip();
        if (value.isEmpty()) {
            return Optional.empty();
        }
        char lead = value.charAt(0);
        if (lead != '=' && lead != '+' && lead != '-' && lead != '@') {
            return Optional.empty();
        }
        if (kind == CellKind.PHONE && lead == '+') {
            return Optional.empty();
        }
        if ((kind == CellKind.RESULT_VALUE || kind == CellKind.REFERENCE_RANGE)
                && (lead == '+' || lead == '-')
                && (NUMBER.matcher(value).matches()
                        || NUMERIC_RANGE.matcher(value).matches())) {
            return Optional.empty();
        }
        return Optional.of("the text starts with '"
                + lead
                + "', which spreadsheets run as a formula; formula injection is refused (remove the"
                + " leading character)");
    }
}
