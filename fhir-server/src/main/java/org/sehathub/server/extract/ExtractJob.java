package org.sehathub.server.extract;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes one de-identified extract ({@link Extracts}): every person's Patient and events of the
 * record, one NDJSON file per type under the extract's folder, people first so that the k-anonymity
 * check ({@link KAnonymity}) decides who is released before anything of theirs is written. A
 * person is all the records patient linking put together (docs/mpi.md), released as one Patient:
 * k counts people, not records. People who refused research use of their record (an active
 * {@code Consent} with scope {@code research} and provision {@code deny}, on any of their records)
 * are left out. The lineage (what was asked, when, by whom, under which rules) is a Provenance in
 * the extract.
 */
final class ExtractJob {

    /** The consent scope of research use (HL7 consentscope). */
    static final String RESEARCH = "research";

    static final String RULES = "sehat-deid-1: pseudonyms per extract (HMAC-SHA256), dates to the month,"
            + " 90+ grouped, k-anonymity on birth, sex, province, district";

    private static final int BATCH = 500;
    private static final Logger log = LoggerFactory.getLogger(ExtractJob.class);

    /** What an extract was asked for; {@code parquet}: the analytic views as Parquet, not NDJSON resources. */
    record Request(String id, List<String> types, int k, String requester, String query, boolean parquet) {}

    /** One written file: its type, name and how many resources it holds. */
    record Output(String type, String file, int count) {}

