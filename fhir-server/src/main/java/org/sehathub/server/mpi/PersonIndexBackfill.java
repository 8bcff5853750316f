package org.sehathub.server.mpi;

import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Patient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * Indexes the Patients stored before patient linking existed: once the server is up, when the
 * index is empty but Patients are not, every Patient is indexed, a page at a time, on a thread of
 * its own (the server answers meanwhile; {@code $match} finds an old record once its page is
 * done). Patients written meanwhile are indexed by {@link PersonIndexer} as always.
 */
public class PersonIndexBackfill {

    private static final Logger log = LoggerFactory.getLogger(PersonIndexBackfill.class);
    private static final int PAGE = 500;

    private final PersonIndex index;
    private final PersonIndexer indexer;
    private final IFhirResourceDao<Patient> patients;

    public PersonIndexBackfill(PersonIndex index, PersonIndexer indexer, IFhirResourceDao<Patient> patients) {
        this.index = index;
        this.indexer = indexer;
        this.patients = patients;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        Thread thread = new Thread(this::run, "sehat-person-index-backfill");
        thread.setDaemon(true);
        thread.start();
    }

    /** Indexes every Patient when none is indexed yet; returns how many it indexed. */
    public int run() {
        try {
            if (!index.isEmpty()) {
                return 0;
            }
            IBundleProvider all = patients.search(new SearchParameterMap(), new SystemRequestDetails());
            int done = 0;
            for (int from = 0; ; from += PAGE) {
                var page = all.getResources(from, from + PAGE);
                if (page.isEmpty()) {
                    break;
                }
                for (IBaseResource patient : page) {
                    indexer.index(patient);
                    done++;
                }
            }
            if (done > 0) {
                log.info("patient linking: indexed {} Patients stored before the index existed", done);
            }
            return done;
        } catch (RuntimeException e) {
            log.warn(
                    "patient linking: indexing the stored Patients failed ({}); $match finds only Patients written since",
                    e.getClass().getSimpleName());
            return 0;
        }
    }
}
