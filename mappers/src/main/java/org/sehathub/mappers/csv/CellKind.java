package org.sehathub.mappers.csv;

/**
 * What a CSV column holds. The kind decides how a cell is parsed and whether the formula-injection
 * rule lets it start with {@code +} or {@code -} (see {@link FormulaInjectionGuard}).
 */
public enum CellKind {
    /** Free text (names, addresses, complaints, identifiers such as MRNs): the formula rule applies. */
    TEXT,
    /** A code from a terminology table or ICD-10: the formula rule applies. */
    CODE,
    /** A CNIC, checked by the CNIC rule. */
    CNIC,
    /** A phone number; may start with {@code +} (international format). */
    PHONE,
    /** A date: {@code yyyy-MM-dd}, {@code dd/MM/yyyy}; birth dates may also be a year alone. */
    DATE,
    /** A date, or a date and time ({@code yyyy-MM-ddTHH:mm}, {@code dd/MM/yyyy HH:mm}). */
    DATE_TIME,
    /** M, F, O, U and the other spellings of the sex rule. */
    SEX,
    /** A province name, ISO code or alias. */
    PROVINCE,
    /** A whole number. */
    INTEGER,
    /** One of a fixed list of words. */
    CHOICE,
    /** A number (may start with {@code -} or {@code +}, or a comparator) or else text. */
    RESULT_VALUE,
    /** A numeric range such as {@code 13.0-17.0} or {@code <5}, or else text. */
    REFERENCE_RANGE
}
