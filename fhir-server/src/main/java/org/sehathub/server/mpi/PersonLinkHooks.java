package org.sehathub.server.mpi;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import java.time.Clock;
import java.time.LocalDate;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Patient;
import org.sehathub.mappers.mpi.PersonRecord;

/**
 * Links every Patient into its person ({@link PersonLinker}) inside the database transaction that
 * writes it (HAPI's pre-commit hooks): a record is findable by {@code $match} and part of its person
 * exactly when it is stored, whichever way it came (ingest, {@code /fhir}); an acknowledgement is
 * sent after that commit, so an acknowledged record is linked.
 */
@Interceptor
public class PersonLinkHooks {

    private final PersonLinker linker;
    private final Clock clock;

    public PersonLinkHooks(PersonLinker linker, Clock clock) {
        this.linker = linker;
        this.clock = clock;
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        link(resource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource) {
        link(resource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void deleted(IBaseResource resource) {
        if (resource instanceof Patient patient) {
            linker.remove(patient.getIdElement().getIdPart());
        }
    }

    /** Links a Patient (anything else is ignored). */
    void link(IBaseResource resource) {
        if (resource instanceof Patient patient && patient.getIdElement().hasIdPart()) {
            PersonRecord record = PersonRecord.of(
                    patient.getIdElement().toUnqualifiedVersionless().getValue(), null, patient, LocalDate.now(clock));
            linker.write(patient.getIdElement().getIdPart(), record);
        }
    }
}
