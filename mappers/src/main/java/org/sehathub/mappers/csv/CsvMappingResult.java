package org.sehathub.mappers.csv;

import java.util.List;
import java.util.Objects;
import org.hl7.fhir.r4.model.Bundle;
import org.sehathub.mappers.MappingIssue;
import org.sehathub.mappers.MappingResult;

/**
 * The outcome of one CSV file: a transaction Bundle with the resources of every good row (empty
 * when no row was good), every issue with its line and column, and the counts for the upload
 * report.
 *
 * @param bundle the transaction for the good rows
 * @param issues errors (a row that was not mapped) and warnings (a row mapped with a caveat)
 * @param rowsRead data rows in the file, not counting the header, blank lines and empty rows
 * @param rowsMapped rows whose resources are in the Bundle
 * @param rowsRejected rows that were not mapped; {@code rowsRead = rowsMapped + rowsRejected}
 */
public record CsvMappingResult(
        Bundle bundle, List<MappingIssue> issues, int rowsRead, int rowsMapped, int rowsRejected) {

    public CsvMappingResult {
        Objects.requireNonNull(bundle, "bundle");
        issues = List.copyOf(issues);
    }

    /** True when at least one row was rejected (or anything else is an error). */
    public boolean hasErrors() {
        return issues.stream().anyMatch(i -> i.severity() == MappingIssue.Severity.ERROR);
    }

    /** The same Bundle and issues in the shape every mapper returns. */
    public MappingResult toMappingResult() {
        return new MappingResult(bundle, issues);
    }
}
