package org.sehathub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
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
import org.sehathub.server.ingest.KnownReferenceData;
import org.sehathub.server.security.FacilityTagging;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The server's side of ingest on PostgreSQL: the in-process sink stores a bundle and its receipt
 * together, exactly once, under concurrency; the dead-letter store keeps what was refused.
 */
@PostgresServerTest
class IngestStorageOnPostgresIT {

    private static final String MRN = "https://fhir.sehathub.pk/sid/mrn/mayo-hospital-lahore";
    private static final String FACILITY = "https://fhir.sehathub.pk/sid/facility";

    @Autowired
    BundleSink sink;

    @Autowired
    DeadLetterStore deadLetters;

    @Autowired
    KnownReferenceData referenceData;

    @Autowired
    DataSource dataSource;

    @Autowired
    MeterRegistry meters;

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

    // ---------------------------------------------------------------- reference data

    @Test
    void referenceDataStoredOnceIsLeftOutOfLaterMessagesWhoseResourcesPointAtIt() {
        String facility = "facility-" + UUID.randomUUID();
        String doctor = "dr-" + UUID.randomUUID();
        send(message(facility, doctor, "Hemoglobin"));
        Bundle second = message(facility, doctor, "Glucose");
        assertThat(referenceData.shorten(taggedAsTheSinkStoresIt(second)).skipped())
                .isEqualTo(2);

        StoreOutcome stored = send(second);

        assertThat(stored.resourceIds())
                .noneMatch(id -> id.startsWith("Organization/") || id.startsWith("Practitioner/"));
        assertThat(performers(stored)).containsExactly(organizationId(facility), "Practitioner/" + doctor);
        assertThat(count("Organization?identifier=" + FACILITY + "|" + facility))
                .isEqualTo(1);
        assertThat(server.fhir()
                        .read()
                        .resource(Practitioner.class)
                        .withId(doctor)
                        .execute()
                        .getMeta()
                        .getVersionId())
                .isEqualTo("1");
    }

    @Test
    void aDoctorChangedThroughTheApiIsWrittenAgainByTheNextMessage() {
        String facility = "facility-" + UUID.randomUUID();
        String doctor = "dr-" + UUID.randomUUID();
        send(message(facility, doctor, "Hemoglobin"));
        Practitioner renamed =
                server.fhir().read().resource(Practitioner.class).withId(doctor).execute();
        renamed.getNameFirstRep().setText("Dr Asma Niazi");
        server.fhir().update().resource(renamed).execute();

        send(message(facility, doctor, "Glucose"));

        Practitioner now =
                server.fhir().read().resource(Practitioner.class).withId(doctor).execute();
        assertThat(now.getNameFirstRep().getText()).isEqualTo("Dr Asma Khan");
        assertThat(now.getMeta().getVersionId()).isEqualTo("3");
    }

    @Test
    void aStaleMemoryCostsAWholeRetryNeverTheMessage() {
        // What another server on the same database would leave behind: it deleted the facility's
        // Organization, and this server still holds the id.
        String facility = "facility-" + UUID.randomUUID();
        String doctor = "dr-" + UUID.randomUUID();
        Bundle organizationOnly = withReferenceData(
                new Bundle().setType(Bundle.BundleType.TRANSACTION), facility, doctor, "Dr Asma Khan");
        organizationOnly.getEntry().remove(1);
        KnownReferenceData.Shortened planted = referenceData.shorten(organizationOnly);
        Bundle gone = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
        gone.addEntry().getResponse().setStatus("201 Created").setLocation("Organization/999999999/_history/1");
        referenceData.remember(planted, gone);
        Bundle message = message(facility, doctor, "Hemoglobin");
        assertThat(referenceData.shorten(taggedAsTheSinkStoresIt(message)).skipped())
                .isEqualTo(1);

        StoreOutcome stored = send(message);

        assertThat(performers(stored)).containsExactly(organizationId(facility), "Practitioner/" + doctor);
    }

    // ---------------------------------------------------------------- group commit

    @Test
    void messagesArrivingTogetherShareOneTransactionAndEachKeepsItsOwnReceipt() throws Exception {
        List<String> mrns = new ArrayList<>();
        List<MessageReceipt> receipts = new ArrayList<>();
        List<Callable<StoreOutcome>> queued = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String mrn = "MRN-" + i + "-" + UUID.randomUUID();
            MessageReceipt receipt = receipt("MSG-" + UUID.randomUUID(), "hash-" + i);
            mrns.add(mrn);
            receipts.add(receipt);
            queued.add(() -> sink.store(patientWithResult(mrn, "Hemoglobin"), receipt));
        }
        double groupsBefore = groupCommits();
        double retriedBefore = retriedAlone();

