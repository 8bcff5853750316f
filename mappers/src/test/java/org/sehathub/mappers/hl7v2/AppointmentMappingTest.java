package org.sehathub.mappers.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.PID;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.issuesAt;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.map;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.only;

import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Appointment.AppointmentStatus;
import org.junit.jupiter.api.Test;
import org.sehathub.mappers.MappingException;
import org.sehathub.mappers.MappingResult;

/** SCH, TQ1 and AIS/AIG/AIL/AIP of SIU^S12 field by field. */
class AppointmentMappingTest {

    private static final String SCH_WITH_TIMING = "SCH|A-1|F-1|||||||20|min|^^^20240612150000^20240612152000";

    @Test
    void mapsSch11StartAndEndOfVersion25() {
        Appointment a = only(map("SIU^S12", SCH_WITH_TIMING, PID), Appointment.class);
        assertThat(a.getStartElement().getValueAsString()).as("SCH-11.4").isEqualTo("2024-06-12T15:00:00+05:00");
        assertThat(a.getEndElement().getValueAsString()).as("SCH-11.5").isEqualTo("2024-06-12T15:20:00+05:00");
        assertThat(a.getMinutesDuration()).as("SCH-9").isEqualTo(20);
        assertThat(a.getStatus()).isEqualTo(AppointmentStatus.BOOKED);
    }

    @Test
    void aParticipantRoleOutsideTable0443StaysALocalCodeAndOneInsideKeepsTheTable() {
        Appointment a = only(
                map(
                        "SIU^S12",
                        SCH_WITH_TIMING,
                        PID,
                        "AIP|1||D-1^Nadeem^Ayesha|ATND^Attending^HL70443",
                        "AIP|2||D-2^Khan^Omar|AT^Attending^HL70443"),
                Appointment.class);
        assertThat(a.getParticipant())
                .extracting(p -> p.getTypeFirstRep().getCodingFirstRep().getSystem())
                .filteredOn(system -> system != null && system.endsWith("v2-0443"))
                .hasSize(1);
        assertThat(a.getParticipant())
                .extracting(p -> p.getTypeFirstRep().getCodingFirstRep().getCode())
                .contains("ATND", "AT");
    }

    @Test
    void mapsTq1StartAndEnd() {
        Appointment a =
                only(map("SIU^S12", "SCH||F-1", "TQ1|1||||||20240708100000|20240708101500", PID), Appointment.class);
        assertThat(a.getStartElement().getValueAsString()).as("TQ1-7").isEqualTo("2024-07-08T10:00:00+05:00");
        assertThat(a.getEndElement().getValueAsString()).as("TQ1-8").isEqualTo("2024-07-08T10:15:00+05:00");
    }

    @Test
    void derivesTheEndFromAis4AndAis7Duration() {
        Appointment a = only(
                map("SIU^S12", "SCH||F-1", PID, "RGS|1", "AIS|1||OPD^OPD visit^L|20240612090000|||15|min"),
                Appointment.class);
        assertThat(a.getEndElement().getValueAsString()).as("AIS-4 + AIS-7").isEqualTo("2024-06-12T09:15:00+05:00");
    }

    @Test
    void marksATeleconsultationInAis3AsVirtual() {
        Appointment a = only(
                map("SIU^S12", SCH_WITH_TIMING, PID, "RGS|1", "AIS|1||TELE^Video teleconsultation^L"),
                Appointment.class);
        assertThat(a.getServiceType())
                .extracting(c -> c.getCodingFirstRep().getCode())
                .as("AIS-3")
                .containsExactly("TELE", "VR");
    }

    @Test
    void marksAVirtualAil4LocationTypeAsATeleconsultation() {
        Appointment a =
                only(map("SIU^S12", SCH_WITH_TIMING, PID, "RGS|1", "AIL|1||ECLINIC^^^PIMS|VIRTUAL"), Appointment.class);
        assertThat(a.getServiceType())
                .extracting(c -> c.getCodingFirstRep().getCode())
                .as("AIL-4")
                .contains("VR");
    }

    @Test
    void mapsAip3ToAPractitionerParticipantAfterThePatient() {
        Appointment a = only(
                map("SIU^S12", SCH_WITH_TIMING, PID, "RGS|1", "AIP|1||61872-P^Malik^Sadia^^^Dr^^^PMDC|ATND"),
                Appointment.class);
        assertThat(a.getParticipant())
                .extracting(p -> p.getActor().getDisplay())
                .as("PID, AIP-3")
                .containsExactly(null, "Dr Sadia Malik");
    }

    @Test
    void mapsSch25FillerStatus() {
        Appointment a = only(map("SIU^S12", SCH_WITH_TIMING + "||||||||||||||Cancelled", PID), Appointment.class);
        assertThat(a.getStatus()).as("SCH-25").isEqualTo(AppointmentStatus.CANCELLED);
    }

    @Test
    void makesABookingWithoutTimingProposedWithAWarning() {
        MappingResult result = map("SIU^S12", "SCH||F-1", PID);
        assertThat(only(result, Appointment.class).getStatus()).isEqualTo(AppointmentStatus.PROPOSED);
        assertThat(issuesAt(result, "SCH-11")).singleElement().asString().startsWith("WARNING");
    }

    @Test
    void refusesAScheduleWithoutSch1OrSch2() {
        assertThatThrownBy(() -> map("SIU^S12", "SCH|||||||ROUTINE^Routine^HL70276", PID))
                .isInstanceOf(MappingException.class)
                .hasMessageStartingWith("SCH-2: neither filler (SCH-2) nor placer appointment id (SCH-1)");
    }

    @Test
    void refusesAScheduleWithoutPatient() {
        assertThatThrownBy(() -> map("SIU^S12", SCH_WITH_TIMING))
                .isInstanceOf(MappingException.class)
                .satisfies(e -> assertThat(((MappingException) e).getLocation()).isEqualTo("PID"));
    }
}