    private final FhirContext fhir;
    private final DaoRegistry daos;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    ExtractJob(FhirContext fhir, DaoRegistry daos, JdbcTemplate jdbc, Clock clock) {
        this.fhir = fhir;
        this.daos = daos;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Writes the extract into {@code folder}, its manifest last ({@code manifest.json}): a folder
     * without one is an extract not finished.
     */
    void write(Request request, Path folder, Consumer<String> progress) throws IOException {
        Files.createDirectories(folder);
        Instant started = clock.instant();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Deidentifier deidentifier = new Deidentifier(key);

        progress.accept("reading people");
        Map<String, String> linked = new HashMap<>();
        jdbc.query("SELECT patient_id, person_id FROM sehat_person_link", rs -> {
            linked.put(rs.getString(1), rs.getString(2));
        });
        Map<String, String> personOfRecord = new HashMap<>();
        Map<String, Patient> firstRecord = new LinkedHashMap<>();
        eachResource("Patient", resource -> {
            Patient patient = (Patient) resource;
            String id = patient.getIdElement().getIdPart();
            String person = linked.getOrDefault(id, "record-" + id); // not linked (yet): a person of its own
            personOfRecord.put(id, person);
            firstRecord.putIfAbsent(person, patient);
        });
        Set<String> optedOut = refusedResearch(personOfRecord);
        Map<String, KAnonymity.Quasi> quasi = new LinkedHashMap<>();
        firstRecord.forEach((person, patient) -> {
            if (!optedOut.contains(person)) {
                quasi.put(person, quasiOf(patient));
            }
        });
        KAnonymity.Result anonymity =
                KAnonymity.check(quasi, request.k(), LocalDate.ofInstant(started, ZoneOffset.UTC));

        IParser parser = fhir.newJsonParser().setPrettyPrint(false);
        List<Output> outputs = new ArrayList<>();
        Map<String, String> views = viewVersions();
        if (request.parquet()) {
            progress.accept("writing the views as Parquet");
            try {
                outputs.addAll(
                        ParquetViews.write(folder, jdbc, request.types(), personOfRecord, anonymity, deidentifier));
            } catch (java.sql.SQLException e) {
                throw new IOException("writing Parquet failed", e);
            }
        } else {
            writeResources(
                    request, folder, deidentifier, anonymity, firstRecord, personOfRecord, parser, outputs, progress);
        }
        Provenance provenance = provenance(request, started, views);
        Files.writeString(
                folder.resolve("Provenance.ndjson"),
                parser.encodeResourceToString(provenance) + "\n",
                StandardCharsets.UTF_8);
        outputs.add(new Output("Provenance", "Provenance.ndjson", 1));
        writeManifest(folder, request, started, outputs, anonymity, optedOut.size(), firstRecord.size(), views);
        log.info(
                "de-identified extract {} written: {} of {} people released ({}; {} left out by the k-anonymity"
                        + " check, {} refused research), {}",
                request.id(),
                anonymity.released().size(),
                firstRecord.size(),
                anonymity.levelName(),
                anonymity.dropped().size(),
                optedOut.size(),
                outputs);
    }

    /** The resources as NDJSON, one file per type, people first. */
    private void writeResources(
            Request request,
            Path folder,
            Deidentifier deidentifier,
            KAnonymity.Result anonymity,
            Map<String, Patient> firstRecord,
            Map<String, String> personOfRecord,
            IParser parser,
            List<Output> outputs,
            Consumer<String> progress)
            throws IOException {
        if (request.types().contains("Patient")) {
            progress.accept("writing Patient");
            int count = 0;
            try (BufferedWriter out =
                    Files.newBufferedWriter(folder.resolve("Patient.ndjson"), StandardCharsets.UTF_8)) {
                for (Map.Entry<String, KAnonymity.Released> released :
                        anonymity.released().entrySet()) {
                    Patient patient = deidentifier.patient(
                            released.getKey(), firstRecord.get(released.getKey()), released.getValue());
                    out.write(parser.encodeResourceToString(patient));
                    out.write('\n');
                    count++;
                }
            }
            outputs.add(new Output("Patient", "Patient.ndjson", count));
        }
        for (String type : Deidentifier.TYPES) {
            if (type.equals("Patient") || !request.types().contains(type)) {
                continue;
            }
            progress.accept("writing " + type);
            int[] count = {0};
            try (BufferedWriter out =
                    Files.newBufferedWriter(folder.resolve(type + ".ndjson"), StandardCharsets.UTF_8)) {
                eachResource(type, resource -> {
                    String record = subjectOf((Resource) resource);
                    String person = record == null ? null : personOfRecord.get(record);
                    if (person == null || !anonymity.released().containsKey(person)) {
                        return; // of nobody released: left out with its person
                    }
                    try {
                        out.write(parser.encodeResourceToString(deidentifier.event((Resource) resource, person)));
                        out.write('\n');
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    count[0]++;
                });
            }
            outputs.add(new Output(type, type + ".ndjson", count[0]));
        }
    }

    /** Each analytic view's name and the fingerprint of the definition its table was built from. */
    private Map<String, String> viewVersions() {
        Map<String, String> views = new java.util.TreeMap<>();
        jdbc.query("SELECT view_name, fingerprint FROM sehat_analytics.view_state", rs -> {
            views.put(rs.getString(1), rs.getString(2));
        });
        return views;
    }

    /** Every current resource of a type, in the order stored, read in batches. */
    private void eachResource(String type, Consumer<IBaseResource> each) {
        long after = 0;
        while (true) {
            List<Map<String, Object>> page = jdbc.queryForList(
                    "SELECT res_id, fhir_id FROM hfj_resource WHERE res_type = ? AND res_deleted_at IS NULL"
                            + " AND res_id > ? ORDER BY res_id LIMIT ?",
                    type,
                    after,
                    BATCH);
            if (page.isEmpty()) {
                return;
            }
            TokenOrListParam ids = new TokenOrListParam();
            page.forEach(row -> ids.addOr(new TokenParam((String) row.get("fhir_id"))));
            SearchParameterMap search = SearchParameterMap.newSynchronous().add("_id", ids);
            Map<String, IBaseResource> byId = new HashMap<>();
            daos.getResourceDao(type)
                    .search(search, new SystemRequestDetails())
                    .getAllResources()
                    .forEach(r -> byId.put(r.getIdElement().getIdPart(), r));
            for (Map<String, Object> row : page) {
                IBaseResource resource = byId.get((String) row.get("fhir_id"));
                if (resource != null) {
                    each.accept(resource);
                }
            }
            after = ((Number) page.get(page.size() - 1).get("res_id")).longValue();
        }
    }

    /** The Patient record a resource is about (its id), or null. */
    private static String subjectOf(Resource resource) {
        Reference subject = resource instanceof Immunization immunization
                ? immunization.getPatient()
                : (Reference) resource.getNamedProperty("subject").getValues().stream()
                        .findFirst()
                        .orElse(new Reference());
        return "Patient".equals(subject.getReferenceElement().getResourceType())
                ? subject.getReferenceElement().getIdPart()
                : null;
    }

    private static KAnonymity.Quasi quasiOf(Patient patient) {
        Address address = patient.getAddress().isEmpty() ? new Address() : patient.getAddressFirstRep();
        return new KAnonymity.Quasi(
                patient.hasBirthDate() ? patient.getBirthDateElement().getValueAsString() : null,
                patient.hasGender() ? patient.getGender().toCode() : "unknown",
                address.hasState() ? address.getState() : null,
                address.hasDistrict() ? address.getDistrict() : null);
    }

    /** The people with an active refusal of research use on any of their records. */
    private Set<String> refusedResearch(Map<String, String> personOfRecord) {
        Set<String> refused = new HashSet<>();
        SearchParameterMap search = SearchParameterMap.newSynchronous()
                .add("scope", new TokenParam(null, RESEARCH))
                .add("status", new TokenParam(null, "active"));
        for (IBaseResource resource : daos.getResourceDao("Consent")
                .search(search, new SystemRequestDetails())
                .getAllResources()) {
            Consent consent = (Consent) resource;
            if (consent.getProvision().getType() == Consent.ConsentProvisionType.DENY) {
                String person = personOfRecord.get(
                        consent.getPatient().getReferenceElement().getIdPart());
                if (person != null) {
                    refused.add(person);
                }
            }
        }
        return refused;
    }

    private Provenance provenance(Request request, Instant started, Map<String, String> views) {
        Provenance provenance = new Provenance();
        provenance.setId(request.id());
        provenance.addTarget(new Reference()
                .setIdentifier(new Identifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + request.id()))
                .setDisplay("de-identified extract " + request.id()));
        provenance.setRecorded(Date.from(started));
        provenance.setActivity(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle",
                "deidentify",
                "De-Identify (Anononymize)")));
        provenance.addPolicy("https://fhir.sehathub.pk/deidentification/" + RULES.substring(0, RULES.indexOf(':')));
        provenance
                .addAgent()
                .setType(new CodeableConcept(new Coding(
                        "http://terminology.hl7.org/CodeSystem/provenance-participant-type", "author", "Author")))
                .setWho(new Reference().setDisplay(request.requester()));
        provenance
                .addEntity()
                .setRole(Provenance.ProvenanceEntityRole.SOURCE)
                .setWhat(new Reference()
                        .setDisplay("Sehat Hub record as of " + started + "; asked: " + request.query()));
        if (request.parquet()) {
            // The views the Parquet files were made from, each in the version its table was built from.
            views.forEach((name, fingerprint) -> provenance
                    .addEntity()
                    .setRole(Provenance.ProvenanceEntityRole.SOURCE)
                    .setWhat(new Reference()
                            .setIdentifier(new Identifier()
                                    .setSystem("https://fhir.sehathub.pk/analytics/view")
                                    .setValue(name + "@sha256:" + fingerprint))
                            .setDisplay("analytic view " + name)));
        }
        return provenance;
    }

    private static void writeManifest(
            Path folder,
            Request request,
            Instant started,
            List<Output> outputs,
            KAnonymity.Result anonymity,
            int optedOut,
            int people,
            Map<String, String> views)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode manifest = json.createObjectNode();
        manifest.put("transactionTime", started.toString());
        manifest.put("request", request.query());
        manifest.put("requiresAccessToken", true);
        manifest.put("outputFormat", request.parquet() ? ExtractController.PARQUET : "application/fhir+ndjson");
        ArrayNode output = manifest.putArray("output");
        for (Output o : outputs) {
            output.addObject().put("type", o.type()).put("url", o.file()).put("count", o.count());
        }
        manifest.putArray("error");
        ObjectNode deid = manifest.putObject("extension").putObject("deidentification");
        deid.put("rules", RULES);
        deid.put("k", request.k());
        deid.put("quasiIdentifiers", anonymity.levelName());
        deid.put("generalizationLevel", anonymity.level());
        deid.put("smallestGroup", anonymity.smallestGroup());
        deid.put("people", people);
        deid.put("peopleReleased", anonymity.released().size());
        deid.put("peopleLeftOutByTheCheck", anonymity.dropped().size());
        deid.put("peopleWhoRefusedResearch", optedOut);
        deid.put("kAnonymous", anonymity.released().isEmpty() || anonymity.smallestGroup() >= request.k());
        if (request.parquet()) {
            ObjectNode versions = deid.putObject("views");
            views.forEach((name, fingerprint) -> versions.put(name, "sha256:" + fingerprint));
        }
        Path partial = folder.resolve("manifest.json.partial");
        json.writerWithDefaultPrettyPrinter().writeValue(partial.toFile(), manifest);
        Files.move(partial, folder.resolve("manifest.json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
