package org.sehathub.server.consent;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentInterceptor;
import java.time.Clock;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Practitioner;
import org.sehathub.server.audit.AuditTrail;
import org.sehathub.server.mpi.PersonLinks;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Patient consent for apps (docs/security.md, "Patient consent"): {@link AppConsentCheck} on the
 * FHIR endpoint, with access control on (without tokens there is no app to ask about).
 */
@Configuration
@ConditionalOnProperty(name = "sehat.security.enabled", havingValue = "true", matchIfMissing = true)
public class ConsentConfig {

    @Bean
    public AppConsentCheck appConsentCheck(
            RestfulServer fhirRestfulServer,
            DaoRegistry daos,
            AuditTrail audit,
            PlatformTransactionManager transactionManager,
            PersonLinks links,
            Clock clock) {
        TransactionTemplate ownTransaction = new TransactionTemplate(transactionManager);
        ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        AppConsentCheck check = new AppConsentCheck(
                new PatientConsents(daos.getResourceDao(Consent.class), links::samePerson, clock),
                daos.getResourceDao(Practitioner.class),
                new BreakGlass(audit, daos.getResourceDao(Flag.class), ownTransaction, clock));
        fhirRestfulServer.registerInterceptor(check);
        fhirRestfulServer.registerInterceptor(new ConsentInterceptor(check));
        return check;
    }
}
