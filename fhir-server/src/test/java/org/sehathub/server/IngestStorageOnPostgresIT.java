package org.sehathub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sehathub.ingest.deadletter.DeadLetter;
import org.sehathub.ingest.deadletter.DeadLetterStore;
import org.sehathub.ingest.deadletter.NewDeadLetter;
import org.sehathub.ingest.sink.BundleRejectedException;
import org.sehathub.ingest.sink.BundleSink;
import org.sehathub.ingest.sink.ConflictingResendException;
import org.sehathub.ingest.sink.MessageReceipt;
import org.sehathub.ingest.sink.StoreOutcome;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The server's side of ingest on PostgreSQL: the in-process sink stores a bundle and its receipt
 * together, exactly once, under concurrency; the dead-letter store keeps what was refused.
 */
@PostgresServerTest
class IngestStorageOnPostgresIT {

    private static final String MRN = "https://fhir.sehathub.pk/sid/mrn/mayo-hospital-lahore";

    @Autowired
    BundleSink sink;

    @Autowired
    DeadLetterStore deadLetters;

    @LocalServerPort
    int port;

    FhirTestClient server;

    @BeforeEach
    void connect() {
        server = new FhirTestClient(port);
    }

    @Test
    void storesABundleOnceAndAnswersAResendWithTheSameIds() {
        String mrn = "MRN-" + UUID.randomUUID();
        MessageReceipt receipt = receipt("MSG-" + UUID.randomUUID(), "hash-1");

        StoreOutcome first = sink.store(patientWithResult(mrn, "Hemoglobin"), receipt);
        StoreOutcome resend = sink.store(patientWithResult(mrn, "Hemoglobin"), receipt);

        assertThat(first.duplicate()).isFalse();
        assertThat(first.resourceIds())
                .anyMatch(id -> id.startsWith("Patient/"))
                .anyMatch(id -> id.startsWith("Observation/"));
        assertThat(resend.duplicate()).isTrue();
        assertThat(resend.resourceIds()).isEqualTo(first.resourceIds());
        assertThat(count("Patient?identifier=" + MRN + "|" + mrn)).isEqualTo(1);
        assertThat(count("Observation?subject.identifier=" + MRN + "|" + mrn)).isEqualTo(1);
    }

    @Test
    void refusesAReusedMessageIdWithDifferentContentAndStoresNothing() {
        String messageId = "MSG-" + UUID.randomUUID();
        String mrn = "MRN-" + UUID.randomUUID();
        sink.store(patientWithResult(mrn, "Hemoglobin"), receipt(messageId, "hash-a"));

        assertThatThrownBy(() -> sink.store(patientWithResult(mrn, "Glucose"), receipt(messageId, "hash-b")))
                .isInstanceOf(ConflictingResendException.class)
                .hasMessageContaining(messageId);
        assertThat(count("Observation?subject.identifier=" + MRN + "|" + mrn)).isEqualTo(1);
    }

    @Test
    void aRefusedBundleStoresNothingAndLeavesNoReceipt() {
        String messageId = "MSG-" + UUID.randomUUID();
        String mrn = "MRN-" + UUID.randomUUID();
        Bundle broken = patientWithResult(mrn, "Hemoglobin");
        ((Observation) broken.getEntry().get(1).getResource()).getSubject().setReference("Patient/not-there-" + mrn);

        assertThatThrownBy(() -> sink.store(broken, receipt(messageId, "hash-1")))
                .isInstanceOf(BundleRejectedException.class);
        assertThat(count("Patient?identifier=" + MRN + "|" + mrn)).isZero();

        StoreOutcome fixed = sink.store(patientWithResult(mrn, "Hemoglobin"), receipt(messageId, "hash-2"));
        assertThat(fixed.duplicate()).isFalse();
    }

    @Test
    void concurrentMessagesAboutOnePatientCreateOnePatient() throws Exception {
        String mrn = "MRN-" + UUID.randomUUID();
        List<Callable<StoreOutcome>> senders = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String messageId = "MSG-" + i + "-" + UUID.randomUUID();
            senders.add(() -> sink.store(patientWithResult(mrn, "Hemoglobin"), receipt(messageId, "hash")));
        }

        List<StoreOutcome> outcomes = runConcurrently(senders);

