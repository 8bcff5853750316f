package org.sehathub.server.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;

/**
 * Makes the CapabilityStatement say what {@code /fhir/AuditEvent} really offers: read and search
 * with the parameters {@link AuditEventProvider} answers. Without it the statement advertised the
 * write methods that exist only to refuse (403) and every search parameter HAPI's registry knows for
 * AuditEvent, which the trail's own tables do not serve.
 */
@Interceptor
public class AuditEventCapabilities {

    /** The search parameters {@link AuditEventProvider} answers. */
    static final Set<String> SEARCH_PARAMETERS = Set.of(
            AuditEvent.SP_AGENT_NAME,
            AuditEvent.SP_ALTID,
            AuditEvent.SP_ENTITY_NAME,
            AuditEvent.SP_PATIENT,
            AuditEvent.SP_TYPE,
            AuditEvent.SP_SUBTYPE,
            AuditEvent.SP_ACTION,
            AuditEvent.SP_OUTCOME,
            AuditEvent.SP_DATE);

    private static final Set<TypeRestfulInteraction> INTERACTIONS =
            Set.of(TypeRestfulInteraction.READ, TypeRestfulInteraction.SEARCHTYPE);

    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    public void describeTheTrail(IBaseConformance statement) {
        if (!(statement instanceof CapabilityStatement capabilities)) {
            return;
        }
        capabilities.getRest().stream()
                .flatMap(rest -> rest.getResource().stream())
                .filter(resource -> "AuditEvent".equals(resource.getType()))
                .forEach(resource -> {
                    resource.getInteraction().removeIf(i -> !INTERACTIONS.contains(i.getCode()));
                    resource.getSearchParam().removeIf(p -> !SEARCH_PARAMETERS.contains(p.getName()));
                    resource.setConditionalCreate(false);
                    resource.setConditionalUpdate(false);
                    resource.setConditionalDelete(null);
                    resource.getSearchInclude().clear();
                    resource.getSearchRevInclude().clear();
                });
    }
}
