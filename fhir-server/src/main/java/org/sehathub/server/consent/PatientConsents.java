package org.sehathub.server.consent;

import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import java.time.Clock;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.sehathub.server.security.Caller;

/**
 * Reads a patient's privacy consents ({@code Consent} with scope {@code patient-privacy}) and
 * decides what they grant one app (docs/security.md, "Patient consent"):
 *
 * <ul>
 *   <li>an <b>active</b> consent whose provision is {@code permit} and names the app as an actor
 *       (by its client id, {@code https://fhir.sehathub.pk/sid/client|<id>}, or its organization,
 *       {@code https://fhir.sehathub.pk/sid/organization|<organization>}), within its
 *       {@code provision.period}, grants it her record, or only the resource types its
 *       {@code provision.class} lists;
 *   <li>an active consent or nested provision of type {@code deny} naming the app revokes it, as
 *       does setting the grant's status to {@code inactive};
 *   <li>an extension {@value #CLINICIAN_GENDER} ({@code valueCode} {@code female}) on any active
 *       provision says that only clinicians of that gender may see her record, or the types its
 *       {@code class} lists.
 * </ul>
 *
 * <p>A patient is one person however many records facilities keep of her (patient linking,
 * docs/mpi.md): the consents on any of her person's records count for all of them, so a grant given
 * through one facility's record covers her history at the others, and a refusal or a clinician
 * gender preference recorded on any of them holds for all.
 *
 * Read afresh for every request (once per patient within one), so a revocation counts at once.
 */
public class PatientConsents {

    public static final String SCOPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/consentscope";
    public static final String PATIENT_PRIVACY = "patient-privacy";
    public static final String CLIENT_SYSTEM = "https://fhir.sehathub.pk/sid/client";
    public static final String ORGANIZATION_SYSTEM = "https://fhir.sehathub.pk/sid/organization";
    public static final String CLINICIAN_GENDER = "https://fhir.sehathub.pk/StructureDefinition/clinician-gender";
    static final String RESOURCE_TYPES = "http://hl7.org/fhir/resource-types";

    private final IFhirResourceDao<Consent> consents;
    private final Function<String, List<String>> samePerson;
    private final Clock clock;

    /** @param samePerson the ids of every record of the person a record (by id) belongs to, itself included */
    public PatientConsents(IFhirResourceDao<Consent> consents, Function<String, List<String>> samePerson, Clock clock) {
        this.consents = consents;
        this.samePerson = samePerson;
        this.clock = clock;
    }

    /** What the active consents of patient {@code patientId} grant the app {@code caller}. */
    public Grant grantFor(String patientId, Caller caller) {
        Date now = Date.from(clock.instant());
        boolean permitted = false;
        boolean denied = false;
        Set<String> types = new HashSet<>();
        boolean allTypes = false;
        String gender = null;
        Set<String> genderTypes = new HashSet<>();
        boolean genderAllTypes = false;
        for (Consent consent : activePrivacyConsents(patientId)) {
            Consent.ProvisionComponent root = consent.getProvision();
            if (!within(root.getPeriod(), now)) {
                continue;
            }
            for (Consent.ProvisionComponent provision : provisionsOf(root)) {
                String preferred = clinicianGender(provision);
                if (preferred != null) {
                    gender = preferred;
                    Set<String> covered = classes(provision);
                    genderAllTypes |= covered.isEmpty();
                    genderTypes.addAll(covered);
                }
            }
            if (!names(root, caller)) {
                denied |= root.getProvision().stream()
                        .anyMatch(p -> p.getType() == Consent.ConsentProvisionType.DENY && names(p, caller));
                continue;
            }
            if (root.getType() == Consent.ConsentProvisionType.DENY) {
                denied = true;
            } else if (root.getType() == Consent.ConsentProvisionType.PERMIT) {
                boolean revoked = root.getProvision().stream()
                        .anyMatch(p -> p.getType() == Consent.ConsentProvisionType.DENY
                                && (p.getActor().isEmpty() || names(p, caller))
                                && clinicianGender(p) == null);
                if (!revoked) {
                    permitted = true;
                    Set<String> granted = classes(root);
                    allTypes |= granted.isEmpty();
                    types.addAll(granted);
                }
            }
        }
        if (!permitted || denied) {
            return new Grant(false, Set.of(), gender, genderAllTypes ? Set.of() : genderTypes);
        }
        return new Grant(true, allTypes ? Set.of() : types, gender, genderAllTypes ? Set.of() : genderTypes);
    }

    private List<Consent> activePrivacyConsents(String patientId) {
        SearchParameterMap active = SearchParameterMap.newSynchronous();
        ReferenceOrListParam records = new ReferenceOrListParam();
        samePerson.apply(patientId).forEach(id -> records.addOr(new ReferenceParam("Patient/" + id)));
        active.add(Consent.SP_PATIENT, records);
        active.add(Consent.SP_STATUS, new TokenParam("active"));
        active.add(Consent.SP_SCOPE, new TokenParam(SCOPE_SYSTEM, PATIENT_PRIVACY));
        return consents.search(active, new SystemRequestDetails()).getAllResources().stream()
                .map(Consent.class::cast)
                .toList();
    }

    private static List<Consent.ProvisionComponent> provisionsOf(Consent.ProvisionComponent root) {
        List<Consent.ProvisionComponent> all = new java.util.ArrayList<>();
        all.add(root);
        all.addAll(root.getProvision());
        return all;
    }

    private static boolean within(Period period, Date now) {
        return period == null
                || period.isEmpty()
                || ((!period.hasStart() || !now.before(period.getStart()))
                        && (!period.hasEnd() || !now.after(period.getEnd())));
    }

    /** Whether a provision names the app among its actors, by client id or organization. */
    static boolean names(Consent.ProvisionComponent provision, Caller caller) {
        return provision.getActor().stream()
                .map(a -> a.getReference().getIdentifier())
                .anyMatch(id -> matches(id, caller));
    }

    private static boolean matches(Identifier id, Caller caller) {
        if (id == null || id.getValue() == null) {
            return false;
        }
        return (CLIENT_SYSTEM.equals(id.getSystem()) && id.getValue().equals(caller.clientId()))
                || (ORGANIZATION_SYSTEM.equals(id.getSystem())
                        && caller.organization() != null
                        && !caller.organization().isBlank()
                        && id.getValue().equals(caller.organization()));
    }

    private static Set<String> classes(Consent.ProvisionComponent provision) {
        Set<String> types = new HashSet<>();
        for (Coding c : provision.getClass_()) {
            if (c.getCode() != null) {
                types.add(c.getCode());
            }
        }
        return types;
    }

    private static String clinicianGender(Consent.ProvisionComponent provision) {
        Extension extension = provision.getExtensionByUrl(CLINICIAN_GENDER);
        return extension == null || extension.getValue() == null
                ? null
                : extension.getValue().primitiveValue();
    }
}
