package org.sehathub.mappers.telehealth;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.sehathub.mappers.MappingException;
import org.sehathub.mappers.MappingIssue;
import org.sehathub.mappers.MappingResult;
import org.sehathub.mappers.NamingSystems;
import org.sehathub.mappers.SourceInfo;
import org.sehathub.mappers.TransactionBundleBuilder;
import org.sehathub.mappers.normalize.Cnic;
import org.sehathub.mappers.normalize.DateNormalizer;
import org.sehathub.mappers.normalize.GenderNormalizer;
import org.sehathub.mappers.normalize.NormalizationException;
import org.sehathub.mappers.normalize.PhoneNormalizer;
import org.sehathub.mappers.normalize.PmdcNormalizer;
import org.sehathub.mappers.terminology.TerminologyMaps;

/**
 * Maps one teleconsultation JSON document (schema {@code schema/teleconsultation.schema.json},
 * documented in docs/ingest/telehealth.md) to a FHIR transaction Bundle: Patient, Practitioner,
 * Organization (the telehealth provider), a virtual Encounter (class VR, the mode in {@code
 * Encounter.type}), Conditions, vital-signs Observations, MedicationRequests, ServiceRequests for
 * referrals, a proposed Appointment for the follow-up, and a Provenance.
 *
 * <p>The document is first checked against the schema; a violation, an unknown field, or a value
 * a normalization rule refuses (an invalid CNIC, an impossible date) raises a {@link
 * MappingException} carrying every such error with its JSON pointer. Problems that only lose a
 * detail (an unreadable phone number, an unknown province or local code, a frequency we cannot
 * structure) are returned as warnings beside the Bundle.
 *
 * <p>Writes are idempotent: the Patient is a conditional update on the app's patient id, the
 * Encounter on the consultation id, and everything else has ids derived from the consultation id,
 * so a corrected document sent again replaces the earlier one.
 */
public final class TeleconsultationMapper {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    private static final Map<String, String> MODE_DISPLAY = Map.of(
            "video", "Video consultation",
            "audio", "Audio (telephone) consultation",
            "chat", "Text chat consultation",
            "in-person", "In-person visit");

    private final TerminologyMaps terminology;
    private final Clock clock;
    private final TeleconsultationSchema schema = new TeleconsultationSchema();

    public TeleconsultationMapper(TerminologyMaps terminology) {
        this(terminology, Clock.systemUTC());
    }

    /** With a clock, so that "in the future" checks are testable. */
    public TeleconsultationMapper(TerminologyMaps terminology, Clock clock) {
        this.terminology = terminology;
        this.clock = clock;
    }

    /** Maps a document given as UTF-8 bytes. */
    public MappingResult map(InputStream json, SourceInfo source) {
        try {
            return map(new String(json.readAllBytes(), StandardCharsets.UTF_8), source);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the teleconsultation", e);
        }
    }

    /**
     * Maps a document.
     *
     * @param source the app ({@code sourceSystem}) and the telehealth provider ({@code facility});
     *     without a {@code messageId} the consultation id is used
     * @throws MappingException with every error and its JSON pointer when the document is not valid
     */
    public MappingResult map(String json, SourceInfo source) {
        if (source.sourceSystem() == null || source.facility() == null) {
            throw new MappingException("source", "the sending app and provider are required");
        }
        JsonNode document = parse(json);
        List<MappingIssue> schemaErrors = schema.validate(document);
        if (!schemaErrors.isEmpty()) {
            throw new MappingException(schemaErrors);
        }
        Teleconsultation consultation;
        try {
            consultation = JSON.treeToValue(document, Teleconsultation.class);
        } catch (JsonProcessingException e) {
            // The schema admits only what the records can hold; reaching this is a bug in one of them.
            throw new IllegalStateException("schema and Teleconsultation record disagree", e);
        }
        return new Run(consultation, source).map();
    }

