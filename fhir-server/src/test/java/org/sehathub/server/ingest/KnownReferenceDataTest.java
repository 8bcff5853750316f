package org.sehathub.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class KnownReferenceDataTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String ORG = "urn:uuid:00000000-0000-0000-0000-00000000000a";
    private static final String DOCTOR = "urn:uuid:00000000-0000-0000-0000-00000000000b";
    private static final String PATIENT = "urn:uuid:00000000-0000-0000-0000-00000000000c";

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-07T03:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final KnownReferenceData known = new KnownReferenceData(FHIR, clock);

    @Test
    void nothingIsSkippedBeforeItHasBeenStored() {
        KnownReferenceData.Shortened shortened = known.shorten(message("Dr Asma Khan"));

        assertThat(shortened.skipped()).isZero();
        assertThat(shortened.bundle().getEntry()).hasSize(4);
        assertThat(shortened.keys())
                .containsExactly(
                        "POST Organization?identifier=https://fhir.sehathub.pk/sid/facility|civil-hospital",
                        "PUT Practitioner/dr-1",
                        null,
                        null);
    }

    @Test
    void storedReferenceDataIsLeftOutAndTheRestPointsAtTheStoredResources() {
        storeAndRemember(message("Dr Asma Khan"));

        KnownReferenceData.Shortened next = known.shorten(message("Dr Asma Khan"));

        assertThat(next.skipped()).isEqualTo(2);
        assertThat(next.bundle().getEntry())
                .extracting(e -> e.getResource().fhirType())
                .containsExactly("Patient", "Observation");
        Observation observation = (Observation) next.bundle().getEntry().get(1).getResource();
        assertThat(observation.getSubject().getReference()).isEqualTo(PATIENT);
        assertThat(observation.getPerformer())
                .extracting(Reference::getReference)
                .containsExactly("Organization/41", "Practitioner/dr-1");
        assertThat(next.keys()).containsExactly(null, null);
    }

    @Test
    void anUpdateWithDifferentContentIsWritten() {
        storeAndRemember(message("Dr Asma Khan"));

        KnownReferenceData.Shortened next = known.shorten(message("Dr Asma Khan Niazi"));

        assertThat(next.skipped()).isEqualTo(1);
        assertThat(next.bundle().getEntry())
                .extracting(e -> e.getResource().fhirType())
                .containsExactly("Practitioner", "Patient", "Observation");
        Observation observation = (Observation) next.bundle().getEntry().get(2).getResource();
        assertThat(observation.getPerformer())
                .extracting(Reference::getReference)
                .containsExactly("Organization/41", DOCTOR);
    }

    @Test
    void aChangeToReferenceDataAnywhereForgetsEverything() {
        storeAndRemember(message("Dr Asma Khan"));

        known.updated(null, new Practitioner());

        assertThat(known.shorten(message("Dr Asma Khan")).skipped()).isZero();
    }

    @Test
    void aChangeToAPatientForgetsNothing() {
        storeAndRemember(message("Dr Asma Khan"));

        known.updated(null, new Patient());
        known.deleted(new Observation());

        assertThat(known.shorten(message("Dr Asma Khan")).skipped()).isEqualTo(2);
    }

    @Test
    void aDeleteOrAnExpungeOfReferenceDataForgetsEverything() {
        storeAndRemember(message("Dr Asma Khan"));
        known.deleted(new Organization());
        assertThat(known.shorten(message("Dr Asma Khan")).skipped()).isZero();

        storeAndRemember(message("Dr Asma Khan"));
        known.deletingAndExpunging("Patient");
        assertThat(known.shorten(message("Dr Asma Khan")).skipped()).isEqualTo(2);
        known.deletingAndExpunging("Location");
        assertThat(known.shorten(message("Dr Asma Khan")).skipped()).isZero();

        storeAndRemember(message("Dr Asma Khan"));
        known.expungingEverything();
        assertThat(known.shorten(message("Dr Asma Khan")).skipped()).isZero();
    }

    @Test
    void aTransactionDuringWhichSomethingWasForgottenRemembersNothing() {
        KnownReferenceData.Shortened first = known.shorten(message("Dr Asma Khan"));
        known.updated(null, new Organization());
        known.remember(first, response(first.bundle()));

        assertThat(known.shorten(message("Dr Asma Khan")).skipped()).isZero();
    }

    @Test
    void whatWasRememberedLongAgoIsNotTrusted() {
        storeAndRemember(message("Dr Asma Khan"));

        now.set(now.get().plus(KnownReferenceData.TIME_TO_LIVE).plus(Duration.ofSeconds(1)));

        assertThat(known.shorten(message("Dr Asma Khan")).skipped()).isZero();
    }

    @Test
    void anEntryNamedInAnotherEntrysUrlStaysIn() {
        storeAndRemember(message("Dr Asma Khan"));
        Bundle next = message("Dr Asma Khan");
        next.getEntry().get(2).getRequest().setIfNoneExist("organization=" + ORG);

        KnownReferenceData.Shortened shortened = known.shorten(next);

        assertThat(shortened.skipped()).isEqualTo(1);
        assertThat(shortened.bundle().getEntry())
                .extracting(e -> e.getResource().fhirType())
                .containsExactly("Organization", "Patient", "Observation");
    }

    /** Stands in for the sink: the transaction commits, HAPI answers with each entry's location. */
    private void storeAndRemember(Bundle message) {
        KnownReferenceData.Shortened shortened = known.shorten(message);
        known.remember(shortened, response(shortened.bundle()));
    }

    private static Bundle response(Bundle written) {
        Bundle response = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
        for (BundleEntryComponent entry : written.getEntry()) {
            String location = switch (entry.getResource().fhirType()) {
                case "Organization" -> "Organization/41/_history/1";
                case "Practitioner" -> "Practitioner/dr-1/_history/3";
                case "Patient" -> "Patient/77/_history/1";
                default -> "Observation/78/_history/1";
            };
            response.addEntry().getResponse().setStatus("200 OK").setLocation(location);
        }
        return response;
    }

    /** A message as our mappers write it: facility, doctor, patient, a result naming all three. */
    private static Bundle message(String doctorName) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        Organization org = new Organization().setName("Civil Hospital");
        org.addIdentifier(new Identifier()
                .setSystem("https://fhir.sehathub.pk/sid/facility")
                .setValue("civil-hospital"));
        bundle.addEntry()
                .setFullUrl(ORG)
                .setResource(org)
                .getRequest()
                .setMethod(HTTPVerb.POST)
                .setUrl("Organization")
                .setIfNoneExist("identifier=https://fhir.sehathub.pk/sid/facility|civil-hospital");
        Practitioner doctor = new Practitioner();
        doctor.setId("dr-1");
        doctor.addName().setText(doctorName);
        bundle.addEntry()
                .setFullUrl(DOCTOR)
                .setResource(doctor)
                .getRequest()
                .setMethod(HTTPVerb.PUT)
                .setUrl("Practitioner/dr-1");
        Patient patient = new Patient();
        patient.addIdentifier()
                .setSystem("https://fhir.sehathub.pk/sid/mrn/civil-hospital")
                .setValue("MRN-1");
        bundle.addEntry()
                .setFullUrl(PATIENT)
                .setResource(patient)
                .getRequest()
                .setMethod(HTTPVerb.POST)
                .setUrl("Patient")
                .setIfNoneExist("identifier=https://fhir.sehathub.pk/sid/mrn/civil-hospital|MRN-1");
        Observation observation = new Observation();
        observation.setSubject(new Reference(PATIENT));
        observation.addPerformer(new Reference(ORG));
        observation.addPerformer(new Reference(DOCTOR));
        bundle.addEntry()
                .setResource(observation)
                .getRequest()
                .setMethod(HTTPVerb.POST)
                .setUrl("Observation");
        return bundle;
    }
}
