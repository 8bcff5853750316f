package org.sehathub.server.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.searchparam.registry.ReadOnlySearchParamCache;
import ca.uhn.fhir.jpa.searchparam.registry.RuntimeSearchParamCache;
import ca.uhn.fhir.jpa.searchparam.registry.SearchParameterCanonicalizer;
import ca.uhn.fhir.rest.api.Constants;
import java.util.ArrayList;
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
        List<String> candidates = new ArrayList<>(List.of(Constants.PARAM_CONTENT, Constants.PARAM_TEXT));
        FHIR.getResourceDefinition(type).getSearchParams().forEach(p -> candidates.add(p.getName()));
        for (String name : candidates) {
            if (copy.get(type, name) != null) {
                names.add(name);
            }
        }
        return names;
    }

    @Test
    void aListedTypeKeepsItsReferencesIdentifierResourceLevelAndListedParametersOnly() {
        PromisedSearchParameters promised =
                new PromisedSearchParameters(FHIR, Map.of("Observation", List.of("code", "date")), List.of());

        Set<String> kept = namesOf(promised.limit(R4), "Observation");

        assertThat(kept)
                .containsExactlyInAnyOrder(
                        "code",
                        "date",
                        "identifier",
                        "_id",
                        "_lastUpdated",
                        "_content",
                        "_text",
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
        PromisedSearchParameters promised =
                new PromisedSearchParameters(FHIR, Map.of("Observation", List.of("code")), List.of());

        ReadOnlySearchParamCache limited = promised.limit(R4);

        assertThat(namesOf(limited, "Patient"))
                .isEqualTo(namesOf(R4, "Patient"))
                .contains("phonetic", "telecom");
        assertThat(namesOf(limited, "Condition")).isEqualTo(namesOf(R4, "Condition"));
    }

    @Test
    void fullTextIsKeptOnlyOnTheFullTextTypes() {
        PromisedSearchParameters promised =
                new PromisedSearchParameters(FHIR, Map.of(), List.of("Observation", "Patient"));

        RuntimeSearchParamCache limited = RuntimeSearchParamCache.fromReadOnlySearchParamCache(promised.limit(R4));

        for (String type : List.of("Observation", "Patient")) {
            assertThat(limited.get(type, "_content")).as(type).isNotNull();
            assertThat(limited.get(type, "_text")).as(type).isNotNull();
        }
        for (String type : List.of("Claim", "Organization", "Provenance")) {
            assertThat(limited.get(type, "_content")).as(type).isNull();
            assertThat(limited.get(type, "_text")).as(type).isNull();
            assertThat(limited.get(type, "_id")).as(type).isNotNull();
        }
        // Still registered under its URL: HAPI adds its own _content to every type when none is.
        assertThat(limited.getByUrl(Constants.PARAM_CONTENT_URL)).isNotNull();
        assertThat(limited.getByUrl(Constants.PARAM_TEXT_URL)).isNotNull();
    }

    @Test
    void noFullTextTypesMeansEveryType() {
        PromisedSearchParameters promised = new PromisedSearchParameters(FHIR, Map.of(), List.of());

        RuntimeSearchParamCache limited = RuntimeSearchParamCache.fromReadOnlySearchParamCache(promised.limit(R4));

        assertThat(limited.get("Claim", "_content")).isNotNull();
    }

    @Test
    void anEmptyListKeepsReferencesAndIdentifierOnly() {
        PromisedSearchParameters promised = new PromisedSearchParameters(FHIR, Map.of("Claim", List.of()), List.of());

        assertThat(namesOf(promised.limit(R4), "Claim"))
                .doesNotContain("created", "status", "use", "priority")
                .contains("identifier", "patient", "provider", "encounter", "_id", "_lastUpdated");
    }

    @Test
    void typeNamesAreMatchedWithoutRegardToCase() {
        PromisedSearchParameters promised =
                new PromisedSearchParameters(FHIR, Map.of("observation", List.of("code")), List.of("patient"));

        assertThat(promised.listed()).containsOnlyKeys("Observation");
        assertThat(promised.fullTextTypes()).containsExactly("Patient");
        assertThat(namesOf(promised.limit(R4), "Observation")).doesNotContain("value-string");
    }

    @Test
    void unknownTypesAndParametersAreRefusedByName() {
        assertThatThrownBy(() -> new PromisedSearchParameters(
                        FHIR,
                        Map.of(
                                "Observation", List.of("code", "combocode"),
                                "Observaton", List.of("code")),
                        List.of("Patient", "Patients")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Patients (sehat.fhir.full-text-types: not an R4 resource type)")
                .hasMessageContaining("Observation:combocode")
                .hasMessageContaining("Observaton (not an R4 resource type)");
    }
}
