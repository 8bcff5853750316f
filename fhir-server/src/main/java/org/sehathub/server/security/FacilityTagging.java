package org.sehathub.server.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IBaseCoding;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Resource;
import org.sehathub.mappers.NamingSystems;

/**
 * Keeps hospitals inside their own facilities when they write through {@code /fhir}: a resource
 * they store is tagged ({@code meta.tag} {@link NamingSystems#FACILITY_TAG}, code = the facility's
 * slug) with the facility its tag already names, which must be one of the client's, or with the
 * client's first facility; identifiers in another facility's namespace
 * ({@code .../sid/mrn/<facility>}) are refused (403); updating or deleting a resource that is not
 * its facilities' is answered as if it did not exist (404). Ingested messages are tagged by the
 * sink ({@code InProcessBundleSink}) with the facility the message names; a Bundle a hospital wrote
 * itself and sent to {@code /ingest/fhir} is held to the same rules ({@link #actingFor}).
 *
 * <p>HAPI keeps a resource's earlier tags on update, so a resource written by two facilities (a
 * shared practitioner) is visible to both.
 */
public class FacilityTagging {

    /** The hospital an ingested Bundle is written for ({@link #actingFor}), on the writing thread. */
    private static final ThreadLocal<Caller> INGEST_SENDER = new ThreadLocal<>();

    /** Identifier namespaces minted per facility: .../sid/mrn/<slug>, visit, accession. */
    private static final List<String> FACILITY_NAMESPACES = List.of(
            "https://fhir.sehathub.pk/sid/mrn/",
            "https://fhir.sehathub.pk/sid/visit/",
            "https://fhir.sehathub.pk/sid/accession/");

    /**
     * Narrows every conditional URL of a hospital's write to its own facilities ({@code _tag}), so
     * that HAPI never matches another facility's resource and its answer never tells that one
     * exists: in the resource or Bundle sent, conditional references ({@code Patient?identifier=...})
     * and a transaction entry's {@code ifNoneExist} and conditional {@code url}. (A conditional
     * create or update of a single resource is narrowed by {@link ScopeConsent}, which HAPI asks
     * about their matches; a conditional delete by {@link #narrowConditionalDelete}.)
     */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void narrowConditionalUrls(RequestDetails request) {
        hospital().ifPresent(caller -> {
            String narrowing = narrowing(caller);
            if (request.getResource() instanceof Bundle bundle) {
                narrow(bundle, narrowing, request.getFhirContext());
            } else {
                narrowReferences(request.getFhirContext(), request.getResource(), narrowing);
            }
        });
    }

    /**
     * Writes a Bundle a hospital's system wrote itself, received by an ingest channel for {@code
     * facility} (the sender checked for it), with the rights that hospital has over {@code /fhir}:
     * its conditional URLs and references narrowed to the facility, and the storage hooks below
     * checking each resource as they check a hospital's own writes. The write runs on this thread.
     */
    public static <T> T actingFor(String facility, Bundle bundle, FhirContext fhir, Supplier<T> write) {
        Caller sender = new Caller("ingest:" + facility, Role.HOSPITAL, List.of(), List.of(facility), "", null, null);
        narrow(bundle, narrowing(sender), fhir);
        Caller previous = INGEST_SENDER.get();
        INGEST_SENDER.set(sender);
        try {
            return write.get();
        } finally {
            if (previous == null) {
                INGEST_SENDER.remove();
            } else {
                INGEST_SENDER.set(previous);
            }
        }
    }

