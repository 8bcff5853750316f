package org.sehathub.mappers.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.PID;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.issuesAt;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.map;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.only;

import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Encounter.EncounterStatus;
import org.junit.jupiter.api.Test;
import org.sehathub.mappers.MappingResult;
import org.sehathub.mappers.NamingSystems;

/** PV1, PV2, DG1 and AL1 field by field, and the encounter status per trigger event. */
class VisitMappingTest {

    private static final String PV1_ADMITTED =
            "PV1|1|I|W5^R2^B7||||||||||||||||V-1^^^Mayo Hospital Lahore^VN|||||||||||||||||||||||||20240315100000";

    private static Encounter encounter(String event, String pv1) {
        return only(map("ADT^" + event, PID, pv1), Encounter.class);
    }

    @Test
    void mapsPv1_2PatientClassToEncounterClass() {
        assertThat(encounter("A04", "PV1|1|O|||||||||||||||||V-1").getClass_().getCode())
                .as("PV1-2 O")
                .isEqualTo("AMB");
        assertThat(encounter("A04", "PV1|1|E|||||||||||||||||V-1").getClass_().getCode())
                .as("PV1-2 E")
                .isEqualTo("EMER");
        assertThat(encounter("A01", "PV1|1|I|||||||||||||||||V-1").getClass_().getCode())
                .as("PV1-2 I")
                .isEqualTo("IMP");
    }

    @Test
    void scopesPv1_19VisitNumberToTheFacilityAndMatchesOnIt() {
        MappingResult result = map("ADT^A01", PID, PV1_ADMITTED);
        Encounter e = only(result, Encounter.class);
        assertThat(e.getIdentifierFirstRep().getSystem())
                .as("PV1-19.4")
                .isEqualTo("https://fhir.sehathub.pk/sid/visit/mayo-hospital-lahore");
        assertThat(e.getIdentifierFirstRep().getValue()).as("PV1-19.1").isEqualTo("V-1");
        assertThat(result.bundle().getEntry().stream()
                        .filter(x -> x.getResource() instanceof Encounter)
                        .findFirst()
                        .orElseThrow()
                        .getRequest()
                        .getUrl())
                .isEqualTo("Encounter?identifier=https://fhir.sehathub.pk/sid/visit/mayo-hospital-lahore%7CV-1");
    }

    @Test
    void mapsPv1_44And45ToThePeriodAndA03ToFinished() {
        Encounter e = encounter("A03", PV1_ADMITTED + "|20240320120000");
        assertThat(e.getPeriod().getStartElement().getValueAsString())
                .as("PV1-44")
                .isEqualTo("2024-03-15T10:00:00+05:00");
        assertThat(e.getPeriod().getEndElement().getValueAsString())
                .as("PV1-45")
                .isEqualTo("2024-03-20T12:00:00+05:00");
        assertThat(e.getStatus()).isEqualTo(EncounterStatus.FINISHED);
    }

    @Test
    void setsTheStatusFromTheTriggerEvent() {
        assertThat(encounter("A01", PV1_ADMITTED).getStatus()).as("A01").isEqualTo(EncounterStatus.INPROGRESS);
        assertThat(encounter("A05", PV1_ADMITTED).getStatus()).as("A05").isEqualTo(EncounterStatus.PLANNED);
        assertThat(encounter("A11", PV1_ADMITTED).getStatus())
                .as("A11 cancel admit")
                .isEqualTo(EncounterStatus.CANCELLED);
        assertThat(encounter("A04", PV1_ADMITTED).getStatus()).as("A04").isEqualTo(EncounterStatus.ARRIVED);
    }

    @Test
    void a13CancelDischargeReopensTheEncounterWithoutAnEnd() {
        Encounter e = encounter("A13", PV1_ADMITTED);
        assertThat(e.getStatus()).isEqualTo(EncounterStatus.INPROGRESS);
        assertThat(e.getPeriod().hasEnd()).as("PV1-45 empty").isFalse();
    }

    @Test
    void mapsPv1_3ToALocationAndPv1_6ToACompletedOne() {
        Encounter e = encounter("A02", "PV1|1|I|ICU^3^12|||CCU^1^4|||||||||||||V-1");
        assertThat(e.getLocation())
                .extracting(
                        l -> l.getLocation().getDisplay() + " " + l.getStatus().toCode())
                .containsExactly("ICU, room 3, bed 12 active", "CCU, room 1, bed 4 completed");
    }

    @Test
    void warnsWhenPv1_3NamesNoWardRoomOrBed() {
        MappingResult result = map("ADT^A01", PID, "PV1|1|I|^^^Mayo Hospital Lahore||||||||||||||||V-1");
        assertThat(only(result, Encounter.class).hasLocation()).isFalse();
        assertThat(issuesAt(result, "PV1-3"))
                .singleElement()
                .asString()
                .startsWith("WARNING PV1-3: location names no ward");
    }