        List<StoreOutcome> outcomes = whileBothTransactionsAreBusy(queued);

        assertThat(groupCommits()).isEqualTo(groupsBefore + 1);
        assertThat(retriedAlone()).isEqualTo(retriedBefore);
        for (int i = 0; i < 4; i++) {
            StoreOutcome outcome = outcomes.get(i);
            assertThat(outcome.duplicate()).isFalse();
            // Each receipt lists its own message's Patient and Observation, none of its neighbours'.
            assertThat(outcome.resourceIds())
                    .containsExactlyInAnyOrder(
                            onlyId("Patient?identifier=" + MRN + "|" + mrns.get(i)),
                            onlyId("Observation?subject.identifier=" + MRN + "|" + mrns.get(i)));
            StoreOutcome resend = sink.store(patientWithResult(mrns.get(i), "Hemoglobin"), receipts.get(i));
            assertThat(resend.duplicate()).isTrue();
            assertThat(resend.resourceIds()).isEqualTo(outcome.resourceIds());
        }
    }

    @Test
    void aMessageRefusedInAGroupFailsAloneAndItsNeighboursAreStored() throws Exception {
        List<String> mrns = new ArrayList<>();
        List<Callable<StoreOutcome>> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String mrn = "MRN-" + i + "-" + UUID.randomUUID();
            mrns.add(mrn);
            queued.add(
                    () -> sink.store(patientWithResult(mrn, "Hemoglobin"), receipt("MSG-" + UUID.randomUUID(), "h")));
        }
        String brokenMrn = "MRN-broken-" + UUID.randomUUID();
        Bundle broken = patientWithResult(brokenMrn, "Hemoglobin");
        ((Observation) broken.getEntry().get(1).getResource())
                .getSubject()
                .setReference("Patient/not-there-" + brokenMrn);
        queued.add(1, () -> sink.store(broken, receipt("MSG-" + UUID.randomUUID(), "h")));
        double retriedBefore =
                meters.get("sehat.ingest.group.retried.alone").counter().count();

        List<Future<StoreOutcome>> outcomes = whileBothTransactionsAreBusyFutures(queued);

        assertThatThrownBy(() -> outcomes.get(1).get()).hasCauseInstanceOf(BundleRejectedException.class);
        for (int i : List.of(0, 2, 3)) {
            assertThat(outcomes.get(i).get().duplicate()).isFalse();
        }
        for (String mrn : mrns) {
            assertThat(count("Observation?subject.identifier=" + MRN + "|" + mrn))
                    .isEqualTo(1);
        }
        assertThat(count("Patient?identifier=" + MRN + "|" + brokenMrn)).isZero();
        assertThat(retriedAlone()).isEqualTo(retriedBefore + 4);
    }

    /**
     * Runs {@code queued} while group commit's two transactions are held up (each of two messages
     * waits for a receipt row this test holds uncommitted), so that they queue and are then stored
     * together when the two finish.
     */
    private List<StoreOutcome> whileBothTransactionsAreBusy(List<Callable<StoreOutcome>> queued) throws Exception {
        List<StoreOutcome> outcomes = new ArrayList<>();
        for (Future<StoreOutcome> outcome : whileBothTransactionsAreBusyFutures(queued)) {
            outcomes.add(outcome.get());
        }
        return outcomes;
    }

    private List<Future<StoreOutcome>> whileBothTransactionsAreBusyFutures(List<Callable<StoreOutcome>> queued)
            throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        try (Connection blocker = dataSource.getConnection()) {
            blocker.setAutoCommit(false);
            List<Future<StoreOutcome>> blocked = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                MessageReceipt receipt = receipt("MSG-blocked-" + UUID.randomUUID(), "hash");
                try (PreparedStatement insert = blocker.prepareStatement("INSERT INTO sehat_message_receipt"
                        + " (channel, sender, message_id, content_hash, resource_ids, stored_at)"
                        + " VALUES (?, ?, ?, 'held', '', now())")) {
                    insert.setString(1, receipt.channel());
                    insert.setString(2, receipt.sender());
                    insert.setString(3, receipt.messageId());
                    insert.executeUpdate();
                }
                String mrn = "MRN-blocked-" + UUID.randomUUID();
                blocked.add(pool.submit(() -> sink.store(patientWithResult(mrn, "Glucose"), receipt)));
                awaitGauge("sehat.ingest.store.running", i + 1);
            }
            List<Future<StoreOutcome>> outcomes = new ArrayList<>();
            for (Callable<StoreOutcome> message : queued) {
                outcomes.add(pool.submit(message));
                awaitGauge("sehat.ingest.store.waiting", outcomes.size());
            }
            blocker.rollback();
            for (Future<StoreOutcome> message : blocked) {
                assertThat(message.get(60, TimeUnit.SECONDS).duplicate()).isFalse();
            }
            for (Future<StoreOutcome> outcome : outcomes) {
                try {
                    outcome.get(60, TimeUnit.SECONDS);
                } catch (ExecutionException refused) {
                    // Looked at by the caller.
                }
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private void awaitGauge(String name, double value) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(10))
                .untilAsserted(() ->
                        assertThat(meters.get(name).gauge().value()).as(name).isEqualTo(value));
    }

    private double groupCommits() {
        return meters.get("sehat.ingest.group.commits").counter().count();
    }

    private double retriedAlone() {
        return meters.get("sehat.ingest.group.retried.alone").counter().count();
    }

    private String onlyId(String query) {
        Bundle found = server.fhir()
                .search()
                .byUrl(server.fhirBase() + "/" + query)
                .returnBundle(Bundle.class)
                .execute();
        assertThat(found.getEntry()).hasSize(1);
        return found.getEntryFirstRep()
                .getResource()
                .getIdElement()
                .toUnqualifiedVersionless()
                .getValue();
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

    /** A message of {@code facility} naming {@code doctor}: a new patient with one result. */
    private static Bundle message(String facility, String doctor, String test) {
        return withReferenceData(patientWithResult("MRN-" + UUID.randomUUID(), test), facility, doctor, "Dr Asma Khan");
    }

    private StoreOutcome send(Bundle message) {
        return sink.store(message, receipt("MSG-" + UUID.randomUUID(), "hash-1"));
    }

    /**
     * Adds what our mappers send with every message: the facility's Organization (conditional
     * create) and the doctor (update by id), both named by the message's Observation.
     */
    private static Bundle withReferenceData(Bundle bundle, String facility, String doctorId, String doctorName) {
        String organizationUrl = "urn:uuid:" + UUID.nameUUIDFromBytes(facility.getBytes(StandardCharsets.UTF_8));
        String doctorUrl = "urn:uuid:" + UUID.nameUUIDFromBytes(doctorId.getBytes(StandardCharsets.UTF_8));
        Organization organization = new Organization().setName("Civil Hospital " + facility);
        organization.addIdentifier().setSystem(FACILITY).setValue(facility);
        Practitioner doctor = new Practitioner();
        doctor.setId(doctorId);
        doctor.addName().setText(doctorName);
        bundle.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(Observation.class::isInstance)
                .map(Observation.class::cast)
                .forEach(o -> {
                    o.addPerformer(new Reference(organizationUrl));
                    o.addPerformer(new Reference(doctorUrl));
                });
        Bundle.BundleEntryComponent organizationEntry =
                new Bundle.BundleEntryComponent().setFullUrl(organizationUrl).setResource(organization);
        organizationEntry
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Organization")
                .setIfNoneExist("identifier=" + FACILITY + "|" + facility);
        Bundle.BundleEntryComponent doctorEntry =
                new Bundle.BundleEntryComponent().setFullUrl(doctorUrl).setResource(doctor);
        doctorEntry.getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl("Practitioner/" + doctorId);
        bundle.getEntry().add(0, doctorEntry);
        bundle.getEntry().add(0, organizationEntry);
        return bundle;
    }

    /** A copy with the facility tag the sink puts on every entry before it looks for known data. */
    private static Bundle taggedAsTheSinkStoresIt(Bundle bundle) {
        Bundle copy = bundle.copy();
        copy.getEntry().forEach(entry -> FacilityTagging.tag(entry.getResource(), "MAYO"));
        return copy;
    }

    private List<String> performers(StoreOutcome stored) {
        String observationId = stored.resourceIds().stream()
                .filter(id -> id.startsWith("Observation/"))
                .findFirst()
                .orElseThrow();
        return server.fhir().read().resource(Observation.class).withId(observationId).execute().getPerformer().stream()
                .map(Reference::getReference)
                .toList();
    }

    private String organizationId(String facility) {
        return server.fhir()
                .search()
                .byUrl(server.fhirBase() + "/Organization?identifier=" + FACILITY + "|" + facility)
                .returnBundle(Bundle.class)
                .execute()
                .getEntryFirstRep()
                .getResource()
                .getIdElement()
                .toUnqualifiedVersionless()
                .getValue();
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
