package org.sehathub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.batch2.api.IJobMaintenanceService;
import ca.uhn.fhir.jpa.model.entity.EntityIndexStatusEnum;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.hash.Hashing;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Everything a FHIR client expects of the server, exercised through HAPI's generic client and plain
 * HTTP against the running application. Each subclass runs it on one database
 * ({@link EmbeddedServerTest}, {@link PostgresServerTest}).
 *
 * <p>Tests share one context (and database) per subclass, so each makes its own data with a fresh
 * identifier value and never assumes the database is empty.
 */
abstract class AbstractFhirServerIT {

    static final String MRN = "https://fhir.sehathub.pk/sid/mrn/test-hospital";
    static final String LOINC = "http://loinc.org";
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    IJobMaintenanceService jobMaintenance;

    @Autowired
    JdbcTemplate jdbc;

    FhirTestClient server;
    IGenericClient fhir;

    @BeforeEach
    void connect() {
        server = new FhirTestClient(port);
        fhir = server.fhir();
    }

    // ---------------------------------------------------------------- CapabilityStatement

    @Test
    void capabilityStatementDescribesAnR4ServerWithTheInteractionsItServes() {
        CapabilityStatement cs =
                fhir.capabilities().ofType(CapabilityStatement.class).execute();

        assertThat(cs.getFhirVersion().toCode()).isEqualTo("4.0.1");
        assertThat(cs.getSoftware().getName()).isEqualTo("Sehat Hub");
        assertThat(cs.getFormat())
                .extracting(CodeType::getValue)
                .contains("application/fhir+json", "application/fhir+xml");
        CapabilityStatementRestResourceComponent patient = cs.getRestFirstRep().getResource().stream()
                .filter(r -> r.getType().equals("Patient"))
                .findFirst()
                .orElseThrow();
        assertThat(patient.getInteraction())
                .extracting(i -> i.getCode())
                .contains(
                        TypeRestfulInteraction.READ,
                        TypeRestfulInteraction.VREAD,
                        TypeRestfulInteraction.CREATE,
                        TypeRestfulInteraction.UPDATE,
                        TypeRestfulInteraction.PATCH,
                        TypeRestfulInteraction.DELETE,
                        TypeRestfulInteraction.SEARCHTYPE,
                        TypeRestfulInteraction.HISTORYINSTANCE);
        assertThat(patient.getConditionalCreate()).isTrue();
        assertThat(patient.getConditionalUpdate()).isTrue();
        assertThat(patient.getOperation()).extracting(o -> o.getName()).contains("everything", "export");
        assertThat(patient.getSearchParam())
                .extracting(p -> p.getName())
                .contains("identifier", "name", "_content", "_text");
        assertThat(cs.getRestFirstRep().getOperation())
                .extracting(o -> o.getName())
                .contains("export", "meta");
    }

