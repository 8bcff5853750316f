package org.sehathub.ingest;

import java.util.List;
import java.util.Objects;
import org.hl7.fhir.r4.model.Bundle;
import org.sehathub.ingest.sink.MessageReceipt;
import org.sehathub.mappers.MappingIssue;

/**
 * What a source's translator made of a message: the Bundle to store, the receipt that makes storing
 * it exactly-once, and the issues met (stored anyway).
 */
public record Mapped(Bundle bundle, MessageReceipt receipt, List<MappingIssue> issues) {

    /** The exchange property holding it. */
    public static final String PROPERTY = "sehat.mapped";

    public Mapped {
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(receipt, "receipt");
        issues = List.copyOf(issues);
    }
}
