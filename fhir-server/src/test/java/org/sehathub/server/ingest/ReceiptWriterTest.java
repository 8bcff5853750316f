package org.sehathub.server.ingest;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.sehathub.ingest.sink.MessageReceipt;

/**
 * A transaction of several messages whose written resources cannot each be given to one message
 * fails before any receipt is written (the receipts themselves are written on PostgreSQL in {@code
 * IngestStorageOnPostgresIT}).
 */
class ReceiptWriterTest {

    @Test
    void aWrittenResourceThatIsNoMessagesEntryFailsTheGroup() {
        ReceiptWriter writer = new ReceiptWriter(
                null,
                List.of(
                        member("1", stored(new Patient(), "Patient/1")),
                        member("2", stored(new Patient(), "Patient/2"))));
        writer.created(stored(new Observation(), "Observation/9"));

        assertThatThrownBy(writer::writeReceipts)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Observation that is no message's entry")
                .hasMessageNotContaining("/9");
    }

    @Test
    void aWrittenResourceThatIsTwoMessagesEntryFailsTheGroup() {
        ReceiptWriter writer = new ReceiptWriter(
                null,
                List.of(
                        member("1", stored(new Patient(), "Patient/1")),
                        member("2", stored(new Patient(), "Patient/1"))));
        writer.updated(null, stored(new Patient(), "Patient/1/_history/2"));

        assertThatThrownBy(writer::writeReceipts)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the entry of two messages");
    }

    private static ReceiptWriter.Member member(String messageId, Resource resource) {
        Bundle.BundleEntryComponent entry = new Bundle.BundleEntryComponent().setResource(resource);
        return new ReceiptWriter.Member(new MessageReceipt("hl7v2", "MAYO", messageId, "hash", "MAYO"), List.of(entry));
    }

    /** A resource as HAPI leaves it after writing it: with its id. */
    private static Resource stored(Resource resource, String id) {
        resource.setId(id);
        return resource;
    }
}