        assertThat(outcomes).noneMatch(StoreOutcome::duplicate);
        assertThat(count("Patient?identifier=" + MRN + "|" + mrn)).isEqualTo(1);
        assertThat(count("Observation?subject.identifier=" + MRN + "|" + mrn)).isEqualTo(8);
    }

    @Test
    void theSameMessageSentConcurrentlyIsStoredOnce() throws Exception {
        String mrn = "MRN-" + UUID.randomUUID();
        MessageReceipt receipt = receipt("MSG-" + UUID.randomUUID(), "hash");
        List<Callable<StoreOutcome>> senders = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            senders.add(() -> sink.store(patientWithResult(mrn, "Hemoglobin"), receipt));
        }

        List<StoreOutcome> outcomes = runConcurrently(senders);

        assertThat(outcomes).filteredOn(o -> !o.duplicate()).hasSize(1);
        Set<List<String>> idSets = new HashSet<>();
        outcomes.forEach(o -> idSets.add(o.resourceIds()));
        assertThat(idSets).hasSize(1);
        assertThat(count("Observation?subject.identifier=" + MRN + "|" + mrn)).isEqualTo(1);
    }

    @Test
    void deadLettersAreKeptListedReplayedAndDiscarded() {
        String source = "hl7v2-" + UUID.randomUUID();
        byte[] payload = "MSH|^~\\&|HIS|MAYO|SEHAT|HUB|20240301||ADT^A99|X1|P|2.5\r".getBytes(StandardCharsets.UTF_8);
        DeadLetter saved = deadLetters.save(new NewDeadLetter(
                source,
                "mllp",
                "MAYO",
                "X1",
                Instant.parse("2024-03-01T05:00:00Z"),
                "MSH-9: unsupported message type ADT^A99",
                "x-application/hl7-v2+er7",
                payload));

        assertThat(saved.id()).isPositive();
        assertThat(saved.status()).isEqualTo(DeadLetter.Status.NEW);
        assertThat(saved.payload()).isEqualTo(payload);
        assertThat(deadLetters.list(DeadLetter.Status.NEW, source, 10))
                .extracting(DeadLetter::id)
                .containsExactly(saved.id());

        deadLetters.recordReplay(saved.id(), DeadLetter.Status.FAILED_REPLAY, "still unsupported");
        DeadLetter replayed = deadLetters.find(saved.id()).orElseThrow();
        assertThat(replayed.status()).isEqualTo(DeadLetter.Status.FAILED_REPLAY);
        assertThat(replayed.replayCount()).isEqualTo(1);
        assertThat(replayed.lastOutcome()).isEqualTo("still unsupported");

        deadLetters.discard(saved.id());
        assertThat(deadLetters.find(saved.id()).orElseThrow().status()).isEqualTo(DeadLetter.Status.DISCARDED);
        assertThat(deadLetters.list(DeadLetter.Status.NEW, source, 10)).isEmpty();
        assertThat(deadLetters.list(null, source, 10)).hasSize(1);
    }

    // ---------------------------------------------------------------- helpers

    private static MessageReceipt receipt(String messageId, String hash) {
        return new MessageReceipt("hl7v2", "MAYO", messageId, hash, "MAYO");
    }

    /** A Patient conditionally created by MRN and one Observation about them. */
    private static Bundle patientWithResult(String mrn, String test) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        Patient patient = AbstractFhirServerIT.patient("Ayesha", "Bibi", "1991-02-03");
        patient.addIdentifier().setSystem(MRN).setValue(mrn);
        String patientUrl = "urn:uuid:" + UUID.nameUUIDFromBytes(mrn.getBytes(StandardCharsets.UTF_8));
        bundle.addEntry()
                .setFullUrl(patientUrl)
                .setResource(patient)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient")
                .setIfNoneExist("identifier=" + MRN + "|" + mrn);
        Observation result = AbstractFhirServerIT.observation(new IdType(patientUrl), "718-7", test, 12.1);
        bundle.addEntry()
                .setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(result)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Observation");
        return bundle;
    }

    private int count(String query) {
        return server.fhir()
                .search()
                .byUrl(server.fhirBase() + "/" + query + "&_summary=count")
                .returnBundle(Bundle.class)
                .execute()
                .getTotal();
    }

    private static <T> List<T> runConcurrently(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<T> results = new ArrayList<>();
            for (Future<T> future : pool.invokeAll(tasks)) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
