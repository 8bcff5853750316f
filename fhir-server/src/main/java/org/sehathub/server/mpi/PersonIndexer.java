package org.sehathub.server.mpi;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Patient;
import org.sehathub.mappers.mpi.Blocking;
import org.sehathub.mappers.mpi.PersonRecord;

/**
 * Keeps {@link PersonIndex} in step with the Patients, inside the database transaction that writes
 * each one (HAPI's pre-commit hooks): a Patient is findable by {@code $match} exactly when it is
 * stored, whichever way it came (ingest, {@code /fhir}).
 */
@Interceptor
public class PersonIndexer {

    private final PersonIndex index;
    private final Clock clock;

    public PersonIndexer(PersonIndex index, Clock clock) {
        this.index = index;
        this.clock = clock;
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        index(resource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource) {
        index(resource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void deleted(IBaseResource resource) {
        if (resource instanceof Patient patient) {
            index.remove(patient.getIdElement().getIdPart());
        }
    }

    /** Indexes a Patient (anything else is ignored). */
    void index(IBaseResource resource) {
        if (resource instanceof Patient patient && patient.getIdElement().hasIdPart()) {
            PersonRecord record = PersonRecord.of(
                    patient.getIdElement().toUnqualifiedVersionless().getValue(), null, patient, LocalDate.now(clock));
            Set<String> keys = new LinkedHashSet<>(Blocking.keys(record));
            keys.addAll(Blocking.words(record));
            index.replace(patient.getIdElement().getIdPart(), keys);
        }
    }
}
