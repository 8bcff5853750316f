package org.sehathub.mappers.telehealth;

import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.sehathub.mappers.NamingSystems;

/**
 * A referral to a ServiceRequest (SNOMED CT 3457005 "Patient referral"): the specialty as the
 * performer type and in the code's text, the place referred to as a performer display, the urgency
 * as the priority (routine when the document gives none), the reason as text. The caller adds the
 * identifier and files it.
 */
final class ReferralMapper {

    private ReferralMapper() {}

    static ServiceRequest map(
            Teleconsultation.Referral referral,
            Reference patient,
            Reference encounter,
            Reference practitioner,
            DateTimeType authored) {
        ServiceRequest request = new ServiceRequest();
        request.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
        request.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        request.addCategory(new CodeableConcept(new Coding(NamingSystems.SNOMED, "3457005", "Patient referral")));
        String what = referral.specialty() != null
                ? "Referral to " + referral.specialty().strip()
                : "Referral";
        request.setCode(
                new CodeableConcept(new Coding(NamingSystems.SNOMED, "3457005", "Patient referral")).setText(what));
        request.setPriority(ServiceRequest.ServiceRequestPriority.fromCode(
                referral.urgency() == null ? "routine" : referral.urgency()));
        request.setSubject(patient.copy());
        request.setEncounter(encounter.copy());
        request.setAuthoredOnElement(authored.copy());
        request.setRequester(practitioner.copy());
        Optional.ofNullable(referral.specialty())
                .ifPresent(s -> request.setPerformerType(new CodeableConcept().setText(s.strip())));
        Optional.ofNullable(referral.to())
                .ifPresent(to -> request.addPerformer(new Reference().setDisplay(to.strip())));
        request.addReasonCode().setText(referral.reason().strip());
        return request;
    }
}
