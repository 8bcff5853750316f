package org.sehathub.server.mpi;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
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
    private final Function<String, Patient> stored;
    private final Clock clock;

    /** @param stored reads a stored Patient by id (null when there is none) */
    public PersonLinkHooks(PersonLinker linker, Function<String, Patient> stored, Clock clock) {
        this.linker = linker;
        this.stored = stored;
        this.clock = clock;
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        link(resource);
        followSource(resource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource) {
        link(resource);
        followSource(resource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void deleted(IBaseResource resource) {
        if (resource instanceof Patient patient) {
            linker.remove(patient.getIdElement().getIdPart());
        }
    }

    /**
     * What the sending facility says of its own records: {@code replaced-by} (HL7 merges) and {@code
     * seealso} (HL7 link A24) to another Patient make one person. A pair linked by {@code seealso}
     * that neither record links any more (HL7 unlink A37) is kept apart; a merge is not undone by a
     * later message about the retired record.
     */
    private void followSource(IBaseResource resource) {
        if (!(resource instanceof Patient patient) || !patient.getIdElement().hasIdPart()) {
            return;
        }
        String self = patient.getIdElement().getIdPart();
        others(patient, Patient.LinkType.REPLACEDBY).forEach(other -> linker.sameBySource(self, other, false));
        Set<String> linked = others(patient, Patient.LinkType.SEEALSO);
        linked.forEach(other -> linker.sameBySource(self, other, true));
        for (String other : linker.linkedBySource(self)) {
            if (!linked.contains(other)
                    && !others(stored.apply(other), Patient.LinkType.SEEALSO).contains(self)) {
                linker.differentBySource(self, other);
            }
        }
    }

    /** The ids of the Patients this one (null: deleted) links to with this type (literal references only). */
    private static Set<String> others(Patient patient, Patient.LinkType type) {
        Set<String> ids = new LinkedHashSet<>();
        if (patient == null) {
            return ids;
        }
        for (Patient.PatientLinkComponent link : patient.getLink()) {
            IIdType other = link.getOther().getReferenceElement();
            if (link.getType() == type
                    && "Patient".equals(other.getResourceType())
                    && other.hasIdPart()
                    && !other.getIdPart().equals(patient.getIdElement().getIdPart())) {
                ids.add(other.getIdPart());
            }
        }
        return ids;
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
