package org.sehathub.mappers;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TimeZone;
import java.util.UUID;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Builds a FHIR transaction Bundle whose writes are idempotent, so that storing the same source
 * record twice creates nothing twice.
 *
 * <p>Every entry gets a deterministic {@code urn:uuid:} fullUrl derived from the resource type and
 * its business key; other entries reference it by that fullUrl and the server rewrites the
 * references inside the transaction. Adding the same key twice returns the first entry's fullUrl
 * and does not add a second entry (a CSV file may name the same patient on many rows).
 */
public final class TransactionBundleBuilder {

    private static final Pattern UUID_PATTERN =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final Map<String, BundleEntryComponent> entries = new LinkedHashMap<>();

    /**
     * Adds a POST that the server skips when a resource matching {@code ifNoneExist} exists. The
     * entry's {@code ifNoneExist} is written with its type ({@code Patient?identifier=...}): HAPI
     * resolves such URLs for the whole transaction in one query, and the bare form one by one.
     *
     * @param ifNoneExist a search query without the type, e.g.
     *     {@code identifier=https://fhir.sehathub.pk/sid/cnic%7C35202-4567891-2}
     * @return the entry's fullUrl, for references from other entries
     */
    public String conditionalCreate(Resource resource, String ifNoneExist) {
        Objects.requireNonNull(ifNoneExist, "ifNoneExist");
        String type = resource.fhirType();
        String fullUrl = "urn:uuid:" + deterministicId(type, ifNoneExist);
        if (!entries.containsKey(fullUrl)) {
            BundleEntryComponent entry =
                    new BundleEntryComponent().setFullUrl(fullUrl).setResource(resource);
            entry.getRequest().setMethod(HTTPVerb.POST).setUrl(type).setIfNoneExist(type + "?" + ifNoneExist);
            entries.put(fullUrl, entry);
        }
        return fullUrl;
    }

    /**
     * Adds a PUT {@code Type?matchQuery}: creates the resource, or replaces the one that matches.
     *
     * @return the entry's fullUrl
     */
    public String conditionalUpdate(Resource resource, String matchQuery) {
        Objects.requireNonNull(matchQuery, "matchQuery");
        String type = resource.fhirType();
        String fullUrl = "urn:uuid:" + deterministicId(type, matchQuery);
        if (!entries.containsKey(fullUrl)) {
            BundleEntryComponent entry =
                    new BundleEntryComponent().setFullUrl(fullUrl).setResource(resource);
            entry.getRequest().setMethod(HTTPVerb.PUT).setUrl(type + "?" + matchQuery);
            entries.put(fullUrl, entry);
        }
        return fullUrl;
    }

    /**
     * Adds a PUT {@code Type/id} with an id we minted deterministically (see {@link
     * #deterministicId(String...)}). The resource's id is set to it.
     *
     * @return the entry's fullUrl, {@code urn:uuid:<id>} when the id is a UUID
     */
    public String update(Resource resource, String deterministicId) {
        Objects.requireNonNull(deterministicId, "deterministicId");
        String type = resource.fhirType();
        // The fullUrl names the same id as the resource so validators see no mismatch.
        String fullUrl = UUID_PATTERN.matcher(deterministicId).matches()
                ? "urn:uuid:" + deterministicId
                : "urn:uuid:" + deterministicId(type, deterministicId);
        if (!entries.containsKey(fullUrl)) {
            resource.setId(deterministicId);
            BundleEntryComponent entry =
                    new BundleEntryComponent().setFullUrl(fullUrl).setResource(resource);
            entry.getRequest().setMethod(HTTPVerb.PUT).setUrl(type + "/" + deterministicId);
            entries.put(fullUrl, entry);
        }
        return fullUrl;
    }

