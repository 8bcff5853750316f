package org.sehathub.mappers;

import java.util.Objects;

/**
 * Something a mapper could not map, or mapped with a caveat, reported beside the Bundle instead of
 * being dropped silently.
 *
 * @param severity how serious it is; an {@link Severity#ERROR} means data was lost
 * @param kind what is wrong, for transports that answer with codes (HL7 table 0357): never derived
 *     from the wording of {@code reason}
 * @param location where in the source, in the source's own notation: HL7 {@code PID-3[2].1} or
 *     {@code OBX[3]-5}, CSV {@code line 7, column date_of_birth}, JSON pointer {@code /patient/cnic}
 * @param reason a human sentence the sender can act on
 * @param cell for CSV, the line and column as values (the {@code location} text says the same):
 *     transports read these, never the text back; null elsewhere
 */
public record MappingIssue(Severity severity, Kind kind, String location, String reason, Cell cell) {

    /**
     * Where in a CSV file.
     *
     * @param line the file's physical line (the header is line 1)
     * @param column the column's header name, or null for the whole row
     */
    public record Cell(int line, String column) {

        /** {@code line 5, column cnic} or {@code line 5}. */
        public String text() {
            return "line " + line + (column != null ? ", column " + column : "");
        }
    }

    /** Severity of an issue, in the order of FHIR's {@code OperationOutcome.issue.severity}. */
    public enum Severity {
        ERROR,
        WARNING,
        INFORMATION
    }

    /** What is wrong (HL7 transports answer it as an ERR-3 code of table 0357). */
    public enum Kind {
        /** A value (or segment) the record needs is empty or absent (HL7 101, 100 for a segment). */
        MISSING,
        /** A value is there but malformed or impossible (HL7 102). */
        INVALID,
        /** A code is not one of the values its table defines (HL7 103). */
        UNKNOWN_CODE,
        /** Something not mapped, told for information. */
        NOT_MAPPED
    }

    public MappingIssue {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
    }

    public MappingIssue(Severity severity, Kind kind, String location, String reason) {
        this(severity, kind, location, reason, null);
    }

    /** An issue of kind {@link Kind#INVALID} ({@link Kind#NOT_MAPPED} for information). */
    public MappingIssue(Severity severity, String location, String reason) {
        this(severity, severity == Severity.INFORMATION ? Kind.NOT_MAPPED : Kind.INVALID, location, reason);
    }

    /** An issue about a CSV cell or row ({@link Kind#INVALID}). */
    public static MappingIssue atCell(Severity severity, int line, String column, String reason) {
        Cell cell = new Cell(line, column);
        return new MappingIssue(severity, Kind.INVALID, cell.text(), reason, cell);
    }

    public static MappingIssue error(String location, String reason) {
        return new MappingIssue(Severity.ERROR, location, reason);
    }

    public static MappingIssue error(Kind kind, String location, String reason) {
        return new MappingIssue(Severity.ERROR, kind, location, reason);
    }

    public static MappingIssue warning(String location, String reason) {
        return new MappingIssue(Severity.WARNING, location, reason);
    }

    public static MappingIssue warning(Kind kind, String location, String reason) {
        return new MappingIssue(Severity.WARNING, kind, location, reason);
    }

    public static MappingIssue information(String location, String reason) {
        return new MappingIssue(Severity.INFORMATION, location, reason);
    }

    @Override
    public String toString() {
        return severity + " " + location + ": " + reason;
    }
}
