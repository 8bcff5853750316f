package org.sehathub.server;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.batch2.api.IJobMaintenanceService;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sehathub.server.search.DistrictSearchParameter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The {@code district} search parameter R4 lacks: Patients, Locations and (through them)
 * Encounters found by the district of their address; and Patients stored while the parameter was
 * missing found once it is stored again (HAPI reindexes them).
 */
@PostgresServerTest
class DistrictSearchOnPostgresIT {

    @LocalServerPort
    int port;

    @Autowired
    DistrictSearchParameter districtSearchParameter;

    @Autowired
    IJobMaintenanceService jobMaintenance;

    IGenericClient operator;

    @BeforeEach
    void connect() {
        operator = new FhirTestClient(port).fhir();
    }

    private static String district() {
        StringBuilder name = new StringBuilder("Tharparkar");
        for (int i = 0; i < 6; i++) {
            name.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
        }
        return name.toString();
    }

    private String patientIn(String district) {
        Patient patient = new Patient();
        patient.addName().setFamily("Meghwar").addGiven("Sita");
        patient.addAddress().setDistrict(district).setState("Sindh");
        return operator.create()
                .resource(TestPatients.atFacility(patient, "Civil Hospital Mithi"))
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
    }

    private List<String> found(String url) {
        return FhirTestClient.ids(
                operator.search().byUrl(url).returnBundle(Bundle.class).execute());
    }

    @Test
    void patientsLocationsAndEncountersAreFoundByDistrict() {
        String district = district();
        String patient = patientIn(district);
        patientIn(district());
        Location clinic = new Location().setName("RHC " + district);
        clinic.getAddress().setDistrict(district);
        String location = operator.create()
                .resource(clinic)
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
        Encounter visit = new Encounter().setStatus(Encounter.EncounterStatus.FINISHED);
        visit.setSubject(new Reference(patient)).addLocation().setLocation(new Reference(location));
        String encounter = operator.create()
                .resource(TestPatients.atFacility(visit, "Civil Hospital Mithi"))
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();

        assertThat(found("Patient?district=" + district)).containsExactly(patient);
        assertThat(found("Patient?district:exact=" + district)).containsExactly(patient);
        assertThat(found("Location?district=" + district)).containsExactly(location);
        assertThat(found("Encounter?location.district=" + district)).containsExactly(encounter);
        assertThat(found("Encounter?subject:Patient.district=" + district)).containsExactly(encounter);
    }

    @Test
    void patientsStoredWhileTheParameterWasMissingAreReindexedWhenItIsStored() {
        operator.delete().resourceById("SearchParameter", "sehat-district").execute();
        try {
            String district = district();
            String before = patientIn(district);
            assertThat(districtSearchParameter.ensure()).as("stored again").isTrue();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofSeconds(2))
                    .untilAsserted(() -> {
                        // The reindex job moves on at each maintenance pass (every minute unless asked).
                        jobMaintenance.forceMaintenancePass();
                        assertThat(found("Patient?district=" + district)).containsExactly(before);
                    });
        } finally {
            districtSearchParameter.ensure();
        }
        assertThat(districtSearchParameter.ensure())
                .as("nothing to do when it is there")
                .isFalse();
    }
}
