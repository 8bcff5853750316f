package org.sehathub.server.audit;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditContextServices;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.sehathub.server.security.Caller;

/**
 * Who an AuditEvent names as its agents, from the request's token: the client (its id, with its role
 * as display) and the user, when a person signed in (her {@code fhirUser}, a reference such as
 * {@code Practitioner/45}); otherwise the client again. Never a name: events are searched by
 * reference and identifier.
 */
public class CallerAuditContext implements IBalpAuditContextServices {

    /** The identifier system of registered clients in AuditEvent agents. */
    public static final String CLIENT_SYSTEM = "https://fhir.sehathub.pk/sid/client";

    @Override
    public Reference getAgentClientWho(RequestDetails request) {
        return client();
    }

    @Override
    public Reference getAgentUserWho(RequestDetails request) {
        return Caller.current()
                .filter(c -> c.fhirUser() != null && !c.fhirUser().isBlank())
                .map(c -> new Reference(c.fhirUser()))
                .orElseGet(CallerAuditContext::client);
    }

    /** Resources named as {@code Patient/123}, not as URLs of whichever address the request came in on. */
    @Override
    public String massageResourceIdForStorage(RequestDetails request, IBaseResource resource, IIdType id) {
        return id.toUnqualifiedVersionless().getValue();
    }

    /** The client of the current request, or "anonymous" when it carried no valid token. */
    static Reference client() {
        return Caller.current()
                .map(c -> new Reference()
                        .setIdentifier(new Identifier().setSystem(CLIENT_SYSTEM).setValue(c.clientId()))
                        .setDisplay(c.role() != null ? c.role().claimValue() : "no role"))
                .orElseGet(() -> new Reference()
                        .setIdentifier(new Identifier().setSystem(CLIENT_SYSTEM).setValue("anonymous")));
    }
}
