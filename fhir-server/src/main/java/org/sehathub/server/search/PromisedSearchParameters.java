package org.sehathub.server.search;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.jpa.searchparam.registry.ReadOnlySearchParamCache;
import ca.uhn.fhir.jpa.searchparam.registry.RuntimeSearchParamCache;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which of R4's built-in search parameters the server indexes and answers. For each resource type
 * listed ({@code sehat.fhir.promised-search-parameters}): its reference parameters (which {@code
 * $everything}, compartments, {@code _include} and referential integrity rest on), {@code
 * identifier} (conditional writes), the resource-level ones ({@code _id}, {@code _lastUpdated},
 * {@code _tag}, ...) and the ones listed; the others are neither indexed nor searchable (HAPI
 * answers 400, as for an unknown parameter). Types not listed keep every R4 parameter. The full
 * text ({@code _content}, {@code _text}) is kept only on the types of {@code
 * sehat.fhir.full-text-types} (all, if it is empty): HAPI neither extracts the words of the others
 * nor writes their Lucene documents. Search parameters stored as resources ({@code district}) are
 * not affected. docs/api.md lists what is kept,
 * docs/decisions/0006-index-only-promised-search-parameters.md says why.
 */
public final class PromisedSearchParameters {

    private static final Set<String> FULL_TEXT = Set.of(Constants.PARAM_CONTENT, Constants.PARAM_TEXT);

    private final FhirContext fhir;
    private final Map<String, Set<String>> listed;
    private final Set<String> fullTextTypes;

    /**
     * @param listed per resource type, the non-reference parameters to keep besides {@code
     *     identifier} and the resource-level ones
     * @param fullTextTypes the types whose words are indexed for {@code _content} and {@code
     *     _text}; empty for every type
     * @throws IllegalArgumentException naming every type that is not an R4 resource and every
     *     parameter R4 does not define on its type: a misspelt name would otherwise drop a search
     *     without a word
     */
    public PromisedSearchParameters(FhirContext fhir, Map<String, List<String>> listed, List<String> fullTextTypes) {
        Map<String, Set<String>> checked = new TreeMap<>();
        List<String> unknown = new ArrayList<>();
        Set<String> fullText = new TreeSet<>();
        for (String key : fullTextTypes) {
            String type = r4Type(fhir, key);
            if (type == null) {
                unknown.add(key + " (sehat.fhir.full-text-types: not an R4 resource type)");
            } else {
                fullText.add(type);
            }
        }
        listed.forEach((key, names) -> {
            String type = r4Type(fhir, key);
            if (type == null) {
                unknown.add(key + " (not an R4 resource type)");
                return;
            }
            RuntimeResourceDefinition definition = fhir.getResourceDefinition(type);
            Set<String> kept = new TreeSet<>();
            for (String name : names == null ? List.<String>of() : names) {
                String trimmed = name.trim();
                if (definition.getSearchParam(trimmed) == null) {
                    unknown.add(type + ":" + trimmed);
                } else {
                    kept.add(trimmed);
                }
            }
            checked.put(type, Set.copyOf(kept));
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    "sehat.fhir.promised-search-parameters or full-text-types name what R4 does not define: "
                            + String.join(", ", unknown));
        }
        this.fhir = fhir;
        this.listed = Map.copyOf(checked);
        this.fullTextTypes = Set.copyOf(fullText);
    }

    /** Spring Boot may hand map keys over in lower case: types are matched without regard to case. */
    private static String r4Type(FhirContext fhir, String name) {
        return fhir.getResourceTypes().stream()
                .filter(name.trim()::equalsIgnoreCase)
                .findFirst()
                .orElse(null);
    }

    /** Whether the server indexes and answers this built-in parameter of this type. */
    private boolean keeps(String resourceType, RuntimeSearchParam parameter) {
        String name = parameter.getName();
        if (FULL_TEXT.contains(name)) {
            return fullTextTypes.isEmpty() || fullTextTypes.contains(resourceType);
        }
        Set<String> kept = listed.get(resourceType);
        return kept == null
                || kept.contains(name)
                || parameter.getParamType() == RestSearchParameterTypeEnum.REFERENCE
                || name.equals("identifier")
                || name.startsWith("_");
    }

    /**
     * R4's built-in parameters ({@code builtIn}, as HAPI builds them from the FhirContext) less the
     * ones not kept, for HAPI's search-parameter registry in place of all of them.
     */
    public ReadOnlySearchParamCache limit(ReadOnlySearchParamCache builtIn) {
        RuntimeSearchParamCache kept = RuntimeSearchParamCache.fromReadOnlySearchParamCache(builtIn);
        for (String type : fhir.getResourceTypes()) {
            for (String name : FULL_TEXT) {
                RuntimeSearchParam registered = kept.get(type, name);
                if (registered != null && !keeps(type, registered)) {
                    kept.remove(type, name);
                }
            }
        }
        for (String type : listed.keySet()) {
            for (RuntimeSearchParam parameter : fhir.getResourceDefinition(type).getSearchParams()) {
                RuntimeSearchParam registered = kept.get(type, parameter.getName());
                if (registered != null && !keeps(type, registered)) {
                    kept.remove(type, parameter.getName());
                }
            }
        }
        return ReadOnlySearchParamCache.fromRuntimeSearchParamCache(kept);
    }

    /** The types whose words are indexed for {@code _content} and {@code _text}; empty for all. */
    Set<String> fullTextTypes() {
        return fullTextTypes;
    }

    /** The types whose parameters are limited, each with the parameters listed for it. */
    Map<String, Set<String>> listed() {
        return listed;
    }
}