    @Test
    void turtleIsRefusedWithAnOperationOutcomeNotAServerError() {
        assertThat(fhir.capabilities()
                        .ofType(CapabilityStatement.class)
                        .execute()
                        .getFormat())
                .extracting(CodeType::getValue)
                .as("not offered")
                .noneMatch(f -> f.contains("turtle"));
        for (String[] asked : List.of(
                new String[] {"/fhir/Patient?_format=ttl", "Accept", "application/fhir+json"},
                new String[] {"/fhir/metadata?_format=text/turtle", "Accept", "application/fhir+json"},
                new String[] {"/fhir/Patient", "Accept", "text/turtle"},
                new String[] {"/fhir/Patient", "Accept", "application/fhir+json;q=0.5, text/turtle"})) {
            HttpResponse<byte[]> response = server.get(asked[0], asked[1], asked[2]);
            assertThat(response.statusCode()).as(String.join(" ", asked)).isEqualTo(406);
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/fhir+json"));
            assertThat(new String(response.body(), StandardCharsets.UTF_8))
                    .contains("OperationOutcome")
                    .contains("Turtle is not a format this server writes");
        }
        HttpResponse<byte[]> posted = server.send(
                HttpRequest.newBuilder()
                        .header("Content-Type", "text/turtle; charset=utf-8")
                        .header("Accept", "application/fhir+json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "@prefix fhir: <http://hl7.org/fhir/> . [] a fhir:Patient .")),
                "/fhir/Patient");
        assertThat(posted.statusCode()).isEqualTo(415);
        assertThat(new String(posted.body(), StandardCharsets.UTF_8)).contains("is not a format this server reads");
        // JSON where JSON is preferred, or as good as Turtle (HAPI's default breaks the tie)
        assertThat(server.get("/fhir/Patient?_count=1", "Accept", "text/turtle, application/fhir+json")
                        .statusCode())
                .isEqualTo(200);
        assertThat(server.get("/fhir/Patient?_count=1&_format=json", "Accept", "text/turtle")
                        .statusCode())
                .isEqualTo(200);
    }

    // ---------------------------------------------------------------- CRUD and versions

    @Test
    void createsReadsAndReadsAVersion() {
        IdType id = create(patient("Ayesha", "Khan", "1990-04-12"));

        Patient read =
                fhir.read().resource(Patient.class).withId(id.getIdPart()).execute();
        assertThat(read.getNameFirstRep().getFamily()).isEqualTo("Khan");
        assertThat(read.getMeta().getVersionId()).isEqualTo("1");

        Patient version1 = fhir.read()
                .resource(Patient.class)
                .withIdAndVersion(id.getIdPart(), "1")
                .execute();
        assertThat(version1.getBirthDateElement().getValueAsString()).isEqualTo("1990-04-12");
    }

    @Test
    void updateMakesANewVersionAndHistoryKeepsTheOldOne() {
        IdType id = create(patient("Bilal", "Ahmed", "1985-01-30"));
        Patient changed =
                fhir.read().resource(Patient.class).withId(id.getIdPart()).execute();
        changed.setBirthDateElement(new DateType("1985-01-31"));

        MethodOutcome outcome = fhir.update().resource(changed).execute();

        assertThat(outcome.getId().getVersionIdPart()).isEqualTo("2");
        Bundle history = fhir.history()
                .onInstance(id.toUnqualifiedVersionless())
                .returnBundle(Bundle.class)
                .execute();
        assertThat(history.getEntry()).hasSize(2);
        Patient first = fhir.read()
                .resource(Patient.class)
                .withIdAndVersion(id.getIdPart(), "1")
                .execute();
        assertThat(first.getBirthDateElement().getValueAsString()).isEqualTo("1985-01-30");
        Bundle typeHistory =
                fhir.history().onType(Patient.class).returnBundle(Bundle.class).execute();
        assertThat(typeHistory.getEntry()).isNotEmpty();
    }

    @Test
    void updateWithAStaleIfMatchVersionIsAConflict() {
        IdType id = create(patient("Sana", "Malik", "1992-07-01"));
        Patient current =
                fhir.read().resource(Patient.class).withId(id.getIdPart()).execute();
        fhir.update()
                .resource(current.copy().setGender(AdministrativeGender.FEMALE))
                .execute();

        Patient stale = current.copy().setGender(AdministrativeGender.OTHER);
        stale.setId(id.toUnqualifiedVersionless());
        assertThatThrownBy(() -> fhir.update()
                        .resource(stale)
                        .withAdditionalHeader("If-Match", "W/\"1\"")
                        .execute())
                .isInstanceOf(ResourceVersionConflictException.class);

        HttpResponse<byte[]> matching = server.send(
                HttpRequest.newBuilder()
                        .PUT(HttpRequest.BodyPublishers.ofString(encode(stale)))
                        .header("Content-Type", "application/fhir+json")
                        .header("If-Match", "W/\"2\""),
                "/fhir/Patient/" + id.getIdPart());
        assertThat(matching.statusCode()).isEqualTo(200);
        assertThat(matching.headers().firstValue("ETag")).contains("W/\"3\"");
    }

    @Test
    void patchesWithJsonPatchAndFhirPathPatch() {
        IdType id = create(patient("Imran", "Qureshi", "1970-02-02"));

        fhir.patch()
                .withBody("[{\"op\":\"replace\",\"path\":\"/birthDate\",\"value\":\"1970-02-03\"}]")
                .withId(id.toUnqualifiedVersionless())
                .execute();
        Parameters fhirPathPatch = new Parameters();
        Parameters.ParametersParameterComponent operation =
                fhirPathPatch.addParameter().setName("operation");
        operation.addPart().setName("type").setValue(new CodeType("add"));
        operation.addPart().setName("path").setValue(new StringType("Patient"));
        operation.addPart().setName("name").setValue(new StringType("gender"));
        operation.addPart().setName("value").setValue(new CodeType("male"));
        fhir.patch()
                .withFhirPatch(fhirPathPatch)
                .withId(id.toUnqualifiedVersionless())
                .execute();

        Patient patched =
                fhir.read().resource(Patient.class).withId(id.getIdPart()).execute();
        assertThat(patched.getBirthDateElement().getValueAsString()).isEqualTo("1970-02-03");
        assertThat(patched.getGender()).isEqualTo(AdministrativeGender.MALE);
        assertThat(patched.getMeta().getVersionId()).isEqualTo("3");
    }

    @Test
    void deletedResourceIsGoneButItsHistoryRemains() {
        IdType id = create(patient("Zainab", "Hussain", "2001-09-09"));

        fhir.delete().resourceById(id.toUnqualifiedVersionless()).execute();

        assertThatThrownBy(() -> fhir.read()
                        .resource(Patient.class)
                        .withId(id.getIdPart())
                        .execute())
                .isInstanceOf(ResourceGoneException.class);
        Patient beforeDelete = fhir.read()
                .resource(Patient.class)
                .withIdAndVersion(id.getIdPart(), "1")
                .execute();
        assertThat(beforeDelete.getNameFirstRep().getFamily()).isEqualTo("Hussain");
    }

    // ---------------------------------------------------------------- conditional operations

    @Test
    void conditionalCreateStoresOnceAndRefusesAnAmbiguousMatch() {
        String mrn = uniqueMrn();
        Patient p = patient("Hamza", "Butt", "1999-12-12")
                .addIdentifier(
                        new org.hl7.fhir.r4.model.Identifier().setSystem(MRN).setValue(mrn));

        MethodOutcome first = fhir.create()
                .resource(p)
                .conditionalByUrl("Patient?identifier=" + MRN + "|" + mrn)
                .execute();
        MethodOutcome second = fhir.create()
                .resource(p)
                .conditionalByUrl("Patient?identifier=" + MRN + "|" + mrn)
                .execute();

        assertThat(first.getCreated()).isTrue();
        assertThat(second.getCreated()).isNotEqualTo(Boolean.TRUE);
        assertThat(second.getId().getIdPart()).isEqualTo(first.getId().getIdPart());
        assertThat(countByIdentifier(mrn)).isEqualTo(1);

        String family = "Twin" + UUID.randomUUID().toString().substring(0, 8);
        create(patient("A", family, "2000-01-01"));
        create(patient("B", family, "2000-01-01"));
        assertThatThrownBy(() -> fhir.create()
                        .resource(patient("C", family, "2000-01-01"))
                        .conditionalByUrl("Patient?family=" + family)
                        .execute())
                .isInstanceOf(PreconditionFailedException.class);
    }

    @Test
    void conditionalUpdateCreatesThenUpdatesTheMatch() {
        String mrn = uniqueMrn();
        String match = "Patient?identifier=" + MRN + "|" + mrn;
        Patient p = patient("Fatima", "Raza", "1980-05-05")
                .addIdentifier(
                        new org.hl7.fhir.r4.model.Identifier().setSystem(MRN).setValue(mrn));

        MethodOutcome created =
                fhir.update().resource(p).conditionalByUrl(match).execute();
        p.setBirthDateElement(new DateType("1980-05-06"));
        MethodOutcome updated =
                fhir.update().resource(p).conditionalByUrl(match).execute();

        assertThat(created.getCreated()).isTrue();
        assertThat(updated.getId().getIdPart()).isEqualTo(created.getId().getIdPart());
        assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");
        assertThat(countByIdentifier(mrn)).isEqualTo(1);
    }

    @Test
    void conditionalDeleteRemovesTheMatch() {
        String mrn = uniqueMrn();
        create(patient("Usman", "Sheikh", "1975-03-03")
                .addIdentifier(
                        new org.hl7.fhir.r4.model.Identifier().setSystem(MRN).setValue(mrn)));

        fhir.delete()
                .resourceConditionalByUrl("Patient?identifier=" + MRN + "|" + mrn)
                .execute();

        assertThat(countByIdentifier(mrn)).isZero();
    }

    // ---------------------------------------------------------------- search

    @Test
    void searchesWithStandardParametersModifiersAndChains() {
        String family = "Chaudhry" + UUID.randomUUID().toString().substring(0, 8);
        String mrn = uniqueMrn();
        IdType ali = create(patient("Ali", family, "1960-01-01")
                .setGender(AdministrativeGender.MALE)
                .addIdentifier(
                        new org.hl7.fhir.r4.model.Identifier().setSystem(MRN).setValue(mrn)));
        create(patient("Alina", family, "1995-01-01").setGender(AdministrativeGender.FEMALE));
        create(observation(ali, "718-7", "Hemoglobin", 13.5));

        assertThat(searchIds("Patient?family=" + family)).hasSize(2);
        assertThat(searchIds("Patient?family=" + family + "&birthdate=ge1990-01-01"))
                .hasSize(1);
        assertThat(searchIds("Patient?family=" + family + "&gender:not=male")).hasSize(1);
        assertThat(searchIds("Patient?given:exact=Ali&family=" + family)).containsExactly(ali.getIdPart());
        assertThat(searchIds("Patient?given=ali&family=" + family)).hasSize(2);
        assertThat(searchIds("Observation?subject:Patient.identifier=" + MRN + "|" + mrn + "&code=" + LOINC + "|718-7"))
                .hasSize(1);
        assertThat(searchIds("Observation?patient.family=" + family)).hasSize(1);
    }

    @Test
    void searchIncludesRevIncludesSortsCountsAndPages() {
        String family = "Siddiqui" + UUID.randomUUID().toString().substring(0, 8);
        IdType oldest = create(patient("Ahmed", family, "1950-01-01"));
        create(patient("Bushra", family, "1970-01-01"));
        IdType youngest = create(patient("Danish", family, "2010-01-01"));
        IdType obs = create(observation(oldest, "2345-7", "Glucose", 5.4));

        Bundle included = search("Observation?_id=" + obs.getIdPart() + "&_include=Observation:subject");
        assertThat(included.getEntry())
                .extracting(e -> e.getResource().fhirType())
                .containsExactlyInAnyOrder("Observation", "Patient");

        Bundle revIncluded = search("Patient?_id=" + oldest.getIdPart() + "&_revinclude=Observation:subject");
        assertThat(revIncluded.getEntry())
                .extracting(e -> e.getResource().fhirType())
                .containsExactlyInAnyOrder("Patient", "Observation");

        assertThat(searchIds("Patient?family=" + family + "&_sort=-birthdate").get(0))
                .isEqualTo(youngest.getIdPart());
        assertThat(searchIds("Patient?family=" + family + "&_sort=birthdate").get(0))
                .isEqualTo(oldest.getIdPart());

        Bundle count = search("Patient?family=" + family + "&_summary=count");
        assertThat(count.getTotal()).isEqualTo(3);
        assertThat(count.getEntry()).isEmpty();

        Bundle page1 = search("Patient?family=" + family + "&_count=2&_sort=birthdate");
        assertThat(page1.getEntry()).hasSize(2);
        assertThat(page1.getLink(Bundle.LINK_NEXT)).isNotNull();
        Bundle page2 = fhir.loadPage().next(page1).execute();
        assertThat(page2.getEntry())
                .extracting(e -> e.getResource().getIdElement().getIdPart())
                .containsExactly(youngest.getIdPart());

        Bundle elements = search("Patient?_id=" + oldest.getIdPart() + "&_elements=name");
        Patient subset = (Patient) elements.getEntryFirstRep().getResource();
        assertThat(subset.hasName()).isTrue();
        assertThat(subset.hasBirthDate()).isFalse();
    }

    @Test
    void fullTextSearchFindsResourceContentAndNarrative() {
        String word = "zq" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Patient p = patient("Rukhsana", word, "1988-08-08");
        p.getText()
                .setStatus(Narrative.NarrativeStatus.GENERATED)
                .setDivAsString(
                        "<div xmlns=\"http://www.w3.org/1999/xhtml\">Known diabetic, narrative" + word + "</div>");
        IdType id = create(p);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(searchIds("Patient?_content=" + word)).containsExactly(id.getIdPart());
            assertThat(searchIds("Patient?_text=narrative" + word)).containsExactly(id.getIdPart());
        });
        assertThat(searchIds("Patient?_text=" + word)).isEmpty();
    }

    // ---------------------------------------------------------------- transactions and batches

    @Test
    void transactionIsAllOrNothing() {
        String mrn = uniqueMrn();
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        Patient p = patient("Nadia", "Javed", "1993-03-03")
                .addIdentifier(
                        new org.hl7.fhir.r4.model.Identifier().setSystem(MRN).setValue(mrn));
        tx.addEntry()
                .setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(p)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient");
        Observation broken = observation(new IdType("Patient", "does-not-exist-" + mrn), "718-7", "Hemoglobin", 12.0);
        tx.addEntry()
                .setResource(broken)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Observation");

        assertThatThrownBy(() -> fhir.transaction().withBundle(tx).execute())
                .isInstanceOfAny(InvalidRequestException.class, ResourceNotFoundException.class);
        assertThat(countByIdentifier(mrn)).isZero();

        tx.getEntry()
                .get(1)
                .setResource(observation(new IdType(tx.getEntryFirstRep().getFullUrl()), "718-7", "Hemoglobin", 12.0));
        Bundle response = fhir.transaction().withBundle(tx).execute();
        assertThat(response.getEntry())
                .extracting(e -> e.getResponse().getStatus())
                .allMatch(s -> s.startsWith("201"));
        assertThat(countByIdentifier(mrn)).isEqualTo(1);
    }

    @Test
    void batchProcessesEachEntryOnItsOwn() {
        Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
        batch.addEntry()
                .setResource(patient("Kamran", "Akmal", "1982-01-13"))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient");
        batch.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl("Patient/no-such-" + UUID.randomUUID());

        Bundle response = fhir.transaction().withBundle(batch).execute();

        assertThat(response.getType()).isEqualTo(Bundle.BundleType.BATCHRESPONSE);
        assertThat(response.getEntry().get(0).getResponse().getStatus()).startsWith("201");
        assertThat(response.getEntry().get(1).getResponse().getStatus()).startsWith("404");
    }

    /**
     * A transaction's new resources are indexed and encoded once, in HAPI's second pass
     * ({@code storage.WritePathConfig}); what is stored must be what HAPI stores doing it twice: the
     * final JSON with its hash, every index row and flag, the full text, and a later update must find
     * and replace the first version's index rows (a missing "has rows" flag would leave them behind).
     */
    @Test
    void aTransactionsNewResourcesAreStoredWholeIndexedAndUpdatable() {
        String mrn = uniqueMrn();
        String word = "zq" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        String patientUrl = "urn:uuid:" + UUID.randomUUID();
        Patient p = patient("Zarina", word, "1991-04-04")
                .addIdentifier(
                        new org.hl7.fhir.r4.model.Identifier().setSystem(MRN).setValue(mrn));
        tx.addEntry()
                .setFullUrl(patientUrl)
                .setResource(p)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient")
                .setIfNoneExist("Patient?identifier=" + MRN + "|" + mrn);
        tx.addEntry()
                .setResource(observation(new IdType(patientUrl), "718-7", "Hemoglobin", 9.5))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Observation");

        Bundle response = fhir.transaction().withBundle(tx).execute();
        String patientId = new IdType(response.getEntry().get(0).getResponse().getLocation()).getIdPart();
        String observationId =
                new IdType(response.getEntry().get(1).getResponse().getLocation()).getIdPart();

        // Stored whole: the reference rewritten, one version, its hash that of the stored JSON.
        Observation stored =
                fhir.read().resource(Observation.class).withId(observationId).execute();
        assertThat(stored.getSubject().getReference()).isEqualTo("Patient/" + patientId);
        assertThat(stored.getMeta().getVersionId()).isEqualTo("1");
        for (String[] resource :
                List.of(new String[] {"Patient", patientId}, new String[] {"Observation", observationId})) {
            Map<String, Object> row = jdbc.queryForMap(
                    "SELECT r.hash_sha256, r.sp_string_present, r.sp_token_present, r.sp_has_links,"
                            + " r.sp_index_status, v.res_text_vc FROM hfj_resource r JOIN hfj_res_ver v"
                            + " ON v.res_id = r.res_id AND v.res_ver = r.res_ver"
                            + " WHERE r.res_type = ? AND r.fhir_id = ?",
                    resource[0],
                    resource[1]);
            assertThat(row.get("hash_sha256"))
                    .as("%s's hash", resource[0])
                    .isEqualTo(Hashing.sha256()
                            .hashUnencodedChars((String) row.get("res_text_vc"))
                            .toString());
            assertThat(row.get("sp_token_present"))
                    .as("%s has token rows", resource[0])
                    .isEqualTo(true);
            assertThat(((Number) row.get("sp_index_status")).intValue())
                    .as("%s full text indexed", resource[0])
                    .isEqualTo(EntityIndexStatusEnum.INDEXED_ALL.ordinal());
        }
        assertThat(jdbc.queryForObject(
                        "SELECT sp_string_present FROM hfj_resource WHERE res_type = 'Patient' AND fhir_id = ?",
                        Boolean.class,
                        patientId))
                .isTrue();
        assertThat(jdbc.queryForObject(
                        "SELECT sp_has_links FROM hfj_resource WHERE res_type = 'Observation' AND fhir_id = ?",
                        Boolean.class,
                        observationId))
                .isTrue();

        // Indexed: each kind of search parameter, and the full text.
        assertThat(searchIds("Patient?identifier=" + MRN + "|" + mrn)).containsExactly(patientId);
        assertThat(searchIds("Patient?family=" + word)).containsExactly(patientId);
        assertThat(searchIds("Patient?birthdate=1991-04-04&family=" + word)).containsExactly(patientId);
        assertThat(searchIds("Observation?subject=Patient/" + patientId + "&code=" + LOINC + "|718-7"))
                .containsExactly(observationId);
        assertThat(searchIds("Observation?subject=Patient/" + patientId + "&value-quantity=lt10"))
                .containsExactly(observationId);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> assertThat(searchIds("Patient?_content=" + word)).containsExactly(patientId));

        // Updatable: the first version's index rows are found and replaced.
        Patient renamed = fhir.read().resource(Patient.class).withId(patientId).execute();
        String newWord = word + "x";
        renamed.getNameFirstRep().setFamily(newWord);
        renamed.setBirthDateElement(new DateType("1992-05-05"));
        fhir.update().resource(renamed).execute();
        Observation recoded =
                fhir.read().resource(Observation.class).withId(observationId).execute();
        recoded.getCode().getCodingFirstRep().setCode("4548-4").setDisplay("HbA1c");
        fhir.update().resource(recoded).execute();

        assertThat(searchIds("Patient?family:exact=" + word)).isEmpty();
        assertThat(searchIds("Patient?family=" + newWord)).containsExactly(patientId);
        assertThat(searchIds("Patient?birthdate=1991-04-04&family=" + newWord)).isEmpty();
        assertThat(searchIds("Patient?identifier=" + MRN + "|" + mrn)).containsExactly(patientId);
        assertThat(searchIds("Observation?subject=Patient/" + patientId + "&code=" + LOINC + "|718-7"))
                .isEmpty();
        assertThat(searchIds("Observation?subject=Patient/" + patientId + "&code=" + LOINC + "|4548-4"))
                .containsExactly(observationId);
    }

    @Test
    void aCodesDisplayTextIsNotIndexedAndTextSearchOnTokensIsRefused() {
        IdType patient = create(patient("Rubina", "Shaikh", "1988-08-08"));
        IdType observation = create(observation(patient, "718-7", "Hemoglobin", 11.5));

        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM hfj_spidx_string s JOIN hfj_resource r ON r.res_id = s.res_id"
                                + " WHERE r.res_type = 'Observation' AND r.fhir_id = ?",
                        Integer.class,
                        observation.getIdPart()))
                .as("string rows of the Observation: only token display text would make one")
                .isZero();
        assertThat(searchIds("Observation?subject="
                        + patient.toUnqualifiedVersionless().getValue() + "&code=" + LOINC + "|718-7"))
                .containsExactly(observation.getIdPart());
        assertThatThrownBy(() -> search("Observation?subject="
                        + patient.toUnqualifiedVersionless().getValue() + "&code:text=Hemoglobin"))
                .isInstanceOfSatisfying(
                        MethodNotAllowedException.class,
                        e -> assertThat(e.getMessage()).contains(":text"));
    }

    @Test
    void onlyThePromisedSearchParametersAreIndexedAndAnswered() {
        IdType patient = create(patient("Naseem", "Akhtar", "1970-07-07"));
        String subject = patient.toUnqualifiedVersionless().getValue();
        Observation pressure = observation(patient, "85354-9", "Blood pressure panel", 0);
        pressure.setValue(null);
        pressure.setEffective(new DateTimeType("2026-03-04"));
        pressure.addComponent()
                .setValue(new org.hl7.fhir.r4.model.Quantity(141).setCode("mm[Hg]"))
                .getCode()
                .addCoding()
                .setSystem(LOINC)
                .setCode("8480-6");
        IdType observation = create(pressure);

        assertThat(indexedNames("hfj_spidx_token", observation))
                .as("token rows: code and status are promised, the combo- and component- ones are not")
                .contains("code", "status")
                .doesNotContain("combo-code", "component-code");
        assertThat(indexedNames("hfj_spidx_quantity", observation))
                .as("quantity rows: the component's value is only a component- and combo- parameter")
                .isEmpty();
        assertThat(searchIds("Observation?subject=" + subject + "&code=" + LOINC + "|85354-9&date=2026-03-04"))
                .containsExactly(observation.getIdPart());
        assertThat(searchIds("Observation?patient.family=Akhtar&patient.given=Naseem"))
                .as("reference parameters and chains are all kept")
                .containsExactly(observation.getIdPart());
        assertThatThrownBy(() -> search("Observation?subject=" + subject + "&component-code=" + LOINC + "|8480-6"))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.getMessage()).contains("Unknown search parameter \"component-code\""));
        assertThat(searchIds("Patient?_id=" + patient.getIdPart() + "&phonetic=Akhtar"))
                .as("a type not listed keeps every R4 parameter")
                .containsExactly(patient.getIdPart());

        CapabilityStatement cs =
                fhir.capabilities().ofType(CapabilityStatement.class).execute();
        assertThat(searchParametersOf(cs, "Observation"))
                .contains("code", "date", "patient", "subject", "identifier", "_tag")
                .doesNotContain("combo-code", "component-code", "value-string");
        assertThat(searchParametersOf(cs, "Patient")).contains("phonetic", "telecom", "address-state");
    }

    @Test
    void fullTextIsKeptOnlyOnTheTypesOfAPatientsRecord() {
        String word = "fulltextword" + UUID.randomUUID().toString().substring(0, 8);
        org.hl7.fhir.r4.model.Organization clinic = new org.hl7.fhir.r4.model.Organization().setName(word);
        IdType organization = create(clinic);
        IdType patient = create(patient("Shabnam", word, "1990-01-01"));

        assertThat(indexStatus(organization))
                .as("no words extracted, no Lucene document")
                .isEqualTo(EntityIndexStatusEnum.INDEXED_RDBMS_ONLY.ordinal());
        assertThat(indexStatus(patient)).isEqualTo(EntityIndexStatusEnum.INDEXED_ALL.ordinal());
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> assertThat(searchIds("Patient?_content=" + word)).containsExactly(patient.getIdPart()));
        assertThatThrownBy(() -> search("Organization?_content=" + word))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.getMessage())
                                .contains("Fulltext searching is not enabled on this server for resource type"
                                        + " Organization"));
        assertThat(searchIds("Organization?name=" + word)).containsExactly(organization.getIdPart());
    }

    private int indexStatus(IdType resource) {
        return jdbc.queryForObject(
                "SELECT sp_index_status FROM hfj_resource WHERE res_type = ? AND fhir_id = ?",
                Integer.class,
                resource.getResourceType(),
                resource.getIdPart());
    }

    private List<String> indexedNames(String table, IdType resource) {
        return jdbc.queryForList(
                "SELECT DISTINCT i.sp_name FROM " + table + " i JOIN hfj_resource r ON r.res_id = i.res_id"
                        + " WHERE r.res_type = ? AND r.fhir_id = ?",
                String.class,
                resource.getResourceType(),
                resource.getIdPart());
    }

    private static List<String> searchParametersOf(CapabilityStatement cs, String type) {
        return cs.getRestFirstRep().getResource().stream()
                .filter(r -> r.getType().equals(type))
                .flatMap(r -> r.getSearchParam().stream())
                .map(p -> p.getName())
                .toList();
    }

    // ---------------------------------------------------------------- $everything

    @Test
    void everythingPagesAndFiltersByTypeAndSince() {
        IdType patient = create(patient("Shazia", "Bano", "1977-07-07"));
        for (int i = 0; i < 4; i++) {
            create(observation(patient, "718-7", "Hemoglobin", 11.0 + i));
        }
        // Millisecond precision as the server stores it; later than anything already written.
        Instant afterFirstBatch = Instant.now().truncatedTo(ChronoUnit.MILLIS).plusMillis(1);
        await().until(() -> Instant.now().isAfter(afterFirstBatch.plusMillis(10)));
        create(observation(patient, "2345-7", "Glucose", 6.1));
        Condition diabetes = new Condition().setSubject(new Reference(patient.toUnqualifiedVersionless()));
        diabetes.getCode()
                .addCoding()
                .setSystem("http://hl7.org/fhir/sid/icd-10")
                .setCode("E11");
        create(diabetes);

        List<IBaseResource> all = everything(patient.getIdPart(), "_count=2");
        assertThat(all).hasSize(7);
        assertThat(search("Patient/" + patient.getIdPart() + "/$everything?_count=2")
                        .getEntry())
                .hasSize(2);
        // The focal Patient is always part of its own $everything.
        assertThat(everything(patient.getIdPart(), "_type=Observation"))
                .extracting(IBaseResource::fhirType)
                .containsOnly("Patient", "Observation")
                .filteredOn("Observation"::equals)
                .hasSize(5);
        // _since holds on every page, not only the first: 7 resources over 4 pages, 2 of them newer.
        assertThat(everything(patient.getIdPart(), "_since=" + afterFirstBatch + "&_count=2"))
                .extracting(IBaseResource::fhirType)
                .containsExactlyInAnyOrder("Observation", "Condition");
        assertOperationOutcome(
                server.get("/fhir/Patient/" + patient.getIdPart() + "/$everything?_since=yesterday"),
                400,
                "_since must be an instant");
    }

    @Test
    void syntheaPatientRecordLoadsAndEverythingReturnsAllOfIt() throws IOException {
        fhir.transaction()
                .withBundle(readBundle("synthea/hospital-information.json.gz"))
                .execute();
        fhir.transaction()
                .withBundle(readBundle("synthea/practitioner-information.json.gz"))
                .execute();
        Bundle record = readBundle("synthea/patient-bundle.json.gz");

        Bundle response = fhir.transaction().withBundle(record).execute();

        assertThat(response.getEntry()).hasSize(record.getEntry().size()).hasSizeGreaterThan(300);
        Set<String> stored = new HashSet<>();
        String patientId = null;
        for (BundleEntryComponent entry : response.getEntry()) {
            IdType id = new IdType(entry.getResponse().getLocation()).toUnqualifiedVersionless();
            stored.add(id.getResourceType() + "/" + id.getIdPart());
            if (id.getResourceType().equals("Patient")) {
                patientId = id.getIdPart();
            }
        }
        Set<String> everything = new HashSet<>();
        for (IBaseResource r : everything(patientId, "_count=200")) {
            everything.add(r.fhirType() + "/" + r.getIdElement().getIdPart());
        }
        assertThat(everything).containsAll(stored);
    }

    /**
     * The first page of {@code $everything} is HAPI's query for the lowest ids linking to the
     * patient. Without an index on the links' target and source together, PostgreSQL walked every
     * link of the database in source order until it had a page of the patient's (V8). Kept from
     * every other path, the planner now reads the patient's links from that index, in order: no
     * sort, no scan filtering on the target.
     */
    @Test
    void everythingsFirstPageReadsThePatientsLinksInOrderFromAnIndex() {
        IdType patient = create(patient("Rukhsana", "Jatoi", "1969-09-09"));
        for (int i = 0; i < 3; i++) {
            create(observation(patient, "718-7", "Hemoglobin", 12.0 + i));
        }
        assertThat(jdbc.queryForObject(
                        "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                                + " WHERE c.relname = 'ix_sehat_res_link_target_src' AND i.indisvalid",
                        String.class))
                .endsWith("ON public.hfj_res_link USING btree (target_resource_id, src_resource_id)");
        Long pid = jdbc.queryForObject(
                "SELECT res_id FROM hfj_resource WHERE res_type = 'Patient' AND fhir_id = ?",
                Long.class,
                patient.getIdPart());
        // HAPI 8.8's query for an instance $everything (SearchBuilder, everything mode).
        String firstPage = "SELECT DISTINCT t0.src_resource_id FROM hfj_res_link t0"
                + " INNER JOIN hfj_resource t1 ON (t0.src_resource_id = t1.res_id)"
                + " WHERE ((t0.target_resource_id = " + pid + ") AND (t1.res_deleted_at IS NULL)"
                + " AND (NOT (t1.res_type IN ('Group', 'List'))))"
                + " GROUP BY t0.src_resource_id ORDER BY t0.src_resource_id FETCH FIRST 13 ROWS ONLY";
        String plan = jdbc.execute((ConnectionCallback<String>) connection -> {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCAL enable_seqscan = off");
                statement.execute("SET LOCAL enable_bitmapscan = off");
                StringBuilder lines = new StringBuilder();
                try (ResultSet rows = statement.executeQuery("EXPLAIN " + firstPage)) {
                    while (rows.next()) {
                        lines.append(rows.getString(1)).append('\n');
                    }
                }
                return lines.toString();
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        });
        assertThat(plan)
                .contains("Index Only Scan using ix_sehat_res_link_target_src on hfj_res_link t0")
                .doesNotContain("Sort")
                .doesNotContain("Filter: (t0.target_resource_id");
        assertThat(jdbc.queryForList(firstPage, Long.class))
                .as("the patient's observations")
                .hasSize(3);
    }

    @Test
    void resLinkIdsKeepFewEnoughStatisticsForIdListsToPlanQuickly() {
        // Migration V9: HAPI sets 10,000 most common values on both ids; the planner compares every
        // id of an IN list with each of them (240 ms to plan a page's include query).
        Map<String, Integer> targets = new HashMap<>();
        jdbc.query(
                "SELECT attname, attstattarget FROM pg_attribute WHERE attrelid = 'hfj_res_link'::regclass"
                        + " AND attname IN ('src_resource_id', 'target_resource_id')",
                (ResultSet row) -> {
                    targets.put(row.getString(1), row.getObject(2) == null ? -1 : row.getInt(2));
                });
        assertThat(targets)
                .as("PostgreSQL's default for the source, 1,000 values for the target")
                .containsEntry("src_resource_id", -1)
                .containsEntry("target_resource_id", 1000);
    }

    // ---------------------------------------------------------------- $validate and $meta

    @Test
    void validateAcceptsAValidResourceAndExplainsAnInvalidOne() {
        MethodOutcome ok =
                fhir.validate().resource(patient("Asad", "Umar", "1961-06-06")).execute();
        assertThat(((OperationOutcome) ok.getOperationOutcome()).getIssue())
                .noneMatch(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR);

        Observation noStatusNoCode = new Observation();
        noStatusNoCode.setValue(new StringType("positive"));
        // $validate answers 200 with its findings; the errors name the missing required elements.
        MethodOutcome invalid = fhir.validate().resource(noStatusNoCode).execute();
        assertThat(((OperationOutcome) invalid.getOperationOutcome()).getIssue())
                .filteredOn(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR)
                .extracting(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics)
                .anyMatch(d -> d.contains("Observation.status"))
                .anyMatch(d -> d.contains("Observation.code"));
    }

    @Test
    void metaOperationsAddAndReadTags() {
        IdType id = create(patient("Mehwish", "Hayat", "1983-01-06"));

        fhir.meta()
                .add()
                .onResource(id.toUnqualifiedVersionless())
                .meta(new Meta().addTag("https://fhir.sehathub.pk/tag", "reviewed", "Reviewed"))
                .execute();

        Meta meta = fhir.meta()
                .get(Meta.class)
                .fromResource(id.toUnqualifiedVersionless())
                .execute();
        assertThat(meta.getTag()).extracting(c -> c.getCode()).contains("reviewed");
    }

    // ---------------------------------------------------------------- Bulk Data $export

    @Test
    void bulkExportAtSystemPatientAndGroupLevelWritesNdjson() {
        IdType member = create(patient("Waqar", "Younis", "1971-11-16"));
        create(observation(member, "718-7", "Hemoglobin", 14.2));
        Group group = new Group().setType(Group.GroupType.PERSON).setActual(true);
        group.addMember().setEntity(new Reference(member.toUnqualifiedVersionless()));
        IdType groupId = create(group);

        assertThat(exportLines("/fhir/$export?_type=Patient")).anyMatch(line -> line.contains(member.getIdPart()));
        assertThat(exportLines("/fhir/Patient/$export?_type=Patient,Observation"))
                .anyMatch(line -> line.contains("\"resourceType\":\"Observation\""));
        List<String> groupLines = exportLines("/fhir/Group/" + groupId.getIdPart() + "/$export?_type=Patient");
        assertThat(groupLines).hasSize(1).allMatch(line -> line.contains(member.getIdPart()));
    }

    @Test
    void aBulkExportOfMoreResourcesOfOneTypeThanAPageHoldsCompletes() {
        // HAPI's export reads each chunk of ids with one synchronous search; capped at the page size
        // (200), a chunk of more made the whole export fail (HAPI-0464).
        String marker = "export-" + UUID.randomUUID();
        Bundle batch = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (int i = 0; i < 250; i++) {
            org.hl7.fhir.r4.model.Basic basic = new org.hl7.fhir.r4.model.Basic();
            basic.getCode().setText(marker);
            batch.addEntry()
                    .setResource(basic)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Basic");
        }
        server.fhir().transaction().withBundle(batch).execute();

        assertThat(exportLines("/fhir/$export?_type=Basic"))
                .filteredOn(line -> line.contains(marker))
                .hasSize(250);
    }

    // ---------------------------------------------------------------- formats and compression

    @Test
    void speaksJsonAndXml() {
        String xml = "<Patient xmlns=\"http://hl7.org/fhir\"><name><family value=\"Afridi\"/></name></Patient>";
        HttpResponse<byte[]> created = server.send(
                HttpRequest.newBuilder()
                        .POST(HttpRequest.BodyPublishers.ofString(xml))
                        .header("Content-Type", "application/fhir+xml")
                        .header("Accept", "application/fhir+xml"),
                "/fhir/Patient");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(new String(created.body(), StandardCharsets.UTF_8)).contains("<family value=\"Afridi\"/>");
        String location = created.headers().firstValue("Location").orElseThrow();
        String id = new IdType(location).getIdPart();

        HttpResponse<byte[]> asXml = server.get("/fhir/Patient/" + id + "?_format=xml");
        assertThat(asXml.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/fhir+xml");
        HttpResponse<byte[]> asJson = server.get("/fhir/Patient/" + id, "Accept", "application/fhir+json");
        assertThat(asJson.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/fhir+json");
        assertThat(new String(asJson.body(), StandardCharsets.UTF_8)).contains("\"family\":\"Afridi\"");
    }

    @Test
    void compressesResponsesAndAcceptsCompressedRequests() throws IOException {
        String family = "Gzip" + UUID.randomUUID().toString().substring(0, 8);
        byte[] body = gzip(encode(patient("Shoaib", family, "1975-08-13")).getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> created = server.send(
                HttpRequest.newBuilder()
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .header("Content-Type", "application/fhir+json")
                        .header("Content-Encoding", "gzip"),
                "/fhir/Patient");
        assertThat(created.statusCode()).isEqualTo(201);

        HttpResponse<byte[]> compressed = server.get("/fhir/metadata", "Accept-Encoding", "gzip");
        assertThat(compressed.headers().firstValue("Content-Encoding")).contains("gzip");
        JsonNode capabilities = JSON.readTree(gunzip(compressed.body()));
        assertThat(capabilities.get("resourceType").asText()).isEqualTo("CapabilityStatement");
        assertThat(searchIds("Patient?family=" + family)).hasSize(1);
    }

    // ---------------------------------------------------------------- integrity and errors

    @Test
    void refusesAReferenceToAResourceThatDoesNotExist() {
        Observation orphan =
                observation(new IdType("Patient", "missing-" + UUID.randomUUID()), "718-7", "Hemoglobin", 9.0);

        assertThatThrownBy(() -> fhir.create().resource(orphan).execute())
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.getMessage()).contains("not found"));
    }

    @Test
    void badRequestsGetAnOperationOutcomeAndNoStackTrace() {
        assertOperationOutcome(server.get("/fhir/Patient?no-such-param=1"), 400, "Unknown search parameter");
        assertOperationOutcome(server.get("/fhir/NotAResource"), 404, "Unknown resource type");
        assertOperationOutcome(server.get("/fhir/Patient/" + UUID.randomUUID()), 404, "is not known");
        assertOperationOutcome(
                post("/fhir/Patient", "{\"resourceType\":\"Patient\",", "application/fhir+json"),
                400,
                "Failed to parse");
        assertOperationOutcome(
                post("/fhir/Patient", "<Patient xmlns=\"http://hl7.org/fhir\"><name>", "application/fhir+xml"),
                400,
                "Failed to parse");
        assertOperationOutcome(
                post(
                        "/fhir/Patient",
                        "{\"resourceType\":\"Patient\",\"birthDate\":\"2020-13-45\"}",
                        "application/fhir+json"),
                400,
                "birthDate");
        assertOperationOutcome(
                post(
                        "/fhir/Patient",
                        "{\"resourceType\":\"Observation\",\"status\":\"final\"}",
                        "application/fhir+json"),
                400,
                "Observation");
    }

    // ---------------------------------------------------------------- operations endpoints

    @Test
    void healthReportsDatabaseAndDiskAndPrometheusServesMetrics() throws IOException {
        HttpResponse<byte[]> health = server.get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode components = JSON.readTree(health.body()).get("components");
        assertThat(components.get("db").get("status").asText()).isEqualTo("UP");
        assertThat(components.get("diskSpace").get("status").asText()).isEqualTo("UP");

        fhir.capabilities().ofType(CapabilityStatement.class).execute();
        HttpResponse<byte[]> metrics = server.get("/actuator/prometheus");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(new String(metrics.body(), StandardCharsets.UTF_8))
                .contains("jvm_memory_used_bytes")
                .contains("jdbc_connections_active")
                .contains("http_server_requests_seconds_count");
    }

    // ---------------------------------------------------------------- lookups answered at once

    /**
     * A lookup by identifier or by id whose matches fit a page is answered without HAPI's search
     * storage (search.OnePageLookups): nothing in hfj_search, every match and the right total. One
     * whose matches do not fit, or any other search, is stored and pages as before.
     */
    @Test
    void lookupsThatFitAPageAreAnsweredWithoutStoringTheSearchAndOthersStillPage() {
        String one = "LOOKUP-" + UUID.randomUUID();
        Patient alone = patient("Zarmeena", "Achakzai", "1991-03-03");
        alone.addIdentifier().setSystem(MRN).setValue(one);
        IdType aloneId = create(alone);

        Bundle found = search("Patient?identifier=" + MRN + "|" + one);
        assertThat(found.getEntry())
                .extracting(e -> e.getResource().getIdElement().getIdPart())
                .containsExactly(aloneId.getIdPart());
        assertThat(found.getTotal()).isEqualTo(1);
        assertThat(searchIds("Patient?_id=" + aloneId.getIdPart())).containsExactly(aloneId.getIdPart());
        assertThat(storedSearches(one))
                .as("the identifier lookup was not stored")
                .isZero();
        assertThat(storedSearches(aloneId.getIdPart())).as("nor the id lookup").isZero();

        // Three records with one identifier (HAPI allows it), asked two to a page: stored, paged.
        String shared = "LOOKUP-" + UUID.randomUUID();
        List<String> sharing = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Patient p = patient("Shabana" + i, "Achakzai", "1991-03-03");
            p.addIdentifier().setSystem(MRN).setValue(shared);
            sharing.add(create(p).getIdPart());
        }
        Bundle first = search("Patient?identifier=" + MRN + "|" + shared + "&_count=2");
        assertThat(first.getEntry()).hasSize(2);
        assertThat(first.getLink(Bundle.LINK_NEXT)).as("a next page").isNotNull();
        Bundle second = fhir.loadPage().next(first).execute();
        List<String> paged = new ArrayList<>();
        first.getEntry().forEach(e -> paged.add(e.getResource().getIdElement().getIdPart()));
        second.getEntry().forEach(e -> paged.add(e.getResource().getIdElement().getIdPart()));
        assertThat(paged).containsExactlyInAnyOrderElementsOf(sharing);
        assertThat(storedSearches(shared)).as("stored, to be paged").isOne();

        // The same three fit the default page: answered at once, all of them.
        assertThat(searchIds("Patient?identifier=" + MRN + "|" + shared)).containsExactlyInAnyOrderElementsOf(sharing);
        assertThat(storedSearches(shared)).isOne();

        // Any other parameter beside the identifier keeps HAPI's stored search.
        assertThat(searchIds("Patient?identifier=" + MRN + "|" + one + "&family=Achakzai"))
                .containsExactly(aloneId.getIdPart());
        assertThat(storedSearches(one)).isOne();
    }

    private int storedSearches(String marker) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM hfj_search WHERE search_query_string_vc LIKE ?",
                Integer.class,
                "%" + marker + "%");
    }

    // ================================================================ helpers

    static Patient patient(String given, String family, String birthDate) {
        Patient p = new Patient();
        p.addName().setFamily(family).addGiven(given);
        p.setBirthDateElement(new DateType(birthDate));
        return p;
    }

    static Observation observation(IdType subject, String loinc, String display, double value) {
        Observation o = new Observation();
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.getCode().addCoding().setSystem(LOINC).setCode(loinc).setDisplay(display);
        o.setSubject(new Reference(
                subject.getValue().startsWith("urn:")
                        ? subject.getValue()
                        : subject.toUnqualifiedVersionless().getValue()));
        o.setValue(new org.hl7.fhir.r4.model.Quantity()
                .setValue(value)
                .setSystem("http://unitsofmeasure.org")
                .setCode("g/dL"));
        return o;
    }

    IdType create(org.hl7.fhir.r4.model.Resource resource) {
        return (IdType) fhir.create().resource(resource).execute().getId();
    }

    Bundle search(String url) {
        return fhir.search()
                .byUrl(server.fhirBase() + "/" + url)
                .returnBundle(Bundle.class)
                .execute();
    }

    List<String> searchIds(String url) {
        List<String> ids = new ArrayList<>();
        for (BundleEntryComponent e : search(url).getEntry()) {
            if (e.getSearch().getMode() != Bundle.SearchEntryMode.INCLUDE) {
                ids.add(e.getResource().getIdElement().getIdPart());
            }
        }
        return ids;
    }

    int countByIdentifier(String mrn) {
        return search("Patient?identifier=" + MRN + "|" + mrn + "&_summary=count")
                .getTotal();
    }

    /** Follows every {@code next} link of a {@code $everything} response. */
    List<IBaseResource> everything(String patientId, String query) {
        List<IBaseResource> resources = new ArrayList<>();
        Bundle page = search("Patient/" + patientId + "/$everything?" + query);
        while (true) {
            page.getEntry().forEach(e -> resources.add(e.getResource()));
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                return resources;
            }
            page = fhir.loadPage().next(page).execute();
        }
    }

    /** Starts an export, drives HAPI's batch maintenance until it completes, and reads every file. */
    List<String> exportLines(String kickOff) {
        HttpResponse<byte[]> accepted =
                server.get(kickOff, "Prefer", "respond-async", "Accept", "application/fhir+json");
        assertThat(accepted.statusCode())
                .as(new String(accepted.body(), StandardCharsets.UTF_8))
                .isEqualTo(202);
        String status = accepted.headers().firstValue("Content-Location").orElseThrow();
        String statusPath = status.substring(server.root().length());

        // HAPI advances export jobs on a one-minute maintenance timer; the test runs a pass itself
        // rather than wait for the timer.
        HttpResponse<byte[]> manifest = await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> {
                            jobMaintenance.runMaintenancePass();
                            return server.get(statusPath);
                        },
                        r -> r.statusCode() == 200);

        List<String> lines = new ArrayList<>();
        try {
            for (JsonNode output : JSON.readTree(manifest.body()).get("output")) {
                String url = output.get("url").asText();
                HttpResponse<byte[]> file =
                        server.get(url.substring(server.root().length()), "Accept", "application/fhir+ndjson");
                assertThat(file.statusCode()).isEqualTo(200);
                for (String line : new String(file.body(), StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isBlank()) {
                        JSON.readTree(line);
                        lines.add(line);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    HttpResponse<byte[]> post(String path, String body, String contentType) {
        return server.send(
                HttpRequest.newBuilder()
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", contentType),
                path);
    }

    static void assertOperationOutcome(HttpResponse<byte[]> response, int status, String diagnosticsContain) {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.statusCode()).as(body).isEqualTo(status);
        // The error answers in the request's format: XML for an XML body, JSON otherwise.
        OperationOutcome outcome = (OperationOutcome)
                EncodingEnum.detectEncoding(body).newParser(FhirTestClient.FHIR).parseResource(body);
        assertThat(outcome.getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains(diagnosticsContain);
        assertThat(body).doesNotContain("\tat ").doesNotContain("Exception:");
    }

    static String encode(IBaseResource resource) {
        return FhirTestClient.FHIR.newJsonParser().encodeResourceToString(resource);
    }

    static String uniqueMrn() {
        return "MRN-" + UUID.randomUUID();
    }

    static Bundle readBundle(String resource) throws IOException {
        try (InputStream in =
                new GZIPInputStream(AbstractFhirServerIT.class.getClassLoader().getResourceAsStream(resource))) {
            return FhirTestClient.FHIR.newJsonParser().parseResource(Bundle.class, in);
        }
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    static byte[] gunzip(byte[] data) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return in.readAllBytes();
        }
    }
}
