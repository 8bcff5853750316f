package org.sehathub.mappers.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.MAPPER;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.PID;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.issuesAt;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.map;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.message;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.junit.jupiter.api.Test;
import org.sehathub.mappers.MappingException;
import org.sehathub.mappers.MappingResult;
import org.sehathub.mappers.SourceInfo;

/** Message-level behaviour: what is refused, what is reported, idempotency, provenance. */
class Hl7v2MapperTest {

    @Test
    void refusesAnUnsupportedMsh9MessageType() {
        assertThatThrownBy(() -> map("RDE^O11", PID))
                .isInstanceOf(MappingException.class)
                .hasMessageStartingWith("MSH-9: message type RDE^O11 is not supported");
    }

    @Test
    void refusesAnAdtWithoutPid() {
        assertThatThrownBy(() -> map("ADT^A01", "PV1|1|I"))
                .isInstanceOf(MappingException.class)
                .hasMessage("PID: ADT^A01 has no PID segment; there is no patient to file it to");
    }

    @Test
    void refusesAMessageWithoutMsh4SendingFacility() {
        String noFacility = "MSH|^~\\&|MAYO-HIS||SEHATHUB|SEHATHUB|20240315103000||ADT^A04|M1|P|2.5\r" + PID + "\r";
        assertThatThrownBy(() -> MAPPER.map(noFacility))
                .isInstanceOf(MappingException.class)
                .satisfies(e -> assertThat(((MappingException) e).getLocation()).isEqualTo("MSH-4"));
    }

    @Test
    void refusesAnA40WithoutMrg() {
        assertThatThrownBy(() -> map("ADT^A40", PID))
                .isInstanceOf(MappingException.class)
                .satisfies(e -> assertThat(((MappingException) e).getLocation()).isEqualTo("MRG"));
    }

    @Test
    void refusesAnA40WhoseMrg1IsTheSurvivorsOwnIdentifier() {
        assertThatThrownBy(() -> map("ADT^A40", PID, "MRG|MR-1001^^^Mayo Hospital Lahore^MR"))
                .isInstanceOf(MappingException.class)
                .satisfies(e -> assertThat(((MappingException) e).getLocation()).isEqualTo("MRG-1[1]"));
    }

    @Test
    void mergesMrg1IntoTheSurvivorWithAConditionalPatchOfThePriorRecord() {
        MappingResult result = map("ADT^A40", PID, "MRG|MR-0999^^^Mayo Hospital Lahore^MR");
        Patient survivor = Hl7TestMessages.only(result, Patient.class);
        assertThat(survivor.getLinkFirstRep().getType().toCode()).isEqualTo("replaces");
        assertThat(survivor.getLinkFirstRep().getOther().getIdentifier().getValue())
                .as("MRG-1")
                .isEqualTo("MR-0999");
        Bundle.BundleEntryComponent patch =
                result.bundle().getEntry().get(result.bundle().getEntry().size() - 1);
        assertThat(patch.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.PATCH);
        assertThat(patch.getRequest().getUrl())
                .isEqualTo("Patient?identifier=https://fhir.sehathub.pk/sid/mrn/mayo-hospital-lahore%7CMR-0999");
    }

    @Test
    void reportsAnUnknownZSegmentWithItsOccurrence() {
        MappingResult result = map("ADT^A04", PID, "ZPK|1|Sehat card");
        assertThat(issuesAt(result, "ZPK[1]"))
                .singleElement()
                .asString()
                .isEqualTo("WARNING ZPK[1]: unknown Z-segment ZPK; not mapped");
    }

    @Test
    void reportsAKnownSegmentItDoesNotMap() {
        MappingResult result = map("ADT^A01", PID, "IN1|1|SEHAT^Sehat Sahulat^L");
        assertThat(issuesAt(result, "IN1[1]")).singleElement().asString().startsWith("INFORMATION");
    }

    @Test
    void mapsTheSameMessageTwiceToTheSameBundle() throws Exception {
        for (Path hl7 : Hl7v2GoldenTest.goldenMessages().toList()) {
            byte[] bytes = Files.readAllBytes(hl7);
            String first = Hl7v2GoldenTest.stableJson(MAPPER.map(bytes).bundle());
            String second = Hl7v2GoldenTest.stableJson(MAPPER.map(bytes).bundle());
            assertThat(second).as("second mapping of %s", hl7).isEqualTo(first);
        }
    }

    @Test
    void writesEveryEntryConditionallyOrUnderADeterministicId() throws Exception {
        for (Path hl7 : Hl7v2GoldenTest.goldenMessages().toList()) {
            for (Bundle.BundleEntryComponent e :
                    MAPPER.map(Files.readAllBytes(hl7)).bundle().getEntry()) {
                Bundle.BundleEntryRequestComponent r = e.getRequest();
                boolean idempotent = (r.getMethod() == Bundle.HTTPVerb.POST && r.hasIfNoneExist())
                        || (r.getMethod() == Bundle.HTTPVerb.PUT
                                && (r.getUrl().contains("?") || r.getUrl().contains("/")))
                        || (r.getMethod() == Bundle.HTTPVerb.PATCH && r.getUrl().contains("?"));
                assertThat(idempotent)
                        .as("%s %s in %s", r.getMethod(), r.getUrl(), hl7)
                        .isTrue();
            }
        }
    }

    @Test
    void derivesTheSourceFromMshWhenTheTransportGivesNone() {
        MappingResult result = map("ADT^A04", PID);
        Provenance p = Hl7TestMessages.only(result, Provenance.class);
        assertThat(p.getEntityFirstRep().getWhat().getIdentifier().getValue())
                .as("MSH-10")
                .isEqualTo("MSG-1");
        assertThat(p.getAgent())
                .extracting(a -> a.getWho().getDisplay())
                .as("MSH-4, MSH-3")
                .containsExactly("Mayo Hospital Lahore", "MAYO-HIS");
        assertThat(p.getOccurredDateTimeType().getValueAsString()).as("MSH-7").isEqualTo("2024-03-15T10:30:00+05:00");
        assertThat(Hl7TestMessages.only(result, MessageHeader.class)
                        .getEventCoding()
                        .getCode())
                .as("MSH-9.2")
                .isEqualTo("A04");
    }

    @Test
    void usesTheSourceTheTransportGives() {
        ParsedHl7 parsed = new Hl7v2Parser().parse(message("ADT^A04", PID));
        SourceInfo source = new SourceInfo(
                "mllp-port-2575", "Mayo Hospital Lahore", "MSG-1", Instant.parse("2024-03-15T05:31:00Z"));
        Provenance p = Hl7TestMessages.only(MAPPER.map(parsed, source), Provenance.class);
        assertThat(p.getRecorded().toInstant()).isEqualTo(Instant.parse("2024-03-15T05:31:00Z"));
        assertThat(p.getAgent().get(1).getWho().getDisplay()).isEqualTo("mllp-port-2575");
    }
}