    private static JsonNode parse(String json) {
        String text = json.startsWith("\uFEFF") ? json.substring(1) : json;
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new MappingException("/", "the document is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr();
            throw new MappingException("/", "not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        }
    }

    /** The state of mapping one document. */
    private final class Run {
        private final Teleconsultation consultation;
        private final SourceInfo source;
        private final List<MappingIssue> errors = new ArrayList<>();
        private final List<MappingIssue> warnings = new ArrayList<>();
        private final TransactionBundleBuilder builder = new TransactionBundleBuilder();
        private final String consultationSystem;

        Run(Teleconsultation consultation, SourceInfo source) {
            this.consultation = consultation;
            this.source = source.messageId() != null ? source : source.withMessageId(consultation.consultationId());
            this.consultationSystem = NamingSystems.consultationId(source.sourceSystem());
        }

        MappingResult map() {
            // Everything that can refuse the document is parsed before anything is built.
            Teleconsultation.PatientData p = consultation.patient();
            Optional<Cnic> cnic = parse("/patient/cnic", p.cnic(), Cnic::parse);
            AdministrativeGender sex = GenderNormalizer.parse(p.sex());
            Optional<DateType> birthDate =
                    parse("/patient/birth_date", p.birthDate(), raw -> DateNormalizer.toBirthDateType(raw, clock));
            String pmdc = parse(
                            "/practitioner/pmdc", consultation.practitioner().pmdc(), PmdcNormalizer::normalize)
                    .orElse(null);
            Optional<OffsetDateTime> start =
                    parse("/encounter/start", consultation.encounter().start(), DateNormalizer::parseDateTime);
            Optional<OffsetDateTime> end =
                    parse("/encounter/end", consultation.encounter().end(), DateNormalizer::parseDateTime);
            start.filter(s -> s.toInstant().isAfter(clock.instant()))
                    .ifPresent(s -> errors.add(
                            MappingIssue.error("/encounter/start", "the consultation starts in the future")));
            if (start.isPresent() && end.isPresent() && end.get().isBefore(start.get())) {
                errors.add(MappingIssue.error("/encounter/end", "the consultation ends before it starts"));
            }
            Teleconsultation.VitalSigns vitals = consultation.vitalSigns();
            Optional<DateTimeType> measuredAt = vitals == null
                    ? Optional.empty()
                    : parse("/vital_signs/measured_at", vitals.measuredAt(), DateNormalizer::toDateTimeType);
            if (vitals != null && vitals.temperatureC() != null && vitals.temperatureF() != null) {
                errors.add(MappingIssue.error(
                        "/vital_signs/temperature_f", "give temperature_c or temperature_f, not both"));
            }
            Optional<LocalDate> followUpDate = consultation.followUp() == null
                    ? Optional.empty()
                    : parse("/follow_up/date", consultation.followUp().date(), DateNormalizer::parseDate);
            if (followUpDate.isPresent()
                    && start.isPresent()
                    && followUpDate
                            .get()
                            .isBefore(start.get()
                                    .atZoneSameInstant(DateNormalizer.PAKISTAN)
                                    .toLocalDate())) {
                errors.add(MappingIssue.error("/follow_up/date", "the follow-up is before the consultation"));
            }
            if (!errors.isEmpty()) {
                throw new MappingException(errors);
            }
            cnic.flatMap(c -> c.sexMismatch(sex))
                    .ifPresent(text -> warnings.add(MappingIssue.warning("/patient/cnic", text)));

            String organization = organization();
            Reference patient = new Reference(patient(cnic, sex, birthDate, organization));
            Reference practitioner = practitioner(pmdc);
            DateTimeType startType =
                    DateNormalizer.toDateTimeType(consultation.encounter().start());
            Optional<DateTimeType> endType =
                    Optional.ofNullable(consultation.encounter().end()).map(DateNormalizer::toDateTimeType);
            Encounter encounter = encounter(patient, practitioner, organization, startType, endType);
            String encounterUrl = builder.conditionalUpdate(
                    encounter,
                    TransactionBundleBuilder.identifierQuery(consultationSystem, consultation.consultationId()));
            Reference encounterRef = new Reference(encounterUrl);

            conditions(encounter, patient, practitioner, encounterRef, startType);
            if (vitals != null) {
                for (VitalSignsMapper.VitalSign vital :
                        VitalSignsMapper.map(vitals, measuredAt.orElse(startType), patient, encounterRef)) {
                    builder.update(vital.observation(), id("Observation", vital.key()));
                }
            }
            DateTimeType authored = endType.orElse(startType);
            prescriptions(patient, encounterRef, practitioner, authored);
            referrals(patient, encounterRef, practitioner, authored);
            followUp(followUpDate, patient, practitioner, encounterRef);

            builder.provenance(source, builder.fullUrls());
            return new MappingResult(builder.build(), warnings);
        }

        private String id(String type, String key) {
            return TransactionBundleBuilder.deterministicId(
                    type, consultationSystem, consultation.consultationId(), key);
        }

        private <T> Optional<T> parse(String pointer, String raw, Function<String, T> rule) {
            if (raw == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(rule.apply(raw));
            } catch (NormalizationException e) {
                errors.add(MappingIssue.error(pointer, e.getReason()));
                return Optional.empty();
            }
        }

        /** The telehealth provider; never overwritten, the hub's facility registry may know more. */
        private String organization() {
            Organization organization = new Organization();
            String slug = NamingSystems.slug(source.facility());
            organization.addIdentifier().setSystem(NamingSystems.facility()).setValue(slug);
            organization.setActive(true).setName(source.facility());
            organization.addType(new CodeableConcept(new Coding(
                    "http://terminology.hl7.org/CodeSystem/organization-type", "prov", "Healthcare Provider")));
            return builder.conditionalCreate(
                    organization, TransactionBundleBuilder.identifierQuery(NamingSystems.facility(), slug));
        }

        /** The app's patient record: a conditional update on the app's own patient id. */
        private String patient(
                Optional<Cnic> cnic, AdministrativeGender sex, Optional<DateType> birthDate, String organization) {
            Teleconsultation.PatientData data = consultation.patient();
            Patient patient = new Patient();
            cnic.ifPresent(c -> patient.addIdentifier(c.toIdentifier()));
            String appSystem = NamingSystems.mrn(source.facility());
            patient.addIdentifier(new Identifier()
                    .setUse(Identifier.IdentifierUse.USUAL)
                    .setType(new CodeableConcept(
                            new Coding("http://terminology.hl7.org/CodeSystem/v2-0203", "MR", "Medical record number")))
                    .setSystem(appSystem)
                    .setValue(data.id()));
            patient.setActive(true);
            TelehealthDemographics.names(data.name()).forEach(patient::addName);
            patient.setGender(sex);
            birthDate.ifPresent(patient::setBirthDateElement);
            if (data.phone() != null) {
                try {
                    patient.addTelecom(PhoneNormalizer.toContactPoint(data.phone()));
                } catch (NormalizationException e) {
                    warnings.add(
                            MappingIssue.warning("/patient/phone", e.getReason() + "; the phone number is not stored"));
                }
            }
            if (data.address() != null) {
                patient.addAddress(TelehealthDemographics.address(data.address(), warnings));
            }
            patient.setManagingOrganization(new Reference(organization));
            return builder.conditionalUpdate(patient, TransactionBundleBuilder.identifierQuery(appSystem, data.id()));
        }

        /** The doctor by PMDC number (conditional create: the PMDC register is the authority). */
        private Reference practitioner(String pmdc) {
            Teleconsultation.PractitionerData data = consultation.practitioner();
            Practitioner practitioner = new Practitioner();
            practitioner.addIdentifier().setSystem(NamingSystems.PMDC).setValue(pmdc);
            practitioner.setActive(true);
            TelehealthDemographics.names(data.name()).forEach(practitioner::addName);
            if (data.gender() != null) {
                practitioner.setGender(GenderNormalizer.parse(data.gender()));
            }
            String url = builder.conditionalCreate(
                    practitioner, TransactionBundleBuilder.identifierQuery(NamingSystems.PMDC, pmdc));
            Reference reference = new Reference(url);
            if (practitioner.hasName()) {
                HumanName first = practitioner.getNameFirstRep();
                reference.setDisplay(first.hasText() ? first.getText() : first.getNameAsSingleString());
            }
            return reference;
        }

        private Encounter encounter(
                Reference patient,
                Reference practitioner,
                String organization,
                DateTimeType start,
                Optional<DateTimeType> end) {
            Encounter encounter = new Encounter();
            encounter.addIdentifier().setSystem(consultationSystem).setValue(consultation.consultationId());
            encounter.setStatus(Encounter.EncounterStatus.FINISHED);
            encounter.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "VR", "virtual"));
            encounter.addType(mode(consultation.encounter().mode()));
            encounter.setSubject(patient.copy());
            encounter
                    .addParticipant()
                    .addType(new CodeableConcept(new Coding(
                            "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "PPRF", "primary performer")))
                    .setIndividual(practitioner.copy());
            Period period = new Period().setStartElement(start.copy());
            end.ifPresent(e -> period.setEndElement(e.copy()));
            encounter.setPeriod(period);
            consultation.complaints().forEach(c -> encounter.addReasonCode(new CodeableConcept().setText(c.strip())));
            encounter.setServiceProvider(new Reference(organization));
            return encounter;
        }

        private CodeableConcept mode(String mode) {
            return new CodeableConcept(new Coding(NamingSystems.VIRTUAL_ENCOUNTER_MODE, mode, MODE_DISPLAY.get(mode)))
                    .setText(MODE_DISPLAY.get(mode));
        }

        private void conditions(
                Encounter encounter,
                Reference patient,
                Reference practitioner,
                Reference encounterRef,
                DateTimeType recorded) {
            List<Teleconsultation.DiagnosisData> diagnoses = consultation.diagnoses();
            for (int i = 0; i < diagnoses.size(); i++) {
                Teleconsultation.DiagnosisData diagnosis = diagnoses.get(i);
                String pointer = "/diagnoses/" + i;
                CodeableConcept code =
                        DiagnosisCodes.code(diagnosis, pointer, terminology, source.facility(), warnings);

                Condition condition = new Condition();
                condition.setClinicalStatus(new CodeableConcept(
                        new Coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active")));
                // Without a status in the document none is recorded: the app did not say, we do not guess.
                Optional.ofNullable(diagnosis.status())
                        .ifPresent(status -> condition.setVerificationStatus(new CodeableConcept(new Coding(
                                "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                                status,
                                Character.toUpperCase(status.charAt(0)) + status.substring(1)))));
                condition.addCategory(new CodeableConcept(new Coding(
                        "http://terminology.hl7.org/CodeSystem/condition-category",
                        "encounter-diagnosis",
                        "Encounter Diagnosis")));
                condition.setCode(code);
                condition.setSubject(patient.copy());
                condition.setEncounter(encounterRef.copy());
                condition.setRecordedDateElement(recorded.copy());
                condition.setAsserter(practitioner.copy());
                String conditionId = id("Condition", "diagnosis|" + diagnosis.icd10());
                if (builder.find("urn:uuid:" + conditionId).isPresent()) {
                    warnings.add(MappingIssue.warning(
                            pointer + "/icd10",
                            "the same ICD-10 code is already an earlier diagnosis; this one is not stored again"));
                    continue;
                }
                String url = builder.update(condition, conditionId);
                int rank = encounter.getDiagnosis().size() + 1;
                encounter.addDiagnosis().setCondition(new Reference(url)).setRank(rank);
            }
        }

        private void prescriptions(
                Reference patient, Reference encounter, Reference practitioner, DateTimeType authored) {
            List<Teleconsultation.Prescription> prescriptions = consultation.prescriptions();
            for (int i = 0; i < prescriptions.size(); i++) {
                PrescriptionMapper.Result result =
                        PrescriptionMapper.map(prescriptions.get(i), patient, encounter, practitioner, authored);
                if (!result.frequencyUnderstood()) {
                    warnings.add(
                            MappingIssue.warning(
                                    "/prescriptions/" + i + "/frequency",
                                    "frequency not understood (use OD, BD, TDS, QID, HS, SOS, STAT or weekly); kept as text only"));
                }
                MedicationRequest request = result.request();
                request.addIdentifier()
                        .setSystem(consultationSystem)
                        .setValue(consultation.consultationId() + "/rx/" + (i + 1));
                builder.update(request, id("MedicationRequest", "rx|" + (i + 1)));
            }
        }

        private void referrals(Reference patient, Reference encounter, Reference practitioner, DateTimeType authored) {
            List<Teleconsultation.Referral> referrals = consultation.referrals();
            for (int i = 0; i < referrals.size(); i++) {
                ServiceRequest request =
                        ReferralMapper.map(referrals.get(i), patient, encounter, practitioner, authored);
                request.addIdentifier()
                        .setSystem(consultationSystem)
                        .setValue(consultation.consultationId() + "/referral/" + (i + 1));
                builder.update(request, id("ServiceRequest", "referral|" + (i + 1)));
            }
        }

        /**
         * The follow-up as a proposed Appointment: the date is a wish, not a booked slot, so it goes
         * in {@code requestedPeriod} and start/end stay empty until the app books it.
         */
        private void followUp(
                Optional<LocalDate> date, Reference patient, Reference practitioner, Reference encounter) {
            if (date.isEmpty()) {
                return;
            }
            Teleconsultation.FollowUp followUp = consultation.followUp();
            Appointment appointment = new Appointment();
            appointment
                    .addIdentifier()
                    .setSystem(consultationSystem)
                    .setValue(consultation.consultationId() + "/follow-up");
            appointment.setStatus(Appointment.AppointmentStatus.PROPOSED);
            appointment.setAppointmentType(new CodeableConcept(new Coding(
                    "http://terminology.hl7.org/CodeSystem/v2-0276",
                    "FOLLOWUP",
                    "A follow up visit from a previous appointment")));
            String mode = followUp.mode() == null ? consultation.encounter().mode() : followUp.mode();
            appointment.addServiceType(mode(mode));
            appointment.setDescription(
                    followUp.note() != null ? followUp.note().strip() : "Follow-up of teleconsultation");
            appointment.addRequestedPeriod(new Period()
                    .setStartElement(new DateTimeType(date.get().toString()))
                    .setEndElement(new DateTimeType(date.get().toString())));
            appointment
                    .addParticipant()
                    .setActor(patient.copy())
                    .setRequired(Appointment.ParticipantRequired.REQUIRED)
                    .setStatus(Appointment.ParticipationStatus.NEEDSACTION);
            appointment
                    .addParticipant()
                    .setActor(practitioner.copy())
                    .setRequired(Appointment.ParticipantRequired.REQUIRED)
                    .setStatus(Appointment.ParticipationStatus.NEEDSACTION);
            appointment.setCreatedElement(
                    DateNormalizer.toDateTimeType(consultation.encounter().start()));
            appointment.addSupportingInformation(encounter.copy());
            builder.update(appointment, id("Appointment", "follow-up"));
        }
    }
}
