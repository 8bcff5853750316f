package org.sehathub.mappers.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.PID;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.issuesAt;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.map;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.only;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.resources;

import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Encounter.EncounterStatus;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.sehathub.mappers.MappingException;
import org.sehathub.mappers.MappingResult;
import org.sehathub.mappers.NamingSystems;

/** The ADT events that share the structures of A01, A09, A17, A30 and A39. */
class AdtEventsTest {

    private static final String PV1 = "PV1|1|I|W4^12^B^Mayo||||||||||||||||V-9|||||||||||||||||||||||||20240315090000";

    @Test
    void aChangeFromOutpatientToInpatientUpdatesTheVisitAndLeavesThePriorVisitInMrgAlone() {
        MappingResult result = map(
                "ADT^A06^ADT_A06", "EVN|A06|20240315100000", PID, "MRG|MR-1001^^^Mayo Hospital Lahore^MR||||V-8", PV1);
        Bundle.BundleEntryComponent entry = result.bundle().getEntry().stream()
                .filter(e -> e.getResource() instanceof Encounter)
                .findFirst()
                .orElseThrow();
        assertThat(entry.getRequest().getMethod())
                .as("the sender's visit is replaced")
                .isEqualTo(Bundle.HTTPVerb.PUT);
        Encounter e = (Encounter) entry.getResource();
        assertThat(e.getClass_().getCode()).as("PV1-2 I").isEqualTo("IMP");
        assertThat(e.getStatus()).isEqualTo(EncounterStatus.INPROGRESS);
        assertThat(result.bundle().getEntry()).noneMatch(x -> x.getRequest().getMethod() == Bundle.HTTPVerb.PATCH);
        assertThat(issuesAt(result, "MRG")).singleElement().asString().startsWith("INFORMATION");
    }

    @Test
    void aChangeFromInpatientToOutpatientAndTrackingEventsKeepTheVisitInProgress() {
        for (String event : List.of("A07", "A09", "A10")) {
            Encounter e = only(map("ADT^" + event, "EVN|" + event + "|20240315100000", PID, PV1), Encounter.class);
            assertThat(e.getStatus()).as(event).isEqualTo(EncounterStatus.INPROGRESS);
        }
    }

    @Test
    void aBedSwapUpdatesBothPatientsVisits() {
        MappingResult result = map(
                "ADT^A17^ADT_A17",
                "EVN|A17|20240315100000",
                PID,
                "PV1|1|I|W4^12^B^Mayo||||||||||||||||V-9",
                "PID|2||MR-2002^^^Mayo Hospital Lahore^MR||Khan^Bilal||19800101|M",
                "PV1|1|I|W4^12^A^Mayo||||||||||||||||V-10");
        List<Encounter> visits = resources(result, Encounter.class);
        assertThat(visits).hasSize(2);
        assertThat(visits.get(0).getSubject().getReference())
                .isNotEqualTo(visits.get(1).getSubject().getReference());
        assertThat(visits).extracting(v -> v.getIdentifierFirstRep().getValue()).containsExactly("V-9", "V-10");
        assertThat(resources(result, Patient.class)).hasSize(2);
    }

    @Test
    void anA34MergeIsMappedLikeAnA40() {
        MappingResult result =
                map("ADT^A34^ADT_A30", "EVN|A34|20240315100000", PID, "MRG|MR-0999^^^Mayo Hospital Lahore^MR");
        Patient survivor = only(result, Patient.class);
        assertThat(survivor.getLinkFirstRep().getType()).isEqualTo(Patient.LinkType.REPLACES);
        assertThat(result.bundle().getEntry())
                .anyMatch(e -> e.getRequest().getMethod() == Bundle.HTTPVerb.PATCH
                        && e.getRequest().getUrl().endsWith("MR-0999"));
    }

    @Test
    void anA39ThatNamesThePriorPersonInMrg4IsMerged() {
        MappingResult result =
                map("ADT^A39^ADT_A39", "EVN|A39|20240315100000", PID, "MRG||||MR-0998^^^Mayo Hospital Lahore^MR");
        assertThat(result.bundle().getEntry())
                .anyMatch(e -> e.getRequest().getMethod() == Bundle.HTTPVerb.PATCH
                        && e.getRequest().getUrl().endsWith("MR-0998"));
    }

    @Test
    void aMergeEventWithoutMrgIsRefused() {
        assertThatThrownBy(() -> map("ADT^A34^ADT_A30", "EVN|A34|20240315100000", PID))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("ADT^A34 has no MRG");
    }

    private static final String SECOND_PID = "PID|2||MR-2002^^^Mayo Hospital Lahore^MR||Khan^Ayesha||19900101|F";

    private static List<Bundle.BundleEntryComponent> patches(MappingResult result) {
        return result.bundle().getEntry().stream()
                .filter(e -> e.getRequest().getMethod() == Bundle.HTTPVerb.PATCH)
                .toList();
    }

    @Test
    void aLinkOfTwoRecordsPatchesEachWithASeeAlsoLinkToTheOtherAndCreatesNeither() {
        MappingResult result = map("ADT^A24^ADT_A24", "EVN|A24|20240315100000", PID, SECOND_PID);
        assertThat(resources(result, Patient.class)).hasSize(2);
        assertThat(result.bundle().getEntry())
                .filteredOn(e -> e.getResource() instanceof Patient)
                .allSatisfy(e -> assertThat(e.getRequest().getMethod())
                        .as("created only if the hub does not have it: a link message is no registration")
                        .isEqualTo(Bundle.HTTPVerb.POST));
        List<Bundle.BundleEntryComponent> patches = patches(result);
        assertThat(patches).hasSize(2);
        assertThat(patches.get(1).getRequest().getUrl()).endsWith("MR-2002");
        Parameters first = (Parameters) patches.get(0).getResource();
        Parameters.ParametersParameterComponent value = first.getParameter().get(0).getPart().stream()
                .filter(p -> p.getName().equals("value"))
                .findFirst()
                .orElseThrow();
        Reference other = (Reference) value.getPart().get(0).getValue();
        assertThat(other.getIdentifier().getValue()).isEqualTo("MR-2002");
        assertThat(other.getReference()).as("the second PID's entry").startsWith("urn:uuid:");
        assertThat(value.getPart().get(1).getValue().primitiveValue()).isEqualTo("seealso");
    }

    @Test
    void anUnlinkDeletesOnlyTheSeeAlsoLinkToTheOtherRecordFromEach() {
        MappingResult result = map("ADT^A37^ADT_A37", "EVN|A37|20240315100000", PID, SECOND_PID);
        List<Bundle.BundleEntryComponent> patches = patches(result);
        assertThat(patches).hasSize(2);
        Parameters first = (Parameters) patches.get(0).getResource();
        assertThat(first.getParameter()).hasSize(1);
        Parameters.ParametersParameterComponent marker = first.getParameter().get(0).getPart().stream()
                .filter(p -> p.getName().equals("value"))
                .findFirst()
                .orElseThrow();
        assertThat(marker.getPart().get(0).getValue().primitiveValue()).isEqualTo(NamingSystems.UNLINK);
        assertThat(((Identifier) marker.getPart().get(1).getValue()).getValue()).isEqualTo("MR-2002");
    }

    @Test
    void aLinkMustNameTwoDifferentPatients() {
        assertThatThrownBy(() -> map("ADT^A24^ADT_A24", "EVN|A24|20240315100000", PID))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("must name two patients");
        assertThatThrownBy(() -> map("ADT^A24^ADT_A24", "EVN|A24|20240315100000", PID, PID.replace("PID|1", "PID|2")))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("same patient");
    }
}