    @Test
    void mapsPv1_7AttendingDoctorToAParticipant() {
        Encounter e = encounter("A01", "PV1|1|I|||||54321-P^Iqbal^Tariq^^^Dr^^^PMDC||||||||||||V-1");
        assertThat(e.getParticipantFirstRep()
                        .getTypeFirstRep()
                        .getCodingFirstRep()
                        .getCode())
                .as("PV1-7")
                .isEqualTo("ATND");
        assertThat(e.getParticipantFirstRep().getIndividual().getDisplay())
                .as("PV1-7")
                .isEqualTo("Dr Tariq Iqbal");
    }

    @Test
    void mapsPv1_36DischargeDispositionInTable0112() {
        Encounter e = encounter("A03", "PV1|1|I|||||||||||||||||V-1|||||||||||||||||01");
        assertThat(e.getHospitalization()
                        .getDischargeDisposition()
                        .getCodingFirstRep()
                        .getSystem())
                .as("PV1-36")
                .isEqualTo("http://terminology.hl7.org/CodeSystem/v2-0112");
    }

    @Test
    void keysAnEncounterWithoutPv1_19OnAdmitTimeAndWarns() {
        MappingResult result = map("ADT^A01", PID, "PV1|1|I||||||||||||||||||||||||||||||||||||||||||20240315100000");
        assertThat(result.bundle().getEntry().stream()
                        .filter(x -> x.getResource() instanceof Encounter)
                        .findFirst()
                        .orElseThrow()
                        .getRequest()
                        .getUrl())
                .startsWith("Encounter/");
        assertThat(issuesAt(result, "PV1-19")).singleElement().asString().startsWith("WARNING");
    }

    @Test
    void skipsAnEmptyPv1InAPersonLevelEvent() {
        MappingResult result = map("ADT^A28", PID, "PV1|1|N");
        assertThat(Hl7TestMessages.resources(result, Encounter.class)).isEmpty();
        assertThat(issuesAt(result, "PV1")).singleElement().asString().startsWith("INFORMATION");
    }

    @Test
    void mapsPv2_3AdmitReasonAndEnrichesALocalDiagnosis() {
        Encounter e = only(map("ADT^A01", PID, PV1_ADMITTED, "PV2|||DENGUE^Dengue fever^L"), Encounter.class);
        assertThat(e.getReasonCodeFirstRep().getCoding())
                .extracting(c -> c.getSystem() + "|" + c.getCode())
                .containsExactly(
                        NamingSystems.localCodes("Mayo Hospital Lahore") + "|DENGUE",
                        "http://hl7.org/fhir/sid/icd-10|A90");
    }

    @Test
    void mapsDg1_3Icd10AndLinksTheConditionToTheEncounter() {
        MappingResult result =
                map("ADT^A03", PID, PV1_ADMITTED, "DG1|1||A01.0^Typhoid fever^I10||20240315|F|||||||||1");
        Condition c = only(result, Condition.class);
        assertThat(c.getCode().getCodingFirstRep().getSystem())
                .as("DG1-3.3 I10")
                .isEqualTo("http://hl7.org/fhir/sid/icd-10");
        assertThat(c.getVerificationStatus().getCodingFirstRep().getCode())
                .as("DG1-6 F")
                .isEqualTo("confirmed");
        assertThat(only(result, Encounter.class).getDiagnosisFirstRep().getRank())
                .as("DG1-15")
                .isEqualTo(1);
    }

    @Test
    void mapsDg1_4DescriptionOfVersion23WhenDg1_3HasNoText() {
        String message = Hl7TestMessages.msh("ADT^A03", "2.3") + "\r" + PID
                + "\rDG1|1|I10|J18.9^^I10|Pneumonia, unspecified|20240315|F\r";
        Condition c = only(Hl7TestMessages.MAPPER.map(message), Condition.class);
        assertThat(c.getCode().getText()).as("DG1-4").isEqualTo("Pneumonia, unspecified");
    }

    @Test
    void mapsAl1ToAnAllergy() {
        AllergyIntolerance a = only(map("ADT^A08", PID, "AL1|1|FA|PEANUT^Peanut^L|MO|Hives"), AllergyIntolerance.class);
        assertThat(a.getCategory())
                .extracting(c -> c.getValue().toCode())
                .as("AL1-2 FA")
                .containsExactly("food");
        assertThat(a.getCriticality().toCode()).as("AL1-4 MO").isEqualTo("low");
        assertThat(a.getReactionFirstRep().getManifestationFirstRep().getText())
                .as("AL1-5")
                .isEqualTo("Hives");
        assertThat(a.getReactionFirstRep().getSeverity().toCode()).as("AL1-4").isEqualTo("moderate");
    }

    @Test
    void warnsAboutAnAl1SeverityOutsideTable0128() {
        MappingResult result = map("ADT^A08", PID, "AL1|1|DA|PEN^Penicillin^L|XX");
        assertThat(issuesAt(result, "AL1[1]-4")).singleElement().asString().startsWith("WARNING");
    }
}
