package org.sehathub.ingest;

import java.util.List;
import java.util.Objects;
import org.hl7.fhir.r4.model.Bundle;
import org.sehathub.ingest.sink.MessageReceipt;
import org.sehathub.mappers.MappingIssue;

/**
 * What a channel's translator made of a message: the Bundle to store, the receipt that makes storing
 * it exactly-once, and the issues met (stored anyway; for a file, its rejected rows too).
 *
 * @param inbound the message, identified (sender and message id known)
 * @param rows for a file of rows, how many were read, mapped and rejected; null for one message
 */
public record Mapped(Inbound inbound, Bundle bundle, MessageReceipt receipt, List<MappingIssue> issues, Rows rows)
        implements InFlight {

    /** The rows of a file: read, mapped (in the Bundle), rejected (in the issues). */
    public record Rows(int read, int mapped, int rejected) {}

    public Mapped {
        Objects.requireNonNull(inbound, "inbound");
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(receipt, "receipt");
        issues = List.copyOf(issues);
    }

    /** One message's mapping (no rows). */
    public Mapped(Inbound inbound, Bundle bundle, MessageReceipt receipt, List<MappingIssue> issues) {
        this(inbound, bundle, receipt, issues, null);
    }

    /** The issues of one severity. */
    public List<MappingIssue> issues(MappingIssue.Severity severity) {
        return issues.stream().filter(i -> i.severity() == severity).toList();
    }
}
