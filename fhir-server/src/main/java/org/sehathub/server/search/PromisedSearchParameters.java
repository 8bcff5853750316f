package org.sehathub.server.search;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.jpa.searchparam.registry.ReadOnlySearchParamCache;
import ca.uhn.fhir.jpa.searchparam.registry.RuntimeSearchParamCache;
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
 * answers 400, as for an unknown parameter). Types not listed keep every R4 parameter. Search
 * parameters stored as resources ({@code district}) are not affected. docs/api.md lists what is
 * kept, docs/decisions/0006-index-only-promised-search-parameters.md says why.
 */
public final class PromisedSearchParameters {

    private final Map<String, Set<String>> listed;

    /**
     * @param listed per resource type, the non-reference parameters to keep besides {@code
     *     identifier} and the resource-level ones
     * @throws IllegalArgumentException naming every type that is not an R4 resource and every
     *     parameter R4 does not define on its type: a misspelt name would otherwise drop a search
     *     without a word
     */
    public PromisedSearchParameters(FhirContext fhir, Map<String, List<String>> listed) {
        Map<String, Set<String>> checked = new TreeMap<>();
        List<String> unknown = new ArrayList<>();
        listed.forEach((key, names) -> {
            // Spring Boot may hand map keys over in lower case: matched without regard to case.
            String type = fhir.getResourceTypes().stream()
                    .filter(key::equalsIgnoreCase)
                    .findFirst()
                    .orElse(null);
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
                    "sehat.fhir.promised-search-parameters names search parameters R4 does not define: "
                            + String.join(", ", unknown));
        }
        this.listed = Map.copyOf(checked);
    }

    /** Whether the server indexes and answers this built-in parameter of this type. */
    public boolean keeps(String resourceType, RuntimeSearchParam parameter) {
        Set<String> kept = listed.get(resourceType);
        String name = parameter.getName();
        return kept == null
                || kept.contains(name)
                || parameter.getParamType() == RestSearchParameterTypeEnum.REFERENCE
                || name.equals("identifier")
                || name.startsWith("_");
    }

    /**
     * R4's built-in parameters less the ones not kept, for HAPI's search-parameter registry in
     * place of all of them. {@code fhir} gives each type's parameters, as HAPI's own list is built
     * from it.
     */
    public ReadOnlySearchParamCache limit(FhirContext fhir, ReadOnlySearchParamCache builtIn) {
        RuntimeSearchParamCache kept = RuntimeSearchParamCache.fromReadOnlySearchParamCache(builtIn);
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

    /** The types whose parameters are limited, each with the parameters listed for it. */
    public Map<String, Set<String>> listed() {
        return listed;
    }
}
