package org.sehathub.mappers.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.PID;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.map;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.only;

import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Immunization.ImmunizationStatus;
import org.junit.jupiter.api.Test;
import org.sehathub.mappers.MappingException;

/** ORC, RXA, RXR and the dose-number OBX of VXU^V04 field by field. */
class ImmunizationMappingTest {

    private static Immunization immunization(String... segments) {
        String[] all = new String[segments.length + 1];
        all[0] = PID;
        System.arraycopy(segments, 0, all, 1, segments.length);
        return only(map("VXU^V04", all), Immunization.class);
    }

    @Test
    void mapsALocalEpiNameInRxa5ToCvx() {
        Immunization i = immunization("RXA|0|1|20240624||PCV10^Pneumococcal 10-valent^L|0.5|mL");
        assertThat(i.getVaccineCode().getCoding())
                .extracting(c -> c.getSystem() + "|" + c.getCode())
                .as("RXA-5")
                .contains("http://hl7.org/fhir/sid/cvx|177");
    }

    @Test
    void mapsRxa3AdministrationDateAndRxa15Lot() {
        Immunization i = immunization("RXA|0|1|20240624||BCG^BCG^L|0.05|mL||||||||BCG-LOT-7");
        assertThat(i.getOccurrenceDateTimeType().getValueAsString()).as("RXA-3").isEqualTo("2024-06-24");
        assertThat(i.getLotNumber()).as("RXA-15").isEqualTo("BCG-LOT-7");
    }

    @Test
    void mapsRxa20RefusedToNotDoneWithRxa18Reason() {
        Immunization i = immunization("RXA|0|1|20240624||OPV^OPV^L|999||||||||||||00^Parental decision^NIP002||RE");
        assertThat(i.getStatus()).as("RXA-20 RE").isEqualTo(ImmunizationStatus.NOTDONE);
        assertThat(i.getStatusReason().getCodingFirstRep().getDisplay())
                .as("RXA-18")
                .isEqualTo("Parental decision");
        assertThat(i.hasDoseQuantity()).as("RXA-6 999 is unknown").isFalse();
    }

    @Test
    void mapsRxa20PartialToSubpotent() {
        Immunization i = immunization("RXA|0|1|20240624||OPV^OPV^L|1|drops|||||||||||||PA");
        assertThat(i.getStatus()).isEqualTo(ImmunizationStatus.COMPLETED);
        assertThat(i.getIsSubpotent()).as("RXA-20 PA").isTrue();
    }

    @Test
    void mapsRxa21DeleteToEnteredInError() {
        Immunization i = immunization("RXA|0|1|20240624||OPV^OPV^L|2|drops|||||||||||||CP|D");
        assertThat(i.getStatus()).as("RXA-21 D").isEqualTo(ImmunizationStatus.ENTEREDINERROR);
    }

    @Test
    void mapsRxrRouteAndSiteInTheirHl7Tables() {
        Immunization i = immunization("RXA|0|1|20240624||PENTA^Penta^L|0.5|mL", "RXR|IM|LT");
        assertThat(i.getRoute().getCodingFirstRep().getSystem())
                .as("RXR-1")
                .isEqualTo("http://terminology.hl7.org/CodeSystem/v2-0162");
        assertThat(i.getSite().getCodingFirstRep().getSystem())
                .as("RXR-2")
                .isEqualTo("http://terminology.hl7.org/CodeSystem/v2-0163");
    }

    @Test
    void mapsTheDoseNumberObservationToProtocolApplied() {
        Immunization i = immunization(
                "RXA|0|1|20240624||PENTA^Penta^L|0.5|mL", "OBX|1|NM|30973-2^Dose number in series^LN||3||||||F");
        assertThat(i.getProtocolAppliedFirstRep().getDoseNumberPositiveIntType().getValue())
                .as("OBX-5 30973-2")
                .isEqualTo(3);
    }

    @Test
    void keysOnOrc3WhenPresentAndOnPatientVaccineAndDateOtherwise() {
        var withOrc = map("VXU^V04", PID, "ORC|RE||EPI-1", "RXA|0|1|20240624||BCG^BCG^L");
        var withoutOrc = map("VXU^V04", PID, "RXA|0|1|20240624||BCG^BCG^L");
        assertThat(withOrc.bundle().getEntry())
                .extracting(e -> e.getRequest().getUrl())
                .contains(
                        "Immunization?identifier=https://fhir.sehathub.pk/sid/immunization/mayo-hospital-lahore%7CEPI-1");
        assertThat(withoutOrc.bundle().getEntry())
                .extracting(e -> e.getRequest().getUrl())
                .anyMatch(u -> u.startsWith("Immunization/"));
    }

    @Test
    void refusesAnRxaWithoutRxa3() {
        assertThatThrownBy(() -> immunization("RXA|0|1|||BCG^BCG^L"))
                .isInstanceOf(MappingException.class)
                .hasMessage("RXA[1]-3: administration date/time is empty");
    }

    @Test
    void refusesAnRxaWithoutRxa5() {
        assertThatThrownBy(() -> immunization("RXA|0|1|20240624"))
                .isInstanceOf(MappingException.class)
                .hasMessage("RXA[1]-5: administered vaccine code is empty");
    }
}
