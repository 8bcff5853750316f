package org.sehathub.server.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.jpa.searchparam.registry.ReadOnlySearchParamCache;
import ca.uhn.fhir.jpa.searchparam.registry.RuntimeSearchParamCache;
import ca.uhn.fhir.jpa.searchparam.registry.SearchParameterCanonicalizer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PromisedSearchParametersTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final ReadOnlySearchParamCache R4 =
            ReadOnlySearchParamCache.fromFhirContext(FHIR, new SearchParameterCanonicalizer(FHIR));

    private static Set<String> namesOf(ReadOnlySearchParamCache cache, String type) {
        RuntimeSearchParamCache copy = RuntimeSearchParamCache.fromReadOnlySearchParamCache(cache);
        Set<String> names = new TreeSet<>();
        for (RuntimeSearchParam parameter : FHIR.getResourceDefinition(type).getSearchParams()) {
            if (copy.get(type, parameter.getName()) != null) {
                names.add(parameter.getName());
            }
        }
        return names;
    }

    @Test
    void aListedTypeKeepsItsReferencesIdentifierResourceLevelAndListedParametersOnly() {
        PromisedSearchParameters promised =
                new PromisedSearchParameters(FHIR, Map.of("Observation", List.of("code", "date")));

        Set<String> kept = namesOf(promised.limit(FHIR, R4), "Observation");

        assertThat(kept)
                .containsExactlyInAnyOrder(
                        "code",
                        "date",
                        "identifier",
                        "_id",
                        "_lastUpdated",
                        "_profile",
                        "_security",
                        "_tag",
                        // every reference parameter of R4's Observation
                        "based-on",
                        "derived-from",
                        "device",
                        "encounter",
                        "focus",
                        "has-member",
                        "part-of",
                        "patient",
                        "performer",
                        "specimen",
                        "subject");
    }

    @Test
    void aTypeNotListedKeepsEveryR4Parameter() {
        PromisedSearchParameters promised = new PromisedSearchParameters(FHIR, Map.of("Observation", List.of("code")));

        ReadOnlySearchParamCache limited = promised.limit(FHIR, R4);

        assertThat(namesOf(limited, "Patient"))
                .isEqualTo(namesOf(R4, "Patient"))
                .contains("phonetic", "telecom");
        assertThat(namesOf(limited, "Condition")).isEqualTo(namesOf(R4, "Condition"));
    }

    @Test
    void anEmptyListKeepsReferencesAndIdentifierOnly() {
        PromisedSearchParameters promised = new PromisedSearchParameters(FHIR, Map.of("Claim", List.of()));

        assertThat(namesOf(promised.limit(FHIR, R4), "Claim"))
                .doesNotContain("created", "status", "use", "priority")
                .contains("identifier", "patient", "provider", "encounter", "_id", "_lastUpdated");
    }

    @Test
    void typeNamesAreMatchedWithoutRegardToCase() {
        PromisedSearchParameters promised = new PromisedSearchParameters(FHIR, Map.of("observation", List.of("code")));

        assertThat(promised.listed()).containsOnlyKeys("Observation");
        assertThat(namesOf(promised.limit(FHIR, R4), "Observation")).doesNotContain("value-string");
    }

    @Test
    void unknownTypesAndParametersAreRefusedByName() {
        assertThatThrownBy(() -> new PromisedSearchParameters(
                        FHIR,
                        Map.of(
                                "Observation", List.of("code", "combocode"),
                                "Observaton", List.of("code"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Observation:combocode")
                .hasMessageContaining("Observaton (not an R4 resource type)");
    }
}
