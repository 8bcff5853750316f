package org.sehathub.server;

import java.util.Date;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.sehathub.server.consent.PatientConsents;

/** Patient privacy consents as a hospital or a patient would record them (docs/security.md). */
final class TestConsents {

    private TestConsents() {}

    /** An active consent of the patient granting the client (by client id) her whole record. */
    static Consent grant(String patientId, String clientId) {
        return grantTo(patientId, PatientConsents.CLIENT_SYSTEM, clientId);
    }

    static Consent grantTo(String patientId, String actorSystem, String actor) {
        Consent consent = new Consent();
        consent.setStatus(Consent.ConsentState.ACTIVE);
        consent.setScope(
                new CodeableConcept(new Coding(PatientConsents.SCOPE_SYSTEM, PatientConsents.PATIENT_PRIVACY, null)));
        consent.addCategory(new CodeableConcept(new Coding("http://loinc.org", "59284-0", "Patient Consent")));
        consent.setPatient(new Reference("Patient/" + patientId));
        consent.setDateTime(new Date());
        consent.getPolicyRule()
                .addCoding(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTIN", null));
        Consent.ProvisionComponent provision = consent.getProvision().setType(Consent.ConsentProvisionType.PERMIT);
        provision
                .addActor()
                .setRole(new CodeableConcept(
                        new Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP", null)))
                .setReference(new Reference()
                        .setIdentifier(new Identifier().setSystem(actorSystem).setValue(actor)));
        return consent;
    }

    /** Records the consent through /fhir as the operator; returns its id. */
    static IIdType record(FhirTestClient operator, Consent consent) {
        return operator.fhir().create().resource(consent).execute().getId().toVersionless();
    }
}
