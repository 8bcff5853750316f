package org.sehathub.mappers.telehealth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Timing;
import org.junit.jupiter.api.Test;
import org.sehathub.mappers.MappingException;
import org.sehathub.mappers.MappingIssue;
import org.sehathub.mappers.MappingResult;
import org.sehathub.mappers.SourceInfo;
import org.sehathub.mappers.terminology.TerminologyMaps;

class TeleconsultationMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-03-20T07:00:00Z"), ZoneOffset.UTC);
    private static final SourceInfo SOURCE =
            new SourceInfo("marham-app", "Marham", null, Instant.parse("2024-03-20T07:00:00Z"));
    private static final TeleconsultationMapper MAPPER =
            new TeleconsultationMapper(TerminologyMaps.loadDefault(), CLOCK);

    /** The smallest valid document; each test changes what it is about. */
    private static ObjectNode minimal() {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("consultation_id", "MR-1");
        ObjectNode patient = doc.putObject("patient");
        patient.put("id", "P-1");
        patient.putObject("name").put("given", "Gul").put("family", "Khan");
        patient.put("sex", "male");
        ObjectNode practitioner = doc.putObject("practitioner");
        practitioner.put("pmdc", "54321-P");
        practitioner.putObject("name").put("given", "Sana").put("family", "Javed");
        doc.putObject("encounter").put("start", "2024-03-15T10:30:00+05:00").put("mode", "video");
        return doc;
    }

    private static MappingResult map(Consumer<ObjectNode> change) {
        ObjectNode doc = minimal();
        change.accept(doc);
        return MAPPER.map(doc.toString(), SOURCE);
    }

    private static List<MappingIssue> errors(Consumer<ObjectNode> change) {
        try {
            map(change);
        } catch (MappingException e) {
            return e.getIssues();
        }
        throw new AssertionError("expected a MappingException");
    }

    private static <T extends Resource> List<T> resources(MappingResult result, Class<T> type) {
        return result.bundle().getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }

    @Test
    void theDocsNameEveryFieldOfTheSchema() throws Exception {
        String docs = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/ingest/telehealth.md"));
        com.fasterxml.jackson.databind.JsonNode schema =
                JSON.readTree(getClass().getClassLoader().getResourceAsStream(TeleconsultationSchema.RESOURCE));
        List<String> missing = new java.util.ArrayList<>();
        collectFields(schema, schema, "", missing, docs);
        assertThat(missing).as("schema fields not in docs/ingest/telehealth.md").isEmpty();
    }

    /** Walks properties (following $refs) and records each dotted field name the docs do not mention. */
    private static void collectFields(
            com.fasterxml.jackson.databind.JsonNode root,
            com.fasterxml.jackson.databind.JsonNode node,
            String prefix,
            List<String> missing,
            String docs) {
        if (node.has("$ref")) {
            String ref = node.get("$ref").asText().substring("#/$defs/".length());
            collectFields(root, root.get("$defs").get(ref), prefix, missing, docs);
            return;
        }
        if (node.has("items")) {
            collectFields(root, node.get("items"), prefix + "[]", missing, docs);
        }
        node.path("properties").fields().forEachRemaining(field -> {
            String name = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            String leaf = field.getKey();
            boolean mentioned = docs.contains("`" + name + "`")
                    || docs.contains("`" + name + " ")
                    || docs.contains("`" + name + "[]`")
                    || docs.contains("`" + name + "[].")
                    || docs.contains("`" + name + ".")
                    || docs.contains("." + leaf + "`")
                    || docs.contains("`" + leaf + "`")
                    || docs.contains("." + leaf + " ");
            if (!mentioned) {
                missing.add(name);
            }
            collectFields(root, field.getValue(), name, missing, docs);
        });
    }

    @Test
    void theMinimalDocumentMapsWithoutIssues() {
        MappingResult result = map(doc -> {});
        assertThat(result.issues()).isEmpty();
        assertThat(result.bundle().getEntry())
                .extracting(e -> e.getResource().fhirType())
                .containsExactly("Organization", "Patient", "Practitioner", "Encounter", "Provenance");
    }

    @Test
    void anUnknownFieldIsReportedAtItsJsonPointer() {
        assertThat(errors(doc -> ((ObjectNode) doc.get("patient")).put("nickname", "Gullu")))
                .containsExactly(MappingIssue.error(
                        "/patient/nickname", "unknown field; the teleconsultation schema does not allow it"));
    }

    @Test
    void anUnknownTopLevelFieldIsReportedToo() {
        assertThat(errors(doc -> doc.put("app_version", "3.2")))
                .extracting(MappingIssue::location)
                .containsExactly("/app_version");
    }

    @Test
    void aMissingRequiredFieldIsReportedWhereItShouldBe() {
        assertThat(errors(doc -> ((ObjectNode) doc.get("patient")).remove("sex")))
                .containsExactly(MappingIssue.error("/patient/sex", "required field is missing"));
    }

    @Test
    void everySchemaViolationIsReportedAtOnce() {
        List<MappingIssue> errors = errors(doc -> {
            ((ObjectNode) doc.get("encounter")).put("mode", "zoom");
            ((ObjectNode) doc.get("patient")).put("sex", "boy");
            doc.putArray("diagnoses").addObject().put("icd10", "typhoid");
        });
        assertThat(errors)
                .extracting(MappingIssue::location)
                .containsExactly("/diagnoses/0/icd10", "/encounter/mode", "/patient/sex");
    }

    @Test
    void aVitalSignOutOfRangeIsASchemaError() {
        assertThat(errors(doc -> doc.putObject("vital_signs").put("spo2_percent", 140)))
                .extracting(MappingIssue::location)
                .containsExactly("/vital_signs/spo2_percent");
    }

    @Test
    void invalidJsonIsRefusedWithItsPosition() {
        assertThatThrownBy(() -> MAPPER.map("{\"consultation_id\": \"X\",", SOURCE))
                .isInstanceOf(MappingException.class)
                .satisfies(e -> assertThat(((MappingException) e).getLocation()).isEqualTo("/"))
                .hasMessageContaining("not valid JSON at line 1");
    }

    @Test
    void aDuplicateKeyIsRefused() {
        assertThatThrownBy(() -> MAPPER.map("{\"consultation_id\": \"X\", \"consultation_id\": \"Y\"}", SOURCE))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("Duplicate field 'consultation_id'");
    }

    @Test
    void anInvalidCnicIsAnErrorAtItsPointer() {
        assertThat(errors(doc -> ((ObjectNode) doc.get("patient")).put("cnic", "95202-4567891-3")))
                .containsExactly(
                        MappingIssue.error("/patient/cnic", "CNIC first digit 9 is not a province code (1-7)"));
    }

    @Test
    void aCnicThatDisagreesWithTheSexIsAWarning() {
        MappingResult result = map(doc -> ((ObjectNode) doc.get("patient")).put("cnic", "3520245678914"));
        assertThat(result.issues())
                .containsExactly(MappingIssue.warning(
                        "/patient/cnic", "CNIC last digit 4 implies female but the recorded sex is male"));
        assertThat(resources(result, Patient.class)
                        .get(0)
                        .getIdentifierFirstRep()
                        .getValue())
                .isEqualTo("35202-4567891-4");
    }

    @Test
    void aFutureBirthDateIsAnError() {
        assertThat(errors(doc -> ((ObjectNode) doc.get("patient")).put("birth_date", "2025-01-01")))
                .containsExactly(MappingIssue.error("/patient/birth_date", "birth date is in the future"));
    }

    @Test
    void anImpossibleStartIsAnError() {
        assertThat(errors(doc -> ((ObjectNode) doc.get("encounter")).put("start", "2024-02-30T10:00")))
                .extracting(MappingIssue::location)
                .containsExactly("/encounter/start");
    }

    @Test
    void anEndBeforeTheStartIsAnError() {
        assertThat(errors(doc -> ((ObjectNode) doc.get("encounter")).put("end", "2024-03-15T10:00:00+05:00")))
                .containsExactly(MappingIssue.error("/encounter/end", "the consultation ends before it starts"));
    }

    @Test
    void aConsultationInTheFutureIsAnError() {
        assertThat(errors(doc -> ((ObjectNode) doc.get("encounter")).put("start", "2024-04-01T10:00")))
                .containsExactly(MappingIssue.error("/encounter/start", "the consultation starts in the future"));
    }

    @Test
    void bothTemperaturesAreAnError() {
        assertThat(errors(doc ->
                        doc.putObject("vital_signs").put("temperature_c", 38).put("temperature_f", 100.4)))
                .extracting(MappingIssue::location)
                .containsExactly("/vital_signs/temperature_f");
    }

    @Test
    void aFollowUpBeforeTheConsultationIsAnError() {
        assertThat(errors(doc -> doc.putObject("follow_up").put("date", "2024-03-14")))
                .containsExactly(MappingIssue.error("/follow_up/date", "the follow-up is before the consultation"));
    }

    @Test
    void encounterIsVirtualWithTheModeInType() {
        Encounter encounter = resources(
                        map(doc -> ((ObjectNode) doc.get("encounter")).put("mode", "audio")), Encounter.class)
                .get(0);
        assertThat(encounter.getClass_().getCode()).isEqualTo("VR");
        assertThat(encounter.getTypeFirstRep().getCodingFirstRep().getSystem())
                .isEqualTo("https://fhir.sehathub.pk/CodeSystem/virtual-encounter-mode");
        assertThat(encounter.getTypeFirstRep().getCodingFirstRep().getCode()).isEqualTo("audio");
    }

    @Test
    void encounterStartWithoutOffsetIsPakistanTime() {
        Encounter encounter = resources(
                        map(doc -> ((ObjectNode) doc.get("encounter")).put("start", "2024-03-15T10:30")),
                        Encounter.class)
                .get(0);
        assertThat(encounter.getPeriod().getStartElement().getValueAsString()).isEqualTo("2024-03-15T10:30:00+05:00");
    }

    @Test
    void theEncounterIsAConditionalUpdateOnTheAppScopedConsultationId() {
        Bundle.BundleEntryComponent entry = map(doc -> {}).bundle().getEntry().get(3);
        assertThat(entry.getRequest().getUrl())
                .isEqualTo("Encounter?identifier=https://fhir.sehathub.pk/sid/teleconsultation/marham-app%7CMR-1");
    }

    @Test
    void thePatientIsAConditionalUpdateOnTheAppsPatientIdAndKeepsBothNames() {
        MappingResult result = map(doc -> ((ObjectNode) doc.get("patient").get("name")).put("urdu", "گل خان"));
        assertThat(result.bundle().getEntry().get(1).getRequest().getUrl())
                .isEqualTo("Patient?identifier=https://fhir.sehathub.pk/sid/mrn/marham%7CP-1");
        Patient patient = resources(result, Patient.class).get(0);
        assertThat(patient.getName())
                .extracting(n -> n.hasText() ? n.getText() : n.getNameAsSingleString())
                .containsExactly("Gul Khan", "گل خان");
    }

    @Test
    void bloodPressureIsOnePanelWithTwoComponents() {
        Observation bp = resources(
                        map(doc -> doc.putObject("vital_signs")
                                .put("bp_systolic_mmhg", 130)
                                .put("bp_diastolic_mmhg", 85)),
                        Observation.class)
                .get(0);
        assertThat(bp.getCode().getCodingFirstRep().getCode()).isEqualTo("85354-9");
        assertThat(bp.getComponent())
                .extracting(c -> c.getCode().getCodingFirstRep().getCode() + "="
                        + c.getValueQuantity().getValue() + " "
                        + c.getValueQuantity().getCode())
                .containsExactly("8480-6=130 mm[Hg]", "8462-4=85 mm[Hg]");
        assertThat(bp.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("vital-signs");
        assertThat(bp.getMeta().getProfile().get(0).getValue()).isEqualTo("http://hl7.org/fhir/StructureDefinition/bp");
    }

    @Test
    void aSystolicWithoutDiastolicIsASchemaError() {
        assertThat(errors(doc -> doc.putObject("vital_signs").put("bp_systolic_mmhg", 130)))
                .extracting(MappingIssue::location)
                .containsExactly("/vital_signs/bp_systolic_mmhg");
    }

    @Test
    void vitalSignsUseLoincAndUcum() {
        List<Observation> vitals = resources(
                map(doc -> doc.putObject("vital_signs")
                        .put("pulse_per_min", 88)
                        .put("temperature_f", 101.3)
                        .put("respiratory_rate_per_min", 22)
                        .put("spo2_percent", 96)
                        .put("weight_kg", 60.5)
                        .put("height_cm", 158)
                        .put("measured_at", "2024-03-15T10:40")),
                Observation.class);
        assertThat(vitals)
                .extracting(o -> o.getCode().getCodingFirstRep().getCode() + " "
                        + o.getValueQuantity().getCode())
                .containsExactly("8867-4 /min", "8310-5 [degF]", "9279-1 /min", "2708-6 %", "29463-7 kg", "8302-2 cm");
        assertThat(vitals.get(0).getEffectiveDateTimeType().getValueAsString()).isEqualTo("2024-03-15T10:40:00+05:00");
    }

    @Test
    void vitalSignsWithoutMeasuredAtTakeTheConsultationStart() {
        Observation pulse = resources(
                        map(doc -> doc.putObject("vital_signs").put("pulse_per_min", 88)), Observation.class)
                .get(0);
        assertThat(pulse.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2024-03-15T10:30:00+05:00");
    }

    @Test
    void diagnosesBecomeConditionsWithIcd10AndTheLocalCode() {
        Condition condition = resources(
                        map(doc -> doc.putArray("diagnoses")
                                .addObject()
                                .put("icd10", "A01.0")
                                .put("local_code", "typhoid")
                                .put("status", "confirmed")),
                        Condition.class)
                .get(0);
        assertThat(condition.getCode().getCoding())
                .extracting(c -> c.getSystem() + "|" + c.getCode())
                .containsExactly(
                        "https://fhir.sehathub.pk/CodeSystem/local-diagnosis|TYPHOID",
                        "http://hl7.org/fhir/sid/icd-10|A01.0");
        assertThat(condition.getVerificationStatus().getCodingFirstRep().getCode())
                .isEqualTo("confirmed");
    }

    @Test
    void aDiagnosisWithoutStatusHasNoVerificationStatus() {
        Condition condition = resources(
                        map(doc -> doc.putArray("diagnoses").addObject().put("icd10", "I10")), Condition.class)
                .get(0);
        assertThat(condition.hasVerificationStatus()).isFalse();
    }

    @Test
    void aLocalCodeTheTableMapsElsewhereIsReported() {
        MappingResult result = map(doc ->
                doc.putArray("diagnoses").addObject().put("icd10", "A01.4").put("local_code", "TYPHOID"));
        assertThat(result.issues())
                .containsExactly(MappingIssue.warning(
                        "/diagnoses/0/icd10",
                        "diagnosis-to-icd10.csv gives A01.0 for TYPHOID; the document's A01.4 is used"));
    }

    @Test
    void theSameIcd10TwiceMakesOneConditionAndAWarning() {
        MappingResult result = map(doc -> {
            ArrayNode diagnoses = doc.putArray("diagnoses");
            diagnoses.addObject().put("icd10", "J06.9");
            diagnoses.addObject().put("icd10", "J06.9").put("text", "URTI");
        });
        assertThat(resources(result, Condition.class)).hasSize(1);
        assertThat(result.issues()).extracting(MappingIssue::location).containsExactly("/diagnoses/1/icd10");
    }

    @Test
    void tdsBecomesThreeTimesADayForTheDuration() {
        MedicationRequest request = resources(
                        map(doc -> doc.putArray("prescriptions")
                                .addObject()
                                .put("medication", "Paracetamol 500 mg tablet")
                                .put("frequency", "tds")
                                .put("duration_days", 3)),
                        MedicationRequest.class)
                .get(0);
        Timing.TimingRepeatComponent repeat =
                request.getDosageInstructionFirstRep().getTiming().getRepeat();
        assertThat(repeat.getFrequency()).isEqualTo(3);
        assertThat(repeat.getPeriodUnit()).isEqualTo(Timing.UnitsOfTime.D);
        assertThat(repeat.getBoundsDuration().getValue()).isEqualByComparingTo("3");
        assertThat(request.getDosageInstructionFirstRep().getText()).isEqualTo("tds for 3 days");
    }

    @Test
    void sosIsAsNeededAndHsIsAtBedtime() {
        List<MedicationRequest> requests = resources(
                map(doc -> {
                    ArrayNode prescriptions = doc.putArray("prescriptions");
                    prescriptions.addObject().put("medication", "ORS").put("frequency", "SOS");
                    prescriptions
                            .addObject()
                            .put("medication", "Cetirizine 10 mg")
                            .put("frequency", "HS");
                }),
                MedicationRequest.class);
        assertThat(requests.get(0)
                        .getDosageInstructionFirstRep()
                        .getAsNeededBooleanType()
                        .booleanValue())
                .isTrue();
        assertThat(requests.get(1)
                        .getDosageInstructionFirstRep()
                        .getTiming()
                        .getRepeat()
                        .getWhen())
                .extracting(w -> w.getValue())
                .containsExactly(Timing.EventTiming.HS);
    }

    @Test
    void anUnknownFrequencyIsKeptAsTextWithAWarning() {
        MappingResult result = map(doc -> doc.putArray("prescriptions")
                .addObject()
                .put("medication", "Amoxicillin")
                .put("frequency", "8 hourly"));
        assertThat(resources(result, MedicationRequest.class)
                        .get(0)
                        .getDosageInstructionFirstRep()
                        .getText())
                .isEqualTo("8 hourly");
        assertThat(result.issues()).extracting(MappingIssue::location).containsExactly("/prescriptions/0/frequency");
    }

    @Test
    void aReferralIsAServiceRequestWithPriorityAndReason() {
        ServiceRequest request = resources(
                        map(doc -> doc.putArray("referrals")
                                .addObject()
                                .put("to", "PIMS Islamabad, Cardiology OPD")
                                .put("specialty", "Cardiology")
                                .put("reason", "Chest pain")
                                .put("urgency", "urgent")),
                        ServiceRequest.class)
                .get(0);
        assertThat(request.getPriority()).isEqualTo(ServiceRequest.ServiceRequestPriority.URGENT);
        assertThat(request.getPerformerFirstRep().getDisplay()).isEqualTo("PIMS Islamabad, Cardiology OPD");
        assertThat(request.getReasonCodeFirstRep().getText()).isEqualTo("Chest pain");
        assertThat(request.getCode().getText()).isEqualTo("Referral to Cardiology");
    }

    @Test
    void theFollowUpIsAProposedAppointmentWithTheRequestedDate() {
        Appointment appointment = resources(
                        map(doc -> doc.putObject("follow_up").put("date", "22/03/2024")), Appointment.class)
                .get(0);
        assertThat(appointment.getStatus()).isEqualTo(Appointment.AppointmentStatus.PROPOSED);
        assertThat(appointment.getRequestedPeriodFirstRep().getStartElement().getValueAsString())
                .isEqualTo("2024-03-22");
        assertThat(appointment.hasStart()).isFalse();
        assertThat(appointment.getServiceTypeFirstRep().getCodingFirstRep().getCode())
                .isEqualTo("video");
    }

    @Test
    void withoutMessageIdTheConsultationIdIdentifiesTheProvenance() {
        org.hl7.fhir.r4.model.Provenance provenance = resources(map(doc -> {}), org.hl7.fhir.r4.model.Provenance.class)
                .get(0);
        assertThat(provenance.getEntityFirstRep().getWhat().getIdentifier().getValue())
                .isEqualTo("MR-1");
    }
}
