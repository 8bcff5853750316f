package org.sehathub.mappers;

import java.util.List;
import java.util.Objects;
import org.hl7.fhir.r4.model.Bundle;

/**
 * What a mapper produced: a transaction Bundle ready for the server, and the issues met on the way.
 *
 * @param bundle a FHIR R4 transaction Bundle whose writes are idempotent
 * @param issues everything that was not mapped or was mapped with a caveat
 */
public record MappingResult(Bundle bundle, List<MappingIssue> issues) {

    public MappingResult {
        Objects.requireNonNull(bundle, "bundle");
        issues = List.copyOf(issues);
    }

    /** True when at least one issue is an error, that is when some input was not mapped. */
    public boolean hasErrors() {
        return issues.stream().anyMatch(i -> i.severity() == MappingIssue.Severity.ERROR);
    }
}
