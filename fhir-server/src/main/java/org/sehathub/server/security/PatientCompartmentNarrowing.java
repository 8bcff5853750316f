package org.sehathub.server.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizedList;
import ca.uhn.fhir.rest.server.interceptor.auth.SearchNarrowingInterceptor;

/**
 * HAPI's SearchNarrowingInterceptor for a token confined to one patient's record (a patient signed
 * in to an app): every search gets her compartment added ({@code Observation?...} becomes
 * {@code Observation?patient=Patient/123&...}), so it returns her data only and the authorization
 * rules can prove it.
 */
public class PatientCompartmentNarrowing extends SearchNarrowingInterceptor {

    @Override
    protected AuthorizedList buildAuthorizedList(RequestDetails request) {
        return Caller.current()
                .flatMap(Caller::compartment)
                .map(patient -> new AuthorizedList().addCompartment("Patient/" + patient))
                .orElse(null);
    }
}
