package org.sehathub.ingest.csv;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.sehathub.mappers.MappingIssue;

/**
 * The answer to a CSV upload, as JSON: over HTTP the response body, in an inbox the
 * {@code <file>.report.json} beside a file moved to {@code failed/}.
 *
 * @param layout the layout
 * @param facility the clinic
 * @param messageId {@code csv-<layout>-<SHA-256 of the file>}: the same file, the same id
 * @param status the HTTP status this upload got (also in inbox reports)
 * @param duplicate true when this very file had been stored before and nothing new was written
 * @param rowsRead data rows in the file
 * @param rowsStored rows whose data is in the central record
 * @param rowsRejected rows refused, each in {@code rejected}
 * @param rejected errors with their line and column
 * @param warnings rows stored with a caveat
 * @param storedResourceIds what the upload stored ({@code Patient/12}...)
 * @param deadLetterId the dead letter keeping this file, when rows or the file were refused
 * @param error why the whole file was refused, when it was
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CsvReport(
        String layout,
        String facility,
        String messageId,
        int status,
        boolean duplicate,
        int rowsRead,
        int rowsStored,
        int rowsRejected,
        List<Row> rejected,
        List<Row> warnings,
        List<String> storedResourceIds,
        Long deadLetterId,
        String error) {

    /**
     * One issue.
     *
     * @param line the file's physical line (the header is line 1); null for the whole file
     * @param column the column's header name, when the issue is about one cell
     * @param reason what is wrong, in words a clinic can act on
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Row(Integer line, String column, String reason) {

        /** From a mapper's issue: its cell when it is about one, else the whole file. */
        public static Row of(MappingIssue issue) {
            if (issue.cell() != null) {
                return new Row(issue.cell().line(), issue.cell().column(), issue.reason());
            }
            String where = issue.location() == null || issue.location().equals("file") ? "" : issue.location() + ": ";
            return new Row(null, null, where + issue.reason());
        }
    }
}
