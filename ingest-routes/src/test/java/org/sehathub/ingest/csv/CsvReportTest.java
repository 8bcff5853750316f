package org.sehathub.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.sehathub.mappers.MappingIssue;

/** The report's rows take line and column from the issue's cell, never from its text. */
class CsvReportTest {

    @Test
    void aRowIsPlacedByTheIssuesCell() {
        MappingIssue issue = MappingIssue.atCell(MappingIssue.Severity.ERROR, 5, "cnic", "CNIC must have 13 digits");
        assertThat(CsvReport.Row.of(issue)).isEqualTo(new CsvReport.Row(5, "cnic", "CNIC must have 13 digits"));
    }

    @Test
    void textThatLooksLikeACellIsNotReadBack() {
        MappingIssue issue = MappingIssue.error("line 7, column cnic", "a reason");
        assertThat(CsvReport.Row.of(issue)).isEqualTo(new CsvReport.Row(null, null, "line 7, column cnic: a reason"));
    }

    @Test
    void aWholeRowHasALineAndNoColumn() {
        MappingIssue issue = MappingIssue.atCell(MappingIssue.Severity.WARNING, 9, null, "extra cells ignored");
        assertThat(CsvReport.Row.of(issue)).isEqualTo(new CsvReport.Row(9, null, "extra cells ignored"));
        assertThat(issue.location()).isEqualTo("line 9");
    }
}
