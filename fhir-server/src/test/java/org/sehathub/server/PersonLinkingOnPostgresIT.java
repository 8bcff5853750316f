package org.sehathub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sehathub.mappers.NamingSystems;
import org.sehathub.server.audit.AuditEventWriter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Patient linking on the real server: records are put into their person in the transaction that
 * stores them, concurrent writers of one new person make one person, the person answers
 * {@code $everything} and a CNIC search, and operators work the review queue (decisions audited,
 * kept apart for good); a corrected CNIC takes a record out of the person it no longer belongs to.
 */
@PostgresServerTest
class PersonLinkingOnPostgresIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Value("${sehat.ingest.mllp.port}")
    int mllpPort;

    @Autowired
    AuditEventWriter auditWriter;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    javax.sql.DataSource dataSource;

    FhirTestClient operatorHttp;
    IGenericClient operator;
    IGenericClient hospital;

    @BeforeEach
    void connect() {
        operatorHttp = new FhirTestClient(port);
        operator = operatorHttp.fhir();
        hospital = new FhirTestClient(port, TestClients.HOSPITAL).fhir();
    }

    /** A woman's CNIC no earlier run used: the last digit even (NADRA's sex digit for women). */
    private static String womansCnic() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "3" + (1000 + random.nextInt(9000)) + "-" + (1_000_000 + random.nextInt(9_000_000)) + "-"
                + (2 * random.nextInt(1, 5));
    }

    private static String rare(String name) {
        return TestPatients.rare(name, 4);
    }

    private String create(Patient patient) {
        return operator.create()
                .resource(patient)
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
    }

    private static Patient woman(String name, String born, String cnic, String phone, String facility) {
        return TestPatients.woman(name, null, born, cnic, phone, facility);
    }

    private String personOf(String patient) {
        return jdbc.queryForObject(
                "SELECT person_id FROM sehat_person_link WHERE patient_id = ?",
                String.class,
                patient.replace("Patient/", ""));
    }

    /** An operator's call to /admin/mpi: {@code {"status": 200, "body": ...}}. */
    private JsonNode admin(String method, String path, String body) throws IOException {
        HttpRequest.Builder request = body == null
                ? HttpRequest.newBuilder().method(method, HttpRequest.BodyPublishers.noBody())
                : HttpRequest.newBuilder()
                        .method(method, HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json");
        HttpResponse<byte[]> response = operatorHttp.send(request, "/admin/mpi" + path);
        JsonNode json = JSON.readTree(response.body());
        return JSON.createObjectNode().put("status", response.statusCode()).set("body", json);
    }

    private static String registration(String facility, String mrn, String controlId, String cnic) {
        return registration(facility, mrn, controlId, cnic, "Qureshi^Nargis", "19860714");
    }

    private static String registration(
            String facility, String mrn, String controlId, String cnic, String name, String born) {
        return String.join(
                "\r",
                "MSH|^~\\&|HIS|" + facility + "|SEHATHUB|SEHATHUB|20240315101500+0500||ADT^A04^ADT_A01|" + controlId
                        + "|P|2.5",
                "EVN|A04|20240315101500",
                "PID|1||" + mrn + "^^^" + facility + "^MR" + (cnic == null ? "" : "~" + cnic + "^^^NADRA^NI") + "||"
                        + name + "||" + born + "|F|||12 Mall Road^^Lahore^PB||0300-7654321",
                "PV1|1|O");
    }

    private String mayoRecord(String mrn) {
        return operator.search()
                .forResource(Patient.class)
                .where(Patient.IDENTIFIER
                        .exactly()
                        .systemAndCode("https://fhir.sehathub.pk/sid/mrn/mayo-hospital-lahore", mrn))
                .returnBundle(Bundle.class)
                .execute()
                .getEntryFirstRep()
                .getResource()
                .getIdElement()
                .toUnqualifiedVersionless()
                .getValue();
    }

    @Test
    void anHl7MergeFromTheFacilityMakesItsTwoRecordsOnePerson() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String survivorMrn = "MR-S-" + run;
        String priorMrn = "MR-P-" + run;
        String family = rare("Durrani");
        try (MllpTestClient mllp = new MllpTestClient(mllpPort)) {
            assertThat(MllpTestClient.ackCode(mllp.send(registration(
                            "Mayo Hospital Lahore",
                            survivorMrn,
                            "S-" + run,
                            womansCnic(),
                            family + "^Sadia",
                            "19900303"))))
                    .isEqualTo("AA");
            // A duplicate registration with the birth date mistyped beyond what the matcher forgives.
            assertThat(MllpTestClient.ackCode(mllp.send(registration(
                            "Mayo Hospital Lahore", priorMrn, "P-" + run, null, family + "^Sadia", "19750303"))))
                    .isEqualTo("AA");
            assertThat(personOf(mayoRecord(priorMrn))).isNotEqualTo(personOf(mayoRecord(survivorMrn)));

            String merge = String.join(
                    "\r",
                    "MSH|^~\\&|MAYO-HIS|Mayo Hospital Lahore|SEHATHUB|SEHATHUB|20240320093000+0500||ADT^A40^ADT_A39|M-"
                            + run + "|P|2.5",
                    "EVN|A40|20240320093000",
                    "PID|1||" + survivorMrn + "^^^Mayo Hospital Lahore^MR||" + family + "^Sadia||19900303|F",
                    "MRG|" + priorMrn + "^^^Mayo Hospital Lahore^MR");
            assertThat(MllpTestClient.ackCode(mllp.send(merge))).isEqualTo("AA");
            assertThat(personOf(mayoRecord(priorMrn))).isEqualTo(personOf(mayoRecord(survivorMrn)));

            // The retired record updated later (its birth date still the mistyped one): the
            // facility's word stands against the matcher's.
            assertThat(MllpTestClient.ackCode(mllp.send(registration(
                            "Mayo Hospital Lahore", priorMrn, "P2-" + run, null, family + "^Sadia", "19750304"))))
                    .isEqualTo("AA");
        }
        assertThat(personOf(mayoRecord(priorMrn))).isEqualTo(personOf(mayoRecord(survivorMrn)));
        assertThat(jdbc.queryForObject(
                        "SELECT link FROM sehat_person_link WHERE patient_id = ?",
                        String.class,
                        mayoRecord(priorMrn).replace("Patient/", "")))
                .isEqualTo("source");
    }

    @Test
    void eightConcurrentMessagesForOneNewWomanFromTwoFacilitiesMakeOnePerson() throws Exception {
        String cnic = womansCnic();
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String facility = i % 2 == 0 ? "Mayo Hospital Lahore" : "PIMS Islamabad";
            messages.add(registration(facility, "MR-" + run + "-" + (i % 2), "LINK-" + run + "-" + i, cnic));
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService senders = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> acks = new ArrayList<>();
            for (String message : messages) {
                acks.add(senders.submit(() -> {
                    try (MllpTestClient mllp = new MllpTestClient(mllpPort)) {
                        start.await();
                        return MllpTestClient.ackCode(mllp.send(message));
                    }
                }));
            }
            start.countDown();
            for (Future<String> ack : acks) {
                assertThat(ack.get()).isEqualTo("AA");
            }
        } finally {
            senders.shutdownNow();
        }

        List<String> records = operator
                .search()
                .forResource(Patient.class)
                .where(Patient.IDENTIFIER
                        .exactly()
                        .systemAndCode("https://fhir.sehathub.pk/sid/mrn/mayo-hospital-lahore", "MR-" + run + "-0"))
                .returnBundle(Bundle.class)
                .execute()
                .getEntry()
                .stream()
                .map(e -> e.getResource().getIdElement().getIdPart())
                .toList();
        assertThat(records).hasSize(1);
        List<String> persons = jdbc.queryForList(
                "SELECT DISTINCT l.person_id FROM sehat_person_link l JOIN sehat_person_key k"
                        + " ON k.patient_id = l.patient_id WHERE k.key = ?",
                String.class,
                "cnic:" + cnic);
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(DISTINCT patient_id) FROM sehat_person_key WHERE key = ?",
                        Integer.class,
                        "cnic:" + cnic))
                .as("one record per facility")
                .isEqualTo(2);
        assertThat(persons).as("one person").hasSize(1);
    }

    @Test
    void everythingOfOneRecordIsTheWholePersonsHistoryAndACnicSearchFindsEveryRecord() {
        String family = rare("Shaista");
        String cnic = womansCnic();
        String mayo = create(woman("Shaista " + family, "1979-03-21", cnic, "03017778899", "Mayo Hospital Lahore"));
        // No CNIC at the other hospital: linked on name, birth date and phone.
        String services =
                create(woman("Shaista " + family, "1979-03-21", null, "03017778899", "Services Hospital Lahore"));
        assertThat(personOf(services)).isEqualTo(personOf(mayo));
        String mayoResult = observation(mayo, "Mayo Hospital Lahore");
        String servicesResult = observation(services, "Services Hospital Lahore");

        assertThat(everything(operator, mayo, false))
                .as("both records and both results, from either record")
                .contains(mayo, services, mayoResult, servicesResult);
        assertThat(everything(operator, services, false)).contains(mayo, services, mayoResult, servicesResult);
        assertThat(everything(operator, mayo, true))
                .as("onlyThisRecord=true: the record asked for")
                .contains(mayo, mayoResult)
                .doesNotContain(services, servicesResult);
        assertThat(everything(hospital, mayo, false))
                .as("a hospital sees its own facilities' records only")
                .contains(mayo, mayoResult)
                .doesNotContain(services, servicesResult);

        List<String> byCnic = operator
                .search()
                .forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndCode(NamingSystems.CNIC, cnic))
                .returnBundle(Bundle.class)
                .execute()
                .getEntry()
                .stream()
                .map(e -> e.getResource()
                        .getIdElement()
                        .toUnqualifiedVersionless()
                        .getValue())
                .toList();
        assertThat(byCnic)
                .as("the person, not only the record carrying the CNIC")
                .containsExactlyInAnyOrder(mayo, services);
    }

    private String observation(String patient, String facility) {
        Observation observation = new Observation().setStatus(Observation.ObservationStatus.FINAL);
        observation.getCode().addCoding().setSystem("http://loinc.org").setCode("718-7");
        observation.setSubject(new Reference(patient));
        observation
                .getMeta()
                .addTag(NamingSystems.FACILITY_TAG, facility.toLowerCase().replace(' ', '-'), facility);
        return operator.create()
                .resource(observation)
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
    }

    private static List<String> everything(IGenericClient client, String patient, boolean onlyThisRecord) {
        var operation = client.operation()
                .onInstance(patient)
                .named("$everything")
                .withNoParameters(org.hl7.fhir.r4.model.Parameters.class)
                .useHttpGet();
        if (onlyThisRecord) {
            operation = client.operation()
                    .onInstance(patient)
                    .named("$everything")
                    .withParameter(
                            org.hl7.fhir.r4.model.Parameters.class,
                            "onlyThisRecord",
                            new org.hl7.fhir.r4.model.BooleanType(true))
                    .useHttpGet();
        }
        return FhirTestClient.ids(
                (Bundle) operation.returnResourceType(Bundle.class).execute());
    }

    @Test
    void aPossibleMatchWaitsForAnOperatorWhoseDecisionsAreAuditedAndKeptApartForGood() throws IOException {
        String name = rare("Zarghuna") + " " + rare("Nasreen");
        String mayo = create(woman(name, "1968-09-02", null, null, "Mayo Hospital Lahore"));
        // The same rare name, but no birth date: names alone never link.
        String services = create(woman(name, null, null, null, "Services Hospital Lahore"));
        assertThat(personOf(services)).isNotEqualTo(personOf(mayo));

        // Other tests leave pairs in the queue too: read from just before this pair (paging by id).
        List<Long> ids = jdbc.queryForList(
                "SELECT id FROM sehat_person_review WHERE ? IN (record_a, record_b) AND ? IN (record_a, record_b)",
                Long.class,
                mayo.replace("Patient/", ""),
                services.replace("Patient/", ""));
        assertThat(ids).as("one pair for the two records").hasSize(1);
        JsonNode queue = admin("GET", "/reviews?after=" + (ids.get(0) - 1) + "&limit=5", null)
                .get("body");
        JsonNode pair = null;
        for (JsonNode review : queue) {
            List<String> records = List.of(
                    review.get("record").asText(), review.get("candidate").asText());
            if (records.containsAll(List.of(mayo, services))) {
                pair = review;
            }
        }
        assertThat(pair).as("the pair waits in the queue").isNotNull();
        assertThat(pair.get("grade").asText()).isEqualTo("possible");
        assertThat(pair.get("evidence").toString()).contains("name");
        JsonNode countsBefore = admin("GET", "/counts", null).get("body");
        assertThat(countsBefore.get("peopleAtLeast").asLong())
                .isLessThan(countsBefore.get("people").asLong());

        JsonNode decided = admin("POST", "/reviews/" + pair.get("id").asLong(), "{\"decision\":\"same\"}");
        assertThat(decided.get("status").asInt()).isEqualTo(200);
        assertThat(decided.get("body").get("status").asText()).isEqualTo("same");
        assertThat(personOf(services)).isEqualTo(personOf(mayo));
        JsonNode person = admin("GET", "/patients/" + mayo.replace("Patient/", "") + "/person", null)
                .get("body");
        assertThat(person.get("records").findValuesAsText("record")).containsExactlyInAnyOrder(mayo, services);
        assertThat(person.get("records").findValuesAsText("link")).containsOnly("manual");
        assertThat(admin("POST", "/reviews/" + pair.get("id").asLong(), "{\"decision\":\"different\"}")
                        .get("status")
                        .asInt())
                .as("a decided review is not decided again")
                .isEqualTo(409);

        JsonNode split = admin("POST", "/patients/" + services.replace("Patient/", "") + "/split", null);
        assertThat(split.get("status").asInt()).isEqualTo(200);
        assertThat(personOf(services)).isNotEqualTo(personOf(mayo));

        // Updated with a birth date that agrees: the matcher would now link them, but the operator
        // kept them apart.
        Patient update =
                operator.read().resource(Patient.class).withId(services).execute();
        update.setBirthDateElement(new DateType("1968-09-02"));
        operator.update().resource(update).execute();
        assertThat(personOf(services)).isNotEqualTo(personOf(mayo));

        auditWriter.flush(); // the trail is written off the request's path, within 200 ms
        Bundle trail = operator.search()
                .byUrl("AuditEvent?patient=" + services + "&_count=50")
                .returnBundle(Bundle.class)
                .execute();
        assertThat(trail.getEntry().stream()
                        .map(e -> ((AuditEvent) e.getResource())
                                .getSubtypeFirstRep()
                                .getCode())
                        .toList())
                .contains("person-review-same", "person-split");
        assertThat(admin("POST", "/reviews/999999999", "{\"decision\":\"same\"}")
                        .get("status")
                        .asInt())
                .isEqualTo(404);
    }

    @Test
    void anOperatorsSplitWaitsForALinkerHoldingTheLockOfOneOfThePersonsKeys() throws Exception {
        String name = rare("Shagufta") + " " + rare("Kanwal");
        String mayo = create(woman(name, "1979-05-05", null, "03214445566", "Mayo Hospital Lahore"));
        String services = create(woman(name, "1979-05-05", null, "03214445566", "Services Hospital Lahore"));
        assertThat(personOf(services)).as("linked by the matcher").isEqualTo(personOf(mayo));
        String key = jdbc.queryForObject(
                "SELECT key FROM sehat_person_key WHERE patient_id = ? AND key NOT LIKE 'word:%' LIMIT 1",
                String.class, services.replace("Patient/", ""));

        // A linker placing a record that shares this key holds its lock until its transaction ends.
        try (java.sql.Connection linker = dataSource.getConnection()) {
            linker.setAutoCommit(false);
            try (var lock = linker.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, org.sehathub.server.mpi.PersonLinks.lockId(key));
                lock.execute();
            }
            CompletableFuture<JsonNode> split = CompletableFuture.supplyAsync(() -> {
                try {
                    return admin("POST", "/patients/" + mayo.replace("Patient/", "") + "/split", null);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThatThrownBy(() -> split.get(2, TimeUnit.SECONDS))
                    .as("the split waits for the linker")
                    .isInstanceOf(java.util.concurrent.TimeoutException.class);
            linker.commit();
            assertThat(split.get(30, TimeUnit.SECONDS).get("status").asInt()).isEqualTo(200);
        }
        assertThat(personOf(services)).isNotEqualTo(personOf(mayo));
    }

    @Test
    void aCorrectedCnicTakesARecordOutOfThePersonItNoLongerBelongsTo() {
        String family = rare("Farzana");
        String cnic = womansCnic();
        String mayo = create(woman("Farzana " + family, "1991-01-30", cnic, null, "Mayo Hospital Lahore"));
        // Typed on the wrong woman's record at PIMS: another woman, born another year.
        Patient wrong = woman("Farzana " + family, "1991-01-30", cnic, "03335556677", "PIMS Islamabad");
        String pims = create(wrong);
        assertThat(personOf(pims)).as("the same valid CNIC links at once").isEqualTo(personOf(mayo));

        Patient corrected = operator.read().resource(Patient.class).withId(pims).execute();
        corrected.getIdentifierFirstRep().setValue(womansCnic());
        corrected.setBirthDateElement(new DateType("1972-06-11"));
        operator.update().resource(corrected).execute();
        assertThat(personOf(pims)).as("re-linked after the correction").isNotEqualTo(personOf(mayo));
        assertThat(personOf(mayo)).as("the first record keeps its person").isNotNull();
    }

    @Test
    void anHl7LinkJoinsTheFacilitysTwoRecordsAndAnUnlinkKeepsThemApart() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String family = rare("Baloch");
        String first = "MR-A-" + run;
        String second = "MR-B-" + run;
        try (MllpTestClient mllp = new MllpTestClient(mllpPort)) {
            assertThat(MllpTestClient.ackCode(mllp.send(registration(
                            "Mayo Hospital Lahore", first, "A-" + run, null, family + "^Zainab", "19950812"))))
                    .isEqualTo("AA");
            assertThat(MllpTestClient.ackCode(mllp.send(registration(
                            "Mayo Hospital Lahore", second, "B-" + run, null, family + "^Zainab", "19770812"))))
                    .isEqualTo("AA");
            assertThat(personOf(mayoRecord(first))).isNotEqualTo(personOf(mayoRecord(second)));

            assertThat(MllpTestClient.ackCode(mllp.send(linkMessage("A24", first, second, run))))
                    .isEqualTo("AA");
            assertThat(personOf(mayoRecord(first))).isEqualTo(personOf(mayoRecord(second)));
            Patient linked = operator.read()
                    .resource(Patient.class)
                    .withId(mayoRecord(first))
                    .execute();
            assertThat(linked.getLink())
                    .singleElement()
                    .satisfies(l -> assertThat(l.getType()).isEqualTo(Patient.LinkType.SEEALSO));

            assertThat(MllpTestClient.ackCode(mllp.send(linkMessage("A37", first, second, run))))
                    .isEqualTo("AA");
        }
        assertThat(operator.read()
                        .resource(Patient.class)
                        .withId(mayoRecord(first))
                        .execute()
                        .getLink())
                .isEmpty();
        assertThat(personOf(mayoRecord(first))).isNotEqualTo(personOf(mayoRecord(second)));
        assertThat(jdbc.queryForObject(
                        "SELECT status FROM sehat_person_review WHERE record_a IN (?, ?) AND record_b IN (?, ?)",
                        String.class,
                        mayoRecord(first).replace("Patient/", ""),
                        mayoRecord(second).replace("Patient/", ""),
                        mayoRecord(first).replace("Patient/", ""),
                        mayoRecord(second).replace("Patient/", "")))
                .as("kept apart from now on")
                .isEqualTo("different");
    }

    private static String linkMessage(String event, String first, String second, String run) {
        String structure = event.equals("A24") ? "ADT_A24" : "ADT_A37";
        return String.join(
                "\r",
                "MSH|^~\\&|MAYO-HIS|Mayo Hospital Lahore|SEHATHUB|SEHATHUB|20240321093000+0500||ADT^" + event + "^"
                        + structure + "|" + event + "-" + run + "|P|2.5",
                "EVN|" + event + "|20240321093000",
                "PID|1||" + first + "^^^Mayo Hospital Lahore^MR",
                "PID|2||" + second + "^^^Mayo Hospital Lahore^MR");
    }

    @Test
    void herConsentOnOneRecordCoversEveryRecordOfHerPersonForTheAppAndOnlyHers() {
        FhirTestClient app = new FhirTestClient(port, TestClients.APP);
        String family = rare("Rubina");
        String cnic = womansCnic();
        String mayo = create(woman("Rubina " + family, "1983-11-05", cnic, null, "Mayo Hospital Lahore"));
        String pims = create(woman("Rubina " + family, "1983-11-05", cnic, null, "PIMS Islamabad"));
        String namesake = create(woman("Rubina " + family, "1961-02-17", null, null, "PIMS Islamabad"));
        assertThat(personOf(pims)).isEqualTo(personOf(mayo));
        assertThat(personOf(namesake)).isNotEqualTo(personOf(mayo));
        String pimsResult = observation(pims, "PIMS Islamabad");

        assertThat(app.get("/fhir/" + pims).statusCode()).as("no consent yet").isEqualTo(404);
        IIdType granted = TestConsents.record(
                operatorHttp, TestConsents.grant(mayo.replace("Patient/", ""), TestClients.APP.id()));

        assertThat(app.get("/fhir/" + pims).statusCode())
                .as("granted through her Mayo record, her PIMS record too")
                .isEqualTo(200);
        assertThat(new String(app.get("/fhir/" + mayo + "/$everything").body(), StandardCharsets.UTF_8))
                .contains(pimsResult.replace("Observation/", ""));
        assertThat(app.get("/fhir/" + namesake).statusCode())
                .as("another woman of the same name is not hers")
                .isEqualTo(404);

        Consent revoked =
                operator.read().resource(Consent.class).withId(granted).execute();
        revoked.setStatus(Consent.ConsentState.INACTIVE);
        operator.update().resource(revoked).execute();
        assertThat(app.get("/fhir/" + pims).statusCode()).isEqualTo(404);
    }
}
