package org.sehathub.server.mpi;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
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
    private final Clock clock;

    public PersonLinkHooks(PersonLinker linker, Clock clock) {
        this.linker = linker;
        this.clock = clock;
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        link(resource);
        followSource(null, resource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource) {
        link(resource);
        followSource(previous, resource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void deleted(IBaseResource resource) {
        if (resource instanceof Patient patient) {
            linker.remove(patient.getIdElement().getIdPart());
        }
    }

    /**
     * What the sending facility says of its own records: {@code replaced-by} (HL7 merges) and {@code
     * seealso} (HL7 link A24) to another Patient make one person; a {@code seealso} taken away (HL7
     * unlink A37) keeps the two apart.
     */
    private void followSource(IBaseResource previous, IBaseResource resource) {
        if (!(resource instanceof Patient patient) || !patient.getIdElement().hasIdPart()) {
            return;
        }
        String self = patient.getIdElement().getIdPart();
        Set<String> now = others(patient, Patient.LinkType.REPLACEDBY, Patient.LinkType.SEEALSO);
        now.forEach(other -> linker.sameBySource(self, other));
        if (previous instanceof Patient before) {
            Set<String> unlinked = others(before, Patient.LinkType.SEEALSO);
            unlinked.removeAll(now);
            unlinked.forEach(other -> linker.differentBySource(self, other));
        }
    }

    /** The ids of the Patients this one links to with one of these types (literal references only). */
    private static Set<String> others(Patient patient, Patient.LinkType... types) {
        Set<String> ids = new LinkedHashSet<>();
        for (Patient.PatientLinkComponent link : patient.getLink()) {
            IIdType other = link.getOther().getReferenceElement();
            if (Arrays.asList(types).contains(link.getType())
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
