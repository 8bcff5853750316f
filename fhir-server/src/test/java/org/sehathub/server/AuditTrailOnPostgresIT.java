package org.sehathub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sehathub.mappers.NamingSystems;
import org.sehathub.server.audit.AuditEventWriter;
import org.sehathub.server.audit.AuditEvents;
import org.sehathub.server.audit.AuditRetention;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The audit trail over real HTTP on PostgreSQL: an AuditEvent for every FHIR interaction, allowed
 * or refused, naming the client, what was asked and the outcome; readable by operators and privacy
 * officers only, writable by no client; old events deleted after the retention.
 */
@PostgresServerTest
class AuditTrailOnPostgresIT {

    @LocalServerPort
    int port;

    @Autowired
    AuditEventWriter writer;

    @Autowired
    AuditRetention retention;

    FhirTestClient operator;
    Instant started;

    @BeforeEach
    void connect() {
        operator = new FhirTestClient(port);
        started = Instant.now().minusSeconds(1);
    }

    @Test
    void everyInteractionAllowedOrRefusedLeavesAnAuditEventNamingTheClientWhatAndTheOutcome() {
        Patient mayo = new Patient();
        mayo.addName().setFamily("Audited");
        mayo.getMeta().addTag(NamingSystems.FACILITY_TAG, "mayo-hospital-lahore", null);
        IIdType own = operator.fhir().create().resource(mayo).execute().getId().toVersionless();
        Patient services = new Patient();
        services.getMeta().addTag(NamingSystems.FACILITY_TAG, "services-hospital-lahore", null);
        IIdType other =
                operator.fhir().create().resource(services).execute().getId().toVersionless();

        FhirTestClient hospital = new FhirTestClient(port, TestClients.HOSPITAL);
        assertThat(hospital.get("/fhir/Patient/" + own.getIdPart()).statusCode())
                .isEqualTo(200);
        assertThat(hospital.get("/fhir/Patient/" + other.getIdPart()).statusCode())
                .isEqualTo(404);
        assertThat(hospital.get("/fhir/Patient?family=Audited").statusCode()).isEqualTo(200);
        assertThat(hospital.get("/fhir/Patient/" + own.getIdPart() + "/$everything")
                        .statusCode())
                .isEqualTo(200);
        FhirTestClient analyst = new FhirTestClient(port, TestClients.ANALYST);
        assertThat(analyst.get("/fhir/Patient/" + own.getIdPart()).statusCode()).isEqualTo(403);
        assertThat(operator.get("/fhir/$export?_type=Organization", "Prefer", "respond-async")
                        .statusCode())
                .isEqualTo(202);
        Bundle history = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        Patient sent = new Patient();
        sent.setId(org.hl7.fhir.r4.model.IdType.newRandomUuid());
        history.addEntry()
                .setFullUrl(sent.getId())
                .setResource(sent)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient");
        org.hl7.fhir.r4.model.Observation pulse = new org.hl7.fhir.r4.model.Observation();
        pulse.setStatus(org.hl7.fhir.r4.model.Observation.ObservationStatus.FINAL)
                .getCode()
                .setText("Pulse");
        pulse.setSubject(new org.hl7.fhir.r4.model.Reference(sent.getId()));
        history.addEntry()
                .setResource(pulse)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Observation");
        Bundle stored = operator.fhir().transaction().withBundle(history).execute();
        String sentPatient = new org.hl7.fhir.r4.model.IdType(
                        stored.getEntry().get(0).getResponse().getLocation())
                .getIdPart();

        // Operations and Bundles are recorded once their answer has gone out: wait for the last of them.
        String lastPatient = sentPatient;
        List<AuditEvent> events = org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(15))
                .until(
                        this::eventsSinceStart,
                        all -> all.stream()
                                        .anyMatch(
                                                about("Patient/" + lastPatient).and(subtype("transaction")))
                                && all.stream().anyMatch(subtype("$export")));
        assertThat(events)
                .as("the operator's create")
                .anyMatch(by("test-operator")
                        .and(outcome(AuditEventOutcome._0))
                        .and(e -> e.getAction() == AuditEvent.AuditEventAction.C)
                        .and(about("Patient/" + own.getIdPart())));
        assertThat(events)
                .as("the hospital's read")
                .anyMatch(by("test-hospital")
                        .and(outcome(AuditEventOutcome._0))
                        .and(e -> e.getAction() == AuditEvent.AuditEventAction.R)
                        .and(about("Patient/" + own.getIdPart())));
        assertThat(events)
                .as("the hospital's search")
                .anyMatch(by("test-hospital")
                        .and(outcome(AuditEventOutcome._0))
                        .and(e -> e.getAction() == AuditEvent.AuditEventAction.E));
        assertThat(events)
                .as("the hospital's read of what it may not see")
                .anyMatch(by("test-hospital")
                        .and(outcome(AuditEventOutcome._4))
                        .and(about("Patient/" + other.getIdPart()))
                        .and(e -> e.getOutcomeDesc().startsWith("404")));
        assertThat(events)
                .as("one event for the whole transaction")
                .filteredOn(about("Patient/" + sentPatient))
                .singleElement()
                .satisfies(e -> {
                    assertThat(subtype("transaction").test(e)).isTrue();
                    assertThat(e.getOutcomeDesc()).isEqualTo("2 created, 0 updated, 0 deleted");
                });
        assertThat(events)
                .as("the hospital's $everything")
                .anyMatch(by("test-hospital").and(subtype("$everything")).and(about("Patient/" + own.getIdPart())));
        assertThat(events)
                .as("the operator's export")
                .anyMatch(by("test-operator").and(subtype("$export")));
        assertThat(events)
                .as("the analyst's refused read")
                .anyMatch(by("test-analyst")
                        .and(outcome(AuditEventOutcome._4))
                        .and(about("Patient/" + own.getIdPart()))
                        .and(e -> e.getOutcomeDesc().startsWith("403")));
        Bundle aboutHer = operator.fhir()
                .search()
                .byUrl(operator.fhirBase() + "/AuditEvent?entity-name:exact=Patient/" + own.getIdPart() + "&_count=100")
                .returnBundle(Bundle.class)
                .execute();
        assertThat(aboutHer.getEntry()).as("found by the patient").hasSizeGreaterThanOrEqualTo(3);
        // A search's query is kept (BALP: what was asked, for the privacy officer); nothing else
        // in an event quotes what a resource holds.
        assertThat(events).as("no names outside a search's query").noneMatch(e -> {
            AuditEvent copy = e.copy();
            copy.getEntity()
                    .forEach(en ->
                            en.setQuery(null).setDescription(null).getDetail().clear());
            return FhirTestClient.FHIR
                    .newJsonParser()
                    .encodeResourceToString(copy)
                    .contains("Audited");
        });
    }

    @Test
    void theCapabilityStatementOffersAuditEventReadAndSearchOnlyWithTheParametersServed() {
        org.hl7.fhir.r4.model.CapabilityStatement statement = operator.fhir()
                .capabilities()
                .ofType(org.hl7.fhir.r4.model.CapabilityStatement.class)
                .execute();
        org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent audit =
                statement.getRestFirstRep().getResource().stream()
                        .filter(r -> "AuditEvent".equals(r.getType()))
                        .findFirst()
                        .orElseThrow();
        assertThat(audit.getInteraction())
                .extracting(i -> i.getCode().toCode())
                .containsExactlyInAnyOrder("read", "search-type");
        assertThat(audit.getSearchParam())
                .extracting(p -> p.getName())
                .contains("patient", "date", "agent-name", "outcome")
                .doesNotContain("site", "policy", "source");
        org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent patient =
                statement.getRestFirstRep().getResource().stream()
                        .filter(r -> "Patient".equals(r.getType()))
                        .findFirst()
                        .orElseThrow();
        assertThat(patient.getInteraction())
                .extracting(i -> i.getCode().toCode())
                .as("other types untouched")
                .contains("create", "update");
    }

    @Test
    void privacyOfficersReadTheTrailAndNothingElse() {
        operator.fhir().create().resource(new Patient().setActive(true)).execute();
        writer.flush();
        FhirTestClient privacy = new FhirTestClient(port, TestClients.PRIVACY);

        HttpResponse<byte[]> trail = privacy.get("/fhir/AuditEvent?agent-name=test-operator&_count=5");
        assertThat(trail.statusCode()).isEqualTo(200);
        assertThat(new String(trail.body(), StandardCharsets.UTF_8)).contains("\"resourceType\":\"AuditEvent\"");
        assertThat(privacy.get("/fhir/Patient").statusCode()).isEqualTo(403);
        assertThat(privacy.get("/fhir/Observation").statusCode()).isEqualTo(403);
        for (TestClients.Client other : List.of(TestClients.HOSPITAL, TestClients.APP, TestClients.ANALYST)) {
            assertThat(new FhirTestClient(port, other).get("/fhir/AuditEvent").statusCode())
                    .as(other.id())
                    .isEqualTo(403);
        }
    }

    @Test
    void noClientCanWriteChangeOrDeleteAnAuditEventNotEvenAnOperator() {
        writer.recordAuditEvent(AuditEvents.event(
                AuditEvents.restType(),
                AuditEvents.subtype("test"),
                AuditEvent.AuditEventAction.E,
                AuditEventOutcome._0,
                null,
                new org.hl7.fhir.r4.model.Reference()
                        .setIdentifier(
                                new org.hl7.fhir.r4.model.Identifier().setValue("protection-" + UUID.randomUUID()))));
        writer.flush();
        AuditEvent stored = (AuditEvent) operator.fhir()
                .search()
                .byUrl(operator.fhirBase() + "/AuditEvent?subtype=test&_count=1")
                .returnBundle(Bundle.class)
                .execute()
                .getEntryFirstRep()
                .getResource();
        String path = "/fhir/AuditEvent/" + stored.getIdElement().getIdPart();
        String body = FhirTestClient.FHIR.newJsonParser().encodeResourceToString(stored.setOutcomeDesc("forged"));

        for (TestClients.Client client : List.of(TestClients.OPERATOR, TestClients.HOSPITAL, TestClients.PRIVACY)) {
            FhirTestClient caller = new FhirTestClient(port, client);
            assertThat(caller.send(
                                    json(HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.ofString(body))),
                                    "/fhir/AuditEvent")
                            .statusCode())
                    .as(client.id() + " create")
                    .isIn(403, 404);
            assertThat(caller.send(json(HttpRequest.newBuilder().PUT(HttpRequest.BodyPublishers.ofString(body))), path)
                            .statusCode())
                    .as(client.id() + " update")
                    .isIn(403, 404);
            assertThat(caller.send(HttpRequest.newBuilder().DELETE(), path).statusCode())
                    .as(client.id() + " delete")
                    .isIn(403, 404);
            assertThat(caller.send(
                                    HttpRequest.newBuilder()
                                            .method("PATCH", HttpRequest.BodyPublishers.ofString("[]"))
                                            .header("Content-Type", "application/json-patch+json"),
                                    path)
                            .statusCode())
                    .as(client.id() + " patch")
                    .isIn(403, 404);
            String transaction = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":"
                    + body + ",\"request\":{\"method\":\"POST\",\"url\":\"AuditEvent\"}}]}";
            assertThat(caller.send(
                                    json(HttpRequest.newBuilder()
                                            .POST(HttpRequest.BodyPublishers.ofString(transaction))),
                                    "/fhir")
                            .statusCode())
                    .as(client.id() + " in a transaction")
                    .isIn(403, 404);
        }
        AuditEvent after = operator.fhir()
                .read()
                .resource(AuditEvent.class)
                .withId(stored.getIdElement().getIdPart())
                .execute();
        assertThat(after.getMeta().getVersionId()).isEqualTo("1");
        assertThat(after.hasOutcomeDesc()).isFalse();
    }

    @Test
    void theTrailIsSearchedByClientPatientOutcomeKindAndTimeAndPagedOldestFirst() {
        String marker = "search-" + UUID.randomUUID();
        String patient = "Patient/" + marker;
        for (int i = 0; i < 5; i++) {
            AuditEvent event = AuditEvents.event(
                    AuditEvents.restType(),
                    AuditEvents.subtype(marker),
                    AuditEvent.AuditEventAction.R,
                    i == 4 ? AuditEventOutcome._4 : AuditEventOutcome._0,
                    null,
                    new org.hl7.fhir.r4.model.Reference()
                            .setIdentifier(new org.hl7.fhir.r4.model.Identifier()
                                    .setValue(i < 3 ? "clinic-app" : "clinic-app-2")));
            event.setRecorded(Date.from(Instant.parse("2026-01-0" + (i + 1) + "T10:00:00Z")));
            AuditEvents.patient(event, new org.hl7.fhir.r4.model.Reference(patient));
            writer.recordAuditEvent(event);
        }
        writer.flush();
        String base = "/AuditEvent?subtype=" + marker;

        // Paged by offset, two at a time, oldest first, each page's next link repeating the search.
        List<String> dates = new java.util.ArrayList<>();
        Bundle page = search(base + "&_count=2");
        assertThat(page.getTotal()).isEqualTo(5);
        int pages = 0;
        while (true) {
            pages++;
            assertThat(page.getEntry()).hasSizeLessThanOrEqualTo(2);
            page.getEntry()
                    .forEach(e -> dates.add(
                            ((AuditEvent) e.getResource()).getRecordedElement().getValueAsString()));
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                break;
            }
            assertThat(page.getLink(Bundle.LINK_NEXT).getUrl())
                    .contains("subtype=" + marker)
                    .contains("_offset=");
            page = operator.fhir().loadPage().next(page).execute();
        }
        assertThat(pages).isEqualTo(3);
        assertThat(dates).hasSize(5).isSorted();
        assertThat(search(base + "&_sort=-date&_count=1").getEntryFirstRep().getResource())
                .satisfies(e -> assertThat(((AuditEvent) e).getRecordedElement().getValueAsString())
                        .startsWith("2026-01-05"));

        // Who (exact or, as FHIR strings are, by prefix), the patient, the outcome, the time.
        assertThat(search(base + "&agent-name:exact=clinic-app").getTotal()).isEqualTo(3);
        assertThat(search(base + "&agent-name=CLINIC-APP").getTotal()).isEqualTo(5);
        assertThat(search(base + "&agent-name=clinic-app-2,nobody").getTotal()).isEqualTo(2);
        assertThat(search(base + "&patient=" + patient).getTotal()).isEqualTo(5);
        assertThat(search(base + "&entity-name:exact=" + patient).getTotal()).isEqualTo(5);
        assertThat(search("/AuditEvent?patient=Patient/" + UUID.randomUUID()).getTotal())
                .isZero();
        assertThat(search(base + "&outcome=4").getEntry())
                .singleElement()
                .satisfies(e ->
                        assertThat(((AuditEvent) e.getResource()).getOutcome()).isEqualTo(AuditEventOutcome._4));
        assertThat(search(base + "&date=ge2026-01-02&date=lt2026-01-04").getTotal())
                .isEqualTo(2);
        assertThat(search(base + "&date=2026-01-03").getTotal()).isEqualTo(1);
        assertThat(search(base + "&type=rest&action=R").getTotal()).isEqualTo(5);

        // Each event read by id, as stored, version 1; an id never used is 404.
        AuditEvent first =
                (AuditEvent) search(base + "&_count=1").getEntryFirstRep().getResource();
        assertThat(operator.fhir()
                        .read()
                        .resource(AuditEvent.class)
                        .withId(first.getIdElement().getIdPart())
                        .execute()
                        .getMeta()
                        .getVersionId())
                .isEqualTo("1");
        assertThat(operator.get("/fhir/AuditEvent/999999999").statusCode()).isEqualTo(404);
        assertThat(operator.get("/fhir/AuditEvent/not-a-number").statusCode()).isEqualTo(404);
        assertThat(operator.get("/fhir" + base + "&_sort=agent-name").statusCode())
                .isEqualTo(400);
        assertThat(operator.get("/fhir" + base + "&unknown-parameter=1").statusCode())
                .isEqualTo(400);
    }

    private Bundle search(String query) {
        return operator.fhir()
                .search()
                .byUrl(operator.fhirBase() + query)
                .returnBundle(Bundle.class)
                .execute();
    }

    @Test
    void eventsOlderThanTheRetentionAreDeletedForGood() {
        String marker = "retention-" + UUID.randomUUID();
        AuditEvent old = AuditEvents.event(
                AuditEvents.restType(),
                AuditEvents.subtype(marker),
                AuditEvent.AuditEventAction.R,
                AuditEventOutcome._0,
                null,
                new org.hl7.fhir.r4.model.Reference());
        old.setRecorded(Date.from(Instant.now().minus(Duration.ofDays(3000))));
        AuditEvent recent = AuditEvents.event(
                AuditEvents.restType(),
                AuditEvents.subtype(marker),
                AuditEvent.AuditEventAction.R,
                AuditEventOutcome._0,
                null,
                new org.hl7.fhir.r4.model.Reference());
        writer.recordAuditEvent(old);
        writer.recordAuditEvent(recent);
        writer.flush();
        assertThat(withSubtype(marker)).hasSize(2);

        assertThat(retention.purge()).isGreaterThanOrEqualTo(1);

        assertThat(withSubtype(marker))
                .singleElement()
                .satisfies(e -> assertThat(e.getRecorded())
                        .isAfter(Date.from(Instant.now().minus(Duration.ofDays(1)))));
    }

    @Test
    void tokensIssuedAndRefusedIngestedAndRefusedMessagesAndDeadLetterReadsAreAudited() {
        FhirTestClient hospital = new FhirTestClient(port, TestClients.HOSPITAL);
        assertThat(hospital.requestToken("system/Patient.rs").statusCode()).isEqualTo(200);
        assertThat(hospital.requestToken("system/Patient.rs not-a-scope").statusCode())
                .isEqualTo(400);

        String mrn = "MR-" + UUID.randomUUID();
        String controlId = "AUDIT-" + UUID.randomUUID();
        HttpResponse<byte[]> stored = hospital.send(hl7(registration(mrn, controlId, "19900101")), "/ingest/hl7v2");
        assertThat(stored.statusCode()).isEqualTo(200);
        String badId = "AUDIT-BAD-" + UUID.randomUUID();
        HttpResponse<byte[]> refused = hospital.send(hl7(registration(mrn, badId, "19902301")), "/ingest/hl7v2");
        assertThat(refused.statusCode()).isEqualTo(422);
        writer.flush();
        AuditEvent refusal = eventsSinceStart().stream()
                .filter(aboutMessage(badId))
                .findFirst()
                .orElseThrow();
        long deadLetter = Long.parseLong(refusal.getEntity().stream()
                .filter(e -> e.getWhat().getIdentifier().getSystem() != null
                        && e.getWhat().getIdentifier().getSystem().endsWith("/dead-letter"))
                .findFirst()
                .orElseThrow()
                .getWhat()
                .getIdentifier()
                .getValue());
        assertThat(operator.get("/ingest/dead-letters/" + deadLetter).statusCode())
                .isEqualTo(200);
        assertThat(operator.get("/ingest/dead-letters/987654321").statusCode()).isEqualTo(404);
        assertThat(new FhirTestClient(port, null, "")
                        .get("/fhir/Patient?name=Khan")
                        .statusCode())
                .isEqualTo(401);
        assertThat(hospital.get("/ingest/dead-letters").statusCode()).isEqualTo(403);

        List<AuditEvent> events = eventsSinceStart();
        assertThat(events)
                .as("the token issued")
                .anyMatch(by("test-hospital").and(subtype("token")).and(outcome(AuditEventOutcome._0)));
        assertThat(events)
                .as("the token refused")
                .anyMatch(by("test-hospital")
                        .and(subtype("token"))
                        .and(outcome(AuditEventOutcome._4))
                        .and(e -> "invalid_scope".equals(e.getOutcomeDesc())));
        assertThat(events)
                .as("the message stored, with its patient")
                .anyMatch(by("test-hospital")
                        .and(subtype("ingest"))
                        .and(outcome(AuditEventOutcome._0))
                        .and(aboutMessage(controlId))
                        .and(e -> e.getEntity().stream()
                                .anyMatch(en -> en.getName() != null
                                        && en.getName().startsWith("Patient/")
                                        && "1".equals(en.getRole().getCode()))));
        assertThat(refusal).as("the message refused").satisfies(e -> {
            assertThat(by("test-hospital").test(e)).isTrue();
            assertThat(e.getOutcome()).isEqualTo(AuditEventOutcome._4);
            assertThat(e.getOutcomeDesc()).startsWith("unmappable at PID-7").doesNotContain("19902301");
        });
        assertThat(events)
                .as("a request without a token")
                .anyMatch(by("anonymous")
                        .and(subtype("request"))
                        .and(outcome(AuditEventOutcome._4))
                        .and(e -> "401 GET /fhir/Patient".equals(e.getOutcomeDesc())));
        assertThat(events)
                .as("a request beyond the role")
                .anyMatch(by("test-hospital")
                        .and(subtype("request"))
                        .and(e -> "403 GET /ingest/dead-letters".equals(e.getOutcomeDesc())));
        assertThat(events)
                .as("the dead letter read")
                .anyMatch(by("test-operator").and(subtype("dead-letter-read")).and(outcome(AuditEventOutcome._0)));
        assertThat(events)
                .as("an unknown dead letter asked for")
                .anyMatch(by("test-operator").and(subtype("dead-letter-read")).and(outcome(AuditEventOutcome._4)));
    }

    // ================================================================ helpers

    private static HttpRequest.Builder hl7(String message) {
        return HttpRequest.newBuilder()
                .POST(HttpRequest.BodyPublishers.ofString(message))
                .header("Content-Type", "x-application/hl7-v2+er7");
    }

    private static String registration(String mrn, String controlId, String birthDate) {
        return String.join(
                "\r",
                "MSH|^~\\&|MAYO-HIS|Mayo Hospital Lahore|SEHATHUB|SEHATHUB|20240315101500+0500||ADT^A04^ADT_A01|"
                        + controlId + "|P|2.5",
                "EVN|A04|20240315101500",
                "PID|1||" + mrn + "^^^Mayo Hospital Lahore^MR||Khan^Ayesha||" + birthDate + "|F",
                "PV1|1|O");
    }

    private static Predicate<AuditEvent> subtype(String code) {
        return e -> e.getSubtype().stream().anyMatch(c -> code.equals(c.getCode()));
    }

    private static Predicate<AuditEvent> aboutMessage(String controlId) {
        return e -> e.getEntity().stream()
                .anyMatch(en -> en.getWhat().hasIdentifier()
                        && en.getWhat().getIdentifier().getValue() != null
                        && en.getWhat().getIdentifier().getValue().endsWith("|" + controlId));
    }

    private List<AuditEvent> withSubtype(String code) {
        return operator
                .fhir()
                .search()
                .byUrl(operator.fhirBase() + "/AuditEvent?subtype=" + code + "&_count=50")
                .returnBundle(Bundle.class)
                .execute()
                .getEntry()
                .stream()
                .map(e -> (AuditEvent) e.getResource())
                .toList();
    }

    private List<AuditEvent> eventsSinceStart() {
        writer.flush();
        List<AuditEvent> events = new java.util.ArrayList<>();
        Bundle page = operator.fhir()
                .search()
                .byUrl(operator.fhirBase() + "/AuditEvent?date=ge" + started + "&_count=200")
                .returnBundle(Bundle.class)
                .execute();
        while (true) {
            page.getEntry().forEach(e -> events.add((AuditEvent) e.getResource()));
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                return events;
            }
            page = operator.fhir().loadPage().next(page).execute();
        }
    }

    private static Predicate<AuditEvent> by(String clientId) {
        return e -> e.getAgent().stream()
                .anyMatch(a -> a.getWho().hasIdentifier()
                        && clientId.equals(a.getWho().getIdentifier().getValue()));
    }

    private static Predicate<AuditEvent> outcome(AuditEventOutcome outcome) {
        return e -> e.getOutcome() == outcome;
    }

    /** Names the resource, as the trail keeps it: an identifier, not a reference (AuditEventWriter#detach). */
    private static Predicate<AuditEvent> about(String resource) {
        return e -> e.getEntity().stream()
                .anyMatch(en -> AuditEventWriter.RESOURCE_SYSTEM.equals(
                                en.getWhat().getIdentifier().getSystem())
                        && resource.equals(en.getWhat().getIdentifier().getValue())
                        && resource.equals(en.getName()));
    }

    private static HttpRequest.Builder json(HttpRequest.Builder request) {
        return request.header("Content-Type", "application/fhir+json");
    }
}
