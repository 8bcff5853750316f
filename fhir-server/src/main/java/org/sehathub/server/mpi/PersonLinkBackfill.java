package org.sehathub.server.mpi;

import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Patient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Links the Patients stored before patient linking existed: once the server is up, when no record is
 * linked but Patients are stored, every Patient is linked, a page at a time (one transaction each),
 * on a thread of its own (the server answers meanwhile; an old record joins its person once its
 * page is done). Patients written meanwhile are linked by {@link PersonLinkHooks} as always.
 */
public class PersonLinkBackfill {

    private static final Logger log = LoggerFactory.getLogger(PersonLinkBackfill.class);
    private static final int PAGE = 200;

    private final PersonLinks links;
    private final PersonLinkHooks hooks;
    private final IFhirResourceDao<Patient> patients;
    private final TransactionTemplate transactions;

    public PersonLinkBackfill(
            PersonLinks links,
            PersonLinkHooks hooks,
            IFhirResourceDao<Patient> patients,
            TransactionTemplate transactions) {
        this.links = links;
        this.hooks = hooks;
        this.patients = patients;
        this.transactions = transactions;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        Thread thread = new Thread(this::run, "sehat-person-link-backfill");
        thread.setDaemon(true);
        thread.start();
    }

    /** Links every Patient when none is linked yet; returns how many it linked. */
    public int run() {
        try {
            if (!links.isEmpty()) {
                return 0;
            }
            IBundleProvider all = patients.search(new SearchParameterMap(), new SystemRequestDetails());
            int done = 0;
            for (int from = 0; ; from += PAGE) {
                List<IBaseResource> page = all.getResources(from, from + PAGE);
                if (page.isEmpty()) {
                    break;
                }
                transactions.executeWithoutResult(status -> page.forEach(hooks::link));
                done += page.size();
            }
            if (done > 0) {
                log.info("patient linking: linked {} Patients stored before linking existed", done);
            }
            return done;
        } catch (RuntimeException e) {
            log.warn(
                    "patient linking: linking the stored Patients failed ({}); only Patients written since are linked",
                    e.getClass().getSimpleName());
            return 0;
        }
    }
}