    private static void narrow(Bundle bundle, String narrowing, FhirContext fhir) {
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Bundle.BundleEntryRequestComponent entryRequest = entry.getRequest();
            if (entryRequest.hasIfNoneExist()) {
                entryRequest.setIfNoneExist(entryRequest.getIfNoneExist() + "&" + narrowing);
            }
            if (entryRequest.hasUrl()
                    && entryRequest.getUrl().contains("?")
                    && entryRequest.getMethod() != Bundle.HTTPVerb.GET
                    && entryRequest.getMethod() != Bundle.HTTPVerb.HEAD) {
                entryRequest.setUrl(entryRequest.getUrl() + "&" + narrowing);
            }
            narrowReferences(fhir, entry.getResource(), narrowing);
        }
    }

    /** A conditional delete's URL, before HAPI reads it (it does so before PRE_HANDLED). */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public void narrowConditionalDelete(RequestDetails request) {
        if (request.getRestOperationType() == RestOperationTypeEnum.DELETE
                && request.getConditionalUrl(RestOperationTypeEnum.DELETE) != null) {
            hospital().ifPresent(caller -> request.setCompleteUrl(request.getCompleteUrl() + "&" + narrowing(caller)));
        }
    }

    private static String narrowing(Caller caller) {
        return "_tag=" + URLEncoder.encode(tagValues(caller), StandardCharsets.UTF_8);
    }

    private static void narrowReferences(FhirContext fhir, IBaseResource resource, String narrowing) {
        if (resource == null) {
            return;
        }
        for (IBaseReference reference :
                fhir.newTerser().getAllPopulatedChildElementsOfType(resource, IBaseReference.class)) {
            String target = reference.getReferenceElement().getValue();
            if (target != null && target.contains("?")) {
                reference.setReference(target + "&" + narrowing);
            }
        }
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        tagForWriter(resource, Set.of());
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource updated) {
        hospital().ifPresent(caller -> requireOwn(caller, previous));
        tagForWriter(updated, facilitiesOf(previous));
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
    public void deleted(IBaseResource resource) {
        hospital().ifPresent(caller -> requireOwn(caller, resource));
    }

    /**
     * @param earlier the facilities the resource carried before this write (a shared resource may
     *     carry another facility's too; sending them back is not naming them anew)
     */
    private void tagForWriter(IBaseResource resource, Set<String> earlier) {
        hospital().ifPresent(caller -> {
            Set<String> own = slugs(caller);
            requireOwnNamespaces(resource, own);
            Set<String> named = new HashSet<>(facilitiesOf(resource));
            named.removeAll(earlier);
            if (named.isEmpty()) {
                tag(resource, caller.facilities().get(0));
            } else if (!own.containsAll(named)) {
                throw new ForbiddenOperationException("meta.tag " + NamingSystems.FACILITY_TAG
                        + " names a facility this" + " client does not send for; it sends for " + caller.facilities());
            }
        });
    }

    /** The facilities (slugs) a resource is tagged with. */
    public static Set<String> facilitiesOf(IBaseResource resource) {
        return resource.getMeta().getTag().stream()
                .filter(t -> NamingSystems.FACILITY_TAG.equals(t.getSystem()) && t.getCode() != null)
                .map(IBaseCoding::getCode)
                .collect(Collectors.toSet());
    }

    /** The {@code _tag} search value (system|slug, comma-separated) of the caller's facilities. */
    public static String tagValues(Caller caller) {
        return slugs(caller).stream()
                .sorted()
                .map(slug -> NamingSystems.FACILITY_TAG + "|" + slug)
                .collect(Collectors.joining(","));
    }

    /** The caller's facilities as the slugs resources are tagged with. */
    public static Set<String> slugs(Caller caller) {
        return caller.facilities().stream().map(IngestSenderPolicy::namespaceOf).collect(Collectors.toSet());
    }

    /** True when the resource carries one of the caller's facilities. */
    public static boolean belongsTo(Caller caller, IBaseResource resource) {
        Set<String> own = slugs(caller);
        return facilitiesOf(resource).stream().anyMatch(own::contains);
    }

    /** Tags {@code resource} with {@code facility}, once. */
    public static void tag(IBaseResource resource, String facility) {
        String slug = IngestSenderPolicy.namespaceOf(facility);
        if (!slug.isEmpty() && !facilitiesOf(resource).contains(slug)) {
            resource.getMeta()
                    .addTag()
                    .setSystem(NamingSystems.FACILITY_TAG)
                    .setCode(slug)
                    .setDisplay(facility);
        }
    }

    private static void requireOwn(Caller caller, IBaseResource resource) {
        if (!belongsTo(caller, resource)) {
            throw new ResourceNotFoundException(resource.getIdElement().toUnqualifiedVersionless());
        }
    }

    private static void requireOwnNamespaces(IBaseResource resource, Set<String> own) {
        if (!(resource instanceof Resource r)) {
            return;
        }
        for (var child : r.children()) {
            if (!child.getTypeCode().equals("Identifier")) {
                continue;
            }
            for (var value : child.getValues()) {
                if (value instanceof Identifier identifier && identifier.getSystem() != null) {
                    for (String namespace : FACILITY_NAMESPACES) {
                        if (identifier.getSystem().startsWith(namespace)
                                && !own.contains(identifier.getSystem().substring(namespace.length()))) {
                            throw new ForbiddenOperationException(
                                    "Identifier system " + identifier.getSystem() + " is another facility's namespace");
                        }
                    }
                }
            }
        }
    }

    /** The hospital writing: the caller of this request, or the sender of a Bundle being ingested. */
    private static Optional<Caller> hospital() {
        Caller sender = INGEST_SENDER.get();
        return sender != null ? Optional.of(sender) : Caller.current().filter(c -> c.is(Role.HOSPITAL));
    }
}