    /**
     * Adds the Provenance of this Bundle: the source system and facility as agents, the original
     * message id as the source entity, {@code recorded} = when the hub received it.
     *
     * <p>R4 Provenance has no identifier element, so instead of a conditional create on one the
     * Provenance gets an id derived from source system, facility and message id: storing the same
     * message again rewrites the same Provenance.
     *
     * @return the Provenance entry's fullUrl
     */
    public String provenance(SourceInfo source, List<String> targetFullUrls) {
        Objects.requireNonNull(source.messageId(), "source.messageId");
        if (targetFullUrls.isEmpty()) {
            throw new IllegalArgumentException("a Provenance needs at least one target");
        }
        Provenance provenance = new Provenance();
        targetFullUrls.forEach(url -> provenance.addTarget(new Reference(url)));
        Instant recorded = source.receivedAt() != null ? source.receivedAt() : Instant.now();
        // Written in UTC whatever the JVM's zone, so the output does not depend on the machine.
        provenance.setRecordedElement(
                new InstantType(Date.from(recorded), TemporalPrecisionEnum.MILLI, TimeZone.getTimeZone("UTC")));
        provenance.setActivity(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/v3-DataOperation", "CREATE", "create")));

        if (source.facility() != null && !source.facility().isBlank()) {
            Provenance.ProvenanceAgentComponent facilityAgent = provenance.addAgent();
            facilityAgent.setType(new CodeableConcept(new Coding(
                    "http://terminology.hl7.org/CodeSystem/provenance-participant-type", "author", "Author")));
            facilityAgent.setWho(new Reference()
                    .setIdentifier(new Identifier()
                            .setSystem(NamingSystems.facility())
                            .setValue(NamingSystems.slug(source.facility())))
                    .setDisplay(source.facility()));
        }
        if (source.sourceSystem() != null && !source.sourceSystem().isBlank()) {
            Provenance.ProvenanceAgentComponent systemAgent = provenance.addAgent();
            systemAgent.setType(new CodeableConcept(new Coding(
                    "http://terminology.hl7.org/CodeSystem/provenance-participant-type", "assembler", "Assembler")));
            systemAgent.setWho(new Reference()
                    .setType("Device")
                    .setIdentifier(new Identifier()
                            .setSystem(NamingSystems.SOURCE_SYSTEM)
                            .setValue(source.sourceSystem()))
                    .setDisplay(source.sourceSystem()));
        }
        provenance
                .addEntity()
                .setRole(Provenance.ProvenanceEntityRole.SOURCE)
                .setWhat(new Reference()
                        .setIdentifier(new Identifier()
                                .setSystem(NamingSystems.MESSAGE_ID)
                                .setValue(source.messageId()))
                        .setDisplay("original message " + source.messageId()));
        return update(
                provenance,
                deterministicId("Provenance", source.sourceSystem(), source.facility(), source.messageId()));
    }

    /** The entry already added under this fullUrl, if any. */
    public Optional<Resource> find(String fullUrl) {
        return Optional.ofNullable(entries.get(fullUrl)).map(BundleEntryComponent::getResource);
    }

    /** Every fullUrl added so far, in insertion order. */
    public List<String> fullUrls() {
        return List.copyOf(entries.keySet());
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The transaction Bundle with every entry in the order added. */
    public Bundle build() {
        Bundle bundle = new Bundle().setType(BundleType.TRANSACTION);
        entries.values().forEach(bundle::addEntry);
        return bundle;
    }

    /**
     * The search query {@code identifier=<system>%7C<value>} for a conditional create or update. The
     * value is escaped as FHIR search requires ({@link #searchEscaped}) and then URL-encoded (spaces
     * as {@code %20}): a ward named {@code 4 East, room 136} is one value, not two alternatives. Our
     * systems are URLs built from slugs and need neither.
     */
    public static String identifierQuery(String system, String value) {
        String encoded =
                URLEncoder.encode(searchEscaped(value), StandardCharsets.UTF_8).replace("+", "%20");
        return "identifier=" + searchEscaped(system) + "%7C" + encoded;
    }

    /**
     * A value as a FHIR search parameter must carry it: {@code \}, {@code ,}, {@code $} and {@code |}
     * escaped with a backslash (FHIR R4 search, "Escaping Search Parameters"); the server unescapes
     * them, so the value matched is the value stored.
     */
    public static String searchEscaped(String value) {
        StringBuilder escaped = new StringBuilder(value.length() + 8);
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == ',' || c == '$' || c == '|') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }

    /**
     * A name-based (version 3) UUID of the parts joined by {@code |}: the same parts always give the
     * same id. Null parts are written as empty strings.
     */
    public static String deterministicId(String... parts) {
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                joined.append('|');
            }
            joined.append(parts[i] == null ? "" : parts[i]);
        }
        return UUID.nameUUIDFromBytes(joined.toString().getBytes(StandardCharsets.UTF_8))
                .toString();
    }
}
